"""Renderers: one module per output format, all fed the same result objects."""

from __future__ import annotations

from dataclasses import dataclass

FORMATS = ("table", "json", "csv", "markdown", "html")


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How text output should look: colour, width and rows only matter to `table`."""

    color: bool = False
    width: int = 100
    rows: int | None = None  # the rows a long ranking shows before "… and N more"; None: all
