"""Derived fields: money in the criteria currency, acquisition and lifecycle cost, ICP credit."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from evaluator.errors import InputError, Problem
from evaluator.messages.scoring import NO_EXCHANGE_RATE, NO_MULTIPLIER, NO_MULTIPLIER_FOR_KIND
from evaluator.model import compliance
from evaluator.model import notes as how
from evaluator.model.checks import suggestion
from evaluator.model.criteria import Criteria
from evaluator.model.fields import MONEY_FIELDS, Value
from evaluator.model.icp import (
    CREDIT_RATIO,
    CREDIT_VALUE,
    DIRECT,
    LOCAL_SHARE,
    Credit,
    IcpBreakdown,
)
from evaluator.model.notes import Note
from evaluator.model.numeric import Num, clamp, divide, many, rounded, total
from evaluator.model.proposal import Proposal
from evaluator.model.ranges import Range, Uncertain

ACQUISITION, LIFECYCLE = "pricing.acquisition_cost", "pricing.lifecycle_cost"

# Derived figures that rise with each of their inputs: with every ranged input at its low
# (high) end they are at their own low (high). A ratio or a share has no such bounds.
_MONOTONE = (ACQUISITION, LIFECYCLE, CREDIT_VALUE)
_ACQUISITION_INPUTS = ("pricing.unit_price", "pricing.quantity", "pricing.one_off_costs")
# The figures the costs are computed from.
COST_INPUTS = (*_ACQUISITION_INPUTS, "pricing.sustainment_per_year", "pricing.support_years")
_INPUTS: dict[str, tuple[str, ...]] = {
    # derived field -> the proposal fields it is computed from ("activities": ICP values)
    ACQUISITION: _ACQUISITION_INPUTS,
    LIFECYCLE: COST_INPUTS,
    CREDIT_VALUE: ("activities",),
    CREDIT_RATIO: ("activities", *_ACQUISITION_INPUTS),
    LOCAL_SHARE: ("activities",),
}
ACTIVITIES = "industrial_collaboration.activities"  # the ICP activities, as one given field
# Given only to identify the offer or to read its money: never scored, never "unused".
_NOT_SCORED_BY_NATURE = ("proposal.", "pricing.currency")


@functools.lru_cache(maxsize=16)
def used_fields(criteria: Criteria) -> frozenset[str]:
    """The proposal fields the criteria read: those their rules, gates and credibility
    factors name, and those the derived fields they name are computed from."""
    named = {leaf.field for _, leaf in criteria.leaves()}
    named |= {name for gate in criteria.gates for name in gate.fields}
    named |= {c.credibility.field for c in criteria.criteria if c.credibility is not None}
    used = set(named)
    for name in named:
        used.update(ACTIVITIES if i == "activities" else i for i in _INPUTS.get(name, ()))
    if "technology_transfer.ip_rights_count" in named:
        used.add("technology_transfer.ip_rights")
    return frozenset(used)


def unscored_fields(proposal: Proposal, criteria: Criteria) -> tuple[str, ...]:
    """What the proposal gives that these criteria do not read, in the order given (the
    ICP activities as one field): information only, shown so that nobody thinks it
    counted."""
    used = used_fields(criteria)
    given = [*proposal.values, *((ACTIVITIES,) if proposal.activities else ())]
    return tuple(
        name for name in given if name not in used and not name.startswith(_NOT_SCORED_BY_NATURE)
    )


@dataclass(frozen=True, slots=True)
class Derivation:
    """The values rules see (converted and derived), with how each derived one was made."""

    values: dict[str, Value]
    notes: dict[str, Note]  # field -> how it was derived or converted (its figures)
    icp: IcpBreakdown | None = None  # None when the proposal lists no ICP activities
    # Figures given as ranges, in the units rules see (money in the criteria currency).
    ranges: dict[str, Range] = field(default_factory=dict)
    # Derived figures computed from ranged inputs.
    uncertain: dict[str, Uncertain] = field(default_factory=dict)


def derive(proposal: Proposal, criteria: Criteria) -> Derivation:
    """Convert money into the criteria currency and compute the derived fields."""
    notes: dict[str, Note] = {}
    values, icp, rate = _compute(proposal, criteria, notes)
    ranges = {
        name: r.scaled(rate) if name in MONEY_FIELDS else r for name, r in proposal.ranges.items()
    }
    return Derivation(values, notes, icp, ranges, _uncertain(proposal, criteria, values))


def _compute(
    proposal: Proposal, criteria: Criteria, notes: dict[str, Note] | None
) -> tuple[dict[str, Value], IcpBreakdown | None, float]:
    """Values, ICP breakdown and exchange rate; says in `notes` (if given) how each was made."""
    values: dict[str, Value] = dict(proposal.values)
    if criteria.requirements:
        values.update(_compliance(proposal, criteria))
    currency = str(values.get("pricing.currency", criteria.currency))
    rate = criteria.rate(currency)
    if rate is None:
        known = tuple(sorted({criteria.currency, *criteria.rates}))
        raise InputError(
            [
                proposal.problem(
                    "pricing.currency",
                    NO_EXCHANGE_RATE(currency=currency, file=criteria.file, known=known),
                )
            ]
        )
    for name in MONEY_FIELDS:
        if name in values and rate != 1.0:
            original = float(values[name])  # type: ignore[arg-type]
            values[name] = float(converted(original, rate))
            if notes is not None:
                notes[name] = Note(
                    how.CONVERTED, {"original": original, "currency": currency, "rate": rate}
                )
    credits = None if proposal.activities is None else _credits(proposal, criteria, rate)
    figures = derived_figures(
        values,
        None if credits is None else [(c.credit, c.activity.local) for c in credits],
        criteria.discount_rate,
    )
    if ACQUISITION in figures.values:
        values[ACQUISITION] = float(figures.values[ACQUISITION])
        values[LIFECYCLE] = float(figures.values[LIFECYCLE])
        if notes is not None:
            _cost_notes(values, float(figures.npv or 0.0), criteria.discount_rate, notes)
    if "technology_transfer.ip_rights" in values:
        rights = values["technology_transfer.ip_rights"]
        values["technology_transfer.ip_rights_count"] = len(set(rights))  # type: ignore[arg-type]
    icp = None
    if credits is not None:
        cost = values.get(ACQUISITION)
        acquisition_cost = float(cost) if isinstance(cost, int | float) else None
        ratio = figures.values.get(CREDIT_RATIO)
        icp = IcpBreakdown(
            criteria.currency,
            currency,
            rate,
            credits,
            float(figures.values[CREDIT_VALUE]),
            float(figures.local_credit or 0.0),
            acquisition_cost,
            None if ratio is None else float(ratio),
            float(figures.values[LOCAL_SHARE]),
            criteria.icp.uplift,
        )
        _icp_fields(icp, values, notes)
    return values, icp, rate


def _compliance(proposal: Proposal, criteria: Criteria) -> dict[str, Value]:
    """The answers to the criteria's requirements as values; InputError when one is not
    answered, or an answer names a requirement the criteria do not list."""
    problems = compliance.check_answers(
        criteria.requirements, proposal.compliance, proposal.document.problem, criteria.file
    )
    if problems:
        raise InputError(problems)
    return compliance.values(criteria.requirements, proposal.compliance or {})


def converted(value: Num, rate: Num) -> Num:
    """A money figure (or each draw of one) in the criteria currency, at `rate` (or at each
    draw of a ranged rate)."""
    return value * rate if many(rate) or rate != 1.0 else value


@dataclass(frozen=True, slots=True)
class Figures:
    """The derived figures of one proposal, or of each draw of its ranged figures (arrays),
    with the parts their explanations quote."""

    values: dict[str, Num]  # derived field -> value
    npv: Num | None = None  # the sustainment's net present value, when costs are derived
    local_credit: Num | None = None  # the ICP credit of the local activities


def derived_figures(
    values: Mapping[str, Any], credits: Sequence[tuple[Num, bool]] | None, discount_rate: Num
) -> Figures:
    """The derived fields from the proposal's figures, money in the criteria currency: the
    acquisition and lifecycle cost (when unit price and quantity are given), and from the
    ICP `credits` (each activity's credit and whether it is local; None: no activities
    listed) the credit value, its ratio to the acquisition cost and the local share.

    Every figure, and the discount rate, may be a float or an array of draws: the same
    operations compute one proposal's (`derive`), each draw's (evaluator.analysis.uncertainty)
    and each discount rate's (evaluator.analysis.discount).
    """
    out: dict[str, Num] = {}
    npv = local = None

    def money(name: str) -> Num:
        value = values.get(name, 0.0)
        return value if type(value) is float or many(value) else float(value)

    if "pricing.unit_price" in values and "pricing.quantity" in values:
        acquisition = money("pricing.unit_price") * money("pricing.quantity") + money(
            "pricing.one_off_costs"
        )
        npv = present_value(
            money("pricing.sustainment_per_year"), money("pricing.support_years"), discount_rate
        )
        out[ACQUISITION] = acquisition
        out[LIFECYCLE] = acquisition + npv
    if credits is not None:
        credit = total([amount for amount, _ in credits])
        local = total([amount for amount, is_local in credits if is_local])
        out[CREDIT_VALUE] = credit
        if ACQUISITION in out:
            # No cost (or a zero one) leaves nothing to compare the credit with: missing (in
            # a draw, not a number, which scores 0 as a missing value does).
            ratio = divide(100 * credit, out[ACQUISITION], math.nan)
            if many(ratio) or ratio == ratio:
                out[CREDIT_RATIO] = _rounded_percent(ratio)
        # With no credit at all nothing is delivered locally: the share is 0, not undefined,
        # so a gate on it fails for a reason the reader can see rather than for a "missing".
        out[LOCAL_SHARE] = _rounded_percent(divide(100 * local, credit, 0.0))
    return Figures(out, npv, local)


def present_value(per_year: Num, years: Num, rate: Num) -> Num:
    """Σ per_year / (1 + rate)^t over the years; a fractional number of years (the
    midpoint of a range, a draw) counts its last year pro rata. For whole years each
    year's share is exactly 1. `rate` may be an array of rates (one result each)."""
    shares: Sequence[Num]
    if many(years):
        last = math.ceil(float(years.max()))  # type: ignore[union-attr]
        shares = [_year_share(years, t) for t in range(1, last + 1)]
    else:  # the same shares for every proposal with these years: made once
        shares = _year_shares(float(years))
    value: Num = 0.0
    discounts: Sequence[Num] = (
        _array_discounts(rate.tobytes(), len(shares))  # type: ignore[union-attr]
        if many(rate)
        else _discounts(float(rate), len(shares))
    )
    for discount, share in zip(discounts, shares, strict=True):
        value = value + per_year / discount * share
    return value


