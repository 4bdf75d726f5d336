"""Weights from pairwise judgements: Saaty's Analytic Hierarchy Process (AHP).

A judgements file says, for each pair of criteria, how much more important the
first is than the second on Saaty's 1–9 scale (or the reciprocal, 1/9–1). The
weights are the principal eigenvector of the judgement matrix; λmax measures how
far the judgements contradict each other (CI, CR). Pure apart from
`load_judgements`; numpy is imported inside `principal_eigenvector` only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from evaluator.errors import InputError, Problem
from evaluator.io.files import DEFAULT_MAX_BYTES, load_document
from evaluator.io.strict_yaml import Document, PathKey
from evaluator.messages.judgements import (
    EXPECTED_RATIO,
    INCONSISTENT,
    INCONSISTENT_ALIKE,
    ITSELF_IS_1,
    LISTED_TWICE,
    NOT_A_JUDGEMENTS_FILE,
    NOT_JUDGED,
    NOT_RECIPROCAL,
    NOT_RECIPROCAL_AT,
    OFF_THE_SCALE,
    PAIR,
    TOO_FEW_CRITERIA,
    TOO_MANY_CRITERIA,
)
from evaluator.messages.values import CRITERION_ID, KEY
from evaluator.model.checks import Checker, describe, shorten

# Saaty's random consistency index by matrix size (methods.md); n = 1, 2 are always consistent.
RANDOM_INDEX: Mapping[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
CONSISTENCY_LIMIT = 0.10
SCALE_LOW, SCALE_HIGH = Fraction(1, 9), Fraction(9)
# Both directions of a pair may be given if they agree; 1% forgives 0.33 for 1/3.
RECIPROCAL_TOLERANCE = 0.01
_RATIO = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:/\s*([0-9]+(?:\.[0-9]+)?)\s*)?")
# Digits of a judgement that count: a whole part longer than this (once leading zeros are
# dropped) is far off the scale, and decimals past it cannot change a judgement (nor must
# they reach int(), which refuses more than 4,300 digits).
_DIGITS_KEPT = 30
_KEYS = ("title", "description", "criteria", "judgements")


@dataclass(frozen=True, slots=True)
class Judgement:
    """One pairwise judgement as written: `row` is `value` times as important as `column`."""

    row: str
    column: str
    value: float
    text: str
    location: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Judgements:
    """A validated judgements file: the criteria in order and one judgement per pair."""

    file: str
    criteria: tuple[str, ...]
    given: tuple[Judgement, ...]

    def matrix(self) -> list[list[float]]:
        """The full reciprocal matrix a_ij (1 on the diagonal)."""
        index = {name: i for i, name in enumerate(self.criteria)}
        size = len(self.criteria)
        matrix = [[1.0] * size for _ in range(size)]
        for judgement in self.given:
            i, j = index[judgement.row], index[judgement.column]
            matrix[i][j] = judgement.value
            matrix[j][i] = 1.0 / judgement.value
        return matrix


@dataclass(frozen=True, slots=True)
class AhpResult:
    """Derived weights and how consistent the judgements behind them are."""

    file: str
    criteria: tuple[str, ...]
    weights: Mapping[str, float]
    lambda_max: float
    ci: float
    random_index: float
    cr: float
    furthest: Judgement | None  # the judgement furthest from what the weights imply
    implied: float | None  # w_row / w_column for that judgement
    # Judgements exactly as far off (with three criteria, all three always are: the
    # inconsistency is one cycle, and revising any of its judgements can remove it).
    equally_far: tuple[Judgement, ...] = ()

    @property
    def consistent(self) -> bool:
        """CR at most 0.10 (Saaty's rule of thumb)."""
        return self.cr <= CONSISTENCY_LIMIT

    def warnings(self) -> list[Problem]:
        """A located warning when the judgements are too inconsistent to trust."""
        if self.consistent or self.furthest is None or self.implied is None:
            return []
        j = self.furthest
        line, column = j.location or (None, None)
        implied = ratio_text(self.implied)
        message = (
            INCONSISTENT_ALIKE(
                cr=self.cr,
                limit=CONSISTENCY_LIMIT,
                row=j.row,
                column=j.column,
                given=j.text,
                implied=implied,
                pairs=tuple(PAIR(row=k.row, column=k.column) for k in self.equally_far),
            )
            if self.equally_far
            else INCONSISTENT(
                cr=self.cr,
                limit=CONSISTENCY_LIMIT,
                row=j.row,
                column=j.column,
                given=j.text,
                implied=implied,
            )
        )
        return [Problem(self.file, message, line, column)]


def ratio_text(value: float) -> str:
    """A ratio as a judge would write it: 2.3, 1, or 1/2.3."""
    if value >= 1:
        return f"{value:.2g}" if value < 10 else f"{value:.0f}"
    inverse = 1 / value
    return f"1/{inverse:.2g}" if inverse < 10 else f"1/{inverse:.0f}"


def load_judgements(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Judgements:
    """Read and validate a judgements file; raise InputError listing every problem."""
    return parse_judgements(load_document(path, max_bytes))


def parse_judgements(document: Document) -> Judgements:
    """Validate a parsed judgements file; raise InputError listing every problem."""
    data = document.data
    if not isinstance(data, dict) or not {"criteria", "judgements"} & data.keys():
        # Said without quoting it: `weights_from` may point at a file that is not meant to
        # be shown (a criteria file from outside naming one of ours).
        raise InputError.at(document.file, NOT_A_JUDGEMENTS_FILE)
    check = Checker(document)
    top = (
        check.mapping((), document.data, _KEYS, required=("criteria", "judgements"), what=KEY) or {}
    )
    criteria = _read_criteria(check, top.get("criteria"))
    given: list[Judgement] = []
    if criteria and top.get("judgements") is not None:
        given = _read_judgements(check, top["judgements"], criteria)
        if not check.problems:
            _check_complete(check, criteria, given)
    check.raise_if_any()
    return Judgements(document.file, tuple(criteria), tuple(given))


def _read_criteria(check: Checker, raw: Any) -> list[str]:
    if raw is None:
        return []
    items = check.listing(("criteria",), raw)
    names: list[str] = []
    for i, item in enumerate(items or []):
        name = check.text(("criteria", i), item)
        if name is None:
            continue
        if name in names:
            check.report(("criteria", i), LISTED_TWICE(name=name))
            continue
        names.append(name)
    if items is not None and len(items) < 2:
        check.report(("criteria",), TOO_FEW_CRITERIA)
    if len(names) > max(RANDOM_INDEX):
        check.report(("criteria",), TOO_MANY_CRITERIA(most=max(RANDOM_INDEX)))
    return names if len(names) == len(items or []) else []


def _read_judgements(check: Checker, raw: Any, criteria: list[str]) -> list[Judgement]:
    rows = check.mapping(("judgements",), raw, criteria, what=CRITERION_ID)
    given: dict[frozenset[str], Judgement] = {}
    for row, columns in (rows or {}).items():
        if row not in criteria or columns is None:  # a row with nothing left to compare
            continue
        path: PathKey = ("judgements", row)
        body = check.mapping(path, columns, criteria, what=CRITERION_ID)
        for column, value in (body or {}).items():
            if column not in criteria:
                continue
            at: PathKey = (*path, column)
            ratio = _read_ratio(check, at, value)
            if ratio is None:
                continue
            if column == row:
                if ratio != 1:
                    check.report(at, ITSELF_IS_1(row=row))
                continue
            text = shorten(value.strip()) if isinstance(value, str) else f"{value:g}"
            judgement = Judgement(row, column, float(ratio), text, check.document.locate(at))
            pair = frozenset((row, column))
            earlier = given.get(pair)
            if earlier is None:
                given[pair] = judgement
            elif abs(earlier.value * judgement.value - 1) > RECIPROCAL_TOLERANCE:
                check.report(
                    at,
                    NOT_RECIPROCAL_AT(
                        row=row,
                        column=column,
                        given=text,
                        earlier=earlier.text,
                        line=earlier.location[0],
                    )
                    if earlier.location
                    else NOT_RECIPROCAL(row=row, column=column, given=text, earlier=earlier.text),
                )
    return list(given.values())


def _read_ratio(check: Checker, path: PathKey, value: Any) -> Fraction | None:
    """A number or a fraction like "1/3" on Saaty's scale, 1/9 to 9."""
    ratio: Fraction | None = None
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        ratio = Fraction(value).limit_denominator(10_000)
    elif isinstance(value, str) and (match := _RATIO.fullmatch(value)):
        numerator = _decimal(match.group(1))
        denominator = _decimal(match.group(2) or "1")
        ratio = numerator / denominator if denominator else None
    if ratio is None:
        check.report(path, EXPECTED_RATIO(value=describe(value)))
        return None
    if not SCALE_LOW <= ratio <= SCALE_HIGH:
        check.report(path, OFF_THE_SCALE(value=shorten(str(value))))
        return None
    return ratio


def _decimal(text: str) -> Fraction:
    """Digits with an optional decimal part, exactly, whatever the number of zeros."""
    whole, _, part = text.partition(".")
    whole = whole.lstrip("0") or "0"
    if len(whole) > _DIGITS_KEPT:  # at least 10^30: off the scale, whatever follows
        return Fraction(10**_DIGITS_KEPT)
    part = part[:_DIGITS_KEPT]
    return Fraction(int(whole + part), 10 ** len(part))


def _check_complete(check: Checker, criteria: list[str], given: list[Judgement]) -> None:
    pairs = {frozenset((j.row, j.column)) for j in given}
    missing = tuple(
        PAIR(row=a, column=b)
        for i, a in enumerate(criteria)
        for b in criteria[i + 1 :]
        if frozenset((a, b)) not in pairs
    )
    if missing:
        check.report(("judgements",), NOT_JUDGED(count=len(missing), pairs=missing))


def principal_eigenvector(matrix: Sequence[Sequence[float]]) -> tuple[list[float], float]:
    """The principal eigenvector (normalised to sum 1) and eigenvalue of a positive matrix."""
    import numpy as np

    values, vectors = np.linalg.eig(np.asarray(matrix, dtype=float))
    k = int(np.argmax(values.real))
    # Perron–Frobenius: for a positive matrix this vector has one sign; eig may flip it.
    vector = np.abs(vectors[:, k].real)
    return [float(v) for v in vector / vector.sum()], float(values[k].real)


def consistency(lambda_max: float, size: int) -> tuple[float, float, float]:
    """CI = (λmax − n)/(n − 1), Saaty's RI for n, and CR = CI / RI (0 when n ≤ 2)."""
    ci = max(0.0, (lambda_max - size) / (size - 1)) if size > 1 else 0.0
    random_index = RANDOM_INDEX[size]
    return ci, random_index, (ci / random_index if random_index else 0.0)


def derive(judgements: Judgements) -> AhpResult:
    """Weights, λmax, CI, RI and CR of a judgements file, and the judgement to revisit."""
    vector, lambda_max = principal_eigenvector(judgements.matrix())
    ci, random_index, cr = consistency(lambda_max, len(judgements.criteria))
    weights = dict(zip(judgements.criteria, vector, strict=True))
    # Judgements are ratios, so distance is measured on a log scale: 3 vs 1 is as far
    # off as 1/3 vs 1 (Saaty's ε_ij = a_ij w_j / w_i, compared with 1).
    distances = [
        abs(math.log(j.value * weights[j.column] / weights[j.row])) for j in judgements.given
    ]
    worst = max(distances, default=0.0)
    far = [
        j
        for j, d in zip(judgements.given, distances, strict=True)
        if d >= worst - 1e-9 * max(1.0, worst)
    ]
    furthest = far[0] if far else None
    implied = weights[far[0].row] / weights[far[0].column] if far else None
    return AhpResult(
        judgements.file,
        judgements.criteria,
        weights,
        lambda_max,
        ci,
        random_index,
        cr,
        furthest,
        implied,
        tuple(far[1:]) if worst > 1e-9 else (),
    )
