"""The sample outputs in the docs, made by the tool itself.

A code block in a Markdown file under docs/ (or the README) that follows a marker

    <!-- sample: evaluator compare --panel panel/ | columns=100 | head=12 -->

holds what that command prints, run by bash from the project root (the project's
`evaluator` first on the PATH) with colour off, the given terminal width (100 by
default) and a fixed SOURCE_DATE_EPOCH. Options, after `|`:

- `columns=N`: the width tables are laid out for;
- `head=N`, `tail=N`: only the first and/or last N lines, with a line `…` between;
- `from=TEXT`, `count=N`: instead of the head, the N lines from the first that holds
  TEXT (a part in the middle), `…` before it unless it is the first line;
- `stderr`: what the command writes on standard error instead (error messages);
- `tmp`: run in a new temporary folder holding a copy of the project's samples
  (proposals/, panel/, criteria/, weights/, schema/), so that the command may make and
  edit files there (`evaluator new x.yaml && evaluator validate x.yaml`);
- `prompt` or `prompt=TEXT`: first a line `$ COMMAND` (or `$ TEXT`), as typed.

`python -m tests.doc_samples` (or `make docs`) rewrites every such block from the tool;
tests/test_doc_samples.py fails when one is out of date, with the difference.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1764979200"  # 2025-12-06 00:00:00 UTC: reports made for the docs carry this date
MARKER = re.compile(
    r"<!-- sample: (?P<spec>[^\n]*?) -->\n```(?P<lang>[a-z]*)\n(?P<body>.*?)```", re.S
)
ELISION = "…"


@dataclass(frozen=True, slots=True)
class Sample:
    """One marked block: the command, how to show its output, and what the file holds."""

    file: Path
    spec: str
    body: str

    @property
    def command(self) -> str:
        """The command line, for bash."""
        return self.spec.split("|", 1)[0].strip()

    @property
    def options(self) -> dict[str, str]:
        """`columns=100` as {"columns": "100"}; a bare word as {word: ""}."""
        found: dict[str, str] = {}
        for part in self.spec.split("|")[1:]:
            key, _, value = part.strip().partition("=")
            found[key] = value
        return found

    def made(self) -> str:
        """What the block should hold: the command's output, as the options say."""
        options = self.options
        if "evaluator " not in self.command:
            raise ValueError(f"{self.file}: a sample runs evaluator, not {self.spec!r}")
        # The evaluator beside this interpreter (the project's .venv) comes first.
        path = os.pathsep.join((str(Path(sys.executable).parent), os.environ.get("PATH", "")))
        env = {
            **os.environ,
            "COLUMNS": options.get("columns", "100"),
            "NO_COLOR": "1",
            "SOURCE_DATE_EPOCH": EPOCH,
            "PYTHONIOENCODING": "utf-8",
            "PATH": path,
        }
        env.pop("FORCE_COLOR", None)
        with tempfile.TemporaryDirectory() as scratch:
            folder = ROOT
            if "tmp" in options:
                folder = Path(scratch)
                for name in ("proposals", "panel", "criteria", "weights", "schema"):
                    shutil.copytree(ROOT / name, folder / name)
            done = subprocess.run(
                ["bash", "-c", self.command],
                cwd=folder,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        text = done.stderr if "stderr" in options else done.stdout
        lines = [line.rstrip() for line in text.splitlines()]
        head, tail = int(options.get("head") or 0), int(options.get("tail") or 0)
        if "from" in options:
            start = next((i for i, line in enumerate(lines) if options["from"] in line), None)
            if start is None:
                raise ValueError(f"{self.file}: no line holds {options['from']!r}: {self.spec}")
            stop = start + int(options.get("count") or len(lines))
            part = ([ELISION] if start else []) + lines[start:stop]
            if tail and stop < len(lines) - tail:
                part += [ELISION, *lines[-tail:]]
            elif stop < len(lines):
                part += lines[stop:] if tail else [ELISION]
            lines = part
        elif (head or tail) and head + tail < len(lines):
            lines = lines[:head] + [ELISION] + (lines[-tail:] if tail else [])
        if "prompt" in options:
            lines.insert(0, "$ " + (options["prompt"] or self.command))
        return "\n".join(lines) + "\n"


def samples(path: Path) -> list[Sample]:
    """The marked blocks of one Markdown file."""
    text = path.read_text(encoding="utf-8")
    return [Sample(path, m.group("spec"), m.group("body")) for m in MARKER.finditer(text)]


def documents() -> list[Path]:
    """The Markdown files that may hold samples."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def difference(sample: Sample) -> str:
    """'' when the block holds what the tool prints, else a unified diff."""
    made = sample.made()
    if made == sample.body:
        return ""
    name = f"{sample.file.relative_to(ROOT)}: {sample.spec}"
    return "".join(
        difflib.unified_diff(
            sample.body.splitlines(keepends=True), made.splitlines(keepends=True), name, "the tool"
        )
    )


def update(path: Path) -> int:
    """Rewrite the samples of one file from the tool; the number changed."""
    text = path.read_text(encoding="utf-8")
    changed = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        made = Sample(path, match.group("spec"), match.group("body")).made()
        changed += made != match.group("body")
        return f"<!-- sample: {match.group('spec')} -->\n```{match.group('lang')}\n{made}```"

    new = MARKER.sub(replace, text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return changed


if __name__ == "__main__":
    for document in documents():
        count = update(document)
        if count:
            print(f"{document.relative_to(ROOT)}: {count} sample(s) rewritten")
