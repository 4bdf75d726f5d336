"""A result's titles in the language of the report (`RenderOptions.lang`).

A criteria file may give its titles in English and Bahasa Malaysia (`title: {en: ...,
ms: ...}`, evaluator.model.languages); the engine scores with the default (English)
text. A renderer writing in another language calls `localized` first: the same result,
its criteria, criterion, sub-criterion, gate and stage titles (and sources) in that
language where the file gives them. A proposal's own text stays as written. The JSON and
CSV contracts keep the default text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from evaluator.model.criteria import Gate, in_language
from evaluator.scoring.results import Comparison, GateResult
from evaluator.scoring.stages import Outcome, Staged

DEFAULT_LANGUAGE = "en"


def localized(comparison: Comparison, lang: str) -> Comparison:
    """`comparison` with its titles in `lang` (itself for the default language)."""
    if lang == DEFAULT_LANGUAGE:
        return comparison
    criteria = in_language(comparison.criteria, lang)
    criteria_by_id = {c.id: c for c in criteria.criteria}
    gates = {g.id: g for g in criteria.gates}
    evaluations = []
    for e in comparison.evaluations:
        scores = []
        for c in e.criteria:
            given = criteria_by_id.get(c.id)
            if given is None:
                scores.append(c)
                continue
            leaves = {leaf.id: leaf for leaf in given.leaves}
            scores.append(
                replace(
                    c,
                    title=given.title,
                    leaves=tuple(
                        replace(leaf, title=leaves[leaf.id].title) if leaf.id in leaves else leaf
                        for leaf in c.leaves
                    ),
                )
            )
        results = _gate_results(e.gates, gates)
        copy = replace(e, criteria=tuple(scores), gates=results)
        evaluations.append(copy)
    return replace(comparison, criteria=criteria, evaluations=evaluations)


def localized_staged(staged: Staged, lang: str) -> Staged:
    """A staged run with its titles in `lang` (the stages', and the final comparison's)."""
    if lang == DEFAULT_LANGUAGE:
        return staged
    criteria = in_language(staged.criteria, lang)
    stages = {s.id: s for s in criteria.stages}
    gates = {g.id: g for g in criteria.gates}

    def outcome(item: Outcome) -> Outcome:
        return replace(item, failed_gates=_gate_results(item.failed_gates, gates))

    return replace(
        staged,
        criteria=criteria,
        stages=[
            replace(
                result,
                stage=stages.get(result.stage.id, result.stage),
                outcomes=[outcome(item) for item in result.outcomes],
            )
            for result in staged.stages
        ],
        final=None if staged.final is None else localized(staged.final, lang),
    )


def _gate_results(
    results: Iterable[GateResult], gates: Mapping[str, Gate]
) -> tuple[GateResult, ...]:
    """Gate results with the titles (and gates) of `gates`, the criteria in the language."""
    return tuple(
        replace(g, title=gates[g.id].title, gate=gates[g.id]) if g.id in gates else g
        for g in results
    )
