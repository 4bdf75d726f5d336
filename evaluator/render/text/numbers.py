"""Numbers as people read them in a result: 1,600,000,000, 12.5, 19.2%, a score of 83.33.

Every renderer takes its number words from here. (`number_text` itself is defined in
evaluator.model.rules, because an error message of the core quotes a value with it.)
"""

from __future__ import annotations

from evaluator.model.fields import FIELDS, PERCENT, Value
from evaluator.model.rules import number_text

__all__ = ["number_text", "percent_text", "points", "show_value"]


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


def show_value(value: Value, field: str = "", avoid: float | None = None) -> str:
    """A value as people read it; a percentage with its sign, a computed one rounded (with
    more decimals where one would read as `avoid`, the bound of a gate it misses)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        spec = FIELDS.get(field)
        if spec is not None and spec.kind == PERCENT:
            return percent_text(value, avoid) if spec.derived else f"{number_text(value)}%"
        return number_text(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return str(value)


def points(value: float) -> str:
    """A score as people write it: 75, or 83.33."""
    rounded = round(value, 2)
    return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.2f}"
