"""Each rule type in words: the rule described (`evaluator criteria`, the JSON's
`rule_text`) and the reason a value scores what it does (a sub-criterion's evidence).

One entry per rule type in each table, keyed by its `type`; a rule type added to
evaluator.model.rules adds its words here (a test checks that every registered one has
them). A `Reason` is the rule with its parameters, the case of it that applied and the
figure that case names.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from evaluator.model.rules import BEYOND_BEST, BEYOND_WORST, NO_STEP, Reason, Rule
from evaluator.render.text.numbers import number_text


def _better(direction: str) -> str:
    return "lower" if direction == "min" else "higher"


def _steps(rule: Any) -> str:
    word = "at least" if rule.direction == "max" else "at most"
    return "steps: " + ", ".join(
        f"{word} {number_text(t)} → {number_text(s)}" for t, s in rule.steps
    )


# The rule in a few words, by rule type.
DESCRIPTIONS: dict[str, Callable[[Any], str]] = {
    "linear": lambda rule: (
        f"linear: 100 at {number_text(rule.best)}, 0 at {number_text(rule.worst)}"
    ),
    "proportional": lambda rule: (
        f"proportional to the "
        f"{'lowest' if rule.direction == 'min' else 'highest'} "
        "value among the proposals compared"
    ),
    "levels": lambda rule: "levels: " + ", ".join(f"{k} {number_text(v)}" for k, v in rule.levels),
    "boolean": lambda rule: (
        f"boolean: true {number_text(rule.when_true)}, false {number_text(rule.when_false)}"
    ),
    "steps": _steps,
    "count": lambda rule: (
        f"count: {number_text(rule.per_item)} per item, cap {number_text(rule.cap)}"
    ),
    "raw": lambda rule: f"raw value ({_better(rule.direction)} is better)",
}


def _linear(reason: Reason) -> str:
    rule: Any = reason.rule
    way = "lower" if rule.best < rule.worst else "higher"
    text = (
        f"linear: 100 at {number_text(rule.best)}, 0 at {number_text(rule.worst)}, {way} is better"
    )
    if reason.case == BEYOND_BEST:
        return text + "; at or beyond best"
    if reason.case == BEYOND_WORST:
        return text + "; at or beyond worst"
    return text


def _proportional(reason: Reason) -> str:
    rule: Any = reason.rule
    best = number_text(_figure(reason))
    formula = (
        f"100 × lowest ({best}) / this"
        if rule.direction == "min"
        else f"100 × this / highest ({best})"
    )
    return f"proportional: {formula}; relative to the proposals compared"


def _step(reason: Reason) -> str:
    rule: Any = reason.rule
    reached = rule.direction == "max"
    if reason.case == NO_STEP:
        return "steps: below every threshold" if reached else "steps: above every threshold"
    threshold = number_text(_figure(reason))
    return f"steps: reaches {threshold}" if reached else f"steps: does not exceed {threshold}"


def _count(reason: Reason) -> str:
    rule: Any = reason.rule
    return (
        f"count: {int(_figure(reason))} × {number_text(rule.per_item)}, cap {number_text(rule.cap)}"
    )


def _figure(reason: Reason) -> float:
    assert reason.figure is not None  # the rule's reason names one in this case
    return reason.figure


# Why a value scores what it does, by rule type (each given the `Reason`).
REASONS: dict[str, Callable[[Reason], str]] = {
    "linear": _linear,
    "proportional": _proportional,
    "levels": lambda reason: "levels",
    "boolean": lambda reason: _described(reason.rule),
    "steps": _step,
    "count": _count,
    "raw": lambda reason: _described(reason.rule),
}


def _described(rule: Rule) -> str:
    return DESCRIPTIONS[rule.type](rule)


@functools.lru_cache(maxsize=1024)
def describe(rule: Rule) -> str:
    """The rule in a few words: 'linear: 100 at 36, 0 at 72'."""
    return _described(rule)


# The same words for every proposal a reason holds for (the line of a linear rule, the
# pool's best value): made once, not once per score.
@functools.lru_cache(maxsize=4096)
def reason_text(reason: Reason) -> str:
    """Why a value scores what it does: 'linear: 100 at 36, 0 at 72, lower is better'."""
    return REASONS[reason.rule.type](reason)
