"""Words as data: what the core says about a problem, as a template and its arguments.

The core finds problems; it does not word them. Each sentence it can say is a `Template`
in one table per topic, in this package (`files`, `syntax`, `values`, `proposal`,
`criteria`, `panel`, `judgements`, `scoring`, `settings`), named by what it says:

    UNKNOWN_NAME = Template("unknown {what} `{name}`{hint}")

and a reader that finds one calls it with the facts: `UNKNOWN_NAME(what=FIELD,
name="colour", hint="")`, a `Message`. Nothing is formatted until the message is read:
`str(message)` is the English text, `template.format(**args)`. An argument is a value from
an input file or a number (as it is shown), a `Message` itself (a phrase with its own
arguments: a hint, a noun, a value described), or a tuple of those (a list, its items
separated by ", "). A template with no argument is a message as it is.

The render layer turns a message into words for people (evaluator.render.problems): today
the English of the templates; with a second language, the template translated (it is the
gettext msgid) and formatted with the same arguments, each Message among them translated
the same way. A template is never an f-string, and no sentence is put together by adding
strings: tests/test_messages.py checks both, and that every call gives a template exactly
the arguments it names.

This package is the bottom layer: it imports nothing of evaluator's.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeAlias

# An argument: a value as shown (a name, a figure), a phrase, or a list of them.
Arg: TypeAlias = "str | int | float | Message | tuple[Arg, ...]"

_NO_ARGS: Mapping[str, Arg] = MappingProxyType({})
SEPARATOR = ", "  # between the items of a list argument


class Message:
    """A template and the arguments it is formatted with; `str()` gives the English."""

    __slots__ = ("args", "template")

    def __init__(self, template: str, args: Mapping[str, Arg] = _NO_ARGS) -> None:
        self.template = template
        self.args = args

    def __str__(self) -> str:
        """The English text: the template formatted with the arguments (a Message among
        them formatted the same way, a list as its items separated by ", ")."""
        args = self.args
        if any(type(value) is tuple for value in args.values()):
            args = {
                name: SEPARATOR.join(map(str, value)) if type(value) is tuple else value
                for name, value in args.items()
            }
        return self.template.format_map(args)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return self.template == other.template and dict(self.args) == dict(other.args)

    def __hash__(self) -> int:
        return hash(self.template)

    def __repr__(self) -> str:
        return f"Message({self.template!r}, {dict(self.args)!r})"

    def __reduce__(self) -> tuple[type[Message], tuple[str, dict[str, Arg]]]:
        return Message, (self.template, dict(self.args))


class Template(Message):
    """One entry of a message table: a message with no arguments yet. Called with its
    arguments (by name, every name the template has) it gives the Message to report."""

    __slots__ = ()

    def __init__(self, template: str) -> None:
        super().__init__(template)

    def __call__(self, **args: Arg) -> Message:
        """The message this template says of these facts."""
        return Message(self.template, args)

    def __repr__(self) -> str:
        return f"Template({self.template!r})"

    def __reduce__(self) -> tuple[type[Message], tuple[str, dict[str, Arg]]]:
        return Message, (self.template, {})
