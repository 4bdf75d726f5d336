"""The options the commands share, parsed once into one `RunOptions`, and what the core's
settings are called on the command line.

The typer parameters stay text (their conversion is cli/coercion.py's fast path, and the
messages are ours); `run_options` checks them in the order a user has always seen the
messages (format, method, the command's own checks, weights) and gives enums.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from evaluator.errors import EvaluatorError, InputError, Problem, SettingError, UsageError
from evaluator.io.files import DEFAULT_MAX_BYTES
from evaluator.messages import settings
from evaluator.render import FORMATS
from evaluator.render.i18n import gettext as _


class Method(StrEnum):
    """How scores are combined (`--method`); ALL ranks by each side by side."""

    WSM = "wsm"
    TOPSIS = "topsis"
    PROMETHEE = "promethee"
    ALL = "all"


class Format(StrEnum):
    """An output format (`--format`): each command takes some of them."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"
    YAML = "yaml"
    XLSX = "xlsx"  # a workbook: bytes, never to a terminal (docs/cli.md)


RESULT_FORMATS = tuple(Format(name) for name in FORMATS)  # compare, score: every renderer
# show: every renderer of text (a stored run is made again through a pipe of text)
SHOW_FORMATS = tuple(f for f in RESULT_FORMATS if f is not Format.XLSX)
REPORT_FORMATS = (Format.TABLE, Format.JSON, Format.MARKDOWN)  # sensitivity, criteria
WEIGHTS_FORMATS = (Format.TABLE, Format.JSON, Format.YAML)  # weights (AHP)
DIFF_FORMATS = (Format.TABLE, Format.JSON, Format.MARKDOWN, Format.HTML)  # diff


@dataclass(frozen=True, slots=True)
class RunOptions:
    """The options of one command, checked: where the inputs are, what the run changes,
    where and how the result goes."""

    format: Format = Format.TABLE
    criteria: Path | None = None
    panel: Path | None = None
    weights: dict[str, float] | None = None  # what-if weights, percent of the total
    method: Method | None = None  # None: the criteria file's
    output: str | None = None  # None: standard output
    force: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    jobs: int | None = None
    bom: bool = False  # --bom: a CSV begins with a UTF-8 byte-order mark (for Excel)

    @property
    def panel_inputs(self) -> list[Path]:
        """The panel folder, as an input that --output must never overwrite."""
        return [] if self.panel is None else [self.panel]


def run_options(
    fmt: str,
    formats: Sequence[Format],
    *,
    method: str | None = None,
    weights: str | None = None,
    criteria: Path | None = None,
    panel: Path | None = None,
    output: str | None = None,
    force: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int | None = None,
    check: Callable[[Format], None] | None = None,
    weights_file: Path | None = None,
) -> RunOptions:
    """A command's options, as typer gives them, checked and parsed: `fmt` one of
    `formats`, `method` one of `Method`, then the command's own `check` (given the
    format), then the weights. A usage error (exit status 2) names the option at fault."""
    chosen = Format(check_choice("--format", fmt, formats))
    way = None if method is None else Method(check_choice("--method", method, tuple(Method)))
    if check is not None:
        check(chosen)
    if weights_file is not None and weights is not None:
        raise UsageError.at("--weights-file", _("give --weights or --weights-file, not both"))
    what_if = (
        parse_weights(weights)
        if weights_file is None
        else read_weights_file(weights_file, max_bytes)
    )
    return RunOptions(chosen, criteria, panel, what_if, way, output, force, max_bytes, jobs)


def check_choice(option: str, value: str, choices: Sequence[str]) -> str:
    """`value` if it is one of `choices`, else a usage error about `option`."""
    if value not in choices:
        raise UsageError.at(
            option, settings.UNKNOWN_METHOD(method=value, methods=", ".join(choices))
        )
    return value


