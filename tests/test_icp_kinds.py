"""ICP activities as the guideline counts them (#17): direct or indirect, a beneficiary, the
+0.2 uplift claimed on an activity, multipliers per type and kind, the ICP Credit Value (ICV).

The guideline's worked case (Case 4: Transfer of Technology of Air Traffic Management
System, Policy and Guidelines on ICP in Government Procurement, Second Edition, appendix
"ICP Credit Value (ICV) Calculation"; /work/notes/fidelity-sources.md §3) is recomputed
line by line: total ICV RM 326,672,000, every line non-local content, the uplift on the
licensing line only.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from evaluator.errors import CriteriaError, InputError
from evaluator.model.icp import DEFAULT_UPLIFT
from evaluator.scoring.engine import evaluate
from evaluator.scoring.results import Evaluation
from tests.conftest import ROOT
from tests.helpers import criteria_from, evaluator_process, proposal_from

CREDIT = "industrial_collaboration.credit_value"
SHARE = "industrial_collaboration.local_share_pct"


def criteria(icp: str) -> str:
    return (
        "id: t\ncurrency: MYR\ncriteria:\n  - id: icv\n    weight: 1\n"
        f"    field: {CREDIT}\n    rule: {{type: linear, best: 1e9, worst: 0}}\n"
        "icp:\n" + textwrap.indent(textwrap.dedent(icp), "  ")
    )


def offer(activities: str) -> str:
    return (
        "proposal:\n  country: X\npricing:\n  currency: MYR\n  unit_price: 1e9\n  quantity: 1\n"
        "industrial_collaboration:\n  activities:\n"
        + textwrap.indent(textwrap.dedent(activities), "    ")
    )


def evaluated(icp: str, activities: str) -> Evaluation:
    comparison = evaluate([proposal_from(offer(activities))], criteria_from(criteria(icp)))
    assert comparison.errors == []
    return comparison.evaluations[0]


# --- the guideline's worked case -----------------------------------------------------------

CASE_4_CRITERIA = """\
multipliers:
  candidate_selection: 1
  training_module_development: 3
  training: 4
  certification: 2
  ip_commercialisation: 4
  reimbursable: 1
uplift: 0.2
"""
# Every line non-local content (LC: Non-LC in the guideline's table); the case does not
# say direct or indirect, so the default (direct) applies.
CASE_4 = """\
- {type: candidate_selection, description: Selection of candidate and logistic arrangement,
   value: 400_000, local: false}
- {type: training_module_development, description: Development of training module,
   value: 800_000, local: false}
- {type: training, description: Training, value: 750_000, local: false}
- {type: certification, description: Performance evaluation and certification,
   value: 36_000, local: false}
- {type: ip_commercialisation, description: Licensing of local recipient (IPR transfer and
   commercialisation), value: 66_000_000, local: false, uplift: true,
   beneficiary: the local recipient}
- {type: reimbursable, description: Reimbursable (accommodation allowances and transport),
   value: 4_000_000, local: false}
