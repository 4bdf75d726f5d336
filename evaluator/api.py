"""The library surface: load criteria and proposals, compare them. The CLI is a client of it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evaluator.errors import InputError, Problem
from evaluator.io.loading import DEFAULT_MAX_BYTES, discover, display_path, load_document
from evaluator.model.criteria import (
    Criteria,
    free_form_fields,
    is_free_form,
    parse_criteria,
    unmet_field_notes,
)
from evaluator.model.panel import Panel, load_panel
from evaluator.model.proposal import Proposal, parse_proposal
from evaluator.scoring.caveats import PANEL_GAP, Caveat
from evaluator.scoring.engine import evaluate, prepare
from evaluator.scoring.results import Comparison, Prepared

DEFAULT_CRITERIA = Path("criteria") / "default.yaml"


def default_criteria_path() -> Path:
    """`./criteria/default.yaml` when present, else the copy installed with the package.

    Present in any form: a folder or a link to nowhere by that name is reported (see
    `load_criteria`), not silently replaced by the installed copy.
    """
    if os.path.lexists(DEFAULT_CRITERIA):
        return DEFAULT_CRITERIA
    # A wheel carries a copy in evaluator/data/ (see pyproject.toml); an editable install
    # from a checkout has the package next to criteria/.
    package = Path(__file__).resolve().parent
    installed = package / "data" / "default.yaml"
    return installed if installed.is_file() else package.parent / DEFAULT_CRITERIA


def load_criteria(path: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Criteria:
    """Read and validate a criteria file (the default one when `path` is None)."""
    if path is not None:
        return parse_criteria(load_document(path, max_bytes))
    path = default_criteria_path()
    try:
        document = load_document(path, max_bytes)
    except InputError as exc:
        if path != DEFAULT_CRITERIA or os.path.isfile(path):
            raise
        # Not a file (a folder, a link to nowhere...), and not named by the user: say why
        # it was read at all.
        raise InputError([Problem(p.file, p.message + _DEFAULT_HINT, p.line, p.column)
                          for p in exc.problems]) from None
    return parse_criteria(document)


_DEFAULT_HINT = (" (the default criteria file, read when no --criteria is given: fix it, "
                 "remove it to use the installed copy, or give --criteria FILE)")
NO_PROPOSALS = "no proposal files (*.yaml, *.yml) in this folder"


def proposal_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The proposal files of `paths` (as `loading.discover` finds them), and a problem for
    each folder that holds none: comparing nothing there is most likely a wrong folder."""
    files: list[Path] = []
    problems: list[Problem] = []
    named: set[str] = set()
    for path in paths:
        found = list(discover([path]))
        if not found:  # only a folder can come out empty
            problems.append(Problem(display_path(path), NO_PROPOSALS))
        for file in found:  # a file named twice (`proposals proposals/a.yaml`) is read once
            text = os.fspath(file)
            if text not in named:
                named.add(text)
                files.append(file)
    return files, problems


def same_file(first: str, second: str) -> bool:
    """Whether two file names (as the problems show them) name one file on disk: given
    twice, spelt differently (`./a/../a/x.yaml`, a link), it is one proposal, read once."""
    try:
        return os.path.samefile(first, second)
    except (OSError, ValueError):
        return False


def free_form_notes(criteria: Criteria, proposals: Sequence[Proposal]) -> list[str]:
    """`model.unmet_field_notes` for a run's proposals (none when there are none)."""
    fields = free_form_fields(criteria)
    if not fields or not proposals:
        return []
    given = {name for p in proposals for name in p.values if is_free_form(name)}
    return unmet_field_notes(fields, given)


