"""A gate in words: the requirement ('technology_transfer.local_content_pct ≥ 30'; 'a or b'
for `any_of`; ', when c' for `when`) and the value that decided it ('29.96%',
'pricing.currency is missing', which alternative passed, 'not applicable: ...')."""

from __future__ import annotations

import functools
from typing import Any

from evaluator.model.criteria import Condition, Gate
from evaluator.render.text.evidence import estimate
from evaluator.render.text.numbers import show_value
from evaluator.scoring.results import GateResult

# The sign of each test of a value against one operand.
SIGNS = {"equals": "=", "min": "≥", "max": "≤", "above": ">", "below": "<"}
# The words of each test of a value against a list.
LISTS = {"in": "one of", "not_in": "none of"}


# Which alternative of an `any_of` passed.
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


@functools.lru_cache(maxsize=256)
def requirement(gate: Gate) -> str:
    """The requirement in words: 'g2g.integrity_pact = true', 'x one of a, b', 'a or b',
    'x = true, when y = z'."""
    text = " or ".join(condition_text(c) for c in gate.alternatives)
    return text if gate.when is None else f"{text}, when {condition_text(gate.when)}"


def condition_text(condition: Condition) -> str:
    """One test in words: 'g2g.integrity_pact = true', 'x one of a, b'."""
    if condition.test in LISTS:
        return f"{condition.field} {LISTS[condition.test]} " + ", ".join(
            map(str, condition.operand)
        )
    return f"{condition.field} {SIGNS[condition.test]} {_plain(condition.operand)}"


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return f"{value:g}" if isinstance(value, float) else str(value)


def detail(result: GateResult) -> str:
    """The value that decided the gate, as people read it, or that it is missing; with
    `any_of`, which alternative passed (or each one's value); with `when`, that it does
    not apply."""
    gate = result.gate
    if not result.applies and gate.when is not None:
        return f"not applicable: {_named(gate.when, result.condition)}"
    if not gate.any_of:
        if result.value is None:
            return f"{gate.field} is missing"
        return _shown(gate.alternatives[0], result.value) + estimate(result.range, result.uncertain)
    count = len(gate.any_of)
    if result.passed_by is None:
        each = "; ".join(_named(c, v) for c, v in zip(gate.any_of, result.values, strict=True))
        return f"none of {count} alternatives passes: {each}"
    chosen = gate.any_of[result.passed_by]
    which = (
        ORDINALS[result.passed_by]
        if result.passed_by < len(ORDINALS)
        else f"number {result.passed_by + 1}"
    )
    return (
        f"{_named(chosen, result.value)}{estimate(result.range, result.uncertain)} "
        f"(the {which} of {count} alternatives passes)"
    )


def _shown(condition: Condition, value: Any) -> str:
    # A rounded figure must not read as the bound it misses (29.96 is not "30.0%").
    bound = condition.operand if isinstance(condition.operand, int | float) else None
    return show_value(value, condition.field, bound)


def _named(condition: Condition, value: Any) -> str:
    """A field and its value ('g2g.sovereign_guarantee true'), or that it is missing."""
    if value is None:
        return f"{condition.field} is missing"
    return f"{condition.field} {_shown(condition, value)}"
