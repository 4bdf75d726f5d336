"""The library surface: load criteria and proposals, compare them. The CLI is a client of it."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evaluator.errors import InputError, Problem
from evaluator.io.loading import DEFAULT_MAX_BYTES, load_document
from evaluator.model.criteria import Criteria, parse_criteria
from evaluator.model.method import Method
from evaluator.model.panel import Panel, load_panel
from evaluator.model.proposal import Proposal, parse_proposal
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


def free_form_notes(criteria: Criteria, proposals: Sequence[Proposal]) -> list[str]:
    """`model.unmet_field_notes` for a run's proposals (none when there are none)."""
    return batches.free_form_notes(criteria, [p.values for p in proposals])


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
    ids = Ids()
    files, batch.errors = proposal_files(paths)
    workers = parallel.worker_count(jobs, len(files))
    outcomes: Iterable[Proposal | tuple[Problem, ...]]
    if workers > 1:
        outcomes = parallel.read_in_parallel(files, max_bytes, workers)
    else:
        outcomes = (load_or_problems(path, max_bytes) for path in files)
    for outcome in outcomes:
        batch.files += 1
        _add_proposal(batch, ids, outcome, criteria)
        if on_file is not None:
            on_file(batch.files, len(files))
    return batch


def _add_proposal(batch: Batch, ids: Ids, outcome: Proposal | tuple[Problem, ...],
                  criteria: Criteria | None) -> None:
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


def compare_json(paths: Sequence[Path], criteria: Criteria,
                 weights: Mapping[str, float] | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, on_file: FileCallback | None = None,
                 panel: Path | None = None, jobs: int | None = None
                 ) -> tuple[bytes, list[Problem]]:
    """`compare` with the weighted sum, as `render.json` renders it: the text in UTF-8, and
    the problems. A large batch is scored by worker processes that also encode each
    result's line (scoring.parallel, given render.json's encoder), so that no proposal
    crosses back to this process."""
    from evaluator.render import RenderOptions
    from evaluator.render import json as render_json
    encoded = parallel.compare_encoded(paths, criteria, render_json.result_lines, weights,
                                       max_bytes, on_file, panel, jobs)
    if encoded is None:  # too few files for workers
        comparison = compare(paths, criteria, weights, Method.WSM, max_bytes, on_file, panel,
                             jobs)
        return render_json.render(comparison, RenderOptions()).encode("utf-8"), \
            comparison.errors
    return render_json.render_ranked(encoded.comparison, encoded.results), \
        encoded.comparison.errors


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
