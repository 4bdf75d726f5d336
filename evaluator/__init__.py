"""evaluator: score defence-procurement proposals against stated criteria, and compare them.

The library (see docs/api.md)::

    import evaluator
    comparison = evaluator.compare("proposals", panel="panel", weights={"pricing": 40})
    comparison.winner.id, comparison.to_dict()

Every name below is imported when first used, so that `import evaluator` (and the command
line's start-up) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what mypy and editors see; at run time, __getattr__ imports on demand
    from evaluator.api import (
        Comparison,
        Evaluation,
        compare,
        derive_weights,
        diff,
        load_criteria,
        score,
        sensitivity,
    )
    from evaluator.errors import (
        CriteriaError,
        EvaluatorError,
        InputError,
        OutputError,
        Problem,
        SettingError,
        UsageError,
    )

__all__ = [
    "Comparison",
    "CriteriaError",
    "Evaluation",
    "EvaluatorError",
    "InputError",
    "OutputError",
    "Problem",
    "SettingError",
    "UsageError",
    "__version__",
    "compare",
    "derive_weights",
    "diff",
    "load_criteria",
    "score",
    "sensitivity",
]

_HOME = {
    **dict.fromkeys(
        (
            "Comparison",
            "Evaluation",
            "compare",
            "derive_weights",
            "diff",
            "load_criteria",
            "score",
            "sensitivity",
        ),
        "evaluator.api",
    ),
    **dict.fromkeys(
        (
            "CriteriaError",
            "EvaluatorError",
            "InputError",
            "OutputError",
            "Problem",
            "SettingError",
            "UsageError",
        ),
        "evaluator.errors",
    ),
}


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use (PEP 562)."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(home), name)
    globals()[name] = value  # the next use is a plain lookup
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
