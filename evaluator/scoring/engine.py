"""The scoring engine: gates, rule scores, credibility, totals and ranks, with the facts
that explain every number.

Pure: proposals and criteria in, a `Comparison` (scoring.results) out. No files, no
printing, no sentences: each number comes with the facts that explain it (the rule and
the case of it that applied, how a value was derived, warnings and notes as codes), which
the render layer words. `prepare` does what needs no other proposal (derived values,
gates); `score_prepared` scores one prepared proposal given what depends on the others;
`evaluate` does a whole run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

from evaluator.errors import CriteriaError, EvaluatorError, InputError, Problem
from evaluator.messages.scoring import (
    MISSING_FOR_RAW,
    MISSING_IS_AN_ERROR,
    NO_PANEL_IS_AN_ERROR,
    RAW_IN_A_WEIGHTED_SUM,
    UNRATED_IS_AN_ERROR,
)
from evaluator.model.checks import shorten
from evaluator.model.compliance import rows
from evaluator.model.criteria import Criteria, Criterion, Gate, Leaf
from evaluator.model.fields import AGENT_FIELDS, FIELDS, MONEY, Value
from evaluator.model.method import ALL, Method
from evaluator.model.notes import (
    COMPARED_WITH_ITSELF,
    MISSING_CREDIBILITY,
    MISSING_VALUE,
    NO_PANEL,
    NOT_RATED,
    PANEL_DISAGREEMENT,
    RANGED,
    RELATIVE_RULES,
    UNRATED,
    Note,
)
from evaluator.model.numeric import Num, many, weighted_sum, zero_if_missing
from evaluator.model.panel import Panel, is_judgement, judgement_name
from evaluator.model.proposal import Proposal
from evaluator.model.ranges import Range, Uncertain
from evaluator.model.rules import Levels, Reason, Rule, number_text
from evaluator.scoring import caveats
from evaluator.scoring.consensus import consolidate
from evaluator.scoring.derive import derive, unscored_fields
from evaluator.scoring.ranking import Rankable, rank
from evaluator.scoring.results import (
    Agent,
    Comparison,
    CriterionScore,
    Evaluation,
    GateResult,
    LeafScore,
    Prepared,
    WhatIf,
)


def evaluate(
    proposals: Sequence[Proposal | Prepared],
    criteria: Criteria,
    weights: Mapping[str, float] | None = None,
    method: str | None = None,
    errors: Sequence[Problem] = (),
    panel: Panel | None = None,
    files: int | None = None,
    unread: Sequence[str] = (),
) -> Comparison:
    """Score and rank proposals; a proposal that cannot be scored joins `errors`.

    `panel` holds the members' ratings of the judgements (`panel.*` fields); without one,
    those fields are missing. A proposal may come `prepare`d already against these same
    criteria (`api.load_proposals` does it while worker processes read the rest).
    `files` is the number of proposal files given, `unread` those that could not be read:
    with the proposals that cannot be scored, they are the run's `unevaluated` files.
    """
    method = method or criteria.method
    # With "all", totals and ranks stay those of the criteria file's method.
    primary = criteria.method if method == ALL else method
    top_weights = criteria.weights(weights)
    problems = list(errors)
    unevaluated = list(unread)
    check_method(criteria, primary)
    prepared: list[Prepared] = []
    for proposal in proposals:
        item = proposal if isinstance(proposal, Prepared) else prepare(proposal, criteria)
        if item.problems:
            problems.extend(item.problems)
            unevaluated.append(item.proposal.file)
        else:
            prepared.append(item)
    context = Context.of(criteria, top_weights, prepared, panel)
    evaluations: list[Evaluation] = []
    for item in prepared:
        try:
            evaluations.append(score_prepared(item, criteria, context))
        except InputError as exc:
            problems.extend(exc.problems)
            unevaluated.append(item.proposal.file)
    comparison, ranked = conclude(
        criteria,
        evaluations,
        problems,
        unevaluated,
        primary,
        top_weights,
        WhatIf.of(criteria, weights, method),
        panel,
        files,
    )
    comparison.evaluations = ranked
    if method != Method.WSM:
        from evaluator.scoring.methods import apply_method

        apply_method(comparison, method)
    winners = None
    if method == ALL:
        names = next((list(e.methods) for e in comparison.evaluations if e.methods), [])
        winners = {
            name: [e.id for e in comparison.evaluations if e.methods[name][1] == 1]
            for name in names
        }
    comparison.caveats = caveats.find(
        criteria, panel, [e.id for e in comparison.evaluations], comparison.unevaluated, winners
    )
    return comparison


class Candidate(Protocol):
    """What the pool of a run reads of a proposal: a `Prepared` one, or a worker's summary."""

    @property
    def eligible(self) -> bool: ...
    @property
    def values(self) -> Mapping[str, Value]: ...


