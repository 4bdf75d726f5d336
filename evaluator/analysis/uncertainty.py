"""Uncertain figures in the robustness analysis: `evaluator sensitivity --values`.

Each draw takes a weighting (as SMAA-2 does, evaluator.analysis.sensitivity) and a value for
every ranged figure of the eligible proposals, and recomputes, vectorised over the
draws, all that those figures feed: money in the criteria currency, acquisition and
lifecycle cost, the ICP credit and its ratios, the score of each leaf whose value
moves (every rule on numbers), its criterion's score (credibility included) and the
totals. It does so with the scoring engine's own functions (scoring.derive,
scoring.engine, the rules and gates), given arrays of draws where `compare` gives them
floats: what no figure touches keeps the score `compare` gave it, so at the point
estimates this reproduces `compare` exactly.

Conventions (see docs/uncertainty.md):

- A range with `likely` is drawn from the triangular distribution (low, likely,
  high); one without, uniformly from [low, high]. Figures are drawn independently of
  one another and of the weights. Counts are drawn as continuous numbers (50.4
  months); a fractional support year counts pro rata, as at a midpoint.
- Eligibility is decided at the point estimates, as in `compare`: the proposals
  analysed, and the pool of a proportional rule, are the same in every draw. A gate
  on a figure that moves is tested in every draw as well, and the share of draws in
  which it would fail is reported, so that a committee sees the risk.
- Streams: the weights come from `default_rng(seed)`, exactly as without `--values`
  (so the same weightings are drawn); the figures from `default_rng([seed, 1])`.
- Confidence factor (SMAA-2): with a proposal's central weights held fixed, the
  share of figure draws in which it ranks first. The same figure draws are replayed
  for every proposal; `None` for a proposal that never ranks first.

Imported only by `evaluator sensitivity --values`; numpy is imported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from evaluator.analysis.sampling import (
    CHUNK_ELEMENTS,
    Progress,
    Spread,
    Tally,
    bounds,
    draw_figures,
    draw_weights,
    row_ranks,
)
from evaluator.model.criteria import Criteria, Leaf
from evaluator.model.fields import MONEY_FIELDS, Value
from evaluator.model.numeric import Num, many, negation
from evaluator.model.ranges import Range
from evaluator.scoring.derive import COST_INPUTS, LIFECYCLE, converted, derived_figures
from evaluator.scoring.engine import (
    criterion_score,
    leaf_points,
    pool_references,
    proportional_fields,
    total_score,
)
from evaluator.scoring.ranking import TIE_TOLERANCE
from evaluator.scoring.results import CriterionScore, Evaluation, LeafScore

Array = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]
# Mixed into the seed so the figures' stream differs from the weights' (default_rng(seed)).
FIGURES_STREAM = 1


@dataclass(frozen=True, slots=True)
class Figure:
    """One ranged figure of one proposal, as written (money in the offer's currency)."""

    proposal: str
    name: str  # pricing.unit_price, or industrial_collaboration.activities[2].value
    range: Range


@dataclass(frozen=True, slots=True)
class RateFigure:
    """An exchange rate given as a range in the criteria file, drawn once per draw and
    shared by every eligible proposal priced in that currency (currency risk)."""

    currency: str
    range: Range  # units of the criteria currency for one of `currency`
    proposals: tuple[str, ...]  # the eligible proposals priced in it, in today's order


@dataclass(frozen=True, slots=True)
class GateRisk:
    """How often the drawn figures would make a proposal fail a gate it passes today."""

    proposal: str
    gate: str
    field: str
    failures: float  # share of draws


@dataclass(frozen=True, slots=True)
class ValueAnalysis:
    """Rank acceptability under uncertain weights and figures, and the confidence factors."""

    figures: tuple[Figure, ...]
    shares: list[list[float]]  # per proposal: the share of draws at rank 1, 2, ... (listed)
    central: list[list[float] | None]  # per proposal: mean weights when first
    confidence: list[float | None]  # per proposal: first with its central weights
    gate_risks: tuple[GateRisk, ...]
    rest: list[float] | None = None  # per proposal: at a worse rank; None if all are listed
    rates: tuple[RateFigure, ...] = ()  # the exchange rates drawn (given as ranges)


@dataclass(slots=True)
class _Subject:
    """One eligible proposal: where its figures sit among the drawn columns."""

    evaluation: Evaluation
    rate: float  # units of the criteria currency for one of the offer's
    columns: dict[str, int]  # ranged field -> column of the draws
    activity_columns: dict[int, int]  # index of a ranged ICP activity -> column
    rate_column: int | None = None  # the column of its currency's rate, when that is drawn
    varying: set[str] = field(default_factory=set)  # fields that move with the draws
    # What the derived figures are computed from, and whether any of them moves.
    inputs: dict[str, Value] = field(default_factory=dict)
    derives: bool = True
    relative: dict[str, Value] = field(default_factory=dict)  # the fields relative rules compare


class ScoreModel:
    """The eligible proposals' criterion scores as functions of their drawn figures."""

    def __init__(
        self,
        criteria: Criteria,
        proposals: Sequence[Evaluation],
        names: Sequence[str],
        discount: bool = False,
    ) -> None:
        """`discount`: the one column of the draws is the discount rate (each row a rate at
        which to score, evaluator.analysis.discount); every figure, and every exchange
        rate, then stays at its point estimate."""
        self.criteria = criteria
        self.discount = discount
        self.proposals = list(proposals)
        self.names = list(names)  # top-level criteria, in the weights' order
        self.base = np.array(
            [[next(c.score for c in e.criteria if c.id == k) for k in names] for e in proposals],
            dtype=np.float64,
        ).reshape(len(proposals), len(names))
        self.leaves: dict[str, Leaf] = {f"{c.id}.{leaf.id}": leaf for c, leaf in criteria.leaves()}
        figures: list[Figure] = []
        self.subjects: list[_Subject] = []
        currencies: dict[str, list[str]] = {}  # ranged rate -> the proposals priced in it
        for e in proposals:
            proposal = e.proposal
            currency = str(proposal.values.get("pricing.currency", criteria.currency))
            subject = _Subject(e, criteria.rate(currency) or 1.0, {}, {})
            self.subjects.append(subject)
            if discount:
                continue
            for name, estimate in proposal.ranges.items():
                subject.columns[name] = len(figures)
                figures.append(Figure(proposal.id, name, estimate))
            for activity in proposal.activities or ():
                if activity.range is not None:
                    subject.activity_columns[activity.index] = len(figures)
                    figures.append(Figure(proposal.id, activity.value_name, activity.range))
            if currency in criteria.rate_ranges:
                currencies.setdefault(currency, []).append(proposal.id)
        self.figures = tuple(figures)
        # Each ranged rate in use is one more column after the figures: one draw of it per
        # draw, shared by every proposal priced in that currency.
        self.rates = tuple(
            RateFigure(code, criteria.rate_ranges[code], tuple(ids))
            for code, ids in sorted(currencies.items())
        )
        rate_columns = {r.currency: len(figures) + j for j, r in enumerate(self.rates)}
        for subject in self.subjects:
            proposal = subject.evaluation.proposal
            code = str(proposal.values.get("pricing.currency", criteria.currency))
            subject.rate_column = rate_columns.get(code)
        self.lows, self.highs, self.modes, self.triangular = bounds(
            [Range(criteria.discount_rate, criteria.discount_rate)]
            if discount
            else [f.range for f in figures] + [r.range for r in self.rates]
        )
        relative_fields = proportional_fields(criteria)
        for subject in self.subjects:
            fixed = subject.evaluation.derived
            subject.inputs = {name: fixed[name] for name in COST_INPUTS if name in fixed}
            subject.relative = {name: fixed[name] for name in relative_fields if name in fixed}
        probe = self.modes.reshape(1, -1)
        for subject in self.subjects:
            if discount:  # the one figure the discount rate moves, where it is derived
                subject.varying = {LIFECYCLE} if LIFECYCLE in subject.evaluation.derived else set()
                continue
            subject.varying = set(self._values(subject, probe))
            # Only ranged figures no derived figure is made from (a delivery time): their
            # draws are all that moves.
            subject.derives = bool(subject.varying - set(subject.columns))
        # Relative (proportional) leaves whose reference, the pool's best value, moves.
        self.moving_references = {
            key
            for key, leaf in self.leaves.items()
            if leaf.rule.relative and any(leaf.field in s.varying for s in self.subjects)
        }
        # For each proposal whose scores move: the criteria (column, score) that move.
        self.plan: list[tuple[int, list[tuple[int, CriterionScore]]]] = []
        for i, subject in enumerate(self.subjects):
            moving = [
                (self.names.index(c.id), c)
                for c in subject.evaluation.criteria
                if any(self._moves(c.id, leaf, subject.varying) for leaf in c.leaves)
            ]
            if moving:
                self.plan.append((i, moving))
        self.rows = tuple(i for i, _ in self.plan)  # the proposals whose scores move

    def _moves(self, criterion: str, score_of: LeafScore, varying: set[str]) -> bool:
        key = f"{criterion}.{score_of.id}"
        leaf = self.leaves[key]
        return (
            not score_of.missing
            and leaf.rule.numeric
            and (leaf.field in varying or key in self.moving_references)
        )

    def draw(self, rng: np.random.Generator, count: int) -> Array:
        """`count` draws of every figure."""
        return draw_figures(rng, self.lows, self.highs, self.modes, self.triangular, count)

    def _values(self, subject: _Subject, drawn: Array) -> dict[str, Array]:
        """The fields of one proposal that move with the draws, in the units rules see: its
        ranged figures, and the derived figures computed from them by `derived_figures`,
        the operations that computed them for `compare` (each draw is a wider value), so
        that at the point estimates the numbers are the ones `compare` computed."""
        if self.discount:
            return self._discounted(subject, drawn[:, 0])
        drawn_rate = subject.rate_column is not None
        if not subject.columns and not subject.activity_columns and not drawn_rate:
            return {}
        rate: Num = subject.rate if subject.rate_column is None else drawn[:, subject.rate_column]
        moving: dict[str, Array] = {
            name: converted(drawn[:, column], rate)  # type: ignore[misc]
            if name in MONEY_FIELDS
            else drawn[:, column]
            for name, column in subject.columns.items()
        }
        if drawn_rate:
            # The rate moves every money figure the offer gives, not only its ranged ones:
            # each converted from the figure as given, as `derive` converts it.
            given = subject.evaluation.proposal.values
            for name in MONEY_FIELDS:
                if name in given and name not in moving:
                    moving[name] = converted(float(given[name]), rate)  # type: ignore[arg-type,assignment]
        if not subject.derives:
            return moving
        icp = subject.evaluation.icp
        credits: list[tuple[Num, bool]] | None = None
        if icp is not None:
            credits = []
            for credit in icp.credits:
                position = subject.activity_columns.get(credit.activity.index)
                if position is not None:
                    amount = converted(drawn[:, position], rate) * credit.multiplier
                elif drawn_rate:
                    amount = converted(credit.activity.value, rate) * credit.multiplier
                else:
                    amount = credit.credit
                credits.append((amount, credit.activity.local))
        figures = derived_figures(
            {**subject.inputs, **moving}, credits, self.criteria.discount_rate
        )
        moving.update(
            (name, value)  # type: ignore[misc]
            for name, value in figures.values.items()
            if many(value)
        )
        return moving

    def _discounted(self, subject: _Subject, rates: Array) -> dict[str, Array]:
        """What moves with the discount rate, at each of `rates`: the lifecycle cost, by
        `derived_figures` from the figures `compare` derived it from (so that at today's
        rate it is the number `compare` computed)."""
        if not subject.inputs:
            return {}
        figures = derived_figures(subject.inputs, None, rates)  # rates: float64
        return {
            name: value  # type: ignore[misc]
            for name, value in figures.values.items()
            if many(value)
        }

    def scores(self, drawn: Array) -> tuple[Array, list[dict[str, Array]]]:
        """Criterion scores of the proposals in `self.rows` (draws × rows × criteria), and
        each proposal's moving values. The other proposals' scores are `self.base`."""
        values = [self._values(s, drawn) for s in self.subjects]
        references = self._references(values)
        moved = np.repeat(self.base[list(self.rows)][np.newaxis], drawn.shape[0], axis=0)
        for slot, (i, criteria) in enumerate(self.plan):
            for column, score in criteria:
                points = [
                    self._leaf_points(score.id, leaf, values[i], references)
                    for leaf in score.leaves
                ]
                moved[:, slot, column] = criterion_score(
                    score.credibility_factor,
                    [leaf.weight for leaf in score.leaves],
                    [
                        leaf.score if p is None else p
                        for leaf, p in zip(score.leaves, points, strict=True)
                    ],
                    score.discounted,
                )
        return moved, values

    def _references(self, values: list[dict[str, Array]]) -> dict[str, Num]:
        """Per draw, the pool's best value for each relative leaf whose best moves."""
        if not self.moving_references:
            return {}
        pool = [
            {**subject.relative, **moving}
            for subject, moving in zip(self.subjects, values, strict=True)
        ]
        return {
            key: best
            for key, best in pool_references(self.criteria, pool).items()
            if key in self.moving_references
        }

    def _leaf_points(
        self,
        criterion: str,
        score_of: LeafScore,
        values: dict[str, Array],
        references: dict[str, Num],
    ) -> Num | None:
        """A leaf's score in each draw, or None when it does not move."""
        key = f"{criterion}.{score_of.id}"
        leaf = self.leaves[key]
        if score_of.missing or not leaf.rule.numeric:
            return None
        moving_value = leaf.field in values
        if not moving_value and key not in references:
            return None
        value = values[leaf.field] if moving_value else float(score_of.value)  # type: ignore[arg-type]
        return leaf_points(leaf.rule, value, references.get(key))

    def gate_failures(
        self, values: list[dict[str, Array]], counts: dict[tuple[int, str], int]
    ) -> None:
        """Add, per proposal and gate on a moving figure, the draws that would fail it (a
        gate with `any_of` or `when` decided in each draw on all its fields, moving or not)."""
        for i, moving in enumerate(values):
            for gate in self.criteria.gates:
                if any(name in moving for name in gate.fields):
                    known = {**self.subjects[i].evaluation.derived, **moving}
                    draws = len(next(iter(moving.values())))
                    passed = np.broadcast_to(gate.decide(known), (draws,))
                    failed = int(np.count_nonzero(negation(passed)))
                    counts[(i, gate.id)] = counts.get((i, gate.id), 0) + failed


def first_place(totals: Array, i: int) -> Mask:
    """Whether proposal i ranks first (competition ranks, ties within the tolerance)."""
    gap = totals.max(axis=1) - totals[:, i]
    first: Mask = gap <= TIE_TOLERANCE
    # A chain of near-ties can still reach the top: settle those draws exactly.
    unsure = ~first & (gap <= totals.shape[1] * TIE_TOLERANCE)
    if unsure.any():
        first[unsure] = row_ranks(totals[unsure])[:, i] == 0
    return first


def _totals(model: ScoreModel, weights: Array, moved: Array) -> Array:
    """Each draw's totals: today's criterion scores, replaced where the figures move them."""
    columns = [weights[:, [k]] for k in range(weights.shape[1])]  # each draw's weight of k
    totals: Array = total_score(columns, list(model.base.T))  # type: ignore[assignment]
    if model.rows:
        totals[:, list(model.rows)] = total_score(columns, list(np.moveaxis(moved, 2, 0)))
    return totals


def analyse_values(
    criteria: Criteria,
    proposals: Sequence[Evaluation],
    names: Sequence[str],
    weights: Sequence[float],
    samples: int,
    seed: int,
    spread: Spread,
    chunk: int | None = None,
    ranks: int | None = None,
    progress: Progress | None = None,
) -> ValueAnalysis:
    """SMAA-2 over weights and ranged figures together, with confidence factors.

    `proposals` are the eligible evaluations, `names` the top-level criteria in the
    order of `weights`; `ranks` how many ranks to list (every rank if None). Draws are
    made in chunks from two seeded streams, so the result does not depend on the chunk
    size and memory does not grow with `samples`. `progress(done, total)` counts the
    draws twice: once drawn, once replayed for the confidence factors.
    """
    if samples < 1:
        raise ValueError("samples must be at least 1")
    model = ScoreModel(criteria, proposals, names)
    m, n = len(proposals), len(names)
    if m == 0:
        return ValueAnalysis(model.figures, [], [], [], (), rates=model.rates)
    base = np.asarray(weights, dtype=np.float64)
    columns = len(model.figures) + len(model.rates)
    size = chunk or max(1, CHUNK_ELEMENTS // max(m * n, columns, 1))
    weight_stream = np.random.default_rng(seed)
    figure_stream = np.random.default_rng([seed, FIGURES_STREAM])
    tally = Tally(m, n, m if ranks is None else ranks)
    failures: dict[tuple[int, str], int] = {}
    while tally.draws < samples:
        c = min(size, samples - tally.draws)
        drawn_weights = draw_weights(weight_stream, base, c, spread)
        moved, values = model.scores(model.draw(figure_stream, c))
        model.gate_failures(values, failures)
        tally.add(row_ranks(_totals(model, drawn_weights, moved), tally.ranks), drawn_weights)
        if progress is not None:
            progress(tally.draws, 2 * samples)
    drawn = tally.result()
    confidence = _confidence(model, drawn.central, samples, seed, size, progress)
    risks = tuple(
        GateRisk(proposals[i].id, gate.id, gate.field, failures[(i, gate.id)] / samples)
        for i in range(m)
        for gate in criteria.gates
        if (i, gate.id) in failures
    )
    return ValueAnalysis(
        model.figures, drawn.shares, drawn.central, confidence, risks, drawn.rest, model.rates
    )


def _confidence(
    model: ScoreModel,
    central: list[list[float] | None],
    samples: int,
    seed: int,
    size: int,
    progress: Progress | None = None,
) -> list[float | None]:
    """Per proposal, the share of figure draws in which it is first with its central weights."""
    tested = [i for i, w in enumerate(central) if w is not None]
    wins = dict.fromkeys(tested, 0)
    figure_stream = np.random.default_rng([seed, FIGURES_STREAM])  # the same draws again
    done = 0
    while done < samples and tested:
        c = min(size, samples - done)
        moved, _ = model.scores(model.draw(figure_stream, c))
        scores = list(np.moveaxis(moved, 2, 0))  # criterion by criterion
        for i in tested:
            weights = central[i]
            assert weights is not None
            totals = np.repeat(
                np.asarray(total_score(weights, list(model.base.T)))[np.newaxis], c, axis=0
            )
            if model.rows:
                totals[:, list(model.rows)] = total_score(weights, scores)
            wins[i] += int(np.count_nonzero(first_place(totals, i)))
        done += c
        if progress is not None:
            progress(samples + done, 2 * samples)
    return [wins[i] / samples if i in wins else None for i in range(len(central))]
