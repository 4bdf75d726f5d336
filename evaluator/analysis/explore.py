"""Walking the weights: a comparison re-ranked at new top-level weights, step by step.

Pure: a scored `Comparison` in (its criterion scores do not depend on the top-level
weights), `View`s out. A step re-ranks from those prepared scores: no file is read and
no proposal is scored again. The weighted sum is `Σ w_k × score_ik` (as `compare` adds
it, `scoring.engine.total_score`); TOPSIS and PROMETHEE II are `scoring.mcda`'s, on the
comparison's decision matrix with its column weights rescaled (criterion weight × leaf
weight, as `compare --method` builds them). Moving one weight keeps the others'
proportions, as `--weights` and `sensitivity` define it (`analysis.sensitivity.
moved_weights`); each weight's interval over which the winner holds is `sensitivity`'s
exact `criterion_stability`.

PROMETHEE II's net flow is linear in the weights too: a column's preference degrees do
not depend on them, so a proposal's flow is `Σ_k w_k × flow_ik`, where `flow_ik` is the
net flow of criterion k's columns alone, weighted by their leaf weights (`mcda.promethee`
on those columns, once). A step then costs what a weighted-sum step costs, and the same
exact intervals hold. TOPSIS is not linear in the weights (its ideals move with them): it
is computed afresh at each step, and has no intervals here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from evaluator.analysis.sensitivity import Stability, criterion_stability, moved_weights
from evaluator.model.method import METHODS, Method
from evaluator.scoring.engine import total_score
from evaluator.scoring.mcda import DecisionMatrix, promethee, totals
from evaluator.scoring.methods import decision_matrix
from evaluator.scoring.ranking import eligible_ranks
from evaluator.scoring.results import Comparison, Evaluation

STEP = 0.01  # one point of 100
BIG_STEP = 0.05  # five points


@dataclass(frozen=True, slots=True)
class Row:
    """One proposal at the current weights."""

    id: str
    total: float
    rank: int | None  # None: ineligible (a gate failed)
    contributions: tuple[float, ...]  # weighted-sum parts, w_k × score_ik, in criteria order
    eligible: bool


@dataclass(frozen=True, slots=True)
class Crossing:
    """The winner changed between two steps: who took first place, at what weight."""

    criterion: str  # the weight moved
    weight: float  # where it was moved to
    at: float | None  # the exact tipping point crossed (weighted sum), None otherwise
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class View:
    """The ranking at some weights under one method."""

    method: str
    weights: tuple[float, ...]  # normalised, in criteria order
    rows: tuple[Row, ...]  # in result order: by rank, then ineligible, each by id
    winner: str | None
    # Per criterion, the interval over which `winner` holds and who leads past each end
    # (weighted sum and PROMETHEE II, whose totals are linear in the weights; None: TOPSIS).
    stability: tuple[Stability, ...] | None


class Explorer:
    """A comparison made ready to re-rank: criterion scores per proposal, once."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.criteria: tuple[str, ...] = tuple(comparison.weights)
        self.evaluations: tuple[Evaluation, ...] = tuple(comparison.evaluations)
        self.ids = tuple(e.id for e in self.evaluations)
        self.eligible = tuple(e.eligible for e in self.evaluations)
        self.scores = tuple(
            tuple(_score(e, name) for name in self.criteria) for e in self.evaluations
        )
        self.base = tuple(comparison.weights[name] for name in self.criteria)
        self._ranked = _Eligible.of(self.ids, self.eligible)
        self._matrix: DecisionMatrix | None = None
        self._leaf_weights: tuple[tuple[int, float], ...] = ()
        self._flows: tuple[tuple[float, ...], ...] | None = None

    @property
    def methods(self) -> tuple[str, ...]:
        """The methods a view can be made with (the weighted sum cannot add raw values)."""
        raw = bool(self.matrix.raw_columns) if self.evaluations else False
        return tuple(m for m in METHODS if m != Method.WSM or not raw)

    @property
    def matrix(self) -> DecisionMatrix:
        """The decision matrix (TOPSIS, PROMETHEE), built on first use."""
        if self._matrix is None:
            self._matrix = decision_matrix(self.comparison)
            index = {name: k for k, name in enumerate(self.criteria)}
            first = self.evaluations[0].criteria if self.evaluations else ()
            self._leaf_weights = tuple(
                (index[c.id], leaf.weight) for c in first for leaf in c.leaves
            )
        return self._matrix

    def move(self, weights: Sequence[float], criterion: str, to: float) -> tuple[float, ...]:
        """The weights with `criterion` moved to `to` (clamped to [0, 1]), the others
        keeping their proportions."""
        k = self.criteria.index(criterion)
        return tuple(moved_weights(weights, k, min(1.0, max(0.0, to))))

    @property
    def flows(self) -> tuple[tuple[float, ...], ...]:
        """Per proposal, the PROMETHEE II net flow of each criterion's columns alone (leaf
        weights within it): the flow at weights w is `Σ_k w_k × flows[i][k]`."""
        if self._flows is None:
            matrix = self.matrix
            per: list[list[float]] = [[0.0] * len(self.criteria) for _ in self.ids]
            for k in range(len(self.criteria)):
                picked = [j for j, (c, _) in enumerate(self._leaf_weights) if c == k]
                if not picked:
                    continue
                flows = promethee(
                    [[row[j] for j in picked] for row in matrix.rows],
                    [self._leaf_weights[j][1] for j in picked],
                    [matrix.columns[j].direction for j in picked],
                    [matrix.columns[j].preference for j in picked],
                    matrix.pool,
                )
                for i, flow in enumerate(flows):
                    per[i][k] = flow
            self._flows = tuple(tuple(row) for row in per)
        return self._flows

    def view(self, weights: Sequence[float], method: str = Method.WSM) -> View:
        """The ranking at `weights` (normalised, in criteria order) under `method`."""
        parts = [tuple(w * s for w, s in zip(weights, row, strict=True)) for row in self.scores]
        if method == Method.WSM:
            figures = [float(total_score(weights, row)) for row in self.scores]
        elif method == Method.PROMETHEE and self.evaluations:
            figures = [float(total_score(weights, row)) for row in self.flows]
        else:
            figures = totals(self._weighted(weights), method)
        ranks = eligible_ranks(self._ranked, figures)
        rows = sorted(
            (
                Row(i, t, r, p, ok)
                for i, t, r, p, ok in zip(
                    self.ids, figures, ranks, parts, self.eligible, strict=True
                )
            ),
            key=lambda row: (row.rank is None, row.rank or 0, row.id),
        )
        winner = rows[0].id if rows and rows[0].rank == 1 else None
        stability = None
        if method == Method.WSM:
            stability = self.stability(weights, winner)
        elif method == Method.PROMETHEE and self.evaluations:
            stability = self.stability(weights, winner, self.flows)
        return View(method, tuple(weights), tuple(rows), winner, stability)

    def stability(
        self,
        weights: Sequence[float],
        winner: str | None,
        lines: Sequence[Sequence[float]] | None = None,
    ) -> tuple[Stability, ...]:
        """Each weight's interval over which `winner` holds, as `sensitivity` gives it
        (on the criterion scores, or on other per-criterion `lines` linear in weights)."""
        pool = [k for k, ok in enumerate(self.eligible) if ok]
        ids = [self.ids[k] for k in pool]
        rows = self.scores if lines is None else lines
        scores = [rows[k] for k in pool]
        at = ids.index(winner) if winner in ids else None
        return tuple(
            criterion_stability(scores, weights, k, at, ids, name)
            for k, name in enumerate(self.criteria)
        )

    def _weighted(self, weights: Sequence[float]) -> DecisionMatrix:
        matrix = self.matrix
        columns = tuple(
            replace(column, weight=weights[k] * leaf)
            for column, (k, leaf) in zip(matrix.columns, self._leaf_weights, strict=True)
        )
        return replace(matrix, columns=columns)


