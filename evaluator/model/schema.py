"""JSON Schema (draft 2020-12) of the two input files, generated from the models' vocabulary.

Editors that speak the yaml-language-server protocol read these schemas to complete
and check a file while it is typed. The schemas are built from the same tables the
readers use (the proposal field table, the criteria keys, the rule types), so they
cannot drift from them: a name the readers learn and this module cannot describe is
an error here, caught by the tests. They check shapes and values; the checks that
need both files at once (a rate for each currency, a score for every level, a
criterion's missing values) are left to `evaluator validate`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from evaluator.model import (
    classification,
    compliance,
    fields,
    icp,
    languages,
    panel,
    rules,
    stages,
)
from evaluator.model.criteria import (
    CONDITION_KEYS,
    CRITERIA_KEYS,
    CRITERION_KEYS,
    GATE_KEYS,
    GATE_TESTS,
    LEAF_KEYS,
    MISSING_POLICIES,
    PREFERENCE_TYPES,
)
from evaluator.model.fields import CURRENCY_PATTERN as CURRENCY_RE
from evaluator.model.fields import ID_PATTERN as ID_RE
from evaluator.model.fields import N_, FieldSpec
from evaluator.model.fields import TECHNICAL_NAME_PATTERN as TECHNICAL_NAME_RE
from evaluator.model.method import METHODS, Method

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("proposal", "criteria", "panel")

Schema = dict[str, Any]

# A YAML 1.2 editor reads `110_000_000` as text; our loader reads it as a number.
# Accepting that text keeps the editor quiet about the style the samples use.
GROUPED_NUMBER = r"^[-+]?[0-9]+_[0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?$"
ID_PATTERN = ID_RE.pattern
CURRENCY_PATTERN = CURRENCY_RE.pattern
TECHNICAL_NAME_PATTERN = TECHNICAL_NAME_RE.pattern
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

SECTION_DESCRIPTIONS = {
    "proposal": N_("Who offers what: the partner country and the offer's identity."),
    "pricing": N_(
        "What it costs: price, quantity, sustainment, how firm the price is, payment "
        "and financing terms. Money is in `currency`."
    ),
    "technology_transfer": N_(
        "How deep the transfer of technology goes and how binding the promise is."
    ),
    "g2g": N_(
        "The government-to-government arrangement: who contracts, who guarantees, "
        "delivery and integrity."
    ),
    "collaboration": N_("Long-term collaboration: partnership, local industry, past record."),
    "risk": N_(
        "Exposure a committee checks: export licences for third-country content, sanctions."
    ),
    "industrial_collaboration": N_(
        "Industrial Collaboration Programme (ICP) activities: each "
        "earns a credit of its value times its type's multiplier."
    ),
    "technical": N_(
        "Programme-specific facts, free-form: names of your choosing "
        "(letters, digits, _) with a number, text, true/false or a range of "
        "numbers {low, high, likely}."
    ),
}


def _nullable(schema: Schema) -> Schema:
    """The same schema, also accepting null (a null value means the field is left out)."""
    out = dict(schema)
    kinds = out.get("type")
    if isinstance(kinds, str):
        out["type"] = [kinds, "null"]
    elif isinstance(kinds, list) and "null" not in kinds:
        out["type"] = [*kinds, "null"]
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


def _number(
    description: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
    whole: bool = False,
) -> Schema:
    schema: Schema = {
        "description": description,
        "type": ["integer" if whole else "number", "string"],
        "pattern": GROUPED_NUMBER,
    }
    if minimum is not None and minimum != float("-inf"):
        schema["minimum"] = _plain_number(minimum)
    if above is not None:
        schema["exclusiveMinimum"] = _plain_number(above)
    if maximum is not None:
        schema["maximum"] = _plain_number(maximum)
    return schema


RANGE_HELP = (
    "or a range of estimates {low, high, likely} (likely optional; low ≤ likely ≤ "
    "high), scored at likely, or at the midpoint without it"
)


def _or_range(schema: Schema) -> Schema:
    """A number schema that also takes a range of such numbers, `{low, high, likely}`.

    Object keywords apply only to objects, so the number's own keywords stay as they are.
    JSON Schema cannot compare `low` with `high`: the reader does (`evaluator validate`).
    """
    number = {key: value for key, value in schema.items() if key != "description"}
    out = dict(schema)
    if "description" in out:
        out["description"] = f"{out['description']}; {RANGE_HELP}"
    out["type"] = [*schema["type"], "object"]
    return {**out, **_range_keywords(number)}


def _range_keywords(number: Schema) -> Schema:
    """The object keywords of a range whose bounds each match `number`."""
    return {
        "properties": {
            key: _nullable(number) if key == "likely" else number for key in fields.RANGE_KEYS
        },
        "required": ["low", "high"],
        "additionalProperties": False,
    }


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _text(description: str) -> Schema:
    return {"description": description, "type": "string", "minLength": 1}


def _ident(description: str) -> Schema:
    return {"description": description, "type": "string", "pattern": ID_PATTERN}


def _date(description: str) -> Schema:
    return {"description": description, "type": "string", "format": "date", "pattern": DATE_PATTERN}


def _choice(description: str, choices: Iterable[str]) -> Schema:
    return {"description": description, "type": "string", "enum": list(choices)}


def _in_languages(text: Schema) -> Schema:
    """A text, or the same in English and Bahasa Malaysia (`{en: ..., ms: ...}`, one at
    least): evaluator.model.languages."""
    return {
        "oneOf": [
            text,
            {
                "description": "the text in each language: en (English), ms (Bahasa Malaysia)",
                "type": "object",
                "properties": {code: _text(f"in {code}") for code in languages.LANGUAGES},
                "minProperties": 1,
                "additionalProperties": False,
            },
        ]
    }


def _strict_object(
    properties: dict[str, Schema], required: Sequence[str] = (), description: str | None = None
) -> Schema:
    schema: Schema = {}
    if description:
        schema["description"] = description
    schema["type"] = "object"
    schema["properties"] = properties
    if required:
        schema["required"] = list(required)
    schema["additionalProperties"] = False
    return schema


# --- proposal ---------------------------------------------------------------------------------


def _same(text: str) -> str:
    return text


def field_hint(spec: FieldSpec, gettext: Callable[[str], str] = _same) -> str:
    """What a field holds, in a few words: its kind, unit and bounds (no allowed values).

    In English, or in the words `gettext` gives for each English phrase (a msgid)."""
    kind = spec.kind
    if kind == fields.MONEY:
        return gettext("money in pricing.currency, not negative")
    if kind == fields.PERCENT:
        return gettext("percent, 0 to 100")
    if kind == fields.COUNT:
        return gettext("a whole number, at least {minimum}").format(minimum=f"{spec.minimum:g}")
    if kind == fields.NUMBER:
        return gettext("a number, at least {minimum}").format(minimum=f"{spec.minimum:g}")
    if kind == fields.BOOL:
        return gettext("true or false")
    if kind == fields.DATE:
        return "YYYY-MM-DD"
    if kind == fields.CURRENCY:
        return gettext("three letters such as EUR, with a rate in the criteria file")
    if kind == fields.CHOICE:
        return gettext("one of: {choices}").format(choices=", ".join(spec.choices))
    if kind == fields.CHOICES:
        return gettext("a list of any of: {choices}").format(choices=", ".join(spec.choices))
    if kind == fields.TEXT:
        return ""
    raise ValueError(f"no JSON Schema for the field kind {kind!r} of `{spec.name}`")


def field_help(
    spec: FieldSpec, *, mark_required: bool = True, gettext: Callable[[str], str] = _same
) -> str:
    """The field's meaning and what it holds, in one sentence for a schema or a template.

    In English, or (for the template) in the words `gettext` gives for each English
    phrase: the description, the hint and the sentence joining them, each a msgid."""
    hint = field_hint(spec)
    description = gettext(spec.description)
    if hint and hint not in spec.description:  # the English decides, in every language
        description = gettext("{description}; {hint}").format(
            description=description, hint=field_hint(spec, gettext)
        )
    return (
        gettext("Required: {text}").format(text=description)
        if spec.required and mark_required
        else description
    )


def field_schema(spec: FieldSpec) -> Schema:
    """The JSON Schema of one proposal field; optional fields also accept null."""
    description = field_help(spec)
    kind = spec.kind
    schema: Schema
    if kind in fields.NUMERIC_KINDS:
        schema = _number(
            description,
            minimum=spec.minimum,
            maximum=100 if kind == fields.PERCENT else None,
            whole=kind == fields.COUNT,
        )
        if spec.accepts_range:
            schema = _or_range(schema)
    elif kind == fields.BOOL:
        schema = {"description": description, "type": "boolean"}
    elif kind == fields.DATE:
        schema = _date(description)
    elif kind == fields.CURRENCY:
        schema = {"description": description, "type": "string", "pattern": CURRENCY_PATTERN}
    elif kind == fields.CHOICE:
        schema = _choice(description, spec.choices)
    elif kind == fields.CHOICES:
        schema = {
            "description": description,
            "type": "array",
            "items": {"enum": list(spec.choices)},
            "uniqueItems": True,
        }
    elif kind == fields.TEXT:
        schema = _ident(description) if spec.name == "proposal.id" else _text(description)
    else:
        raise ValueError(f"no JSON Schema for the field kind {kind!r} of `{spec.name}`")
    return schema if spec.required else _nullable(schema)


# Checks across fields of one section that the readers make (model._cross_checks).
_SECTION_CONDITIONS: dict[str, list[Schema]] = {
    "pricing": [
        {
            "if": {"properties": {"price_basis": {"not": {"const": "capped_escalation"}}}},
            "then": {
                "properties": {
                    "escalation_cap_pct": {
                        "description": "only with price_basis: capped_escalation",
                        "type": "null",
                    }
                }
            },
        }
    ],
}

_ACTIVITY_PROPERTIES: dict[str, tuple[bool, Schema]] = {
    # key -> (required, schema); the keys themselves come from evaluator.model.icp
    "type": (
        True,
        {
            "description": "the activity type: a key of the criteria file's "
            "`icp.multipliers` table, such as technology_transfer",
            "type": "string",
            "pattern": icp.TYPE_NAME_PATTERN.pattern,
        },
    ),
    "description": (True, _text("what the activity is")),
    "value": (
        True,
        _or_range(_number("nominal value, in pricing.currency, not negative", minimum=0)),
    ),
    "local": (
        False,
        {
            "description": "local content, as the ICP guideline means it: work performed by "
            "Malaysian companies (default false)",
            "type": "boolean",
        },
    ),
    "kind": (
        False,
        {
            "description": "direct or indirect, as in the guideline's multiplier table "
            "(default direct)",
            "enum": list(icp.KINDS),
        },
    ),
    "beneficiary": (
        False,
        _text("the Malaysian company or institution that receives the activity"),
    ),
    "uplift": (
        False,
        {
            "description": "the offer claims the guideline's uplift (multiplier × (1 + the "
            "criteria's icp.uplift)) where the guideline's condition holds; the committee "
            "checks it (default false)",
            "type": "boolean",
        },
    ),
}


def _activities_schema(section: str) -> Schema:
    properties: dict[str, Schema] = {}
    required: list[str] = []
    for key in icp.ACTIVITY_KEYS:
        if key not in _ACTIVITY_PROPERTIES:
            raise ValueError(f"no JSON Schema for the activity key `{key}`")
        needed, schema = _ACTIVITY_PROPERTIES[key]
        properties[key] = schema if needed else _nullable(schema)
        if needed:
            required.append(key)
    activity = _strict_object(properties, required, "one promised activity")
    activities = {"description": "the activities promised", "type": "array", "items": activity}
    return _strict_object(
        {"activities": activities}, ["activities"], SECTION_DESCRIPTIONS.get(section)
    )


def _technical_schema(section: str) -> Schema:
    fact = {
        "type": ["number", "string", "boolean", "null", "object"],
        **_range_keywords({"type": ["number", "string"], "pattern": GROUPED_NUMBER}),
    }
    schema: Schema = {
        "type": "object",
        "propertyNames": {"pattern": TECHNICAL_NAME_PATTERN},
        "additionalProperties": fact,
    }
    description = SECTION_DESCRIPTIONS.get(section)
    return {"description": description, **schema} if description else schema


def _compliance_schema() -> Schema:
    part = {"type": ["string", "integer"], "minLength": 1}
    reference = _strict_object(
        {key: {"description": f"the offer's {key}", **part} for key in compliance.REFERENCE_KEYS},
        (),
        "where in the offer the answer is shown: volume, section, page (at least one)",
    )
    reference["minProperties"] = 1
    answer = _strict_object(
        {
            "answer": _choice("the offer's answer to the requirement", compliance.ANSWERS),
            "reference": reference,
            "note": _text("a remark on the answer"),
        },
        ["answer", "reference"],
    )
    return {
        "description": "the answer to each requirement the criteria file lists, by its id",
        "type": "object",
        "propertyNames": {"pattern": ID_PATTERN},
        "additionalProperties": answer,
    }


def proposal_schema() -> Schema:
    """The JSON Schema of a proposal file, from the proposal field table."""
    sections: dict[str, Schema] = {}
    for section, specs in fields.SECTIONS.items():
        body = _strict_object(
            {key: field_schema(spec) for key, spec in specs.items()},
            [key for key, spec in specs.items() if spec.required],
            SECTION_DESCRIPTIONS.get(section),
        )
        if section in _SECTION_CONDITIONS:
            body["allOf"] = _SECTION_CONDITIONS[section]
        sections[section] = body
    for section in fields.ACTIVITY_SECTIONS:
        sections[section] = _activities_schema(section)
    for section in fields.FREE_FORM_SECTIONS:
        sections[section] = _technical_schema(section)
    sections[fields.COMPLIANCE_SECTION] = _compliance_schema()
    unknown = [s for s in fields.ALL_SECTIONS if s not in sections]
    if unknown:
        raise ValueError(f"no JSON Schema for the proposal section(s) {unknown}")
    return {
        "$schema": DRAFT,
        "title": "evaluator proposal",
        "description": "One offer from one partner government, scored by `evaluator score` "
        "and `evaluator compare`. A field left out (or null) is missing, not "
        "zero. Numbers may group digits with _ (120_000_000).",
        "type": "object",
        "properties": sections,
        # parse_proposal requires this section (and, inside each section, the required fields).
        "required": ["proposal"],
        "additionalProperties": False,
    }


# --- criteria ---------------------------------------------------------------------------------


def _field_name(choice_only: bool = False) -> Schema:
    """A proposal field a criteria file may name, each listed with its meaning."""
    known: list[Schema] = []
    for spec in fields.FIELDS.values():
        if choice_only and spec.kind != fields.CHOICE:
            continue
        known.append({"const": spec.name, "description": field_help(spec, mark_required=False)})
    if not choice_only:
        known.append(
            {
                "pattern": r"^technical\..+",
                "description": "a programme-specific fact from the proposal's `technical` section",
            }
        )
        known.append(
            {
                "pattern": fields.JUDGEMENT_PATTERN.pattern,
                "description": "a judgement rated by the evaluation panel (--panel), "
                "scored by a levels rule",
            }
        )
    return {"type": "string", "anyOf": known}


def _score(description: str) -> Schema:
    return _number(description, minimum=0, maximum=100)


def _rule_parameter(parameter: rules.Parameter) -> Schema:
    """A rule parameter's schema, from its declaration (rules.Parameter)."""
    if parameter.kind == "number":
        schema = _number(
            parameter.description,
            minimum=parameter.minimum,
            maximum=parameter.maximum,
            above=parameter.above,
        )
    elif parameter.kind == "direction":
        schema = _choice(parameter.description, ("min", "max"))
    elif parameter.kind == "levels":
        schema = {
            "description": parameter.description,
            "type": "object",
            "minProperties": 1,
            "additionalProperties": _score("the score of this value"),
        }
    elif parameter.kind == "steps":
        schema = {
            "description": parameter.description,
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "array",
                "minItems": 2,
                "maxItems": 2,
                "prefixItems": [_number("threshold", minimum=float("-inf")), _score("score")],
            },
        }
    else:
        raise ValueError(f"no JSON Schema for a rule parameter of kind {parameter.kind!r}")
    if parameter.default is not None:
        schema["default"] = _plain_number(parameter.default)
    return schema


