"""Consensus: the panel members' ratings of one judgement of one proposal, consolidated.

Each member's rating is scored by the levels rule of the sub-criterion; the scores are
aggregated (median or mean, as the criteria file's `panel` settings say), and a spread
at or above the disagreement threshold is flagged. Reading the members' files is
evaluator.model.panel's job; this is what scoring does with them. The explanation in
words (each member's rating, the aggregate, the spread) is evaluator.render.text.panel's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evaluator.model.panel import Panel, PanelSettings
from evaluator.model.rules import Levels

# Scores come from levels like 33.3; a spread "at" the threshold must not miss it by 1e-14.
_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class MemberScore:
    """One member's rating of one judgement, and the score its level earns."""

    member: str
    level: str
    score: float


@dataclass(frozen=True, slots=True)
class Consensus:
    """The members' scores for one judgement of one proposal, consolidated."""

    judgement: str
    ratings: tuple[MemberScore, ...]  # at least one, in member order
    absent: tuple[str, ...]  # members of the panel who did not rate it
    aggregate: str
    score: float
    threshold: float

    @property
    def spread(self) -> float:
        """Highest minus lowest member score (0 with one member)."""
        scores = [r.score for r in self.ratings]
        return max(scores) - min(scores)

    @property
    def disagreement(self) -> bool:
        """Whether the spread reaches the disagreement threshold."""
        return self.spread >= self.threshold - _TOLERANCE

    @property
    def highest(self) -> tuple[MemberScore, ...]:
        """The members who gave the highest score."""
        top = max(r.score for r in self.ratings)
        return tuple(r for r in self.ratings if r.score == top)

    @property
    def lowest(self) -> tuple[MemberScore, ...]:
        """The members who gave the lowest score."""
        bottom = min(r.score for r in self.ratings)
        return tuple(r for r in self.ratings if r.score == bottom)


def aggregate(scores: Sequence[float], how: str) -> float:
    """The median (of an even count: the mean of the middle two) or the mean of scores."""
    if not scores:
        raise ValueError("no scores to aggregate")
    import statistics  # here: 4 ms of every start-up otherwise, for --panel only

    if how == "median":
        return float(statistics.median(scores))
    if how == "mean":
        return statistics.fmean(scores)
    raise ValueError(f"unknown aggregate {how!r}")


def consolidate(
    panel: Panel, proposal: str, judgement: str, rule: Levels, settings: PanelSettings
) -> Consensus | None:
    """The members' ratings of one judgement of one proposal, scored and aggregated.

    None when no member rated it: the judgement is then missing for that proposal.
    """
    given = panel.ratings(proposal, judgement)
    scored = []
    for member, level in given:
        score = rule.lookup(level)
        if score is None:  # load_panel checks levels against the criteria in effect
            raise ValueError(f"level {level!r} of member {member} has no score")
        scored.append(MemberScore(member, level, score))
    if not scored:
        return None
    rated = {r.member for r in scored}
    absent = tuple(m.label for m in panel.members if m.label not in rated)
    return Consensus(
        judgement,
        tuple(scored),
        absent,
        settings.aggregate,
        aggregate([r.score for r in scored], settings.aggregate),
        settings.disagreement,
    )
