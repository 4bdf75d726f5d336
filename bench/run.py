"""`make bench`: every speed and memory figure, as a ratio against a floor measured in the
same run (these machines are shared and noisy, so absolute seconds mean little).

usage: python bench/run.py [--quick] [--only startup,batch,memory,sensitivity,scale,record,explore]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ROOT.parent / "shared" / "bench"
PYTHON = sys.executable
# The console script, as a user runs it; `python -m evaluator` where it is not installed.
_SCRIPT = Path(PYTHON).parent / "evaluator"
EVALUATOR = [str(_SCRIPT)] if _SCRIPT.exists() else [PYTHON, "-m", "evaluator"]


def run(command: Sequence[str], cwd: Path = ROOT) -> tuple[float, int]:
    """Wall time in seconds and peak memory in KiB of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss


def alternate(ours: Sequence[str], floor: Sequence[str], rounds: int) -> tuple[float, float]:
    """Median seconds of each, measured alternately so that both see the same noise."""
    run(ours), run(floor)  # warm the file cache and the bytecode
    a, b = [], []
    for _ in range(rounds):
        a.append(run(ours)[0])
        b.append(run(floor)[0])
    return statistics.median(a), statistics.median(b)


def line(name: str, ours: float, floor: float, target: float, unit: str = "s") -> bool:
    """Print one figure with its ratio and target; return whether the target holds."""
    ratio = ours / floor
    ok = ratio <= target
    print(
        f"{name:<44} {ours:8.3f}{unit} vs floor {floor:8.3f}{unit}  ratio {ratio:5.2f} "
        f"(target ≤ {target:.2f})  {'ok' if ok else 'MISSED'}",
        flush=True,
    )
    return ok


def startup(rounds: int) -> bool:
    """`compare proposals` against a bare typer + rich app that prints a table."""
    ours, floor = alternate(
        [*EVALUATOR, "compare", "proposals"], [PYTHON, str(FLOORS / "floor_app.py")], rounds
    )
    return line("start-up: compare proposals", ours, floor, 1.0)


def batch(sizes: Sequence[int], rounds: int, workdir: Path) -> bool:
    """`compare DIR --format json` against parsing the same files with libyaml."""
    ok = True
    for size in sizes:
        folder = workdir / f"batch-{size}"
        if not folder.exists():
            generate(size, folder)
        ours, floor = alternate(
            [*EVALUATOR, "compare", str(folder), "--format", "json", "--output", "/dev/null"],
            [PYTHON, str(FLOORS / "floor_parse.py"), str(folder)],
            rounds,
        )
        ok &= line(f"batch: compare {size:,} proposals --format json", ours, floor, 1.3)
    return ok


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for row in status:
                if row.startswith("VmRSS:"):
                    return int(row.split()[1])
    except OSError:  # gone already
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as listing:
            return [int(child) for child in listing.read().split()]
    except OSError:
        return []


def tree_peak(command: Sequence[str]) -> float:
    """Peak resident memory in MiB of a command and its worker processes together, summed
    (pages the workers share with the parent after fork count twice: an upper bound).
    Sampled every 10 ms from /proc; where there is none, the largest process's own peak."""
    if not Path("/proc/self/status").exists():
        return run(command)[1] / 1024
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = 0
    while process.poll() is None:
        peak = max(
            peak, _rss_kib(process.pid) + sum(_rss_kib(child) for child in _children(process.pid))
        )
        time.sleep(0.01)
    return peak / 1024


def memory(sizes: Sequence[int], workdir: Path) -> bool:
    """Peak resident memory of `compare --format json`, workers included; should grow
    linearly."""
    ok = True
    peaks = []
    for size in sizes:
        folder = workdir / f"batch-{size}"
        if not folder.exists():
            generate(size, folder)
        peak = tree_peak(
            [*EVALUATOR, "compare", str(folder), "--format", "json", "--output", "/dev/null"]
        )
        peaks.append((size, peak))
        target = 300 if size <= 2000 else 300 * size / 2000
        within = peak <= target
        ok &= within
        print(
            f"memory: compare {size:,} proposals, workers too  peak {peak:8.1f} MiB "
            f"(target ≤ {target:.0f} MiB)  {'ok' if within else 'MISSED'}",
            flush=True,
        )
    if len(peaks) > 1:
        (n1, m1), (n2, m2) = peaks[0], peaks[-1]
        print(f"memory growth: {(m2 - m1) / (n2 - n1) * 1000:.1f} MiB per 1,000 proposals")
    return ok


def sensitivity(workdir: Path) -> bool:
    """`sensitivity` at 100 proposals × 100,000 draws: a few seconds."""
    folder = workdir / "batch-100"
    if not folder.exists():
        generate(100, folder)
    seconds, peak = run(
        [
            *EVALUATOR,
            "sensitivity",
            str(folder),
            "--samples",
            "100000",
            "--format",
            "json",
            "--output",
            "/dev/null",
        ]
    )
    ok = seconds <= 5.0
    print(
        f"sensitivity: 100 proposals × 100,000 draws{'':<3} {seconds:8.3f}s, peak "
        f"{peak / 1024:.0f} MiB (target ≤ 5 s)  {'ok' if ok else 'MISSED'}",
        flush=True,
    )
    return ok


