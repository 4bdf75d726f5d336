"""Exchange rates as ranges in a criteria file: read and validated as a proposal's ranged
figure is, scored at their point estimate, and drawn by `sensitivity --values` once per
draw for every proposal priced in that currency."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evaluator.analysis.sensitivity import analyse
from evaluator.analysis.uncertainty import ScoreModel
from evaluator.errors import CriteriaError
from evaluator.model.ranges import Range
from evaluator.scoring.engine import evaluate
from tests.helpers import criteria_from, evaluator_process, proposal_from

RATES = """\
    id: t
    currency: MYR
    exchange_rates:
      as_of: 2026-02-02
      source: "Example Bank, noon rates, 2 February 2026"
      EUR: {low: 4, likely: 5, high: 7}
      GBP: {low: 5, high: 6}
      USD: 4
    criteria:
      - id: price
        weight: 1
        field: pricing.unit_price
        rule: {type: linear, best: 0, worst: 1000}
    """


def offer(ident: str, currency: str, price: float) -> object:
    return proposal_from(
        f"proposal: {{country: {ident}}}\npricing: {{currency: {currency}, unit_price: {price}}}\n",
        f"{ident}.yaml",
    )


def test_a_ranged_rate_is_read_with_its_point_estimate_and_the_source() -> None:
    criteria = criteria_from(RATES)
    assert criteria.rates == {"EUR": 5.0, "GBP": 5.5, "USD": 4.0}  # likely, else midpoint
    assert set(criteria.rate_ranges) == {"EUR", "GBP"}
    assert (criteria.rate_ranges["EUR"].low, criteria.rate_ranges["EUR"].high) == (4, 7)
    assert criteria.rates_source == "Example Bank, noon rates, 2 February 2026"
    assert criteria_from(RATES.replace('      source: "Example', "      #")).rates_source is None


def test_the_point_estimate_scores() -> None:
    criteria = criteria_from(RATES)
    comparison = evaluate(
        [offer("e", "EUR", 100), offer("g", "GBP", 100), offer("u", "USD", 100)], criteria
    )
    prices = {e.id: e.derived["pricing.unit_price"] for e in comparison.evaluations}
    assert prices == {"e": 500.0, "g": 550.0, "u": 400.0}


@pytest.mark.parametrize(
    ("rate", "column", "message"),
    [
        # the column of the value, or of the key, that is wrong (the line is `  EUR: {...}`)
        ("{low: 5, high: 4}", 23, "`high` must not be below `low` (5), got 4"),
        ("{low: 4, likely: 8, high: 7}", 25, "`likely` must lie within the range 4–7, got 8"),
        ("{low: 0, high: 4}", 14, "must be more than 0, got 0"),
        ("{low: -1, likely: 2, high: 4}", 14, "must be more than 0, got -1"),
        ("{low: 4}", 8, "a range needs `low` and `high`: `high` is missing"),
        ("{low: 4, hihg: 5}", 17, "unknown range key `hihg` (did you mean `high`?)"),
    ],
)
def test_a_bad_rate_range_is_a_located_error(rate: str, column: int, message: str) -> None:
    text = RATES.replace("EUR: {low: 4, likely: 5, high: 7}", f"EUR: {rate}")
    with pytest.raises(CriteriaError) as caught:
        criteria_from(text)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("criteria.yaml", 6, column)
    assert problem.message == message


def test_the_criteria_currency_given_as_a_range_is_refused() -> None:
    text = RATES.replace("USD: 4", "MYR: {low: 1, high: 1.1}")
    with pytest.raises(CriteriaError) as caught:
        criteria_from(text)
    assert "MYR" in caught.value.problems[0].message


# --- sensitivity --values: one draw per currency, shared -----------------------------------


def model_of(*offers: object) -> tuple[ScoreModel, list[str]]:
    criteria = criteria_from(RATES)
    comparison = evaluate(list(offers), criteria)  # type: ignore[arg-type]
    eligible = [e for e in comparison.evaluations if e.eligible]
    return ScoreModel(criteria, eligible, list(comparison.weights)), [e.id for e in eligible]


def test_proposals_in_one_currency_move_together_and_a_fixed_rate_is_not_drawn() -> None:
    model, ids = model_of(offer("e1", "EUR", 100), offer("e2", "EUR", 110), offer("u", "USD", 120))
    assert [(r.currency, r.proposals) for r in model.rates] == [("EUR", ("e1", "e2"))]
    drawn = model.draw(np.random.default_rng(5), 1000)
    assert drawn.shape == (1000, 1)  # one column: the EUR rate, no figure is ranged
    _, values = model.scores(drawn)
    first, second = (values[ids.index(i)]["pricing.unit_price"] for i in ("e1", "e2"))
    rate = drawn[:, 0]
    assert first.tolist() == (100 * rate).tolist()
    assert second.tolist() == (110 * rate).tolist()  # the same draw of the rate
    assert 4 <= rate.min() < 4.5 and 6.5 < rate.max() <= 7
    assert values[ids.index("u")] == {}  # USD is fixed: nothing of u moves
    assert model.rows == (ids.index("e1"), ids.index("e2"))


def test_a_ranged_rate_with_no_proposal_in_it_is_not_drawn() -> None:
    model, _ = model_of(offer("u", "USD", 120), offer("m", "MYR", 500))
    assert model.rates == ()
    assert model.figures == ()


def test_the_draws_of_a_rate_decide_between_currencies() -> None:
    # e costs 100 EUR, m 550 MYR: e is cheaper when the EUR rate is below 5.5. The rate is
    # triangular (4, 5, 7): P(rate < 5.5) = 1 − (7 − 5.5)² / ((7 − 4)(7 − 5)) = 0.625.
    criteria = criteria_from(RATES)
    comparison = evaluate([offer("e", "EUR", 100), offer("m", "MYR", 550)], criteria)
    result = analyse(comparison, 40_000, 0, 0.25, values=True)
    assert result.values is not None
    assert result.acceptability.shares["e"][0] == pytest.approx(0.625, abs=0.01)
    assert [r.currency for r in result.values.rates] == ["EUR"]


run = evaluator_process


@pytest.fixture
def rated(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "criteria.yaml").write_text(RATES.replace("\n    ", "\n").lstrip())
    folder = tmp_path / "offers"
    folder.mkdir()
    for ident, currency, price in (("e", "EUR", 100), ("f", "EUR", 90), ("m", "MYR", 550)):
        (folder / f"{ident}.yaml").write_text(
            f"proposal: {{country: {ident}}}\n"
            f"pricing: {{currency: {currency}, unit_price: {price}}}\n"
        )
    return tmp_path / "criteria.yaml", folder


def test_the_json_says_which_rates_were_drawn(rated: tuple[Path, Path]) -> None:
    criteria, folder = rated
    done = run(
        "sensitivity",
        str(folder),
        "--criteria",
        str(criteria),
        "--values",
        "--format",
        "json",
        "--samples",
        "2000",
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["values"]["exchange_rates"] == [
        {
            "currency": "EUR",
            "low": 4,
            "high": 7,
            "likely": 5,
            "point": "likely",
            "distribution": "triangular",
            "proposals": ["f", "e"],
        }
    ]
    assert data["values"]["figures"] == []


def test_the_table_says_which_rates_were_drawn(rated: tuple[Path, Path]) -> None:
    criteria, folder = rated
    done = run(
        "sensitivity", str(folder), "--criteria", str(criteria), "--values", "--samples", "2000"
    )
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "and 1 exchange rate drawn within its range" in out
    assert "EUR: 4–7 MYR, likely 5 (triangular), shared by f, e" in out


def test_the_criteria_command_shows_the_ranges_and_the_source(rated: tuple[Path, Path]) -> None:
    criteria, _ = rated
    done = run("criteria", "--criteria", str(criteria), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["exchange_rates"] == {"EUR": 5.0, "GBP": 5.5, "USD": 4.0}
    assert data["exchange_rate_ranges"] == {
        "EUR": {"low": 4, "high": 7, "likely": 5},
        "GBP": {"low": 5, "high": 6, "likely": None},
    }
    assert data["exchange_rates_source"].startswith("Example Bank")
    table = " ".join(run("criteria", "--criteria", str(criteria)).stdout.split())
    assert (
        "Exchange rates, MYR for one unit: EUR 5 (4–7), GBP 5.5 (5–6), USD 4; as of "
        "2026-02-02; source: Example Bank, noon rates, 2 February 2026."
    ) in table


def test_every_draw_with_a_drawn_rate_scores_as_the_scalar_scoring_would() -> None:
    # The offers of test_sensitivity_values (costs, ICP credits and ratios, proportional
    # rules), with the EUR rate a range: each draw rescored one by one by `evaluate`, at
    # that draw's figures and with that draw's rate written into the criteria.
    from dataclasses import replace

    from tests.test_sensitivity_values import CRITERIA, drawn_proposal, offers

    ranged = replace(
        CRITERIA,
        rate_ranges={"EUR": Range(4, 6, 5.2)},
        rates={**CRITERIA.rates, "EUR": 5.2},
    )
    comparison = evaluate(offers(), ranged)
    eligible = [e for e in comparison.evaluations if e.eligible]
    names = list(comparison.weights)
    model = ScoreModel(ranged, eligible, names)
    assert [(r.currency, r.proposals) for r in model.rates] == [("EUR", ("a",))]
    drawn = model.draw(np.random.default_rng(3), 60)
    moved, _ = model.scores(drawn)
    for d in range(drawn.shape[0]):
        at = replace(ranged, rates={**ranged.rates, "EUR": float(drawn[d, -1])})
        rescored = evaluate(
            [drawn_proposal(e.proposal, model, i, drawn[d]) for i, e in enumerate(eligible)], at
        )
        for i, e in enumerate(eligible):
            again = next(x for x in rescored.evaluations if x.id == e.id)
            expected = [next(c.score for c in again.criteria if c.id == k) for k in names]
            assert moved[d, model.rows.index(i)].tolist() == pytest.approx(
                expected, rel=1e-12, abs=1e-9
            ), (d, e.id)
    # at the point estimates, exactly the scores of compare
    moved, _ = model.scores(model.modes.reshape(1, -1))
    for slot, i in enumerate(model.rows):
        assert moved[0, slot].tolist() == model.base[i].tolist()


def test_the_html_report_shows_the_rates_and_their_source(rated: tuple[Path, Path]) -> None:
    criteria, folder = rated
    done = run("compare", str(folder), "--criteria", str(criteria), "--format", "html")
    assert done.returncode == 0, done.stderr
    assert (
        "<dt>Exchange rates</dt><dd>Exchange rates, MYR for one unit: EUR 5 (4–7), GBP 5.5 "
        "(5–6), USD 4; as of 2026-02-02; source: Example Bank, noon rates, "
        "2 February 2026. A range&#39;s point estimate scores; <code>sensitivity --values</code> "
        "draws it.</dd>"
    ) in done.stdout
