"""`--format table`: rich tables for the terminal (plain text when colour is off)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from rich import box
from rich.console import Console, Group, JustifyMethod, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from evaluator.model.icp import IcpBreakdown
from evaluator.render import RenderOptions, percent
from evaluator.render.agent import agent_sentence
from evaluator.render.compliance import failures, matrix
from evaluator.render.data import marked_id
from evaluator.render.i18n import gettext as _
from evaluator.render.i18n import ngettext
from evaluator.render.icp import icp_rows, icp_summary, icp_title
from evaluator.render.language import localized
from evaluator.render.layout import (
    FIXED,
    IDENTIFIER,
    TEXT,
    broken,
    fit_table,
    narrowest,
    natural,
    needed_width,
    plain,
)
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
from evaluator.render.run import caveat_sentences, provisional, unscored_sentence, what_if_sentence
from evaluator.render.text.credibility import leaf_factor, partly_discounted, score_sum
from evaluator.render.text.evidence import explanation
from evaluator.render.text.gates import detail, requirement
from evaluator.render.text.notes import note_text, short_note_text
from evaluator.render.text.panel import aggregate_text
from evaluator.scoring.results import Comparison, CriterionScore, Evaluation


def _console(options: RenderOptions) -> Console:
    return Console(
        file=io.StringIO(),
        width=options.width,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )


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


@dataclass(slots=True, eq=False)  # columns are told apart by identity
class _Column:
    """A column of the ranking before it is laid out: its cells, as text or styled text."""

    header: str
    cells: list[RenderableType]
    justify: JustifyMethod = "right"
    kind: str = FIXED  # FIXED never wraps: ranks, totals, scores
    width: int = 0

    def __post_init__(self) -> None:
        self.width = max(natural(plain(cell)) for cell in (self.header, *self.cells))


def _table_width(columns: list[_Column], edge: bool = True) -> int:
    # An edge each side (a space), a rule between columns and a cell of padding after
    # each (box.SIMPLE_HEAD, padding (0, 1, 0, 0)), but the last when `edge` is off.
    return sum(c.width for c in columns) + 2 * len(columns) + (1 if edge else 0)


def _legend(pairs: list[tuple[str, str]]) -> str:
    return "; ".join(f"{short} {name}" for short, name in pairs)


def ranking_tables(
    comparison: Comparison, options: RenderOptions, evaluations: list[Evaluation]
) -> list[RenderableType]:
    """The ranked comparison: a row per proposal with its rank, total, each method's rank,
    each criterion's score and the gates, laid out for the terminal's width.

    Narrower, the criterion headings become C1, C2, ... with a legend, the Country column
    narrows and then goes, the method names shorten, and last the criterion scores move
    to a table of their own under the first: proposal ids, totals and scores are never
    cut or dropped. Every width is worked out from the cells once, so the layout takes
    time in proportion to the rows.
    """
    width = options.width
    criteria = comparison.criteria
    names = method_names(comparison)
    ids = [c.id for c in criteria.criteria]
    weights = [percent(comparison.weights[i]) for i in ids]
    rank = _Column(_("Rank"), [rank_text(e) for e in evaluations])
    proposal = _Column(_("Proposal"), [marked_id(e) for e in evaluations], "left", IDENTIFIER)
    country = _Column(_("Country"), [e.proposal.country for e in evaluations], "left", TEXT)
    total = _Column(_("Total"), [f"{e.total:.2f}" for e in evaluations])
    ranks = [_method_ranks(e, names) for e in evaluations]
    rank_word = _("rank")
    methods = [
        _Column(f"{name}\n{rank_word}", [r[i] for r in ranks]) for i, name in enumerate(names)
    ]
    short_names = [name[:3] for name in names]
    methods_short = [
        _Column(f"{short}\n{rank_word}", m.cells)
        for short, m in zip(short_names, methods, strict=True)
    ]
    scores = [[criterion_score_text(c) for c in e.criteria] for e in evaluations]
    full = [
        _Column(f"{_two_lines(i)}\n{w}", [row[k] for row in scores])
        for k, (i, w) in enumerate(zip(ids, weights, strict=True))
    ]
    short = [
        _Column(f"C{k}\n{w}", c.cells)
        for k, (w, c) in enumerate(zip(weights, full, strict=True), 1)
    ]
    gates = _Column(_("Gates"), [_gates_text(e) for e in evaluations], "left")
    criteria_legend = _legend(
        [(f"C{k}", f"{i} ({w})") for k, (i, w) in enumerate(zip(ids, weights, strict=True), 1)]
    )
    methods_legend = _legend([(s, n) for s, n in zip(short_names, names, strict=True) if s != n])

    def row(*parts: list[_Column]) -> list[_Column]:
        return [column for part in parts for column in part]

    # The first layout that fits, and the legends it needs.
    layouts = [
        (row([rank, proposal, country, total], methods, full, [gates]), []),
        (row([rank, proposal, country, total], methods, short, [gates]), [criteria_legend]),
        (row([rank, proposal, total], methods, short, [gates]), [criteria_legend]),
        (
            row([rank, proposal, total], methods_short, short, [gates]),
            [criteria_legend, methods_legend],
        ),
    ]
    main: list[_Column] | None = None
    legends: list[str] = []
    edge = True
    for edge, (columns, needs) in ((e, layout) for e in (True, False) for layout in layouts):
        if _table_width(columns, edge) <= width:
            main, legends = columns, needs
            break
        if country in columns:  # the country narrows (it wraps at spaces) before it goes
            room = width - _table_width([c for c in columns if c is not country], edge) - 2
            # no narrower than its heading or a country's longest word (was: `Count…`)
            if room >= max(5, narrowest("\n".join([country.header, *map(plain, country.cells)]))):
                country.width = room
                main, legends = columns, needs
                break
    rest: list[list[_Column]] = []
    if main is None:  # the scores go to a table of their own, or several
        edge = True
        shorten = _table_width(row([rank, proposal, total], methods, [gates])) > width
        main = row([rank, proposal, total], methods_short if shorten else methods, [gates])
        legends = [methods_legend] if shorten and names else []
        if _table_width(row(main, [country])) <= width:
            main.insert(2, country)
        if _table_width(main) > width:  # ids too long for any layout: they wrap at _ and .
            proposal.width = max(
                narrowest("\n".join(map(plain, proposal.cells)), IDENTIFIER),
                proposal.width - (_table_width(main) - width),
            )
        scores_first = full if _table_width(row([proposal], full)) <= width else short
        if scores_first is short:
            legends.insert(0, criteria_legend)
        chunk: list[_Column] = []
        for column in scores_first:
            if chunk and _table_width(row([proposal], chunk, [column])) > width:
                rest.append(chunk)
                chunk = []
            chunk.append(column)
        rest.append(chunk)
    caption = f"{scores_label(comparison.method)} 0-100; " + total_meaning(comparison.method)
    caption += _(" (method {method})").format(method=comparison.method)
    if names:
        caption += _("; * the methods rank it differently")
    caption += "".join(f". {legend}" for legend in legends if legend) + "."
    if raw_caption(comparison):
        caption += f" {raw_caption(comparison)}."
    styles = ["dim" if not e.eligible else ("bold" if e.rank == 1 else "") for e in evaluations]
    tables: list[RenderableType] = [
        _rich_table(main, styles, criteria.title, None if rest else caption, edge)
    ]
    for k, part in enumerate(rest):
        tables.append(
            _rich_table([proposal, *part], styles, _("Criterion scores") if k == 0 else None, None)
        )
    if rest:  # under tables narrower than the terminal, the caption takes its whole width
        tables.append(Text(caption))
    return tables


def _rich_table(
    columns: list[_Column],
    styles: list[str],
    title: str | None,
    caption: str | None,
    edge: bool = True,
) -> Table:
    """A rich table of laid-out columns: every width is fixed, so rich measures nothing."""
    table = Table(
        box=box.SIMPLE_HEAD,
        title=title,
        caption=caption,
        title_justify="left",
        caption_justify="left",
        padding=(0, 1, 0, 0),
        pad_edge=edge,
    )
    cells = []
    for column in columns:
        table.add_column(
            column.header, justify=column.justify, width=column.width, no_wrap=column.kind == FIXED
        )
        wide = column.kind != FIXED and any(natural(plain(c)) > column.width for c in column.cells)
        cells.append(
            [broken(c, column.width, column.kind) for c in column.cells] if wide else column.cells
        )
    for i, style in enumerate(styles):
        table.add_row(*(cells[k][i] for k in range(len(columns))), style=style)
    return table


def _gates_text(e: Evaluation) -> Text:
    failed = sum(not g.passed for g in e.gates)
    return Text(f"✗ {failed}", style="red") if failed else Text("✓", style="green")


def _method_ranks(e: Evaluation, names: list[str]) -> list[RenderableType]:
    """Each method's rank of one proposal; starred and highlighted where they disagree."""
    flag = e.eligible and differs(e)
    cells: list[RenderableType] = []
    for name in names:
        rank = e.methods[name][1]
        text = "—" if rank is None else f"{rank}{'*' if flag else ''}"
        cells.append(Text(text, style="bold yellow" if flag else ""))
    return cells


