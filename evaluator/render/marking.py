"""The security classification marking (SULIT, ...) at the head and foot of a report.

The marking is the level itself, in capitals, as Malaysian documents print it at the top
and bottom of every page (docs/report.md). The HTML report prints it on every page
(templates/report.html); the terminal output and Markdown carry it first and last.
"""

from __future__ import annotations


def marked(text: str, level: str | None, fmt: str) -> str:
    """`text` (a table or Markdown report) with the marking first and last; as it is when
    there is no classification, or for a format that carries it otherwise (JSON's key, the
    HTML report's own header and footer)."""
    if not level or fmt not in ("table", "markdown"):
        return text
    shown = f"**{level}**" if fmt == "markdown" else level
    body = text if text.endswith("\n") else text + "\n"
    return f"{shown}\n\n{body}\n{shown}\n"
