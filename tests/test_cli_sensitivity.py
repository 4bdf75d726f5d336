"""`evaluator sensitivity` as a user meets it: exit status and exact output, colour off, 100 wide.

Expected outputs live in tests/expected/; after a deliberate change to the output,
regenerate them with `UPDATE_EXPECTED=1 pytest tests/test_cli_sensitivity.py` and review
the diff.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from evaluator.analysis.sensitivity import Sensitivity, analyse
from evaluator.api import compare_files, load_criteria
from evaluator.render import RenderOptions
from evaluator.render.sensitivity import render
from evaluator.scoring.engine import evaluate
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS, ROOT, Run
from tests.helpers import criteria_from, matches_expected, unstaged_criteria
from tests.test_sensitivity import TWO, many_offers

RunCli = Callable[..., Run]


def sample_analysis(samples: int = 10_000, criteria: Path = DEFAULT_CRITERIA) -> Sensitivity:
    """The library's analysis of the samples: on the default criteria (a tender in stages),
    of the offers that passed every stage, as `evaluator sensitivity` analyses them."""
    import evaluator

    return analyse(evaluator.compare([PROPOSALS], criteria=criteria).details, samples)


def verdict(result: Sensitivity) -> str:
    """The start of the headline, from the library's own tipping point."""
    tip = result.tipping_point
    assert tip is not None
    bound = "at most" if tip.to > tip.weight else "at least"
    return f"{result.winner} stays first while {tip.criterion}'s weight is {bound} "


def test_table_on_the_samples(run_cli: RunCli) -> None:
    result = run_cli("sensitivity")
    assert result.code == 0, result.err
    assert result.err == ""
    assert matches_expected("sensitivity.txt", result.out)
    # One screen: the whole answer in at most 40 lines of 100 columns.
    lines = result.out.splitlines()
    assert len(lines) <= 40
    assert max(len(line) for line in lines) <= 100
    # The title (wrapped at 100 columns: the criteria's title is long), then the verdict.
    title = "Robustness of the recommendation: " + load_criteria(DEFAULT_CRITERIA).title
    assert " ".join(line.rstrip() for line in lines[:2]) == title
    assert lines[2].startswith(verdict(sample_analysis()))
    # Only the offers that passed every stage are analysed: only the note names the others.
    assert [line for line in lines if "turkiye" in line or "direct-offer" in line] == [
        "evaluation among the offers that passed every stage; not among them: turkiye, "
        "direct-offer."
    ]


def test_an_ineligible_proposal_is_said_to_be_left_out(run_cli: RunCli, tmp_path: Path) -> None:
    # Criteria without stages: one weighted evaluation of every offer, the ineligible named.
    flat = unstaged_criteria(tmp_path)
    result = run_cli("sensitivity", "--criteria", str(flat))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[2].startswith(verdict(sample_analysis(criteria=flat)))
    assert "direct-offer is left out: ineligible (fails gate advance_payment_guaranteed)." in lines
    assert "turkiye is left out: ineligible (fails gate technical_compliance)." in lines


def test_markdown_on_the_samples(run_cli: RunCli) -> None:
    result = run_cli("sensitivity", "proposals", "--format", "markdown")
    assert result.code == 0, result.err
    assert matches_expected("sensitivity.md", result.out)


