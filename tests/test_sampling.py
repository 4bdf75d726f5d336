"""Sampling shared by the robustness analyses: drawn figures against their distributions'
moments, and the ranks of each draw against the scalar ranking."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.analysis.sampling import row_ranks, sample_ranges
from evaluator.model.ranges import Range
from evaluator.scoring.ranking import competition_ranks

# --- the distributions -----------------------------------------------------------------------

N = 400_000


def within(sample: np.ndarray, expected: float, variance: float, sigmas: float = 5) -> bool:
    """The sample mean lies within `sigmas` standard errors of `expected`."""
    return abs(float(sample.mean()) - expected) <= sigmas * math.sqrt(variance / sample.size)


def test_triangular_draws_have_the_triangular_moments() -> None:
    a, c, b = 10.0, 12.0, 20.0  # low, likely, high
    x = sample_ranges([Range(a, b, c)], N, seed=3)[:, 0]
    mean = (a + b + c) / 3
    variance = (a * a + b * b + c * c - a * b - a * c - b * c) / 18
    assert a <= x.min() and x.max() <= b
    assert within(x, mean, variance)
    assert float(x.var()) == pytest.approx(variance, rel=0.01)
    # F(likely) = (c − a)/(b − a): a fifth of the draws fall below the likely value
    assert float((x < c).mean()) == pytest.approx((c - a) / (b - a), abs=0.003)


def test_uniform_draws_have_the_uniform_moments() -> None:
    a, b = 110e6, 140e6
    x = sample_ranges([Range(a, b)], N, seed=4)[:, 0]
    variance = (b - a) ** 2 / 12
    assert a <= x.min() and x.max() <= b
    assert within(x, (a + b) / 2, variance)
    assert float(x.var()) == pytest.approx(variance, rel=0.01)
    assert float((x < a + (b - a) / 4).mean()) == pytest.approx(0.25, abs=0.003)


def test_edge_ranges_stay_within_their_bounds() -> None:
    x = sample_ranges([Range(5, 5), Range(5, 9, 5), Range(5, 9, 9), Range(0, 1)], N, seed=5)
    assert (x[:, 0] == 5).all()  # a range of one value is that value
    assert within(x[:, 1], (5 + 9 + 5) / 3, (25 + 81 + 25 - 45 - 25 - 45) / 18)
    assert within(x[:, 2], (5 + 9 + 9) / 3, (25 + 81 + 81 - 45 - 45 - 81) / 18)
    assert (x[:, 1:3] >= 5).all() and (x[:, 1:3] <= 9).all()
    # each column is its own independent stream of draws: uncorrelated
    assert abs(float(np.corrcoef(x[:, 1], x[:, 3])[0, 1])) < 0.01


# --- the ranks of each draw ------------------------------------------------------------------


@given(
    st.integers(1, 40).flatmap(
        lambda m: st.tuples(
            st.lists(
                st.lists(
                    st.sampled_from([0.0, 1.0, 1.0 + 5e-10, 1.0 + 2e-9, 2.0, 3.5, 7.0]),
                    min_size=m,
                    max_size=m,
                ),
                min_size=1,
                max_size=30,
            ),
            st.integers(0, m + 1),
        )
    )
)
@settings(max_examples=300, deadline=None)
def test_ranks_cut_at_a_limit_are_the_full_ranks_cut(
    problem: tuple[list[list[float]], int],
) -> None:
    # Values a little apart, within and beyond the tolerance, make chains of ties.
    rows, limit = problem
    totals = np.array(rows)
    full = row_ranks(totals)
    cut = row_ranks(totals, limit)
    assert cut.tolist() == np.minimum(full, limit).tolist()


@given(
    st.lists(
        st.lists(
            st.sampled_from([0.0, 1.0, 1.0 + 5e-10, 1.0 + 2e-9, 2.0, 3.5]), min_size=4, max_size=4
        ),
        min_size=1,
        max_size=20,
    )
)
@settings(max_examples=200, deadline=None)
def test_the_ranks_of_a_draw_are_those_of_the_scalar_ranking(rows: list[list[float]]) -> None:
    # One way to rank: a row of drawn totals ranks as `compare` ranks a list of totals.
    assert row_ranks(np.array(rows)).tolist() == [
        [r - 1 for r in competition_ranks(row)] for row in rows
    ]
