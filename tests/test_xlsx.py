"""`--format xlsx`: the workbook read back (openpyxl) and calculated (the `formulas`
package): its totals are the tool's, changing a weight cell gives the tool's own what-if,
text from an input is never a formula, and a workbook never goes onto a terminal. And
`--bom`: a CSV that Excel reads right."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import pty
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Run
from tests.helpers import evaluator_process, imported_after, unstaged_criteria

openpyxl = pytest.importorskip("openpyxl")
formulas = pytest.importorskip("formulas")

RunCli = Callable[..., Run]
SHEETS = ["Ranking", "Weights", "Scores", "Inputs", "Gates", "Stages", "Audit"]


def workbook(run_cli: RunCli, target: Path, *args: str) -> Any:
    result = run_cli(*args, "--format", "xlsx", "--output", str(target))
    assert result.code == 0, result.err
    assert result.out == ""
    return openpyxl.load_workbook(target)


def json_result(run_cli: RunCli, *args: str) -> dict[str, Any]:
    result = run_cli(*args, "--format", "json")
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def calculated(path: Path, inputs: dict[str, float] | None = None) -> dict[str, Any]:
    """Every cell of the workbook, its formulas calculated (with `inputs` typed in first):
    {'RANKING!E2': 56.2, ...}."""
    if inputs:  # typed in as a user does, and saved (openpyxl keeps the formulas)
        book = openpyxl.load_workbook(path)
        for cell, value in inputs.items():
            sheet, ref = cell.split("!")
            book[sheet][ref] = value
        path = path.with_name("typed-" + path.name)
        book.save(path)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    cells: dict[str, Any] = {}
    for key, value in solution.items():
        ref = key.split("]", 1)[1].replace("'", "")
        if ":" in ref:
            continue
        cells[ref] = value.value[0, 0] if hasattr(value, "value") else value  # an input
    return cells


def ranking(sheet: Any, cells: dict[str, Any]) -> dict[str, tuple[float, Any]]:
    """Each offer's calculated (total, rank) on the Ranking sheet."""
    found = {}
    for row in range(2, sheet.max_row + 1):
        ident = sheet.cell(row, 2).value
        found[ident] = (float(cells[f"RANKING!E{row}"]), cells[f"RANKING!A{row}"])
    return found


def tool_ranking(data: dict[str, Any]) -> dict[str, tuple[float, Any]]:
    return {r["id"]: (r["total"], r["rank"]) for r in data["results"]}


def test_the_sheets_and_their_headings_in_both_languages(run_cli: RunCli, tmp_path: Path) -> None:
    book = workbook(run_cli, tmp_path / "evaluation.xlsx", "compare")
    assert book.sheetnames == SHEETS
    head = [c.value for c in book["Ranking"][1]]
    assert head[:5] == [
        "Rank / Kedudukan",
        "Proposal / Tawaran",
        "Country / Negara",
        "Eligible / Layak",
        "Total / Jumlah markah",
    ]
    assert head[5].startswith("technical: ") and head[5].endswith(" / Markah")
    assert [c.value for c in book["Weights"][1]][:5] == [
        "Criterion / Kriteria",
        "Title / Tajuk",
        "Weight in the criteria file (%) / Wajaran dalam fail kriteria (%)",
        "What-if weight (%) / Wajaran bagaimana jika (%)",
        "Weight used / Wajaran digunakan",
    ]
    assert "Explanation / Penjelasan" in [c.value for c in book["Scores"][1]]
    assert "Why not / Sebab" in [c.value for c in book["Stages"][1]]
    # Totals and criterion scores are formulas, not numbers typed in.
    ranking_sheet = book["Ranking"]
    assert str(ranking_sheet["E2"].value).startswith("=")
    assert "Weights!$E$" in ranking_sheet["E2"].value
    assert str(ranking_sheet["F2"].value).startswith("=SUM(Scores!")
    assert str(ranking_sheet["A2"].value).startswith("=RANK(")