def _year_share(years: Num, t: int) -> Num:
    """How much of year t (from 1) the years cover: 1, a fraction, or 0."""
    return clamp(years - t + 1, 0.0, 1.0)


@functools.lru_cache(maxsize=256)
def _year_shares(years: float) -> tuple[float, ...]:
    return tuple(float(_year_share(years, t)) for t in range(1, math.ceil(years) + 1))


def _rounded_percent(value: Num) -> Num:
    # Multiplying first keeps whole-number shares exact (100 × 30 / 100 is 30.0, while
    # 30 / 100 × 100 is 30.000000000000004); rounding to 1e-9 removes the remaining binary
    # noise, so that a share of exactly 30% on paper is exactly 30 at a gate.
    return rounded(value, 9)


def _cost_notes(
    values: Mapping[str, Value], npv: float, discount_rate: float, notes: dict[str, Note]
) -> None:
    def money(name: str) -> float:
        return float(values.get(name, 0.0))  # type: ignore[arg-type]

    parts = {
        "unit_price": money("pricing.unit_price"),
        "quantity": money("pricing.quantity"),
        "one_off": money("pricing.one_off_costs"),
    }
    notes[ACQUISITION] = Note(how.ACQUISITION, parts)
    notes[LIFECYCLE] = Note(
        how.LIFECYCLE,
        {
            "acquisition": money(ACQUISITION),
            **parts,
            "per_year": money("pricing.sustainment_per_year"),
            "years": money("pricing.support_years"),
            "discount_rate": discount_rate,
            "npv": npv,
        },
    )