def summary_lines(comparison: Comparison, shown: Collection[str] | None = None) -> list[Text]:
    """The recommendation and its caveats, why others are out, and notes, in sentences;
    with `shown` (the ids in a table cut to a screenful), sentences about the others are
    summed up."""
    lines: list[Text] = []
    ranked = [e for e in comparison.evaluations if e.rank is not None]
    winner = comparison.winner
    shaky = provisional(comparison)
    if winner is not None:
        tied = [e.id for e in ranked if e.rank == 1]
        if len(tied) > 1:
            lines.append(
                Text(
                    _("Tie for first place: {ids} ({total:.2f}).").format(
                        ids=", ".join(tied), total=winner.total
                    ),
                    style="bold",
                )
            )
        else:
            runner = next((e for e in ranked if e.rank != 1), None)
            lead = (
                _(", {lead:.2f} ahead of {id}").format(
                    lead=winner.total - runner.total, id=runner.id
                )
                if runner
                else ""
            )
            if shaky:
                text = _("Recommended, with the caveats below: {id} ({country}), total {total:.2f}")
            else:
                text = _("Recommended: {id} ({country}), total {total:.2f}")
            lines.append(
                Text(
                    text.format(id=winner.id, country=winner.proposal.country, total=winner.total)
                    + lead
                    + ".",
                    style="bold yellow" if shaky else "bold",
                )
            )
    elif comparison.evaluations:
        lines.append(
            Text(_("No proposal passes every gate: none can be recommended."), style="bold red")
        )
    lines += caveat_lines(comparison)
    # The first sentence says whether the ranking depends on the method: yellow when it does.
    depends = any(e.rank is not None and e.methods and differs(e) for e in comparison.evaluations)
    for k, sentence in enumerate(agreement_sentences(comparison, shown)):
        lines.append(Text(sentence, style="bold yellow" if k == 0 and depends else ""))
    for e in comparison.evaluations:
        if shown is not None and e.id not in shown:
            continue
        for gate in e.gates:
            if not gate.passed:
                lines.append(
                    Text(
                        _("{id} is ineligible: {title} ({requirement}; it has {detail}).").format(
                            id=e.id,
                            title=gate.title,
                            requirement=requirement(gate.gate),
                            detail=detail(gate),
                        ),
                        style="red",
                    )
                )
        unmet = failures(e)
        if unmet:
            lines.append(
                Text(
                    _("{id} does not meet: {unmet}.").format(id=e.id, unmet="; ".join(unmet)),
                    style="red",
                )
            )
    if shown is not None:
        lines += [Text(line, style="red") for line in _unshown_ineligible(comparison, shown)]
    for sentence in disagreement_sentences(comparison, shown):
        lines.append(Text(sentence, style="bold yellow"))
    warned = [e for e in comparison.evaluations if e.warnings]
    if warned:
        count = sum(len(e.warnings) for e in warned)
        lines.append(
            Text(
                _("{count} warning(s) in {ids}: see `evaluator score FILE`.").format(
                    count=count, ids=_some_ids([e.id for e in warned], shown)
                ),
                style="yellow",
            )
        )
    for note in comparison.notes:
        words = note_text(note) if shown is None else short_note_text(note)
        lines.append(Text(_("Note: {note}.").format(note=words), style="yellow"))
    return lines


