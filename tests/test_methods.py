"""Aggregation methods: published worked examples, edge cases, and pymcdm on random matrices."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.api import load_criteria, load_proposals
from evaluator.errors import CriteriaError, UsageError
from evaluator.model.criteria import Preference
from evaluator.render.text.notes import notes_text
from evaluator.scoring.engine import evaluate
from evaluator.scoring.mcda import kendall_tau_b, promethee, topsis, totals, wsm
from evaluator.scoring.methods import decision_matrix
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS
from tests.helpers import criteria_from, offer

# --- TOPSIS: the fighter-aircraft example -----------------------------------------------
# Hwang, C. L. & Yoon, K. (1981), Multiple Attribute Decision Making: Methods and
# Applications, Springer, the fighter-aircraft example (widely reproduced, e.g. Yoon &
# Hwang 1995, Sage): four aircraft on maximum speed (Mach), ferry range (NM), maximum
# payload (lb), acquisition cost ($10^6, lower is better), reliability and manoeuvrability
# (on the 1-3-5-7-9 interval scale), weights (0.2, 0.1, 0.1, 0.1, 0.2, 0.3).
AIRCRAFT = [
    [2.0, 1500, 20000, 5.5, 5, 9],
    [2.5, 2700, 18000, 6.5, 3, 5],
    [1.8, 2000, 21000, 4.5, 7, 7],
    [2.2, 1800, 20000, 5.0, 5, 5],
]
AIRCRAFT_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
AIRCRAFT_DIRECTIONS = ["max", "max", "max", "min", "max", "max"]
# The relative closeness C* published for A1..A4 (vector normalisation), ranking A1 A3 A4 A2.
AIRCRAFT_CLOSENESS = [0.643, 0.268, 0.614, 0.312]


def test_topsis_reproduces_the_fighter_aircraft_example() -> None:
    closeness = [t / 100 for t in topsis(AIRCRAFT, AIRCRAFT_WEIGHTS, AIRCRAFT_DIRECTIONS)]
    assert closeness == pytest.approx(AIRCRAFT_CLOSENESS, abs=5e-4)
    assert sorted(range(4), key=lambda i: -closeness[i]) == [0, 2, 3, 1]


# --- PROMETHEE II: the six-alternative example of Brans & Mareschal ----------------------
# Brans, J.-P. & Mareschal, B. (2005), "PROMETHEE methods", ch. 5 of Figueira, Greco &
# Ehrgott (eds.), Multiple Criteria Decision Analysis: State of the Art Surveys, Springer:
# six actions on six criteria (f1, f3, f4, f5 minimised), equal weights, one preference
# function per criterion: f1 U-shape (q 10), f2 V-shape (p 30), f3 linear (q 0.5, p 5),
# f4 level (q 1, p 6), f5 usual, f6 Gaussian (s 5). The chapter publishes the preference
# indices π(a, b) below (3 decimals); net flows follow as (Σ_b π(a,b) − Σ_b π(b,a)) / 5.
PLANTS = np.array(
    [
        [80, 90, 6, 5.4, 8, 5],
        [65, 58, 2, 9.7, 1, 1],
        [83, 60, 4, 7.2, 4, 7],
        [40, 80, 10, 7.5, 7, 10],
        [52, 72, 6, 2.0, 3, 8],
        [94, 96, 7, 3.6, 5, 6],
    ]
)
PLANT_DIRECTIONS = ["min", "max", "min", "min", "min", "max"]
PUBLISHED_PI = np.array(
    [
        [0.000, 0.296, 0.250, 0.268, 0.100, 0.185],
        [0.462, 0.000, 0.389, 0.333, 0.296, 0.500],
        [0.236, 0.180, 0.000, 0.333, 0.056, 0.429],
        [0.399, 0.505, 0.305, 0.000, 0.223, 0.212],
        [0.444, 0.515, 0.487, 0.380, 0.000, 0.448],
        [0.286, 0.399, 0.250, 0.432, 0.133, 0.000],
    ]
)


def _unicriterion_flow(column: np.ndarray, direction: str, degree) -> np.ndarray:  # type: ignore[no-untyped-def]
    """φ_j for a preference function evaluator does not offer, straight from the chapter."""
    sign = 1 if direction == "max" else -1
    d = sign * (column[:, None] - column[None, :])
    p = np.vectorize(degree)(d)
    np.fill_diagonal(p, 0)
    return np.asarray((p.sum(axis=1) - p.sum(axis=0)) / (len(column) - 1))


def test_promethee_reproduces_the_published_power_plant_flows() -> None:
    published = (PUBLISHED_PI.sum(axis=1) - PUBLISHED_PI.sum(axis=0)) / 5
    # The net flow is additive over criteria (φ = Σ w_j φ_j): evaluator computes the
    # criteria whose functions it offers (V-shape is linear with q = 0) ...
    ours = [
        t / 100
        for t in promethee(
            PLANTS[:, [1, 2, 4]].tolist(),
            [1 / 6] * 3,
            [PLANT_DIRECTIONS[j] for j in (1, 2, 4)],
            [Preference("linear", 0, 30), Preference("linear", 0.5, 5), Preference()],
        )
    ]
    # ... and the test adds the U-shape, level and Gaussian criteria by their definitions.
    others = (
        _unicriterion_flow(PLANTS[:, 0], "min", lambda d: float(d > 10))
        + _unicriterion_flow(
            PLANTS[:, 3], "min", lambda d: 0.0 if d <= 1 else 0.5 if d <= 6 else 1.0
        )
        + _unicriterion_flow(
            PLANTS[:, 5], "max", lambda d: 1 - math.exp(-d * d / 50) if d > 0 else 0.0
        )
    ) / 6
    assert np.array(ours) + others == pytest.approx(published, abs=2e-3)
    # PROMETHEE II ranking of the chapter: a5, a2, a4, a6, a3, a1.
    assert list(np.argsort(-(np.array(ours) + others))) == [4, 1, 3, 5, 2, 0]


def test_promethee_usual_flow_counts_wins_and_losses() -> None:
    # With the usual function each criterion casts a vote per pair: φ = Σ w (wins − losses)/(m−1).
    matrix = [[3, 1], [2, 2], [1, 3]]
    assert promethee(matrix, [0.75, 0.25], ["max", "max"]) == pytest.approx(
        [100 * (0.75 * 2 - 0.25 * 2) / 2, 0.0, 100 * (0.25 * 2 - 0.75 * 2) / 2]
    )


def test_linear_preference_degree() -> None:
    linear = Preference("linear", q=1, p=3)
    assert [linear.degree(d) for d in (-5, 0, 1, 2, 3, 10)] == [0, 0, 0, 0.5, 1, 1]
    assert [Preference().degree(d) for d in (-1, 0, 1e-9)] == [0, 0, 1]


# --- Edge cases ---------------------------------------------------------------------------


def test_a_zero_column_stays_zero_and_changes_nothing() -> None:
    matrix = [[10, 0, 3], [20, 0, 1], [15, 0, 2]]
    with_zero = topsis(matrix, [0.5, 0.2, 0.3], ["max"] * 3)
    without = topsis([[r[0], r[2]] for r in matrix], [0.5, 0.3], ["max"] * 2)
    assert with_zero == pytest.approx(without)
    assert all(math.isfinite(t) for t in with_zero)


def test_identical_proposals_tie_under_every_method() -> None:
    matrix = [[40, 70], [40, 70], [40, 70]]
    assert topsis(matrix, [0.5, 0.5], ["max", "max"]) == [50.0, 50.0, 50.0]
    assert promethee(matrix, [0.5, 0.5], ["max", "max"]) == [0.0, 0.0, 0.0]


def test_two_identical_rows_among_others_share_a_total() -> None:
    matrix = [[40, 70], [60, 20], [40, 70]]
    for result in (
        topsis(matrix, [0.6, 0.4], ["max", "min"]),
        promethee(matrix, [0.6, 0.4], ["max", "min"]),
    ):
        assert result[0] == result[2]


def test_one_proposal_has_nothing_to_compare_with() -> None:
    assert topsis([[30, 80]], [0.5, 0.5], ["max", "max"]) == [50.0]
    assert promethee([[30, 80]], [0.5, 0.5], ["max", "max"]) == [0.0]


def test_rows_outside_the_pool_are_scored_against_it_without_moving_it() -> None:
    pool_rows = [[50, 60, 2], [70, 40, 5], [60, 55, 3]]
    outsider = [90, 90, 1]  # better than the pool everywhere
    matrix = [*pool_rows, outsider]
    weights, directions = [0.4, 0.4, 0.2], ["max", "max", "min"]
    for method in (topsis, promethee):
        inside = method(pool_rows, weights, directions)
        alongside = method(matrix, weights, directions, pool=[0, 1, 2])
        assert alongside[:3] == pytest.approx(inside)
    # The outsider beats every pool member on every criterion: φ = 100, closeness 100.
    assert promethee(matrix, weights, directions, pool=[0, 1, 2])[3] == pytest.approx(100)
    assert topsis(matrix, weights, directions, pool=[0, 1, 2])[3] == pytest.approx(100)
    # One worse than the pool everywhere sits at the anti-ideal: closeness 0.
    assert topsis([*pool_rows, [10, 10, 9]], weights, directions, pool=[0, 1, 2])[3] == 0


def test_wsm_refuses_a_column_that_is_not_a_score() -> None:
    with pytest.raises(ValueError, match="0-100"):
        wsm([[1, 2]], [0.5, 0.5], ["max", "min"])


@given(
    st.lists(st.lists(st.floats(0, 100), min_size=3, max_size=3), min_size=2, max_size=6),
    st.lists(st.floats(0.01, 1), min_size=3, max_size=3),
)
def test_totals_stay_in_range_and_follow_row_order(
    rows: list[list[float]], raw_weights: list[float]
) -> None:
    weights = [w / sum(raw_weights) for w in raw_weights]
    directions = ["max", "min", "max"]
    for method, low, high in ((topsis, 0, 100), (promethee, -100, 100)):
        result = method(rows, weights, directions)
        assert all(low - 1e-9 <= t <= high + 1e-9 for t in result)
        assert method(rows[::-1], weights, directions) == pytest.approx(result[::-1])


# --- Against an independent implementation (pymcdm) ---------------------------------------


def _random_problem(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    m, n = rng.integers(3, 9), rng.integers(2, 7)
    matrix = rng.uniform(1, 100, size=(m, n))
    weights = rng.uniform(0.05, 1, size=n)
    types = rng.choice([1, -1], size=n)
    return matrix, weights / weights.sum(), types


def _directions(types: np.ndarray) -> list[str]:
    return ["max" if t == 1 else "min" for t in types]


def _same_order(ours: list[float], theirs: np.ndarray) -> bool:
    return bool(
        np.array_equal(
            np.argsort(-np.array(ours), kind="stable"), np.argsort(-theirs, kind="stable")
        )
    )


@pytest.mark.parametrize("seed", range(25))
def test_topsis_agrees_with_pymcdm_vector_normalisation(seed: int) -> None:
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    matrix, weights, types = _random_problem(seed)
    theirs = TOPSIS(vector_normalization)(matrix, weights, types)
    ours = topsis(matrix.tolist(), weights.tolist(), _directions(types))
    assert np.array(ours) / 100 == pytest.approx(theirs, abs=1e-9)
    assert _same_order(ours, theirs)


@pytest.mark.parametrize("seed", range(25))
def test_promethee_usual_agrees_with_pymcdm(seed: int) -> None:
    from pymcdm.methods import PROMETHEE_II

    matrix, weights, types = _random_problem(seed)
    theirs = PROMETHEE_II("usual")(matrix, weights, types)
    ours = promethee(matrix.tolist(), weights.tolist(), _directions(types))
    assert np.array(ours) / 100 == pytest.approx(theirs, abs=1e-9)
    assert _same_order(ours, theirs)


@pytest.mark.parametrize("seed", range(25))
def test_promethee_linear_agrees_with_pymcdm(seed: int) -> None:
    from pymcdm.methods import PROMETHEE_II

    matrix, weights, types = _random_problem(seed)
    rng = np.random.default_rng(1000 + seed)
    q = rng.uniform(0, 20, size=len(weights))
    p = q + rng.uniform(1, 40, size=len(weights))
    # pymcdm's "vshape_2" is the V-shape with indifference: Brans' linear criterion.
    theirs = PROMETHEE_II("vshape_2", p=p, q=q)(matrix, weights, types)
    ours = promethee(
        matrix.tolist(),
        weights.tolist(),
        _directions(types),
        [Preference("linear", float(a), float(b)) for a, b in zip(q, p, strict=True)],
    )
    assert np.array(ours) / 100 == pytest.approx(theirs, abs=1e-9)
    assert _same_order(ours, theirs)


@pytest.mark.parametrize("seed", range(25))
def test_kendall_tau_b_agrees_with_scipy(seed: int) -> None:
    from scipy.stats import kendalltau

    rng = np.random.default_rng(seed)
    size = int(rng.integers(3, 10))
    x, y = rng.integers(1, 4, size=size), rng.integers(1, 5, size=size)  # with ties
    expected = kendalltau(x, y).statistic  # tau-b by default
    ours = kendall_tau_b(x.tolist(), y.tolist())
    if math.isnan(expected):
        assert ours is None
    else:
        assert ours == pytest.approx(expected)


def test_kendall_tau_b_extremes() -> None:
    assert kendall_tau_b([1, 2, 3], [1, 2, 3]) == 1
    assert kendall_tau_b([1, 2, 3], [3, 2, 1]) == -1
    assert kendall_tau_b([1, 1, 1], [1, 2, 3]) is None
    assert kendall_tau_b([1], [1]) is None


# --- The decision matrix and --method on the samples ---------------------------------------


@pytest.fixture(scope="module")
def batch():  # type: ignore[no-untyped-def]
    loaded = load_proposals([PROPOSALS])
    assert loaded.errors == []
    return loaded.proposals


@pytest.fixture(scope="module")
def criteria():  # type: ignore[no-untyped-def]
    return load_criteria(DEFAULT_CRITERIA)


def test_the_decision_matrix_of_the_samples(batch, criteria) -> None:  # type: ignore[no-untyped-def]
    comparison = evaluate(batch, criteria)
    matrix = decision_matrix(comparison)
    assert matrix.proposals == tuple(e.id for e in comparison.evaluations)
    assert len(matrix.columns) == len(criteria.leaves())
    assert sum(matrix.weights) == pytest.approx(1)
    italy = comparison.evaluations[matrix.proposals.index("italy")]
    transfer = next(c for c in italy.criteria if c.id == "technology_transfer")
    cell = matrix.rows[matrix.proposals.index("italy")][
        [c.name for c in matrix.columns].index("technology_transfer.transfer_level")
    ]
    assert cell == pytest.approx(transfer.leaves[0].score * transfer.credibility_factor)
    assert transfer.credibility_factor < 1  # the example really exercises credibility
    # The weighted sum of the matrix is the scoring engine's total.
    assert totals(matrix, "wsm") == pytest.approx([e.total for e in comparison.evaluations])
    # The pool is the eligible proposals.
    assert [matrix.proposals[i] for i in matrix.pool] == [
        e.id for e in comparison.evaluations if e.eligible
    ]


@pytest.mark.parametrize("method", ["topsis", "promethee"])
def test_method_replaces_totals_and_ranks(batch, criteria, method) -> None:  # type: ignore[no-untyped-def]
    base = evaluate(batch, criteria)
    matrix = decision_matrix(base)
    expected = dict(zip(matrix.proposals, totals(matrix, method), strict=True))
    comparison = evaluate(batch, criteria, method=method)
    assert comparison.method == method
    assert {e.id: e.total for e in comparison.evaluations} == pytest.approx(expected)
    ranked = [e for e in comparison.evaluations if e.rank is not None]
    assert [e.total for e in ranked] == sorted((e.total for e in ranked), reverse=True)
    assert [e.rank for e in ranked] == list(range(1, len(ranked) + 1))
    assert all(e.rank is None for e in comparison.evaluations if not e.eligible)
    assert comparison.evaluations[-1].eligible is False  # ineligible ones come last
    assert any("relative to the proposals compared" in n for n in notes_text(comparison.notes))


def test_method_all_keeps_the_files_method_and_adds_each(batch, criteria) -> None:  # type: ignore[no-untyped-def]
    single = {m: evaluate(batch, criteria, method=m) for m in ("wsm", "topsis", "promethee")}
    comparison = evaluate(batch, criteria, method="all")
    assert comparison.method == criteria.method == "wsm"
    for e in comparison.evaluations:
        wsm_e = next(x for x in single["wsm"].evaluations if x.id == e.id)
        assert (e.total, e.rank) == (wsm_e.total, wsm_e.rank)
        assert list(e.methods) == ["wsm", "topsis", "promethee"]
        for name, (total, rank) in e.methods.items():
            other = next(x for x in single[name].evaluations if x.id == e.id)
            assert total == pytest.approx(other.total)
            assert rank == other.rank
    assert comparison.kendall_tau is not None
    assert set(comparison.kendall_tau) == {"wsm-topsis", "wsm-promethee", "topsis-promethee"}
    eligible = [e for e in comparison.evaluations if e.eligible]
    for pair, tau in comparison.kendall_tau.items():
        a, b = pair.split("-")
        assert tau == pytest.approx(
            kendall_tau_b([e.methods[a][1] for e in eligible], [e.methods[b][1] for e in eligible])
        )


RAW = """\
id: raw
currency: MYR
method: {method}
criteria:
  - id: range
    weight: 1
    field: technical.range_nm
    rule: {{type: raw, direction: max}}
    preference: {{type: linear, q: 100, p: 1000}}
  - id: cost
    weight: 1
    field: pricing.unit_price
    rule: {{type: raw, direction: min}}
