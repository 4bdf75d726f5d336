"""Issue #15, output: a standard output that cannot be written, and --output under races
and signals. Each is an ordinary error with its own message, never an internal error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FULL = "evaluator: cannot write to standard output: No space left on device\n"
CLOSED = "evaluator: cannot write to standard output: it is closed\n"


def run(*args: str, stdout: object = None, close_stdout: bool = False,
        cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`evaluator ARGS` in a subprocess, its standard output as given (or closed)."""
    command = [sys.executable, "-m", "evaluator", *args]
    if close_stdout:  # as the shell's `>&-`: the process starts without a standard output
        command = ["sh", "-c", 'exec "$@" >&-', "sh", *command]
    return subprocess.run(command, cwd=cwd, stdout=stdout or subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, check=False, timeout=120)


COMMANDS = [["compare"], ["compare", "-f", "json"], ["compare", "-f", "csv"],
            ["compare", "-f", "html"], ["score", "proposals/italy.yaml"],
            ["validate", "proposals"], ["criteria"], ["weights", "weights/minister-ahp.yaml"],
            ["schema", "proposal"], ["sensitivity", "--samples", "10"], ["--version"],
            ["compare", "--help"]]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_full_disk_on_stdout_is_an_ordinary_error(command: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = run(*command, stdout=full)
    assert (done.returncode, done.stderr) == (1, FULL)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_closed_stdout_is_an_ordinary_error(command: list[str]) -> None:
    done = run(*command, close_stdout=True)
    assert (done.returncode, done.stderr) == (1, CLOSED)


def test_a_closed_stdout_does_not_matter_with_output(tmp_path: Path) -> None:
    done = run("compare", "-f", "json", "-o", str(tmp_path / "out.json"), close_stdout=True)
    assert (done.returncode, done.stderr) == (0, f"wrote {tmp_path / 'out.json'}\n")
    assert (tmp_path / "out.json").read_text(encoding="utf-8").startswith("{")


def test_errors_are_listed_before_a_write_failure(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("proposal: [x]\n", encoding="utf-8")
    done = run("compare", "proposals", str(bad), close_stdout=True)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == CLOSED.strip()
    assert done.stderr.count("\n") == 2


def test_a_reader_that_went_away_is_not_an_error() -> None:
    # `evaluator compare | head -c 10`: the reader stops early; nothing to say.
    for fmt in ("table", "json"):
        process = subprocess.Popen([sys.executable, "-m", "evaluator", "compare", "-f", fmt],
                                   cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()
        assert process.wait(timeout=120) == 0
        assert process.stderr.read() == b""
        process.stderr.close()