def _some_ids(ids: list[str], shown: Collection[str] | None) -> str:
    """The ids, or in a table cut short those shown and how many others."""
    if shown is None:
        return ", ".join(ids)
    listed = [i for i in ids if i in shown]
    others = len(ids) - len(listed)
    if not others:
        return ", ".join(listed)
    if listed:
        return ", ".join([*listed, _("{count:,} more").format(count=others)])
    return ngettext("{count:,} proposal", "{count:,} proposals", others).format(count=others)


def _unshown_ineligible(comparison: Comparison, shown: Collection[str]) -> list[str]:
    """'760 ineligible proposals are not shown: 500 fail x, 400 fail y.'"""
    hidden = [e for e in comparison.evaluations if not e.eligible and e.id not in shown]
    if not hidden:
        return []
    failures = Counter(g.id for e in hidden for g in e.gates if not g.passed)
    tally = ", ".join(
        ngettext("{count:,} fails {gate}", "{count:,} fail {gate}", n).format(count=n, gate=gate)
        for gate, n in sorted(failures.items(), key=lambda x: _gate_order(comparison, x[0]))
    )
    return [
        ngettext(
            "{count:,} ineligible proposal is not shown: {tally}.",
            "{count:,} ineligible proposals are not shown: {tally}.",
            len(hidden),
        ).format(count=len(hidden), tally=tally)
    ]


