"""The register of runs, in SQLite or PostgreSQL: append-only, each run's hash covering the
run before it, its schema versioned and migrated.

A run is stored as its *record*: a canonical JSON document (sorted keys, no spaces) that
names its sequence number, the previous run's hash, when, who, the tool's version, the
command and its options, the criteria, every input file (name and sha256) and the sha256
of its JSON result. The run's hash is the sha256 of that text, so changing anything a
record says, or the order of the runs, breaks the chain that `verify` walks. The inputs'
bytes are kept once each (by sha256) beside the runs, and the result as it was printed.
The columns beside a record (its kind, time, programme, and the proposals it scored) are
indexes for `history`: `verify` checks that they say what the record says.

Appending is one transaction under the register's write lock (SQLite's BEGIN IMMEDIATE, a
PostgreSQL advisory lock): two processes recording at once both keep their runs, one after
the other; a run killed half-way leaves nothing. Runs, files and blobs cannot be updated or
deleted through the database either (triggers refuse it); `verify` finds what was done by
going round them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluator.errors import NoRegisterError, RegisterError
from evaluator.messages.register import (
    A_FOLDER,
    ALREADY_OPENED,
    CANNOT_OPEN,
    DAMAGED,
    NEWER_SCHEMA,
    NO_DRIVER,
    NO_REGISTER,
    NO_SUCH_FOLDER,
    NO_SUCH_RUN,
    NOT_OURS,
    NOT_SQLITE,
)
from evaluator.register import is_url, shown

APPLICATION = "evaluator-register"
SCHEMA_VERSION = 2
GENESIS = "0" * 64  # the "previous hash" of the first run
SQLITE_HEADER = b"SQLite format 3\x00"
# Any number: the PostgreSQL advisory lock every writer of a register takes.
_PG_LOCK = 0x65_76_61_6C  # "eval"


def canonical(record: Mapping[str, Any]) -> str:
    """The one text of a record that its hash covers."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredFile:
    """An input file of a run: its name as the run showed it, and its bytes."""

    name: str
    content: bytes
    path: str | None = None  # where it was, in full (a replay puts it back there)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True, slots=True)
class ProposalRow:
    """A proposal a run evaluated, for `history --proposal`: its id, the version of its
    files (`version`: sha256 over its files' hashes), and its total and rank (None when it
    was not ranked)."""

    id: str
    version: str
    total: float | None = None
    rank: int | None = None
    eligible: bool | None = None


@dataclass(frozen=True, slots=True)
class Run:
    """One stored run."""

    seq: int
    hash: str
    record: dict[str, Any]
    result: str | None

    @property
    def kind(self) -> str:
        return str(self.record.get("kind", ""))

    @property
    def at(self) -> str:
        return str(self.record.get("at", ""))

    @property
    def programme(self) -> str | None:
        value = self.record.get("programme")
        return None if value is None else str(value)

    @property
    def files(self) -> list[dict[str, str]]:
        return list(self.record.get("files", []))


@dataclass(frozen=True, slots=True)
class Finding:
    """What `verify` found wrong at one run (`seq`): a code and its facts."""

    seq: int
    code: str  # changed | chain | missing | columns | result | blob_missing | blob_changed
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Verification:
    runs: int
    head: str  # the last run's hash (GENESIS for an empty register)
    findings: list[Finding]
    head_found: bool | None = None  # with an expected head: whether the chain holds it


# --- the databases ------------------------------------------------------------------------


