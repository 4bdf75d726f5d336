"""Industrial collaboration (ICP): activities, multipliers, credits, the local-share gate.

Credits are recomputed by hand from the sample files and the multipliers of the ICP
guideline's worked examples (×1 man-hours, ×2 certification, ×3 training-module
development, ×4 training, ×4 technology transfer, ×4 × 1.2 = 4.8 IP commercialisation).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from evaluator.api import load_criteria, load_proposals
from evaluator.errors import CriteriaError, InputError
from evaluator.model.icp import DEFAULT_MULTIPLIERS, DEFAULT_UPLIFT
from evaluator.model.proposal import Proposal
from evaluator.render.data import evaluation_data
from evaluator.render.text.evidence import derivation, explanation
from evaluator.render.text.gates import detail, requirement
from evaluator.render.text.notes import notes_text
from evaluator.scoring.engine import evaluate
from evaluator.scoring.results import Evaluation
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS, Run
from tests.helpers import criteria_from, proposal_from

USD, EUR = 3.8935, 4.59275  # likely rates, as in criteria/default.yaml
CREDIT = "industrial_collaboration.credit_value"
RATIO = "industrial_collaboration.credit_ratio_pct"
SHARE = "industrial_collaboration.local_share_pct"


@pytest.fixture(scope="module")
def samples() -> dict[str, Evaluation]:
    batch = load_proposals([PROPOSALS])
    assert batch.errors == []
    comparison = evaluate(batch.proposals, load_criteria(DEFAULT_CRITERIA))
    assert comparison.errors == []
    return {e.id: e for e in comparison.evaluations}


# --- the samples, by hand ------------------------------------------------------------------

# (credit in the offer's currency, local credit, acquisition cost), all written out. In
# each sample only the work of Malaysian companies (man-hours) is local content; training,
# courses, transfers and licences delivered by the partner are not (the guideline's Case 4).
HAND = {
    # man-hours 238.5m × 1 (local) + technology transfer 25m × 4 + IP commercialisation
    # 8m × 4 × (1 + 0.2) (uplift claimed) + training 8m × 4 + training modules 4m × 3
    # + certification 3m × 2 (indirect); acquisition 3 × 165m + 35m.
    "italy": (
        238.5e6 + 100e6 + 38.4e6 + 32e6 + 12e6 + 6e6,
        238.5e6,
        3 * 165e6 + 35e6,
        EUR,
    ),
    # man-hours 205m × 1 (local) + technology transfer 15m × 4 + training 8m × 4
    # + training modules 3m × 3 + certification 2m × 2; acquisition 3 × 180m + 45m.
    "turkiye": (205e6 + 60e6 + 32e6 + 9e6 + 4e6, 205e6, 3 * 180e6 + 45e6, USD),
    # man-hours 230m × 1 (local) + technology transfer 20m × 4 + training 10m × 4
    # + training modules 3m × 3 + certification 2m × 2 (indirect); acquisition
    # 3 × 178m + 40m.
    "south-korea": (230e6 + 80e6 + 40e6 + 9e6 + 4e6, 230e6, 3 * 178e6 + 40e6, USD),
    # man-hours 180m × 1 (local) + technology transfer 8m × 4 + training 6m × 4
    # + certification 1m × 2; acquisition at the likely unit price and the middle of the
    # one-off range: 3 × 160m + (30m + 40m) / 2 = 515m.
    "direct-offer": (180e6 + 32e6 + 24e6 + 2e6, 180e6, 3 * 160e6 + 35e6, USD),
}


@pytest.mark.parametrize("ident", sorted(HAND))
def test_sample_credits_recomputed_by_hand(samples: dict[str, Evaluation], ident: str) -> None:
    credit, local, acquisition, rate = HAND[ident]
    e = samples[ident]
    assert e.derived[CREDIT] == pytest.approx(credit * rate)
    assert e.derived[RATIO] == pytest.approx(100 * credit / acquisition)
    assert e.derived[SHARE] == pytest.approx(100 * local / credit)
    assert e.icp is not None
    assert e.icp.credit_value == pytest.approx(credit * rate)
    assert e.icp.local_credit_value == pytest.approx(local * rate)
    assert sum(c.credit for c in e.icp.credits) == pytest.approx(e.icp.credit_value)


def test_italy_breakdown_line_by_line(samples: dict[str, Evaluation]) -> None:
    icp = samples["italy"].icp
    assert icp is not None and icp.currency == "MYR" and icp.offer_currency == "EUR"
    # (type, local, kind, the table's multiplier, the uplift applied)
    assert [
        (c.activity.type, c.activity.local, c.activity.kind, c.base, c.uplift) for c in icp.credits
    ] == [
        ("man_hours", True, "direct", 1, 0),
        ("technology_transfer", False, "direct", 4, 0),
        ("ip_commercialisation", False, "direct", 4, 0.2),
        ("training", False, "direct", 4, 0),
        ("training_module_development", False, "direct", 3, 0),
        ("certification", False, "indirect", 2, 0),
    ]
    assert [c.multiplier for c in icp.credits] == pytest.approx([1, 4, 4 * (1 + 0.2), 4, 3, 2])
    assert [c.value for c in icp.credits] == pytest.approx(
        [238.5e6 * EUR, 25e6 * EUR, 8e6 * EUR, 8e6 * EUR, 4e6 * EUR, 3e6 * EUR]
    )
    assert [c.credit for c in icp.credits] == pytest.approx(
        [238.5e6 * EUR, 100e6 * EUR, 38.4e6 * EUR, 32e6 * EUR, 12e6 * EUR, 6e6 * EUR]
    )


def test_icp_credit_moves_the_transfer_score(samples: dict[str, Evaluation]) -> None:
    transfer = next(c for c in samples["turkiye"].criteria if c.id == "technology_transfer")
    leaf = next(leaf for leaf in transfer.leaves if leaf.id == "icp_credit")
    assert leaf.weight == pytest.approx(0.15)
    assert leaf.score == pytest.approx(100 * 310 / 585)  # linear: 0 at 0%, 100 at 100%
    # ICV 310m × 3.8935 = 1,206,985,000; acquisition 585m × 3.8935 = 2,277,697,500.
    assert explanation(leaf).startswith(
        "53.0% = 100 × ICP Credit Value (ICV) 1,206,985,000 / acquisition cost 2,277,697,500"
        " → 52.99"
    )


def test_the_local_share_gate_on_the_samples_and_on_a_thin_offer(
    samples: dict[str, Evaluation],
) -> None:
    # Every sample's local work (man-hours by Malaysian companies) is more than 30% of its
    # ICV: Italy 238.5/426.9 = 55.9%, Türkiye 205/310 = 66.1%, South Korea 230/363 = 63.4%,
    # the direct offer 180/238 = 75.6%. So no sample fails the gate.
    passed = {
        ident: next(g.passed for g in e.gates if g.id == "icp_local_share")
        for ident, e in samples.items()
    }
    assert passed == {"italy": True, "turkiye": True, "south-korea": True, "direct-offer": True}
    for ident, (credit, local, _, _) in HAND.items():
        assert 100 * local / credit > 30, ident
    # A thin list mostly delivered from abroad (the old direct offer's): training 4m × 4
    # and warranty support 5m × 1 from abroad, outfitting man-hours 3m × 1 and
    # certification 1m × 2 local: 5m of 26m, 19.2%, fails.
    thin = icp_offer(
        activity("training", 4e6)
        + activity("man_hours", 5e6)
        + activity("man_hours", 3e6, local=True)
        + activity("certification", 1e6, local=True),
        currency="USD",
        unit_price=100e6,
    )
    e = evaluated(thin)
    assert e.derived[SHARE] == pytest.approx(100 * 5 / 26)
    gate = next(g for g in e.gates if g.id == "icp_local_share")
    assert not gate.passed and detail(gate) == "19.2%"


# --- small proposals -----------------------------------------------------------------------


def icp_offer(
    activities: str,
    currency: str = "MYR",
    unit_price: float | None = 1000,
    name: str = "offer.yaml",
) -> Proposal:
    """A proposal with the given activities (YAML list items) and one unit at `unit_price`."""
    price = "" if unit_price is None else f"  unit_price: {unit_price}\n  quantity: 1\n"
    text = (
        f"proposal:\n  country: X\npricing:\n  currency: {currency}\n{price}"
        "industrial_collaboration:\n  activities:\n"
        + textwrap.indent(textwrap.dedent(activities), "    ")
        + COMPLIANCE
    )
    return proposal_from(text, name)


# The default criteria have a requirements file (criteria/requirements.yaml): a proposal
# answers each of its six lines, or is an error. Appended after the activities, so that
# their line numbers in the messages below stay as they are.
COMPLIANCE = "compliance:\n" + "".join(
    f"  CSS-R0{n}: {{answer: compliant, reference: {{volume: 1, page: {n}}}}}\n"
    for n in range(1, 7)
)


def activity(kind: str, value: float, local: bool = False) -> str:
    return (
        f"- {{type: {kind}, description: d, value: {value}, "
        f"local: {'true' if local else 'false'}}}\n"
    )


def evaluated(proposal: Proposal, criteria_text: str | None = None) -> Evaluation:
    criteria = (
        load_criteria(DEFAULT_CRITERIA) if criteria_text is None else criteria_from(criteria_text)
    )
    comparison = evaluate([proposal], criteria)
    assert comparison.errors == []
    return comparison.evaluations[0]


RATIO_ONLY = """\
id: t
currency: MYR
exchange_rates: {EUR: 5}
criteria:
  - id: icp
    weight: 1
    field: industrial_collaboration.credit_ratio_pct
    rule: {type: linear, best: 100, worst: 0}
