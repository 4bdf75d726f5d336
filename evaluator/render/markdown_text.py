"""Text from input files, made safe to write into Markdown: `md()`, the one way in.

A proposal, criteria or panel file comes from outside. Whatever it says must reach a
Markdown report as the words it wrote, never as markup: no HTML, no heading, list, quote,
code block or rule, no link, image or autolink, no emphasis, no table cell of its own, no
line break. Every renderer of Markdown (`compare`, `score`, `criteria`, `sensitivity`)
passes each text that holds something from a file through `md()`; what it writes itself
(`**bold**`, `` `code` ``, table pipes) it marks as `Markdown`, and `row()` escapes every
other cell. docs/cli.md ("Markdown output") gives the rule.
"""

from __future__ import annotations

import re


class Markdown(str):
    """Text that is Markdown already: our own markup, or input escaped by `md()`."""

    __slots__ = ()


_LINE_BREAK = re.compile(r"\r\n?|\n")
# What could start markup, wherever it stands. `_` only at the edge of a word (inside one,
# as in technology_transfer, it cannot make emphasis); `&` only where an entity could
# follow (`&lt;` stays the text `&lt;`; `R & D` needs nothing); `/` after `/` (no
# `http://` or `//host` autolink); the dot of `www.` and of a domain name (`evil.com`:
# every two-letter top-level domain and linkify-it's list), for renderers that link those.
_MARKUP = re.compile(
    r"""
    (?=[\\`*\[\]<|~$@#_&/.])  # (quick to rule out: most characters are none of these)
    (?:
      [\\`*\[\]<|~$@#]
    | (?<![^\W_])_ | _(?![^\W_])
    | &(?=[A-Za-z0-9\#]|$)
    | (?<=/)/
    | (?<=(?<![^\W_])[wW]{3})\.
    | (?<=[A-Za-z0-9-])\.(?=(?i:[a-z]{2}|com|net|org|edu|gov|biz|pro|web|xxx|aero|asia
                             |coop|info|museum|name|shop)(?![\w-]))
    )
""",
    re.VERBOSE,
)
# At the start of a line: a quote, a list item, a setext underline or a definition.
_BLOCK_START = re.compile(r">|[-+=:](?=[-=\s]|$)|\d{1,9}(?=[.)](?:\s|$))")
# A cell of a table's delimiter row (`---`, `---:`): text in any other row's cell.
_DELIMITER = re.compile(r":?-{3,}:?")


def _backslash(match: re.Match[str]) -> str:
    return "\\" + match.group()


def md(text: object, code: bool = False) -> Markdown:
    """`text` (from an input file) as Markdown that shows exactly it, on one line.

    Line breaks become spaces and the ends are trimmed; every character that could start
    markup is backslash-escaped (only where it could: `technology_transfer`, `60.98` and
    `R & D` are left as they are). Safe anywhere inline: in a paragraph, a heading, a
    list item, a quote, a table cell, and at the start of a line. With `code`, the text
    is a code span when nothing in it can end one (a backtick or a table pipe), and
    escaped text otherwise. Our own Markdown (a `Markdown`) is returned as it is.
    """
    if isinstance(text, Markdown):
        return text
    plain = str(text)
    if "\n" in plain or "\r" in plain:
        plain = _LINE_BREAK.sub(" ", plain)
    plain = plain.strip()
    if code and plain and "`" not in plain and "|" not in plain:
        return Markdown(f"`{plain}`")
    escaped = _MARKUP.sub(_backslash, plain) if _MARKUP.search(plain) else plain
    start = _BLOCK_START.match(escaped)
    if start is not None:
        cut = start.end() if start.group()[0].isdigit() else 0
        escaped = escaped[:cut] + "\\" + escaped[cut:]
    return Markdown(escaped)


def row(cells: list[object]) -> str:
    """A table row; every cell but our own `Markdown` (and `---`, `---:`, which only the
    delimiter row below the header makes anything of) is escaped by `md()`."""
    return (
        "| "
        + " | ".join(c if isinstance(c, str) and _DELIMITER.fullmatch(c) else md(c) for c in cells)
        + " |"
    )
