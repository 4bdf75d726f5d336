"""`--format csv`: one row per proposal, for spreadsheets."""

from __future__ import annotations

import csv
import io

from evaluator.render import RenderOptions
from evaluator.render.data import number
from evaluator.render.run import what_if_terms
from evaluator.scoring import Comparison

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """Text a spreadsheet will show, not run: a leading `=`, `+`, `-`, `@` is quoted with '.

    A proposal's country or id comes from outside; `=HYPERLINK(...)` in a CSV cell would be
    a formula when the committee opens the file (CSV injection, OWASP).
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(comparison: Comparison, options: RenderOptions) -> str:
    """`rank,id,country,eligible,total`, one column per criterion score, then `file`,
    `status` (ranked, ineligible, not evaluated) and `what_if` (how the run departs from
    the criteria file, `weights pricing=40; method topsis`; empty for the file's own run). A file that could not
    be evaluated has a row of its own, blank but for its file and status, so that no
    spreadsheet shows the ranking without it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    criteria = [c.id for c in comparison.criteria.criteria]
    writer.writerow(["rank", "id", "country", "eligible", "total", *criteria,
                     "file", "status", "what_if"])
    what_if = cell(what_if_terms(comparison.what_if))
    for e in comparison.evaluations:
        scores = {c.id: number(c.score) for c in e.criteria}
        writer.writerow(["" if e.rank is None else e.rank, cell(e.id), cell(e.proposal.country),
                         "true" if e.eligible else "false", number(e.total),
                         *(scores[c] for c in criteria), cell(e.proposal.file),
                         "ranked" if e.eligible else "ineligible", what_if])
    for file in comparison.unevaluated:
        writer.writerow(["", "", "", "", "", *("" for _ in criteria), cell(file),
                         "not evaluated", what_if])
    return out.getvalue()
