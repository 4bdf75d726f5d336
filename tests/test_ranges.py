"""Figures given as ranges {low, high, likely}: reading, point estimates, what scoring says."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.analysis.sampling import sample_ranges
from evaluator.errors import InputError
from evaluator.model.ranges import Range, Uncertain
from evaluator.render.data import comparison_data
from evaluator.render.text.evidence import estimate as estimate_text
from evaluator.render.text.evidence import explanation
from evaluator.render.text.gates import detail
from evaluator.render.text.notes import notes_text
from evaluator.scoring.engine import evaluate
from tests.helpers import criteria_from, proposal_from, single_rule

# --- the point estimate ---------------------------------------------------------------------


def test_the_point_is_likely_when_given() -> None:
    estimate = Range(110_000_000, 140_000_000, 120_000_000)
    assert (estimate.point, estimate.basis, estimate.distribution) == (
        120_000_000,
        "likely",
        "triangular",
    )
    assert estimate_text(estimate, None) == " (likely; range 110,000,000–140,000,000)"


def test_the_point_is_the_midpoint_without_likely() -> None:
    estimate = Range(110_000_000, 140_000_000)
    assert (estimate.point, estimate.basis, estimate.distribution) == (
        125_000_000,
        "midpoint",
        "uniform",
    )
    assert isinstance(estimate.point, int)  # whole bounds, whole midpoint: stays whole
    assert estimate_text(estimate, None) == " (midpoint of 110,000,000–140,000,000)"
    assert Range(44, 45).point == 44.5
    assert Range(1.5, 2.5).point == 2.0
    assert Range(7, 7).point == 7  # a range of one value is that value


def test_a_range_converts_with_its_field() -> None:
    assert Range(20, 30, 24).scaled(5) == Range(100, 150, 120)
    assert Range(20, 30).scaled(5) == Range(100, 150, None)


# --- reading ---------------------------------------------------------------------------------

OFFER = """\
proposal: {country: Italy}
pricing:
  currency: EUR
  unit_price: {low: 110_000_000, high: 140_000_000, likely: 120_000_000}
  quantity: 3
g2g:
  delivery_months: {low: 44, high: 60}
technical:
  range_nm: {low: 3000, high: 4000}
industrial_collaboration:
  activities:
    - {type: training, description: courses, value: {low: 1_000_000, high: 3_000_000}}
    - {type: man_hours, description: support, value: 5_000_000}
