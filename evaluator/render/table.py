"""`--format table`: rich tables for the terminal (plain text when colour is off)."""

from __future__ import annotations

import io

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Column, Table
from rich.text import Text

from evaluator.icp import IcpBreakdown
from evaluator.render import RenderOptions
from evaluator.render.data import marked_id
from evaluator.render.icp import icp_rows, icp_summary
from evaluator.render.layout import IDENTIFIER, broken, fit_table, needed_width
from evaluator.render.methods import (
    agreement_sentences,
    criterion_score_text,
    differs,
    has_raw,
    method_names,
    no_contribution,
    out_of,
    raw_caption,
    scores_label,
    total_meaning,
)
from evaluator.render.panel import (
    FLAG,
    disagreement_sentences,
    members,
    panel_rows,
    score_text,
    settings_sentence,
    spread_text,
)
from evaluator.scoring import Comparison, Evaluation


def _console(options: RenderOptions) -> Console:
    return Console(file=io.StringIO(), width=options.width, force_terminal=options.color,
                   no_color=not options.color, color_system="standard" if options.color
                   else None, highlight=False, emoji=False, markup=False, legacy_windows=False)


def print_to_text(options: RenderOptions, *renderables: RenderableType) -> str:
    """Renderables printed by rich as the terminal (or a file) will show them."""
    console = _console(options)
    for renderable in renderables:
        console.print(renderable)
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue()


def rank_text(evaluation: Evaluation) -> Text:
    """'★ 1' for a winner, the rank, or '—' for an ineligible proposal."""
    if evaluation.rank is None:
        return Text("—", style="dim")
    if evaluation.rank == 1:
        return Text("★ 1", style="bold green")
    return Text(str(evaluation.rank))


def bar(value: float, width: int = 10, scale: float = 100.0) -> str:
    """A bar of block characters for a value between 0 and `scale`."""
    eighths = round(max(0.0, min(1.0, value / scale)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")).ljust(width)


def _two_lines(name: str) -> str:
    """`long_term_collaboration` as 'long term' over 'collaboration': the narrowest split."""
    words = name.split("_")
    splits = [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))]
    if not splits:
        return name
    top, bottom = min(splits, key=lambda pair: max(len(pair[0]), len(pair[1])))
    return f"{top}\n{bottom}"


def _headings(comparison: Comparison, width: int) -> tuple[list[str], str | None]:
    """Criterion column headings, and a legend when the terminal is too narrow for names."""
    ids = [c.id for c in comparison.criteria.criteria]
    full = [_two_lines(i) for i in ids]
    longest_id = min(16, max((len(e.id) for e in comparison.evaluations), default=8))
    longest_country = max((len(e.proposal.country) for e in comparison.evaluations), default=7)
    columns = [4, longest_id, max(7, longest_country), 6, 5] + [
        max(6, *(len(line) for line in h.splitlines())) for h in full] + [
        len(name) + 1 for name in method_names(comparison)]
    needed = sum(columns) + 2 * len(columns)
    if needed <= width:
        return full, None
    short = [f"C{n}" for n in range(1, len(ids) + 1)]
    legend = "; ".join(f"{s} {i} ({comparison.weights[i]:.0%})" for s, i in zip(short, ids,
                                                                              strict=True))
    return short, legend


