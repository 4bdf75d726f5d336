"""Typed reading of a parsed document, collecting every located problem instead of the first."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from evaluator.errors import InputError, Problem
from evaluator.io.strict_yaml import Document, PathKey, is_number_text

# Past this many problems in one file the rest are counted, not listed: a file
# that wrong was probably not meant for this tool (or not meant at all).
MAX_PROBLEMS = 50
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# 120,000,000 or 120 000 000 or 120'000'000, as pasted from a spreadsheet.
_THOUSANDS = re.compile(
    r"[-+]?[0-9]{1,3}(?:([,' \u00a0\u202f])[0-9]{3})(?:\1[0-9]{3})*(?:\.[0-9]+)?")
_YAML_11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n"})


def shorten(text: str, limit: int = 60) -> str:
    """Text cut to `limit` characters, so that one bad value cannot flood a message."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """' (did you mean `x`?)' for the closest known name, or ''."""
    match = closest(name, known)
    return f" (did you mean `{match}`?)" if match is not None else ""


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to `name`, if one is close enough to be meant; else None."""
    if len(name) > 100:  # no known name is that long; spare difflib the work
        return None
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return match[0] if match else None


def describe(value: Any) -> str:
    """A value as a user would recognise it in a message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the text {shorten(value)!r}"
    if isinstance(value, int | float):
        return f"the number {plain_number(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)  # pragma: no cover


def plain_number(value: int | float) -> str:
    """A number as the user would have written it: 25000000, not 2.5e+07."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return _yaml_special(value)
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value)


