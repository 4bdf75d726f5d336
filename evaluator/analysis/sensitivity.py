"""Robustness of a decision: weight stability intervals and SMAA-2 rank acceptability.

Pure: a weighted-sum `Comparison` in, a `Sensitivity` out. Only the eligible
proposals take part. A proposal's total is linear in the top-level weights,
`total_i = Σ_k w_k × score_ik`, where `score_ik` is its criterion score
(credibility included). numpy is imported inside the sampling function only.

Conventions (see docs/sensitivity.md):

- Moving one weight: w_k goes to t in [0, 1] and the other weights keep their
  proportions, each scaled by (1 − t) / (1 − w_k). When every other weight is
  0 they share 1 − t equally, since they have no proportions to keep.
- Ties: totals within `TIE_TOLERANCE` tie (as in `compare`). An interval is
  closed: at its end points two proposals tie, and the order has not yet
  reversed. A proposal that is joint first is still first.
- Ranks in the sampling are competition ranks (1, 2, 2, 4): proposals that tie
  in a draw share the better rank, so each proposal's shares sum to 1.
- Ranks listed: every rank up to `ALL_RANKS_UP_TO` eligible proposals; beyond, the
  first `DEFAULT_RANKS` (or `ranks`), and the share of draws at any worse rank as one
  figure. Every rank of m proposals is m × m shares: 100 million at 10,000 proposals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING

from evaluator.analysis.sampling import (
    CHUNK_ELEMENTS,
    Progress,
    RankShares,
    Spread,
    Tally,
    draw_weights,
    row_ranks,
)
from evaluator.errors import UsageError
from evaluator.messages.settings import SPREAD
from evaluator.model.method import Method
from evaluator.model.notes import (
    CRITERIA_METHOD,
    RANGED,
    VALUES_AT_POINT,
    VALUES_NONE_RANGED,
    VALUES_SKIPPED,
    Note,
)
from evaluator.scoring.engine import total_score
from evaluator.scoring.ranking import TIE_TOLERANCE
from evaluator.scoring.results import Comparison, Evaluation

if TYPE_CHECKING:
    from evaluator.analysis.discount import DiscountReach
    from evaluator.analysis.uncertainty import ValueAnalysis

DEFAULT_SAMPLES = 10_000
DEFAULT_SEED = 0
DEFAULT_SPREAD = 0.25
ALL_RANKS_UP_TO = 100  # up to this many eligible proposals, every rank is listed
DEFAULT_RANKS = 10  # beyond, the first ten ranks, and the rest as one share
# The largest analysis run without asking, in proposal-draws (draws × eligible proposals):
# about a minute on the project's 2-core machine, under load (measured: 500 million took
# 48 s at 150 proposals, 72 s at 75, where every rank is sorted). With --values every draw
# also recomputes the ranged figures and the scores they feed, and replays them for the
# confidence factors: about five times the work (100 million: 35-50 s).
WORK_LIMIT = 500_000_000
VALUES_WORK_LIMIT = 100_000_000

Interval = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Stability:
    """How far one criterion's weight can move before the winner, or the ranking, changes."""

    criterion: str
    weight: float
    winner: Interval | None  # None when no proposal is eligible
    ranking: Interval | None
    winner_below: str | None  # who leads just below winner[0]; None if the winner holds to 0
    winner_above: str | None  # who leads just above winner[1]; None if the winner holds to 1


@dataclass(frozen=True, slots=True)
class TippingPoint:
    """The smallest change of a single weight that changes the winner."""

    criterion: str
    weight: float
    to: float
    new_winner: str
    # A weight just past `to`, in whole tenths of a percent where that is close enough
    # (finer otherwise), at which `new_winner` leads outright: typed back as `--weights`,
    # it tips the ranking. None when no such round figure exists (then `to` is all).
    past: float | None = None

    @property
    def change(self) -> float:
        """How far the weight moves, in normalised weight (0.05 is five points of 100)."""
        return abs(self.to - self.weight)


