"""The ICP Credit Value (ICV) breakdown in words and rows, shared by the table, Markdown and
HTML cards."""

from __future__ import annotations

from evaluator.model.icp import Credit, IcpBreakdown
from evaluator.render.i18n import N_
from evaluator.render.i18n import gettext as _
from evaluator.render.text.evidence import RANGED_MARK
from evaluator.render.text.numbers import number_text


def icp_summary(icp: IcpBreakdown) -> str:
    """One sentence: the ICV, its ratio to the acquisition cost, its local share."""
    text = _("ICP Credit Value (ICV) {value} {currency}").format(
        value=number_text(icp.credit_value), currency=icp.currency
    )
    if icp.credit_ratio_pct is not None and icp.acquisition_cost is not None:
        text += _(", {pct:.2f}% of the acquisition cost ({cost} {currency})").format(
            pct=icp.credit_ratio_pct, cost=number_text(icp.acquisition_cost), currency=icp.currency
        )
    else:
        text += _(" (no acquisition cost to compare it with)")
    text += _("; local share {pct:.2f}%").format(pct=icp.local_share_pct)
    if not icp.credits:
        text += _(" (no activities credited)")
    if any(c.activity.range is not None for c in icp.credits):
        text += _(
            "; {mark} a value given as a range, credited at its likely value (or the midpoint)"
        ).format(mark=RANGED_MARK)
    if any(c.uplift for c in icp.credits):
        text += _(
            "; the uplift (multiplier × (1 + {uplift:g})) as claimed by the offer, where the "
            "guideline's condition holds: the committee checks it"
        ).format(uplift=icp.uplift)
    if icp.rate != 1.0:
        text += _(". Values converted from {offer} at {rate:g} {currency} per {offer}").format(
            offer=icp.offer_currency, rate=icp.rate, currency=icp.currency
        )
    return text + "."


# The title of the breakdown, on every card (`icp_title()`: in the run's language).
ICP_TITLE = N_("Industrial collaboration: ICP Credit Value (ICV)")


def icp_title() -> str:
    """The title of the breakdown."""
    return _(ICP_TITLE)


def applied_multiplier(credit: Credit) -> str:
    """The multiplier applied: `× 4`, or `× 4 × (1 + 0.2)` with the uplift."""
    if credit.uplift:
        return f"× {credit.base:g} × (1 + {credit.uplift:g})"
    return f"× {credit.multiplier:g}"


def icp_rows(icp: IcpBreakdown) -> list[tuple[str, str, str, str, str, str, str, str]]:
    """Type, description, kind, beneficiary (or ''), local, value, multiplier and ICV of each
    activity, as text."""
    return [
        (
            c.activity.type,
            c.activity.description,
            c.activity.kind,
            c.activity.beneficiary or "",
            _("yes") if c.activity.local else _("no"),
            number_text(c.value) + (f" {RANGED_MARK}" if c.activity.range else ""),
            applied_multiplier(c),
            number_text(c.credit),
        )
        for c in icp.credits
    ]
