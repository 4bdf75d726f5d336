"""The command line's options: what the core's settings are called here."""

from __future__ import annotations

from collections.abc import Sequence

from evaluator.errors import EvaluatorError, Problem, SettingError

# The option that gives each setting the core names in its errors (`SettingError`).
OPTION_OF_SETTING = {
    "criteria": "--criteria", "panel": "--panel", "weights": "--weights",
    "method": "--method", "format": "--format", "output": "--output",
    "samples": "--samples", "seed": "--seed", "spread": "--spread", "values": "--values",
    "ranks": "--ranks", "max_bytes": "--max-bytes", "jobs": "--jobs",
}


def on_command_line(error: EvaluatorError) -> Sequence[Problem]:
    """The error's problems as the command line says them: a setting by its option."""
    if not isinstance(error, SettingError):
        return error.problems
    return [Problem(OPTION_OF_SETTING.get(p.file, p.file), p.message, p.line, p.column)
            for p in error.problems]
