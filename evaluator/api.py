"""The library surface: load criteria and proposals, compare them. The CLI is a client of it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaluator.errors import InputError, Problem, SettingError
from evaluator.io.files import DEFAULT_MAX_BYTES, discover, display_path, load_document
from evaluator.model.criteria import (
    METHODS,
    WEIGHTS,
    Criteria,
    free_form_fields,
    is_free_form,
    parse_criteria,
    unmet_field_notes,
)
from evaluator.model.panel import Panel, load_panel
from evaluator.model.proposal import Proposal, parse_proposal
from evaluator.scoring.caveats import PANEL_GAP, Caveat
from evaluator.scoring.evaluate import Comparison as EngineComparison
from evaluator.scoring.evaluate import Evaluation as EngineEvaluation
from evaluator.scoring.evaluate import Prepared, WhatIf, evaluate, prepare

if TYPE_CHECKING:
    from evaluator.analysis.sensitivity import Sensitivity
    from evaluator.model.ahp import AhpResult

# A path as a caller gives it: text or any path-like object.
PathArg = str | os.PathLike[str]

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


def load_criteria(path: PathArg | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
                  ) -> Criteria:
    """Read and validate a criteria file (the default one when `path` is None)."""
    if path is not None:
        return parse_criteria(load_document(Path(path), max_bytes))
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
    """The proposal files of `paths` (as `io.files.discover` finds them), and a problem for
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


def compare_files(paths: Sequence[Path], criteria: Criteria, *,
                  weights: Mapping[str, float] | None = None, method: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES, on_file: FileCallback | None = None,
                  panel: Path | None = None, jobs: int | None = None) -> EngineComparison:
    """Load the proposals in `paths` (and the `panel` folder) and score, rank and explain
    them: the engine's whole result (`compare` gives it to a library caller)."""
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


def score_file(path: Path, criteria: Criteria, *, weights: Mapping[str, float] | None = None,
               method: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
               panel: Path | None = None) -> EngineComparison:
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


# --- The library's surface: what `import evaluator` offers ---------------------------------
#
# Paths as text or `Path`, options by keyword, typed results. A setting that cannot be used
# is a `SettingError` naming the setting ("weights", "method", "spread"...); a value of the
# wrong type is a TypeError. The command line is a client of these functions.

ALL_METHODS = "all"  # `method="all"`: every method's rank side by side
RUN_METHODS = (*METHODS, ALL_METHODS)


@dataclass(frozen=True, slots=True, eq=False)
class Evaluation:
    """One proposal's result: who offers it, its total and rank, whether it passes every
    gate, its score on each criterion. `details` holds the evidence behind every number
    (sub-criteria, rules, gates, warnings), as `evaluator score` shows it."""

    id: str
    country: str
    total: float  # 0 to 100, by the run's method
    rank: int | None  # None when ineligible (it fails a gate): never ranked
    eligible: bool
    title: str = field(repr=False)
    file: str = field(repr=False)
    scores: dict[str, float] = field(repr=False)  # criterion id -> its score, 0 to 100
    warnings: tuple[str, ...] = field(repr=False)
    details: EngineEvaluation = field(repr=False)

    @classmethod
    def of(cls, evaluation: EngineEvaluation) -> Evaluation:
        """The result of the engine's evaluation."""
        proposal = evaluation.proposal
        return cls(evaluation.id, proposal.country, evaluation.total, evaluation.rank,
                   evaluation.eligible, proposal.title, proposal.file,
                   {c.id: c.score for c in evaluation.criteria}, tuple(evaluation.warnings),
                   evaluation)


