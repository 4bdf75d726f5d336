"""The JSON Schemas: generated from the models, kept in schema/, and agreeing with the readers."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from evaluator.errors import InputError
from evaluator.io.files import load_document
from evaluator.io.strict_yaml import parse_document
from evaluator.model import fields
from evaluator.model.criteria import parse_criteria
from evaluator.model.fields import FieldSpec
from evaluator.model.proposal import parse_proposal
from evaluator.model.rules import RULES
from evaluator.model.schema import (
    KINDS,
    RANGE_HELP,
    field_schema,
    proposal_schema,
    schema,
    schema_text,
)
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS, ROOT, Run

SCHEMA_DIR = ROOT / "schema"
RunCli = Callable[..., Run]


def validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        schema(kind), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def schema_errors(kind: str, data: Any) -> list[str]:
    """Where and why `data` breaks the schema of `kind` (empty when it conforms)."""
    return [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(kind).iter_errors(data)
    ]


def reader_accepts(kind: str, text: str) -> bool:
    document = parse_document(text, "file.yaml")
    try:
        (parse_proposal if kind == "proposal" else parse_criteria)(document)
    except InputError:
        return False
    return True


@pytest.mark.parametrize("kind", KINDS)
def test_schema_dir_matches_the_models(kind: str) -> None:
    path = SCHEMA_DIR / f"{kind}.schema.json"
    assert path.read_text(encoding="utf-8") == schema_text(kind), (
        f"{path} is stale: run `make schema`"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_schemas_are_valid_draft_2020_12(kind: str) -> None:
    document = schema(kind)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(document)


@pytest.mark.parametrize("path", sorted(PROPOSALS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_sample_proposal_conforms(path: Path) -> None:
    assert (
        path.read_text(encoding="utf-8").splitlines()[0]
        == "# yaml-language-server: $schema=../schema/proposal.schema.json"
    )
    assert schema_errors("proposal", load_document(path).data) == []


def test_default_criteria_conforms() -> None:
    assert (
        DEFAULT_CRITERIA.read_text(encoding="utf-8").splitlines()[0]
        == "# yaml-language-server: $schema=../schema/criteria.schema.json"
    )
    assert schema_errors("criteria", load_document(DEFAULT_CRITERIA).data) == []


# Each case is judged the same way by the reader and by the schema.
PROPOSAL_CASES = {
    # name: (YAML, accepted)
    "minimal": ("proposal: {country: Italy}", True),
    "nulls are missing": (
        "proposal: {country: Italy, title: null}\n"
        "pricing: {currency: EUR, unit_price: ~, quantity: null}",
        True,
    ),
    "grouped and exponent numbers": (
        "proposal: {country: Italy}\n"
        "pricing: {currency: EUR, unit_price: 110_000_000, "
        "one_off_costs: 2.5e7, quantity: 3.0}",
        True,
    ),
    "capped escalation with its cap": (
        "proposal: {country: Italy}\n"
        "pricing: {currency: EUR, price_basis: "
        "capped_escalation, escalation_cap_pct: 3}",
        True,
    ),
    "technical facts": (
        "proposal: {country: Italy}\n"
        "technical: {range_nm: 3500, hull: steel, stealth: true, x: null}",
        True,
    ),
    "every list value once": (
        "proposal: {country: Italy}\ntechnology_transfer: {ip_rights: [use, export]}",
        True,
    ),
    "a date": ("proposal: {country: Italy, submitted: 2025-05-13}", True),
    "no proposal section": ("pricing: {currency: EUR}", False),
    "no country": ("proposal: {title: x}", False),
    "null country": ("proposal: {country: null}", False),
    "empty country": ("proposal: {country: ''}", False),
    "country as a number": ("proposal: {country: 12}", False),
    "unknown section": ("proposal: {country: Italy}\npricng: {currency: EUR}", False),
    "unknown field": (
        "proposal: {country: Italy}\ntechnology_transfer: {lcoal_content_pct: 3}",
        False,
    ),
    "percent over 100": (
        "proposal: {country: Italy}\ntechnology_transfer: {local_content_pct: 101}",
        False,
    ),
    "negative money": (
        "proposal: {country: Italy}\npricing: {currency: EUR, unit_price: -1}",
        False,
    ),
    "quantity 0": ("proposal: {country: Italy}\npricing: {currency: EUR, quantity: 0}", False),
    "fractional count": (
        "proposal: {country: Italy}\npricing: {currency: EUR, quantity: 2.5}",
        False,
    ),
    "number in quotes": (
        "proposal: {country: Italy}\npricing: {currency: EUR, unit_price: '120'}",
        False,
    ),
    "unknown choice": (
        "proposal: {country: Italy}\npricing: {currency: EUR, price_basis: firm}",
        False,
    ),
    "yes is not a boolean": ("proposal: {country: Italy}\ng2g: {integrity_pact: yes}", False),
    "lower-case currency": ("proposal: {country: Italy}\npricing: {currency: eur}", False),
    "pricing without currency": ("proposal: {country: Italy}\npricing: {unit_price: 1}", False),
    "a right listed twice": (
        "proposal: {country: Italy}\ntechnology_transfer: {ip_rights: [use, use]}",
        False,
    ),
    "an unknown right": (
        "proposal: {country: Italy}\ntechnology_transfer: {ip_rights: [use, sell]}",
        False,
    ),
    "escalation cap without capped escalation": (
        "proposal: {country: Italy}\npricing: {currency: EUR, price_basis: firm_fixed, "
        "escalation_cap_pct: 3}",
        False,
    ),
    "escalation cap with no price basis": (
        "proposal: {country: Italy}\npricing: {currency: EUR, escalation_cap_pct: 3}",
        False,
    ),
    "a bad id": ("proposal: {country: Italy, id: 2nd offer}", False),
    "a date that is not one": ("proposal: {country: Italy, submitted: 13/05/2025}", False),
    "technical value that is a list": (
        "proposal: {country: Italy}\ntechnical: {ranges: [1, 2]}",
        False,
    ),
    "technical name with a dot": ("proposal: {country: Italy}\ntechnical: {range.nm: 1}", False),
    "a section that is null": ("proposal: {country: Italy}\ng2g:", False),
    "a range of estimates": (
        "proposal: {country: Italy}\npricing: {currency: EUR, "
        "unit_price: {low: 1e8, high: 1.4e8, likely: 1.2e8}}",
        True,
    ),
    "a range with no likely value": (
        "proposal: {country: Italy}\ng2g: {delivery_months: {low: 44, high: 60}}",
        True,
    ),
    "a technical range": (
        "proposal: {country: Italy}\ntechnical: {range_nm: {low: 3000, high: 4000}}",
        True,
    ),
    "a range over 100 percent": (
        "proposal: {country: Italy}\n"
        "technology_transfer: {local_content_pct: {low: 20, high: 101}}",
        False,
    ),
    "a range with an unknown key": (
        "proposal: {country: Italy}\npricing: {currency: EUR, unit_price: {low: 1, hihg: 2}}",
        False,
    ),
    "a range without high": (
        "proposal: {country: Italy}\npricing: {currency: EUR, unit_price: {low: 1, likely: 2}}",
        False,
    ),
    "a range of fractional counts": (
        "proposal: {country: Italy}\ng2g: {delivery_months: {low: 44.5, high: 60}}",
        False,
    ),
}

CRITERIA_BASE = """\
id: test
currency: MYR
exchange_rates: {as_of: 2025-05-14, EUR: 4.83}
criteria:
  - id: price
    weight: 60
    field: pricing.unit_price
    rule: {type: linear, best: 1_000, worst: 2e3}
  - id: transfer
    weight: 40
    subcriteria:
      - {id: level, weight: 1, field: technology_transfer.level, rule: %s}
