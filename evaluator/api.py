"""The library surface: load criteria and proposals, compare them. The CLI is a client of it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaluator.errors import InputError, NoRegisterError, Problem, SettingError
from evaluator.io.files import DEFAULT_MAX_BYTES, FileRead, display_path, load_document
from evaluator.messages import Message
from evaluator.messages.files import IN_DEFAULT_CRITERIA
from evaluator.messages.settings import (
    A_NUMBER_OF_DRAWS,
    A_NUMBER_OF_RANKS,
    A_WHOLE_NUMBER,
    ANALYSIS_NEEDS_WEIGHTED_SUM,
    SPREAD,
    TOO_FEW,
    UNKNOWN_METHOD,
)
from evaluator.model.criteria import (
    WEIGHTS,
    Criteria,
    parse_criteria,
)
from evaluator.model.envelopes import is_envelopes, load_technical, open_financial
from evaluator.model.method import ALL, METHODS, Method
from evaluator.model.notes import STAGES_NOT_RUN, Note
from evaluator.model.panel import Panel, load_panel
from evaluator.model.proposal import Proposal, parse_proposal
from evaluator.render.text.notes import notes_text
from evaluator.scoring import batch as batches
from evaluator.scoring import parallel
from evaluator.scoring.batch import (
    NO_PROPOSALS,
    FileCallback,
    Ids,
    duplicate_problem,
    load_or_problems,
    proposal_files,
)
from evaluator.scoring.caveats import CRITERIA_CHANGED, DECLARATION_MISSING, PANEL_GAP, Caveat
from evaluator.scoring.engine import evaluate, prepare
from evaluator.scoring.results import Comparison as EngineComparison
from evaluator.scoring.results import Evaluation as EngineEvaluation
from evaluator.scoring.results import Prepared, WhatIf

if TYPE_CHECKING:
    from evaluator.analysis.diff import Diff
    from evaluator.analysis.sensitivity import Sensitivity
    from evaluator.model.ahp import AhpResult
    from evaluator.register.store import Run, Verification
    from evaluator.scoring.stages import Staged

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


def load_criteria(path: PathArg | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Criteria:
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
        raise InputError(
            [
                Problem(p.file, IN_DEFAULT_CRITERIA(problem=p.words), p.line, p.column)
                for p in exc.problems
            ]
        ) from None
    return parse_criteria(document)


def free_form_notes(criteria: Criteria, proposals: Sequence[Proposal]) -> list[Note]:
    """`model.unmet_field_notes` for a run's proposals (none when there are none)."""
    return batches.free_form_notes(criteria, [p.values for p in proposals])


