"""`evaluator sensitivity`: how safe the recommendation is, as a table, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import RenderableType
from rich.padding import Padding, PaddingDimensions
from rich.table import Table
from rich.text import Text

from evaluator import __version__
from evaluator.analysis.discount import HOLDS, NOT_USED
from evaluator.analysis.sampling import Spread
from evaluator.analysis.sensitivity import (
    Interval,
    LongRun,
    Sensitivity,
    Stability,
    TippingPoint,
)
from evaluator.render import RenderOptions, decimals, percent
from evaluator.render.data import SCHEMA_VERSION, number, range_data, what_if_data
from evaluator.render.i18n import N_, in_english, ngettext
from evaluator.render.i18n import gettext as _
from evaluator.render.language import localized
from evaluator.render.layout import WORDS, broken, fit_table, needed_width
from evaluator.render.markdown_text import Markdown, md
from evaluator.render.markdown_text import row as _row
from evaluator.render.methods import ordinal as _ordinal
from evaluator.render.run import caveat_sentences, what_if_sentence
from evaluator.render.table import bar, print_to_text
from evaluator.render.text.notes import note_text, notes_text
from evaluator.render.text.numbers import number_text
from evaluator.scoring.results import GateResult

if TYPE_CHECKING:
    from evaluator.analysis.uncertainty import ValueAnalysis

# The text bar of a stability interval, 0 on the left and 1 on the right.
RANKING_HOLDS, WINNER_HOLDS, WINNER_CHANGES, TODAY = "█", "▒", "·", "┃"
SENSITIVITY_FORMATS = ("table", "json", "markdown")


@in_english
def sensitivity_data(result: Sensitivity) -> dict[str, Any]:
    """The JSON result: the contract of methods.md first, then the context around it."""
    comparison = result.comparison
    criteria = comparison.criteria
    acceptability = result.acceptability
    tipping = result.tipping_point
    data = {
        "stability": {name: _stability_data(s) for name, s in result.stability.items()},
        "acceptability": {
            i: [number(x) for x in shares] for i, shares in acceptability.shares.items()
        },
        "central_weights": {
            i: None if w is None else {k: number(x) for k, x in w.items()}
            for i, w in acceptability.central_weights.items()
        },
        "samples": acceptability.samples,
        "seed": acceptability.seed,
        "spread": spread_value(acceptability.spread),
        "winner": result.winner,
        "tipping_point": None
        if tipping is None
        else {
            "criterion": tipping.criterion,
            "weight": number(tipping.weight),
            "to": number(tipping.to),
            "change": number(tipping.change),
            "new_winner": tipping.new_winner,
            "past": None if tipping.past is None else number(tipping.past),
        },
        "discount_rate": _discount_data(result),
        "proposals": [
            {"id": e.id, "rank": e.rank, "total": number(e.total)} for e in result.proposals
        ],
        "excluded": [{"id": e.id, "reason": _excluded_reason(e.gates)} for e in result.excluded],
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "evaluator", "version": __version__},
        "criteria": {
            "id": criteria.id,
            "version": criteria.version,
            "file": criteria.file,
            "sha256": criteria.sha256,
        },
        "method": comparison.method,
        "weights": {k: number(v) for k, v in comparison.weights.items()},
        "what_if": what_if_data(comparison.what_if),
        "classification": criteria.classification,
        "caveats": [c.as_dict() for c in comparison.caveats],
        "errors": [p.as_dict() for p in comparison.errors],
        "notes": notes_text(result.notes),
    }
    extra: dict[str, Any] = {}
    if acceptability.rest is not None:
        # Only the first ranks are listed: the share of the others, after the SMAA contract.
        extra["acceptability_rest"] = {
            "ranks": acceptability.ranks,
            "shares": {i: number(x) for i, x in acceptability.rest.items()},
        }
    if result.values is not None:
        # With --values: the confidence factors and the figures drawn.
        extra["confidence"] = {
            e.id: None if c is None else number(c)
            for e, c in zip(result.proposals, result.values.confidence, strict=True)
        }
        extra["values"] = _values_data(result.values)
    if not extra:
        return data
    keys = list(data)
    at = keys.index("spread") + 1
    return {**{k: data[k] for k in keys[:at]}, **extra, **{k: data[k] for k in keys[at:]}}


def _discount_data(result: Sensitivity) -> dict[str, Any] | None:
    """The discount rates over which the winner holds (evaluator.analysis.discount)."""
    d = result.discount
    if d is None:
        return None
    return {
        "today": number(d.today),
        "winner_holds": _interval(d.winner_holds),
        "status": d.status,
        "below": d.below,
        "above": d.above,
        "searched": [number(d.searched[0]), number(d.searched[1])],
        "resolution": d.resolution,
    }


def discount_sentence(result: Sensitivity, detail: bool = True) -> str | None:
    """Over which discount rates the winner stays first, in a sentence (with `detail`,
    one more saying what was searched and to what resolution); None without a winner."""
    d, winner = result.discount, result.winner
    if d is None or d.winner_holds is None or winner is None:
        return None

    def rate(value: float) -> str:
        return percent(value, 2)

    searched = _("{low} to {high}").format(low=rate(d.searched[0]), high=rate(d.searched[1]))
    if d.status == NOT_USED:
        verdict = _("no criterion scores the lifecycle cost, the one figure it moves.")
    elif d.status == HOLDS:
        verdict = _("{winner} stays first at every rate from {searched}.").format(
            winner=winner, searched=searched
        )
    else:
        low, high = (rate(x) for x in d.winner_holds)
        verdict = _("{winner} stays first from {low} to {high}").format(
            winner=winner, low=low, high=high
        )
        if d.below is not None:
            verdict += _("; below {low}, {id} leads").format(low=low, id=d.below)
        if d.above is not None:
            verdict += _("; above {high}, {id} leads").format(high=high, id=d.above)
        verdict += "."
    text = _("Discount rate (today {today}): {verdict}").format(
        today=rate(d.today), verdict=verdict
    )
    if d.status == NOT_USED:
        return text
    if detail:
        text += " " + _(
            "Rates searched from {searched}, each end to {resolution} percentage point."
        ).format(searched=searched, resolution=f"{d.resolution * 100:g}")
    return text


def _values_data(values: ValueAnalysis) -> dict[str, Any]:
    failures: dict[str, dict[str, float]] = {}
    for risk in values.gate_risks:
        failures.setdefault(risk.proposal, {})[risk.gate] = number(risk.failures)
    return {
        "figures": [
            {
                "proposal": f.proposal,
                "field": f.name,
                **range_data(f.range),
                "distribution": f.range.distribution,
            }
            for f in values.figures
        ],
        # The exchange rates given as ranges and drawn: one draw per draw, shared by the
        # proposals priced in the currency (currency risk).
        "exchange_rates": [
            {
                "currency": r.currency,
                **range_data(r.range),
                "distribution": r.range.distribution,
                "proposals": list(r.proposals),
            }
            for r in values.rates
        ],
        "gate_failures": failures,
    }


def _stability_data(s: Stability) -> dict[str, Any]:
    return {
        "weight": number(s.weight),
        "winner": _interval(s.winner),
        "ranking": _interval(s.ranking),
        "winner_below": s.winner_below,
        "winner_above": s.winner_above,
    }


def _interval(interval: Interval | None) -> list[float] | None:
    return None if interval is None else [number(interval[0]), number(interval[1])]


def spread_value(spread: Spread) -> float | str:
    """`--spread` as shown in results: the number, or "full"."""
    return "full" if spread is None else number(spread)


def long_run_text(run: LongRun) -> str:
    """Why the analysis would run long: '100,000 draws × 6,000 eligible proposals is …'."""
    if run.values:
        text = _(
            "{samples:,} draws × {eligible:,} eligible proposals with --values is {work:,} "
            "proposal-draws, more than the {limit:,} run without asking"
        )
    else:
        text = _(
            "{samples:,} draws × {eligible:,} eligible proposals is {work:,} proposal-draws, "
            "more than the {limit:,} run without asking"
        )
    return text.format(samples=run.samples, eligible=run.eligible, work=run.work, limit=run.limit)


def _excluded_reason(gates: Iterable[GateResult]) -> str:
    failed = [g.id for g in gates if not g.passed]
    return _("fails gate {ids}").format(ids=", ".join(failed)) if failed else _("ineligible")


def render(result: Sensitivity, fmt: str, options: RenderOptions) -> str:
    """The analysis in the requested format: table, json or markdown."""
    if fmt == "json":
        return json.dumps(sensitivity_data(result), indent=2, ensure_ascii=False) + "\n"
    # The criteria's titles in the report's language where the file gives them.
    result = replace(result, comparison=localized(result.comparison, options.lang))
    if fmt == "markdown":
        return _markdown(result)
    return _table(result, options)


# --- sentences shared by table and markdown -----------------------------------------------


def _percent(share: float) -> str:
    """A share as a whole percentage that never rounds a rare event to 0% or 100%."""
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    return f"{share:.0%}"


def describe_spread(result: Sensitivity) -> str:
    """How the weights were drawn, in words (no count)."""
    spread = result.acceptability.spread
    if spread is None:
        text = _("weights drawn uniformly from every possible weighting")
    else:
        text = _("each weight drawn within ±{spread} of today's and renormalised").format(
            spread=f"{spread:.0%}"
        )
    if result.values is not None:
        count, rates = len(result.values.figures), len(result.values.rates)
        if count or not rates:
            text += ngettext(
                ", and {count} ranged figure drawn within its range",
                ", and {count} ranged figures drawn within their ranges",
                count,
            ).format(count=count)
        if rates:
            text += (
                ngettext(
                    " and {count} exchange rate drawn within its range",
                    " and {count} exchange rates drawn within their ranges",
                    rates,
                )
                if count
                else ngettext(
                    ", and {count} exchange rate drawn within its range",
                    ", and {count} exchange rates drawn within their ranges",
                    rates,
                )
            ).format(count=rates)
    return text


def rate_lines(result: Sensitivity) -> list[str]:
    """Each exchange rate drawn (currency risk), its range and the proposals it moves."""
    assert result.values is not None
    currency = result.comparison.criteria.currency
    return [
        (
            _("{code}: {low}–{high} {currency} ({distribution}), shared by {ids}")
            if r.range.likely is None
            else _(
                "{code}: {low}–{high} {currency}, likely {likely} ({distribution}), shared by {ids}"
            )
        ).format(
            code=r.currency,
            low=number_text(r.range.low),
            high=number_text(r.range.high),
            currency=currency,
            likely="" if r.range.likely is None else number_text(r.range.likely),
            distribution=distribution(r.range.distribution),
            ids=", ".join(r.proposals),
        )
        for r in result.values.rates
    ]


# How a ranged figure is drawn (evaluator.model.ranges), as a sentence names it.
DISTRIBUTIONS = {"triangular": N_("triangular"), "uniform": N_("uniform")}


def distribution(name: str) -> str:
    """`triangular` or `uniform` in the run's language."""
    return _(DISTRIBUTIONS[name]) if name in DISTRIBUTIONS else name


