"""Benchmark `evaluator sensitivity`'s core: stability intervals and SMAA-2 sampling.

Times the analysis on random decision matrices (4 criteria, as in the default
criteria) for 10 and 100 proposals and 10,000 and 100,000 draws, and reports
memory: the peak of numpy's allocations during each run (tracemalloc) and the
process's peak resident size (getrusage). Exits 1 if 100 proposals × 100,000
draws takes more than `TARGET_SECONDS`.

usage: .venv/bin/python bench/sensitivity.py [--repeat N]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from evaluator.sensitivity import (
    Spread,
    criterion_stability,
    rank_acceptability,
)

TARGET_SECONDS = 5.0
CRITERIA = 4


def matrix(proposals: int, seed: int = 0) -> list[list[float]]:
    """Criterion scores 0–100 for `proposals` proposals."""
    rng = random.Random(seed)
    return [[rng.uniform(0, 100) for _ in range(CRITERIA)] for _ in range(proposals)]


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The fastest of `repeat` runs, in seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def traced_peak(work: Callable[[], object]) -> float:
    """Peak MiB allocated (numpy arrays included) while `work` runs."""
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def rss_mib() -> float:
    """Peak resident size of this process so far, in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Print the timing table and exit 1 if the target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best kept)")
    args = parser.parse_args()
    import numpy

    weights = [0.3, 0.3, 0.2, 0.2]
    rank_acceptability(matrix(3), weights, 10, 0, 0.25)  # load numpy and BLAS first
    print(f"numpy {numpy.__version__}; process peak after import {rss_mib():.0f} MiB")
    print(f"{'proposals':>9} {'draws':>8} {'spread':>6} {'SMAA s':>8} {'per 1M':>8} "
          f"{'intervals s':>11} {'numpy peak':>10}")
    ok = True
    for proposals in (10, 100):
        scores = matrix(proposals)
        winner = max(range(proposals), key=lambda i: sum(
            w * s for w, s in zip(weights, scores[i], strict=True)))
        ids = [f"p{i}" for i in range(proposals)]

        def intervals(scores: list[list[float]] = scores, winner: int = winner,
                      ids: list[str] = ids) -> None:
            for k in range(CRITERIA):
                criterion_stability(scores, weights, k, winner, ids)

        seconds_intervals = best_of(args.repeat, intervals)
        for samples in (10_000, 100_000):
            spreads: tuple[Spread, ...] = (0.25, None)
            for spread in spreads:
                def smaa(scores: list[list[float]] = scores, samples: int = samples,
                         spread: Spread = spread) -> object:
                    return rank_acceptability(scores, weights, samples, 0, spread)

                seconds = best_of(args.repeat, smaa)
                peak = traced_peak(smaa)
                per_million = seconds / (proposals * samples) * 1e6
                label = "full" if spread is None else f"{spread:g}"
                print(f"{proposals:>9} {samples:>8,} {label:>6} {seconds:>8.3f} "
                      f"{per_million:>8.3f} {seconds_intervals:>11.4f} {peak:>7.1f} MiB",
                      flush=True)
                if proposals == 100 and samples == 100_000:
                    ok &= seconds <= TARGET_SECONDS
    print("'per 1M': seconds per million proposal-draws (flat means linear scaling).")
    print(f"process peak resident size {rss_mib():.0f} MiB; target for 100 proposals × "
          f"100,000 draws ≤ {TARGET_SECONDS:g} s: {'ok' if ok else 'MISSED'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
