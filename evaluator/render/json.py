"""`--format json`: the result contract, byte-identical for the same inputs."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from evaluator.render import RenderOptions
from evaluator.render.data import comparison_data
from evaluator.scoring import Comparison

# Layout: one top-level key per line, and one line per item of a top-level list (each
# proposal's result, each error). Python's indenting encoder is pure Python and was most
# of the time of a 2,000-proposal run; the C encoder writes each line. One line per
# proposal also keeps the output greppable and its diffs per proposal; `jq .` (or
# `python -m json.tool`) indents it all for reading.
_line = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), allow_nan=False).encode


def dumps(value: Any) -> str:
    """JSON laid out as above; any value, though the layout is meant for an object."""
    if not isinstance(value, dict) or not value:
        return _line(value)
    lines = []
    for key, item in value.items():
        if isinstance(item, list) and item:
            body = ",\n".join(f"    {_line(element)}" for element in item)
            lines.append(f"  {encode_basestring(key)}: [\n{body}\n  ]")
        else:
            lines.append(f"  {encode_basestring(key)}: {_line(item)}")
    return "{\n" + ",\n".join(lines) + "\n}"


def render(comparison: Comparison, options: RenderOptions) -> str:
    """The comparison as JSON, keys in contract order."""
    return dumps(comparison_data(comparison)) + "\n"