RATES_TITLE = N_(
    "Exchange rates drawn (currency risk): one draw of each rate per draw, for every "
    "proposal priced in that currency"
)


def describe_draws(result: Sensitivity) -> str:
    """How many weightings were drawn, and from which seed."""
    a = result.acceptability
    return ngettext(
        "{count:,} draw, seed {seed}", "{count:,} draws, seed {seed}", a.samples
    ).format(count=a.samples, seed=a.seed)


def headline(result: Sensitivity) -> list[str]:
    """How safe the winner is, in two or three sentences a committee can read at a glance."""
    if result.winner is None:
        if not result.proposals and not result.excluded:
            return [_("No proposal could be scored.")]
        return [_("No proposal passes every gate: there is no winner to test.")]
    winner = result.winner
    tied = [e.id for e in result.proposals if e.rank == 1]
    lines = []
    if len(tied) > 1:
        lines.append(
            _(
                "{ids} tie for first place today; the figures below test {winner}, the first "
                "of them by id."
            ).format(ids=", ".join(tied), winner=winner)
        )
    if len(result.proposals) == 1:
        lines.append(
            _("{winner} is the only eligible proposal: no weighting can change the winner.").format(
                winner=winner
            )
        )
        return lines
    tip = result.tipping_point
    if tip is None:
        lines.append(
            _(
                "{winner} stays first whichever single weight moves, anywhere from 0% to 100%."
            ).format(winner=winner)
        )
    else:
        lines.append(tipping_sentence(winner, tip, typed=_retypable(result, tip.criterion)))
    shares = result.acceptability.shares
    others = sorted(
        ((s[0], i) for i, s in shares.items() if s[0] > 0 and i != winner), key=lambda x: -x[0]
    )
    named = ", ".join(_("{id} in {share}").format(id=i, share=_percent(x)) for x, i in others[:3])
    if len(others) > 3:
        named = _("{named} and {count} more").format(named=named, count=len(others) - 3)
    draws = {
        "spread": describe_spread(result),
        "draws": describe_draws(result),
        "winner": winner,
        "share": _percent(shares[winner][0]),
    }
    lines.append(
        _("With {spread} ({draws}), {winner} ranks first in {share} of draws; {others}.").format(
            others=named, **draws
        )
        if others
        else _(
            "With {spread} ({draws}), {winner} ranks first in {share} of draws; no other "
            "proposal ever does."
        ).format(**draws)
    )
    if result.values is not None:
        lines.append(confidence_sentence(result))
    return lines


