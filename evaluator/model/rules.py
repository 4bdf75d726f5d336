"""Rules: how one value becomes a score from 0 to 100, and why, as facts.

A rule type is one class here, registered in `RULES` by `@register`: it declares its
`type`, its `parameters` (from which the criteria reader checks them and the JSON Schema
describes them), the `field_kinds` it can score, and how to `parse` it, then scores a
value (`points`, on a float or on a numpy array of draws alike: evaluator.model.numeric)
and says why (`reason`: a `Reason`, the case of the rule that applied and the figure it
names). Nothing else lists the rule types: the criteria reader, the scoring engine, the
sampled analyses and the schema all go through the registry and these methods. The words
(a rule described, a reason) are the render layer's, one entry per rule type
(evaluator.render.text.rules).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from evaluator.io.strict_yaml import PathKey
from evaluator.messages import Message, Template
from evaluator.messages.criteria import (
    BEST_IS_WORST,
    JUDGEMENT_WITHOUT_LEVELS,
    LEVELS_MISSING,
    LEVELS_NEEDED,
    NO_LEVELS,
    NO_STEPS,
    RULE_CANNOT_SCORE,
    RULE_NEEDS,
    RULE_NEEDS_DIRECTION,
    STEP_SHAPE,
    STEPS_NEEDED,
    STEPS_NOT_INCREASING,
)
from evaluator.messages.scoring import (
    A_LIST,
    A_LISTED_VALUE,
    A_NUMBER,
    A_NUMBER_NOT_BELOW_0,
    CANNOT_SCORE,
    NOT_IN_THE_LEVELS,
    TRUE_OR_FALSE,
)
from evaluator.messages.values import KIND_RULE_PARAMETER, LEVEL, RULE_PARAMETER
from evaluator.model.checks import Checker, describe
from evaluator.model.fields import BOOL, CHOICE, CHOICES, JUDGEMENT, NUMERIC_KINDS, TEXT, FieldSpec
from evaluator.model.numeric import choose, clamp, divide, greatest, least

if TYPE_CHECKING:
    from collections.abc import Sequence

    from evaluator.model.fields import Value
    from evaluator.model.numeric import Num, Truth


def number_text(value: float) -> str:
    """A number as people write it in a briefing: 1,600,000,000 or 12.5.

    The renderers take it from evaluator.render.text.numbers; it stays down here only
    because an error message of the core (a value a rule cannot score) quotes the value
    with it."""
    if isinstance(value, bool):
        return str(value).lower()
    if float(value).is_integer() and abs(value) < 1e18:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of a rule type, as a criteria file gives it (besides `type`)."""

    name: str
    description: str  # what it means, for the JSON Schema
    # number; direction (min or max); levels ({value: score}); steps ([[threshold, score]])
    kind: str = "number"
    default: float | None = None  # optional, with this value; else required
    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None  # an exclusive minimum


DIRECTION = Parameter("direction", "min: lower is better; max: higher is better", "direction")
# The cases of a `Reason` besides a rule's usual one.
BEYOND_BEST, BEYOND_WORST = "beyond_best", "beyond_worst"  # linear: past an end of the line
NO_STEP = "none"  # steps: no threshold applies (below every one, max; above every one, min)


