"""`evaluator sensitivity --values`: ranged figures drawn with the weights, confidence factors.

The vectorised recomputation is checked against the scalar scoring itself (every draw
rescored one by one through `evaluate`) and
the confidence factor against cases whose answer is known: a winner that cannot lose,
and a coin toss.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from evaluator.analysis.sensitivity import analyse
from evaluator.analysis.uncertainty import ScoreModel, analyse_values
from evaluator.api import compare_files, load_criteria
from evaluator.model.proposal import Proposal
from evaluator.render.text.notes import notes_text
from evaluator.scoring.engine import evaluate
from evaluator.scoring.results import Comparison
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS, Run
from tests.helpers import (
    criteria_from,
    matches_expected,
    proposal_from,
    single_rule,
    unstaged_criteria,
)

RunCli = Callable[..., Run]


# --- the vectorised recomputation against the scalar scoring ----------------------------------

CRITERIA = criteria_from("""\
    id: t
    currency: MYR
    exchange_rates: {EUR: 5, USD: 4}
    discount_rate: 0.07
    criteria:
      - id: price
        weight: 40
        subcriteria:
          - {id: lifecycle, weight: 50, field: pricing.lifecycle_cost,
             rule: {type: linear, best: 1000, worst: 3000}}
          - {id: unit, weight: 30, field: pricing.unit_price,
             rule: {type: proportional, direction: min}}
          - {id: certainty, weight: 20, field: pricing.price_basis,
             rule: {type: levels, levels: {firm_fixed: 100, capped_escalation: 70,
                                           estimate: 30}}}
      - id: transfer
        weight: 30
        credibility:
          field: technology_transfer.commitment
          factors: {guaranteed: 1, contractual: 0.85, mou: 0.6, intent: 0.3}
        subcriteria:
          - {id: local, weight: 40, field: technology_transfer.local_content_pct,
             rule: {type: linear, best: 60, worst: 30}}
          - {id: icp, weight: 30, field: industrial_collaboration.credit_ratio_pct,
             rule: {type: linear, best: 100, worst: 0}}
          - {id: share, weight: 30, field: industrial_collaboration.local_share_pct,
             rule: {type: steps, direction: max, steps: [[30, 50], [60, 100]]}}
      - id: delivery
        weight: 30
        subcriteria:
          - {id: months, weight: 60, field: g2g.delivery_months,
             rule: {type: steps, direction: min, steps: [[40, 100], [50, 60], [60, 20]]}}
          - {id: reach, weight: 40, field: technical.range_nm,
             rule: {type: proportional, direction: max}}
    gates:
      - {id: floor, field: technology_transfer.local_content_pct, require: {min: 30}}
    """)

OFFERS = {
    # Ranges in every place a figure can move a score: converted money, a count with a
    # likely value, support years (fractional draws), ICP values, a technical fact.
    "a": """\
proposal: {country: A}
pricing: {currency: EUR, unit_price: {low: 80, likely: 100, high: 130}, quantity: 2,
          one_off_costs: {low: 10, high: 40}, sustainment_per_year: {low: 5, high: 9},
          support_years: {low: 20, likely: 25, high: 30}, price_basis: estimate}
technology_transfer: {local_content_pct: {low: 30, likely: 45, high: 60},
                      commitment: contractual}
g2g: {delivery_months: {low: 36, likely: 48, high: 66}}
technical: {range_nm: {low: 3000, high: 4500}}
industrial_collaboration:
  activities:
    - {type: training, description: courses, value: {low: 10, likely: 20, high: 60},
       local: true}
    - {type: man_hours, description: support, value: {low: 50, high: 150}}
""",
    "b": """\
proposal: {country: B}
pricing: {currency: USD, unit_price: 120, quantity: 2, one_off_costs: 20,
          sustainment_per_year: {low: 4, likely: 6, high: 7}, support_years: 25,
          price_basis: firm_fixed}
technology_transfer: {local_content_pct: 40, commitment: mou}
g2g: {delivery_months: 45}
technical: {range_nm: 4000}
industrial_collaboration:
  activities:
    - {type: technology_transfer, description: know-how, value: 30, local: true}
""",
    "c": """\
proposal: {country: C}
pricing: {currency: MYR, unit_price: 450, quantity: 2, sustainment_per_year: 25,
          support_years: 25, price_basis: capped_escalation}
