"""Fitting rich tables to the terminal without cutting what people read.

Rich wraps a cell at spaces and folds a word too long for its column at any character:
`lifecycle_c` / `ost`, `2,414,241` / `,681`. Here a long word breaks only after `_`, after
a `.` that joins two names, after `/`, after the dash of a range (`–`) or a hyphen between
letters, never inside a number; an identifier (a proposal, criterion or gate id) only
after `_` or `.`. Column widths are worked out here, from the cells, and the breaks put in
as line breaks, so that rich has nothing left to fold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rich.cells import cell_len
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

# How a column's cells may break: prose (at spaces, and a long word after _ . / – or a
# hyphen), an identifier (after _ and . only), words (at spaces only: ids in a sentence),
# or not at all (numbers).
TEXT, IDENTIFIER, WORDS, FIXED = "text", "identifier", "words", "fixed"

_BREAKS = {
    WORDS: re.compile(r"(?!)"),
    IDENTIFIER: re.compile(r"(?<=_)(?=.)|(?<=\.)(?=[A-Za-z\[])"),
    TEXT: re.compile(
        r"(?<=_)(?=.)|(?<=\.)(?=[A-Za-z\[])|(?<=/)(?=.)|(?<=–)(?=.)"
        r"|(?<=[A-Za-z]-)(?=[A-Za-z])"
    ),
}
_WORD = re.compile(r"\S+")


def pieces(word: str, kind: str = TEXT) -> list[str]:
    """A word cut where it may break: `lifecycle_` `cost`; `2,189,094,454–` `2,414,241,681`."""
    cuts = [m.start() for m in _BREAKS[kind].finditer(word)]
    return [word[a:b] for a, b in zip([0, *cuts], [*cuts, len(word)], strict=True)]


def word_lines(word: str, width: int, kind: str = TEXT) -> list[str]:
    """A word in lines of at most `width` cells, broken only where it may break (a piece
    wider than the column is folded: the last resort)."""
    lines: list[str] = []
    line = ""
    for piece in pieces(word, kind):
        if line and cell_len(line + piece) > width:
            lines.append(line)
            line = ""
        while cell_len(piece) > width:  # no break allowed inside: fold it
            lines.append(line + piece[: width - cell_len(line)])
            piece = piece[width - cell_len(line) :]
            line = ""
        line += piece
    lines.append(line)
    return [x for x in lines if x] or [""]


def narrowest(text: str, kind: str = TEXT) -> int:
    """The narrowest column that shows `text` without folding: its widest unbreakable piece
    (an identifier keeps its indent on its first line)."""
    widths = [0]
    for line in text.split("\n"):
        if kind == IDENTIFIER:
            indent = len(line) - len(line.lstrip(" "))
            parts = pieces(line.strip(" "), kind)
            widths += [indent + cell_len(parts[0]), *(cell_len(p) for p in parts[1:])]
        else:
            widths += [cell_len(p) for word in line.split() for p in pieces(word, kind)]
            indent = len(line) - len(line.lstrip(" "))
            if indent and line.strip():  # the first word keeps the line's indent
                widths.append(indent + cell_len(pieces(line.split()[0], kind)[0]))
    return max(widths)


def natural(text: str) -> int:
    """The width of `text` unwrapped: its longest line."""
    return max((cell_len(line) for line in text.split("\n")), default=0)


def break_offsets(text: str, width: int, kind: str = TEXT) -> list[int]:
    """Where to put line breaks in `text` so that no word is wider than `width`."""
    offsets: list[int] = []
    if kind == IDENTIFIER:
        start = 0
        for line in text.split("\n"):
            indent = len(line) - len(line.lstrip(" "))
            if cell_len(line) > width:
                # The first piece keeps the indent; the others start the line.
                at = start + indent
                parts = word_lines(line[indent:], max(1, width - indent), kind)
                if len(parts) > 1 and indent:
                    rest = "".join(parts[1:])
                    parts = [parts[0], *word_lines(rest, width, kind)]
                for part in parts[:-1]:
                    at += len(part)
                    offsets.append(at)
            start += len(line) + 1
        return offsets
    for match in _WORD.finditer(text):
        word = match.group()
        line_start = text.rfind("\n", 0, match.start()) + 1
        indent = (
            match.start() - line_start if not text[line_start : match.start()].strip() else 0
        )  # the first word of an indented line starts after the indent
        if cell_len(word) > width - indent:
            parts = word_lines(word, max(1, width - indent), kind)
            if indent and len(parts) > 1:
                parts = [parts[0], *word_lines(word[len(parts[0]) :], width, kind)]
            at = match.start()
            for part in parts[:-1]:
                at += len(part)
                offsets.append(at)
    return offsets


def broken(cell: RenderableType, width: int, kind: str = TEXT) -> RenderableType:
    """A cell (text, or rich Text with its styles) with line breaks where it must wrap."""
    if isinstance(cell, Text):
        offsets = break_offsets(cell.plain, width, kind)
        return Text("\n").join(cell.divide(offsets)) if offsets else cell
    if isinstance(cell, str):
        offsets = break_offsets(cell, width, kind)
        return (
            "".join(
                f"{cell[a:b]}\n" if b in offsets else cell[a:b]
                for a, b in zip([0, *offsets], [*offsets, len(cell)], strict=True)
            )
            if offsets
            else cell
        )
    return cell


def plain(cell: RenderableType) -> str:
    """The text of a cell as it will be shown."""
    if isinstance(cell, Text):
        return cell.plain
    return cell if isinstance(cell, str) else ""


def padding(table: Table) -> int:
    """The padding of one cell, left and right."""
    _top, right, _bottom, left = table.padding
    return left + right


def overhead(table: Table) -> int:
    """The cells a table takes besides its columns' contents: edges, rules, padding."""
    count = len(table.columns)
    edges = 2 if table.show_edge and table.box else 0
    rules = count - 1 if table.box else 0
    return edges + rules + count * padding(table)