@dataclass(frozen=True, slots=True)
class Acceptability:
    """SMAA-2: the share of sampled weightings giving each proposal each rank."""

    samples: int
    seed: int
    spread: Spread
    shares: dict[str, list[float]]  # id -> share of draws at rank 1, 2, ... (those listed)
    central_weights: dict[str, dict[str, float] | None]  # mean weights when first
    # id -> share of draws at a rank worse than those listed; None when every rank is.
    rest: dict[str, float] | None = None

    @property
    def ranks(self) -> int:
        """How many ranks `shares` lists for each proposal."""
        return len(next(iter(self.shares.values()), []))


@dataclass(slots=True)
class Sensitivity:
    """The whole robustness analysis of one weighted-sum comparison."""

    comparison: Comparison
    proposals: list[Evaluation]  # the eligible ones, in today's rank order
    excluded: list[Evaluation]  # ineligible: left out of the analysis
    winner: str | None
    stability: dict[str, Stability]
    tipping_point: TippingPoint | None
    acceptability: Acceptability
    notes: list[Note]  # codes and data (model.notes), worded by the renderers
    # With --values: the ranged figures drawn too, the confidence factors, gate risks.
    values: ValueAnalysis | None = None
    # The discount rates over which the winner holds (evaluator.analysis.discount).
    discount: DiscountReach | None = None


def parse_spread(text: str) -> Spread:
    """`--spread`: a number s with 0 ≤ s ≤ 1, or `full`; anything else is a usage error."""
    if text.strip().lower() == "full":
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise UsageError.at("--spread", SPREAD(value=text))
    return value


@dataclass(frozen=True, slots=True)
class LongRun:
    """An analysis larger than those run without asking: `samples` draws × `eligible`
    proposals (with `values`: ranged figures drawn too) is `work` proposal-draws, above
    `limit`."""

    samples: int
    eligible: int
    values: bool
    work: int
    limit: int


def long_run(comparison: Comparison, samples: int, values: bool = False) -> LongRun | None:
    """Why `analyse` would run long, when it is above the limit run without asking
    (`WORK_LIMIT`, or `VALUES_WORK_LIMIT` with `values`); None when it is not."""
    eligible = sum(1 for e in comparison.evaluations if e.eligible)
    work, limit = samples * eligible, VALUES_WORK_LIMIT if values else WORK_LIMIT
    if work <= limit:
        return None
    return LongRun(samples, eligible, values, work, limit)


def listed_ranks(proposals: int, ranks: int | None = None) -> int:
    """How many ranks acceptability lists for `proposals` eligible proposals: `ranks` (at
    most one per proposal), or by default every rank up to `ALL_RANKS_UP_TO` proposals,
    else `DEFAULT_RANKS`."""
    if ranks is None:
        ranks = proposals if proposals <= ALL_RANKS_UP_TO else DEFAULT_RANKS
    return max(0, min(ranks, proposals))


