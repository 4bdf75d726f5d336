"""A large comparison written as JSON by worker processes, each file carried to its result line.

`api.compare` parses a large batch in worker processes but prepares, scores and renders it
in this one: on two cores, half the work then waits for one of them. Here each worker
takes the proposals it reads all the way to their JSON result lines; this process does
only what needs every proposal at once: duplicate ids, the pool's best values
(proportional rules), the panel, the ranks and the order of the results.

Round 1, read: the workers take chunks of files as they free up; each file is read,
checked and `prepare`d (derived values, gates), and its id, eligibility, ranged flag and
the values proportional rules compare come back. When a proposal's score depends on no
other proposal (no proportional rule, no --panel: the usual case), the worker scores it
and encodes its result line at once, and that comes back too.
Round 2, finish: given the duplicate ids to drop and, when scores depend on the others,
the pool's references and the panel, each worker words the duplicates' problems and
scores and encodes whatever it has not.

A result line is encoded before its rank is known and sent in two pieces, around the
rank, which this process puts in: a JSON string escapes every `"`, so the first `"rank": `
of the line is the key. Only summaries and finished lines cross between processes,
never a proposal. The output is byte for byte that of `api.compare` rendered by
`render.json`, errors and their order included (tests/test_parallel.py). Weighted sum
only: the other methods need every proposal's scores together (they take the ordinary
path).
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaluator.api import (
    CHUNK,
    FileCallback,
    duplicate_problem,
    load_or_problems,
    proposal_files,
    same_file,
    worker_count,
    worker_signals,
)
from evaluator.errors import InputError, Problem
from evaluator.io.loading import DEFAULT_MAX_BYTES
from evaluator.model.criteria import Criteria, free_form_fields, is_free_form, unmet_field_notes
from evaluator.model.fields import Value
from evaluator.model.method import Method
from evaluator.model.numeric import Num
from evaluator.model.panel import Panel, load_panel
from evaluator.model.proposal import Proposal
from evaluator.render.data import evaluation_data, flagged
from evaluator.render.json import line, render_encoded
from evaluator.scoring import caveats
from evaluator.scoring.engine import (
    check_method,
    comparison_notes,
    pool_references,
    prepare,
    proportional_fields,
    score_prepared,
)
from evaluator.scoring.ranking import eligible_ranks, ordered
from evaluator.scoring.results import Comparison, Evaluation, Prepared, WhatIf

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

_IN_FLIGHT = 2  # read tasks queued per worker, so that none waits for its next


def compare_json(paths: Sequence[Path], criteria: Criteria,
                 weights: Mapping[str, float] | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, on_file: FileCallback | None = None,
                 panel: Path | None = None, jobs: int | None = None
                 ) -> tuple[bytes, list[Problem]]:
    """`api.compare` with the weighted sum, rendered as `render.json` would: the text (in
    UTF-8) and the problems. Large batches are done by `jobs` worker processes (default:
    one per core)."""
    files, empty_folders = proposal_files(paths)
    workers = worker_count(jobs, len(files))
    if workers < 2:
        from evaluator.api import compare
        from evaluator.render import RenderOptions
        from evaluator.render.json import render
        comparison = compare(paths, criteria, weights, Method.WSM, max_bytes, on_file, panel, jobs)
        return render(comparison, RenderOptions()).encode("utf-8"), comparison.errors
    # What evaluate would refuse after reading, refused before.
    top_weights = criteria.weights(weights)
    check_method(criteria, Method.WSM)
    with _Pool(workers, files, criteria, max_bytes) as pool:
        return _run(pool, files, criteria, top_weights, max_bytes, on_file, panel,
                    WhatIf.of(criteria, weights, Method.WSM), empty_folders)


# What scoring needs besides the proposal: the top-level weights, the pool's references
# (proportional rules), the number of proposals scored (idem) and the panel.
_Context = tuple[dict[str, float], dict[str, Num], int, Panel | None]
# A file's summary, None when it could not be read: (id, file, ranged, prepare's problems,
# eligible, {field: value} for the fields proportional rules compare).
_Summary = tuple[str, str, bool, tuple[Problem, ...], bool, dict[str, Value]]
# A scored proposal: (problems, total, line up to its rank, line after its rank, panel
# disagreements); with problems, nothing else counts. Lines travel as UTF-8: pickling
# bytes is a copy, pickling text encodes it and unpickling decodes it, and the output is
# written in UTF-8 anyway.
_Scored = tuple[tuple[Problem, ...], float, bytes, bytes, list[dict[str, Any]]]
# Round 1, per file: (index, the file's problems, summary, scored or None).
_Read = tuple[int, tuple[Problem, ...], _Summary | None, _Scored | None]
_RANK = b'"rank": '


@dataclass(slots=True)
class _Result:
    """What this process knows of one scored proposal: enough to rank it."""

    index: int
    id: str
    eligible: bool
    ranged: bool
    total: float
    rank: int | None = None


def _run(pool: _Pool, files: list[Path], criteria: Criteria, top_weights: dict[str, float],
         max_bytes: int, on_file: FileCallback | None, panel: Path | None,
         what_if: WhatIf | None, empty_folders: list[Problem]
         ) -> tuple[bytes, list[Problem]]:
    # Without proportional rules and a panel, a score depends on its proposal alone.
    alone = not proportional_fields(criteria) and panel is None
    reads = pool.read(len(files), on_file, (top_weights, {}, 0, None) if alone else None)
    # In file order: an id first seen wins, as when reading one by one.
    first: dict[str, str] = {}
    duplicates: list[dict[int, str]] = [{} for _ in range(pool.size)]
    kept: list[int] = []
    unreadable: set[str] = set()
    for index, (owner, problems, summary, _) in enumerate(reads):
        if summary is None:
            unreadable.update(Path(p.file).stem for p in problems)
        elif summary[0] in first:
            if same_file(first[summary[0]], summary[1]):
                continue  # one file given twice: it counts once (api._add_proposal)
            duplicates[owner][index] = first[summary[0]]
            unreadable.add(Path(summary[1]).stem)
        else:
            first[summary[0]] = summary[1]
            kept.append(index)
    summaries = {index: summary for index, (_, _, summary, _) in enumerate(reads)
                 if summary is not None}
    scorable = [i for i in kept if not summaries[i][3]]
    judged: Panel | None = None
    panel_problems: list[Problem] = []
    context: _Context | None = None
    if not alone:
        if panel is not None:
            judged, panel_problems = load_panel(panel, criteria, list(first),
                                                unreadable=unreadable, max_bytes=max_bytes)
        pool_items = [i for i in scorable if summaries[i][4]] or scorable
        references = pool_references(criteria, [summaries[i][5] for i in pool_items])
        context = (top_weights, references, len(scorable), judged)
    scored = {index: outcome for index, (_, _, _, outcome) in enumerate(reads)
              if outcome is not None}
    dropped: dict[int, tuple[Problem, ...]] = {}
    if context is not None or any(duplicates):
        for answer in pool.ask([("finish", (duplicates[w], context))
                                for w in range(pool.size)]):
            for index, problems, outcome in answer:
                if problems:
                    dropped[index] = problems
                if outcome is not None:
                    scored[index] = outcome

    results = [_Result(i, summaries[i][0], summaries[i][4], summaries[i][2], scored[i][1])
               for i in scorable if not scored[i][0]]
    for result, position in zip(results, eligible_ranks(results, [r.total for r in results]),
                                strict=True):
        result.rank = position
    results = ordered(results)

    errors: list[Problem] = list(empty_folders)  # first, as api.load_proposals lists them
    for index, (_, problems, _, _) in enumerate(reads):
        errors.extend(dropped.get(index, problems))
    errors.extend(panel_problems)
    for index in kept:
        errors.extend(summaries[index][3])
    for index in scorable:
        errors.extend(scored[index][0])
    notes = comparison_notes(criteria, [r.id for r in results if r.ranged], len(results))
    free_form = free_form_fields(criteria)
    if free_form and kept:  # as api.free_form_notes: the summaries carry the names given
        notes.extend(unmet_field_notes(free_form, {name for index in kept
                                                   for name in summaries[index][5]
                                                   if is_free_form(name)}))
    lines = [(scored[r.index][2], b"null" if r.rank is None else b"%d" % r.rank,
              scored[r.index][3]) for r in results]
    flags = [flag for r in results for flag in scored[r.index][4]]
    done = {r.index for r in results}
    unevaluated = sorted({summaries[i][1] if i in summaries else reads[i][1][0].file
                          for i in range(len(reads)) if i not in done})
    found = caveats.find(criteria, judged, [r.id for r in results], unevaluated)
    comparison = Comparison(criteria, Method.WSM, top_weights, [], errors, notes, panel=judged,
                            what_if=what_if, files=len(files), unevaluated=unevaluated,
                            caveats=found)
    return render_encoded(comparison, lines, flags, len(results)), errors


class _Pool:
    """Forked worker processes, each keeping what it read, spoken to through pipes."""

    def __init__(self, size: int, files: list[Path], criteria: Criteria,
                 max_bytes: int) -> None:
        import multiprocessing
        context = multiprocessing.get_context("fork")
        self.size = size
        self.connections: list[Connection] = []
        self.processes: list[Any] = []
        for _ in range(size):
            ours, theirs = context.Pipe()
            # fork: the worker starts with everything imported and the arguments as they
            # are here, nothing pickled.
            process = context.Process(target=_serve, args=(theirs, files, criteria, max_bytes),
                                      daemon=True)
            process.start()
            theirs.close()
            self.connections.append(ours)
            self.processes.append(process)

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.send(("stop", ()))
            connection.close()
        for process in self.processes:
            if exc[0] is not None:
                process.terminate()
            process.join()

    def read(self, count: int, on_file: FileCallback | None, context: _Context | None
             ) -> list[tuple[int, tuple[Problem, ...], _Summary | None, _Scored | None]]:
        """Round 1, chunks handed to whichever worker is free: (worker, problems, summary,
        scored) for each file, in file order."""
        from multiprocessing.connection import wait
        chunks = [(start, min(start + CHUNK, count), context)
                  for start in range(0, count, CHUNK)]
        chunks.reverse()
        outstanding = [0] * self.size
        for worker in range(self.size):
            for _ in range(_IN_FLIGHT):
                if chunks:
                    _send(self.connections[worker], ("read", chunks.pop()))
                    outstanding[worker] += 1
        reads: list[Any] = [None] * count
        done = 0
        which = {id(c): w for w, c in enumerate(self.connections)}
        while any(outstanding):
            for ready in wait([c for w, c in enumerate(self.connections) if outstanding[w]]):
                worker = which[id(ready)]
                connection = self.connections[worker]
                answer: list[_Read] = _receive(connection)
                outstanding[worker] -= 1
                if chunks:
                    _send(connection, ("read", chunks.pop()))
                    outstanding[worker] += 1
                for index, problems, summary, outcome in answer:
                    reads[index] = (worker, problems, summary, outcome)
                    done += 1
                    if on_file is not None:
                        on_file(done, count)
        return reads

    def ask(self, messages: list[tuple[str, tuple[Any, ...]]]) -> list[Any]:
        """One message to each worker; their answers, worker by worker."""
        for connection, message in zip(self.connections, messages, strict=True):
            _send(connection, message)
        return [_receive(connection) for connection in self.connections]


def _send(connection: Connection, message: tuple[str, tuple[Any, ...]]) -> None:
    try:
        connection.send(message)
    except OSError:  # not a reader gone away (the CLI's BrokenPipeError): a worker died
        raise RuntimeError("a worker process stopped unexpectedly") from None


class WorkerError(RuntimeError):
    """A worker process failed: a bug, said in one line; the worker's traceback is its cause
    (shown by `evaluator --debug`)."""


class _WorkerTraceback(Exception):
    """The traceback of a failure in a worker process, as the worker formatted it."""

    def __str__(self) -> str:
        return f"\n{self.args[0]}"


def _receive(connection: Connection) -> Any:
    try:
        status, value = connection.recv()
    except EOFError:
        raise RuntimeError("a worker process stopped unexpectedly") from None
    if status != "ok":
        summary, trace = value
        raise WorkerError(f"a worker process failed ({summary})") from _WorkerTraceback(trace)
    return value


def _serve(connection: Connection, files: list[Path], criteria: Criteria,
           max_bytes: int) -> None:
    """A worker's loop: answer each message until told to stop."""
    worker_signals()  # Ctrl-C is the parent's to handle; its terminate() ends a worker
    worker = _Worker(files, criteria, max_bytes)
    failure = None  # once failed, every later message is answered with the failure
    try:
        while True:
            name, arguments = connection.recv()
            if name == "stop":
                return
            if failure is None:
                try:
                    connection.send(("ok", getattr(worker, name)(*arguments)))
                    continue
                except BaseException as exc:  # told to the parent, never printed here
                    failure = (f"{type(exc).__name__}: {exc}", traceback.format_exc())
            connection.send(("failed", failure))
    except (EOFError, OSError):  # the parent went away
        return
    finally:
        connection.close()
        os._exit(0)  # no atexit handlers, no flushing of the parent's copied buffers