def _retypable(result: Sensitivity, criterion: str) -> bool:
    """Whether `--weights CRITERION=X` alone gives the weights of the analysis with that
    criterion at X: when the others are in the criteria file's proportions."""
    weights, base = result.comparison.weights, result.comparison.criteria.weights()
    rest, rest_base = (sum(w[k] for k in w if k != criterion) for w in (weights, base))
    return rest > 0 and all(
        abs(weights[k] / rest - base[k] / rest_base) <= 1e-9 for k in weights if k != criterion
    )


def tipping_sentence(winner: str, tip: TippingPoint, code: str = "", typed: bool = True) -> str:
    """Where the winner stops being first, and the `--weights` that tips it (`code`: the
    mark around a command, "`" in Markdown; `typed` False leaves the command out, when
    the other weights are not the file's and one option could not say them)."""
    up = tip.to > tip.weight
    if tip.past is None:  # no round figure past the crossing: the crossing itself
        return (
            _(
                "{winner} stays first unless {criterion}'s weight rises above {to} (today "
                "{today}), when {new_winner} would lead; no smaller change of a single weight "
                "changes the winner."
            )
            if up
            else _(
                "{winner} stays first unless {criterion}'s weight falls below {to} (today "
                "{today}), when {new_winner} would lead; no smaller change of a single weight "
                "changes the winner."
            )
        ).format(
            winner=winner,
            criterion=tip.criterion,
            to=percent(tip.to, 4),
            today=percent(tip.weight, 4),
            new_winner=tip.new_winner,
        )
    places = max(1, decimals(tip.past))
    bound = percent(tip.to, places, "down" if up else "up")
    past = percent(tip.past, places)
    command = f" ({code}--weights {tip.criterion}={past.removesuffix('%')}{code})" if typed else ""
    return (
        _(
            "{winner} stays first while {criterion}'s weight is at most {bound} (today "
            "{today}); at {past} {new_winner} leads{command}. No smaller change of a single "
            "weight changes the winner."
        )
        if up
        else _(
            "{winner} stays first while {criterion}'s weight is at least {bound} (today "
            "{today}); at {past} {new_winner} leads{command}. No smaller change of a single "
            "weight changes the winner."
        )
    ).format(
        winner=winner,
        criterion=tip.criterion,
        bound=bound,
        today=percent(tip.weight, 2),
        past=past,
        new_winner=tip.new_winner,
        command=command,
    )