def _gate_order(comparison: Comparison, gate: str) -> int:
    ids = [g.id for g in comparison.criteria.gates]
    return ids.index(gate) if gate in ids else len(ids)


def _more_line(comparison: Comparison, shown: int) -> Text:
    """'… and 1,960 more proposals (…): `--all` shows every row, …' under a cut table."""
    hidden = comparison.evaluations[shown:]
    ranked = sum(e.rank is not None for e in hidden)
    kinds = [
        _("{count:,} ranked").format(count=ranked) if ranked else "",
        _("{count:,} ineligible").format(count=len(hidden) - ranked)
        if len(hidden) > ranked
        else "",
    ]
    return Text(
        ngettext(
            "… and {count:,} more proposal ({kinds}): `--all` shows every row, or use "
            "--format json or csv.",
            "… and {count:,} more proposals ({kinds}): `--all` shows every row, or use "
            "--format json or csv.",
            len(hidden),
        ).format(count=len(hidden), kinds=", ".join(k for k in kinds if k)),
        style="bold",
    )


def what_if_lines(comparison: Comparison) -> list[Text]:
    """The what-if mark, first thing on the screen, or nothing for the file's own run."""
    sentence = what_if_sentence(comparison)
    return [] if sentence is None else [Text(sentence, style="bold yellow")]


def caveat_lines(comparison: Comparison) -> list[Text]:
    """Each caveat of the run, to go next to the recommendation."""
    return [
        Text(_("Caveat: {caveat}").format(caveat=s), style="yellow")
        for s in caveat_sentences(comparison)
    ]


def render(comparison: Comparison, options: RenderOptions) -> str:
    """The ranked comparison table with the recommendation under it; a ranking longer than
    `options.rows` shows its top rows and says how many more there are."""
    comparison = localized(comparison, options.lang)
    evaluations = comparison.evaluations
    if not evaluations:
        return print_to_text(
            options,
            *what_if_lines(comparison),
            Text(_("No proposal could be scored.")),
            *caveat_lines(comparison),
        )
    rows = len(evaluations) if options.rows is None else max(1, options.rows)
    parts = ranking_tables(comparison, options, evaluations[:rows])
    shown = None
    if rows < len(evaluations):
        shown = {e.id for e in evaluations[:rows]}
        parts.append(_more_line(comparison, rows))
    return print_to_text(
        options,
        *what_if_lines(comparison),
        *parts,
        *summary_lines(comparison, shown),
        *compliance_parts(comparison, options, shown),
        *panel_parts(comparison, options, shown),
        *declaration_lines(comparison),
    )