class RuleReader:
    """What a rule type's `parse` reads a rule with: its checked parameters, by name."""

    def __init__(
        self,
        check: Checker,
        path: PathKey,
        body: dict[str, Any],
        spec: FieldSpec | None,
        rule: type[Rule],
    ) -> None:
        self.check, self.path, self.body, self.spec = check, path, body, spec
        self.kind = rule.type
        self.parameters = {p.name: p for p in rule.parameters}

    def number(self, name: str) -> float | None:
        """A number parameter within its bounds; its default when it has one and is not
        given; None (reported) when it is missing or wrong."""
        parameter = self.parameters[name]
        if name not in self.body:
            if parameter.default is not None:
                return float(parameter.default)
            self.check.report(self.path, RULE_NEEDS(kind=self.kind, name=name))
            return None
        result = self.check.number(
            (*self.path, name),
            self.body[name],
            minimum=parameter.minimum,
            maximum=parameter.maximum,
            above=parameter.above,
        )
        return None if result is None else float(result)

    def direction(self) -> str | None:
        """`direction: min` or `direction: max`; None (reported) when missing or wrong."""
        if "direction" not in self.body:
            self.check.report(self.path, RULE_NEEDS_DIRECTION(kind=self.kind))
            return None
        return self.check.choice((*self.path, "direction"), self.body["direction"], ("min", "max"))

    def report(self, where: PathKey, message: Message) -> None:
        """A problem at the parameter `where` (a path within the rule)."""
        self.check.report((*self.path, *where), message)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why one value scores what it does, as facts: the rule (its type and parameters),
    the case of it that applied ("" for a rule with one case) and the figure that case
    names, if any (the threshold reached, the number of items, the pool's best value)."""

    rule: Rule
    case: str = ""
    figure: float | None = None


class Rule:
    """A rule type: what every one declares and does (each is a frozen dataclass of its
    parameters, registered in `RULES`)."""

    __slots__ = ()
    type: ClassVar[str]
    parameters: ClassVar[tuple[Parameter, ...]] = ()
    field_kinds: ClassVar[frozenset[str]] = NUMERIC_KINDS  # the kinds of field it scores
    # It scores numbers: then it scores an array of drawn numbers the same way.
    numeric: ClassVar[bool] = True
    # Scored against the best value among the proposals compared (its `reference`).
    relative: ClassVar[bool] = False
    # The value itself, unscaled: only for the methods that normalise (not the weighted sum).
    raw: ClassVar[bool] = False
    # Why it cannot score a value, given `field`, the `value` as shown (quoted), the
    # sub-criterion (`leaf`, and `where`: criterion.leaf), the rule's `type` and `needs`:
    # a template of messages.scoring.
    refusal: ClassVar[Template] = CANNOT_SCORE

    @classmethod
    def parse(cls, read: RuleReader) -> Rule | None:
        """The rule from its checked parameters; None when one is wrong (reported)."""
        raise NotImplementedError

    def needs(self, value: Value) -> Message | None:
        """What the rule needs (a phrase of messages.scoring) when it cannot score `value`;
        None when it can."""
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return None if number else A_NUMBER

    def points(self, value: Any, reference: Num | None = None) -> Num:
        """The score of a value (of a number, or of each of an array of drawn numbers);
        `reference` is the best value among the proposals compared (relative rules)."""
        raise NotImplementedError

    def reason(self, value: Any, points: float, reference: float | None = None) -> Reason:
        """Why one value scores `points`: by default the rule itself, with no case."""
        return Reason(self)

    def score(self, value: Any, reference: float | None = None) -> tuple[float, Reason]:
        """Score and reason of one value."""
        points: float = self.points(value, reference)  # type: ignore[assignment]
        return points, self.reason(value, points, reference)

    def reference(self, values: Sequence[Num]) -> Num:
        """The best of the values of the proposals compared (relative rules)."""
        raise NotImplementedError(f"a {self.type} rule is not relative")

    @property
    def favours(self) -> str:
        """Which way a cell of the decision matrix is better: its scores are "max"."""
        return "max"


RULES: dict[str, type[Rule]] = {}  # rule type -> its class, in the order registered
R = TypeVar("R", bound=type[Rule])


def register(rule: R) -> R:
    """Make a rule type known to the criteria reader, the scoring and the schema."""
    if rule.type in RULES:
        raise ValueError(f"a {rule.type} rule type is registered already")
    RULES[rule.type] = rule
    return rule


@register
@dataclass(frozen=True, slots=True)
class Linear(Rule):
    """100 at `best`, 0 at `worst`, a straight line between, clamped."""

    best: float
    worst: float
    type: ClassVar[str] = "linear"
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("best", "the value that scores 100"),
        Parameter("worst", "the value that scores 0 (below best: lower is better)"),
    )

    @classmethod
    def parse(cls, read: RuleReader) -> Linear | None:
        """Best and worst, which must differ."""
        best, worst = read.number("best"), read.number("worst")
        if best is None or worst is None:
            return None
        if best == worst:
            read.report(("worst",), BEST_IS_WORST)
            return None
        return cls(best, worst)

    def _fraction(self, value: Num) -> Num:
        return (value - self.worst) / (self.best - self.worst)

    def points(self, value: Num, reference: Num | None = None) -> Num:
        """100 × the fraction of the way from worst to best, clamped to [0, 1]."""
        return 100.0 * clamp(self._fraction(value), 0.0, 1.0)

    def reason(self, value: float, points: float, reference: float | None = None) -> Reason:
        """The line; case "beyond_best" or "beyond_worst" when the value lies beyond an end."""
        fraction = self._fraction(value)
        if fraction > 1:
            return Reason(self, BEYOND_BEST)
        if fraction < 0:
            return Reason(self, BEYOND_WORST)
        return Reason(self)


