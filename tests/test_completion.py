"""Shell completion: the script for the shell asked for, found without a shell among the
process's ancestors (a detached or CI run), and the values of options completed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT

# A line only each shell's script has.
MARKS = {
    "bash": "complete -o default -F _evaluator_completion evaluator",
    "zsh": "compdef _evaluator_completion evaluator",
    "fish": "complete --command evaluator --no-files",
    "powershell": "Register-ArgumentCompleter -Native -CommandName evaluator",
    "pwsh": "Register-ArgumentCompleter -Native -CommandName evaluator",
}


def detached(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`evaluator ARGS` in a session of its own, reading nothing."""
    return subprocess.run(
        [sys.executable, "-m", "evaluator", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        check=False,
        timeout=60,
    )


def script_of(text: str) -> str | None:
    """Which shell's completion script `text` is."""
    found = [shell for shell, mark in MARKS.items() if mark in text]
    return None if not found else found[0]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell", "pwsh"])
@pytest.mark.parametrize("form", ["separate", "joined"])
def test_show_completion_prints_the_script_of_the_shell_named(shell: str, form: str) -> None:
    args = ["--show-completion", shell] if form == "separate" else [f"--show-completion={shell}"]
    done = detached(*args)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert script_of(done.stdout) == ("powershell" if shell == "pwsh" else shell)


def test_an_unknown_shell_is_a_usage_error() -> None:
    done = detached("--show-completion", "tcsh")
    assert done.returncode == 2
    assert done.stderr == (
        "--show-completion: 'tcsh' is not one of: bash, zsh, fish, powershell, pwsh\n"
    )
    assert done.stdout == ""


# Runs `evaluator ARGS` as an orphan: its parent exits first, so it is re-parented to the
# system's first process, and no shell is among its ancestors. Prints, as JSON, whether
# shellingham still finds a shell there, and the run's exit status and output.
ORPHAN = textwrap.dedent("""\
    import json, os, subprocess, sys, time
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        os.setsid()
        if os.fork() != 0:
            os._exit(0)
        while os.getppid() == child:  # wait to be re-parented
            time.sleep(0.01)
        os.close(read)
        probe = subprocess.run([sys.executable, "-c", "import shellingham\\n"
                                "print(shellingham.detect_shell()[0])"],
                               capture_output=True, text=True, stdin=subprocess.DEVNULL)
        done = subprocess.run([sys.executable, "-m", "evaluator", *sys.argv[1:]],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
        os.write(write, json.dumps({"shell": probe.stdout.strip(), "code": done.returncode,
                                    "out": done.stdout, "err": done.stderr}).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    print(b"".join(chunks).decode())
""")


def orphan(*args: str, env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", ORPHAN, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        check=True,
        timeout=60,
    )
    result: dict[str, object] = json.loads(done.stdout)
    if result["shell"]:
        pytest.skip(f"a shell ({result['shell']}) is an ancestor even of an orphan here")
    return result


@pytest.mark.parametrize(
    ("shell_variable", "expected"),
    [
        ("/usr/bin/zsh", "zsh"),
        ("/usr/local/bin/fish", "fish"),
        ("/bin/bash", "bash"),
        ("/bin/tcsh", "bash"),
        (None, "bash"),
    ],
)
def test_show_completion_with_no_shell_ancestor_uses_SHELL_then_bash(
    shell_variable: str | None, expected: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SHELL"}
    if shell_variable is not None:
        env["SHELL"] = shell_variable
    result = orphan("--show-completion", env=env)
    assert (result["code"], result["err"]) == (0, ""), result
    assert script_of(str(result["out"])) == expected


def test_show_completion_under_an_unsupported_shell_uses_SHELL() -> None:
    # Under make, the nearest shell is sh, which has no completion: SHELL's is given.
    env = {**os.environ, "SHELL": "/usr/bin/zsh"}
    done = subprocess.run(
        ["sh", "-c", f"{sys.executable} -m evaluator --show-completion; true"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert script_of(done.stdout) == "zsh"


def test_install_completion_writes_the_script_for_the_shell_named(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path)}
    done = detached("--install-completion", "fish", env=env)
    assert done.returncode == 0, done.stderr
    installed = tmp_path / ".config" / "fish" / "completions" / "evaluator.fish"
    assert script_of(installed.read_text()) == "fish"
    assert done.stderr == (
        f"fish completion installed in {installed}; it works in shells started from now on\n"
    )
    assert done.stdout == ""


def complete(words: str, shell: str = "bash") -> list[str]:
    """The candidates the shell is offered when `words` has been typed (then TAB)."""
    env = {**os.environ, "_EVALUATOR_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env.update(COMP_WORDS=words, COMP_CWORD=str(len(words.split(" ")) - 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = detached(env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize(
    ("words", "candidates"),
    [
        ("evaluator compare --format ", ["table", "json", "csv", "markdown", "html", "xlsx"]),
        ("evaluator compare -f m", ["markdown"]),
        ("evaluator score proposals/italy.yaml --format j", ["json"]),
        ("evaluator criteria --format ", ["table", "json", "markdown"]),
        ("evaluator sensitivity --format ", ["table", "json", "markdown"]),
        ("evaluator weights weights/minister-ahp.yaml -f ", ["table", "json", "yaml"]),
        ("evaluator compare --method ", ["wsm", "topsis", "promethee", "all"]),
        ("evaluator score x.yaml -m p", ["promethee"]),
        ("evaluator sensitivity --method ", ["wsm"]),
        ("evaluator sensitivity --spread ", ["full"]),
        ("evaluator schema ", ["proposal", "criteria", "panel"]),
        ("evaluator schema c", ["criteria"]),
        ("evaluator --show-completion ", ["bash", "zsh", "fish", "powershell", "pwsh"]),
        ("evaluator --install-completion z", ["zsh"]),
        ("evaluator sch", ["schema"]),
    ],
)
def test_option_values_are_completed(words: str, candidates: list[str]) -> None:
    assert complete(words) == candidates


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_values_are_completed_in_zsh_and_fish_too(shell: str) -> None:
    offered = complete("evaluator compare --method ", shell)
    assert all(
        any(method in line for line in offered) for method in ("wsm", "topsis", "promethee", "all")
    ), offered


@pytest.mark.parametrize(
    "args",
    [
        ("--lang", "ms", "--show-completion"),
        ("--lang=ms", "--show-completion"),
        ("--show-completion", "--lang", "ms"),
    ],
)
def test_show_completion_with_no_shell_and_a_language(args: tuple[str, ...]) -> None:
    """--lang's value is not the command: the shell is still optional after it."""
    env = {**os.environ, "SHELL": "/bin/bash"}
    result = orphan(*args, env=env)
    assert (result["code"], result["err"]) == (0, ""), result
    assert script_of(str(result["out"])) == "bash"
