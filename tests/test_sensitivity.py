"""Robustness: stability intervals by hand and by brute force, SMAA against exact shares."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.analysis import sensitivity
from evaluator.analysis.sensitivity import (
    Stability,
    analyse,
    criterion_stability,
    moved_weights,
    parse_spread,
    rank_acceptability,
    tipping_point,
    total_lines,
    weight_past,
)
from evaluator.api import compare_files, load_criteria
from evaluator.model.proposal import Proposal
from evaluator.scoring.engine import evaluate
from evaluator.scoring.ranking import TIE_TOLERANCE, competition_ranks
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS
from tests.helpers import criteria_from, offer, unstaged_criteria

Matrix = Sequence[Sequence[float]]


def totals(scores: Matrix, weights: Sequence[float]) -> list[float]:
    return [sum(w * s for w, s in zip(weights, row, strict=True)) for row in scores]


def winner_of(scores: Matrix, weights: Sequence[float]) -> int:
    """Today's winner as `compare` names it: rank 1, first of a tie by position."""
    return competition_ranks(totals(scores, weights)).index(1)


def stability(scores: Matrix, weights: Sequence[float], k: int) -> Stability:
    ids = [f"p{i}" for i in range(len(scores))]
    return criterion_stability(scores, weights, k, winner_of(scores, weights), ids, f"c{k}")


# --- stability intervals, by hand ---------------------------------------------------------

# At weights 0.5/0.5: A = 60, B = 55, C = 50. With w_0 = t (w_1 = 1 - t):
# A = 40 + 40t, B = 60 - 10t, C = 30 + 40t. A meets B at t = 0.4; B meets C at
# t = 0.6; A and C never meet (A stays 10 ahead).
HAND = [[80.0, 40.0], [50.0, 60.0], [70.0, 30.0]]
IDS = ["a", "b", "c"]


def test_moved_weights_keep_the_others_proportions() -> None:
    assert moved_weights([0.5, 0.3, 0.2], 0, 0.0) == pytest.approx([0.0, 0.6, 0.4])
    assert moved_weights([0.5, 0.3, 0.2], 1, 0.65) == pytest.approx([0.25, 0.65, 0.10])
    assert sum(moved_weights([0.1, 0.2, 0.7], 2, 0.33)) == pytest.approx(1.0)


def test_moved_weights_share_equally_when_the_others_are_all_zero() -> None:
    assert moved_weights([1.0, 0.0, 0.0], 0, 0.4) == pytest.approx([0.4, 0.3, 0.3])


def test_total_lines_are_the_totals_along_the_path() -> None:
    weights = [0.5, 0.3, 0.2]
    scores = [[10.0, 80.0, 55.0], [90.0, 20.0, 35.0]]
    for k in range(3):
        lines = total_lines(scores, weights, k)
        for t in (0.0, 0.2, 0.5, 1.0):
            along = totals(scores, moved_weights(weights, k, t))
            assert [a + b * t for a, b in lines] == pytest.approx(along)


def test_winner_and_ranking_intervals_by_hand() -> None:
    s = criterion_stability(HAND, [0.5, 0.5], 0, 0, IDS, "first")
    assert s.weight == 0.5
    assert s.winner == pytest.approx((0.4, 1.0))
    assert s.ranking == pytest.approx((0.4, 0.6))
    assert (s.winner_below, s.winner_above) == ("b", None)
    # Moving the other weight mirrors the first: w_1 = u is w_0 = 1 - u.
    s = criterion_stability(HAND, [0.5, 0.5], 1, 0, IDS, "second")
    assert s.winner == pytest.approx((0.0, 0.6))
    assert s.ranking == pytest.approx((0.4, 0.6))
    assert (s.winner_below, s.winner_above) == (None, "b")


def test_an_interval_is_closed_where_two_proposals_tie() -> None:
    s = criterion_stability(HAND, [0.5, 0.5], 0, 0, IDS)
    assert s.winner is not None
    at_end = totals(HAND, moved_weights([0.5, 0.5], 0, s.winner[0]))
    assert at_end[0] == pytest.approx(at_end[1], abs=1e-9)  # a and b tie at the end point
    assert competition_ranks(at_end)[0] == 1  # and a is still (joint) first there


