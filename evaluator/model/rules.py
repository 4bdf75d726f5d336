"""Rules: how one value becomes a score from 0 to 100, each with the reason in words."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, ClassVar

from evaluator.io.strict_yaml import PathKey
from evaluator.model.checks import Checker, describe
from evaluator.model.fields import BOOL, CHOICE, CHOICES, JUDGEMENT, NUMERIC_KINDS, TEXT, FieldSpec


def number_text(value: float) -> str:
    """A number as people write it in a briefing: 1,600,000,000 or 12.5."""
    if isinstance(value, bool):
        return str(value).lower()
    if float(value).is_integer() and abs(value) < 1e18:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def percent_text(value: float, avoid: float | None = None) -> str:
    """A computed percentage as people read it: 19.2% (not 19.2308), 8% when whole; with
    more decimals where one would read as `avoid` (a threshold) that the value is not."""
    if float(value).is_integer():
        return f"{number_text(value)}%"
    for places in (1, 2, 3, 4):
        text = f"{value:,.{places}f}"
        if avoid is None or float(text.replace(",", "")) != avoid:
            break
    return f"{text}%"


@functools.lru_cache(maxsize=256)
def _linear_reason(best: float, worst: float) -> str:
    # The same words for every proposal: made once per rule, not once per score.
    way = "lower" if best < worst else "higher"
    return f"linear: 100 at {number_text(best)}, 0 at {number_text(worst)}, {way} is better"


@functools.lru_cache(maxsize=256)
def _described(rule: Boolean) -> str:
    return rule.describe()


@dataclass(frozen=True, slots=True)
class Linear:
    """100 at `best`, 0 at `worst`, a straight line between, clamped."""

    best: float
    worst: float
    type: ClassVar[str] = "linear"

    def score(self, value: float) -> tuple[float, str]:
        """Score and reason for a numeric value."""
        fraction = (value - self.worst) / (self.best - self.worst)
        score = 100.0 * min(1.0, max(0.0, fraction))
        reason = _linear_reason(self.best, self.worst)
        if fraction > 1:
            reason += "; at or beyond best"
        elif fraction < 0:
            reason += "; at or beyond worst"
        return score, reason

    def describe(self) -> str:
        """The rule in a few words."""
        return f"linear: 100 at {number_text(self.best)}, 0 at {number_text(self.worst)}"


@dataclass(frozen=True, slots=True)
class Proportional:
    """EU 'MEAT' ratio against the best value among the proposals compared."""

    direction: str  # "min" or "max"
    type: ClassVar[str] = "proportional"

    def score(self, value: float, reference: float) -> tuple[float, str]:
        """Score against the pool's best (`reference`: its lowest or highest value)."""
        if self.direction == "min":
            ratio = 1.0 if value == reference else (reference / value if value else 1.0)
            formula = f"100 × lowest ({number_text(reference)}) / this"
        else:
            ratio = 1.0 if value == reference else (value / reference if reference else 1.0)
            formula = f"100 × this / highest ({number_text(reference)})"
        score = 100.0 * min(1.0, max(0.0, ratio))
        return score, f"proportional: {formula}; relative to the proposals compared"

    def describe(self) -> str:
        """The rule in a few words."""
        best = "lowest" if self.direction == "min" else "highest"
        return f"proportional to the {best} value among the proposals compared"


@dataclass(frozen=True, slots=True)
class Levels:
    """A listed score for each allowed value."""

    levels: tuple[tuple[str, float], ...]
    type: ClassVar[str] = "levels"

    def lookup(self, value: str) -> float | None:
        """The listed score, or None when the value is not listed."""
        for level, score in self.levels:
            if level == value:
                return score
        return None

    def score(self, value: str) -> tuple[float, str]:
        """Score and reason; the caller has checked the value is listed."""
        score = self.lookup(value)
        assert score is not None
        return score, "levels"

    def describe(self) -> str:
        """The rule in a few words."""
        return "levels: " + ", ".join(f"{k} {number_text(v)}" for k, v in self.levels)


