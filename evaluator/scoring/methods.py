"""The aggregation methods applied to a comparison: its decision matrix, the totals and
ranks of TOPSIS or PROMETHEE II in place of the weighted sum's, or every method side by
side (`--method all`) with Kendall's tau between their rankings. The maths is
`scoring.mcda`'s.

Imported by `scoring.engine` only when the method is not the weighted sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from evaluator.model.method import ALL, METHODS, Method
from evaluator.model.notes import ALONE_METHODS, RELATIVE_METHODS, WSM_LEFT_OUT, Note
from evaluator.scoring.mcda import Column, DecisionMatrix, kendall_tau_b, totals, unknown_method
from evaluator.scoring.ranking import eligible_ranks, ordered, rank
from evaluator.scoring.results import Comparison


def decision_matrix(comparison: Comparison) -> DecisionMatrix:
    """The decision matrix of a comparison's evaluations, in their current order."""
    leaves = {(c.id, leaf.id): leaf for c, leaf in comparison.criteria.leaves()}
    columns: list[Column] = []
    rows: list[tuple[float, ...]] = []
    for i, evaluation in enumerate(comparison.evaluations):
        cells: list[float] = []
        for criterion in evaluation.criteria:
            for score in criterion.leaves:
                leaf = leaves[(criterion.id, score.id)]
                raw = leaf.rule.raw
                # Credibility discounts promises (the leaf's factor: 1 on what is not a
                # promise); a raw value is a measured fact, kept as is.
                cells.append(score.score if raw else score.score * score.factor)
                if i == 0:
                    columns.append(
                        Column(
                            criterion.id,
                            leaf.id,
                            criterion.weight * score.weight,
                            leaf.rule.favours,
                            leaf.preference,
                            raw,
                        )
                    )
        rows.append(tuple(cells))
    eligible = tuple(i for i, e in enumerate(comparison.evaluations) if e.eligible)
    pool = eligible or tuple(range(len(rows)))
    return DecisionMatrix(
        tuple(e.id for e in comparison.evaluations), tuple(columns), tuple(rows), pool
    )


def apply_method(comparison: Comparison, method: str) -> None:
    """Replace totals and ranks with those of `method`; with `--method all`, record every method."""
    if method not in (*METHODS, ALL):
        raise unknown_method(method)
    evaluations = comparison.evaluations
    matrix = decision_matrix(comparison)
    if method == ALL:
        # The weighted sum cannot add raw values; the others can still be compared.
        names = [m for m in METHODS if m != Method.WSM or not matrix.raw_columns]
        results: dict[str, list[float]] = {
            name: [e.total for e in evaluations] if name == Method.WSM else totals(matrix, name)
            for name in names
        }
        ranks = {name: eligible_ranks(evaluations, results[name]) for name in names}
        for i, evaluation in enumerate(evaluations):
            evaluation.methods = {name: (results[name][i], ranks[name][i]) for name in names}
        comparison.kendall_tau = {
            f"{a}-{b}": kendall_tau_b(*_eligible_pair(ranks[a], ranks[b]))
            for a, b in combinations(names, 2)
        }
        if Method.WSM not in names:
            comparison.notes.append(Note(WSM_LEFT_OUT, {"columns": list(matrix.raw_columns)}))
        primary = comparison.method
    else:
        results = {method: totals(matrix, method)}
        primary = method
    if primary != Method.WSM:
        for evaluation, total in zip(evaluations, results[primary], strict=True):
            evaluation.total = total
        comparison.evaluations = rank(evaluations)
    else:
        comparison.evaluations = ordered(evaluations)
    _add_notes(comparison, method, primary)


def _eligible_pair(
    a: Sequence[int | None], b: Sequence[int | None]
) -> tuple[list[float], list[float]]:
    """The two methods' ranks of the proposals both rank (the eligible ones)."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    return [float(x) for x, _ in pairs], [float(y) for _, y in pairs]


def _add_notes(comparison: Comparison, method: str, primary: str) -> None:
    """The relative methods used (topsis, promethee): their totals depend on the proposals
    compared, and with one proposal there is nothing to compare."""
    relative = [m for m in ((primary,) if method != ALL else METHODS) if m != Method.WSM]
    if not relative:
        return
    count = len(comparison.evaluations)
    if count == 1:
        comparison.notes.append(Note(ALONE_METHODS, {"methods": relative}))
    elif count > 1:
        comparison.notes.append(Note(RELATIVE_METHODS, {"methods": relative}))
