"""A sub-criterion's evidence in words: the value as shown, with its unit and, for an
estimate, its range; how a derived or converted value was made; the score; and the
reason of the rule. `explanation` is the JSON's `explanation` and every score card's
Evidence column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from evaluator.model.notes import (
    ACQUISITION,
    CONVERTED,
    CREDIT_RATIO,
    CREDIT_VALUE,
    LIFECYCLE,
    LOCAL_SHARE,
    NO_PANEL,
    NOT_RATED,
    Note,
)
from evaluator.model.ranges import Range, Uncertain
from evaluator.render.i18n import N_, ngettext
from evaluator.render.i18n import gettext as _
from evaluator.render.text.numbers import number_text, show_value
from evaluator.render.text.panel import consensus_text
from evaluator.render.text.rules import reason_text
from evaluator.scoring.results import LeafScore

# Marks a figure given as a range (an estimate), and a proposal that gives one.
RANGED_MARK = "≈"
# Why a judgement is missing.
ABSENCES: dict[str, str] = {
    NO_PANEL: N_("no --panel given"),
    NOT_RATED: N_("no panel member rated it"),
}


def explanation(leaf: LeafScore) -> str:
    """'1,900,000,000 MYR = unit price … → 75.00 (linear: …)', a panel's consolidated
    ratings, or 'missing: scored 0'."""
    if leaf.panel is not None:
        return consensus_text(leaf.panel)
    reason = leaf.reason
    if reason is None:
        if leaf.absent:
            return _("missing ({why}): scored 0").format(why=_(ABSENCES[leaf.absent]))
        return _("missing: scored 0")
    shown = show_value(leaf.value, leaf.field)  # type: ignore[arg-type]
    if leaf.unit:
        shown += " " + leaf.unit
    if leaf.range is not None or leaf.uncertain is not None:
        shown += estimate(leaf.range, leaf.uncertain)
    if leaf.derivation is not None:
        shown += " = " + DERIVATIONS[leaf.derivation.code](leaf.derivation.data)
    if reason.rule.raw:  # the value itself, for methods that normalise: no score of it
        return f"{shown} ({reason_text(reason)})"
    return f"{shown} → {leaf.score:.2f} ({reason_text(reason)})"


def estimate(ranged: Range | None, uncertain: Uncertain | None) -> str:
    """' (likely; range 110,000,000–140,000,000)', ' (midpoint of …)' or ' (uncertain: …
    from the ranged pricing.unit_price)' after a value from ranged figures; else ''."""
    if ranged is not None:
        bounds = f"{number_text(ranged.low)}–{number_text(ranged.high)}"
        if ranged.likely is not None:
            return _(" (likely; range {bounds})").format(bounds=bounds)
        return _(" (midpoint of {bounds})").format(bounds=bounds)
    if uncertain is not None:
        inputs = ", ".join(uncertain.inputs)
        if uncertain.low is None or uncertain.high is None:
            return _(" (uncertain: from the ranged {inputs})").format(inputs=inputs)
        return _(" (uncertain: {bounds} from the ranged {inputs})").format(
            bounds=f"{number_text(uncertain.low)}–{number_text(uncertain.high)}", inputs=inputs
        )
    return ""


def _acquisition(data: Mapping[str, Any]) -> str:
    return _("unit price {unit_price} × quantity {quantity} + one-off costs {one_off}").format(
        unit_price=number_text(data["unit_price"]),
        quantity=number_text(data["quantity"]),
        one_off=number_text(data["one_off"]),
    )


def _lifecycle(data: Mapping[str, Any]) -> str:
    return _(
        "acquisition {acquisition} ({how}) + sustainment {per_year} a year for {years} years "
        "discounted at {rate:.1%} (NPV {npv})"
    ).format(
        acquisition=number_text(data["acquisition"]),
        how=_acquisition(data),
        per_year=number_text(data["per_year"]),
        years=number_text(data["years"]),
        rate=data["discount_rate"],
        npv=number_text(data["npv"]),
    )


def _credit_value(data: Mapping[str, Any]) -> str:
    count = data["count"]
    converted = (
        _(", values converted at {currency} × {rate:g}").format(
            currency=data["currency"], rate=data["rate"]
        )
        if data["rate"] != 1.0
        else ""
    )
    return ngettext(
        "ICP Credit Value (ICV): Σ value × multiplier over {count} ICP activity "
        "({local} local){converted}",
        "ICP Credit Value (ICV): Σ value × multiplier over {count} ICP activities "
        "({local} local){converted}",
        count,
    ).format(count=count, local=data["local"], converted=converted)


def _local_share(data: Mapping[str, Any]) -> str:
    if not data["credit"]:
        return _("no ICP Credit Value (ICV), so no local share: 0")
    return _("100 × local ICV {local} / ICP Credit Value (ICV) {credit}").format(
        local=number_text(data["local"]), credit=number_text(data["credit"])
    )


# How a derived or converted value was made, by code (model.notes.DERIVATIONS).
DERIVATIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    CONVERTED: lambda data: (
        f"{number_text(data['original'])} {data['currency']} × {data['rate']:g}"
    ),
    ACQUISITION: _acquisition,
    LIFECYCLE: _lifecycle,
    CREDIT_VALUE: _credit_value,
    CREDIT_RATIO: lambda data: _(
        "100 × ICP Credit Value (ICV) {credit} / acquisition cost {acquisition}"
    ).format(credit=number_text(data["credit"]), acquisition=number_text(data["acquisition"])),
    LOCAL_SHARE: _local_share,
}


def derivation(note: Note) -> str:
    """How a value was derived or converted: '25,000,000 EUR × 4.83'."""
    return DERIVATIONS[note.code](note.data)
