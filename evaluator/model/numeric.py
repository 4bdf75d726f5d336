"""Arithmetic on one number or on a numpy array of numbers alike.

The scoring engine is written once with these: one proposal's figure is a float, and the
same figure drawn many times (`evaluator sensitivity --values`) is an array of floats, a
wider value put through the same operations. Python's operators already work on both;
what differs is taking the smaller or larger of two values, choosing by a condition,
dividing where the divisor may be zero, and rounding, so those are here. On floats they
are the plain Python operations (numpy is not imported for them: start-up time is a
target); on arrays, the element-wise numpy ones, which give the same numbers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# A number, or one number per draw (numpy is not imported for the name).
Num: TypeAlias = "float | npt.NDArray[np.float64]"
# A truth, or one per draw.
Truth: TypeAlias = "bool | npt.NDArray[np.bool_]"


# The scoring of one proposal goes through these functions hundreds of times: each tests
# for a plain float first (`type(x) is float`), the case of every figure but a draw's.


def many(value: Any) -> bool:
    """Whether `value` is an array of several values (a numpy scalar is one value)."""
    return type(value) is not float and getattr(value, "ndim", 0) > 0


def clamp(value: Num, low: float, high: float) -> Num:
    """`value` within [low, high]."""
    if type(value) is float or not many(value):
        return min(high, max(low, value))
    import numpy as np

    return np.clip(value, low, high)


def choose(condition: Truth, if_true: Num, if_false: Num) -> Num:
    """`if_true` where the condition holds, else `if_false`."""
    if (type(condition) is bool and type(if_true) is float and type(if_false) is float) or not (
        many(condition) or many(if_true) or many(if_false)
    ):
        return if_true if condition else if_false
    import numpy as np

    return np.where(condition, if_true, if_false)


def divide(numerator: Num, denominator: Num, otherwise: float) -> Num:
    """numerator / denominator, or `otherwise` where the denominator is 0."""
    if type(numerator) is float and type(denominator) is float:
        return numerator / denominator if denominator else otherwise
    if many(numerator) or many(denominator):
        import numpy as np

        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.where(denominator != 0, numerator / denominator, otherwise)
    return numerator / denominator if denominator else otherwise


def rounded(value: Num, places: int) -> Num:
    """`value` rounded to `places` decimals (numpy's rounding for arrays, to within an ulp)."""
    if many(value):
        import numpy as np

        return np.round(value, places)
    return round(value, places)  # type: ignore[arg-type]


def least(values: Sequence[Num]) -> Num:
    """The smallest of the values (of each draw); the first of equals."""
    if not any(many(v) for v in values):
        return min(values)
    import numpy as np

    return np.minimum.reduce(np.broadcast_arrays(*values))  # type: ignore[no-any-return]


def greatest(values: Sequence[Num]) -> Num:
    """The largest of the values (of each draw); the first of equals."""
    if not any(many(v) for v in values):
        return max(values)
    import numpy as np

    return np.maximum.reduce(np.broadcast_arrays(*values))  # type: ignore[no-any-return]


def total(terms: Iterable[Num]) -> Num:
    """Σ terms, added in order from 0 (the same additions for a float and for an array)."""
    result: Num = 0.0
    for term in terms:
        result = result + term
    return result


def weighted_sum(weights: Iterable[Num], values: Iterable[Num]) -> Num:
    """Σ weight × value, in order: a criterion's score from its leaves' (times its
    credibility), a total from its criteria's, for one proposal or for every draw."""
    result: Num = 0.0
    for weight, value in zip(weights, values, strict=True):
        result = result + weight * value
    return result


def within(value: Any, options: Collection[Any]) -> Truth:
    """Whether `value` is one of `options` (each of an array of numbers: no word equals a
    number, and true and false equal 1 and 0, as in Python)."""
    if many(value):
        import numpy as np

        return np.isin(value, [float(x) for x in options if isinstance(x, int | float)])
    return value in options


def negation(truth: Truth) -> Truth:
    """Not `truth` (for each draw)."""
    if many(truth):
        return ~truth  # type: ignore[return-value]
    return not truth


def zero_if_missing(value: Num) -> Num:
    """0 where `value` is not a number (NaN: it could not be computed in that draw)."""
    if type(value) is not float and many(value):
        import numpy as np

        return np.where(np.isnan(value), 0.0, value)
    return value if value == value else 0.0
