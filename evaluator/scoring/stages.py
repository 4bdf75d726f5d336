"""A tender evaluated stage by stage (model.stages): each stage scores its criteria and
checks its gates for the offers that passed every stage before it, on the one engine;
the weighted evaluation of every criterion follows among those that passed them all.

Pure: proposals in, facts out. An offer's financial envelope is asked for (`financial`)
only when it reaches a stage that reads it, so that a price stays sealed for an offer
that failed before: it appears nowhere in the result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from evaluator.errors import InputError, Problem
from evaluator.model.compliance import Row
from evaluator.model.criteria import Criteria
from evaluator.model.method import Method
from evaluator.model.panel import Panel
from evaluator.model.proposal import Proposal
from evaluator.model.stages import Stage
from evaluator.scoring import caveats
from evaluator.scoring.caveats import Caveat
from evaluator.scoring.consensus import Consensus
from evaluator.scoring.engine import evaluate, prepare
from evaluator.scoring.ranking import rank
from evaluator.scoring.results import Comparison, GateResult, Prepared

# An offer's financial envelope opened: the proposal with it, or the problems reading it.
Opener = Callable[[Proposal], Proposal]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One offer at one stage: whether it passed, its stage score, and why not."""

    id: str
    passed: bool
    score: float | None  # the stage score (0-100), None for a stage of gates only
    failed_gates: tuple[GateResult, ...] = ()
    unmet: tuple[Row, ...] = ()  # the mandatory requirements it does not meet
    below_mark: bool = False  # its stage score is below the pass mark
    problems: tuple[Problem, ...] = ()  # it could not be evaluated at this stage
    # The panel's judgements the stage scored (its members' ratings, consolidated), so
    # that a failure on the pass mark shows the ratings behind its score; None when none.
    judgements: tuple[tuple[str, Consensus | None], ...] = ()  # (field, consensus)


@dataclass(slots=True)
class StageResult:
    """A stage's evaluation: each offer that reached it, in the stage's order (passed first,
    by score); those that did not reach it are `not_considered` (failed an earlier stage:
    any of them, so an offer out at the first stage is listed at every later one)."""

    stage: Stage
    outcomes: list[Outcome]
    not_considered: list[str]

    @property
    def passed(self) -> list[str]:
        return [o.id for o in self.outcomes if o.passed]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]


@dataclass(slots=True)
class Staged:
    """A whole staged run: every stage evaluated up to `last`, and the weighted
    recommendation among the offers that passed every stage (None when no stage asks for it,
    or when the run stops at an earlier stage)."""

    criteria: Criteria
    stages: list[StageResult]
    final: Comparison | None
    errors: list[Problem] = field(default_factory=list)
    sealed: list[str] = field(default_factory=list)  # offers whose financial envelope stays shut
    proposals: list[Proposal] = field(default_factory=list)  # every offer read, as read
    caveats: list[Caveat] = field(default_factory=list)  # of the run as a whole

    @property
    def passed_all(self) -> list[str]:
        return self.stages[-1].passed if self.stages else []


def stage_criteria(criteria: Criteria, stage: Stage) -> Criteria:
    """The criteria a stage evaluates: its criteria (weights normalised among them) and its
    gates, on the file's settings."""
    return replace(
        criteria,
        criteria=tuple(c for c in criteria.criteria if c.id in stage.criteria),
        gates=tuple(g for g in criteria.gates if g.id in stage.gates),
    )


def evaluate_stages(
    proposals: Sequence[Proposal],
    criteria: Criteria,
    *,
    weights: Mapping[str, float] | None = None,
    method: str | None = None,
    panel: Panel | None = None,
    errors: Sequence[Problem] = (),
    until: str | None = None,
    financial: Opener | None = None,
    unread: Sequence[str] = (),
) -> Staged:
    """Evaluate the stages in order (up to and including `until`, a stage id); then, when
    the last stage asks for it and no `until` was given, the weighted evaluation
    of every criterion among the offers that passed every stage. `financial` opens an
    offer's financial envelope when it reaches the first stage that reads it (InputError:
    the offer is not evaluated further). `unread`: the proposal files that could not be
    read, which the recommendation says are not in its ranking, as `evaluate` does.

    Each offer is `prepare`d once, against the whole criteria (its derived values do not
    depend on which criteria a stage scores; each stage reads the gates it checks), and
    again only if opening its financial envelope changed it."""
    items = [(position, prepare(p, criteria)) for position, p in enumerate(proposals)]
    chain, current = run_stages(items, criteria, panel, until, financial)
    ids = [p.id for p in proposals]
    results, found = stage_results(criteria, chain, ids)
    problems = [*errors, *found]
    final = None
    if recommends(criteria, results, until):
        # with the run's errors, which a report lists as "not evaluated" as `evaluate`'s
        passed = [item for _, item in current]
        final = evaluate(passed, criteria, weights, method, problems, panel, unread=unread)
        final.caveats += _stage_gaps(results, criteria, panel, final.caveats)
    return Staged(
        criteria, results, final, problems, sealed(criteria, results, ids), list(proposals)
    )