def ranking_table(comparison: Comparison, options: RenderOptions) -> Table:
    """The ranked comparison: one row per proposal, each criterion's score, the gates."""
    criteria = comparison.criteria
    headings, legend = _headings(comparison, options.width)
    names = method_names(comparison)
    caption = f"{scores_label(comparison.method)} 0-100; " + total_meaning(comparison.method)
    if names:
        caption += f" (method {comparison.method}); * the methods rank it differently"
        caption += "." if legend is None else f". {legend}."
    else:
        caption += f" (method {comparison.method})." if legend is None else f". {legend}."
    if raw_caption(comparison):
        caption += f" {raw_caption(comparison)}."
    table = Table(box=box.SIMPLE_HEAD, title=criteria.title, caption=caption,
                  title_justify="left", caption_justify="left", padding=(0, 1, 0, 0))
    table.add_column("Rank", justify="right", no_wrap=True)
    table.add_column("Proposal", overflow="fold", min_width=min(
        16, max((len(e.id) for e in comparison.evaluations), default=8)))
    table.add_column("Country", overflow="fold")
    table.add_column("Total", justify="right", no_wrap=True)
    for name in names:
        table.add_column(f"{name}\nrank", justify="right", no_wrap=True)
    for criterion, heading in zip(criteria.criteria, headings, strict=True):
        weight = comparison.weights[criterion.id]
        table.add_column(f"{heading}\n{weight:.0%}", justify="right", no_wrap=True,
                         min_width=max(len(line) for line in heading.splitlines()))
    table.add_column("Gates", no_wrap=True)
    for e in comparison.evaluations:
        failed = sum(not g.passed for g in e.gates)
        style = "dim" if not e.eligible else ("bold" if e.rank == 1 else "")
        cells: list[RenderableType] = [rank_text(e), marked_id(e), e.proposal.country,
                                       f"{e.total:.2f}"]
        cells += _method_ranks(e, names)
        cells += [criterion_score_text(c) for c in e.criteria]
        cells.append(Text(f"✗ {failed}", style="red") if failed
                     else Text("✓", style="green"))
        table.add_row(*cells, style=style)
    _fit_country(table, options)
    return table


def _fit_country(table: Table, options: RenderOptions) -> None:
    """Narrow the Country column (or drop it) so that the other columns fit the width.

    Rich cannot shrink columns below their minimum width, and crops the right of a table
    that is still too wide: the gates would be cut off in a narrow terminal.
    """
    def natural(column: Column) -> int:
        lines = (line for cell in (column.header, *column.cells)
                 for line in (cell.plain if isinstance(cell, Text) else str(cell)).splitlines())
        return max(max(map(cell_len, lines), default=0), column.min_width or 0) + 1  # + padding

    country = next((c for c in table.columns if c.header == "Country"), None)
    if country is None:
        return
    # Borders: an edge on each side, a rule between columns (as rich counts them).
    borders = (2 if table.show_edge else 0) + (len(table.columns) - 1 if table.box else 0)
    others = sum(natural(c) for c in table.columns if c is not country) + borders
    if others + natural(country) <= options.width:
        return
    room = options.width - others - 1
    if room >= 5:
        country.max_width = room
    else:
        table.columns.remove(country)


def _method_ranks(e: Evaluation, names: list[str]) -> list[RenderableType]:
    """Each method's rank of one proposal; starred and highlighted where they disagree."""
    flag = e.eligible and differs(e)
    cells: list[RenderableType] = []
    for name in names:
        rank = e.methods[name][1]
        text = "—" if rank is None else f"{rank}{'*' if flag else ''}"
        cells.append(Text(text, style="bold yellow" if flag else ""))
    return cells


def summary_lines(comparison: Comparison) -> list[Text]:
    """The recommendation, why others are out, and notes, in sentences."""
    lines: list[Text] = []
    ranked = [e for e in comparison.evaluations if e.rank is not None]
    winner = comparison.winner
    if winner is not None:
        tied = [e.id for e in ranked if e.rank == 1]
        if len(tied) > 1:
            lines.append(Text(f"Tie for first place: {', '.join(tied)} "
                              f"({winner.total:.2f}).", style="bold"))
        else:
            runner = next((e for e in ranked if e.rank != 1), None)
            lead = f", {winner.total - runner.total:.2f} ahead of {runner.id}" if runner else ""
            lines.append(Text(f"Recommended: {winner.id} ({winner.proposal.country}), "
                              f"total {winner.total:.2f}{lead}.", style="bold"))
    elif comparison.evaluations:
        lines.append(Text("No proposal passes every gate: none can be recommended.",
                          style="bold red"))
    for sentence in agreement_sentences(comparison):
        lines.append(Text(sentence, style="bold yellow" if "depends" in sentence else ""))
    for e in comparison.evaluations:
        for gate in e.gates:
            if not gate.passed:
                lines.append(Text(f"{e.id} is ineligible: {gate.title} "
                                  f"({gate.requirement}; it has {gate.detail}).", style="red"))
    for sentence in disagreement_sentences(comparison):
        lines.append(Text(sentence, style="bold yellow"))
    warned = [e for e in comparison.evaluations if e.warnings]
    if warned:
        count = sum(len(e.warnings) for e in warned)
        lines.append(Text(f"{count} warning(s) in " + ", ".join(e.id for e in warned)
                          + ": see `evaluator score FILE`.", style="yellow"))
    for note in comparison.notes:
        lines.append(Text(f"Note: {note}.", style="yellow"))
    return lines