"""


def _raw_offers() -> list:  # type: ignore[type-arg]
    return [
        offer(
            "a",
            technical__range_nm=3000,
            pricing__currency="MYR",
            pricing__unit_price=100,
            pricing__quantity=1,
        ),
        offer(
            "b",
            technical__range_nm=3500,
            pricing__currency="MYR",
            pricing__unit_price=120,
            pricing__quantity=1,
        ),
        offer(
            "c",
            technical__range_nm=2000,
            pricing__currency="MYR",
            pricing__unit_price=90,
            pricing__quantity=1,
        ),
    ]


def test_raw_values_work_with_topsis_and_promethee_but_not_wsm() -> None:
    framework = criteria_from(RAW.format(method="topsis"))
    comparison = evaluate(_raw_offers(), framework)
    expected = topsis([[3000, 100], [3500, 120], [2000, 90]], [0.5, 0.5], ["max", "min"])
    assert {e.id: e.total for e in comparison.evaluations} == pytest.approx(
        dict(zip("abc", expected, strict=True))
    )
    flows = promethee(
        [[3000, 100], [3500, 120], [2000, 90]],
        [0.5, 0.5],
        ["max", "min"],
        [Preference("linear", 100, 1000), Preference()],
    )
    comparison = evaluate(_raw_offers(), framework, method="promethee")
    assert {e.id: e.total for e in comparison.evaluations} == pytest.approx(
        dict(zip("abc", flows, strict=True))
    )
    with pytest.raises(CriteriaError, match="raw rule"):
        evaluate(_raw_offers(), framework, method="wsm")
    every = evaluate(_raw_offers(), framework, method="all")
    assert all(list(e.methods) == ["topsis", "promethee"] for e in every.evaluations)
    assert any("wsm is left out" in n for n in notes_text(every.notes))


def test_an_unknown_method_is_a_usage_error(batch, criteria) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="'electre' is not one of"):
        evaluate(batch, criteria, method="electre")


# --- The preference key in the criteria file -----------------------------------------------

PREFERENCE = """\
id: t
currency: MYR
criteria:
  - id: pricing
    weight: 1
    subcriteria:
      - id: price
        weight: 1
        field: pricing.unit_price
        rule: {{type: linear, best: 100, worst: 200}}
        preference: {preference}
