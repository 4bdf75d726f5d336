"""Sampling, shared by the robustness analyses (evaluator.analysis.sensitivity and
evaluator.analysis.uncertainty): weightings and ranged figures drawn in chunks from seeded
streams, competition ranks of each draw, and the tally of ranks and central weights
(SMAA-2). numpy is imported inside the functions that need it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evaluator.model.ranges import Range
from evaluator.scoring.ranking import TIE_TOLERANCE

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Array = npt.NDArray[np.float64]
    Mask = npt.NDArray[np.bool_]

# Elements per array in one chunk of draws: 2**20 float64 values are 8 MiB, and
# a chunk holds about six such arrays, so memory stays flat whatever the sizes.
CHUNK_ELEMENTS = 2**20
Spread = float | None  # None: uniform over all weightings ("full")
# Called as `progress(done, total)` after each chunk of draws (the CLI shows it).
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class RankShares:
    """SMAA-2 by sampling, per proposal in the order given."""

    shares: list[list[float]]  # the share of draws at rank 1, 2, ... (those listed)
    rest: list[float] | None  # the share at a worse rank; None when every rank is listed
    central: list[list[float] | None]  # mean weights when first; None if never first


class Tally:
    """Counts of SMAA-2 draws, chunk by chunk: per proposal, the draws at each listed rank
    and the weights summed over the draws in which it is first. m × `ranks` counts, and
    work linear in the size of each chunk."""

    def __init__(self, m: int, n: int, ranks: int) -> None:
        import numpy as np

        self.m, self.ranks = m, max(0, min(ranks, m))
        self.draws = 0
        self.counts = np.zeros(m * self.ranks, dtype=np.int64)
        self.firsts = np.zeros(m, dtype=np.int64)
        self.central = np.zeros((m, n), dtype=np.float64)
        self.offsets = np.arange(m, dtype=np.int64) * self.ranks

    def add(self, ranks: npt.NDArray[np.int64], draws: npt.NDArray[np.float64]) -> None:
        """One chunk: its competition ranks (draws × m, 0 = first) and its weights."""
        import numpy as np

        index = ranks + self.offsets
        if self.ranks < self.m:
            index = index[ranks < self.ranks]
        self.counts += np.bincount(index.ravel(), minlength=self.counts.size)
        first = ranks == 0
        self.firsts += first.sum(axis=0)
        self.central += first.T.astype(np.float64) @ draws
        self.draws += ranks.shape[0]

    def result(self) -> RankShares:
        """The shares (of the draws counted), the rest when ranks are left out, the means."""
        counts = self.counts.reshape(self.m, self.ranks)
        shares = (counts / self.draws).tolist()
        rest = None
        if self.ranks < self.m:
            rest = ((self.draws - counts.sum(axis=1)) / self.draws).tolist()
        means: list[list[float] | None] = [
            (self.central[i] / self.firsts[i]).tolist() if self.firsts[i] else None
            for i in range(self.m)
        ]
        return RankShares(shares, rest, means)


def draw_weights(
    rng: np.random.Generator, base: npt.NDArray[np.float64], count: int, spread: Spread
) -> npt.NDArray[np.float64]:
    """`count` weight vectors, each summing to 1."""
    n = base.shape[0]
    if spread is None:
        # Normalised standard exponentials are Dirichlet(1, …, 1): uniform on the simplex.
        draws = rng.standard_exponential((count, n))
    else:
        draws = base * (1 - spread + 2 * spread * rng.random((count, n)))
    sums = draws.sum(axis=1, keepdims=True)
    # A row of zeros has probability ~0 (only with spread 1); it falls back to today's weights.
    zero = sums[:, 0] <= 0
    if zero.any():
        draws[zero] = base
        sums[zero] = base.sum()
    result: npt.NDArray[np.float64] = draws / sums
    return result


def row_ranks(totals: npt.NDArray[np.float64], limit: int | None = None) -> npt.NDArray[np.int64]:
    """Row-wise competition ranks from 0, highest first; gaps within the tolerance tie.

    With `limit`, a rank of `limit` or worse is given as `limit`. Then only the `limit` + 1
    highest totals of a row are sorted (a partition finds them in linear time), unless
    the last two of them tie, when the tie may run on below them and the row is sorted
    in full.
    """
    import numpy as np

    count, m = totals.shape
    if limit is not None and limit > 0 and 2 * (limit + 1) <= m:
        top = np.argpartition(-totals, limit, axis=1)[:, : limit + 1]
        values = np.take_along_axis(totals, top, axis=1)
        order = np.argsort(-values, axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        ordered = np.take_along_axis(values, order, axis=1)
        ranks = np.full((count, m), limit, dtype=np.int64)
        np.put_along_axis(ranks, top[:, :limit], _chain_starts(ordered)[:, :limit], axis=1)
        unsure = ordered[:, limit - 1] - ordered[:, limit] <= TIE_TOLERANCE
        if unsure.any():
            ranks[unsure] = np.minimum(row_ranks(totals[unsure]), limit)
        return ranks
    order = np.argsort(-totals, axis=1, kind="stable")
    ordered = np.take_along_axis(totals, order, axis=1)
    starts = _chain_starts(ordered)
    ranks = np.empty_like(starts)
    np.put_along_axis(ranks, order, starts, axis=1)
    if limit is not None and limit < m:
        np.minimum(ranks, limit, out=ranks)
    return ranks


def _chain_starts(ordered: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """For totals sorted highest first in each row, the position where each one's run of
    ties (gaps within the tolerance) begins: its competition rank from 0."""
    import numpy as np

    count, m = ordered.shape
    starts = np.zeros((count, m), dtype=np.int64)
    if m > 1:
        steps = ordered[:, :-1] - ordered[:, 1:] > TIE_TOLERANCE
        starts[:, 1:] = np.where(steps, np.arange(1, m, dtype=np.int64), 0)
        np.maximum.accumulate(starts, axis=1, out=starts)
    return starts


def sample_ranges(ranges: Sequence[Range], count: int, seed: int = 0) -> Array:
    """`count` draws of each range (one column each), from `default_rng(seed)`."""
    import numpy as np

    lows, highs, modes, triangular = bounds(ranges)
    return draw_figures(np.random.default_rng(seed), lows, highs, modes, triangular, count)


def bounds(ranges: Sequence[Range]) -> tuple[Array, Array, Array, Mask]:
    """The ranges' lows, highs, modes (their points) and which are triangular (`likely`)."""
    import numpy as np

    lows = np.array([float(r.low) for r in ranges], dtype=np.float64)
    highs = np.array([float(r.high) for r in ranges], dtype=np.float64)
    modes = np.array([float(r.point) for r in ranges], dtype=np.float64)
    triangular = np.array([r.likely is not None for r in ranges], dtype=np.bool_)
    return lows, highs, modes, triangular


def draw_figures(
    rng: np.random.Generator, lows: Array, highs: Array, modes: Array, triangular: Mask, count: int
) -> Array:
    """`count` × K draws by inverse CDF: triangular where marked, uniform elsewhere."""
    import numpy as np

    u = rng.random((count, lows.shape[0]))
    width = highs - lows
    drawn = lows + u * width
    t = np.flatnonzero(triangular)
    if t.size:
        a, b, c, v, w = lows[t], highs[t], modes[t], u[:, t], width[t]
        # Triangular(a, c, b): F(c) = (c − a)/(b − a); below it x = a + √(u(b − a)(c − a)),
        # above it x = b − √((1 − u)(b − a)(b − c)). A zero-width range is its one value.
        split = np.where(w > 0, (c - a) / np.where(w > 0, w, 1.0), 0.0)
        rising = a + np.sqrt(v * w * (c - a))
        falling = b - np.sqrt((1.0 - v) * w * (b - c))
        drawn[:, t] = np.where(v < split, rising, falling)
    result: Array = np.clip(drawn, lows, highs)
    return result