def _rule_schema() -> Schema:
    branches: list[Schema] = []
    for kind, rule in rules.RULES.items():
        properties: dict[str, Schema] = {"type": {"const": kind}}
        for parameter in rule.parameters:
            properties[parameter.name] = _rule_parameter(parameter)
        required = ["type", *(p.name for p in rule.parameters if p.default is None)]
        doc = " ".join((rule.__doc__ or "").split())
        branches.append(_strict_object(properties, required, f"{kind}: {doc}".rstrip(": ")))
    return {
        "description": "How the field's value becomes a score from 0 to 100 "
        "(one of the rule types, chosen by `type`).",
        "type": "object",
        "properties": {"type": {"enum": list(rules.RULES)}},
        "required": ["type"],
        "oneOf": branches,
    }


_PREFERENCE_PARAMETERS: dict[str, dict[str, Schema]] = {
    # preference type -> its thresholds (model._read_preference)
    "usual": {},
    "linear": {
        "q": _number("indifference threshold: differences up to q count for nothing", minimum=0),
        "p": _number(
            "preference threshold: differences of p or more count in full (more than q)", minimum=0
        ),
    },
}


def _preference_schema() -> Schema:
    branches: list[Schema] = []
    for kind in PREFERENCE_TYPES:
        if kind not in _PREFERENCE_PARAMETERS:
            raise ValueError(f"no JSON Schema for the preference type `{kind}`")
        thresholds = _PREFERENCE_PARAMETERS[kind]
        branches.append(
            _strict_object({"type": {"const": kind}, **thresholds}, ["type", *thresholds], kind)
        )
    return {
        "description": "PROMETHEE preference function of this leaf: usual (any "
        "difference counts in full) or linear between q and p",
        "type": "object",
        "properties": {"type": {"enum": list(PREFERENCE_TYPES)}},
        "required": ["type"],
        "oneOf": branches,
    }


