"""The JSON result contract (formats.md §4) as plain data, shared by every renderer.

Its strings for people (a leaf's `explanation`, a gate's `detail` and `requirement`,
`warnings`, `notes`) are worded from the result's facts by evaluator.render.text, as every
other renderer words them."""

from __future__ import annotations

from datetime import date
from typing import Any

from evaluator import __version__
from evaluator.model.icp import IcpBreakdown
from evaluator.model.panel import is_judgement
from evaluator.model.ranges import Range, Uncertain
from evaluator.render.agent import agent_data
from evaluator.render.compliance import compliance_data, requirements_data
from evaluator.render.i18n import in_english
from evaluator.render.text.evidence import RANGED_MARK, explanation
from evaluator.render.text.gates import detail, requirement
from evaluator.render.text.notes import notes_text
from evaluator.scoring.results import (
    Comparison,
    CriterionScore,
    Evaluation,
    GateResult,
    LeafScore,
    WhatIf,
)

SCHEMA_VERSION = 1


def number(value: float) -> float:
    """Round away float noise so that output is stable and readable (6 decimals)."""
    rounded = round(float(value), 6)
    return 0.0 if rounded == 0 else rounded


def plain(value: Any) -> Any:
    """A field value as JSON: numbers rounded, lists for tuples, ISO dates."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return number(value)
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def marked_id(evaluation: Evaluation) -> str:
    """The proposal's id, marked `≈` when some of its figures are ranges (estimates)."""
    return f"{evaluation.id} {RANGED_MARK}" if evaluation.proposal.ranged else evaluation.id


@in_english
def comparison_data(
    comparison: Comparison,
    disagreements: list[dict[str, Any]] | None = None,
    evaluated: int | None = None,
) -> dict[str, Any]:
    """The whole result object of `compare` (and of `score`, with one result).

    `disagreements`, when given, are the panel's flags (see `panel_data`), and `evaluated`
    the number of results, both found elsewhere (results encoded by worker processes).
    """
    criteria = comparison.criteria
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "evaluator", "version": __version__},
        "criteria": {
            "id": criteria.id,
            "version": criteria.version,
            "file": criteria.file,
            "sha256": criteria.sha256,
            "currency": criteria.currency,
        },
        "method": comparison.method,
        "weights": {k: number(v) for k, v in comparison.weights.items()},
        "what_if": what_if_data(comparison.what_if),
        "classification": criteria.classification,
    }
    if comparison.files is not None:
        data["files"] = {
            "given": comparison.files,
            "evaluated": len(comparison.evaluations) if evaluated is None else evaluated,
        }
    data |= {
        "caveats": [c.as_dict() for c in comparison.caveats],
        "results": [evaluation_data(e) for e in comparison.evaluations],
        "errors": [p.as_dict() for p in comparison.errors],
        "notes": notes_text(comparison.notes),
        "panel": panel_data(comparison, disagreements),
    }
    if criteria.requirements:
        data["requirements"] = requirements_data(comparison)
    if comparison.kendall_tau is not None:
        data["kendall_tau"] = {
            k: None if v is None else number(v) for k, v in comparison.kendall_tau.items()
        }
    return data


def what_if_data(what_if: WhatIf | None) -> dict[str, Any] | None:
    """How the run departs from the criteria file: the what-if weights as given (percent
    of the total) and the method, each null when not changed; null for the file's own."""
    if what_if is None:
        return None
    return {
        "weights": None
        if what_if.weights is None
        else {k: number(v) for k, v in what_if.weights.items()},
        "method": what_if.method,
    }


@in_english
def evaluation_data(evaluation: Evaluation) -> dict[str, Any]:
    """One proposal's result."""
    proposal = evaluation.proposal
    data: dict[str, Any] = {
        "id": proposal.id,
        "file": proposal.file,
        "sha256": proposal.sha256,
        "country": proposal.country,
        "title": proposal.title,
        "eligible": evaluation.eligible,
        "rank": evaluation.rank,
        "total": number(evaluation.total),
        "gates": [gate_data(g) for g in evaluation.gates],
        "criteria": {c.id: criterion_data(c) for c in evaluation.criteria},
        "derived": {
            name: plain(evaluation.derived[name])
            for name in sorted(evaluation.notes)
            if name in evaluation.derived
        },
        "icp": icp_data(evaluation.icp),
        "agent": agent_data(evaluation.agent),
        "warnings": notes_text(evaluation.warnings),
        "unscored": list(evaluation.unscored),
    }
    if evaluation.compliance:
        data["compliance"] = compliance_data(evaluation)
    if evaluation.methods:
        data["methods"] = {
            name: {"total": number(total), "rank": rank}
            for name, (total, rank) in evaluation.methods.items()
        }
    return data


