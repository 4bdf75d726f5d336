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
from evaluator.render.i18n import gettext as _
from evaluator.render.i18n import ngettext
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
            _("weights {weights}").format(
                weights=", ".join(
                    _("{name} {weight} (file {file})").format(
                        name=k, weight=percent(w), file=percent(base[k])
                    )
                    for k, w in weights.items()
                    if abs(w - base[k]) > 1e-9
                )
            )
        )
    if what_if.method is not None:
        parts.append(
            _("method {method} (file {file})").format(method=what_if.method, file=criteria.method)
        )
    return _("What-if ({options}), not the criteria file's evaluation: {departures}.").format(
        options=what_if_options(what_if), departures="; ".join(parts)
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
        return ngettext("{n} proposal", "{n} proposals", evaluated).format(n=evaluated)
    given = comparison.files
    if evaluated == given:
        return ngettext("{n} file, evaluated", "{n} files, all evaluated", given).format(n=given)
    missed = given - evaluated
    return ngettext(
        "{n} file, {evaluated} evaluated, {missed} could not be",
        "{n} files, {evaluated} evaluated, {missed} could not be",
        given,
    ).format(n=given, evaluated=evaluated, missed=missed)


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
    sentences = [
        _("{folder}: warning: {sentence}").format(folder=folder, sentence=sentence)
        for sentence in _gap_sentences(by_judgement)
    ]
    return sentences + undeclared


def _sentence_of(caveat: Caveat) -> str:
    """A caveat that needs no comparison to be worded (a member's missing declaration)."""
    data = caveat.data
    return _("Member {member} has made no declaration of no conflict of interest ({file}).").format(
        member=data["member"], file=data["file"]
    )


def _gap_sentences(gaps: dict[str, list[str]]) -> list[str]:
    return [
        _("No panel member rated {id}'s {judgement}: it scores 0 (missing).").format(
            id=ids[0], judgement=judgement
        )
        if len(ids) == 1
        else _("No panel member rated the {judgement} of {ids}: each scores 0 (missing).").format(
            judgement=judgement, ids=_listed(ids)
        )
        for judgement, ids in gaps.items()
    ]


def _sentence(comparison: Comparison, caveat: Caveat) -> str:
    data = caveat.data
    if caveat.code == NOT_EVALUATED:
        files = list(data["files"])
        used = {comparison.method, *(m for e in comparison.evaluations for m in e.methods)}
        relative = [m for m in _RELATIVE if m in used]
        if relative and comparison.evaluations:
            return ngettext(
                "Not in this ranking: {files} could not be evaluated (the errors say why); "
                "{methods} scores are relative to the proposals compared, so they would "
                "differ with it.",
                "Not in this ranking: {files} could not be evaluated (the errors say why); "
                "{methods} scores are relative to the proposals compared, so they would "
                "differ with them.",
                len(files),
            ).format(files=_listed(files), methods=_(" and ").join(relative))
        return _(
            "Not in this ranking: {files} could not be evaluated (the errors say why)."
        ).format(files=_listed(files))
    if caveat.code == PANEL_MISSING:
        judgements = ", ".join(data["judgements"])
        return _("No panel ratings (no --panel): {judgements} scores 0 for every proposal.").format(
            judgements=judgements
        )
    if caveat.code == RATING_DROPPED:
        where = data["file"]
        if data["line"] is not None:
            where = _("{file} line {line}").format(file=data["file"], line=data["line"])
        if data["judgement"] is None:
            text = _(
                "Member {member}'s ratings of {id} could not be read and are left out ({where})."
            )
        else:
            text = _(
                "Member {member}'s {judgement} rating of {id} could not be read and is left "
                "out ({where})."
            )
        return text.format(
            member=data["member"], judgement=data["judgement"], id=data["id"], where=where
        )
    if caveat.code == CRITERIA_CHANGED:
        return criteria_changed_sentence(caveat)
    if caveat.code == DECLARATION_MISSING:
        return _sentence_of(caveat)
    if caveat.code == METHODS_DISAGREE:
        winners = "; ".join(
            f"{name} {', '.join(ids) or _('none')}" for name, ids in data["winners"].items()
        )
        return _("The methods disagree on the winner: {winners}.").format(winners=winners)
    raise ValueError(f"no words for caveat {caveat.code!r}")  # pragma: no cover


def criteria_changed_sentence(caveat: Caveat) -> str:
    """Criteria changed after bid opening: what differs from the frozen criteria, and when
    the programme was opened."""
    data = caveat.data
    if data["what"] == "criteria":
        text = _(
            "Criteria changed after bid opening: programme {programme} was opened at run "
            "{run} ({at}); this run's criteria files differ from those frozen then."
        )
    else:
        text = _(
            "Criteria changed after bid opening: programme {programme} was opened at run "
            "{run} ({at}); this run's weights (a what-if) differ from those frozen then."
        )
    return text.format(programme=data["programme"], run=data["opened_run"], at=data["opened_at"])


def _listed(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return _(" and ").join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def unscored_sentence(fields: Sequence[str]) -> str:
    """The fields a proposal gives that the criteria do not read."""
    return _("Given, not scored by these criteria (information only): {fields}.").format(
        fields=", ".join(fields)
    )


def provisional(comparison: Comparison) -> bool:
    """Whether the recommendation stands on caveats (shown amber, with the reasons)."""
    return bool(comparison.caveats)