"""


def test_preference_is_read_from_a_sub_criterion() -> None:
    framework = criteria_from(PREFERENCE.format(preference="{type: linear, q: 1, p: 2}"))
    assert framework.criteria[0].leaves[0].preference == Preference("linear", 1, 2)
    default = criteria_from(PREFERENCE.format(preference="{type: usual}"))
    assert default.criteria[0].leaves[0].preference == Preference()


@pytest.mark.parametrize(
    ("preference", "message"),
    [
        (
            "{type: linear, q: 2, p: 2}",
            "criteria.yaml:11:45: `p` (preference threshold) must be "
            "more than `q` (indifference threshold); got q 2 and p 2",
        ),
        ("{type: linear, q: -1, p: 2}", "criteria.yaml:11:39: must be at least 0, got -1"),
        (
            "{type: linear, q: 1}",
            "criteria.yaml:11:21: the linear preference needs `p` (the preference threshold)",
        ),
        (
            "{type: usual, q: 1}",
            "criteria.yaml:11:35: the usual preference takes no thresholds; "
            "for thresholds use `type: linear`",
        ),
        (
            "{type: vshape}",
            "criteria.yaml:11:28: unknown value 'vshape'; expected one of: usual, linear",
        ),
        ("{kind: linear}", "criteria.yaml:11:22: unknown preference key `kind`"),
    ],
)
def test_bad_preferences_are_located(preference: str, message: str) -> None:
    with pytest.raises(CriteriaError) as caught:
        criteria_from(PREFERENCE.format(preference=preference))
    assert message in [str(p) for p in caught.value.problems]


def test_preference_on_a_criterion_with_subcriteria_is_refused() -> None:
    text = PREFERENCE.format(preference="{type: usual}").replace(
        "    weight: 1\n    subcriteria:",
        "    weight: 1\n    preference: {type: usual}\n    subcriteria:",
    )
    with pytest.raises(CriteriaError, match="`preference` goes on each sub-criterion"):
        criteria_from(text)


def test_preference_on_a_criterion_with_its_own_rule() -> None:
    framework = criteria_from(RAW.format(method="promethee"))
    assert framework.criteria[0].leaves[0].preference == Preference("linear", 100, 1000)


@settings(max_examples=50)
@given(st.floats(0, 50), st.floats(0.001, 50), st.floats(-100, 100))
def test_linear_degree_is_monotone_and_bounded(q: float, gap: float, d: float) -> None:
    linear = Preference("linear", q, q + gap)
    assert 0 <= linear.degree(d) <= 1
    assert linear.degree(d) <= linear.degree(d + 1)


# --- the method names, spelt in one place -------------------------------------------------


def test_a_method_is_the_text_it_stands_for() -> None:
    from evaluator.model.method import ALL, METHODS, Method

    assert METHODS == (Method.WSM, Method.TOPSIS, Method.PROMETHEE)
    assert [str(m) for m in METHODS] == ["wsm", "topsis", "promethee"] and ALL == "all"
    # A member reads, hashes and encodes as its text: the JSON is unchanged by the enum.
    assert json.dumps({Method.WSM: Method.TOPSIS}) == json.dumps({"wsm": "topsis"})
    assert f"{Method.PROMETHEE}" == "promethee" and {"wsm": 1}[Method.WSM] == 1


def test_the_core_spells_the_method_names_in_one_place() -> None:
    import re

    from tests.conftest import ROOT

    # The command line and the renderers name them too; those are for their own rooms.
    core = [
        path
        for path in (ROOT / "evaluator").rglob("*.py")
        if path.parent.name not in ("cli", "render") and path.name != "method.py"
    ]
    literal = re.compile(r"""["'](wsm|topsis|promethee|all)["']""")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {text.strip()}"
        for path in core
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(text) and not text.lstrip().startswith("#")
    ]
    assert found == []