@register
@dataclass(frozen=True, slots=True)
class Proportional(Rule):
    """EU 'MEAT' ratio against the best value among the proposals compared."""

    direction: str  # "min" or "max"
    type: ClassVar[str] = "proportional"
    parameters: ClassVar[tuple[Parameter, ...]] = (DIRECTION,)
    relative: ClassVar[bool] = True

    @classmethod
    def parse(cls, read: RuleReader) -> Proportional | None:
        """The direction."""
        way = read.direction()
        return None if way is None else cls(way)

    def needs(self, value: Value) -> Message | None:
        """A number of at least 0 (a ratio of a negative figure means nothing)."""
        wanted = Rule.needs(self, value)
        if wanted is None and value < 0:  # type: ignore[operator]
            return A_NUMBER_NOT_BELOW_0
        return wanted

    def points(self, value: Num, reference: Num | None = None) -> Num:
        """100 × reference / value (min) or value / reference (max), at most 100."""
        best = value if reference is None else reference
        if self.direction == "min":
            ratio = choose(value == best, 1.0, divide(best, value, 1.0))
        else:
            ratio = choose(value == best, 1.0, divide(value, best, 1.0))
        return 100.0 * clamp(ratio, 0.0, 1.0)

    def reason(self, value: float, points: float, reference: float | None = None) -> Reason:
        """The ratio, against the pool's best value (the figure)."""
        return Reason(self, figure=value if reference is None else reference)

    def reference(self, values: Sequence[Num]) -> Num:
        """The lowest value (min) or the highest (max)."""
        return least(values) if self.direction == "min" else greatest(values)


@register
@dataclass(frozen=True, slots=True)
class Levels(Rule):
    """A listed score for each allowed value."""

    levels: tuple[tuple[str, float], ...]
    type: ClassVar[str] = "levels"
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("levels", "the score (0 to 100) of each value the field allows", "levels"),
    )
    field_kinds: ClassVar[frozenset[str]] = frozenset({CHOICE, TEXT, JUDGEMENT})
    numeric: ClassVar[bool] = False
    refusal: ClassVar[Template] = NOT_IN_THE_LEVELS

    @classmethod
    def parse(cls, read: RuleReader) -> Levels | None:
        """A score for each value; for a field with fixed values, for every one of them."""
        return _parse_levels(read.check, read.path, read.body, read.spec)

    def lookup(self, value: str) -> float | None:
        """The listed score, or None when the value is not listed."""
        for level, score in self.levels:
            if level == value:
                return score
        return None

    def needs(self, value: Value) -> Message | None:
        """A listed value."""
        if isinstance(value, str) and self.lookup(value) is not None:
            return None
        return A_LISTED_VALUE

    def points(self, value: str, reference: Num | None = None) -> float:
        """The listed score; the caller has checked the value is listed."""
        score = self.lookup(value)
        assert score is not None
        return score


