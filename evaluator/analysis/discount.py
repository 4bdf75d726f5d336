"""The discount rate's reach: the range of discount rates over which today's winner stays
first (`evaluator sensitivity`, every format).

The criteria file's `discount_rate` is policy (it turns sustainment paid in later years
into today's money for the lifecycle cost). This module scores every eligible proposal
at many discount rates at once, with the scoring engine's own functions on an array of
rates (scoring.derive's `derived_figures` through uncertainty's `ScoreModel`, the path that
`sensitivity --values` takes for its draws), today's weights and every other figure at
its point estimate, and finds the rates around today's at which the winner is still
first.

Conventions (see docs/sensitivity.md, "The discount rate"):

- The rates searched run from 0 to 20% (`SEARCHED`), or up to today's rate when it is
  higher. First a grid every 0.25 percentage point (`COARSE`), today's rate included;
  then, between the last grid rate at which the winner holds and the first at which it
  does not, every 0.01 percentage point (`RESOLUTION`). Each end reported is the last
  rate on that fine grid at which the winner is still first: the exact crossing lies
  less than `RESOLUTION` beyond it. A lead lost and regained between two coarse grid
  rates (0.25 point apart) would be missed.
- The interval is the largest one around today's rate in which the winner is first
  (joint first, within the tie tolerance, counts), as for the weights' stability
  intervals. `below` / `above` name who is first just past each end (None: the winner
  holds to that end of the range searched).
- Eligibility stays as decided at today's rate (as in `compare`); so does the pool of
  a proportional rule. Only the lifecycle cost moves with the rate.
- `status`: "no_winner" (no eligible proposal; no interval), "not_used" (no criterion
  scores `pricing.lifecycle_cost`, the one figure the rate moves: the winner holds
  everywhere, trivially), "holds" (the winner holds over the whole range searched), or
  "changes" (another proposal leads past at least one end).

numpy (and evaluator.analysis.uncertainty, which imports it) is imported inside `reach`
only: the renderers import this module for its result's names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evaluator.model.criteria import Criteria
from evaluator.scoring.derive import LIFECYCLE
from evaluator.scoring.engine import total_score
from evaluator.scoring.results import Evaluation

if TYPE_CHECKING:
    from evaluator.analysis.uncertainty import Array

SEARCHED = (0.0, 0.20)  # the discount rates searched (extended up to today's when higher)
COARSE = 0.0025  # the first grid: every 0.25 percentage point
RESOLUTION = 0.0001  # each end refined to 0.01 percentage point
_STEPS = round(COARSE / RESOLUTION)  # fine steps in a coarse one
NO_WINNER, NOT_USED, HOLDS, CHANGES = "no_winner", "not_used", "holds", "changes"


@dataclass(frozen=True, slots=True)
class DiscountReach:
    """Over which discount rates today's winner stays first."""

    today: float
    searched: tuple[float, float]
    resolution: float
    status: str  # NO_WINNER, NOT_USED, HOLDS or CHANGES (see the module's docstring)
    winner_holds: tuple[float, float] | None  # None: no eligible proposal
    below: str | None = None  # who is first just below winner_holds[0]; None: nobody
    above: str | None = None  # who is first just above winner_holds[1]; None: nobody


