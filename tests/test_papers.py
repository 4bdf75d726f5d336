"""The papers a committee files (#20): the security classification marking, the members'
sign-off and declarations, and criteria written in two languages. Through the CLI."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from evaluator.io.files import load_document
from tests.conftest import ROOT, Run
from tests.helpers import unstaged_criteria
from tests.test_html import browser, chromium

RunCli = Callable[..., Run]


def _without_classification(folder: Path) -> Path:
    """The default criteria (without stages) with no `classification:` line."""
    path = unstaged_criteria(folder)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^classification: .*\n", "", text), encoding="utf-8")
    return path


# --- classification -------------------------------------------------------------------------


def test_a_criteria_file_marks_every_output(run_cli: RunCli, tmp_path: Path) -> None:
    criteria = _without_classification(tmp_path)
    text = criteria.read_text(encoding="utf-8")
    criteria.write_text(
        text.replace("\ncurrency: MYR", "\nclassification: Sulit\ncurrency: MYR", 1)
    )
    shown = str(criteria)
    table = run_cli("compare", "-c", shown)
    assert table.code == 0
    lines = table.out.strip().splitlines()
    assert lines[0] == "SULIT" and lines[-1] == "SULIT"
    markdown = run_cli("compare", "-c", shown, "-f", "markdown").out.strip().splitlines()
    assert markdown[0] == "**SULIT**" and markdown[-1] == "**SULIT**"
    assert (
        json.loads(run_cli("compare", "-c", shown, "-f", "json").out)["classification"] == "SULIT"
    )
    card = run_cli("score", "proposals/italy.yaml", "-c", shown, "-f", "markdown").out
    assert card.strip().splitlines()[0] == "**SULIT**"
    assert card.strip().splitlines()[-1] == "**SULIT**"
    html = run_cli("compare", "-c", shown, "-f", "html").out
    assert html.count('role="note">SULIT</div>') == 2


def test_the_default_criteria_are_not_classified(run_cli: RunCli) -> None:
    """The samples are hypothetical (a policy choice, docs/report.md): no marking."""
    assert json.loads(run_cli("compare", "-f", "json").out)["classification"] is None
    assert "SULIT" not in run_cli("compare").out


def test_classification_option_overrides_the_file(run_cli: RunCli, tmp_path: Path) -> None:
    criteria = str(unstaged_criteria(tmp_path))
    # English equivalents are read as the Malay level; any case.
    run = run_cli("compare", "-c", criteria, "--classification", "top secret", "-f", "markdown")
    assert run.code == 0
    lines = run.out.strip().splitlines()
    assert lines[0] == "**RAHSIA BESAR**" and lines[-1] == "**RAHSIA BESAR**"
    assert "SULIT" not in run.out
    data = json.loads(
        run_cli("compare", "-c", criteria, "--classification", "terhad", "-f", "json").out
    )
    assert data["classification"] == "TERHAD"
    sens = run_cli("sensitivity", "-c", criteria, "--samples", "200", "--classification", "RAHSIA")
    assert sens.code == 0 and sens.out.strip().splitlines()[0] == "RAHSIA"
    sens_json = run_cli(
        "sensitivity",
        "-c",
        criteria,
        "--samples",
        "200",
        "--classification",
        "secret",
        "-f",
        "json",
    )
    assert json.loads(sens_json.out)["classification"] == "RAHSIA"
    card = run_cli(
        "score", "proposals/italy.yaml", "-c", criteria, "--classification", "restricted"
    )
    assert card.out.strip().splitlines()[0] == "TERHAD"


def test_no_classification_no_marking(run_cli: RunCli, tmp_path: Path) -> None:
    criteria = str(_without_classification(tmp_path))
    run = run_cli("compare", "-c", criteria, "-f", "markdown")
    assert run.code == 0 and run.out.startswith("## ")
    assert (
        json.loads(run_cli("compare", "-c", criteria, "-f", "json").out)["classification"] is None
    )
    html = run_cli("compare", "-c", criteria, "-f", "html").out
    assert 'class="classification' not in html


def test_a_level_that_is_none_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    run = run_cli("compare", "--classification", "secret-ish")
    assert run.code == 2
    assert "--classification: 'secret-ish' is not a classification level" in run.err
    criteria = _without_classification(tmp_path)
    text = criteria.read_text(encoding="utf-8").replace(
        "\ncurrency: MYR", "\nclassification: SULITT\ncurrency: MYR", 1
    )
    criteria.write_text(text, encoding="utf-8")
    bad = run_cli("compare", "-c", str(criteria))
    assert bad.code == 1
    line = text.splitlines().index("classification: SULITT") + 1
    assert f"default.yaml:{line}:17: unknown value 'SULITT' (did you mean `SULIT`?)" in bad.err


def test_html_marks_top_and_bottom(run_cli: RunCli) -> None:
    html = run_cli("compare", "-f", "html", "--classification", "rahsia").out
    assert html.count('role="note">RAHSIA</div>') == 2
    body = html.index("<body")
    top = html.index('<div class="classification classification-top"')
    bottom = html.index('<div class="classification classification-bottom"')
    assert body < top < html.index('<header class="masthead">')
    assert bottom > html.index("</footer>")


@browser
def test_every_printed_page_is_marked(run_cli: RunCli, tmp_path: Path) -> None:
    """Printed by Chromium, each page carries the marking at its top and its bottom, and
    the report's own text stays between them."""
    pypdf = pytest.importorskip("pypdf")
    page = tmp_path / "report.html"
    marked = ("--classification", "SULIT")
    assert run_cli("compare", "-f", "html", "--sensitivity", *marked, "-o", str(page)).code == 0
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= 4
    for number, sheet in enumerate(reader.pages, 1):
        height = float(sheet.mediabox.height)
        found: list[tuple[str, float]] = []

        def seen(words: str, cm: list[float], tm: list[float], *_: object) -> None:
            if words.strip():
                found.append((words.strip(), cm[1] * tm[4] + cm[3] * tm[5] + cm[5]))  # noqa: B023

        sheet.extract_text(visitor_text=seen)
        marks = [y for words, y in found if words == "SULIT"]
        text = [y for words, y in found if words != "SULIT"]
        assert len(marks) == 2, f"page {number}: {len(marks)} markings"
        top, bottom = max(marks), min(marks)
        assert top > 0.85 * height and bottom < 0.15 * height, f"page {number}"
        assert all(bottom < y < top for y in text), f"page {number}: text under a marking"


