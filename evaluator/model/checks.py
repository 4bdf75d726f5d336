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
from evaluator.messages import Arg, Message, Template
from evaluator.messages.values import (
    A_LIST,
    A_MAPPING,
    AT_LEAST,
    AT_MOST,
    DID_YOU_MEAN,
    EXPECTED_BOOLEAN,
    EXPECTED_DATE,
    EXPECTED_FINITE,
    EXPECTED_LIST,
    EXPECTED_MAPPING,
    EXPECTED_NUMBER,
    EXPECTED_ONE_OF,
    EXPECTED_TEXT,
    EXPECTED_TEXT_NOT_QUOTED,
    EXPECTED_WHOLE,
    FIELD,
    FIGURE_ALONE,
    FIGURE_ALONE_IN_FULL,
    FIGURE_IN_FULL,
    INVALID_DATE,
    MISSING_REQUIRED,
    MISSING_REQUIRED_IN,
    MORE_PROBLEMS,
    MORE_THAN,
    MUST_NOT_BE_EMPTY,
    NOTHING,
    ONLY_TRUE_AND_FALSE,
    THE_NUMBER,
    THE_TEXT,
    THOUSANDS,
    UNKNOWN_NAME,
    UNKNOWN_VALUE,
    WITHOUT_PERCENT,
    WITHOUT_QUOTES,
    YAML_11_BOOLEAN,
)
from evaluator.model.fields import ID_PATTERN, RENAMED_VALUES, id_rule

# Past this many problems in one file the rest are counted, not listed: a file
# that wrong was probably not meant for this tool (or not meant at all).
MAX_PROBLEMS = 50
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# 120,000,000 or 120 000 000 or 120'000'000, as pasted from a spreadsheet.
_THOUSANDS = re.compile(
    r"[-+]?[0-9]{1,3}(?:([,' \u00a0\u202f])[0-9]{3})(?:\1[0-9]{3})*(?:\.[0-9]+)?"
)
_YAML_11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n"})


def shorten(text: str, limit: int = 60) -> str:
    """Text cut to `limit` characters, so that one bad value cannot flood a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to `name`, if one is close enough to be what was meant."""
    if len(name) > 100:  # no known name is that long; spare difflib the work
        return None
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return match[0] if match else None


def suggestion(name: str, known: Iterable[str]) -> Message | str:
    """The hint ' (did you mean `x`?)' for the closest known name, or '' (no hint); for a
    word of an earlier version, the hint that names the word replacing it."""
    renamed = RENAMED_VALUES.get(name)
    if renamed is not None:
        known = tuple(known)
        if renamed[0] in known:
            return renamed[1]
    match = closest(name, known)
    return "" if match is None else DID_YOU_MEAN(name=match)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`suggestion` in English, for text that is not a problem's message."""
    return str(suggestion(name, known))


