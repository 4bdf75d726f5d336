"""A staged tender in words and data: each stage (its committee, who passed, who failed and
why, with the requirement or gate and its reference), the financial envelopes left
sealed, then the weighted recommendation among the offers that passed every stage, as the
format renders any comparison. One module for every format: the sentences are shared."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evaluator.render import RenderOptions
from evaluator.render.i18n import gettext as _
from evaluator.render.i18n import in_english
from evaluator.render.language import localized_staged
from evaluator.render.problems import problem_line
from evaluator.render.stages_data import final_or_empty, staged_json
from evaluator.render.text.compliance import failure_text
from evaluator.render.text.gates import detail, requirement
from evaluator.scoring.consensus import Consensus
from evaluator.scoring.stages import Outcome, Staged, StageResult

if TYPE_CHECKING:
    from evaluator.analysis.sensitivity import Sensitivity


def rule_text(result: StageResult) -> str:
    """The stage's pass rule and envelope: 'technical envelope; passes on every gate and a
    stage score of at least 60'."""
    stage = result.stage
    envelope = envelope_text(stage.envelope)
    if stage.gates and stage.pass_mark is not None:
        text = _("{envelope} envelope; passes on every gate and a stage score of at least {mark:g}")
    elif stage.gates:
        text = _("{envelope} envelope; passes on every gate")
    elif stage.pass_mark is not None:
        text = _("{envelope} envelope; passes on a stage score of at least {mark:g}")
    else:
        text = _("{envelope} envelope; scored, every offer that reaches it passes")
    return text.format(envelope=envelope, mark=stage.pass_mark)


def envelope_text(envelope: str) -> str:
    """An envelope (`technical`, `financial`) in words."""
    return {"technical": _("technical"), "financial": _("financial")}.get(envelope, envelope)


def reasons(outcome: Outcome) -> list[str]:
    """Why an offer failed a stage, each with its requirement or gate and reference."""
    found = [
        _("{title} ({requirement}; it has {detail})").format(
            title=g.title, requirement=requirement(g.gate), detail=detail(g)
        )
        for g in outcome.failed_gates
    ]
    found += [failure_text(row) for row in outcome.unmet]
    if outcome.below_mark and outcome.score is not None:
        found.append(
            _("stage score {score:.2f}, below the pass mark").format(score=outcome.score)
            + "".join(f"; {judgement_text(f, c)}" for f, c in outcome.judgements)
        )
    found += [
        _("not evaluated: {problem}").format(problem=problem_line(p)) for p in outcome.problems
    ]
    return found


def judgement_text(field: str, consensus: Consensus | None) -> str:
    """A panel judgement behind a stage score: 'technical_merit (panel): A good, B good, C
    acceptable; median 75', or that no member rated it."""
    name = field.removeprefix("panel.")
    if consensus is None:
        return _("{name} (panel): no member rated it, scored 0").format(name=name)
    ratings = ", ".join(f"{r.member} {r.level}" for r in consensus.ratings)
    aggregate = _("median") if consensus.aggregate == "median" else _("mean")
    return _("{name} (panel): {ratings}; {aggregate} {score}").format(
        name=name, ratings=ratings, aggregate=aggregate, score=f"{consensus.score:g}"
    )


def score_text(outcome: Outcome) -> str:
    return "" if outcome.score is None else f" ({outcome.score:.2f})"


def failure_line(outcome: Outcome) -> str:
    """'turkiye fails (41.25): …; ….': an offer that failed a stage, and why."""
    return _("{id} fails{score}: {reasons}.").format(
        id=outcome.id, score=score_text(outcome), reasons="; ".join(reasons(outcome))
    )


def _listed(items: list[str], limit: int | None) -> str:
    """Items joined by commas; past `limit`, the first ones and how many more."""
    if limit is None or len(items) <= limit:
        return ", ".join(items)
    return _("{items} … and {n} more").format(items=", ".join(items[:limit]), n=len(items) - limit)


