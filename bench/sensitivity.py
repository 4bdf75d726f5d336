"""Benchmark `evaluator sensitivity`'s core: stability intervals and SMAA-2 sampling.

Times the analysis on random decision matrices (4 criteria, as in the default
criteria) for 10 and 100 proposals and 10,000 and 100,000 draws, and 10,000
proposals and 10,000 draws (the first ten ranks listed, as `analyse` does beyond
100 proposals), and reports memory: the peak of numpy's allocations during each
run (tracemalloc) and the process's peak resident size (getrusage). Exits 1 if
100 proposals × 100,000 draws takes more than `TARGET_SECONDS`, or 10,000
proposals × 10,000 draws more than `LARGE_TARGET_SECONDS`.

Then `--values`: proposals generated from the samples (bench/generate.py) with
three more figures each given as a range (unit price, sustainment, delivery),
scored against the default criteria and analysed with their figures drawn in
every draw; the confidence factors replay the draws. Exits 1 if 100 proposals ×
100,000 draws takes more than `VALUES_TARGET_SECONDS`.

usage: .venv/bin/python bench/sensitivity.py [--repeat N] [--skip-values]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

from evaluator.analysis.sampling import Spread
from evaluator.analysis.sensitivity import (
    analyse,
    criterion_stability,
    listed_ranks,
    rank_shares,
)
from evaluator.api import compare_files, load_criteria
from evaluator.scoring.results import Comparison

TARGET_SECONDS = 5.0
LARGE_TARGET_SECONDS = 15.0
VALUES_TARGET_SECONDS = 10.0
CRITERIA = 4
ROOT = Path(__file__).resolve().parent.parent
# A figure written as a plain number, to be turned into a range around it.
FIGURE = re.compile(r"^(\s+)(unit_price|sustainment_per_year|delivery_months): ([0-9_.e]+)(.*)$")


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


def with_ranges(folder: Path) -> None:
    """Give every generated proposal's price, sustainment and delivery as ranges."""
    for path in sorted(folder.glob("*.yaml")):
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            match = FIGURE.match(line)
            if match:
                indent, name, number, _ = match.groups()
                value = float(number.replace("_", ""))
                if name == "delivery_months":
                    line = (
                        f"{indent}{name}: {{low: {round(value * 0.9)}, likely: "
                        f"{round(value)}, high: {round(value * 1.25)}}}"
                    )
                else:
                    line = f"{indent}{name}: {{low: {value * 0.9:.0f}, high: {value * 1.3:.0f}}}"
            lines.append(line)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def values_case(proposals: int, folder: Path) -> Comparison:
    """`proposals` generated offers with ranged figures, scored (the default criteria)."""
    generate(proposals, folder)
    with_ranges(folder)
    comparison = compare_files(
        [folder], load_criteria(ROOT / "criteria" / "default.yaml"), method="wsm"
    )
    assert not comparison.errors, comparison.errors[:3]
    return comparison


def bench_values(repeat: int) -> bool:
    """Time `sensitivity --values`; True when the target is met."""
    print(
        f"\n--values: {'proposals':>9} {'eligible':>8} {'figures':>7} {'draws':>8} "
        f"{'seconds':>8} {'per 1M':>8} {'numpy peak':>10}"
    )
    ok = True
    with tempfile.TemporaryDirectory() as workdir:
        for proposals in (10, 100):
            comparison = values_case(proposals, Path(workdir) / str(proposals))
            eligible = [e for e in comparison.evaluations if e.eligible]
            for samples in (10_000, 100_000):

                def run(comparison: Comparison = comparison, samples: int = samples) -> object:
                    return analyse(comparison, samples, 0, 0.25, values=True)

                seconds = best_of(repeat, run)
                peak = traced_peak(run)
                result = analyse(comparison, 10, 0, 0.25, values=True)
                assert result.values is not None
                figures = len(result.values.figures)
                per_million = seconds / (len(eligible) * samples) * 1e6
                print(
                    f"{'':>9} {proposals:>9} {len(eligible):>8} {figures:>7} {samples:>8,} "
                    f"{seconds:>8.3f} {per_million:>8.3f} {peak:>7.1f} MiB",
                    flush=True,
                )
                if proposals == 100 and samples == 100_000:
                    ok &= seconds <= VALUES_TARGET_SECONDS
    print(
        f"target for 100 proposals × 100,000 draws with --values ≤ "
        f"{VALUES_TARGET_SECONDS:g} s: {'ok' if ok else 'MISSED'}"
    )
    return ok


def main() -> None:
    """Print the timing tables and exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best kept)")
    parser.add_argument("--skip-values", action="store_true", help="only the weights' analysis")
    args = parser.parse_args()
    import numpy

    weights = [0.3, 0.3, 0.2, 0.2]
    rank_shares(matrix(3), weights, 10, 0, 0.25)  # load numpy and BLAS first
    print(f"numpy {numpy.__version__}; process peak after import {rss_mib():.0f} MiB")
    print(
        f"{'proposals':>9} {'draws':>8} {'spread':>6} {'SMAA s':>8} {'per 1M':>8} "
        f"{'intervals s':>11} {'numpy peak':>10}"
    )
    ok = True
    for proposals in (10, 100, 10_000):
        scores = matrix(proposals)
        winner = max(
            range(proposals),
            key=lambda i: sum(w * s for w, s in zip(weights, scores[i], strict=True)),
        )
        ids = [f"p{i}" for i in range(proposals)]

        def intervals(
            scores: list[list[float]] = scores, winner: int = winner, ids: list[str] = ids
        ) -> None:
            for k in range(CRITERIA):
                criterion_stability(scores, weights, k, winner, ids)

        seconds_intervals = best_of(args.repeat, intervals)
        for samples in (10_000, 100_000) if proposals <= 100 else (10_000,):
            spreads: tuple[Spread, ...] = (0.25, None)
            for spread in spreads:

                def smaa(
                    scores: list[list[float]] = scores,
                    samples: int = samples,
                    spread: Spread = spread,
                ) -> object:
                    return rank_shares(
                        scores, weights, samples, 0, spread, ranks=listed_ranks(len(scores))
                    )

                seconds = best_of(args.repeat, smaa)
                peak = traced_peak(smaa)
                per_million = seconds / (proposals * samples) * 1e6
                label = "full" if spread is None else f"{spread:g}"
                print(
                    f"{proposals:>9} {samples:>8,} {label:>6} {seconds:>8.3f} "
                    f"{per_million:>8.3f} {seconds_intervals:>11.4f} {peak:>7.1f} MiB",
                    flush=True,
                )
                if proposals == 100 and samples == 100_000:
                    ok &= seconds <= TARGET_SECONDS
                if proposals == 10_000:
                    ok &= seconds <= LARGE_TARGET_SECONDS
    print("'per 1M': seconds per million proposal-draws (flat means linear scaling).")
    print(
        f"process peak resident size {rss_mib():.0f} MiB; targets: 100 proposals × "
        f"100,000 draws ≤ {TARGET_SECONDS:g} s, 10,000 proposals × 10,000 draws ≤ "
        f"{LARGE_TARGET_SECONDS:g} s: {'ok' if ok else 'MISSED'}"
    )
    if not args.skip_values:
        ok &= bench_values(args.repeat)
        print(f"process peak resident size {rss_mib():.0f} MiB")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
