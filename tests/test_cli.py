"""The command line as a user meets it: exit status and exact output, colour off, 100 wide.

Expected outputs live in tests/expected/; after a deliberate change to the output,
regenerate them with `UPDATE_EXPECTED=1 pytest tests/test_cli.py` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from evaluator import __version__
from tests.conftest import PROPOSALS as PROPOSALS_DIR
from tests.conftest import ROOT, Run
from tests.helpers import matches_expected, unstaged_criteria

RunCli = Callable[..., Run]


def compliance_answers() -> str:
    """Italy's `compliance:` section (its answer to each requirement of the default
    criteria): a small test proposal needs one to be evaluated against them."""
    lines = (PROPOSALS_DIR / "italy.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("compliance:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    return "\n".join(lines[start:end]) + "\n"


def test_compare_table_on_the_samples(run_cli: RunCli) -> None:
    result = run_cli("compare")
    assert result.code == 0, result.err
    assert result.err == ""
    assert matches_expected("compare.txt", result.out)


def test_score_card(run_cli: RunCli) -> None:
    # Türkiye's offer is in two envelopes (a folder): `score` reads both.
    result = run_cli("score", "proposals/turkiye")
    assert result.code == 0, result.err
    assert matches_expected("score-turkiye.txt", result.out)


def test_compare_markdown(run_cli: RunCli) -> None:
    result = run_cli("compare", "proposals", "--format", "markdown")
    assert result.code == 0
    assert matches_expected("compare.md", result.out)


def test_score_markdown(run_cli: RunCli) -> None:
    result = run_cli("score", "proposals/italy.yaml", "-f", "markdown")
    assert result.code == 0
    assert matches_expected("score-italy.md", result.out)


def test_criteria_command(run_cli: RunCli) -> None:
    result = run_cli("criteria")
    assert result.code == 0
    assert matches_expected("criteria.txt", result.out)


def test_compare_json_is_the_contract_and_byte_identical(run_cli: RunCli) -> None:
    first = run_cli("compare", "--format", "json")
    second = run_cli("compare", "proposals/", "--format", "json")
    assert first.code == 0 and first.out == second.out
    data = json.loads(first.out)
    assert data["schema_version"] == 1
    assert data["tool"] == {"name": "evaluator", "version": __version__}
    assert data["criteria"]["id"] == "malaysia-g2g-2026"
    assert data["criteria"]["file"] == "criteria/default.yaml"
    assert len(data["criteria"]["sha256"]) == 64
    assert data["method"] == "wsm"
    assert data["weights"] == {
        "technical": 0.2,
        "pricing": 0.24,
        "technology_transfer": 0.24,
        "g2g_guarantees": 0.16,
        "long_term_collaboration": 0.16,
    }
    # The default criteria are a tender in stages: turkiye fails the technical stage (its
    # financial envelope stays sealed), direct-offer the financial one; the weighted
    # ranking holds the offers that passed every stage.
    assert [s["id"] for s in data["stages"]] == ["technical", "icp", "financial"]
    assert [[f["id"] for f in s["failed"]] for s in data["stages"]] == [
        ["turkiye"],
        [],
        ["direct-offer"],
    ]
    assert data["sealed"] == ["turkiye"]
    assert [(r["id"], r["rank"], r["eligible"]) for r in data["results"]] == [
        ("south-korea", 1, True),
        ("italy", 2, True),
    ]
    assert data["errors"] == []
    for result in data["results"]:
        total = sum(c["contribution"] for c in result["criteria"].values())
        assert result["total"] == pytest.approx(total, abs=1e-5)
        for criterion in result["criteria"].values():
            assert sum(s["weight"] for s in criterion["subcriteria"].values()) == pytest.approx(1.0)
            assert criterion["contribution"] == pytest.approx(
                criterion["weight"] * criterion["score"], abs=1e-5
            )
    lc = data["results"][0]["criteria"]["pricing"]["subcriteria"]["lifecycle_cost"]
    assert set(lc) >= {"field", "value", "score", "weight", "rule", "explanation"}
    assert lc["field"] == "pricing.lifecycle_cost" and lc["rule"] == "linear"


def test_score_json_has_one_result(run_cli: RunCli) -> None:
    result = run_cli("score", "proposals/italy.yaml", "--format", "json")
    data = json.loads(result.out)
    assert [r["id"] for r in data["results"]] == ["italy"]
    assert data["results"][0]["rank"] == 1


def test_csv_columns(run_cli: RunCli, tmp_path: Path) -> None:
    # The default criteria are a tender in stages: still the contract's CSV
    # (../shared/spec/formats.md: a row per proposal, `rank,id,country,eligible,total`, a
    # column per criterion score), the stages' verdicts and scores after it.
    staged = list(csv.reader(io.StringIO(run_cli("compare", "-f", "csv").out)))
    criteria = ["technical", "pricing", "technology_transfer", "g2g_guarantees"]
    criteria.append("long_term_collaboration")
    stages = ["stage_technical", "stage_technical_score", "stage_icp", "stage_icp_score"]
    stages += ["stage_financial", "stage_financial_score"]
    assert staged[0] == [
        *["rank", "id", "country", "eligible", "total", *criteria],
        *["file", "status", "what_if", "caveats", *stages, "reasons"],
    ]
    assert [r[:5] for r in staged[1:]] == [
        ["1", "south-korea", "South Korea", "true", "56.201762"],
        ["2", "italy", "Italy", "true", "53.924576"],
        # Out at a stage: no score, no total; turkiye's price was never read.
        ["", "turkiye", "Türkiye", "false", ""],
        ["", "direct-offer", "Norway", "false", ""],
    ]
    assert [r[11:20] for r in staged[1:]] == [
        ["ranked", "", "panel_missing", "passed", "49.83", "passed", "", "passed", "67.64"],
        ["ranked", "", "panel_missing", "passed", "50.83", "passed", "", "passed", "48.72"],
        # not considered at every stage after the one it failed
        [
            "failed technical",
            "",
            "panel_missing",
            "failed",
            "22.50",
            "not considered",
            "",
            "not considered",
            "",
        ],
        [
            "failed financial",
            "",
            "panel_missing",
            "passed",
            "42.50",
            "passed",
            "",
            "failed",
            "49.01",
        ],
    ]
    assert staged[3][-1].startswith("technical: Every mandatory requirement of the user met")
    assert staged[4][-1].startswith("financial: Advance payment covered by a guarantee")
    assert staged[1][-1] == staged[2][-1] == ""
    # Criteria without stages: one weighted evaluation, a row per proposal.
    criteria = str(unstaged_criteria(tmp_path))
    result = run_cli("compare", "-f", "csv", "-c", criteria)
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == [
        "rank",
        "id",
        "country",
        "eligible",
        "total",
        "technical",
        "pricing",
        "technology_transfer",
        "g2g_guarantees",
        "long_term_collaboration",
        "file",
        "status",
        "what_if",
        "caveats",
    ]
    # Türkiye's offer is read from its technical envelope (the file the row names); it
    # answers mandatory CSS-R01 non-compliant, so fails the technical_compliance gate.
    assert [r[-4:] for r in rows[1:]] == [
        [f"proposals/{name}", status, "", "panel_missing"]
        for name, status in (
            ("south-korea.yaml", "ranked"),
            ("italy.yaml", "ranked"),
            ("direct-offer.yaml", "ineligible"),
            ("turkiye/technical.yaml", "ineligible"),
        )
    ]
    assert [r[:4] for r in rows[1:]] == [
        ["1", "south-korea", "South Korea", "true"],
        ["2", "italy", "Italy", "true"],
        ["", "direct-offer", "Norway", "false"],
        ["", "turkiye", "Türkiye", "false"],
    ]


def test_weights_option_changes_the_ranking(run_cli: RunCli) -> None:
    today = json.loads(run_cli("compare", "-f", "json").out)
    assert today["results"][0]["id"] == "south-korea"
    result = run_cli("compare", "-f", "json", "--weights", "pricing=10")
    data = json.loads(result.out)
    # 10% of the total; the others share 90% in the file's proportions (20:24:16:16).
    assert data["weights"] == pytest.approx(
        {
            "technical": 0.9 * 20 / 76,
            "pricing": 0.1,
            "technology_transfer": 0.9 * 24 / 76,
            "g2g_guarantees": 0.9 * 16 / 76,
            "long_term_collaboration": 0.9 * 16 / 76,
        },
        abs=1e-6,
    )
    # The two offers that pass every stage. The Korean offer leads on price (67.64 to
    # Italy's 48.72); with less weight on price, Italy's technology transfer (52.16 to
    # 39.56) puts it first. By hand, criterion scores (technical, pricing, technology
    # transfer, G2G guarantees, collaboration) from the samples (docs/samples.md):
    korea = 0.1 * 67.64 + 0.9 * (20 * 49.83 + 24 * 39.56 + 16 * 88.67 + 16 * 39.50) / 76
    italy = 0.1 * 48.72 + 0.9 * (20 * 50.83 + 24 * 52.16 + 16 * 77.00 + 16 * 45.16) / 76
    assert (round(korea, 2), round(italy, 2)) == (54.09, 54.88)
    totals = {r["id"]: r["total"] for r in data["results"]}
    assert totals == pytest.approx({"south-korea": korea, "italy": italy}, abs=0.01)
    assert [r["id"] for r in data["results"]] == ["italy", "south-korea"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("compare", "--weights", "pricing"),
            "--weights: expected NAME=PERCENT (a criterion id and a percentage from 0 to 100), got "
            "'pricing'\n",
        ),
        (
            ("compare", "--weights", "prising=3"),
            "--weights: no criterion `prising` (did you mean `pricing`?); criteria: technical, "
            "pricing, technology_transfer, g2g_guarantees, long_term_collaboration\n",
        ),
        (
            ("compare", "--format", "yaml"),
            "--format: 'yaml' is not one of: table, json, csv, markdown, html, xlsx\n",
        ),
    ],
)
def test_usage_errors_exit_2(run_cli: RunCli, args: tuple[str, ...], message: str) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert result.err == message
    assert result.out == ""


def test_unknown_option_is_a_usage_error(run_cli: RunCli) -> None:
    assert run_cli("compare", "--frobnicate").code == 2


def test_batch_with_a_bad_file_still_scores_the_good(run_cli: RunCli, tmp_path: Path) -> None:
    # One weighted evaluation (criteria without stages): turkiye is ranked ineligible (it
    # fails the technical_compliance gate) rather than stopped at a stage.
    criteria = str(unstaged_criteria(tmp_path / "criteria"))
    offers = tmp_path / "offers"
    offers.mkdir()
    (offers / "italy.yaml").write_bytes((ROOT / "proposals" / "italy.yaml").read_bytes())
    shutil.copytree(ROOT / "proposals" / "turkiye", offers / "turkiye")  # two envelopes
    tmp_path = offers
    (tmp_path / "bad.yaml").write_text("proposal:\n  country: X\n  lcoal: 1\n")
    result = run_cli("compare", str(tmp_path), "-f", "csv", "-c", criteria)
    assert result.code == 1
    bad = Path(os.path.relpath(tmp_path / "bad.yaml", ROOT))
    shown = str(bad) if not str(bad).startswith("..") else str(tmp_path / "bad.yaml")
    assert result.err == f"{shown}:3:3: unknown field `lcoal`\n"
    rows = list(csv.reader(io.StringIO(result.out)))[1:]
    assert [(row[1], row[-3]) for row in rows] == [
        ("italy", "ranked"),
        ("turkiye", "ineligible"),
        ("", "not evaluated"),
    ]
    assert rows[-1][-4] == shown


def test_validate_lists_each_file(run_cli: RunCli) -> None:
    result = run_cli("validate", "proposals", "criteria/default.yaml")
    assert result.code == 0
    # An offer in two envelopes (a folder) is listed first, both its files checked.
    assert result.out == (
        "ok proposals/turkiye/technical.yaml\nok proposals/turkiye/financial.yaml\n"
        "ok proposals/direct-offer.yaml\nok proposals/italy.yaml\n"
        "ok proposals/south-korea.yaml\nok criteria/default.yaml\n"
    )


def test_validate_reports_currency_without_rate(run_cli: RunCli, tmp_path: Path) -> None:
    offer = tmp_path / "x.yaml"
    offer.write_text(
        "proposal:\n  country: X\npricing:\n  currency: CHF\n  unit_price: 5\n"
        + compliance_answers()
    )
    result = run_cli("validate", str(offer))
    assert result.code == 1
    assert result.err.endswith(
        ":4:13: no exchange rate for CHF in criteria/default.yaml (it has EUR, MYR, USD)\n"
    )


def test_version(run_cli: RunCli) -> None:
    assert run_cli("--version").out == f"evaluator {__version__}\n"


def test_score_a_missing_file(run_cli: RunCli) -> None:
    result = run_cli("score", "proposals/nowhere.yaml")
    assert result.code == 1
    assert result.err == "proposals/nowhere.yaml: no such file\n"


def test_output_file_is_written_and_never_overwritten(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    assert run_cli("compare", "-f", "json", "-o", str(target)).code == 0
    first = target.read_text()
    assert json.loads(first)["results"][0]["id"] == "south-korea"
    again = run_cli("compare", "-f", "json", "-o", str(target))
    assert again.code == 1 and "already exists; add --force" in again.err
    assert run_cli("compare", "-f", "json", "-o", str(target), "--force").code == 0
    clobber = run_cli("compare", "-o", "proposals/italy.yaml", "--force")
    assert clobber.code == 1 and "is an input file of this run" in clobber.err


def test_default_criteria_found_from_another_folder(run_cli: RunCli, tmp_path: Path) -> None:
    # Outside a checkout, the copy beside the package is used.
    result = run_cli("score", str(ROOT / "proposals" / "italy.yaml"), "-f", "json", cwd=tmp_path)
    assert result.code == 0, result.err
    assert json.loads(result.out)["criteria"]["id"] == "malaysia-g2g-2026"


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "evaluator", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout == f"evaluator {__version__}\n"


def test_output_to_a_device_writes_into_it_and_leaves_it_a_device(run_cli: RunCli) -> None:
    # os.replace onto /dev/null would swap the device node for a regular file.
    result = run_cli("compare", "-f", "json", "-o", "/dev/null")
    assert result.code == 0, result.err
    assert not Path("/dev/null").is_file()


def test_csv_cells_from_proposals_are_never_formulas(run_cli: RunCli, tmp_path: Path) -> None:
    # A plain comparison's CSV (criteria without stages) has the proposal's country.
    criteria = str(unstaged_criteria(tmp_path / "criteria"))
    offer = tmp_path / "x.yaml"
    offer.write_text(
        'proposal:\n  country: "=HYPERLINK(\\"http://x\\",\\"y\\")"\n' + compliance_answers()
    )
    result = run_cli("compare", str(offer), "-f", "csv", "-c", criteria)
    row = result.out.splitlines()[1]
    assert ',"\'=HYPERLINK(""http://x"",""y"")",' in row


@pytest.mark.parametrize(
    ("country", "shown"),
    [
        (";=1+1", ";'=1+1"),
        ("x;=cmd|' /C calc'!A0", "x;'=cmd|' /C calc'!A0"),
        ("a,=1+1", "a,'=1+1"),
        ("a; +1", "a; '+1"),
        ("a\t@SUM(A1)", "a\t'@SUM(A1)"),
        ("a\n=1+1", "a\n'=1+1"),
        ("a\n\n -1+1", "a\n\n '-1+1"),
        ("a;\t=1", "a;\t'=1"),
        ("=1;=2", "'=1;'=2"),
        ("\t=1", "'\t'=1"),
    ],
)
def test_csv_cells_split_at_any_separator_are_never_formulas(
    run_cli: RunCli, tmp_path: Path, country: str, shown: str
) -> None:
    # A spreadsheet whose locale lists with `;` (or that reads tabs, or breaks the record
    # at a line break inside quotes) splits the cell: no piece may start a formula. A plain
    # comparison's CSV (criteria without stages) has the proposal's country.
    criteria = str(unstaged_criteria(tmp_path / "criteria"))
    offers = tmp_path / "offers"
    offers.mkdir()
    (offers / "x.yaml").write_text(
        f"proposal:\n  country: {json.dumps(country)}\n" + compliance_answers()
    )
    result = run_cli("compare", str(offers), "-f", "csv", "-c", criteria)
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[1][2] == shown  # the text itself, a ' before each formula
    assert result.out.splitlines()[1].startswith(',x,"')  # a guarded cell is quoted
    for separator in (",", ";", "\t", "\n", "\r"):
        for piece in result.out.replace("\r\n", "\n").split(separator):
            text = piece.lstrip(' \t"\n')
            assert not text.startswith(("=", "+", "-", "@")), (separator, result.out)


def test_staged_csv_reasons_from_proposals_are_never_formulas(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # The staged CSV's reasons quote the offer's own reference for a requirement it does
    # not meet: text from outside, as a country is.
    offer = (PROPOSALS_DIR / "italy.yaml").read_text(encoding="utf-8")
    answer = '  CSS-R01: {answer: compliant, reference: {volume: 2, section: "3.1", page: 14}}'
    assert answer in offer
    hostile = (
        "  CSS-R01: {answer: non_compliant, reference: "
        '{volume: "x,=1+1", section: "a;@SUM(A1)", page: "=2"}}'
    )
    (tmp_path / "italy.yaml").write_text(offer.replace(answer, hostile), encoding="utf-8")
    result = run_cli("compare", str(tmp_path), "-f", "csv")
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    [italy] = [r for r in rows if r[1] == "italy"]
    assert italy[11:16] == ["failed technical", "", "panel_missing", "failed", "50.83"]
    assert "vol. x,'=1+1, § a;'@SUM(A1), p. =2" in italy[-1]  # '=2' is not a cell's start
    for separator in (",", ";", "\t", "\n", "\r"):
        for piece in result.out.replace("\r\n", "\n").split(separator):
            text = piece.lstrip(' \t"\n')
            assert not text.startswith(("=", "+", "-", "@")), (separator, result.out)


def test_markdown_from_proposals_cannot_inject_html_links_or_columns(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # A plain comparison (criteria without stages) ranks the proposal with its country.
    criteria = str(unstaged_criteria(tmp_path / "criteria"))
    offer = tmp_path / "x.yaml"
    offer.write_text(
        'proposal:\n  country: "A|B <img src=x> ![i](http://x/y.png)"\n  title: "*bold* `code`"\n'
        + compliance_answers()
    )
    table = run_cli("compare", str(offer), "-f", "markdown", "-c", criteria).out
    row = next(line for line in table.splitlines() if line.startswith("| — |"))
    assert "A\\|B \\<img src=x> !\\[i\\](http:/\\/x/y.png)" in row
    card = run_cli("score", str(offer), "-f", "markdown").out
    assert "## x: \\*bold\\* \\`code\\`" in card


def test_validate_checks_panel_files_too(run_cli: RunCli, tmp_path: Path) -> None:
    panel = tmp_path / "panel"
    panel.mkdir()
    (panel / "a.yaml").write_bytes((ROOT / "panel" / "a.yaml").read_bytes())
    (panel / "b.yaml").write_text(
        "member: B\nratings:\n  italy: {sincerity: splendid}\n"
        "declaration: {date: 2026-03-02, text: No conflict of interest.}\n"
    )
    result = run_cli("validate", "proposals", "--panel", str(panel))
    assert result.code == 1
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].endswith(
        "b.yaml:3:22: unknown level 'splendid' for sincerity; "
        "`long_term_collaboration.sincerity` scores: outstanding, good, acceptable, marginal, "
        "unacceptable"
    )
    assert result.out.splitlines()[-1].endswith("a.yaml")
    assert "b.yaml" not in result.out


# --- what-if runs are marked as such (#15.2) -------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ((), None),
        (("--weights", "pricing=24"), None),  # the file's own weight: nothing changes
        (("--method", "wsm"), None),  # the file's own method
        (("--method", "all"), None),  # totals and ranks stay the file's method's
        (("--weights", "pricing=40"), {"weights": {"pricing": 40}, "method": None}),
        (("--method", "topsis"), {"weights": None, "method": "topsis"}),
        (
            ("-w", "pricing=40,g2g_guarantees=10", "-m", "promethee"),
            {"weights": {"pricing": 40, "g2g_guarantees": 10}, "method": "promethee"},
        ),
    ],
)
def test_what_if_in_the_json_contract(
    run_cli: RunCli, options: tuple[str, ...], expected: dict[str, object] | None
) -> None:
    result = run_cli("compare", "-f", "json", *options)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert list(data)[4:6] == ["weights", "what_if"]
    assert data["what_if"] == expected
    card = json.loads(run_cli("score", "proposals/italy.yaml", "-f", "json", *options).out)
    assert card["what_if"] == expected


# The others share 60% in the file's proportions (20:24:16:16): technical 60 × 20/76 =
# 15.8%, technology_transfer 60 × 24/76 = 18.9%, the last two 60 × 16/76 = 12.6%.
WHAT_IF = (
    "What-if (--weights pricing=40), not the criteria file's evaluation: weights "
    "technical 15.8% (file 20%), pricing 40% (file 24%), technology_transfer 18.9% (file "
    "24%), g2g_guarantees 12.6% (file 16%), long_term_collaboration 12.6% (file 16%)."
)


@pytest.mark.parametrize(
    "command",
    [
        ("compare",),
        ("compare", "-f", "markdown"),
        ("score", "proposals/italy.yaml"),
        ("score", "proposals/italy.yaml", "-f", "markdown"),
        ("criteria",),
        ("criteria", "-f", "markdown"),
        ("sensitivity", "--samples", "100"),
        ("sensitivity", "--samples", "100", "-f", "markdown"),
    ],
)
def test_every_output_of_a_what_if_run_says_so_first(
    run_cli: RunCli, command: tuple[str, ...], tmp_path: Path
) -> None:
    # `compare` on criteria without stages: the comparison is the whole output. (On the
    # default criteria, in stages, the test below.)
    unstaged = ("-c", str(unstaged_criteria(tmp_path))) if command[0] == "compare" else ()
    result = run_cli(*command, *unstaged, "--weights", "pricing=40")
    assert result.code == 0, result.err
    # At the top: the first lines, or under the heading (Markdown escapes the _).
    lines = [line for line in result.out.replace("\\", "").splitlines() if line.strip()]
    top = " ".join(" ".join(lines[:5]).split())
    assert WHAT_IF in top, result.out
    assert not lines[0].startswith(("|", " Rank", "╭")), result.out
    plain = run_cli(*command, *unstaged)
    assert "What-if" not in plain.out


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_staged_what_if_says_so_first_and_before_the_ranking(run_cli: RunCli, fmt: str) -> None:
    # Every output of a what-if run says so first: before the stages, and again above the
    # ranking it changes, before any row of it.
    result = run_cli("compare", "-f", fmt, "--weights", "pricing=40")
    assert result.code == 0, result.err
    text = result.out.replace("\\", "")
    flat = " ".join(text.split())
    assert flat.lstrip("*").startswith(WHAT_IF), result.out
    stages_end = flat.index("Weighted evaluation among the offers that passed every stage")
    again = flat.index(WHAT_IF, stages_end)
    assert stages_end < again < flat.index("south-korea", again)
    assert again < flat.index("Rank")
    assert "What-if" not in run_cli("compare", "-f", fmt).out


def test_what_if_in_csv_and_sensitivity_json(run_cli: RunCli, tmp_path: Path) -> None:
    # The CSV of a plain comparison (criteria without stages) has a what_if column.
    criteria = str(unstaged_criteria(tmp_path))
    rows = list(
        csv.reader(
            io.StringIO(
                run_cli(
                    "compare", "-f", "csv", "-w", "pricing=40", "-m", "topsis", "-c", criteria
                ).out
            )
        )
    )
    assert {row[-2] for row in rows[1:]} == {"weights pricing=40; method topsis"}
    data = json.loads(
        run_cli("sensitivity", "-f", "json", "--samples", "100", "-w", "pricing=40").out
    )
    assert data["what_if"] == {"weights": {"pricing": 40}, "method": None}
    data = json.loads(run_cli("criteria", "-f", "json", "-w", "pricing=40").out)
    assert data["what_if"] == {"weights": {"pricing": 40}, "method": None}
    assert {c["id"]: c["weight"] for c in data["criteria"]}["pricing"] == 0.4


# --- a proposal that could not be evaluated is said next to the ranking (#15.6) -------------


def test_a_file_left_out_is_named_next_to_the_ranking_in_every_format(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # One weighted evaluation of every offer (criteria without stages), the four samples
    # (Türkiye's in its two envelopes) and a broken file.
    criteria = str(unstaged_criteria(tmp_path / "criteria"))
    tmp_path = tmp_path / "offers"
    tmp_path.mkdir()
    for path in PROPOSALS_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path)
    shutil.copytree(PROPOSALS_DIR / "turkiye", tmp_path / "turkiye")
    bad = tmp_path / "broken.yaml"
    bad.write_text("proposal: [\n", encoding="utf-8")
    sentence = (
        f"Caveat: Not in this ranking: {bad} could not be evaluated (the errors say "
        "why); topsis scores are relative to the proposals compared, so they would "
        "differ with it."
    )
    table = run_cli("compare", str(tmp_path), "-m", "topsis", "-c", criteria)
    assert table.code == 1 and table.err.startswith(f"{bad}:")
    assert sentence in " ".join(table.out.split())
    markdown = run_cli(
        "compare", str(tmp_path), "-m", "topsis", "-f", "markdown", "-c", criteria
    ).out
    assert "- **Caveat:** Not in this ranking: " in markdown
    data = json.loads(
        run_cli("compare", str(tmp_path), "-m", "topsis", "-f", "json", "-c", criteria).out
    )
    assert data["files"] == {"given": 5, "evaluated": 4}
    assert {"code": "not_evaluated", "files": [str(bad)]} in data["caveats"]
    rows = list(
        csv.reader(io.StringIO(run_cli("compare", str(tmp_path), "-f", "csv", "-c", criteria).out))
    )
    assert rows[-1][-4:] == [str(bad), "not evaluated", "", "not_evaluated; panel_missing"]
    plain = run_cli("compare", "-m", "topsis", "-c", criteria)
    assert "Not in this ranking" not in plain.out
