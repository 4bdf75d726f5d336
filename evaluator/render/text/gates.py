"""A gate in words: the requirement ('technology_transfer.local_content_pct ≥ 30') and the
value that decided it ('29.96%', 'pricing.currency is missing')."""

from __future__ import annotations

import functools
from typing import Any

from evaluator.model.criteria import Gate
from evaluator.render.text.evidence import estimate
from evaluator.render.text.numbers import show_value
from evaluator.scoring.results import GateResult

# The sign of each test of a value against one operand.
SIGNS = {"equals": "=", "min": "≥", "max": "≤", "above": ">", "below": "<"}
# The words of each test of a value against a list.
LISTS = {"in": "one of", "not_in": "none of"}


@functools.lru_cache(maxsize=256)
def requirement(gate: Gate) -> str:
    """The requirement in words: 'g2g.integrity_pact = true', 'x one of a, b'."""
    if gate.test in LISTS:
        return f"{gate.field} {LISTS[gate.test]} " + ", ".join(map(str, gate.operand))
    return f"{gate.field} {SIGNS[gate.test]} {_plain(gate.operand)}"


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return f"{value:g}" if isinstance(value, float) else str(value)


def detail(result: GateResult) -> str:
    """The value that decided the gate, as people read it, or that it is missing."""
    gate = result.gate
    if result.value is None:
        return f"{gate.field} is missing"
    # A rounded figure must not read as the bound it misses (29.96 is not "30.0%").
    bound = gate.operand if isinstance(gate.operand, int | float) else None
    return show_value(result.value, gate.field, bound) + estimate(result.range, result.uncertain)
