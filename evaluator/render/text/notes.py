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
from evaluator.render.i18n import N_, ngettext
from evaluator.render.i18n import gettext as _
from evaluator.render.text.evidence import RANGED_MARK
from evaluator.render.text.numbers import points
from evaluator.render.text.panel import extremes

# Beyond this many proposals with ranged figures, a ranking cut short counts them.
_NAMED_RANGED = 5
# What a relative method gives when it has nothing to compare.
_NEUTRAL = {Method.TOPSIS: N_("topsis gives 50"), Method.PROMETHEE: N_("promethee gives 0")}
_LIST = ", "  # between the items of a list in a sentence


def _ranged(data: Mapping[str, Any]) -> str:
    ids = data["ids"]
    return ngettext(
        "{mark} {ids} gives some figures as ranges (estimates), scored at the likely value "
        "or else the midpoint; `evaluator sensitivity --values` draws them",
        "{mark} {ids} give some figures as ranges (estimates), scored at the likely value "
        "or else the midpoint; `evaluator sensitivity --values` draws them",
        len(ids),
    ).format(mark=RANGED_MARK, ids=_LIST.join(ids))


def _disagreement(data: Mapping[str, Any]) -> str:
    consensus = data["consensus"]
    return _(
        "panel disagreement on {judgement} for {id}: {extremes}; spread {spread} "
        "(disagreement from {threshold})"
    ).format(
        judgement=consensus.judgement,
        id=data["id"],
        extremes=extremes(consensus),
        spread=points(consensus.spread),
        threshold=points(consensus.threshold),
    )


def _skipped(data: Mapping[str, Any]) -> str:
    ids = data["ids"]
    return ngettext(
        "{ids} is left out as ineligible, so its ranged figures are not drawn",
        "{ids} are left out as ineligible, so their ranged figures are not drawn",
        len(ids),
    ).format(ids=_LIST.join(ids))


def _unmet(data: Mapping[str, Any]) -> str:
    close = data["close"]
    hint = "" if close is None else _(" (did you mean `{name}`?)").format(name=close)
    return _(
        "no proposal gives `{field}`{hint}: a `technical` name is not checked against a list, "
        "so a misspelling in the criteria file scores 0 (or fails its gate) for every proposal"
    ).format(field=data["field"], hint=hint)


def _unreferenced(data: Mapping[str, Any]) -> str:
    if data["need"] == "mandatory":
        text = _(
            "requirement `{id}` ({need}) is tested by no gate: an offer that does not meet it "
            "still passes"
        )
    else:
        text = _(
            "requirement `{id}` ({need}) is scored by no criterion: its answers change no score"
        )
    return text.format(id=data["id"], need=_need(data["need"]))


def _need(need: str) -> str:
    """A requirement's need (`mandatory`, `desirable`) in words."""
    return {"mandatory": _("mandatory"), "desirable": _("desirable")}.get(need, need)


def _stages_passed(data: Mapping[str, Any]) -> str:
    stages = _LIST.join(data["stages"])
    if data["left_out"]:
        return _(
            "these criteria are evaluated in stages ({stages}): this analyses the weighted "
            "evaluation among the offers that passed every stage; not among them: {left_out}"
        ).format(stages=stages, left_out=_LIST.join(data["left_out"]))
    return _(
        "these criteria are evaluated in stages ({stages}): this analyses the weighted "
        "evaluation among the offers that passed every stage"
    ).format(stages=stages)


def _and(items: Iterable[str]) -> str:
    return _(" and ").join(items)


# Each note and warning, by code.
NOTES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    # notes of a run
    AHP_INCONSISTENT: lambda data: _(
        "the top-level weights come from {file}, whose judgements are inconsistent "
        "(CR {cr:.3f} above {limit:.2f}; see `evaluator weights {file}`)"
    ).format(file=data["file"], cr=data["cr"], limit=data["limit"]),
    RANGED: _ranged,
    RELATIVE_RULES: lambda data: _(
        "scores of {leaves} are relative to the proposals compared ({kinds} rule): adding or "
        "removing a proposal can reorder the others"
    ).format(leaves=_LIST.join(data["leaves"]), kinds=_(" or ").join(data["kinds"])),
    UNMET_FIELD: _unmet,
    UNREFERENCED_REQUIREMENT: _unreferenced,
    STAGES_NOT_RUN: lambda data: _(
        "these criteria are evaluated in stages ({stages}): this is the offer's weighted "
        "evaluation of every criterion, as if it had passed them; `evaluator compare` runs "
        "the stages"
    ).format(stages=_LIST.join(data["stages"])),
    STAGES_PASSED: _stages_passed,
    DIFF_OTHER_ID: lambda data: _(
        "OLD is `{old}` and NEW is `{new}`: two offers, not two rounds of one; NEW is scored "
        "as `{old}` would be (the panel's ratings of `{old}`)"
    ).format(old=data["old"], new=data["new"]),
    WSM_LEFT_OUT: lambda data: _(
        "wsm is left out of the comparison: {columns} use a raw rule"
    ).format(columns=_LIST.join(data["columns"])),
    ALONE_METHODS: lambda data: _(
        "{methods} weigh proposals against each other: with one proposal there is nothing "
        "to compare ({neutral})"
    ).format(
        methods=_and(data["methods"]),
        neutral=_LIST.join(_(_NEUTRAL[m]) for m in data["methods"]),
    ),
    RELATIVE_METHODS: lambda data: _(
        "{methods} totals are relative to the proposals compared: adding or removing a "
        "proposal can reorder the others"
    ).format(methods=_and(data["methods"])),
    CRITERIA_METHOD: lambda data: _(
        "the criteria file's method is {method}; stability and acceptability are computed on "
        "weighted-sum (wsm) totals"
    ).format(method=data["method"]),
    VALUES_AT_POINT: lambda data: _(
        "with --values, eligibility and the stability intervals are at the point estimates "
        "of the ranged figures; only the draws vary them within their ranges"
    ),
    VALUES_NONE_RANGED: lambda data: _(
        "no eligible proposal gives a figure as a range: only the weights vary from draw to draw"
    ),
    VALUES_SKIPPED: _skipped,
    # warnings about one proposal
    MISSING_VALUE: lambda data: _("{field} is missing: {leaf} scores 0").format(
        field=data["field"], leaf=data["leaf"]
    ),
    MISSING_CREDIBILITY: lambda data: _(
        "{field} is missing: {criterion} takes the lowest credibility factor, {factor:g}"
    ).format(field=data["field"], criterion=data["criterion"], factor=data["factor"]),
    COMPARED_WITH_ITSELF: lambda data: _(
        "{leaf} uses a {rule} rule: with one proposal it is compared with itself"
    ).format(leaf=data["leaf"], rule=data["rule"]),
    UNRATED: lambda data: _(
        "{field} is missing: no panel member rated {id}; {leaf} scores 0"
    ).format(field=data["field"], id=data["id"], leaf=data["leaf"]),
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
    return _(
        "{mark} {count:,} proposals (marked {mark}) give some figures as ranges (estimates), "
        "scored at the likely value or else the midpoint; `evaluator sensitivity --values` "
        "draws them"
    ).format(mark=RANGED_MARK, count=len(ids))
