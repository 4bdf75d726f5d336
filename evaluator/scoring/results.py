"""The results of scoring, as data: a proposal's leaf, criterion and gate results, its
evaluation, and a run's comparison. Made by `scoring.engine`, read by every renderer.

Facts only: a leaf's value, unit, rule and reason, a gate's requirement and the value that
decided it, warnings and notes as codes with their data. Every sentence a person reads
about them is made in the render layer (evaluator.render.text), the JSON's included."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from evaluator.errors import Problem
from evaluator.model.compliance import Row
from evaluator.model.criteria import Criteria, Gate
from evaluator.model.fields import Value
from evaluator.model.icp import IcpBreakdown
from evaluator.model.method import ALL
from evaluator.model.notes import Note
from evaluator.model.panel import Panel
from evaluator.model.proposal import Proposal
from evaluator.model.ranges import Range, Uncertain
from evaluator.model.rules import Reason
from evaluator.scoring.caveats import Caveat
from evaluator.scoring.consensus import Consensus
from evaluator.scoring.ranking import TIE_TOLERANCE


@dataclass(frozen=True, slots=True)
class LeafScore:
    """One sub-criterion of one proposal: the value, the rule, the score and why (the facts
    its explanation is worded from: evaluator.render.text.evidence)."""

    id: str
    title: str
    field: str
    value: Value | None
    score: float
    weight: float  # normalised within its criterion
    rule: str  # the rule's type
    # Why the value scores what it does: the rule with its parameters, the case, its figure.
    # None for a missing value and for a panel judgement (see `panel`).
    reason: Reason | None = None
    unit: str = ""  # the value's unit as shown after it: the criteria currency for money
    derivation: Note | None = None  # how the value was derived or converted, if it was
    missing: bool = False
    absent: str | None = None  # why a missing judgement is missing (model.notes.ABSENCES)
    panel: Consensus | None = None  # a panel judgement: the members' ratings, consolidated
    range: Range | None = None  # the value is a range's point estimate (rule units)
    uncertain: Uncertain | None = None  # the value is derived from ranged figures
    # Under a criterion with credibility: whether this sub-criterion is a promise,
    # discounted by the factor; None under a criterion without credibility.
    discounted: bool | None = None
    factor: float = 1.0  # the factor applied to its score: the credibility factor, or 1


@dataclass(frozen=True, slots=True)
class CriterionScore:
    """One criterion of one proposal: Σ weight × leaf score × the leaf's factor (the
    credibility factor on the promises, 1 on the rest)."""

    id: str
    title: str
    score: float
    weight: float  # normalised top-level weight
    leaves: tuple[LeafScore, ...]
    credibility_field: str | None = None
    credibility_value: Value | None = None
    credibility_factor: float = 1.0

    @property
    def contribution(self) -> float:
        """What this criterion adds to the weighted-sum total."""
        return self.weight * self.score

    @property
    def discounted(self) -> list[bool] | None:
        """Which leaves the credibility factor discounts, in leaf order; None without
        credibility."""
        if self.credibility_field is None:
            return None
        return [bool(leaf.discounted) for leaf in self.leaves]


@dataclass(frozen=True, slots=True)
class GateResult:
    """Whether one proposal passes one gate, and the value that decided it (the facts its
    detail and requirement are worded from: evaluator.render.text.gates)."""

    id: str
    title: str
    passed: bool
    gate: Gate  # the requirement: field, test and operand
    value: Value | None  # the value tested; None: missing
    range: Range | None = None  # the value is a range's point estimate
    uncertain: Uncertain | None = None  # the value is derived from ranged figures
    # False: its `when` condition does not hold, so it passes as not applicable.
    applies: bool = True
    # With `any_of`: the alternative that passed (its index), None when none did.
    passed_by: int | None = None
    values: tuple[Value | None, ...] = ()  # with `any_of`: each alternative's value
    condition: Value | None = None  # with `when`: the value of its condition's field


@dataclass(slots=True)
class Evaluation:
    """Everything known about one scored proposal."""

    proposal: Proposal
    criteria: tuple[CriterionScore, ...]
    gates: tuple[GateResult, ...]
    total: float
    warnings: list[Note]  # codes and data (model.notes.WARNINGS)
    derived: dict[str, Value]
    notes: dict[str, Note]  # field -> how it was derived or converted
    rank: int | None = None
    methods: dict[str, tuple[float, int | None]] = field(default_factory=dict)
    icp: IcpBreakdown | None = None  # the ICP credit breakdown, when activities are listed
    # What the proposal gives that the criteria do not read: information only.
    unscored: tuple[str, ...] = ()
    # The agent the offer declares (intermediaries disclosed or undisclosed, or agent fields).
    agent: Agent | None = None
    # The technical compliance matrix: each requirement of the criteria and this offer's
    # answer, in the criteria's order; empty when the criteria list no requirements.
    compliance: tuple[Row, ...] = ()

    @property
    def eligible(self) -> bool:
        """Passes every gate."""
        return all(g.passed for g in self.gates)

    @property
    def id(self) -> str:
        """The proposal's id."""
        return self.proposal.id

    @property
    def ranged(self) -> bool:
        """Whether the proposal gives some figures as ranges (estimates)."""
        return self.proposal.ranged