def confidence_sentence(result: Sensitivity) -> str:
    """The confidence factors in one sentence, the winner's first."""
    assert result.values is not None
    factors = {e.id: c for e, c in zip(result.proposals, result.values.confidence, strict=True)}
    named = [
        f"{i} {_percent(c)}"
        for i, c in sorted(
            ((i, c) for i, c in factors.items() if c is not None),
            key=lambda pair: (pair[0] != result.winner, -pair[1]),
        )
    ]
    return _(
        "Confidence (the share of the figures' draws in which a proposal ranks first with "
        "its own central weights): {factors}."
    ).format(factors=", ".join(named))


def figure_rows(result: Sensitivity, limit: int | None = None) -> list[list[str]]:
    """Proposal, figure, low, likely and high of each figure drawn, as text (ICP shortened)."""
    assert result.values is not None
    figures = result.values.figures[:limit]
    return [
        [
            f.proposal,
            f.name.replace("industrial_collaboration.", "ICP "),
            number_text(f.range.low),
            "—" if f.range.likely is None else number_text(f.range.likely),
            number_text(f.range.high),
        ]
        for f in figures
    ]


def risk_lines(result: Sensitivity) -> list[str]:
    """Each gate that the drawn figures would make a proposal fail, and how often."""
    assert result.values is not None
    return [
        _(
            "{id} would fail gate {gate} ({field}) in {share} of the draws; it is eligible at "
            "its point estimates, where eligibility is decided."
        ).format(id=r.proposal, gate=r.gate, field=r.field, share=_percent(r.failures))
        for r in result.values.gate_risks
        if r.failures > 0
    ]


def _ends(s: Stability) -> str:
    parts = []
    if s.winner_below is not None:
        parts.append(f"↓ {s.winner_below}")
    if s.winner_above is not None:
        parts.append(f"↑ {s.winner_above}")
    return "  ".join(parts) or _("never")


def interval_text(interval: Interval | None) -> str:
    """An interval of weights in percent, rounded inward: every weight shown holds."""
    if interval is None:
        return "—"
    return f"{percent(interval[0], 1, 'up').removesuffix('%')}–{percent(interval[1], 1, 'down')}"


