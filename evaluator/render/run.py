"""What a run says about itself, in words shared by every renderer: whether it is a
what-if, how many files it evaluated, and the caveats that make its result provisional.

The core gives the facts (`Comparison.what_if`, `.files`, `.unevaluated`, `.caveats`);
the sentences are made here, once, for the table, Markdown, HTML, CSV and sensitivity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from evaluator.model.criteria import Criteria
from evaluator.model.method import Method
from evaluator.render import percent
from evaluator.scoring.caveats import (
    CRITERIA_CHANGED,
    DECLARATION_MISSING,
    METHODS_DISAGREE,
    NOT_EVALUATED,
    PANEL_GAP,
    PANEL_MISSING,
    RATING_DROPPED,
    Caveat,
)
from evaluator.scoring.results import Comparison, WhatIf

# Methods whose scores depend on which proposals are compared.
_RELATIVE = (Method.TOPSIS, Method.PROMETHEE)


def what_if_sentence(comparison: Comparison) -> str | None:
    """'What-if (…), not the criteria file's evaluation: …', or None for the file's own."""
    return what_if_text(comparison.criteria, comparison.what_if, comparison.weights)


def what_if_text(
    criteria: Criteria, what_if: WhatIf | None, weights: Mapping[str, float]
) -> str | None:
    """The what-if of a run with these `weights` in effect, or None for the file's own."""
    if what_if is None:
        return None
    parts = []
    if what_if.weights is not None:
        base = criteria.weights()
        parts.append(
            "weights "
            + ", ".join(
                f"{k} {percent(w)} (file {percent(base[k])})"
                for k, w in weights.items()
                if abs(w - base[k]) > 1e-9
            )
        )
    if what_if.method is not None:
        parts.append(f"method {what_if.method} (file {criteria.method})")
    return (
        f"What-if ({what_if_options(what_if)}), not the criteria file's evaluation: "
        + "; ".join(parts)
        + "."
    )


def what_if_terms(what_if: WhatIf | None) -> str:
    """The departures in a few words: `weights pricing=40; method topsis` ('' for none)."""
    return "; ".join(
        option.removeprefix("--") for option in what_if_options(what_if).split(" --") if option
    )


def what_if_options(what_if: WhatIf | None) -> str:
    """The options that made a what-if, as typed: `--weights pricing=40 --method topsis`."""
    if what_if is None:
        return ""
    options = []
    if what_if.weights is not None:
        options.append(
            "--weights "
            + ",".join(
                f"{k}={percent(v / 100, 4).removesuffix('%')}" for k, v in what_if.weights.items()
            )
        )
    if what_if.method is not None:
        options.append(f"--method {what_if.method}")
    return " ".join(options)


def files_phrase(comparison: Comparison) -> str:
    """'4 files, all evaluated' or '6 files, 5 evaluated, 1 could not be'; the number of
    proposals when the run did not come from files."""
    evaluated = len(comparison.evaluations)
    if comparison.files is None:
        return f"{evaluated} proposal{'s' if evaluated != 1 else ''}"
    given = comparison.files
    files = f"{given} file{'s' if given != 1 else ''}"
    if evaluated == given:
        return f"{files}, all evaluated" if given > 1 else f"{files}, evaluated"
    missed = given - evaluated
    return f"{files}, {evaluated} evaluated, {missed} could not be"


def caveat_sentences(comparison: Comparison) -> list[str]:
    """Each caveat as a sentence, in the order found (files, panel, methods)."""
    sentences: list[str] = []
    gaps: dict[str, list[str]] = {}
    for caveat in comparison.caveats:
        if caveat.code == PANEL_GAP:
            gaps.setdefault(str(caveat.data["judgement"]), []).append(str(caveat.data["id"]))
            continue
        if gaps and caveat.code != PANEL_GAP:
            sentences += _gap_sentences(gaps)
            gaps = {}
        sentences.append(_sentence(comparison, caveat))
    return sentences + _gap_sentences(gaps)


