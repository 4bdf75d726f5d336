"""`--format markdown`: tables and sentences to paste into a briefing note."""

from __future__ import annotations

from evaluator.render import RenderOptions, percent
from evaluator.render.agent import agent_sentence
from evaluator.render.compliance import failures, matrix
from evaluator.render.data import marked_id
from evaluator.render.i18n import gettext as _
from evaluator.render.icp import icp_rows, icp_summary, icp_title
from evaluator.render.language import localized
from evaluator.render.markdown_text import Markdown, md
from evaluator.render.markdown_text import row as _row
from evaluator.render.methods import (
    agreement_sentences,
    criterion_score_text,
    differs,
    has_raw,
    method_names,
    no_contribution,
    out_of,
    raw_caption,
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
from evaluator.render.problems import problem_line
from evaluator.render.run import (
    caveat_sentences,
    files_phrase,
    provisional,
    unscored_sentence,
    what_if_sentence,
)
from evaluator.render.signoff import (
    BLANK,
    DATE_LABEL,
    DECLARATION_LABEL,
    NAME_LABEL,
    ROLE_LABEL,
    SIGN_OFF_INTRO,
    SIGN_OFF_TITLE,
    SIGNATURE_LABEL,
    member_heading,
    sign_offs,
)
from evaluator.render.text.credibility import leaf_factor, partly_discounted, score_sum
from evaluator.render.text.evidence import explanation
from evaluator.render.text.gates import detail, requirement
from evaluator.render.text.notes import note_text
from evaluator.render.text.panel import aggregate_text
from evaluator.scoring.results import Comparison, Evaluation

# Every text from an input file goes through md() (evaluator/render/markdown_text.py);
# _row escapes each cell that is not our own Markdown.


def _rank(e: Evaluation) -> str:
    return "—" if e.rank is None else str(e.rank)


def recommendation(comparison: Comparison) -> str:
    """One sentence: who is recommended, or why nobody is."""
    winner = comparison.winner
    if winner is None:
        if not comparison.evaluations:
            return _("No proposal could be scored.")
        return _("No proposal passes every gate: none can be recommended.")
    tied = [e.id for e in comparison.evaluations if e.rank == 1]
    if len(tied) > 1:
        return _("Tie for first place between {ids} ({total:.2f}).").format(
            ids=md(", ".join(tied)), total=winner.total
        )
    if provisional(comparison):
        text = _(
            "Recommended, with the caveats below: **{id}** ({country}), total {total:.2f} {scale}."
        )
    else:
        text = _("Recommended: **{id}** ({country}), total {total:.2f} {scale}.")
    return text.format(
        id=md(winner.id),
        country=md(winner.proposal.country),
        total=winner.total,
        scale=out_of(comparison.method),
    )


def run_lines(comparison: Comparison) -> list[str]:
    """The what-if mark, as a quote at the top; nothing for the criteria file's own run."""
    sentence = what_if_sentence(comparison)
    return [] if sentence is None else [f"> **{md(sentence)}**", ""]


def caveat_lines(comparison: Comparison) -> list[str]:
    """The caveats, as a list under the recommendation."""
    sentences = caveat_sentences(comparison)
    return [_("- **Caveat:** {caveat}").format(caveat=md(s)) for s in sentences] + (
        [""] if sentences else []
    )


def render(comparison: Comparison, options: RenderOptions) -> str:
    """The ranking table, gates and notes as GitHub-flavoured Markdown."""
    comparison = localized(comparison, options.lang)
    criteria = comparison.criteria
    ids = [c.id for c in criteria.criteria]
    names = method_names(comparison)
    lines = [
        f"## {md(criteria.title)}",
        "",
        *run_lines(comparison),
        _("Criteria {id} version {version}, method `{method}`, {files}.").format(
            id=md(criteria.id, code=True),
            version=md(criteria.version) or "—",
            method=comparison.method,
            files=files_phrase(comparison),
        )
        + f" {recommendation(comparison)}",
        "",
        *caveat_lines(comparison),
        _row(
            [
                _("Rank"),
                _("Proposal"),
                _("Country"),
                _("Total"),
                *(_("{method} rank").format(method=n) for n in names),
                *(f"{i} ({percent(comparison.weights[i])})" for i in ids),
                _("Gates"),
            ]
        ),
        _row(
            ["---:", "---", "---", "---:", *("---:" for _ in names), *("---:" for _ in ids), "---"]
        ),
    ]
    for e in comparison.evaluations:
        failed = [g.id for g in e.gates if not g.passed]
        bold = e.eligible and bool(names) and differs(e)  # the methods disagree on it
        lines.append(
            _row(
                [
                    _rank(e),
                    marked_id(e),
                    e.proposal.country,
                    f"{e.total:.2f}",
                    *(
                        Markdown(f"**{r}**") if bold else ("—" if r is None else r)
                        for r in (e.methods[n][1] for n in names)
                    ),
                    *(criterion_score_text(c) for c in e.criteria),
                    _("fails {gates}").format(gates=", ".join(failed)) if failed else _("pass"),
                ]
            )
        )
    lines.append("")
    if raw_caption(comparison):
        lines.append(f"- {md(raw_caption(comparison))}.")
    lines += [f"- {md(sentence)}" for sentence in agreement_sentences(comparison)]
    for e in comparison.evaluations:
        for g in e.gates:
            if not g.passed:
                lines.append(
                    _("- **{id}** is ineligible: {title} ({requirement}; it has {detail}).").format(
                        id=md(e.id),
                        title=md(g.title),
                        requirement=md(requirement(g.gate)),
                        detail=md(detail(g)),
                    )
                )
        unmet = failures(e)
        if unmet:
            lines.append(
                _("- **{id}** does not meet: {unmet}.").format(
                    id=md(e.id), unmet=md("; ".join(unmet))
                )
            )
    lines += [f"- **{md(sentence)}**" for sentence in disagreement_sentences(comparison)]
    for note in comparison.notes:
        lines.append(_("- Note: {note}.").format(note=md(note_text(note))))
    for problem in comparison.errors:
        lines.append(_("- Not evaluated: {problem}").format(problem=md(problem_line(problem))))
    lines += compliance_section(comparison)
    lines += panel_section(comparison)
    lines += sign_off_section(comparison)
    return "\n".join(lines).rstrip() + "\n"


def sign_off_section(comparison: Comparison) -> list[str]:
    """A block per panel member to sign and date (none without a panel): the report's end."""
    blocks = sign_offs(comparison)
    if not blocks:
        return []
    lines = ["", f"### {_(SIGN_OFF_TITLE)}", "", md(_(SIGN_OFF_INTRO))]

    def shown(value: str) -> str:
        return value if value == BLANK else md(value)

    for block in blocks:
        lines += [
            "",
            f"**{md(member_heading(block))}**",
            "",
            f"- {_(NAME_LABEL)}: {shown(block.name)}",
            f"- {_(ROLE_LABEL)}: {shown(block.role)}",
            f"- {_(DECLARATION_LABEL)}: "
            + (md(block.declaration) if block.declared_on else f"**{md(block.declaration)}**"),
            f"- {_(SIGNATURE_LABEL)}: {BLANK}",
            f"- {_(DATE_LABEL)}: {BLANK}",
        ]
    return lines


def compliance_section(comparison: Comparison) -> list[str]:
    """The technical compliance matrix, when the criteria list requirements."""
    if not comparison.criteria.requirements or not comparison.evaluations:
        return []
    heading, body = matrix(comparison)
    lines = [
        "",
        _("### Technical compliance"),
        "",
        _row([md(h) for h in heading]),
        _row(["---" for _ in heading]),
    ]
    lines += [_row([md(cell) for cell in row]) for row in body]
    return lines


def panel_section(comparison: Comparison) -> list[str]:
    """Each member's rating of each judgement, the consolidated score and the spread."""
    if comparison.panel is None:
        return []
    lines = ["", _("### Panel judgements"), "", md(settings_sentence(comparison, FLAG))]
    rows = panel_rows(comparison)
    if not rows:
        return lines
    names = members(comparison)
    aggregate = comparison.criteria.panel.aggregate
    lines += [
        "",
        _row(
            [
                _("Proposal"),
                _("Judgement"),
                *names,
                aggregate_text(aggregate).capitalize(),
                _("Spread"),
            ]
        ),
        _row(["---", "---", *("---" for _ in names), "---:", "---:"]),
    ]
    lines += [
        _row(
            [
                row.proposal,
                row.judgement,
                *(row.levels.get(n, "—") for n in names),
                score_text(row),
                spread_text(row),
            ]
        )
        for row in rows
    ]
    return lines


def render_card(comparison: Comparison, options: RenderOptions) -> str:
    """Each proposal's score card: criteria, sub-criteria with evidence, gates."""
    comparison = localized(comparison, options.lang)
    lines: list[str] = [*run_lines(comparison)]
    for e in comparison.evaluations:
        status = _("eligible") if e.eligible else "**" + _("ineligible") + "**"
        lines += [
            f"## {md(e.id)}: {md(e.proposal.title)}",
            "",
            _(
                "{country}, {file}: {status}, total **{total:.2f}** {scale} (method `{method}`)."
            ).format(
                country=md(e.proposal.country),
                file=md(e.proposal.file, code=True),
                status=status,
                total=e.total,
                scale=out_of(comparison.method),
                method=comparison.method,
            ),
            "",
        ]
        if e.agent is not None:
            lines += [md(agent_sentence(e.agent)), ""]
        for c in e.criteria:
            partly = partly_discounted(c)
            weighted = _("× weight {weight} = {contribution:.2f}").format(
                weight=percent(c.weight), contribution=c.contribution
            )
            heading = f"{c.score:.2f} {weighted}"
            if partly:  # the sum that makes the score: the others' + factor × the promises'
                heading = f"{score_sum(c)}{c.score:.2f}, {weighted}"
            if has_raw(c):  # weight × a raw value would be a meaningless number
                heading = no_contribution(c, comparison.method)
            lines += [f"### {md(c.title)}: {md(heading)}", ""]
            if c.credibility_field is not None:
                value = _("missing") if c.credibility_value is None else c.credibility_value
                lines += [
                    _("Credibility: {field} = {value} → × {factor:g}").format(
                        field=md(c.credibility_field, code=True),
                        value=md(value),
                        factor=c.credibility_factor,
                    )
                    + (_(" on the promises") if partly else ""),
                    "",
                ]
            factor = [_("Credibility")] if partly else []
            lines += [
                _row([_("Sub-criterion"), _("Weight"), _("Score"), *factor, _("Evidence")]),
                _row(["---", "---:", "---:", *(["---"] if partly else []), "---"]),
            ]
            lines += [
                _row(
                    [
                        leaf.id,
                        percent(leaf.weight),
                        "raw" if leaf.rule == "raw" else f"{leaf.score:.2f}",
                        *([leaf_factor(leaf)] if partly else []),
                        explanation(leaf),
                    ]
                )
                for leaf in c.leaves
            ]
            lines.append("")
        if e.icp is not None:
            lines += [f"### {icp_title()}", "", md(icp_summary(e.icp)), ""]
            if e.icp.credits:
                currency = e.icp.currency
                lines += [
                    _row(
                        [
                            _("Activity"),
                            _("Description"),
                            _("Kind"),
                            _("Beneficiary"),
                            _("Local"),
                            _("Value {currency}").format(currency=currency),
                            _("Multiplier"),
                            f"ICV {currency}",
                        ]
                    ),
                    _row(["---", "---", "---", "---", "---", "---:", "---:", "---:"]),
                ]
                lines += [_row(list(row)) for row in icp_rows(e.icp)]
                lines.append("")
        if e.gates:
            lines += [
                _("### Gates"),
                "",
                _row([_("Gate"), _("Result"), _("Requirement"), _("Value")]),
                _row(["---", "---", "---", "---"]),
            ]
            lines += [
                _row(
                    [
                        g.id,
                        (_("pass") if g.applies else _("n/a"))
                        if g.passed
                        else Markdown("**" + _("fail") + "**"),
                        requirement(g.gate),
                        detail(g),
                    ]
                )
                for g in e.gates
            ]
            lines.append("")
        lines += [_("- Warning: {warning}").format(warning=md(note_text(w))) for w in e.warnings]
        if e.unscored:
            lines.append(f"- {md(unscored_sentence(e.unscored))}")
        if e.warnings or e.unscored:
            lines.append("")
    lines += caveat_lines(comparison)
    lines += [_("- Note: {note}.").format(note=md(note_text(note))) for note in comparison.notes]
    if comparison.panel is not None:
        lines += (
            ["", md(settings_sentence(comparison))]
            if lines and lines[-1]
            else [md(settings_sentence(comparison))]
        )
    lines += sign_off_section(comparison)
    return "\n".join(lines).rstrip() + "\n"
