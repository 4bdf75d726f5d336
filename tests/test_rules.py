"""Each rule type at its edges: the score and the words that explain it."""

from __future__ import annotations

import pytest

from evaluator.model.rules import (
    Boolean,
    Count,
    Levels,
    Linear,
    Proportional,
    Rule,
    Steps,
    number_text,
)
from evaluator.render.text.rules import reason_text


def worded(rule: Rule, value: object, reference: float | None = None) -> tuple[float, str]:
    """A value's score, and its reason as the render layer words it."""
    points, reason = rule.score(value, reference)
    return points, reason_text(reason)


class TestLinear:
    def test_higher_is_better_between_and_at_ends(self) -> None:
        rule = Linear(best=60, worst=30)
        assert rule.score(45)[0] == pytest.approx(50.0)
        assert rule.score(60)[0] == 100.0
        assert rule.score(30)[0] == 0.0

    def test_lower_is_better_when_best_below_worst(self) -> None:
        rule = Linear(best=1.6e9, worst=2.8e9)
        assert rule.score(1.9e9)[0] == pytest.approx(75.0)
        assert "lower is better" in worded(rule, 1.9e9)[1]

    def test_clamped_beyond_either_end(self) -> None:
        rule = Linear(best=36, worst=72)
        assert worded(rule, 12) == (
            100.0,
            "linear: 100 at 36, 0 at 72, lower is better; at or beyond best",
        )
        assert rule.score(100)[0] == 0.0
        assert worded(rule, 100)[1].endswith("at or beyond worst")


class TestProportional:
    def test_min_direction_is_lowest_over_this(self) -> None:
        rule = Proportional("min")
        assert rule.score(200.0, reference=100.0)[0] == pytest.approx(50.0)
        assert rule.score(100.0, reference=100.0)[0] == 100.0

    def test_max_direction_is_this_over_highest(self) -> None:
        rule = Proportional("max")
        assert rule.score(30.0, reference=120.0)[0] == pytest.approx(25.0)

    def test_zero_over_zero_scores_100(self) -> None:
        assert Proportional("min").score(0.0, reference=0.0)[0] == 100.0
        assert Proportional("max").score(0.0, reference=0.0)[0] == 100.0

    def test_capped_at_100_when_better_than_the_pool(self) -> None:
        # An ineligible proposal below the pool's lowest price scores 100, not more.
        assert Proportional("min").score(50.0, reference=100.0)[0] == 100.0
        assert Proportional("min").score(0.0, reference=100.0)[0] == 100.0
        assert Proportional("max").score(300.0, reference=100.0)[0] == 100.0


class TestLevels:
    def test_listed_score(self) -> None:
        rule = Levels((("firm_fixed", 100.0), ("estimate", 30.0)))
        assert worded(rule, "estimate") == (30.0, "levels")
        assert rule.lookup("capped_escalation") is None


class TestBoolean:
    def test_defaults_and_custom_scores(self) -> None:
        assert Boolean().score(True)[0] == 100.0
        assert Boolean().score(False)[0] == 0.0
        assert Boolean(when_true=20, when_false=80).score(False)[0] == 80.0


class TestSteps:
    STEPS = ((0.0, 0.0), (5.0, 40.0), (10.0, 80.0), (15.0, 100.0))

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (-1, 0.0),
            (0, 0.0),
            (4.99, 0.0),
            (5, 40.0),
            (9.99, 40.0),
            (10, 80.0),
            (15, 100.0),
            (99, 100.0),
        ],
    )
    def test_max_takes_highest_threshold_reached(self, value: float, expected: float) -> None:
        assert Steps(self.STEPS, "max").score(value)[0] == expected

    @pytest.mark.parametrize(
        ("value", "expected"),
        [(0, 100.0), (30, 100.0), (31, 70.0), (48, 70.0), (60, 40.0), (61, 0.0)],
    )
    def test_min_takes_lowest_threshold_not_exceeded(self, value: float, expected: float) -> None:
        rule = Steps(((30.0, 100.0), (48.0, 70.0), (60.0, 40.0)), "min")
        assert rule.score(value)[0] == expected


class TestCount:
    def test_per_item_up_to_cap(self) -> None:
        assert Count(per_item=20).score(("use", "maintain"))[0] == 40.0
        assert Count(per_item=30, cap=80).score(("a", "b", "c"))[0] == 80.0
        assert Count(per_item=20).score(())[0] == 0.0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1_600_000_000, "1,600,000,000"),
        (1934693593.4, "1,934,693,593"),
        (0.0031, "0.0031"),
        (12.5, "12.5"),
        (3.0, "3"),
        (True, "true"),
    ],
)
def test_numbers_are_written_as_in_a_briefing(value: float, text: str) -> None:
    assert number_text(value) == text