def load_proposal(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Proposal:
    """Read and validate one proposal file."""
    return parse_proposal(load_document(path, max_bytes))


@dataclass(slots=True)
class Batch:
    """Proposals read from files and folders, and the problems of those that failed."""

    proposals: list[Proposal] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    files: int = 0
    # The same proposals `prepare`d for scoring, when the criteria were given.
    prepared: list[Prepared] = field(default_factory=list)


# Told (files done, files in all) after each file, e.g. to draw a progress bar.
FileCallback = Callable[[int, int], None]


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 256
CHUNK = 64  # files per task: large enough to amortise the hand-over, small to balance


def default_jobs() -> int:
    """Worker processes for parsing: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def worker_count(jobs: int | None, files: int) -> int:
    """Worker processes for a batch of `files` files: `jobs` (default one per core), no
    more than there are chunks; 1 (none) for a small batch or without fork."""
    if files < PARALLEL_MIN_FILES:
        return 1
    workers = min(jobs or default_jobs(), files // CHUNK + 1)
    if workers < 2:
        return 1
    import multiprocessing
    return workers if "fork" in multiprocessing.get_all_start_methods() else 1


def load_proposals(paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES,
                   on_file: FileCallback | None = None, jobs: int | None = None,
                   criteria: Criteria | None = None) -> Batch:
    """Read every proposal named; one bad file never stops the others.

    Large batches are parsed by `jobs` worker processes (default: one per core); the
    result, and its order, is the same as reading the files one by one. With `criteria`,
    each proposal is also `prepare`d for scoring as it arrives: while the workers parse
    the next files, rather than after the last one.
    """
    batch = Batch()
    seen: dict[str, Proposal] = {}
    files, batch.errors = proposal_files(paths)
    workers = worker_count(jobs, len(files))
    outcomes: Iterable[Proposal | tuple[Problem, ...]]
    if workers > 1:
        outcomes = _load_in_parallel(files, max_bytes, workers)
    else:
        outcomes = (load_or_problems(path, max_bytes) for path in files)
    for outcome in outcomes:
        batch.files += 1
        _add_proposal(batch, seen, outcome, criteria)
        if on_file is not None:
            on_file(batch.files, len(files))
    return batch


def load_or_problems(path: Path, max_bytes: int) -> Proposal | tuple[Problem, ...]:
    """One proposal file read and checked, or the problems that stop it."""
    try:
        return load_proposal(path, max_bytes)
    except InputError as exc:
        return exc.problems


def _load_chunk(task: tuple[list[Path], int]) -> list[Proposal | tuple[Problem, ...]]:
    files, max_bytes = task
    return [load_or_problems(path, max_bytes) for path in files]


def _load_in_parallel(files: list[Path], max_bytes: int, workers: int
                      ) -> Iterator[Proposal | tuple[Problem, ...]]:
    import multiprocessing

    tasks = [(files[i:i + CHUNK], max_bytes) for i in range(0, len(files), CHUNK)]
    # fork: workers start at once with everything imported; imap keeps the file order.
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=worker_signals) as pool:
        for chunk in pool.imap(_load_chunk, tasks):
            yield from chunk


def worker_signals() -> None:
    """In a worker process: Ctrl-C is the parent's to handle (the terminal sends it to
    every process of the group, and a worker would print its traceback); SIGTERM and SIGHUP
    end it, as they end any process (the CLI turns them into an exception that unwinds a
    run, which a forked worker inherits: its pool could not terminate it)."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_DFL)


def _add_proposal(batch: Batch, seen: dict[str, Proposal],
                  outcome: Proposal | tuple[Problem, ...], criteria: Criteria | None) -> None:
    if not isinstance(outcome, Proposal):
        batch.errors.extend(outcome)
        return
    proposal = outcome
    if proposal.id in seen:
        first = seen[proposal.id].file
        if not same_file(first, proposal.file):
            batch.errors.append(duplicate_problem(proposal, first))
        return
    seen[proposal.id] = proposal
    batch.proposals.append(proposal)
    if criteria is not None:
        batch.prepared.append(prepare(proposal, criteria))


def duplicate_problem(proposal: Proposal, first: str) -> Problem:
    """A proposal whose id the proposal in file `first` already has: it is left out."""
    return proposal.problem("proposal.id", f"the id `{proposal.id}` is already used by "
                                           f"{first}; ids must be unique")


