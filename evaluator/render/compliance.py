"""The technical compliance matrix as rows shared by the table, Markdown and HTML
renderers, and as the JSON's `compliance` (per result) and `requirements` (per run)."""

from __future__ import annotations

from typing import Any

from evaluator.render.i18n import gettext as _
from evaluator.render.text.compliance import answer_text, failure_text, requirement_heading
from evaluator.scoring.results import Comparison, Evaluation


def failures(evaluation: Evaluation) -> list[str]:
    """The mandatory requirements a result does not meet, in words with their references."""
    return [failure_text(row) for row in evaluation.compliance if row.fails]


def matrix(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    """The matrix: a heading (requirement, its text, then each result's id) and a row per
    requirement: its id, need and verification, its text, and each result's answer."""
    evaluations = comparison.evaluations
    answers = [{row.requirement.id: row for row in e.compliance} for e in evaluations]
    heading = [_("Requirement"), _("Text"), *(e.id for e in evaluations)]
    body = []
    for requirement in comparison.criteria.requirements:
        cells = [answer_text(a[requirement.id]) if requirement.id in a else "—" for a in answers]
        body.append(
            [
                requirement_heading(requirement.id, requirement.need, requirement.verified_by),
                requirement.text,
                *cells,
            ]
        )
    return heading, body


def requirements_data(comparison: Comparison) -> list[dict[str, Any]]:
    """The JSON's `requirements`: each requirement of the criteria file."""
    return [
        {"id": r.id, "text": r.text, "need": r.need, "verified_by": r.verified_by}
        for r in comparison.criteria.requirements
    ]


def compliance_data(evaluation: Evaluation) -> list[dict[str, Any]]:
    """A result's `compliance`: each requirement's answer, whether it is met, the reference."""
    return [
        {
            "requirement": row.requirement.id,
            "need": row.requirement.need,
            "answer": row.answer.answer,
            "met": row.met,
            "reference": row.answer.reference.as_dict(),
        }
        for row in evaluation.compliance
    ]
