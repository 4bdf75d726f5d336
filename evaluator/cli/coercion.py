"""Command-line values converted without importing pydantic, where that changes nothing.

Typer (0.29 and later) converts each parameter's value, given or not, through a pydantic
`TypeAdapter` it builds for that parameter; the first one imports pydantic, about a third of
a short command's whole run (see bench/README.md). Our parameters are plain `str`, `int`
(with `min`), `bool` flags, `Path` and `list[Path]`. For those, this module converts the
values it can prove valid to exactly what typer would return, and hands every other value
(a bad number, a directory where a file is wanted, an annotation it does not know) to
typer's own conversion, so every error message is typer's. tests/test_coercion.py checks
that the two agree for every parameter of every command, on good and bad values alike.

It relies on one typer method, `get_runtime_param()`, shadowed per parameter object; with
a typer that has no such method nothing is installed and typer does all the work.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args, get_origin

_UNSURE = object()  # "let typer convert this value"
_DIGITS = re.compile(r"(?:0|[1-9][0-9]{0,17})\Z")  # what int() and pydantic read alike

Convert = Callable[[Any], Any]


def install(command: Any) -> Any:
    """Give every parameter of `command` (and of its subcommands) the fast conversion."""
    for param in getattr(command, "params", ()):
        _install_one(param)
    for sub in getattr(command, "commands", {}).values():
        install(sub)
    help_option = getattr(type(command), "get_help_option", None)
    if callable(help_option):  # made on first use; --help (None when not given) is a value too

        def get_help_option(ctx: Any) -> Any:
            option = help_option(command, ctx)
            if option is not None:
                _install_one(option)
            return option

        command.get_help_option = get_help_option
    return command


def _install_one(param: Any) -> None:
    original = getattr(type(param), "get_runtime_param", None)
    descriptor: Any = getattr(param, "type_descriptor", None)
    info = getattr(descriptor, "parameter_info", None)
    if not callable(original) or info is None or "get_runtime_param" in vars(param):
        return
    convert = converter(descriptor.annotation, info)
    if convert is None:
        return
    fast = _FastParam(convert, lambda: original(param))
    param.get_runtime_param = lambda: fast


class _FastParam:
    """Typer's runtime-parameter interface: `coerce(value, param=, ctx=)`."""

    __slots__ = ("_typer", "convert", "typer_param")

    def __init__(self, convert: Convert, typer_param: Callable[[], Any]) -> None:
        self.convert = convert
        self.typer_param = typer_param
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:  # as typer: nothing given, and no default
            return () if (param.multiple or param.nargs == -1) else None
        result = self.convert(value)
        if result is _UNSURE:
            if self._typer is None:
                self._typer = self.typer_param()
            return self._typer.coerce(value, param=param, ctx=ctx)
        return result


def converter(annotation: Any, info: Any) -> Convert | None:
    """The fast conversion for one annotation, or None when typer must do it all."""
    if getattr(info, "parser", None) is not None:
        return None
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        each = converter(item, info)
        return None if each is None else _list_of(each)
    if annotation is str:
        return _text
    if annotation is bool:
        return _unsure  # typer itself skips values that are already bool
    if annotation is int:
        return _integer(info)
    if isinstance(annotation, type) and issubclass(annotation, Path) and _plain_path(info):
        return _path(annotation, info)
    return None


def _unsure(value: Any) -> Any:
    return _UNSURE


def _text(value: Any) -> Any:
    return value if type(value) is str else _UNSURE


def _list_of(each: Convert) -> Convert:
    def convert(value: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            return _UNSURE
        items = [each(item) for item in value]
        return _UNSURE if any(item is _UNSURE for item in items) else items

    return convert


def _integer(info: Any) -> Convert:
    low, high = getattr(info, "min", None), getattr(info, "max", None)

    def convert(value: Any) -> Any:
        if type(value) is str and _DIGITS.match(value):
            number = int(value)
        elif type(value) is int:
            number = value
        else:
            return _UNSURE
        if (low is not None and number < low) or (high is not None and number > high):
            return _UNSURE  # typer says why (or clamps)
        return number

    return convert


def _plain_path(info: Any) -> bool:
    """No option that makes typer resolve, rename or open the path."""
    return not (
        getattr(info, "resolve_path", False)
        or getattr(info, "allow_dash", False)
        or getattr(info, "path_type", None) is not None
    )


def _path(kind: type[Path], info: Any) -> Convert:
    exists, readable, writable = info.exists, info.readable, info.writable
    file_okay, dir_okay = info.file_okay, info.dir_okay
    checks = exists or readable or writable or not file_okay or not dir_okay

    def convert(value: Any) -> Any:
        if type(value) is not str or not value or "\0" in value:
            return _UNSURE
        if checks:  # typer's own checks, in its order; any failure is typer's to word
            try:
                mode = os.stat(value).st_mode
            except OSError:
                return _UNSURE if exists else kind(value)
            if (
                (not file_okay and stat.S_ISREG(mode))
                or (not dir_okay and stat.S_ISDIR(mode))
                or (readable and not os.access(value, os.R_OK))
                or (writable and not os.access(value, os.W_OK))
            ):
                return _UNSURE
        return kind(value)

    return convert
