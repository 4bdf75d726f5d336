"""One error family: every problem a user can see knows its file, line and column."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One located message about an input file (line and column are 1-based)."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        """Render as `FILE:LINE:COLUMN: message`, or `FILE: message` with no location."""
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.column or 1}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The JSON form used in the `errors` list of a result."""
        return {"file": self.file, "line": self.line, "column": self.column,
                "message": self.message}


class EvaluatorError(Exception):
    """Base of every error the tool reports to a user (never a traceback)."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: str, message: str, line: int | None = None,
           column: int | None = None) -> EvaluatorError:
        """Build an error with a single located problem."""
        return cls([Problem(file, message, line, column)])


class InputError(EvaluatorError):
    """An input file (proposal, criteria, panel, weights) cannot be read or is invalid."""


class CriteriaError(InputError):
    """The criteria file is invalid; nothing can be scored against it."""


class OutputError(EvaluatorError):
    """The result cannot be written where the user asked."""


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
