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
from tests.helpers import matches_expected

RunCli = Callable[..., Run]


def test_compare_table_on_the_samples(run_cli: RunCli) -> None:
    result = run_cli("compare")
    assert result.code == 0, result.err
    assert result.err == ""
    assert matches_expected("compare.txt", result.out)


def test_score_card(run_cli: RunCli) -> None:
    result = run_cli("score", "proposals/turkiye.yaml")
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
        "pricing": 0.3,
        "technology_transfer": 0.3,
        "g2g_guarantees": 0.2,
        "long_term_collaboration": 0.2,
    }
    assert [(r["id"], r["rank"], r["eligible"]) for r in data["results"]] == [
        ("south-korea", 1, True),
        ("italy", 2, True),
        ("turkiye", 3, True),
        ("direct-offer", None, False),
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


def test_csv_columns(run_cli: RunCli) -> None:
    result = run_cli("compare", "-f", "csv")
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == [
        "rank",
        "id",
        "country",
        "eligible",
        "total",
        "pricing",
        "technology_transfer",
        "g2g_guarantees",
        "long_term_collaboration",
        "file",
        "status",
        "what_if",
    ]
    assert [r[-3:] for r in rows[1:]] == [
        [f"proposals/{name}.yaml", status, ""]
        for name, status in (
            ("south-korea", "ranked"),
            ("italy", "ranked"),
            ("turkiye", "ranked"),
            ("direct-offer", "ineligible"),
        )
    ]
    assert [r[:4] for r in rows[1:]] == [
        ["1", "south-korea", "South Korea", "true"],
        ["2", "italy", "Italy", "true"],
        ["3", "turkiye", "Türkiye", "true"],
        ["", "direct-offer", "Norway", "false"],
    ]


def test_weights_option_changes_the_ranking(run_cli: RunCli) -> None:
    today = json.loads(run_cli("compare", "-f", "json").out)
    assert today["results"][0]["id"] == "south-korea"
    result = run_cli("compare", "-f", "json", "--weights", "pricing=10")
    data = json.loads(result.out)
    # 10% of the total; the others share 90% in the file's proportions (30:20:20).
    assert data["weights"] == pytest.approx(
        {
            "pricing": 0.1,
            "technology_transfer": 0.9 * 30 / 70,
            "g2g_guarantees": 0.9 * 20 / 70,
            "long_term_collaboration": 0.9 * 20 / 70,
        },
        abs=1e-6,
    )
    # The Korean offer leads on price (67.6 to Italy's 48.7); with less weight on price,
    # Italy's technology transfer (52.2 to 39.6) puts it first.
    assert data["results"][0]["id"] == "italy"


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
            "--weights: no criterion `prising` (did you mean `pricing`?); criteria: pricing, "
            "technology_transfer, g2g_guarantees, long_term_collaboration\n",
        ),
        (
            ("compare", "--format", "yaml"),
            "--format: 'yaml' is not one of: table, json, csv, markdown, html\n",
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
    for name in ("italy", "turkiye"):
        (tmp_path / f"{name}.yaml").write_bytes((ROOT / "proposals" / f"{name}.yaml").read_bytes())
    (tmp_path / "bad.yaml").write_text("proposal:\n  country: X\n  lcoal: 1\n")
    result = run_cli("compare", str(tmp_path), "-f", "csv")
    assert result.code == 1
    bad = Path(os.path.relpath(tmp_path / "bad.yaml", ROOT))
    shown = str(bad) if not str(bad).startswith("..") else str(tmp_path / "bad.yaml")
    assert result.err == f"{shown}:3:3: unknown field `lcoal`\n"
    rows = list(csv.reader(io.StringIO(result.out)))[1:]
    assert [(row[1], row[-2]) for row in rows] == [
        ("italy", "ranked"),
        ("turkiye", "ranked"),
        ("", "not evaluated"),
    ]
    assert rows[-1][-3] == shown


def test_validate_lists_each_file(run_cli: RunCli) -> None:
    result = run_cli("validate", "proposals", "criteria/default.yaml")
    assert result.code == 0
    assert result.out == (
        "ok proposals/direct-offer.yaml\nok proposals/italy.yaml\n"
        "ok proposals/south-korea.yaml\nok proposals/turkiye.yaml\n"
        "ok criteria/default.yaml\n"
    )


def test_validate_reports_currency_without_rate(run_cli: RunCli, tmp_path: Path) -> None:
    offer = tmp_path / "x.yaml"
    offer.write_text("proposal:\n  country: X\npricing:\n  currency: CHF\n  unit_price: 5\n")
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
    offer = tmp_path / "x.yaml"
    offer.write_text('proposal:\n  country: "=HYPERLINK(\\"http://x\\",\\"y\\")"\n')
    result = run_cli("compare", str(offer), "-f", "csv")
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
    # at a line break inside quotes) splits the cell: no piece may start a formula.
    (tmp_path / "x.yaml").write_text(f"proposal:\n  country: {json.dumps(country)}\n")
    result = run_cli("compare", str(tmp_path), "-f", "csv")
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[1][2] == shown  # the text itself, a ' before each formula
    assert result.out.splitlines()[1].startswith(',x,"')  # a guarded cell is quoted
    for separator in (",", ";", "\t", "\n", "\r"):
        for piece in result.out.replace("\r\n", "\n").split(separator):
            text = piece.lstrip(' \t"\n')
            assert not text.startswith(("=", "+", "-", "@")), (separator, result.out)


def test_markdown_from_proposals_cannot_inject_html_links_or_columns(
    run_cli: RunCli, tmp_path: Path
) -> None:
    offer = tmp_path / "x.yaml"
    offer.write_text(
        'proposal:\n  country: "A|B <img src=x> ![i](http://x/y.png)"\n  title: "*bold* `code`"\n'
    )
    table = run_cli("compare", str(offer), "-f", "markdown").out
    row = next(line for line in table.splitlines() if line.startswith("| — |"))
    assert "A\\|B \\<img src=x> !\\[i\\](http:/\\/x/y.png)" in row
    card = run_cli("score", str(offer), "-f", "markdown").out
    assert "## x: \\*bold\\* \\`code\\`" in card


def test_validate_checks_panel_files_too(run_cli: RunCli, tmp_path: Path) -> None:
    panel = tmp_path / "panel"
    panel.mkdir()
    (panel / "a.yaml").write_bytes((ROOT / "panel" / "a.yaml").read_bytes())
    (panel / "b.yaml").write_text("member: B\nratings:\n  italy: {sincerity: splendid}\n")
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
        (("--weights", "pricing=30"), None),  # the file's own weight: nothing changes
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


WHAT_IF = (
    "What-if (--weights pricing=40), not the criteria file's evaluation: weights "
    "pricing 40% (file 30%), technology_transfer 25.7% (file 30%), g2g_guarantees "
    "17.1% (file 20%), long_term_collaboration 17.1% (file 20%)."
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
    run_cli: RunCli, command: tuple[str, ...]
) -> None:
    result = run_cli(*command, "--weights", "pricing=40")
    assert result.code == 0, result.err
    # At the top: the first lines, or under the heading (Markdown escapes the _).
    lines = [line for line in result.out.replace("\\", "").splitlines() if line.strip()]
    top = " ".join(" ".join(lines[:5]).split())
    assert WHAT_IF in top, result.out
    assert not lines[0].startswith(("|", " Rank", "╭")), result.out
    plain = run_cli(*command)
    assert "What-if" not in plain.out


def test_what_if_in_csv_and_sensitivity_json(run_cli: RunCli) -> None:
    rows = list(
        csv.reader(
            io.StringIO(run_cli("compare", "-f", "csv", "-w", "pricing=40", "-m", "topsis").out)
        )
    )
    assert {row[-1] for row in rows[1:]} == {"weights pricing=40; method topsis"}
    data = json.loads(
        run_cli("sensitivity", "-f", "json", "--samples", "100", "-w", "pricing=40").out
    )
    assert data["what_if"] == {"weights": {"pricing": 40}, "method": None}
    data = json.loads(run_cli("criteria", "-f", "json", "-w", "pricing=40").out)
    assert data["what_if"] == {"weights": {"pricing": 40}, "method": None}
    assert data["criteria"][0]["weight"] == 0.4


# --- a proposal that could not be evaluated is said next to the ranking (#15.6) -------------


def test_a_file_left_out_is_named_next_to_the_ranking_in_every_format(
    run_cli: RunCli, tmp_path: Path
) -> None:
    for path in PROPOSALS_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path)
    bad = tmp_path / "broken.yaml"
    bad.write_text("proposal: [\n", encoding="utf-8")
    sentence = (
        f"Caveat: Not in this ranking: {bad} could not be evaluated (the errors say "
        "why); topsis scores are relative to the proposals compared, so they would "
        "differ with it."
    )
    table = run_cli("compare", str(tmp_path), "-m", "topsis")
    assert table.code == 1 and table.err.startswith(f"{bad}:")
    assert sentence in " ".join(table.out.split())
    markdown = run_cli("compare", str(tmp_path), "-m", "topsis", "-f", "markdown").out
    assert "- **Caveat:** Not in this ranking: " in markdown
    data = json.loads(run_cli("compare", str(tmp_path), "-m", "topsis", "-f", "json").out)
    assert data["files"] == {"given": 5, "evaluated": 4}
    assert {"code": "not_evaluated", "files": [str(bad)]} in data["caveats"]
    rows = list(csv.reader(io.StringIO(run_cli("compare", str(tmp_path), "-f", "csv").out)))
    assert rows[-1][-3:] == [str(bad), "not evaluated", ""]
    plain = run_cli("compare", "-m", "topsis")
    assert "Not in this ranking" not in plain.out