def analyse(
    comparison: Comparison,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    spread: Spread = DEFAULT_SPREAD,
    values: bool = False,
    ranks: int | None = None,
    progress: Progress | None = None,
) -> Sensitivity:
    """Stability intervals, tipping point and rank acceptability of a weighted-sum comparison.

    With `values`, the figures given as ranges are drawn with the weights in every draw
    (evaluator.analysis.uncertainty): acceptability and central weights are then under both
    uncertainties, and each proposal gets a confidence factor. Stability intervals stay
    exact, at the point estimates. `ranks`: see `listed_ranks`. `progress(done, total)`
    is called as the draws go.
    """
    if comparison.method != Method.WSM:
        raise ValueError(f"sensitivity needs weighted-sum (wsm) totals, got {comparison.method!r}")
    proposals = [e for e in comparison.evaluations if e.eligible]
    excluded = [e for e in comparison.evaluations if not e.eligible]
    criteria = list(comparison.weights)
    weights = [comparison.weights[k] for k in criteria]
    ids = [e.id for e in proposals]
    scores = [[_criterion_score(e, k) for k in criteria] for e in proposals]
    winner = comparison.winner
    winner_index = ids.index(winner.id) if winner is not None and winner.id in ids else None
    stability: dict[str, Stability] = {}
    for k, name in enumerate(criteria):
        stability[name] = criterion_stability(scores, weights, k, winner_index, ids, name)
    by_values = None
    listed = listed_ranks(len(proposals), ranks)
    if values:
        from evaluator.analysis.uncertainty import analyse_values

        by_values = analyse_values(
            comparison.criteria,
            proposals,
            criteria,
            weights,
            samples,
            seed,
            spread,
            ranks=listed,
            progress=progress,
        )
        shares, rest, central = by_values.shares, by_values.rest, by_values.central
    else:
        drawn = rank_shares(scores, weights, samples, seed, spread, ranks=listed, progress=progress)
        shares, rest, central = drawn.shares, drawn.rest, drawn.central
    acceptability = Acceptability(
        samples,
        seed,
        spread,
        dict(zip(ids, shares, strict=True)),
        {
            i: None if c is None else dict(zip(criteria, c, strict=True))
            for i, c in zip(ids, central, strict=True)
        },
        None if rest is None else dict(zip(ids, rest, strict=True)),
    )
    # The note of `compare` on ranged figures: their drawing is this command's --values,
    # whose own notes say how (and without --values the output is the same as ever).
    notes = [n for n in comparison.notes if n.code != RANGED]
    if comparison.criteria.method != Method.WSM:
        notes.append(Note(CRITERIA_METHOD, {"method": comparison.criteria.method}))
    if by_values is not None:
        notes += _values_notes(by_values, excluded)
    from evaluator.analysis.discount import reach

    discount = reach(
        comparison.criteria, proposals, criteria, weights, None if winner is None else winner.id
    )
    tip = tipping_point(stability.values())
    if tip is not None:
        k = criteria.index(tip.criterion)
        tip = replace(
            tip,
            past=weight_past(
                scores, weights, k, tip.to, tip.to > tip.weight, ids.index(tip.new_winner)
            ),
        )
    return Sensitivity(
        comparison,
        proposals,
        excluded,
        None if winner is None else winner.id,
        stability,
        tip,
        acceptability,
        notes,
        by_values,
        discount,
    )


def weight_past(
    scores: Sequence[Sequence[float]],
    weights: Sequence[float],
    k: int,
    to: float,
    upward: bool,
    leader: int,
) -> float | None:
    """The roundest weight beyond `to` (moving up or down) at which proposal `leader` is
    first by more than the tie tolerance, when weight k is moved as `moved_weights` moves
    it: a tenth of a percent past the crossing, or a hundredth, ... up to 1e-6."""
    lines = total_lines(scores, weights, k)
    for places in range(1, 5):
        step = 10.0**-places  # in percent
        tenths = round(to * 100 / step, 6)  # the crossing, in steps (6 places: float noise)
        ticks = math.floor(tenths) + 1 if upward else math.ceil(tenths) - 1
        t = round(ticks * step, places) / 100
        if not 0 <= t <= 1:
            return None
        totals = [a + b * t for a, b in lines]
        if all(totals[leader] - x > TIE_TOLERANCE for j, x in enumerate(totals) if j != leader):
            return t
    return None


def _values_notes(by_values: ValueAnalysis, excluded: Sequence[Evaluation]) -> list[Note]:
    notes = [Note(VALUES_AT_POINT)]
    if not by_values.figures and not by_values.rates:
        notes.append(Note(VALUES_NONE_RANGED))
    skipped = [e.id for e in excluded if e.proposal.ranged]
    if skipped:
        notes.append(Note(VALUES_SKIPPED, {"ids": skipped}))
    return notes


def _criterion_score(evaluation: Evaluation, criterion: str) -> float:
    return next(c.score for c in evaluation.criteria if c.id == criterion)


def moved_weights(weights: Sequence[float], k: int, t: float) -> list[float]:
    """The weights when w_k is set to t and the others keep their proportions (sum 1)."""
    rest = sum(w for j, w in enumerate(weights) if j != k)
    others = len(weights) - 1
    moved = []
    for j, w in enumerate(weights):
        if j == k:
            moved.append(t)
        elif rest > 0:
            moved.append(w * (1 - t) / rest)
        else:
            moved.append((1 - t) / others)
    return moved


