"""One scoring engine: rules, derived fields, credibility, gates and totals are written once,
and compute on one number or on an array of draws alike.

Scoring a value as a float and inside a numpy array gives the same numbers; a rule type
added in one class is read, scored, drawn and described by the schema with no other change;
the scoring layer imports nothing above it.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.analysis.sensitivity import analyse
from evaluator.analysis.uncertainty import ScoreModel
from evaluator.errors import CriteriaError
from evaluator.model.criteria import Gate
from evaluator.model.numeric import Num, choose
from evaluator.model.rules import (
    RULES,
    Boolean,
    Linear,
    Parameter,
    Proportional,
    Raw,
    Reason,
    Rule,
    RuleReader,
    Steps,
    register,
)
from evaluator.model.schema import schema
from evaluator.render.text import rules as words
from evaluator.render.text.evidence import explanation
from evaluator.render.text.rules import describe
from evaluator.scoring.derive import derived_figures
from evaluator.scoring.engine import criterion_score, evaluate, leaf_points, total_score
from tests.conftest import ROOT
from tests.helpers import offer, proposal_from, single_rule
from tests.test_sensitivity_values import drawn_proposal

FIGURES = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)
COLUMNS = st.lists(FIGURES, min_size=1, max_size=12)


def same_in_a_column(rule: Rule, values: list[Any], reference: Num | None = None) -> None:
    """The rule scores a column of values as it scores each one, bit for bit."""
    alone = [
        leaf_points(
            rule, v, reference if not isinstance(reference, np.ndarray) else float(reference[i])
        )
        for i, v in enumerate(values)
    ]
    column = leaf_points(rule, np.array(values), reference)
    assert isinstance(column, np.ndarray) and column.dtype == np.float64
    assert column.tolist() == alone


# --- each rule type: a float, and the same float among draws -----------------------------------

linear_rules = (
    st.tuples(FIGURES, FIGURES).filter(lambda p: abs(p[0] - p[1]) > 1e-6).map(lambda p: Linear(*p))
)
steps_rules = st.builds(
    lambda thresholds, scores, way: Steps(
        tuple(zip(sorted(thresholds), scores, strict=False)), way
    ),
    st.sets(FIGURES, min_size=1, max_size=5),
    st.lists(st.floats(0, 100), min_size=5, max_size=5),
    st.sampled_from(["min", "max"]),
)
directions = st.sampled_from(["min", "max"])
COVERED = {"linear", "steps", "proportional", "raw", "boolean"}


def test_every_rule_type_that_can_score_draws_is_covered_here() -> None:
    # A new rule type that scores numbers scores draws too: add it to the tests below.
    assert {name for name, rule in RULES.items() if rule.numeric} | {"boolean"} == COVERED


@settings(max_examples=200, deadline=None)
@given(linear_rules, COLUMNS)
def test_linear_scores_a_column_as_each_value(rule: Linear, values: list[float]) -> None:
    same_in_a_column(rule, values)


@settings(max_examples=200, deadline=None)
@given(steps_rules, COLUMNS)
def test_steps_score_a_column_as_each_value(rule: Steps, values: list[float]) -> None:
    same_in_a_column(rule, [*values, *(t for t, _ in rule.steps)])  # on the thresholds too


@settings(max_examples=200, deadline=None)
@given(
    directions, st.lists(st.floats(0, 1e9), min_size=1, max_size=12), st.floats(0, 1e9) | st.none()
)
def test_proportional_scores_a_column_as_each_value(
    way: str, values: list[float], best: float | None
) -> None:
    rule = Proportional(way)
    same_in_a_column(rule, [*values, 0.0])
    if best is not None:  # the pool's best value, the same in every draw
        same_in_a_column(rule, [*values, 0.0, best], best)
        # or moving with the draws
        same_in_a_column(rule, values, np.array([best + i for i in range(len(values))]))
        assert rule.reference([*values, best]) == (min if way == "min" else max)([*values, best])


@settings(max_examples=50, deadline=None)
@given(directions, COLUMNS)
def test_raw_gives_a_column_its_values(way: str, values: list[float]) -> None:
    same_in_a_column(Raw(way), values)


@given(st.floats(0, 100), st.floats(0, 100), st.lists(st.booleans(), min_size=1, max_size=6))
def test_boolean_scores_a_column_of_truths_as_each(
    when_true: float, when_false: float, truths: list[bool]
) -> None:
    rule = Boolean(when_true, when_false)
    assert np.asarray(rule.points(np.array(truths))).tolist() == [rule.points(t) for t in truths]


# --- derived fields, gates, credibility and totals ------------------------------------------

MONEY = st.just(0.0) | st.floats(0.01, 1e9)  # money: none, or at least a cent
YEARS = st.floats(0, 40) | st.integers(0, 40).map(float)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(MONEY, st.integers(1, 500).map(float), MONEY, MONEY, YEARS),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.tuples(st.lists(MONEY, min_size=6, max_size=6), st.booleans()), max_size=4)
    | st.none(),
    st.floats(0, 0.2),
)
def test_derived_fields_of_a_column_of_draws_are_those_of_each(
    draws: list[tuple[float, float, float, float, float]],
    activities: list[tuple[list[float], bool]] | None,
    rate: float,
) -> None:
    names = (
        "pricing.unit_price",
        "pricing.quantity",
        "pricing.one_off_costs",
        "pricing.sustainment_per_year",
        "pricing.support_years",
    )
    k = len(draws)
    column = {name: np.array([d[j] for d in draws]) for j, name in enumerate(names)}
    credits = (
        None
        if activities is None
        else [(np.array(amounts[:k]), local) for amounts, local in activities]
    )
    together = derived_figures(column, credits, rate)
    for i, draw in enumerate(draws):
        alone = derived_figures(
            dict(zip(names, draw, strict=True)),
            None if activities is None else [(amounts[i], local) for amounts, local in activities],
            rate,
        )
        for name, value in together.values.items():
            drawn = float(np.broadcast_to(value, (k,))[i])
            if name not in alone.values:  # no cost in this draw: no ratio (NaN: scores 0)
                assert name.endswith("credit_ratio_pct") and math.isnan(drawn)
            elif name.endswith("_pct"):  # rounded to 1e-9 by numpy in a column: an ulp apart
                assert drawn == pytest.approx(alone.values[name], rel=1e-12, abs=1e-12)
            else:
                assert drawn == alone.values[name], name
        assert set(alone.values) <= set(together.values)


BOUNDS = st.sampled_from(["min", "max", "above", "below", "equals"])


@given(BOUNDS, st.floats(-100, 100), st.lists(st.floats(-100, 100), min_size=1, max_size=8))
def test_a_gate_tests_a_column_of_draws_as_each_value(
    test: str, bound: float, values: list[float]
) -> None:
    gate = Gate("g", "", "pricing.unit_price", test, bound)
    values = [*values, bound]
    assert np.asarray(gate.passes(np.array(values))).tolist() == [gate.check(v) for v in values]
    within = Gate("g", "", "pricing.unit_price", "in", (bound, "word", 3))
    outside = Gate("g", "", "pricing.unit_price", "not_in", (bound, 3))
    for g in (within, outside):
        assert np.asarray(g.passes(np.array(values))).tolist() == [g.check(v) for v in values]


@given(
    st.floats(0, 1),
    st.lists(
        st.tuples(st.floats(0, 1), st.lists(st.floats(0, 100), min_size=3, max_size=3)),
        min_size=1,
        max_size=6,
    ),
)
def test_criterion_scores_and_totals_of_columns_are_those_of_each(
    factor: float, leaves: list[tuple[float, list[float]]]
) -> None:
    weights = [w for w, _ in leaves]
    columns = [np.array(points) for _, points in leaves]
    together = criterion_score(factor, weights, columns)
    totals = total_score(columns, columns)  # a drawn weighting times drawn scores
    for i in range(3):
        assert float(np.asarray(together)[i]) == criterion_score(
            factor, weights, [p[i] for _, p in leaves]
        )
        assert float(np.asarray(totals)[i]) == total_score(
            [p[i] for _, p in leaves], [p[i] for _, p in leaves]
        )


# --- a new rule type: one class ---------------------------------------------------------------


@pytest.fixture
def at_least() -> Iterator[type[Rule]]:
    """A rule type defined here, registered for one test and forgotten after it: its class,
    and its words in the render layer's table of rules."""

    @register
    @dataclass(frozen=True, slots=True)
    class AtLeast(Rule):
        """100 at or above `at`, 0 below it."""

        at: float
        type: ClassVar[str] = "at_least"
        parameters: ClassVar[tuple[Parameter, ...]] = (
            Parameter("at", "the least value that scores 100", minimum=0),
        )

        @classmethod
        def parse(cls, read: RuleReader) -> Rule | None:
            at = read.number("at")
            return None if at is None else cls(at)

        def points(self, value: Num, reference: Num | None = None) -> Num:
            return choose(value >= self.at, 100.0, 0.0)

        def reason(self, value: float, points: float, reference: float | None = None) -> Reason:
            return Reason(self, "yes" if points else "no")

    words.DESCRIPTIONS["at_least"] = lambda rule: f"at least {rule.at:g}"
    words.REASONS["at_least"] = lambda reason: f"at least {reason.rule.at:g}: {reason.case}"
    try:
        yield AtLeast
    finally:
        del RULES["at_least"], words.DESCRIPTIONS["at_least"], words.REASONS["at_least"]