def parse_weights(text: str | None) -> dict[str, float] | None:
    """`pricing=40,g2g_guarantees=20` as a mapping of percentages; a usage error otherwise.

    A weight is a percentage of the total, as every output shows weights: `pricing=36`
    (or `pricing=36%`) makes pricing 36% of the total, and the criteria not named keep
    their proportions (`Criteria.weights`). A figure between 0 and 1 without `%` reads
    like a fraction of 1, the other scale: it is refused, not taken as under 1%.
    """
    if not text:
        return None
    from evaluator.io.strict_yaml import number_value

    weights: dict[str, float] = {}
    for part in text.split(","):
        name, sep, written = part.partition("=")
        name, written = name.strip(), written.strip()
        percent = written.endswith("%")
        number = written.removesuffix("%").strip() if percent else written
        # Numbers as in the files: no "inf", "nan", "0x10" or non-ASCII digits, nothing
        # too large, and nothing so small that it would silently become 0.
        value = number_value(number)
        if not sep or not _CRITERION_ID.match(name) or value is None:
            raise UsageError.at(
                "--weights",
                _(
                    "expected NAME=PERCENT (a criterion id and a percentage from 0 to 100), "
                    "got {given}"
                ).format(given=_shown(part)),
            )
        if name in weights:
            raise UsageError.at("--weights", _("`{name}` is given twice").format(name=name))
        if not 0 <= value <= 100:
            raise UsageError.at(
                "--weights",
                _("{given}: a weight is a percentage of the total, from 0 to 100").format(
                    given=_shown(part)
                ),
            )
        if not percent and 0 < value <= 1:
            raise UsageError.at(
                "--weights",
                _(
                    "{given} reads like a fraction of 1, but weights are percentages of the "
                    "total: for {percent:g}% write {name}={percent:g} (or {name}={number}% if "
                    "you mean {value:g}%)"
                ).format(
                    given=_shown(part), percent=value * 100, name=name, number=number, value=value
                ),
            )
        weights[name] = float(value)
    return weights


def read_weights_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, float]:
    """`--weights-file`: a YAML file `weights: {pricing: 40, ...}`, percentages of the total
    as `--weights` takes them (what `evaluator explore` saves). An input error (exit 1),
    located, when it is not one."""
    from evaluator.io.files import load_document

    document = load_document(path, max_bytes)
    data = document.data
    if (
        not isinstance(data, dict)
        or set(data) != {"weights"}
        or not isinstance(data["weights"], dict)
    ):
        raise InputError.at(
            document.file,
            _(
                "expected one key, `weights`, a mapping of criterion ids to percentages of the "
                "total (weights: {{pricing: 40}})"
            ).format(),
            1,
            1,
        )
    weights: dict[str, float] = {}
    for name, value in data["weights"].items():
        line, column = document.marks.get(("weights", name), (None, None))
        if not isinstance(name, str) or not _CRITERION_ID.match(name):
            raise InputError.at(
                document.file, _("`{name}` is not a criterion id").format(name=name), line, column
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise InputError.at(
                document.file,
                _(
                    "`{name}`: expected a percentage of the total, from 0 to 100, got {value!r}"
                ).format(name=name, value=value),
                line,
                column,
            )
        weights[name] = float(value)
    return weights


_CRITERION_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _shown(text: str) -> str:
    """Text from the command line, quoted, with anything that would drive a terminal escaped."""
    return repr(text.strip())


# The option that gives each setting the core names in its errors (`SettingError`).
OPTION_OF_SETTING = {
    "criteria": "--criteria",
    "panel": "--panel",
    "weights": "--weights",
    "method": "--method",
    "format": "--format",
    "output": "--output",
    "samples": "--samples",
    "seed": "--seed",
    "spread": "--spread",
    "values": "--values",
    "ranks": "--ranks",
    "max_bytes": "--max-bytes",
    "jobs": "--jobs",
}


def on_command_line(error: EvaluatorError) -> Sequence[Problem]:
    """The error's problems as the command line says them: a setting by its option."""
    if not isinstance(error, SettingError):
        return error.problems
    return [
        Problem(OPTION_OF_SETTING.get(p.file, p.file), p.words, p.line, p.column)
        for p in error.problems
    ]
