"""A panel in words: who rated a judgement highest and who lowest."""

from __future__ import annotations

from evaluator.model.panel import points
from evaluator.scoring.consensus import Consensus, MemberScore


def extremes(consensus: Consensus) -> str:
    """'C outstanding (100), B marginal (25)': who rated highest and who lowest."""
    def who(group: tuple[MemberScore, ...]) -> str:
        names = ", ".join(r.member for r in group)
        return f"{names} {group[0].level} ({points(group[0].score)})"
    return f"{who(consensus.highest)}, {who(consensus.lowest)}"