def total_lines(
    scores: Sequence[Sequence[float]], weights: Sequence[float], k: int
) -> list[tuple[float, float]]:
    """Each proposal's total as `a + b·t` when w_k is moved to t (see `moved_weights`)."""
    others = [j for j in range(len(weights)) if j != k]
    rest = sum(weights[j] for j in others)
    lines = []
    for row in scores:
        if not others:
            base = 0.0
        elif rest > 0:
            base = sum(weights[j] * row[j] for j in others) / rest
        else:
            base = sum(row[j] for j in others) / len(others)
        lines.append((base, row[k] - base))
    return lines


def _holds(alpha: float, beta: float, lo: float, hi: float, at: float) -> Interval:
    """Shrink [lo, hi] ∋ at to where d(t) = α + β·t has not turned negative.

    A pair whose difference never falls below −tolerance on [0, 1] sets no bound:
    it stays in order (or tied) throughout. Otherwise the bound is the exact crossing
    d = 0, where the two totals are equal, so the end point itself still counts as
    "holds" (a closed interval).
    """
    if min(alpha, alpha + beta) >= -TIE_TOLERANCE:
        return lo, hi
    crossing = -alpha / beta  # β ≠ 0: d(at) ≥ −tolerance > d(0) or d(1)
    if beta > 0:
        lo = max(lo, min(at, crossing))
    else:
        hi = min(hi, max(at, crossing))
    return lo, hi


def criterion_stability(
    scores: Sequence[Sequence[float]],
    weights: Sequence[float],
    k: int,
    winner: int | None,
    ids: Sequence[str],
    name: str = "",
) -> Stability:
    """Exact winner and ranking intervals for criterion k, from the crossing points."""
    at = weights[k]
    if winner is None or not scores:
        return Stability(name, at, None, None, None, None)
    lines = total_lines(scores, weights, k)
    today = [a + b * at for a, b in lines]
    win_lo, win_hi = 0.0, 1.0
    a_w, b_w = lines[winner]
    for j, (a, b) in enumerate(lines):
        if j != winner:
            win_lo, win_hi = _holds(a_w - a, b_w - b, win_lo, win_hi, at)
    below = _leader(lines, ids, win_lo, -1) if win_lo > 0 else None
    above = _leader(lines, ids, win_hi, +1) if win_hi < 1 else None
    return Stability(name, at, (win_lo, win_hi), ranking_interval(lines, today, at), below, above)


def ranking_interval(
    lines: Sequence[tuple[float, float]], today: Sequence[float], at: float
) -> Interval:
    """The largest interval around `at` in which no pair of proposals changes order.

    Only proposals next to each other in today's order need be looked at: O(m log m),
    not the m(m − 1)/2 pairs. Why, with the totals as lines `a_i + b_i·t` (exactly, and
    taking ties as exact):

    - Sort by today's total. A run of proposals tied today is contiguous in that order.
      If two of them have different slopes, the tie breaks as soon as t moves, and two
      neighbours within the run have different slopes too (the slopes cannot all be
      equal from one neighbour to the next and differ at the ends), so the neighbours
      bound the interval at `at`, as the pair would.
    - Otherwise every tied run moves as one line. Let t* > at be the first t at which
      some pair i above j reverses: no pair reverses on (at, t*), so at t* the totals
      are still in today's order, weakly, and total_i(t*) = total_j(t*) squeezes every
      proposal between them to the same total. Their slopes rise from b_i to b_j > b_i,
      so some neighbours p above q between them have b_q > b_p: they meet at t* and q
      is ahead just past it. So a pair of neighbours reverses at t* as well, and no pair
      of neighbours reverses earlier than the first pair of all. Below `at`, the same
      with t decreasing.

    Each pair is tested as before (`_holds`: a reversal counts when it goes past the
    tolerance by 0 or 1). With the tolerance, "tied" is not transitive: only when three
    or more totals lie within a few tolerances (10⁻⁹) of one another in a chain, today or
    at 0 or 1, could the neighbours miss a reversal of a non-neighbouring pair by less
    than that; a test compares both ways on random cases, ties included.
    """
    order = sorted(range(len(lines)), key=lambda i: -today[i])
    lo, hi = 0.0, 1.0
    for i, j in pairwise(order):
        alpha, beta = lines[i][0] - lines[j][0], lines[i][1] - lines[j][1]
        lo, hi = _holds(alpha, beta, lo, hi, at)
        if today[i] - today[j] <= TIE_TOLERANCE:  # tied today: a tie that breaks is a change
            lo, hi = _holds(-alpha, -beta, lo, hi, at)
    return lo, hi