def reach(
    criteria: Criteria,
    proposals: Sequence[Evaluation],
    names: Sequence[str],
    weights: Sequence[float],
    winner: str | None,
) -> DiscountReach:
    """The discount rates around today's over which `winner` stays first among the eligible
    `proposals` (in today's order), with the top-level criteria `names` weighted by
    `weights` (today's, after any what-if)."""
    today = criteria.discount_rate
    top = max(SEARCHED[1], today)
    searched = (SEARCHED[0], top)
    ids = [e.id for e in proposals]
    if winner is None or winner not in ids:
        return DiscountReach(today, searched, RESOLUTION, NO_WINNER, None)
    if not any(leaf.field == LIFECYCLE for _, leaf in criteria.leaves()):
        return DiscountReach(today, searched, RESOLUTION, NOT_USED, searched)
    import numpy as np

    from evaluator.analysis.uncertainty import ScoreModel, first_place

    model = ScoreModel(criteria, proposals, names, discount=True)
    w = ids.index(winner)

    def first(rates: list[float]) -> tuple[list[bool], Array]:
        """Whether the winner is first at each rate, and each rate's totals."""
        moved, _ = model.scores(np.asarray(rates, dtype=np.float64).reshape(-1, 1))
        base = np.asarray(total_score(list(weights), list(model.base.T)), dtype=np.float64)
        totals = np.repeat(base[np.newaxis], len(rates), axis=0)
        if model.rows:
            totals[:, list(model.rows)] = total_score(list(weights), list(np.moveaxis(moved, 2, 0)))
        return first_place(totals, w).tolist(), totals

    # The coarse grid in whole steps of RESOLUTION (k / 10,000: the rate as written), and
    # today's rate, which may lie between two of its rates.
    coarse = sorted({*(k * _STEPS / 10_000 for k in range(math.floor(top / COARSE) + 1)), today})
    if coarse[-1] < top:
        coarse.append(top)
    holds, _ = first(coarse)
    at = coarse.index(today)
    holds[at] = True  # today's winner, by definition (a tie at today's rate included)
    lo, hi = at, at
    while lo > 0 and holds[lo - 1]:
        lo -= 1
    while hi < len(coarse) - 1 and holds[hi + 1]:
        hi += 1
    # Both edges refined in one pass of the engine: the fine rates between the last coarse
    # rate that holds and the first that does not, on each side that has one.
    edges = ([(coarse[lo], coarse[lo - 1])] if lo > 0 else []) + (
        [(coarse[hi], coarse[hi + 1])] if hi < len(coarse) - 1 else []
    )
    fine = [_fine(holding, failing) for holding, failing in edges]
    ends: dict[float, tuple[float, str]] = {}
    if fine:
        fine_holds, totals = first([rate for rates in fine for rate in rates])
        offset = 0
        for (holding, failing), rates in zip(edges, fine, strict=True):
            window = slice(offset, offset + len(rates))
            ends[failing] = _edge(ids, holding, rates, fine_holds[window], totals[window])
            offset += len(rates)
    low, below = ends[coarse[lo - 1]] if lo > 0 else (coarse[lo], None)
    high, above = ends[coarse[hi + 1]] if hi < len(coarse) - 1 else (coarse[hi], None)
    status = HOLDS if below is None and above is None else CHANGES
    return DiscountReach(today, searched, RESOLUTION, status, (low, high), below, above)


def _fine(holding: float, failing: float) -> list[float]:
    """The rates every RESOLUTION strictly between `holding` and `failing`, nearest to
    `holding` first, then `failing` itself."""
    step = 1 if failing > holding else -1
    # `holding` may be today's rate, between two fine rates: start from the fine rate on
    # its near side, so that the first one tested lies beyond it.
    ticks = holding / RESOLUTION
    start = math.floor(ticks + 1e-6) if step > 0 else math.ceil(ticks - 1e-6)
    end = round(failing / RESOLUTION)
    return [k / 10_000 for k in range(start + step, end, step)] + [failing]


def _edge(
    ids: Sequence[str], holding: float, rates: list[float], holds: list[bool], totals: Array
) -> tuple[float, str]:
    """The last of `rates` (from `holding` on) at which the winner is still first, and who
    is first at the next one, where it no longer is (`holds` and `totals`: at each rate)."""
    last = holding
    for i, (rate, ok) in enumerate(zip(rates, holds, strict=True)):
        if not ok:
            row = totals[i]
            best = row.max()
            # The leader there: the best total; among totals level with it, the first in
            # today's order.
            leader = min(j for j in range(len(ids)) if row[j] >= best - 1e-9)
            return last, ids[leader]
        last = rate
    raise AssertionError("the failing rate holds")  # pragma: no cover