@register
@dataclass(frozen=True, slots=True)
class Boolean(Rule):
    """One score for true, another for false."""

    when_true: float = 100.0
    when_false: float = 0.0
    type: ClassVar[str] = "boolean"
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("when_true", "the score of true", default=100, minimum=0, maximum=100),
        Parameter("when_false", "the score of false", default=0, minimum=0, maximum=100),
    )
    field_kinds: ClassVar[frozenset[str]] = frozenset({BOOL})
    numeric: ClassVar[bool] = False

    @classmethod
    def parse(cls, read: RuleReader) -> Boolean | None:
        """The two scores."""
        when_true, when_false = read.number("when_true"), read.number("when_false")
        if when_true is None or when_false is None:
            return None
        return cls(when_true, when_false)

    def needs(self, value: Value) -> Message | None:
        """True or false."""
        return None if isinstance(value, bool) else TRUE_OR_FALSE

    def points(self, value: Truth, reference: Num | None = None) -> Num:
        """The score of true or of false."""
        return choose(value, self.when_true, self.when_false)


@register
@dataclass(frozen=True, slots=True)
class Steps(Rule):
    """Thresholds: the highest reached (max) or the lowest not exceeded (min)."""

    steps: tuple[tuple[float, float], ...]  # ascending thresholds
    direction: str
    type: ClassVar[str] = "steps"
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("steps", "[threshold, score] pairs, thresholds increasing", "steps"),
        DIRECTION,
    )

    @classmethod
    def parse(cls, read: RuleReader) -> Steps | None:
        """The direction, then the steps."""
        return _parse_steps(read.check, read.path, read.body, read.direction())

    def _step(self, value: Num) -> tuple[Num, Num]:
        """The threshold that applies (NaN: none) and its score (0 when none does)."""
        threshold: Num = math.nan
        points: Num = 0.0
        if self.direction == "max":  # the highest threshold reached
            for t, s in self.steps:
                reached = value >= t
                threshold, points = choose(reached, t, threshold), choose(reached, s, points)
        else:  # the lowest threshold not exceeded
            for t, s in reversed(self.steps):
                within = value <= t
                threshold, points = choose(within, t, threshold), choose(within, s, points)
        return threshold, points

    def points(self, value: Num, reference: Num | None = None) -> Num:
        """The score of the threshold that applies, 0 when none does."""
        return self._step(value)[1]

    def reason(self, value: float, points: float, reference: float | None = None) -> Reason:
        """The threshold that applies (the figure; max: the highest reached, min: the lowest
        not exceeded); case "none" when no threshold does."""
        threshold = self._step(value)[0]
        if threshold == threshold:  # not NaN
            return Reason(self, figure=threshold)  # type: ignore[arg-type]
        return Reason(self, NO_STEP)


@register
@dataclass(frozen=True, slots=True)
class Count(Rule):
    """`per_item` points for each item of a list, up to `cap`."""

    per_item: float
    cap: float = 100.0
    type: ClassVar[str] = "count"
    parameters: ClassVar[tuple[Parameter, ...]] = (
        Parameter("per_item", "points for each item of the list", above=0),
        Parameter("cap", "the highest score", default=100, above=0, maximum=100),
    )
    field_kinds: ClassVar[frozenset[str]] = frozenset({CHOICES})
    numeric: ClassVar[bool] = False

    @classmethod
    def parse(cls, read: RuleReader) -> Count | None:
        """Points per item and the cap (0 would make every score 0: refused)."""
        per_item, cap = read.number("per_item"), read.number("cap")
        return None if per_item is None or cap is None else cls(per_item, cap)

    def needs(self, value: Value) -> Message | None:
        """A list."""
        return None if isinstance(value, tuple) else A_LIST

    def points(self, value: tuple[str, ...], reference: Num | None = None) -> float:
        """per_item × the number of items, at most the cap."""
        return min(self.cap, self.per_item * len(value))

    def reason(
        self, value: tuple[str, ...], points: float, reference: float | None = None
    ) -> Reason:
        """The number of items (the figure)."""
        return Reason(self, figure=len(value))