"""


def test_values_are_converted_into_the_criteria_currency() -> None:
    p = icp_offer(
        activity("training", 10, local=True) + activity("man_hours", 20),
        currency="EUR",
        unit_price=300,
    )
    e = evaluated(p, RATIO_ONLY)
    # 10 EUR × 5 × 4 + 20 EUR × 5 × 1 = 300 MYR, against 300 EUR × 5 = 1,500 MYR.
    assert e.derived[CREDIT] == pytest.approx(300)
    assert e.derived[RATIO] == pytest.approx(20)
    assert e.derived[SHARE] == pytest.approx(100 * 200 / 300)
    assert derivation(e.notes[CREDIT]) == (
        "ICP Credit Value (ICV): Σ value × multiplier over 2 ICP activities (1 local), values "
        "converted at EUR × 5"
    )
    assert e.criteria[0].score == pytest.approx(20)
    assert e.icp is not None and [c.value for c in e.icp.credits] == [50, 100]


def test_no_section_leaves_the_fields_missing() -> None:
    p = proposal_from(
        "proposal: {country: X}\npricing: {currency: MYR, unit_price: 5, quantity: 1}\n"
    )
    e = evaluated(
        p, RATIO_ONLY + "gates:\n  - {id: local, field: " + SHARE + ", require: {above: 30}}\n"
    )
    assert p.activities is None and e.icp is None
    assert CREDIT not in e.derived and RATIO not in e.derived and SHARE not in e.derived
    assert e.criteria[0].leaves[0].missing and e.criteria[0].score == 0
    assert notes_text(e.warnings) == [
        "industrial_collaboration.credit_ratio_pct is missing: icp.icp scores 0"
    ]
    gate = e.gates[0]
    assert not gate.passed and detail(gate) == f"{SHARE} is missing"
    assert evaluation_data(e)["icp"] is None


def test_missing_policy_error_applies_to_a_missing_credit_ratio() -> None:
    p = proposal_from("proposal: {country: X}\n", "lonely.yaml")
    comparison = evaluate([p], criteria_from(RATIO_ONLY + "missing: error\n"))
    assert comparison.evaluations == []
    assert [p.message for p in comparison.errors] == [
        "`industrial_collaboration.credit_ratio_pct` is missing (the criteria file says "
        "`missing: error`)"
    ]


def test_an_empty_list_is_zero_credit_and_no_local_share() -> None:
    e = evaluated(icp_offer("[]\n"))
    assert e.derived[CREDIT] == 0 and e.derived[RATIO] == 0 and e.derived[SHARE] == 0
    assert derivation(e.notes[SHARE]) == "no ICP Credit Value (ICV), so no local share: 0"
    assert not next(g for g in e.gates if g.id == "icp_local_share").passed


def test_without_an_acquisition_cost_only_the_ratio_is_missing() -> None:
    e = evaluated(icp_offer(activity("certification", 7, local=True), unit_price=None))
    assert e.derived[CREDIT] == 14 and e.derived[SHARE] == 100
    assert RATIO not in e.derived
    assert e.icp is not None and e.icp.credit_ratio_pct is None


# --- the gate at its edge ------------------------------------------------------------------


def local_gate(edge: str) -> bool:
    """Whether a proposal with a local share of `edge`% passes the default criteria's gate."""
    local, other = (float(x) for x in edge.split("/"))
    p = icp_offer(activity("man_hours", local, local=True) + activity("man_hours", other))
    e = evaluated(p)
    return next(g.passed for g in e.gates if g.id == "icp_local_share")