def crossing(before: View, after: View, criterion: str, k: int) -> Crossing | None:
    """The change of winner from `before` to `after` (weight k moved), if there is one;
    with the weighted sum, the exact tipping point crossed."""
    if before.winner == after.winner:
        return None
    at = None
    if before.stability is not None:
        lo, hi = before.stability[k].winner or (0.0, 1.0)
        at = hi if after.weights[k] > before.weights[k] else lo
    return Crossing(criterion, after.weights[k], at, before.winner, after.winner)


def percentages(criteria: Sequence[str], weights: Sequence[float]) -> dict[str, float]:
    """Weights as `--weights` takes them: percent of the total, rounded to 1e-9 points."""
    return {name: round(w * 100, 9) for name, w in zip(criteria, weights, strict=True)}


def normalised(criteria: Sequence[str], percent: Mapping[str, float]) -> tuple[float, ...]:
    """Percentages of every criterion back to weights that sum to 1."""
    whole = sum(percent[name] for name in criteria)
    return tuple(percent[name] / whole for name in criteria)


@dataclass(frozen=True, slots=True)
class _Eligible:
    id: str
    eligible: bool
    rank: int | None = None

    @staticmethod
    def of(ids: Sequence[str], eligible: Sequence[bool]) -> list[_Eligible]:
        return [_Eligible(i, ok) for i, ok in zip(ids, eligible, strict=True)]


def _score(evaluation: Evaluation, criterion: str) -> float:
    return next(c.score for c in evaluation.criteria if c.id == criterion)
