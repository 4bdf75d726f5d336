"""Criteria: the validated, typed view of a criteria file (the evaluation framework)."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from evaluator.errors import CriteriaError, InputError, SettingError
from evaluator.io.files import load_document
from evaluator.io.strict_yaml import Document, PathKey
from evaluator.messages.compliance import (
    CRITERION_READS_PRICE,
    GATE_READS_PRICE,
    NO_REQUIREMENTS,
    NO_SUCH_REQUIREMENT,
    REQUIREMENTS_OUTSIDE,
)
from evaluator.messages.criteria import (
    ANY_OF_TOO_FEW,
    APPLIES_TO_EMPTY,
    BOUND_ON_OTHER_KIND,
    CREDIBILITY_NEEDS_CHOICES,
    CRITERION_DEFINED_TWICE,
    EMPTY_IN,
    EMPTY_NOT_IN,
    EXPECTED_CURRENCY_CODE,
    EXPECTED_SINGLE_VALUE,
    FACTORS_MISSING,
    GATE_DEFINED_TWICE,
    GATE_ON_JUDGEMENT,
    IN_JUDGEMENTS_FILE,
    JUDGEMENTS_DO_NOT_FIT,
    JUDGEMENTS_MISS_CRITERIA,
    JUDGEMENTS_OUTSIDE,
    JUDGEMENTS_WEIGH_OTHERS,
    LINEAR_WITHOUT_P,
    LINEAR_WITHOUT_Q,
    LISTED_TWICE_IN_APPLIES_TO,
    NAMED,
    NAMED_WITH_HINT,
    NEITHER_SUBCRITERIA_NOR_RULE,
    NEITHER_TEST_NOR_ANY_OF,
    NO_CRITERIA,
    NO_SUBCRITERIA,
    NO_SUCH_FIELD,
    NOT_A_CURRENCY_CODE,
    NOT_A_SUB_CRITERION,
    ONE_TEST,
    P_NOT_ABOVE_Q,
    PREFERENCE_ABOVE_SUBCRITERIA,
    RATE_OF_ITS_OWN_CURRENCY,
    SUB_CRITERION_DEFINED_TWICE,
    SUBCRITERIA_AND_RULE,
    TEST_AND_ANY_OF,
    USUAL_WITH_THRESHOLDS,
    WEIGHT_AND_WEIGHTS_FROM,
)
from evaluator.messages.settings import (
    NO_SUCH_CRITERION,
    NO_SUCH_CRITERION_QUOTED,
    WEIGHT_OUT_OF_RANGE,
    WEIGHTS_NOT_THE_WHOLE,
    WEIGHTS_OVER_THE_WHOLE,
)
from evaluator.messages.values import (
    CONDITION_KEY,
    CRITERION_KEY,
    CURRENCY,
    GATE_KEY,
    KEY,
    MISSING_REQUIRED_IN,
    PREFERENCE_KEY,
    REQUIREMENT,
    SUB_CRITERION_KEY,
    VALUE,
)
from evaluator.model.checks import (
    Checker,
    closest,
    describe,
    dotted,
    read_id,
    shorten,
    suggestion,
)
from evaluator.model.classification import LEVELS, normalise
from evaluator.model.compliance import Requirement, read_requirements, unreferenced
from evaluator.model.fields import (
    ANY,
    BOOL,
    CHOICE,
    COMPLIANCE_SECTION,
    CURRENCY_PATTERN,
    DERIVED_FIELDS,
    FREE_FORM_SECTIONS,
    ID_PATTERN,
    JUDGEMENT,
    NUMERIC_KINDS,
    FieldSpec,
    Value,
    field_spec,
)
from evaluator.model.icp import CREDIT_RATIO, IcpTable, read_table
from evaluator.model.languages import LANGUAGES, Texts, pick, read_texts
from evaluator.model.method import METHODS, Method
from evaluator.model.notes import AHP_INCONSISTENT, UNMET_FIELD, UNREFERENCED_REQUIREMENT, Note
from evaluator.model.numeric import Truth, many, negation, within
from evaluator.model.panel import PanelSettings, read_settings
from evaluator.model.ranges import Range, read_number
from evaluator.model.rules import Rule, parse_rule
from evaluator.model.stages import Stage, read_stages

WEIGHTS = "weights"  # the setting of what-if weights, as errors name it
MISSING_POLICIES = ("zero", "error")


@dataclass(frozen=True, slots=True)
class Credibility:
    """Promises count by how binding they are: a factor for each commitment level, on
    the sub-criteria that are promises (`applies_to`; None: every sub-criterion)."""

    field: str
    factors: tuple[tuple[str, float], ...]
    applies_to: tuple[str, ...] | None = None

    def discounts(self, leaf: str) -> bool:
        """Whether the sub-criterion `leaf` is a promise, discounted by the factor."""
        return self.applies_to is None or leaf in self.applies_to

    def factor(self, value: Value | None) -> float:
        """The factor for a value; a missing value takes the lowest factor listed."""
        for level, factor in self.factors:
            if level == value:
                return factor
        return min(f for _, f in self.factors)


PREFERENCE_TYPES = ("usual", "linear")


@dataclass(frozen=True, slots=True)
class Preference:
    """PROMETHEE's preference function for one leaf: a difference → a degree from 0 to 1."""

    type: str = "usual"
    q: float = 0.0  # indifference threshold: differences up to q count for nothing
    p: float = 0.0  # preference threshold: differences of p or more count in full

    def degree(self, difference: float) -> float:
        """How strongly a difference in the leaf's favoured direction is preferred."""
        if self.type == "usual":
            return 1.0 if difference > 0 else 0.0
        if difference <= self.q:
            return 0.0
        if difference >= self.p:
            return 1.0
        return (difference - self.q) / (self.p - self.q)