class _Database:
    """The little the register needs of a database, for SQLite and PostgreSQL alike:
    statements with `?` parameters, a write transaction, and the blob type's name."""

    dialect: str
    blob: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def writing(self) -> AbstractContextManager[None]:
        """A write transaction, under the register's lock."""
        raise NotImplementedError

    def has_table(self, name: str) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class _Sqlite(_Database):
    dialect, blob = "sqlite", "BLOB"

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            # Autocommit: transactions are ours (BEGIN IMMEDIATE takes the write lock at
            # once, so two writers queue rather than fail); a writer waits up to 60 s.
            self.connection = sqlite3.connect(path, isolation_level=None, timeout=60)
        except sqlite3.Error as exc:
            raise RegisterError.at(path, CANNOT_OPEN(reason=str(exc))) from None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.connection.execute(sql, tuple(params)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise RegisterError.at(self.path, DAMAGED(reason=str(exc))) from None

    @contextmanager
    def writing(self) -> Iterator[None]:
        self.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.connection.rollback()
            raise
        self.execute("COMMIT")

    def has_table(self, name: str) -> bool:
        rows = self.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
        return bool(rows)

    def close(self) -> None:
        self.connection.close()


class _Postgres(_Database):
    dialect, blob = "postgresql", "BYTEA"

    def __init__(self, url: str, shown: str) -> None:
        self.shown = shown
        try:
            import psycopg
        except ImportError:
            raise RegisterError.at(shown, NO_DRIVER) from None
        self.errors = psycopg.Error
        try:
            self.connection = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise RegisterError.at(shown, CANNOT_OPEN(reason=reason)) from None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            cursor = self.connection.execute(sql.replace("?", "%s"), tuple(params))
            rows = cursor.fetchall() if cursor.description is not None else []
        except self.errors as exc:
            raise RegisterError.at(self.shown, DAMAGED(reason=str(exc).strip())) from None
        return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows]

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self.connection.transaction():
            self.execute("SELECT pg_advisory_xact_lock(?)", [_PG_LOCK])
            yield

    def has_table(self, name: str) -> bool:
        # A query of the catalog (its snapshot taken now), not to_regclass, whose cached
        # view may not yet hold a table another process made while this one waited.
        rows = self.execute(
            "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
            "AND tablename = ?",
            [name],
        )
        return bool(rows)

    def close(self) -> None:
        self.connection.close()


# --- the schema and its migrations --------------------------------------------------------

_PROTECTED = ("evaluator_runs", "evaluator_run_files", "evaluator_blobs")


def _append_only(db: _Database) -> list[str]:
    """Triggers that refuse an update or a delete of what was recorded."""
    if db.dialect == "sqlite":
        return [
            f"CREATE TRIGGER {table}_{event.lower()} BEFORE {event} ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'evaluator register: recorded runs cannot be changed'); END"
            for table in _PROTECTED
            for event in ("UPDATE", "DELETE")
        ]
    return [
        "CREATE OR REPLACE FUNCTION evaluator_append_only() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'evaluator register: recorded runs cannot be changed'; END $$ "
        "LANGUAGE plpgsql",
        *(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION evaluator_append_only()"
            for table in _PROTECTED
        ),
    ]


def _version_1(db: _Database) -> None:
    """The first schema: runs (a record, its hash and the previous one's, its result), the
    input files of each run, and the files' bytes, kept once each."""
    for sql in (
        "CREATE TABLE evaluator_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE evaluator_runs (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, "
        "prev TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, record TEXT NOT NULL, "
        "result TEXT)",
        "CREATE TABLE evaluator_run_files (seq INTEGER NOT NULL, position INTEGER NOT NULL, "
        "name TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (seq, position))",
        f"CREATE TABLE evaluator_blobs (sha256 TEXT PRIMARY KEY, content {db.blob} NOT NULL)",
        *_append_only(db),
    ):
        db.execute(sql)
    db.execute("INSERT INTO evaluator_meta (key, value) VALUES ('application', ?)", [APPLICATION])
    db.execute("INSERT INTO evaluator_meta (key, value) VALUES ('schema_version', '1')")


def _version_2(db: _Database) -> None:
    """Indexes for `history`: each run's programme, and the proposals it evaluated (their
    version, total and rank), filled in from the records already there."""
    db.execute("ALTER TABLE evaluator_runs ADD COLUMN programme TEXT")
    db.execute("CREATE INDEX evaluator_runs_programme ON evaluator_runs (programme)")
    db.execute(
        "CREATE TABLE evaluator_run_proposals (seq INTEGER NOT NULL, proposal TEXT NOT NULL, "
        "version TEXT NOT NULL, total DOUBLE PRECISION, rank INTEGER, eligible INTEGER, "
        "PRIMARY KEY (seq, proposal))"
    )
    db.execute("CREATE INDEX evaluator_run_proposals_id ON evaluator_run_proposals (proposal)")
    # The indexes are not the record: a migration may fill them (the triggers guard the
    # recorded columns, and this one is new).
    if db.dialect == "sqlite":
        db.execute("DROP TRIGGER evaluator_runs_update")
    else:
        db.execute("DROP TRIGGER evaluator_runs_append_only ON evaluator_runs")
    for seq, text in db.execute("SELECT seq, record FROM evaluator_runs ORDER BY seq"):
        record = json.loads(text)
        db.execute(
            "UPDATE evaluator_runs SET programme = ? WHERE seq = ?", [record.get("programme"), seq]
        )
        for row in _proposal_rows(record):
            _insert_proposal(db, seq, row)
    if db.dialect == "sqlite":
        db.execute(
            "CREATE TRIGGER evaluator_runs_update BEFORE UPDATE ON evaluator_runs BEGIN "
            "SELECT RAISE(ABORT, 'evaluator register: recorded runs cannot be changed'); END"
        )
    else:
        db.execute(
            "CREATE TRIGGER evaluator_runs_append_only BEFORE UPDATE OR DELETE ON "
            "evaluator_runs FOR EACH ROW EXECUTE FUNCTION evaluator_append_only()"
        )