def stability_bar(s: Stability, width: int) -> str:
    """The weight axis 0…1 as text: ranking interval, winner interval, today's weight."""
    cells = []
    for position in range(width):
        t = (position + 0.5) / width  # the middle of the cell's stretch of the axis
        if s.ranking is not None and s.ranking[0] <= t <= s.ranking[1]:
            cells.append(RANKING_HOLDS)
        elif s.winner is not None and s.winner[0] <= t <= s.winner[1]:
            cells.append(WINNER_HOLDS)
        else:
            cells.append(WINNER_CHANGES)
    cells[min(width - 1, int(s.weight * width))] = TODAY
    return "".join(cells)


def _excluded_lines(result: Sensitivity) -> list[str]:
    if len(result.excluded) > 5:  # a long list would push the answer off the screen
        return [
            _("{count} ineligible proposals are left out ({ids}, …): see --format json.").format(
                count=len(result.excluded), ids=", ".join(e.id for e in result.excluded[:3])
            )
        ]
    return [
        _("{id} is left out: ineligible ({reason}).").format(
            id=e.id, reason=_excluded_reason(e.gates)
        )
        for e in result.excluded
    ]


# --- table (rich) -------------------------------------------------------------------------


def _table(result: Sensitivity, options: RenderOptions) -> str:
    what_if = what_if_sentence(result.comparison)
    parts: list[RenderableType] = [
        *([Text(what_if, style="bold yellow")] if what_if else []),
        Text(
            _("Robustness of the recommendation: {title}").format(
                title=result.comparison.criteria.title
            ),
            style="bold",
        ),
    ]
    sentences = headline(result)
    for i, sentence in enumerate(sentences):
        # The verdict is bold; the sampling sentence after it is the supporting detail.
        last = i == len(sentences) - 1 and result.winner is not None and len(result.proposals) > 1
        parts.append(Text(sentence, style="" if last else "bold"))
    discount = discount_sentence(result, detail=False)
    if discount is not None:
        parts.append(Text(discount))
    if result.winner is not None:
        parts += [
            Text(""),
            _stability_table(result, options),
            Text(""),
            _acceptability_table(result, options),
        ]
        if len(result.proposals) == 1:  # else the headline says it, in the same words
            parts.append(
                Text(
                    _("Draws: {spread} ({draws}).").format(
                        spread=describe_spread(result), draws=describe_draws(result)
                    )
                )
            )
        parts += [
            _central_table(result, options),
        ]
        if result.values is not None:
            if result.values.figures:
                parts += _figures_part(result, options)
            if result.values.rates:
                parts.append(Text(_(RATES_TITLE) + ":"))
                parts += [
                    Padding(broken(Text(line), options.width - 2), (0, 0, 0, 2), expand=False)
                    for line in rate_lines(result)
                ]
            parts += [Text(line, style="yellow") for line in risk_lines(result)]
    for line in _excluded_lines(result):
        parts.append(Text(line, style="red"))
    parts += [
        Text(_("Caveat: {caveat}").format(caveat=s), style="yellow")
        for s in caveat_sentences(result.comparison)
    ]
    for note in result.notes:
        parts.append(Text(_("Note: {note}.").format(note=note_text(note)), style="yellow"))
    return print_to_text(options, *parts)