def test_a_new_rule_type_is_read_scored_drawn_and_described(at_least: type[Rule]) -> None:
    # The criteria reader: its parameters, checked as it declares them.
    criteria = single_rule("pricing.unit_price", "{type: at_least, at: 100}")
    rule = criteria.criteria[0].leaves[0].rule
    assert rule == at_least(100.0)  # type: ignore[call-arg]
    for text, message in (
        ("{type: at_least}", "the at_least rule needs `at`"),
        ("{type: at_least, at: -1}", "at least 0"),
        ("{type: at_least, at: 1, best: 2}", "`best`"),
    ):
        with pytest.raises(CriteriaError, match=message):
            single_rule("pricing.unit_price", text)
    with pytest.raises(CriteriaError, match=r"a at_least rule cannot score `g2g\.integrity_pact`"):
        single_rule("g2g.integrity_pact", "{type: at_least, at: 1}")
    # The scoring: its score, its reason, the refusal of what it cannot score.
    comparison = evaluate(
        [
            offer("a", pricing__currency="MYR", pricing__unit_price=120),
            offer("b", pricing__currency="MYR", pricing__unit_price=80),
        ],
        criteria,
    )
    leaves = {e.id: e.criteria[0].leaves[0] for e in comparison.evaluations}
    assert (leaves["a"].score, leaves["b"].score) == (100.0, 0.0)
    assert explanation(leaves["a"]).endswith("→ 100.00 (at least 100: yes)")
    assert describe(rule) == "at least 100"
    assert leaves["a"].rule == "at_least"
    # The draws: a column of values, and `sensitivity --values` on a ranged figure.
    assert leaf_points(rule, np.array([80.0, 100.0, 120.0])).tolist() == [0.0, 100.0, 100.0]
    ranged = proposal_from(
        "proposal: {country: C}\npricing: {currency: MYR, unit_price: "
        "{low: 50, likely: 110, high: 150}}\n",
        "c.yaml",
    )
    comparison = evaluate(
        [ranged, offer("b", pricing__currency="MYR", pricing__unit_price=80)], criteria
    )
    eligible = [e for e in comparison.evaluations if e.eligible]
    model = ScoreModel(criteria, eligible, list(comparison.weights))
    drawn = model.draw(np.random.default_rng(5), 50)
    moved, _ = model.scores(drawn)
    assert model.rows == (0,)
    for d in range(drawn.shape[0]):
        again = evaluate([drawn_proposal(eligible[0].proposal, model, 0, drawn[d])], criteria)
        assert moved[d, 0].tolist() == [again.evaluations[0].criteria[0].score]
    assert analyse(comparison, 500, values=True).values is not None
    # The JSON Schema: one more branch, from the class's parameters and docstring.
    rules = schema("criteria")["$defs"]["rule"]
    assert "at_least" in rules["properties"]["type"]["enum"]
    branch = next(b for b in rules["oneOf"] if b["properties"]["type"] == {"const": "at_least"})
    assert branch["required"] == ["type", "at"]
    assert branch["properties"]["at"]["minimum"] == 0
    assert branch["description"] == "at_least: 100 at or above `at`, 0 below it."


