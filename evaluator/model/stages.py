"""Tender stages: an optional `stages` list in a criteria file.

A Malaysian tender is evaluated in turn by committees: technical compliance
(Jawatankuasa Penilaian Teknikal), the industrial collaboration proposal (the
Technology Depository Agency, TDA), then the financial envelope (Jawatankuasa
Penilaian Kewangan), opened only for offers that passed every stage before it. Each
stage names its criteria (scored together, their weights normalised within the stage)
and its gates, a pass rule (every gate, and the stage score at least `pass_mark` when
one is given), which envelope it reads, and whether the weighted evaluation of all
criteria follows it among the offers that passed every stage (`recommend`, the last
stage only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from evaluator.io.strict_yaml import PathKey
from evaluator.messages.compliance import (
    FINANCIAL_BEFORE_TECHNICAL,
    NO_SUCH_CRITERION_IN_STAGE,
    NO_SUCH_GATE_IN_STAGE,
    PASS_MARK_WITHOUT_CRITERIA,
    RECOMMEND_NOT_LAST,
    STAGE_TWICE,
)
from evaluator.messages.values import KEY
from evaluator.model.checks import Checker, read_id, suggestion
from evaluator.model.languages import Texts, read_texts

TECHNICAL, FINANCIAL = "technical", "financial"
ENVELOPES = (TECHNICAL, FINANCIAL)
STAGE_KEYS = (
    "id",
    "title",
    "description",
    "criteria",
    "gates",
    "pass_mark",
    "envelope",
    "recommend",
    "source",
)


@dataclass(frozen=True, slots=True)
class Stage:
    """One committee's evaluation."""

    id: str
    title: str  # the committee's name
    criteria: tuple[str, ...]  # the criteria it scores (ids), weights normalised among them
    gates: tuple[str, ...]  # the gates it checks (ids)
    pass_mark: float | None  # None: it passes on its gates alone
    envelope: str  # technical | financial: which of an offer's envelopes it reads
    recommend: bool = False  # the weighted evaluation of all criteria follows it
    titles: Texts = ()  # the title in each language given (model/languages.py)

    @property
    def financial(self) -> bool:
        return self.envelope == FINANCIAL


def read_stages(
    check: Checker, raw: Any, criteria: Sequence[str], gates: Sequence[str]
) -> tuple[Stage, ...]:
    """`stages`: a list of stages naming the file's criteria and gates by id."""
    path: PathKey = ("stages",)
    items = check.listing(path, raw)
    found: list[Stage] = []
    seen: set[str] = set()
    opened = False  # a stage before read the financial envelope
    for i, item in enumerate(items or ()):
        where = (*path, i)
        body = check.mapping(where, item, STAGE_KEYS, required=("id", "title"), what=KEY)
        if body is None:
            continue
        ident = read_id(check, where, body, seen, STAGE_TWICE)
        title, titles = (
            read_texts(check, (*where, "title"), body["title"])
            if body.get("title") is not None
            else (None, ())
        )
        named = _names(check, (*where, "criteria"), body.get("criteria"))
        for j, name in enumerate(named):
            if name not in criteria:
                check.report(
                    (*where, "criteria", j),
                    NO_SUCH_CRITERION_IN_STAGE(
                        stage=ident or "?", name=name, hint=suggestion(name, criteria)
                    ),
                )
        tested = _names(check, (*where, "gates"), body.get("gates"))
        for j, name in enumerate(tested):
            if name not in gates:
                check.report(
                    (*where, "gates", j),
                    NO_SUCH_GATE_IN_STAGE(
                        stage=ident or "?", name=name, hint=suggestion(name, gates)
                    ),
                )
        mark = None
        if body.get("pass_mark") is not None:
            mark = check.number((*where, "pass_mark"), body["pass_mark"], minimum=0, maximum=100)
            if not named:
                check.report((*where, "pass_mark"), PASS_MARK_WITHOUT_CRITERIA(stage=ident or "?"))
        envelope = (
            check.choice((*where, "envelope"), body["envelope"], ENVELOPES)
            if body.get("envelope") is not None
            else TECHNICAL
        )
        if envelope == TECHNICAL and opened:
            check.report((*where, "envelope"), FINANCIAL_BEFORE_TECHNICAL(stage=ident or "?"))
        opened = opened or envelope == FINANCIAL
        recommend = (
            check.boolean((*where, "recommend"), body["recommend"])
            if body.get("recommend") is not None
            else False
        )
        if recommend and i != len(items or ()) - 1:
            check.report((*where, "recommend"), RECOMMEND_NOT_LAST(stage=ident or "?"))
        if ident is None or title is None or envelope is None:
            continue
        found.append(
            Stage(
                ident,
                title,
                tuple(named),
                tuple(tested),
                None if mark is None else float(mark),
                envelope,
                bool(recommend),
                titles,
            )
        )
    return tuple(found)


def _names(check: Checker, path: PathKey, raw: Any) -> list[str]:
    if raw is None:
        return []
    items = check.listing(path, raw)
    names = []
    for j, item in enumerate(items or ()):
        name = check.text((*path, j), item)
        if name is not None:
            names.append(name)
    return names