def load_proposal(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Proposal:
    """Read and validate one proposal: a file, or an offer's folder of two envelopes
    (both opened: technical.yaml, then financial.yaml)."""
    if is_envelopes(path):
        return open_financial(load_technical(path, max_bytes), max_bytes)
    return parse_proposal(load_document(path, max_bytes))


@dataclass(slots=True)
class Batch:
    """Proposals read from files and folders, and the problems of those that failed."""

    proposals: list[Proposal] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    files: int = 0
    # The same proposals `prepare`d for scoring, when the criteria were given.
    prepared: list[Prepared] = field(default_factory=list)


def load_proposals(
    paths: Iterable[Path],
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: FileCallback | None = None,
    jobs: int | None = None,
    criteria: Criteria | None = None,
    sealed: bool = False,
) -> Batch:
    """Read every proposal named; one bad file never stops the others.

    Large batches are parsed by `jobs` worker processes (default: one per core); the
    result, and its order, is the same as reading the files one by one. With `criteria`,
    each proposal is also `prepare`d for scoring as it arrives: while the workers parse
    the next files, rather than after the last one. `sealed`: an offer in two envelopes
    is read without its financial envelope (a staged run opens it later, if ever).
    """
    batch = Batch()
    ids = Ids()
    files, batch.errors = proposal_files(paths)
    workers = parallel.worker_count(jobs, len(files))
    outcomes: Iterable[Proposal | tuple[Problem, ...]]
    if workers > 1:
        outcomes = parallel.read_in_parallel(files, max_bytes, workers, sealed)
    else:
        outcomes = (load_or_problems(path, max_bytes, sealed) for path in files)
    for outcome in outcomes:
        batch.files += 1
        _add_proposal(batch, ids, outcome, criteria)
        if on_file is not None:
            on_file(batch.files, len(files))
    return batch


def _add_proposal(
    batch: Batch, ids: Ids, outcome: Proposal | tuple[Problem, ...], criteria: Criteria | None
) -> None:
    if not isinstance(outcome, Proposal):
        batch.errors.extend(outcome)
        return
    proposal = outcome
    taken = ids.take(proposal.id, proposal.file)
    if taken is not True:
        if taken is not False:  # not the same file given twice (it counts once)
            batch.errors.append(duplicate_problem(proposal, taken))
        return
    batch.proposals.append(proposal)
    if criteria is not None:
        batch.prepared.append(prepare(proposal, criteria))


def compare_stages(
    paths: Sequence[Path],
    criteria: Criteria,
    *,
    weights: Mapping[str, float] | None = None,
    method: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    panel: Path | None = None,
    until: str | None = None,
    jobs: int | None = None,
    on_file: FileCallback | None = None,
) -> Staged:
    """A tender evaluated stage by stage (the criteria file's `stages`), up to and including
    the stage `until` (an id; None: every stage and, when the last asks for it, the
    weighted recommendation among the offers that passed them all). Offers in two
    envelopes are read without their financial envelope, which is opened only for an
    offer that reaches the first stage reading it. Large batches are read by `jobs`
    worker processes, as `load_proposals` reads them."""
    from evaluator.scoring.stages import evaluate_stages

    batch = load_proposals(paths, max_bytes, on_file, jobs, sealed=True)
    # The files that could not be read (an empty folder is said, but is not a file): before
    # the panel's problems join the batch's errors (a bad panel file is no proposal's).
    unread = files_of(p for p in batch.errors if p.words != NO_PROPOSALS)
    judged = _panel_of(batch, panel, criteria, max_bytes)
    staged = evaluate_stages(
        batch.proposals,
        criteria,
        weights=weights,
        method=method,
        panel=judged,
        errors=batch.errors,
        until=until,
        financial=lambda proposal: open_financial(proposal, max_bytes),
        unread=unread,
    )
    if staged.final is not None:
        # A `technical` field no offer gives, as `compare_files` notes it: every offer read
        # (a financial envelope gives only `pricing`, so the sealed ones count in full).
        staged.final.notes.extend(free_form_notes(criteria, batch.proposals))
    return staged


def compare_stages_json(
    paths: Sequence[Path],
    criteria: Criteria,
    *,
    weights: Mapping[str, float] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int | None = None,
    on_file: FileCallback | None = None,
) -> tuple[bytes, list[Problem]]:
    """`compare_stages` with the weighted sum and every stage, as `render.stages_data.staged_json`
    writes it (in UTF-8), and the run's problems. A large batch is read, run through the
    stages, scored and encoded by `jobs` worker processes (scoring.parallel), as
    `compare_json` does without stages, with the same result; else the ordinary path."""
    from evaluator.render import json as render_json
    from evaluator.render import stages_data

    encoded = parallel.compare_stages_encoded(
        paths, criteria, render_json.result_lines, weights, max_bytes, on_file, jobs
    )
    if encoded is None:
        staged = compare_stages(
            paths,
            criteria,
            weights=weights,
            method=Method.WSM,
            max_bytes=max_bytes,
            jobs=jobs,
            on_file=on_file,
        )
        return stages_data.staged_json(staged).encode("utf-8"), staged.errors
    staged = encoded.staged
    return stages_data.staged_json_encoded(staged, encoded.results), staged.errors


def _panel_of(batch: Batch, panel: Path | None, criteria: Criteria, max_bytes: int) -> Panel | None:
    """The `panel` folder's ratings of the batch's proposals (None without one); its
    problems join the batch's errors."""
    if panel is None:
        return None
    # A rating of a proposal whose file failed is not the panel's mistake: that file's
    # own errors are listed already.
    unreadable = {Path(p.file).stem for p in batch.errors}
    judged, problems = load_panel(
        panel, criteria, [p.id for p in batch.proposals], unreadable=unreadable, max_bytes=max_bytes
    )
    batch.errors.extend(problems)
    return judged


def compare_files(
    paths: Sequence[Path],
    criteria: Criteria,
    *,
    weights: Mapping[str, float] | None = None,
    method: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: FileCallback | None = None,
    panel: Path | None = None,
    jobs: int | None = None,
) -> EngineComparison:
    """Load the proposals in `paths` (and the `panel` folder) and score, rank and explain
    them: the engine's whole result (`compare` gives it to a library caller)."""
    batch = load_proposals(paths, max_bytes, on_file, jobs, criteria)
    # The files that could not be read (an empty folder is said, but is not a file).
    unread = files_of(p for p in batch.errors if p.words != NO_PROPOSALS)
    judged = _panel_of(batch, panel, criteria, max_bytes)
    comparison = evaluate(
        batch.prepared, criteria, weights, method, batch.errors, judged, batch.files, unread
    )
    comparison.notes.extend(free_form_notes(criteria, batch.proposals))
    return comparison


def files_of(problems: Iterable[Problem]) -> list[str]:
    """The files the problems are about, each once, in order."""
    return list(dict.fromkeys(p.file for p in problems))


def score_file(
    path: Path,
    criteria: Criteria,
    *,
    weights: Mapping[str, float] | None = None,
    method: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    panel: Path | None = None,
) -> EngineComparison:
    """Score one proposal file; the panel may rate others too (they are not checked)."""
    proposal = load_proposal(path, max_bytes)
    judged: Panel | None = None
    problems: list[Problem] = []
    if panel is not None:
        judged, problems = load_panel(
            panel, criteria, [proposal.id], other_proposals=True, max_bytes=max_bytes
        )
    comparison = evaluate([proposal], criteria, weights, method, problems, judged, files=1)
    comparison.notes.extend(free_form_notes(criteria, [proposal]))
    if criteria.stages:
        stages = tuple(stage.id for stage in criteria.stages)
        comparison.notes.append(Note(STAGES_NOT_RUN, {"stages": stages}))
    return comparison


def validate_paths(
    paths: Iterable[Path],
    criteria: Criteria,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: FileCallback | None = None,
    panel: Path | None = None,
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
            if is_envelopes(path):  # an offer in two envelopes: both are checked
                technical = load_technical(path, max_bytes)
                checked.append(technical.file)
                checked.append(display_path(Path(technical.financial or "")))
                proposals.append(open_financial(technical, max_bytes))
                continue
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
        finally:
            if on_file is not None:
                on_file(done, len(files))
    judged = None
    if panel is not None:
        unreadable = {Path(p.file).stem for p in problems}
        judged, panel_problems = load_panel(
            panel, criteria, [p.id for p in proposals], unreadable=unreadable, max_bytes=max_bytes
        )
        problems.extend(panel_problems)
        checked.extend(m.file for m in judged.members)
        checked.extend(sorted({p.file for p in panel_problems} - set(checked)))
    # Scoring finds what only the criteria can tell: currencies, levels, missing values.
    scored = evaluate(proposals, criteria, panel=judged)
    problems.extend(scored.errors)
    unfinished = (PANEL_GAP, DECLARATION_MISSING)  # what the panel still has to do
    gaps = [c for c in scored.caveats if c.code in unfinished] if panel is not None else []
    return checked, problems, gaps


# --- The library's surface: what `import evaluator` offers ---------------------------------
#
# Paths as text or `Path`, options by keyword, typed results. A setting that cannot be used
# is a `SettingError` naming the setting ("weights", "method", "spread"...); a value of the
# wrong type is a TypeError. The command line is a client of these functions.

# A method a run may ask for: one of METHODS, or ALL for every one's rank side by side.
RUN_METHODS = (*METHODS, ALL)


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
    warnings: tuple[str, ...] = field(repr=False)  # in words, as `evaluator score` says them
    details: EngineEvaluation = field(repr=False)

    @classmethod
    def of(cls, evaluation: EngineEvaluation) -> Evaluation:
        """The result of the engine's evaluation."""
        proposal = evaluation.proposal
        return cls(
            evaluation.id,
            proposal.country,
            evaluation.total,
            evaluation.rank,
            evaluation.eligible,
            proposal.title,
            proposal.file,
            {c.id: c.score for c in evaluation.criteria},
            tuple(notes_text(evaluation.warnings)),
            evaluation,
        )


class Comparison:
    """The result of `compare` (or of `score`, with one evaluation): the proposals ranked
    (the eligible by rank, then the ineligible), the weights used and the files that could
    not be read. `to_dict()` is the JSON of `evaluator compare --format json`; `details`
    is the engine's whole result, as the renderers take it.

    On criteria with stages, `compare` runs the stages: `stages` is the whole staged run,
    and the evaluations are the weighted evaluation among the offers that passed every
    stage (as the command line ranks them); None without stages."""

    __slots__ = ("details", "evaluations", "stages")

    def __init__(self, details: EngineComparison, stages: Staged | None = None) -> None:
        self.details = details
        self.stages = stages
        self.evaluations = tuple(Evaluation.of(e) for e in details.evaluations)

    @property
    def winner(self) -> Evaluation | None:
        """The first-ranked eligible proposal (the first of a tie); None if none is eligible."""
        return next((e for e in self.evaluations if e.rank == 1), None)

    @property
    def method(self) -> str:
        """The method that made the totals and ranks (the criteria file's with ALL)."""
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
        return self.stages.errors if self.stages is not None else self.details.errors

    @property
    def notes(self) -> list[str]:
        """What holds for the whole result, in words (`details.notes`: as codes and data)."""
        return notes_text(self.details.notes)

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
        if self.stages is not None:
            from evaluator.render.stages_data import staged_data

            return staged_data(self.stages)
        from evaluator.render.data import comparison_data

        return comparison_data(self.details)

    def __repr__(self) -> str:
        winner = self.winner
        return (
            f"Comparison(method={str(self.method)!r}, winner={winner and winner.id!r}, "
            f"evaluations={len(self.evaluations)}, errors={len(self.errors)})"
        )


def compare(
    paths: PathArg | Iterable[PathArg],
    *,
    criteria: Criteria | PathArg | None = None,
    weights: Mapping[str, float] | None = None,
    method: str | None = None,
    panel: PathArg | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int | None = None,
    on_file: FileCallback | None = None,
) -> Comparison:
    """Score and rank the proposals in `paths` (files and folders) against `criteria` (a
    file, criteria already loaded, or None for the default file).

    `weights`: what-if weights of top-level criteria in percent of the total (`{"pricing":
    40}`: pricing counts for 40%, the others keep their proportions). `method`: wsm,
    topsis, promethee, or all (each method's rank side by side); None for the criteria
    file's. `panel`: the folder of the panel members' rating files. A file that cannot be
    read or scored is left out and its problems are in `errors`; it never stops the others.
    Criteria with stages are evaluated stage by stage, as `evaluator compare` does: the
    result ranks the offers that passed every stage, and its `stages` holds the run.
    """
    overrides, chosen = _weights(weights), _method(method)
    framework = _criteria(criteria, max_bytes)
    if framework.stages:
        staged = compare_stages(
            _paths(paths),
            framework,
            weights=overrides,
            method=chosen,
            max_bytes=max_bytes,
            panel=_path(panel),
            jobs=jobs,
            on_file=on_file,
        )
        final = staged.final
        if final is None:  # no stage recommends: an empty weighted evaluation
            final = evaluate([], framework, errors=[])
        # The run's problems (files unread, envelopes that would not open) are the result's,
        # as an analysis of it reports them.
        final.errors = list(staged.errors)
        return Comparison(final, staged)
    return Comparison(
        compare_files(
            _paths(paths),
            framework,
            weights=overrides,
            method=chosen,
            max_bytes=max_bytes,
            on_file=on_file,
            panel=_path(panel),
            jobs=jobs,
        )
    )


def score(
    path: PathArg,
    *,
    criteria: Criteria | PathArg | None = None,
    weights: Mapping[str, float] | None = None,
    method: str | None = None,
    panel: PathArg | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Comparison:
    """Score one proposal file, as `compare` would (with the same options): a result with
    one evaluation. The panel may rate other proposals too. InputError when the proposal
    cannot be read or scored; a bad panel file is only in `errors`."""
    overrides, chosen = _weights(weights), _method(method)
    framework = _criteria(criteria, max_bytes)
    scored = score_file(
        Path(path),
        framework,
        weights=overrides,
        method=chosen,
        max_bytes=max_bytes,
        panel=_path(panel),
    )
    if not scored.evaluations and scored.errors:
        raise InputError(scored.errors)
    return Comparison(scored)


def sensitivity(
    comparison: Comparison | EngineComparison,
    *,
    samples: int = 10_000,
    seed: int = 0,
    spread: float | str | None = 0.25,
    values: bool = False,
    ranks: int | None = None,
    progress: Callable[[int, int], None] | None = None,
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
    _whole("samples", samples, 1, A_NUMBER_OF_DRAWS)
    _whole("seed", seed, 0, A_WHOLE_NUMBER)
    if ranks is not None:
        _whole("ranks", ranks, 1, A_NUMBER_OF_RANKS)
    details = comparison.details if isinstance(comparison, Comparison) else comparison
    if details.method != Method.WSM:
        raise SettingError.at("method", ANALYSIS_NEEDS_WEIGHTED_SUM(method=details.method))
    from evaluator.analysis.sensitivity import analyse

    result = analyse(details, samples, seed, drawn, bool(values), ranks, progress)
    staged = comparison.stages if isinstance(comparison, Comparison) else None
    if staged is not None:  # say which offers the analysis is among, and which not
        from evaluator.model.notes import STAGES_PASSED

        passed = set(staged.passed_all)
        left_out = [p.id for p in staged.proposals if p.id not in passed]
        stages = [s.id for s in staged.criteria.stages]
        result.notes.insert(0, Note(STAGES_PASSED, {"stages": stages, "left_out": left_out}))
    return result


def diff(
    old: PathArg,
    new: PathArg,
    *,
    criteria: Criteria | PathArg | None = None,
    against: PathArg | Iterable[PathArg] = (),
    weights: Mapping[str, float] | None = None,
    method: str | None = None,
    panel: PathArg | None = None,
    samples: int | None = None,
    seed: int = 0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Diff:
    """What each change between two rounds of one offer (OLD and NEW: files, or folders of
    two envelopes) did to its total, in the field of the offers in `against` (files and
    folders; those with OLD's or NEW's id are left out): each changed field's share of the
    total change (Shapley values: exact up to 12 changes, else from `samples` random orders
    of them, 200 by default, drawn with `seed`), the total change, each one's rank among
    the field, the gates whose outcome changed. `weights`, `method` and `panel` as for
    `compare`. InputError when OLD or NEW cannot be read or scored; an offer of the field
    that cannot be is left out, its problems in the result's `errors`."""
    from evaluator.analysis.diff import DEFAULT_SAMPLES
    from evaluator.analysis.diff import diff as analyse

    overrides, chosen = _weights(weights), _method(method)
    if samples is None:
        samples = DEFAULT_SAMPLES
    _whole("samples", samples, 1, A_NUMBER_OF_DRAWS)
    _whole("seed", seed, 0, A_WHOLE_NUMBER)
    framework = _criteria(criteria, max_bytes)
    first = load_proposal(Path(old), max_bytes)
    second = load_proposal(Path(new), max_bytes)
    field_paths = (
        [] if isinstance(against, str | os.PathLike) and not str(against) else _paths(against)
    )
    batch = load_proposals(field_paths, max_bytes, criteria=framework) if field_paths else Batch()
    judged: Panel | None = None
    if panel is not None:
        ids = [first.id, *[p.id for p in batch.proposals if p.id != first.id]]
        judged, problems = load_panel(
            Path(panel), framework, ids, other_proposals=True, max_bytes=max_bytes
        )
        batch.errors.extend(problems)
    unscored = [p for p in batch.prepared if p.problems]
    errors = [*batch.errors, *(problem for p in unscored for problem in p.problems)]
    return analyse(
        first,
        second,
        framework,
        batch.prepared,
        weights=overrides,
        method=chosen,
        panel=judged,
        samples=samples,
        seed=seed,
        errors=errors,
    )


def derive_weights(path: PathArg, *, max_bytes: int = DEFAULT_MAX_BYTES) -> AhpResult:
    """Criterion weights from a file of pairwise judgements (AHP): the weights, lambda max,
    CI and CR; `warnings()` names the judgement to revisit when CR is above 0.10."""
    from evaluator.model.ahp import derive, load_judgements

    return derive(load_judgements(Path(path), max_bytes))


def criteria_weights(
    criteria: Criteria, *, weights: Mapping[str, float] | None = None
) -> tuple[dict[str, float], WhatIf | None]:
    """The criteria's top-level weights (fractions of 1) after what-if `weights` (percent of
    the total, as `compare` takes them), and how they depart from the file's, if they do."""
    overrides = _weights(weights)
    return criteria.weights(overrides), WhatIf.of(criteria, overrides, None)


def compare_json(
    paths: PathArg | Iterable[PathArg],
    *,
    criteria: Criteria | PathArg | None = None,
    weights: Mapping[str, float] | None = None,
    panel: PathArg | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int | None = None,
    on_file: FileCallback | None = None,
) -> tuple[bytes, list[Problem]]:
    """`compare(...).to_dict()` by the weighted sum, as `evaluator compare --format json`
    writes it (in UTF-8), and the problems. A large batch is read, scored and encoded by
    `jobs` worker processes (default: one per core), with the same result."""
    overrides = _weights(weights)
    framework = _criteria(criteria, max_bytes)
    return _compare_json(
        _paths(paths), framework, overrides, max_bytes, on_file, _path(panel), jobs
    )


def _compare_json(
    paths: Sequence[Path],
    criteria: Criteria,
    weights: Mapping[str, float] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: FileCallback | None = None,
    panel: Path | None = None,
    jobs: int | None = None,
) -> tuple[bytes, list[Problem]]:
    """`compare` with the weighted sum, as `render.json` renders it: the text in UTF-8, and
    the problems. A large batch is scored by worker processes that also encode each
    result's line (scoring.parallel, given render.json's encoder), so that no proposal
    crosses back to this process."""
    from evaluator.render import RenderOptions
    from evaluator.render import json as render_json

    encoded = parallel.compare_encoded(
        paths, criteria, render_json.result_lines, weights, max_bytes, on_file, panel, jobs
    )
    if encoded is None:  # too few files for workers
        comparison = compare_files(
            paths,
            criteria,
            weights=weights,
            method=Method.WSM,
            max_bytes=max_bytes,
            on_file=on_file,
            panel=panel,
            jobs=jobs,
        )
        return render_json.render(comparison, RenderOptions()).encode("utf-8"), comparison.errors
    return render_json.render_ranked(encoded.comparison, encoded.results), encoded.comparison.errors


def parse_spread(spread: float | str | None) -> float | None:
    """A spread as `sensitivity` takes it: a number from 0 to 1 (or its text), or None for
    every possible weighting (also written "full")."""
    if spread is None:
        return None
    if isinstance(spread, bool) or not isinstance(spread, int | float | str):
        raise TypeError(f'spread: expected a number from 0 to 1, "full" or None, got {spread!r}')
    if isinstance(spread, str) and spread.strip().lower() == "full":
        return None
    try:
        value = float(spread)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise SettingError.at("spread", SPREAD(value=spread))
    return value


def _whole(setting: str, value: int, least: int, what: Message) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{setting}: expected {what}, got {value!r}")
    if value < least:
        raise SettingError.at(setting, TOO_FEW(what=what, least=least, value=value))


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
        raise TypeError(
            f"{WEIGHTS}: expected a mapping of criterion ids to percentages of "
            f"the total, such as {{'pricing': 40}}, got {weights!r}"
        )
    checked: dict[str, float] = {}
    for name, weight in weights.items():
        if not isinstance(name, str):
            raise TypeError(f"{WEIGHTS}: a criterion id is text, got {name!r}")
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise TypeError(
                f"{WEIGHTS}: `{name}` is {weight!r}, not a number (a percentage of the total)"
            )
        checked[name] = float(weight)
    return checked


def _method(method: str | None) -> str | None:
    if method is None:
        return None
    if not isinstance(method, str):
        raise TypeError(f"method: expected one of {', '.join(RUN_METHODS)}, got {method!r}")
    if method not in RUN_METHODS:
        raise SettingError.at("method", UNKNOWN_METHOD(method=method, methods=RUN_METHODS))
    return str(method)


# --- the register of runs (docs/register.md) --------------------------------------------------

REGISTER_ENV = "EVALUATOR_REGISTER"
REGISTER_FILE = "evaluations.db"


def register_location(
    criteria_file: PathArg | None = None, given: str | os.PathLike[str] | None = None
) -> str:
    """Where runs are recorded: `given` (a file or a postgresql:// URL), else the
    EVALUATOR_REGISTER environment variable, else evaluations.db beside the criteria file
    (`criteria_file`, or the one `load_criteria` reads without one: ./criteria/default.yaml
    if there is one); in the current folder for the copy installed with the package."""
    if given is not None:
        return os.fspath(given)
    from_env = os.environ.get(REGISTER_ENV)
    if from_env:
        return from_env
    if criteria_file is None:
        criteria_file = DEFAULT_CRITERIA if DEFAULT_CRITERIA.exists() else None
    if criteria_file is None:
        return REGISTER_FILE
    folder = Path(criteria_file).parent
    installed = Path(__file__).parent
    if folder.resolve() in (installed.resolve(), (installed / "data").resolve()):
        return REGISTER_FILE
    return os.fspath(folder / REGISTER_FILE)


def register_history(
    where: str,
    *,
    programme: str | None = None,
    proposal: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[Run]:
    """The register's runs, oldest first: of a programme, of a proposal id, from `since`
    and before `until` (ISO dates, UTC), when given."""
    from evaluator.register.store import Register

    with Register.open(where) as register:
        return register.runs(programme=programme, proposal=proposal, since=since, until=until)


def register_rounds(where: str, proposal: str) -> list[tuple[Run, dict[str, Any], int]]:
    """Each run that evaluated proposal `proposal`, what it recorded of it, and its round:
    1 for the first version of the offer, 2 for the next that differs, and so on. Two runs
    read the same version when every file they both read of it (a single file, or an
    envelope: technical, financial) is the same; a sealed financial envelope, not read,
    does not make a new version."""
    from evaluator.register.store import Register

    with Register.open(where) as register:
        found = register.rounds(proposal)
    versions: list[dict[str, str]] = []
    rounds = []
    for run, _row in found:
        entry = next(p for p in run.record.get("proposals", []) if p["id"] == proposal)
        files = {_role(name): sha for name, sha in entry.get("files", [])}
        number = next(
            (
                i
                for i, known in enumerate(versions, 1)
                if (common := known.keys() & files.keys())
                and all(known[k] == files[k] for k in common)
            ),
            None,
        )
        if number is None:
            versions.append(dict(files))
            number = len(versions)
        else:
            versions[number - 1].update(files)
        rounds.append((run, entry, number))
    return rounds


def _role(name: str) -> str:
    base = Path(name).name
    return base if base in ("technical.yaml", "financial.yaml") else "offer"


def register_verify(where: str, head: str | None = None) -> Verification:
    """The register's chain walked (see `Register.verify`)."""
    from evaluator.register.store import Register

    with Register.open(where) as register:
        return register.verify(head)


def stored_run(where: str, ref: str) -> tuple[Run, dict[str, bytes]]:
    """A stored run (by number, or the start of its hash) and its input files' bytes, by
    sha256."""
    from evaluator.register.store import Register

    with Register.open(where) as register:
        run = register.run(ref)
        contents = {}
        for entry in run.files:
            data = register.content(entry["sha256"])
            if data is not None:
                contents[entry["sha256"]] = data
    return run, contents


def criteria_fingerprint(files: Sequence[FileRead]) -> str:
    """One hash of the criteria as read: the criteria file and those it names (its
    requirements, its AHP judgements), whatever their names."""
    import hashlib

    return hashlib.sha256("\n".join(sorted(f.sha256 for f in files)).encode()).hexdigest()


def open_programme(
    where: str,
    criteria: Criteria,
    criteria_files: Sequence[FileRead],
    programme: str,
    *,
    by: str | None = None,
    command: Sequence[str] = (),
) -> Run:
    """Record the bid opening of `programme`: its criteria (the files read, and the weights
    they give) frozen, before any offer is evaluated. A programme is opened once."""
    from evaluator.register.store import Register, StoredFile

    with Register.open(where, create=True) as register:

        def not_opened_yet(r: Register) -> dict[str, Any]:
            r.check_not_opened(programme)
            return {}

        record = _record_base("open", command, {}, by, programme)
        record["criteria"] = _criteria_facts(criteria, criteria_files, criteria.weights())
        files = [StoredFile(f.name, f.content, f.path) for f in _unique(criteria_files)]
        return register.append(record, files, None, check=not_opened_yet)


@dataclass(frozen=True)
class BidOpening:
    """A programme's bid opening as a run meets it: the opening run, and whether the run's
    criteria files differ from those frozen then (`weights`: the frozen weights, in percent
    of the total). `caveat` checks a run's weights against it without the register."""

    programme: str
    run: int
    at: str
    criteria_differ: bool
    weights: Mapping[str, float]

    def caveat(self, weights: Mapping[str, float]) -> Caveat | None:
        """The caveat for a run at `weights` (fractions of 1), or None when its criteria
        and weights are those frozen at the opening."""
        if self.criteria_differ:
            what = "criteria"
        elif any(abs(self.weights.get(k, -1.0) - v * 100) > 1e-9 for k, v in weights.items()):
            what = "weights"
        else:
            return None
        return Caveat(
            CRITERIA_CHANGED,
            {
                "programme": self.programme,
                "opened_run": self.run,
                "opened_at": self.at,
                "what": what,
            },
        )


def bid_opening(
    where: str, programme: str | None, criteria_files: Sequence[FileRead]
) -> BidOpening | None:
    """`programme`'s bid opening in the register at `where`, compared with a run's criteria
    files (None when there is no such programme, opening or register)."""
    from evaluator.register import is_url

    if programme is None or (not is_url(where) and not Path(where).exists()):
        return None  # and no database module imported
    from evaluator.register.store import Register

    try:
        with Register.open(where) as register:
            opened = register.opening(programme)
    except NoRegisterError:  # a database with no register in it yet
        return None
    if opened is None:
        return None
    frozen = opened.record["criteria"]
    return BidOpening(
        programme,
        opened.seq,
        opened.at,
        frozen["fingerprint"] != criteria_fingerprint(criteria_files),
        dict(frozen["weights"]),
    )


def record_run(
    where: str,
    *,
    kind: str,
    command: Sequence[str],
    options: Mapping[str, Any],
    criteria: Criteria,
    criteria_files: Sequence[FileRead],
    files: Sequence[FileRead],
    proposals: Sequence[Proposal],
    result: str,
    weights: Mapping[str, float],
    caveats: Sequence[Caveat] = (),
    by: str | None = None,
    programme: str | None = None,
) -> Run:
    """Store a run in the register at `where` (made if there is none): when, who, the tool's
    version, the command and its `options`, the criteria, every file read (`files`, in the
    order read) and the JSON `result`. `programme`: the proposals' common
    `proposal.programme` when not given."""
    from evaluator.register.store import ProposalRow, Register, StoredFile

    programme = programme if programme is not None else common_programme(proposals)
    record = _record_base(kind, command, options, by, programme)
    record["criteria"] = _criteria_facts(criteria, criteria_files, weights)
    rounds_named = {
        p.id: str(p.values["proposal.round"]) for p in proposals if "proposal.round" in p.values
    }
    record["proposals"] = [
        {
            "id": row.id,
            "version": row.version,
            "files": version_files,
            "round": rounds_named.get(row.id),
            "total": row.total,
            "rank": row.rank,
            "eligible": row.eligible,
        }
        for row, version_files in _proposal_rows(proposals, files, result, ProposalRow)
    ]
    record["flags"] = [c.code for c in caveats if c.code == CRITERIA_CHANGED]
    stored = [StoredFile(f.name, f.content, f.path) for f in _unique(files)]
    with Register.open(where, create=True) as register:
        return register.append(record, stored, result)


def common_programme(proposals: Sequence[Proposal]) -> str | None:
    """The programme the proposals name (`proposal.programme`), when they name one only."""
    named = {
        str(p.values["proposal.programme"]) for p in proposals if "proposal.programme" in p.values
    }
    return named.pop() if len(named) == 1 else None


def _record_base(
    kind: str,
    command: Sequence[str],
    options: Mapping[str, Any],
    by: str | None,
    programme: str | None,
) -> dict[str, Any]:
    import getpass
    from datetime import datetime

    from evaluator import __version__

    if by is None:
        try:
            by = getpass.getuser()
        except (KeyError, OSError):  # no name for this user id (a container, say)
            by = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {
        "kind": kind,
        "at": at,
        "by": by,
        "tool": {"name": "evaluator", "version": __version__},
        "command": list(command),
        "options": dict(options),
        "programme": programme,
        "cwd": os.getcwd(),
    }


def _criteria_facts(
    criteria: Criteria, files: Sequence[FileRead], weights: Mapping[str, float]
) -> dict[str, Any]:
    return {
        "id": criteria.id,
        "version": criteria.version,
        "file": criteria.file,
        "sha256": criteria.sha256,
        "fingerprint": criteria_fingerprint(files),
        "files": [f.name for f in _unique(files)],
        "weights": {k: round(v * 100, 9) for k, v in weights.items()},
    }


def _unique(files: Sequence[FileRead]) -> list[FileRead]:
    """Each file once (a file read twice, as a proposal and a panel's neighbour, say)."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for f in files:
        if (f.name, f.sha256) not in seen:
            seen.add((f.name, f.sha256))
            kept.append(f)
    return kept


def offer_files(
    proposals: Sequence[Proposal], files: Sequence[FileRead]
) -> list[tuple[str, str, str]]:
    """Each offer's files as the run read them, (id, file, sha256): both envelopes of an
    offer in two when both were opened; the offer's own file and hash when the run kept no
    record of its reading (a worker process read it)."""
    return [
        (proposal.id, name, sha)
        for proposal in proposals
        for name, sha in sorted(_files_of_offer(proposal, files).items())
    ]


def _files_of_offer(proposal: Proposal, files: Sequence[FileRead]) -> dict[str, str]:
    if proposal.file.endswith("/technical.yaml"):  # both envelopes, if both were read
        folder = proposal.file[: -len("technical.yaml")]
        read = {f.name: f.sha256 for f in files if f.name.startswith(folder)}
    else:
        read = {f.name: f.sha256 for f in files if f.name == proposal.file}
    return read or {proposal.file: proposal.sha256}


def _proposal_rows(
    proposals: Sequence[Proposal], files: Sequence[FileRead], result: str, row: Any
) -> list[tuple[Any, list[list[str]]]]:
    """Each proposal's version (a hash over the hashes of its files read: both envelopes of
    a folder, or the technical one only while the financial one stays sealed) and, from the
    JSON result, its total, rank and eligibility; with the files it was read from."""
    import hashlib
    import json

    try:
        data = json.loads(result)
    except ValueError:
        data = {}
    results = data.get("results", []) if isinstance(data, dict) else []
    by_id = {r["id"]: r for r in results if isinstance(r, dict) and "id" in r}
    rows = []
    for proposal in proposals:
        read = _files_of_offer(proposal, files)
        version = hashlib.sha256("\n".join(sorted(read.values())).encode()).hexdigest()
        found = by_id.get(proposal.id, {})
        rows.append(
            (
                row(
                    proposal.id,
                    version,
                    found.get("total"),
                    found.get("rank"),
                    found.get("eligible"),
                ),
                [[name, sha] for name, sha in sorted(read.items())],
            )
        )
    return rows
