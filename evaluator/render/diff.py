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
from evaluator.model.criteria import in_language
from evaluator.model.fields import MONEY_FIELDS
from evaluator.model.ranges import Range
from evaluator.render import RenderOptions
from evaluator.render.data import SCHEMA_VERSION, number, plain, range_data, what_if_data
from evaluator.render.i18n import N_, in_english, ngettext
from evaluator.render.i18n import gettext as _
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
# A compliance answer as a changed value shows it.
ANSWERS = {
    "compliant": N_("compliant"),
    "partial": N_("partial"),
    "non_compliant": N_("non compliant"),
}


def render(result: Diff, fmt: str, options: RenderOptions) -> str:
    """The result in `fmt`: table, json, markdown or html."""
    if fmt == "json":
        return dumps(diff_data(result)) + "\n"
    result = _localized(result, options.lang)
    if fmt == "markdown":
        return _markdown(result)
    if fmt == "html":
        return _html(result, options.lang)
    return _table(result, options)


def _localized(result: Diff, lang: str) -> Diff:
    """`result` with its criteria's and gates' titles in `lang` where the criteria file
    gives them (the JSON keeps the file's default text)."""
    from dataclasses import replace

    criteria = in_language(result.criteria, lang)
    if criteria is result.criteria:
        return result
    titles = {c.id: c.title for c in criteria.criteria}
    gates = {g.id: g.title for g in criteria.gates}
    return replace(
        result,
        criterion_changes=[
            replace(c, title=titles.get(c.id, c.title)) for c in result.criterion_changes
        ],
        gate_changes=[replace(g, title=gates.get(g.id, g.title)) for g in result.gate_changes],
    )


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


def share_figures(result: Diff) -> list[tuple[Share, float, str]]:
    """Each change, largest first, with the points it is shown with (summing to the total
    change as shown) and that figure as written (`+1.25`, `+1.25 ± 0.03` when sampled)."""
    shares = ordered(result)
    shown = shown_shares([s.value for s in shares], result.total_change, PLACES)
    rows = []
    for share, value in zip(shares, shown, strict=True):
        figure = signed(value)
        if share.error is not None:
            figure += f" ± {share.error:.{PLACES}f}"
        rows.append((share, value, figure))
    return rows


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
        middle = (
            ""
            if value.likely is None
            else _(", likely {likely}").format(likely=number_text(value.likely))
        )
        return _("{low} to {high}{likely}{unit}").format(
            low=number_text(value.low), high=number_text(value.high), likely=middle, unit=unit
        )
    if isinstance(value, Answer):
        return _(ANSWERS.get(value.answer, value.answer.replace("_", " ")))
    if isinstance(value, tuple) and value and not isinstance(value[0], str):  # activities
        total = sum(a.value for a in value)
        count = len(value)
        money = f" {currency}" if currency else ""
        return ngettext(
            "{count} activity, {total}{money} in all",
            "{count} activities, {total}{money} in all",
            count,
        ).format(count=count, total=number_text(total), money=money)
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
    return _("not ranked") if rank is None else str(rank)


def method_sentence(result: Diff) -> str:
    """How the shares were found."""
    count = len(result.shares)
    if result.exact:
        return ngettext(
            "Shapley values over the {count} changed field, exact "
            "({hybrids:,} mixes of OLD and NEW scored)",
            "Shapley values over the {count} changed fields, exact "
            "({hybrids:,} mixes of OLD and NEW scored)",
            count,
        ).format(count=count, hybrids=result.hybrids)
    return _(
        "Shapley values over the {count} changed fields, estimated from {samples:,} "
        "random orders of them (seed {seed}; ± is one standard error); they still add "
        "up to the total change exactly ({hybrids:,} mixes scored)"
    ).format(count=count, samples=result.samples, seed=result.seed, hybrids=result.hybrids)


def headline(result: Diff) -> list[str]:
    old, new = result.old, result.new
    others = len(result.against)
    lines = [
        (
            ngettext(
                "{id}: {old} → {new}, against {count} other offer",
                "{id}: {old} → {new}, against {count} other offers",
                others,
            )
            if others
            else _("{id}: {old} → {new}, against no other offer")
        ).format(id=old.id, old=result.old_file, new=result.new_file, count=others),
        _("Total {old} → {new} ({change} points), by {method}").format(
            old=f"{old.total:.{PLACES}f}",
            new=f"{new.total:.{PLACES}f}",
            change=signed(result.total_change),
            method=result.method,
        ),
    ]
    rank = _("Rank {old} → {new} of {field}").format(
        old=rank_text(old.rank), new=rank_text(new.rank), field=others + 1
    )
    if result.rank_change:
        gained = result.rank_change
        rank += (_(" (up {n})") if gained > 0 else _(" (down {n})")).format(n=abs(gained))
    if old.eligible != new.eligible:
        rank += _("; now eligible") if new.eligible else _("; no longer eligible")
    lines.append(rank)
    return lines


def gate_lines(result: Diff) -> list[str]:
    return [
        _("Gate {id} ({title}): {old} → {new}").format(
            id=g.id, title=g.title, old=_passed(g.old), new=_passed(g.new)
        )
        for g in result.gate_changes
    ]


def _passed(passed: bool) -> str:
    return _("passed") if passed else _("failed")


def no_change(result: Diff) -> str | None:
    return _("OLD and NEW give the same values: nothing changed.") if not result.shares else None


def _extra(result: Diff) -> list[str]:
    """The lines after the tables: gates that changed, notes, offers left out."""
    return [
        *gate_lines(result),
        *(_("Note: {note}.").format(note=n) for n in notes_text(result.notes)),
        *(_left_out(p) for p in result.errors),
    ]


