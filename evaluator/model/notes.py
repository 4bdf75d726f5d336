"""Notes and warnings about a result, as facts: a code and the data that says what and where.

The core says *what* holds (a proposal gives figures as ranges; a value is missing and
scores 0; a derived cost is unit price × quantity + one-off costs...) and never in words:
the render layer words each code (evaluator.render.text.notes and .evidence), so that
every renderer, the JSON contract included, says it the same way, and another language
is one more table there. The codes are listed here, one place, with the data each
carries; a test checks that every one has its words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Note:
    """One fact about a result, for people to read once worded: its code and its data."""

    code: str
    data: Mapping[str, Any] = field(default_factory=dict)


# --- notes of a run (Comparison.notes, Criteria.notes, Sensitivity.notes) -----------------

# The top-level weights come from AHP judgements that are inconsistent: file, cr, limit.
AHP_INCONSISTENT = "ahp_inconsistent"
# Proposals give figures as ranges, scored at their point estimates: ids (result order).
RANGED = "ranged"
# Scores relative to the proposals compared: leaves (ids), kinds (rule types, sorted).
RELATIVE_RULES = "relative_rules"
# A free-form field the criteria read and no proposal gives: field, close (a near name
# the proposals give, or None).
UNMET_FIELD = "unmet_field"
# A requirement that no criterion scores (desirable) or no gate tests (mandatory): id, need.
UNREFERENCED_REQUIREMENT = "unreferenced_requirement"
# `score` on criteria in stages: the offer's weighted evaluation, the stages not run: stages
# (ids, in order).
STAGES_NOT_RUN = "stages_not_run"
# `sensitivity` on criteria in stages: the analysis is of the weighted evaluation among the
# offers that passed every stage: stages (ids, in order), left_out (the offers that did not).
STAGES_PASSED = "stages_passed"
# `diff` of two offers with different ids: old, new (the ids); NEW is scored under OLD's.
DIFF_OTHER_ID = "diff_other_id"
# `--method all` leaves the weighted sum out: columns (criterion.leaf of each raw rule).
WSM_LEFT_OUT = "wsm_left_out"
# Relative methods (topsis, promethee) with one proposal: methods.
ALONE_METHODS = "alone_methods"
# Relative methods' totals depend on the proposals compared: methods.
RELATIVE_METHODS = "relative_methods"
# sensitivity on a criteria file of another method: method.
CRITERIA_METHOD = "criteria_method"
# sensitivity --values: eligibility and the intervals are at the point estimates.
VALUES_AT_POINT = "values_at_point"
# sensitivity --values with no eligible proposal giving a range.
VALUES_NONE_RANGED = "values_none_ranged"
# sensitivity --values: ineligible proposals whose ranged figures are not drawn: ids.
VALUES_SKIPPED = "values_skipped"

# --- warnings about one proposal (Evaluation.warnings) ------------------------------------

# A value missing: field, leaf (criterion.leaf); it scores 0.
MISSING_VALUE = "missing_value"
# A credibility field missing: field, criterion, factor (the lowest, taken).
MISSING_CREDIBILITY = "missing_credibility"
# A relative rule with one proposal: leaf (criterion.leaf), rule (its type).
COMPARED_WITH_ITSELF = "compared_with_itself"
# A judgement no panel member rated: field, id (the proposal), leaf (criterion.leaf).
UNRATED = "unrated"
# The members disagree on a judgement: id (the proposal), consensus (scoring.Consensus).
PANEL_DISAGREEMENT = "panel_disagreement"

# --- how a value was derived or converted (Evaluation.notes: field -> Note) ---------------

# Money in the criteria currency: original, currency (the offer's), rate.
CONVERTED = "converted"
# unit_price × quantity + one_off (in the criteria currency).
ACQUISITION = "acquisition"
# acquisition (with unit_price, quantity, one_off) + per_year for years, discounted at
# discount_rate: npv.
LIFECYCLE = "lifecycle"
# Σ value × multiplier: count (activities), local (of them), currency (the offer's), rate.
CREDIT_VALUE = "credit_value"
# 100 × credit / acquisition.
CREDIT_RATIO = "credit_ratio"
# 100 × local / credit (credit 0: no local share).
LOCAL_SHARE = "local_share"

# Why a judgement is missing (LeafScore.absent).
NO_PANEL = "no_panel"  # no --panel given
NOT_RATED = "not_rated"  # no member rated it

RUN_NOTES = (
    AHP_INCONSISTENT,
    RANGED,
    RELATIVE_RULES,
    UNMET_FIELD,
    UNREFERENCED_REQUIREMENT,
    STAGES_NOT_RUN,
    STAGES_PASSED,
    DIFF_OTHER_ID,
    WSM_LEFT_OUT,
    ALONE_METHODS,
    RELATIVE_METHODS,
    CRITERIA_METHOD,
    VALUES_AT_POINT,
    VALUES_NONE_RANGED,
    VALUES_SKIPPED,
)
WARNINGS = (MISSING_VALUE, MISSING_CREDIBILITY, COMPARED_WITH_ITSELF, UNRATED, PANEL_DISAGREEMENT)
DERIVATIONS = (CONVERTED, ACQUISITION, LIFECYCLE, CREDIT_VALUE, CREDIT_RATIO, LOCAL_SHARE)
ABSENCES = (NO_PANEL, NOT_RATED)