class Comparison:
    """The result of `compare` (or of `score`, with one evaluation): the proposals ranked
    (the eligible by rank, then the ineligible), the weights used and the files that could
    not be read. `to_dict()` is the JSON of `evaluator compare --format json`; `details`
    is the engine's whole result, as the renderers take it."""

    __slots__ = ("details", "evaluations")

    def __init__(self, details: EngineComparison) -> None:
        self.details = details
        self.evaluations = tuple(Evaluation.of(e) for e in details.evaluations)

    @property
    def winner(self) -> Evaluation | None:
        """The first-ranked eligible proposal (the first of a tie); None if none is eligible."""
        return next((e for e in self.evaluations if e.rank == 1), None)

    @property
    def method(self) -> str:
        """The method that made the totals and ranks (the criteria file's with "all")."""
        return self.details.method

    @property
    def weights(self) -> dict[str, float]:
        """The top-level weights used, as fractions of 1."""
        return self.details.weights

    @property
    def what_if(self) -> WhatIf | None:
        """How the run departs from the criteria file (weights, method); None if it does not."""
        return self.details.what_if

    @property
    def errors(self) -> list[Problem]:
        """The problems of the files that could not be read or scored (left out)."""
        return self.details.errors

    @property
    def notes(self) -> list[str]:
        """What holds for the whole result, in words."""
        return self.details.notes

    @property
    def caveats(self) -> list[Caveat]:
        """Why the result is provisional (codes and data), if it is."""
        return self.details.caveats

    @property
    def criteria(self) -> Criteria:
        """The criteria the proposals were scored against."""
        return self.details.criteria

    def to_dict(self) -> dict[str, Any]:
        """The result as `evaluator compare --format json` (or `score`) gives it."""
        from evaluator.render.data import comparison_data
        return comparison_data(self.details)

    def __repr__(self) -> str:
        winner = self.winner
        return (f"Comparison(method={self.method!r}, winner={winner and winner.id!r}, "
                f"evaluations={len(self.evaluations)}, errors={len(self.errors)})")


def compare(paths: PathArg | Iterable[PathArg], *, criteria: Criteria | PathArg | None = None,
            weights: Mapping[str, float] | None = None, method: str | None = None,
            panel: PathArg | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
            jobs: int | None = None, on_file: FileCallback | None = None) -> Comparison:
    """Score and rank the proposals in `paths` (files and folders) against `criteria` (a
    file, criteria already loaded, or None for the default file).

    `weights`: what-if weights of top-level criteria in percent of the total (`{"pricing":
    40}`: pricing counts for 40%, the others keep their proportions). `method`: wsm,
    topsis, promethee, or all (each method's rank side by side); None for the criteria
    file's. `panel`: the folder of the panel members' rating files. A file that cannot be
    read or scored is left out and its problems are in `errors`; it never stops the others.
    """
    overrides, chosen = _weights(weights), _method(method)
    framework = _criteria(criteria, max_bytes)
    return Comparison(compare_files(_paths(paths), framework, weights=overrides,
                                    method=chosen, max_bytes=max_bytes, on_file=on_file,
                                    panel=_path(panel), jobs=jobs))