def test_every_sub_criterion_gate_stage_and_input_is_there(run_cli: RunCli, tmp_path: Path) -> None:
    book = workbook(run_cli, tmp_path / "evaluation.xlsx", "compare")
    data = json_result(run_cli, "compare")
    scores = list(book["Scores"].iter_rows(min_row=2, values_only=True))
    assert len(scores) == sum(
        len(c["subcriteria"]) for r in data["results"] for c in r["criteria"].values()
    )
    for result in data["results"]:
        for name, criterion in result["criteria"].items():
            for ident, leaf in criterion["subcriteria"].items():
                row = next(r for r in scores if r[:3] == (result["id"], name, ident))
                assert row[8] == pytest.approx(leaf["score"], abs=1e-6)
                assert row[12] == leaf["explanation"]  # the rule's explanation
    gates = list(book["Gates"].iter_rows(min_row=2, values_only=True))
    assert {(r[0], r[4]) for r in gates} >= {("italy", "Pass / Lulus")}
    stages = list(book["Stages"].iter_rows(min_row=2, values_only=True))
    turkiye = [r for r in stages if r[3] == "turkiye"]
    assert turkiye[0][4] == "Fail / Gagal" and "below the pass mark" in turkiye[0][6]
    assert {r[4] for r in turkiye[1:]} == {"Not considered / Tidak dipertimbangkan"}
    inputs = list(book["Inputs"].iter_rows(min_row=2, values_only=True))
    assert (
        "italy",
        "proposals/italy.yaml",
        "pricing.unit_price",
        165_000_000,
        "offer / tawaran",
    ) in [r[:5] for r in inputs]
    assert ("turkiye", "technical.yaml") in {(r[0], Path(r[1]).name) for r in inputs}


def test_the_audit_sheet_names_every_file_with_its_sha256(run_cli: RunCli, tmp_path: Path) -> None:
    book = workbook(run_cli, tmp_path / "evaluation.xlsx", "compare")
    rows = [r for r in book["Audit"].iter_rows(values_only=True)]
    facts = {r[0]: r[1] for r in rows if r[0]}
    assert facts["Tool / Alat"].startswith("evaluator ")
    assert facts["Command / Arahan"].startswith("evaluator compare --format xlsx --output ")
    assert facts["Criteria file / Fail kriteria"] == "criteria/default.yaml"
    criteria = (ROOT / "criteria/default.yaml").read_bytes()
    assert facts["SHA-256"] == hashlib.sha256(criteria).hexdigest()
    start = next(i for i, r in enumerate(rows) if r[0] == "Proposal / Tawaran")
    files = {r[1]: r[2] for r in rows[start + 1 :] if r[0]}
    for file, digest in files.items():
        assert hashlib.sha256((ROOT / file).read_bytes()).hexdigest() == digest
    # Every offer's technical file, those out at a stage too; a sealed envelope never.
    assert {"proposals/italy.yaml", "proposals/turkiye/technical.yaml"} <= set(files)
    assert "proposals/turkiye/financial.yaml" not in files


@pytest.mark.parametrize("run", ["staged", "panel", "unstaged"])
def test_the_formulas_give_the_tools_totals_and_ranks(
    run_cli: RunCli, tmp_path: Path, run: str
) -> None:
    staged = run != "unstaged"
    args = {
        "staged": ["compare"],
        "panel": ["compare", "--panel", "panel"],  # consensus ratings, credibility factors
        "unstaged": ["compare", "--criteria", str(unstaged_criteria(tmp_path))],
    }[run]
    target = tmp_path / "evaluation.xlsx"
    book = workbook(run_cli, target, *args)
    data = json_result(run_cli, *args)
    found = ranking(book["Ranking"], calculated(target))
    expected = tool_ranking(data)
    assert set(found) == set(expected) and len(found) >= 2
    for ident, (total, rank) in expected.items():
        assert found[ident][0] == pytest.approx(total, abs=1e-6)
        if rank is None:  # an ineligible offer: no rank, and no RANK formula
            assert found[ident][1] == "Not ranked / Tiada kedudukan"
        else:
            assert found[ident][1] == rank
    if not staged:
        assert any(rank is None for _, rank in expected.values())  # an ineligible row tested


@pytest.mark.parametrize(
    ("cells", "weights"),
    [
        ({"Weights!D4": 60}, "technology_transfer=60"),
        ({"Weights!D2": 35, "Weights!D3": 10}, "technical=35,pricing=10"),
    ],
)
def test_a_weight_typed_into_the_workbook_is_the_tools_what_if(
    run_cli: RunCli, tmp_path: Path, cells: dict[str, float], weights: str
) -> None:
    target = tmp_path / "evaluation.xlsx"
    book = workbook(run_cli, target, "compare")
    assert book["Weights"]["A4"].value == "technology_transfer"
    before = ranking(book["Ranking"], calculated(target))
    after = ranking(book["Ranking"], calculated(target, cells))
    what_if = tool_ranking(json_result(run_cli, "compare", "--weights", weights))
    for ident, (total, rank) in what_if.items():
        assert after[ident][0] == pytest.approx(total, abs=1e-6)
        assert after[ident][1] == rank
    assert {i: r for i, (_, r) in after.items()} != {i: r for i, (_, r) in before.items()}