def test_the_local_share_must_exceed_30_percent() -> None:
    assert not local_gate("30/70")  # exactly 30%: not "more than 30%"
    assert local_gate("30.01/69.99")  # 30.01%
    assert not local_gate("29.99/70.01")
    assert local_gate("100/0")


def test_a_share_of_30_percent_on_paper_is_30_at_the_gate() -> None:
    # 3 × 4.8 of 10 × 4.8 is 30% on paper; in binary floating point 100 × 14.4 / 48 is
    # 29.999999999999996, which `min: 30` would wrongly fail without the rounding.
    p = icp_offer(
        activity("ip_commercialisation", 3, local=True) + activity("ip_commercialisation", 7)
    )
    at_least = RATIO_ONLY + f"gates:\n  - {{id: g, field: {SHARE}, require: {{min: 30}}}}\n"
    e = evaluated(p, at_least)
    assert e.derived[SHARE] == 30.0
    assert e.gates[0].passed and requirement(e.gates[0].gate) == f"{SHARE} ≥ 30"
    above = evaluated(p, at_least.replace("min: 30", "above: 30")).gates[0]
    assert not above.passed and requirement(above.gate) == f"{SHARE} > 30"


def test_below_is_strict_too() -> None:
    criteria = RATIO_ONLY + "gates:\n  - {id: g, field: " + RATIO + ", require: {below: 50}}\n"
    at_edge = icp_offer(activity("man_hours", 500))  # 50% of the unit price of 1000
    under = icp_offer(activity("man_hours", 499))
    assert not evaluated(at_edge, criteria).gates[0].passed
    assert evaluated(under, criteria).gates[0].passed