def test_a_tie_for_first_today_tips_at_once() -> None:
    # a and b tie at 0.5/0.5; a (first by position) wins only while w_0 does not fall.
    scores = [[80.0, 40.0], [40.0, 80.0]]
    s = criterion_stability(scores, [0.5, 0.5], 0, 0, ["a", "b"])
    assert s.winner == pytest.approx((0.5, 1.0))
    assert s.ranking == pytest.approx((0.5, 0.5))
    assert s.winner_below == "b"


def test_identical_proposals_never_change_order() -> None:
    scores = [[80.0, 40.0], [80.0, 40.0], [10.0, 10.0]]
    s = criterion_stability(scores, [0.3, 0.7], 0, 0, ["a", "b", "c"])
    assert s.winner == (0.0, 1.0)
    assert s.ranking == (0.0, 1.0)
    assert tipping_point([s]) is None


def test_the_new_winner_is_the_one_first_just_past_the_end() -> None:
    # Past t = 0.5 both b and c overtake a; c climbs faster, so c leads.
    scores = [[50.0, 50.0], [60.0, 40.0], [70.0, 30.0]]
    s = criterion_stability(scores, [0.4, 0.6], 0, 0, ["a", "b", "c"])
    assert s.winner == pytest.approx((0.0, 0.5))
    assert s.winner_above == "c"


def test_the_tipping_point_is_the_smallest_change() -> None:
    # At 0.7/0.3: A = 68, B = 47.2. With w_0 = t, A = 40 + 40t and B = 64 - 24t meet at
    # t = 0.375 (change 0.325); with w_1 = u, A = 80 - 40u and B = 40 + 24u meet at
    # u = 0.625 (change 0.325 too): a tie goes to the criterion listed first.
    scores = [[80.0, 40.0], [40.0, 64.0]]
    weights = [0.7, 0.3]
    first, second = (
        criterion_stability(scores, weights, k, 0, ["a", "b"], f"c{k}") for k in range(2)
    )
    point = tipping_point([first, second])
    assert point is not None
    assert point.criterion == "c0"
    assert point.to == pytest.approx(0.375)
    assert point.change == pytest.approx(0.325)
    assert second.winner == pytest.approx((0.0, 0.625))
    assert point.new_winner == "b"
    three = [[80.0, 40.0, 50.0], [40.0, 64.0, 50.0], [60.0, 60.0, 20.0]]
    weights = [0.5, 0.3, 0.2]
    points = [stability(three, weights, k) for k in range(3)]
    best = tipping_point(points)
    assert best is not None
    changes = [
        abs(end - s.weight)
        for s in points
        if s.winner is not None
        for end, who in zip(s.winner, (s.winner_below, s.winner_above), strict=True)
        if who is not None
    ]
    assert best.change == pytest.approx(min(changes))


def test_one_criterion_cannot_move() -> None:
    s = criterion_stability([[70.0], [50.0]], [1.0], 0, 0, ["a", "b"])
    assert s.winner == (0.0, 1.0)
    assert s.ranking == (0.0, 1.0)


# --- stability intervals, by brute force --------------------------------------------------


def brute_force_check(scores: Matrix, weights: Sequence[float], steps: int = 4000) -> None:
    """On a fine grid: inside an interval nothing changes, outside it something does."""
    today = competition_ranks(totals(scores, weights))
    winner = today.index(1)
    margin = 1e-6
    for k in range(len(weights)):
        s = stability(scores, weights, k)
        assert s.winner is not None and s.ranking is not None
        for step in range(steps + 1):
            t = step / steps
            ranks = competition_ranks(totals(scores, moved_weights(weights, k, t)))
            if s.winner[0] + margin < t < s.winner[1] - margin:
                assert ranks[winner] == 1, (k, t, s)
            if t < s.winner[0] - margin or t > s.winner[1] + margin:
                assert ranks[winner] != 1, (k, t, s)
            if s.ranking[0] + margin < t < s.ranking[1] - margin:
                assert ranks == today, (k, t, s)
            if t < s.ranking[0] - margin or t > s.ranking[1] + margin:
                assert ranks != today, (k, t, s)


