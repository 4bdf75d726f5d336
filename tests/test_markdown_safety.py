"""--format markdown: nothing in an input file can make markup.

Every text that comes from a file (ids, countries, titles, criteria titles and `source:`
quotes, gate titles, panel member labels and levels, file names, the values and messages
that quote them) is written through one escaping function, `md()`. These tests write
hostile files, run each Markdown-writing command, parse the output with a CommonMark
parser with GitHub's extensions (markdown-it-py: tables, strikethrough, autolinks), and
check that the output has the structure of the same run on harmless files, no HTML, no
link or image, and each hostile text as literal text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.conftest import Run

RunCli = Callable[..., Run]

# What a line may start with that CommonMark or GFM would read as structure.
LINE_STARTS = [
    "# ",
    "> ",
    "- ",
    "+ ",
    "* ",
    "1. ",
    "2) ",
    "---",
    "***",
    "___",
    "===",
    "```",
    "~~~",
    "    indented",
    "<div>",
    "<!-- ",
    "[ref]: http://evil.example/",
    "| a |",
    ": ",
    "\\",
    "&amp; ",
]
# ...and what can make markup anywhere in a line.
INLINE = (
    "<img src=x onerror=alert(1)> [link](http://evil.example/) "
    "![image](http://evil.example/i.png) <http://evil.example/> <a@evil.example> "
    "http://evil.example/x https://evil.example //evil.example/y www.evil.example "
    "ftp://evil.example mail@evil.example &lt;b&gt; &#60; &amp; *em* _em_ **strong** "
    "__strong__ ~~struck~~ ~struck~ `code` ``co`de`` a|b back\\slash\\ [ref] "
    "[x][ref] $x$ @someone #123 <b>bold</b>\n# Injected\n\n- item\n> quote\tend\\"
)

FIELDS = [
    "criteria_title",
    "criteria_id",
    "version",
    "criterion_title",
    "source",
    "gate_title",
    "gate_source",
    "country",
    "title",
    "activity",
    "technical",
    "member",
    "level",
]

# The commands writing Markdown, each run on the same files.
COMMANDS = {
    "compare": ["compare", "{proposals}", "--panel", "{panel}"],
    "compare-all": ["compare", "{proposals}", "--panel", "{panel}", "--method", "all"],
    "score": ["score", "{proposals}/{file}", "--panel", "{panel}"],
    "criteria": ["criteria"],
    "sensitivity": [
        "sensitivity",
        "{proposals}",
        "--panel",
        "{panel}",
        "--samples",
        "20",
        "--values",
    ],
}

CRITERIA = """\
id: {criteria_id}
title: {criteria_title}
version: {version}
currency: MYR
criteria:
  - id: {leaf}
    title: {criterion_title}
    source: {source}
    weight: 50
    subcriteria:
      - {{id: cost, weight: 2, field: pricing.unit_price,
          rule: {{type: linear, best: 100, worst: 300}}}}
      - {{id: hull, weight: 1, field: technical.hull,
          rule: {{type: levels, levels: {{{technical}: 80, plain: 20}}}}}}
  - id: sincerity
    weight: 50
    field: panel.sincerity
    rule: {{type: levels, levels: {{good: 100, {level}: 0}}}}
gates:
  - id: {gate}
    title: {gate_title}
    source: {gate_source}
    field: g2g.performance_bond_pct
    require: {{min: 5}}
"""

PROPOSAL = """\
proposal: {{id: {id}, country: {country}, title: {title}}}
pricing: {{currency: MYR, unit_price: {price}}}
g2g: {{performance_bond_pct: {bond}}}
technical: {{hull: {hull}}}
industrial_collaboration:
  activities:
    - {{type: training, description: {activity}, value: {{low: 10, high: 30}}, local: true}}
