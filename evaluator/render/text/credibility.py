"""Credibility in words: which sub-criteria it discounts and by what factor, and the sum
of a criterion's score that adds up ('22.50 + 0.25 × 37.50 = 31.88')."""

from __future__ import annotations

from evaluator.model.numeric import weighted_sum
from evaluator.render.i18n import N_
from evaluator.render.i18n import gettext as _
from evaluator.scoring.results import CriterionScore, LeafScore

PROMISE = N_("promise")
NOT_DISCOUNTED = N_("not discounted")


def partly_discounted(criterion: CriterionScore) -> bool:
    """Whether the credibility factor discounts some of the criterion's sub-criteria, not
    all: then each row says whether it is a promise. When it discounts them all, the
    criterion's line says it for every row (`factor × subtotal`), as before `applies_to`."""
    return criterion.credibility_field is not None and not all(
        leaf.discounted for leaf in criterion.leaves
    )


def parts(criterion: CriterionScore) -> tuple[float, float, float]:
    """The terms of the criterion's score as the card shows them: the weighted sum of the
    sub-criteria not discounted, the factor, and the weighted sum of the promises; the
    score is exactly `kept + factor × promised` (with no credibility: 0, 1 and the sum)."""
    leaves = criterion.leaves
    promised = _subtotal([leaf for leaf in leaves if leaf.discounted is not False])
    kept = _subtotal([leaf for leaf in leaves if leaf.discounted is False])
    return kept, criterion.credibility_factor, promised


def score_sum(criterion: CriterionScore) -> str:
    """The sum that makes the criterion's score, up to ' = ': '0.85 × 40.24 = ' when the
    factor discounts every sub-criterion, '29.00 + 0.85 × 40.24 = ' when it discounts some
    (the others' weighted sum + factor × the promises'), '' without credibility."""
    if criterion.credibility_field is None:
        return ""
    kept, factor, promised = parts(criterion)
    if not partly_discounted(criterion):
        return f"{factor:g} × {promised:.2f} = "
    return f"{kept:.2f} + {factor:g} × {promised:.2f} = "


def leaf_factor(leaf: LeafScore) -> str:
    """A row's factor: '× 0.85 (promise)' or '× 1 (not discounted)'."""
    return f"× {leaf.factor:g} ({_(PROMISE if leaf.discounted else NOT_DISCOUNTED)})"


def _subtotal(leaves: list[LeafScore]) -> float:
    return float(weighted_sum([leaf.weight for leaf in leaves], [leaf.score for leaf in leaves]))
