"""Progress on long batches: the core reports each file; the bar shows only when it helps."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from evaluator.api import load_criteria, load_proposals, validate_paths
from evaluator.cli import app as cli
from evaluator.render.progress import ProgressBar, ProgressLines
from tests.conftest import PROPOSALS
from tests.helpers import imported_after


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_load_proposals_reports_every_file_bad_ones_too(tmp_path: Path) -> None:
    # The four samples: three files and turkiye's folder of two envelopes (one offer).
    shutil.copytree(PROPOSALS, tmp_path, dirs_exist_ok=True)
    (tmp_path / "bad.yaml").write_text("proposal: [\n", encoding="utf-8")
    calls: list[tuple[int, int]] = []
    batch = load_proposals([tmp_path], on_file=lambda done, total: calls.append((done, total)))
    assert calls == [(n, 5) for n in range(1, 6)]
    assert (len(batch.proposals), batch.files, len(batch.errors)) == (4, 5, 1)


def test_validate_paths_reports_every_file() -> None:
    calls: list[tuple[int, int]] = []
    validate_paths([PROPOSALS], load_criteria(), on_file=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_no_bar_before_the_delay_and_none_for_work_that_ends() -> None:
    clock, stream = Clock(), io.StringIO()
    bar = ProgressBar("reading proposals", stream, clock=clock, force_terminal=True)
    bar(1, 10)
    clock.now += 0.4
    bar(2, 10)
    clock.now += 0.2
    bar(10, 10)  # past the delay, but done: nothing left to show
    bar.close()
    assert stream.getvalue() == ""


def test_a_bar_after_the_delay_erased_at_the_end() -> None:
    clock, stream = Clock(), io.StringIO()
    with ProgressBar("reading proposals", stream, clock=clock, force_terminal=True) as bar:
        bar(1, 3000)
        clock.now += 0.6
        bar(2, 3000)
        drawn = stream.getvalue()
        assert "reading proposals" in drawn and "2/3000" in drawn
        clock.now += 0.6
        bar(3000, 3000)
        assert "3000/3000" in stream.getvalue()
    erased = stream.getvalue().rsplit("3000/3000", 1)[1]
    assert "\x1b[?25h" in erased and erased.endswith("\x1b[1A\x1b[2K")  # cursor back, line gone


def test_no_progress_callback_when_stderr_is_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    with cli._progress("reading proposals") as on_file:
        assert on_file is None


def test_the_batch_path_never_imports_rich_progress_in_a_pipe() -> None:
    assert imported_after([["compare", "-f", "csv"]], ["rich.progress"]) == [[False]]


# --- the sampling of `sensitivity`: plain lines when standard error is not a terminal -------


def test_progress_lines_only_for_long_work_every_tenth() -> None:
    clock, stream = Clock(), io.StringIO()
    lines = ProgressLines("sensitivity", "1,000,000 draws", stream, clock=clock)
    lines(100_000, 1_000_000)
    clock.now += 4
    lines(200_000, 1_000_000)
    assert stream.getvalue() == ""  # a run that ends within the delay prints nothing
    clock.now += 2
    lines(300_000, 1_000_000)
    lines(350_000, 1_000_000)  # less than a tenth more, and a moment later: nothing
    lines(420_000, 1_000_000)
    clock.now += 31
    lines(450_000, 1_000_000)  # half a minute without a line: one, however little moved
    lines(1_000_000, 1_000_000)
    assert stream.getvalue() == (
        "sensitivity: 30% of 1,000,000 draws\n"
        "sensitivity: 42% of 1,000,000 draws\n"
        "sensitivity: 45% of 1,000,000 draws\n"
        "sensitivity: 100% of 1,000,000 draws\n"
    )


def test_no_progress_lines_for_work_that_ends_within_the_delay() -> None:
    clock, stream = Clock(), io.StringIO()
    lines = ProgressLines("sensitivity", "10 draws", stream, clock=clock)
    lines(5, 10)
    clock.now += 10
    lines(10, 10)  # done: nothing left to tell
    assert stream.getvalue() == ""