"""


def test_a_proposal_keeps_point_estimates_as_values_and_the_ranges_beside() -> None:
    proposal = proposal_from(OFFER)
    assert proposal.values["pricing.unit_price"] == 120_000_000
    assert proposal.values["g2g.delivery_months"] == 52
    assert proposal.values["technical.range_nm"] == 3500
    assert proposal.ranges == {
        "pricing.unit_price": Range(110_000_000, 140_000_000, 120_000_000),
        "g2g.delivery_months": Range(44, 60),
        "technical.range_nm": Range(3000, 4000),
    }
    assert proposal.activities is not None
    training, support = proposal.activities
    assert (training.value, training.range) == (2_000_000.0, Range(1_000_000, 3_000_000))
    assert training.value_name == "industrial_collaboration.activities[0].value"
    assert (support.value, support.range) == (5_000_000.0, None)
    assert proposal.ranged


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**15), st.integers(0, 10**15), st.none() | st.integers(0, 10**15))
def test_any_ordered_range_is_read_scored_and_drawn_within_its_bounds(
    a: int, b: int, c: int | None
) -> None:
    low, high = sorted((a, b))
    likely = None if c is None else min(max(c, low), high)
    written = f"{{low: {low}, high: {high}" + ("" if likely is None else f", likely: {likely}")
    proposal = proposal_from(
        f"proposal: {{country: Italy}}\npricing: {{currency: EUR, unit_price: {written}}}}}\n"
    )
    point = proposal.values["pricing.unit_price"]
    assert isinstance(point, int | float) and low <= point <= high
    assert point == (likely if likely is not None else (low + high) / 2)
    draws = sample_ranges([proposal.ranges["pricing.unit_price"]], 500, seed=a % 7)
    assert (draws >= low).all() and (draws <= high).all()


def test_a_proposal_without_ranges_is_not_marked() -> None:
    proposal = proposal_from(
        "proposal: {country: Italy}\npricing: {currency: EUR, unit_price: 5}\n"
    )
    assert proposal.ranges == {} and not proposal.ranged


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the order of the bounds, and likely within them
        (
            "pricing: {currency: EUR, unit_price: {low: 140, high: 110}}",
            ["offer.yaml:2:55: `high` must not be below `low` (140), got 110"],
        ),
        (
            "pricing: {currency: EUR, unit_price: {low: 110, likely: 150, high: 140}}",
            ["offer.yaml:2:57: `likely` must lie within the range 110–140, got 150"],
        ),
        (
            "pricing: {currency: EUR, unit_price: {low: 110, likely: 100, high: 140}}",
            ["offer.yaml:2:57: `likely` must lie within the range 110–140, got 100"],
        ),
        # each bound within the field's own rules: percent, money, whole counts, quantity ≥ 1
        (
            "technology_transfer: {local_content_pct: {low: 40, high: 120}}",
            ["offer.yaml:2:58: must be at most 100, got 120"],
        ),
        (
            "pricing: {currency: EUR, one_off_costs: {low: -5, high: 10}}",
            ["offer.yaml:2:47: must be at least 0, got -5"],
        ),
        (
            "g2g: {delivery_months: {low: 44, likely: 50.5, high: 60}}",
            ["offer.yaml:2:42: expected a whole number, got 50.5"],
        ),
        (
            "pricing: {currency: EUR, quantity: {low: 0, high: 3}}",
            ["offer.yaml:2:42: must be at least 1, got 0"],
        ),
        (
            "pricing: {currency: EUR, support_years: {low: 20, high: 200}}",
            ["offer.yaml:2:57: must be at most 100, got 200"],
        ),
        # keys: a misspelt one, an unknown one, a missing bound, words for numbers
        (
            "g2g: {delivery_months: {low: 44, hihg: 60}}",
            ["offer.yaml:2:34: unknown range key `hihg` (did you mean `high`?)"],
        ),
        (
            "g2g: {delivery_months: {min: 44, max: 60}}",
            [
                "offer.yaml:2:25: unknown range key `min` (a range takes `low`, `high` and, "
                "optionally, `likely`)",
                "offer.yaml:2:34: unknown range key `max` (a range takes `low`, `high` and, "
                "optionally, `likely`)",
            ],
        ),
        (
            "g2g: {delivery_months: {low: 44, likely: 48}}",
            ["offer.yaml:2:24: a range needs `low` and `high`: `high` is missing"],
        ),
        (
            "g2g: {delivery_months: {low: null, high: null, likely: 48}}",
            ["offer.yaml:2:24: a range needs `low` and `high`: both are missing"],
        ),
        (
            "g2g: {delivery_months: {low: soon, high: 60}}",
            ["offer.yaml:2:30: expected a number, got the text 'soon'"],
        ),
        # a range where no number belongs
        (
            "g2g: {intermediaries: {low: none, high: disclosed}}",
            ["offer.yaml:2:23: expected one of: none, disclosed, undisclosed; got a mapping"],
        ),
        (
            "industrial_collaboration: {activities: [{type: training, description: x, "
            "value: {low: 3, high: 1}}]}\npricing: {currency: EUR}",
            ["offer.yaml:2:96: `high` must not be below `low` (3), got 1"],
        ),
        (
            "technical: {range_nm: {low: 4000, high: 3000}}",
            ["offer.yaml:2:41: `high` must not be below `low` (4000), got 3000"],
        ),
    ],
)
def test_a_bad_range_is_reported_where_it_stands(body: str, expected: list[str]) -> None:
    with pytest.raises(InputError) as caught:
        proposal_from("proposal: {country: Italy}\n" + body + "\n")
    assert [str(p) for p in caught.value.problems] == expected


def test_a_technical_mapping_that_is_no_range_says_what_a_fact_may_be() -> None:
    with pytest.raises(InputError) as caught:
        proposal_from("proposal: {country: Italy}\ntechnical: {hull: {length_m: 95}}\n")
    assert [str(p) for p in caught.value.problems] == [
        "offer.yaml:2:19: a technical value is a single number, text, true/false or a range "
        "{low, high, likely}, not a mapping"
    ]


# --- scoring at the point estimate, and saying so ---------------------------------------------

PRICE = single_rule("pricing.unit_price", "{type: linear, best: 100, worst: 200}")


def score_of(text: str, criteria=PRICE):  # type: ignore[no-untyped-def]
    comparison = evaluate([proposal_from(text)], criteria)
    assert comparison.errors == []
    return comparison


def test_scored_at_likely_and_the_explanation_says_so() -> None:
    comparison = score_of(
        "proposal: {country: Italy}\n"
        "pricing: {currency: EUR, unit_price: {low: 20, likely: 24, high: 30}}\n"
    )
    leaf = comparison.evaluations[0].criteria[0].leaves[0]
    # 24 EUR × 5 = 120 MYR: (200 − 120) / (200 − 100) × 100 = 80
    assert (leaf.value, leaf.score) == (120.0, 80.0)
    assert explanation(leaf) == (
        "120 MYR (likely; range 100–150) = 24 EUR × 5 → 80.00 "
        "(linear: 100 at 100, 0 at 200, lower is better)"
    )
    assert leaf.range == Range(100.0, 150.0, 120.0)
    data = comparison_data(comparison)["results"][0]["criteria"]["only"]["subcriteria"]["only"]
    assert data["value"] == 120.0
    assert data["range"] == {"low": 100.0, "high": 150.0, "likely": 120.0, "point": "likely"}


def test_scored_at_the_midpoint_and_the_explanation_says_so() -> None:
    comparison = score_of(
        "proposal: {country: Italy}\npricing: {currency: EUR, unit_price: {low: 20, high: 30}}\n"
    )
    leaf = comparison.evaluations[0].criteria[0].leaves[0]
    # midpoint 25 EUR × 5 = 125 MYR: (200 − 125) / 100 × 100 = 75
    assert (leaf.value, leaf.score) == (125.0, 75.0)
    assert explanation(leaf).startswith("125 MYR (midpoint of 100–150) = 25 EUR × 5 → 75.00")
    data = comparison_data(comparison)["results"][0]["criteria"]["only"]["subcriteria"]["only"]
    assert data["range"] == {"low": 100.0, "high": 150.0, "likely": None, "point": "midpoint"}


def test_a_figure_without_a_range_has_no_range_in_json() -> None:
    comparison = score_of("proposal: {country: Italy}\npricing: {currency: EUR, unit_price: 24}\n")
    data = comparison_data(comparison)["results"][0]["criteria"]["only"]["subcriteria"]["only"]
    assert "range" not in data and "uncertain" not in data
    assert comparison.notes == []


def test_compare_notes_which_proposals_give_ranges() -> None:
    ranged = proposal_from(
        "proposal: {country: Italy}\npricing: {currency: EUR, unit_price: {low: 20, high: 30}}\n",
        "a.yaml",
    )
    plain = proposal_from(
        "proposal: {country: Italy}\npricing: {currency: EUR, unit_price: 24}\n", "b.yaml"
    )
    comparison = evaluate([plain, ranged], PRICE)
    assert notes_text(comparison.notes) == [
        "≈ a gives some figures as ranges (estimates), scored at the likely value or else the "
        "midpoint; `evaluator sensitivity --values` draws them"
    ]
    assert [r["id"] for r in comparison_data(comparison)["results"]] == ["b", "a"]  # ids as ever


LIFECYCLE = criteria_from("""\
    id: t
    currency: MYR
    discount_rate: 0.1
    criteria:
      - id: cost
        weight: 1
        field: pricing.lifecycle_cost
        rule: {type: linear, best: 100, worst: 400}
    gates:
      - {id: floor, field: technology_transfer.local_content_pct, require: {min: 30}}
    """)


def test_a_derived_cost_from_ranged_inputs_is_flagged_with_its_bounds() -> None:
    comparison = score_of(
        """\
