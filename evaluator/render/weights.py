"""`evaluator weights`: AHP weights as a table, JSON, or YAML to paste into a criteria file."""

from __future__ import annotations

import json
from typing import Any

from evaluator.model.ahp import CONSISTENCY_LIMIT, AhpResult, ratio_text
from evaluator.render import RenderOptions
from evaluator.render.data import number
from evaluator.render.i18n import gettext as _
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
    verdict = _("consistent") if result.consistent else _("INCONSISTENT")
    return _(
        "λmax {lambda_max:.4f}, CI {ci:.4f}, RI {ri:.2f}, CR {cr:.4f}: {verdict} "
        "(CR ≤ {limit:.2f} is acceptable)"
    ).format(
        lambda_max=result.lambda_max,
        ci=result.ci,
        ri=result.random_index,
        cr=result.cr,
        verdict=verdict,
        limit=CONSISTENCY_LIMIT,
    )


def _yaml(result: AhpResult) -> str:
    # Percentages with two decimals, like the stated weights of criteria/default.yaml;
    # criteria weights are normalised, so they need not sum to exactly 100.
    lines = [
        "# " + _("AHP weights from {file}").format(file=result.file),
        f"# {_figures(result)}",
        "# " + _("Paste each weight into its criterion in the criteria file, or point that file"),
        "# " + _("at the judgements with `weights_from:` (a path relative to the criteria file)."),
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
        box=box.SIMPLE_HEAD,
        title=_("AHP weights from {file}").format(file=result.file),
        title_justify="left",
    )
    table.add_column(_("Criterion"))
    table.add_column(_("Weight"), justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for name, weight in result.weights.items():
        table.add_row(name, f"{100 * weight:.1f}%", bar(100 * weight, width=20))
    lines = [Text(_figures(result), style="" if result.consistent else "bold red")]
    if result.furthest is not None and result.implied is not None:
        j = result.furthest
        lead = _("Revisit") if not result.consistent else _("Furthest from the weights")
        also = (
            _("; as far off: {pairs}").format(
                pairs=", ".join(_pair(k.row, k.column) for k in result.equally_far)
            )
            if result.equally_far
            else ""
        )
        lines.append(
            Text(
                _("{lead}: {pair}: given {given}, the weights imply {implied}{also}.").format(
                    lead=lead,
                    pair=_pair(j.row, j.column),
                    given=j.text,
                    implied=ratio_text(result.implied),
                    also=also,
                ),
                style="" if result.consistent else "yellow",
            )
        )
    return print_to_text(options, fit_table(table, options.width, {0: IDENTIFIER}), *lines)


def _pair(row: str, column: str) -> str:
    """Two criteria of a judgement: `pricing` vs `g2g_guarantees`."""
    return _("`{row}` vs `{column}`").format(row=row, column=column)