def test_the_user_guide_documents_every_rule_type() -> None:
    text = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    for name, rule in RULES.items():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, f"docs/user-guide.md's rule table lacks `{name}`"
        for parameter in rule.parameters:
            assert f"`{parameter.name}" in row, (name, parameter.name)


# --- the layers: scoring imports nothing above it ------------------------------------------


def _imports() -> dict[str, set[str]]:
    """Each evaluator module and the evaluator modules it imports, anywhere in it."""
    modules = {}
    for path in (ROOT / "evaluator").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.update(
                    m
                    for m in (node.module, *(f"{node.module}.{a.name}" for a in node.names))
                    if m in modules
                )
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name in modules)
        graph[name] = found - {name}
    return graph


@pytest.mark.parametrize(
    ("layer", "above"),
    [
        ("evaluator.scoring", ("analysis", "render", "api", "cli")),
        ("evaluator.analysis", ("render", "api", "cli")),
    ],
)
def test_a_layer_imports_nothing_above_it(layer: str, above: tuple[str, ...]) -> None:
    wrong = {
        f"{module} imports {target}"
        for module, targets in _imports().items()
        if module.startswith(layer + ".")
        for target in targets
        if target.split(".")[1] in above
    }
    assert wrong == set()


def test_scoring_and_analysis_have_no_import_cycle() -> None:
    graph = _imports()
    ours = {m for m in graph if m.startswith(("evaluator.scoring", "evaluator.analysis"))}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            for target in graph[todo.pop()] & ours:
                if target == goal:
                    return True
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return False

    assert sorted(m for m in ours if reaches(m, m)) == []