class _Worker:
    """What one worker process holds: the proposals it read, until the last round."""

    def __init__(self, files: list[Path], criteria: Criteria, max_bytes: int) -> None:
        self.files = files
        self.criteria = criteria
        self.max_bytes = max_bytes
        self.fields = proportional_fields(criteria)
        self.free_form = bool(free_form_fields(criteria))
        self.held: dict[int, Prepared] = {}

    def read(self, start: int, stop: int, context: _Context | None) -> list[_Read]:
        # Stage by stage over the chunk (all read, then all prepared, then all scored), not
        # file by file: each stage's code stays warm in the processor's caches, ~7% faster.
        indices = range(start, stop)
        outcomes = [load_or_problems(self.files[index], self.max_bytes) for index in indices]
        prepared = {index: prepare(outcome, self.criteria)
                    for index, outcome in zip(indices, outcomes, strict=True)
                    if isinstance(outcome, Proposal)}
        scored: dict[int, _Scored] = {}
        if context is not None:
            scored = self._score({index: item for index, item in prepared.items()
                                  if not item.problems}, context)
        answer: list[_Read] = []
        for index, outcome in zip(indices, outcomes, strict=True):
            if not isinstance(outcome, Proposal):
                answer.append((index, outcome, None, None))
                continue
            item = prepared[index]
            values = {name: item.values[name] for name in self.fields if name in item.values}
            if self.free_form:  # the names given, for notes on names none gives (misspelt)
                values.update((name, value) for name, value in item.values.items()
                              if is_free_form(name))
            summary = (outcome.id, outcome.file, outcome.ranged, item.problems,
                       all(g.passed for g in item.gates), values)
            # Once scored, only a duplicate's problem may yet be needed: the document words it.
            self.held[index] = Prepared(outcome) if index in scored else item
            answer.append((index, (), summary, scored.get(index)))
        return answer

    def finish(self, duplicates: dict[int, str], context: _Context | None
               ) -> list[tuple[int, tuple[Problem, ...], _Scored | None]]:
        answer: list[tuple[int, tuple[Problem, ...], _Scored | None]] = []
        for index, first in duplicates.items():
            proposal = self.held.pop(index).proposal
            answer.append((index, (duplicate_problem(proposal, first),), None))
        if context is not None:
            scored = self._score({index: item for index, item in self.held.items()
                                  if not item.problems}, context)
            answer.extend((index, (), outcome) for index, outcome in scored.items())
        self.held.clear()
        return answer

    def _score(self, items: dict[int, Prepared], context: _Context) -> dict[int, _Scored]:
        """Each item scored and its result line encoded, by index (stage by stage too)."""
        evaluations: dict[int, Evaluation] = {}
        scored: dict[int, _Scored] = {}
        for index, item in items.items():
            try:
                evaluations[index] = score_prepared(item, self.criteria, *context)
            except InputError as exc:
                scored[index] = exc.problems, 0.0, b"", b"", []
        data = {index: evaluation_data(evaluation) for index, evaluation in evaluations.items()}
        for index, evaluation in evaluations.items():
            # Encoded before the rank is known (None): cut around it, for the parent to fill.
            text = line(data[index]).encode("utf-8")
            cut = text.index(_RANK + b"null") + len(_RANK)
            scored[index] = ((), evaluation.total, text[:cut], text[cut + len(b"null"):],
                             flagged(evaluation))
        return {index: scored[index] for index in items}