def render(comparison: Comparison, options: RenderOptions) -> str:
    """The ranked comparison table with the recommendation under it."""
    if not comparison.evaluations:
        return print_to_text(options, Text("No proposal could be scored."))
    return print_to_text(options, ranking_table(comparison, options), *summary_lines(comparison),
                  *panel_parts(comparison, options))


def panel_parts(comparison: Comparison, options: RenderOptions) -> list[RenderableType]:
    """Each member's rating of each judgement, the consolidated score and the spread."""
    rows = panel_rows(comparison)
    if not rows:
        return [Text(settings_sentence(comparison))] if comparison.panel else []
    names = members(comparison)
    aggregate = comparison.criteria.panel.aggregate
    cells = [[row.proposal, row.judgement,
              *(row.levels.get(name, "—") for name in names),
              score_text(row), spread_text(row)] for row in rows]
    headings = ["Proposal", "Judgement", *names, aggregate.capitalize(), "Spread"]
    natural = sum(max(len(h), *(len(r[i]) for r in cells)) + 1
                  for i, h in enumerate(headings))
    table = Table(box=box.SIMPLE_HEAD, title="Panel judgements", title_justify="left",
                  caption=settings_sentence(comparison, FLAG),
                  caption_justify="left", padding=(0, 1, 0, 0))
    table.add_column("Proposal", overflow="fold")
    table.add_column("Judgement", overflow="fold")
    if natural <= options.width:  # a column per member reads best, when it fits
        for name in names:
            table.add_column(name, overflow="fold")
    else:
        table.add_column("Ratings", overflow="fold", ratio=1)
        cells = [[row.proposal, row.judgement,
                  ", ".join(f"{m} {lv}" for m, lv in row.levels.items()) or "—",
                  score_text(row), spread_text(row)] for row in rows]
    table.add_column(aggregate.capitalize(), justify="right", no_wrap=True)
    table.add_column("Spread", justify="right", no_wrap=True)
    for row, line in zip(rows, cells, strict=True):
        table.add_row(*line, style="bold yellow" if row.disagreement else
                      ("yellow" if row.score is None else ""))
    return [Text(""), table]


def render_card(comparison: Comparison, options: RenderOptions) -> str:
    """One proposal's score card: each criterion's leaves with their evidence."""
    parts: list[RenderableType] = []
    for e in comparison.evaluations:
        parts.append(score_card(e, comparison, options.width))
    for note in comparison.notes:
        parts.append(Text(f"Note: {note}.", style="yellow"))
    if comparison.panel is not None:
        parts.append(Text(settings_sentence(comparison)))
    return print_to_text(options, *(parts or [Text("Nothing was scored.")]))


ICP_TITLE = "Industrial collaboration (ICP credits)"


def icp_table(icp: IcpBreakdown, width: int = 100) -> RenderableType:
    """The ICP credit of each activity (value × multiplier), with the totals under it; on
    a terminal too narrow for the table's columns, one activity a line."""
    table = Table(box=box.SIMPLE_HEAD, title=ICP_TITLE,
                  title_justify="left", expand=True, caption=icp_summary(icp) + "\n",
                  caption_justify="left")
    # The type over its description: the numbers keep their columns on a narrow terminal.
    table.add_column("Activity", ratio=1, overflow="fold")
    table.add_column("Local", no_wrap=True)
    table.add_column(f"Value {icp.currency}", justify="right", no_wrap=True)
    table.add_column("×", justify="right", no_wrap=True)
    table.add_column(f"Credit {icp.currency}", justify="right", no_wrap=True)
    rows = icp_rows(icp)
    for kind, description, *numbers in rows:
        table.add_row(Text.assemble((kind, "bold"), "\n", (description, "dim")), *numbers)
    if needed_width(table) <= width:
        return fit_table(table, width)
    lines: list[RenderableType] = [Text(ICP_TITLE, style="italic"), Text("")]
    for kind, description, local, value, multiplier, credit in rows:
        where = "local" if local == "yes" else "not local"
        lines += [broken(Text.assemble((kind, "bold"), f" ({where}): {value} {multiplier} "
                                       f"= {credit} {icp.currency}"), width),
                  Padding(broken(Text(description, style="dim"), width - 2), (0, 0, 0, 2))]
    lines += [Text(""), broken(Text(icp_summary(icp)), width), Text("")]
    return Group(*lines)


