"""The command line written once (issue #16): the shared options parsed by one function into
one `RunOptions`, methods and formats as enums, `--debug` read as the option it is, and
every command a client of the API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from evaluator.cli.options import (
    REPORT_FORMATS,
    RESULT_FORMATS,
    Format,
    Method,
    RunOptions,
    run_options,
)
from evaluator.errors import UsageError
from evaluator.render import FORMATS
from tests.conftest import Run
from tests.helpers import unstaged_criteria

RunCli = Callable[..., Run]
BUG = (
    "evaluator: internal error (RuntimeError: boom). This is a bug: please report it with "
    "the command and the output of --debug (evaluator --debug COMMAND ...).\n"
)


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


def test_debug_is_the_root_option_not_a_word_anywhere_on_the_line(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import evaluator.api

    # The default criteria are in stages: `compare` runs them through api.compare_stages.
    monkeypatch.setattr(evaluator.api, "compare_stages", boom)
    # A path (or an option's value) spelt --debug asks for no traceback.
    assert (run_cli("compare", "--", "--debug").code, run_cli("compare", "--", "--debug").err) == (
        3,
        BUG,
    )
    assert run_cli("compare", "--criteria", "--debug").code == 1  # no such file
    with pytest.raises(RuntimeError, match="boom"):  # in-process, the traceback is the error
        run_cli("--debug", "compare")
    # The next run in the same process starts without it.
    assert (run_cli("compare").code, run_cli("compare").err) == (3, BUG)


@pytest.mark.parametrize(
    ("args", "patched"),
    [
        (["compare"], "compare_stages"),  # the default criteria are in stages
        (["compare", "--format", "json"], "compare_stages"),
        (["compare", "-c", "{unstaged}"], "compare"),  # criteria without stages
        (["compare", "--format", "json", "-c", "{unstaged}"], "compare_json"),
        (["compare", "--format", "html", "--sensitivity"], "sensitivity"),
        (["score", "proposals/italy.yaml"], "score"),
        (["sensitivity", "--samples", "100"], "sensitivity"),
        (["criteria"], "criteria_weights"),
        (["weights", "weights/minister-ahp.yaml"], "derive_weights"),
        (["validate", "proposals"], "validate_paths"),
    ],
)
def test_every_command_goes_through_the_api(
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    patched: str,
    tmp_path: Path,
) -> None:
    import evaluator.api

    unstaged = str(unstaged_criteria(tmp_path))
    monkeypatch.setattr(evaluator.api, patched, boom)
    result = run_cli(*[unstaged if arg == "{unstaged}" else arg for arg in args])
    assert (result.code, result.err) == (3, BUG)


def test_options_are_parsed_into_enums() -> None:
    options = run_options("json", RESULT_FORMATS, method="topsis", weights="pricing=40")
    assert options == RunOptions(Format.JSON, weights={"pricing": 40.0}, method=Method.TOPSIS)
    assert options.format is Format.JSON and options.method is Method.TOPSIS
    assert run_options("table", REPORT_FORMATS).method is None
    assert tuple(FORMATS) == RESULT_FORMATS  # every renderer, in the order --help lists them
    assert tuple(Method) == ("wsm", "topsis", "promethee", "all")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # The order the messages have always come in: format, method, the command's own
        # checks, weights, then the files.
        (
            ["compare", "-f", "yaml", "-m", "electre", "-w", "x"],
            "--format: 'yaml' is not one of: table, json, csv, markdown, html, xlsx",
        ),
        (
            ["compare", "-m", "electre", "--sensitivity", "-w", "x"],
            "--method: 'electre' is not one of: wsm, topsis, promethee, all",
        ),
        (
            ["compare", "--sensitivity", "-w", "x", "-c", "nowhere.yaml"],
            "--sensitivity: goes with --format html; for the terminal, run `evaluator sensitivity`",
        ),
        (
            ["compare", "-w", "x", "-c", "nowhere.yaml"],
            "--weights: expected NAME=PERCENT (a criterion id and a percentage from 0 to 100), "
            "got 'x'",
        ),
        (
            ["compare", "-f", "html", "--sensitivity", "-m", "topsis"],
            "--sensitivity: the analysis works on weighted-sum totals, not topsis: "
            "add --method wsm (or all)",
        ),
        (
            ["sensitivity", "-f", "csv", "-m", "topsis"],
            "--format: 'csv' is not one of: table, json, markdown",
        ),
        (
            ["sensitivity", "-m", "topsis", "--spread", "wide"],
            "--method: sensitivity works on weighted-sum totals, so only wsm is accepted, not "
            "'topsis'",
        ),
        (
            ["sensitivity", "--spread", "wide", "-w", "x"],
            "--spread: expected a number from 0 to 1 or `full`, got 'wide'",
        ),
        (
            ["sensitivity", "--spread", "2", "-c", "nowhere.yaml"],
            "--spread: expected a number from 0 to 1 or `full`, got '2'",
        ),
        (
            ["criteria", "-f", "html", "-w", "x"],
            "--format: 'html' is not one of: table, json, markdown",
        ),
        (
            ["weights", "weights/minister-ahp.yaml", "-f", "csv"],
            "--format: 'csv' is not one of: table, json, yaml",
        ),
        (["schema", "other"], "KIND: 'other' is not one of: proposal, criteria, panel"),
    ],
)
def test_usage_errors_come_in_their_order(run_cli: RunCli, args: list[str], message: str) -> None:
    result = run_cli(*args)
    assert (result.code, result.out, result.err) == (2, "", message + "\n")


def test_a_setting_error_is_still_a_usage_error() -> None:
    with pytest.raises(UsageError):
        run_options("table", REPORT_FORMATS, weights="pricing=0.4")


def test_the_command_line_offers_the_core_methods_and_all() -> None:
    # The command line's Method adds `all` to the core's; neither may drift from the other.
    from evaluator.cli.options import Method as Choice
    from evaluator.model.method import ALL, METHODS

    assert [str(m) for m in Choice] == [*map(str, METHODS), ALL]
