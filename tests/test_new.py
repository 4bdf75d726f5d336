"""`evaluator new`: a template of every field that validates as expected and scores once filled."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluator.api import load_criteria, load_proposal
from evaluator.io.strict_yaml import parse_document
from evaluator.model import fields, icp
from evaluator.model.fields import Value
from evaluator.model.proposal import parse_proposal
from evaluator.model.schema import schema
from evaluator.model.template import id_from_file_name, proposal_template, yaml_text
from evaluator.scoring.derive import used_fields
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS, Run

RunCli = Callable[..., Run]
# The requirements of the default criteria (criteria/requirements.yaml), in their order.
REQUIREMENTS = [r.id for r in load_criteria(DEFAULT_CRITERIA).requirements]


def fill(text: str, values: Mapping[str, str]) -> str:
    """The template with `section.field` lines given these YAML values."""
    section = ""
    out = []
    for line in text.splitlines():
        if heading := re.fullmatch(r"([a-z0-9_]+):", line):
            section = heading.group(1)
        elif field := re.fullmatch(r"  ([a-z_]+):( .*)?", line):
            name = f"{section}.{field.group(1)}"
            if name in values:
                line = f"  {field.group(1)}: {values[name]}"
        out.append(line)
    return "\n".join(out) + "\n"


def uncomment(text: str, section: str) -> str:
    """The template with the commented-out example of `section` made real."""
    lines = text.splitlines()
    start = lines.index(f"# {section}:")
    end = start
    while end < len(lines) and lines[end].startswith("# "):
        end += 1
    lines[start:end] = [line[2:] for line in lines[start:end]]
    return "\n".join(lines) + "\n"


def yaml_value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return yaml_text(value)
    return repr(value)


def line_of(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


def test_new_writes_the_template(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "proposals").mkdir()
    result = run_cli("new", "proposals/france.yaml", "--country", "France", cwd=tmp_path)
    assert (result.code, result.out, result.err) == (0, "", "wrote proposals/france.yaml\n")
    text = (tmp_path / "proposals" / "france.yaml").read_text(encoding="utf-8")
    framework = load_criteria()  # in tmp_path: the installed copy, as the command used
    assert text == proposal_template(
        "proposals/france.yaml",
        country="France",
        ident="france",
        used=used_fields(framework),
        criteria=framework.file,
        requirements=framework.requirements,
    )
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/proposal.schema.json"
    assert "  id: france\n" in text and "  country: France\n" in text


def test_the_template_marks_what_the_criteria_do_not_score(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("new", str(tmp_path / "offer.yaml"))
    assert result.code == 0, result.err
    text = (tmp_path / "offer.yaml").read_text(encoding="utf-8")
    marked = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("  ") and not line.startswith("  #") and line.endswith(":"):
            start = i
            while lines[start - 1].startswith("  #"):  # the field's own comment, above it
                start -= 1
            # the comment's words, wherever its lines wrap
            if "information only" in " ".join(x.strip(" #") for x in lines[start:i]):
                marked.append(line.strip().rstrip(":"))
    # The default criteria (2.0) read every other field: in a sub-criterion (price basis,
    # payment milestones, countertrade, financing, royalty-free, source code, LD rate,
    # export licence, sanctions...), in a gate or its `any_of`/`when` (escalation cap,
    # advance payment and its guarantee, performance bond, integrity pact, post-warranty
    # MRO), or in a derived figure. The agent's particulars are shown, not scored (the
    # `no_agent` sub-criterion reads `intermediaries`); export rights are counted once,
    # under ip_rights; prior contracts are information only (the track record is scored).
    assert marked == [
        "agent_name",
        "agent_fee_pct",
        "agent_fee",
        "agent_registration",
        "export_rights",
        "prior_contracts",
    ]
    assert "not scored by criteria/default.yaml: information only" in " ".join(
        x.strip(" #") for x in lines
    )
    # With criteria that score export_rights (marked above), it is not marked.
    own = tmp_path / "criteria.yaml"
    own.write_text(
        "id: t\ncurrency: MYR\ncriteria:\n  - {id: a, weight: 1, field: "
        "collaboration.export_rights, rule: {type: boolean}}\n"
    )
    result = run_cli("new", str(tmp_path / "other.yaml"), "--criteria", str(own))
    assert result.code == 0, result.err
    other = (tmp_path / "other.yaml").read_text(encoding="utf-8")
    # its comment, the one or two lines above it (the line before is the field above)
    exports = other.splitlines().index("  export_rights:")
    assert "information only" not in " ".join(other.splitlines()[exports - 2 : exports])
    exports = lines.index("  export_rights:")
    assert "information only" in " ".join(lines[exports - 2 : exports])
    assert other.count("information only") > 20


def test_score_lists_what_is_given_and_not_scored(run_cli: RunCli) -> None:
    result = run_cli("score", "proposals/italy.yaml", "-f", "json")
    # Italy gives no agent; its escalation cap, bond and integrity pact are read by gates;
    # its range and speed are scored by the `technical` criterion (technical.range_nm,
    # technical.max_speed_kn), its hull length by nothing.
    assert json.loads(result.out)["results"][0]["unscored"] == [
        "collaboration.export_rights",
        "collaboration.prior_contracts",
        "technical.hull_length_m",
    ]
    card = " ".join(run_cli("score", "proposals/italy.yaml").out.replace("│", " ").split())
    assert (
        "Given, not scored by these criteria (information only): "
        "collaboration.export_rights, collaboration.prior_contracts,"
    ) in card


def test_schema_reference_is_relative_to_the_new_file(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert run_cli("new", "offer.yaml", cwd=tmp_path).code == 0
    assert run_cli("new", "a/b/offer.yaml", cwd=tmp_path).code == 0
    first = (tmp_path / "offer.yaml").read_text(encoding="utf-8").splitlines()[0]
    nested = (tmp_path / "a" / "b" / "offer.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/proposal.schema.json"
    assert nested == "# yaml-language-server: $schema=../../schema/proposal.schema.json"


def test_every_field_of_the_table_is_in_the_template() -> None:
    text = proposal_template("offer.yaml")
    filled = fill(
        text, {spec.name: "X" for section in fields.SECTIONS.values() for spec in section.values()}
    )
    for section, specs in fields.SECTIONS.items():
        assert f"\n{section}:\n" in text
        for key in specs:
            assert re.search(rf"^  {key}:$", text, re.M), key
    assert filled.count(": X\n") == len(fields.PROPOSAL_FIELDS)
    for choice in fields.TRANSFER_LEVELS:  # allowed values are listed with their field
        assert choice in text
    assert "# industrial_collaboration:" in text and "# technical:" in text


def test_new_never_overwrites(run_cli: RunCli, tmp_path: Path) -> None:
    existing = tmp_path / "italy.yaml"
    existing.write_text("proposal: {country: Italy}\n", encoding="utf-8")
    result = run_cli("new", "italy.yaml", "--country", "Italy", cwd=tmp_path)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "italy.yaml: already exists; `evaluator new` never overwrites a file "
        "(choose another name)\n"
    )
    assert existing.read_text(encoding="utf-8") == "proposal: {country: Italy}\n"
    assert run_cli("new", "italy.yaml", "--force", cwd=tmp_path).code == 2  # there is no --force


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("offer.txt",), "offer.txt: a proposal file name ends in .yaml or .yml\n"),
        (("offer.yaml", "--country", " "), "--country: give the country's name\n"),
    ],
)
def test_new_usage_errors(
    run_cli: RunCli, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_cli("new", *args, cwd=tmp_path)
    assert (result.code, result.out, result.err) == (2, "", message)
    assert list(tmp_path.iterdir()) == []


def test_new_into_a_missing_folder(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("new", "nowhere/offer.yaml", cwd=tmp_path)
    assert (result.code, result.err) == (
        1,
        "nowhere/offer.yaml: the folder nowhere does not exist\n",
    )


def test_a_fresh_template_names_the_fields_to_fill(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("new", "offer.yaml", cwd=tmp_path).code == 0
    text = (tmp_path / "offer.yaml").read_text(encoding="utf-8")
    result = run_cli("validate", "offer.yaml", cwd=tmp_path)
    # Each problem points at its section's first field: `id` and `currency`; then each
    # requirement of the default criteria (criteria/requirements.yaml) at its blank answer
    # and reference, in the template's `compliance` section.
    assert (result.code, result.out) == (1, "")
    answers = ""
    for ident in REQUIREMENTS:
        at = line_of(text, f"  {ident}:")
        answers += (
            f"offer.yaml:{at + 1}:5: missing required key `answer` in `compliance.{ident}`\n"
            f"offer.yaml:{at + 2}:16: a reference into the offer is needed: give at least "
            "one of `volume`, `section`, `page`\n"
        )
    assert result.err == (
        f"offer.yaml:{line_of(text, '  id:')}:3: missing required field `country` in "
        "`proposal`\n"
        f"offer.yaml:{line_of(text, '  currency:')}:3: missing required field `currency` in "
        "`pricing`\n" + answers
    )


def test_with_country_only_the_currency_is_left(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("new", "offer.yaml", "--country", "NO", cwd=tmp_path).code == 0
    text = (tmp_path / "offer.yaml").read_text(encoding="utf-8")
    assert '  country: "NO"\n' in text
    result = run_cli("validate", "offer.yaml", cwd=tmp_path)
    # (and the answers to the default criteria's requirements, as above)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"offer.yaml:{line_of(text, '  currency:')}:3: "
        "missing required field `currency` in `pricing`"
    )
    assert len(result.err.splitlines()) == 1 + 2 * len(REQUIREMENTS)


def test_filled_with_the_obvious_values_it_validates_and_scores(
    run_cli: RunCli, tmp_path: Path
) -> None:
    assert run_cli("new", "france.yaml", "--country", "France", cwd=tmp_path).code == 0
    path = tmp_path / "france.yaml"
    text = fill(path.read_text(encoding="utf-8"), {"pricing.currency": "EUR"})
    # The default criteria list requirements: the template has each, to answer.
    assert all(
        line_of(text, f"  {ident}:") > line_of(text, "compliance:") for ident in REQUIREMENTS
    )
    assert text.count("    answer:\n") == len(REQUIREMENTS)
    text = text.replace("    answer:\n", "    answer: compliant\n").replace(
        "reference: {volume: , section: , page: }", 'reference: {volume: 2, section: "3.1"}'
    )
    path.write_text(text, encoding="utf-8")
    validated = run_cli("validate", "france.yaml", cwd=tmp_path)
    assert (validated.code, validated.out, validated.err) == (0, "ok france.yaml\n", "")
    scored = run_cli("score", "france.yaml", "--format", "json", cwd=tmp_path)
    assert (scored.code, scored.err) == (0, "")
    assert '"id": "france"' in scored.out and '"country": "France"' in scored.out


def test_filled_with_a_samples_values_it_reads_as_the_sample(tmp_path: Path) -> None:
    sample = load_proposal(PROPOSALS / "italy.yaml")
    text = fill(
        proposal_template("italy.yaml"),
        {name: yaml_value(value) for name, value in sample.values.items()},
    )
    for name, value in sample.values.items():
        if name.startswith("technical."):  # free-form facts go in a section of their own
            text += (
                "technical:\n" if "\ntechnical:" not in text else ""
            ) + f"  {name.split('.', 1)[1]}: {yaml_value(value)}\n"
    filled = parse_proposal(parse_document(text, "italy.yaml"))
    assert dict(filled.values) == dict(sample.values)


def test_the_commented_examples_are_valid(tmp_path: Path) -> None:
    text = fill(proposal_template("offer.yaml", country="Italy"), {"pricing.currency": "EUR"})
    for section in (*fields.ACTIVITY_SECTIONS, *fields.FREE_FORM_SECTIONS):
        text = uncomment(text, section)
    proposal = parse_proposal(parse_document(text, "offer.yaml"))
    assert proposal.values["technical.range_nm"] == 3500
    assert proposal.activities is not None
    assert [(a.type, a.value, a.local) for a in proposal.activities] == [
        ("technology_transfer", 40_000_000.0, True)
    ]
    assert set(icp.ACTIVITY_KEYS) <= set(re.findall(r"^ {4}(?:- |  )([a-z_]+):", text, re.M))


def test_the_schema_judges_a_template_as_the_reader_does() -> None:
    validator = jsonschema.Draft202012Validator(schema("proposal"))
    fresh = parse_document(proposal_template("offer.yaml"), "offer.yaml").data
    assert sorted(".".join(map(str, e.absolute_path)) for e in validator.iter_errors(fresh)) == [
        "pricing.currency",
        "proposal.country",
    ]
    filled = fill(proposal_template("offer.yaml", country="Italy"), {"pricing.currency": "EUR"})
    assert list(validator.iter_errors(parse_document(filled, "offer.yaml").data)) == []


@pytest.mark.parametrize(
    ("stem", "ident"),
    [
        ("france", "france"),
        ("France 2025", "france-2025"),
        ("Türkiye", "turkiye"),
        ("Côte d'Ivoire offer", "cote-d-ivoire-offer"),
        ("_draft", "_draft"),
        ("2025", None),
        ("--", None),
    ],
)
def test_id_from_file_name(stem: str, ident: str | None) -> None:
    assert id_from_file_name(stem) == ident


@given(st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1).filter(str.strip))
def test_any_country_name_reads_back_exactly(name: str) -> None:
    text = fill(proposal_template("offer.yaml", country=name), {"pricing.currency": "EUR"})
    assert parse_proposal(parse_document(text, "offer.yaml")).country == name