def _requirement_schema() -> Schema:
    scalar: Schema = {"type": ["string", "number", "boolean"]}
    tests: dict[str, Schema] = {
        "in": {
            "description": "the value is one of these",
            "type": "array",
            "minItems": 1,
            "items": scalar,
        },
        "not_in": {
            "description": "the value is none of these",
            "type": "array",
            "minItems": 1,
            "items": scalar,
        },
        "equals": {"description": "the value equals this", **scalar},
        "min": _number("the value is at least this", minimum=float("-inf")),
        "max": _number("the value is at most this", minimum=float("-inf")),
        "above": _number("the value is more than this", minimum=float("-inf")),
        "below": _number("the value is less than this", minimum=float("-inf")),
    }
    unknown = [t for t in GATE_TESTS if t not in tests]
    if unknown:
        raise ValueError(f"no JSON Schema for the gate test(s) {unknown}")
    return {
        "description": "exactly one test: " + ", ".join(GATE_TESTS),
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "properties": {t: tests[t] for t in GATE_TESTS},
        "additionalProperties": False,
    }


_WEIGHT = _number("any positive number; weights are normalised to sum 1 at each level", above=0)

# The schema of every key a criteria file may use, wherever it stands; the keys allowed
# at each place come from the reader (CRITERIA_KEYS and the others).
_KEY_SCHEMAS: dict[str, Schema] = {
    "id": _ident("identifier: letters, digits, _ and -, starting with a letter"),
    "title": _nullable(_in_languages(_text("a title for people"))),
    "description": _nullable({"description": "a longer explanation for people", "type": "string"}),
    "source": _nullable(_in_languages(_text("the words this rests on (a quotation, a reference)"))),
    "weight": _WEIGHT,
    "field": {"description": "the proposal field (or derived field) it reads", **_field_name()},
    "rule": {"$ref": "#/$defs/rule"},
    "preference": {"$ref": "#/$defs/preference"},
    "credibility": _nullable(
        _strict_object(
            {
                "field": {
                    "description": "a field with fixed values, such as "
                    "technology_transfer.commitment",
                    **_field_name(True),
                },
                "factors": {
                    "description": "a factor from 0 to 1 for every value the field allows",
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": _number("factor", minimum=0, maximum=1),
                },
                "applies_to": {
                    "description": "the sub-criteria (ids) that are promises, discounted by "
                    "the factor; the others are not. Without it, every sub-criterion is",
                    "type": "array",
                    "minItems": 1,
                    "uniqueItems": True,
                    "items": _ident("a sub-criterion of this criterion"),
                },
            },
            ["field", "factors"],
            "promises count by how binding they are: each sub-criterion in `applies_to` "
            "(every one without it) is multiplied by the factor of the proposal's value (a "
            "missing value takes the lowest)",
        )
    ),
    "subcriteria": {
        "description": "the weighted sub-criteria, each scoring one field",
        "type": "array",
        "minItems": 1,
        "items": {"$ref": "#/$defs/leaf"},
    },
    "require": {"$ref": "#/$defs/requirement"},
    "any_of": {
        "description": "instead of `field` and `require`: alternatives, of which one must pass",
        "type": "array",
        "minItems": 2,
        "items": {"$ref": "#/$defs/condition"},
    },
    "when": {
        "$ref": "#/$defs/condition",
        "description": "the gate applies only where this holds (or its field is missing); "
        "elsewhere it passes as not applicable",
    },
    # top level
    "version": _nullable(
        {
            "description": 'the framework\'s version (quote it: "1.0")',
            "type": "string",
            "minLength": 1,
        }
    ),
    "currency": {
        "description": "every money figure is converted into this ISO 4217 currency",
        "type": "string",
        "pattern": CURRENCY_PATTERN,
    },
    "exchange_rates": _nullable(
        {
            "description": "units of `currency` for one unit of each other currency",
            "type": "object",
            "properties": {
                "as_of": _date("the day the rates are taken from"),
                "source": _text("where the rates come from, with their date"),
            },
            "patternProperties": {CURRENCY_PATTERN: _or_range(_number("rate", above=0))},
            "additionalProperties": False,
        }
    ),
    "discount_rate": _nullable(
        _number(
            "real discount rate for the lifecycle-cost NPV, such as 0.07", minimum=0, maximum=0.99
        )
    ),
    "method": {**_choice("default aggregation method", METHODS), "default": Method.WSM},
    "missing": {
        **_choice("how a missing value scores: zero (0 and a warning) or error", MISSING_POLICIES),
        "default": "zero",
    },
    "weights_from": _text(
        "an AHP judgements file (relative to this file) that gives the "
        "top-level weights; then no criterion states a `weight`"
    ),
    "criteria": {
        "description": "the weighted top-level criteria",
        "type": "array",
        "minItems": 1,
        "items": {"$ref": "#/$defs/criterion"},
    },
    "requirements": _nullable(
        {
            "oneOf": [
                {
                    "description": "the user's requirements each proposal answers (the "
                    "technical compliance matrix)",
                    "type": "array",
                    "items": _strict_object(
                        {
                            "id": _ident("the requirement's id, as proposals answer it"),
                            "text": _text("what is required"),
                            "need": _choice(
                                "mandatory (not met: fails) or desirable (scores)",
                                compliance.NEEDS,
                            ),
                            "verified_by": _choice(
                                "how the answer is verified", compliance.VERIFICATIONS
                            ),
                            "source": _text("where the requirement comes from"),
                        },
                        ["id", "text", "need", "verified_by"],
                    ),
                },
                _text("a requirements file beside this one, holding `requirements:`"),
            ]
        }
    ),
    "stages": _nullable(
        {
            "description": "the tender's stages, in order: each committee's criteria and "
            "gates, its pass rule and the envelope it reads",
            "type": "array",
            "items": _strict_object(
                {
                    "id": _ident("the stage's id (`compare --stage ID`)"),
                    "title": _in_languages(_text("the committee's name")),
                    "description": _text("what the stage is for"),
                    "criteria": {
                        "description": "the criteria it scores, by id",
                        "type": "array",
                        "items": _ident("a criterion's id"),
                    },
                    "gates": {
                        "description": "the gates it checks, by id",
                        "type": "array",
                        "items": _ident("a gate's id"),
                    },
                    "pass_mark": _number(
                        "with it, an offer passes on every gate and a stage score at least "
                        "this; without it, on its gates alone",
                        minimum=0,
                        maximum=100,
                    ),
                    "envelope": {
                        **_choice("which envelope of an offer it reads", stages.ENVELOPES),
                        "default": stages.TECHNICAL,
                    },
                    "recommend": {
                        "description": "the weighted evaluation of every criterion follows, "
                        "among the offers that passed every stage (the last stage only)",
                        "type": "boolean",
                        "default": False,
                    },
                    "source": _text("where the stage comes from"),
                },
                ["id", "title"],
            ),
        }
    ),
    "gates": _nullable(
        {
            "description": "conditions a proposal must meet to be eligible",
            "type": "array",
            "items": {"$ref": "#/$defs/gate"},
        }
    ),
    "icp": _nullable(
        _strict_object(
            {
                "multipliers": {
                    "description": "the multiplier of each ICP activity type",
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": {"pattern": icp.TYPE_NAME_PATTERN.pattern},
                    "additionalProperties": {
                        "oneOf": [
                            _number("the multiplier of both kinds", above=0),
                            {
                                "description": "a multiplier for each kind",
                                "type": "object",
                                "minProperties": 1,
                                "additionalProperties": False,
                                "properties": {
                                    kind: _number(f"the multiplier of {kind} activities", above=0)
                                    for kind in icp.KINDS
                                },
                            },
                        ]
                    },
                },
                "uplift": _nullable(
                    _number(
                        "added to the multiplier of an activity that claims the uplift: "
                        "multiplier × (1 + uplift); default 0.2, the guideline's",
                        minimum=0,
                    )
                ),
            },
            ["multipliers"],
            "Industrial Collaboration Programme: ICP Credit Value (ICV) multipliers and uplift",
        )
    ),
    "classification": _nullable(
        {
            "description": "the security classification every report of this file is "
            "marked with (Akta Rahsia Rasmi 1972): TERHAD, SULIT, RAHSIA or RAHSIA BESAR, "
            "or the English RESTRICTED, CONFIDENTIAL, SECRET, TOP SECRET (read as the "
            "Malay level); `--classification` overrides it",
            "type": "string",
            "enum": [*classification.LEVELS, *classification.ENGLISH],
        }
    ),
    "panel": _nullable(
        _strict_object(
            {
                "aggregate": {
                    **_choice(
                        "how the members' scores of a judgement are consolidated", panel.AGGREGATES
                    ),
                    "default": panel.DEFAULT_AGGREGATE,
                },
                "disagreement": {
                    **_number(
                        "a spread (highest − lowest member score) of this many "
                        "points or more is flagged",
                        above=0,
                        maximum=100,
                    ),
                    "default": _plain_number(panel.DEFAULT_DISAGREEMENT),
                },
            },
            (),
            "evaluation panel: how members' ratings of `panel.*` judgements are consolidated",
        )
    ),
}


