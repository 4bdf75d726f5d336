"""The user documentation keeps up with the code: every command, option and field is in it."""

from __future__ import annotations

import typer

from evaluator.cli.app import app
from evaluator.model import fields
from tests.conftest import ROOT

DOCS = ROOT / "docs"


def test_cli_reference_lists_every_command_and_option() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    advice = (
        "docs/cli.md is out of date: paste the output of "
        "`COLUMNS=100 evaluator {} --help` into its section (`make docs` does it)"
    )
    for name, command in group.commands.items():
        assert f"## `evaluator {name}`" in text, advice.format(name)
        for parameter in command.params:
            for option in parameter.opts:
                if option.startswith("-"):
                    assert option in text, advice.format(name) + f" (it lacks {option})"


def test_user_guide_names_every_proposal_field() -> None:
    text = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    for section, specs in fields.SECTIONS.items():
        assert f"`{section}`" in text, section
        for key in specs:
            assert f"`{key}`" in text, f"{section}.{key}"
    for section in (*fields.ACTIVITY_SECTIONS, *fields.FREE_FORM_SECTIONS):
        assert f"`{section}`" in text, section


def test_readme_links_the_guides() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/user-guide.md)" in readme and "(docs/cli.md)" in readme
