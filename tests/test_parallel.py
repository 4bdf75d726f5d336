"""Parsing a large batch in worker processes gives exactly what reading it in order gives."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evaluator import api
from evaluator.api import load_criteria, load_proposals
from evaluator.render import RenderOptions
from evaluator.render.data import comparison_data
from evaluator.render.json import render as render_json
from evaluator.scoring import parallel as workers
from evaluator.scoring.engine import evaluate
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS, Run
from tests.helpers import unstaged_criteria

RunCli = Callable[..., Run]


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 proposals: copies of the samples with new ids, a duplicate id and bad files.
    The samples in one file each (direct-offer, italy, south-korea): Türkiye's offer in two
    envelopes (proposals/turkiye/) is a folder, copied by test_a_staged_run_reads_..."""
    folder = tmp_path_factory.mktemp("batch")
    samples = sorted(PROPOSALS.glob("*.yaml"))
    assert [path.stem for path in samples] == ["direct-offer", "italy", "south-korea"]
    for i in range(300):
        text = samples[i % len(samples)].read_text(encoding="utf-8")
        old_id = samples[i % len(samples)].stem
        text = text.replace(f"  id: {old_id}\n", f"  id: p{i:04d}\n", 1)
        (folder / f"p{i:04d}.yaml").write_text(text, encoding="utf-8")
    shutil.copy(folder / "p0007.yaml", folder / "p0007-copy.yaml")  # the same id twice
    (folder / "p0100.yaml").write_text("proposal: [not, a, mapping]\n", encoding="utf-8")
    (folder / "p0200.yaml").write_bytes(b"\xff\xfe binary")
    return folder


