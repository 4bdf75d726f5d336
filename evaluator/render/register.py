"""The register of runs in words (docs/register.md): the history of runs, a proposal's
rounds, what `verify` found, and what a replay says."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from evaluator.register.store import GENESIS, Finding, Run, Verification
from evaluator.render import RenderOptions

FLAG_WORDS = {"criteria_changed_after_opening": "criteria changed after bid opening"}


def _when(run: Run) -> str:
    """The run's UTC time to the second: 2026-12-07 05:02:11Z."""
    return run.at[:19].replace("T", " ") + "Z" if run.at else ""


def _criteria(run: Run) -> str:
    criteria = run.record.get("criteria") or {}
    return f"{criteria.get('id', '?')} ({str(criteria.get('fingerprint', ''))[:8]})"


def _outcome(run: Run) -> str:
    """What the run found, in a few words: the winner, or that the bids were opened."""
    if run.kind == "open":
        return "bids opened: criteria frozen"
    ranked = [p for p in run.record.get("proposals", []) if p.get("rank") == 1]
    if ranked:
        first = ranked[0]
        return f"first: {first['id']} ({first['total']:.2f})"
    return "no proposal ranked"


def _flags(run: Run) -> str:
    return "; ".join(FLAG_WORDS.get(f, f) for f in run.record.get("flags", []))


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


HISTORY_HEADER = ["Run", "When (UTC)", "By", "Command", "Programme", "Criteria", "Result", "Flags"]
ROUNDS_HEADER = ["Run", "When (UTC)", "By", "Round", "Total", "Rank", "Eligible", "Flags"]


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
                "" if eligible is None else ("yes" if eligible else "no"),
                _flags(run),
            ]
        )
    return rows


def render_history(
    header: list[str], rows: list[list[str]], fmt: str, options: RenderOptions, title: str
) -> str:
    if fmt == "json":
        keys = [h.lower().split(" (")[0].replace(" ", "_") for h in header]
        return json.dumps([dict(zip(keys, row, strict=True)) for row in rows], indent=2) + "\n"
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
        return print_to_text(options, title, "No runs recorded yet.")
    return print_to_text(options, table)


def finding_text(finding: Finding) -> str:
    data = finding.data
    if finding.code == "changed":
        what = "its record does not match its hash: changed after it was recorded"
    elif finding.code == "chain":
        what = (
            "it does not follow the run before it (a run was removed, inserted or moved before it)"
        )
    elif finding.code == "missing":
        first, last = data["from"], data["to"]
        what = (
            f"run {first} is missing before it"
            if first == last
            else f"runs {first} to {last} are missing before it"
        )
    elif finding.code == "columns":
        what = "the register's columns for it do not say what its record says"
    elif finding.code == "result":
        what = "its stored result does not match the hash its record gives"
    elif finding.code == "blob_missing":
        what = f"the content of {data['file']} is missing"
    elif finding.code == "blob_changed":
        what = f"the content of {data['file']} was changed"
    else:  # pragma: no cover - every code the store makes is above
        what = finding.code
    return f"run {finding.seq}: {what}"


def verify_text(name: str, result: Verification, head: str | None) -> str:
    lines = [finding_text(f) for f in result.findings]
    runs = f"{result.runs} run{'s' if result.runs != 1 else ''}"
    if result.findings:
        lines.append(f"{name}: {runs}; NOT intact: {len(result.findings)} finding(s) above.")
    else:
        lines.append(f"{name}: {runs}; the chain is intact.")
    if result.head != GENESIS:
        lines.append(
            f"head {result.head}: keep it (in the minutes, say); `evaluator register verify "
            f"--head {result.head[:16]}` later shows that no run after it was removed."
        )
    if head is not None:
        lines.append(
            f"The run with hash {head} is in the chain."
            if result.head_found
            else f"No run with hash {head} in the chain: runs were removed, or this is "
            "another register."
        )
    return "\n".join(lines) + "\n"


def replay_text(
    run: Run, now_version: str, identical: bool, differences: Sequence[tuple[str, Any, Any]]
) -> str:
    then = str((run.record.get("tool") or {}).get("version", "?"))
    versions = (
        f"recorded with evaluator {then}, replayed with {now_version}"
        if then != now_version
        else f"evaluator {then}"
    )
    if identical:
        return (
            f"Run {run.seq} replayed from its stored inputs: the result is identical "
            f"({versions}).\n"
        )
    lines = [f"Run {run.seq} replayed from its stored inputs: the result DIFFERS ({versions}):"]
    for path, old, new in differences:
        lines.append(f"  {path}: {_short(old)} → {_short(new)}")
    return "\n".join(lines) + "\n"


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."
