"""Every table fits the terminal without cutting what people read (issue #15, item 7).

Each command that prints a table runs on the samples at 60, 70, 80, 100 and 140 columns.
At every width: no line is wider than the terminal; rich never crops a cell (`Tot…`);
every proposal id appears whole, on the line of its total, and every score is printed
whole; an identifier or a number breaks only after `_`, `.`, `/`, `–` or a hyphen, never
mid-word (`lifecycle_c` / `ost`, `2,414,241` / `,681`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import ROOT, Run

RunCli = Callable[..., Run]
WIDTHS = (60, 70, 80, 100, 140)
COMMANDS = {
    "compare": ["compare"],
    "compare-panel": ["compare", "--panel", "panel"],
    "compare-topsis": ["compare", "--method", "topsis"],
    "compare-promethee": ["compare", "--method", "promethee", "--panel", "panel"],
    "compare-all": ["compare", "--method", "all"],
    "compare-all-panel": ["compare", "--method", "all", "--panel", "panel"],
    "score": ["score", "proposals/italy.yaml"],
    "score-ineligible": ["score", "proposals/direct-offer.yaml"],
    "score-panel": ["score", "proposals/south-korea.yaml", "--panel", "panel"],
    "score-promethee": ["score", "proposals/turkiye", "--method", "promethee"],
    "criteria": ["criteria"],
    "sensitivity": ["sensitivity", "--samples", "2000"],
    "sensitivity-values": ["sensitivity", "--values", "--samples", "2000"],
    "sensitivity-panel": ["sensitivity", "--panel", "panel", "--samples", "2000"],
    "weights": ["weights", "weights/minister-ahp.yaml"],
}
BOX = str.maketrans({c: " " for c in "│╭╮╰╯─┃█▒·▏▎▍▌▋▊▉"})
BREAKS = "_./–-"
# Words a narrow layout adds: criterion and method abbreviations, a merged heading.
LAYOUT_WORDS = re.compile(r"C\d+|Requirement;|value|rank|it|has|top|pro|scores")


@pytest.fixture
def at_width(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    def run(width: int, *args: str) -> str:
        monkeypatch.setenv("COLUMNS", str(width))
        result = run_cli(*args)
        assert result.code == 0, result.err
        return result.out

    return run


def _word(token: str) -> str:
    """A token without the punctuation around it (a sentence's full stop too)."""
    while True:
        stripped = token.strip("()[],;:*")
        if stripped.endswith(".") and len(stripped) > 1 and not stripped[-2].isalpha():
            stripped = stripped[:-1]
        if stripped == token:
            return token
        token = stripped


def _tokens(text: str) -> set[str]:
    return {_word(t) for t in text.translate(BOX).split()} - {""}


@cache
def _vocabulary() -> frozenset[str]:
    """The identifiers of the samples' framework: criteria, sub-criteria, gates, fields."""
    from evaluator.api import load_criteria

    criteria = load_criteria(None, max_bytes=1_000_000)
    words = {"italy", "turkiye", "south-korea", "direct-offer", "topsis", "promethee", "wsm"}
    for c in criteria.criteria:
        words.add(c.id)
        for leaf in c.leaves:
            words |= {leaf.id, leaf.field}
        if c.credibility:
            words.add(c.credibility.field)
    for g in criteria.gates:
        words |= {g.id, g.field}
    return frozenset(w for w in words if len(w) >= 4)


def _legal_piece(token: str, whole: str) -> bool:
    """Whether `token` is a piece of `whole` cut only where a break is allowed."""
    start = whole.find(token)
    while start >= 0:
        end = start + len(token)
        if (start == 0 or whole[start - 1] in BREAKS) and (
            end == len(whole) or whole[end - 1] in BREAKS
        ):
            return True
        start = whole.find(token, start + 1)
    return False


def cut_words(text: str, reference: str) -> list[str]:
    """Tokens of `text` that are an identifier or a number cut mid-word: not in the
    wide `reference` rendering, and not a piece of an identifier or number broken where
    it may break."""
    wide = _tokens(reference)
    whole = wide | _vocabulary()
    cut = []
    # How many ranks a narrow acceptability table lists, and how many proposals reach none.
    text = re.sub(r"\d+ more proposals? never ranks? in the top \d+", "", text)
    for token in _tokens(text) - wide:
        if LAYOUT_WORDS.fullmatch(token):
            continue
        if re.fullmatch(r"[<>]?\d{1,3}%", token):  # a whole share, as acceptability lumps
            continue
        if re.match(r"-?\d", token):
            # a number, or numbers joined by a dash (a range written on one line)
            if any(_legal_piece(token, w) for w in wide):
                continue
            parts = [p for p in re.split(r"–", token) if p]
            if all(p in wide for p in parts):
                continue
            cut.append(token)
        elif any(word != token and token in word for word in _vocabulary()) and not any(
            _legal_piece(token, word) for word in whole
        ):
            cut.append(token)
    return sorted(cut)


def check_fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert cell_len(line) <= width, f"wider than {width}: {line!r}"
    assert not re.search(r"\S…|…\S", text), f"a cropped cell:\n{text}"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_table_fits_without_cutting_a_word(at_width: Callable[..., str], name: str) -> None:
    reference = at_width(max(WIDTHS), *COMMANDS[name])
    for width in WIDTHS:
        text = at_width(width, *COMMANDS[name])
        check_fits(text, width)
        assert cut_words(text, reference) == [], f"at {width} columns:\n{text}"


def _line_with(text: str, *words: str) -> bool:
    patterns = [
        re.compile(rf"(?<![\w.-]){re.escape(w)}" + ("" if w.endswith("_") else r"(?![\w-]|\.\d)"))
        for w in words
    ]
    return any(all(p.search(line) for p in patterns) for line in text.splitlines())


@pytest.mark.parametrize(
    "args",
    [COMMANDS[n] for n in COMMANDS if n.startswith("compare")],
    ids=[n for n in COMMANDS if n.startswith("compare")],
)
def test_each_proposal_is_on_a_line_with_its_total_and_scores(
    at_width: Callable[..., str], args: list[str]
) -> None:
    data = json.loads(at_width(100, *args, "--format", "json"))
    for width in WIDTHS:
        text = at_width(width, *args)
        for result in data["results"]:
            ident = result["id"]
            assert _line_with(text, ident, f"{result['total']:.2f}"), (width, ident, text)
            for criterion in result["criteria"].values():
                assert _line_with(text, ident, f"{criterion['score']:.1f}"), (width, ident, text)


@pytest.mark.parametrize("name", [n for n in COMMANDS if n.startswith("score")])
def test_a_score_card_shows_every_score_whole(at_width: Callable[..., str], name: str) -> None:
    data = json.loads(at_width(100, *COMMANDS[name], "--format", "json"))
    (result,) = data["results"]
    for width in WIDTHS:
        text = at_width(width, *COMMANDS[name])
        assert _line_with(text, f"{result['total']:.2f}"), (width, text)
        flat = " ".join(text.translate(BOX).split())
        assert f"total {result['total']:.2f} " in flat, (width, text)
        for criterion in result["criteria"].values():
            assert _line_with(text, f"{criterion['score']:.2f}"), (width, text)
            for ident, leaf in criterion["subcriteria"].items():
                # the sub-criterion's id (or its first piece, when it wraps) by its score
                score = "raw" if leaf["rule"] == "raw" else f"{leaf['score']:.2f}"
                starts = [ident[: i + 1] for i, ch in enumerate(ident) if ch == "_"] + [ident]
                assert any(_line_with(text, start, score) for start in starts), (width, ident, text)


@pytest.mark.parametrize("name", [n for n in COMMANDS if n.startswith("score")])
def test_a_narrow_card_still_says_which_rows_are_promises(
    at_width: Callable[..., str], name: str
) -> None:
    """A narrow card puts a row's credibility before its evidence rather than in a column
    of its own (which left the ids and the evidence two letters wide), but keeps it."""
    data = json.loads(at_width(100, *COMMANDS[name], "--format", "json"))
    (result,) = data["results"]
    partly = [
        c
        for c in result["criteria"].values()
        if len({leaf.get("discounted") for leaf in c["subcriteria"].values()}) > 1
    ]
    assert partly, "the samples have a criterion whose credibility discounts only promises"
    said = Counter(
        f"× {leaf['factor']:g} ({'promise' if leaf['discounted'] else 'not discounted'})"
        for c in partly
        for leaf in c["subcriteria"].values()
    )
    for width in WIDTHS:
        flat = " ".join(at_width(width, *COMMANDS[name]).translate(BOX).split())
        for words, count in said.items():
            assert flat.count(words) == count, (width, words, flat)


@pytest.mark.parametrize("name", [n for n in COMMANDS if n.startswith("sensitivity")])
def test_sensitivity_names_every_proposal_whole(at_width: Callable[..., str], name: str) -> None:
    for width in WIDTHS:
        text = at_width(width, *COMMANDS[name])
        # The offers the analysis holds: those that passed every stage (turkiye and
        # direct-offer failed one, and are not in it).
        for ident in ("italy", "south-korea"):
            assert _line_with(text, ident), (width, ident, text)
        assert "south-ko\n" not in text and not re.search(r"south-k?o?\s*$", text, re.M)


def test_an_id_too_long_for_the_terminal_wraps_after_underscores(
    at_width: Callable[..., str], tmp_path: Path
) -> None:
    ident = "an_extremely_long_proposal_identifier_from_a_partner"
    # italy's offer: it passes every stage of the default criteria, so it is ranked
    text = (ROOT / "proposals" / "italy.yaml").read_text(encoding="utf-8")
    (tmp_path / f"{ident}.yaml").write_text(
        re.sub(r"(?m)^  id: .*$", f"  id: {ident}", text), encoding="utf-8"
    )
    for width in WIDTHS:
        out = at_width(width, "compare", str(tmp_path), "--method", "all")
        check_fits(out, width)
        # the id whole, or its pieces one under another, each ending after an underscore
        pieces = [
            t for t in out.translate(BOX).split() if t in ident and ("_" in t or t == "partner")
        ]
        assert all(_legal_piece(piece, ident) for piece in pieces), (width, out)
        assert ident in pieces or "".join(pieces).startswith(ident), (width, out)
        # the scores share one table, laid out for the id as it wraps
        assert re.search(r"C1 +C2 +C3 +C4|pricing +transfer", out), (width, out)