@functools.lru_cache(maxsize=64)
def _discounts(rate: float, years: int) -> tuple[float, ...]:
    """(1 + rate)^t for each year t from 1 to `years`: the same for every proposal."""
    return tuple((1 + rate) ** t for t in range(1, years + 1))


@functools.lru_cache(maxsize=16)
def _array_discounts(rates: bytes, years: int) -> tuple[Num, ...]:
    """`_discounts` for an array of rates (float64, as bytes): one array per year t, each
    rate's (1 + rate)^t; the same for every proposal scored at these rates."""
    import numpy as np

    rate = np.frombuffer(rates, dtype=np.float64)
    return tuple((1 + rate) ** t for t in range(1, years + 1))


def _uncertain(
    proposal: Proposal, criteria: Criteria, values: dict[str, Value]
) -> dict[str, Uncertain]:
    """The derived figures that depend on ranged inputs, with their bounds where monotone."""
    if not proposal.ranged:
        return {}
    ranged_activities = tuple(
        a.value_name for a in proposal.activities or () if a.range is not None
    )
    found: dict[str, tuple[str, ...]] = {}
    for name, inputs in _INPUTS.items():
        if name in values:
            found[name] = tuple(i for i in inputs if i in proposal.ranges) + (
                ranged_activities if "activities" in inputs else ()
            )
    found = {name: inputs for name, inputs in found.items() if inputs}
    if not found:
        return {}
    # The same proposal with every range at one end; only its values are read, so no notes
    # are written, and it has no ranges, so no recursion.
    ends = [_compute(_at_end(proposal, end), criteria, None)[0] for end in ("low", "high")]
    uncertain = {}
    for name, inputs in found.items():
        low, high = (end.get(name) for end in ends)
        if name in _MONOTONE and isinstance(low, int | float) and isinstance(high, int | float):
            uncertain[name] = Uncertain(inputs, float(low), float(high))
        else:
            uncertain[name] = Uncertain(inputs)
    return uncertain