def stage_lines(staged: Staged, limit: int | None = None) -> list[tuple[str, list[str]]]:
    """Each stage as a heading and its sentences; with `limit` (a terminal's screenful),
    the first `limit` offers of each list and how many more (`--all` shows them all)."""
    parts = []
    for n, result in enumerate(staged.stages, 1):
        stage = result.stage
        lines = [rule_text(result) + "."]
        passed = [o for o in result.outcomes if o.passed]
        lines.append(
            _("Passed: {offers}.").format(
                offers=_listed([o.id + score_text(o) for o in passed], limit)
            )
            if passed
            else _("No offer passes this stage.")
        )
        failed = result.failed
        shown = failed if limit is None else failed[:limit]
        lines += [failure_line(outcome) for outcome in shown]
        if len(shown) < len(failed):
            lines.append(
                _("… and {n} more offers fail this stage: --all shows every one.").format(
                    n=len(failed) - len(shown)
                )
            )
        if result.not_considered:
            lines.append(
                _("Not considered (failed an earlier stage): {offers}.").format(
                    offers=_listed(result.not_considered, limit)
                )
            )
        heading = _("Stage {n}: {title} (`{id}`)").format(n=n, title=stage.title, id=stage.id)
        parts.append((heading, lines))
    return parts


def closing_lines(staged: Staged, limit: int | None = None) -> list[str]:
    """The envelopes left sealed and what the weighted evaluation is among."""
    lines = []
    if staged.sealed:
        lines.append(
            _("Financial envelope not opened (price shown nowhere): {offers}.").format(
                offers=_listed(staged.sealed, limit)
            )
        )
    last = staged.stages[-1] if staged.stages else None
    if staged.final is None and last is not None:
        if last.stage.recommend or last.stage.id != staged.criteria.stages[-1].id:
            lines.append(
                _("Stopped after stage `{id}`: no weighted evaluation.").format(id=last.stage.id)
            )
    elif staged.final is not None:
        among = staged.passed_all
        lines.append(
            _("Weighted evaluation among the offers that passed every stage: {offers}.").format(
                offers=_listed(among, limit) if among else _("none")
            )
        )
    return lines


# --- per format ------------------------------------------------------------------------------


def render_text(staged: Staged, fmt: str, options: RenderOptions, final: str) -> str:
    """The stages, then the final comparison as the format renders it (`final`). The CSV
    is the contract: its titles stay the criteria file's default (English) ones."""
    if fmt == "csv":
        return render_csv(staged)
    staged = localized_staged(staged, options.lang)
    if fmt == "markdown":
        return render_markdown(staged, final)
    return render_table(staged, options, final)


@in_english
def render_csv(staged: Staged) -> str:
    """The CSV contract of `compare` (docs/cli.md; ../shared/spec/formats.md): one row per
    offer, `rank,id,country,eligible,total`, a column per criterion, `file`, `status`,
    `what_if`, `caveats`, as without stages; then, per stage, its verdict (`stage_<id>`:
    `passed`, `failed`, `not considered`) and its score (`stage_<id>_score`), and
    `reasons` (why an offer failed, `stage: reason; …`). The offers ranked come first,
    as in the ranking; then each offer out at a stage (`status` `failed <stage>`: no
    criterion score, no total, its price never shown); then a file that could not be
    evaluated. Text from the inputs is guarded as every CSV cell is (render.csv.cell)."""
    from evaluator.render.csv import caveat_codes, cell, ranking_rows, row
    from evaluator.render.run import what_if_terms

    final = final_or_empty(staged)
    caveats = [*staged.caveats, *(staged.final.caveats if staged.final else [])]
    header, rows = ranking_rows(final, caveats)
    for result in staged.stages:
        header += [cell(f"stage_{result.stage.id}"), cell(f"stage_{result.stage.id}_score")]
    header.append("reasons")
    verdicts: dict[str, list[object]] = {}
    reasons_of: dict[str, list[str]] = {}
    failed_at: dict[str, str] = {}
    for result in staged.stages:
        for outcome in result.outcomes:
            verdict = "passed" if outcome.passed else "failed"
            score = "" if outcome.score is None else f"{outcome.score:.2f}"
            verdicts.setdefault(outcome.id, []).extend([verdict, score])
            if not outcome.passed:
                failed_at.setdefault(outcome.id, result.stage.id)
                reasons_of.setdefault(outcome.id, []).extend(
                    f"{result.stage.id}: {reason}" for reason in reasons(outcome)
                )
        for out_id in result.not_considered:
            verdicts.setdefault(out_id, []).extend(["not considered", ""])
    width = 2 * len(staged.stages)
    ranked = {ident for ident, _cells in rows if ident is not None}
    what_if, codes = cell(what_if_terms(final.what_if)), cell(caveat_codes(caveats))
    out = [row(header)]
    for ident, cells in rows:
        if ident is not None:
            extra = verdicts.get(ident, [])
            out.append(row([*cells, *extra, *[""] * (width - len(extra)), ""]))
    criteria = len(final.criteria.criteria)
    for proposal in staged.proposals:
        if proposal.id in ranked:
            continue
        failed = failed_at.get(proposal.id)
        status = f"failed {failed}" if failed is not None else "not ranked"
        extra = verdicts.get(proposal.id, [])
        out.append(
            row(
                [
                    "",
                    cell(proposal.id),
                    cell(proposal.country),
                    "false",
                    "",
                    *("" for _ in range(criteria)),
                    cell(proposal.file),
                    status,
                    what_if,
                    codes,
                    *extra,
                    *[""] * (width - len(extra)),
                    cell("; ".join(reasons_of.get(proposal.id, []))),
                ]
            )
        )
    out += [row([*cells, *[""] * width, ""]) for ident, cells in rows if ident is None]
    return "".join(out)