def dotted(path: PathKey) -> str:
    """`a.b[2].c` for a path into a document."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class Checker:
    """Reads values out of one document, recording a problem for each bad one."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = []

    def report(self, path: PathKey, message: str, *, key: bool = False) -> None:
        """Record a problem located at the value (or key) at `path`."""
        self.problems.append(self.document.problem(path, message, key=key))

    def raise_if_any(self, error: type[InputError] = InputError) -> None:
        """Raise all recorded problems at once, in file order."""
        if self.problems:
            ordered = sorted(self.problems, key=lambda p: (p.line or 0, p.column or 0))
            if len(ordered) > MAX_PROBLEMS:
                more = len(ordered) - MAX_PROBLEMS
                ordered = [*ordered[:MAX_PROBLEMS],
                           Problem(self.document.file, f"… and {more:,} more problems "
                                                       "(fix those above first)")]
            raise error(ordered)

    def mapping(self, path: PathKey, value: Any, allowed: Collection[str] | None,
                required: Iterable[str] = (), what: str = "field") -> dict[str, Any] | None:
        """A mapping with only `allowed` keys (None: any) and every `required` one."""
        if not isinstance(value, dict):
            self.report(path, f"expected a mapping of {what}s, got {describe(value)}")
            return None
        if allowed is not None:
            for name in value:
                if name not in allowed:
                    self.report((*path, name), f"unknown {what} `{shorten(name)}`"
                                + did_you_mean(name, allowed), key=True)
        for name in required:
            if value.get(name) is None:
                where = f" in `{dotted(path)}`" if path else ""
                self.report(path, f"missing required {what} `{name}`{where}")
        return value

    def text(self, path: PathKey, value: Any) -> str | None:
        """Non-empty text."""
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, str):
            self.report(path, "must not be empty")
        elif isinstance(value, bool | int | float):
            self.report(path, f"expected text, got {describe(value)} "
                              "(put it in quotes to keep it as text)")
        else:
            self.report(path, f"expected text, got {describe(value)}")
        return None

    def number(self, path: PathKey, value: Any, *, minimum: float | None = None,
               maximum: float | None = None, above: float | None = None,
               whole: bool = False) -> float | int | None:
        """A finite number within bounds (`above` is an exclusive minimum)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            hint = ""
            if isinstance(value, str) and _numeric(value):
                hint = " (write it without quotes)"
            elif isinstance(value, str) and _THOUSANDS.fullmatch(value.strip()):
                hint = " (separate thousands with `_`, as in 120_000_000, or not at all)"
            elif isinstance(value, str):
                hint = _figure_hint(value)
            self.report(path, f"expected a number, got {describe(value)}{hint}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.report(path, f"expected a finite number, got {_yaml_special(value)}")
            return None
        if whole:
            if isinstance(value, float) and not value.is_integer():
                self.report(path, f"expected a whole number, got {plain_number(value)}")
                return None
            value = int(value)
        if minimum is not None and value < minimum:
            self.report(path, f"must be at least {plain_number(minimum)}, "
                              f"got {plain_number(value)}")
            return None
        if maximum is not None and value > maximum:
            self.report(path, f"must be at most {plain_number(maximum)}, "
                              f"got {plain_number(value)}")
            return None
        if above is not None and value <= above:
            self.report(path, f"must be more than {plain_number(above)}, "
                              f"got {plain_number(value)}")
            return None
        number: float | int = value
        return number

    def boolean(self, path: PathKey, value: Any) -> bool | None:
        """`true` or `false` (and nothing YAML 1.1 might have meant by yes/no/on/off)."""
        if isinstance(value, bool):
            return value
        hint = ""
        if isinstance(value, str):
            hint = " (only true and false are booleans)"
            if value.lower() in ("true", "false"):
                hint = " (write it without quotes)"
            elif value.lower() in _YAML_11_BOOLEANS:
                hint = f" (write true or false: {value} is read as text)"
        self.report(path, f"expected true or false, got {describe(value)}{hint}")
        return None

    def choice(self, path: PathKey, value: Any, choices: Iterable[str]) -> str | None:
        """One of a fixed set of words."""
        allowed = list(choices)
        if isinstance(value, str) and value in allowed:
            return value
        listed = ", ".join(allowed)
        if isinstance(value, str):
            self.report(path, f"unknown value {shorten(value)!r}" + did_you_mean(value, allowed)
                        + f"; expected one of: {listed}")
        else:
            self.report(path, f"expected one of: {listed}; got {describe(value)}")
        return None

    def day(self, path: PathKey, value: Any) -> date | None:
        """An ISO date, YYYY-MM-DD."""
        # Only YYYY-MM-DD: fromisoformat would also take 2025-W05-1 and 20250127.
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError as exc:
                self.report(path, f"not a valid date: {value!r} ({exc})")
                return None
        self.report(path, f"expected a date as YYYY-MM-DD, got {describe(value)}")
        return None

    def listing(self, path: PathKey, value: Any) -> list[Any] | None:
        """A list."""
        if isinstance(value, list):
            return value
        self.report(path, f"expected a list, got {describe(value)}")
        return None


# `45%`, and `RM 1.2 bil`, `USD 120 million`, `€30m` as offers and spreadsheets write them.
_PERCENT = re.compile(r"\s*([-+]?[0-9][0-9_]*(?:\.[0-9]+)?)\s*%\s*")
_CURRENCY_MARK = r"(?:RM|US\$|[A-Z]{3}|[$€£¥₩₺])"
_FIGURE = re.compile(rf"\s*(?P<before>{_CURRENCY_MARK})?\s*(?P<number>[0-9][0-9,_]*(?:\.[0-9]+)?)"
                     rf"\s*(?P<scale>[A-Za-z]+)?\.?\s*(?P<after>{_CURRENCY_MARK})?\s*")
_SCALES = {"k": 10**3, "thousand": 10**3, "m": 10**6, "mn": 10**6, "mil": 10**6,
           "mio": 10**6, "million": 10**6, "juta": 10**6, "b": 10**9, "bn": 10**9,
           "bil": 10**9, "bilion": 10**9, "billion": 10**9}


def _figure_hint(text: str) -> str:
    """A hint for a figure written with a `%`, a currency or a word for its scale."""
    percent = _PERCENT.fullmatch(text)
    if percent:
        return f" (write the number without '%': {percent.group(1)})"
    figure = _FIGURE.fullmatch(text)
    if figure is None:
        return ""
    scale_word = (figure["scale"] or "").lower()
    if scale_word and scale_word not in _SCALES:
        return ""
    currency = figure["before"] or figure["after"]
    if not currency and not scale_word:
        return ""
    from decimal import Decimal, InvalidOperation
    try:
        amount = Decimal(figure["number"].replace(",", "").replace("_", "")) \
            * _SCALES.get(scale_word, 1)
    except InvalidOperation:  # pragma: no cover - the pattern allows none
        return ""
    shown = f"{int(amount):_}" if amount == amount.to_integral_value() else str(amount)
    if not currency:
        return f" (write the figure in full, as in {shown})"
    return (f" (write the figure alone{' and in full' if scale_word else ''}, as in {shown}; "
            "the currency goes in `pricing.currency`)")


def _numeric(text: str) -> bool:
    return is_number_text(text.strip())


def _yaml_special(value: float) -> str:
    """NaN and infinities as YAML writes them, which is how the user wrote them."""
    if math.isnan(value):
        return ".nan"
    return ".inf" if value > 0 else "-.inf"
