"""The ICP Credit Value (ICV) breakdown in words and rows, shared by the table, Markdown and
HTML cards."""

from __future__ import annotations

from evaluator.model.icp import Credit, IcpBreakdown
from evaluator.render.text.evidence import RANGED_MARK
from evaluator.render.text.numbers import number_text


def icp_summary(icp: IcpBreakdown) -> str:
    """One sentence: the ICV, its ratio to the acquisition cost, its local share."""
    text = f"ICP Credit Value (ICV) {number_text(icp.credit_value)} {icp.currency}"
    if icp.credit_ratio_pct is not None and icp.acquisition_cost is not None:
        text += (
            f", {icp.credit_ratio_pct:.2f}% of the acquisition cost "
            f"({number_text(icp.acquisition_cost)} {icp.currency})"
        )
    else:
        text += " (no acquisition cost to compare it with)"
    text += f"; local share {icp.local_share_pct:.2f}%"
    if not icp.credits:
        text += " (no activities credited)"
    if any(c.activity.range is not None for c in icp.credits):
        text += (
            f"; {RANGED_MARK} a value given as a range, credited at its likely value (or "
            "the midpoint)"
        )
    if any(c.uplift for c in icp.credits):
        text += (
            f"; the uplift (multiplier × (1 + {icp.uplift:g})) as claimed by the offer, where "
            "the guideline's condition holds: the committee checks it"
        )
    if icp.rate != 1.0:
        text += (
            f". Values converted from {icp.offer_currency} at {icp.rate:g} {icp.currency} "
            f"per {icp.offer_currency}"
        )
    return text + "."


# The title of the breakdown, on every card.
ICP_TITLE = "Industrial collaboration: ICP Credit Value (ICV)"


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
            "yes" if c.activity.local else "no",
            number_text(c.value) + (f" {RANGED_MARK}" if c.activity.range else ""),
            applied_multiplier(c),
            number_text(c.credit),
        )
        for c in icp.credits
    ]
