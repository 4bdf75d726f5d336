"""Proposal: the validated, typed view of a proposal file (one partner's offer)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluator.errors import InputError, Problem
from evaluator.io.strict_yaml import Document, PathKey
from evaluator.messages import Message
from evaluator.messages.proposal import (
    A_CRITERIA_FILE,
    A_JUDGEMENTS_FILE,
    A_PANEL_FILE,
    AGENT_FEE_NEEDED,
    AGENT_NAME_NEEDED,
    AGENT_REGISTRATION_NEEDED,
    AGENT_WITHOUT_AGENT,
    AGENT_WITHOUT_INTERMEDIARIES,
    CAP_WITHOUT_CAPPED_ESCALATION,
    CURRENCY_NEEDED,
    CURRENCY_NEEDED_FOR_ACTIVITIES,
    EXPECTED_CURRENCY_CODE,
    FILE_NAME_NOT_AN_ID,
    FREE_FORM_NAME,
    FREE_FORM_VALUE,
    LISTED_TWICE,
    NOT_A_PROPOSAL,
)
from evaluator.messages.values import SECTION
from evaluator.model.checks import Checker, describe
from evaluator.model.compliance import Answer, read_answers
from evaluator.model.fields import (
    ACTIVITY_SECTIONS,
    AGENT_FIELDS,
    ALL_SECTIONS,
    BOOL,
    CHOICE,
    CHOICES,
    COMPLIANCE_SECTION,
    CURRENCY,
    CURRENCY_PATTERN,
    DATE,
    FREE_FORM_SECTIONS,
    ID_PATTERN,
    MONEY,
    NUMERIC_KINDS,
    PERCENT,
    SECTIONS,
    TECHNICAL_NAME_PATTERN,
    TEXT,
    FieldSpec,
    Value,
    id_rule,
)
from evaluator.model.icp import Activity, read_activities
from evaluator.model.ranges import Range, is_range, read_number, read_range

# Upper bounds beyond the 0-100 of percentages. The lifecycle cost sums one term
# per support year, so a typo like `support_years: 2_000_000` must not run for minutes.
_MAXIMA = {"pricing.support_years": 100.0}


@dataclass(frozen=True, slots=True, eq=False)
class Proposal:
    """One partner's offer, as written: field values by dotted name (left-out fields absent)."""

    id: str
    file: str
    sha256: str
    values: Mapping[str, Value]
    document: Document = field(repr=False)
    # The industrial-collaboration (ICP) activities; None when the section is left out.
    activities: tuple[Activity, ...] | None = None
    # Figures given as ranges, by dotted name; `values` holds their point estimates.
    ranges: Mapping[str, Range] = field(default_factory=dict)
    # The answers to the criteria's requirements, by requirement id; None when the section
    # is left out (a technical envelope's, or a single file's).
    compliance: Mapping[str, Answer] | None = None
    # An offer in two envelopes: its financial envelope's file, not yet opened (see
    # evaluator.model.envelopes); None for a single file, or once opened.
    financial: str | None = None

    @property
    def ranged(self) -> bool:
        """Whether any figure (an ICP activity's value included) is given as a range."""
        return bool(self.ranges) or any(a.range is not None for a in self.activities or ())

    @property
    def country(self) -> str:
        """The partner country."""
        return str(self.values.get("proposal.country", ""))

    @property
    def title(self) -> str:
        """The offer's title, or its programme, or its id."""
        return str(
            self.values.get("proposal.title") or self.values.get("proposal.programme") or self.id
        )

    def problem(self, name: str, message: Message) -> Problem:
        """A problem located at a field of this proposal (or at its section)."""
        return self.document.problem(tuple(name.split(".", 1)), message)


def parse_proposal(document: Document) -> Proposal:
    """Validate a parsed proposal file; raise InputError listing every problem."""
    other = _other_kind(document.data)
    if other is not None:  # one line, not an "unknown section" for each of its keys
        raise InputError.at(document.file, NOT_A_PROPOSAL(other=other))
    check = Checker(document)
    top = check.mapping((), document.data, ALL_SECTIONS, required=("proposal",), what=SECTION)
    values: dict[str, Value] = {}
    ranges: dict[str, Range] = {}
    activities: tuple[Activity, ...] | None = None
    compliance: dict[str, Answer] | None = None
    given: set[str] = set()  # the fields written (not null), well or badly
    for section, body in (top or {}).items():
        if section in FREE_FORM_SECTIONS:
            _read_technical(check, section, body, values, ranges)
        elif section in ACTIVITY_SECTIONS:
            activities = read_activities(check, body)
        elif section == COMPLIANCE_SECTION:
            compliance = read_answers(check, body)
        elif section in SECTIONS:
            specs = SECTIONS[section]
            fields = check.mapping((section,), body, specs, required=_REQUIRED[section])
            for key, raw in (fields or {}).items():
                if key in specs and raw is not None:  # null means left out
                    given.add(specs[key].name)
                    value = _read_value(check, (section, key), raw, specs[key])
                    if isinstance(value, Range):  # scored at its point estimate
                        ranges[specs[key].name] = value
                        value = value.point
                    if value is not None:
                        values[specs[key].name] = value
    _cross_checks(check, values, given)
    if activities and "pricing.currency" not in values and not check.problems:
        check.report((*activities[0].path, "value"), CURRENCY_NEEDED_FOR_ACTIVITIES)
    stem = Path(document.file).stem
    proposal_id = str(values.get("proposal.id", stem))
    if "proposal.id" not in values and not ID_PATTERN.match(stem):
        # About the file's name, not a place in it: no line and column.
        check.problems.append(
            Problem(document.file, FILE_NAME_NOT_AN_ID(stem=stem, rule=id_rule(stem)))
        )
    check.raise_if_any()
    # Keep only what later messages need (the text, to find where a value stands), not the
    # raw data: less for a batch to hold in memory and to send between processes.
    located = Document(document.file, None, document.sha256, document.text)
    return Proposal(
        proposal_id, document.file, document.sha256, values, located, activities, ranges, compliance
    )