def declaration_lines(comparison: Comparison) -> list[Text]:
    """The panel members' declarations of no conflict of interest, in one sentence (the
    reports give each member's sign-off block); none without a panel."""
    if comparison.panel is None or not comparison.panel.members:
        return []
    from evaluator.render.signoff import declarations_line  # with a panel only

    return [Text(declarations_line(comparison))]


def compliance_parts(
    comparison: Comparison, options: RenderOptions, shown: Collection[str] | None = None
) -> list[RenderableType]:
    """The technical compliance matrix, when the criteria list requirements. No column is
    narrower than its longest word; when the proposals' columns do not all fit the width,
    the matrix is split into tables of as many as fit, each with the requirement and its
    text. Under a ranking cut short (`shown`), a line says how to see it instead: a
    matrix of that many proposals is no screenful."""
    if not comparison.criteria.requirements or not comparison.evaluations:
        return []
    if shown is not None:
        return [
            Text(
                _(
                    "Technical compliance: `--all` shows the matrix, or use --format markdown "
                    "or json."
                )
            )
        ]
    heading, body = matrix(comparison)

    def table(group: list[int], first: bool) -> Table:
        table = Table(
            box=box.SIMPLE_HEAD,
            title=_("Technical compliance") if first else None,
            title_justify="left",
        )
        for i in (0, 1, *group):
            table.add_column(heading[i])
        for row in body:
            table.add_row(*(row[i] for i in (0, 1, *group)))
        return table

    groups: list[list[int]] = []
    for i in range(2, len(heading)):
        if groups and needed_width(table([*groups[-1], i], False)) <= options.width:
            groups[-1].append(i)
        else:
            groups.append([i])
    return [fit_table(table(group, n == 0), options.width) for n, group in enumerate(groups)]


def panel_parts(
    comparison: Comparison, options: RenderOptions, shown: Collection[str] | None = None
) -> list[RenderableType]:
    """Each member's rating of each judgement, the consolidated score and the spread (of
    the proposals `shown` in a ranking cut short)."""
    rows = [r for r in panel_rows(comparison) if shown is None or r.proposal in shown]
    if not rows:
        return [Text(settings_sentence(comparison))] if comparison.panel else []
    names = members(comparison)
    aggregate = comparison.criteria.panel.aggregate

    def table(ratings: list[str], cells: list[list[str]]) -> Table:
        table = Table(
            box=box.SIMPLE_HEAD,
            title=_("Panel judgements"),
            title_justify="left",
            caption=settings_sentence(comparison, FLAG),
            caption_justify="left",
            padding=(0, 1, 0, 0),
        )
        table.add_column(_("Proposal"))
        table.add_column(_("Judgement"))
        for name in ratings:
            table.add_column(name, ratio=1 if name == _("Ratings") else None)
        table.add_column(aggregate_text(aggregate).capitalize(), justify="right", no_wrap=True)
        table.add_column(_("Spread"), justify="right", no_wrap=True)
        for row, line in zip(rows, cells, strict=True):
            table.add_row(
                *line,
                style="bold yellow"
                if row.disagreement
                else ("yellow" if row.score is None else ""),
            )
        return table

    # A column per member reads best, when it fits; else the ratings in one column.
    wide = table(
        names,
        [
            [
                row.proposal,
                row.judgement,
                *(row.levels.get(name, "—") for name in names),
                score_text(row),
                spread_text(row),
            ]
            for row in rows
        ],
    )
    if needed_width(wide, {0: IDENTIFIER}) > options.width:
        wide = table(
            [_("Ratings")],
            [
                [
                    row.proposal,
                    row.judgement,
                    ", ".join(f"{m} {lv}" for m, lv in row.levels.items()) or "—",
                    score_text(row),
                    spread_text(row),
                ]
                for row in rows
            ],
        )
    return [Text(""), fit_table(wide, options.width, {0: IDENTIFIER})]


