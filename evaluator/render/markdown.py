"""`--format markdown`: tables and sentences to paste into a briefing note."""

from __future__ import annotations

import re

from evaluator.render import RenderOptions
from evaluator.render.data import marked_id
from evaluator.render.icp import icp_rows, icp_summary
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
from evaluator.scoring import Comparison, Evaluation


def _cell(text: object) -> str:
    # Cells mix our own emphasis (**fail**, `code`) with input text: keep the first, and
    # stop HTML, links and images (`[..](..)`) and table breaks in the second.
    return (str(text).replace("|", "\\|").replace("<", "&lt;").replace("](", "]\\(")
            .replace("\n", " "))


def md(text: object) -> str:
    """Text from an input file, safe in Markdown prose: no emphasis, code, HTML or links."""
    return re.sub(r"([\\`*_])", r"\\\1", _cell(text))


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _rank(e: Evaluation) -> str:
    return "—" if e.rank is None else str(e.rank)


def recommendation(comparison: Comparison) -> str:
    """One sentence: who is recommended, or why nobody is."""
    winner = comparison.winner
    if winner is None:
        return "No proposal passes every gate: none can be recommended."
    tied = [e.id for e in comparison.evaluations if e.rank == 1]
    if len(tied) > 1:
        return f"Tie for first place between {', '.join(tied)} ({winner.total:.2f})."
    return (f"Recommended: **{winner.id}** ({md(winner.proposal.country)}), "
            f"total {winner.total:.2f} {out_of(comparison.method)}.")


def render(comparison: Comparison, options: RenderOptions) -> str:
    """The ranking table, gates and notes as GitHub-flavoured Markdown."""
    criteria = comparison.criteria
    ids = [c.id for c in criteria.criteria]
    names = method_names(comparison)
    lines = [f"## {criteria.title}", "",
             f"Criteria `{criteria.id}` version {criteria.version or '—'}, "
             f"method `{comparison.method}`. {recommendation(comparison)}", "",
             _row(["Rank", "Proposal", "Country", "Total", *(f"{n} rank" for n in names),
                   *(f"{i} ({comparison.weights[i]:.0%})" for i in ids), "Gates"]),
             _row(["---:", "---", "---", "---:", *("---:" for _ in names),
                   *("---:" for _ in ids), "---"])]
    for e in comparison.evaluations:
        failed = [g.id for g in e.gates if not g.passed]
        bold = e.eligible and bool(names) and differs(e)  # the methods disagree on it
        lines.append(_row([_rank(e), marked_id(e), e.proposal.country, f"{e.total:.2f}",
                           *(f"**{r}**" if bold else ("—" if r is None else r)
                             for r in (e.methods[n][1] for n in names)),
                           *(criterion_score_text(c) for c in e.criteria),
                           "fails " + ", ".join(failed) if failed else "pass"]))
    lines.append("")
    if raw_caption(comparison):
        lines.append(f"- {raw_caption(comparison)}.")
    lines += [f"- {sentence}" for sentence in agreement_sentences(comparison)]
    for e in comparison.evaluations:
        for g in e.gates:
            if not g.passed:
                lines.append(f"- **{e.id}** is ineligible: {g.title} ({g.requirement}; "
                             f"it has {g.detail}).")
    lines += [f"- **{sentence}**" for sentence in disagreement_sentences(comparison)]
    for note in comparison.notes:
        lines.append(f"- Note: {note}.")
    for problem in comparison.errors:
        lines.append(f"- Not evaluated: `{problem}`")
    lines += panel_section(comparison)
    return "\n".join(lines).rstrip() + "\n"


def panel_section(comparison: Comparison) -> list[str]:
    """Each member's rating of each judgement, the consolidated score and the spread."""
    if comparison.panel is None:
        return []
    lines = ["", "### Panel judgements", "", settings_sentence(comparison, FLAG)]
    rows = panel_rows(comparison)
    if not rows:
        return lines
    names = members(comparison)
    aggregate = comparison.criteria.panel.aggregate
    lines += ["",
              _row(["Proposal", "Judgement", *names, aggregate.capitalize(), "Spread"]),
              _row(["---", "---", *("---" for _ in names), "---:", "---:"])]
    lines += [_row([row.proposal, row.judgement, *(row.levels.get(n, "—") for n in names),
                    score_text(row), spread_text(row)]) for row in rows]
    return lines


def render_card(comparison: Comparison, options: RenderOptions) -> str:
    """Each proposal's score card: criteria, sub-criteria with evidence, gates."""
    lines: list[str] = []
    for e in comparison.evaluations:
        status = "eligible" if e.eligible else "**ineligible**"
        lines += [f"## {e.id}: {md(e.proposal.title)}", "",
                  f"{md(e.proposal.country)}, `{e.proposal.file}`: {status}, total "
                  f"**{e.total:.2f}** {out_of(comparison.method)} "
                  f"(method `{comparison.method}`).", ""]
        for c in e.criteria:
            heading = f"{c.score:.2f} × {c.weight:.2f} = {c.contribution:.2f}"
            if has_raw(c):  # weight × a raw value would be a meaningless number
                heading = no_contribution(c, comparison.method)
            lines += [f"### {c.title}: {heading}", ""]
            if c.credibility_field is not None:
                value = "missing" if c.credibility_value is None else c.credibility_value
                lines += [f"Credibility: `{c.credibility_field}` = {value} → "
                          f"× {c.credibility_factor:g}", ""]
            lines += [_row(["Sub-criterion", "Weight", "Score", "Evidence"]),
                      _row(["---", "---:", "---:", "---"])]
            lines += [_row([leaf.id, f"{leaf.weight:.2f}",
                            "raw" if leaf.rule == "raw" else f"{leaf.score:.2f}",
                            leaf.explanation]) for leaf in c.leaves]
            lines.append("")
        if e.icp is not None:
            lines += ["### Industrial collaboration (ICP credits)", "", icp_summary(e.icp), ""]
            if e.icp.credits:
                currency = e.icp.currency
                lines += [_row(["Activity", "Description", "Local", f"Value {currency}",
                                "Multiplier", f"Credit {currency}"]),
                          _row(["---", "---", "---", "---:", "---:", "---:"])]
                lines += [_row(list(row)) for row in icp_rows(e.icp)]
                lines.append("")
        if e.gates:
            lines += ["### Gates", "", _row(["Gate", "Result", "Requirement", "Value"]),
                      _row(["---", "---", "---", "---"])]
            lines += [_row([g.id, "pass" if g.passed else "**fail**", g.requirement, g.detail])
                      for g in e.gates]
            lines.append("")
        lines += [f"- Warning: {w}" for w in e.warnings]
        if e.warnings:
            lines.append("")
    lines += [f"- Note: {note}." for note in comparison.notes]
    if comparison.panel is not None:
        lines += ["", settings_sentence(comparison)] if lines and lines[-1] else \
            [settings_sentence(comparison)]
    return "\n".join(lines).rstrip() + "\n"