# --- sign-off and declarations ---------------------------------------------------------------


def _panel_copy(folder: Path, undeclared: str | None = None) -> Path:
    """The sample panel, copied; `undeclared`'s file (a, b, c) without its declaration."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "panel").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if path.stem == undeclared:
            text = re.sub(r"declaration:\n  date: .*\n  text: >-\n(    .*\n)+", "", text)
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


def test_the_report_ends_with_each_members_sign_off(run_cli: RunCli) -> None:
    run = run_cli("compare", "--panel", "panel/", "-f", "markdown")
    assert run.code == 0
    end = run.out[run.out.index("### Sign-off") :]
    blocks = end.split("\n**Member ")[1:]
    assert [b.split("**")[0] for b in blocks] == ["A", "B", "C"]  # the chair first
    assert "- Role: Chair" in blocks[0] and "- Role: Member" in blocks[1]
    for block in blocks:
        assert "- Declaration: declared on 2026-03-02: “I have no personal interest" in block
        assert "- Signature: ____" in block and "- Date: ____" in block
    assert run.out.rstrip().endswith("- Date: ____________________________")
    data = json.loads(run_cli("compare", "--panel", "panel/", "-f", "json").out)
    first = data["panel"]["members"][0]
    assert (first["name"], first["role"]) == ("Member A", "chair")
    assert first["declaration"]["date"] == "2026-03-02"
    assert not [c for c in data["caveats"] if c["code"] == "declaration_missing"]
    table = run_cli("compare", "--panel", "panel/").out
    assert "Declarations of no conflict of interest: A, chair (declared 2026-03-02);" in " ".join(
        table.split()
    )
    card = run_cli("score", "proposals/italy.yaml", "--panel", "panel/", "-f", "markdown").out
    assert "### Sign-off" in card


def test_html_sign_off_blocks(run_cli: RunCli, tmp_path: Path) -> None:
    panel = _panel_copy(tmp_path / "panel", undeclared="b")
    html = run_cli("compare", "--panel", str(panel), "-f", "html").out
    section = html[html.index('<section id="signoff"') :]
    assert section.index("</section>") > section.index("Member C")
    assert '<a href="#signoff">Sign-off</a>' in html
    assert section.count('<div class="signoff') == 3
    assert section.count('<dd class="line"></dd>') == 6  # a signature and a date line each
    assert section.count('<div class="signoff undeclared">') == 1
    assert "<dd>Chair</dd>" in section
    start = html.index('id="recommendation"')
    recommendation = html[start : html.index("</section>", start)]
    assert "Member B has made no declaration of no conflict of interest" in recommendation


def test_a_member_without_a_declaration_is_a_finding(run_cli: RunCli, tmp_path: Path) -> None:
    panel = str(_panel_copy(tmp_path / "panel", undeclared="c"))
    data = json.loads(run_cli("compare", "--panel", panel, "-f", "json").out)
    assert {"code": "declaration_missing", "member": "C", "file": f"{panel}/c.yaml"} in data[
        "caveats"
    ]
    sentence = "Member C has made no declaration of no conflict of interest"
    table = run_cli("compare", "--panel", panel)
    assert table.code == 0 and sentence in " ".join(table.out.split())
    assert "C, member (no declaration)" in " ".join(table.out.split())
    markdown = run_cli("compare", "--panel", panel, "-f", "markdown").out
    assert f"- **Caveat:** {sentence}" in markdown
    assert "- Declaration: **none: no declaration of no conflict of interest" in markdown
    html = run_cli("compare", "--panel", panel, "-f", "html").out
    assert sentence in html
    card = run_cli("score", "proposals/italy.yaml", "--panel", panel).out
    assert sentence in " ".join(card.split())
    validate = run_cli("validate", "proposals/", "--panel", panel)
    assert validate.code == 0
    assert f"{panel}: warning: {sentence} ({panel}/c.yaml)." in validate.err


def test_roles_in_malay_and_mistakes(run_cli: RunCli, tmp_path: Path) -> None:
    panel = _panel_copy(tmp_path / "panel")
    a = panel / "a.yaml"
    a.write_text(a.read_text(encoding="utf-8").replace("role: chair", "role: Pengerusi"))
    data = json.loads(run_cli("compare", "--panel", str(panel), "-f", "json").out)
    assert data["panel"]["members"][0]["role"] == "chair"
    b = panel / "b.yaml"
    text = b.read_text(encoding="utf-8").replace("role: member", "role: chairman")
    text = text.replace("  date: 2026-03-02\n", "  date: 2 March 2026\n")
    b.write_text(text, encoding="utf-8")
    run = run_cli("validate", "proposals/", "--panel", str(panel))
    assert run.code == 1
    lines = text.splitlines()
    role = lines.index("role: chairman") + 1
    day = lines.index("  date: 2 March 2026") + 1
    assert f"b.yaml:{role}:7: unknown value 'chairman' (did you mean `chair`?)" in run.err
    assert f"b.yaml:{day}:9: " in run.err


def test_sample_panel_files_conform_to_their_schema() -> None:
    from tests.test_schema import schema_errors

    for path in sorted((ROOT / "panel").glob("*.yaml")):
        assert path.read_text(encoding="utf-8").splitlines()[0] == (
            "# yaml-language-server: $schema=../schema/panel.schema.json"
        )
        assert schema_errors("panel", load_document(path).data) == []


# --- bilingual criteria ----------------------------------------------------------------------


def test_default_criteria_titles_in_two_languages(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evaluator.api import load_criteria

    criteria = load_criteria(ROOT / "criteria" / "default.yaml")
    assert dict(criteria.titles)["ms"].startswith("Perolehan pertahanan kerajaan dengan kerajaan")
    for criterion in criteria.criteria:
        assert [code for code, _ in criterion.titles] == ["en", "ms"], criterion.id
    for stage in criteria.stages:
        assert [code for code, _ in stage.titles] == ["en", "ms"], stage.id
    assert dict(criteria.stages[0].titles)["ms"] == "Jawatankuasa Penilaian Teknikal"
    # English by default: the titles as before.
    english = run_cli("compare", "-f", "markdown").out
    assert "## G2G defence procurement — the minister's criteria" in english
    assert "Stage 1: Jawatankuasa Penilaian Teknikal (technical evaluation committee)" in english
    # The report in Malay (the stand-in for --lang ms) shows the Malay titles...
    monkeypatch.setenv("EVALUATOR_LANG", "ms")
    malay = run_cli("compare", "-f", "markdown").out
    assert "## Perolehan pertahanan kerajaan dengan kerajaan (G2G) — kriteria Menteri" in malay
    assert ": Jawatankuasa Penilaian Teknikal (technical)" in malay  # the stage's Malay title
    assert "Program Kolaborasi Industri" in malay and "G2G defence procurement" not in malay
    card = run_cli("score", "proposals/italy.yaml", "-f", "markdown").out
    assert "### Kerjasama jangka panjang:" in card and "### Long-term collaboration" not in card
    html = run_cli("compare", "-f", "html").out
    assert "<title>Perbandingan cadangan · Perolehan pertahanan kerajaan" in html
    table = run_cli("score", "proposals/italy.yaml").out
    assert "Kedalaman pemindahan teknologi" in table
    # ...and a proposal's own text stays as written; the JSON is the same in both.
    assert "## italy: CSS-26 (hypothetical), G2G offer under Italy's G2G rule" in card
    malay_json = run_cli("compare", "-f", "json").out
    monkeypatch.delenv("EVALUATOR_LANG")
    assert run_cli("compare", "-f", "json").out == malay_json


def test_a_title_in_languages_is_checked(run_cli: RunCli, tmp_path: Path) -> None:
    criteria = unstaged_criteria(tmp_path)
    text = criteria.read_text(encoding="utf-8")
    text = text.replace(
        "    title:\n      en: Pricing and value for money\n"
        "      ms: Harga dan nilai faedah terbaik\n",
        "    title: {fr: Prix, ms: Harga}\n",
    )
    text = text.replace(
        "    title:\n      en: Long-term collaboration\n      ms: Kerjasama jangka panjang\n",
        "    title: {}\n",
    )
    criteria.write_text(text, encoding="utf-8")
    run = run_cli("validate", str(criteria))
    assert run.code == 1
    lines = text.splitlines()
    fr = next(i for i, line in enumerate(lines, 1) if "title: {fr: Prix" in line)
    empty = next(i for i, line in enumerate(lines, 1) if line == "    title: {}")
    assert f"default.yaml:{fr}:13: unknown key `fr`" in run.err
    assert f"default.yaml:{empty}:12: give the text in one language at least: en, ms" in run.err
    # A title only in Malay is the title in every language.
    criteria.write_text(
        text.replace("    title: {}\n", "    title: {ms: Kerjasama}\n").replace(
            "    title: {fr: Prix, ms: Harga}\n", "    title: {ms: Harga}\n"
        ),
        encoding="utf-8",
    )
    card = run_cli("score", "proposals/italy.yaml", "-c", str(criteria), "-f", "markdown")
    assert card.code == 0, card.err
    assert "### Harga:" in card.out and "### Kerjasama:" in card.out
