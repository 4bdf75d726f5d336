"""Panel judgements in rows and sentences, shared by the renderers: ratings, spread, flags."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from evaluator.model.panel import is_judgement, judgement_name
from evaluator.render.i18n import gettext as _
from evaluator.render.i18n import ngettext
from evaluator.render.text.numbers import points
from evaluator.render.text.panel import extremes, settings_text
from evaluator.scoring.results import Comparison, LeafScore

FLAG = "⚠"


@dataclass(frozen=True, slots=True)
class PanelRow:
    """One judgement of one proposal: each member's rating, the consolidated score, spread."""

    proposal: str
    judgement: str  # the judgement's name, with its sub-criterion when two score it
    levels: dict[str, str]  # member -> level, for those who rated it
    score: float | None  # None: nobody rated it (missing)
    spread: float | None
    disagreement: bool


def members(comparison: Comparison) -> list[str]:
    """The labels of the panel's members, in order (none without a panel)."""
    return [] if comparison.panel is None else [m.label for m in comparison.panel.members]


def panel_rows(comparison: Comparison) -> list[PanelRow]:
    """A row per proposal and judgement, proposals in result order."""
    if comparison.panel is None:
        return []
    judged = [(c.id, leaf) for c, leaf in comparison.criteria.leaves() if is_judgement(leaf.field)]
    uses = Counter(leaf.field for _, leaf in judged)
    rows: list[PanelRow] = []
    for e in comparison.evaluations:
        scores = {(c.id, leaf.id): leaf for c in e.criteria for leaf in c.leaves}
        for criterion, leaf in judged:
            label = judgement_name(leaf.field)
            if uses[leaf.field] > 1:
                label += f" ({criterion}.{leaf.id})"
            rows.append(_row(e.id, label, scores[(criterion, leaf.id)]))
    return rows


def _row(proposal: str, label: str, leaf: LeafScore) -> PanelRow:
    consensus = leaf.panel
    if consensus is None:
        return PanelRow(proposal, label, {}, None, None, False)
    return PanelRow(
        proposal,
        label,
        {r.member: r.level for r in consensus.ratings},
        consensus.score,
        consensus.spread,
        consensus.disagreement,
    )


def settings_sentence(comparison: Comparison, flag: str = "") -> str:
    """Who sat on the panel and how their scores were consolidated."""
    panel = comparison.panel
    if panel is None:
        return ""
    names = ", ".join(members(comparison)) or _("none (no file could be read)")
    return _("Panel: members {names} (files in {folder}); a judgement scores {settings}.").format(
        names=names, folder=panel.folder, settings=settings_text(comparison.criteria.panel, flag)
    )


def disagreement_sentences(
    comparison: Comparison, shown: Collection[str] | None = None
) -> list[str]:
    """'Panel disagreement on sincerity for south-korea: …' for each flagged judgement
    (of the proposals `shown` in a ranking cut short, and how many others)."""
    sentences = []
    others = 0
    for e in comparison.evaluations:
        if shown is not None and e.id not in shown:
            others += sum(
                leaf.panel is not None and leaf.panel.disagreement
                for c in e.criteria
                for leaf in c.leaves
            )
            continue
        for c in e.criteria:
            for leaf in c.leaves:
                if leaf.panel is not None and leaf.panel.disagreement:
                    sentences.append(
                        _(
                            "Panel disagreement on {judgement} for {id}: {extremes}; "
                            "spread {spread}."
                        ).format(
                            judgement=leaf.panel.judgement,
                            id=e.id,
                            extremes=extremes(leaf.panel),
                            spread=points(leaf.panel.spread),
                        )
                    )
    if others:
        sentences.append(
            ngettext(
                "Panel disagreement on {count:,} more judgement of proposals not shown.",
                "Panel disagreement on {count:,} more judgements of proposals not shown.",
                others,
            ).format(count=others)
        )
    return sentences


def score_text(row: PanelRow) -> str:
    """The consolidated score, or 'missing'."""
    return _("missing") if row.score is None else f"{row.score:.1f}"


def spread_text(row: PanelRow) -> str:
    """The spread, flagged when it is a disagreement; '—' when nobody rated."""
    if row.spread is None:
        return "—"
    return f"{points(row.spread)} {FLAG}" if row.disagreement else points(row.spread)
