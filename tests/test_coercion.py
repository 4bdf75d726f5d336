"""Our conversion of command-line values (evaluator/cli/coercion.py) gives exactly what typer's
own would, for every parameter of every command, on good values and bad: the same value,
or the same error with the same words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from evaluator.cli.app import app
from evaluator.cli.coercion import install
from tests.conftest import ROOT
from tests.helpers import imported_after

VALUES: list[Any] = [
    None,
    "",
    "x",
    "proposals",
    "criteria/default.yaml",
    "criteria",
    "/no/such/file.yaml",
    "-",
    "a\0b",
    " a ",
    "0",
    "1",
    "7",
    "-1",
    "010",
    " 5",
    "5 ",
    "1_0",
    "+5",
    "10.0",
    "1e3",
    "abc",
    "99999999999999999999",
    "123456789012345678",
    "\u0663",
    0,
    1,
    5,
    -3,
    2**70,
    True,
    False,
    1.5,
    b"bytes",
    [],
    (),
    ["proposals", "x"],
    ("proposals",),
    [""],
    ["a\0b"],
    [1, "x"],
    "html",
    "pricing=40",
]


def _params() -> Iterator[tuple[str, Any, Any]]:
    """(name, command, parameter) for every parameter, --help included."""
    group = install(typer.main.get_command(app))
    commands = [("evaluator", group), *sorted(group.commands.items())]
    for name, command in commands:
        ctx = command.make_context(name, [], resilient_parsing=True)
        for param in command.get_params(ctx):
            yield f"{name} {param.name}", command, param


PARAMS = list(_params())


def _outcome(coerce: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        result = coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # the error, by type and words
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        return type(exc).__name__, message
    return type(result).__name__, result


@pytest.mark.parametrize(("name", "command", "param"), PARAMS, ids=[p[0] for p in PARAMS])
def test_each_parameter_converts_as_typer_does(
    name: str, command: Any, param: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    ctx = command.make_context(command.name or "evaluator", [], resilient_parsing=True)
    assert "get_runtime_param" in vars(param), f"{name}: not installed"
    ours = param.get_runtime_param()
    theirs = type(param).get_runtime_param(param)  # typer's own, built with pydantic
    assert ours is not theirs
    for value in VALUES:
        assert _outcome(ours.coerce, value, param, ctx) == _outcome(
            theirs.coerce, value, param, ctx
        ), (name, value)


def test_every_kind_of_parameter_is_covered() -> None:
    kinds = {str(p.type_descriptor.annotation) for _, _, p in PARAMS}
    assert kinds == {
        "<class 'str'>",
        "<class 'int'>",
        "<class 'bool'>",
        "<class 'pathlib.Path'>",
        "list[pathlib.Path]",
    }
    names = {name for name, _, _ in PARAMS}
    assert {
        "evaluator help",
        "compare help",
        "compare jobs",
        "compare max_bytes",
        "compare paths",
        "compare criteria",
        "sensitivity samples",
    } <= names


def test_an_unknown_annotation_is_left_to_typer() -> None:
    from typer.models import OptionInfo

    from evaluator.cli.coercion import converter

    assert converter(float, OptionInfo()) is None
    assert converter(Path, OptionInfo(resolve_path=True)) is None
    assert converter(list[float], OptionInfo()) is None
    assert converter(str, OptionInfo(parser=str.upper)) is None


def test_bad_values_still_get_typers_words(run_cli: Any) -> None:
    result = run_cli("compare", "--jobs", "0")
    assert result.code == 2
    assert result.err.endswith(
        "Error: Invalid value for '--jobs' / '-j': Input should be greater than or equal to 1\n"
    )
    # (A folder given as --criteria is the reader's to report, exit 1: test_input_limits.py.)
    result = run_cli("new", "proposals")
    assert result.code == 2
    assert result.err.endswith(
        "Error: Invalid value for 'FILE': file 'proposals' is a directory.\n"
    )


def test_a_plain_command_does_not_import_pydantic() -> None:
    assert imported_after(
        [
            [
                "compare",
                "proposals",
                "--jobs",
                "2",
                "-c",
                "criteria/default.yaml",
                "--format",
                "json",
            ],
            ["compare", "--jobs", "x"],
        ],
        ["pydantic"],
    ) == [[False], [True]]
