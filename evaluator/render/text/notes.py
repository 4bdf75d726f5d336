"""The notes of a run and the warnings about a proposal, in words: one entry per code of
evaluator.model.notes (a test checks that every code has its words)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from evaluator.model.method import Method
from evaluator.model.notes import (
    AHP_INCONSISTENT,
    ALONE_METHODS,
    COMPARED_WITH_ITSELF,
    CRITERIA_METHOD,
    DIFF_OTHER_ID,
    MISSING_CREDIBILITY,
    MISSING_VALUE,
    PANEL_DISAGREEMENT,
    RANGED,
    RELATIVE_METHODS,
    RELATIVE_RULES,
    STAGES_NOT_RUN,
    STAGES_PASSED,
    UNMET_FIELD,
    UNRATED,
    UNREFERENCED_REQUIREMENT,
    VALUES_AT_POINT,
    VALUES_NONE_RANGED,
    VALUES_SKIPPED,
    WSM_LEFT_OUT,
    Note,
)
from evaluator.render.text.evidence import RANGED_MARK
from evaluator.render.text.numbers import points
from evaluator.render.text.panel import extremes

# Beyond this many proposals with ranged figures, a ranking cut short counts them.
_NAMED_RANGED = 5
# What a relative method gives when it has nothing to compare.
_NEUTRAL = {Method.TOPSIS: "topsis gives 50", Method.PROMETHEE: "promethee gives 0"}
_RANGED_REST = (
    " some figures as ranges (estimates), scored at the likely value or else the "
    "midpoint; `evaluator sensitivity --values` draws them"
)


def _ranged(data: Mapping[str, Any]) -> str:
    ids = data["ids"]
    return (
        f"{RANGED_MARK} " + ", ".join(ids) + (" gives" if len(ids) == 1 else " give") + _RANGED_REST
    )


def _disagreement(data: Mapping[str, Any]) -> str:
    consensus = data["consensus"]
    return (
        f"panel disagreement on {consensus.judgement} for {data['id']}: "
        f"{extremes(consensus)}; spread {points(consensus.spread)} "
        f"(disagreement from {points(consensus.threshold)})"
    )


def _skipped(data: Mapping[str, Any]) -> str:
    ids = data["ids"]
    one = len(ids) == 1
    return (
        ", ".join(ids)
        + (" is" if one else " are")
        + " left out as ineligible, so "
        + ("its" if one else "their")
        + " ranged figures are not drawn"
    )


def _unmet(data: Mapping[str, Any]) -> str:
    close = data["close"]
    return (
        f"no proposal gives `{data['field']}`"
        + (f" (did you mean `{close}`?)" if close is not None else "")
        + ": a `technical` name is not checked against a list, so a misspelling in the "
        "criteria file scores 0 (or fails its gate) for every proposal"
    )


# Each note and warning, by code.
NOTES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    # notes of a run
    AHP_INCONSISTENT: lambda data: (
        f"the top-level weights come from {data['file']}, whose judgements are "
        f"inconsistent (CR {data['cr']:.3f} above {data['limit']:.2f}; "
        f"see `evaluator weights {data['file']}`)"
    ),
    RANGED: _ranged,
    RELATIVE_RULES: lambda data: (
        "scores of " + ", ".join(data["leaves"]) + " are relative to the proposals "
        f"compared ({' or '.join(data['kinds'])} rule): adding or removing a proposal can "
        "reorder the others"
    ),
    UNMET_FIELD: _unmet,
    UNREFERENCED_REQUIREMENT: lambda data: (
        f"requirement `{data['id']}` ({data['need']}) is "
        + (
            "tested by no gate: an offer that does not meet it still passes"
            if data["need"] == "mandatory"
            else "scored by no criterion: its answers change no score"
        )
    ),
    STAGES_NOT_RUN: lambda data: (
        "these criteria are evaluated in stages ("
        + ", ".join(data["stages"])
        + "): this is the offer's weighted evaluation of every criterion, as if it had "
        "passed them; `evaluator compare` runs the stages"
    ),
    STAGES_PASSED: lambda data: (
        "these criteria are evaluated in stages ("
        + ", ".join(data["stages"])
        + "): this analyses the weighted evaluation among the offers that passed every "
        "stage" + ("; not among them: " + ", ".join(data["left_out"]) if data["left_out"] else "")
    ),
    DIFF_OTHER_ID: lambda data: (
        f"OLD is `{data['old']}` and NEW is `{data['new']}`: two offers, not two rounds of one; "
        f"NEW is scored as `{data['old']}` would be (the panel's ratings of `{data['old']}`)"
    ),
    WSM_LEFT_OUT: lambda data: (
        "wsm is left out of the comparison: " + ", ".join(data["columns"]) + " use a raw rule"
    ),
    ALONE_METHODS: lambda data: (
        f"{' and '.join(data['methods'])} weigh proposals against each other: with one "
        "proposal there is nothing to compare ("
        + ", ".join(_NEUTRAL[m] for m in data["methods"])
        + ")"
    ),
    RELATIVE_METHODS: lambda data: (
        f"{' and '.join(data['methods'])} totals are relative to the proposals compared: "
        "adding or removing a proposal can reorder the others"
    ),
    CRITERIA_METHOD: lambda data: (
        f"the criteria file's method is {data['method']}; stability and acceptability are "
        "computed on weighted-sum (wsm) totals"
    ),
    VALUES_AT_POINT: lambda data: (
        "with --values, eligibility and the stability intervals are at the point "
        "estimates of the ranged figures; only the draws vary them within their ranges"
    ),
    VALUES_NONE_RANGED: lambda data: (
        "no eligible proposal gives a figure as a range: only the weights vary from draw to draw"
    ),
    VALUES_SKIPPED: _skipped,
    # warnings about one proposal
    MISSING_VALUE: lambda data: f"{data['field']} is missing: {data['leaf']} scores 0",
    MISSING_CREDIBILITY: lambda data: (
        f"{data['field']} is missing: {data['criterion']} takes the lowest credibility "
        f"factor, {data['factor']:g}"
    ),
    COMPARED_WITH_ITSELF: lambda data: (
        f"{data['leaf']} uses a {data['rule']} rule: with one proposal it is compared with itself"
    ),
    UNRATED: lambda data: (
        f"{data['field']} is missing: no panel member rated {data['id']}; {data['leaf']} scores 0"
    ),
    PANEL_DISAGREEMENT: _disagreement,
}


def note_text(note: Note) -> str:
    """A note or a warning in words (no full stop: each renderer ends it its own way)."""
    return NOTES[note.code](note.data)


def notes_text(notes: Iterable[Note]) -> list[str]:
    """Each note or warning in words, in order."""
    return [NOTES[note.code](note.data) for note in notes]


def short_note_text(note: Note) -> str:
    """A note as a ranking cut short words it: the proposals with ranged figures counted,
    not named, when there are many."""
    ids = note.data.get("ids", ()) if note.code == RANGED else ()
    if len(ids) <= _NAMED_RANGED:
        return note_text(note)
    return f"{RANGED_MARK} {len(ids):,} proposals (marked {RANGED_MARK}) give" + _RANGED_REST
