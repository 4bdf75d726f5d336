"""`--format json`: the result contract, byte-identical for the same inputs."""

from __future__ import annotations

import json

from evaluator.render import RenderOptions
from evaluator.render.data import comparison_data
from evaluator.scoring import Comparison


def render(comparison: Comparison, options: RenderOptions) -> str:
    """The comparison as indented JSON, keys in contract order."""
    return json.dumps(comparison_data(comparison), indent=2, ensure_ascii=False) + "\n"