# Version n is made by MIGRATIONS[n - 1] from version n - 1 (a new register runs them all).
MIGRATIONS: tuple[Callable[[_Database], None], ...] = (_version_1, _version_2)


def _proposal_rows(record: Mapping[str, Any]) -> list[ProposalRow]:
    return [
        ProposalRow(
            str(p["id"]), str(p["version"]), p.get("total"), p.get("rank"), p.get("eligible")
        )
        for p in record.get("proposals", [])
    ]


def _insert_proposal(db: _Database, seq: int, row: ProposalRow) -> None:
    eligible = None if row.eligible is None else int(row.eligible)
    db.execute(
        "INSERT INTO evaluator_run_proposals (seq, proposal, version, total, rank, eligible) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [seq, row.id, row.version, row.total, row.rank, eligible],
    )


# --- the register -------------------------------------------------------------------------


class Register:
    """An open register. `Register.open(where)`: a file path or a postgresql:// URL."""

    def __init__(self, db: _Database, name: str) -> None:
        self.db, self.name = db, name

    @classmethod
    def open(cls, where: str | os.PathLike[str], create: bool = False) -> Register:
        """The register at `where`; with `create`, a new one if there is none. Anything
        there that is not a register, or is damaged, is refused and left as it is."""
        text = os.fspath(where)
        name = shown(text)
        if is_url(text):
            db: _Database = _Postgres(text, name)
        else:
            db = _open_sqlite(text, create)
        register = cls(db, name)
        try:
            register._prepare(create)
        except BaseException:
            db.close()
            raise
        return register

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _prepare(self, create: bool) -> None:
        db = self.db
        if db.has_table("evaluator_meta") and self._checked_meta() == SCHEMA_VERSION:
            return  # nothing to write: a register read only (an auditor's copy) opens too
        with db.writing():  # made, or brought up to date, by one process at a time
            if not db.has_table("evaluator_meta"):
                if db.dialect == "sqlite" and _has_other_tables(db):
                    raise RegisterError.at(self.name, NOT_OURS)
                if not create:
                    raise NoRegisterError.at(self.name, NO_REGISTER)
                MIGRATIONS[0](db)
            version = self._checked_meta()
            for number in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[number - 1](db)
                db.execute(
                    "UPDATE evaluator_meta SET value = ? WHERE key = 'schema_version'",
                    [str(number)],
                )

    def _checked_meta(self) -> int:
        """The schema version of a register that is ours and not newer than this tool."""
        meta = dict(self.db.execute("SELECT key, value FROM evaluator_meta"))
        if meta.get("application") != APPLICATION:
            raise RegisterError.at(self.name, NOT_OURS)
        version = int(meta.get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            raise RegisterError.at(self.name, NEWER_SCHEMA(found=version, known=SCHEMA_VERSION))
        return version

    @property
    def schema_version(self) -> int:
        rows = self.db.execute("SELECT value FROM evaluator_meta WHERE key = 'schema_version'")
        return int(rows[0][0])

    # --- writing ---

    def append(
        self,
        record: Mapping[str, Any],
        files: Sequence[StoredFile],
        result: str | None,
        check: Callable[[Register], Mapping[str, Any]] | None = None,
    ) -> Run:
        """Record a run: `record` (its facts; `seq`, `prev`, `files` and `result_sha256` are
        added here), its input files and its JSON result, in one transaction. `check`,
        called inside it, may add facts that depend on the runs before (under the lock, so
        no run slips in between)."""
        db = self.db
        with db.writing():
            extra = dict(check(self)) if check is not None else {}
            last = db.execute("SELECT seq, hash FROM evaluator_runs ORDER BY seq DESC LIMIT 1")
            seq, prev = (last[0][0] + 1, last[0][1]) if last else (1, GENESIS)
            full = {
                **record,
                **extra,
                "seq": seq,
                "prev": prev,
                "files": [
                    {"name": f.name, "sha256": f.sha256}
                    | ({} if f.path is None else {"path": f.path})
                    for f in files
                ],
                "result_sha256": None if result is None else sha256_text(result),
            }
            text = canonical(full)
            digest = sha256_text(text)
            for f in files:
                db.execute(
                    "INSERT INTO evaluator_blobs (sha256, content) VALUES (?, ?) "
                    "ON CONFLICT (sha256) DO NOTHING",
                    [f.sha256, f.content],
                )
            db.execute(
                "INSERT INTO evaluator_runs (seq, hash, prev, kind, at, record, result, "
                "programme) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [seq, digest, prev, full["kind"], full["at"], text, result, full.get("programme")],
            )
            for position, f in enumerate(files):
                db.execute(
                    "INSERT INTO evaluator_run_files (seq, position, name, sha256) "
                    "VALUES (?, ?, ?, ?)",
                    [seq, position, f.name, f.sha256],
                )
            for row in _proposal_rows(full):
                _insert_proposal(db, seq, row)
        return Run(seq, digest, full, result)

    # --- reading ---

    def runs(
        self,
        programme: str | None = None,
        proposal: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[Run]:
        """The runs in order, those of a programme, of a proposal id, and at or after
        `since` / before `until` (ISO dates or times, UTC) only, when given."""
        sql = "SELECT seq, hash, record, result FROM evaluator_runs WHERE 1 = 1"
        params: list[Any] = []
        if programme is not None:
            sql += " AND programme = ?"
            params.append(programme)
        if proposal is not None:
            sql += " AND seq IN (SELECT seq FROM evaluator_run_proposals WHERE proposal = ?)"
            params.append(proposal)
        if since is not None:
            sql += " AND at >= ?"
            params.append(since)
        if until is not None:
            sql += " AND at < ?"
            params.append(until)
        rows = self.db.execute(sql + " ORDER BY seq", params)
        return [Run(seq, h, json.loads(text), result) for seq, h, text, result in rows]

    def run(self, ref: str) -> Run:
        """A run by its number, or by the start of its hash (8 characters at least)."""
        text = ref.strip().lstrip("#")
        if text.isdigit():
            rows = self.db.execute(
                "SELECT seq, hash, record, result FROM evaluator_runs WHERE seq = ?", [int(text)]
            )
        elif len(text) >= 8 and all(c in "0123456789abcdef" for c in text.lower()):
            rows = self.db.execute(
                "SELECT seq, hash, record, result FROM evaluator_runs WHERE hash LIKE ?",
                [text.lower() + "%"],
            )
        else:
            rows = []
        if len(rows) != 1:
            raise RegisterError.at(self.name, NO_SUCH_RUN(run=ref))
        seq, digest, record, result = rows[0]
        return Run(seq, digest, json.loads(record), result)

    def content(self, sha256: str) -> bytes | None:
        rows = self.db.execute("SELECT content FROM evaluator_blobs WHERE sha256 = ?", [sha256])
        return bytes(rows[0][0]) if rows else None

    def rounds(self, proposal: str) -> list[tuple[Run, ProposalRow]]:
        """Every run that evaluated proposal `proposal`, with what it said of it."""
        rows = self.db.execute(
            "SELECT seq, version, total, rank, eligible FROM evaluator_run_proposals "
            "WHERE proposal = ? ORDER BY seq",
            [proposal],
        )
        runs = {r.seq: r for r in self.runs(proposal=proposal)}
        return [
            (
                runs[seq],
                ProposalRow(proposal, version, total, rank, None if ok is None else bool(ok)),
            )
            for seq, version, total, rank, ok in rows
            if seq in runs
        ]

    def opening(self, programme: str) -> Run | None:
        """The run that opened `programme`'s bids (its criteria frozen), if any."""
        found = [r for r in self.runs(programme=programme) if r.kind == "open"]
        return found[0] if found else None

    def check_not_opened(self, programme: str) -> None:
        opened = self.opening(programme)
        if opened is not None:
            raise RegisterError.at(
                self.name, ALREADY_OPENED(programme=programme, run=opened.seq, at=opened.at)
            )

    # --- checking ---

    def verify(self, head: str | None = None) -> Verification:
        """Walk the chain: every record matches its hash, names the run before it, says
        what its columns say; every file's bytes are there and match their hash; the
        result matches its hash. With `head` (a hash kept elsewhere, from an earlier
        verify), whether the chain still holds that run: runs deleted from the end leave
        no gap a chain can show, but lose that hash."""
        db = self.db
        findings: list[Finding] = []
        previous, expected_seq, count = GENESIS, 1, 0
        rows = db.execute(
            "SELECT seq, hash, prev, kind, at, record, result, programme FROM evaluator_runs "
            "ORDER BY seq"
        )
        files = _files_by_run(db)
        hashes = {h for _s, h, *_ in rows}
        for seq, digest, prev, kind, at, text, result, programme in rows:
            count += 1
            if seq != expected_seq:
                findings.append(Finding(seq, "missing", {"from": expected_seq, "to": seq - 1}))
            expected_seq = seq + 1
            if sha256_text(text) != digest:
                findings.append(Finding(seq, "changed"))
            if prev != previous:
                findings.append(Finding(seq, "chain"))
            previous = digest
            try:
                record = json.loads(text)
            except ValueError:
                findings.append(Finding(seq, "changed"))
                continue
            columns = {"seq": seq, "prev": prev, "kind": kind, "at": at, "programme": programme}
            if any(record.get(k) != v for k, v in columns.items()):
                findings.append(Finding(seq, "columns"))
            if (None if result is None else sha256_text(result)) != record.get("result_sha256"):
                findings.append(Finding(seq, "result"))
            listed = [(f["name"], f["sha256"]) for f in record.get("files", [])]
            if files.get(seq, []) != listed:
                findings.append(Finding(seq, "columns"))
            for name, sha in listed:
                content = self.content(sha)
                if content is None:
                    findings.append(Finding(seq, "blob_missing", {"file": name}))
                elif hashlib.sha256(content).hexdigest() != sha:
                    findings.append(Finding(seq, "blob_changed", {"file": name}))
        head_found = None if head is None else any(h.startswith(head.lower()) for h in hashes)
        return Verification(count, previous, findings, head_found)


def _files_by_run(db: _Database) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for seq, _position, name, sha in db.execute(
        "SELECT seq, position, name, sha256 FROM evaluator_run_files ORDER BY seq, position"
    ):
        found.setdefault(seq, []).append((name, sha))
    return found


def _has_other_tables(db: _Database) -> bool:
    return bool(db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"))


def _create_sqlite(path: str) -> None:
    """A new register file, made whole beside `path` and then linked into place: another
    process never sees it half made (an empty file is no register), and if another
    process made one first, theirs is kept."""
    temporary = f"{path}.{os.getpid()}.new"
    try:
        database = _Sqlite(temporary)
        try:
            with database.writing():
                for number, migration in enumerate(MIGRATIONS, 1):
                    migration(database)
                    database.execute(
                        "UPDATE evaluator_meta SET value = ? WHERE key = 'schema_version'",
                        [str(number)],
                    )
        finally:
            database.close()
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # made by another process meanwhile: that one is the register
        except OSError as exc:
            raise RegisterError.at(path, CANNOT_OPEN(reason=exc.strerror or str(exc))) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _open_sqlite(path: str, create: bool) -> _Sqlite:
    """An SQLite register file: one that exists must be an SQLite database (its first 16
    bytes say so); one that does not is made only with `create`."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        if not create:
            raise NoRegisterError.at(path, NO_REGISTER) from None
        if not Path(path).parent.is_dir():
            raise RegisterError.at(path, NO_SUCH_FOLDER) from None
        _create_sqlite(path)
        return _open_sqlite(path, create=False)
    except IsADirectoryError:
        raise RegisterError.at(path, A_FOLDER) from None
    except OSError as exc:
        raise RegisterError.at(path, CANNOT_OPEN(reason=exc.strerror or str(exc))) from None
    if header != SQLITE_HEADER:
        raise RegisterError.at(path, NOT_SQLITE)
    return _Sqlite(path)