def test_json_contract(run_cli: RunCli) -> None:
    result = run_cli("sensitivity", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert list(data)[:6] == [
        "stability",
        "acceptability",
        "central_weights",
        "samples",
        "seed",
        "spread",
    ]
    assert (data["samples"], data["seed"], data["spread"]) == (10000, 0, 0.25)
    expected = sample_analysis()
    assert data["winner"] == expected.winner
    for name, s in expected.stability.items():
        assert s.winner is not None and s.ranking is not None
        assert data["stability"][name] == {
            "weight": round(s.weight, 6),
            "winner": [round(s.winner[0], 6), round(s.winner[1], 6)],
            "ranking": [round(s.ranking[0], 6), round(s.ranking[1], 6)],
            "winner_below": s.winner_below,
            "winner_above": s.winner_above,
        }
    tip = expected.tipping_point
    assert tip is not None
    assert data["tipping_point"] == {
        "criterion": tip.criterion,
        "weight": round(tip.weight, 6),
        "to": round(tip.to, 6),
        "change": round(tip.change, 6),
        "new_winner": tip.new_winner,
        "past": None if tip.past is None else round(tip.past, 6),
    }
    eligible = [e.id for e in expected.proposals]
    assert list(data["acceptability"]) == eligible
    for ident, row in data["acceptability"].items():
        assert row == [round(x, 6) for x in expected.acceptability.shares[ident]]
        assert len(row) == len(eligible) and abs(sum(row) - 1) < 1e-9
        central = data["central_weights"][ident]
        assert (central is None) == (row[0] == 0)
        assert central is None or list(central) == list(data["weights"])
    assert [x["id"] for x in data["excluded"]] == [e.id for e in expected.excluded] == []
    assert data["method"] == "wsm" and data["errors"] == []


def test_json_names_the_ineligible_and_why(run_cli: RunCli, tmp_path: Path) -> None:
    flat = unstaged_criteria(tmp_path)  # no stages: the ineligible are in the comparison
    data = json.loads(run_cli("sensitivity", "--criteria", str(flat), "--format", "json").out)
    expected = sample_analysis(criteria=flat)
    assert [x["id"] for x in data["excluded"]] == [e.id for e in expected.excluded]
    assert [x["id"] for x in data["excluded"]] == ["direct-offer", "turkiye"]
    assert all(x["reason"].startswith("fails gate ") for x in data["excluded"])
    assert list(data["acceptability"]) == [e.id for e in expected.proposals]


def test_same_seed_same_bytes(run_cli: RunCli) -> None:
    args = ("sensitivity", "--format", "json", "--samples", "2000", "--spread", "full")
    first, second = run_cli(*args, "--seed", "5"), run_cli(*args, "--seed", "5")
    other = run_cli(*args, "--seed", "6")
    assert first.code == second.code == other.code == 0
    assert first.out == second.out
    assert first.out != other.out
    assert json.loads(first.out)["spread"] == "full"


@pytest.mark.parametrize("panel", [(), ("--panel", "panel")])
def test_the_tipping_point_printed_typed_back_tips_the_ranking(
    run_cli: RunCli, panel: tuple[str, ...]
) -> None:
    # What an analyst does: read the tipping point off `sensitivity`, type it into compare.
    result = run_cli("sensitivity", *panel, "--samples", "500")
    assert result.code == 0, result.err
    text = " ".join(result.out.split())  # sentences wrap at the terminal's width
    found = re.search(
        r"(\S+) stays first while (\w+)'s weight is at (?:most|least) "
        r"([0-9.]+)% \(today [0-9.]+%\); at ([0-9.]+)% (\S+) leads "
        r"\(--weights (\w+)=([0-9.]+)\)",
        text,
    )
    assert found is not None, result.out
    winner, criterion, bound, past, new_winner, typed, value = found.groups()
    assert (typed, value) == (criterion, past)

    def first(weights: str) -> str:
        ranked = run_cli("compare", *panel, "--format", "json", "--weights", weights)
        assert ranked.code == 0, ranked.err
        return str(json.loads(ranked.out)["results"][0]["id"])

    assert first(f"{criterion}={value}") == new_winner != winner
    assert first(f"{criterion}={bound}") == winner


def test_bad_files_are_listed_and_the_rest_analysed(run_cli: RunCli, tmp_path: Path) -> None:
    for path in PROPOSALS.glob("*.yaml"):
        shutil.copy(path, tmp_path)
    (tmp_path / "broken.yaml").write_text("proposal:\n  country: [\n", encoding="utf-8")
    result = run_cli("sensitivity", str(tmp_path), "--format", "json", "--samples", "100")
    assert result.code == 1
    assert result.err.startswith(f"{tmp_path / 'broken.yaml'}:3:1: not valid YAML")
    data = json.loads(result.out)
    assert list(data["acceptability"]) == [e.id for e in sample_analysis(100).proposals]
    assert data["errors"][0]["file"] == str(tmp_path / "broken.yaml")


def test_usage_errors(run_cli: RunCli) -> None:
    result = run_cli("sensitivity", "--spread", "1.5")
    assert (result.code, result.out) == (2, "")
    assert result.err == "--spread: expected a number from 0 to 1 or `full`, got '1.5'\n"
    result = run_cli("sensitivity", "--method", "topsis")
    assert result.code == 2
    assert result.err == (
        "--method: sensitivity works on weighted-sum totals, so only wsm "
        "is accepted, not 'topsis'\n"
    )
    result = run_cli("sensitivity", "--format", "csv")
    assert result.code == 2
    assert result.err == "--format: 'csv' is not one of: table, json, markdown\n"
    result = run_cli("sensitivity", "--weights", "price=3")
    assert result.code == 2
    assert result.err.startswith("--weights: no criterion `price`")
    assert run_cli("sensitivity", "--samples", "0").code == 2


def test_output_file(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "robustness.json"
    result = run_cli("sensitivity", "-f", "json", "--samples", "300", "-o", str(target))
    assert result.code == 0, result.err
    assert result.out == ""
    assert result.err == f"wrote {target}\n"
    assert json.loads(target.read_text(encoding="utf-8"))["samples"] == 300
    again = run_cli("sensitivity", "-f", "json", "--samples", "300", "-o", str(target))
    assert again.code == 1 and "already exists; add --force" in again.err
    forced = run_cli("sensitivity", "-f", "json", "--samples", "300", "-o", str(target), "--force")
    assert forced.code == 0


def test_sensitivity_keeps_numpy_out_of_compare() -> None:
    import subprocess
    import sys

    code = (
        "import sys, evaluator.cli.app, evaluator.api, evaluator.analysis.sensitivity, "
        "evaluator.render.sensitivity; print('numpy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout == "False\n"


# --- the first ranks only: --ranks, and more than 100 eligible proposals ----------------------


def test_ranks_lists_the_first_ranks_and_the_share_of_the_rest(run_cli: RunCli) -> None:
    # Two offers pass every stage (south-korea, italy): --ranks 1 leaves the 2nd as the rest.
    every = json.loads(run_cli("sensitivity", "--format", "json").out)
    assert "acceptability_rest" not in every  # every rank is listed: as before
    assert list(every["acceptability"]) == ["south-korea", "italy"]
    result = run_cli("sensitivity", "--format", "json", "--ranks", "1")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert list(data)[:7] == [
        "stability",
        "acceptability",
        "central_weights",
        "samples",
        "seed",
        "spread",
        "acceptability_rest",
    ]
    rest = data["acceptability_rest"]
    assert list(rest) == ["ranks", "shares"] and rest["ranks"] == 1
    for ident, row in every["acceptability"].items():
        assert data["acceptability"][ident] == row[:1]
        assert rest["shares"][ident] == pytest.approx(row[1], abs=2e-6)
    assert data["central_weights"] == every["central_weights"]
    table = run_cli("sensitivity", "--ranks", "1").out
    assert "  Proposal      1st               2nd " in table
    markdown = run_cli("sensitivity", "--ranks", "1", "--format", "markdown").out
    assert "| Proposal | 1st | 2nd |" in markdown
    # Two proposals: --ranks 2 or more lists every rank, the same bytes as without.
    assert run_cli("sensitivity", "--ranks", "2").out == run_cli("sensitivity").out
    assert run_cli("sensitivity", "--ranks", "0").code == 2
    assert run_cli("sensitivity", "--ranks", "101").code == 2


@pytest.fixture(scope="module")
def crowd() -> Sensitivity:
    """150 eligible proposals: more than every rank is listed for."""
    return analyse(evaluate(many_offers(150), criteria_from(TWO)), samples=2_000, seed=3)


def test_more_than_100_proposals_list_ten_ranks_in_every_format(crowd: Sensitivity) -> None:
    a = crowd.acceptability
    assert a.rest is not None and a.ranks == 10
    data = json.loads(render(crowd, "json", RenderOptions(width=100)))
    assert data["acceptability_rest"]["ranks"] == 10
    assert all(len(row) == 10 for row in data["acceptability"].values())
    for ident, row in data["acceptability"].items():
        assert sum(row) + data["acceptability_rest"]["shares"][ident] == pytest.approx(1.0)
    reached = [i for i, row in a.shares.items() if sum(row) > 0]
    assert 10 <= len(reached) < 150
    markdown = render(crowd, "markdown", RenderOptions(width=100))
    part = markdown.split("### Rank acceptability")[1].split("###")[0]
    rows = [line for line in part.splitlines() if line.startswith("| ")]
    assert rows[0] == (
        "| Proposal | 1st | 2nd | 3rd | 4th | 5th | 6th | 7th | 8th | 9th | 10th | 11th–150th |"
    )
    assert [row.split(" | ")[0][2:] for row in rows[2:]] == reached
    assert (
        f"{150 - len(reached)} more proposals never rank in the top 10: see --format json" in part
    )
    table = render(crowd, "table", RenderOptions(width=250))
    assert "10th " in table and "11th–150th" in table and "12th" not in table


# --- long runs: asked for on a terminal, refused without --yes elsewhere; progress ------------


def test_a_long_analysis_is_refused_off_a_terminal_without_yes(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # 30 copies of each single-file sample (turkiye, a folder, is not among them): 60 pass
    # every stage (south-korea's and italy's; direct-offer's fail the financial stage).
    for path in PROPOSALS.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for copy in range(30):
            (tmp_path / f"{path.stem}-{copy}.yaml").write_text(
                text.replace(f"  id: {path.stem}\n", f"  id: {path.stem}-{copy}\n"),
                encoding="utf-8",
            )
    result = run_cli("sensitivity", str(tmp_path), "--samples", "10000000")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "--samples: 10,000,000 draws × 60 eligible proposals is 600,000,000 proposal-draws, "
        "more than the 500,000,000 run without asking: add --yes to run it anyway (it may "
        "take minutes), or draw fewer --samples\n"
    )
    result = run_cli("sensitivity", str(tmp_path), "--samples", "2000000", "--values")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "--samples: 2,000,000 draws × 60 eligible proposals with --values is 120,000,000 "
        "proposal-draws, more than the 100,000,000 run without asking: add --yes to run it "
        "anyway (it may take minutes), or draw fewer --samples\n"
    )


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Limits that the samples' 2 offers passing every stage exceed with 1,000 draws."""
    from evaluator.analysis import sensitivity

    monkeypatch.setattr(sensitivity, "WORK_LIMIT", 1_500)
    monkeypatch.setattr(sensitivity, "VALUES_WORK_LIMIT", 150)


def test_yes_runs_a_long_analysis(run_cli: RunCli, small_limits: None) -> None:
    assert run_cli("sensitivity", "--samples", "1000").code == 2
    result = run_cli("sensitivity", "--samples", "1000", "--yes")
    assert (result.code, result.err) == (0, "")
    assert "(1,000 draws, seed 0)" in result.out
    assert run_cli("sensitivity", "--samples", "600", "-y").code == 0
    assert run_cli("sensitivity", "--samples", "600").code == 0  # 1,200: within the limit
    assert run_cli("sensitivity", "--samples", "600", "--values").code == 2
    assert run_cli("sensitivity", "--samples", "60", "--values").code == 0


@pytest.mark.parametrize(("answer", "code"), [("y\n", 0), ("n\n", 2), ("\n", 2)])
def test_a_long_analysis_on_a_terminal_asks_first(
    run_cli: RunCli, small_limits: None, monkeypatch: pytest.MonkeyPatch, answer: str, code: int
) -> None:
    import io
    import sys

    from evaluator.cli import app as cli

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer))
    result = run_cli("sensitivity", "--samples", "1000")
    assert result.code == code
    question = (
        "1,000 draws × 2 eligible proposals is 2,000 proposal-draws, more than the "
        "1,500 run without asking (it may take minutes). Run it? [y/N]: "
    )
    assert result.err.startswith(question)
    assert ("(1,000 draws, seed 0)" in result.out) == (code == 0)
    if code:
        assert result.err.endswith(
            "add --yes to run it anyway (it may take minutes), or draw fewer --samples\n"
        )


