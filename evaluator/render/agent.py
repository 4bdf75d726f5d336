"""The agent (intermediary) an offer declares, in words and as the JSON's facts."""

from __future__ import annotations

from typing import Any

from evaluator.render.i18n import gettext as _
from evaluator.render.text.numbers import number_text
from evaluator.scoring.results import Agent


def agent_sentence(agent: Agent) -> str:
    """One sentence: who the agent is, its registration and its fee (each said when missing)."""
    who = agent.name if agent.name is not None else _("name not given")
    registration = (
        _("registration {registration}").format(registration=agent.registration)
        if agent.registration is not None
        else _("no registration given")
    )
    fees = []
    if agent.fee_pct is not None:
        fees.append(_("{pct:g}% of the contract value").format(pct=agent.fee_pct))
    if agent.fee is not None:
        amount = f"{number_text(agent.fee)} {agent.currency}"
        if agent.offer_currency not in (None, agent.currency) and agent.offer_fee is not None:
            amount += f" ({number_text(agent.offer_fee)} {agent.offer_currency})"
        fees.append(amount)
    fee = _("fee {fees}").format(fees=_(" and ").join(fees)) if fees else _("no fee given")
    said = agent.intermediaries or _("intermediaries not stated")
    return _("Agent ({said}): {who}, {registration}; {fee}.").format(
        said=said, who=who, registration=registration, fee=fee
    )


def agent_data(agent: Agent | None) -> dict[str, Any] | None:
    """The JSON's `agent` object (None when the offer declares no agent)."""
    if agent is None:
        return None
    return {
        "intermediaries": agent.intermediaries,
        "name": agent.name,
        "registration": agent.registration,
        "fee_pct": agent.fee_pct,
        "fee": agent.fee,
        "currency": agent.currency,
        "offer_fee": agent.offer_fee,
        "offer_currency": agent.offer_currency,
    }
