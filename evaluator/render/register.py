"""The register of runs in words (docs/register.md): the history of runs, a proposal's
rounds, what `verify` found, and what a replay says."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from evaluator.register.store import GENESIS, Finding, Run, Verification
from evaluator.render import RenderOptions
from evaluator.render.i18n import N_, in_english, ngettext
from evaluator.render.i18n import gettext as _

FLAG_WORDS = {"criteria_changed_after_opening": N_("criteria changed after bid opening")}


def _when(run: Run) -> str:
    """The run's UTC time to the second: 2026-12-07 05:02:11Z."""
    return run.at[:19].replace("T", " ") + "Z" if run.at else ""


def _criteria(run: Run) -> str:
    criteria = run.record.get("criteria") or {}
    return f"{criteria.get('id', '?')} ({str(criteria.get('fingerprint', ''))[:8]})"


def _outcome(run: Run) -> str:
    """What the run found, in a few words: the winner, or that the bids were opened."""
    if run.kind == "open":
        return _("bids opened: criteria frozen")
    ranked = [p for p in run.record.get("proposals", []) if p.get("rank") == 1]
    if ranked:
        first = ranked[0]
        return _("first: {id} ({total:.2f})").format(id=first["id"], total=first["total"])
    return _("no proposal ranked")


def _flags(run: Run) -> str:
    return "; ".join(
        _(FLAG_WORDS[f]) if f in FLAG_WORDS else f for f in run.record.get("flags", [])
    )


def history_rows(runs: Sequence[Run]) -> list[list[str]]:
    return [
        [
            str(run.seq),
            _when(run),
            str(run.record.get("by", "")),
            run.kind,
            run.programme or "",
            _criteria(run),
            _outcome(run),
            _flags(run),
        ]
        for run in runs
    ]


# The columns: the JSON's keys (in English: `when`, `by`, ...), and the table's headers
# (translated where they are shown).
HISTORY_HEADER = [
    N_("Run"),
    N_("When (UTC)"),
    N_("By"),
    N_("Command"),
    N_("Programme"),
    N_("Criteria"),
    N_("Result"),
    N_("Flags"),
]
ROUNDS_HEADER = [
    N_("Run"),
    N_("When (UTC)"),
    N_("By"),
    N_("Round"),
    N_("Total"),
    N_("Rank"),
    N_("Eligible"),
    N_("Flags"),
]


def rounds_rows(rounds: Sequence[tuple[Run, dict[str, Any], int]]) -> list[list[str]]:
    rows = []
    for run, entry, number in rounds:
        total = entry.get("total")
        eligible = entry.get("eligible")
        rows.append(
            [
                str(run.seq),
                _when(run),
                str(run.record.get("by", "")),
                str(entry.get("round") or f"R{number}"),
                "" if total is None else f"{total:.2f}",
                "" if entry.get("rank") is None else str(entry["rank"]),
                "" if eligible is None else (_("yes") if eligible else _("no")),
                _flags(run),
            ]
        )
    return rows


def render_runs(runs: Sequence[Run], fmt: str, options: RenderOptions, title: str) -> str:
    """`evaluator history`: the runs (the JSON in English, whatever the language)."""
    rows = (in_english(history_rows) if fmt == "json" else history_rows)(runs)
    return render_history(HISTORY_HEADER, rows, fmt, options, title)


def render_rounds(
    rounds: Sequence[tuple[Run, dict[str, Any], int]], fmt: str, options: RenderOptions, title: str
) -> str:
    """`evaluator history --proposal`: a proposal's rounds (the JSON in English)."""
    rows = (in_english(rounds_rows) if fmt == "json" else rounds_rows)(rounds)
    return render_history(ROUNDS_HEADER, rows, fmt, options, title)


def render_history(
    header: list[str], rows: list[list[str]], fmt: str, options: RenderOptions, title: str
) -> str:
    if fmt == "json":
        keys = [h.lower().split(" (")[0].replace(" ", "_") for h in header]
        return json.dumps([dict(zip(keys, row, strict=True)) for row in rows], indent=2) + "\n"
    header = [_(name) for name in header]
    if fmt == "markdown":
        from evaluator.render.markdown_text import md

        lines = [f"## {md(title)}", "", "| " + " | ".join(header) + " |"]
        lines.append("| " + " | ".join("---" for _ in header) + " |")
        lines += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    from rich.table import Table

    from evaluator.render.table import print_to_text

    table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    for i, name in enumerate(header):
        table.add_column(name, overflow="fold", no_wrap=i < 2)
    for row in rows:
        table.add_row(*row)
    if not rows:
        return print_to_text(options, title, _("No runs recorded yet."))
    return print_to_text(options, table)


def finding_text(finding: Finding) -> str:
    data = finding.data
    if finding.code == "changed":
        what = _("its record does not match its hash: changed after it was recorded")
    elif finding.code == "chain":
        what = _(
            "it does not follow the run before it (a run was removed, inserted or moved before it)"
        )
    elif finding.code == "missing":
        first, last = data["from"], data["to"]
        what = (
            _("run {first} is missing before it").format(first=first)
            if first == last
            else _("runs {first} to {last} are missing before it").format(first=first, last=last)
        )
    elif finding.code == "columns":
        what = _("the register's columns for it do not say what its record says")
    elif finding.code == "result":
        what = _("its stored result does not match the hash its record gives")
    elif finding.code == "blob_missing":
        what = _("the content of {file} is missing").format(file=data["file"])
    elif finding.code == "blob_changed":
        what = _("the content of {file} was changed").format(file=data["file"])
    else:  # pragma: no cover - every code the store makes is above
        what = finding.code
    return _("run {run}: {finding}").format(run=finding.seq, finding=what)


def verify_text(name: str, result: Verification, head: str | None) -> str:
    lines = [finding_text(f) for f in result.findings]
    runs = ngettext("{count} run", "{count} runs", result.runs).format(count=result.runs)
    if result.findings:
        lines.append(
            _("{register}: {runs}; NOT intact: {count} finding(s) above.").format(
                register=name, runs=runs, count=len(result.findings)
            )
        )
    else:
        lines.append(_("{register}: {runs}; the chain is intact.").format(register=name, runs=runs))
    if result.head != GENESIS:
        lines.append(
            _(
                "head {head}: keep it (in the minutes, say); `evaluator register verify "
                "--head {short}` later shows that no run after it was removed."
            ).format(head=result.head, short=result.head[:16])
        )
    if head is not None:
        lines.append(
            _("The run with hash {head} is in the chain.").format(head=head)
            if result.head_found
            else _(
                "No run with hash {head} in the chain: runs were removed, or this is "
                "another register."
            ).format(head=head)
        )
    return "\n".join(lines) + "\n"


def replay_text(
    run: Run, now_version: str, identical: bool, differences: Sequence[tuple[str, Any, Any]]
) -> str:
    then = str((run.record.get("tool") or {}).get("version", "?"))
    versions = (
        _("recorded with evaluator {then}, replayed with {now}").format(then=then, now=now_version)
        if then != now_version
        else f"evaluator {then}"
    )
    if identical:
        return (
            _(
                "Run {run} replayed from its stored inputs: the result is identical ({versions})."
            ).format(run=run.seq, versions=versions)
            + "\n"
        )
    lines = [
        _("Run {run} replayed from its stored inputs: the result DIFFERS ({versions}):").format(
            run=run.seq, versions=versions
        )
    ]
    for path, old, new in differences:
        lines.append(f"  {path}: {_short(old)} → {_short(new)}")
    return "\n".join(lines) + "\n"


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."
