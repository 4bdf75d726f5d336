"""`--lang`: the language of a run's words for people, on every command.

The option may stand anywhere before `--` (`evaluator --lang ms compare ...` or
`evaluator compare ... --lang ms`): it is taken out of the arguments before the commands
parse theirs, so that the language holds from the first word a run writes (a usage error
of the command line included). With no --lang: EVALUATOR_LANG, else the locale
(evaluator.render.i18n.default_language).
"""

from __future__ import annotations

from evaluator.errors import Problem, UsageError
from evaluator.messages import settings
from evaluator.render.i18n import LANGUAGES, default_language, set_language

OPTION = "--lang"


def take_language(args: list[str]) -> list[str]:
    """Set the run's language from `args` (or the environment) and give the arguments
    without --lang. A --lang with no value is left for the command line to refuse."""
    chosen, rest, index = None, [], 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg == OPTION and index + 1 < len(args):
            chosen, index = args[index + 1], index + 2
            continue
        if arg.startswith(OPTION + "="):
            chosen, index = arg.partition("=")[2], index + 1
            continue
        rest.append(arg)
        index += 1
    set_language("en")
    environment = default_language()
    if chosen is None and environment not in LANGUAGES:
        raise UsageError([_unknown("EVALUATOR_LANG", environment)])
    if chosen is not None and chosen not in LANGUAGES:
        if environment in LANGUAGES:  # the refusal in the language the run would have had
            set_language(environment)
        raise UsageError([_unknown(OPTION, chosen)])
    set_language(environment if chosen is None else chosen)
    return rest


def _unknown(where: str, value: str) -> Problem:
    return Problem(where, settings.UNKNOWN_METHOD(method=value, methods=", ".join(LANGUAGES)))
