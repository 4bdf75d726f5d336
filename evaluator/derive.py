"""Derived fields: money in the criteria currency, acquisition and lifecycle cost, ICP credit."""

from __future__ import annotations

from dataclasses import dataclass

from evaluator.checks import did_you_mean
from evaluator.errors import InputError, Problem
from evaluator.fields import MONEY_FIELDS
from evaluator.icp import CREDIT_RATIO, CREDIT_VALUE, LOCAL_SHARE, Credit, IcpBreakdown
from evaluator.model import Criteria, Proposal, Value
from evaluator.rules import number_text


@dataclass(frozen=True, slots=True)
class Derivation:
    """The values rules see (converted and derived), with how each derived one was made."""

    values: dict[str, Value]
    notes: dict[str, str]  # field -> how it was derived or converted
    icp: IcpBreakdown | None = None  # None when the proposal lists no ICP activities


def derive(proposal: Proposal, criteria: Criteria) -> Derivation:
    """Convert money into the criteria currency and compute the derived fields."""
    values: dict[str, Value] = dict(proposal.values)
    notes: dict[str, str] = {}
    currency = str(values.get("pricing.currency", criteria.currency))
    rate = criteria.rate(currency)
    if rate is None:
        known = ", ".join(sorted({criteria.currency, *criteria.rates}))
        raise InputError([proposal.problem(
            "pricing.currency", f"no exchange rate for {currency} in {criteria.file} "
                                f"(it has {known})")])
    for name in MONEY_FIELDS:
        if name in values and rate != 1.0:
            original = float(values[name])  # type: ignore[arg-type]
            values[name] = original * rate
            notes[name] = f"{number_text(original)} {currency} × {rate:g}"

    def money(name: str) -> float:
        return float(values.get(name, 0.0))  # type: ignore[arg-type]

    if "pricing.unit_price" in values and "pricing.quantity" in values:
        acquisition = money("pricing.unit_price") * money("pricing.quantity") + \
            money("pricing.one_off_costs")
        values["pricing.acquisition_cost"] = acquisition
        notes["pricing.acquisition_cost"] = (
            f"unit price {number_text(money('pricing.unit_price'))} × quantity "
            f"{number_text(money('pricing.quantity'))} + one-off costs "
            f"{number_text(money('pricing.one_off_costs'))}")
        sustainment = money("pricing.sustainment_per_year")
        years = int(money("pricing.support_years"))
        r = criteria.discount_rate
        npv = sum(sustainment / (1 + r) ** t for t in range(1, years + 1))
        values["pricing.lifecycle_cost"] = acquisition + npv
        notes["pricing.lifecycle_cost"] = (
            f"acquisition {number_text(acquisition)} "
            f"({notes['pricing.acquisition_cost']}) + sustainment {number_text(sustainment)} "
            f"a year for {years} years discounted at {r:.1%} (NPV {number_text(npv)})")
    if "technology_transfer.ip_rights" in values:
        rights = values["technology_transfer.ip_rights"]
        values["technology_transfer.ip_rights_count"] = len(set(rights))  # type: ignore[arg-type]
    icp = None
    if proposal.activities is not None:
        cost = values.get("pricing.acquisition_cost")
        icp = icp_breakdown(proposal, criteria, currency, rate,
                            float(cost) if isinstance(cost, int | float) else None)
        _icp_fields(icp, values, notes)
    return Derivation(values, notes, icp)


def icp_breakdown(proposal: Proposal, criteria: Criteria, currency: str, rate: float,
                  acquisition_cost: float | None) -> IcpBreakdown:
    """Each activity's ICP credit (value × multiplier, criteria currency) and the totals."""
    multipliers = criteria.icp.multipliers
    problems: list[Problem] = []
    credits: list[Credit] = []
    for activity in proposal.activities or ():
        multiplier = multipliers.get(activity.type)
        if multiplier is None:
            problems.append(proposal.document.problem(
                (*activity.path, "type"),
                f"no ICP multiplier for activity type `{activity.type}` in {criteria.file}"
                + did_you_mean(activity.type, multipliers) + "; it has "
                + ", ".join(multipliers)))
        else:
            credits.append(Credit(activity, activity.value * rate, multiplier))
    if problems:
        raise InputError(problems)
    total = sum((c.credit for c in credits), 0.0)
    local = sum((c.credit for c in credits if c.activity.local), 0.0)
    ratio = None
    if acquisition_cost:  # no cost (or a zero one) leaves nothing to compare the credit with
        ratio = _percent(total, acquisition_cost)
    # With no credit at all nothing is delivered locally: the share is 0, not undefined,
    # so a gate on it fails for a reason the reader can see rather than for a "missing".
    share = _percent(local, total) if total else 0.0
    return IcpBreakdown(criteria.currency, currency, rate, tuple(credits), total, local,
                        acquisition_cost, ratio, share)


def _percent(part: float, whole: float) -> float:
    # Multiplying first keeps whole-number shares exact (100 × 30 / 100 is 30.0, while
    # 30 / 100 × 100 is 30.000000000000004); rounding to 1e-9 removes the remaining binary
    # noise, so that a share of exactly 30% on paper is exactly 30 at a gate.
    return round(100 * part / whole, 9)


def _icp_fields(icp: IcpBreakdown, values: dict[str, Value], notes: dict[str, str]) -> None:
    count = len(icp.credits)
    local = sum(c.activity.local for c in icp.credits)
    converted = f", values converted at {icp.offer_currency} × {icp.rate:g}" \
        if icp.rate != 1.0 else ""
    values[CREDIT_VALUE] = icp.credit_value
    notes[CREDIT_VALUE] = (f"Σ value × multiplier over {count} ICP "
                           f"{'activity' if count == 1 else 'activities'} ({local} local)"
                           f"{converted}")
    if icp.credit_ratio_pct is not None and icp.acquisition_cost is not None:
        values[CREDIT_RATIO] = icp.credit_ratio_pct
        notes[CREDIT_RATIO] = (f"100 × ICP credit {number_text(icp.credit_value)} / "
                               f"acquisition cost {number_text(icp.acquisition_cost)}")
    values[LOCAL_SHARE] = icp.local_share_pct
    notes[LOCAL_SHARE] = (f"100 × local credit {number_text(icp.local_credit_value)} / "
                          f"ICP credit {number_text(icp.credit_value)}" if icp.credit_value
                          else "no ICP credit, so no local share: 0")