def describe(value: Any) -> Arg:
    """A value as a user would recognise it in a message."""
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return "true" if value else "false"  # as YAML writes them, in any language
    if isinstance(value, str):
        return THE_TEXT(text=shorten(value))
    if isinstance(value, int | float):
        return THE_NUMBER(number=plain_number(value))
    if isinstance(value, list):
        return A_LIST
    if isinstance(value, dict):
        return A_MAPPING
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

    def report(self, path: PathKey, message: Message, *, key: bool = False) -> None:
        """Record a problem located at the value (or key) at `path`."""
        self.problems.append(self.document.problem(path, message, key=key))

    def raise_if_any(self, error: type[InputError] = InputError) -> None:
        """Raise all recorded problems at once, in file order."""
        if self.problems:
            ordered = sorted(self.problems, key=lambda p: (p.line or 0, p.column or 0))
            if len(ordered) > MAX_PROBLEMS:
                more = len(ordered) - MAX_PROBLEMS
                ordered = [
                    *ordered[:MAX_PROBLEMS],
                    Problem(self.document.file, MORE_PROBLEMS(count=more)),
                ]
            raise error(ordered)

    def mapping(
        self,
        path: PathKey,
        value: Any,
        allowed: Collection[str] | None,
        required: Iterable[str] = (),
        what: Message = FIELD,
    ) -> dict[str, Any] | None:
        """A mapping with only `allowed` keys (None: any) and every `required` one; `what`
        its names are (a noun of messages.values: FIELD, KEY...)."""
        if not isinstance(value, dict):
            self.report(path, EXPECTED_MAPPING(what=what, value=describe(value)))
            return None
        if allowed is not None:
            for name in value:
                if name not in allowed:
                    self.report(
                        (*path, name),
                        UNKNOWN_NAME(what=what, name=shorten(name), hint=suggestion(name, allowed)),
                        key=True,
                    )
        for name in required:
            if value.get(name) is None:
                self.report(
                    path,
                    MISSING_REQUIRED_IN(what=what, name=name, path=dotted(path))
                    if path
                    else MISSING_REQUIRED(what=what, name=name),
                )
        return value

    def text(self, path: PathKey, value: Any) -> str | None:
        """Non-empty text."""
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, str):
            self.report(path, MUST_NOT_BE_EMPTY)
        elif isinstance(value, bool | int | float):
            self.report(path, EXPECTED_TEXT_NOT_QUOTED(value=describe(value)))
        else:
            self.report(path, EXPECTED_TEXT(value=describe(value)))
        return None

    def number(
        self,
        path: PathKey,
        value: Any,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        above: float | None = None,
        whole: bool = False,
    ) -> float | int | None:
        """A finite number within bounds (`above` is an exclusive minimum)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            hint: Message | str = ""
            if isinstance(value, str) and _numeric(value):
                hint = WITHOUT_QUOTES
            elif isinstance(value, str) and _THOUSANDS.fullmatch(value.strip()):
                hint = THOUSANDS
            elif isinstance(value, str):
                hint = _figure_hint(value)
            self.report(path, EXPECTED_NUMBER(value=describe(value), hint=hint))
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.report(path, EXPECTED_FINITE(value=_yaml_special(value)))
            return None
        if whole:
            if isinstance(value, float) and not value.is_integer():
                self.report(path, EXPECTED_WHOLE(value=plain_number(value)))
                return None
            value = int(value)
        if minimum is not None and value < minimum:
            self.report(path, AT_LEAST(minimum=plain_number(minimum), value=plain_number(value)))
            return None
        if maximum is not None and value > maximum:
            self.report(path, AT_MOST(maximum=plain_number(maximum), value=plain_number(value)))
            return None
        if above is not None and value <= above:
            self.report(path, MORE_THAN(bound=plain_number(above), value=plain_number(value)))
            return None
        number: float | int = value
        return number

    def boolean(self, path: PathKey, value: Any) -> bool | None:
        """`true` or `false` (and nothing YAML 1.1 might have meant by yes/no/on/off)."""
        if isinstance(value, bool):
            return value
        hint: Message | str = ""
        if isinstance(value, str):
            hint = ONLY_TRUE_AND_FALSE
            if value.lower() in ("true", "false"):
                hint = WITHOUT_QUOTES
            elif value.lower() in _YAML_11_BOOLEANS:
                hint = YAML_11_BOOLEAN(value=value)
        self.report(path, EXPECTED_BOOLEAN(value=describe(value), hint=hint))
        return None

    def choice(self, path: PathKey, value: Any, choices: Iterable[str]) -> str | None:
        """One of a fixed set of words."""
        allowed = list(choices)
        if isinstance(value, str) and value in allowed:
            return value
        listed = tuple(allowed)
        if isinstance(value, str):
            self.report(
                path,
                UNKNOWN_VALUE(
                    value=shorten(value), hint=suggestion(value, allowed), allowed=listed
                ),
            )
        else:
            self.report(path, EXPECTED_ONE_OF(allowed=listed, value=describe(value)))
        return None

    def day(self, path: PathKey, value: Any) -> date | None:
        """An ISO date, YYYY-MM-DD."""
        # Only YYYY-MM-DD: fromisoformat would also take 2025-W05-1 and 20250127.
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError as exc:
                self.report(path, INVALID_DATE(value=value, reason=str(exc)))
                return None
        self.report(path, EXPECTED_DATE(value=describe(value)))
        return None

    def listing(self, path: PathKey, value: Any) -> list[Any] | None:
        """A list."""
        if isinstance(value, list):
            return value
        self.report(path, EXPECTED_LIST(value=describe(value)))
        return None


# `45%`, and `RM 1.2 bil`, `USD 120 million`, `€30m` as offers and spreadsheets write them.
_PERCENT = re.compile(r"\s*([-+]?[0-9][0-9_]*(?:\.[0-9]+)?)\s*%\s*")
_CURRENCY_MARK = r"(?:RM|US\$|[A-Z]{3}|[$€£¥₩₺])"
_FIGURE = re.compile(
    rf"\s*(?P<before>{_CURRENCY_MARK})?\s*(?P<number>[0-9][0-9,_]*(?:\.[0-9]+)?)"
    rf"\s*(?P<scale>[A-Za-z]+)?\.?\s*(?P<after>{_CURRENCY_MARK})?\s*"
)
_SCALES = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mil": 10**6,
    "mio": 10**6,
    "million": 10**6,
    "juta": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "bil": 10**9,
    "bilion": 10**9,
    "billion": 10**9,
}


def _figure_hint(text: str) -> Message | str:
    """A hint for a figure written with a `%`, a currency or a word for its scale."""
    percent = _PERCENT.fullmatch(text)
    if percent:
        return WITHOUT_PERCENT(number=percent.group(1))
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
        amount = Decimal(figure["number"].replace(",", "").replace("_", "")) * _SCALES.get(
            scale_word, 1
        )
    except InvalidOperation:  # pragma: no cover - the pattern allows none
        return ""
    shown = f"{int(amount):_}" if amount == amount.to_integral_value() else str(amount)
    if not currency:
        return FIGURE_IN_FULL(figure=shown)
    return (FIGURE_ALONE_IN_FULL if scale_word else FIGURE_ALONE)(figure=shown)


def _numeric(text: str) -> bool:
    return is_number_text(text.strip())


def _yaml_special(value: float) -> str:
    """NaN and infinities as YAML writes them, which is how the user wrote them."""
    if math.isnan(value):
        return ".nan"
    return ".inf" if value > 0 else "-.inf"


def read_id(
    check: Checker, path: PathKey, body: dict[str, Any], seen: set[str], twice: Template
) -> str | None:
    """The `id` of an item of a list (a criterion, a gate, a requirement, a stage...):
    checked against the id rule and against the ids `seen` before it in the list (`twice`
    says one is defined twice); None when it is not given or not text."""
    if body.get("id") is None:
        return None
    ident = check.text((*path, "id"), body["id"])
    if ident is None:
        return None
    if not ID_PATTERN.match(ident):
        check.report((*path, "id"), id_rule(ident))
    if ident in seen:
        check.report((*path, "id"), twice(id=ident))
    seen.add(ident)
    return ident