def _left_out(problem: Any) -> str:
    return _("Left out of the field: {problem}").format(problem=problem_line(problem))


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
        for name in (_("Field"), _("Old"), _("New")):
            table.add_column(name, justify="left")
        table.add_column(_("Points"), justify="right")
        for share, _shown, figure in share_figures(result):
            table.add_row(
                share.change.field,
                *values_text(result, share),
                figure,
            )
        table.add_section()
        table.add_row(_("Total change"), "", "", signed(result.total_change))
        parts += [Text(""), fit_table(table, options.width), Text(method_sentence(result) + ".")]
        moved = [c for c in result.criterion_changes if abs(c.change) >= 0.5 * 10**-PLACES]
        if moved:
            by = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
            by.add_column(_("Criterion"))
            for name in (_("Old score"), _("New score"), _("Points")):
                by.add_column(name, justify="right")
            for c in moved:
                by.add_row(c.id, f"{c.old:.{PLACES}f}", f"{c.new:.{PLACES}f}", signed(c.change))
            parts += [Text(""), fit_table(by, options.width)]
    parts += [Text(line, style="yellow") for line in gate_lines(result)]
    parts += [
        Text(_("Note: {note}.").format(note=note), style="yellow")
        for note in notes_text(result.notes)
    ]
    parts += [Text(_left_out(p), style="red") for p in result.errors]
    return print_to_text(options, *parts)


# --- Markdown -------------------------------------------------------------------------------


def _markdown(result: Diff) -> str:
    lines = [_("## Negotiation round: {id}").format(id=md(result.old.id)), ""]
    lines += [md(line) + "  " for line in headline(result)]
    lines[-1] = lines[-1].rstrip()
    lines.append("")
    nothing = no_change(result)
    if nothing:
        lines += [md(nothing), ""]
    else:
        lines += [
            md_row([_("Field"), _("Old"), _("New"), _("Points")]),
            "| --- | --- | --- | ---: |",
        ]
        for share, _shown, figure in share_figures(result):
            lines.append(
                md_row(
                    [
                        md(share.change.field, code=True),
                        *values_text(result, share),
                        figure,
                    ]
                )
            )
        total = "**" + _("Total change") + "**"
        lines += [md_row([total, "", "", signed(result.total_change)]), ""]
        lines += [md(method_sentence(result) + "."), ""]
        moved = [c for c in result.criterion_changes if abs(c.change) >= 0.5 * 10**-PLACES]
        if moved:
            lines += [
                md_row([_("Criterion"), _("Old score"), _("New score"), _("Points")]),
                "| --- | ---: | ---: | ---: |",
            ]
            lines += [
                md_row([c.id, f"{c.old:.{PLACES}f}", f"{c.new:.{PLACES}f}", signed(c.change)])
                for c in moved
            ]
            lines.append("")
    lines += [f"- {md(line)}" for line in _extra(result)]
    return "\n".join(lines).rstrip("\n") + "\n"


# --- HTML -----------------------------------------------------------------------------------

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#222}"
    "table{border-collapse:collapse;margin:1rem 0}"
    "th,td{padding:.3rem .7rem;border-bottom:1px solid #ddd;text-align:left}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".up{color:#126b2f}.down{color:#a12622}.note{color:#7a5b00}tfoot td{font-weight:bold}"
)


def _html(result: Diff, lang: str) -> str:
    e = html.escape
    title = _("Negotiation round: {id}").format(id=result.old.id)
    body = [f"<h1>{e(title)}</h1>"]
    body += [f"<p>{e(line)}</p>" for line in headline(result)]
    nothing = no_change(result)
    if nothing:
        body.append(f"<p>{e(nothing)}</p>")
    else:
        rows = []
        for share, value, figure in share_figures(result):
            css = "up" if value > 0 else "down" if value < 0 else ""
            before, after = values_text(result, share)
            rows.append(
                f"<tr><td><code>{e(share.change.field)}</code></td>"
                f"<td>{e(before)}</td><td>{e(after)}</td>"
                f'<td class="n {css}">{e(figure)}</td></tr>'
            )
        body.append(
            f"<table><thead><tr><th>{e(_('Field'))}</th><th>{e(_('Old'))}</th>"
            f'<th>{e(_("New"))}</th><th class="n">{e(_("Points"))}</th>'
            "</tr></thead><tbody>" + "".join(rows) + "</tbody>"
            f'<tfoot><tr><td colspan="3">{e(_("Total change"))}</td>'
            f'<td class="n">{e(signed(result.total_change))}</td></tr></tfoot></table>'
        )
        body.append(f"<p>{e(method_sentence(result))}.</p>")
        moved = [c for c in result.criterion_changes if abs(c.change) >= 0.5 * 10**-PLACES]
        if moved:
            body.append(
                f"<table><thead><tr><th>{e(_('Criterion'))}</th>"
                f'<th class="n">{e(_("Old score"))}</th>'
                f'<th class="n">{e(_("New score"))}</th><th class="n">{e(_("Points"))}</th>'
                "</tr></thead><tbody>"
                + "".join(
                    f"<tr><td>{e(c.title)} (<code>{e(c.id)}</code>)</td>"
                    f'<td class="n">{c.old:.{PLACES}f}</td><td class="n">{c.new:.{PLACES}f}</td>'
                    f'<td class="n">{e(signed(c.change))}</td></tr>'
                    for c in moved
                )
                + "</tbody></table>"
            )
    extra = _extra(result)
    if extra:
        body.append('<ul class="note">' + "".join(f"<li>{e(x)}</li>" for x in extra) + "</ul>")
    body.append(f"<footer><small>evaluator {e(__version__)}</small></footer>")
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