def test_progress_off_a_terminal_is_a_plain_line_now_and_then(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evaluator.render import progress

    monkeypatch.setattr(progress, "LINES_DELAY", 0.0)
    result = run_cli("sensitivity", "--samples", "600000", "--format", "json")
    assert result.code == 0
    lines = result.err.splitlines()
    assert lines and lines[-1] == "sensitivity: 100% of 600,000 draws"
    assert all(re.fullmatch(r"sensitivity: \d+% of 600,000 draws", line) for line in lines)
    result = run_cli("sensitivity", "--samples", "300000", "--values", "--format", "json")
    assert result.err.splitlines()[-1] == (
        "sensitivity: 100% of 300,000 draws (drawn, then replayed for the confidence factors)"
    )
    assert run_cli("sensitivity", "--samples", "2000").err == ""  # at the usual delay


def test_the_analysis_reports_its_progress() -> None:
    comparison = compare_files([PROPOSALS], load_criteria(DEFAULT_CRITERIA))
    for values, total in ((False, 1_000), (True, 2_000)):
        calls: list[tuple[int, int]] = []
        analyse(
            comparison,
            1_000,
            values=values,
            progress=lambda done, of, calls=calls: calls.append((done, of)),
        )
        assert calls and calls[-1] == (total, total)
        assert all(t == total for _, t in calls)
        assert [d for d, _ in calls] == sorted({d for d, _ in calls})
