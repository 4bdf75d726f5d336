"""Generate N proposal files from the samples, varied deterministically, for benchmarks.

usage: python bench/generate.py N DIR [--seed S]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "proposals").glob("*.yaml"))
NUMBER = re.compile(
    r"^(\s+)(unit_price|one_off_costs|sustainment_per_year|engineers_trained|"
    r"local_content_pct|joint_rnd_value|delivery_months|partnership_years|"
    r"local_jv_equity_pct): ([0-9_.e]+)(.*)$"
)


def vary(text: str, index: int, rng: random.Random) -> str:
    """A sample with a new id and its figures moved by up to ±20% (percentages kept ≤ 100)."""
    out = []
    for line in text.splitlines():
        if line.startswith("  id: "):
            line = f"  id: p{index:06d}"
        match = NUMBER.match(line)
        if match:
            indent, name, number, rest = match.groups()
            value = float(number.replace("_", "")) * rng.uniform(0.8, 1.2)
            if name.endswith("_pct"):
                value = min(100.0, value)
            shown = (
                f"{value:.0f}"
                if name in ("engineers_trained", "delivery_months", "partnership_years")
                else f"{value:.2f}"
            )
            line = f"{indent}{name}: {shown}{rest}"
        out.append(line)
    return "\n".join(out) + "\n"


def generate(count: int, folder: Path, seed: int = 0) -> list[Path]:
    """Write `count` proposals into `folder` (created); return their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    paths = []
    for i in range(count):
        path = folder / f"p{i:06d}.yaml"
        path.write_text(vary(texts[i % len(texts)], i, rng), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate(args.count, args.folder, args.seed)


if __name__ == "__main__":
    main()