def test_above_needs_a_numeric_field() -> None:
    with pytest.raises(CriteriaError) as caught:
        criteria_from(
            RATIO_ONLY + "gates:\n  - id: g\n    field: g2g.intermediaries\n"
            "    require: {above: 3}\n"
        )
    assert [str(p) for p in caught.value.problems] == [
        "criteria.yaml:12:22: `above` needs a numeric field; `g2g.intermediaries` is a choice field"
    ]


# --- errors, located -----------------------------------------------------------------------


def test_an_activity_type_without_a_multiplier_is_a_located_error() -> None:
    p = icp_offer(
        activity("certification", 1) + "- type: tech_transfer\n  description: x\n  value: 5\n",
        name="bad.yaml",
    )
    comparison = evaluate([p], load_criteria(DEFAULT_CRITERIA))
    assert comparison.evaluations == []
    assert [str(problem) for problem in comparison.errors] == [
        "bad.yaml:10:13: no ICP multiplier for activity type `tech_transfer` in "
        "criteria/default.yaml (did you mean `technology_transfer`?); it has man_hours, "
        "certification, training_module_development, training, technology_transfer, "
        "ip_commercialisation"
    ]


def test_types_are_checked_against_the_criteria_in_effect() -> None:
    p = icp_offer(activity("licensed_production", 10, local=True))
    own_table = RATIO_ONLY + "icp:\n  multipliers: {licensed_production: 2.5}\n"
    e = evaluated(p, own_table)
    assert e.derived[CREDIT] == 25  # the criteria file's table replaces the defaults
    with pytest.raises(AssertionError):
        evaluated(p, RATIO_ONLY)  # the guideline's defaults have no such type