def test_parallel_and_serial_batches_are_identical(
    big_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_MIN_FILES", 100)
    criteria = load_criteria(DEFAULT_CRITERIA)
    serial = load_proposals([big_folder], jobs=1)
    parallel = load_proposals([big_folder], jobs=2)
    assert [p.id for p in parallel.proposals] == [p.id for p in serial.proposals]
    assert parallel.errors == serial.errors
    assert len(serial.errors) == 3 and serial.files == parallel.files == 301
    assert comparison_data(
        evaluate(parallel.proposals, criteria, errors=parallel.errors)
    ) == comparison_data(evaluate(serial.proposals, criteria, errors=serial.errors))


def test_proposals_prepared_while_loading_score_as_the_proposals_do(big_folder: Path) -> None:
    criteria = load_criteria(DEFAULT_CRITERIA)
    batch = load_proposals([big_folder], jobs=1, criteria=criteria)
    assert [p.proposal for p in batch.prepared] == batch.proposals
    assert comparison_data(
        evaluate(batch.prepared, criteria, errors=batch.errors)
    ) == comparison_data(evaluate(batch.proposals, criteria, errors=batch.errors))


def test_compare_with_workers_is_identical_with_a_proportional_rule_and_a_panel(
    big_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_MIN_FILES", 100)
    # Proportional scores depend on the whole pool, panel judgements on files read later.
    # One weighted evaluation of every offer (the default criteria without their stages,
    # beside their requirements file): the path whose results the workers compute.
    linear = "rule: {type: linear, best: 2_000_000_000, worst: 3_500_000_000}"
    text = unstaged_criteria(tmp_path).read_text(encoding="utf-8")
    assert linear in text
    criteria_file = tmp_path / "criteria.yaml"
    criteria_file.write_text(
        text.replace(linear, "rule: {type: proportional, direction: min}"), encoding="utf-8"
    )
    criteria = load_criteria(criteria_file)
    panel = tmp_path / "panel"
    panel.mkdir()
    for member, first, second in (("A", "good", "outstanding"), ("B", "unacceptable", "good")):
        (panel / f"{member}.yaml").write_text(
            f"member: {member}\nratings:\n  p0001: {{sincerity: {first}}}\n"
            f"  p0002: {{sincerity: {second}}}\n",
            encoding="utf-8",
        )
    serial = comparison_data(api.compare_files([big_folder], criteria, panel=panel, jobs=1))
    parallel = comparison_data(api.compare_files([big_folder], criteria, panel=panel, jobs=2))
    assert parallel == serial
    assert any("proportional rule" in note for note in serial["notes"])
    assert [d["id"] for d in serial["panel"]["disagreements"]] == ["p0001"]
    assert len(serial["results"]) == 298 and len(serial["errors"]) == 3


def test_parallel_path_is_taken_for_large_batches(
    big_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[int, bool]] = []
    real = workers.read_in_parallel

    def spy(files: list[Path], max_bytes: int, workers: int, sealed: bool = False):  # type: ignore[no-untyped-def]
        calls.append((workers, sealed))
        return real(files, max_bytes, workers, sealed)

    monkeypatch.setattr(workers, "read_in_parallel", spy)
    monkeypatch.setattr(workers, "PARALLEL_MIN_FILES", 100)
    load_proposals([big_folder], jobs=2)
    load_proposals([big_folder], jobs=1)
    assert calls == [(2, False)]
    # A staged run (the default criteria) reads them with the workers too, sealed: an
    # offer in two envelopes without its financial one.
    api.compare_stages([big_folder], load_criteria(DEFAULT_CRITERIA), jobs=2)
    api.compare_stages([big_folder], load_criteria(DEFAULT_CRITERIA), jobs=1)
    assert calls == [(2, False), (2, True)]


# `compare --format json` with workers (api.compare_json: evaluator/scoring/parallel.py with
# render.json's encoder) carries each file to its result line in a worker: the output must
# be that of the ordinary path, byte for byte.

LINEAR = "rule: {type: linear, best: 2_000_000_000, worst: 3_500_000_000}"


@pytest.fixture(scope="module")
def hard_folder(big_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The big folder, plus a proposal that cannot be prepared (no exchange rate)."""
    folder = tmp_path_factory.mktemp("hard")
    for path in big_folder.iterdir():
        shutil.copy(path, folder / path.name)
    text = (folder / "p0001.yaml").read_text(encoding="utf-8")  # the Italian sample
    assert "  currency: EUR " in text  # followed by its comment
    (folder / "p0001.yaml").write_text(
        text.replace("  currency: EUR ", "  currency: JPY ", 1), encoding="utf-8"
    )
    return folder


def _criteria_file(tmp_path: Path, proportional: bool, strict: bool) -> Path:
    """The default criteria without their stages (beside their requirements file): `compare`
    with staged criteria reads through the workers but scores in this process; one weighted
    evaluation is the path whose results the workers score and encode."""
    text = unstaged_criteria(tmp_path).read_text(encoding="utf-8")
    if proportional:
        assert LINEAR in text
        text = text.replace(LINEAR, "rule: {type: proportional, direction: min}")
    if strict:  # a judgement nobody rated stops its proposal: problems found by scoring
        assert "\nmissing: zero " in text
        text = text.replace("\nmissing: zero ", "\nmissing: error ")
    path = tmp_path / "criteria.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _panel_folder(tmp_path: Path) -> Path:
    """Two members who rate every proposal but p0010-p0019 (p0100's file is unreadable);
    they disagree on p0002's sincerity. Both judgements of the default criteria are rated
    (technical merit: good), so that only p0010-p0019 miss them."""
    panel = tmp_path / "panel"
    panel.mkdir()
    for member, first, second in (("A", "good", "outstanding"), ("B", "unacceptable", "good")):
        ratings = {f"p{i:04d}": "good" for i in range(300) if not 10 <= i < 20}
        ratings.update(p0002=first, p0003=second)
        (panel / f"{member}.yaml").write_text(
            f"member: {member}\nratings:\n"
            + "".join(
                f"  {ident}: {{sincerity: {level}, technical_merit: good}}\n"
                for ident, level in ratings.items()
            ),
            encoding="utf-8",
        )
    return panel


@pytest.mark.parametrize(
    ("proportional", "strict", "panel"),
    [
        (False, False, False),  # scores depend on nothing else: one round
        (False, False, True),  # the panel is read after the proposals: two rounds
        (True, False, False),  # proportional: the pool's best value first
        (True, True, True),  # and proposals that scoring stops
    ],
    ids=["alone", "panel", "proportional", "proportional-strict-panel"],
)
def test_json_from_workers_is_byte_identical(
    hard_folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run_cli: RunCli,
    proportional: bool,
    strict: bool,
    panel: bool,
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_MIN_FILES", 100)
    pools: list[int] = []
    real = workers._Pool.__init__

    def spy(self: workers._Pool, size: int, *args: Any) -> None:
        pools.append(size)
        real(self, size, *args)

    monkeypatch.setattr(workers._Pool, "__init__", spy)
    args = [
        str(hard_folder),
        "--format",
        "json",
        "--criteria",
        str(_criteria_file(tmp_path, proportional, strict)),
    ]
    if panel:
        args += ["--panel", str(_panel_folder(tmp_path))]
    serial = run_cli("compare", *args, "--jobs", "1")
    parallel = run_cli("compare", *args, "--jobs", "2")
    assert pools == [2]
    assert (parallel.code, parallel.out, parallel.err) == (serial.code, serial.out, serial.err)
    data = json.loads(serial.out)
    assert serial.code == 1
    errors = [e["message"] for e in data["errors"]]
    assert any("already used by" in m for m in errors)  # the duplicate id
    assert any("no exchange rate for JPY" in m for m in errors)  # prepare's problem
    if strict:
        assert sum("`panel.sincerity` is missing" in m for m in errors) == 10
        assert sum("`panel.technical_merit` is missing" in m for m in errors) == 10
    if panel:
        assert [d["id"] for d in data["panel"]["disagreements"]] == ["p0002"]
        assert not any("panel" in e["file"] for e in data["errors"])  # p0100: unreadable
    ranks = [r["rank"] for r in data["results"]]
    assert None in ranks and len(set(ranks)) < len(ranks)  # ineligible ones, and ties


def test_json_with_workers_and_with_the_ordinary_path_agree_in_process(
    hard_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_MIN_FILES", 100)
    criteria = load_criteria(unstaged_criteria(tmp_path))  # the encoded path: no stages
    text, errors = api.compare_json([hard_folder], criteria=criteria, jobs=2)
    comparison = api.compare_files([hard_folder], criteria, jobs=1)
    assert text == render_json(comparison, RenderOptions()).encode("utf-8")
    assert errors == comparison.errors


def test_a_failing_worker_is_reported_not_waited_for(
    big_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_MIN_FILES", 100)

    def broken(self: Any, *args: Any) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(workers._Worker, "read", broken)
    with pytest.raises(RuntimeError, match=r"(?s)a worker process failed.*ZeroDivisionError"):
        api.compare_json([big_folder], criteria=load_criteria(DEFAULT_CRITERIA), jobs=2)


def test_small_batches_and_one_job_take_no_workers() -> None:
    assert workers.worker_count(jobs=1, files=10_000) == 1
    assert workers.worker_count(jobs=2, files=workers.PARALLEL_MIN_FILES - 1) == 1
    assert workers.worker_count(jobs=2, files=workers.PARALLEL_MIN_FILES) == 2
    assert (
        workers.worker_count(jobs=8, files=workers.PARALLEL_MIN_FILES)
        == workers.PARALLEL_MIN_FILES // workers.CHUNK + 1
    )  # no more workers than chunks


# A tender in stages (the default criteria), `compare --format json` with workers
# (api.compare_stages_json: each offer read, prepared once, run through the stages, scored
# and encoded in a worker; evaluator/scoring/parallel.py): byte for byte the ordinary path.

TECHNICAL = (PROPOSALS / "turkiye" / "technical.yaml").read_text(encoding="utf-8")
FINANCIAL = (PROPOSALS / "turkiye" / "financial.yaml").read_text(encoding="utf-8")


def _passing(technical: str) -> str:
    """Türkiye's technical envelope, made to pass the technical stage."""
    for old, new in (
        ("  range_nm: 3500 ", "  range_nm: 4600 "),
        ("CSS-R01: {answer: non_compliant", "CSS-R01: {answer: compliant"),
        ("CSS-R06: {answer: non_compliant", "CSS-R06: {answer: compliant"),
    ):
        assert old in technical
        technical = technical.replace(old, new)
    return technical


@pytest.fixture(scope="module")
def tender_folder(hard_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hard folder (a duplicate id, two unreadable files, an offer no exchange rate
    prices), and offers in two envelopes: three alike that pass every stage (a tie), one
    that fails the technical stage, one without its financial envelope, one whose financial
    envelope is in another currency, and one with a price that is not a number."""
    folder = tmp_path_factory.mktemp("tender")
    for path in hard_folder.iterdir():
        shutil.copy(path, folder / path.name)
    passing = _passing(TECHNICAL)
    assert "currency: USD " in FINANCIAL and "unit_price: 180_000_000" in FINANCIAL
    offers: dict[str, tuple[str, str | None]] = {
        **{f"env-pass-{n}": (passing, FINANCIAL) for n in range(3)},
        "env-fails": (TECHNICAL, FINANCIAL),
        "env-no-financial": (passing, None),
        "env-euro": (passing, FINANCIAL.replace("currency: USD ", "currency: EUR ")),
        "env-lots": (passing, FINANCIAL.replace("180_000_000", '"lots"')),
    }
    for name, (technical, financial) in offers.items():
        (folder / name).mkdir()
        (folder / name / "technical.yaml").write_text(
            technical.replace("  id: turkiye", f"  id: {name}"), encoding="utf-8"
        )
        if financial is not None:
            (folder / name / "financial.yaml").write_text(
                financial.replace("  id: turkiye", f"  id: {name}"), encoding="utf-8"
            )
    return folder


def test_staged_json_from_workers_is_byte_identical(
    tender_folder: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_MIN_FILES", 100)
    pools: list[int] = []
    real = workers._Pool.__init__

    def spy(self: workers._Pool, size: int, *args: Any) -> None:
        pools.append(size)
        real(self, size, *args)

    monkeypatch.setattr(workers._Pool, "__init__", spy)
    serial = run_cli("compare", str(tender_folder), "--format", "json", "--jobs", "1")
    parallel = run_cli("compare", str(tender_folder), "--format", "json", "--jobs", "2")
    assert pools == [2]  # the stages run in the workers, not in this process
    assert (parallel.code, parallel.out, parallel.err) == (serial.code, serial.out, serial.err)
    data = json.loads(serial.out)
    assert serial.code == 1
    failed = {
        f["id"]: (s["id"], [r["kind"] for r in f["reasons"]])
        for s in data["stages"]
        for f in s["failed"]
    }
    assert failed["env-fails"][0] == "technical" and "requirement" in failed["env-fails"][1]
    for name in ("env-no-financial", "env-euro", "env-lots"):
        assert failed[name] == ("financial", ["error"])
    assert failed["p0001"] == ("technical", ["error"])  # no exchange rate for JPY
    assert "env-fails" in data["sealed"] and "env-pass-0" not in data["sealed"]
    ranks = {r["id"]: r["rank"] for r in data["results"]}
    assert ranks["env-pass-0"] == ranks["env-pass-1"] == ranks["env-pass-2"]  # a tie
    assert sum(r["id"] == "p0007" for r in data["results"]) == 1  # its duplicate left out
    errors = [e["message"] for e in data["errors"]]
    assert any("already used by" in m for m in errors)  # the duplicate id
    assert any("no exchange rate for JPY" in m for m in errors)


def test_staged_json_with_workers_and_with_the_ordinary_path_agree_in_process(
    tender_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evaluator.render.stages import render_json as render_staged

    monkeypatch.setattr(workers, "PARALLEL_MIN_FILES", 100)
    criteria = load_criteria(DEFAULT_CRITERIA)
    text, errors = api.compare_stages_json([tender_folder], criteria, jobs=2)
    staged = api.compare_stages([tender_folder], criteria, jobs=1)
    assert text == render_staged(staged).encode("utf-8")
    assert errors == staged.errors
