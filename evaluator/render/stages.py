"""A staged tender in words and data: each stage (its committee, who passed, who failed and
why, with the requirement or gate and its reference), the financial envelopes left
sealed, then the weighted recommendation among the offers that passed every stage, as the
format renders any comparison. One module for every format: the sentences are shared."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evaluator.render import RenderOptions
from evaluator.render.problems import problem_line
from evaluator.render.stages_data import final_or_empty, staged_data
from evaluator.render.text.compliance import failure_text
from evaluator.render.text.gates import detail, requirement
from evaluator.scoring.stages import Outcome, Staged, StageResult

if TYPE_CHECKING:
    from evaluator.analysis.sensitivity import Sensitivity


def rule_text(result: StageResult) -> str:
    """The stage's pass rule and envelope: 'technical envelope; passes on every gate and a
    stage score of at least 60'."""
    stage = result.stage
    parts = ["every gate"] if stage.gates else []
    if stage.pass_mark is not None:
        parts.append(f"a stage score of at least {stage.pass_mark:g}")
    if not parts:
        return f"{stage.envelope} envelope; scored, every offer that reaches it passes"
    return f"{stage.envelope} envelope; passes on " + " and ".join(parts)


def reasons(outcome: Outcome) -> list[str]:
    """Why an offer failed a stage, each with its requirement or gate and reference."""
    found = [f"{g.title} ({requirement(g.gate)}; it has {detail(g)})" for g in outcome.failed_gates]
    found += [failure_text(row) for row in outcome.unmet]
    if outcome.below_mark and outcome.score is not None:
        found.append(f"stage score {outcome.score:.2f}, below the pass mark")
    found += [f"not evaluated: {problem_line(p)}" for p in outcome.problems]
    return found


def score_text(outcome: Outcome) -> str:
    return "" if outcome.score is None else f" ({outcome.score:.2f})"


def stage_lines(staged: Staged) -> list[tuple[str, list[str]]]:
    """Each stage as a heading and its sentences."""
    parts = []
    for n, result in enumerate(staged.stages, 1):
        stage = result.stage
        lines = [rule_text(result) + "."]
        passed = [o for o in result.outcomes if o.passed]
        lines.append(
            "Passed: " + ", ".join(o.id + score_text(o) for o in passed) + "."
            if passed
            else "No offer passes this stage."
        )
        for outcome in result.failed:
            lines.append(
                f"{outcome.id} fails{score_text(outcome)}: " + "; ".join(reasons(outcome)) + "."
            )
        if result.not_considered:
            lines.append(
                "Not considered (failed an earlier stage): "
                + ", ".join(result.not_considered)
                + "."
            )
        parts.append((f"Stage {n}: {stage.title} (`{stage.id}`)", lines))
    return parts


def closing_lines(staged: Staged) -> list[str]:
    """The envelopes left sealed and what the weighted evaluation is among."""
    lines = []
    if staged.sealed:
        lines.append(
            "Financial envelope not opened (price shown nowhere): " + ", ".join(staged.sealed) + "."
        )
    last = staged.stages[-1] if staged.stages else None
    if staged.final is None and last is not None:
        if last.stage.recommend or last.stage.id != staged.criteria.stages[-1].id:
            lines.append(f"Stopped after stage `{last.stage.id}`: no weighted evaluation.")
    elif staged.final is not None:
        among = staged.passed_all
        lines.append(
            "Weighted evaluation among the offers that passed every stage: "
            + (", ".join(among) if among else "none")
            + "."
        )
    return lines


# --- per format ------------------------------------------------------------------------------


def render_text(staged: Staged, fmt: str, options: RenderOptions, final: str) -> str:
    """The stages, then the final comparison as the format renders it (`final`)."""
    if fmt == "markdown":
        return render_markdown(staged, final)
    if fmt == "csv":
        return render_csv(staged)
    return render_table(staged, options, final)


def render_csv(staged: Staged) -> str:
    """One row per offer and stage: stage, id, passed, score, reasons (`; ` between)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["stage", "id", "passed", "score", "reasons"])
    for result in staged.stages:
        for outcome in result.outcomes:
            score = "" if outcome.score is None else f"{outcome.score:.2f}"
            writer.writerow(
                [result.stage.id, outcome.id, outcome.passed, score, "; ".join(reasons(outcome))]
            )
        for ident in result.not_considered:
            writer.writerow([result.stage.id, ident, "", "", "not considered"])
    return out.getvalue()


def render_json(staged: Staged) -> str:
    """The JSON contract of `compare` (the weighted evaluation among the offers that passed
    every stage; no results when there is none) with `stages` and `sealed`."""
    import json

    return json.dumps(staged_data(staged), indent=2, ensure_ascii=False) + "\n"


def render_html(
    staged: Staged, options: RenderOptions, sensitivity: Sensitivity | None = None
) -> str:
    """The HTML report with a section per stage before the recommendation (and the
    robustness of that recommendation, when `sensitivity` is given)."""
    from evaluator.render.html import render_report

    return render_report(
        final_or_empty(staged),
        sensitivity=sensitivity,
        command=options.command,
        stages={"parts": stage_lines(staged), "closing": closing_lines(staged)},
    )


def render_table(staged: Staged, options: RenderOptions, final: str) -> str:
    from rich.padding import Padding
    from rich.text import Text

    from evaluator.render.table import print_to_text

    parts: list[Any] = []
    for heading, lines in stage_lines(staged):
        parts.append(Text(heading.replace("`", ""), style="bold"))
        # Indented as a block: a long reason wraps under its own sentence.
        parts += [
            Padding(Text(line, style="red" if " fails" in line else ""), (0, 0, 0, 2))
            for line in lines
        ]
    parts += [Text(line, style="bold") for line in closing_lines(staged)]
    return print_to_text(options, *parts) + ("\n" + final if final else "")


def render_markdown(staged: Staged, final: str) -> str:
    from evaluator.render.markdown_text import md

    lines = [f"## {md(staged.criteria.title)}: the tender, stage by stage", ""]
    for heading, sentences in stage_lines(staged):
        lines += [f"### {md(heading.replace('`', ''))}", ""]
        lines += [f"- {md(sentence)}" for sentence in sentences]
        lines.append("")
    lines += [f"**{md(line)}**" for line in closing_lines(staged)]
    text = "\n".join(lines).rstrip() + "\n"
    return text + ("\n" + final if final else "")