def gap_warnings(gaps: Sequence[Caveat], folder: str) -> list[str]:
    """`validate --panel`'s warnings: each judgement no member rated, by proposal; then
    each member's file without a declaration of no conflict of interest."""
    by_judgement: dict[str, list[str]] = {}
    undeclared: list[str] = []
    for caveat in gaps:
        if caveat.code == DECLARATION_MISSING:
            undeclared.append(f"{folder}: warning: {_sentence_of(caveat)}")
            continue
        by_judgement.setdefault(str(caveat.data["judgement"]), []).append(str(caveat.data["id"]))
    sentences = [f"{folder}: warning: {sentence}" for sentence in _gap_sentences(by_judgement)]
    return sentences + undeclared


def _sentence_of(caveat: Caveat) -> str:
    """A caveat that needs no comparison to be worded (a member's missing declaration)."""
    data = caveat.data
    return (
        f"Member {data['member']} has made no declaration of no conflict of interest "
        f"({data['file']})."
    )


def _gap_sentences(gaps: dict[str, list[str]]) -> list[str]:
    return [
        f"No panel member rated {ids[0]}'s {judgement}: it scores 0 (missing)."
        if len(ids) == 1
        else f"No panel member rated the {judgement} of {_listed(ids)}: each scores 0 (missing)."
        for judgement, ids in gaps.items()
    ]


def _sentence(comparison: Comparison, caveat: Caveat) -> str:
    data = caveat.data
    if caveat.code == NOT_EVALUATED:
        files = list(data["files"])
        sentence = (
            f"Not in this ranking: {_listed(files)} could not be evaluated (the errors say why)"
        )
        used = {comparison.method, *(m for e in comparison.evaluations for m in e.methods)}
        relative = [m for m in _RELATIVE if m in used]
        if relative and comparison.evaluations:
            sentence += (
                f"; {' and '.join(relative)} scores are relative to the proposals "
                f"compared, so they would differ with "
                f"{'it' if len(files) == 1 else 'them'}"
            )
        return sentence + "."
    if caveat.code == PANEL_MISSING:
        judgements = ", ".join(data["judgements"])
        return f"No panel ratings (no --panel): {judgements} scores 0 for every proposal."
    if caveat.code == RATING_DROPPED:
        what = "ratings" if data["judgement"] is None else f"{data['judgement']} rating"
        where = data["file"] + (f" line {data['line']}" if data["line"] is not None else "")
        return (
            f"Member {data['member']}'s {what} of {data['id']} could not be read and "
            f"{'are' if data['judgement'] is None else 'is'} left out ({where})."
        )
    if caveat.code == CRITERIA_CHANGED:
        return criteria_changed_sentence(caveat)
    if caveat.code == DECLARATION_MISSING:
        return _sentence_of(caveat)
    if caveat.code == METHODS_DISAGREE:
        winners = "; ".join(
            f"{name} {', '.join(ids) or 'none'}" for name, ids in data["winners"].items()
        )
        return f"The methods disagree on the winner: {winners}."
    raise ValueError(f"no words for caveat {caveat.code!r}")  # pragma: no cover


def criteria_changed_sentence(caveat: Caveat) -> str:
    """Criteria changed after bid opening: what differs from the frozen criteria, and when
    the programme was opened."""
    data = caveat.data
    what = (
        "criteria files differ from those"
        if data["what"] == "criteria"
        else "weights (a what-if) differ from those"
    )
    return (
        f"Criteria changed after bid opening: programme {data['programme']} was opened at "
        f"run {data['opened_run']} ({data['opened_at']}); this run's {what} frozen then."
    )


def _listed(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def unscored_sentence(fields: Sequence[str]) -> str:
    """The fields a proposal gives that the criteria do not read."""
    return "Given, not scored by these criteria (information only): " + ", ".join(fields) + "."


def provisional(comparison: Comparison) -> bool:
    """Whether the recommendation stands on caveats (shown amber, with the reasons)."""
    return bool(comparison.caveats)
