"""Help that teaches, completion, colour and narrow terminals: the CLI as a newcomer meets it."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shlex
import struct
import subprocess
import sys
import termios
from collections.abc import Callable

import pytest
import typer

from evaluator import __version__
from evaluator.cli.app import app
from tests.conftest import ROOT, Run

RunCli = Callable[..., Run]
COMMANDS = sorted(typer.main.get_command(app).commands)


def examples(help_text: str) -> list[str]:
    """The example command lines of a command's help."""
    return [
        line.strip() for line in help_text.splitlines() if line.strip().startswith("evaluator ")
    ]


def test_every_command_is_checked() -> None:
    assert {"compare", "score", "validate", "criteria", "schema", "new"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_help_has_a_purpose_and_an_example(run_cli: RunCli, name: str) -> None:
    result = run_cli(name, "--help")
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert lines[0].startswith(f"Usage: evaluator {name} ")
    purpose = lines[2].strip()
    # One line that fits the command list of an 80-column terminal uncut.
    assert lines[3] == "" and purpose.endswith(".") and len(purpose) <= 63, purpose
    assert "Example:" in result.out or "Examples:" in result.out
    assert examples(result.out), result.out


@pytest.mark.parametrize("name", COMMANDS)
def test_the_examples_are_valid_command_lines(name: str) -> None:
    group = typer.main.get_command(app)
    command = group.commands[name]
    for line in examples(command.help or ""):
        words = shlex.split(line)
        assert words[:2] == ["evaluator", name], line
        with group.make_context("evaluator", [name]) as parent:
            command.make_context(name, words[2:], parent=parent)  # raises on a bad option


def test_the_command_list_is_not_cut_at_80_columns(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run_cli("--help")
    assert result.code == 0
    listed = result.out.split("Commands:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert sorted(line.split()[0] for line in listed) == COMMANDS
    assert not [line for line in listed if line.endswith("...")]
    assert "evaluator --install-completion" in result.out


def test_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert (result.code, result.out) == (0, f"evaluator {__version__}\n")


def evaluator(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evaluator", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=60,
    )


def test_shell_completion_script_and_answers() -> None:
    script = evaluator("--show-completion", "bash")
    assert script.returncode == 0
    assert "complete -o default -F _evaluator_completion evaluator" in script.stdout
    env = {
        **os.environ,
        "_EVALUATOR_COMPLETE": "complete_bash",
        "COMP_WORDS": "evaluator sch",
        "COMP_CWORD": "1",
    }
    answer = subprocess.run(
        [sys.executable, "-m", "evaluator"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=60,
    )
    assert answer.stdout.split() == ["schema"]


def in_terminal(*args: str, **env: str) -> tuple[int, str]:
    """Run `evaluator ARGS` with stdout and stderr on a 100-column terminal."""
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "evaluator", *args],
        cwd=ROOT,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**base, "TERM": "xterm-256color", **env},
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process has ended
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    return process.wait(timeout=60), output.decode("utf-8", "replace")


def test_colour_on_a_terminal() -> None:
    code, output = in_terminal("compare")
    assert code == 0
    assert "\x1b[" in output
    assert "reading proposals" not in output  # four files: far too quick for a progress bar


@pytest.mark.parametrize(
    "args",
    [
        ("compare",),
        ("score", "proposals/italy.yaml"),
        ("--help",),
        ("compare", "--help"),
        ("compare", "--bogus"),
        ("bogus",),
    ],
)
@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}], ids=["NO_COLOR", "dumb"])
def test_no_colour_when_asked(args: tuple[str, ...], env: dict[str, str]) -> None:
    code, output = in_terminal(*args, **env)
    assert code == (2 if "bogus" in " ".join(args) else 0), output
    assert "\x1b[" not in output, output


def test_compare_in_60_columns_keeps_what_matters(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(run_cli("compare", "-f", "json").out)
    results = data["results"]
    assert [entry["id"] for entry in results] == ["south-korea", "italy"]
    for columns in ("60", "40"):  # below 60 the table is laid out for 60
        monkeypatch.setenv("COLUMNS", columns)
        result = run_cli("compare")
        assert (result.code, result.err) == (0, "")
        lines = result.out.splitlines()
        assert max(len(line) for line in lines) <= 60
        words = " ".join(result.out.split())
        # The default criteria are in stages: each stage's verdict on each offer, with its
        # stage score, whole (an id is never cut at its hyphen)...
        for stage in data["stages"]:
            for entry in stage["passed"]:
                shown = "" if entry["score"] is None else f" ({entry['score']:.2f})"
                assert f"{entry['id']}{shown}" in words, (entry, result.out)
            for entry in stage["failed"]:
                assert f"{entry['id']} fails ({entry['score']:.2f})" in words, result.out
            for ident in stage["not_considered"]:
                assert f"Not considered (failed an earlier stage): {ident}" in words
        # ... then the ranking of the offers that passed every stage, a row each.
        ranking = lines[next(i for i, line in enumerate(lines) if " Rank " in line) :]
        for entry in results:
            row = next(line for line in ranking if f" {entry['id']} " in line)
            gates = "✓" if all(g["passed"] for g in entry["gates"]) else "✗"
            assert f"{entry['total']:.2f}" in row and gates in row, row
        assert "south-korea (South Korea), total" in words


def test_compare_piped_is_plain_and_complete() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    result = evaluator("compare", env=env)
    assert (result.returncode, result.stderr) == (0, "")
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 120
    # The default criteria are in stages: the two offers that pass every stage are ranked,
    # with their countries; the other two are named at the stage they fail.
    for country in ("Italy", "South Korea"):
        assert any(f" {country} " in line for line in lines), country
    words = " ".join(result.stdout.split())
    assert "turkiye fails (22.50)" in words and "direct-offer fails (49.01)" in words