def _stability_table(result: Sensitivity, options: RenderOptions) -> Table:
    names = {k: k.replace("_", " ") for k in result.stability}  # lets a name wrap
    criterion, today, then = _("Criterion"), _("Today"), _("Then first")
    longest = max(len(criterion), *(len(n) for n in names.values()))
    name_width = min(16, longest)
    ends = {k: _ends(s).replace("  ", "\n") for k, s in result.stability.items()}
    ends_width = max(len(then), *(len(line) for e in ends.values() for line in e.split("\n")))
    # The bar takes what the other columns leave: each of the six columns has a cell of
    # padding either side, one between columns, and one at each edge of the table. On a
    # terminal too narrow for a useful bar the numbers alone remain.
    fixed = len(today) + len("0.0–100.0%") * 2 + ends_width + 6 * 3 + 1
    if options.width - fixed - min(longest, 24) >= 20:  # room for whole names, and a bar
        name_width = min(longest, 24)
    elif options.width - fixed - name_width < 20:  # narrow: names wrap at every space
        words = [len(word) for n in names.values() for word in n.split()]
        name_width = min(name_width, max(len(criterion), *words))
    bar_width = min(50, options.width - fixed - name_width)
    drawn = bar_width >= 12

    def table(padding: PaddingDimensions) -> Table:
        table = Table(
            box=box.SIMPLE_HEAD,
            title_justify="left",
            caption_justify="left",
            title=_(
                "Weight stability: one weight moves from 0% to 100%, the others keep their "
                "proportions"
            ),
            padding=padding,
            caption=(
                _(
                    "{ranking} ranking holds  {winner} winner holds  {changes} winner changes  "
                    "{today} today's weight  "
                ).format(
                    ranking=RANKING_HOLDS, winner=WINNER_HOLDS, changes=WINNER_CHANGES, today=TODAY
                )
                if drawn
                else ""
            )
            + _("↓ ↑ first below/above it"),
        )
        table.add_column(criterion, width=name_width)
        table.add_column(today, justify="right", no_wrap=True)
        table.add_column(_("Winner\nholds"), no_wrap=True, min_width=9)
        table.add_column(_("Ranking\nholds"), no_wrap=True, min_width=9)
        if drawn:
            table.add_column("0%" + "100%".rjust(bar_width - 2), no_wrap=True, width=bar_width)
        table.add_column(then, min_width=ends_width)  # ids wrap at spaces only
        for k, s in result.stability.items():
            bar_cell = [Text(stability_bar(s, bar_width))] if drawn else []
            table.add_row(
                names[k],
                percent(s.weight, 2),
                interval_text(s.winner),
                interval_text(s.ranking),
                *bar_cell,
                ends[k],
            )
        return table

    kinds = {len(table((0, 1)).columns) - 1: WORDS}
    stability = table((0, 1))
    if needed_width(stability, kinds) > options.width:  # closer columns, every id whole
        stability = table((0, 1, 0, 0))
    return fit_table(stability, options.width, kinds)


def rank_span(first: int, last: int) -> str:
    """A column of ranks lumped together: `4th–12th`, or `4th` alone."""
    return _ordinal(first) if first == last else f"{_ordinal(first)}–{_ordinal(last)}"


def _acceptability_table(result: Sensitivity, options: RenderOptions) -> Table:
    shares = result.acceptability.shares
    rest = result.acceptability.rest
    ranks = len(result.proposals)
    name_width = max(len(_("Proposal")), *(len(i) for i in shares))
    # A rank column is "100% " and a bar of 10, with padding and a separator: 18 cells.
    # Ranks that do not fit are lumped into one last column.
    cell = 18
    fits = (options.width - name_width - 4) // cell
    shown = ranks if ranks <= fits else max(1, fits - 1)
    shown = min(shown, result.acceptability.ranks)  # the ranks not listed are lumped too
    lumped = ranks > shown
    table = Table(
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
        title=_("Rank acceptability: the share of draws at each rank"),
    )
    table.add_column(_("Proposal"), no_wrap=True)
    for r in range(shown):
        table.add_column(_ordinal(r + 1), no_wrap=True)
    if lumped:
        table.add_column(rank_span(shown + 1, ranks), no_wrap=True)
    # A long list keeps the proposals that reach a shown rank in some draw.
    listed = {i: row for i, row in shares.items() if not lumped or sum(row[:shown]) > 0}
    for identity, row in listed.items():
        cells = [f"{_percent(x):>4} {bar(x, 10, 1.0)}" for x in row[:shown]]
        if lumped:
            worse = sum(row[shown:]) if rest is None else sum(row[shown:]) + rest[identity]
            cells.append(f"{_percent(worse):>4} {bar(worse, 10, 1.0)}")
        table.add_row(identity, *cells, style="bold" if identity == result.winner else "")
    if len(listed) < len(shares):
        more = len(shares) - len(listed)
        table.caption = ngettext(
            "{count} more proposal never ranks in the top {shown}: see --format json",
            "{count} more proposals never rank in the top {shown}: see --format json",
            more,
        ).format(count=more, shown=shown)
    return table