def test_activity_fields_are_read_strictly_and_located() -> None:
    text = """\
    proposal: {country: X}
    pricing: {currency: MYR}
    industrial_collaboration:
      activities:
        - {type: training, description: d, value: -5}
        - {type: training, value: 5, local: 1}
        - {type: Training, description: d, value: 5, lcoal: true}
        - just text
    """
    with pytest.raises(InputError) as caught:
        proposal_from(text, "p.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "p.yaml:5:47: must be at least 0, got -5",
        "p.yaml:6:7: missing required field `description` in "
        "`industrial_collaboration.activities[1]`",
        "p.yaml:6:41: expected true or false, got the number 1",
        "p.yaml:7:14: expected an activity type such as technology_transfer, got the text "
        "'Training'",
        "p.yaml:7:50: unknown field `lcoal` (did you mean `local`?)",
        "p.yaml:8:7: expected a mapping of fields, got the text 'just text'",
    ]


def test_the_section_needs_a_list_of_activities() -> None:
    with pytest.raises(InputError) as caught:
        proposal_from(
            "proposal: {country: X}\nindustrial_collaboration:\n  activity: []\n", "p.yaml"
        )
    assert [str(p) for p in caught.value.problems] == [
        "p.yaml:3:3: unknown field `activity` (did you mean `activities`?)",
        "p.yaml:3:3: missing required field `activities` in `industrial_collaboration`",
    ]
    with pytest.raises(InputError) as caught:
        proposal_from(
            "proposal: {country: X}\nindustrial_collaboration:\n  activities: 3\n", "p.yaml"
        )
    assert [str(p) for p in caught.value.problems] == [
        "p.yaml:3:15: expected a list, got the number 3"
    ]


def test_activity_values_need_a_currency() -> None:
    with pytest.raises(InputError) as caught:
        proposal_from(
            "proposal: {country: X}\nindustrial_collaboration:\n  activities:\n"
            "    - {type: training, description: d, value: 5}\n",
            "p.yaml",
        )
    assert [str(p) for p in caught.value.problems] == [
        "p.yaml:4:47: `pricing.currency` is needed to read the activities' values"
    ]


# --- the criteria file's table -------------------------------------------------------------


def test_default_multipliers_when_the_criteria_file_has_no_icp_section() -> None:
    criteria = criteria_from(RATIO_ONLY)
    assert criteria.icp.defaults
    assert dict(criteria.icp.multipliers) == {
        "man_hours": 1,
        "certification": 2,
        "training_module_development": 3,
        "training": 4,
        "technology_transfer": 4,
        "ip_commercialisation": 4.8,
    }


