"""One error family: every problem a user can see knows its file, line and column."""

from __future__ import annotations

from collections.abc import Iterable

from evaluator.messages import Message


class Problem:
    """One located message about an input file (line and column are 1-based).

    `words` is what it says, as facts: a `Message` (a template from one of the tables in
    evaluator.messages, and its arguments), or plain text; `message` is that in English,
    as `str()`, `as_dict()` and the JSON `errors` give it. People read it through the
    render layer (evaluator.render.problems), which will word it in their language.
    """

    __slots__ = ("column", "file", "line", "words")
    file: str
    words: Message | str
    line: int | None
    column: int | None

    def __init__(
        self, file: str, message: Message | str, line: int | None = None, column: int | None = None
    ) -> None:
        for name, value in (("file", file), ("words", message), ("line", line), ("column", column)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Problem cannot be changed: {name}")

    def __reduce__(self) -> tuple[type[Problem], tuple[str, Message | str, int | None, int | None]]:
        return Problem, (self.file, self.words, self.line, self.column)

    @property
    def message(self) -> str:
        """What it says, in English."""
        return str(self.words)

    @property
    def place(self) -> str:
        """`FILE:LINE:COLUMN`, or `FILE` with no location."""
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"

    def __str__(self) -> str:
        """Render as `FILE:LINE:COLUMN: message`, or `FILE: message` with no location."""
        return f"{self.place}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The JSON form used in the `errors` list of a result."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }

    def _key(self) -> tuple[str, str, int | None, int | None]:
        return self.file, self.message, self.line, self.column

    def __eq__(self, other: object) -> bool:
        """Problems are equal when they say the same of the same place."""
        if not isinstance(other, Problem):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Problem(file={self.file!r}, message={self.message!r}, line={self.line!r}, "
            f"column={self.column!r})"
        )


class EvaluatorError(Exception):
    """Base of every error the tool reports to a user (never a traceback)."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(
        cls, file: str, message: Message | str, line: int | None = None, column: int | None = None
    ) -> EvaluatorError:
        """Build an error with a single located problem."""
        return cls([Problem(file, message, line, column)])


class InputError(EvaluatorError):
    """An input file (proposal, criteria, panel, weights) cannot be read or is invalid."""


class CriteriaError(InputError):
    """The criteria file is invalid; nothing can be scored against it."""


class OutputError(EvaluatorError):
    """The result cannot be written where the user asked."""


class RegisterError(EvaluatorError):
    """The register of runs cannot be used: not a register, damaged, newer than this
    tool, unreachable, or no such run (exit status 1)."""


class NoRegisterError(RegisterError):
    """There is no register where one was looked for (none was made yet)."""


class UsageError(EvaluatorError):
    """The command line asks for something that cannot be done (exit status 2)."""

    exit_code = 2


class SettingError(UsageError):
    """A setting of the run cannot be used: a what-if weight, the method, the spread...

    Its problems' `file` is the setting's name (`weights`, `method`, `spread`, ...), so a
    library caller reads `weights: no criterion ...`; the command line shows the option
    that gave the setting instead (`--weights: no criterion ...`).
    """

    @property
    def setting(self) -> str:
        """The name of the setting at fault."""
        return self.problems[0].file