@pytest.mark.parametrize("seed", range(12))
def test_intervals_match_brute_force_on_random_matrices(seed: int) -> None:
    rng = random.Random(seed)
    m, n = rng.randint(2, 6), rng.randint(2, 5)
    scores = [[rng.uniform(0, 100) for _ in range(n)] for _ in range(m)]
    raw = [rng.uniform(0.05, 1) for _ in range(n)]
    weights = [w / sum(raw) for w in raw]
    brute_force_check(scores, weights, steps=2000)


def test_intervals_match_brute_force_on_the_samples() -> None:
    comparison = compare_files([PROPOSALS], load_criteria(DEFAULT_CRITERIA))
    eligible = [e for e in comparison.evaluations if e.eligible]
    scores = [[c.score for c in e.criteria] for e in eligible]
    brute_force_check(scores, list(comparison.weights.values()), steps=10000)


def test_the_sample_tipping_point_tips_the_real_comparison() -> None:
    criteria = load_criteria(DEFAULT_CRITERIA)
    comparison = compare_files([PROPOSALS], criteria)
    result = analyse(comparison)
    point = result.tipping_point
    assert comparison.winner is not None and result.winner == comparison.winner.id
    assert point is not None and 0 < point.to < 1
    step = 1e-4 if point.to > point.weight else -1e-4
    # A what-if weight is a percentage of the total, the others keeping their proportions:
    # the very move the stability intervals make.
    past = compare_files([PROPOSALS], criteria, weights={point.criterion: 100 * (point.to + step)})
    before = compare_files(
        [PROPOSALS], criteria, weights={point.criterion: 100 * (point.to - step)}
    )
    assert past.winner is not None and past.winner.id == point.new_winner
    assert before.winner is not None and before.winner.id == result.winner


# --- stability intervals, properties ------------------------------------------------------

score = st.integers(0, 1000).map(lambda x: x / 10)
problems = st.integers(2, 5).flatmap(
    lambda n: st.tuples(
        st.lists(st.lists(score, min_size=n, max_size=n), min_size=1, max_size=6),
        st.lists(st.integers(0, 20), min_size=n, max_size=n).filter(lambda w: sum(w) > 0),
    )
)


def normalised(raw: Sequence[int]) -> list[float]:
    return [w / sum(raw) for w in raw]


@given(problems)
@settings(max_examples=200, deadline=None)
def test_intervals_contain_todays_weight(problem: tuple[list[list[float]], list[int]]) -> None:
    scores, raw = problem
    weights = normalised(raw)
    for k in range(len(weights)):
        s = stability(scores, weights, k)
        assert s.winner is not None and s.ranking is not None
        assert 0 <= s.winner[0] <= weights[k] <= s.winner[1] <= 1
        # The ranking holding means the winner holds: its interval lies inside.
        assert s.winner[0] <= s.ranking[0] <= weights[k] <= s.ranking[1] <= s.winner[1]


@given(problems)
@settings(max_examples=60, deadline=None)
def test_intervals_match_brute_force_with_ties(
    problem: tuple[list[list[float]], list[int]],
) -> None:
    # Scores in tenths and integer weights make exact ties and zero weights common.
    scores, raw = problem
    brute_force_check(scores, normalised(raw), steps=300)


@given(problems)
@settings(max_examples=200, deadline=None)
def test_the_weight_past_a_tipping_point_makes_the_new_winner_lead(
    problem: tuple[list[list[float]], list[int]],
) -> None:
    scores, raw = problem
    weights = normalised(raw)
    ids = [f"p{i}" for i in range(len(scores))]
    tip = tipping_point(stability(scores, weights, k) for k in range(len(weights)))
    if tip is None:
        return
    k = int(tip.criterion[1:])
    up = tip.to > tip.weight
    past = weight_past(scores, weights, k, tip.to, up, ids.index(tip.new_winner))
    if past is None:  # no figure of at most six decimals of a percent leads outright
        return
    assert (past > tip.to) if up else (past < tip.to)
    assert round(past * 100, 4) == past * 100 or math.isclose(past * 100, round(past * 100, 4))
    totals = [a + b * past for a, b in total_lines(scores, weights, k)]
    leader = ids.index(tip.new_winner)
    assert all(totals[leader] > x for j, x in enumerate(totals) if j != leader)


