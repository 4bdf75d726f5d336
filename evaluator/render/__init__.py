"""Renderers: one module per output format, all fed the same result objects."""

from __future__ import annotations

import math
from dataclasses import dataclass

FORMATS = ("table", "json", "csv", "markdown", "html", "xlsx")


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How text output should look: colour, width and rows only matter to `table`."""

    color: bool = False
    width: int = 100
    command: tuple[str, ...] = ()  # the command line of the run, for the audit trail
    rows: int | None = None  # the rows a long ranking shows before "… and N more"; None: all
    # Every offer's file read by the run, (id, file, sha256), for the audit trail: both
    # envelopes of an offer in two, and offers out at a stage too; empty: the ranked ones'.
    files: tuple[tuple[str, str, str], ...] = ()
    lang: str = "en"  # the language of the report: titles given in it are shown (render.language)


def percent(share: float, places: int = 1, way: str = "nearest") -> str:
    """A share of 1 as people read and type a weight: `30%`, `35.2%`, `0.4%`.

    `places` decimals at most (trailing zeros dropped); `way` "down" or "up" rounds toward
    that side instead of to the nearest, for a bound that must not overstate a range.
    """
    scaled = round(share * 100 * 10**places, 6)  # float noise: 0.35 is 34.999999999...
    if way == "down":
        scaled = math.floor(scaled)
    elif way == "up":
        scaled = math.ceil(scaled)
    text = f"{round(scaled) / 10**places:.{places}f}" if places else f"{round(scaled)}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("0" if text == "-0" else text) + "%"


def decimals(share: float) -> int:
    """The decimals a weight needs in percent (0 for 35%, 2 for 35.25%), up to 4."""
    value = share * 100
    return next((p for p in range(4) if abs(round(value, p) - value) < 1e-9), 4)
