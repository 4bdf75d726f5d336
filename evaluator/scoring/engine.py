"""The scoring engine: gates, rule scores, credibility, totals and ranks, with every number
explained.

Pure: proposals and criteria in, a `Comparison` (scoring.results) out. No files, no
printing. `prepare` does what needs no other proposal (derived values, gates);
`score_prepared` scores one prepared proposal given what depends on the others; `evaluate`
does a whole run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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
from evaluator.model.criteria import Criteria, Criterion, Gate, Leaf
from evaluator.model.fields import FIELDS, MONEY, PERCENT, Value
from evaluator.model.method import ALL, Method
from evaluator.model.numeric import Num, many, weighted_sum, zero_if_missing
from evaluator.model.panel import Panel, is_judgement, judgement_name, points
from evaluator.model.proposal import Proposal
from evaluator.model.rules import Levels, Rule, number_text, percent_text
from evaluator.scoring import caveats
from evaluator.scoring.consensus import consolidate
from evaluator.scoring.derive import Derivation, derive, unscored_fields
from evaluator.scoring.ranking import Rankable, rank
from evaluator.scoring.results import (
    RANGED_MARK,
    Comparison,
    CriterionScore,
    Evaluation,
    GateResult,
    LeafScore,
    Prepared,
    WhatIf,
)


def evaluate(proposals: Sequence[Proposal | Prepared], criteria: Criteria,
             weights: Mapping[str, float] | None = None, method: str | None = None,
             errors: Sequence[Problem] = (), panel: Panel | None = None,
             files: int | None = None, unread: Sequence[str] = ()) -> Comparison:
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
    comparison, ranked = conclude(criteria, evaluations, problems, unevaluated, primary,
                                  top_weights, WhatIf.of(criteria, weights, method), panel,
                                  files)
    comparison.evaluations = ranked
    if method != Method.WSM:
        from evaluator.scoring.methods import apply_method
        apply_method(comparison, method)
    winners = None
    if method == ALL:
        names = next((list(e.methods) for e in comparison.evaluations if e.methods), [])
        winners = {name: [e.id for e in comparison.evaluations if e.methods[name][1] == 1]
                   for name in names}
    comparison.caveats = caveats.find(criteria, panel, [e.id for e in comparison.evaluations],
                                      comparison.unevaluated, winners)
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
    def of(criteria: Criteria, weights: Mapping[str, float], scored: Sequence[Candidate],
           panel: Panel | None) -> Context:
        """The context of scoring `scored` together: its pool is the eligible ones (every
        one when none is), whose values set the references of relative rules."""
        pool = [c for c in scored if c.eligible] or scored
        return Context(weights, pool_references(criteria, [c.values for c in pool]),
                       len(scored), panel)


class Concluded(Rankable, Protocol):
    """What concluding a run reads of a scored proposal: an `Evaluation`, or a summary."""

    @property
    def ranged(self) -> bool: ...


C = TypeVar("C", bound=Concluded)


def conclude(criteria: Criteria, results: Sequence[C], problems: list[Problem],
             unevaluated: Iterable[str], method: str, weights: Mapping[str, float],
             what_if: WhatIf | None, panel: Panel | None, files: int | None
             ) -> tuple[Comparison, list[C]]:
    """Rank a run's scored results and make its comparison: the notes that hold for it,
    how it departs from the criteria file, the files not evaluated. The results, ranked
    and in result order, come back beside it: evaluations, for the caller to put in, or
    the summaries of results that worker processes hold."""
    ranked = rank(results)
    notes = comparison_notes(criteria, [r.id for r in ranked if r.ranged], len(ranked))
    comparison = Comparison(criteria, method, dict(weights), [], problems, notes, panel=panel,
                            what_if=what_if, files=files, unevaluated=sorted(set(unevaluated)))
    return comparison, ranked


def comparison_notes(criteria: Criteria, ranged: Sequence[str], count: int) -> list[str]:
    """The notes of a run: the criteria's own, then what holds for `count` results whose
    proposals `ranged` (ids, in result order) give some figures as ranges."""
    notes = list(criteria.notes)
    if ranged:
        notes.append(
            f"{RANGED_MARK} " + ", ".join(ranged) + (" gives" if len(ranged) == 1 else " give")
            + " some figures as ranges (estimates), scored at the likely value or else the "
            "midpoint; `evaluator sensitivity --values` draws them")
    relative = [leaf for _, leaf in criteria.leaves() if leaf.rule.relative]
    if relative and count > 1:
        kinds = " or ".join(sorted({leaf.rule.type for leaf in relative}))
        notes.append(
            "scores of " + ", ".join(leaf.id for leaf in relative) + " are relative to the "
            f"proposals compared ({kinds} rule): adding or removing a proposal can reorder "
            "the others")
    return notes


def check_method(criteria: Criteria, method: str) -> None:
    if method != Method.WSM:
        return
    for _, leaf in criteria.leaves():
        if leaf.rule.raw:
            line, column = leaf.location or (None, None)
            raise CriteriaError([Problem(
                criteria.file, RAW_IN_A_WEIGHTED_SUM(leaf=leaf.id, type=leaf.rule.type),
                line, column)])


def prepare(proposal: Proposal, criteria: Criteria) -> Prepared:
    """Derive the values the rules see and decide the gates: the per-proposal part of scoring."""
    try:
        derivation = derive(proposal, criteria)
    except InputError as exc:
        return Prepared(proposal, problems=exc.problems)
    # A gate on a ranged figure is decided at its point estimate, like every score.
    gates = tuple(_gate(gate, derivation.values.get(gate.field),
                        _estimate(derivation, gate.field)) for gate in criteria.gates)
    return Prepared(proposal, derivation.values, derivation.notes, gates, derivation.icp,
                    derivation.ranges, derivation.uncertain)


def _estimate(source: Derivation | Prepared, name: str) -> str:
    """' (likely; range …)' or ' (uncertain: …)' after a value from ranged figures, or ''."""
    if name in source.ranges:
        return " " + source.ranges[name].describe()
    return " " + source.uncertain[name].describe() if name in source.uncertain else ""


def _gate(gate: Gate, value: Value | None, estimate: str = "") -> GateResult:
    passed = gate.check(value)
    # A rounded figure must not read as the bound it misses (29.96 is not "30.0%").
    bound = gate.operand if isinstance(gate.operand, int | float) else None
    detail = f"{gate.field} is missing" if value is None else \
        show_value(value, gate.field, bound) + estimate
    return GateResult(gate.id, gate.title, passed, detail, gate.describe())


def show_value(value: Value, field: str = "", avoid: float | None = None) -> str:
    """A value as people read it; a percentage with its sign, a computed one rounded."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        spec = FIELDS.get(field)
        if spec is not None and spec.kind == PERCENT:
            return percent_text(value, avoid) if spec.derived else f"{number_text(value)}%"
        return number_text(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return str(value)


def proportional_fields(criteria: Criteria) -> list[str]:
    """The fields that relative rules (proportional) compare across proposals."""
    return [leaf.field for _, leaf in criteria.leaves() if leaf.rule.relative]


def pool_references(criteria: Criteria, pool: Sequence[Mapping[str, Value | Num]]
                    ) -> dict[str, Num]:
    """For each leaf of a relative rule (proportional), the best value (lowest or highest)
    among the pool's proposals, given by their values, by `criterion.leaf`: the same for
    every proposal, or for every draw when some values are arrays of draws."""
    references: dict[str, Num] = {}
    for criterion, leaf in criteria.leaves():
        if leaf.rule.relative:
            numbers: list[Num] = [
                v if many(v) else float(v) for values in pool  # type: ignore[arg-type,misc]
                if many(v := values.get(leaf.field))
                or (isinstance(v, int | float) and not isinstance(v, bool))]
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


def criterion_score(factor: float, weights: Iterable[float], points: Iterable[Num]) -> Num:
    """A criterion's score: credibility factor × Σ leaf weight × leaf score, in leaf order."""
    return factor * weighted_sum(weights, points)


def total_score(weights: Iterable[Num], scores: Iterable[Num]) -> Num:
    """A proposal's weighted-sum total: Σ criterion weight × criterion score, in criterion
    order; with arrays, for each drawn weighting or each draw of the scores."""
    return weighted_sum(weights, scores)


def score_prepared(item: Prepared, criteria: Criteria, context: Context) -> Evaluation:
    """Score one prepared proposal, given what depends on the others (`context`);
    InputError if it cannot be."""
    panel, references, pool_size = context.panel, context.references, context.pool_size
    warnings: list[str] = []
    problems: list[Problem] = []
    scored: list[CriterionScore] = []
    for criterion in criteria.criteria:
        leaf_weights = criterion.leaf_weights()
        leaves = []
        for leaf in criterion.leaves:
            try:
                if is_judgement(leaf.field):
                    leaves.append(_judgement(item, criteria, criterion, leaf,
                                             leaf_weights[leaf.id], panel, warnings))
                    continue
                leaves.append(_leaf(item, criteria, criterion, leaf, leaf_weights[leaf.id],
                                    references, pool_size, warnings))
            except EvaluatorError as exc:
                problems.extend(exc.problems)
        factor, cred_value = 1.0, None
        if criterion.credibility is not None:
            cred_value = item.values.get(criterion.credibility.field)
            factor = criterion.credibility.factor(cred_value)
            if cred_value is None:
                warnings.append(f"{criterion.credibility.field} is missing: {criterion.id} "
                                f"takes the lowest credibility factor, {factor:g}")
        score = float(criterion_score(factor, [leaf.weight for leaf in leaves],
                                      [leaf.score for leaf in leaves]))
        scored.append(CriterionScore(
            criterion.id, criterion.title, score, context.weights[criterion.id],
            tuple(leaves), criterion.credibility.field if criterion.credibility else None,
            cred_value, factor))
    if problems:
        raise InputError(problems)
    total = float(total_score([c.weight for c in scored], [c.score for c in scored]))
    return Evaluation(item.proposal, tuple(scored), item.gates, total, warnings,
                      item.values, item.notes, icp=item.icp,
                      unscored=unscored_fields(item.proposal, criteria))


def _leaf(item: Prepared, criteria: Criteria, criterion: Criterion, leaf: Leaf, weight: float,
          references: Mapping[str, Num], pool_size: int, warnings: list[str]) -> LeafScore:
    value = item.values.get(leaf.field)
    rule = leaf.rule
    where = f"{criterion.id}.{leaf.id}"

    def result(score: float, explanation: str, missing: bool = False) -> LeafScore:
        return LeafScore(leaf.id, leaf.title, leaf.field, value, score, weight, rule.type,
                         explanation, missing, range=item.ranges.get(leaf.field),
                         uncertain=item.uncertain.get(leaf.field))

    if value is None:
        if rule.raw:
            raise InputError([item.proposal.problem(leaf.field, MISSING_FOR_RAW(
                field=leaf.field, type=rule.type, where=where))])
        if criteria.missing == "error":
            raise InputError([item.proposal.problem(leaf.field, MISSING_IS_AN_ERROR(
                field=leaf.field))])
        warnings.append(f"{leaf.field} is missing: {where} scores 0")
        return result(0.0, "missing: scored 0", missing=True)
    needs = rule.needs(value)
    if needs is not None:
        raise InputError([item.proposal.problem(leaf.field, rule.refusal(
            field=leaf.field, value=repr(shorten(show_value(value))), leaf=leaf.id,
            where=where, type=rule.type, needs=needs))])
    shown = f"{show_value(value, leaf.field)}{_unit(leaf.field, criteria)}" \
        f"{_estimate(item, leaf.field)}"
    if leaf.field in item.notes:
        shown += f" = {item.notes[leaf.field]}"
    scored = float(value) if rule.numeric else value  # type: ignore[arg-type]
    reference: Num | None = None
    if rule.relative:
        reference = references.get(where, scored)  # type: ignore[arg-type]
        if pool_size == 1:
            warnings.append(f"{where} uses a {rule.type} rule: with one proposal it is "
                            "compared with itself")
    score: float = leaf_points(rule, scored, reference)  # type: ignore[assignment]
    reason = rule.reason(scored, score, reference)  # type: ignore[arg-type]
    if rule.raw:  # the value itself, for methods that normalise
        return result(score, f"{shown} ({reason})")
    return result(score, f"{shown} → {score:.2f} ({reason})")


def _judgement(item: Prepared, criteria: Criteria, criterion: Criterion, leaf: Leaf,
               weight: float, panel: Panel | None, warnings: list[str]) -> LeafScore:
    """A panel judgement: each member's rating scored by the levels, then aggregated."""
    assert isinstance(leaf.rule, Levels)  # parse_rule accepts no other rule for a judgement
    name = judgement_name(leaf.field)
    proposal = item.proposal.id
    consensus = None if panel is None else consolidate(panel, proposal, name, leaf.rule,
                                                       criteria.panel)
    if consensus is None:
        reason = "no --panel given" if panel is None else "no panel member rated it"
        if criteria.missing == "error":
            raise InputError([item.proposal.problem(leaf.field, (
                NO_PANEL_IS_AN_ERROR if panel is None else UNRATED_IS_AN_ERROR)(field=leaf.field))])
        if panel is not None:  # without a panel, one note says it for every proposal
            warnings.append(f"{leaf.field} is missing: no panel member rated {proposal}; "
                            f"{criterion.id}.{leaf.id} scores 0")
        return LeafScore(leaf.id, leaf.title, leaf.field, None, 0.0, weight, leaf.rule.type,
                         f"missing ({reason}): scored 0", missing=True)
    if consensus.disagreement:
        warnings.append(f"panel disagreement on {name} for {proposal}: "
                        f"{consensus.extremes()}; spread {points(consensus.spread)} "
                        f"(disagreement from {points(consensus.threshold)})")
    return LeafScore(leaf.id, leaf.title, leaf.field, consensus.score, consensus.score,
                     weight, leaf.rule.type, consensus.explanation(), panel=consensus)


def _unit(name: str, criteria: Criteria) -> str:
    spec = FIELDS.get(name)
    if spec is None:
        return ""
    return f" {criteria.currency}" if spec.kind == MONEY else ""  # "%": see _show
