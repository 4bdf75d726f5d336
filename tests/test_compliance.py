"""The technical compliance matrix (#18): requirements in the criteria (or a file they
name), each proposal's answers with a reference into its offer; a mandatory requirement
not met fails the gate that tests it, desirable ones score, a missing answer is an error
with its line, a requirement nothing reads is noted; the matrix in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CRITERIA = """\
id: t
currency: MYR
requirements:
  - {id: TR-01, text: "Range at least 4000 nm at 12 kn", need: mandatory, verified_by: document}
  - {id: TR-02, text: "Deck for a medium helicopter", need: mandatory, verified_by: demonstration}
  - {id: TR-03, text: "Stern ramp for a boat", need: desirable, verified_by: test}
gates:
  - id: technical_compliance
    title: Mandatory requirements met
    field: compliance.mandatory_met
    require: {equals: true}
criteria:
  - id: technical
    weight: 50
    subcriteria:
      - {id: desirable, weight: 1, field: compliance.desirable_pct,
         rule: {type: linear, best: 100, worst: 0}}
      - {id: ramp, weight: 1, field: compliance.TR-03,
         rule: {type: levels, levels: {compliant: 100, partial: 50, non_compliant: 0}}}
  - id: price
    weight: 50
    field: pricing.unit_price
    rule: {type: linear, best: 100, worst: 200}
