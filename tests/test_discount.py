"""`sensitivity`: the range of discount rates (0% to 20%) over which today's winner holds,
computed by the scoring engine on an array of rates (evaluator.analysis.discount)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluator.analysis.discount import RESOLUTION
from evaluator.analysis.sensitivity import analyse
from evaluator.model.criteria import Criteria
from evaluator.scoring.engine import evaluate
from tests.helpers import criteria_from, evaluator_process, proposal_from

# One criterion, the lifecycle cost, scored linearly (lower is better): the winner is the
# offer with the lowest lifecycle cost = acquisition + Σ sustainment / (1 + r)^t.
LIFECYCLE = """\
    id: t
    currency: MYR
    discount_rate: {rate}
    criteria:
      - id: cost
        weight: 1
        field: pricing.lifecycle_cost
        rule: {{type: linear, best: 0, worst: 10000}}
    """


def costs(rate: float = 0.07) -> Criteria:
    return criteria_from(LIFECYCLE.format(rate=rate))


def offer(ident: str, price: float, per_year: float = 0, years: int = 1) -> object:
    return proposal_from(
        f"proposal: {{country: {ident}}}\npricing: {{currency: MYR, unit_price: {price}, "
        f"quantity: 1, sustainment_per_year: {per_year}, support_years: {years}}}\n",
        f"{ident}.yaml",
    )


def reach_of(criteria: Criteria, *offers: object) -> object:
    comparison = evaluate(list(offers), criteria)  # type: ignore[arg-type]
    return analyse(comparison, 200, 0, 0.25).discount


def test_a_tipping_rate_known_in_closed_form() -> None:
    # One year of support: a costs 100 + 110/(1 + r), b costs 200. They tie where
    # 110/(1 + r) = 100, r* = 0.1; below it b is cheaper, above it a. Today (15%) a wins.
    result = reach_of(costs(0.15), offer("a", 100, 110), offer("b", 200))
    assert result.status == "changes"
    low, high = result.winner_holds
    assert 0.1 <= low < 0.1 + RESOLUTION + 1e-12  # the first rate on the grid where a holds
    assert high == 0.2 and result.above is None  # holds to the top of the range
    assert result.below == "b"
    assert (result.today, result.searched, result.resolution) == (0.15, (0.0, 0.2), RESOLUTION)


def test_a_winner_that_changes_on_both_sides() -> None:
    # w costs 150 + 120/(1 + r); low 262 flat; high 60 + 120/(1 + r) + 120/(1 + r)².
    # w < low ⇔ 120/(1 + r) < 112 ⇔ r > 120/112 − 1 = 0.0714...;
    # w < high ⇔ 120/(1 + r)² > 90 ⇔ r < √(4/3) − 1 = 0.1547...
    # Below the first, low is cheapest (at 5%: high 283 > 262); above the second, high.
    r_low, r_high = 120 / 112 - 1, (4 / 3) ** 0.5 - 1
    result = reach_of(
        costs(0.1), offer("w", 150, 120), offer("low", 262), offer("high", 60, 120, years=2)
    )
    assert result.status == "changes"
    lo, hi = result.winner_holds
    assert r_low <= lo < r_low + RESOLUTION  # the first rate on the grid where w holds
    assert r_high - RESOLUTION < hi <= r_high  # the last
    assert (result.below, result.above) == ("low", "high")


def test_the_winner_holds_everywhere() -> None:
    result = reach_of(costs(), offer("a", 100, 10, 5), offer("b", 300, 10, 5))
    assert result.status == "holds"
    assert result.winner_holds == (0.0, 0.2)
    assert result.below is None and result.above is None


def test_no_criterion_depends_on_the_rate() -> None:
    criteria = criteria_from("""\
        id: t
        currency: MYR
        discount_rate: 0.07
        criteria:
          - {id: price, weight: 1, field: pricing.unit_price,
             rule: {type: linear, best: 0, worst: 1000}}
        """)
    result = reach_of(criteria, offer("a", 100, 500, 20), offer("b", 200))
    assert result.status == "not_used"
    assert result.winner_holds == (0.0, 0.2)


def test_no_eligible_proposal() -> None:
    criteria = criteria_from(
        LIFECYCLE.format(rate=0.07)
        + "gates:\n      - {id: g, field: pricing.quantity, require: {min: 5}}\n"
    )
    result = reach_of(criteria, offer("a", 100))
    assert result.status == "no_winner"
    assert result.winner_holds is None


def test_a_rate_above_the_range_extends_it() -> None:
    result = reach_of(costs(0.3), offer("a", 100, 110), offer("b", 200))
    assert result.searched == (0.0, 0.3)
    assert result.winner_holds[1] == 0.3


def test_the_engine_is_used_on_an_array_of_rates() -> None:
    # At today's rate the array computation gives exactly compare's totals (same engine).
    from evaluator.analysis.uncertainty import ScoreModel

    criteria = costs(0.07)
    comparison = evaluate([offer("a", 100, 110, 7), offer("b", 200, 30, 3)], criteria)
    eligible = [e for e in comparison.evaluations if e.eligible]
    model = ScoreModel(criteria, eligible, list(comparison.weights), discount=True)
    import numpy as np

    moved, _ = model.scores(np.array([[0.07]]))
    for slot, i in enumerate(model.rows):
        assert moved[0, slot].tolist() == model.base[i].tolist()


run = evaluator_process


@pytest.fixture
def tipping(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "criteria.yaml").write_text(
        LIFECYCLE.format(rate=0.15).replace("\n    ", "\n").lstrip()
    )
    folder = tmp_path / "offers"
    folder.mkdir()
    for ident, price, per_year in (("a", 100, 110), ("b", 200, 0)):
        (folder / f"{ident}.yaml").write_text(
            f"proposal: {{country: {ident}}}\npricing: {{currency: MYR, unit_price: {price}, "
            f"quantity: 1, sustainment_per_year: {per_year}, support_years: 1}}\n"
        )
    return tmp_path / "criteria.yaml", folder


def test_the_json_gives_the_discount_rate_interval(tipping: tuple[Path, Path]) -> None:
    criteria, folder = tipping
    done = run("sensitivity", str(folder), "--criteria", str(criteria), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)["discount_rate"]
    assert data == {
        "today": 0.15,
        "winner_holds": [0.1, 0.2],
        "status": "changes",
        "below": "b",
        "above": None,
        "searched": [0.0, 0.2],
        "resolution": 0.0001,
    }


def test_the_table_and_markdown_say_it(tipping: tuple[Path, Path]) -> None:
    criteria, folder = tipping
    table = " ".join(run("sensitivity", str(folder), "--criteria", str(criteria)).stdout.split())
    assert "Discount rate (today 15%): a stays first from 10% to 20%; below 10%, b leads." in table
    markdown = run(
        "sensitivity", str(folder), "--criteria", str(criteria), "--format", "markdown"
    ).stdout
    assert (
        "Discount rate (today 15%): a stays first from 10% to 20%; below 10%, b leads. Rates "
        "searched from 0% to 20%, each end to 0.01 percentage point."
    ) in " ".join(markdown.split())


def test_the_html_report_says_it(tipping: tuple[Path, Path], tmp_path: Path) -> None:
    criteria, folder = tipping
    done = run(
        "compare", str(folder), "--criteria", str(criteria), "--sensitivity", "--format", "html"
    )
    assert done.returncode == 0, done.stderr
    assert (
        "<p>Discount rate (today 15%): a stays first from 10% to 20%; below 10%, b leads. "
        "Rates searched from 0% to 20%, each end to 0.01 percentage point.</p>" in done.stdout
    )