def icp_data(icp: IcpBreakdown | None) -> dict[str, Any] | None:
    """The ICP credit breakdown (None when the proposal lists no activities)."""
    if icp is None:
        return None
    return {
        "currency": icp.currency,
        "offer_currency": icp.offer_currency,
        "rate": icp.rate,
        "activities": [
            {
                "type": c.activity.type,
                "description": c.activity.description,
                "value": number(c.value),
                "offer_value": number(c.activity.value),
                "multiplier": c.multiplier,
                "credit": number(c.credit),
                "local": c.activity.local,
                "kind": c.activity.kind,
                "beneficiary": c.activity.beneficiary,
                "uplift": c.activity.uplift,
                "base_multiplier": c.base,
                **(
                    {}
                    if c.activity.range is None
                    else {"offer_range": range_data(c.activity.range)}
                ),
            }
            for c in icp.credits
        ],
        "credit_value": number(icp.credit_value),
        "uplift": icp.uplift,
        "local_credit_value": number(icp.local_credit_value),
        "acquisition_cost": plain(icp.acquisition_cost),
        "credit_ratio_pct": plain(icp.credit_ratio_pct),
        "local_share_pct": number(icp.local_share_pct),
    }


def gate_data(gate: GateResult) -> dict[str, Any]:
    """One gate: passed, whether it applies (`when`), which alternative passed (`any_of`),
    the value that decided it and the requirement."""
    data: dict[str, Any] = {"id": gate.id, "passed": gate.passed, "applies": gate.applies}
    if gate.gate.any_of:
        data["passed_by"] = gate.passed_by
    data["detail"] = detail(gate)
    data["requirement"] = requirement(gate.gate)
    return data


def criterion_data(criterion: CriterionScore) -> dict[str, Any]:
    """One criterion's score, weight, contribution and sub-criteria."""
    data: dict[str, Any] = {
        "score": number(criterion.score),
        "weight": number(criterion.weight),
        "contribution": number(criterion.contribution),
        "subcriteria": {leaf.id: leaf_data(leaf) for leaf in criterion.leaves},
    }
    if criterion.credibility_field is not None:
        data["credibility"] = {
            "field": criterion.credibility_field,
            "value": plain(criterion.credibility_value),
            "factor": number(criterion.credibility_factor),
        }
    return data


def leaf_data(leaf: LeafScore) -> dict[str, Any]:
    """One sub-criterion: field, value, score, weight, rule and explanation."""
    data: dict[str, Any] = {
        "field": leaf.field,
        "value": plain(leaf.value),
        "score": number(leaf.score),
        "weight": number(leaf.weight),
        "rule": leaf.rule,
        "explanation": explanation(leaf),
    }
    if leaf.discounted is not None:  # under a criterion with credibility
        data["discounted"] = leaf.discounted
        data["factor"] = number(leaf.factor)
    if leaf.missing:
        data["missing"] = True
    if is_judgement(leaf.field):
        data["panel"] = leaf_panel_data(leaf)
    if leaf.range is not None:
        data["range"] = range_data(leaf.range)
    if leaf.uncertain is not None:
        data["uncertain"] = uncertain_data(leaf.uncertain)
    return data


def range_data(estimate: Range) -> dict[str, Any]:
    """A figure given as a range: its bounds, its likely value (or null), the point's basis."""
    return {
        "low": plain(estimate.low),
        "high": plain(estimate.high),
        "likely": plain(estimate.likely),
        "point": estimate.basis,
    }


def uncertain_data(uncertain: Uncertain) -> dict[str, Any]:
    """A derived figure from ranged inputs: those inputs, and its bounds where it has them."""
    return {
        "inputs": list(uncertain.inputs),
        "low": plain(uncertain.low),
        "high": plain(uncertain.high),
    }


def leaf_panel_data(leaf: LeafScore) -> dict[str, Any]:
    """A judgement's members' ratings and scores, the spread and whether it is flagged."""
    consensus = leaf.panel
    if consensus is None:  # no --panel, or nobody rated it: the value is missing
        return {"ratings": {}, "scores": {}, "spread": None, "disagreement": False, "absent": []}
    return {
        "ratings": {r.member: r.level for r in consensus.ratings},
        "scores": {r.member: number(r.score) for r in consensus.ratings},
        "spread": number(consensus.spread),
        "disagreement": consensus.disagreement,
        "aggregate": consensus.aggregate,
        "absent": list(consensus.absent),
    }


def panel_data(
    comparison: Comparison, disagreements: list[dict[str, Any]] | None = None
) -> dict[str, Any] | None:
    """The panel of the run (None without --panel): members, settings, disagreements."""
    panel = comparison.panel
    if panel is None:
        return None
    settings = comparison.criteria.panel
    if disagreements is None:
        disagreements = [flag for e in comparison.evaluations for flag in flagged(e)]
    return {
        "folder": panel.folder,
        "aggregate": settings.aggregate,
        "disagreement": number(settings.disagreement),
        "members": [
            {
                "member": m.label,
                "file": m.file,
                "sha256": m.sha256,
                "name": m.name,
                "role": m.role,
                "declaration": None
                if m.declaration is None
                else {"date": m.declaration.date.isoformat(), "text": m.declaration.text},
            }
            for m in panel.members
        ],
        "disagreements": disagreements,
    }


def flagged(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The panel's disagreements on one proposal's judgements."""
    return [
        {
            "id": evaluation.id,
            "subcriterion": f"{c.id}.{leaf.id}",
            "judgement": leaf.panel.judgement,
            "spread": number(leaf.panel.spread),
            "highest": [r.member for r in leaf.panel.highest],
            "lowest": [r.member for r in leaf.panel.lowest],
        }
        for c in evaluation.criteria
        for leaf in c.leaves
        if leaf.panel is not None and leaf.panel.disagreement
    ]