"""

HARMLESS = {field: f"Harmless {field.replace('_', ' ')}" for field in FIELDS}
HARMLESS_NAMES = {
    "id": "alpha",
    "file": "alpha.yaml",
    "leaf": "price",
    "gate": "bond",
    "bad": "broken file.yaml",
}
# Ids are letters, digits, _ and -: they can still start and end emphasis.
HOSTILE_NAMES = {
    "id": "_alpha_",
    "file": "#1 `tick` <b>|*x*[l](y) &amp; _a_.yaml",
    "leaf": "_price_",
    "gate": "__bond__",
    "bad": "*bad* `x` <i>|.yaml",
}


def write_files(folder: Path, texts: dict[str, str], names: dict[str, str]) -> dict[str, str]:
    """Criteria, two proposals (the first fails the gate), an unreadable proposal and two
    panel members who disagree, with `texts` in every field that takes text."""
    quoted = {k: json.dumps(v) for k, v in texts.items()}  # a JSON string is YAML too
    proposals = folder / "proposals"
    panel = folder / "panel"
    proposals.mkdir()
    panel.mkdir()
    criteria = folder / "criteria.yaml"
    criteria.write_text(CRITERIA.format(**quoted, leaf=names["leaf"], gate=names["gate"]))
    (proposals / names["file"]).write_text(
        PROPOSAL.format(**quoted, id=names["id"], price=200, bond=3, hull=quoted["technical"])
    )
    (proposals / "beta.yaml").write_text(
        PROPOSAL.format(
            **{**quoted, "country": "Beta", "title": "Beta", "activity": "Beta"},
            id="beta",
            price=150,
            bond=10,
            hull="plain",
        )
    )
    (proposals / names["bad"]).write_text("proposal: {country: X}\npricing: {unit_price: 1}\n")
    for member, first in ((quoted["member"], "good"), ("Z", quoted["level"])):
        (panel / f"{len(member)}.yaml").write_text(
            f"member: {member}\nratings:\n  {names['id']}: {{sincerity: {first}}}\n"
            f"  beta: {{sincerity: good}}\n"
        )
    return {
        "proposals": str(proposals),
        "panel": str(panel),
        "file": names["file"],
        "criteria": str(criteria),
    }


def render(
    run_cli: RunCli, folder: Path, texts: dict[str, str], names: dict[str, str]
) -> dict[str, str]:
    """Each command's Markdown output on the files written with `texts`."""
    paths = write_files(folder, texts, names)
    outputs = {}
    for name, command in COMMANDS.items():
        args = [arg.format(**paths) for arg in command]
        result = run_cli(*args, "--criteria", paths["criteria"], "-f", "markdown")
        assert result.code in (0, 1), (name, result.err)
        assert result.out, (name, result.err)
        outputs[name] = result.out
    return outputs


def parser() -> MarkdownIt:
    # GitHub's flavour: HTML allowed through, tables, strikethrough and autolinks (the
    # strictest reading: bare domains are linked too).
    return MarkdownIt("gfm-like")


def walk(tokens: list[Token]) -> list[Token]:
    every = []
    for token in tokens:
        every.append(token)
        every += walk(token.children or [])
    return every


def structure(tokens: list[Token]) -> list[str]:
    """The blocks and inline markup, without the text: what input must not change."""
    return [
        f"{t.type}:{t.tag}"
        for t in walk(tokens)
        if t.type not in ("text", "code_inline", "text_special")
    ]


def inline_texts(tokens: list[Token]) -> list[str]:
    """The text of each inline run (a paragraph, heading or cell), whitespace collapsed."""
    texts = []
    for token in tokens:
        if token.type == "inline":
            text = "".join(
                " " if c.type in ("softbreak", "hardbreak") else c.content
                for c in token.children or []
            )
            texts.append(" ".join(text.split()))
    return texts