@dataclass(frozen=True, slots=True)
class Agent:
    """The agent (intermediary) an offer declares, as facts; None where not given."""

    intermediaries: str | None  # g2g.intermediaries: disclosed, undisclosed (or not stated)
    name: str | None
    registration: str | None
    fee_pct: float | None  # % of the contract value
    fee: float | None  # in the criteria currency
    currency: str  # the criteria currency
    offer_fee: float | None  # in the offer's currency
    offer_currency: str | None


@dataclass(frozen=True, slots=True)
class WhatIf:
    """How a run departs from the criteria file: not its evaluation, a what-if."""

    # The what-if weights as given (percent of the total), when they change the weights.
    weights: Mapping[str, float] | None = None
    method: str | None = None  # the method used, when it is not the criteria file's

    @staticmethod
    def of(
        criteria: Criteria, weights: Mapping[str, float] | None, method: str | None
    ) -> WhatIf | None:
        """The departures of a run with these options, or None when there are none."""
        changed = None
        if weights:
            base, used = criteria.weights(), criteria.weights(weights)
            if any(abs(used[k] - base[k]) > TIE_TOLERANCE for k in base):
                changed = dict(weights)
        other = method if method not in (None, ALL, criteria.method) else None
        return None if changed is None and other is None else WhatIf(changed, other)


@dataclass(slots=True)
class Comparison:
    """The result of one run: ranked evaluations, the weights used, and the bad inputs."""

    criteria: Criteria
    method: str
    weights: dict[str, float]
    evaluations: list[Evaluation]
    errors: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # what holds for the whole result
    kendall_tau: dict[str, float | None] | None = None  # with --method all; None: undefined
    panel: Panel | None = None  # the panel whose ratings were consolidated (--panel)
    what_if: WhatIf | None = None  # how the run departs from the criteria file, if it does
    files: int | None = None  # proposal files given (read or not); None: not from files
    # The files given that could not be evaluated (not read, or not scored), by name.
    unevaluated: list[str] = field(default_factory=list)
    caveats: list[Caveat] = field(default_factory=list)  # why the result is provisional

    @property
    def winner(self) -> Evaluation | None:
        """The first-ranked eligible proposal, if any (the first of a tie)."""
        return next((e for e in self.evaluations if e.rank == 1), None)


@dataclass(slots=True)
class Prepared:
    """One proposal made ready to score: what needs no other proposal (values, gates)."""

    proposal: Proposal
    values: dict[str, Value] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    gates: tuple[GateResult, ...] = ()
    icp: IcpBreakdown | None = None
    ranges: dict[str, Range] = field(default_factory=dict)
    uncertain: dict[str, Uncertain] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()  # why it cannot be scored; then nothing else is set

    @property
    def eligible(self) -> bool:
        """Passes every gate."""
        return all(g.passed for g in self.gates)
