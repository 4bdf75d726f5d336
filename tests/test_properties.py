"""Invariants, stated as properties: scores stay in 0–100, a better value never lowers a
score, and the order in which files are read never changes a ranking."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator.api import load_criteria, load_proposals
from evaluator.model.rules import Count, Linear, Proportional, Steps
from evaluator.scoring.engine import evaluate
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS
from tests.helpers import offer

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)
positive = st.floats(min_value=0, max_value=1e12, allow_nan=False)
score = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(best=finite, worst=finite, a=finite, b=finite)
def test_linear_stays_in_range_and_is_monotone(
    best: float, worst: float, a: float, b: float
) -> None:
    if best == worst:
        return
    rule = Linear(best, worst)
    low, high = sorted((a, b))
    s_low, s_high = rule.score(low)[0], rule.score(high)[0]
    assert 0 <= s_low <= 100 and 0 <= s_high <= 100
    # "better" means closer to best: higher values when best > worst.
    if best > worst:
        assert s_high >= s_low
    else:
        assert s_low >= s_high


@given(reference=positive, a=positive, b=positive, direction=st.sampled_from(["min", "max"]))
def test_proportional_stays_in_range_and_is_monotone(
    reference: float, a: float, b: float, direction: str
) -> None:
    rule = Proportional(direction)
    low, high = sorted((a, b))
    s_low, s_high = rule.score(low, reference)[0], rule.score(high, reference)[0]
    assert 0 <= s_low <= 100 and 0 <= s_high <= 100
    assert (s_low >= s_high) if direction == "min" else (s_high >= s_low)


@given(
    thresholds=st.lists(finite, min_size=1, max_size=6, unique=True),
    scores=st.lists(score, min_size=6, max_size=6),
    value=finite,
)
def test_steps_give_a_listed_score_or_zero(
    thresholds: list[float], scores: list[float], value: float
) -> None:
    pairs = tuple(zip(sorted(thresholds), scores, strict=False))
    for direction in ("min", "max"):
        result = Steps(pairs, direction).score(value)[0]
        assert result == 0.0 or result in [s for _, s in pairs]


@given(n=st.integers(0, 5), per_item=st.floats(0.01, 100), cap=score)
def test_count_stays_in_range(n: int, per_item: float, cap: float) -> None:
    result = Count(per_item, cap).score(tuple(str(i) for i in range(n)))[0]
    assert 0 <= result <= cap


_criteria = load_criteria(DEFAULT_CRITERIA)
_samples = load_proposals([PROPOSALS]).proposals


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(seed=st.integers(0, 10_000))
def test_file_order_never_changes_the_ranking(seed: int) -> None:
    shuffled = list(_samples)
    random.Random(seed).shuffle(shuffled)
    reference = [(e.id, e.rank, e.total) for e in evaluate(_samples, _criteria).evaluations]
    assert [(e.id, e.rank, e.total) for e in evaluate(shuffled, _criteria).evaluations] == reference


@settings(max_examples=60, deadline=None)
@given(
    local=st.integers(0, 100),
    more_local=st.integers(0, 100),
    price=st.floats(1e6, 1e9),
    cheaper=st.floats(0, 1),
    months=st.integers(1, 120),
    faster=st.integers(0, 120),
    level=st.sampled_from(
        ["maintenance_capability", "licensed_assembly", "licensed_production", "co_development"]
    ),
)
def test_a_better_offer_never_scores_lower_and_all_stays_in_range(
    local: int, more_local: int, price: float, cheaper: float, months: int, faster: int, level: str
) -> None:
    base = dict(
        pricing__currency="MYR",
        pricing__quantity=3,
        pricing__price_basis="estimate",
        technology_transfer__level=level,
        technology_transfer__commitment="mou",
        g2g__intermediaries="none",
        collaboration__commitment="intent",
        # every requirement of the default criteria answered (an offer that leaves one
        # unanswered is an error, not a score)
        **{
            f"compliance__CSS-R0{n}": "{answer: compliant, reference: {volume: 1, page: 1}}"
            for n in range(1, 7)
        },
    )
    worse = offer(
        "worse",
        **base,
        pricing__unit_price=price,
        technology_transfer__local_content_pct=local,
        g2g__delivery_months=months,
    )
    better = offer(
        "better",
        **base,
        pricing__unit_price=price * cheaper,
        technology_transfer__local_content_pct=max(local, more_local),
        g2g__delivery_months=max(0, months - faster),
    )
    results = {e.id: e for e in evaluate([worse, better], _criteria).evaluations}
    assert results["better"].total >= results["worse"].total - 1e-9
    for evaluation in results.values():
        assert 0 <= evaluation.total <= 100
        for criterion in evaluation.criteria:
            assert 0 <= criterion.score <= 100
            assert all(0 <= leaf.score <= 100 for leaf in criterion.leaves)
