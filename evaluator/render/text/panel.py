"""A panel in words: the members' ratings of a judgement consolidated, who rated highest
and lowest, and how the criteria file consolidates them."""

from __future__ import annotations

from evaluator.model.panel import PanelSettings
from evaluator.render.i18n import gettext as _
from evaluator.render.text.numbers import points
from evaluator.scoring.consensus import Consensus, MemberScore


def consensus_text(consensus: Consensus) -> str:
    """'A good 75, B outstanding 100, C good 75 → median 75; spread 25'."""
    each = ", ".join(f"{r.member} {r.level} {points(r.score)}" for r in consensus.ratings)
    text = _("{each} → {aggregate} {score}; spread {spread}").format(
        each=each,
        aggregate=aggregate_text(consensus.aggregate),
        score=points(consensus.score),
        spread=points(consensus.spread),
    )
    if consensus.disagreement:
        text += _(" (disagreement: {threshold} or more)").format(
            threshold=points(consensus.threshold)
        )
    if consensus.absent:
        text += _("; not rated by {members}").format(members=", ".join(consensus.absent))
    return text


def aggregate_text(aggregate: str) -> str:
    """How a panel's ratings are consolidated (`median`, `mean`), in words."""
    return {"median": _("median"), "mean": _("mean")}.get(aggregate, aggregate)


def extremes(consensus: Consensus) -> str:
    """'C outstanding (100), B marginal (25)': who rated highest and who lowest."""

    def who(group: tuple[MemberScore, ...]) -> str:
        names = ", ".join(r.member for r in group)
        return f"{names} {group[0].level} ({points(group[0].score)})"

    return f"{who(consensus.highest)}, {who(consensus.lowest)}"


def settings_text(settings: PanelSettings, flag: str = "") -> str:
    """The settings in a few words (`flag`: the mark that shows a disagreement)."""
    mark = f" ({flag})" if flag else ""
    return _(
        "the {aggregate} of the members' scores; a spread of {points} points or more{mark} "
        "is a disagreement"
    ).format(
        aggregate=aggregate_text(settings.aggregate),
        points=points(settings.disagreement),
        mark=mark,
    )