def sensitivity_scale(sizes: Sequence[int], workdir: Path) -> bool:
    """`sensitivity DIR` with its defaults (10,000 draws) on large batches: time, and peak
    memory (workers included) linear in the proposals. Listing every rank of every proposal
    and testing every pair once took 132 s and 5.6 GB at 10,000."""
    ok = True
    for size in sizes:
        folder = workdir / f"batch-{size}"
        if not folder.exists():
            generate(size, folder)
        start = time.perf_counter()
        peak = tree_peak(
            [*EVALUATOR, "sensitivity", str(folder), "--format", "json", "--output", "/dev/null"]
        )
        seconds = time.perf_counter() - start
        memory_target, time_target = 150 + 40 * size / 1000, 5 + 4 * size / 1000
        within = peak <= memory_target and seconds <= time_target
        ok &= within
        print(
            f"sensitivity: {size:,} proposals × 10,000 draws {seconds:8.3f}s, peak "
            f"{peak:.0f} MiB (target ≤ {time_target:.0f} s, ≤ {memory_target:.0f} MiB)  "
            f"{'ok' if within else 'MISSED'}",
            flush=True,
        )
    return ok


def record(rounds: int, workdir: Path) -> bool:
    """`compare proposals --panel panel/ --record` against the same run not recorded: what
    recording adds to a run (appended to a register the warm-up run made: a committee's
    register is made once, then each run is one transaction)."""
    plain = [*EVALUATOR, "compare", "proposals", "--panel", "panel/"]
    register = str(workdir / "register.db")

    def recorded() -> list[str]:
        return [*plain, "--record", "--register", register]

    run(recorded()), run(plain)
    ours, floor = [], []
    for _ in range(rounds):
        ours.append(run(recorded())[0])
        floor.append(run(plain)[0])
    added = statistics.median(ours) - statistics.median(floor)
    ok = added <= 0.2
    print(
        f"{'record: compare the samples --record':<44} {statistics.median(ours):8.3f}s vs "
        f"floor {statistics.median(floor):8.3f}s  ratio "
        f"{statistics.median(ours) / statistics.median(floor):5.2f}  adds {added:.3f}s "
        f"(target ≤ 0.200 s)  {'ok' if ok else 'MISSED'}",
        flush=True,
    )
    return ok


def explore(workdir: Path) -> bool:
    """`explore`'s step at 100 proposals: re-ranking from the prepared scores at a moved
    weight (with the winner's intervals), against the floor of summing the same totals in
    a plain loop; and the absolute time of a step (target under 20 ms)."""
    sys.path.insert(0, str(ROOT))
    from evaluator import api
    from evaluator.analysis.explore import Explorer

    folder = workdir / "batch-100-unstaged"
    if not folder.exists():
        generate(100, folder)
    text = (ROOT / "criteria" / "default.yaml").read_text(encoding="utf-8")
    start, end = text.index("\nstages:\n") + 1, text.index("\ncriteria:\n") + 1
    criteria = workdir / "criteria" / "default.yaml"
    criteria.parent.mkdir(exist_ok=True)
    criteria.write_text(text[:start] + text[end:], encoding="utf-8")
    (criteria.parent / "requirements.yaml").write_text(
        (ROOT / "criteria" / "requirements.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    explorer = Explorer(api.compare([folder], criteria=criteria, method="wsm").details)
    ok = True
    for method in ("wsm", "topsis", "promethee"):
        explorer.view(explorer.base, method)  # what a method needs once (PROMETHEE's flows)
        weights, ours, floor = explorer.base, [], []
        for i in range(200):
            up = 0.01 if (i // 20) % 2 == 0 else -0.01
            t0 = time.perf_counter()
            weights = explorer.move(weights, "pricing", weights[1] + up)
            explorer.view(weights, method)
            t1 = time.perf_counter()
            [sum(w * s for w, s in zip(weights, row, strict=True)) for row in explorer.scores]
            floor.append(time.perf_counter() - t1)
            ours.append(t1 - t0)
        step, base = statistics.median(ours), statistics.median(floor)
        ok &= step <= 0.020
        print(
            f"{f'explore: a {method} step, {len(explorer.ids)} proposals':<44} "
            f"{step * 1000:8.3f}ms vs floor {base * 1000:8.3f}ms  ratio {step / base:5.1f} "
            f"(target ≤ 20 ms)  {'ok' if step <= 0.020 else 'MISSED'}",
            flush=True,
        )
    return ok


def main() -> None:
    """Run the benchmarks and exit non-zero if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller batches")
    parser.add_argument("--only", default="startup,batch,memory,sensitivity,scale,record,explore")
    args = parser.parse_args()
    chosen = set(args.only.split(","))
    rounds = 5 if args.quick else 15
    sizes = (500, 2000) if args.quick else (2000, 10000)
    ok = True
    # As `pip install` does for a wheel: without bytecode (PYTHONDONTWRITEBYTECODE, or an
    # editable install never run before) every start-up would recompile the package.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "evaluator")], check=True)
    with tempfile.TemporaryDirectory(prefix="evaluator-bench-") as tmp:
        workdir = Path(tmp)
        if "startup" in chosen:
            ok &= startup(rounds * 2)
        if "batch" in chosen:
            ok &= batch(sizes, max(3, rounds // 3), workdir)
        if "memory" in chosen:
            ok &= memory(sizes, workdir)
        if "sensitivity" in chosen:
            ok &= sensitivity(workdir)
        if "scale" in chosen:
            ok &= sensitivity_scale(sizes, workdir)
        if "record" in chosen:
            ok &= record(rounds, workdir)
        if "explore" in chosen:
            ok &= explore(workdir)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