@dataclass(frozen=True, slots=True)
class Leaf:
    """A sub-criterion (or a criterion with its own rule): one field, one rule, one weight."""

    id: str
    title: str
    field: str
    rule: Rule
    weight: float
    source: str = ""
    location: tuple[int, int] | None = None
    preference: Preference = Preference()
    titles: Texts = ()  # the title in each language given (model/languages.py)
    sources: Texts = ()


@dataclass(frozen=True, slots=True)
class Criterion:
    """A top-level criterion: weighted leaves, optionally scaled by credibility."""

    id: str
    title: str
    weight: float
    leaves: tuple[Leaf, ...]
    source: str = ""
    credibility: Credibility | None = None
    has_subcriteria: bool = True
    titles: Texts = ()  # the title in each language given (model/languages.py)
    sources: Texts = ()

    def leaf_weights(self) -> dict[str, float]:
        """The leaves' weights, normalised to sum 1."""
        total = sum(leaf.weight for leaf in self.leaves)
        return {leaf.id: leaf.weight / total for leaf in self.leaves}


# `above` and `below` are strict (> and <): the ICP asks that local content *exceed* 30%.
GATE_TESTS = ("in", "not_in", "equals", "min", "max", "above", "below")
_BOUNDS = ("min", "max", "above", "below")  # the tests of a number against a bound
# What-if weights given for every criterion may miss 100% by rounding (33.33 × 3).
WEIGHT_TOLERANCE = 0.01


@dataclass(frozen=True, slots=True)
class Condition:
    """`field` passes `test` against `operand`: a gate's requirement, one of its `any_of`
    alternatives, or its `when` condition (its words: evaluator.render.text.gates)."""

    field: str
    test: str
    operand: Any

    def check(self, value: Value | None) -> bool:
        """Whether a value passes; a missing value fails, and only a number has bounds."""
        if value is None:
            return False
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if self.test in _BOUNDS and not number:
            return False
        return bool(self.passes(value))

    def passes(self, value: Any) -> Truth:
        """Whether a value passes: one value, or each of an array of drawn numbers."""
        if self.test == "in":
            return within(value, self.operand)
        if self.test == "not_in":
            return negation(within(value, self.operand))
        if self.test == "equals":
            return within(value, (self.operand,))
        bound = self.operand
        passed: Truth
        if self.test == "min":
            passed = value >= bound
        elif self.test == "max":
            passed = value <= bound
        else:
            passed = value > bound if self.test == "above" else value < bound
        return passed

    def holds(self, value: Any) -> Truth:
        """`check` for one value, `passes` for an array of drawn numbers."""
        return self.passes(value) if many(value) else self.check(value)


@dataclass(frozen=True, slots=True)
class Gate:
    """A pass/fail condition for eligibility: `field` passes `test` against `operand`, or,
    with `any_of`, one of its alternatives passes (then `field`, `test` and `operand` are
    the first alternative's); with `when`, it applies only where that condition holds (a
    missing value of its field: it applies) and passes, not applicable, elsewhere."""

    id: str
    title: str
    field: str
    test: str
    operand: Any
    source: str = ""
    any_of: tuple[Condition, ...] = ()
    when: Condition | None = None
    titles: Texts = ()  # the title in each language given (model/languages.py)
    sources: Texts = ()

    @property
    def alternatives(self) -> tuple[Condition, ...]:
        """The conditions of which one must pass: `any_of`, or the gate's one test."""
        return self.any_of or (Condition(self.field, self.test, self.operand),)

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field the gate reads: its alternatives', then its condition's."""
        names = [c.field for c in self.alternatives]
        if self.when is not None:
            names.append(self.when.field)
        return tuple(dict.fromkeys(names))

    def check(self, value: Value | None) -> bool:
        """Whether a value of `field` passes the gate's (first) test."""
        return self.alternatives[0].check(value)

    def passes(self, value: Any) -> Truth:
        """Whether a value of `field` passes the gate's (first) test, for each draw."""
        return self.alternatives[0].passes(value)

    def applies(self, value: Any) -> Truth:
        """Whether the gate applies, given its `when` field's value (each draw's)."""
        if self.when is None or value is None:
            return True
        return self.when.holds(value)

    def decide(self, values: Mapping[str, Any]) -> Truth:
        """Whether the values of its fields (some of them arrays of draws) pass: one
        alternative passes, or the gate does not apply."""
        passed: Truth = False
        for condition in self.alternatives:
            value = values.get(condition.field)
            if value is not None:
                passed = passed | condition.holds(value)
        if self.when is None:
            return passed
        return passed | negation(self.applies(values.get(self.when.field)))


