"""The technical compliance matrix: the requirements a criteria file lists and each
proposal's answers to them (its `compliance` section).

A requirement has an id, a text, a need (`mandatory` or `desirable`) and how it is
verified (`document`, `demonstration` or `test`). A proposal answers each one
`compliant`, `partial` or `non_compliant`, with a reference into the offer (volume,
section, page). The answers become values the rules and gates read:
`compliance.<id>` (the answer), `compliance.mandatory_met` (every mandatory requirement
answered `compliant`) and `compliance.desirable_pct` (the desirable ones met, a
`partial` counting half).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evaluator.errors import Problem
from evaluator.io.strict_yaml import PathKey
from evaluator.messages.compliance import (
    ANSWER_TO_NO_REQUIREMENT,
    REFERENCE_NEEDED,
    REQUIREMENT_TWICE,
    UNANSWERED,
)
from evaluator.messages.values import KEY
from evaluator.model.checks import Checker, read_id, suggestion
from evaluator.model.fields import (
    COMPLIANCE_ANSWERS,
    COMPLIANCE_SECTION,
    Value,
)

MANDATORY, DESIRABLE = "mandatory", "desirable"
NEEDS = (MANDATORY, DESIRABLE)
VERIFICATIONS = ("document", "demonstration", "test")
COMPLIANT, PARTIAL, NON_COMPLIANT = "compliant", "partial", "non_compliant"
ANSWERS = COMPLIANCE_ANSWERS
# What an answer counts for among the desirable requirements (policy choice: half for partial).
CREDIT = {COMPLIANT: 1.0, PARTIAL: 0.5, NON_COMPLIANT: 0.0}
SECTION = COMPLIANCE_SECTION
MANDATORY_MET = "compliance.mandatory_met"
DESIRABLE_PCT = "compliance.desirable_pct"
REQUIREMENT_KEYS = ("id", "text", "need", "verified_by", "source")
ANSWER_KEYS = ("answer", "reference", "note")
REFERENCE_KEYS = ("volume", "section", "page")


@dataclass(frozen=True, slots=True)
class Requirement:
    """One line of the user's requirement: what is asked, how much it matters, how checked."""

    id: str
    text: str
    need: str  # mandatory | desirable
    verified_by: str  # document | demonstration | test

    @property
    def mandatory(self) -> bool:
        return self.need == MANDATORY


@dataclass(frozen=True, slots=True)
class Reference:
    """Where in the offer the answer is shown: volume, section, page (any may be left out)."""

    volume: str | None = None
    section: str | None = None
    page: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"volume": self.volume, "section": self.section, "page": self.page}