def render_card(comparison: Comparison, options: RenderOptions) -> str:
    """One proposal's score card: each criterion's leaves with their evidence."""
    comparison = localized(comparison, options.lang)
    parts: list[RenderableType] = [*what_if_lines(comparison)]
    for e in comparison.evaluations:
        parts.append(score_card(e, comparison, options.width))
    parts += caveat_lines(comparison)
    for note in comparison.notes:
        parts.append(Text(_("Note: {note}.").format(note=note_text(note)), style="yellow"))
    if comparison.panel is not None:
        parts.append(Text(settings_sentence(comparison)))
    parts += declaration_lines(comparison)
    return print_to_text(options, *(parts or [Text(_("Nothing was scored."))]))


def icp_table(icp: IcpBreakdown, width: int = 100) -> RenderableType:
    """The ICP credit of each activity (value × multiplier), with the totals under it; on
    a terminal too narrow for the table's columns, one activity a line."""
    table = Table(
        box=box.SIMPLE_HEAD,
        title=icp_title(),
        title_justify="left",
        expand=True,
        caption=icp_summary(icp) + "\n",
        caption_justify="left",
    )
    # The type over its description: the numbers keep their columns on a narrow terminal.
    table.add_column(_("Activity"), ratio=1, overflow="fold")
    table.add_column(_("Kind"), no_wrap=True)
    table.add_column(_("Local"), no_wrap=True)
    table.add_column(
        _("Value {currency}").format(currency=icp.currency), justify="right", no_wrap=True
    )
    table.add_column("×", justify="right", no_wrap=True)
    table.add_column(f"ICV {icp.currency}", justify="right", no_wrap=True)
    rows = icp_rows(icp)
    for kind, description, direct, beneficiary, *numbers in rows:
        activity = Text.assemble((kind, "bold"), "\n", (description, "dim"))
        if beneficiary:
            activity.append(
                "\n" + _("for {beneficiary}").format(beneficiary=beneficiary), style="dim"
            )
        table.add_row(activity, direct, *numbers)
    if needed_width(table) <= width:
        return fit_table(table, width)
    lines: list[RenderableType] = [Text(icp_title(), style="italic"), Text("")]
    for kind, description, direct, beneficiary, local, value, multiplier, credit in rows:
        where = _("local") if local == _("yes") else _("not local")
        said = description + (
            _("; for {beneficiary}").format(beneficiary=beneficiary) if beneficiary else ""
        )
        lines += [
            broken(
                Text.assemble(
                    (kind, "bold"),
                    f" ({direct}, {where}): {value} {multiplier} = {credit} {icp.currency}",
                ),
                width,
            ),
            Padding(broken(Text(said, style="dim"), width - 2), (0, 0, 0, 2), expand=False),
        ]
    lines += [Text(""), broken(Text(icp_summary(icp)), width), Text("")]
    return Group(*lines)


def score_card(e: Evaluation, comparison: Comparison, width: int = 100) -> Panel:
    """A panel for one proposal: header, one table per criterion, gates, warnings."""
    inner = width - 4  # the panel's border and padding
    status = (
        Text(_("eligible"), style="green")
        if e.eligible
        else Text(_("ineligible"), style="bold red")
    )
    header = Text.assemble(
        (f"{e.proposal.title}\n", "bold"),
        f"{e.proposal.country} · {e.proposal.file} · ",
        status,
        " · "
        + _("total {total:.2f} {scale} ({method})").format(
            total=e.total, scale=out_of(comparison.method), method=comparison.method
        ),
    )
    parts: list[RenderableType] = [broken(header, inner)]
    if e.agent is not None:
        parts.append(broken(Text(agent_sentence(e.agent)), inner))
    for c in e.criteria:
        weighted = _("× weight {weight} = {contribution:.2f}").format(
            weight=percent(c.weight), contribution=c.contribution
        )
        title = f"{c.title}: {score_sum(c)}{c.score:.2f}, {weighted}"
        if has_raw(c):  # weight × a raw value would be a meaningless number
            title = f"{c.title}: {no_contribution(c, comparison.method)}"
        partly = partly_discounted(c)
        table = _leaf_table(c, title, partly)
        if partly and needed_width(table, {0: IDENTIFIER}) > inner:
            table = _leaf_table(c, title, partly, merged=True)
        if c.credibility_field is not None:
            value = _("missing") if c.credibility_value is None else str(c.credibility_value)
            table.caption = (
                _("Credibility: {field} = {value} → × {factor:g}").format(
                    field=c.credibility_field, value=value, factor=c.credibility_factor
                )
                + (_(" on the promises") if partly else "")
                + "\n"
            )
            table.caption_justify = "left"
        parts.append(fit_table(table, inner, {0: IDENTIFIER}))
    if e.icp is not None:
        parts.append(icp_table(e.icp, inner))
    if e.gates:
        parts.append(gate_table(e, inner))
    for warning in e.warnings:
        parts.append(
            Text(_("warning: {warning}").format(warning=note_text(warning)), style="yellow")
        )
    if e.unscored:
        parts.append(broken(Text(unscored_sentence(e.unscored), style="dim"), inner))
    return Panel(Group(*parts), title=f"{e.id}", title_align="left", box=box.ROUNDED)