def score(path: PathArg, *, criteria: Criteria | PathArg | None = None,
          weights: Mapping[str, float] | None = None, method: str | None = None,
          panel: PathArg | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Comparison:
    """Score one proposal file, as `compare` would (with the same options): a result with
    one evaluation. The panel may rate other proposals too. InputError when the proposal
    cannot be read or scored; a bad panel file is only in `errors`."""
    overrides, chosen = _weights(weights), _method(method)
    framework = _criteria(criteria, max_bytes)
    scored = score_file(Path(path), framework, weights=overrides, method=chosen,
                        max_bytes=max_bytes, panel=_path(panel))
    if not scored.evaluations and scored.errors:
        raise InputError(scored.errors)
    return Comparison(scored)


def sensitivity(comparison: Comparison | EngineComparison, *, samples: int = 10_000,
                seed: int = 0, spread: float | str | None = 0.25, values: bool = False,
                ranks: int | None = None, progress: Callable[[int, int], None] | None = None
                ) -> Sensitivity:
    """How far the weights of a weighted-sum comparison can move before the winner changes:
    each criterion's stability interval, the tipping point, and rank acceptability from
    `samples` weightings drawn (`seed`: the same seed, the same result).

    `spread`: each weight is drawn within ± spread of today's (0 to 1), or from every
    possible weighting with None (or "full"). `values`: draw the figures given as ranges
    too, and give each proposal's confidence factor. `ranks`: how many ranks the
    acceptability lists (None: every rank up to 100 eligible proposals, else 10).
    `progress(done, total)` is called as the draws go.
    """
    drawn = parse_spread(spread)
    _whole("samples", samples, 1, "a whole number of draws")
    _whole("seed", seed, 0, "a whole number")
    if ranks is not None:
        _whole("ranks", ranks, 1, "a whole number of ranks")
    details = comparison.details if isinstance(comparison, Comparison) else comparison
    if details.method != "wsm":
        raise SettingError.at("method", "the analysis works on weighted-sum totals: compare "
                                        f"with method wsm (or all), not {details.method!r}")
    from evaluator.analysis.sensitivity import analyse
    return analyse(details, samples, seed, drawn, bool(values), ranks, progress)


def derive_weights(path: PathArg, *, max_bytes: int = DEFAULT_MAX_BYTES) -> AhpResult:
    """Criterion weights from a file of pairwise judgements (AHP): the weights, lambda max,
    CI and CR; `warnings()` names the judgement to revisit when CR is above 0.10."""
    from evaluator.model.ahp import derive, load_judgements
    return derive(load_judgements(Path(path), max_bytes))


def criteria_weights(criteria: Criteria, *, weights: Mapping[str, float] | None = None
                     ) -> tuple[dict[str, float], WhatIf | None]:
    """The criteria's top-level weights (fractions of 1) after what-if `weights` (percent of
    the total, as `compare` takes them), and how they depart from the file's, if they do."""
    overrides = _weights(weights)
    return criteria.weights(overrides), WhatIf.of(criteria, overrides, None)


def compare_json(paths: PathArg | Iterable[PathArg], *,
                 criteria: Criteria | PathArg | None = None,
                 weights: Mapping[str, float] | None = None, panel: PathArg | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, jobs: int | None = None,
                 on_file: FileCallback | None = None) -> tuple[bytes, list[Problem]]:
    """`compare(...).to_dict()` by the weighted sum, as `evaluator compare --format json`
    writes it (in UTF-8), and the problems. A large batch is read, scored and encoded by
    `jobs` worker processes (default: one per core), with the same result."""
    from evaluator.scoring.parallel import compare_json as encoded
    overrides = _weights(weights)
    framework = _criteria(criteria, max_bytes)
    return encoded(_paths(paths), framework, overrides, max_bytes, on_file, _path(panel), jobs)


def parse_spread(spread: float | str | None) -> float | None:
    """A spread as `sensitivity` takes it: a number from 0 to 1 (or its text), or None for
    every possible weighting (also written "full")."""
    if spread is None:
        return None
    if isinstance(spread, bool) or not isinstance(spread, int | float | str):
        raise TypeError(f"spread: expected a number from 0 to 1, \"full\" or None, "
                        f"got {spread!r}")
    if isinstance(spread, str) and spread.strip().lower() == "full":
        return None
    try:
        value = float(spread)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise SettingError.at("spread", "expected a number from 0 to 1 or `full`, got "
                                        f"{spread!r}")
    return value


def _whole(setting: str, value: int, least: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{setting}: expected {what}, got {value!r}")
    if value < least:
        raise SettingError.at(setting, f"expected {what}, at least {least}, got {value}")


def _paths(paths: PathArg | Iterable[PathArg]) -> list[Path]:
    if isinstance(paths, str | os.PathLike):
        return [Path(paths)]
    return [Path(path) for path in paths]


def _path(path: PathArg | None) -> Path | None:
    return None if path is None else Path(path)


def _criteria(criteria: Criteria | PathArg | None, max_bytes: int) -> Criteria:
    if isinstance(criteria, Criteria):
        return criteria
    return load_criteria(criteria, max_bytes=max_bytes)


def _weights(weights: Mapping[str, float] | None) -> dict[str, float] | None:
    """What-if weights checked for their types (their values are the criteria's to check)."""
    if weights is None:
        return None
    if not isinstance(weights, Mapping):
        raise TypeError(f"{WEIGHTS}: expected a mapping of criterion ids to percentages of "
                        f"the total, such as {{'pricing': 40}}, got {weights!r}")
    checked: dict[str, float] = {}
    for name, weight in weights.items():
        if not isinstance(name, str):
            raise TypeError(f"{WEIGHTS}: a criterion id is text, got {name!r}")
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise TypeError(f"{WEIGHTS}: `{name}` is {weight!r}, not a number (a percentage "
                            "of the total)")
        checked[name] = float(weight)
    return checked


def _method(method: str | None) -> str | None:
    if method is None:
        return None
    if not isinstance(method, str):
        raise TypeError(f"method: expected one of {', '.join(RUN_METHODS)}, got {method!r}")
    if method not in RUN_METHODS:
        raise SettingError.at("method", f"{method!r} is not one of: " + ", ".join(RUN_METHODS))
    return str(method)