def test_the_default_criteria_file_writes_the_guideline_multipliers_out() -> None:
    criteria = load_criteria(DEFAULT_CRITERIA)
    assert not criteria.icp.defaults
    # The file writes IP commercialisation as the worked case's ×4 and the uplift (+0.2)
    # apart, so that an offer claims it (`uplift: true`) and the committee checks the
    # guideline's condition; the default table writes the same 4 × (1 + 0.2) as one figure.
    assert criteria.icp.uplift == DEFAULT_UPLIFT == 0.2
    written = dict(DEFAULT_MULTIPLIERS)
    assert written["ip_commercialisation"] == pytest.approx(4 * (1 + DEFAULT_UPLIFT))
    written["ip_commercialisation"] = 4
    assert dict(criteria.icp.multipliers) == written


def test_multipliers_are_positive_and_named_plainly() -> None:
    with pytest.raises(CriteriaError) as caught:
        criteria_from(
            RATIO_ONLY + "icp:\n  multipliers: {training: 0, Man-Hours: 1, "
            "certification: two}\n  multiplers: {}\n"
        )
    assert [str(p) for p in caught.value.problems] == [
        "criteria.yaml:10:27: must be more than 0, got 0",
        "criteria.yaml:10:30: an activity type uses lower-case letters, digits and _, and "
        "starts with a letter",
        "criteria.yaml:10:59: expected a number or {direct: x, indirect: y} (a multiplier "
        "for each kind), got the text 'two'",
        "criteria.yaml:11:3: unknown key `multiplers` (did you mean `multipliers`?)",
    ]
    with pytest.raises(CriteriaError) as caught:
        criteria_from(RATIO_ONLY + "icp:\n  multipliers: {}\n")
    assert [str(p) for p in caught.value.problems] == [
        "criteria.yaml:10:16: list at least one activity type with its multiplier"
    ]


# --- what users see ------------------------------------------------------------------------


def test_json_result_carries_the_breakdown(run_cli: Callable[..., Run]) -> None:
    result = run_cli("score", "proposals/direct-offer.yaml", "-f", "json")
    assert result.code == 0, result.err
    icp = json.loads(result.out)["results"][0]["icp"]
    assert icp["currency"] == "MYR" and icp["offer_currency"] == "USD"
    assert icp["activities"][0] == {
        "type": "man_hours",
        "description": "Kit assembly and outfitting of ships 2 and 3 by a Malaysian yard",
        "value": 180e6 * USD,
        "offer_value": 180e6,
        "multiplier": 1.0,
        "credit": 180e6 * USD,
        "local": True,
        "kind": "direct",
        "beneficiary": "a Malaysian shipyard (not named in this sample)",
        "uplift": False,
        "base_multiplier": 1.0,
    }
    assert icp["activities"][2] == {
        "type": "training",
        "description": "Operator and maintainer courses at the yard in Norway",
        "value": 6e6 * USD,
        "offer_value": 6e6,
        "multiplier": 4.0,
        "credit": 24e6 * USD,
        "local": False,
        "kind": "direct",
        "beneficiary": "Royal Malaysian Navy and the Malaysian assembly yard",
        "uplift": False,
        "base_multiplier": 4.0,
    }
    # 180m × 1 + 8m × 4 + 6m × 4 + 1m × 2 = 238m, against 3 × 160m + 35m = 515m.
    assert icp["credit_value"] == pytest.approx(238e6 * USD)
    assert icp["credit_ratio_pct"] == pytest.approx(100 * 238 / 515)
    assert icp["local_share_pct"] == pytest.approx(100 * 180 / 238, abs=1e-6)


def test_validate_reports_an_unknown_activity_type(
    run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    offer = tmp_path / "x.yaml"
    offer.write_text(
        "proposal:\n  country: X\npricing:\n  currency: MYR\n"
        "industrial_collaboration:\n  activities:\n"
        "    - {type: offset, description: d, value: 1}\n" + COMPLIANCE
    )
    result = run_cli("validate", str(offer))
    assert result.code == 1
    assert result.err.endswith(
        ":7:14: no ICP multiplier for activity type `offset` in "
        "criteria/default.yaml; it has man_hours, certification, "
        "training_module_development, training, technology_transfer, "
        "ip_commercialisation\n"
    )
