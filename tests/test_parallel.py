"""Parsing a large batch in worker processes gives exactly what reading it in order gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evaluator import api
from evaluator.api import load_criteria, load_proposals
from evaluator.render.data import comparison_data
from evaluator.scoring import evaluate
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 proposals: copies of the samples with new ids, a duplicate id and bad files."""
    folder = tmp_path_factory.mktemp("batch")
    samples = sorted(PROPOSALS.glob("*.yaml"))
    for i in range(300):
        text = samples[i % len(samples)].read_text(encoding="utf-8")
        old_id = samples[i % len(samples)].stem
        text = text.replace(f"  id: {old_id}\n", f"  id: p{i:04d}\n", 1)
        (folder / f"p{i:04d}.yaml").write_text(text, encoding="utf-8")
    shutil.copy(folder / "p0007.yaml", folder / "p0007-copy.yaml")  # the same id twice
    (folder / "p0100.yaml").write_text("proposal: [not, a, mapping]\n", encoding="utf-8")
    (folder / "p0200.yaml").write_bytes(b"\xff\xfe binary")
    return folder


def test_parallel_and_serial_batches_are_identical(big_folder: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "PARALLEL_MIN_FILES", 100)
    criteria = load_criteria(DEFAULT_CRITERIA)
    serial = load_proposals([big_folder], jobs=1)
    parallel = load_proposals([big_folder], jobs=2)
    assert [p.id for p in parallel.proposals] == [p.id for p in serial.proposals]
    assert parallel.errors == serial.errors
    assert len(serial.errors) == 3 and serial.files == parallel.files == 301
    assert comparison_data(evaluate(parallel.proposals, criteria, errors=parallel.errors)) == \
        comparison_data(evaluate(serial.proposals, criteria, errors=serial.errors))


def test_proposals_prepared_while_loading_score_as_the_proposals_do(big_folder: Path) -> None:
    criteria = load_criteria(DEFAULT_CRITERIA)
    batch = load_proposals([big_folder], jobs=1, criteria=criteria)
    assert [p.proposal for p in batch.prepared] == batch.proposals
    assert comparison_data(evaluate(batch.prepared, criteria, errors=batch.errors)) == \
        comparison_data(evaluate(batch.proposals, criteria, errors=batch.errors))


def test_compare_with_workers_is_identical_with_a_proportional_rule_and_a_panel(
        big_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "PARALLEL_MIN_FILES", 100)
    # Proportional scores depend on the whole pool, panel judgements on files read later.
    linear = "rule: {type: linear, best: 1_600_000_000, worst: 2_800_000_000}"
    text = DEFAULT_CRITERIA.read_text(encoding="utf-8")
    assert linear in text
    criteria_file = tmp_path / "criteria.yaml"
    criteria_file.write_text(text.replace(linear, "rule: {type: proportional, direction: min}"),
                             encoding="utf-8")
    criteria = load_criteria(criteria_file)
    panel = tmp_path / "panel"
    panel.mkdir()
    for member, first, second in (("A", "good", "outstanding"), ("B", "unacceptable", "good")):
        (panel / f"{member}.yaml").write_text(
            f"member: {member}\nratings:\n  p0001: {{sincerity: {first}}}\n"
            f"  p0002: {{sincerity: {second}}}\n", encoding="utf-8")
    serial = comparison_data(api.compare([big_folder], criteria, panel=panel, jobs=1))
    parallel = comparison_data(api.compare([big_folder], criteria, panel=panel, jobs=2))
    assert parallel == serial
    assert any("proportional rule" in note for note in serial["notes"])
    assert [d["id"] for d in serial["panel"]["disagreements"]] == ["p0001"]
    assert len(serial["results"]) == 298 and len(serial["errors"]) == 3


def test_parallel_path_is_taken_for_large_batches(big_folder: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = api._load_in_parallel

    def spy(files: list[Path], max_bytes: int, workers: int):  # type: ignore[no-untyped-def]
        calls.append(workers)
        return real(files, max_bytes, workers)

    monkeypatch.setattr(api, "_load_in_parallel", spy)
    monkeypatch.setattr(api, "PARALLEL_MIN_FILES", 100)
    load_proposals([big_folder], jobs=2)
    load_proposals([big_folder], jobs=1)
    assert calls == [2]
