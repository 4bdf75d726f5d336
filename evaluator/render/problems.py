"""Problems in words for people: the one place a problem's message becomes text.

The core reports facts: a `Problem` carries a `Message` (a template from the tables in
evaluator.messages and its arguments). Here it is worded: today in the English of the
templates; with a second language, the template translated (it is the msgid) and
formatted with the same arguments, each phrase among them translated the same way. The
JSON `errors` keep the English `Problem.message`: they are the contract, not prose.
"""

from __future__ import annotations

from evaluator.errors import Problem
from evaluator.messages import SEPARATOR, Arg, Message
from evaluator.render.i18n import gettext as _
from evaluator.render.i18n import language


def message_text(message: Message | str) -> str:
    """A message in words for people (plain text is already words): in English its
    template formatted; in another language the template translated and formatted with
    its arguments, each phrase among them translated the same way."""
    if isinstance(message, str) or language() == "en":
        return str(message)
    args = {name: _argument(value) for name, value in message.args.items()}
    return _(message.template).format_map(args)


def _argument(value: Arg) -> Arg:
    if isinstance(value, Message):
        return message_text(value)
    if type(value) is tuple:
        return SEPARATOR.join(str(_argument(item)) for item in value)
    return value


def problem_text(problem: Problem) -> str:
    """What a problem says, in words for people."""
    return message_text(problem.words)


def problem_line(problem: Problem) -> str:
    """`FILE:LINE:COLUMN: message` (`FILE: message` with no location), for people."""
    return f"{problem.place}: {problem_text(problem)}"
