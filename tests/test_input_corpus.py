"""Hostile and broken input: every file in tests/corpus is rejected with its exact message.

tests/corpus/expected.txt lists, for each corpus file, the whole error lines it must
print on standard error. Each file must also be rejected quickly (a guard against
hangs, not a benchmark) and within bounded memory, and never with a traceback.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from evaluator.api import load_criteria, validate_paths
from evaluator.errors import InputError
from evaluator.io.files import DEFAULT_MAX_BYTES
from tests.conftest import ROOT, Run

RunCli = Callable[..., Run]
CORPUS = ROOT / "tests" / "corpus"
SECONDS = 1.0  # per file: far above what any of them takes; only a hang fails it
PEAK_BYTES = 16 * 1024 * 1024


def expected_lines() -> dict[str, list[str]]:
    """The expected error lines of each corpus file, keyed by its path from the corpus."""
    table: dict[str, list[str]] = {}
    for line in (CORPUS / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name = line.split(":", 1)[0]
            table.setdefault(name, []).append(f"tests/corpus/{line}")
    return table


EXPECTED = expected_lines()
PROPOSALS = sorted(p.relative_to(CORPUS).as_posix() for p in (CORPUS / "proposals").iterdir())
CRITERIA = sorted(p.relative_to(CORPUS).as_posix() for p in (CORPUS / "criteria").iterdir())


def test_the_corpus_and_its_expectations_match() -> None:
    assert len(PROPOSALS) + len(CRITERIA) >= 40
    assert sorted(EXPECTED) == sorted(PROPOSALS + CRITERIA)


def timed(run: RunCli, *args: str) -> tuple[Run, float]:
    start = time.perf_counter()
    result = run(*args)
    return result, time.perf_counter() - start


@pytest.mark.parametrize("name", PROPOSALS)
def test_bad_proposal_is_rejected_with_its_message(run_cli: RunCli, name: str) -> None:
    result, seconds = timed(run_cli, "validate", f"tests/corpus/{name}")
    assert result.code == 1
    assert result.err.splitlines() == EXPECTED[name]
    assert result.out == ""
    assert seconds < SECONDS


@pytest.mark.parametrize("name", CRITERIA)
def test_bad_criteria_file_is_rejected_before_any_scoring(run_cli: RunCli, name: str) -> None:
    result, seconds = timed(run_cli, "compare", "--criteria", f"tests/corpus/{name}", "proposals")
    assert result.code == 1
    assert result.err.splitlines() == EXPECTED[name]
    assert result.out == ""  # nothing was scored, so nothing is printed
    assert seconds < SECONDS


@pytest.mark.parametrize("name", PROPOSALS + CRITERIA)
def test_memory_stays_bounded(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    criteria = load_criteria()
    tracemalloc.start()
    try:
        if name.startswith("proposals/"):
            # Through scoring too: some problems (a currency with no rate) show only there.
            assert validate_paths([CORPUS / name], criteria)[1]
        else:
            with pytest.raises(InputError):  # CriteriaError, or a YAML-level InputError
                load_criteria(CORPUS / name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES


# --- files made here: sizes and bytes that are better generated than committed -------------


def test_oversized_file_is_refused_unread(run_cli: RunCli, tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    filler = "# " + "x" * 78 + "\n"
    # valid under the default criteria: every requirement of theirs answered
    answers = "".join(
        f"  CSS-R0{n}: {{answer: compliant, reference: {{volume: 1, page: {n}}}}}\n"
        for n in range(1, 7)
    )
    text = "proposal:\n  country: Italy\ncompliance:\n" + answers
    text += filler * ((DEFAULT_MAX_BYTES - len(text)) // len(filler))
    big.write_text(text + "#" * (DEFAULT_MAX_BYTES + 1 - len(text)))
    result = run_cli("validate", str(big))
    assert result.code == 1
    assert result.err == (
        f"{big}: file is 1,048,577 bytes, over the limit of 1,048,576 (--max-bytes changes it)\n"
    )
    # A larger limit lets the same (valid) proposal through.
    assert run_cli("validate", str(big), "--max-bytes", "2000000").code == 0


def test_max_bytes_applies_to_proposals_and_criteria(run_cli: RunCli, tmp_path: Path) -> None:
    criteria_size = (ROOT / "criteria" / "default.yaml").stat().st_size
    result = run_cli("score", "proposals/italy.yaml", "--max-bytes", "100")
    assert result.code == 1
    assert result.err == (
        f"criteria/default.yaml: file is {criteria_size:,} bytes, over the "
        "limit of 100 (--max-bytes changes it)\n"
    )
    small = tmp_path / "small.yaml"
    small.write_text(
        "id: small\ncurrency: EUR\ncriteria:\n  - id: price\n    weight: 1\n"
        "    field: pricing.unit_price\n    rule: {type: linear, best: 1, worst: 2}\n"
    )
    size = (ROOT / "proposals" / "italy.yaml").stat().st_size
    result = run_cli(
        "validate", "proposals/italy.yaml", "--criteria", str(small), "--max-bytes", "1000"
    )
    assert result.code == 1
    assert result.err == (
        f"proposals/italy.yaml: file is {size:,} bytes, over the limit of "
        "1,000 (--max-bytes changes it)\n"
    )


@pytest.mark.parametrize(
    ("data", "where", "byte"),
    [
        (bytes(range(256)), "2:118", "0x80"),  # every byte value, in order
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "1:2", "0x8b"),  # a gzip header
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xb7", "1:11", "0xb7"),  # a zip (or .xlsx)
        ("proposal:\n  country: \u00e9".encode()[:-1], "2:12", "0xc3"),  # cut mid-character
    ],
)
def test_binary_content_is_named_where_it_starts(
    run_cli: RunCli, tmp_path: Path, data: bytes, where: str, byte: str
) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(data)
    result = run_cli("validate", str(path))
    assert result.code == 1
    assert result.err == f"{path}:{where}: not valid UTF-8 (byte {byte}); save the file as UTF-8\n"


def test_a_folder_or_nothing_where_a_file_belongs(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("score", str(tmp_path))
    assert (result.code, result.err) == (1, f"{tmp_path}: is a folder, not a file\n")
    result = run_cli("compare", "--criteria", str(tmp_path / "none.yaml"))
    assert (result.code, result.err) == (1, f"{tmp_path / 'none.yaml'}: no such file\n")


def test_a_file_name_with_control_characters_is_shown_escaped(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = tmp_path / "evil\x1b[2J.yaml"
    path.write_text("proposal: [\n")
    result = run_cli("validate", str(tmp_path))
    assert result.code == 1
    assert "\x1b" not in result.err
    assert result.err.startswith(f"{tmp_path}/evil\\x1b[2J.yaml:2:1: not valid YAML")


def test_every_problem_of_a_file_is_listed_up_to_a_limit(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "typos.yaml"
    path.write_text(
        "proposal:\n  country: Italy\ng2g:\n" + "".join(f"  field_{i}: 1\n" for i in range(60))
    )
    result = run_cli("validate", str(path))
    lines = result.err.splitlines()
    assert result.code == 1
    assert len(lines) == 51
    assert lines[-1] == f"{path}: … and 10 more problems (fix those above first)"
    assert f"{path}:4:3: unknown field `field_0`" in lines
    assert f"{path}:53:3: unknown field `field_49`" in lines
    assert f"{path}:54:3: unknown field `field_50`" not in lines