def _central_table(result: Sensitivity, options: RenderOptions) -> Table:
    weights = result.comparison.weights
    central = result.acceptability.central_weights
    never = [i for i, c in central.items() if c is None]
    confidence = (
        {}
        if result.values is None
        else {e.id: c for e, c in zip(result.proposals, result.values.confidence, strict=True)}
    )

    def table(headings: list[str], legend: str | None, confident: bool = True) -> Table:
        caption = " ".join(x for x in (_never_first(never), legend) if x) or None
        table = Table(
            box=box.SIMPLE_HEAD,
            title_justify="left",
            caption_justify="left",
            title=_("Central weights: the average weighting under which each proposal comes first"),
            caption=caption,
        )
        table.add_column(_("Proposal"), no_wrap=True)
        for heading in headings:
            table.add_column(heading, justify="right")
        shows = confident and result.values is not None
        if shows:
            table.title = _(
                "Central weights: the average weighting under which each proposal comes "
                "first, and its confidence: how often it stays first there as the figures vary"
            )
            table.add_column(_("confidence"), justify="right")
        table.add_row(
            _("(today)"),
            *(percent(w) for w in weights.values()),
            *([""] if shows else []),
            style="dim",
        )
        for identity, mean in central.items():
            if mean is not None:
                share = confidence.get(identity)
                table.add_row(
                    identity,
                    *(percent(mean[k]) for k in weights),
                    *([_percent(share) if share is not None else "—"] if shows else []),
                )
        return table

    central_weights = table([k.replace("_", " ") for k in weights], None)  # names wrap
    if needed_width(central_weights) > options.width:  # too narrow for the names: C1, C2..
        short = [f"C{n}" for n in range(1, len(weights) + 1)]
        legend = "; ".join(f"{s} {k}" for s, k in zip(short, weights, strict=True)) + "."
        central_weights = table(short, legend)
        if needed_width(central_weights) > options.width and confidence:
            # no room for the confidence column: its figures are in the sentence above
            central_weights = table(
                short, legend + " " + _("Confidence: see above."), confident=False
            )
    return fit_table(central_weights, options.width)


FIGURES_SHOWN = 12  # a longer list is in the JSON
FIGURES_TABLE_WIDTH = 90  # narrower, the figures are listed one a line
FIGURES_TITLE = N_(
    "Ranged figures drawn: triangular with a likely value, uniform without (as "
    "written, in the offer's currency)"
)


def _figures_part(result: Sensitivity, options: RenderOptions) -> list[RenderableType]:
    """The figures drawn: a table, or on a narrow terminal one line each."""
    assert result.values is not None
    figures = result.values.figures
    if options.width >= FIGURES_TABLE_WIDTH:
        return [fit_table(_figures_table(result), options.width)]
    lines: list[RenderableType] = [Text(_(FIGURES_TITLE) + ":")]
    for proposal, name, low, likely, high in figure_rows(result, FIGURES_SHOWN):
        shown = (
            f"{low}–{high}"
            if likely == "—"
            else _("{low}–{high}, likely {likely}").format(low=low, high=high, likely=likely)
        )
        lines.append(
            Padding(
                broken(Text(f"{proposal} {name}: {shown}"), options.width - 2),
                (0, 0, 0, 2),
                expand=False,
            )
        )
    if len(figures) > FIGURES_SHOWN:
        lines.append(Text("  " + _more_figures(len(figures) - FIGURES_SHOWN)))
    return lines


def _figures_table(result: Sensitivity) -> Table:
    assert result.values is not None
    figures = result.values.figures
    table = Table(
        box=box.SIMPLE_HEAD, title_justify="left", caption_justify="left", title=_(FIGURES_TITLE)
    )
    table.add_column(_("Proposal"), no_wrap=True)
    table.add_column(_("Figure"))
    for heading in (_("Low"), _("Likely"), _("High")):
        table.add_column(heading, justify="right", no_wrap=True)
    for row in figure_rows(result, FIGURES_SHOWN):
        table.add_row(*row)
    if len(figures) > FIGURES_SHOWN:
        table.caption = _more_figures(len(figures) - FIGURES_SHOWN)
    return table


def _more_figures(count: int) -> str:
    return _("… and {count} more: see --format json").format(count=count)


def _never_first(never: list[str]) -> str | None:
    if not never:
        return None
    if len(never) > 5:
        return _("{count} proposals never rank first.").format(count=len(never))
    return ngettext("{ids} never ranks first.", "{ids} never rank first.", len(never)).format(
        ids=", ".join(never)
    )


# --- markdown -----------------------------------------------------------------------------


def _markdown_values(result: Sensitivity) -> list[str]:
    assert result.values is not None
    confidence = zip(result.proposals, result.values.confidence, strict=True)
    lines = [
        "### " + _("Confidence"),
        "",
        _(
            "The share of the figures' draws in which a proposal ranks first with its own "
            "central weights."
        ),
        "",
        _row([_("Proposal"), _("Confidence")]),
        _row(["---", "---:"]),
    ]
    lines += [_row([e.id, "—" if c is None else _percent(c)]) for e, c in confidence]
    lines.append("")
    if result.values.figures:
        lines += [
            "### " + _("Ranged figures"),
            "",
            _(
                "Drawn triangular with a likely value, uniform without; as written, in the "
                "offer's currency."
            ),
            "",
            _row([_("Proposal"), _("Figure"), _("Low"), _("Likely"), _("High")]),
            _row(["---", "---", "---:", "---:", "---:"]),
        ]
        lines += [_row(list(row)) for row in figure_rows(result)]
        lines.append("")
    if result.values.rates:
        lines += ["### " + _("Exchange rates"), "", md(_(RATES_TITLE)) + ".", ""]
        lines += [f"- {md(line)}" for line in rate_lines(result)]
        lines.append("")
    lines += [f"- {md(line)}" for line in risk_lines(result)]
    return lines + ([""] if risk_lines(result) else [])


