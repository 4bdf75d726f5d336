"""`evaluator criteria`: the framework itself, with weights, rules, gates and sources."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from evaluator.model.criteria import Criteria, in_language
from evaluator.render import RenderOptions
from evaluator.render.data import number, plain, what_if_data
from evaluator.render.i18n import gettext as _
from evaluator.render.i18n import in_english
from evaluator.render.run import what_if_text
from evaluator.render.text.gates import condition_text, requirement
from evaluator.render.text.numbers import number_text
from evaluator.render.text.rules import describe
from evaluator.scoring.results import WhatIf


@in_english
def criteria_data(criteria: Criteria, weights: Mapping[str, float]) -> dict[str, Any]:
    """The framework as plain data (normalised weights at each level): the JSON, in
    English whatever the run's language."""
    return _framework(criteria, weights)


def _framework(criteria: Criteria, weights: Mapping[str, float]) -> dict[str, Any]:
    """The framework as plain data, its sentences (rules, requirements) in the run's
    language: what the table and Markdown show."""
    return {
        "id": criteria.id,
        "title": criteria.title,
        "version": criteria.version,
        "file": criteria.file,
        "sha256": criteria.sha256,
        "currency": criteria.currency,
        "exchange_rates": dict(criteria.rates),
        "exchange_rates_as_of": criteria.rates_as_of.isoformat() if criteria.rates_as_of else None,
        # The rates given as ranges (their point estimates are in exchange_rates), and where
        # the rates come from.
        "exchange_rate_ranges": {
            code: {"low": plain(r.low), "high": plain(r.high), "likely": plain(r.likely)}
            for code, r in criteria.rate_ranges.items()
        },
        "exchange_rates_source": criteria.rates_source,
        "discount_rate": criteria.discount_rate,
        "method": criteria.method,
        "missing": criteria.missing,
        "weights_from": criteria.weights_from,
        "criteria": [
            {
                "id": c.id,
                "title": c.title,
                "weight": number(weights[c.id]),
                "source": c.source,
                "credibility": None
                if c.credibility is None
                else {
                    "field": c.credibility.field,
                    "factors": dict(c.credibility.factors),
                    # the promises it discounts; null: every sub-criterion
                    "applies_to": None
                    if c.credibility.applies_to is None
                    else list(c.credibility.applies_to),
                },
                "subcriteria": [
                    {
                        "id": leaf.id,
                        "title": leaf.title,
                        "field": leaf.field,
                        "weight": number(w),
                        "global_weight": number(w * weights[c.id]),
                        "rule": leaf.rule.type,
                        "rule_text": describe(leaf.rule),
                    }
                    for leaf, w in zip(c.leaves, c.leaf_weights().values(), strict=True)
                ],
            }
            for c in criteria.criteria
        ],
        "gates": [
            {
                "id": g.id,
                "title": g.title,
                "field": None if g.any_of else g.field,  # any_of: each alternative's
                "requirement": requirement(g),
                "any_of": [{"field": a.field, "requirement": condition_text(a)} for a in g.any_of]
                if g.any_of
                else None,
                "when": None
                if g.when is None
                else {"field": g.when.field, "requirement": condition_text(g.when)},
                "source": g.source,
            }
            for g in criteria.gates
        ],
        "icp": {
            "multipliers": {
                name: value if isinstance(value, int | float) else dict(value)
                for name, value in criteria.icp.multipliers.items()
            },
            "defaults": criteria.icp.defaults,
            "uplift": criteria.icp.uplift,
        },
    }


def render(
    criteria: Criteria,
    weights: Mapping[str, float],
    fmt: str,
    options: RenderOptions,
    what_if: WhatIf | None = None,
) -> str:
    """The framework in the requested format, with `weights` in effect (what-if ones, when
    `what_if` says how they depart from the file's)."""
    if fmt == "json":
        data = criteria_data(criteria, weights)
        data["what_if"] = what_if_data(what_if)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    sentence = what_if_text(criteria, what_if, weights)
    # The titles and sources in the report's language where the file gives them.
    criteria = in_language(criteria, options.lang)
    data = _framework(criteria, weights)
    if fmt == "markdown":
        return _markdown(data, sentence, rates_text(criteria))
    return _table(data, options, sentence, rates_text(criteria))


def rates_text(criteria: Criteria) -> str | None:
    """The exchange rates in one sentence: each rate (a ranged one's point estimate, with its
    range), the day they are taken from and their source; None without any. Shown by the
    `criteria` command and in the HTML report's audit trail."""
    if not criteria.rates:
        return None

    def rate(code: str, value: float) -> str:
        r = criteria.rate_ranges.get(code)
        span = "" if r is None else f" ({number_text(r.low)}–{number_text(r.high)})"
        return f"{code} {number_text(value)}{span}"

    rates = ", ".join(rate(code, value) for code, value in criteria.rates.items())
    text = _("Exchange rates, {currency} for one unit: {rates}").format(
        currency=criteria.currency, rates=rates
    )
    if criteria.rates_as_of:
        text += _("; as of {date}").format(date=criteria.rates_as_of.isoformat())
    if criteria.rates_source:
        text += _("; source: {source}").format(source=criteria.rates_source)
    if criteria.rate_ranges:
        text += _(". A range's point estimate scores; `sensitivity --values` draws it")
    return text + "."