# Where an offer's outcome stands in its stage's list (before the passes are sorted by
# score), as `evaluate` lists a stage's offers: those whose financial envelope could not
# be opened, those evaluated (in result order), then those it could not prepare, and
# those it could not score (each group in the order read).
OPENING, EVALUATED, UNPREPARED, UNSCORED = range(4)


class Entry(NamedTuple):  # not a dataclass: made at every start-up, a named tuple is cheaper
    """One offer's outcome at a stage, with its place: its position among the offers read,
    and its group (above)."""

    position: int
    group: int
    outcome: Outcome


# Offers with their positions among the offers read.
Placed = list[tuple[int, Prepared]]


def run_stages(
    items: Placed,
    criteria: Criteria,
    panel: Panel | None,
    until: str | None,
    financial: Opener | None,
) -> tuple[list[list[Entry]], Placed]:
    """The stages (up to and including `until`) run for prepared offers, each given with
    its position among the offers read: each stage's entries, in no particular order
    (`stage_results` puts them in order), and the offers that passed every stage run
    (their financial envelopes opened, if a stage opened them), in the order given.

    An offer's outcomes depend on the other offers only through a relative rule's pool or
    the panel: without those, the offers may be run in parts (scoring.parallel) and the
    parts' entries put together."""
    current = list(items)
    chain: list[list[Entry]] = []
    opened = False
    for stage in criteria.stages:
        entries: list[Entry] = []
        if stage.financial and not opened and financial is not None:
            current, entries = _open(current, financial, criteria)
            opened = True
        entries += _stage(current, criteria, stage, panel)
        chain.append(entries)
        keep = {e.position for e in entries if e.outcome.passed}
        current = [(position, item) for position, item in current if position in keep]
        if stage.id == until:
            break
    return chain, current


def stage_results(
    criteria: Criteria, chain: Sequence[Sequence[Entry]], ids: Sequence[str]
) -> tuple[list[StageResult], list[Problem]]:
    """Each stage's result from its entries (`run_stages`'s, of the offers read, whose ids
    are `ids` by position): passed first, by score, then the others in their groups'
    order; and the problems found, stage by stage in that order."""
    results: list[StageResult] = []
    problems: list[Problem] = []
    for stage, entries in zip(criteria.stages, chain, strict=False):
        outcomes = _in_order(entries, bool(stage_criteria(criteria, stage).criteria))
        for outcome in outcomes:  # an offer that cannot be evaluated: its errors, as read's
            problems.extend(outcome.problems)
        reached = {o.id for o in outcomes}
        passed = [o for o in outcomes if o.passed]
        passed.sort(key=lambda o: -(o.score or 0.0))
        outcomes = passed + [o for o in outcomes if not o.passed]
        results.append(StageResult(stage, outcomes, [i for i in ids if i not in reached]))
    return results, problems


def recommends(criteria: Criteria, results: Sequence[StageResult], until: str | None) -> bool:
    """Whether the run ends with the weighted evaluation among the offers that passed every
    stage: its last stage run asks for it, and it was not stopped at a stage."""
    return bool(results) and results[-1].stage.recommend and until is None


def sealed(criteria: Criteria, results: Sequence[StageResult], ids: Sequence[str]) -> list[str]:
    """The offers (of `ids`, those read) whose financial envelope stays shut: all but those
    that reached the stage that opens them."""
    if not any(s.financial for s in criteria.stages):
        return []
    reached_financial = next((r for r in results if r.stage.financial), None)
    opened_for = (
        set()
        if reached_financial is None
        else {o.id for o in reached_financial.outcomes}  # opened, if not always readable
    )
    return [i for i in ids if i not in opened_for]


class _Ranked:
    """An evaluated entry as `rank` reads it (eligible: it failed no gate of the stage)."""

    __slots__ = ("eligible", "entry", "id", "rank", "total")

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self.id = entry.outcome.id
        self.eligible = not entry.outcome.failed_gates
        self.total = entry.outcome.score or 0.0
        self.rank: int | None = None


def _in_order(entries: Sequence[Entry], scored: bool) -> list[Outcome]:
    """A stage's outcomes as `evaluate` lists them: those that failed to open first; at a
    stage of gates only, the others in the order read; at a scored stage, the evaluated in
    result order (by rank, then the ineligible, each by id: `ranking.rank`), then those
    not prepared, then those not scored."""
    by_place = sorted(entries, key=lambda e: (e.group != OPENING, e.position))
    if not scored:
        return [e.outcome for e in by_place]
    evaluated = [_Ranked(e) for e in by_place if e.group == EVALUATED]
    others = sorted(
        (e for e in by_place if e.group not in (OPENING, EVALUATED)),
        key=lambda e: (e.group, e.position),
    )
    return [
        *(e.outcome for e in by_place if e.group == OPENING),
        *(r.entry.outcome for r in rank(evaluated)),
        *(e.outcome for e in others),
    ]


