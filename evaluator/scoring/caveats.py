"""Caveats: the facts that make a recommendation provisional, as codes and data.

A result can be arithmetically right and still not ready to act on: the panel's
judgements were not given, a member's rating could not be read, the methods disagree on
the winner, some files were not evaluated. Each caveat is a code with the data that
says what and where; the renderers word them (and colour the recommendation amber).
Pure: no words for people here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from evaluator.model.criteria import Criteria
from evaluator.model.panel import Panel, is_judgement, judgement_name

# Codes, as the JSON `caveats` list carries them.
PANEL_MISSING = "panel_missing"  # the criteria score judgements and no panel was given
PANEL_GAP = "panel_gap"  # a proposal whose judgement no member rated: it scores as missing
RATING_DROPPED = "rating_dropped"  # a member's rating that could not be read: left out
# A panel member whose file gives no declaration of no conflict of interest (docs/panels.md).
DECLARATION_MISSING = "declaration_missing"
METHODS_DISAGREE = "methods_disagree"  # with --method all, the methods' winners differ
NOT_EVALUATED = "not_evaluated"  # proposal files given that could not be evaluated
# The register holds the programme's bid opening, and this run's criteria file (or its
# weights, a what-if) differ from those frozen then (evaluator.register; docs/register.md).
CRITERIA_CHANGED = "criteria_changed_after_opening"


@dataclass(frozen=True, slots=True)
class Caveat:
    """One reason to hold a recommendation as provisional."""

    code: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: the code, then its data."""
        return {"code": self.code, **self.data}


def judged(criteria: Criteria) -> list[str]:
    """The judgements the criteria score (`sincerity` for `panel.sincerity`), in order."""
    names: list[str] = []
    for _, leaf in criteria.leaves():
        if is_judgement(leaf.field) and judgement_name(leaf.field) not in names:
            names.append(judgement_name(leaf.field))
    return names


def find(
    criteria: Criteria,
    panel: Panel | None,
    evaluated: Sequence[str],
    unevaluated: Sequence[str],
    winners: Mapping[str, Collection[str]] | None = None,
) -> list[Caveat]:
    """The caveats of a run: `evaluated` are the ids scored, `unevaluated` the proposal
    files that could not be, `winners` each method's first-ranked ids (--method all)."""
    found: list[Caveat] = []
    judgements = judged(criteria)
    if unevaluated:
        found.append(Caveat(NOT_EVALUATED, {"files": list(unevaluated)}))
    if judgements and panel is None:
        found.append(Caveat(PANEL_MISSING, {"judgements": judgements}))
    if panel is not None:
        for rating in panel.dropped:
            found.append(
                Caveat(
                    RATING_DROPPED,
                    {
                        "member": rating.member,
                        "file": rating.file,
                        "line": rating.line,
                        "id": rating.proposal,
                        "judgement": rating.judgement,
                    },
                )
            )
        for member in panel.members:
            if member.declaration is None:
                found.append(
                    Caveat(DECLARATION_MISSING, {"member": member.label, "file": member.file})
                )
        for ident in evaluated:
            for name in judgements:
                if not panel.ratings(ident, name):
                    found.append(Caveat(PANEL_GAP, {"id": ident, "judgement": name}))
    if winners and len({tuple(sorted(w)) for w in winners.values()}) > 1:
        found.append(
            Caveat(
                METHODS_DISAGREE, {"winners": {name: sorted(ids) for name, ids in winners.items()}}
            )
        )
    return found
