"""The ICP credit breakdown in words and rows, shared by the table and Markdown cards."""

from __future__ import annotations

from evaluator.model.icp import IcpBreakdown
from evaluator.render.text.evidence import RANGED_MARK
from evaluator.render.text.numbers import number_text


def icp_summary(icp: IcpBreakdown) -> str:
    """One sentence: the credit, its ratio to the acquisition cost, its local share."""
    text = f"ICP credit {number_text(icp.credit_value)} {icp.currency}"
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
    if icp.rate != 1.0:
        text += (
            f". Values converted from {icp.offer_currency} at {icp.rate:g} {icp.currency} "
            f"per {icp.offer_currency}"
        )
    return text + "."


def icp_rows(icp: IcpBreakdown) -> list[tuple[str, str, str, str, str, str]]:
    """Type, description, local, value, multiplier and credit of each activity, as text."""
    return [
        (
            c.activity.type,
            c.activity.description,
            "yes" if c.activity.local else "no",
            number_text(c.value) + (f" {RANGED_MARK}" if c.activity.range else ""),
            f"× {c.multiplier:g}",
            number_text(c.credit),
        )
        for c in icp.credits
    ]
