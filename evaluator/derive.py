"""Derived fields: money in the criteria currency, acquisition and lifecycle cost."""

from __future__ import annotations

from dataclasses import dataclass

from evaluator.errors import InputError
from evaluator.fields import MONEY_FIELDS
from evaluator.model import Criteria, Proposal, Value
from evaluator.rules import number_text


@dataclass(frozen=True, slots=True)
class Derivation:
    """The values rules see (converted and derived), with how each derived one was made."""

    values: dict[str, Value]
    notes: dict[str, str]  # field -> how it was derived or converted


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
    return Derivation(values, notes)
