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
from evaluator.render.i18n import gettext as _
from evaluator.render.i18n import language
from evaluator.render.text.numbers import number_text

# A rule's `type` stays as the criteria file writes it (linear, levels, ...): a word of the
# file's vocabulary, like a field's name.


def _steps(rule: Any) -> str:
    step = (
        _("at least {threshold} → {score}")
        if rule.direction == "max"
        else _("at most {threshold} → {score}")
    )
    return _("steps: {steps}").format(
        steps=", ".join(
            step.format(threshold=number_text(t), score=number_text(s)) for t, s in rule.steps
        )
    )


def _proportional_rule(rule: Any) -> str:
    if rule.direction == "min":
        return _("proportional to the lowest value among the proposals compared")
    return _("proportional to the highest value among the proposals compared")


# The rule in a few words, by rule type.
DESCRIPTIONS: dict[str, Callable[[Any], str]] = {
    "linear": lambda rule: _("linear: 100 at {best}, 0 at {worst}").format(
        best=number_text(rule.best), worst=number_text(rule.worst)
    ),
    "proportional": _proportional_rule,
    "levels": lambda rule: _("levels: {levels}").format(
        levels=", ".join(f"{k} {number_text(v)}" for k, v in rule.levels)
    ),
    "boolean": lambda rule: _("boolean: true {when_true}, false {when_false}").format(
        when_true=number_text(rule.when_true), when_false=number_text(rule.when_false)
    ),
    "steps": _steps,
    "count": lambda rule: _("count: {per_item} per item, cap {cap}").format(
        per_item=number_text(rule.per_item), cap=number_text(rule.cap)
    ),
    "raw": lambda rule: (
        _("raw value (lower is better)")
        if rule.direction == "min"
        else _("raw value (higher is better)")
    ),
}


def _linear(reason: Reason) -> str:
    rule: Any = reason.rule
    if rule.best < rule.worst:
        text = _("linear: 100 at {best}, 0 at {worst}, lower is better")
    else:
        text = _("linear: 100 at {best}, 0 at {worst}, higher is better")
    text = text.format(best=number_text(rule.best), worst=number_text(rule.worst))
    if reason.case == BEYOND_BEST:
        return text + _("; at or beyond best")
    if reason.case == BEYOND_WORST:
        return text + _("; at or beyond worst")
    return text


def _proportional(reason: Reason) -> str:
    rule: Any = reason.rule
    best = number_text(_figure(reason))
    if rule.direction == "min":
        text = _("proportional: 100 × lowest ({best}) / this; relative to the proposals compared")
    else:
        text = _("proportional: 100 × this / highest ({best}); relative to the proposals compared")
    return text.format(best=best)


def _step(reason: Reason) -> str:
    rule: Any = reason.rule
    reached = rule.direction == "max"
    if reason.case == NO_STEP:
        return _("steps: below every threshold") if reached else _("steps: above every threshold")
    threshold = number_text(_figure(reason))
    text = _("steps: reaches {threshold}") if reached else _("steps: does not exceed {threshold}")
    return text.format(threshold=threshold)


def _count(reason: Reason) -> str:
    rule: Any = reason.rule
    return _("count: {count} × {per_item}, cap {cap}").format(
        count=int(_figure(reason)), per_item=number_text(rule.per_item), cap=number_text(rule.cap)
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


def describe(rule: Rule) -> str:
    """The rule in a few words: 'linear: 100 at 36, 0 at 72'."""
    return _describe(rule, language())


@functools.lru_cache(maxsize=1024)
def _describe(rule: Rule, lang: str) -> str:
    return _described(rule)


def reason_text(reason: Reason) -> str:
    """Why a value scores what it does: 'linear: 100 at 36, 0 at 72, lower is better'."""
    return _reason_text(reason, language())


# The same words for every proposal a reason holds for (the line of a linear rule, the
# pool's best value): made once per language, not once per score.
@functools.lru_cache(maxsize=4096)
def _reason_text(reason: Reason, lang: str) -> str:
    return REASONS[reason.rule.type](reason)