def test_a_what_if_run_fills_the_what_if_column(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "evaluation.xlsx"
    book = workbook(run_cli, target, "compare", "--weights", "pricing=40")
    assert book["Weights"]["D3"].value == 40
    found = ranking(book["Ranking"], calculated(target))
    expected = tool_ranking(json_result(run_cli, "compare", "--weights", "pricing=40"))
    assert {i: pytest.approx(t, abs=1e-6) for i, (t, _) in expected.items()} == {
        i: t for i, (t, _) in found.items()
    }


HOSTILE = '=HYPERLINK("http://example.com/x","click")'


def test_text_from_an_input_is_never_a_formula(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "offers"
    folder.mkdir()
    text = (ROOT / "proposals/italy.yaml").read_text(encoding="utf-8")
    text = text.replace("  supplier: Fincantieri\n", f"  supplier: '{HOSTILE}'\n")
    text = text.replace("  id: italy\n", "  id: italy\n", 1)
    (folder / "italy.yaml").write_text(text, encoding="utf-8")
    criteria = unstaged_criteria(tmp_path / "criteria")
    target = tmp_path / "evaluation.xlsx"
    book = workbook(run_cli, target, "compare", str(folder), "--criteria", str(criteria))
    cells = [c for row in book["Inputs"].iter_rows(min_row=2) for c in row if c.value == HOSTILE]
    assert cells and all(c.data_type == "s" for c in cells)
    formula_cells = [
        c.value for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formula_cells and not any("HYPERLINK" in str(v) for v in formula_cells)


def test_score_gives_a_workbook_of_one_offer(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "italy.xlsx"
    book = workbook(run_cli, target, "score", "proposals/italy.yaml")
    assert book.sheetnames == [s for s in SHEETS if s != "Stages"]
    data = json_result(run_cli, "score", "proposals/italy.yaml")
    found = ranking(book["Ranking"], calculated(target))
    assert found["italy"][0] == pytest.approx(data["results"][0]["total"], abs=1e-6)


def test_a_workbook_goes_to_a_file_or_a_pipe_never_to_a_terminal(tmp_path: Path) -> None:
    piped = subprocess.run(
        [sys.executable, "-m", "evaluator", "compare", "--format", "xlsx"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.startswith(b"PK\x03\x04")  # a zip: the workbook's bytes
    (tmp_path / "piped.xlsx").write_bytes(piped.stdout)
    assert openpyxl.load_workbook(tmp_path / "piped.xlsx").sheetnames == SHEETS
    leader, follower = pty.openpty()
    try:
        on_terminal = subprocess.run(
            [sys.executable, "-m", "evaluator", "compare", "--format", "xlsx"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=follower,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert on_terminal.returncode == 2
    assert on_terminal.stderr.decode() == (
        "--format: xlsx is a binary workbook, not for a terminal: give --output FILE "
        "(or redirect standard output to a file)\n"
    )


def test_xlsx_refuses_a_method_without_a_weighted_sum(run_cli: RunCli, tmp_path: Path) -> None:
    criteria = unstaged_criteria(tmp_path)
    result = run_cli(
        "compare",
        "--criteria",
        str(criteria),
        "--method",
        "topsis",
        "-f",
        "xlsx",
        "-o",
        str(tmp_path / "x.xlsx"),
    )
    assert result.code == 2
    assert "xlsx gives the weighted sum as formulas" in result.err
    assert not (tmp_path / "x.xlsx").exists()


def test_xlsxwriter_is_imported_for_xlsx_only() -> None:
    assert imported_after(
        [["compare"], ["compare", "--format", "xlsx", "--output", os.devnull]],
        ["xlsxwriter", "evaluator.render.xlsx"],
    ) == [[False, False], [True, True]]


# --- CSV for Excel: --bom ----------------------------------------------------------------


def test_bom_begins_the_csv_with_a_utf8_byte_order_mark(tmp_path: Path) -> None:
    criteria = unstaged_criteria(tmp_path)
    plain = subprocess.run(
        [sys.executable, "-m", "evaluator", "compare", "--criteria", str(criteria), "-f", "csv"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
        check=True,
    ).stdout
    marked = subprocess.run(
        [
            sys.executable,
            "-m",
            "evaluator",
            "compare",
            "--criteria",
            str(criteria),
            "-f",
            "csv",
            "--bom",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
        check=True,
    ).stdout
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert marked == b"\xef\xbb\xbf" + plain
    # Excel takes the mark for UTF-8, so Türkiye's ü (two bytes) is one letter.
    assert "Türkiye".encode() in marked
    assert marked.decode("utf-8-sig").startswith("rank,id,country")


def test_bom_to_a_file_and_in_a_staged_run(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "result.csv"
    assert run_cli("compare", "-f", "csv", "--bom", "-o", str(target)).code == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfrank,id,country,eligible,total")
    assert data.count(b"\xef\xbb\xbf") == 1


def test_bom_goes_with_csv_only(run_cli: RunCli) -> None:
    result = run_cli("compare", "-f", "json", "--bom")
    assert result.code == 2
    assert result.err == "--bom: goes with --format csv (a byte-order mark for Excel)\n"
    assert evaluator_process("score", "proposals/italy.yaml", "--bom").returncode == 2


def test_show_makes_no_workbook(run_cli: RunCli) -> None:
    """`show` makes a stored run again through a pipe of text: not a workbook."""
    result = run_cli("show", "1", "--format", "xlsx")
    assert result.code == 2
    assert result.err == "--format: 'xlsx' is not one of: table, json, csv, markdown, html\n"


def test_caveats_and_files_not_evaluated_are_in_the_workbook(
    run_cli: RunCli, tmp_path: Path
) -> None:
    folder = tmp_path / "offers"
    folder.mkdir()
    (folder / "italy.yaml").write_bytes((ROOT / "proposals/italy.yaml").read_bytes())
    (folder / "broken.yaml").write_text("proposal: [\n", encoding="utf-8")
    criteria = unstaged_criteria(tmp_path / "criteria")
    target = tmp_path / "evaluation.xlsx"
    result = run_cli(
        "compare", str(folder), "--criteria", str(criteria), "-f", "xlsx", "-o", str(target)
    )
    assert result.code == 1  # the broken file is reported, and the workbook still written
    book = openpyxl.load_workbook(target)
    rows = list(book["Ranking"].iter_rows(min_row=2, values_only=True))
    assert rows[-1][:2] == ("Not evaluated / Tidak dinilai", str(folder / "broken.yaml"))
    audit = [r for r in book["Audit"].iter_rows(values_only=True) if r[0] == "Caveat / Peringatan"]
    assert any("No panel ratings" in r[1] for r in audit)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_calculates_the_same_what_if(run_cli: RunCli, tmp_path: Path) -> None:
    """A spreadsheet program, not only the `formulas` package: LibreOffice opens the
    workbook with a weight typed in (saved without the cached results, so it must
    calculate every formula) and gives the totals and ranks of the tool's `--weights`."""
    target = tmp_path / "evaluation.xlsx"
    book = workbook(run_cli, target, "compare")
    book["Weights"]["D4"] = 60  # technology_transfer
    typed = tmp_path / "typed.xlsx"
    book.save(typed)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv",  # the first sheet: Ranking
            "--outdir",
            str(tmp_path),
            str(typed),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    with open(tmp_path / "typed.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))[1:]
    found = {row[1]: (float(row[4]), int(row[0])) for row in rows}
    expected = tool_ranking(json_result(run_cli, "compare", "--weights", "technology_transfer=60"))
    assert set(found) == set(expected)
    for ident, (total, rank) in expected.items():
        assert found[ident][0] == pytest.approx(total, abs=1e-6)
        assert found[ident][1] == rank


def test_the_malay_headings_are_one_table() -> None:
    from evaluator.render.xlsx import HEADINGS, UNVERIFIED, heading

    assert heading("Total") == "Total / Jumlah markah"
    assert set(HEADINGS.values()) >= UNVERIFIED  # the unverified ones are among them


def test_source_date_epoch_makes_the_workbook_reproducible(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748736000")  # 2025-06-01 00:00:00 UTC
    target = tmp_path / "evaluation.xlsx"
    book = workbook(run_cli, target, "compare")
    first = target.read_bytes()
    facts = {r[0]: r[1] for r in book["Audit"].iter_rows(values_only=True) if r[0]}
    assert facts["Generated (UTC) / Dijana (UTC)"] == "2025-06-01 00:00:00"
    target.unlink()  # the same command again (the Audit sheet names it)
    workbook(run_cli, target, "compare")
    assert target.read_bytes() == first