@given(problems, st.sampled_from([0.25, 0.5, 2.0, 4.0]), st.integers(-20, 20))
@settings(max_examples=200, deadline=None)
def test_rescaling_scores_changes_no_interval(
    problem: tuple[list[list[float]], list[int]], factor: float, shift: int
) -> None:
    scores, raw = problem
    weights = normalised(raw)
    changed = [[x * factor + shift for x in row] for row in scores]
    for k in range(len(weights)):
        before, after = stability(scores, weights, k), stability(changed, weights, k)
        assert before.winner is not None and after.winner is not None
        assert before.ranking is not None and after.ranking is not None
        for x, y in zip(before.winner + before.ranking, after.winner + after.ranking, strict=True):
            assert math.isclose(x, y, abs_tol=1e-6)
        assert (before.winner_below, before.winner_above) == (
            after.winner_below,
            after.winner_above,
        )


# --- the ranking interval: neighbours only, against every pair --------------------------------


def reference_holds(
    alpha: float, beta: float, lo: float, hi: float, at: float
) -> tuple[float, float]:
    """`_holds` as first written: shrink [lo, hi] to where α + β·t has not turned negative."""
    if min(alpha, alpha + beta) >= -TIE_TOLERANCE:
        return lo, hi
    crossing = -alpha / beta
    if beta > 0:
        return max(lo, min(at, crossing)), hi
    return lo, min(hi, max(at, crossing))


def reference_ranking(scores: Matrix, weights: Sequence[float], k: int) -> tuple[float, float]:
    """The ranking interval as first computed, from every pair of proposals: O(m²)."""
    at = weights[k]
    lines = total_lines(scores, weights, k)
    today = [a + b * at for a, b in lines]
    lo, hi = 0.0, 1.0
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            alpha, beta = lines[i][0] - lines[j][0], lines[i][1] - lines[j][1]
            gap = today[i] - today[j]
            if gap < -TIE_TOLERANCE:
                alpha, beta = -alpha, -beta
            lo, hi = reference_holds(alpha, beta, lo, hi, at)
            if abs(gap) <= TIE_TOLERANCE:  # tied today: a tie that breaks changes the ranking
                lo, hi = reference_holds(-alpha, -beta, lo, hi, at)
    return lo, hi


def assert_same_ranking_interval(scores: Matrix, weights: Sequence[float]) -> None:
    for k in range(len(weights)):
        s = stability(scores, weights, k)
        assert s.ranking is not None
        expected = reference_ranking(scores, weights, k)
        assert s.ranking == pytest.approx(expected, abs=1e-9), (k, s.ranking, expected)


# Proposals drawn from a small pool of rows, so that identical proposals, and proposals
# tied today but not along the path, are common; scores in tenths and integer weights make
# exact ties at 0, at 1 and at crossings common too.
pooled = st.integers(2, 5).flatmap(
    lambda n: st.tuples(
        st.lists(st.lists(score, min_size=n, max_size=n), min_size=1, max_size=4),
        st.lists(st.integers(0, 3), min_size=1, max_size=14),
        st.lists(st.integers(0, 20), min_size=n, max_size=n).filter(lambda w: sum(w) > 0),
    )
)


@given(pooled, st.booleans())
@settings(max_examples=400, deadline=None)
def test_the_ranking_interval_from_neighbours_is_the_one_from_every_pair(
    problem: tuple[list[list[float]], list[int], list[int]], noisy: bool
) -> None:
    pool, picks, raw = problem
    scores = [list(pool[p % len(pool)]) for p in picks]
    if noisy:  # float noise far below the tolerance: ties must still be ties
        rng = random.Random(len(picks))
        scores = [[x + rng.uniform(-1e-12, 1e-12) for x in row] for row in scores]
    assert_same_ranking_interval(scores, normalised(raw))


@given(problems)
@settings(max_examples=200, deadline=None)
def test_the_ranking_interval_matches_every_pair_on_small_problems(
    problem: tuple[list[list[float]], list[int]],
) -> None:
    scores, raw = problem
    assert_same_ranking_interval(scores, normalised(raw))