@dataclass(frozen=True, slots=True, eq=False)
class Criteria:
    """The evaluation framework: criteria, weights, rules, gates and conversion rates."""

    id: str
    title: str
    version: str
    currency: str
    rates: Mapping[str, float]
    rates_as_of: date | None
    discount_rate: float
    method: Method
    missing: str
    criteria: tuple[Criterion, ...]
    gates: tuple[Gate, ...]
    file: str
    sha256: str
    icp: IcpTable = field(default_factory=IcpTable)  # ICP multipliers by activity type
    weights_from: str | None = None  # the AHP judgements file the weights come from
    notes: tuple[Note, ...] = ()  # said with every result (e.g. inconsistent AHP judgements)
    panel: PanelSettings = field(default_factory=PanelSettings)  # consolidating members' scores
    # The rates given as ranges `{low, high, likely}` (currency -> range): `rates` holds their
    # point estimates, which score; `sensitivity --values` draws them.
    rate_ranges: Mapping[str, Range] = field(default_factory=dict)
    rates_source: str | None = None  # `exchange_rates.source`: where the rates come from
    # The user's requirements each proposal answers (the technical compliance matrix).
    requirements: tuple[Requirement, ...] = ()
    # The tender's stages, in order (empty: one evaluation of every criterion, as always).
    stages: tuple[Stage, ...] = ()
    # The security classification the reports are marked with (a Malay level), or None.
    classification: str | None = None
    titles: Texts = ()  # the title in each language given (model/languages.py)

    def rate(self, currency: str) -> float | None:
        """Units of the criteria currency for one unit of `currency` (a ranged rate's point
        estimate, as a ranged figure of a proposal scores at its point)."""
        return 1.0 if currency == self.currency else self.rates.get(currency)

    def weights(self, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        """Top-level weights, normalised to sum 1, after what-if `overrides`.

        An override is a percentage of the total (0 to 100): `{"pricing": 36}` makes pricing
        36% of the total, and the criteria not named share the rest in the proportions the
        file gives them. Moving one weight this way is exactly what `sensitivity` does, so
        a tipping point it reports, typed back, tips the ranking. Naming every criterion,
        the percentages must add up to 100.
        """
        stated = {c.id: c.weight for c in self.criteria}
        total = sum(stated.values())
        base = {name: weight / total for name, weight in stated.items()}
        if not overrides:
            return base
        for name, weight in overrides.items():
            if name not in base:
                hint, listed = suggestion(name, base), tuple(base)
                raise SettingError.at(
                    WEIGHTS,
                    NO_SUCH_CRITERION(name=name, hint=hint, criteria=listed)
                    if ID_PATTERN.match(name)
                    else NO_SUCH_CRITERION_QUOTED(name=shorten(name), hint=hint, criteria=listed),
                )
            if not 0 <= weight <= 100:
                raise SettingError.at(WEIGHTS, WEIGHT_OUT_OF_RANGE(name=name, weight=weight))
        named = sum(overrides.values())
        rest = [name for name in base if name not in overrides]
        if named > 100 + WEIGHT_TOLERANCE:
            raise SettingError.at(WEIGHTS, WEIGHTS_OVER_THE_WHOLE(total=named))
        if not rest and abs(named - 100) > WEIGHT_TOLERANCE:
            raise SettingError.at(WEIGHTS, WEIGHTS_NOT_THE_WHOLE(total=named))
        if not rest:  # within the tolerance of 100: normalised, so that they sum to 1
            return {name: overrides[name] / named for name in base}
        share = max(0.0, 100 - named) / 100  # what the criteria not named share
        others = sum(base[name] for name in rest)
        return {
            name: overrides[name] / 100 if name in overrides else base[name] * share / others
            for name in base
        }

    def leaves(self) -> list[tuple[Criterion, Leaf]]:
        """Every leaf with its criterion, in file order."""
        return [(c, leaf) for c in self.criteria for leaf in c.leaves]


CRITERIA_KEYS = (
    "id",
    "title",
    "version",
    "description",
    "currency",
    "exchange_rates",
    "discount_rate",
    "method",
    "missing",
    "weights_from",
    "criteria",
    "gates",
    "icp",
    "panel",
    "requirements",
    "stages",
    "classification",
)
CRITERION_KEYS = (
    "id",
    "title",
    "description",
    "weight",
    "source",
    "credibility",
    "subcriteria",
    "field",
    "rule",
    "preference",
)
LEAF_KEYS = ("id", "title", "description", "weight", "source", "field", "rule", "preference")
GATE_KEYS = ("id", "title", "description", "field", "require", "any_of", "when", "source")
CONDITION_KEYS = ("field", "require")
CREDIBILITY_KEYS = ("field", "factors", "applies_to")


def parse_criteria(document: Document) -> Criteria:
    """Validate a parsed criteria file; raise CriteriaError listing every problem."""
    check = Checker(document)
    top = (
        check.mapping(
            (), document.data, CRITERIA_KEYS, required=("id", "currency", "criteria"), what=KEY
        )
        or {}
    )

    def optional_text(key: str, default: str) -> str:
        return (check.text((key,), top[key]) or default) if top.get(key) is not None else default

    criteria_id = check.text(("id",), top["id"]) if top.get("id") is not None else None
    currency = top.get("currency")
    if currency is not None and not (
        isinstance(currency, str) and CURRENCY_PATTERN.match(currency)
    ):
        check.report(("currency",), EXPECTED_CURRENCY_CODE)
    rates, as_of, rate_ranges, rates_source = _read_rates(check, top.get("exchange_rates"))
    if isinstance(currency, str) and (rates.get(currency, 1.0) != 1.0 or currency in rate_ranges):
        check.report(("exchange_rates", currency), RATE_OF_ITS_OWN_CURRENCY(currency=currency))
    discount = 0.0
    if top.get("discount_rate") is not None:
        discount = float(
            check.number(("discount_rate",), top["discount_rate"], minimum=0, maximum=0.99) or 0.0
        )
    method = Method(check.choice(("method",), top.get("method", Method.WSM), METHODS) or Method.WSM)
    missing = check.choice(("missing",), top.get("missing", "zero"), MISSING_POLICIES) or "zero"
    weights_from = (
        check.text(("weights_from",), top["weights_from"]) if "weights_from" in top else None
    )
    criteria = _read_criteria(check, top.get("criteria"), "weights_from" in top)
    notes: tuple[Note, ...] = ()
    if weights_from is not None and criteria:
        criteria, notes = _weights_from(check, weights_from, criteria)
    gates = _read_gates(check, top.get("gates"))
    icp = read_table(check, top.get("icp"))
    panel = read_settings(check, top.get("panel"))
    requirements = _requirements(check, top.get("requirements"))
    _check_answer_fields(check, criteria, gates, requirements)
    stages: tuple[Stage, ...] = ()
    if top.get("stages") is not None:
        stages = read_stages(check, top["stages"], [c.id for c in criteria], [g.id for g in gates])
        if isinstance(top["stages"], list) and len(stages) == len(top["stages"]):
            # (a stage not read is an error already; the others' places would be off)
            _check_sealed_prices(check, stages, criteria, gates)
    notes += tuple(
        Note(UNREFERENCED_REQUIREMENT, {"id": r.id, "need": r.need})
        for r in unreferenced(
            requirements,
            [leaf.field for c in criteria for leaf in c.leaves],
            [name for g in gates for name in g.fields],
        )
    )
    classification = None
    if top.get("classification") is not None:
        classification = check.choice(("classification",), normalise(top["classification"]), LEVELS)
    title = criteria_id or ""
    titles: Texts = ()
    if top.get("title") is not None:
        given, titles = read_texts(check, ("title",), top["title"])
        title = given or title
    version = optional_text("version", "")  # before raising, so `version: 1.0` is reported
    check.raise_if_any(CriteriaError)
    return Criteria(
        id=criteria_id or "",
        title=title,
        version=version,
        currency=str(currency),
        rates=rates,
        rates_as_of=as_of,
        discount_rate=discount,
        method=method,
        missing=missing,
        criteria=criteria,
        gates=gates,
        file=document.file,
        sha256=document.sha256,
        icp=icp,
        weights_from=weights_from,
        notes=notes,
        panel=panel,
        rate_ranges=rate_ranges,
        rates_source=rates_source,
        requirements=requirements,
        stages=stages,
        classification=classification,
        titles=titles,
    )


def _requirements(check: Checker, raw: Any) -> tuple[Requirement, ...]:
    """`requirements`: a list, or the name of a file beside the criteria file holding one
    (under its own `requirements` key)."""
    if raw is None:
        return ()
    if not isinstance(raw, str):
        return read_requirements(check, raw, ("requirements",))
    folder = Path(check.document.file).parent
    if not _inside(folder, folder / raw):
        check.report(("requirements",), REQUIREMENTS_OUTSIDE(name=shorten(raw)))
        return ()
    try:
        document = load_document(folder / raw)
    except InputError as exc:
        check.problems.extend(exc.problems)
        return ()
    inner = Checker(document)
    body = inner.mapping((), document.data, ("requirements",), required=("requirements",), what=KEY)
    found = (
        read_requirements(inner, (body or {}).get("requirements"), ("requirements",))
        if body and body.get("requirements") is not None
        else ()
    )
    check.problems.extend(inner.problems)
    return found


def _priced(name: str) -> bool:
    """Whether a field is a price or made from one (the financial envelope's)."""
    return name.startswith("pricing.") or name == CREDIT_RATIO


def _check_sealed_prices(
    check: Checker, stages: Sequence[Stage], criteria: Sequence[Criterion], gates: Sequence[Gate]
) -> None:
    """A technical-envelope stage reads no price: its criteria and gates are scored before
    the financial envelope is opened (and, for an offer in one file, a price read there
    would be seen by a committee that must not see it)."""
    by_criterion = {c.id: c for c in criteria}
    by_gate = {g.id: g for g in gates}
    for i, stage in enumerate(stages):
        if stage.financial:
            continue
        for j, name in enumerate(stage.criteria):
            criterion = by_criterion.get(name)
            if criterion is None:
                continue
            read = [leaf.field for leaf in criterion.leaves]
            if criterion.credibility is not None:
                read.append(criterion.credibility.field)
            priced = tuple(field for field in dict.fromkeys(read) if _priced(field))
            if priced:
                check.report(
                    ("stages", i, "criteria", j),
                    CRITERION_READS_PRICE(stage=stage.id, name=name, fields=priced),
                )
        for j, name in enumerate(stage.gates):
            gate = by_gate.get(name)
            priced = () if gate is None else tuple(f for f in gate.fields if _priced(f))
            if priced:
                check.report(
                    ("stages", i, "gates", j),
                    GATE_READS_PRICE(stage=stage.id, name=name, fields=priced),
                )


def _check_answer_fields(
    check: Checker,
    criteria: tuple[Criterion, ...],
    gates: tuple[Gate, ...],
    requirements: tuple[Requirement, ...],
) -> None:
    """A rule or gate reading `compliance.<id>` names a listed requirement."""
    listed = [r.id for r in requirements]
    derived = {f.name for f in DERIVED_FIELDS if f.section == COMPLIANCE_SECTION}
    named = [
        (("criteria", i, *(("subcriteria", j) if c.has_subcriteria else ()), "field"), leaf.field)
        for i, c in enumerate(criteria)
        for j, leaf in enumerate(c.leaves)
    ]
    named += [(("gates", i), name) for i, g in enumerate(gates) for name in g.fields]
    for path, name in named:
        if name.partition(".")[0] != COMPLIANCE_SECTION:
            continue
        if not requirements:
            check.report(path, NO_REQUIREMENTS(field=name))
        elif name not in derived and name[11:] not in listed:
            check.report(
                path,
                NO_SUCH_REQUIREMENT(
                    id=name[11:], hint=suggestion(name[11:], listed), requirements=tuple(listed)
                ),
            )


def free_form_fields(criteria: Criteria) -> list[str]:
    """The free-form fields (`technical.*`) the criteria score or test in a gate, in order."""
    names = [leaf.field for _, leaf in criteria.leaves()]
    names += [name for g in criteria.gates for name in g.fields]
    return [name for name in dict.fromkeys(names) if name.partition(".")[0] in FREE_FORM_SECTIONS]


def is_free_form(name: str) -> bool:
    """Whether a field is a free-form one (`technical.range_nm`)."""
    return name.partition(".")[0] in FREE_FORM_SECTIONS


def unmet_field_notes(fields: list[str], given: Collection[str]) -> list[Note]:
    """A note for each of `fields` (free-form, see `free_form_fields`) that no proposal of a
    run gives: most likely misspelt in the criteria file, since such a name is checked
    against no list (with the closest name given, if one is close). `given`: the free-form
    names the run's proposals give."""
    offered = sorted(given)
    return [
        Note(UNMET_FIELD, {"field": name, "close": closest(name, offered)})
        for name in fields
        if name not in given
    ]


def _read_rates(
    check: Checker, raw: Any
) -> tuple[dict[str, float], date | None, dict[str, Range], str | None]:
    """`exchange_rates`: each currency's rate, a positive number or a range `{low, high,
    likely}` of positive numbers (read as a proposal's ranged figure is: its point estimate
    goes into the rates), `as_of` (a day) and `source` (text)."""
    rates: dict[str, float] = {}
    ranges: dict[str, Range] = {}
    as_of = source = None
    if raw is None:
        return rates, as_of, ranges, source
    body = check.mapping(("exchange_rates",), raw, None, what=CURRENCY)
    for code, value in (body or {}).items():
        path = ("exchange_rates", code)
        if code == "as_of":
            as_of = check.day(path, value)
        elif code == "source":
            source = check.text(path, value)
        elif not CURRENCY_PATTERN.match(code):
            check.report(path, NOT_A_CURRENCY_CODE(code=code), key=True)
        else:
            rate = read_number(check, path, value, above=0)
            if isinstance(rate, Range):
                ranges[code] = rate
                rates[code] = float(rate.point)
            elif rate is not None:
                rates[code] = float(rate)
    return rates, as_of, ranges, source


def _read_field(check: Checker, path: PathKey, raw: Any) -> FieldSpec | None:
    name = check.text(path, raw)
    if name is None:
        return None
    spec = field_spec(name)
    if spec is None:
        check.report(path, NO_SUCH_FIELD(name=name, hint=suggestion(name, _known_field_names())))
    return spec


def _known_field_names() -> list[str]:
    from evaluator.model.fields import FIELDS

    return list(FIELDS)


def _read_criteria(
    check: Checker, raw: Any, weights_elsewhere: bool = False
) -> tuple[Criterion, ...]:
    items = check.listing(("criteria",), raw) if raw is not None else None
    if items is not None and not items:
        check.report(("criteria",), NO_CRITERIA)
    result: list[Criterion] = []
    seen: set[str] = set()
    for i, item in enumerate(items or []):
        path: PathKey = ("criteria", i)
        body = check.mapping(
            path,
            item,
            CRITERION_KEYS,
            required=("id",) if weights_elsewhere else ("id", "weight"),
            what=CRITERION_KEY,
        )
        if body is None:
            continue
        ident = read_id(check, path, body, seen, CRITERION_DEFINED_TWICE)
        weight: float | None = 1.0  # with weights_from, replaced by the derived weight
        if not weights_elsewhere:
            weight = _read_weight(check, path, body)
        elif "weight" in body:
            # A stated weight would be silently overruled by weights_from: refuse it.
            check.report((*path, "weight"), WEIGHT_AND_WEIGHTS_FROM, key=True)
        credibility = _read_credibility(check, (*path, "credibility"), body.get("credibility"))
        has_sub = "subcriteria" in body
        if has_sub and ("field" in body or "rule" in body):
            check.report(path, SUBCRITERIA_AND_RULE)
            continue
        if has_sub and "preference" in body:
            check.report((*path, "preference"), PREFERENCE_ABOVE_SUBCRITERIA, key=True)
        if has_sub:
            leaves = _read_leaves(check, (*path, "subcriteria"), body["subcriteria"])
        else:
            if "field" not in body or "rule" not in body:
                check.report(path, NEITHER_SUBCRITERIA_NOR_RULE)
                continue
            leaf = _read_leaf(check, path, body, ident or "", weight=1.0)
            leaves = [leaf] if leaf else []
        if credibility is not None and credibility.applies_to is not None:
            known = _leaf_ids(body) if has_sub else [ident or ""]
            credibility = _check_applies_to(
                check, (*path, "credibility", "applies_to"), credibility, ident or "", known
            )
        if ident is None or weight is None or not leaves:
            continue
        title, titles = _texts_or(check, path, body, "title", ident)
        source, sources = _texts_or(check, path, body, "source", "")
        result.append(
            Criterion(
                ident,
                title,
                weight,
                tuple(leaves),
                source,
                credibility,
                has_sub,
                titles,
                sources,
            )
        )
    return tuple(result)


def _leaf_ids(body: dict[str, Any]) -> list[str]:
    """The ids the criterion's sub-criteria give, well formed or not (so that a promise
    named in `applies_to` is not reported for a problem of its sub-criterion)."""
    items = body.get("subcriteria")
    return [
        item["id"]
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]


def _check_applies_to(
    check: Checker, path: PathKey, credibility: Credibility, criterion: str, known: list[str]
) -> Credibility | None:
    """The credibility, if every promise it names is a sub-criterion of its criterion."""
    good = True
    seen: set[str] = set()
    for j, name in enumerate(credibility.applies_to or ()):
        if name in seen:
            check.report((*path, j), LISTED_TWICE_IN_APPLIES_TO(name=name))
            good = False
        elif name not in known:
            check.report(
                (*path, j),
                NOT_A_SUB_CRITERION(
                    name=shorten(name),
                    criterion=criterion,
                    hint=suggestion(name, known),
                    leaves=tuple(known),
                ),
            )
            good = False
        seen.add(name)
    return credibility if good else None


def _text_or(check: Checker, path: PathKey, body: dict[str, Any], key: str, default: str) -> str:
    if body.get(key) is None:
        return default
    return check.text((*path, key), body[key]) or default


def _texts_or(
    check: Checker, path: PathKey, body: dict[str, Any], key: str, default: str
) -> tuple[str, Texts]:
    """A title or source given as text or in languages (`{en: ..., ms: ...}`)."""
    if body.get(key) is None:
        return default, ()
    text, texts = read_texts(check, (*path, key), body[key])
    return text or default, texts


def in_language(criteria: Criteria, lang: str) -> Criteria:
    """The criteria with every title and source in `lang` where the file gives it in that
    language (the others as they are): what a report in that language shows."""
    if lang == LANGUAGES[0]:
        return criteria

    def leaf(item: Leaf) -> Leaf:
        return replace(
            item,
            title=pick(item.title, item.titles, lang),
            source=pick(item.source, item.sources, lang),
        )

    return replace(
        criteria,
        title=pick(criteria.title, criteria.titles, lang),
        criteria=tuple(
            replace(
                c,
                title=pick(c.title, c.titles, lang),
                source=pick(c.source, c.sources, lang),
                leaves=tuple(leaf(item) for item in c.leaves),
            )
            for c in criteria.criteria
        ),
        gates=tuple(
            replace(
                g,
                title=pick(g.title, g.titles, lang),
                source=pick(g.source, g.sources, lang),
            )
            for g in criteria.gates
        ),
        stages=tuple(replace(st, title=pick(st.title, st.titles, lang)) for st in criteria.stages),
    )


def _read_weight(check: Checker, path: PathKey, body: dict[str, Any]) -> float | None:
    if body.get("weight") is None:
        return None
    weight = check.number((*path, "weight"), body["weight"], above=0)
    return None if weight is None else float(weight)


def _read_leaves(check: Checker, path: PathKey, raw: Any) -> list[Leaf]:
    items = check.listing(path, raw)
    if items is not None and not items:
        check.report(path, NO_SUBCRITERIA)
    leaves: list[Leaf] = []
    seen: set[str] = set()
    for i, item in enumerate(items or []):
        where = (*path, i)
        body = check.mapping(
            where,
            item,
            LEAF_KEYS,
            required=("id", "weight", "field", "rule"),
            what=SUB_CRITERION_KEY,
        )
        if body is None:
            continue
        ident = read_id(check, where, body, seen, SUB_CRITERION_DEFINED_TWICE)
        weight = _read_weight(check, where, body)
        if ident is None or weight is None:
            continue
        leaf = _read_leaf(check, where, body, ident, weight)
        if leaf is not None:
            leaves.append(leaf)
    return leaves


def _read_leaf(
    check: Checker, path: PathKey, body: dict[str, Any], ident: str, weight: float
) -> Leaf | None:
    if body.get("field") is None or body.get("rule") is None:
        return None
    spec = _read_field(check, (*path, "field"), body["field"])
    rule = parse_rule(check, (*path, "rule"), body["rule"], spec)
    preference = (
        _read_preference(check, (*path, "preference"), body["preference"])
        if "preference" in body
        else Preference()
    )
    if spec is None or rule is None or preference is None:
        return None
    title, titles = _texts_or(check, path, body, "title", ident)
    source, sources = _texts_or(check, path, body, "source", "")
    return Leaf(
        ident,
        title,
        spec.name,
        rule,
        weight,
        source,
        # Where it is, for the one message that needs it: a weighted sum refuses a raw rule
        # (engine.check_method). Finding places parses the file again: none for the others.
        check.document.locate(path) if rule.raw else None,
        preference,
        titles,
        sources,
    )


def _read_preference(check: Checker, path: PathKey, raw: Any) -> Preference | None:
    body = check.mapping(path, raw, ("type", "q", "p"), required=("type",), what=PREFERENCE_KEY)
    if body is None or body.get("type") is None:
        return None
    kind = check.choice((*path, "type"), body["type"], PREFERENCE_TYPES)
    if kind is None:
        return None
    if kind == "usual":
        extra = [key for key in ("q", "p") if key in body]
        for key in extra:
            check.report((*path, key), USUAL_WITH_THRESHOLDS, key=True)
        return None if extra else Preference()
    thresholds: dict[str, float] = {}
    for key, absent in (("q", LINEAR_WITHOUT_Q), ("p", LINEAR_WITHOUT_P)):
        if key not in body:
            check.report(path, absent)
            continue
        number = check.number((*path, key), body[key], minimum=0)
        if number is not None:
            thresholds[key] = float(number)
    if len(thresholds) < 2:
        return None
    q, p = thresholds["q"], thresholds["p"]
    if q >= p:
        check.report((*path, "p"), P_NOT_ABOVE_Q(q=q, p=p))
        return None
    return Preference("linear", q, p)


def _weights_from(
    check: Checker, name: str, criteria: tuple[Criterion, ...]
) -> tuple[tuple[Criterion, ...], tuple[Note, ...]]:
    """The criteria with their top-level weights derived from an AHP judgements file."""
    from evaluator.model.ahp import CONSISTENCY_LIMIT, derive, load_judgements

    folder = Path(check.document.file).parent
    if not _inside(folder, folder / name):
        # Not /dev/stdin, /etc/passwd or ../../elsewhere: a criteria file from outside
        # must not make the tool read (and quote) any file it can reach.
        check.report(("weights_from",), JUDGEMENTS_OUTSIDE(name=shorten(name)))
        return criteria, ()
    try:
        result = derive(load_judgements(folder / name))
    except InputError as exc:
        for problem in exc.problems:
            if problem.line is None:  # the file as a whole: point at the line naming it
                check.report(
                    ("weights_from",), IN_JUDGEMENTS_FILE(file=problem.file, problem=problem.words)
                )
            else:
                check.problems.append(problem)
        return criteria, ()
    ids = [c.id for c in criteria]
    absent = [ident for ident in ids if ident not in result.weights]
    unknown = [ident for ident in result.criteria if ident not in ids]
    if absent or unknown:
        missed = tuple(NAMED(name=ident) for ident in absent)
        others = tuple(
            NAMED_WITH_HINT(name=ident, hint=suggestion(ident, absent)) for ident in unknown
        )
        if absent and unknown:
            unfit = JUDGEMENTS_DO_NOT_FIT(file=result.file, absent=missed, unknown=others)
        elif absent:
            unfit = JUDGEMENTS_MISS_CRITERIA(file=result.file, absent=missed)
        else:
            unfit = JUDGEMENTS_WEIGH_OTHERS(file=result.file, unknown=others)
        check.report(("weights_from",), unfit)
        return criteria, ()
    notes: tuple[Note, ...] = ()
    if not result.consistent:
        notes = (
            Note(
                AHP_INCONSISTENT, {"file": result.file, "cr": result.cr, "limit": CONSISTENCY_LIMIT}
            ),
        )
    return tuple(replace(c, weight=result.weights[c.id]) for c in criteria), notes


def _inside(folder: Path, path: Path) -> bool:
    """Whether `path`, links followed, is in `folder` or below it (not the folder itself)."""
    base, target = os.path.realpath(folder), os.path.realpath(path)
    return target != base and os.path.commonpath([base, target]) == base


def _read_credibility(check: Checker, path: PathKey, raw: Any) -> Credibility | None:
    if raw is None:
        return None
    body = check.mapping(path, raw, CREDIBILITY_KEYS, required=("field", "factors"))
    if body is None:
        return None
    readable, applies_to = _read_applies_to(check, (*path, "applies_to"), body)
    if body.get("field") is None or body.get("factors") is None:
        return None
    spec = _read_field(check, (*path, "field"), body["field"])
    if spec is None:
        return None
    if spec.kind != CHOICE:
        check.report((*path, "field"), CREDIBILITY_NEEDS_CHOICES(field=spec.name, kind=spec.kind))
        return None
    factors = check.mapping((*path, "factors"), body["factors"], spec.choices, what=VALUE)
    pairs = []
    for level, value in (factors or {}).items():
        factor = check.number((*path, "factors", level), value, minimum=0, maximum=1)
        if factor is not None:
            pairs.append((level, float(factor)))
    absent = [c for c in spec.choices if factors is not None and c not in factors]
    if absent:
        check.report((*path, "factors"), FACTORS_MISSING(field=spec.name, values=tuple(absent)))
    if not pairs or absent or not readable:
        return None
    return Credibility(spec.name, tuple(pairs), applies_to)


def _read_applies_to(
    check: Checker, path: PathKey, body: dict[str, Any]
) -> tuple[bool, tuple[str, ...] | None]:
    """Whether `applies_to` reads, and the promises it names (None: not given). Whether each
    is a sub-criterion of the criterion is checked once the sub-criteria are read."""
    if "applies_to" not in body:
        return True, None
    items = check.listing(path, body["applies_to"])
    if items is None:
        return False, None
    if not items:
        check.report(path, APPLIES_TO_EMPTY)
        return False, None
    names = [check.text((*path, j), item) for j, item in enumerate(items)]
    return all(name is not None for name in names), tuple(n for n in names if n is not None)


def _read_gates(check: Checker, raw: Any) -> tuple[Gate, ...]:
    if raw is None:
        return ()
    items = check.listing(("gates",), raw)
    gates: list[Gate] = []
    seen: set[str] = set()
    for i, item in enumerate(items or []):
        path: PathKey = ("gates", i)
        body = check.mapping(path, item, GATE_KEYS, required=("id",), what=GATE_KEY)
        if body is None:
            continue
        ident = read_id(check, path, body, seen, GATE_DEFINED_TWICE)
        when = _read_condition(check, (*path, "when"), body["when"]) if "when" in body else None
        alternatives: tuple[Condition, ...] = ()
        if "any_of" in body:
            if "field" in body or "require" in body:
                check.report(path, TEST_AND_ANY_OF)
                continue
            alternatives = _read_any_of(check, (*path, "any_of"), body["any_of"])
            test = alternatives[0] if alternatives else None
        elif body.get("field") is None and body.get("require") is None:
            check.report(path, NEITHER_TEST_NOR_ANY_OF)
            continue
        else:
            for key in ("field", "require"):
                if body.get(key) is None:
                    check.report(
                        path, MISSING_REQUIRED_IN(what=GATE_KEY, name=key, path=dotted(path))
                    )
            test = _read_condition(check, path, body, checked=True)
        if ident is None or test is None or ("when" in body and when is None):
            continue
        title, titles = _texts_or(check, path, body, "title", ident)
        source, sources = _texts_or(check, path, body, "source", "")
        gates.append(
            Gate(
                ident,
                title,
                test.field,
                test.test,
                test.operand,
                source,
                alternatives,
                when,
                titles,
                sources,
            )
        )
    return tuple(gates)


def _read_any_of(check: Checker, path: PathKey, raw: Any) -> tuple[Condition, ...]:
    """A gate's alternatives; () when any is wrong (each is reported)."""
    items = check.listing(path, raw)
    if items is None:
        return ()
    if len(items) < 2:
        check.report(path, ANY_OF_TOO_FEW)
        return ()
    conditions = [_read_condition(check, (*path, j), item) for j, item in enumerate(items)]
    if any(c is None for c in conditions):
        return ()
    return tuple(c for c in conditions if c is not None)


def _read_condition(
    check: Checker, path: PathKey, raw: Any, checked: bool = False
) -> Condition | None:
    """`{field, require}`: an alternative of `any_of`, a `when`, or (`checked`: its keys
    are the gate's, checked already) the gate's own test."""
    body = (
        raw
        if checked
        else check.mapping(path, raw, CONDITION_KEYS, required=CONDITION_KEYS, what=CONDITION_KEY)
    )
    if body is None:
        return None
    spec = (
        _read_field(check, (*path, "field"), body["field"])
        if body.get("field") is not None
        else None
    )
    test = _read_requirement(check, (*path, "require"), body.get("require"), spec)
    if spec is not None and spec.kind == JUDGEMENT:
        check.report((*path, "field"), GATE_ON_JUDGEMENT(field=spec.name))
        return None
    if spec is None or test is None:
        return None
    return Condition(spec.name, test[0], test[1])


def _read_requirement(
    check: Checker, path: PathKey, raw: Any, spec: FieldSpec | None
) -> tuple[str, Any] | None:
    if raw is None:
        return None
    body = check.mapping(path, raw, GATE_TESTS, what=REQUIREMENT)
    if body is None:
        return None
    if len(body) != 1:
        check.report(path, ONE_TEST(tests=GATE_TESTS))
        return None
    test, operand = next(iter(body.items()))
    if test not in GATE_TESTS:
        return None
    where = (*path, test)
    kind = spec.kind if spec else ANY
    if test in _BOUNDS:
        if kind not in NUMERIC_KINDS and kind != ANY:
            check.report(
                where, BOUND_ON_OTHER_KIND(test=test, field=str(spec and spec.name), kind=kind)
            )
            return None
        number = check.number(where, operand, minimum=float("-inf"))
        return None if number is None else (test, number)
    values = check.listing(where, operand) if test in ("in", "not_in") else [operand]
    if values is None:
        return None
    if not values:  # `in: []` fails every proposal, `not_in: []` tests nothing
        check.report(where, EMPTY_IN if test == "in" else EMPTY_NOT_IN)
        return None
    for j, value in enumerate(values):
        at = (*where, j) if test != "equals" else where
        if spec is not None and kind == CHOICE:
            check.choice(at, value, spec.choices)
        elif kind == BOOL:
            check.boolean(at, value)
        elif not isinstance(value, str | int | float | bool):
            check.report(at, EXPECTED_SINGLE_VALUE(value=describe(value)))
    return (test, tuple(values) if test != "equals" else operand)