def _markdown(data: dict[str, Any], what_if: str | None, rates: str | None) -> str:
    # Every text from the criteria file goes through md(): a title or `source:` quote
    # must not make markup (evaluator/render/markdown_text.py).
    from evaluator.render.markdown_text import md, row

    lines = [
        f"## {md(data['title'])}",
        "",
        *([f"> **{md(what_if)}**", ""] if what_if else []),
        _("Criteria {id} version {version}; money in {currency}; method {method}.").format(
            id=md(data["id"], code=True),
            version=md(data["version"]) or "—",
            currency=md(data["currency"]),
            method=f"`{data['method']}`",
        ),
        "",
    ]
    if rates:
        lines += [md(rates), ""]
    for c in data["criteria"]:
        lines += [f"### {md(c['title'])} ({md(c['id'], code=True)}, {c['weight']:.0%})", ""]
        if c["source"]:
            lines += [f"> {md(c['source'])}", ""]
        if c["credibility"]:
            credibility = c["credibility"]
            factors = ", ".join(f"{k} {v:g}" for k, v in credibility["factors"].items())
            promises = credibility["applies_to"]
            lines += [
                _("Credibility: {field} → × {factors}").format(
                    field=md(credibility["field"], code=True), factors=md(factors)
                )
                + (
                    _("; applies to: {promises}").format(
                        promises=", ".join(md(p, code=True) for p in promises)
                    )
                    if promises is not None
                    else _("; applies to every sub-criterion")
                ),
                "",
            ]
        lines += [
            row([_("Sub-criterion"), _("Field"), _("Weight"), _("Rule")]),
            "| --- | --- | ---: | --- |",
        ]
        lines += [
            row([s["id"], md(s["field"], code=True), f"{s['weight']:.0%}", s["rule_text"]])
            for s in c["subcriteria"]
        ]
        lines.append("")
    if data["gates"]:
        lines += [_("### Gates"), ""]
        lines += [
            f"- **{md(g['id'])}**: {md(g['requirement'])}"
            + (f" ({md(g['source'])})" if g["source"] else "")
            for g in data["gates"]
        ]
        lines.append("")
    lines += [
        _("### ICP multipliers"),
        "",
        _icp_origin(data),
        "",
        row([_("Activity type"), _("Multiplier")]),
        "| --- | ---: |",
    ]
    lines += [
        row([name, multiplier_text(value)]) for name, value in data["icp"]["multipliers"].items()
    ]
    return "\n".join(lines).rstrip() + "\n"


def multiplier_text(value: float | Mapping[str, float]) -> str:
    """A type's multiplier as shown: `× 4`, or `direct × 4, indirect × 2`."""
    if isinstance(value, int | float):
        return f"× {value:g}"
    return ", ".join(f"{kind} × {number:g}" for kind, number in value.items())


def _icp_origin(data: dict[str, Any]) -> str:
    uplift = _(
        " An activity that claims the guideline's uplift has its multiplier × (1 + "
        "{uplift:g}) (the committee checks that the guideline's condition holds)."
    ).format(uplift=data["icp"]["uplift"])
    if data["icp"]["defaults"]:
        return (
            _(
                "ICP Credit Value (ICV) = value × multiplier; the ICP guideline's defaults (no "
                "`icp` section)."
            )
            + uplift
        )
    return (
        _("ICP Credit Value (ICV) = value × multiplier, as the criteria file sets them.") + uplift
    )


def _table(
    data: dict[str, Any], options: RenderOptions, what_if: str | None, rates: str | None
) -> str:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from evaluator.render.layout import IDENTIFIER, fit_table
    from evaluator.render.table import print_to_text

    table = Table(
        box=box.SIMPLE_HEAD,
        title=f"{data['title']} ({data['id']} v{data['version']})",
        title_justify="left",
    )
    table.add_column(_("Criterion / sub-criterion"))
    table.add_column(_("Weight"), justify="right", no_wrap=True)
    table.add_column(_("Field"))
    table.add_column(_("Rule"))
    for c in data["criteria"]:
        table.add_row(
            Text(c["title"], style="bold"),
            Text(f"{c['weight']:.0%}", style="bold"),
            "",
            Text(c["source"], style="italic"),
        )
        if c["credibility"]:
            factors = ", ".join(f"{k} {v:g}" for k, v in c["credibility"]["factors"].items())
            promises = c["credibility"]["applies_to"]
            if promises is not None:
                factors += _("; applies to: {promises}").format(promises=", ".join(promises))
            table.add_row("  " + _("credibility"), "", c["credibility"]["field"], f"× {factors}")
        for s in c["subcriteria"]:
            table.add_row(f"  {s['id']}", f"{s['weight']:.0%}", s["field"], s["rule_text"])
    gates = Table(
        box=box.SIMPLE_HEAD,
        title=_("Gates (a proposal failing one is ineligible)"),
        title_justify="left",
    )
    gates.add_column(_("Gate"))
    gates.add_column(_("Requirement"))
    gates.add_column(_("Source"))
    for g in data["gates"]:
        gates.add_row(g["id"], g["requirement"], Text(g["source"], style="italic"))
    icp = Table(box=box.SIMPLE_HEAD, title=_("ICP multipliers"), title_justify="left")
    icp.add_column(_("Activity type"))
    icp.add_column(_("Multiplier"), justify="right", no_wrap=True)
    for name, value in data["icp"]["multipliers"].items():
        icp.add_row(name, multiplier_text(value))
    origin = (
        [Text(_("Top-level weights derived from {file} (AHP).").format(file=data["weights_from"]))]
        if data["weights_from"]
        else []
    )
    mark = [Text(what_if, style="bold yellow")] if what_if else []
    if rates:
        origin.append(Text(rates))
    width = options.width
    return print_to_text(
        options,
        *mark,
        fit_table(table, width, {2: IDENTIFIER}),
        *origin,
        fit_table(gates, width, {0: IDENTIFIER}),
        fit_table(icp, width, {0: IDENTIFIER}),
        Text(_icp_origin(data)),
    )
