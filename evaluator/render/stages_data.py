"""A staged run as data: the JSON of `compare` on criteria with stages (and the library's
`Comparison.to_dict()` of such a run). No terminal library: the library reads it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from evaluator.render.data import number
from evaluator.render.i18n import in_english
from evaluator.render.text.compliance import ANSWERS
from evaluator.render.text.gates import detail, requirement
from evaluator.scoring.stages import Outcome, Staged

if TYPE_CHECKING:
    from evaluator.render.json import ResultLine


def final_or_empty(staged: Staged) -> Any:
    """The weighted evaluation among the offers that passed every stage; an empty one when
    the run has none (it stopped before, or no stage recommends)."""
    from evaluator.scoring.engine import evaluate

    if staged.final is not None:
        return staged.final
    return evaluate([], staged.criteria, errors=[])


def staged_json(staged: Staged) -> str:
    """The JSON contract of `compare` (the weighted evaluation among the offers that passed
    every stage; no results when there is none) with `stages` and `sealed`, laid out as
    every `--format json` is (render.json: a line per top-level key and per item of a
    top-level list; Python's indenting encoder took seconds on a large tender)."""
    from evaluator.render.json import dumps

    return dumps(staged_data(staged)) + "\n"


def staged_json_encoded(staged: Staged, results: Sequence[tuple[int | None, ResultLine]]) -> bytes:
    """`staged_json`, in UTF-8, for a staged run whose recommendation's results were encoded
    elsewhere (`render.json.result_lines`, by worker processes), each with its rank, in
    result order."""
    from evaluator.render.json import encoded_with, ranked_lines

    lines, flags = ranked_lines(results)
    return encoded_with(staged_data(staged, flags, len(results)), lines)


@in_english
def staged_data(
    staged: Staged,
    disagreements: list[dict[str, Any]] | None = None,
    evaluated: int | None = None,
) -> dict[str, Any]:
    """The object `staged_json` writes (`Comparison.to_dict()` of a staged run);
    `disagreements` and `evaluated` as `comparison_data` takes them, for results encoded
    elsewhere (worker processes)."""
    from evaluator.render.data import comparison_data

    data = comparison_data(final_or_empty(staged), disagreements, evaluated)
    data["errors"] = [p.as_dict() for p in staged.errors]
    data["stages"] = stages_data(staged)
    data["sealed"] = list(staged.sealed)
    return data


def stages_data(staged: Staged) -> list[dict[str, Any]]:
    """The JSON's `stages`: per stage, who passed with their score, who failed and why."""
    data = []
    for result in staged.stages:
        stage = result.stage
        data.append(
            {
                "id": stage.id,
                "title": stage.title,
                "envelope": stage.envelope,
                "criteria": list(stage.criteria),
                "gates": list(stage.gates),
                "pass_mark": stage.pass_mark,
                "recommend": stage.recommend,
                "passed": [
                    {"id": o.id, "score": None if o.score is None else number(o.score)}
                    for o in result.outcomes
                    if o.passed
                ],
                "failed": [_failed_data(o) for o in result.failed],
                "not_considered": list(result.not_considered),
            }
        )
    return data


def _failed_data(outcome: Outcome) -> dict[str, Any]:
    reasons_: list[dict[str, Any]] = [
        {
            "kind": "gate",
            "gate": g.id,
            "title": g.title,
            "requirement": requirement(g.gate),
            "detail": detail(g),
        }
        for g in outcome.failed_gates
    ]
    reasons_ += [
        {
            "kind": "requirement",
            "requirement": row.requirement.id,
            "answer": row.answer.answer,
            "answer_text": ANSWERS[row.answer.answer],
            "reference": row.answer.reference.as_dict(),
        }
        for row in outcome.unmet
    ]
    if outcome.below_mark:
        reasons_.append(
            {
                "kind": "pass_mark",
                "score": number(outcome.score or 0.0),
                # the panel's judgements behind the score: each member's level, and the
                # consolidated score (None: no member rated it, scored 0)
                "judgements": [
                    {
                        "judgement": field.removeprefix("panel."),
                        "ratings": None if c is None else {r.member: r.level for r in c.ratings},
                        "score": None if c is None else number(c.score),
                    }
                    for field, c in outcome.judgements
                ],
            }
        )
    reasons_ += [{"kind": "error", "error": p.as_dict()} for p in outcome.problems]
    return {
        "id": outcome.id,
        "score": None if outcome.score is None else number(outcome.score),
        "reasons": reasons_,
    }
