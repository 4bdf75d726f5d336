"""A gate in words: the requirement ('technology_transfer.local_content_pct ≥ 30'; 'a or b'
for `any_of`; ', when c' for `when`) and the value that decided it ('29.96%',
'pricing.currency is missing', which alternative passed, 'not applicable: ...')."""

from __future__ import annotations

import functools
from typing import Any

from evaluator.model.criteria import Condition, Gate
from evaluator.render.i18n import N_, language
from evaluator.render.i18n import gettext as _
from evaluator.render.text.evidence import estimate
from evaluator.render.text.numbers import show_value
from evaluator.scoring.results import GateResult

# The sign of each test of a value against one operand.
SIGNS = {"equals": "=", "min": "≥", "max": "≤", "above": ">", "below": "<"}
# The words of each test of a value against a list.
LISTS = {"in": N_("one of"), "not_in": N_("none of")}


# Which alternative of an `any_of` passed.
ORDINALS = (
    N_("first"),
    N_("second"),
    N_("third"),
    N_("fourth"),
    N_("fifth"),
    N_("sixth"),
    N_("seventh"),
    N_("eighth"),
)


def requirement(gate: Gate) -> str:
    """The requirement in words: 'g2g.integrity_pact = true', 'x one of a, b', 'a or b',
    'x = true, when y = z'."""
    return _requirement(gate, language())


@functools.lru_cache(maxsize=256)
def _requirement(gate: Gate, lang: str) -> str:
    text = _(" or ").join(condition_text(c) for c in gate.alternatives)
    if gate.when is None:
        return text
    return _("{requirement}, when {condition}").format(
        requirement=text, condition=condition_text(gate.when)
    )


def condition_text(condition: Condition) -> str:
    """One test in words: 'g2g.integrity_pact = true', 'x one of a, b'."""
    if condition.test in LISTS:
        return f"{condition.field} {_(LISTS[condition.test])} " + ", ".join(
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
        return _("not applicable: {condition}").format(
            condition=_named(gate.when, result.condition)
        )
    if not gate.any_of:
        if result.value is None:
            return _("{field} is missing").format(field=gate.field)
        return _shown(gate.alternatives[0], result.value) + estimate(result.range, result.uncertain)
    count = len(gate.any_of)
    if result.passed_by is None:
        each = "; ".join(_named(c, v) for c, v in zip(gate.any_of, result.values, strict=True))
        return _("none of {count} alternatives passes: {each}").format(count=count, each=each)
    chosen = gate.any_of[result.passed_by]
    which = (
        _(ORDINALS[result.passed_by])
        if result.passed_by < len(ORDINALS)
        else _("number {n}").format(n=result.passed_by + 1)
    )
    return _("{condition}{estimate} (the {which} of {count} alternatives passes)").format(
        condition=_named(chosen, result.value),
        estimate=estimate(result.range, result.uncertain),
        which=which,
        count=count,
    )


def _shown(condition: Condition, value: Any) -> str:
    # A rounded figure must not read as the bound it misses (29.96 is not "30.0%").
    bound = condition.operand if isinstance(condition.operand, int | float) else None
    return show_value(value, condition.field, bound)


def _named(condition: Condition, value: Any) -> str:
    """A field and its value ('g2g.sovereign_guarantee true'), or that it is missing."""
    if value is None:
        return _("{field} is missing").format(field=condition.field)
    return f"{condition.field} {_shown(condition, value)}"
