"""A run of `compare`, `score` or `sensitivity` and the register (docs/register.md): the
files it reads are logged; if its programme's bid opening froze other criteria, it says so
(a caveat, in every format); with --record, it is stored. Also the register's own
commands' work: replaying a stored run from its stored inputs."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from evaluator.io.files import FileRead
from evaluator.render.i18n import gettext, language

RecordOption = Annotated[
    bool,
    typer.Option(
        "--record",
        help="Store this run in the register: who, when, the command, the criteria, every "
        "file read and the JSON result (docs/register.md).",
    ),
]
RegisterOption = Annotated[
    str | None,
    typer.Option(
        "--register",
        metavar="PATH|URL",
        help="The register: an SQLite file, or a postgresql:// URL [default: "
        "$EVALUATOR_REGISTER, else evaluations.db beside the criteria file].",
        show_default=False,
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="NAME",
        help="Who runs it, for the register [default: the system's user name].",
        show_default=False,
    ),
]
ProgrammeOption = Annotated[
    str | None,
    typer.Option(
        "--programme",
        metavar="NAME",
        help="The programme the run belongs to, for the register [default: the "
        "proposals' proposal.programme, when they name one].",
        show_default=False,
    ),
]


@dataclass
class Recorder:
    """What a run does with the register: log the files it reads, check its criteria
    against its programme's bid opening, and store it when asked."""

    record: bool = False
    register: str | None = None
    by: str | None = None
    programme: str | None = None
    log: list[FileRead] = field(default_factory=list)
    criteria_files: list[FileRead] = field(default_factory=list)
    location: str | None = None
    _stack: ExitStack = field(default_factory=ExitStack)

    def __enter__(self) -> Recorder:
        from evaluator.io.files import reading_log

        self.log = self._stack.enter_context(reading_log())
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def criteria_read(self, criteria: Any) -> None:
        """The criteria are loaded: what was read so far is theirs; where the register is."""
        from evaluator.api import register_location

        self.criteria_files = list(self.log)
        self.location = register_location(criteria.file, self.register)

    @property
    def active(self) -> bool:
        """Whether the register takes part: recording, or a register to check against."""
        from evaluator.register import is_url

        if self.record or self.register is not None:
            return True
        return self.location is not None and (is_url(self.location) or Path(self.location).exists())

    def files(self, proposals: Sequence[Any]) -> tuple[tuple[str, str, str], ...]:
        """Each offer's files as this run read them, for the report's audit trail."""
        from evaluator.api import offer_files

        return tuple(offer_files(proposals, self.log))

    def jobs(self, jobs: int | None) -> int | None:
        """Recording reads in this process (so that every file read is logged)."""
        return 1 if self.record else jobs

    def mark(
        self, caveats: list[Any], proposals: Sequence[Any], weights: Mapping[str, float]
    ) -> None:
        """Add the caveat `caveat` finds, if any, to a result's `caveats` (before it is
        rendered, so that every format shows it)."""
        found = self.caveat(proposals, weights)
        if found is not None:
            caveats.append(found)

    def caveat(self, proposals: Sequence[Any], weights: Mapping[str, float]) -> Any | None:
        """Criteria changed after bid opening, for this run's programme (or None)."""
        opening = self.opening(proposals)
        return None if opening is None else opening.caveat(weights)

    def opening(self, proposals: Sequence[Any]) -> Any | None:
        """This run's programme's bid opening (`api.BidOpening`), or None."""
        from evaluator.api import bid_opening, common_programme

        if self.location is None:
            return None
        programme = self.programme if self.programme is not None else common_programme(proposals)
        return bid_opening(self.location, programme, self.criteria_files)

    def store(
        self,
        *,
        kind: str,
        command: Sequence[str],
        options: Mapping[str, Any],
        criteria: Any,
        proposals: Sequence[Any],
        result: str | Callable[[], str],
        weights: Mapping[str, float],
        caveats: Sequence[Any],
    ) -> None:
        """With --record: the run stored; a line on stderr says where. `result`: its JSON,
        or what makes it (made only when stored: a run that records nothing writes no
        JSON it does not show)."""
        if not self.record or self.location is None:
            return
        if callable(result):
            result = result()
        from evaluator.api import record_run
        from evaluator.register import shown

        run = record_run(
            self.location,
            kind=kind,
            command=command,
            options=options,
            criteria=criteria,
            criteria_files=self.criteria_files,
            files=self.log,
            proposals=proposals,
            result=result,
            weights=weights,
            caveats=caveats,
            by=self.by,
            programme=self.programme,
        )
        sys.stderr.write(
            gettext("recorded run {run} in {register} ({hash})").format(
                run=run.seq, register=shown(self.location), hash=run.hash[:12]
            )
            + "\n"
        )


