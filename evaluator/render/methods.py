"""Words shared by the renderers about aggregation methods and `--method all`."""

from __future__ import annotations

from collections.abc import Collection

from evaluator.model.method import Method
from evaluator.render.i18n import N_, language
from evaluator.render.i18n import gettext as _
from evaluator.render.text.numbers import number_text
from evaluator.scoring.results import Comparison, CriterionScore, Evaluation

_MEANING: dict[str, str] = {
    Method.WSM: N_("total = Σ weight × criterion score"),
    Method.TOPSIS: N_("total = 100 × TOPSIS closeness to the ideal offer (vector normalisation)"),
    Method.PROMETHEE: N_("total = 100 × PROMETHEE II net flow, from -100 to 100"),
}


def total_meaning(method: str) -> str:
    """What a total means under `method`, in a few words."""
    if method in _MEANING:
        return _(_MEANING[method])
    return _("total by {method}").format(method=method)


def scores_label(method: str) -> str:
    """What is on the 0-100 scale: every score and the total, or (a PROMETHEE net flow
    runs from -100 to 100) the criterion scores only."""
    return _("Criterion scores") if method == Method.PROMETHEE else _("Scores")


def out_of(method: str) -> str:
    """The scale of a total: 'of 100', or the net flow's range."""
    return _("on a scale of -100 to 100") if method == Method.PROMETHEE else _("of 100")


def has_raw(criterion: CriterionScore) -> bool:
    """Whether a criterion holds raw values (a `raw` rule), which are no 0-100 scores."""
    return any(leaf.rule == "raw" for leaf in criterion.leaves)


def criterion_score_text(criterion: CriterionScore) -> str:
    """A criterion's score to one decimal; for a raw criterion its value, or "—" where
    raw values and scores are mixed (their weighted sum means nothing)."""
    if not has_raw(criterion):
        return f"{criterion.score:.1f}"
    values = [leaf.value for leaf in criterion.leaves]
    if len(values) == 1 and isinstance(values[0], int | float):
        return number_text(values[0])
    return "—"


def raw_caption(comparison: Comparison) -> str:
    """'range: raw values, not scores', naming the raw criteria; '' when there are none."""
    raw = [
        c for c in comparison.criteria.criteria if any(leaf.rule.type == "raw" for leaf in c.leaves)
    ]
    if not raw:
        return ""
    ids = ", ".join(c.id for c in raw)
    if any(len(c.leaves) > 1 for c in raw):
        return _("{ids}: raw values, not scores (— where they are mixed with scores)").format(
            ids=ids
        )
    return _("{ids}: raw values, not scores").format(ids=ids)


def no_contribution(criterion: CriterionScore, method: str) -> str:
    """Why a raw criterion shows no weight × score: its values are compared as they are."""
    if len(criterion.leaves) == 1:
        text = _(
            "a raw value, weight {weight:.0%}; no contribution: {method} compares the raw "
            "values themselves"
        )
    else:
        text = _(
            "raw values among its sub-criteria, weight {weight:.0%}; no contribution: {method} "
            "compares the raw values themselves"
        )
    return text.format(weight=criterion.weight, method=method)


def method_names(comparison: Comparison) -> list[str]:
    """The methods compared side by side (`--method all`), in order; empty otherwise."""
    return next((list(e.methods) for e in comparison.evaluations if e.methods), [])


def differs(evaluation: Evaluation) -> bool:
    """Whether the methods rank this (eligible) proposal differently."""
    return len({rank for _, rank in evaluation.methods.values()}) > 1


def ordinal(rank: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st (in Malay: ke-1, ke-2, ...)."""
    if language() == "ms":
        return f"ke-{rank}"
    suffix = (
        "th" if rank % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    )
    return f"{rank}{suffix}"


def agreement_sentences(comparison: Comparison, shown: Collection[str] | None = None) -> list[str]:
    """Whether the ranking depends on the method, who moves, and Kendall's tau-b (naming
    only the proposals `shown` in a ranking cut short, and how many others move)."""
    names = method_names(comparison)
    ranked = [e for e in comparison.evaluations if e.rank is not None and e.methods]
    if len(names) < 2 or not ranked:
        return []
    moved = [e for e in ranked if differs(e)]
    if not moved:
        sentences = [
            _("The ranking does not depend on the method: {methods} agree.").format(
                methods=_joined(names)
            )
        ]
    else:
        winners = {name: sorted(e.id for e in ranked if e.methods[name][1] == 1) for name in names}
        named = [e for e in moved if shown is None or e.id in shown]
        others = len(moved) - len(named)
        moves = "; ".join(
            [
                *(
                    _("{id} is {placings}").format(id=e.id, placings=_placings(e, names))
                    for e in named
                ),
                *([_("{count:,} more proposals move").format(count=others)] if others else []),
            ]
        )
        if len({tuple(w) for w in winners.values()}) > 1:
            sentence = _("The winner depends on the method: {moves}.")
        else:
            sentence = _("The ranking depends on the method: {moves}.")
        sentences = [sentence.format(moves=moves)]
    if comparison.kendall_tau:
        taus = ", ".join(
            f"{pair} {'n/a' if tau is None else f'{tau:.2f}'}"
            for pair, tau in comparison.kendall_tau.items()
        )
        sentences.append(
            _("Kendall's tau-b between the rankings (1 = same order): {taus}.").format(taus=taus)
        )
    return sentences


def _placings(evaluation: Evaluation, names: list[str]) -> str:
    by_rank: dict[int, list[str]] = {}
    for name in names:
        rank = evaluation.methods[name][1]
        if rank is not None:
            by_rank.setdefault(rank, []).append(name)
    return ", ".join(
        _("{ordinal} by {methods}").format(ordinal=ordinal(rank), methods=_joined(methods))
        for rank, methods in sorted(by_rank.items())
    )


def _joined(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return _("{items} and {last}").format(items=", ".join(words[:-1]), last=words[-1])