@register
@dataclass(frozen=True, slots=True)
class Raw(Rule):
    """The value itself, unscaled: only for methods that normalise."""

    direction: str
    type: ClassVar[str] = "raw"
    parameters: ClassVar[tuple[Parameter, ...]] = (DIRECTION,)
    raw: ClassVar[bool] = True

    @classmethod
    def parse(cls, read: RuleReader) -> Raw | None:
        """The direction."""
        way = read.direction()
        return None if way is None else cls(way)

    def points(self, value: Num, reference: Num | None = None) -> Num:
        """The value itself."""
        return value

    @property
    def favours(self) -> str:
        """Its direction: a raw value may be better low."""
        return self.direction


def parse_rule(check: Checker, path: PathKey, value: Any, spec: FieldSpec | None) -> Rule | None:
    """Read a rule mapping and check it fits the field it scores (`spec`, when known)."""
    body = check.mapping(path, value, None, required=("type",), what=RULE_PARAMETER)
    if body is None or body.get("type") is None:
        return None
    kind = check.choice((*path, "type"), body["type"], RULES)
    if kind is None:
        return None
    rule = RULES[kind]
    check.mapping(
        path,
        body,
        ("type", *(p.name for p in rule.parameters)),
        what=KIND_RULE_PARAMETER(kind=kind),
    )
    if spec is not None and spec.kind == JUDGEMENT and JUDGEMENT not in rule.field_kinds:
        check.report((*path, "type"), JUDGEMENT_WITHOUT_LEVELS(field=spec.name, kind=kind))
        return None
    if spec is not None and spec.kind != "any" and spec.kind not in rule.field_kinds:
        check.report(
            (*path, "type"), RULE_CANNOT_SCORE(kind=kind, field=spec.name, field_kind=spec.kind)
        )
        return None
    return rule.parse(RuleReader(check, path, body, spec, rule))


def _parse_levels(
    check: Checker, path: PathKey, body: dict[str, Any], spec: FieldSpec | None
) -> Levels | None:
    if "levels" not in body:
        check.report(path, LEVELS_NEEDED)
        return None
    levels = check.mapping(
        (*path, "levels"),
        body["levels"],
        spec.choices if spec and spec.choices else None,
        what=LEVEL,
    )
    if levels is None:
        return None
    if not levels:
        check.report((*path, "levels"), NO_LEVELS)
        return None
    pairs = []
    for name, score in levels.items():
        checked = check.number((*path, "levels", name), score, minimum=0, maximum=100)
        if checked is not None:
            pairs.append((name, float(checked)))
    if spec and spec.choices:
        absent = [c for c in spec.choices if c not in levels]
        if absent:
            check.report((*path, "levels"), LEVELS_MISSING(field=spec.name, values=tuple(absent)))
    return Levels(tuple(pairs))


def _parse_steps(
    check: Checker, path: PathKey, body: dict[str, Any], way: str | None
) -> Steps | None:
    if "steps" not in body:
        check.report(path, STEPS_NEEDED)
        return None
    items = check.listing((*path, "steps"), body["steps"])
    if items is None or way is None:
        return None
    steps: list[tuple[float, float]] = []
    for i, item in enumerate(items):
        where = (*path, "steps", i)
        if not isinstance(item, list) or len(item) != 2:
            check.report(where, STEP_SHAPE(value=describe(item)))
            continue
        threshold = check.number((*where, 0), item[0])
        score = check.number((*where, 1), item[1], minimum=0, maximum=100)
        if threshold is None or score is None:
            continue
        if steps and threshold <= steps[-1][0]:
            check.report((*where, 0), STEPS_NOT_INCREASING)
        steps.append((float(threshold), float(score)))
    if not steps:
        check.report((*path, "steps"), NO_STEPS)
        return None
    return Steps(tuple(steps), way)