@pytest.mark.parametrize("seed", range(6))
def test_the_ranking_interval_matches_every_pair_on_large_problems(seed: int) -> None:
    rng = random.Random(seed)
    m, n = rng.choice([50, 200, 400]), rng.randint(2, 6)
    pool = [
        [round(rng.uniform(0, 100), rng.choice([0, 1, 6])) for _ in range(n)]
        for _ in range(m // rng.choice([1, 2, 5]))
    ]
    scores = [list(rng.choice(pool)) for _ in range(m)]
    raw = [rng.randint(0, 10) for _ in range(n - 1)] + [rng.randint(1, 10)]
    assert_same_ranking_interval(scores, normalised(raw))


def test_the_ranking_interval_looks_at_neighbours_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every pair is m(m − 1)/2 pairs per criterion: 10,000 proposals took minutes.
    calls = 0
    holds = sensitivity._holds

    def counted(*args: float) -> tuple[float, float]:
        nonlocal calls
        calls += 1
        return holds(*args)

    monkeypatch.setattr(sensitivity, "_holds", counted)
    rng = random.Random(4)
    m, weights = 600, [0.3, 0.3, 0.2, 0.2]
    scores = [[rng.uniform(0, 100) for _ in weights] for _ in range(m)]
    for k in range(len(weights)):
        stability(scores, weights, k)
    assert calls <= len(weights) * 5 * m  # every pair would be 4 × 179,700


# --- rank acceptability (SMAA-2) ----------------------------------------------------------


def test_a_dominating_proposal_always_ranks_first() -> None:
    scores = [[90.0, 80.0, 70.0], [60.0, 80.0, 10.0], [50.0, 20.0, 65.0]]
    for spread in (None, 0.25, 1.0):
        shares, central = rank_acceptability(scores, [0.5, 0.3, 0.2], 5000, 3, spread)
        assert shares[0] == [1.0, 0.0, 0.0]
        assert central[1] is None and central[2] is None
    # Under uniform weights its central weights are the centre of the simplex, 1/3 each.
    shares, central = rank_acceptability(scores, [0.5, 0.3, 0.2], 20_000, 3, None)
    assert central[0] == pytest.approx([1 / 3] * 3, abs=0.01)


def test_proposals_symmetric_under_the_draws_share_first_place_evenly() -> None:
    scores = [[100.0, 0.0], [0.0, 100.0]]
    for spread in (None, 0.25, 0.9):
        shares, _ = rank_acceptability(scores, [0.5, 0.5], 40_000, 1, spread)
        # Standard error sqrt(0.25 / 40000) = 0.0025: allow four of them.
        assert shares[0][0] == pytest.approx(0.5, abs=0.01)
        assert shares[1] == pytest.approx([shares[0][1], shares[0][0]])


def test_uniform_weights_match_the_exact_share() -> None:
    # A wins iff 100 w_0 > 50, and w_0 ~ Beta(1, 2) under Dirichlet(1, 1, 1):
    # P(w_0 > 1/2) = (1 - 1/2)^2 = 1/4.
    shares, _ = rank_acceptability(
        [[100.0, 0.0, 0.0], [50.0, 50.0, 50.0]], [0.2, 0.3, 0.5], 100_000, 7, None
    )
    assert shares[0][0] == pytest.approx(0.25, abs=0.006)  # 4.4 standard errors


def test_a_spread_matches_the_exact_share() -> None:
    # Weights 0.6/0.4 with spread 0.5: w_0 ~ U[0.3, 0.9], w_1 ~ U[0.2, 0.6], and A
    # (100, 0) beats B (0, 100) iff w_0 > w_1. P(w_0 <= w_1) = ∫_0.3^0.6 (y - 0.3)/0.6
    # dy / 0.4 = 0.045 / 0.24 = 0.1875.
    shares, central = rank_acceptability([[100.0, 0.0], [0.0, 100.0]], [0.6, 0.4], 100_000, 11, 0.5)
    assert shares[0][0] == pytest.approx(0.8125, abs=0.005)
    assert shares[1][0] == pytest.approx(0.1875, abs=0.005)
    assert central[1] is not None and central[1][1] > central[1][0] * 0.9


def test_two_criteria_uniform_acceptability_is_the_winner_interval() -> None:
    # With two criteria, w_0 ~ U[0, 1] covers every weighting: the winner's share of
    # first place is the length of its winner interval.
    rng = random.Random(5)
    for _ in range(5):
        scores = [[rng.uniform(0, 100), rng.uniform(0, 100)] for _ in range(4)]
        s = stability(scores, [0.5, 0.5], 0)
        shares, _ = rank_acceptability(scores, [0.5, 0.5], 100_000, 2, None)
        assert s.winner is not None
        winner = winner_of(scores, [0.5, 0.5])
        assert shares[winner][0] == pytest.approx(s.winner[1] - s.winner[0], abs=0.007)


def test_no_spread_gives_todays_ranks_and_weights() -> None:
    scores = [[90.0, 20.0], [50.0, 60.0], [10.0, 95.0]]
    shares, central = rank_acceptability(scores, [0.4, 0.6], 100, 0, 0.0)
    assert shares == [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    assert central[2] == pytest.approx([0.4, 0.6])


def test_ties_in_a_draw_share_the_better_rank() -> None:
    shares, central = rank_acceptability(
        [[70.0, 30.0], [70.0, 30.0], [10.0, 10.0]], [0.5, 0.5], 1000, 0, None
    )
    assert shares == [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    assert central[0] == central[1]


def test_same_seed_same_result_whatever_the_chunk_size() -> None:
    rng = random.Random(9)
    scores = [[rng.uniform(0, 100) for _ in range(4)] for _ in range(6)]
    weights = [0.4, 0.3, 0.2, 0.1]
    whole = rank_acceptability(scores, weights, 3001, 42, 0.3)
    chunked = rank_acceptability(scores, weights, 3001, 42, 0.3, chunk=7)
    assert whole[0] == chunked[0]
    for a, b in zip(whole[1], chunked[1], strict=True):
        assert (a is None) == (b is None)
        if a is not None and b is not None:
            assert a == pytest.approx(b, rel=1e-12)
    assert rank_acceptability(scores, weights, 3001, 42, 0.3) == whole
    assert rank_acceptability(scores, weights, 3001, 43, 0.3)[0] != whole[0]
    full = rank_acceptability(scores, weights, 3001, 42, None)
    assert full[0] == rank_acceptability(scores, weights, 3001, 42, None, chunk=100)[0]


@given(problems, st.sampled_from([None, 0.0, 0.25, 1.0]), st.integers(0, 2**32))
@settings(max_examples=60, deadline=None)
def test_acceptability_rows_sum_to_one(
    problem: tuple[list[list[float]], list[int]], spread: float | None, seed: int
) -> None:
    scores, raw = problem
    shares, central = rank_acceptability(scores, normalised(raw), 200, seed, spread)
    assert len(shares) == len(scores)
    for row, weights in zip(shares, central, strict=True):
        assert len(row) == len(scores)
        assert sum(row) == pytest.approx(1.0)
        assert all(0 <= x <= 1 for x in row)
        assert (weights is None) == (row[0] == 0)
        if weights is not None:
            assert sum(weights) == pytest.approx(1.0)
    assert sum(row[0] for row in shares) >= 1 - 1e-12  # every draw has a first


def test_spread_text() -> None:
    assert parse_spread("full") is None
    assert parse_spread("0.1") == 0.1
    assert parse_spread("1") == 1.0
    for bad in ("-0.1", "1.5", "nan", "wide", ""):
        with pytest.raises(Exception, match="--spread"):
            parse_spread(bad)


# --- the whole analysis -------------------------------------------------------------------


def test_analyse_leaves_out_ineligible_proposals() -> None:
    comparison = compare_files([PROPOSALS], load_criteria(DEFAULT_CRITERIA))
    result = analyse(comparison, samples=500)
    eligible = [e.id for e in comparison.evaluations if e.eligible]
    assert [e.id for e in result.proposals] == eligible
    assert "direct-offer" in [e.id for e in result.excluded]  # the sample made to fail a gate
    assert list(result.acceptability.shares) == eligible
    assert all(len(row) == len(eligible) for row in result.acceptability.shares.values())
    assert list(result.stability) == [c.id for c in comparison.criteria.criteria]


TWO = """\
id: two
currency: MYR
criteria:
  - {id: cost, weight: 3, field: pricing.acquisition_cost,
     rule: {type: linear, best: 0, worst: 100}}
  - {id: depth, weight: 1, field: technology_transfer.local_content_pct,
     rule: {type: linear, best: 100, worst: 0}}
gates:
  - {id: open, field: g2g.intermediaries, require: {in: [none]}}
"""


def two_offers(*offers: tuple[str, int, int, str]) -> list[Proposal]:
    return [
        offer(
            name,
            pricing__unit_price=cost,
            pricing__quantity=1,
            pricing__currency="MYR",
            technology_transfer__local_content_pct=local,
            g2g__intermediaries=middlemen,
        )
        for name, cost, local, middlemen in offers
    ]


def test_analyse_with_one_eligible_proposal() -> None:
    criteria = criteria_from(TWO)
    result = analyse(
        evaluate(two_offers(("a", 50, 50, "none"), ("b", 10, 90, "undisclosed")), criteria),
        samples=100,
    )
    assert result.winner == "a"
    assert result.tipping_point is None
    assert result.stability["cost"].winner == (0.0, 1.0)
    assert result.acceptability.shares == {"a": [1.0]}
    assert [e.id for e in result.excluded] == ["b"]


def test_analyse_with_no_eligible_proposal() -> None:
    criteria = criteria_from(TWO)
    result = analyse(evaluate(two_offers(("b", 10, 90, "undisclosed")), criteria), samples=100)
    assert result.winner is None
    assert result.stability["cost"].winner is None
    assert result.acceptability.shares == {}
    assert result.tipping_point is None


def test_analyse_needs_weighted_sum_totals() -> None:
    comparison = compare_files([PROPOSALS], load_criteria(DEFAULT_CRITERIA))
    comparison.method = "topsis"
    with pytest.raises(ValueError, match="wsm"):
        analyse(comparison)


# --- many proposals: memory linear in their number --------------------------------------------


def many_offers(count: int, seed: int = 1) -> list[Proposal]:
    """`count` eligible offers with whole-number figures: many tie on one criterion or both."""
    rng = random.Random(seed)
    return two_offers(
        *((f"p{i:04d}", rng.randint(1, 99), rng.randint(0, 100), "none") for i in range(count))
    )


def test_many_proposals_list_the_first_ranks_and_the_share_of_the_rest() -> None:
    import tracemalloc

    comparison = evaluate(many_offers(1500), criteria_from(TWO))
    tracemalloc.start()
    result = analyse(comparison, samples=100)  # a chunk of 100 draws × 1,500: 1.1 MiB an array
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # Every rank of 1,500 proposals is 2.25 million shares (and twice as many counts);
    # the first ten ranks and the rest are 16,500.
    assert peak < 16 * 2**20, f"{peak / 2**20:.1f} MiB"
    a = result.acceptability
    assert a.rest is not None and list(a.rest) == list(a.shares)
    scores = [[c.score for c in e.criteria] for e in result.proposals]
    every, central = rank_acceptability(scores, list(comparison.weights.values()), 100)
    for (ident, row), full in zip(a.shares.items(), every, strict=True):
        assert row == full[:10]  # the same draws, the same counts
        assert a.rest[ident] == pytest.approx(sum(full[10:]), abs=1e-12)
        assert sum(row) + a.rest[ident] == pytest.approx(1.0)
    assert [None if w is None else list(w.values()) for w in a.central_weights.values()] == central


def test_ranks_chooses_how_many_ranks_are_listed(tmp_path: Path) -> None:
    # One weighted evaluation of the samples (compare_files runs no stages): two eligible,
    # south-korea and italy (direct-offer and turkiye each fail a gate).
    comparison = compare_files([PROPOSALS], load_criteria(unstaged_criteria(tmp_path)))
    every = analyse(comparison, samples=500)
    assert list(every.acceptability.shares) == ["south-korea", "italy"]
    assert every.acceptability.rest is None  # two eligible proposals: every rank
    one = analyse(comparison, samples=500, ranks=1)
    assert one.acceptability.rest is not None
    for ident, row in every.acceptability.shares.items():
        assert one.acceptability.shares[ident] == row[:1]
        assert one.acceptability.rest[ident] == pytest.approx(row[1])
    assert analyse(comparison, samples=500, ranks=2).acceptability == every.acceptability
    assert analyse(comparison, samples=500, ranks=50).acceptability == every.acceptability
    # Up to 100 eligible proposals every rank is listed by default; beyond, the first ten.
    assert [sensitivity.listed_ranks(m) for m in (0, 3, 100, 101, 10_000)] == [0, 3, 100, 10, 10]
