"""`--format json`: the result contract, byte-identical for the same inputs."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from evaluator.render import RenderOptions
from evaluator.render.data import comparison_data
from evaluator.scoring import Comparison

# The C encoder is only used without `indent`; the pure-Python indenting encoder was
# most of the time of a 2,000-proposal run. So: indent the structure, and write each
# innermost object (a gate, a sub-criterion, the weights) on one line with the C encoder.
_flat = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), allow_nan=False).encode
_key = encode_basestring


def _nested(value: Any) -> bool:
    """Whether a container holds a mapping, or a list that does (so it spans lines)."""
    children = value.values() if isinstance(value, dict) else value
    return any(isinstance(v, dict) or (isinstance(v, list) and _nested(v)) for v in children)


def dumps(value: Any, indent: str = "") -> str:
    """JSON with two-space indentation down to the innermost objects, which stay on a line."""
    if not isinstance(value, dict | list) or (indent and not _nested(value)):
        return _flat(value)
    if not value:
        return "{}" if isinstance(value, dict) else "[]"
    inner = indent + "  "
    if isinstance(value, dict):
        items = [f"{inner}{_key(key)}: {dumps(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    return "[\n" + ",\n".join(f"{inner}{dumps(item, inner)}" for item in value) + \
        f"\n{indent}]"


def render(comparison: Comparison, options: RenderOptions) -> str:
    """The comparison as indented JSON, keys in contract order."""
    return dumps(comparison_data(comparison)) + "\n"
