"""`evaluator diff`: what each change between two rounds of an offer did to its score, as a
table, Markdown, an HTML page or JSON."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

from evaluator import __version__
from evaluator.analysis.diff import Diff, Share
from evaluator.model.compliance import Answer
from evaluator.model.fields import MONEY_FIELDS
from evaluator.model.ranges import Range
from evaluator.render import RenderOptions
from evaluator.render.data import SCHEMA_VERSION, number, plain, range_data, what_if_data
from evaluator.render.i18n import in_english
from evaluator.render.json import dumps
from evaluator.render.markdown_text import md
from evaluator.render.markdown_text import row as md_row
from evaluator.render.problems import problem_line
from evaluator.render.text.notes import notes_text
from evaluator.render.text.numbers import number_text, show_value

DIFF_FORMATS = ("table", "json", "markdown", "html")
PLACES = 2  # decimals of the points people read (the JSON has 6)
NOT_GIVEN = "—"
CURRENCY = "pricing.currency"


def render(result: Diff, fmt: str, options: RenderOptions) -> str:
    """The result in `fmt`: table, json, markdown or html."""
    if fmt == "json":
        return dumps(diff_data(result)) + "\n"
    if fmt == "markdown":
        return _markdown(result)
    if fmt == "html":
        return _html(result)
    return _table(result, options)


# --- figures ------------------------------------------------------------------------------


def shown_shares(values: Sequence[float], total: float, places: int) -> list[float]:
    """`values` rounded to `places` decimals so that, rounded, they still add up to `total`
    rounded (largest remainders): what each change did, as the column shows it, adds up to
    the total change it shows."""
    scale = 10**places
    scaled = [v * scale for v in values]
    floors = [math.floor(x) for x in scaled]
    target = round(total * scale)
    extra = max(0, min(len(values), target - sum(floors)))
    order = sorted(range(len(values)), key=lambda i: floors[i] - scaled[i])  # largest remainder
    ups = set(order[:extra])
    return [(f + (1 if i in ups else 0)) / scale for i, f in enumerate(floors)]


def ordered(result: Diff) -> list[Share]:
    """The changes by the size of what they did, largest first (then as the offers list them)."""
    return sorted(result.shares, key=lambda s: -abs(s.value))


def signed(value: float, places: int = PLACES) -> str:
    """+1.25, −0.50, 0.00: a change of points."""
    text = f"{abs(value):,.{places}f}"
    if float(text.replace(",", "")) == 0:
        return f"{0:.{places}f}"
    return ("+" if value > 0 else "−") + text


def value_text(value: Any, field: str, currency: str | None = None) -> str:
    """A changed field's value as people read it: a figure (money in the round's
    `currency`), a range, an answer, the activities in short; "—" when not given."""
    if value is None:
        return NOT_GIVEN
    unit = f" {currency}" if currency and field in MONEY_FIELDS else ""
    if isinstance(value, Range):
        middle = "" if value.likely is None else f", likely {number_text(value.likely)}"
        return f"{number_text(value.low)} to {number_text(value.high)}{middle}{unit}"
    if isinstance(value, Answer):
        return value.answer.replace("_", " ")
    if isinstance(value, tuple) and value and not isinstance(value[0], str):  # activities
        total = sum(a.value for a in value)
        count = len(value)
        money = f" {currency}" if currency else ""
        return f"{count} activit{'y' if count == 1 else 'ies'}, {number_text(total)}{money} in all"
    return show_value(value, field) + unit


def values_text(result: Diff, share: Share) -> tuple[str, str]:
    """A change's old and new value as people read them (money in each round's currency)."""
    change = share.change
    return (
        value_text(change.old, change.field, _currency(result.old)),
        value_text(change.new, change.field, _currency(result.new)),
    )


def _currency(evaluation: Any) -> str | None:
    currency = evaluation.proposal.values.get(CURRENCY)
    return None if currency is None else str(currency)


def rank_text(rank: int | None) -> str:
    return "not ranked" if rank is None else str(rank)


def method_sentence(result: Diff) -> str:
    """How the shares were found."""
    count = len(result.shares)
    if result.exact:
        return (
            f"Shapley values over the {count} changed field{'s' if count != 1 else ''}, exact "
            f"({result.hybrids:,} mixes of OLD and NEW scored)"
        )
    return (
        f"Shapley values over the {count} changed fields, estimated from {result.samples:,} "
        f"random orders of them (seed {result.seed}; ± is one standard error); they still add "
        f"up to the total change exactly ({result.hybrids:,} mixes scored)"
    )


def headline(result: Diff) -> list[str]:
    old, new = result.old, result.new
    lines = [
        f"{old.id}: {result.old_file} → {result.new_file}, against "
        + (
            f"{len(result.against)} other offer{'s' if len(result.against) != 1 else ''}"
            if result.against
            else "no other offer"
        ),
        f"Total {old.total:.{PLACES}f} → {new.total:.{PLACES}f} "
        f"({signed(result.total_change)} points), by {result.method}",
    ]
    field = len(result.against) + 1
    rank = f"Rank {rank_text(old.rank)} → {rank_text(new.rank)} of {field}"
    if result.rank_change:
        gained = result.rank_change
        rank += f" ({'up' if gained > 0 else 'down'} {abs(gained)})"
    if old.eligible != new.eligible:
        rank += "; " + ("now eligible" if new.eligible else "no longer eligible")
    lines.append(rank)
    return lines


def gate_lines(result: Diff) -> list[str]:
    return [
        f"Gate {g.id} ({g.title}): {'passed' if g.old else 'failed'} → "
        f"{'passed' if g.new else 'failed'}"
        for g in result.gate_changes
    ]


def no_change(result: Diff) -> str | None:
    return "OLD and NEW give the same values: nothing changed." if not result.shares else None


# --- JSON -----------------------------------------------------------------------------------


@in_english
def diff_data(result: Diff) -> dict[str, Any]:
    """The JSON result (docs/cli.md, `evaluator diff`)."""
    shares = ordered(result)
    shown = shown_shares([s.value for s in shares], result.total_change, 6)
    return {
        "schema_version": SCHEMA_VERSION,
        "evaluator": __version__,
        "criteria_file": result.criteria.file,
        "method": str(result.method),
        "old": _side(result, result.old, result.old_file, result.old.id),
        "new": _side(result, result.new, result.new_file, result.new_id),
        "total_change": number(result.total_change),
        "rank_change": result.rank_change,
        "changes": [
            {
                "field": s.change.field,
                "old": _value_data(s.change.old),
                "new": _value_data(s.change.new),
                "change": number(value),
                "error": None if s.error is None else number(s.error),
                "criteria": {k: number(v) for k, v in s.criteria.items()},
            }
            for s, value in zip(shares, shown, strict=True)
        ],
        "attribution": {
            "method": "exact" if result.exact else "sampled",
            "samples": result.samples,
            "seed": result.seed,
            "hybrids": result.hybrids,
        },
        "criteria": [
            {
                "id": c.id,
                "title": c.title,
                "old": number(c.old),
                "new": number(c.new),
                "change": number(c.change),
            }
            for c in result.criterion_changes
        ],
        "gates": [
            {"id": g.id, "title": g.title, "old": g.old, "new": g.new} for g in result.gate_changes
        ],
        "field": list(result.against),
        "what_if": what_if_data(result.what_if),
        "notes": notes_text(result.notes),
        "errors": [p.as_dict() for p in result.errors],
    }


def _side(result: Diff, evaluation: Any, file: str, ident: str) -> dict[str, Any]:
    return {
        "id": ident,
        "file": file,
        "total": number(evaluation.total),
        "rank": evaluation.rank,
        "eligible": evaluation.eligible,
        "of": len(result.against) + 1,
    }


def _value_data(value: Any) -> Any:
    if isinstance(value, Range):
        return range_data(value)
    if isinstance(value, Answer):
        return {
            "answer": value.answer,
            "reference": value.reference.as_dict(),
            "note": value.note,
        }
    if isinstance(value, tuple) and value and not isinstance(value[0], str):
        return [
            {
                "type": a.type,
                "kind": a.kind,
                "description": a.description,
                "value": plain(a.value),
                "range": None if a.range is None else range_data(a.range),
                "local": a.local,
                "beneficiary": a.beneficiary,
                "uplift": a.uplift,
            }
            for a in value
        ]
    return plain(value)


# --- the terminal ---------------------------------------------------------------------------


def _table(result: Diff, options: RenderOptions) -> str:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from evaluator.render.layout import fit_table
    from evaluator.render.table import print_to_text

    parts: list[Any] = [Text(line, style="bold") for line in headline(result)]
    nothing = no_change(result)
    if nothing:
        parts.append(Text(nothing))
    else:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for name, justify in (("Field", "left"), ("Old", "left"), ("New", "left")):
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        table.add_column("Points", justify="right")
        shares = ordered(result)
        shown = shown_shares([s.value for s in shares], result.total_change, PLACES)
        for share, value in zip(shares, shown, strict=True):
            figure = signed(value)
            if share.error is not None:
                figure += f" ± {share.error:.{PLACES}f}"
            table.add_row(
                share.change.field,
                *values_text(result, share),
                figure,
            )
        table.add_section()
        table.add_row("Total change", "", "", signed(result.total_change))
        parts += [Text(""), fit_table(table, options.width), Text(method_sentence(result) + ".")]
        moved = [c for c in result.criterion_changes if abs(c.change) >= 0.5 * 10**-PLACES]
        if moved:
            by = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
            by.add_column("Criterion")
            for name in ("Old score", "New score", "Points"):
                by.add_column(name, justify="right")
            for c in moved:
                by.add_row(c.id, f"{c.old:.{PLACES}f}", f"{c.new:.{PLACES}f}", signed(c.change))
            parts += [Text(""), fit_table(by, options.width)]
    parts += [Text(line, style="yellow") for line in gate_lines(result)]
    parts += [Text(f"Note: {note}.", style="yellow") for note in notes_text(result.notes)]
    parts += [Text(f"Left out of the field: {problem_line(p)}", style="red") for p in result.errors]
    return print_to_text(options, *parts)


# --- Markdown -------------------------------------------------------------------------------


def _markdown(result: Diff) -> str:
    lines = [f"## Negotiation round: {md(result.old.id)}", ""]
    lines += [md(line) + "  " for line in headline(result)]
    lines[-1] = lines[-1].rstrip()
    lines.append("")
    nothing = no_change(result)
    if nothing:
        lines += [md(nothing), ""]
    else:
        lines += [md_row(["Field", "Old", "New", "Points"]), "| --- | --- | --- | ---: |"]
        shares = ordered(result)
        shown = shown_shares([s.value for s in shares], result.total_change, PLACES)
        for share, value in zip(shares, shown, strict=True):
            figure = signed(value)
            if share.error is not None:
                figure += f" ± {share.error:.{PLACES}f}"
            lines.append(
                md_row(
                    [
                        md(share.change.field, code=True),
                        *values_text(result, share),
                        figure,
                    ]
                )
            )
        lines += [md_row(["**Total change**", "", "", signed(result.total_change)]), ""]
        lines += [md(method_sentence(result) + "."), ""]
        moved = [c for c in result.criterion_changes if abs(c.change) >= 0.5 * 10**-PLACES]
        if moved:
            lines += [
                md_row(["Criterion", "Old score", "New score", "Points"]),
                "| --- | ---: | ---: | ---: |",
            ]
            lines += [
                md_row([c.id, f"{c.old:.{PLACES}f}", f"{c.new:.{PLACES}f}", signed(c.change)])
                for c in moved
            ]
            lines.append("")
    extra = [
        *gate_lines(result),
        *(f"Note: {n}." for n in notes_text(result.notes)),
        *(f"Left out of the field: {problem_line(p)}" for p in result.errors),
    ]
    lines += [f"- {md(line)}" for line in extra]
    return "\n".join(lines).rstrip("\n") + "\n"


# --- HTML -----------------------------------------------------------------------------------

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#222}"
    "table{border-collapse:collapse;margin:1rem 0}"
    "th,td{padding:.3rem .7rem;border-bottom:1px solid #ddd;text-align:left}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".up{color:#126b2f}.down{color:#a12622}.note{color:#7a5b00}tfoot td{font-weight:bold}"
)


def _html(result: Diff) -> str:
    e = html.escape
    title = f"Negotiation round: {result.old.id}"
    body = [f"<h1>{e(title)}</h1>"]
    body += [f"<p>{e(line)}</p>" for line in headline(result)]
    nothing = no_change(result)
    if nothing:
        body.append(f"<p>{e(nothing)}</p>")
    else:
        rows = []
        shares = ordered(result)
        shown = shown_shares([s.value for s in shares], result.total_change, PLACES)
        for share, value in zip(shares, shown, strict=True):
            figure = signed(value)
            if share.error is not None:
                figure += f" ± {share.error:.{PLACES}f}"
            css = "up" if value > 0 else "down" if value < 0 else ""
            before, after = values_text(result, share)
            rows.append(
                f"<tr><td><code>{e(share.change.field)}</code></td>"
                f"<td>{e(before)}</td><td>{e(after)}</td>"
                f'<td class="n {css}">{e(figure)}</td></tr>'
            )
        body.append(
            '<table><thead><tr><th>Field</th><th>Old</th><th>New</th><th class="n">Points</th>'
            "</tr></thead><tbody>" + "".join(rows) + "</tbody>"
            f'<tfoot><tr><td colspan="3">Total change</td>'
            f'<td class="n">{e(signed(result.total_change))}</td></tr></tfoot></table>'
        )
        body.append(f"<p>{e(method_sentence(result))}.</p>")
        moved = [c for c in result.criterion_changes if abs(c.change) >= 0.5 * 10**-PLACES]
        if moved:
            body.append(
                '<table><thead><tr><th>Criterion</th><th class="n">Old score</th>'
                '<th class="n">New score</th><th class="n">Points</th></tr></thead><tbody>'
                + "".join(
                    f"<tr><td>{e(c.title)} (<code>{e(c.id)}</code>)</td>"
                    f'<td class="n">{c.old:.{PLACES}f}</td><td class="n">{c.new:.{PLACES}f}</td>'
                    f'<td class="n">{e(signed(c.change))}</td></tr>'
                    for c in moved
                )
                + "</tbody></table>"
            )
    extra = [
        *gate_lines(result),
        *(f"Note: {n}." for n in notes_text(result.notes)),
        *(f"Left out of the field: {problem_line(p)}" for p in result.errors),
    ]
    if extra:
        body.append('<ul class="note">' + "".join(f"<li>{e(x)}</li>" for x in extra) + "</ul>")
    body.append(f"<footer><small>evaluator {e(__version__)}</small></footer>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