def _leaf_table(c: CriterionScore, title: str, partly: bool, merged: bool = False) -> Table:
    """A criterion's sub-criteria: weight, score and evidence; when the credibility factor
    discounts some of them, which rows are promises, in a column of its own or, on a
    narrow terminal (`merged`), before the evidence, as the gates put a value after
    their requirement."""
    table = Table(box=box.SIMPLE_HEAD, title_justify="left", expand=True, title=title)
    table.add_column(_("Sub-criterion"), ratio=2, overflow="fold")
    table.add_column(_("Weight"), justify="right", no_wrap=True)
    table.add_column(_("Score"), justify="right", no_wrap=True)
    separate = partly and not merged
    if separate:  # which rows are promises, discounted by the factor
        table.add_column(_("Credibility"), no_wrap=True)
    table.add_column(
        _("Credibility; evidence") if merged else _("Evidence"), ratio=5, overflow="fold"
    )
    for leaf in c.leaves:
        evidence = explanation(leaf)
        if partly and merged:
            evidence = f"{leaf_factor(leaf)}; {evidence}"
        table.add_row(
            leaf.id,
            percent(leaf.weight),
            "raw" if leaf.rule == "raw" else f"{leaf.score:.2f}",
            *([leaf_factor(leaf)] if separate else []),
            evidence,
            style="yellow" if leaf.missing else "",
        )
    return table


def gate_table(e: Evaluation, width: int) -> Table:
    """Each gate, whether it passed, the requirement and the value; on a narrow terminal
    the value goes with the requirement, as the ranking's sentences put it."""

    def result(passed: bool, applies: bool) -> Text:
        if not applies:  # its `when` does not hold: passed, as not applicable
            return Text(_("n/a"), style="dim")
        return Text(_("pass"), style="green") if passed else Text(_("FAIL"), style="bold red")

    gates = Table(box=box.SIMPLE_HEAD, title=_("Gates"), title_justify="left", expand=True)
    gates.add_column(_("Gate"))
    gates.add_column(_("Result"), no_wrap=True)
    gates.add_column(_("Requirement"), ratio=1)
    gates.add_column(_("Value"), max_width=24)
    for g in e.gates:
        gates.add_row(g.id, result(g.passed, g.applies), requirement(g.gate), detail(g))
    if needed_width(gates, {0: IDENTIFIER}) > width:
        gates = Table(box=box.SIMPLE_HEAD, title=_("Gates"), title_justify="left", expand=True)
        gates.add_column(_("Gate"), ratio=1)
        gates.add_column(_("Result"), no_wrap=True)
        gates.add_column(_("Requirement; value"), ratio=2)
        for g in e.gates:
            gates.add_row(
                g.id,
                result(g.passed, g.applies),
                _("{requirement}; it has {detail}").format(
                    requirement=requirement(g.gate), detail=detail(g)
                ),
            )
    return fit_table(gates, width, {0: IDENTIFIER})
