"""The library as a notebook uses it (issue #16): `import evaluator`, keyword-only options,
`str` or `Path`, typed results, and errors that speak of the settings, never of options."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evaluator.api import load_criteria
from evaluator.errors import SettingError, UsageError
from tests.conftest import DEFAULT_CRITERIA, ROOT, Run
from tests.helpers import unstaged_criteria

RunCli = Callable[..., Run]

CRITERIA_IDS = "technical, pricing, technology_transfer, g2g_guarantees, long_term_collaboration"


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (
            {"prising": 40},
            "no criterion `prising` (did you mean `pricing`?); criteria: " + CRITERIA_IDS,
        ),
        (
            {"pricing": 140},
            "`pricing` is 140%: a weight is a percentage of the total, from 0 to 100",
        ),
        (
            {"pricing": 60, "g2g_guarantees": 50},
            "the weights given add up to 110%, more than the whole (100%)",
        ),
        (
            {
                "technical": 20,
                "pricing": 20,
                "technology_transfer": 20,
                "g2g_guarantees": 20,
                "long_term_collaboration": 15,
            },
            "with every criterion named, the weights must add up to 100% (they add up to 95%)",
        ),
    ],
)
def test_what_if_weights_are_refused_in_the_domain_s_words(
    weights: dict[str, float], message: str
) -> None:
    criteria = load_criteria(DEFAULT_CRITERIA)
    with pytest.raises(SettingError) as caught:
        criteria.weights(weights)
    error = caught.value
    assert isinstance(error, UsageError) and error.exit_code == 2
    assert error.setting == "weights"
    assert str(error) == f"weights: {message}"
    assert "--" not in str(error)


@pytest.mark.parametrize("command", ["compare", "sensitivity", "criteria"])
def test_the_command_line_names_the_option_of_the_setting(run_cli: RunCli, command: str) -> None:
    result = run_cli(command, "--weights", "pricing=60,g2g_guarantees=50")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "--weights: the weights given add up to 110%, more than the whole (100%)\n"
    )


# --- the library's surface -------------------------------------------------------------

PUBLIC = {
    "load_criteria",
    "compare",
    "score",
    "sensitivity",
    "diff",
    "derive_weights",
    "Comparison",
    "Evaluation",
    "Problem",
    "EvaluatorError",
    "InputError",
    "CriteriaError",
    "UsageError",
    "SettingError",
    "OutputError",
}


def test_import_evaluator_names_the_surface_and_stays_cheap() -> None:
    code = (
        "import sys, evaluator\n"
        "print(sorted(evaluator.__all__))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('evaluator.', 'yaml'))))\n"
        "print(callable(evaluator.compare), evaluator.SettingError.__module__)\n"
        "print('evaluator.api' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.splitlines()
    assert set(ast.literal_eval(out[0])) == PUBLIC | {"__version__"}
    assert ast.literal_eval(out[1]) == []  # nothing but the package itself until asked
    assert out[2:] == ["True evaluator.errors", "True"]


def test_every_public_name_is_typed_for_mypy_and_listed_in_dir() -> None:
    import evaluator

    assert set(evaluator.__all__) <= set(dir(evaluator))
    source = (ROOT / "evaluator" / "__init__.py").read_text()
    for name in PUBLIC:  # imported under TYPE_CHECKING, so that mypy and IDEs see the types
        assert f" {name}," in source or f" {name}\n" in source, name
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        evaluator.nothing  # noqa: B018


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("at_root")
def test_compare_takes_text_or_paths_and_gives_typed_results(tmp_path: Path) -> None:
    import evaluator

    # One weighted evaluation of every offer (criteria without stages): the typed results.
    flat = unstaged_criteria(tmp_path)
    by_text = evaluator.compare("proposals", criteria=str(flat))
    by_path = evaluator.compare([Path("proposals")], criteria=flat)
    loaded = evaluator.compare("proposals", criteria=evaluator.load_criteria(flat))
    assert isinstance(by_text, evaluator.Comparison)
    assert by_text.to_dict() == by_path.to_dict() == loaded.to_dict()
    assert by_text.winner is not None and by_text.winner is by_text.evaluations[0]
    rows = [(e.id, e.country, e.rank, e.eligible) for e in by_text.evaluations]
    # The order test_scoring recomputes by hand; the direct offer fails a gate
    # (advance_payment_guaranteed), turkiye another (technical_compliance: CSS-R01).
    assert rows == [
        ("south-korea", "South Korea", 1, True),
        ("italy", "Italy", 2, True),
        ("direct-offer", "Norway", None, False),
        ("turkiye", "Türkiye", None, False),
    ]
    assert all(isinstance(e, evaluator.Evaluation) for e in by_text.evaluations)
    data = by_text.to_dict()["results"]
    assert [e.total for e in by_text.evaluations] == pytest.approx([r["total"] for r in data])
    assert by_text.method == "wsm" and by_text.errors == [] and by_text.what_if is None
    assert by_text.stages is None
    assert repr(by_text) == (
        "Comparison(method='wsm', winner='south-korea', evaluations=4, errors=0)"
    )
    assert repr(by_text.winner).startswith(
        "Evaluation(id='south-korea', country='South Korea', total="
    )


@pytest.mark.usefixtures("at_root")
def test_compare_on_staged_criteria_runs_the_stages_as_the_command_line_does() -> None:
    import evaluator

    staged = evaluator.compare("proposals", criteria="criteria/default.yaml")
    # The weighted evaluation ranks only the offers that passed every stage.
    assert [(e.id, e.rank, e.eligible) for e in staged.evaluations] == [
        ("south-korea", 1, True),
        ("italy", 2, True),
    ]
    assert staged.winner is not None and staged.winner.id == "south-korea"
    assert staged.stages is not None
    assert [(s["id"], [p["id"] for p in s["passed"]]) for s in staged.to_dict()["stages"]] == [
        ("technical", ["italy", "south-korea", "direct-offer"]),
        ("icp", ["direct-offer", "italy", "south-korea"]),
        ("financial", ["south-korea", "italy"]),
    ]
    # turkiye failed the technical stage: its financial envelope stays sealed, its price
    # appears nowhere in the result.
    data = staged.to_dict()
    assert data["sealed"] == ["turkiye"]
    assert "turkiye" not in {r["id"] for r in data["results"]}
    text = json.dumps(data)
    assert "financial.yaml" not in text and "180000000" not in text  # its unit price
    assert repr(staged) == "Comparison(method='wsm', winner='south-korea', evaluations=2, errors=0)"


def test_options_are_keyword_only() -> None:
    import evaluator

    with pytest.raises(TypeError):
        evaluator.compare("proposals", DEFAULT_CRITERIA)  # type: ignore[misc]
    with pytest.raises(TypeError):
        evaluator.load_criteria(DEFAULT_CRITERIA, 1_000)  # type: ignore[misc]


@pytest.mark.usefixtures("at_root")
@pytest.mark.parametrize(
    ("args", "options"),
    [
        (["compare"], {}),
        (["compare", "--panel", "panel"], {"panel": "panel"}),
        (["compare", "--method", "all"], {"method": "all"}),
        (
            ["compare", "--method", "topsis", "--panel", "panel"],
            {"method": "topsis", "panel": "panel"},
        ),
        (["compare", "--method", "promethee"], {"method": "promethee"}),
        (
            ["compare", "--weights", "pricing=40,g2g_guarantees=10"],
            {"weights": {"pricing": 40, "g2g_guarantees": 10}},
        ),
        (["compare", "tests/corpus/proposals"], {"paths": "tests/corpus/proposals"}),
        (
            ["score", "proposals/south-korea.yaml", "--panel", "panel"],
            {"path": "proposals/south-korea.yaml", "panel": "panel"},
        ),
    ],
)
def test_to_dict_is_exactly_the_json_of_the_command_line(
    run_cli: RunCli, args: list[str], options: dict[str, Any]
) -> None:
    import evaluator

    result = run_cli(*args, "--format", "json")
    assert result.code in (0, 1)
    if args[0] == "score":
        comparison = evaluator.score(**options)
    else:
        comparison = evaluator.compare(options.pop("paths", "proposals"), **options)
    assert comparison.to_dict() == json.loads(result.out)
    assert len(comparison.errors) == len(json.loads(result.out)["errors"])


@pytest.mark.usefixtures("at_root")
def test_score_gives_one_evaluation_and_raises_for_a_file_it_cannot_score() -> None:
    import evaluator

    card = evaluator.score(Path("proposals") / "italy.yaml", panel="panel")
    assert [(e.id, e.rank) for e in card.evaluations] == [("italy", 1)]
    with pytest.raises(evaluator.InputError) as caught:
        evaluator.score("proposals/nowhere.yaml")
    assert str(caught.value) == "proposals/nowhere.yaml: no such file"
    assert caught.value.exit_code == 1


@pytest.mark.usefixtures("at_root")
def test_sensitivity_of_a_comparison_is_the_command_s_analysis(run_cli: RunCli) -> None:
    import evaluator
    from evaluator.render.sensitivity import sensitivity_data

    comparison = evaluator.compare("proposals", panel="panel")
    result = evaluator.sensitivity(comparison, samples=2_000, spread="full", seed=3)
    assert result.winner == comparison.winner.id if comparison.winner else None
    assert result.tipping_point is not None
    shown = run_cli(
        "sensitivity",
        "--panel",
        "panel",
        "--samples",
        "2000",
        "--spread",
        "full",
        "--seed",
        "3",
        "--format",
        "json",
    )
    assert sensitivity_data(result) == json.loads(shown.out)
    same = evaluator.sensitivity(comparison, samples=2_000, spread=None, seed=3)
    assert sensitivity_data(same) == sensitivity_data(result)


@pytest.mark.usefixtures("at_root")
def test_what_if_weights_are_percentages_of_the_total() -> None:
    import evaluator

    comparison = evaluator.compare("proposals", weights={"pricing": 80})
    assert comparison.weights["pricing"] == pytest.approx(0.8)
    assert comparison.what_if is not None and comparison.what_if.weights == {"pricing": 80}


@pytest.mark.usefixtures("at_root")
@pytest.mark.parametrize(
    ("call", "setting", "message"),
    [
        (
            lambda ev: ev.compare("proposals", weights={"prising": 40}),
            "weights",
            "no criterion `prising` (did you mean `pricing`?); criteria: " + CRITERIA_IDS,
        ),
        (
            lambda ev: ev.score("proposals/italy.yaml", weights={"pricing": 101}),
            "weights",
            "`pricing` is 101%: a weight is a percentage of the total, from 0 to 100",
        ),
        (
            lambda ev: ev.compare("proposals", method="electre"),
            "method",
            "'electre' is not one of: wsm, topsis, promethee, all",
        ),
        (
            lambda ev: ev.sensitivity(ev.compare("proposals"), spread=1.5),
            "spread",
            "expected a number from 0 to 1 or `full`, got 1.5",
        ),
        (
            lambda ev: ev.sensitivity(ev.compare("proposals"), spread="wide"),
            "spread",
            "expected a number from 0 to 1 or `full`, got 'wide'",
        ),
        (
            lambda ev: ev.sensitivity(ev.compare("proposals"), samples=0),
            "samples",
            "expected a whole number of draws, at least 1, got 0",
        ),
        (
            lambda ev: ev.sensitivity(ev.compare("proposals"), seed=-1),
            "seed",
            "expected a whole number, at least 0, got -1",
        ),
        (
            lambda ev: ev.sensitivity(ev.compare("proposals"), ranks=0),
            "ranks",
            "expected a whole number of ranks, at least 1, got 0",
        ),
        (
            lambda ev: ev.sensitivity(ev.compare("proposals", method="topsis")),
            "method",
            "the analysis works on weighted-sum totals: compare with method wsm (or all), not "
            "'topsis'",
        ),
    ],
)
def test_api_errors_name_the_setting_never_an_option(
    call: Callable[[Any], object], setting: str, message: str
) -> None:
    import evaluator

    with pytest.raises(evaluator.SettingError) as caught:
        call(evaluator)
    assert caught.value.setting == setting
    assert str(caught.value) == f"{setting}: {message}"
    assert "--" not in str(caught.value)


@pytest.mark.usefixtures("at_root")
def test_settings_of_the_wrong_type_are_type_errors() -> None:
    import evaluator

    with pytest.raises(TypeError, match="weights"):
        evaluator.compare("proposals", weights={"pricing": "40"})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="weights"):
        evaluator.compare("proposals", weights=[("pricing", 40)])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="spread"):
        evaluator.sensitivity(evaluator.compare("proposals"), spread=True)


def test_sensitivity_s_defaults_are_the_analysis_s() -> None:
    import inspect

    from evaluator import api
    from evaluator.analysis import sensitivity as analysis

    defaults = {
        name: p.default for name, p in inspect.signature(api.sensitivity).parameters.items()
    }
    assert (defaults["samples"], defaults["seed"], defaults["spread"]) == (
        analysis.DEFAULT_SAMPLES,
        analysis.DEFAULT_SEED,
        analysis.DEFAULT_SPREAD,
    )