technology_transfer: {local_content_pct: 35, commitment: guaranteed}
g2g: {delivery_months: 52}
technical: {range_nm: 3500}
""",
}


def offers() -> list[Proposal]:
    return [proposal_from(text, f"{ident}.yaml") for ident, text in OFFERS.items()]


def drawn_proposal(proposal: Proposal, model: ScoreModel, index: int, row: np.ndarray) -> Proposal:
    """The proposal with each ranged figure replaced by its value in one draw."""
    subject = model.subjects[index]
    values = dict(proposal.values)
    for name, column in subject.columns.items():
        values[name] = float(row[column])
    activities = (
        None
        if proposal.activities is None
        else tuple(
            replace(a, value=float(row[subject.activity_columns[a.index]]), range=None)
            if a.index in subject.activity_columns
            else a
            for a in proposal.activities
        )
    )
    return replace(proposal, values=values, activities=activities, ranges={})


def test_every_draw_scores_as_the_scalar_scoring_would() -> None:
    comparison = evaluate(offers(), CRITERIA)
    assert comparison.errors == []
    eligible = [e for e in comparison.evaluations if e.eligible]
    names = list(comparison.weights)
    model = ScoreModel(CRITERIA, eligible, names)
    assert len(model.figures) == 10
    drawn = model.draw(np.random.default_rng(11), 200)
    moved, _ = model.scores(drawn)
    assert model.rows == (0, 1, 2)  # c has no ranges, but its proportional scores move
    for d in range(drawn.shape[0]):
        rescored = evaluate(
            [drawn_proposal(e.proposal, model, i, drawn[d]) for i, e in enumerate(eligible)],
            CRITERIA,
        )
        for i, e in enumerate(eligible):
            again = next(x for x in rescored.evaluations if x.id == e.id)
            expected = [next(c.score for c in again.criteria if c.id == k) for k in names]
            assert moved[d, model.rows.index(i)].tolist() == pytest.approx(
                expected, rel=1e-12, abs=1e-9
            ), (d, e.id)


def test_at_the_point_estimates_the_scores_are_those_of_compare() -> None:
    comparison = evaluate(offers(), CRITERIA)
    eligible = [e for e in comparison.evaluations if e.eligible]
    model = ScoreModel(CRITERIA, eligible, list(comparison.weights))
    moved, _ = model.scores(model.modes.reshape(1, -1))
    assert model.rows == (0, 1, 2)
    for slot, i in enumerate(model.rows):
        # exactly: the same operations on the same numbers
        assert moved[0, slot].tolist() == model.base[i].tolist()


# --- known answers: a certain winner, a coin toss, a gate at risk ------------------------------

PRICE = single_rule(
    "pricing.unit_price",
    "{type: linear, best: 100, worst: 200}",
    "gates:\n  - {id: floor, field: technology_transfer.local_content_pct, require: {min: 30}}\n",
)


def priced(ident: str, price: str, local: str = "40") -> Proposal:
    return proposal_from(
        f"proposal: {{country: {ident}}}\npricing: {{currency: MYR, "
        f"unit_price: {price}}}\ntechnology_transfer: "
        f"{{local_content_pct: {local}}}\n",
        f"{ident}.yaml",
    )


def values_run(
    *proposals: Proposal, samples: int = 10_000, seed: int = 0, chunk: int | None = None
) -> tuple[Comparison, dict[str, object]]:
    comparison = evaluate(list(proposals), PRICE)
    result = analyse(comparison, samples, seed, 0.25, values=True)
    assert result.values is not None
    if chunk is not None:  # the same analysis drawn in chunks of another size
        eligible = [e for e in comparison.evaluations if e.eligible]
        chunked = analyse_values(
            PRICE,
            eligible,
            list(comparison.weights),
            list(comparison.weights.values()),
            samples,
            seed,
            0.25,
            chunk,
        )
        assert chunked.shares == result.values.shares
        assert chunked.confidence == result.values.confidence
    ids = [e.id for e in result.proposals]
    return comparison, {
        "shares": result.acceptability.shares,
        "confidence": dict(zip(ids, result.values.confidence, strict=True)),
        "risks": result.values.gate_risks,
    }


def test_ranges_that_cannot_overlap_leave_no_doubt() -> None:
    _, run = values_run(
        priced("cheap", "{low: 100, likely: 110, high: 120}"),
        priced("dear", "{low: 130, high: 150}"),
    )
    assert run["shares"] == {"cheap": [1.0, 0.0], "dear": [0.0, 1.0]}
    assert run["confidence"] == {"cheap": 1.0, "dear": None}  # never first: no central weights


@pytest.mark.parametrize("price", ["{low: 100, high: 140}", "{low: 100, likely: 120, high: 140}"])
def test_the_same_symmetric_range_is_a_coin_toss(price: str) -> None:
    _, run = values_run(priced("heads", price), priced("tails", price), samples=20_000)
    confidence = run["confidence"]
    assert isinstance(confidence, dict)
    # One criterion: both central weightings are (1,), so exactly one of them is first.
    assert confidence["heads"] + confidence["tails"] == 1.0
    assert confidence["heads"] == pytest.approx(0.5, abs=0.015)  # 4 standard errors
    shares = run["shares"]
    assert isinstance(shares, dict)
    assert shares["heads"][0] == confidence["heads"]  # with one criterion weights do nothing


def test_the_result_is_the_same_in_any_chunk_size_and_for_the_same_seed() -> None:
    offers_ = (priced("heads", "{low: 100, high: 140}"), priced("tails", "{low: 105, high: 150}"))
    _, first = values_run(*offers_, samples=3_001, chunk=7)
    _, again = values_run(*offers_, samples=3_001)
    _, other = values_run(*offers_, samples=3_001, seed=1)
    assert first == again
    assert first["confidence"] != other["confidence"]


def test_a_gate_on_a_ranged_figure_reports_how_often_it_would_fail() -> None:
    comparison, run = values_run(
        priced("risky", "150", "{low: 20, likely: 40, high: 50}"), samples=40_000
    )
    assert comparison.evaluations[0].eligible  # decided at the point estimate, 40
    (risk,) = run["risks"]  # type: ignore[misc]
    assert (risk.proposal, risk.gate, risk.field) == (
        "risky",
        "floor",
        "technology_transfer.local_content_pct",
    )
    # Triangular(20, 40, 50): F(30) = (30 − 20)² / ((50 − 20)(40 − 20)) = 1/6
    assert risk.failures == pytest.approx(1 / 6, abs=0.01)


def test_without_ranged_figures_the_acceptability_is_that_of_the_weights() -> None:
    # No ranged figure anywhere: the offers' ranges are taken out below, and the criteria's
    # exchange rates made points (the default's are ranges, drawn as currency risk).
    criteria = replace(load_criteria(DEFAULT_CRITERIA), rate_ranges={})
    comparison = compare_files([PROPOSALS / "turkiye.yaml", PROPOSALS / "italy.yaml"], criteria)
    plain = [
        replace(
            e.proposal,
            ranges={},
            activities=tuple(replace(a, range=None) for a in e.proposal.activities or ()),
        )
        for e in comparison.evaluations
    ]
    comparison = evaluate(plain, criteria)
    with_values = analyse(comparison, 5_000, 3, None, values=True)
    without = analyse(comparison, 5_000, 3, None)
    assert with_values.values is not None and with_values.values.figures == ()
    assert with_values.acceptability.shares == without.acceptability.shares
    assert with_values.acceptability.central_weights == without.acceptability.central_weights
    assert "no eligible proposal gives a figure as a range" in " ".join(
        notes_text(with_values.notes)
    )


# --- the command on the samples --------------------------------------------------------------


def test_values_table_on_the_samples(run_cli: RunCli) -> None:
    result = run_cli("sensitivity", "--values")
    assert result.code == 0, result.err
    assert result.err == ""
    assert matches_expected("sensitivity-values.txt", result.out)
    assert max(len(line) for line in result.out.splitlines()) <= 100


def test_values_markdown_on_the_samples(run_cli: RunCli) -> None:
    result = run_cli("sensitivity", "--values", "--format", "markdown")
    assert result.code == 0, result.err
    assert matches_expected("sensitivity-values.md", result.out)


def _samples_with_a_ranged_activity(tmp_path: Path) -> Path:
    """The sample proposals, with italy's last ICP activity (activities[5], a certification
    of 3,000,000) given as a range with no likely value: 2,000,000 to 4,000,000."""
    folder = tmp_path / "proposals"
    shutil.copytree(PROPOSALS, folder)
    italy = folder / "italy.yaml"
    text = italy.read_text(encoding="utf-8")
    assert text.count("value: 3_000_000\n") == 1
    italy.write_text(
        text.replace("value: 3_000_000\n", "value: {low: 2_000_000, high: 4_000_000}\n"),
        encoding="utf-8",
    )
    return folder


def test_values_json_on_the_samples(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("sensitivity", "--values", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert list(data)[:8] == [
        "stability",
        "acceptability",
        "central_weights",
        "samples",
        "seed",
        "spread",
        "confidence",
        "values",
    ]
    # The offers that passed every stage (turkiye fails the technical stage, direct-offer the
    # financial one: neither is analysed).
    assert set(data["confidence"]) == set(data["acceptability"]) == {"italy", "south-korea"}
    assert all(0 <= c <= 1 for c in data["confidence"].values() if c is not None)
    for shares in data["acceptability"].values():
        assert sum(shares) == pytest.approx(1.0)
    # direct-offer failed a stage: its ranges (unit price, delivery...) are not drawn
    assert [(f["proposal"], f["field"]) for f in data["values"]["figures"]] == [
        ("south-korea", "pricing.sustainment_per_year"),
        ("south-korea", "g2g.delivery_months"),
        ("italy", "pricing.sustainment_per_year"),
    ]
    assert data["values"]["figures"][0] == {
        "proposal": "south-korea",
        "field": "pricing.sustainment_per_year",
        "low": 10000000,
        "high": 15000000,
        "likely": 11000000,
        "point": "likely",
        "distribution": "triangular",
    }
    # A range with no likely value is drawn uniformly (no sample has one now: made here).
    ranged = run_cli(
        "sensitivity", str(_samples_with_a_ranged_activity(tmp_path)), "--values", "-f", "json"
    )
    assert ranged.code == 0, ranged.err
    (activity,) = [
        f for f in json.loads(ranged.out)["values"]["figures"] if "activities" in f["field"]
    ]
    assert activity == {
        "proposal": "italy",
        "field": "industrial_collaboration.activities[5].value",
        "low": 2000000,
        "high": 4000000,
        "likely": None,
        "point": "midpoint",
        "distribution": "uniform",
    }
    # The same seed gives the same bytes; the analysis of the weights alone has no such keys.
    assert run_cli("sensitivity", "--values", "--format", "json").out == result.out
    plain = json.loads(run_cli("sensitivity", "--format", "json").out)
    assert "confidence" not in plain and "values" not in plain


def test_a_narrow_terminal_lists_the_figures_one_a_line(tmp_path: Path) -> None:
    from evaluator.render import RenderOptions
    from evaluator.render.sensitivity import render

    folder = _samples_with_a_ranged_activity(tmp_path)
    result = analyse(compare_files([folder], load_criteria(DEFAULT_CRITERIA)), 1_000, values=True)
    lines = render(result, "table", RenderOptions(width=60)).splitlines()
    assert max(len(line) for line in lines) <= 60
    assert "  south-korea g2g.delivery_months: 42–60, likely 48" in lines
    assert "  italy ICP activities[5].value: 2,000,000–4,000,000" in lines


def test_an_ineligible_proposal_s_ranges_are_not_drawn(run_cli: RunCli, tmp_path: Path) -> None:
    # Criteria without stages: direct-offer is in the comparison, ineligible (it fails the
    # gate advance_payment_guaranteed), and its ranged figures are said not to be drawn.
    flat = unstaged_criteria(tmp_path)
    result = run_cli("sensitivity", "--values", "--criteria", str(flat))
    assert result.code == 0, result.err
    text = " ".join(result.out.split())
    assert "Note: direct-offer is left out as ineligible, so its ranged figures are not drawn." in (
        text
    )
    data = json.loads(run_cli("sensitivity", "--values", "--criteria", str(flat), "-f", "json").out)
    assert "direct-offer" not in {f["proposal"] for f in data["values"]["figures"]}


def test_values_list_the_first_ranks_and_the_share_of_the_rest(tmp_path: Path) -> None:
    # One weighted evaluation (compare_files runs no stages): south-korea and italy eligible.
    comparison = compare_files([PROPOSALS], load_criteria(unstaged_criteria(tmp_path)))
    every = analyse(comparison, 2_000, values=True)
    one = analyse(comparison, 2_000, values=True, ranks=1)
    assert list(every.acceptability.shares) == ["south-korea", "italy"]
    assert every.acceptability.rest is None and one.acceptability.rest is not None
    for ident, row in every.acceptability.shares.items():
        assert one.acceptability.shares[ident] == row[:1]
        assert one.acceptability.rest[ident] == pytest.approx(row[1])
    assert one.acceptability.central_weights == every.acceptability.central_weights
    assert one.values is not None and every.values is not None
    assert one.values.confidence == every.values.confidence