"""


def test_the_guidelines_case_4_is_326_672_000() -> None:
    e = evaluated(CASE_4_CRITERIA, CASE_4)
    assert e.icp is not None
    assert [c.credit for c in e.icp.credits] == [
        400_000,
        2_400_000,
        3_000_000,
        72_000,
        pytest.approx(316_800_000),
        4_000_000,
    ]
    # 4 × (1 + 0.2) on the licensing line only
    assert [c.multiplier for c in e.icp.credits] == [1, 3, 4, 2, pytest.approx(4.8), 1]
    assert [c.activity.uplift for c in e.icp.credits] == [False] * 4 + [True, False]
    assert e.derived[CREDIT] == pytest.approx(326_672_000)
    assert e.derived[SHARE] == 0  # all non-local content


def test_case_4_through_the_cli_in_json(tmp_path: Path) -> None:
    (tmp_path / "criteria.yaml").write_text(criteria(CASE_4_CRITERIA), encoding="utf-8")
    (tmp_path / "case4.yaml").write_text(offer(CASE_4), encoding="utf-8")
    result = cli("score", "case4.yaml", "--criteria", "criteria.yaml", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    icp = json.loads(result.stdout)["results"][0]["icp"]
    assert icp["credit_value"] == pytest.approx(326_672_000)
    licensing = icp["activities"][4]
    assert licensing["uplift"] is True and licensing["base_multiplier"] == 4
    assert licensing["multiplier"] == pytest.approx(4.8)
    assert licensing["kind"] == "direct"
    assert licensing["beneficiary"] == "the local recipient"
    assert icp["activities"][0]["beneficiary"] is None
    assert icp["uplift"] == 0.2


# --- kinds and their multipliers -----------------------------------------------------------


def test_a_number_is_the_multiplier_of_both_kinds() -> None:
    e = evaluated(
        "multipliers: {training: 4}\n",
        "- {type: training, description: d, value: 10}\n"
        "- {type: training, description: d, value: 10, kind: indirect}\n",
    )
    assert e.icp is not None and [c.credit for c in e.icp.credits] == [40, 40]
    assert [c.activity.kind for c in e.icp.credits] == ["direct", "indirect"]


def test_a_mapping_gives_each_kind_its_own() -> None:
    e = evaluated(
        "multipliers: {training: {direct: 4, indirect: 2}}\n",
        "- {type: training, description: d, value: 10, kind: direct}\n"
        "- {type: training, description: d, value: 10, kind: indirect}\n",
    )
    assert e.icp is not None and [c.credit for c in e.icp.credits] == [40, 20]


def test_a_kind_without_a_multiplier_is_a_located_error() -> None:
    with pytest.raises(InputError) as caught:
        evaluate_or_raise(
            "multipliers: {training: {direct: 4}}\n",
            "- {type: training, description: d, value: 10, kind: indirect}\n",
        )
    (problem,) = caught.value.problems
    assert str(problem) == (
        "offer.yaml:9:57: no ICP multiplier for indirect activities of type `training` in "
        "criteria.yaml; it has one for direct"
    )


def test_a_direct_activity_where_only_indirect_has_a_multiplier() -> None:
    with pytest.raises(InputError) as caught:
        evaluate_or_raise(
            "multipliers: {training: {indirect: 2}}\n",
            "- {type: training, description: d, value: 10}\n",
        )
    (problem,) = caught.value.problems
    assert str(problem) == (
        "offer.yaml:9:14: no ICP multiplier for direct activities of type `training` in "
        "criteria.yaml; it has one for indirect"
    )


def evaluate_or_raise(icp: str, activities: str) -> None:
    comparison = evaluate([proposal_from(offer(activities))], criteria_from(criteria(icp)))
    if comparison.errors:
        raise InputError(list(comparison.errors))


# --- the uplift ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "claimed", "credit"),
    [
        ("multipliers: {training: 4}\nuplift: 0.2\n", "true", 48),
        ("multipliers: {training: 4}\nuplift: 0.2\n", "false", 40),
        ("multipliers: {training: 4}\n", "true", 48),  # no uplift key: the guideline's 0.2
        ("multipliers: {training: 4}\nuplift: 0.5\n", "true", 60),
        ("multipliers: {training: 4}\nuplift: 0\n", "true", 40),
        ("multipliers: {training: {direct: 4, indirect: 2}}\nuplift: 0.2\n", "true", 48),
    ],
)
def test_the_uplift_applies_only_where_claimed(table: str, claimed: str, credit: float) -> None:
    e = evaluated(table, f"- {{type: training, description: d, value: 10, uplift: {claimed}}}\n")
    assert e.icp is not None and e.icp.credits[0].credit == pytest.approx(credit)


def test_the_default_uplift_is_the_guidelines() -> None:
    assert DEFAULT_UPLIFT == 0.2
    assert criteria_from(criteria("multipliers: {training: 4}\n")).icp.uplift == 0.2


# --- reading the new keys strictly ---------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "says"),
    [
        ("kind: offset", "unknown value 'offset'; expected one of: direct, indirect"),
        ("kind: Direct", "unknown value 'Direct' (did you mean `direct`?)"),
        ("uplift: yes", "expected true or false, got the text 'yes'"),
        ("uplift: 0.2", "expected true or false, got the number 0.2"),
        ("beneficiary: 12", "expected text, got the number 12"),
        ("benficiary: A", "unknown field `benficiary` (did you mean `beneficiary`?)"),
    ],
)
def test_activity_keys_are_read_strictly(item: str, says: str) -> None:
    with pytest.raises(InputError) as caught:
        proposal_from(offer(f"- {{type: training, description: d, value: 10, {item}}}\n"))
    assert any(says in str(p) for p in caught.value.problems), caught.value.problems


@pytest.mark.parametrize(
    ("icp", "says"),
    [
        ("multipliers: {training: {direct: 0}}\n", "must be more than 0, got 0"),
        ("multipliers: {training: {}}\n", "give `direct`, `indirect` or both"),
        ("multipliers: {training: {direct: 4, indirct: 2}}\n", "did you mean `indirect`?"),
        ("multipliers: {training: [4, 2]}\n", "expected a number or {direct: x, indirect: y}"),
        ("multipliers: {training: 4}\nuplift: -0.1\n", "must be at least 0, got -0.1"),
        ("multipliers: {training: 4}\nuplift: '0.2'\n", "expected a number"),
        ("multipliers: {training: 4}\nuplfit: 0.2\n", "did you mean `uplift`?"),
    ],
)
def test_criteria_icp_keys_are_read_strictly(icp: str, says: str) -> None:
    with pytest.raises(CriteriaError) as caught:
        criteria_from(criteria(icp))
    assert any(says in str(p) for p in caught.value.problems), [
        str(p) for p in caught.value.problems
    ]


# --- shown to people -----------------------------------------------------------------------


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return evaluator_process(*args, cwd=cwd, columns=120)


def test_the_breakdown_shows_kind_beneficiary_and_uplift(tmp_path: Path) -> None:
    (tmp_path / "criteria.yaml").write_text(
        criteria("multipliers: {training: {direct: 4, indirect: 2}}\nuplift: 0.2\n"),
        encoding="utf-8",
    )
    (tmp_path / "offer.yaml").write_text(
        offer(
            "- {type: training, description: Courses, value: 10, kind: indirect,\n"
            "   beneficiary: Universiti Teknologi Malaysia}\n"
            "- {type: training, description: Licence, value: 10, uplift: true}\n"
        ),
        encoding="utf-8",
    )
    args = ("score", "offer.yaml", "--criteria", "criteria.yaml")
    table = cli(*args, cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    text = " ".join(table.stdout.replace("│", " ").split())
    assert "ICP Credit Value (ICV)" in text
    assert "indirect" in text and "Universiti Teknologi Malaysia" in text
    assert "× 4 × (1 + 0.2)" in text
    markdown = cli(*args, "-f", "markdown", cwd=tmp_path).stdout
    assert "### Industrial collaboration: ICP Credit Value (ICV)" in markdown
    assert (
        "| training | Courses | indirect | Universiti Teknologi Malaysia | no | 10 | × 2 | 20 |"
        in markdown
    ), markdown
    assert "| training | Licence | direct |  | no | 10 | × 4 × (1 + 0.2) | 48 |" in markdown
    html = cli(*args, "-f", "html", cwd=tmp_path).stdout
    assert "ICP Credit Value (ICV)" in html and "Universiti Teknologi Malaysia" in html
    assert "× 4 × (1 + 0.2)" in html


def test_a_kind_without_a_multiplier_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "criteria.yaml").write_text(
        criteria("multipliers: {training: {direct: 4}}\n"), encoding="utf-8"
    )
    (tmp_path / "offer.yaml").write_text(
        offer("- {type: training, description: d, value: 10, kind: indirect}\n"),
        encoding="utf-8",
    )
    result = cli("validate", "offer.yaml", "--criteria", "criteria.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "offer.yaml:9:57: no ICP multiplier for indirect activities of type `training` in "
        "criteria.yaml; it has one for direct"
    ), result.stderr


def test_the_criteria_command_shows_multipliers_per_kind_and_the_uplift(tmp_path: Path) -> None:
    (tmp_path / "criteria.yaml").write_text(
        criteria("multipliers: {training: {direct: 4, indirect: 2}, man_hours: 1}\nuplift: 0.3\n"),
        encoding="utf-8",
    )
    shown = cli("criteria", "--criteria", "criteria.yaml", "-f", "markdown", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "| training | direct × 4, indirect × 2 |" in shown.stdout
    assert "| man_hours | × 1 |" in shown.stdout
    assert "× (1 + 0.3)" in shown.stdout
    data = json.loads(
        cli("criteria", "--criteria", "criteria.yaml", "-f", "json", cwd=tmp_path).stdout
    )
    assert data["icp"]["multipliers"] == {"training": {"direct": 4, "indirect": 2}, "man_hours": 1}
    assert data["icp"]["uplift"] == 0.3