"""


def answers(tr01: str = "compliant", tr03: str = "compliant", skip: str = "") -> str:
    lines = ["compliance:"]
    for ident, answer in (("TR-01", tr01), ("TR-02", "compliant"), ("TR-03", tr03)):
        if ident != skip:
            lines.append(
                f"  {ident}: {{answer: {answer}, "
                "reference: {volume: 2, section: '3.1', page: 14}}"
            )
    return "\n".join(lines) + "\n"


def offer(name: str, price: int, body: str) -> str:
    return (
        f"proposal: {{id: {name}, title: {name.upper()}, country: X}}\n"
        f"pricing: {{currency: MYR, unit_price: {price}, quantity: 1}}\n" + body
    )


@pytest.fixture
def tender(tmp_path: Path) -> Path:
    (tmp_path / "criteria.yaml").write_text(CRITERIA)
    offers = tmp_path / "offers"
    offers.mkdir()
    (offers / "a.yaml").write_text(offer("a", 150, answers(tr03="partial")))
    (offers / "b.yaml").write_text(offer("b", 110, answers(tr01="non_compliant")))
    return tmp_path


def test_a_mandatory_requirement_not_met_fails_its_gate_and_says_which(run_cli, tender):
    result = run_cli("compare", str(tender / "offers"), "--criteria", str(tender / "criteria.yaml"))
    assert result.code == 0, result.err
    assert "Recommended: a (X)" in result.out
    assert "b does not meet: TR-01 (mandatory): non-compliant, vol. 2, § 3.1, p. 14." in result.out
    assert "Technical compliance" in result.out


def test_desirable_answers_score_a_partial_counting_half(run_cli, tender):
    result = run_cli(
        "compare",
        str(tender / "offers"),
        "--criteria",
        str(tender / "criteria.yaml"),
        "--format",
        "json",
    )
    data = json.loads(result.out)
    a = next(r for r in data["results"] if r["id"] == "a")
    # desirable_pct 50 (one partial of one) and the ramp's levels 50: technical 50.
    assert a["criteria"]["technical"]["score"] == pytest.approx(50.0)
    assert [r["id"] for r in data["requirements"]] == ["TR-01", "TR-02", "TR-03"]
    b = next(r for r in data["results"] if r["id"] == "b")
    assert b["compliance"][0] == {
        "requirement": "TR-01",
        "need": "mandatory",
        "answer": "non_compliant",
        "met": False,
        "reference": {"volume": "2", "section": "3.1", "page": "14"},
    }
    assert b["eligible"] is False


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_the_matrix_in_markdown_and_html(run_cli, tender, fmt):
    out = tender / f"report.{fmt}"
    result = run_cli(
        "compare",
        str(tender / "offers"),
        "--criteria",
        str(tender / "criteria.yaml"),
        "--format",
        fmt,
        "-o",
        str(out),
    )
    assert result.code == 0, result.err
    text = out.read_text()
    assert "Technical compliance" in text
    assert "non-compliant (vol. 2, § 3.1, p. 14)" in text
    assert "TR-03 (desirable, by test)" in text


def test_a_missing_answer_is_an_error_with_its_line(run_cli, tender):
    (tender / "offers" / "b.yaml").write_text(offer("b", 110, answers(skip="TR-02")))
    result = run_cli("compare", str(tender / "offers"), "--criteria", str(tender / "criteria.yaml"))
    assert "b.yaml:3:1: no answer to requirement `TR-02` (mandatory)" in result.err


def test_no_compliance_section_at_all_is_an_error_for_each_requirement(run_cli, tender):
    (tender / "offers" / "b.yaml").write_text(offer("b", 110, ""))
    result = run_cli("compare", str(tender / "offers"), "--criteria", str(tender / "criteria.yaml"))
    assert result.err.count("no answer to requirement") == 3
    assert "b.yaml:1:1: no answer to requirement `TR-01`" in result.err


def test_an_answer_to_a_requirement_not_listed_is_an_error(run_cli, tender):
    body = answers() + "  TR-09: {answer: compliant, reference: {page: 1}}\n"
    (tender / "offers" / "b.yaml").write_text(offer("b", 110, body))
    result = run_cli("compare", str(tender / "offers"), "--criteria", str(tender / "criteria.yaml"))
    assert "b.yaml:7:3: an answer to `TR-09`" in result.err


def test_a_bad_answer_and_a_reference_left_out_are_located(run_cli, tender):
    body = (
        "compliance:\n"
        "  TR-01: {answer: compliantt, reference: {page: 3}}\n"
        "  TR-02: {answer: compliant}\n"
    )
    (tender / "offers" / "b.yaml").write_text(offer("b", 110, body))
    result = run_cli("compare", str(tender / "offers"), "--criteria", str(tender / "criteria.yaml"))
    assert "b.yaml:4:19: unknown value 'compliantt'" in result.err
    assert "b.yaml:5:10:" in result.err and "reference" in result.err


def test_a_requirement_referenced_by_no_criterion_is_noted(run_cli, tender):
    text = CRITERIA.replace("field: compliance.desirable_pct", "field: pricing.quantity")
    text = text.replace("field: compliance.TR-03", "field: compliance.TR-01")
    (tender / "criteria.yaml").write_text(text)
    result = run_cli("compare", str(tender / "offers"), "--criteria", str(tender / "criteria.yaml"))
    assert "requirement `TR-03` (desirable) is scored by no criterion" in result.out


def test_a_mandatory_requirement_no_gate_tests_is_noted(run_cli, tender):
    text = CRITERIA.replace("field: compliance.mandatory_met", "field: pricing.quantity")
    text = text.replace("require: {equals: true}", "require: {min: 1}")
    (tender / "criteria.yaml").write_text(text)
    result = run_cli("compare", str(tender / "offers"), "--criteria", str(tender / "criteria.yaml"))
    assert "requirement `TR-01` (mandatory) is tested by no gate" in result.out


def test_a_rule_on_a_requirement_not_listed_is_a_criteria_error(run_cli, tender):
    (tender / "criteria.yaml").write_text(CRITERIA.replace("compliance.TR-03", "compliance.TR-04"))
    result = run_cli("compare", str(tender / "offers"), "--criteria", str(tender / "criteria.yaml"))
    assert result.code == 1
    assert "no requirement `TR-04` in the criteria file (did you mean `TR-03`?)" in result.err


def test_requirements_from_a_file_beside_the_criteria(run_cli, tender):
    head, _, rest = CRITERIA.partition("requirements:\n")
    listed, _, tail = rest.partition("gates:\n")
    (tender / "requirements.yaml").write_text("requirements:\n" + listed)
    (tender / "criteria.yaml").write_text(head + "requirements: requirements.yaml\ngates:\n" + tail)
    result = run_cli("compare", str(tender / "offers"), "--criteria", str(tender / "criteria.yaml"))
    assert result.code == 0, result.err
    assert "b does not meet: TR-01" in result.out


def test_a_requirements_file_outside_the_criteria_folder_is_refused(run_cli, tender):
    (tender / "criteria.yaml").write_text(
        CRITERIA.partition("requirements:\n")[0]
        + "requirements: ../elsewhere.yaml\n"
        + "criteria:\n  - {id: price, weight: 1, field: pricing.unit_price,"
        + " rule: {type: linear, best: 100, worst: 200}}\n"
    )
    result = run_cli("compare", str(tender / "offers"), "--criteria", str(tender / "criteria.yaml"))
    assert result.code == 1
    assert "not in the criteria file's folder" in result.err


def test_without_requirements_a_compliance_section_changes_nothing(run_cli, tender):
    plain = CRITERIA.split("requirements:\n")[0] + (
        "criteria:\n  - {id: price, weight: 1, field: pricing.unit_price,"
        " rule: {type: linear, best: 100, worst: 200}}\n"
    )
    (tender / "criteria.yaml").write_text(plain)
    result = run_cli(
        "compare",
        str(tender / "offers"),
        "--criteria",
        str(tender / "criteria.yaml"),
        "--format",
        "json",
    )
    data = json.loads(result.out)
    assert "requirements" not in data
    assert all("compliance" not in r for r in data["results"])