def _measure(
    table: Table, kinds: Mapping[int, str] | None
) -> tuple[list[str], list[int], list[int]]:
    """Each column's kind, natural width and narrowest width without folding."""
    kinds = dict(kinds or {})
    columns = table.columns
    kind = [FIXED if c.no_wrap else kinds.get(i, TEXT) for i, c in enumerate(columns)]
    nat, low = [], []
    for i, column in enumerate(columns):
        cells = [column.header, *column._cells]
        wide = max(natural(plain(cell)) for cell in cells)
        if column.width is not None:  # set by whoever built the table: its choice
            wide = column.width
        if column.max_width is not None:
            wide = min(wide, column.max_width)
        wide = max(wide, column.min_width or 0, 1)
        nat.append(wide)
        low.append(
            wide
            if kind[i] == FIXED
            else min(
                wide,
                max(
                    1,
                    *(
                        narrowest(plain(cell), TEXT if j == 0 else kind[i])
                        for j, cell in enumerate(cells)
                    ),
                ),
            )
        )
    return kind, nat, low


def needed_width(table: Table, kinds: Mapping[int, str] | None = None) -> int:
    """The narrowest width at which `table` shows every word without folding one."""
    return overhead(table) + sum(_measure(table, kinds)[2])


def fit_table(table: Table, width: int, kinds: Mapping[int, str] | None = None) -> Table:
    """Give each column of `table` a width that fits `width` cells, and break its cells
    where they must wrap, so that nothing is folded mid-word.

    A column that does not wrap (`no_wrap`) keeps its natural width: numbers. Others
    shrink from their natural width as rich shrinks them, the widest first, but none
    below its widest unbreakable piece; below that only as a last resort. An expanding table
    shares out the room as rich does (by `ratio`), but no column gets less than its
    widest piece while another has more than it needs. `kinds` marks the columns of
    identifiers (`IDENTIFIER`), which break only after `_` and `.`.
    """
    kind, nat, low = _measure(table, kinds)
    columns = table.columns
    room = width - overhead(table)
    ratios = [c.ratio or 0 if kind[i] != FIXED else 0 for i, c in enumerate(columns)]
    if table.expand and any(ratios):
        widths = _share(room, nat, low, ratios, kind, padding(table))
    else:
        if sum(nat) <= room:
            return table  # it fits as it is: rich lays it out unchanged
        widths = _shrink(room, nat, low, kind, padding(table))
    for i, column in enumerate(columns):
        column.width = widths[i]
        column.ratio = None
        column.min_width = column.max_width = None
        if kind[i] == FIXED:
            continue
        column.header = broken(column.header, widths[i], TEXT)
        column._cells = [broken(cell, widths[i], kind[i]) for cell in column._cells]
    return table