@dataclass(frozen=True, slots=True)
class Context:
    """What scoring one prepared proposal needs besides the proposal: what the others set."""

    weights: Mapping[str, float]  # the top-level weights, normalised
    # For each relative rule's leaf (`criterion.leaf`), the best value among the pool.
    references: Mapping[str, Num] = field(default_factory=dict)
    pool_size: int = 0  # the number of proposals scored together
    panel: Panel | None = None  # the members' ratings of the judgements

    @staticmethod
    def of(
        criteria: Criteria,
        weights: Mapping[str, float],
        scored: Sequence[Candidate],
        panel: Panel | None,
    ) -> Context:
        """The context of scoring `scored` together: its pool is the eligible ones (every
        one when none is), whose values set the references of relative rules."""
        pool = [c for c in scored if c.eligible] or scored
        return Context(
            weights, pool_references(criteria, [c.values for c in pool]), len(scored), panel
        )


class Concluded(Rankable, Protocol):
    """What concluding a run reads of a scored proposal: an `Evaluation`, or a summary."""

    @property
    def ranged(self) -> bool: ...


C = TypeVar("C", bound=Concluded)


def conclude(
    criteria: Criteria,
    results: Sequence[C],
    problems: list[Problem],
    unevaluated: Iterable[str],
    method: str,
    weights: Mapping[str, float],
    what_if: WhatIf | None,
    panel: Panel | None,
    files: int | None,
) -> tuple[Comparison, list[C]]:
    """Rank a run's scored results and make its comparison: the notes that hold for it,
    how it departs from the criteria file, the files not evaluated. The results, ranked
    and in result order, come back beside it: evaluations, for the caller to put in, or
    the summaries of results that worker processes hold."""
    ranked = rank(results)
    notes = comparison_notes(criteria, [r.id for r in ranked if r.ranged], len(ranked))
    comparison = Comparison(
        criteria,
        method,
        dict(weights),
        [],
        problems,
        notes,
        panel=panel,
        what_if=what_if,
        files=files,
        unevaluated=sorted(set(unevaluated)),
    )
    return comparison, ranked


def comparison_notes(criteria: Criteria, ranged: Sequence[str], count: int) -> list[Note]:
    """The notes of a run: the criteria's own, then what holds for `count` results whose
    proposals `ranged` (ids, in result order) give some figures as ranges."""
    notes = list(criteria.notes)
    if ranged:
        notes.append(Note(RANGED, {"ids": list(ranged)}))
    relative = [leaf for _, leaf in criteria.leaves() if leaf.rule.relative]
    if relative and count > 1:
        notes.append(
            Note(
                RELATIVE_RULES,
                {
                    "leaves": [leaf.id for leaf in relative],
                    "kinds": sorted({leaf.rule.type for leaf in relative}),
                },
            )
        )
    return notes


def check_method(criteria: Criteria, method: str) -> None:
    if method != Method.WSM:
        return
    for _, leaf in criteria.leaves():
        if leaf.rule.raw:
            line, column = leaf.location or (None, None)
            raise CriteriaError(
                [
                    Problem(
                        criteria.file,
                        RAW_IN_A_WEIGHTED_SUM(leaf=leaf.id, type=leaf.rule.type),
                        line,
                        column,
                    )
                ]
            )