@dataclass(frozen=True, slots=True)
class Boolean:
    """One score for true, another for false."""

    when_true: float = 100.0
    when_false: float = 0.0
    type: ClassVar[str] = "boolean"

    def score(self, value: bool) -> tuple[float, str]:
        """Score and reason."""
        score = self.when_true if value else self.when_false
        return score, _described(self)

    def describe(self) -> str:
        """The rule in a few words."""
        return f"boolean: true {number_text(self.when_true)}, false {number_text(self.when_false)}"


@dataclass(frozen=True, slots=True)
class Steps:
    """Thresholds: the highest reached (max) or the lowest not exceeded (min)."""

    steps: tuple[tuple[float, float], ...]  # ascending thresholds
    direction: str
    type: ClassVar[str] = "steps"

    def score(self, value: float) -> tuple[float, str]:
        """Score and reason."""
        if self.direction == "max":
            reached = [(t, s) for t, s in self.steps if value >= t]
            if reached:
                t, s = reached[-1]
                return s, f"steps: reaches {number_text(t)}"
            return 0.0, "steps: below every threshold"
        within = [(t, s) for t, s in self.steps if value <= t]
        if within:
            t, s = within[0]
            return s, f"steps: does not exceed {number_text(t)}"
        return 0.0, "steps: above every threshold"

    def describe(self) -> str:
        """The rule in a few words."""
        word = "at least" if self.direction == "max" else "at most"
        return "steps: " + ", ".join(f"{word} {number_text(t)} → {number_text(s)}"
                                     for t, s in self.steps)


@dataclass(frozen=True, slots=True)
class Count:
    """`per_item` points for each item of a list, up to `cap`."""

    per_item: float
    cap: float = 100.0
    type: ClassVar[str] = "count"

    def score(self, value: tuple[str, ...]) -> tuple[float, str]:
        """Score and reason."""
        n = len(value)
        score = min(self.cap, self.per_item * n)
        return score, (f"count: {n} × {number_text(self.per_item)}, "
                       f"cap {number_text(self.cap)}")

    def describe(self) -> str:
        """The rule in a few words."""
        return f"count: {number_text(self.per_item)} per item, cap {number_text(self.cap)}"


@dataclass(frozen=True, slots=True)
class Raw:
    """The value itself, unscaled: only for methods that normalise."""

    direction: str
    type: ClassVar[str] = "raw"

    def describe(self) -> str:
        """The rule in a few words."""
        return f"raw value ({'lower' if self.direction == 'min' else 'higher'} is better)"


Rule = Linear | Proportional | Levels | Boolean | Steps | Count | Raw
RULE_TYPES: dict[str, tuple[str, ...]] = {
    # rule type -> the parameters it takes (besides `type`)
    "linear": ("best", "worst"),
    "proportional": ("direction",),
    "levels": ("levels",),
    "boolean": ("when_true", "when_false"),
    "steps": ("steps", "direction"),
    "count": ("per_item", "cap"),
    "raw": ("direction",),
}
_FIELD_KINDS_FOR_RULE: dict[str, frozenset[str]] = {
    "linear": NUMERIC_KINDS, "proportional": NUMERIC_KINDS, "steps": NUMERIC_KINDS,
    "raw": NUMERIC_KINDS, "levels": frozenset({CHOICE, TEXT, JUDGEMENT}),
    "boolean": frozenset({BOOL}),
    "count": frozenset({CHOICES}),
}