def _keys(names: Iterable[str], place: str) -> dict[str, Schema]:
    properties: dict[str, Schema] = {}
    for name in names:
        if name not in _KEY_SCHEMAS:
            raise ValueError(f"no JSON Schema for the {place} key `{name}`")
        properties[name] = _KEY_SCHEMAS[name]
    return properties


def _criterion_schema() -> Schema:
    body = _strict_object(
        _keys(CRITERION_KEYS, "criterion"),
        ["id"],
        "a top-level criterion: either `subcriteria`, or its own `field` and `rule`",
    )
    own_rule: Schema = {"required": ["field", "rule"], "not": {"required": ["subcriteria"]}}
    with_subcriteria: Schema = {
        "required": ["subcriteria"],
        "not": {"anyOf": [{"required": ["field"]}, {"required": ["rule"]}]},
    }
    body["oneOf"] = [with_subcriteria, own_rule]
    return body


def _gate_schema() -> Schema:
    body = _strict_object(
        _keys(GATE_KEYS, "gate"),
        ["id"],
        "a pass/fail condition: `field` and `require`, or `any_of`; a missing field fails",
    )
    own_test: Schema = {"required": ["field", "require"], "not": {"required": ["any_of"]}}
    alternatives: Schema = {
        "required": ["any_of"],
        "not": {"anyOf": [{"required": ["field"]}, {"required": ["require"]}]},
    }
    body["oneOf"] = [own_test, alternatives]
    return body