def _other_kind(data: Any) -> Message | None:
    """What an input file that is not a proposal is, when its top-level keys say so."""
    if not isinstance(data, dict) or data.keys() & _SECTION_NAMES:
        return None
    if "judgements" in data:
        return A_JUDGEMENTS_FILE
    if "criteria" in data:
        return A_CRITERIA_FILE
    if data.keys() & {"member", "ratings"}:
        return A_PANEL_FILE
    return None


_SECTION_NAMES = frozenset(ALL_SECTIONS)


def _read_value(check: Checker, path: PathKey, raw: Any, spec: FieldSpec) -> Value | Range | None:
    kind = spec.kind
    if kind == TEXT:
        text = check.text(path, raw)
        if text is not None and spec.name == "proposal.id" and not ID_PATTERN.match(text):
            check.report(path, id_rule(text))
            return None
        return text
    if kind == CURRENCY:
        if isinstance(raw, str) and CURRENCY_PATTERN.match(raw):
            return raw
        check.report(path, EXPECTED_CURRENCY_CODE(value=describe(raw)))
        return None
    if kind in NUMERIC_KINDS:  # a number, or a range of them
        return read_number(
            check,
            path,
            raw,
            minimum=spec.minimum,
            maximum=100 if kind == PERCENT else _MAXIMA.get(spec.name),
            whole=kind == "count",
        )
    if kind == BOOL:
        return check.boolean(path, raw)
    if kind == DATE:
        return check.day(path, raw)
    if kind == CHOICE:
        return check.choice(path, raw, spec.choices)
    if kind == CHOICES:
        items = check.listing(path, raw)
        if items is None:
            return None
        chosen: list[str] = []
        for i, item in enumerate(items):
            value = check.choice((*path, i), item, spec.choices)
            if value in chosen:
                check.report((*path, i), LISTED_TWICE(value=value))
            elif value is not None:
                chosen.append(value)
        return tuple(chosen)
    raise AssertionError(f"no reader for kind {kind}")  # pragma: no cover


def _read_technical(
    check: Checker, section: str, body: Any, values: dict[str, Value], ranges: dict[str, Range]
) -> None:
    facts = check.mapping((section,), body, None)
    for name, raw in (facts or {}).items():
        path = (section, name)
        if not TECHNICAL_NAME_PATTERN.match(name):
            check.report(path, FREE_FORM_NAME(section=section), key=True)
        elif isinstance(raw, bool | str):
            values[f"{section}.{name}"] = raw
        elif isinstance(raw, int | float):
            number = check.number(path, raw, minimum=float("-inf"))
            if number is not None:
                values[f"{section}.{name}"] = number
        elif is_range(raw):
            estimate = read_range(check, path, raw, minimum=float("-inf"))
            if estimate is not None:
                ranges[f"{section}.{name}"] = estimate
                values[f"{section}.{name}"] = estimate.point
        elif raw is not None:
            check.report(path, FREE_FORM_VALUE(section=section, value=describe(raw)))


def _agent_checks(check: Checker, values: dict[str, Value], given: set[str]) -> None:
    """A disclosed agent is named, with a fee and a registration; no agent, no agent fields.

    `given` holds the fields written in the file (a bad value among them is reported on its
    own and does not count as missing too).
    """
    intermediaries = values.get("g2g.intermediaries")
    if intermediaries == "disclosed":
        where = ("g2g", "intermediaries")
        if "g2g.agent_name" not in given:
            check.report(where, AGENT_NAME_NEEDED)
        if not {"g2g.agent_fee_pct", "g2g.agent_fee"} & given:
            check.report(where, AGENT_FEE_NEEDED)
        if "g2g.agent_registration" not in given:
            check.report(where, AGENT_REGISTRATION_NEEDED)
        return
    if intermediaries == "undisclosed" or "g2g.intermediaries" in given:
        if intermediaries == "none":
            for name in AGENT_FIELDS:
                if name in given:
                    check.report(
                        tuple(name.split(".")), AGENT_WITHOUT_AGENT(field=name[4:]), key=True
                    )
        return
    for name in AGENT_FIELDS:  # agent fields, and no word on intermediaries
        if name in given:
            check.report(
                tuple(name.split(".")), AGENT_WITHOUT_INTERMEDIARIES(field=name[4:]), key=True
            )


def _cross_checks(check: Checker, values: dict[str, Value], given: set[str]) -> None:
    if (
        "pricing.escalation_cap_pct" in values
        and values.get("pricing.price_basis") != "capped_escalation"
    ):
        check.report(("pricing", "escalation_cap_pct"), CAP_WITHOUT_CAPPED_ESCALATION)
    _agent_checks(check, values, given)
    money = [n for n in _MONEY_NAMES if n in values]
    if money and "pricing.currency" not in values and not check.problems:
        check.report(("pricing",), CURRENCY_NEEDED(field=money[0]))


# Worked out once, not for every proposal: each section's required keys, and the money
# fields in the order the sections list them.
_REQUIRED = {
    section: tuple(key for key, spec in specs.items() if spec.required)
    for section, specs in SECTIONS.items()
}
_MONEY_NAMES = tuple(
    spec.name for specs in SECTIONS.values() for spec in specs.values() if spec.kind == MONEY
)
