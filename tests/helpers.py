"""Build criteria and proposals from YAML text, for tests that need no files."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from evaluator.io.strict_yaml import parse_document
from evaluator.model.criteria import Criteria, parse_criteria
from evaluator.model.proposal import Proposal, parse_proposal
from tests.conftest import DEFAULT_CRITERIA, ROOT


def criteria_from(text: str, name: str = "criteria.yaml") -> Criteria:
    """A validated Criteria from YAML text."""
    return parse_criteria(parse_document(textwrap.dedent(text), name))


def proposal_from(text: str, name: str = "offer.yaml") -> Proposal:
    """A validated Proposal from YAML text; its id defaults to the name's stem."""
    return parse_proposal(parse_document(textwrap.dedent(text), name))


def offer(ident: str, **fields: object) -> Proposal:
    """A small proposal with the given `section.field=value` facts (dots as __)."""
    sections: dict[str, dict[str, object]] = {"proposal": {"country": ident.title()}}
    for key, value in fields.items():
        section, name = key.split("__", 1)
        sections.setdefault(section, {})[name] = value
    lines = []
    for section, body in sections.items():
        lines.append(f"{section}:")
        for name, value in body.items():
            shown = (
                ("true" if value else "false")
                if isinstance(value, bool)
                else (
                    "[" + ", ".join(map(str, value)) + "]"
                    if isinstance(value, list | tuple)
                    else value
                )
            )
            lines.append(f"  {name}: {shown}")
    return proposal_from("\n".join(lines) + "\n", f"{ident}.yaml")


ONE_CRITERION = """\
id: test
currency: MYR
exchange_rates: {{EUR: 5}}
criteria:
  - id: only
    weight: 1
    field: {field}
    rule: {rule}
"""


def single_rule(field: str, rule: str, extra: str = "") -> Criteria:
    """Criteria with one criterion scoring `field` by `rule` (YAML flow text)."""
    return criteria_from(ONE_CRITERION.format(field=field, rule=rule) + extra)


EXPECTED = Path(__file__).parent / "expected"


def matches_expected(name: str, text: str) -> bool:
    """Whether `text` is tests/expected/NAME; UPDATE_EXPECTED=1 rewrites it instead.

    After a deliberate change to an output, regenerate with UPDATE_EXPECTED=1 and review
    the diff before committing it.
    """
    path = EXPECTED / name
    if os.environ.get("UPDATE_EXPECTED"):
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    if text != expected:  # pytest shows what a failing test printed: the difference
        print(
            "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"tests/expected/{name}",
                    "output",
                )
            )
        )
    return text == expected


def imported_after(commands: list[list[str]], modules: list[str]) -> list[list[bool]]:
    """In a fresh interpreter, run each command line in turn (its output dropped, its exit
    ignored) and say after each which of `modules` have been imported so far."""
    code = (
        "import contextlib, io, sys\n"
        "from evaluator.cli.app import main\n"
        f"for command in {commands!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()), "
        "contextlib.redirect_stderr(io.StringIO()):\n"
        "        try:\n"
        "            main(command)\n"
        "        except SystemExit:\n"
        "            pass\n"
        f"    print(*[name in sys.modules for name in {modules!r}])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
        timeout=120,
    )
    return [[word == "True" for word in line.split()] for line in out.stdout.splitlines()]


def evaluator_process(
    *args: str, cwd: Path = ROOT, columns: int = 100
) -> subprocess.CompletedProcess[str]:
    """`evaluator ARGS` in a process of its own, as a user runs it: colour off, `columns`
    wide, this checkout's package first on the path."""
    env = {
        "PYTHONPATH": str(ROOT),
        "NO_COLOR": "1",
        "COLUMNS": str(columns),
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        [sys.executable, "-m", "evaluator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def unstaged_criteria(folder: Path) -> Path:
    """criteria/default.yaml without its `stages` (with its requirements file beside it),
    written into `folder`: one weighted evaluation of every offer, as a criteria file
    without stages gives. For tests of what is not about stages (a ranking of all four
    samples, an ineligible row, the batch path of `compare`)."""
    text = DEFAULT_CRITERIA.read_text(encoding="utf-8")
    start = text.index("\nstages:\n") + 1
    end = text.index("\ncriteria:\n", start) + 1
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "requirements.yaml").write_text(
        (DEFAULT_CRITERIA.parent / "requirements.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    path = folder / "default.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return path
