"""Ranks: competition ranks of totals (1, 2, 2, 4), totals within `TIE_TOLERANCE` tying;
the eligible ranked, the others not; results in rank order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

TIE_TOLERANCE = 1e-9


def competition_ranks(totals: Sequence[float]) -> list[int]:
    """Competition ranks (1, 2, 2, 4), highest first; totals within 1e-9 tie."""
    order = sorted(range(len(totals)), key=lambda i: -totals[i])
    ranks = [0] * len(totals)
    for position, i in enumerate(order):
        previous = order[position - 1] if position else None
        if previous is not None and totals[previous] - totals[i] <= TIE_TOLERANCE:
            ranks[i] = ranks[previous]
        else:
            ranks[i] = position + 1
    return ranks


class Ranked(Protocol):
    """What ranking reads of a result: an `Evaluation`, or a worker's summary of one."""

    @property
    def id(self) -> str: ...
    @property
    def eligible(self) -> bool: ...
    @property
    def rank(self) -> int | None: ...


class Rankable(Protocol):
    """What `rank` reads and sets: a total, and the rank it gives."""

    @property
    def id(self) -> str: ...
    @property
    def eligible(self) -> bool: ...

    total: float
    rank: int | None


R = TypeVar("R", bound=Ranked)
S = TypeVar("S", bound=Rankable)


def eligible_ranks(evaluations: Sequence[Ranked], totals: Sequence[float]) -> list[int | None]:
    """Competition ranks of the eligible evaluations by `totals`; None for ineligible ones."""
    eligible = [i for i, e in enumerate(evaluations) if e.eligible]
    ranks: list[int | None] = [None] * len(evaluations)
    for i, position in zip(eligible, competition_ranks([totals[i] for i in eligible]), strict=True):
        ranks[i] = position
    return ranks


def rank(evaluations: Sequence[S]) -> list[S]:
    """Set each evaluation's rank by its total; return them in result order."""
    for evaluation, position in zip(
        evaluations, eligible_ranks(evaluations, [e.total for e in evaluations]), strict=True
    ):
        evaluation.rank = position
    return ordered(evaluations)


def ordered(evaluations: Sequence[R]) -> list[R]:
    """By rank, then ineligible ones; each group by id."""
    return sorted(evaluations, key=lambda e: (e.rank is None, e.rank or 0, e.id))
