"""`--format json`: the result contract, byte-identical for the same inputs."""

from __future__ import annotations

import json
from typing import Any

from evaluator.render import RenderOptions
from evaluator.render.data import comparison_data
from evaluator.scoring import Comparison

# The C encoder is only used without `indent`; the pure-Python indenting encoder was
# most of the time of a 2,000-proposal run. So: indent the structure, and write each
# innermost object (a gate, a sub-criterion, the weights) on one line with the C encoder.
_flat = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), allow_nan=False).encode


def _is_flat(value: Any) -> bool:
    if isinstance(value, dict):
        return all(not isinstance(v, dict | list) or (isinstance(v, list) and _is_flat(v))
                   for v in value.values())
    if isinstance(value, list):
        return all(not isinstance(v, dict | list) for v in value)
    return True


def dumps(value: Any, indent: str = "") -> str:
    """JSON with two-space indentation down to the innermost objects, which stay on a line."""
    if _is_flat(value) and (indent or not isinstance(value, dict | list)):
        return _flat(value)
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{_flat(key)}: {dumps(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if not value:
        return "[]"
    return "[\n" + ",\n".join(f"{inner}{dumps(item, inner)}" for item in value) + \
        f"\n{indent}]"


def render(comparison: Comparison, options: RenderOptions) -> str:
    """The comparison as indented JSON, keys in contract order."""
    return dumps(comparison_data(comparison)) + "\n"
