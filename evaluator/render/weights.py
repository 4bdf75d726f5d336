"""`evaluator weights`: AHP weights as a table, JSON, or YAML to paste into a criteria file."""

from __future__ import annotations

import json
from typing import Any

from evaluator.model.ahp import CONSISTENCY_LIMIT, AhpResult, ratio_text
from evaluator.render import RenderOptions
from evaluator.render.data import number
from evaluator.render.i18n import in_english


@in_english
def weights_data(result: AhpResult) -> dict[str, Any]:
    """The derived weights and consistency figures as plain data."""
    furthest = None
    if result.furthest is not None and result.implied is not None:
        j = result.furthest
        furthest = {
            "row": j.row,
            "column": j.column,
            "given": number(j.value),
            "given_text": j.text,
            "implied": number(result.implied),
            "equally_far": [{"row": k.row, "column": k.column} for k in result.equally_far],
        }
    return {
        "file": result.file,
        "weights": {name: number(w) for name, w in result.weights.items()},
        "lambda_max": number(result.lambda_max),
        "ci": number(result.ci),
        "cr": number(result.cr),
        "random_index": result.random_index,
        "consistent": result.consistent,
        "furthest_judgement": furthest,
        "warnings": [p.message for p in result.warnings()],
    }


def render(result: AhpResult, fmt: str, options: RenderOptions) -> str:
    """The result in the requested format: table, json or yaml."""
    if fmt == "json":
        return json.dumps(weights_data(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return _yaml(result)
    return _table(result, options)


def _figures(result: AhpResult) -> str:
    verdict = "consistent" if result.consistent else "INCONSISTENT"
    return (
        f"λmax {result.lambda_max:.4f}, CI {result.ci:.4f}, RI {result.random_index:.2f}, "
        f"CR {result.cr:.4f}: {verdict} (CR ≤ {CONSISTENCY_LIMIT:.2f} is acceptable)"
    )


def _yaml(result: AhpResult) -> str:
    # Percentages with two decimals, like the stated weights of criteria/default.yaml;
    # criteria weights are normalised, so they need not sum to exactly 100.
    lines = [
        f"# AHP weights from {result.file}",
        f"# {_figures(result)}",
        "# Paste each weight into its criterion in the criteria file, or point that file",
        "# at the judgements with `weights_from:` (a path relative to the criteria file).",
        "criteria:",
    ]
    for name, weight in result.weights.items():
        lines += [f"  - id: {name}", f"    weight: {100 * weight:.2f}"]
    return "\n".join(lines) + "\n"


def _table(result: AhpResult, options: RenderOptions) -> str:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from evaluator.render.layout import IDENTIFIER, fit_table
    from evaluator.render.table import bar, print_to_text

    table = Table(
        box=box.SIMPLE_HEAD, title=f"AHP weights from {result.file}", title_justify="left"
    )
    table.add_column("Criterion")
    table.add_column("Weight", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for name, weight in result.weights.items():
        table.add_row(name, f"{100 * weight:.1f}%", bar(100 * weight, width=20))
    lines = [Text(_figures(result), style="" if result.consistent else "bold red")]
    if result.furthest is not None and result.implied is not None:
        j = result.furthest
        lead = "Revisit" if not result.consistent else "Furthest from the weights"
        also = (
            "; as far off: " + ", ".join(f"`{k.row}` vs `{k.column}`" for k in result.equally_far)
            if result.equally_far
            else ""
        )
        lines.append(
            Text(
                f"{lead}: `{j.row}` vs `{j.column}`: given {j.text}, the weights "
                f"imply {ratio_text(result.implied)}{also}.",
                style="" if result.consistent else "yellow",
            )
        )
    return print_to_text(options, fit_table(table, options.width, {0: IDENTIFIER}), *lines)
