"""`--format csv`: one row per proposal, for spreadsheets."""

from __future__ import annotations

import csv
import io

from evaluator.render import RenderOptions
from evaluator.render.data import number
from evaluator.scoring import Comparison


def render(comparison: Comparison, options: RenderOptions) -> str:
    """`rank,id,country,eligible,total`, then one column per criterion score."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    criteria = [c.id for c in comparison.criteria.criteria]
    writer.writerow(["rank", "id", "country", "eligible", "total", *criteria])
    for e in comparison.evaluations:
        scores = {c.id: number(c.score) for c in e.criteria}
        writer.writerow(["" if e.rank is None else e.rank, e.id, e.proposal.country,
                         "true" if e.eligible else "false", number(e.total),
                         *(scores[c] for c in criteria)])
    return out.getvalue()