def criteria_schema() -> Schema:
    """The JSON Schema of a criteria file, from the criteria reader's keys and rule types."""
    top = _keys(CRITERIA_KEYS, "criteria file")
    # A criterion states its weight, unless the top-level weights come from `weights_from`.
    needs_weight: Schema = {"properties": {"criteria": {"items": {"required": ["weight"]}}}}
    conditions: Schema = needs_weight
    if "weights_from" in top:
        conditions = {
            "if": {"required": ["weights_from"]},
            "then": {"properties": {"criteria": {"items": {"not": {"required": ["weight"]}}}}},
            "else": needs_weight,
        }
    return {
        "$schema": DRAFT,
        "title": "evaluator criteria",
        "description": "The evaluation framework: criteria and weights, how each field "
        "scores, gates for eligibility, exchange rates. Numbers may group "
        "digits with _ (1_600_000_000).",
        "type": "object",
        "properties": top,
        "required": ["id", "currency", "criteria"],
        "additionalProperties": False,
        "allOf": [conditions],
        "$defs": {
            "criterion": _criterion_schema(),
            "leaf": _strict_object(
                _keys(LEAF_KEYS, "sub-criterion"),
                ["id", "weight", "field", "rule"],
                "a sub-criterion: one field, scored by one rule",
            ),
            "gate": _gate_schema(),
            "condition": _strict_object(
                _keys(CONDITION_KEYS, "condition"),
                list(CONDITION_KEYS),
                "a field and a test it must pass; a missing field fails",
            ),
            "requirement": _requirement_schema(),
            "rule": _rule_schema(),
            "preference": _preference_schema(),
        },
    }


