"""Issue #15, output: a standard output that cannot be written, and --output under races
and signals. Each is an ordinary error with its own message, never an internal error."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FULL = "evaluator: cannot write to standard output: No space left on device\n"
CLOSED = "evaluator: cannot write to standard output: it is closed\n"


def run(
    *args: str, stdout: object = None, close_stdout: bool = False, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """`evaluator ARGS` in a subprocess, its standard output as given (or closed)."""
    command = [sys.executable, "-m", "evaluator", *args]
    if close_stdout:  # as the shell's `>&-`: the process starts without a standard output
        command = ["sh", "-c", 'exec "$@" >&-', "sh", *command]
    return subprocess.run(
        command,
        cwd=cwd,
        stdout=stdout or subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=120,
    )


COMMANDS = [
    ["compare"],
    ["compare", "-f", "json"],
    ["compare", "-f", "csv"],
    ["compare", "-f", "html"],
    ["score", "proposals/italy.yaml"],
    ["validate", "proposals"],
    ["criteria"],
    ["weights", "weights/minister-ahp.yaml"],
    ["schema", "proposal"],
    ["sensitivity", "--samples", "10"],
    ["--version"],
    ["compare", "--help"],
]


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
        process = subprocess.Popen(
            [sys.executable, "-m", "evaluator", "compare", "-f", fmt],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()
        assert process.wait(timeout=120) == 0
        assert process.stderr.read() == b""
        process.stderr.close()


# --- 16. --output published without replacing, and left clean by signals ------------------


def test_a_file_that_appears_while_writing_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another run publishes the same new --output while this one writes: it wins, and this
    # one says so rather than silently replacing it.
    from evaluator.cli.output import write_output
    from evaluator.errors import OutputError

    target = tmp_path / "out.json"
    real_fsync = os.fsync

    def other_run_publishes(fd: int) -> None:
        real_fsync(fd)
        target.write_text("the other run's result\n")

    monkeypatch.setattr(os, "fsync", other_run_publishes)
    with pytest.raises(OutputError) as caught:
        write_output(target, "this run's result\n", inputs=[], force=False)
    assert str(caught.value) == f"{target}: already exists; add --force to replace it"
    assert target.read_text() == "the other run's result\n"
    assert os.listdir(tmp_path) == ["out.json"]


def _publish(target: str, text: str, start: object) -> None:
    from evaluator.cli.output import write_output
    from evaluator.errors import OutputError

    start.wait()  # type: ignore[attr-defined]
    try:
        write_output(Path(target), text, inputs=[], force=False)
    except OutputError:
        sys.exit(1)
    sys.exit(0)


def test_runs_racing_for_the_same_new_output_publish_one_result(tmp_path: Path) -> None:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for trial in range(40):
        target = tmp_path / f"out{trial}.json"
        start = context.Barrier(4)
        racers = [
            context.Process(target=_publish, args=(str(target), f"run {i}\n" * 5000, start))
            for i in range(4)
        ]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(timeout=60)
        codes = [racer.exitcode for racer in racers]
        assert sorted(codes) == [0, 1, 1, 1], (trial, codes)  # type: ignore[type-var]
        assert target.read_text() == f"run {codes.index(0)}\n" * 5000
    assert sorted(os.listdir(tmp_path)) == sorted(f"out{trial}.json" for trial in range(40))


def test_parallel_runs_of_the_cli_never_replace_each_others_output(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "evaluator",
                "compare",
                "-f",
                "json",
                "--weights",
                f"pricing={10 + i}",
                "-o",
                str(target),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in processes]
    assert sorted(code for code, _ in results) == [0, 1, 1, 1], results
    for code, err in results:
        assert err == (
            f"wrote {target}\n"
            if code == 0
            else f"{target}: already exists; add --force to replace it\n"
        )
    assert os.listdir(tmp_path) == ["report.json"]


def test_a_link_to_nowhere_at_the_output_counts_as_existing(tmp_path: Path) -> None:
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "gone" / "elsewhere.json")
    done = run("compare", "-f", "json", "-o", str(link))
    assert (done.returncode, done.stderr) == (
        1,
        f"{link}: already exists (a link to nowhere); add --force to replace it\n",
    )
    assert link.is_symlink() and not (tmp_path / "gone").exists()
    done = run("compare", "-f", "json", "-o", str(link), "--force")
    assert (done.returncode, done.stderr) == (0, f"wrote {link}\n")
    assert not link.is_symlink() and link.read_text().startswith("{")  # the link replaced
    assert not (tmp_path / "gone").exists()


@pytest.mark.parametrize("exists", [False, True])
def test_an_output_name_ending_in_a_slash_is_refused(tmp_path: Path, exists: bool) -> None:
    folder = tmp_path / "newdir"
    if exists:
        folder.mkdir()
    name = f"{folder}/"
    done = run("compare", "-o", name)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"{name}: names a folder (it ends in '/'); give --output a file "
        f"name, such as {name}result.txt\n"
    )
    assert sorted(os.listdir(tmp_path)) == (["newdir"] if exists else [])


SLOW_WRITE = """\
import os, sys, time
real_fsync = os.fsync
def slow(fd):
    time.sleep(60)
    real_fsync(fd)
os.fsync = slow
from evaluator.cli.app import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("signum", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_a_write_leaves_no_temporary_file(tmp_path: Path, signum: str) -> None:
    import signal
    import time

    number = getattr(signal, signum)
    target = tmp_path / "report.json"
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITE, "compare", "-f", "json", "-o", str(target)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not any(name.endswith(".tmp") for name in os.listdir(tmp_path)):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        assert [
            name
            for name in os.listdir(tmp_path)
            if name.startswith(".report.json.") and name.endswith(".tmp")
        ]
        process.send_signal(number)
        code = process.wait(timeout=30)
    finally:
        process.kill()
        _, err = process.communicate()
    assert code == 128 + number
    assert err == f"evaluator: stopped by {signum}\n"
    assert os.listdir(tmp_path) == []


SLOW_WORKERS = """\
import sys, time
from pathlib import Path
import evaluator.api, evaluator.scoring.parallel
def slow(path, max_bytes, sealed=False):  # load_or_problems's signature
    Path(sys.argv[1]).touch()
    time.sleep(60)
evaluator.api.load_or_problems = evaluator.scoring.parallel.load_or_problems = slow
from evaluator.cli.app import main
main(sys.argv[2:])
"""


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("signum", ["SIGTERM", "SIGINT"])
def test_a_signal_during_a_parallel_batch_stops_the_workers_quietly(
    tmp_path: Path, fmt: str, signum: str
) -> None:
    import signal
    import time

    batch = tmp_path / "batch"
    batch.mkdir()
    italy = (ROOT / "proposals" / "italy.yaml").read_text(encoding="utf-8")
    for i in range(300):
        (batch / f"p{i:04d}.yaml").write_text(italy.replace("  id: italy\n", ""), encoding="utf-8")
    marker = tmp_path / "reading"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SLOW_WORKERS,
            str(marker),
            "compare",
            str(batch),
            "-f",
            fmt,
            "--jobs",
            "2",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        if signum == "SIGINT":  # Ctrl-C: the terminal signals the whole process group
            os.killpg(process.pid, signal.SIGINT)
        else:  # `kill PID`: the evaluator alone
            process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
    # Ctrl-C ends the run quietly with 130, as typer does; no worker says a word.
    message = "" if signum == "SIGINT" else f"evaluator: stopped by {signum}\n"
    assert (code, out, err) == (128 + getattr(signal, signum), "", message)