def _markdown_acceptability(result: Sensitivity) -> list[str]:
    """Every rank; or the ranks listed, a column for the rest and only the proposals that
    reach a listed rank in some draw."""
    a = result.acceptability
    ranks, listed = len(result.proposals), a.ranks
    heads = [_ordinal(r + 1) for r in range(listed)]
    if a.rest is not None:
        heads.append(rank_span(listed + 1, ranks))
    lines = [_row([_("Proposal"), *heads]), _row(["---", *("---:" for _head in heads)])]
    if a.rest is None:
        return lines + [_row([i, *(_percent(x) for x in row)]) for i, row in a.shares.items()]
    reach = [(i, row) for i, row in a.shares.items() if sum(row) > 0]
    lines += [_row([i, *(_percent(x) for x in row), _percent(a.rest[i])]) for i, row in reach]
    if len(reach) < len(a.shares):
        lines += [
            "",
            md(
                _(
                    "{count} more proposals never rank in the top {listed}: see --format json."
                ).format(count=len(a.shares) - len(reach), listed=listed)
            ),
        ]
    return lines


def _markdown(result: Sensitivity) -> str:
    # Every text from a file goes through md() (evaluator/render/markdown_text.py); _row
    # escapes each cell that is not our own Markdown.
    lines = [
        "## " + _("Robustness: {title}").format(title=md(result.comparison.criteria.title)),
        "",
    ]
    what_if = what_if_sentence(result.comparison)
    lines += [f"> **{md(what_if)}**", ""] if what_if else []
    lines += [md(" ".join(headline(result))), ""]
    discount = discount_sentence(result)
    lines += [md(discount), ""] if discount is not None else []
    if result.winner is not None:
        lines += [
            "### " + _("Weight stability"),
            "",
            _("One weight moves from 0% to 100% while the others keep their proportions."),
            "",
            _row(
                [
                    _("Criterion"),
                    _("Today"),
                    _("Winner holds"),
                    _("Ranking holds"),
                    _("Then first"),
                    "0% … 100%",
                ]
            ),
            _row(["---", "---:", "---", "---", "---", "---"]),
        ]
        lines += [
            _row(
                [
                    s.criterion,
                    percent(s.weight, 2),
                    interval_text(s.winner),
                    interval_text(s.ranking),
                    _ends(s),
                    Markdown(f"`{stability_bar(s, 20)}`"),
                ]
            )
            for s in result.stability.values()
        ]
        lines += [
            "",
            _(
                "{ranking} ranking holds, {winner} winner holds, {changes} winner changes, "
                "{today} today's weight."
            ).format(
                ranking=f"`{RANKING_HOLDS}`",
                winner=f"`{WINNER_HOLDS}`",
                changes=f"`{WINNER_CHANGES}`",
                today=f"`{TODAY}`",
            ),
            "",
            "### " + _("Rank acceptability"),
            "",
            _("Share of draws at each rank: {spread} ({draws}).").format(
                spread=md(describe_spread(result)), draws=md(describe_draws(result))
            ),
            "",
        ]
        lines += _markdown_acceptability(result)
        weights = result.comparison.weights
        lines += [
            "",
            "### " + _("Central weights"),
            "",
            _("The average weighting under which each proposal comes first."),
            "",
            _row([_("Proposal"), *weights]),
            _row(["---", *("---:" for _weight in weights)]),
            _row([_("(today)"), *(percent(w) for w in weights.values())]),
        ]
        central = result.acceptability.central_weights
        lines += [
            _row([i, *(percent(c[k]) for k in weights)])
            for i, c in central.items()
            if c is not None
        ]
        never = _never_first([i for i, c in central.items() if c is None])
        lines += ["", md(never)] if never else []
        lines.append("")
        if result.values is not None:
            lines += _markdown_values(result)
    lines += [f"- {md(line)}" for line in _excluded_lines(result)]
    lines += [
        _("- Caveat: {caveat}").format(caveat=md(s)) for s in caveat_sentences(result.comparison)
    ]
    lines += [_("- Note: {note}.").format(note=md(note_text(note))) for note in result.notes]
    return "\n".join(lines).rstrip() + "\n"
