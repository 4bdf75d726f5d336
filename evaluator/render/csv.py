"""`--format csv`: one row per proposal, for spreadsheets."""

from __future__ import annotations

import csv
import io

from evaluator.render import RenderOptions
from evaluator.render.data import number
from evaluator.scoring import Comparison

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """Text a spreadsheet will show, not run: a leading `=`, `+`, `-`, `@` is quoted with '.

    A proposal's country or id comes from outside; `=HYPERLINK(...)` in a CSV cell would be
    a formula when the committee opens the file (CSV injection, OWASP).
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(comparison: Comparison, options: RenderOptions) -> str:
    """`rank,id,country,eligible,total`, then one column per criterion score."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    criteria = [c.id for c in comparison.criteria.criteria]
    writer.writerow(["rank", "id", "country", "eligible", "total", *criteria])
    for e in comparison.evaluations:
        scores = {c.id: number(c.score) for c in e.criteria}
        writer.writerow(["" if e.rank is None else e.rank, cell(e.id), cell(e.proposal.country),
                         "true" if e.eligible else "false", number(e.total),
                         *(scores[c] for c in criteria)])
    return out.getvalue()
