"""The command line's own words in a run's language other than English: `--help` (ours,
typer's and click's words) and the usage errors of the command line.

Imported only by a run that is not in English (cli/app.py `_run`): an English run builds
and formats its help exactly as typer does, and imports nothing of this.

- Our words: the help texts of the commands (their docstrings), of the options and
  arguments (`help=`), and the epilogs, are msgids, extracted by `extract_help` (babel.cfg);
  `localise` puts each one's translation in its place in the command tree.
- Typer's words (the section headings, `[default: ...]`, `[required]`, `No such command`)
  are looked up by typer.core with gettext, as `typer.core._`: for the run, that one name
  is our catalogue's lookup (`typer_words`), and is given back after it. Nothing else is
  changed: no environment variable, no gettext domain of the process.
- Click's words: typer carries its own copy of click (typer._click), whose words are
  plain English, not looked up: `Usage:` and `Show this message and exit.` are put in
  their place in the tree of this run (its contexts' formatter, its help options), and a
  usage error's text is translated, when it is shown, sentence by sentence from
  USAGE_ERRORS (its parts that the user typed, or the command's names, as they are).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from types import MethodType
from typing import IO, Any

from evaluator.render.i18n import N_
from evaluator.render.i18n import gettext as _

# Help texts of ours made with a value (the command's formats): the English template,
# whose translation is filled with the values the English text holds.
FILLED_HELP = (N_("Output format: {formats}."),)

# Click's words in a help page (typer._click, plain English there).
USAGE = N_("Usage:")
HELP_OPTION = N_("Show this message and exit.")
TRY_HELP = N_("Try '{command} {option}' for help.")
ERROR = N_("Error: {message}")

# Typer's words, which typer.core looks up with gettext (`_`).
TYPER_WORDS = (
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("default: {default}"),
    N_("required"),
    N_("No such command {name!r}."),
    N_("Missing command."),
    N_("Aborted!"),
)

# The sentences of a usage error, as typer's copy of click (and pydantic, through which
# typer converts a value) word them: the first whose English matches the whole message is
# translated; a {message} in it is translated in turn. Those holding another sentence
# come first.
USAGE_ERRORS = (
    N_("{message} (Possible options: {options})"),
    N_("{message}. Did you mean {suggestions}?"),
    N_("Invalid value for {name}: {message}"),
    N_("Invalid value: {message}"),
    N_("No such option: {name}"),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Got unexpected extra argument(s) ({args})"),
    N_("Option {name} does not take a value."),
    N_("Option {name} requires an argument."),
    N_("Input should be greater than or equal to {number}"),
    N_("Input should be less than or equal to {number}"),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("file {name} is a directory."),
)


@cache
def _pattern(template: str) -> re.Pattern[str]:
    """A pattern that matches `template`'s English with anything in its placeholders."""
    pattern = "".join(
        re.escape(text) + (f"(?P<{name}>.+?)" if name else "")
        for text, name, _spec, _conversion in string.Formatter().parse(template)
    )
    return re.compile(pattern, re.DOTALL)


def _said(template: str, values: dict[str, str]) -> str:
    return "".join(
        text + (values[name] if name else "")
        for text, name, _spec, _conversion in string.Formatter().parse(template)
    )


def usage_error(message: str) -> str:
    """A usage error's message in the run's language, as far as its sentences are known."""
    for template in USAGE_ERRORS:
        found = _pattern(template).fullmatch(message)
        if found is None:
            continue
        values = found.groupdict()
        if "message" in values:
            values["message"] = usage_error(values["message"])
        return _said(_(template), values)
    return message


def help_text(text: str) -> str:
    """One of our help texts in the run's language."""
    for template in FILLED_HELP:
        found = _pattern(template).fullmatch(text)
        if found is not None:
            return _said(_(template), found.groupdict())
    return _(text)


def typer_words(message: str) -> str:
    """typer.core's gettext, for the run: its words from our catalogue."""
    return _(message)


@contextmanager
def localised(command: Any) -> Iterator[Any]:
    """`command` (the app's click command tree) with its words in the run's language, for
    the time of the run: typer.core's gettext is ours until the run is over."""
    import typer.core

    names = vars(typer.core)  # the module's own names: `_` is its gettext
    saved = names["_"]
    localise(command)
    names["_"] = typer_words
    try:
        yield command
    finally:
        names["_"] = saved


def localise(command: Any) -> None:
    """Translate the help of `command` and of its subcommands, in place."""
    _localise_tree(command)
    _catch_usage_errors(command)


def _localise_tree(command: Any) -> None:
    for attribute in ("help", "short_help", "epilog"):
        text = getattr(command, attribute, None)
        if text:
            setattr(command, attribute, help_text(text))
    for param in getattr(command, "params", ()):
        if getattr(param, "help", None):
            param.help = help_text(param.help)
    command.context_class = _context_class(command.context_class)
    made = command.get_help_option  # as cli/coercion.py left it

    def get_help_option(ctx: Any) -> Any:
        option = made(ctx)
        if option is not None and option.help == HELP_OPTION:
            option.help = _(HELP_OPTION)
        return option

    command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        _localise_tree(sub)


@cache
def _context_class(base: Any) -> type:
    """Contexts of `base`'s kind whose help pages say `Usage:` in the run's language."""
    formatter: type = base.formatter_class

    class Formatter(formatter):  # type: ignore[misc]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, _(USAGE) + " " if prefix is None else prefix)

    class Context(base):  # type: ignore[misc]
        formatter_class = Formatter

    return Context


def _catch_usage_errors(command: Any) -> None:
    """A usage error raised while `command` (the root) parses or runs its subcommands is
    shown in the run's language: the error's own `show`, replaced on that error only."""
    for name in ("make_context", "invoke"):
        method = getattr(command, name)
        setattr(command, name, _showing_localised(method))


def _showing_localised(method: Callable[..., Any]) -> Callable[..., Any]:
    from typer._click.exceptions import ClickException, UsageError

    # The errors shown as click words them (not a help page shown for want of arguments).
    worded = (ClickException.show, UsageError.show)

    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except ClickException as error:
            if type(error).show in worded:
                error.show = MethodType(_show, error)  # type: ignore[method-assign]
            raise

    return run


def _show(error: Any, file: IO[Any] | None = None) -> None:
    """typer._click's `UsageError.show` (and `ClickException.show`), in the run's
    language."""
    from typer._click._compat import get_text_stderr
    from typer._click.utils import echo

    if file is None:
        file = get_text_stderr()
    ctx = getattr(error, "ctx", None)
    color = getattr(error, "show_color", None)
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            words = _(TRY_HELP).format(command=ctx.command_path, option=ctx.help_option_names[0])
            hint = words + "\n"
        color = ctx.color
        echo(f"{ctx.get_usage()}\n{hint}", file=file, color=color)
    echo(_(ERROR).format(message=usage_error(error.format_message())), file=file, color=color)


# --- extraction (babel.cfg, `make messages`) -----------------------------------------------

HELP_KEYWORDS = ("help", "short_help", "epilog")


def extract_help(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[Any]:
    """Babel's Python extraction, and besides: every literal `help=`, `short_help=` and
    `epilog=` text, and the docstring of every function decorated as a command
    (`@app.command(...)`): the words of `--help`."""
    import ast

    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    fileobj.seek(0)
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in HELP_KEYWORDS:
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                yield value.lineno, None, value.value, []
        elif isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Call)
            and isinstance(d.func, ast.Attribute)
            and d.func.attr == "command"
            for d in node.decorator_list
        ):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield node.body[0].lineno, None, doc, []