def _stage_gaps(
    results: Sequence[StageResult],
    criteria: Criteria,
    panel: Panel | None,
    known: Sequence[Caveat],
) -> list[Caveat]:
    """The judgements no panel member rated of the offers a stage scored on them (a stage
    score, and so its pass mark, counted them as missing), that the recommendation's own
    caveats do not already say: an offer that failed a stage is not in the ranking, but a
    gap may be why it failed."""
    if panel is None:
        return []
    gaps: list[Caveat] = []
    for result in results:
        sub = stage_criteria(criteria, result.stage)
        reached = [o.id for o in result.outcomes if o.score is not None]
        for caveat in caveats.find(sub, panel, reached, []):
            if caveat.code == caveats.PANEL_GAP and caveat not in known and caveat not in gaps:
                gaps.append(caveat)
    return gaps


def _open(current: Placed, financial: Opener, criteria: Criteria) -> tuple[Placed, list[Entry]]:
    """The offers with their financial envelopes opened (prepared again when that changed
    them: a single-file offer is as it was), and the entries of those that failed to open."""
    opened: Placed = []
    failed: list[Entry] = []
    for position, item in current:
        proposal = item.proposal
        try:
            whole = financial(proposal)
        except InputError as exc:
            outcome = Outcome(proposal.id, False, None, problems=tuple(exc.problems))
            failed.append(Entry(position, OPENING, outcome))
            continue
        opened.append((position, item if whole is proposal else prepare(whole, criteria)))
    return opened, failed


def for_stage(item: Prepared, criteria: Criteria) -> Prepared:
    """An offer prepared against the whole criteria, as `prepare` makes it against a stage's
    (`criteria`, from `stage_criteria`): the same values, the stage's gates only."""
    if not item.gates:
        return item
    ids = {gate.id for gate in criteria.gates}
    return replace(item, gates=tuple(g for g in item.gates if g.id in ids))


def _stage(current: Placed, criteria: Criteria, stage: Stage, panel: Panel | None) -> list[Entry]:
    """Each offer's entry at one stage."""
    sub = stage_criteria(criteria, stage)
    staged = [(position, for_stage(item, sub)) for position, item in current]
    if not sub.criteria:  # gates only: no score
        entries = []
        for position, item in staged:
            proposal = item.proposal
            if item.problems:
                outcome = Outcome(proposal.id, False, None, problems=tuple(item.problems))
                entries.append(Entry(position, UNPREPARED, outcome))
                continue
            outcome = _outcome(proposal.id, None, item.gates, _unmet(sub, proposal), stage)
            entries.append(Entry(position, EVALUATED, outcome))
        return entries
    comparison = evaluate([item for _, item in staged], sub, None, Method.WSM, [], panel)
    # By the proposal itself, not its id: a worker's part of a batch may hold an offer and
    # a duplicate of its id, which this process drops later (scoring.parallel).
    at = {id(item.proposal): position for position, item in staged}
    entries = [
        Entry(
            at[id(e.proposal)],
            EVALUATED,
            replace(
                _outcome(e.id, e.total, e.gates, tuple(r for r in e.compliance if r.fails), stage),
                judgements=tuple(
                    (leaf.field, leaf.panel)
                    for c in e.criteria
                    for leaf in c.leaves
                    if leaf.field.startswith("panel.")
                ),
            ),
        )
        for e in comparison.evaluations
    ]
    # An offer that could not be evaluated: the first of its problems, found by its file.
    by_file: dict[str, tuple[int, Prepared]] = {}
    for position, item in staged:
        by_file.setdefault(item.proposal.file, (position, item))
    seen = {e.position for e in entries}
    for problem in comparison.errors:
        found = by_file.get(problem.file)
        if found is None or found[0] in seen:
            continue
        position, item = found
        seen.add(position)
        outcome = Outcome(item.proposal.id, False, None, problems=(problem,))
        entries.append(Entry(position, UNPREPARED if item.problems else UNSCORED, outcome))
    return entries


def _unmet(criteria: Criteria, proposal: Proposal) -> tuple[Row, ...]:
    from evaluator.model.compliance import rows

    return tuple(r for r in rows(criteria.requirements, proposal.compliance or {}) if r.fails)


def _outcome(
    ident: str,
    score: float | None,
    gates: Sequence[GateResult],
    unmet: tuple[Row, ...],
    stage: Stage,
) -> Outcome:
    failed = tuple(g for g in gates if not g.passed)
    below = stage.pass_mark is not None and score is not None and score < stage.pass_mark
    # A mandatory requirement not met fails the stage only through a gate that tests it.
    tested = any(g.gate.fields and g.gate.fields[0].startswith("compliance.") for g in failed)
    return Outcome(
        ident,
        not failed and not below,
        score,
        failed,
        unmet if tested else (),
        below,
    )