def prepare(proposal: Proposal, criteria: Criteria) -> Prepared:
    """Derive the values the rules see and decide the gates: the per-proposal part of scoring."""
    try:
        derivation = derive(proposal, criteria)
    except InputError as exc:
        return Prepared(proposal, problems=exc.problems)
    # A gate on a ranged figure is decided at its point estimate, like every score.
    ranges, uncertain = derivation.ranges, derivation.uncertain
    gates = tuple(_gate(gate, derivation.values, ranges, uncertain) for gate in criteria.gates)
    return Prepared(
        proposal, derivation.values, derivation.notes, gates, derivation.icp, ranges, uncertain
    )


def _gate(
    gate: Gate,
    values: Mapping[str, Value],
    ranges: Mapping[str, Range],
    uncertain: Mapping[str, Uncertain],
) -> GateResult:
    """One gate decided: the value that decided it is the alternative's that passed (the
    first's when none did); a gate whose `when` does not hold passes, not applicable."""
    condition = values.get(gate.when.field) if gate.when is not None else None
    applies = bool(gate.applies(condition))
    each = tuple(values.get(c.field) for c in gate.any_of)
    passed_by = next((i for i, c in enumerate(gate.any_of) if c.check(each[i])), None)
    name = gate.any_of[passed_by or 0].field if gate.any_of else gate.field
    passed = passed_by is not None if gate.any_of else gate.check(values.get(name))
    return GateResult(
        gate.id,
        gate.title,
        passed or not applies,
        gate,
        values.get(name),
        ranges.get(name),
        uncertain.get(name),
        applies=applies,
        passed_by=passed_by if applies else None,
        values=each,
        condition=condition,
    )