def _at_end(proposal: Proposal, end: str) -> Proposal:
    """The proposal with each ranged figure at its `low` or `high` end, and no ranges."""
    values = dict(proposal.values)
    for name, estimate in proposal.ranges.items():
        values[name] = getattr(estimate, end)
    activities = (
        None
        if proposal.activities is None
        else tuple(
            replace(a, value=float(getattr(a.range, end)), range=None) if a.range is not None else a
            for a in proposal.activities
        )
    )
    return replace(proposal, values=values, activities=activities, ranges={})


def _credits(proposal: Proposal, criteria: Criteria, rate: float) -> tuple[Credit, ...]:
    """Each ICP activity's credit (ICV): its value in the criteria currency × its type's
    multiplier for its kind, × (1 + the criteria's uplift) where the activity claims it."""
    table = criteria.icp
    multipliers = table.multipliers
    problems: list[Problem] = []
    credits: list[Credit] = []
    for activity in proposal.activities or ():
        found = multipliers.get(activity.type)
        base = table.multiplier(activity.type, activity.kind)
        if found is None:
            problems.append(
                proposal.document.problem(
                    (*activity.path, "type"),
                    NO_MULTIPLIER(
                        type=activity.type,
                        file=criteria.file,
                        hint=suggestion(activity.type, multipliers),
                        types=tuple(multipliers),
                    ),
                )
            )
        elif base is None:  # a multiplier for the other kind only
            written = "type" if activity.kind == DIRECT else "kind"
            problems.append(
                proposal.document.problem(
                    (*activity.path, written),
                    NO_MULTIPLIER_FOR_KIND(
                        kind=activity.kind,
                        type=activity.type,
                        file=criteria.file,
                        kinds=tuple(found) if not isinstance(found, int | float) else (),
                    ),
                )
            )
        else:
            uplift = table.uplift if activity.uplift else 0.0
            credits.append(
                Credit(
                    activity,
                    float(converted(activity.value, rate)),
                    base * (1 + uplift),
                    base,
                    uplift,
                )
            )
    if problems:
        raise InputError(problems)
    return tuple(credits)


def _icp_fields(icp: IcpBreakdown, values: dict[str, Value], notes: dict[str, Note] | None) -> None:
    values[CREDIT_VALUE] = icp.credit_value
    if icp.credit_ratio_pct is not None and icp.acquisition_cost is not None:
        values[CREDIT_RATIO] = icp.credit_ratio_pct
    values[LOCAL_SHARE] = icp.local_share_pct
    if notes is None:
        return
    notes[CREDIT_VALUE] = Note(
        how.CREDIT_VALUE,
        {
            "count": len(icp.credits),
            "local": sum(c.activity.local for c in icp.credits),
            "currency": icp.offer_currency,
            "rate": icp.rate,
        },
    )
    if icp.credit_ratio_pct is not None and icp.acquisition_cost is not None:
        notes[CREDIT_RATIO] = Note(
            how.CREDIT_RATIO, {"credit": icp.credit_value, "acquisition": icp.acquisition_cost}
        )
    notes[LOCAL_SHARE] = Note(
        how.LOCAL_SHARE, {"local": icp.local_credit_value, "credit": icp.credit_value}
    )
