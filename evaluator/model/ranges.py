"""Uncertain figures: a number given as a range of estimates, `{low, high, likely}`.

An offer's figures are often estimates (a letter of offer says so of its prices and
dates). Any number in a proposal may be written as a range; `likely` is optional.
Everything that scores uses the range's *point estimate*: `likely`, or the midpoint
when there is none. The range itself is kept, for the explanation (worded by
evaluator.render.text.evidence) and for
`evaluator sensitivity --values`, which draws the figure from it (triangular when
`likely` is given, uniform otherwise; evaluator.analysis.uncertainty).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from evaluator.io.strict_yaml import PathKey
from evaluator.messages.proposal import (
    HIGH_BELOW_LOW,
    LIKELY_OUTSIDE_RANGE,
    RANGE_WITHOUT_BOUND,
    RANGE_WITHOUT_BOUNDS,
    UNKNOWN_RANGE_KEY,
    WHAT_A_RANGE_TAKES,
)
from evaluator.model.checks import Checker, plain_number, shorten, suggestion
from evaluator.model.fields import RANGE_KEYS

Number = int | float
LIKELY, MIDPOINT = "likely", "midpoint"


@dataclass(frozen=True, slots=True)
class Range:
    """A figure known only within bounds: lowest and highest plausible, and the most likely."""

    low: Number
    high: Number
    likely: Number | None = None

    @property
    def point(self) -> Number:
        """The point estimate that scoring uses: `likely`, or the midpoint without one."""
        if self.likely is not None:
            return self.likely
        middle = (self.low + self.high) / 2
        # Whole bounds with a whole midpoint stay whole, as the user would write it.
        if isinstance(self.low, int) and isinstance(self.high, int) and middle.is_integer():
            return int(middle)
        return middle

    @property
    def basis(self) -> str:
        """Where the point estimate comes from: "likely" or "midpoint"."""
        return LIKELY if self.likely is not None else MIDPOINT

    @property
    def distribution(self) -> str:
        """How `sensitivity --values` draws it: triangular with a likely value, else uniform."""
        return "triangular" if self.likely is not None else "uniform"

    def scaled(self, factor: float) -> Range:
        """The same range in other units (a money range converted at an exchange rate)."""
        if factor == 1.0:
            return self
        likely = None if self.likely is None else self.likely * factor
        return Range(self.low * factor, self.high * factor, likely)


@dataclass(frozen=True, slots=True)
class Uncertain:
    """A derived figure (a cost, an ICP credit) computed from ranged inputs."""

    inputs: tuple[str, ...]  # the ranged figures it depends on, as dotted paths
    # The figure with every input at its low and at its high end: set only for figures
    # that rise with each of their inputs (costs, credits), for which these are its bounds.
    low: float | None = None
    high: float | None = None


def is_range(raw: Any) -> bool:
    """Whether a raw value is meant as a range: a mapping with at least one range key."""
    return isinstance(raw, Mapping) and any(key in raw for key in RANGE_KEYS)


def read_number(
    check: Checker,
    path: PathKey,
    raw: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
    whole: bool = False,
) -> Number | Range | None:
    """A number, or a mapping `{low, high, likely}` read as a range of such numbers."""
    if isinstance(raw, dict):
        return read_range(
            check, path, raw, minimum=minimum, maximum=maximum, above=above, whole=whole
        )
    return check.number(path, raw, minimum=minimum, maximum=maximum, above=above, whole=whole)


def read_range(
    check: Checker,
    path: PathKey,
    raw: dict[str, Any],
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
    whole: bool = False,
) -> Range | None:
    """A range: `low` ≤ `likely` ≤ `high`, each within the field's own bounds (`above`: an
    exclusive minimum)."""
    before = len(check.problems)
    for key in raw:
        if key not in RANGE_KEYS:
            hint = suggestion(key, RANGE_KEYS) or WHAT_A_RANGE_TAKES
            check.report((*path, key), UNKNOWN_RANGE_KEY(key=shorten(key), hint=hint), key=True)
    absent = [key for key in ("low", "high") if raw.get(key) is None]  # null: left out
    # A misspelt key already says what a range takes; a missing one is news only without.
    if absent and len(check.problems) == before:
        check.report(
            path, RANGE_WITHOUT_BOUNDS if len(absent) == 2 else RANGE_WITHOUT_BOUND(key=absent[0])
        )
    numbers: dict[str, Number] = {}
    for key in RANGE_KEYS:
        if raw.get(key) is None:
            continue
        number = check.number(
            (*path, key), raw[key], minimum=minimum, maximum=maximum, above=above, whole=whole
        )
        if number is not None:
            numbers[key] = number
    if len(check.problems) > before:
        return None
    low, high, likely = numbers["low"], numbers["high"], numbers.get("likely")
    if low > high:
        check.report(
            (*path, "high"), HIGH_BELOW_LOW(low=plain_number(low), high=plain_number(high))
        )
        return None
    if likely is not None and not low <= likely <= high:
        check.report(
            (*path, "likely"),
            LIKELY_OUTSIDE_RANGE(
                low=plain_number(low), high=plain_number(high), likely=plain_number(likely)
            ),
        )
        return None
    return Range(low, high, likely)