def panel_schema() -> Schema:
    """The JSON Schema of a panel member's file (docs/panels.md): the label and ratings the
    reader requires, the name, role and declaration the sign-off shows. The levels a rating
    may take are the criteria file's, so any word is allowed here."""
    rating: Schema = {
        "description": "judgement -> rating (one of the levels the criteria give it)",
        "type": ["object", "null"],
        "additionalProperties": {"type": ["string", "null"]},
    }
    return {
        "$schema": DRAFT,
        "title": "evaluator panel",
        "description": "One panel member's file: their ratings of the proposals' judgements, "
        "and for the report's sign-off their name, role and declaration of no conflict of "
        "interest.",
        "type": "object",
        "properties": {
            "member": {
                "description": "the member's label (a letter, a post, a name), unique in "
                "the folder",
                "type": ["string", "number"],
            },
            "name": _text("the member's name, as the sign-off prints it"),
            "role": _choice(
                "the member's role on the committee (any case; the Malay Pengerusi, Ahli, "
                "Setiausaha are read as chair, member, secretary)",
                [*panel.ROLES, "Pengerusi", "Ahli", "Setiausaha"],
            ),
            "declaration": _strict_object(
                {
                    "date": _date("the day the member declared"),
                    "text": _text("the declaration, in the member's words"),
                },
                ["date", "text"],
                "the member's declaration of no conflict of interest; without one the "
                "report lists the member as a finding",
            ),
            "ratings": {
                "description": "proposal id -> judgement -> rating",
                "type": "object",
                "additionalProperties": rating,
            },
        },
        "required": ["member", "ratings"],
        "additionalProperties": False,
    }


def schema(kind: str) -> Schema:
    """The JSON Schema of a file kind: `proposal`, `criteria` or `panel`."""
    if kind == "proposal":
        return proposal_schema()
    if kind == "criteria":
        return criteria_schema()
    if kind == "panel":
        return panel_schema()
    raise ValueError(f"no schema for {kind!r}; kinds: {', '.join(KINDS)}")


def schema_text(kind: str) -> str:
    """The schema as the JSON text written to schema/KIND.schema.json."""
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"