def _as_given(value: Value) -> str:
    """A value as an error message quotes it: true, 1,500, [a, b], text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return str(value)


def proportional_fields(criteria: Criteria) -> list[str]:
    """The fields that relative rules (proportional) compare across proposals."""
    return [leaf.field for _, leaf in criteria.leaves() if leaf.rule.relative]


def pool_references(
    criteria: Criteria, pool: Sequence[Mapping[str, Value | Num]]
) -> dict[str, Num]:
    """For each leaf of a relative rule (proportional), the best value (lowest or highest)
    among the pool's proposals, given by their values, by `criterion.leaf`: the same for
    every proposal, or for every draw when some values are arrays of draws."""
    references: dict[str, Num] = {}
    for criterion, leaf in criteria.leaves():
        if leaf.rule.relative:
            numbers: list[Num] = [
                v if many(v) else float(v)  # type: ignore[arg-type,misc]
                for values in pool
                if many(v := values.get(leaf.field))
                or (isinstance(v, int | float) and not isinstance(v, bool))
            ]
            if numbers:
                references[f"{criterion.id}.{leaf.id}"] = leaf.rule.reference(numbers)
    return references


def leaf_points(rule: Rule, value: Any, reference: Num | None = None) -> Num:
    """A leaf's score of its value, for one proposal or for each draw (a figure that cannot
    be computed in a draw, NaN, is missing there and scores 0, as a missing value does)."""
    points = rule.points(value, reference)
    if type(points) is float:  # one proposal's (a missing value never gets here)
        return points if points == points else 0.0
    return zero_if_missing(points)


def criterion_score(
    factor: float,
    weights: Iterable[float],
    points: Iterable[Num],
    discounted: Sequence[bool] | None = None,
) -> Num:
    """A criterion's score: Σ leaf weight × leaf score × (the credibility factor on a
    discounted leaf, a promise; 1 on the others), in leaf order, added as the score card
    shows it: the others' weighted sum + factor × the promises'. `discounted` (in leaf
    order) None: every leaf is, as when credibility has no `applies_to`."""
    if discounted is None or all(discounted):
        return factor * weighted_sum(weights, points)
    pairs = list(zip(weights, points, strict=True))
    kept = [pair for pair, promise in zip(pairs, discounted, strict=True) if not promise]
    promised = [pair for pair, promise in zip(pairs, discounted, strict=True) if promise]
    return weighted_sum(*_columns(kept)) + factor * weighted_sum(*_columns(promised))


def _columns(pairs: list[tuple[float, Num]]) -> tuple[list[float], list[Num]]:
    return [w for w, _ in pairs], [p for _, p in pairs]


def total_score(weights: Iterable[Num], scores: Iterable[Num]) -> Num:
    """A proposal's weighted-sum total: Σ criterion weight × criterion score, in criterion
    order; with arrays, for each drawn weighting or each draw of the scores."""
    return weighted_sum(weights, scores)


def score_prepared(item: Prepared, criteria: Criteria, context: Context) -> Evaluation:
    """Score one prepared proposal, given what depends on the others (`context`);
    InputError if it cannot be."""
    panel, references, pool_size = context.panel, context.references, context.pool_size
    warnings: list[Note] = []
    problems: list[Problem] = []
    scored: list[CriterionScore] = []
    for criterion in criteria.criteria:
        leaf_weights = criterion.leaf_weights()
        leaves = []
        for leaf in criterion.leaves:
            try:
                if is_judgement(leaf.field):
                    leaves.append(
                        _judgement(
                            item, criteria, criterion, leaf, leaf_weights[leaf.id], panel, warnings
                        )
                    )
                    continue
                leaves.append(
                    _leaf(
                        item,
                        criteria,
                        criterion,
                        leaf,
                        leaf_weights[leaf.id],
                        references,
                        pool_size,
                        warnings,
                    )
                )
            except EvaluatorError as exc:
                problems.extend(exc.problems)
        factor, cred_value = 1.0, None
        if criterion.credibility is not None:
            cred_value = item.values.get(criterion.credibility.field)
            factor = criterion.credibility.factor(cred_value)
            if cred_value is None:
                warnings.append(
                    Note(
                        MISSING_CREDIBILITY,
                        {
                            "field": criterion.credibility.field,
                            "criterion": criterion.id,
                            "factor": factor,
                        },
                    )
                )
        if criterion.credibility is not None:
            promises = criterion.credibility
            leaves = [
                replace(
                    leaf,
                    discounted=promises.discounts(leaf.id),
                    factor=factor if promises.discounts(leaf.id) else 1.0,
                )
                for leaf in leaves
            ]
        score = float(
            criterion_score(
                factor,
                [leaf.weight for leaf in leaves],
                [leaf.score for leaf in leaves],
                None if criterion.credibility is None else [bool(x.discounted) for x in leaves],
            )
        )
        scored.append(
            CriterionScore(
                criterion.id,
                criterion.title,
                score,
                context.weights[criterion.id],
                tuple(leaves),
                criterion.credibility.field if criterion.credibility else None,
                cred_value,
                factor,
            )
        )
    if problems:
        raise InputError(problems)
    total = float(total_score([c.weight for c in scored], [c.score for c in scored]))
    return Evaluation(
        item.proposal,
        tuple(scored),
        item.gates,
        total,
        warnings,
        item.values,
        item.notes,
        icp=item.icp,
        unscored=unscored_fields(item.proposal, criteria),
        agent=agent_of(item.proposal, item.values, criteria.currency),
        compliance=tuple(rows(criteria.requirements, item.proposal.compliance or {})),
    )


def agent_of(proposal: Proposal, values: Mapping[str, Value], currency: str) -> Agent | None:
    """The agent an offer declares: None when it says there is none, or says nothing of one
    (`values` are the converted ones: money in the criteria `currency`)."""
    given = proposal.values
    intermediaries = given.get("g2g.intermediaries")
    if intermediaries not in ("disclosed", "undisclosed") and not any(
        name in given for name in AGENT_FIELDS
    ):
        return None

    def text(name: str) -> str | None:
        value = given.get(name)
        return None if value is None else str(value)

    def figure(source: Mapping[str, Value], name: str) -> float | None:
        value = source.get(name)
        return float(value) if isinstance(value, int | float) else None

    return Agent(
        text("g2g.intermediaries"),
        text("g2g.agent_name"),
        text("g2g.agent_registration"),
        figure(given, "g2g.agent_fee_pct"),
        figure(values, "g2g.agent_fee"),
        currency,
        figure(given, "g2g.agent_fee"),
        text("pricing.currency"),
    )


def _leaf(
    item: Prepared,
    criteria: Criteria,
    criterion: Criterion,
    leaf: Leaf,
    weight: float,
    references: Mapping[str, Num],
    pool_size: int,
    warnings: list[Note],
) -> LeafScore:
    value = item.values.get(leaf.field)
    rule = leaf.rule
    where = f"{criterion.id}.{leaf.id}"

    if value is None:
        if rule.raw:
            raise InputError(
                [
                    item.proposal.problem(
                        leaf.field, MISSING_FOR_RAW(field=leaf.field, type=rule.type, where=where)
                    )
                ]
            )
        if criteria.missing == "error":
            raise InputError(
                [item.proposal.problem(leaf.field, MISSING_IS_AN_ERROR(field=leaf.field))]
            )
        warnings.append(Note(MISSING_VALUE, {"field": leaf.field, "leaf": where}))
        return LeafScore(
            leaf.id,
            leaf.title,
            leaf.field,
            None,
            0.0,
            weight,
            rule.type,
            missing=True,
            range=item.ranges.get(leaf.field),
            uncertain=item.uncertain.get(leaf.field),
        )
    needs = rule.needs(value)
    if needs is not None:
        raise InputError(
            [
                item.proposal.problem(
                    leaf.field,
                    rule.refusal(
                        field=leaf.field,
                        value=repr(shorten(_as_given(value))),
                        leaf=leaf.id,
                        where=where,
                        type=rule.type,
                        needs=needs,
                    ),
                )
            ]
        )
    scored = float(value) if rule.numeric else value  # type: ignore[arg-type]
    reference: Num | None = None
    if rule.relative:
        reference = references.get(where, scored)  # type: ignore[arg-type]
        if pool_size == 1:
            warnings.append(Note(COMPARED_WITH_ITSELF, {"leaf": where, "rule": rule.type}))
    score: float = leaf_points(rule, scored, reference)  # type: ignore[assignment]
    reason: Reason = rule.reason(scored, score, reference)  # type: ignore[arg-type]
    return LeafScore(
        leaf.id,
        leaf.title,
        leaf.field,
        value,
        score,
        weight,
        rule.type,
        reason,
        _unit(leaf.field, criteria),
        item.notes.get(leaf.field),
        range=item.ranges.get(leaf.field),
        uncertain=item.uncertain.get(leaf.field),
    )


def _judgement(
    item: Prepared,
    criteria: Criteria,
    criterion: Criterion,
    leaf: Leaf,
    weight: float,
    panel: Panel | None,
    warnings: list[Note],
) -> LeafScore:
    """A panel judgement: each member's rating scored by the levels, then aggregated."""
    assert isinstance(leaf.rule, Levels)  # parse_rule accepts no other rule for a judgement
    name = judgement_name(leaf.field)
    proposal = item.proposal.id
    consensus = (
        None if panel is None else consolidate(panel, proposal, name, leaf.rule, criteria.panel)
    )
    if consensus is None:
        if criteria.missing == "error":
            raise InputError(
                [
                    item.proposal.problem(
                        leaf.field,
                        (NO_PANEL_IS_AN_ERROR if panel is None else UNRATED_IS_AN_ERROR)(
                            field=leaf.field
                        ),
                    )
                ]
            )
        if panel is not None:  # without a panel, one note says it for every proposal
            warnings.append(
                Note(
                    UNRATED,
                    {"field": leaf.field, "id": proposal, "leaf": f"{criterion.id}.{leaf.id}"},
                )
            )
        return LeafScore(
            leaf.id,
            leaf.title,
            leaf.field,
            None,
            0.0,
            weight,
            leaf.rule.type,
            missing=True,
            absent=NO_PANEL if panel is None else NOT_RATED,
        )
    if consensus.disagreement:
        warnings.append(Note(PANEL_DISAGREEMENT, {"id": proposal, "consensus": consensus}))
    return LeafScore(
        leaf.id,
        leaf.title,
        leaf.field,
        consensus.score,
        consensus.score,
        weight,
        leaf.rule.type,
        panel=consensus,
    )


def _unit(name: str, criteria: Criteria) -> str:
    """The unit shown after a value: the criteria currency for money (a percentage's sign
    is part of the value as shown), else none."""
    spec = FIELDS.get(name)
    if spec is None:
        return ""
    return criteria.currency if spec.kind == MONEY else ""