# --- replaying a stored run -------------------------------------------------------------------

# Options of the recorded command that a replay drops: where the result went, and the
# register (a replay is never recorded).
_DROPPED_WITH_VALUE = ("--output", "-o", "--register", "--by", "--programme", "--format", "-f")
_DROPPED = ("--record", "--force", "--yes", "-y", "--bom")  # --bom: the file's, not the result's
# compare --sensitivity: the HTML report's robustness section; the stored JSON has none.
_HTML_ONLY = "--sensitivity"


def replay_command(command: Sequence[str], fmt: str, root: Path) -> list[str]:
    """The recorded command line, to run again in `root` (where the inputs are put back at
    their absolute paths under `root`): no output file, no register, in format `fmt`."""
    args = list(command[1:]) if command and command[0] == "evaluator" else list(command)
    kept: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in _DROPPED_WITH_VALUE:
            skip = "=" not in arg
            continue
        if arg in _DROPPED:
            continue
        if arg == _HTML_ONLY and fmt != "html":
            continue  # the analysis of an HTML report: no other format takes it
        if os.path.isabs(arg) and (root / arg.lstrip("/")).exists():
            arg = str(root / arg.lstrip("/"))
        kept.append(arg)
    return (
        [*kept, "--format", fmt, "--yes"]
        if kept and kept[0] == "sensitivity"
        else [
            *kept,
            "--format",
            fmt,
        ]
    )


def materialise(run: Any, content: Any, root: Path) -> Path:
    """Put a stored run's input files back under `root` at their absolute paths; the
    folder to run it in (its recorded working folder, under `root`)."""
    for entry in run.files:
        data = content(entry["sha256"])
        if data is None:
            continue  # verify reports it
        target = root / str(entry.get("path") or entry["name"]).lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    cwd = root / str(run.record.get("cwd", "/")).lstrip("/")
    cwd.mkdir(parents=True, exist_ok=True)
    return cwd


def run_again(run: Any, content: Any, fmt: str, where: str) -> tuple[int, str, str]:
    """A stored run recomputed by this evaluator from its stored inputs: (exit status,
    output, errors), with the temporary folder's name taken out of both. The register
    (`where`) is given to it, not to record it, but so that it checks the run's criteria
    against the programme's bid opening as the run did."""
    import subprocess
    import tempfile

    from evaluator.register import is_url

    with tempfile.TemporaryDirectory(prefix="evaluator-replay-") as folder:
        root = Path(folder)
        cwd = materialise(run, content, root)
        argv = replay_command(run.record.get("command", []), fmt, root)
        criteria = run.record.get("criteria", {})
        if "--criteria" not in argv and "-c" not in argv and criteria.get("file"):
            # The criteria file as read then (the installed copy may have changed since).
            argv += ["--criteria", _under(root, cwd, str(criteria["file"]))]
        if run.record.get("kind") in ("compare", "score", "sensitivity"):
            register = where if is_url(where) else os.path.abspath(where)
            argv += ["--register", register]
        env = {k: v for k, v in os.environ.items() if k not in ("EVALUATOR_REGISTER",)}
        env["NO_COLOR"] = "1"
        env["EVALUATOR_LANG"] = language()  # `show --lang ms`: the result made in Malay
        done = subprocess.run(
            [sys.executable, "-m", "evaluator", *argv],
            cwd=cwd,
            capture_output=True,
            env=env,
            check=False,
        )
        out = done.stdout.decode("utf-8", "replace").replace(str(root), "")
        err = done.stderr.decode("utf-8", "replace").replace(str(root), "")
        return done.returncode, out, err


def _under(root: Path, cwd: Path, name: str) -> str:
    return str(root / name.lstrip("/")) if os.path.isabs(name) else str(cwd / name)


def json_differences(old: str, new: str, limit: int = 20) -> list[tuple[str, Any, Any]]:
    """Where two JSON results differ: (path, old value, new value), the first `limit`."""
    import json

    found: list[tuple[str, Any, Any]] = []

    def walk(path: str, a: Any, b: Any) -> None:
        if len(found) >= limit:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in list(dict.fromkeys([*a, *b])):
                walk(
                    f"{path}.{key}" if path else str(key), a.get(key, _ABSENT), b.get(key, _ABSENT)
                )
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(f"{path}[{i}]", x, y)
        elif a != b:
            found.append((path or gettext("(the whole result)"), a, b))

    try:
        walk("", json.loads(old), json.loads(new))
    except ValueError:
        found.append((gettext("(the whole result)"), old[:80], new[:80]))
    return found


class _Absent:
    def __repr__(self) -> str:
        return gettext("(absent)")


_ABSENT = _Absent()