def shown(text: str) -> str:
    """How a text reads once written: line breaks are spaces, runs of space one."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def harmless(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    # What run_cli does (a function-scoped fixture), once for the module.
    from tests.conftest import ROOT

    folder = tmp_path_factory.mktemp("harmless")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.setenv("COLUMNS", "100")
        patch.setenv("NO_COLOR", "1")
        outputs = render(_run_in_process, folder, HARMLESS, HARMLESS_NAMES)
    return {name: structure(parser().parse(text)) for name, text in outputs.items()}


def _run_in_process(*args: str) -> Run:
    import contextlib
    import io

    from evaluator.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
    return Run(code, out.getvalue(), err.getvalue())


@pytest.mark.parametrize("start", LINE_STARTS)
def test_no_input_makes_markup(
    run_cli: RunCli, tmp_path: Path, start: str, harmless: dict[str, list[str]]
) -> None:
    texts = {field: f"{start}{INLINE} {field}-end" for field in FIELDS}
    outputs = render(run_cli, tmp_path, texts, HOSTILE_NAMES)
    found = set()
    for name, text in outputs.items():
        tokens = parser().parse(text)
        kinds = {t.type for t in walk(tokens)}
        assert not kinds & {"html_inline", "html_block", "link_open", "image"}, (name, text)
        assert structure(tokens) == harmless[name], (name, text)
        lines = inline_texts(tokens)
        found |= {
            field for field, value in texts.items() if any(shown(value) in line for line in lines)
        }
        found |= {
            key for key in ("file", "bad") if any(HOSTILE_NAMES[key] in line for line in lines)
        }
    # Each hostile text is shown, as it was written, somewhere.
    assert found == {*FIELDS, "file", "bad"}


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "<b>",
        "a|b",
        "x\ny",
        "_a_ b_c",
        "&lt;",
        "[x](y)",
        "1. item",
        "-5",
        "# h",
        "`",
        "www.x.example",
        "http://x.example",
        "a@b.example",
        "  lead",
        "~~x~~",
        "\\",
        "Türkiye ≥ 30 → ok",
    ],
)
@pytest.mark.parametrize("where", ["{}", "## {}", "> {}", "- **x**: {}", "| {} | y |"])
def test_md_shows_any_text_literally(text: str, where: str) -> None:
    from evaluator.render.markdown_text import md

    source = where.format(md(text))
    if where.startswith("|"):
        source += "\n| --- | --- |"
    tokens = parser().parse(source)
    assert not {t.type for t in walk(tokens)} & {
        "html_inline",
        "html_block",
        "link_open",
        "image",
        "em_open",
        "strong_open",
        "s_open",
        "code_inline",
    } - ({"strong_open"} if "**" in where else set())
    assert shown(text) in inline_texts(tokens)[0], source


def test_code_form_fences_text_that_cannot_break_the_span() -> None:
    from evaluator.render.markdown_text import md

    assert md("proposals/italy.yaml", code=True) == "`proposals/italy.yaml`"
    # A backtick or a pipe would end the span or the cell: the text is escaped instead.
    assert md("a`b.yaml", code=True) == md("a`b.yaml") == "a\\`b.yaml"
    assert md("a|b", code=True) == "a\\|b"


def test_ordinary_text_is_left_as_it_is() -> None:
    from evaluator.render.markdown_text import md

    # Escapes only where markup could start: sample output stays readable.
    for text in (
        "Italy",
        "South Korea",
        "technology_transfer",
        "Littoral Mission Ship Batch 2, G2G offer",
        "-12.34",
        "40.35 × 0.20 = 8.07",
        "0.30–0.55",
        "local_share_pct > 30",
        "R & D",
        "(May 2025)",
        "italy ≈",
    ):
        assert md(text) == text


def test_markdown_notes_quote_file_names_literally(run_cli: RunCli, tmp_path: Path) -> None:
    # A file that cannot be read is listed under the table with its message.
    bad = tmp_path / "a`b <i>x&lt;.yaml"
    bad.write_text("proposal: {country: [X]}\n")
    result = run_cli("compare", str(tmp_path), "-f", "markdown")
    assert result.code == 1
    tokens = parser().parse(result.out)
    assert not {t.type for t in walk(tokens)} & {"html_inline", "html_block"}
    assert any("a`b <i>x&lt;.yaml" in line for line in inline_texts(tokens))