def parse_rule(check: Checker, path: PathKey, value: Any, spec: FieldSpec | None) -> Rule | None:
    """Read a rule mapping and check it fits the field it scores (`spec`, when known)."""
    body = check.mapping(path, value, None, required=("type",), what="rule parameter")
    if body is None or body.get("type") is None:
        return None
    kind = check.choice((*path, "type"), body["type"], RULE_TYPES)
    if kind is None:
        return None
    check.mapping(path, body, ("type", *RULE_TYPES[kind]), what=f"{kind} rule parameter")
    if spec is not None and spec.kind == JUDGEMENT and kind != "levels":
        check.report((*path, "type"), f"`{spec.name}` is a panel judgement: score it with a "
                                      f"levels rule (a score for each rating), not {kind}")
        return None
    if spec is not None and spec.kind != "any" and spec.kind not in _FIELD_KINDS_FOR_RULE[kind]:
        check.report((*path, "type"), f"a {kind} rule cannot score `{spec.name}` "
                                      f"({spec.kind} field)")
        return None

    def num(name: str, minimum: float | None = None, maximum: float | None = None,
            above: float | None = None) -> float | None:
        if name not in body:
            check.report(path, f"the {kind} rule needs `{name}`")
            return None
        result = check.number((*path, name), body[name], minimum=minimum, maximum=maximum,
                              above=above)
        return None if result is None else float(result)

    def direction() -> str | None:
        if "direction" not in body:
            check.report(path, f"the {kind} rule needs `direction: min` or `direction: max`")
            return None
        return check.choice((*path, "direction"), body["direction"], ("min", "max"))

    if kind == "linear":
        best, worst = num("best"), num("worst")
        if best is None or worst is None:
            return None
        if best == worst:
            check.report((*path, "worst"), "`best` and `worst` must differ")
            return None
        return Linear(best, worst)
    if kind == "proportional":
        way = direction()
        return None if way is None else Proportional(way)
    if kind == "raw":
        way = direction()
        return None if way is None else Raw(way)
    if kind == "boolean":
        when_true = num("when_true", minimum=0, maximum=100) if "when_true" in body else 100.0
        when_false = num("when_false", minimum=0, maximum=100) if "when_false" in body else 0.0
        if when_true is None or when_false is None:
            return None
        return Boolean(when_true, when_false)
    if kind == "count":
        per_item = num("per_item", above=0)
        cap = num("cap", above=0, maximum=100) if "cap" in body else 100.0  # 0: all score 0
        return None if per_item is None or cap is None else Count(per_item, cap)
    if kind == "levels":
        return _parse_levels(check, path, body, spec)
    return _parse_steps(check, path, body, direction())


def _parse_levels(check: Checker, path: PathKey, body: dict[str, Any],
                  spec: FieldSpec | None) -> Levels | None:
    if "levels" not in body:
        check.report(path, "the levels rule needs `levels: {value: score, ...}`")
        return None
    levels = check.mapping((*path, "levels"), body["levels"],
                           spec.choices if spec and spec.choices else None, what="level")
    if levels is None:
        return None
    if not levels:
        check.report((*path, "levels"), "list at least one level")
        return None
    pairs = []
    for name, score in levels.items():
        checked = check.number((*path, "levels", name), score, minimum=0, maximum=100)
        if checked is not None:
            pairs.append((name, float(checked)))
    if spec and spec.choices:
        absent = [c for c in spec.choices if c not in levels]
        if absent:
            check.report((*path, "levels"), f"`{spec.name}` may also be "
                         + ", ".join(absent) + ": give each a score")
    return Levels(tuple(pairs))


def _parse_steps(check: Checker, path: PathKey, body: dict[str, Any],
                 way: str | None) -> Steps | None:
    if "steps" not in body:
        check.report(path, "the steps rule needs `steps: [[threshold, score], ...]`")
        return None
    items = check.listing((*path, "steps"), body["steps"])
    if items is None or way is None:
        return None
    steps: list[tuple[float, float]] = []
    for i, item in enumerate(items):
        where = (*path, "steps", i)
        if not isinstance(item, list) or len(item) != 2:
            check.report(where, f"each step is [threshold, score], got {describe(item)}")
            continue
        threshold = check.number((*where, 0), item[0])
        score = check.number((*where, 1), item[1], minimum=0, maximum=100)
        if threshold is None or score is None:
            continue
        if steps and threshold <= steps[-1][0]:
            check.report((*where, 0), "thresholds must be listed in increasing order")
        steps.append((float(threshold), float(score)))
    if not steps:
        check.report((*path, "steps"), "list at least one [threshold, score]")
        return None
    return Steps(tuple(steps), way)