def _shrink(
    room: int, nat: list[int], low: list[int], kind: list[str], pad: int, fold: bool = True
) -> list[int]:
    """Rich's narrowing of a table too wide for `room` (the widest columns first), with no
    column below its widest unbreakable piece unless nothing else can give (`fold`)."""
    count = len(nat)
    widths = [n + pad for n in nat]  # rich counts a column's padding in its width
    limit = room + pad * count
    fixed = [k == FIXED for k in kind]
    while True:
        narrowed = Table._collapse_widths(widths, [not f for f in fixed], limit)
        short = [i for i in range(count) if not fixed[i] and narrowed[i] - pad < low[i]]
        if not short:
            break
        for i in short:  # at its narrowest: the others give the rest
            widths[i] = low[i] + pad
            fixed[i] = True
        if all(fixed):
            narrowed = widths
            break
    if fold and sum(narrowed) > limit:  # the last resort: fold, as rich would
        narrowed = Table._collapse_widths(narrowed, [k != FIXED for k in kind], limit)
    return [w - pad for w in narrowed]


def _share(
    room: int, nat: list[int], low: list[int], ratios: list[int], kind: list[str], pad: int
) -> list[int]:
    """Rich's share of an expanding table's room by ratio (of the widths with their
    padding), with no column below its narrowest while another has room to give: the
    other columns first give up what they can."""
    free = [i for i, r in enumerate(ratios) if r]
    others = [i for i, r in enumerate(ratios) if not r]
    need = sum(low[i] for i in free) - (room - sum(nat[i] for i in others))
    widths = list(nat)
    if need > 0:  # the columns without a ratio shrink first, down to their narrowest
        reduced = _shrink(
            sum(nat[i] for i in others) - need,
            [nat[i] for i in others],
            [low[i] for i in others],
            [kind[i] for i in others],
            0,
            fold=False,
        )
        for i, w in zip(others, reduced, strict=True):
            widths[i] = w
    while free:
        total = room - sum(w for i, w in enumerate(widths) if i not in free)
        shares = [
            share - pad for share in _distribute(total + pad * len(free), [ratios[i] for i in free])
        ]
        short = [i for i, share in zip(free, shares, strict=True) if share < low[i]]
        if not short or len(short) == len(free):
            for i, share in zip(free, shares, strict=True):
                widths[i] = max(1, share)
            break
        for i in short:  # give these their narrowest, share the rest again
            widths[i] = low[i]
        free = [i for i in free if i not in short]
    return widths


def _distribute(total: int, ratios: Iterable[int]) -> list[int]:
    """`total` split by `ratios`, rounding as rich does (rich._ratio.ratio_distribute)."""
    ratios = list(ratios)
    remaining_ratio = sum(ratios)
    remaining = total
    shares = []
    for ratio in ratios:
        share = max(1, -(-ratio * remaining // remaining_ratio)) if remaining_ratio else remaining
        shares.append(share)
        remaining_ratio -= ratio
        remaining -= share
    return shares
