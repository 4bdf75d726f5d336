"""`--format json`: the result contract, byte-identical for the same inputs."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring
from typing import Any

from evaluator.render import RenderOptions
from evaluator.render.data import comparison_data
from evaluator.scoring import Comparison

# Layout: one top-level key per line, and one line per item of a top-level list (each
# proposal's result, each error). Python's indenting encoder is pure Python and was most
# of the time of a 2,000-proposal run; the C encoder writes each line. One line per
# proposal also keeps the output greppable and its diffs per proposal; `jq .` (or
# `python -m json.tool`) indents it all for reading. The data are trees made afresh for
# each result: no need to check every list and dict for cycles (8% of encoding).
_line = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), allow_nan=False,
                         check_circular=False).encode


def dumps(value: Any) -> str:
    """JSON laid out as above; any value, though the layout is meant for an object."""
    return "".join(_pieces(value))


def _pieces(value: Any, encoded: Mapping[str, Sequence[Sequence[str]]] | None = None
            ) -> list[str]:
    """`dumps` in pieces, joined once: a large result is copied once, not once per level.

    `encoded` gives, for some keys of a list value, its elements already encoded (e.g. by
    worker processes), each in pieces that join into the element's `line`.
    """
    if not isinstance(value, dict) or not value:
        return [_line(value)]
    pieces = ["{\n"]
    for number, (key, item) in enumerate(value.items()):
        pieces.append((",\n  " if number else "  ") + encode_basestring(key) + ": ")
        elements = None if encoded is None else encoded.get(key)
        if elements is None and isinstance(item, list) and item:
            elements = [(_line(element),) for element in item]
        if not elements:
            pieces.append(_line(item))
            continue
        for position, element in enumerate(elements):
            pieces.append(",\n    " if position else "[\n    ")
            pieces.extend(element)
        pieces.append("\n  ]")
    pieces.append("\n}")
    return pieces


def line(value: Any) -> str:
    """One element of a top-level list (one proposal's result), as `dumps` writes it."""
    return _line(value)


def render(comparison: Comparison, options: RenderOptions) -> str:
    """The comparison as JSON, keys in contract order."""
    pieces = _pieces(comparison_data(comparison))
    pieces.append("\n")
    return "".join(pieces)


def render_encoded(comparison: Comparison, results: Sequence[Sequence[str]],
                   disagreements: list[dict[str, Any]]) -> str:
    """As `render`, for a comparison whose results were encoded elsewhere: `results` are
    their lines (each in pieces that join into it), in result order, and `disagreements`
    the panel's flags among them."""
    pieces = _pieces(comparison_data(comparison, disagreements), {"results": results})
    pieces.append("\n")
    return "".join(pieces)