def compare(paths: Sequence[Path], criteria: Criteria,
            weights: Mapping[str, float] | None = None, method: str | None = None,
            max_bytes: int = DEFAULT_MAX_BYTES, on_file: FileCallback | None = None,
            panel: Path | None = None, jobs: int | None = None) -> Comparison:
    """Load the proposals in `paths` (and the `panel` folder) and score, rank and explain them."""
    batch = load_proposals(paths, max_bytes, on_file, jobs, criteria)
    # The files that could not be read (an empty folder is said, but is not a file).
    unread = files_of(p for p in batch.errors if p.message != NO_PROPOSALS)
    judged = None
    if panel is not None:
        # A rating of a proposal whose file failed is not the panel's mistake: that file's
        # own errors are listed already.
        unreadable = {Path(p.file).stem for p in batch.errors}
        judged, problems = load_panel(panel, criteria, [p.id for p in batch.proposals],
                                      unreadable=unreadable, max_bytes=max_bytes)
        batch.errors.extend(problems)
    comparison = evaluate(batch.prepared, criteria, weights, method, batch.errors, judged,
                          batch.files, unread)
    comparison.notes.extend(free_form_notes(criteria, batch.proposals))
    return comparison


def files_of(problems: Iterable[Problem]) -> list[str]:
    """The files the problems are about, each once, in order."""
    return list(dict.fromkeys(p.file for p in problems))


def score_one(path: Path, criteria: Criteria, weights: Mapping[str, float] | None = None,
              method: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
              panel: Path | None = None) -> Comparison:
    """Score one proposal file; the panel may rate others too (they are not checked)."""
    proposal = load_proposal(path, max_bytes)
    judged: Panel | None = None
    problems: list[Problem] = []
    if panel is not None:
        judged, problems = load_panel(panel, criteria, [proposal.id], other_proposals=True,
                                      max_bytes=max_bytes)
    comparison = evaluate([proposal], criteria, weights, method, problems, judged, files=1)
    comparison.notes.extend(free_form_notes(criteria, [proposal]))
    return comparison


def validate_paths(paths: Iterable[Path], criteria: Criteria,
                   max_bytes: int = DEFAULT_MAX_BYTES, on_file: FileCallback | None = None,
                   panel: Path | None = None
                   ) -> tuple[list[str], list[Problem], list[Caveat]]:
    """Check files without ranking: criteria files by their shape, proposals by scoring them.

    With `panel`, the members' files in that folder are checked too, against the
    criteria's judgements and the proposals checked here; the caveats then say which
    proposal's judgement no member rated (it would score as missing).
    """
    checked: list[str] = []
    proposals: list[Proposal] = []
    files, problems = proposal_files(paths)
    for done, path in enumerate(files, 1):
        try:
            document = load_document(path, max_bytes)
            checked.append(document.file)
            if isinstance(document.data, dict) and "criteria" in document.data:
                parse_criteria(document)
            else:
                proposals.append(parse_proposal(document))
        except InputError as exc:
            if not checked or checked[-1] != exc.problems[0].file:
                checked.append(exc.problems[0].file)
            problems.extend(exc.problems)
        if on_file is not None:
            on_file(done, len(files))
    judged = None
    if panel is not None:
        unreadable = {Path(p.file).stem for p in problems}
        judged, panel_problems = load_panel(panel, criteria, [p.id for p in proposals],
                                            unreadable=unreadable, max_bytes=max_bytes)
        problems.extend(panel_problems)
        checked.extend(m.file for m in judged.members)
        checked.extend(sorted({p.file for p in panel_problems} - set(checked)))
    # Scoring finds what only the criteria can tell: currencies, levels, missing values.
    scored = evaluate(proposals, criteria, panel=judged)
    problems.extend(scored.errors)
    gaps = [c for c in scored.caveats if c.code == PANEL_GAP] if panel is not None else []
    return checked, problems, gaps