proposal: {country: Italy}
pricing:
  currency: MYR
  unit_price: {low: 90, high: 110}
  quantity: 2
  one_off_costs: 10
  sustainment_per_year: {low: 5, likely: 6, high: 9}
  support_years: 2
technology_transfer: {local_content_pct: {low: 20, likely: 35, high: 50}}
""",
        LIFECYCLE,
    )
    e = comparison.evaluations[0]
    leaf = e.criteria[0].leaves[0]
    # point: 100 × 2 + 10 + 6/1.1 + 6/1.21; every input at its low: 90 × 2 + 10 + 5/1.1 +
    # 5/1.21; at its high: 110 × 2 + 10 + 9/1.1 + 9/1.21.
    point, low, high = (
        210 + 6 / 1.1 + 6 / 1.21,
        190 + 5 / 1.1 + 5 / 1.21,
        230 + 9 / 1.1 + 9 / 1.21,
    )
    assert leaf.value == pytest.approx(point)
    assert leaf.range is None
    assert leaf.uncertain is not None
    assert leaf.uncertain.inputs == ("pricing.unit_price", "pricing.sustainment_per_year")
    assert (leaf.uncertain.low, leaf.uncertain.high) == (pytest.approx(low), pytest.approx(high))
    assert explanation(leaf).startswith(
        "220.4132 MYR (uncertain: 198.6777–245.6198 from the ranged pricing.unit_price, "
        "pricing.sustainment_per_year) = acquisition 210 (unit price 100 × quantity 2"
    )
    data = comparison_data(comparison)["results"][0]
    assert data["criteria"]["cost"]["subcriteria"]["cost"]["uncertain"] == {
        "inputs": ["pricing.unit_price", "pricing.sustainment_per_year"],
        "low": round(low, 6),
        "high": round(high, 6),
    }
    # The gate is decided at the point estimate (35 ≥ 30) and says the figure is a range.
    assert e.eligible
    assert detail(e.gates[0]) == "35% (likely; range 20–50)"


def test_a_fractional_support_year_counts_pro_rata() -> None:
    def lifecycle(years: str) -> float:
        e = score_of(
            "proposal: {country: Italy}\npricing: {currency: MYR, unit_price: 100, "
            f"quantity: 1, sustainment_per_year: 10, support_years: {years}}}\n",
            LIFECYCLE,
        ).evaluations[0]
        return float(e.derived["pricing.lifecycle_cost"])  # type: ignore[arg-type]

    assert lifecycle("2") == 100 + 10 / 1.1 + 10 / 1.1**2
    # the midpoint of 2–3 years: the third year's sustainment counts half
    assert lifecycle("{low: 2, high: 3}") == pytest.approx(
        100 + 10 / 1.1 + 10 / 1.1**2 + 0.5 * 10 / 1.1**3
    )


def test_an_icp_value_as_a_range_is_credited_at_its_point() -> None:
    criteria = criteria_from("""\
        id: t
        currency: MYR
        exchange_rates: {EUR: 5}
        criteria:
          - id: icp
            weight: 1
            field: industrial_collaboration.credit_value
            rule: {type: linear, best: 1000, worst: 0}
        """)
    comparison = score_of(
        """\
proposal: {country: Italy}
pricing: {currency: EUR, unit_price: 10, quantity: 1}
industrial_collaboration:
  activities:
    - {type: training, description: courses, value: {low: 10, high: 30}, local: true}
    - {type: man_hours, description: support, value: 5}
""",
        criteria,
    )
    e = comparison.evaluations[0]
    # training: midpoint 20 EUR × 5 × 4 = 400 MYR; man-hours 5 × 5 × 1 = 25 MYR
    assert e.derived["industrial_collaboration.credit_value"] == 425.0
    leaf = e.criteria[0].leaves[0]
    assert leaf.uncertain == Uncertain(
        ("industrial_collaboration.activities[0].value",), 225.0, 625.0
    )
    activities = comparison_data(comparison)["results"][0]["icp"]["activities"]
    assert activities[0]["offer_range"] == {
        "low": 10,
        "high": 30,
        "likely": None,
        "point": "midpoint",
    }
    assert "offer_range" not in activities[1]
