"""Aggregation methods on one decision matrix: weighted sum, TOPSIS, PROMETHEE II.

Pure maths: no proposal, no `Comparison`. Rows are proposals, columns the leaf
sub-criteria. A cell is the leaf's score times its criterion's credibility factor, or,
for a `raw` rule, the value itself (with its direction). A column's weight is its
criterion's normalised weight times its own. Every method is a pure function `matrix,
weights, directions -> totals`; `pool` names the rows that set the normalisation, ideals
and flows (the eligible proposals), and the other rows are then scored against that
pool. `scoring.methods` builds the matrix of a comparison and applies them to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from evaluator.errors import EvaluatorError, SettingError
from evaluator.messages.settings import UNKNOWN_METHOD
from evaluator.model.criteria import Preference
from evaluator.model.method import ALL, METHODS, Method

Matrix = Sequence[Sequence[float]]


@dataclass(frozen=True, slots=True)
class Column:
    """One leaf sub-criterion as a column of the decision matrix."""

    criterion: str
    leaf: str
    weight: float  # global: criterion weight × leaf weight
    direction: str  # "max" (higher is better) or "min"
    preference: Preference
    raw: bool = False

    @property
    def name(self) -> str:
        """`criterion.leaf`."""
        return f"{self.criterion}.{self.leaf}"


@dataclass(frozen=True, slots=True)
class DecisionMatrix:
    """Proposals × leaf sub-criteria, with the column weights and directions."""

    proposals: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: tuple[tuple[float, ...], ...]
    pool: tuple[int, ...]  # rows that set normalisation, ideals and flows

    @property
    def weights(self) -> list[float]:
        """Global column weights."""
        return [c.weight for c in self.columns]

    @property
    def directions(self) -> list[str]:
        """`max` or `min` per column."""
        return [c.direction for c in self.columns]

    @property
    def preferences(self) -> list[Preference]:
        """PROMETHEE preference function per column."""
        return [c.preference for c in self.columns]

    @property
    def raw_columns(self) -> list[str]:
        """Columns holding raw values rather than 0–100 scores."""
        return [c.name for c in self.columns if c.raw]


def _pool(matrix: Matrix, pool: Sequence[int] | None) -> list[int]:
    return list(range(len(matrix))) if pool is None else list(pool)


def wsm(
    matrix: Matrix,
    weights: Sequence[float],
    directions: Sequence[str],
    pool: Sequence[int] | None = None,
) -> list[float]:
    """Weighted sum Σ w_j x_ij of 0–100 scores; the pool plays no part."""
    if any(d != "max" for d in directions):
        raise ValueError("the weighted sum needs every column on the 0-100 score scale")
    return [math.fsum(w * x for w, x in zip(weights, row, strict=True)) for row in matrix]


def topsis(
    matrix: Matrix,
    weights: Sequence[float],
    directions: Sequence[str],
    pool: Sequence[int] | None = None,
) -> list[float]:
    """100 × closeness S⁻/(S⁺ + S⁻), with vector normalisation over the pool."""
    members = _pool(matrix, pool)
    if not matrix or not members:
        return [0.0] * len(matrix)
    columns = range(len(weights))
    norms = [math.sqrt(math.fsum(matrix[i][j] ** 2 for i in members)) for j in columns]
    # A column that is zero across the pool tells nothing apart: it stays 0 everywhere.
    weighted = [
        [weights[j] * row[j] / norms[j] if norms[j] else 0.0 for j in columns] for row in matrix
    ]
    best, worst = [], []
    for j in columns:
        values = [weighted[i][j] for i in members]
        high, low = max(values), min(values)
        best.append(high if directions[j] == "max" else low)
        worst.append(low if directions[j] == "max" else high)
    totals = []
    inside = set(members)
    for i, row in enumerate(weighted):
        if i not in inside:
            # Beyond the pool's ideal counts as at the ideal, not as a distance from it (as a
            # proportional score is capped at 100): an outsider is scored within the pool's range.
            row = [
                min(max(v, min(b, w)), max(b, w)) for v, b, w in zip(row, best, worst, strict=True)
            ]
        to_best = math.sqrt(math.fsum((v - b) ** 2 for v, b in zip(row, best, strict=True)))
        to_worst = math.sqrt(math.fsum((v - w) ** 2 for v, w in zip(row, worst, strict=True)))
        # Both distances are 0 only when the ideal and anti-ideal coincide (every proposal in
        # the pool alike): nothing is closer to one than the other, so the midpoint.
        closeness = to_worst / (to_best + to_worst) if to_best + to_worst else 0.5
        totals.append(100.0 * closeness)
    return totals


def promethee(
    matrix: Matrix,
    weights: Sequence[float],
    directions: Sequence[str],
    preferences: Sequence[Preference] | None = None,
    pool: Sequence[int] | None = None,
) -> list[float]:
    """100 × PROMETHEE II net flow φ⁺ − φ⁻, each averaged over the other pool members."""
    members = _pool(matrix, pool)
    functions = list(preferences) if preferences is not None else [Preference()] * len(weights)
    columns = range(len(weights))

    def index(a: Sequence[float], b: Sequence[float]) -> float:
        """π(a, b): the weighted degree to which a is preferred to b."""
        total = 0.0
        for j in columns:
            difference = a[j] - b[j] if directions[j] == "max" else b[j] - a[j]
            total += weights[j] * functions[j].degree(difference)
        return total

    totals = []
    for i, row in enumerate(matrix):
        others = [k for k in members if k != i]
        if not others:  # nothing to compare with
            totals.append(0.0)
            continue
        leaving = math.fsum(index(row, matrix[k]) for k in others)
        entering = math.fsum(index(matrix[k], row) for k in others)
        totals.append(100.0 * (leaving - entering) / len(others))
    return totals


def totals(matrix: DecisionMatrix, method: str) -> list[float]:
    """Each proposal's total under one method."""
    if method == Method.WSM:
        return wsm(matrix.rows, matrix.weights, matrix.directions)
    if method == Method.TOPSIS:
        return topsis(matrix.rows, matrix.weights, matrix.directions, matrix.pool)
    if method == Method.PROMETHEE:
        return promethee(
            matrix.rows, matrix.weights, matrix.directions, matrix.preferences, matrix.pool
        )
    raise unknown_method(method)


def unknown_method(method: str) -> EvaluatorError:
    """The usage error for a method that is none of ours."""
    return SettingError.at("method", UNKNOWN_METHOD(method=method, methods=(*METHODS, ALL)))


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Kendall's tau-b of two rankings (ties allowed); None when either is all ties."""
    concordant = discordant = tied_x = tied_y = 0
    for i, j in combinations(range(len(x)), 2):
        dx, dy = _sign(x[i] - x[j]), _sign(y[i] - y[j])
        if dx == 0 and dy == 0:
            continue
        if dx == 0:
            tied_x += 1
        elif dy == 0:
            tied_y += 1
        elif dx == dy:
            concordant += 1
        else:
            discordant += 1
    # tau-b = (C − D) / sqrt((n0 − n1)(n0 − n2)); pairs tied in both count in neither.
    denominator = math.sqrt((concordant + discordant + tied_x) * (concordant + discordant + tied_y))
    return (concordant - discordant) / denominator if denominator else None


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)