def _leader(
    lines: Sequence[tuple[float, float]], ids: Sequence[str], t: float, direction: int
) -> str:
    """Who is first just past t, moving in `direction`: best total at t, then best slope."""
    totals = [a + b * t for a, b in lines]
    best = max(totals)
    # Past the end point the old winner has lost by more than the tolerance; the
    # new leader is among those level at t (a little wider, for float noise).
    level = [j for j, total in enumerate(totals) if total >= best - 1e3 * TIE_TOLERANCE]
    return ids[min(level, key=lambda j: (-direction * lines[j][1], -totals[j], ids[j]))]


def tipping_point(stabilities: Iterable[Stability]) -> TippingPoint | None:
    """The nearest end of a winner interval where another proposal takes the lead."""
    best: TippingPoint | None = None
    for s in stabilities:
        if s.winner is None:
            continue
        for to, new_winner in ((s.winner[0], s.winner_below), (s.winner[1], s.winner_above)):
            if new_winner is None:
                continue
            point = TippingPoint(s.criterion, s.weight, to, new_winner)
            if best is None or point.change < best.change - TIE_TOLERANCE:
                best = point
    return best


def rank_acceptability(
    scores: Sequence[Sequence[float]],
    weights: Sequence[float],
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    spread: Spread = DEFAULT_SPREAD,
    chunk: int | None = None,
) -> tuple[list[list[float]], list[list[float] | None]]:
    """SMAA-2 by sampling: per proposal, the share of draws at every rank and its central
    weights (m × m shares: see `rank_shares` for the first ranks only)."""
    drawn = rank_shares(scores, weights, samples, seed, spread, chunk)
    return drawn.shares, drawn.central


def rank_shares(
    scores: Sequence[Sequence[float]],
    weights: Sequence[float],
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    spread: Spread = DEFAULT_SPREAD,
    chunk: int | None = None,
    ranks: int | None = None,
    progress: Progress | None = None,
) -> RankShares:
    """SMAA-2 by sampling: per proposal, the share of draws at each of the first `ranks`
    ranks (every rank if None), at any worse rank, and its central weights.

    Draws are made in chunks (at most `CHUNK_ELEMENTS` values per array) from one
    `numpy.random.default_rng(seed)` stream, so the result does not depend on the
    chunk size, and memory grows with neither `samples` nor, beyond m × `ranks`
    counts, the number of proposals m.
    """
    import numpy as np

    if samples < 1:
        raise ValueError("samples must be at least 1")
    if spread is not None and not 0.0 <= spread <= 1.0:
        raise ValueError("spread must be between 0 and 1")
    m, n = len(scores), len(weights)
    if m == 0:
        return RankShares([], None, [])
    matrix = np.asarray(scores, dtype=np.float64).reshape(m, n)
    base = np.asarray(weights, dtype=np.float64)
    rng = np.random.default_rng(seed)
    size = chunk or max(1, CHUNK_ELEMENTS // max(m, n))
    tally = Tally(m, n, m if ranks is None else ranks)
    while tally.draws < samples:
        draws = draw_weights(rng, base, min(size, samples - tally.draws), spread)
        # Each draw's totals as scoring adds them (c × m), then their ranks, 0 = first;
        # those not listed need no order among themselves.
        totals = total_score([draws[:, [k]] for k in range(n)], list(matrix.T))
        tally.add(row_ranks(totals, tally.ranks), draws)  # type: ignore[arg-type]
        if progress is not None:
            progress(tally.draws, samples)
    return tally.result()
