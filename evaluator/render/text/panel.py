"""A panel in words: the members' ratings of a judgement consolidated, who rated highest
and lowest, and how the criteria file consolidates them."""

from __future__ import annotations

from evaluator.model.panel import PanelSettings
from evaluator.render.text.numbers import points
from evaluator.scoring.consensus import Consensus, MemberScore


def consensus_text(consensus: Consensus) -> str:
    """'A good 75, B outstanding 100, C good 75 → median 75; spread 25'."""
    each = ", ".join(f"{r.member} {r.level} {points(r.score)}" for r in consensus.ratings)
    text = (
        f"{each} → {consensus.aggregate} {points(consensus.score)}; "
        f"spread {points(consensus.spread)}"
    )
    if consensus.disagreement:
        text += f" (disagreement: {points(consensus.threshold)} or more)"
    if consensus.absent:
        text += "; not rated by " + ", ".join(consensus.absent)
    return text


def extremes(consensus: Consensus) -> str:
    """'C outstanding (100), B marginal (25)': who rated highest and who lowest."""

    def who(group: tuple[MemberScore, ...]) -> str:
        names = ", ".join(r.member for r in group)
        return f"{names} {group[0].level} ({points(group[0].score)})"

    return f"{who(consensus.highest)}, {who(consensus.lowest)}"


def settings_text(settings: PanelSettings, flag: str = "") -> str:
    """The settings in a few words (`flag`: the mark that shows a disagreement)."""
    mark = f" ({flag})" if flag else ""
    return (
        f"the {settings.aggregate} of the members' scores; a spread of "
        f"{points(settings.disagreement)} points or more{mark} is a disagreement"
    )