@dataclass(frozen=True, slots=True)
class Answer:
    """A proposal's answer to one requirement."""

    requirement: str
    answer: str  # compliant | partial | non_compliant
    reference: Reference
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the matrix: a requirement, one proposal's answer, and whether it is met
    (a mandatory one only by `compliant`; a desirable one's credit in `credit`)."""

    requirement: Requirement
    answer: Answer

    @property
    def met(self) -> bool:
        return self.answer.answer == COMPLIANT

    @property
    def credit(self) -> float:
        return CREDIT[self.answer.answer]

    @property
    def fails(self) -> bool:
        """A mandatory requirement not met: the offer is not technically compliant."""
        return self.requirement.mandatory and not self.met


def answer_field(requirement: str) -> str:
    """The field a rule or gate reads one requirement's answer by."""
    return f"{SECTION}.{requirement}"


def read_requirements(check: Checker, raw: Any, path: PathKey) -> tuple[Requirement, ...]:
    """A criteria file's `requirements`: a list of {id, text, need, verified_by}."""
    items = check.listing(path, raw)
    found: list[Requirement] = []
    seen: set[str] = set()
    for i, item in enumerate(items or ()):
        where = (*path, i)
        body = check.mapping(
            where, item, REQUIREMENT_KEYS, required=("id", "text", "need", "verified_by"), what=KEY
        )
        if body is None:
            continue
        ident = read_id(check, where, body, seen, REQUIREMENT_TWICE)
        text = check.text((*where, "text"), body["text"]) if body.get("text") is not None else None
        need = check.choice((*where, "need"), body["need"], NEEDS) if "need" in body else None
        how = (
            check.choice((*where, "verified_by"), body["verified_by"], VERIFICATIONS)
            if "verified_by" in body
            else None
        )
        if ident is None or text is None or need is None or how is None:
            continue
        found.append(Requirement(ident, text, need, how))
    return tuple(found)


def read_answers(check: Checker, body: Any) -> dict[str, Answer]:
    """A proposal's `compliance` section: requirement id → {answer, reference, note}."""
    answers: dict[str, Answer] = {}
    for ident, raw in (check.mapping((SECTION,), body, None, what=KEY) or {}).items():
        path = (SECTION, ident)
        item = check.mapping(path, raw, ANSWER_KEYS, required=("answer", "reference"), what=KEY)
        if item is None:
            continue
        answer = (
            check.choice((*path, "answer"), item["answer"], ANSWERS)
            if item.get("answer") is not None
            else None
        )
        reference = None
        if item.get("reference") is not None:
            reference = _read_reference(check, (*path, "reference"), item["reference"])
        note = check.text((*path, "note"), item["note"]) if item.get("note") is not None else None
        if answer is not None and reference is not None:
            answers[ident] = Answer(ident, answer, reference, note)
    return answers


def _read_reference(check: Checker, path: PathKey, raw: Any) -> Reference | None:
    body = check.mapping(path, raw, REFERENCE_KEYS, what=KEY)
    if body is None:
        return None
    parts: dict[str, str] = {}
    for key in REFERENCE_KEYS:
        value = body.get(key)
        if value is None:
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        text = check.text((*path, key), value)
        if text is not None:
            parts[key] = text
    if not parts:
        if not any(body.get(k) is not None for k in REFERENCE_KEYS):
            check.report(path, REFERENCE_NEEDED)
        return None
    return Reference(**parts)


def check_answers(
    requirements: Sequence[Requirement],
    answers: Mapping[str, Answer] | None,
    problem: Any,
    criteria_file: str,
) -> list[Problem]:
    """Every requirement answered, and no answer to a requirement not listed: the problems,
    located by `problem(path, message, key=...)` (the proposal document's)."""
    problems: list[Problem] = []
    given = answers or {}
    where: PathKey = (SECTION,) if answers is not None else ("proposal",)
    for requirement in requirements:
        if requirement.id not in given:
            problems.append(
                problem(
                    where,
                    UNANSWERED(id=requirement.id, need=requirement.need, file=criteria_file),
                    key=True,
                )
            )
    listed = [r.id for r in requirements]
    for ident in given:
        if ident not in listed:
            problems.append(
                problem(
                    (SECTION, ident),
                    ANSWER_TO_NO_REQUIREMENT(
                        id=ident, file=criteria_file, hint=suggestion(ident, listed)
                    ),
                    key=True,
                )
            )
    return problems


def rows(requirements: Sequence[Requirement], answers: Mapping[str, Answer]) -> list[Row]:
    """The matrix of one proposal, in the criteria file's order of requirements."""
    return [Row(r, answers[r.id]) for r in requirements if r.id in answers]


def values(requirements: Sequence[Requirement], answers: Mapping[str, Answer]) -> dict[str, Value]:
    """The values rules and gates read of the answers: each answer, whether every mandatory
    requirement is met, and the share of desirable ones met (partial counting half)."""
    matrix = rows(requirements, answers)
    found: dict[str, Value] = {
        answer_field(row.requirement.id): row.answer.answer for row in matrix
    }
    found[MANDATORY_MET] = not any(row.fails for row in matrix)
    desirable = [row for row in matrix if not row.requirement.mandatory]
    if desirable:
        found[DESIRABLE_PCT] = 100 * sum(row.credit for row in desirable) / len(desirable)
    return found


def unreferenced(
    requirements: Sequence[Requirement], scored: Sequence[str], tested: Sequence[str]
) -> list[Requirement]:
    """The requirements nothing reads: a desirable one that no rule scores (by its answer
    or `compliance.desirable_pct`), a mandatory one that no gate tests (by its answer or
    `compliance.mandatory_met`). `scored`: the fields the rules read; `tested`: the gates'."""
    found = []
    for requirement in requirements:
        own = answer_field(requirement.id)
        if requirement.mandatory:
            used = own in tested or MANDATORY_MET in tested
        else:
            used = own in scored or own in tested or DESIRABLE_PCT in scored
        if not used:
            found.append(requirement)
    return found
