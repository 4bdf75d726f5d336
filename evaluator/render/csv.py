"""`--format csv`: one row per proposal, for spreadsheets."""

from __future__ import annotations

import re
from collections.abc import Sequence

from evaluator.render import RenderOptions
from evaluator.render.data import number
from evaluator.render.i18n import in_english
from evaluator.render.run import what_if_terms
from evaluator.scoring.caveats import Caveat
from evaluator.scoring.results import Comparison

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may split a cell: at a `,`, `;` or tab (the list separator differs
# between locales, and one opening the file with `;` ignores the quotes around a cell
# that holds one) or a line break. Spaces before the formula do not stop it either.
_SPLIT_FORMULA = re.compile(r"(?:^|(?<=[,;\t\r\n]))[ \t]*[=+\-@]")


class Guarded(str):
    """A cell that `cell` changed: written in quotes."""

    __slots__ = ()


def cell(text: str) -> str:
    """Text a spreadsheet will show, not run: a `'` before each formula it could start.

    A proposal's country or id comes from outside; `=HYPERLINK(...)` in a CSV cell would be
    a formula when the committee opens the file (CSV injection, OWASP). So would
    `x;=1+1` where `;` separates a list: a spreadsheet splits the cell there. A `'` goes
    before every `=`, `+`, `-`, `@` at the start or after a `,`, `;`, tab or line break
    (spaces between), and before a leading tab or carriage return; such a cell is quoted.
    """
    guarded = _SPLIT_FORMULA.sub(lambda m: m.group()[:-1] + "'" + m.group()[-1], text)
    if guarded.startswith(("\t", "\r")):
        guarded = "'" + guarded
    return text if guarded == text else Guarded(guarded)


def _field(value: object) -> str:
    # As the csv module writes a field (quoted when it holds a comma, quote or line
    # break), and quoted when `cell` guarded it.
    text = str(value)
    if isinstance(value, Guarded) or any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def row(fields: list[object]) -> str:
    """One CSV line: each field as the csv module writes it, guarded cells quoted."""
    return ",".join(_field(f) for f in fields) + "\n"


@in_english
def render(comparison: Comparison, options: RenderOptions) -> str:
    """`rank,id,country,eligible,total`, one column per criterion score, then `file`,
    `status` (ranked, ineligible, not evaluated), `what_if` (how the run departs from
    the criteria file, `weights pricing=40; method topsis`; empty for the file's own run)
    and `caveats` (the run's caveat codes, as the JSON's `caveats` give them, `; `
    between: `panel_missing; criteria_changed_after_opening`).
    A file that could not be evaluated has a row of its own, blank but for its file and
    status, so that no spreadsheet shows the ranking without it."""
    header, rows = ranking_rows(comparison)
    return row(header) + "".join(row(cells) for _ident, cells in rows)


def ranking_rows(
    comparison: Comparison, caveats: Sequence[Caveat] | None = None
) -> tuple[list[object], list[tuple[str | None, list[object]]]]:
    """The ranking's header and rows (each with its offer's id; None for a file that
    could not be evaluated), as `render` writes them; `caveats`: the run's, when they are
    more than the comparison's (a staged run's)."""
    criteria = [c.id for c in comparison.criteria.criteria]
    header: list[object] = [
        "rank",
        "id",
        "country",
        "eligible",
        "total",
        *map(cell, criteria),
        "file",
        "status",
        "what_if",
        "caveats",
    ]
    what_if = cell(what_if_terms(comparison.what_if))
    codes = cell(caveat_codes(comparison.caveats if caveats is None else caveats))
    rows: list[tuple[str | None, list[object]]] = []
    for e in comparison.evaluations:
        scores = {c.id: number(c.score) for c in e.criteria}
        rows.append(
            (
                e.id,
                [
                    "" if e.rank is None else e.rank,
                    cell(e.id),
                    cell(e.proposal.country),
                    "true" if e.eligible else "false",
                    number(e.total),
                    *(scores[c] for c in criteria),
                    cell(e.proposal.file),
                    "ranked" if e.eligible else "ineligible",
                    what_if,
                    codes,
                ],
            )
        )
    for file in comparison.unevaluated:
        rows.append(
            (
                None,
                [
                    *("" for _ in range(5)),
                    *("" for _ in criteria),
                    cell(file),
                    "not evaluated",
                    what_if,
                    codes,
                ],
            )
        )
    return header, rows


def caveat_codes(caveats: Sequence[Caveat]) -> str:
    """A run's caveats as one cell: their codes, each once, in order."""
    return "; ".join(dict.fromkeys(c.code for c in caveats))