"""
LEVELS = (
    "{type: levels, levels: {off_the_shelf: 0, operator_training: 10, "
    "maintenance_capability: 20, licensed_assembly: 30, licensed_production: 40, "
    "full_system_production: 50, co_development: 60, full_transfer: 100}}"
)
CRITERIA_CASES = {
    "minimal": (CRITERIA_BASE % LEVELS, True),
    "every rule type": (
        CRITERIA_BASE % LEVELS
        + textwrap.dedent("""\
          - id: more
            weight: 1
            subcriteria:
              - {id: a, weight: 1, field: pricing.quantity, rule: {type: proportional,
                 direction: max}}
              - {id: b, weight: 1, field: g2g.integrity_pact, rule: {type: boolean}}
              - {id: c, weight: 1, field: g2g.delivery_months, rule: {type: steps,
                 direction: min, steps: [[36, 100], [60, 50]]}}
              - {id: d, weight: 1, field: technology_transfer.ip_rights, rule: {type: count,
                 per_item: 20}}
              - {id: e, weight: 1, field: technical.range_nm, rule: {type: linear, best: 5000,
                 worst: 1000}}
        gates:
          - {id: g, field: g2g.intermediaries, require: {in: [none, disclosed]}}
          - {id: h, field: pricing.quantity, require: {min: 2}}
        """),
        True,
    ),
    "no criteria": ("id: test\ncurrency: MYR\n", False),
    "empty criteria": ("id: test\ncurrency: MYR\ncriteria: []\n", False),
    "unknown top-level key": (CRITERIA_BASE % LEVELS + "weigths: {}\n", False),
    "unknown rule type": (CRITERIA_BASE % "{type: linearish}", False),
    "linear without worst": (CRITERIA_BASE.replace(", worst: 2e3", "") % LEVELS, False),
    "a rule parameter of another type": (
        CRITERIA_BASE.replace("worst: 2e3", "worst: 2e3, cap: 5") % LEVELS,
        False,
    ),
    "a level scored 120": (
        CRITERIA_BASE % LEVELS.replace("full_transfer: 100", "full_transfer: 120"),
        False,
    ),
    "zero weight": (CRITERIA_BASE.replace("weight: 60", "weight: 0") % LEVELS, False),
    "unknown field": (
        CRITERIA_BASE.replace("pricing.unit_price", "pricing.unit_prise") % LEVELS,
        False,
    ),
    "subcriteria and a rule": (
        CRITERIA_BASE.replace("    weight: 40\n", "    weight: 40\n    field: pricing.quantity\n")
        % LEVELS,
        False,
    ),
    "neither subcriteria nor rule": (
        "id: t\ncurrency: MYR\ncriteria: [{id: a, weight: 1}]\n",
        False,
    ),
    "an unknown method": (CRITERIA_BASE % LEVELS + "method: magic\n", False),
    "a lower-case rate code": (CRITERIA_BASE.replace("EUR: 4.83", "eur: 4.83") % LEVELS, False),
    "a negative rate": (CRITERIA_BASE.replace("EUR: 4.83", "EUR: -4.83") % LEVELS, False),
    "a gate with two tests": (
        CRITERIA_BASE % LEVELS + "gates: [{id: g, field: pricing."
        "quantity, require: {min: 1, max: 3}}]\n",
        False,
    ),
    "a gate in an empty list": (
        CRITERIA_BASE % LEVELS + "gates: [{id: g, field: g2g.intermediaries, require: {in: []}}]\n",
        False,
    ),
    "a gate not in an empty list": (
        CRITERIA_BASE % LEVELS + "gates: [{id: g, field: g2g."
        "intermediaries, require: {not_in: []}}]\n",
        False,
    ),
    "a gate with any_of and when": (
        CRITERIA_BASE % LEVELS + "gates: [{id: g, any_of: [{field: g2g.performance_bond_pct, "
        "require: {min: 5}}, {field: g2g.sovereign_guarantee, require: {equals: true}}], "
        "when: {field: g2g.intermediaries, require: {equals: none}}}]\n",
        True,
    ),
    "a gate with any_of and its own test": (
        CRITERIA_BASE % LEVELS + "gates: [{id: g, field: g2g.integrity_pact, require: "
        "{equals: true}, any_of: [{field: g2g.performance_bond_pct, require: {min: 5}}, "
        "{field: g2g.sovereign_guarantee, require: {equals: true}}]}]\n",
        False,
    ),
    "a gate with one alternative": (
        CRITERIA_BASE % LEVELS + "gates: [{id: g, any_of: [{field: g2g.performance_bond_pct, "
        "require: {min: 5}}]}]\n",
        False,
    ),
    "a gate with neither a test nor any_of": (CRITERIA_BASE % LEVELS + "gates: [{id: g}]\n", False),
    "a when without require": (
        CRITERIA_BASE % LEVELS + "gates: [{id: g, field: g2g.integrity_pact, require: "
        "{equals: true}, when: {field: g2g.intermediaries}}]\n",
        False,
    ),
    "credibility on some promises": (
        CRITERIA_BASE.replace(
            "    weight: 40\n",
            "    weight: 40\n    credibility: {field: technology_transfer.commitment, factors: "
            "{guaranteed: 1, contractual: 0.8, mou: 0.5, intent: 0.2}, applies_to: [level]}\n",
        )
        % LEVELS,
        True,
    ),
    "credibility on no promise": (
        CRITERIA_BASE.replace(
            "    weight: 40\n",
            "    weight: 40\n    credibility: {field: technology_transfer.commitment, factors: "
            "{guaranteed: 1, contractual: 0.8, mou: 0.5, intent: 0.2}, applies_to: []}\n",
        )
        % LEVELS,
        False,
    ),
    "a count capped at 60": (
        CRITERIA_BASE.replace("technology_transfer.level", "technology_transfer.ip_rights")
        % "{type: count, per_item: 20, cap: 60}",
        True,
    ),
    "a rate as a range, with a source": (
        CRITERIA_BASE.replace(
            "EUR: 4.83}", "EUR: {low: 4.6, likely: 4.83, high: 5.1}, source: 'BNM, 2 Feb 2026'}"
        )
        % LEVELS,
        True,
    ),
    "a rate range reaching 0": (
        CRITERIA_BASE.replace("EUR: 4.83}", "EUR: {low: 0, high: 5.1}}") % LEVELS,
        False,
    ),
    "a rate range with an unknown key": (
        CRITERIA_BASE.replace("EUR: 4.83}", "EUR: {low: 4, high: 5.1, mode: 4.5}}") % LEVELS,
        False,
    ),
    "a count capped at 0": (
        CRITERIA_BASE.replace("technology_transfer.level", "technology_transfer.ip_rights")
        % "{type: count, per_item: 20, cap: 0}",
        False,
    ),
}


@pytest.mark.parametrize(("text", "accepted"), PROPOSAL_CASES.values(), ids=PROPOSAL_CASES)
def test_proposal_schema_agrees_with_the_reader(text: str, accepted: bool) -> None:
    data = parse_document(text + "\n", "file.yaml").data
    assert reader_accepts("proposal", text + "\n") is accepted
    errors = schema_errors("proposal", data)
    assert (errors == []) is accepted, errors


@pytest.mark.parametrize(("text", "accepted"), CRITERIA_CASES.values(), ids=CRITERIA_CASES)
def test_criteria_schema_agrees_with_the_reader(text: str, accepted: bool) -> None:
    data = parse_document(text, "file.yaml").data
    assert reader_accepts("criteria", text) is accepted
    errors = schema_errors("criteria", data)
    assert (errors == []) is accepted, errors


def test_icp_activities_are_in_the_proposal_schema() -> None:
    activity = {
        "type": "technology_transfer",
        "description": "hull modules",
        "value": 40_000_000,
        "local": True,
    }
    good = {
        "proposal": {"country": "Italy"},
        "pricing": {"currency": "EUR"},
        "industrial_collaboration": {"activities": [activity]},
    }
    assert schema_errors("proposal", good) == []
    bad = {**good, "industrial_collaboration": {"activities": [{**activity, "valeu": 1}]}}
    assert schema_errors("proposal", bad) != []
    no_value = {
        **good,
        "industrial_collaboration": {
            "activities": [{k: v for k, v in activity.items() if k != "value"}]
        },
    }
    assert schema_errors("proposal", no_value) != []


def test_a_yaml_1_2_editor_may_read_grouped_digits_as_text() -> None:
    # `110_000_000` is text to a YAML 1.2 parser (as editors use); the schema accepts it.
    base = {"proposal": {"country": "Italy"}}
    assert (
        schema_errors(
            "proposal", {**base, "pricing": {"currency": "EUR", "unit_price": "110_000_000"}}
        )
        == []
    )
    assert (
        schema_errors("proposal", {**base, "pricing": {"currency": "EUR", "unit_price": "cheap"}})
        != []
    )


def test_every_field_of_the_table_is_described() -> None:
    properties = proposal_schema()["properties"]
    assert set(properties) == set(fields.ALL_SECTIONS)
    for spec in (s for section in fields.SECTIONS.values() for s in section.values()):
        entry = properties[spec.section]["properties"][spec.key]
        assert entry["description"].startswith(
            "Required: " + spec.description if spec.required else spec.description
        )
        types = entry.get("type", [])
        assert ("null" in types) is not spec.required
        if spec.kind == fields.PERCENT:
            assert (entry["minimum"], entry["maximum"]) == (0, 100)
        if spec.kind == fields.COUNT:
            assert types[0] == "integer" and entry["minimum"] == spec.minimum
        if spec.kind == fields.CHOICE:
            assert entry["enum"] == [*spec.choices, None]
    for name, section in properties.items():
        assert section["description"], name
        if name == fields.COMPLIANCE_SECTION:  # keyed by the criteria's requirement ids
            assert section["propertyNames"] == {"pattern": fields.ID_PATTERN.pattern}
            assert section["additionalProperties"]["additionalProperties"] is False
        elif name not in fields.FREE_FORM_SECTIONS:
            assert section["additionalProperties"] is False


def test_a_new_field_reaches_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = FieldSpec("g2g.offset_pct", fields.PERCENT, "offset obligation")
    monkeypatch.setitem(fields.SECTIONS, "g2g", {**fields.SECTIONS["g2g"], "offset_pct": spec})
    entry = proposal_schema()["properties"]["g2g"]["properties"]["offset_pct"]
    percent = {
        "type": ["number", "string"],
        "pattern": entry["pattern"],
        "minimum": 0,
        "maximum": 100,
    }
    assert entry == {
        "description": "offset obligation; percent, 0 to 100; " + RANGE_HELP,
        "type": ["number", "string", "object", "null"],
        "pattern": entry["pattern"],
        "minimum": 0,
        "maximum": 100,
        # or a range of estimates, each bound a percentage
        "properties": {
            "low": percent,
            "high": percent,
            "likely": {**percent, "type": ["number", "string", "null"]},
        },
        "required": ["low", "high"],
        "additionalProperties": False,
    }


def test_a_field_kind_without_a_schema_is_an_error() -> None:
    with pytest.raises(ValueError, match="no JSON Schema for the field kind 'vector'"):
        field_schema(FieldSpec("technical.x", "vector", "a vector"))


def test_rules_are_one_of_by_type() -> None:
    rule = schema("criteria")["$defs"]["rule"]
    assert rule["properties"]["type"]["enum"] == list(RULES)
    assert [branch["properties"]["type"]["const"] for branch in rule["oneOf"]] == list(RULES)
    linear = rule["oneOf"][0]
    assert linear["required"] == ["type", "best", "worst"]
    assert linear["additionalProperties"] is False


def test_schema_command_prints_the_file(run_cli: RunCli) -> None:
    for kind in KINDS:
        result = run_cli("schema", kind)
        assert (result.code, result.err) == (0, "")
        assert result.out == (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert json.loads(result.out)["title"] == f"evaluator {kind}"


def test_schema_command_rejects_an_unknown_kind(run_cli: RunCli) -> None:
    result = run_cli("schema", "proposals")
    assert (result.code, result.out) == (2, "")
    assert result.err == "KIND: 'proposals' is not one of: proposal, criteria, panel\n"


def test_schema_command_writes_output(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "p.json"
    result = run_cli("schema", "proposal", "--output", str(target))
    assert (result.code, result.out, result.err) == (0, "", f"wrote {target}\n")
    assert target.read_text(encoding="utf-8") == schema_text("proposal")
    again = run_cli("schema", "proposal", "--output", str(target))
    assert again.code == 1 and "already exists" in again.err
