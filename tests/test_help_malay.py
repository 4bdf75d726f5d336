"""`--help` and the command line's usage errors in Bahasa Malaysia (#20 item 1): our help
texts, and typer's and click's words around them (evaluator/cli/localise.py), with the
English help unchanged."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import typer
from babel.messages.pofile import read_po

from evaluator.cli.app import app
from evaluator.cli.localise import FILLED_HELP, USAGE_ERRORS, usage_error
from evaluator.render import i18n
from tests.conftest import ROOT
from tests.helpers import evaluator_process, imported_after
from tests.test_i18n import POT, _english_left, _inputs


def _paths() -> list[tuple[str, ...]]:
    """Every command line that has a help page: the root, each command, each group's."""
    paths: list[tuple[str, ...]] = [()]

    def walk(command: object, path: tuple[str, ...]) -> None:
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            paths.append((*path, name))
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return paths


PATHS = _paths()


def _ours(text: str) -> str:
    """A help page without what stays as typed whatever the language: the example command
    lines and the usage line, option names, metavars, choices and type names."""
    kept = [
        line
        for line in text.splitlines()
        if not line.strip().startswith(("evaluator ", "# ", "Usage:", "Penggunaan:"))
    ]
    text = "\n".join(kept)
    text = re.sub(r"(?<!\w)-{1,2}[\w-]+", " ", text)  # --weights-file, -w
    text = re.sub(r"<[^>]*>|\{[^}]*\}", " ", text)  # <list[Path]>, {KIND}
    text = re.sub(r"\b[A-Z][A-Z_=.,|]+\b", " ", text)  # FILE, NAME=PCT, TOP SECRET
    return re.sub(rf"\b({'|'.join(VALUES)})\b", " ", text)


# Values an option takes, said as they are typed: shells, methods, formats, kinds.
VALUES = ("bash", "zsh", "fish", "powershell", "pwsh", "wsm", "topsis", "promethee")
VALUES += ("table", "json", "csv", "markdown", "html", "yaml", "xlsx")


def _malay(*args: str) -> subprocess.CompletedProcess[str]:
    return evaluator_process(*args)


@pytest.mark.parametrize("path", PATHS, ids=lambda path: " ".join(path) or "evaluator")
def test_every_help_page_is_in_malay(path: tuple[str, ...]) -> None:
    english = evaluator_process(*path, "--help")
    malay = evaluator_process(*path, "--lang", "ms", "--help")
    assert (english.returncode, malay.returncode, malay.stderr) == (0, 0, "")
    assert malay.stdout.startswith(f"Penggunaan: evaluator {' '.join(path)}".rstrip())
    for word in ("Usage:", "Options:", "Arguments:", "Commands:", "Show this message", "default:"):
        assert word not in malay.stdout
    assert _english_left(_ours(english.stdout), _ours(malay.stdout), _inputs()) == []
    # --lang before the command says the same
    assert evaluator_process("--lang", "ms", *path, "--help").stdout == malay.stdout


@pytest.mark.parametrize("group", [(), ("register",)], ids=["evaluator", "register"])
def test_the_malay_command_list_is_not_cut_at_80_columns(group: tuple[str, ...]) -> None:
    """Each command's purpose, its help's first line, fits the list uncut (as in English)."""
    help_page = evaluator_process(*group, "--lang", "ms", "--help", columns=80).stdout
    listed = help_page.split("Arahan:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(listed) >= 2
    assert [line for line in listed if line.endswith("...")] == []


def test_the_malay_help_check_finds_english_left() -> None:
    english = evaluator_process("compare", "--help").stdout
    assert _english_left(_ours(english), _ours(english), _inputs())


def test_every_help_text_is_a_msgid() -> None:
    """A help text the extraction misses (one made at run time) stays English: every text
    of the command tree is a msgid of the template, or one of FILLED_HELP's."""
    with POT.open("rb") as file:
        msgids = {message.id for message in read_po(file) if message.id}
    filled = [re.compile(re.sub(r"\\\{\w+\\\}", ".+", re.escape(t))) for t in FILLED_HELP]
    missing = []

    def walk(command: typer.core.TyperGroup | typer.core.TyperCommand) -> None:
        texts = [command.help, command.short_help, command.epilog]
        texts += [getattr(param, "help", None) for param in command.params]
        for text in texts:
            if text and text not in msgids and not any(p.fullmatch(text) for p in filled):
                missing.append(text)
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    assert missing == []


USAGE_RUNS = [
    ("compare", "--nosuch"),
    ("compare", "--forc"),
    ("score",),
    ("compare", "--jobs", "0"),
    ("compare", "--jobs", "x"),
    ("sensitivity", "--samples", "99999999999"),
    ("new", "proposals"),
    ("schema", "a", "b"),
    ("registr",),
    ("register", "nosuch"),
    ("compare", "--force=x"),
    ("compare", "--jobs"),
]


@pytest.mark.parametrize("args", USAGE_RUNS, ids=" ".join)
def test_a_usage_error_in_malay(args: tuple[str, ...]) -> None:
    english = evaluator_process(*args)
    malay = evaluator_process(*args, "--lang", "ms")
    assert english.returncode == malay.returncode == 2
    assert "Error: " in english.stderr and "Ralat: " in malay.stderr
    for word in ("Error:", "Usage:", "for help", "Invalid value", "No such", "Missing"):
        assert word not in malay.stderr
    assert "Input should" not in malay.stderr
    assert _english_left(_ours(english.stderr), _ours(malay.stderr), _inputs()) == []
    # before the command too
    assert evaluator_process("--lang", "ms", *args).stderr == malay.stderr


def test_a_usage_error_sentence_not_known_stays_as_it_is() -> None:
    i18n.set_language("ms")
    try:
        assert usage_error("something else happened") == "something else happened"
        assert (
            usage_error("Invalid value for 'X': whatever") == "Nilai tidak sah bagi 'X': whatever"
        )
    finally:
        i18n.set_language("en")
    assert usage_error("No such option: --x") == "No such option: --x"  # English: as it is
    assert len(set(USAGE_ERRORS)) == len(USAGE_ERRORS)


def test_english_help_is_typers_own() -> None:
    """An English run imports nothing for the Malay help, and typer's gettext is its own
    again after a Malay run in the same process."""
    assert imported_after(
        [["compare", "--help"], ["--nosuch"], ["compare", "--help", "--lang", "ms"]],
        ["evaluator.cli.localise", "babel"],
    ) == [[False, False], [False, False], [True, False]]
    code = (
        "import contextlib, io, gettext, typer.core\n"
        "from evaluator.cli.app import main\n"
        "from evaluator.render import i18n\n"
        "out = io.StringIO()\n"
        "for lang in ('ms', 'en'):\n"
        "    with contextlib.redirect_stdout(out):\n"
        "        try:\n"
        "            main(['compare', '--help', '--lang', lang])\n"
        "        except SystemExit:\n"
        "            pass\n"
        "print(typer.core._ is gettext.gettext, 'Penggunaan:' in out.getvalue())\n"
        "print(out.getvalue().split('Penggunaan:')[-1].count('Usage:'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "COLUMNS": "100"},
        check=True,
    )
    assert out.stdout == "True True\n1\n"