def score_card(e: Evaluation, comparison: Comparison, width: int = 100) -> Panel:
    """A panel for one proposal: header, one table per criterion, gates, warnings."""
    inner = width - 4  # the panel's border and padding
    status = (Text("eligible", style="green") if e.eligible
              else Text("ineligible", style="bold red"))
    header = Text.assemble(
        (f"{e.proposal.title}\n", "bold"),
        f"{e.proposal.country} · {e.proposal.file} · ", status,
        f" · total {e.total:.2f} {out_of(comparison.method)} ({comparison.method})")
    parts: list[RenderableType] = [broken(header, inner)]
    for c in e.criteria:
        subtotal = sum(leaf.weight * leaf.score for leaf in c.leaves)
        scaled = f"{c.credibility_factor:g} × {subtotal:.2f} = " if c.credibility_field else ""
        title = f"{c.title}: {scaled}{c.score:.2f}, × weight {c.weight:.2f} = " \
                f"{c.contribution:.2f}"
        if has_raw(c):  # weight × a raw value would be a meaningless number
            title = f"{c.title}: {no_contribution(c, comparison.method)}"
        table = Table(box=box.SIMPLE_HEAD, title_justify="left", expand=True, title=title)
        table.add_column("Sub-criterion", ratio=2, overflow="fold")
        table.add_column("Weight", justify="right", no_wrap=True)
        table.add_column("Score", justify="right", no_wrap=True)
        table.add_column("Evidence", ratio=5, overflow="fold")
        for leaf in c.leaves:
            style = "yellow" if leaf.missing else ""
            table.add_row(leaf.id, f"{leaf.weight:.2f}",
                          "raw" if leaf.rule == "raw" else f"{leaf.score:.2f}",
                          leaf.explanation, style=style)
        if c.credibility_field is not None:
            value = "missing" if c.credibility_value is None else str(c.credibility_value)
            table.caption = (f"Credibility: {c.credibility_field} = {value} → "
                             f"× {c.credibility_factor:g}\n")
            table.caption_justify = "left"
        parts.append(fit_table(table, inner, {0: IDENTIFIER}))
    if e.icp is not None:
        parts.append(icp_table(e.icp, inner))
    if e.gates:
        parts.append(gate_table(e, inner))
    for warning in e.warnings:
        parts.append(Text(f"warning: {warning}", style="yellow"))
    return Panel(Group(*parts), title=f"{e.id}", title_align="left", box=box.ROUNDED)


def gate_table(e: Evaluation, width: int) -> Table:
    """Each gate, whether it passed, the requirement and the value; on a narrow terminal
    the value goes with the requirement, as the ranking's sentences put it."""
    def result(passed: bool) -> Text:
        return Text("pass", style="green") if passed else Text("FAIL", style="bold red")

    gates = Table(box=box.SIMPLE_HEAD, title="Gates", title_justify="left", expand=True)
    gates.add_column("Gate")
    gates.add_column("Result", no_wrap=True)
    gates.add_column("Requirement", ratio=1)
    gates.add_column("Value", max_width=24)
    for g in e.gates:
        gates.add_row(g.id, result(g.passed), g.requirement, g.detail)
    if needed_width(gates, {0: IDENTIFIER}) > width:
        gates = Table(box=box.SIMPLE_HEAD, title="Gates", title_justify="left", expand=True)
        gates.add_column("Gate", ratio=1)
        gates.add_column("Result", no_wrap=True)
        gates.add_column("Requirement; value", ratio=2)
        for g in e.gates:
            gates.add_row(g.id, result(g.passed), f"{g.requirement}; it has {g.detail}")
    return fit_table(gates, width, {0: IDENTIFIER})