def render_json(staged: Staged) -> str:
    """The JSON contract of `compare` (the weighted evaluation among the offers that passed
    every stage; no results when there is none) with `stages` and `sealed`, laid out as
    every `--format json` is (render.json: a line per top-level key and per item of a
    top-level list; Python's indenting encoder took seconds on a large tender)."""
    return staged_json(staged)


def render_html(
    staged: Staged, options: RenderOptions, sensitivity: Sensitivity | None = None
) -> str:
    """The HTML report with a section per stage before the recommendation (and the
    robustness of that recommendation, when `sensitivity` is given)."""
    from evaluator.render.html import render_report

    staged = localized_staged(staged, options.lang)
    return render_report(
        final_or_empty(staged),
        sensitivity=sensitivity,
        command=options.command,
        files=options.files,
        stages={"parts": stage_lines(staged), "closing": closing_lines(staged)},
    )


def _what_if(staged: Staged) -> list[str]:
    """A what-if run says so first, before the stages (and again over its ranking)."""
    from evaluator.render.run import what_if_sentence

    sentence = None if staged.final is None else what_if_sentence(staged.final)
    return [] if sentence is None else [sentence]


def render_table(staged: Staged, options: RenderOptions, final: str) -> str:
    from rich.padding import Padding
    from rich.text import Text

    from evaluator.render.table import print_to_text

    parts: list[Any] = [Text(line, style="bold yellow") for line in _what_if(staged)]
    failing = {failure_line(o) for result in staged.stages for o in result.failed}
    for heading, lines in stage_lines(staged, options.rows):
        parts.append(Text(heading.replace("`", ""), style="bold"))
        # Indented as a block: a long reason wraps under its own sentence.
        parts += [
            Padding(Text(line, style="red" if line in failing else ""), (0, 0, 0, 2))
            for line in lines
        ]
    parts += [Text(line, style="bold") for line in closing_lines(staged, options.rows)]
    return print_to_text(options, *parts) + ("\n" + final if final else "")


def render_markdown(staged: Staged, final: str) -> str:
    from evaluator.render.markdown_text import md

    lines = [f"**{md(line)}**\n" for line in _what_if(staged)]
    lines += [
        _("## {title}: the tender, stage by stage").format(title=md(staged.criteria.title)),
        "",
    ]
    for heading, sentences in stage_lines(staged):
        lines += [f"### {md(heading.replace('`', ''))}", ""]
        lines += [f"- {md(sentence)}" for sentence in sentences]
        lines.append("")
    lines += [f"**{md(line)}**" for line in closing_lines(staged)]
    text = "\n".join(lines).rstrip() + "\n"
    return text + ("\n" + final if final else "")
