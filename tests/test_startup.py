"""Start-up, a tested target (bench/run.py measures `compare` against a bare typer + rich
app): what a plain `compare` builds and imports, and that what it leaves out changes
nothing a user sees."""

from __future__ import annotations

import pytest
import typer
from typer._click.exceptions import ClickException

from evaluator.cli import app as cli
from tests.helpers import imported_after


def test_a_plain_compare_imports_no_json_writer_and_no_sign_off() -> None:
    """The JSON a run would store in the register is made only when it is recorded, and
    the panel's sign-off only with a panel; the register's `show` imports json itself."""
    modules = ["json", "evaluator.render.json", "evaluator.render.signoff"]
    assert imported_after(
        [
            ["compare", "proposals"],
            ["compare", "proposals", "--panel", "panel"],
            ["compare", "proposals", "--format", "json"],
        ],
        modules,
    ) == [[False, False, False], [False, False, True], [True, True, True]]


def test_a_command_line_builds_only_the_command_it_runs() -> None:
    """Typer builds the options of every command of an app before it runs one."""

    def names(app: typer.Typer) -> list[str]:
        return [info.callback.__name__ for info in app.registered_commands]  # type: ignore[union-attr]

    assert names(cli._only_what_runs(["compare", "proposals"])) == ["compare"]
    assert names(cli._only_what_runs(["--debug", "criteria"])) == ["show_criteria"]
    assert names(cli._only_what_runs(["--version"])) == []  # the root's option says it
    for whole in (["--help"], [], ["comapre"], ["register", "open"], ["--version", "-h"]):
        assert cli._only_what_runs(whole) is cli.app
    assert len(cli.app.registered_commands) > 10 and cli.app.registered_groups  # untouched


@pytest.mark.parametrize("args", [["--help"], ["--bogus"], ["--format"], ["--lang"]])
def test_a_command_alone_says_what_the_whole_app_says(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Each command's help and usage errors, from the app with that command only and from
    the whole app: the same words, the same exit status."""
    for info in cli.app.registered_commands:
        name = info.name or typer.main.get_command_name(info.callback.__name__)  # type: ignore[union-attr]
        said = []
        for app in (cli.app, cli._only_what_runs([name])):
            command = typer.main.get_command(app)
            try:
                code = command.main([name, *args], prog_name="evaluator", standalone_mode=False)
            except ClickException as exc:  # as typer's standalone mode shows it
                exc.show()
                code = exc.exit_code
            captured = capsys.readouterr()
            said.append((code, captured.out, captured.err))
        assert said[0] == said[1], name
