"""Worker processes for large batches: how many, proposal files read by them, and a whole
comparison scored by them, each file carried to its encoded result.

A batch of `PARALLEL_MIN_FILES` files or more is read by worker processes, forked so that
they start with everything imported, in chunks of `CHUNK` files. `read_in_parallel` gives
each file's proposal (or its problems) back in file order: `api.load_proposals` prepares,
and `api.compare` scores, them in this process.

`compare_encoded` takes each file further in its worker: on two cores, half the work
would otherwise wait for this process. The workers run the scoring engine itself
(`engine.prepare`, `engine.score_prepared`) and then the caller's `encode` (render.json's
result lines, for `compare --format json`: the scoring layer knows no format); this
process does only what needs every proposal at once, with the engine's own functions:
one proposal per id (`batch.Ids`), the pool's best values and the panel
(`engine.Context.of`), the ranks, order and notes (`engine.conclude`), the caveats.

Round 1, read: the workers take chunks of files as they free up; each file is read,
checked and prepared (derived values, gates), and its id, eligibility, ranged flag and
the values relative rules compare come back. When a proposal's score depends on no other
proposal (no relative rule, no --panel: the usual case), the worker scores and encodes
it at once, and that comes back too.
Round 2, finish: given the duplicate ids to drop and, when scores depend on the others,
the pool's references and the panel, each worker words the duplicates' problems and
scores and encodes whatever it has not.

Only summaries and encoded results cross between processes, never a proposal. The result
is the same as `api.compare`'s, errors and their order included (tests/test_parallel.py).
Weighted sum only: the other methods need every proposal's scores together (they take
the ordinary path).
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from evaluator.errors import InputError, Problem
from evaluator.io.files import DEFAULT_MAX_BYTES
from evaluator.model.criteria import Criteria, free_form_fields, is_free_form
from evaluator.model.envelopes import open_financial
from evaluator.model.fields import Value
from evaluator.model.method import Method
from evaluator.model.panel import Panel, load_panel
from evaluator.model.proposal import Proposal
from evaluator.scoring import caveats
from evaluator.scoring.batch import (
    NO_PROPOSALS,
    FileCallback,
    Ids,
    duplicate_problem,
    free_form_notes,
    load_or_problems,
    proposal_files,
)
from evaluator.scoring.engine import (
    Context,
    check_method,
    conclude,
    prepare,
    proportional_fields,
    score_prepared,
)
from evaluator.scoring.results import Comparison, Evaluation, Prepared, WhatIf
from evaluator.scoring.stages import (
    Entry,
    Staged,
    recommends,
    run_stages,
    sealed,
    stage_criteria,
    stage_results,
)

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 256
CHUNK = 64  # files per task: large enough to amortise the hand-over, small to balance
_IN_FLIGHT = 2  # read tasks queued per worker, so that none waits for its next


def default_jobs() -> int:
    """Worker processes for parsing: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def worker_count(jobs: int | None, files: int) -> int:
    """Worker processes for a batch of `files` files: `jobs` (default one per core), no
    more than there are chunks; 1 (none) for a small batch or without fork."""
    if files < PARALLEL_MIN_FILES:
        return 1
    workers = min(jobs or default_jobs(), files // CHUNK + 1)
    if workers < 2:
        return 1
    import multiprocessing

    return workers if "fork" in multiprocessing.get_all_start_methods() else 1


def worker_signals() -> None:
    """In a worker process: Ctrl-C is the parent's to handle (the terminal sends it to
    every process of the group, and a worker would print its traceback); SIGTERM and SIGHUP
    end it, as they end any process (the CLI turns them into an exception that unwinds a
    run, which a forked worker inherits: its pool could not terminate it)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_DFL)


def read_in_parallel(
    files: list[Path], max_bytes: int, workers: int, sealed: bool = False
) -> Iterator[Proposal | tuple[Problem, ...]]:
    """Each file's proposal, or the problems that stop it, in file order, read by
    `workers` processes (`sealed`: an offer in two envelopes without its financial one).

    Chunk k goes to worker k mod `workers`, which sends its chunks back in order through
    its own pipe, so reading them round the workers gives the file order. Forked processes
    and pipes, as `_Pool` uses, not `multiprocessing.Pool`, whose `terminate()` after a
    worker failed once hung a whole test run: here the parent owns every process it started
    and ends it itself."""
    import multiprocessing

    chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
    workers = max(1, min(workers, len(chunks)))
    # fork: workers start at once with everything imported, nothing pickled on the way in.
    context = multiprocessing.get_context("fork")
    connections: list[Connection] = []
    processes: list[Any] = []
    try:
        for worker in range(workers):
            ours, theirs = context.Pipe(duplex=False)
            process = context.Process(
                target=_read_chunks,
                args=(theirs, chunks[worker::workers], max_bytes, sealed),
                daemon=True,
            )
            process.start()
            theirs.close()
            connections.append(ours)
            processes.append(process)
        for index in range(len(chunks)):
            yield from _receive(connections[index % workers])
    finally:
        # Done, failed or abandoned: a worker still sending finds its pipe closed and ends;
        # any other is ended.
        for connection in connections:
            connection.close()
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()


def _read_chunks(
    connection: Connection, chunks: list[list[Path]], max_bytes: int, sealed: bool
) -> None:
    """A reading worker: each of its chunks read, and sent back in order; a failure sent
    instead of the chunk it happened in, and the worker stops."""
    worker_signals()
    try:
        for chunk in chunks:
            try:
                answer = ("ok", [load_or_problems(path, max_bytes, sealed) for path in chunk])
            except BaseException as exc:  # told to the parent, never printed here
                connection.send(
                    ("failed", (f"{type(exc).__name__}: {exc}", traceback.format_exc()))
                )
                return
            connection.send(answer)
    except OSError:  # the parent went away
        return
    finally:
        connection.close()
        os._exit(0)  # no atexit handlers, no flushing of the parent's copied buffers


T = TypeVar("T")
# Encodes evaluations (a worker's, in its own process), one encoding each, in order.
Encode = Callable[[Sequence[Evaluation]], list[T]]


# Classes made at import are plain or named tuples, not dataclasses: each dataclass costs
# its methods' compilation at every start-up, and most runs start no worker.


class Encoded(NamedTuple, Generic[T]):
    """A comparison scored by worker processes: the run, and its results as encoded there."""

    comparison: Comparison  # without evaluations: those stayed in the workers
    results: list[tuple[int | None, T]]  # each result's rank and encoding, in result order


def compare_encoded(
    paths: Sequence[Path],
    criteria: Criteria,
    encode: Encode[T],
    weights: Mapping[str, float] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: FileCallback | None = None,
    panel: Path | None = None,
    jobs: int | None = None,
) -> Encoded[T] | None:
    """`api.compare` with the weighted sum, by `jobs` worker processes (default: one per
    core) that score the proposals and `encode` them; None when the batch is too small
    for workers, or there is no fork (the ordinary path is then as fast)."""
    files, empty_folders = proposal_files(paths)
    workers = worker_count(jobs, len(files))
    if workers < 2:
        return None
    # What evaluate would refuse after reading, refused before.
    top_weights = criteria.weights(weights)
    check_method(criteria, Method.WSM)
    with _Pool(workers, lambda: _Worker(files, criteria, max_bytes, encode)) as pool:
        return _run(
            pool,
            files,
            criteria,
            top_weights,
            max_bytes,
            on_file,
            panel,
            WhatIf.of(criteria, weights, Method.WSM),
            empty_folders,
        )


class _Summary(NamedTuple):
    """What this process learns of a file read and prepared in a worker."""

    id: str
    file: str
    ranged: bool
    problems: tuple[Problem, ...]  # why it could not be prepared; then nothing else counts
    eligible: bool
    values: dict[str, Value]  # those relative rules compare, and the free-form names given


# A scored proposal: (problems, total, its encoding); with problems, nothing else counts.
_Scored = tuple[tuple[Problem, ...], float, Any]
# Round 1, per file: (index, the file's problems, summary, scored or None).
_Read = tuple[int, tuple[Problem, ...], _Summary | None, _Scored | None]


class _Result:
    """What this process knows of one scored proposal: enough to rank it."""

    __slots__ = ("eligible", "id", "index", "ranged", "rank", "total")

    def __init__(self, index: int, id: str, eligible: bool, ranged: bool, total: float) -> None:
        self.index = index
        self.id = id
        self.eligible = eligible
        self.ranged = ranged
        self.total = total
        self.rank: int | None = None


def _run(
    pool: _Pool,
    files: list[Path],
    criteria: Criteria,
    top_weights: dict[str, float],
    max_bytes: int,
    on_file: FileCallback | None,
    panel: Path | None,
    what_if: WhatIf | None,
    empty_folders: list[Problem],
) -> Encoded[Any]:
    # Without relative rules and a panel, a score depends on its proposal alone.
    alone = not proportional_fields(criteria) and panel is None
    reads = pool.read(len(files), on_file, Context(top_weights) if alone else None)
    # In file order: an id first seen wins, as when reading one by one.
    ids = Ids()
    duplicates: list[dict[int, str]] = [{} for _ in range(pool.size)]
    kept: list[int] = []
    unreadable: set[str] = set()
    for index, (owner, problems, summary, _) in enumerate(reads):
        if summary is None:
            unreadable.update(Path(p.file).stem for p in problems)
            continue
        taken = ids.take(summary.id, summary.file)
        if taken is True:
            kept.append(index)
        elif taken is not False:  # not the same file given twice (it counts once)
            duplicates[owner][index] = taken
            unreadable.add(Path(summary.file).stem)
    summaries = {
        index: summary for index, (_, _, summary, _) in enumerate(reads) if summary is not None
    }
    scorable = [i for i in kept if not summaries[i].problems]
    judged: Panel | None = None
    panel_problems: list[Problem] = []
    context: Context | None = None
    if not alone:
        if panel is not None:
            judged, panel_problems = load_panel(
                panel, criteria, list(ids.first), unreadable=unreadable, max_bytes=max_bytes
            )
        context = Context.of(criteria, top_weights, [summaries[i] for i in scorable], judged)
    scored = {
        index: outcome for index, (_, _, _, outcome) in enumerate(reads) if outcome is not None
    }
    dropped: dict[int, tuple[Problem, ...]] = {}
    if context is not None or any(duplicates):
        for answer in pool.ask([("finish", (duplicates[w], context)) for w in range(pool.size)]):
            for index, problems, outcome in answer:
                if problems:
                    dropped[index] = problems
                if outcome is not None:
                    scored[index] = outcome

    # As api.compare lists them: the files' own (empty folders first), the panel's, then
    # those found preparing, then scoring.
    errors: list[Problem] = list(empty_folders)
    for index, (_, problems, _, _) in enumerate(reads):
        errors.extend(dropped.get(index, problems))
    errors.extend(panel_problems)
    for index in kept:
        errors.extend(summaries[index].problems)
    for index in scorable:
        errors.extend(scored[index][0])
    results = [
        _Result(i, summaries[i].id, summaries[i].eligible, summaries[i].ranged, scored[i][1])
        for i in scorable
        if not scored[i][0]
    ]
    done = {r.index for r in results}
    unevaluated = [
        summaries[i].file if i in summaries else reads[i][1][0].file
        for i in range(len(reads))
        if i not in done
    ]
    comparison, ranked = conclude(
        criteria, results, errors, unevaluated, Method.WSM, top_weights, what_if, judged, len(files)
    )
    comparison.notes.extend(free_form_notes(criteria, [summaries[i].values for i in kept]))
    comparison.caveats = caveats.find(
        criteria, judged, [r.id for r in ranked], comparison.unevaluated
    )
    return Encoded(comparison, [(r.rank, scored[r.index][2]) for r in ranked])


class EncodedStages(NamedTuple, Generic[T]):
    """A tender in stages evaluated by worker processes: the run (its recommendation without
    evaluations: those stayed in the workers), and the recommendation's results as encoded
    there."""

    staged: Staged
    results: list[tuple[int | None, T]]  # each result's rank and encoding, in result order


def compare_stages_encoded(
    paths: Sequence[Path],
    criteria: Criteria,
    encode: Encode[T],
    weights: Mapping[str, float] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: FileCallback | None = None,
    jobs: int | None = None,
) -> EncodedStages[T] | None:
    """`api.compare_stages` with the weighted sum and every stage, by `jobs` worker
    processes (default: one per core) that read, prepare and run each offer through the
    stages (`stages.run_stages`, on the engine) and score and `encode` the recommendation's
    results; this process puts each stage's entries in order (`stages.stage_results`) and
    ranks. None when the batch is too small for workers, there is no fork, or an offer's
    outcome depends on the others (a relative rule's pool; a panel is the caller's to
    leave out): then the ordinary path."""
    files, empty_folders = proposal_files(paths)
    workers = worker_count(jobs, len(files))
    if workers < 2 or proportional_fields(criteria):
        return None
    # What the stages' evaluations and the recommendation would refuse after reading,
    # refused before, in their order.
    for stage in criteria.stages:
        sub = stage_criteria(criteria, stage)
        if sub.criteria:
            sub.weights(None)
            check_method(sub, Method.WSM)
    top_weights = criteria.weights(weights)
    check_method(criteria, Method.WSM)

    def worker() -> _Worker:
        return _StagedWorker(files, criteria, max_bytes, encode)

    with _Pool(workers, worker) as pool:
        return _run_stages(
            pool,
            files,
            criteria,
            top_weights,
            on_file,
            WhatIf.of(criteria, weights, Method.WSM),
            empty_folders,
        )


# Round 1 of a staged run, per chunk: each file's (index, problems, (id, file, free-form
# values) or None); each stage's entries; each recommended offer's score, by index.
_StagedRead = tuple[
    list[tuple[int, tuple[Problem, ...], tuple[str, str, dict[str, Value]] | None]],
    list[list[Entry]],
    dict[int, tuple[_Scored, bool, bool]],  # (scored, eligible, ranged)
]


def _run_stages(
    pool: _Pool,
    files: list[Path],
    criteria: Criteria,
    top_weights: dict[str, float],
    on_file: FileCallback | None,
    what_if: WhatIf | None,
    empty_folders: list[Problem],
) -> EncodedStages[Any]:
    count = len(files)
    reads: list[Any] = [None] * count
    chain: list[list[Entry]] = [[] for _ in criteria.stages]
    final: dict[int, tuple[_Scored, bool, bool]] = {}
    done = 0
    for worker, (answer, entries, scored) in pool.chunks("stages", count, Context(top_weights)):
        for index, problems, summary in answer:
            reads[index] = (worker, problems, summary)
            done += 1
            if on_file is not None:
                on_file(done, count)
        for number, stage_entries in enumerate(entries):
            chain[number].extend(stage_entries)
        final.update(scored)
    # In file order: an id first seen wins, as when reading one by one.
    ids = Ids()
    duplicates: list[dict[int, str]] = [{} for _ in range(pool.size)]
    kept: list[int] = []
    for index, (owner, _, summary) in enumerate(reads):
        if summary is None:
            continue
        taken = ids.take(summary[0], summary[1])
        if taken is True:
            kept.append(index)
        elif taken is not False:  # not the same file given twice (it counts once)
            duplicates[owner][index] = taken
    dropped: dict[int, tuple[Problem, ...]] = {}
    if any(duplicates):
        for answer in pool.ask([("finish", (duplicates[w], None)) for w in range(pool.size)]):
            for index, problems, _ in answer:
                dropped[index] = problems
    # As api.compare_stages lists them: the files' own (empty folders first), then those
    # the stages found, then the recommendation's.
    read_errors: list[Problem] = list(empty_folders)
    for index, (_, problems, _) in enumerate(reads):
        read_errors.extend(dropped.get(index, problems))
    unread = list(dict.fromkeys(p.file for p in read_errors if p.words != NO_PROPOSALS))
    position = {index: number for number, index in enumerate(kept)}  # among the offers read
    ids_read = [reads[index][2][0] for index in kept]
    chain = [
        [e._replace(position=position[e.position]) for e in entries if e.position in position]
        for entries in chain
    ]
    results, found = stage_results(criteria, chain, ids_read)
    problems = [*read_errors, *found]
    comparison = None
    ranked_results: list[tuple[int | None, Any]] = []
    if recommends(criteria, results, None):
        passed = {i for i in final if i in position}
        errors = list(problems)
        unevaluated = list(unread)
        outcomes: list[_Result] = []
        for index in sorted(passed):
            (trouble, total, _), eligible, ranged = final[index]
            if trouble:
                errors.extend(trouble)
                unevaluated.append(reads[index][2][1])
                continue
            outcomes.append(_Result(index, reads[index][2][0], eligible, ranged, total))
        comparison, ranked = conclude(
            criteria, outcomes, errors, unevaluated, Method.WSM, top_weights, what_if, None, None
        )
        comparison.caveats = caveats.find(
            criteria, None, [r.id for r in ranked], comparison.unevaluated
        )
        comparison.notes.extend(free_form_notes(criteria, [reads[i][2][2] for i in kept]))
        ranked_results = [(r.rank, final[r.index][0][2]) for r in ranked]
    staged = Staged(criteria, results, comparison, problems, sealed(criteria, results, ids_read))
    return EncodedStages(staged, ranked_results)


class _Pool:
    """Forked worker processes, each keeping what it read, spoken to through pipes."""

    def __init__(self, size: int, worker: Callable[[], _Worker]) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.size = size
        self.connections: list[Connection] = []
        self.processes: list[Any] = []
        for _ in range(size):
            ours, theirs = context.Pipe()
            # fork: the worker starts with everything imported and the arguments as they
            # are here, nothing pickled.
            process = context.Process(target=_serve, args=(theirs, worker), daemon=True)
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

    def read(
        self, count: int, on_file: FileCallback | None, context: Context | None
    ) -> list[tuple[int, tuple[Problem, ...], _Summary | None, _Scored | None]]:
        """Round 1, chunks handed to whichever worker is free: (worker, problems, summary,
        scored) for each file, in file order."""
        reads: list[Any] = [None] * count
        done = 0
        for worker, answer in self.chunks("read", count, context):
            for index, problems, summary, outcome in answer:
                reads[index] = (worker, problems, summary, outcome)
                done += 1
                if on_file is not None:
                    on_file(done, count)
        return reads

    def chunks(self, name: str, count: int, context: Context | None) -> Iterator[tuple[int, Any]]:
        """Round 1: the files in chunks, each handed as the message `name` to whichever
        worker is free; each chunk's answer with the worker's number, as they come."""
        from multiprocessing.connection import wait

        chunks = [(start, min(start + CHUNK, count), context) for start in range(0, count, CHUNK)]
        chunks.reverse()
        outstanding = [0] * self.size
        for worker in range(self.size):
            for _ in range(_IN_FLIGHT):
                if chunks:
                    _send(self.connections[worker], (name, chunks.pop()))
                    outstanding[worker] += 1
        which = {id(c): w for w, c in enumerate(self.connections)}
        while any(outstanding):
            for ready in wait([c for w, c in enumerate(self.connections) if outstanding[w]]):
                worker = which[id(ready)]
                connection = self.connections[worker]
                answer = _receive(connection)
                outstanding[worker] -= 1
                if chunks:
                    _send(connection, (name, chunks.pop()))
                    outstanding[worker] += 1
                yield worker, answer

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


def _serve(connection: Connection, make: Callable[[], _Worker]) -> None:
    """A worker's loop: answer each message until told to stop."""
    worker_signals()  # Ctrl-C is the parent's to handle; its terminate() ends a worker
    worker = make()
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

    def __init__(
        self, files: list[Path], criteria: Criteria, max_bytes: int, encode: Encode[Any]
    ) -> None:
        self.files = files
        self.criteria = criteria
        self.max_bytes = max_bytes
        self.encode = encode
        self.fields = proportional_fields(criteria)
        self.free_form = bool(free_form_fields(criteria))
        self.held: dict[int, Prepared] = {}

    def read(self, start: int, stop: int, context: Context | None) -> list[_Read]:
        # Stage by stage over the chunk (all read, then all prepared, then all scored), not
        # file by file: each stage's code stays warm in the processor's caches, ~7% faster.
        indices = range(start, stop)
        outcomes = [load_or_problems(self.files[index], self.max_bytes) for index in indices]
        prepared = {
            index: prepare(outcome, self.criteria)
            for index, outcome in zip(indices, outcomes, strict=True)
            if isinstance(outcome, Proposal)
        }
        scored: dict[int, _Scored] = {}
        if context is not None:
            scored = self._score(
                {index: item for index, item in prepared.items() if not item.problems}, context
            )
        answer: list[_Read] = []
        for index, outcome in zip(indices, outcomes, strict=True):
            if not isinstance(outcome, Proposal):
                answer.append((index, outcome, None, None))
                continue
            item = prepared[index]
            values = {name: item.values[name] for name in self.fields if name in item.values}
            if self.free_form:  # the names given, for notes on names none gives (misspelt)
                values.update(
                    (name, value) for name, value in item.values.items() if is_free_form(name)
                )
            summary = _Summary(
                outcome.id, outcome.file, outcome.ranged, item.problems, item.eligible, values
            )
            # Once scored, only a duplicate's problem may yet be needed: the document words it.
            self.held[index] = Prepared(outcome) if index in scored else item
            answer.append((index, (), summary, scored.get(index)))
        return answer

    def finish(
        self, duplicates: dict[int, str], context: Context | None
    ) -> list[tuple[int, tuple[Problem, ...], _Scored | None]]:
        answer: list[tuple[int, tuple[Problem, ...], _Scored | None]] = []
        for index, first in duplicates.items():
            proposal = self.held.pop(index).proposal
            answer.append((index, (duplicate_problem(proposal, first),), None))
        if context is not None:
            scored = self._score(
                {index: item for index, item in self.held.items() if not item.problems}, context
            )
            answer.extend((index, (), outcome) for index, outcome in scored.items())
        self.held.clear()
        return answer

    def _score(self, items: dict[int, Prepared], context: Context) -> dict[int, _Scored]:
        """Each item scored by the engine and encoded by the caller's `encode`, by index
        (stage by stage too)."""
        evaluations: dict[int, Evaluation] = {}
        scored: dict[int, _Scored] = {}
        for index, item in items.items():
            try:
                evaluations[index] = score_prepared(item, self.criteria, context)
            except InputError as exc:
                scored[index] = exc.problems, 0.0, None
        encoded = self.encode(list(evaluations.values()))
        for (index, evaluation), encoding in zip(evaluations.items(), encoded, strict=True):
            scored[index] = (), evaluation.total, encoding
        return {index: scored[index] for index in items}


class _StagedWorker(_Worker):
    """A worker of a staged run: each offer read sealed, prepared, run through the stages,
    and scored and encoded if it passed them all."""

    def stages(self, start: int, stop: int, context: Context) -> _StagedRead:
        indices = range(start, stop)
        outcomes = [load_or_problems(self.files[index], self.max_bytes, True) for index in indices]
        items = [
            (index, prepare(outcome, self.criteria))
            for index, outcome in zip(indices, outcomes, strict=True)
            if isinstance(outcome, Proposal)
        ]
        max_bytes = self.max_bytes
        chain, passed = run_stages(
            items, self.criteria, None, None, lambda offer: open_financial(offer, max_bytes)
        )
        # Every stage is run: the recommendation follows when the last one asks for it.
        recommended = (
            dict(passed) if self.criteria.stages[-1:] and self.criteria.stages[-1].recommend else {}
        )
        scored = self._score(recommended, context) if recommended else {}
        answer: list[tuple[int, tuple[Problem, ...], tuple[str, str, dict[str, Value]] | None]] = []
        for index, outcome in zip(indices, outcomes, strict=True):
            if not isinstance(outcome, Proposal):
                answer.append((index, outcome, None))
                continue
            free = {name: v for name, v in outcome.values.items() if is_free_form(name)}
            answer.append((index, (), (outcome.id, outcome.file, free)))
            self.held[index] = Prepared(outcome)  # a duplicate's problem is worded from it
        final = {
            index: (scored[index], item.eligible, item.proposal.ranged)
            for index, item in recommended.items()
        }
        return answer, chain, final
