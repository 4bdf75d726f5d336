"""The register of runs (#19, docs/register.md), on a real SQLite file and on a real
PostgreSQL server the tests start themselves (tests/pg.py): recording, tampering found by
`verify`, criteria frozen at bid opening, rounds, replay, two processes at once, a run
killed half-way, a file that is not a register, and the migration from the first schema."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evaluator.register import store
from evaluator.register.store import GENESIS, Register, StoredFile, canonical, sha256_text
from tests.conftest import ROOT, Run
from tests.helpers import evaluator_process, unstaged_criteria
from tests.pg import Server, postgres_server  # noqa: F401 (a fixture)

PROGRAMME = "CSS-26 coastal surveillance ships (hypothetical)"


@pytest.fixture
def tender(tmp_path: Path) -> Path:
    """A copy of the samples, the panel and the default criteria: a committee's folder."""
    folder = tmp_path / "tender"
    folder.mkdir()
    for name in ("proposals", "panel", "criteria"):
        shutil.copytree(ROOT / name, folder / name)
    return folder


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new register: an SQLite file that does not exist yet, or an empty PostgreSQL
    database."""
    if request.param == "sqlite":
        return str(tmp_path / "register.db")
    server: Server = request.getfixturevalue("postgres_server")
    return server.new_database()


def sql(where: str, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """A statement run on the register's database directly, going round the tool (as
    someone who tampers with it would)."""
    if where.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(where, autocommit=True) as connection:
            cursor = connection.execute(statement.replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []
    connection = sqlite3.connect(where)
    try:
        rows = connection.execute(statement, params).fetchall()
        connection.commit()
        return rows
    finally:
        connection.close()


def untrigger(where: str) -> None:
    """Drop the triggers that refuse updates and deletes: what a tamperer does first."""
    if where.startswith("postgresql://"):
        for table in ("evaluator_runs", "evaluator_run_files", "evaluator_blobs"):
            sql(where, f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        return
    for (name,) in sql(where, "SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        sql(where, f"DROP TRIGGER {name}")


RunCli = Callable[..., Run]


def record(run_cli: RunCli, tender: Path, where: str, *args: str) -> Run:
    result = run_cli(
        "compare", "--panel", "panel", "--record", "--register", where, *args, cwd=tender
    )
    assert result.code == 0, result.err
    assert "recorded run" in result.err
    return result


def cli(run_cli: RunCli, tender: Path, where: str, *args: str) -> Run:
    return run_cli(*args, "--register", where, cwd=tender)


# --- recording -------------------------------------------------------------------------------


def test_a_recorded_run_keeps_who_when_what_and_every_file_read(run_cli, tender, where):
    record(run_cli, tender, where, "--by", "Secretariat (Cdr A. Rahman)")
    with Register.open(where) as register:
        [run] = register.runs()
        files = {f["name"]: f["sha256"] for f in run.files}
        assert run.kind == "compare" and run.record["by"] == "Secretariat (Cdr A. Rahman)"
        assert run.record["command"][:2] == ["evaluator", "compare"]
        assert run.record["programme"] == PROGRAMME  # the proposals' proposal.programme
        assert run.record["tool"]["name"] == "evaluator"
        assert run.at.endswith("Z") and run.at[:2] == "20"
        # The criteria, its requirements, every proposal read and every panel file, with
        # their bytes as read.
        for name in (
            "criteria/default.yaml",
            "criteria/requirements.yaml",
            "proposals/italy.yaml",
            "proposals/turkiye/technical.yaml",
            "panel/a.yaml",
        ):
            assert register.content(files[name]) == (tender / name).read_bytes()
        # The staged run never opened turkiye's financial envelope: nor does the register.
        assert "proposals/turkiye/financial.yaml" not in files
        # The JSON result, as `--format json` prints it.
        json_run = run_cli("compare", "--panel", "panel", "--format", "json", cwd=tender)
        assert run.result == json_run.out
        assert run.record["criteria"]["weights"]["technical"] == pytest.approx(20.0)


def test_score_and_sensitivity_are_recorded_too_and_history_lists_them(run_cli, tender, where):
    record(run_cli, tender, where)
    scored = cli(run_cli, tender, where, "score", "proposals/italy.yaml", "--record")
    assert scored.code == 0, scored.err
    swept = cli(
        run_cli, tender, where, "sensitivity", "--samples", "500", "--record", "--by", "analyst"
    )
    assert swept.code == 0, swept.err
    listed = cli(run_cli, tender, where, "history", "--format", "json")
    assert listed.code == 0, listed.err
    rows = json.loads(listed.out)
    assert [(r["run"], r["command"]) for r in rows] == [
        ("1", "compare"),
        ("2", "score"),
        ("3", "sensitivity"),
    ]
    assert rows[2]["by"] == "analyst"
    assert rows[0]["result"] == "first: south-korea (62.95)"
    table = cli(run_cli, tender, where, "history")
    assert table.code == 0 and "sensitivity" in table.out and "south-korea" in table.out


def test_the_default_register_is_beside_the_criteria(run_cli, tender):
    result = run_cli("compare", "--record", cwd=tender)
    assert result.code == 0, result.err
    assert (tender / "criteria" / "evaluations.db").exists()
    assert "recorded run 1 in criteria/evaluations.db" in result.err
    assert run_cli("history", cwd=tender).code == 0
    assert "1 run; the chain is intact." in run_cli("register", "verify", cwd=tender).out


def test_show_gives_a_stored_run_in_any_format(run_cli, tender, where):
    record(run_cli, tender, where)
    stored = cli(run_cli, tender, where, "show", "1", "--format", "json")
    assert stored.out == run_cli("compare", "--panel", "panel", "-f", "json", cwd=tender).out
    markdown = cli(run_cli, tender, where, "show", "1", "--format", "markdown")
    assert markdown.code == 0, markdown.err
    assert markdown.out == run_cli("compare", "--panel", "panel", "-f", "markdown", cwd=tender).out
    assert cli(run_cli, tender, where, "show", "7").code == 1  # no such run


# --- tamper-evident --------------------------------------------------------------------------


def three_runs(run_cli: RunCli, tender: Path, where: str) -> str:
    for _ in range(3):
        record(run_cli, tender, where)
    verified = cli(run_cli, tender, where, "register", "verify")
    assert verified.code == 0 and "3 runs; the chain is intact." in verified.out
    return verified.out.split("head ")[1].split(":")[0]


def test_the_database_refuses_changes_to_recorded_runs(run_cli, tender, where):
    three_runs(run_cli, tender, where)
    errors: tuple[type[BaseException], ...] = (sqlite3.DatabaseError,)
    if where.startswith("postgresql://"):
        import psycopg

        errors = (psycopg.Error,)
    with pytest.raises(errors):
        sql(where, "UPDATE evaluator_runs SET at = 'x' WHERE seq = 1")
    with pytest.raises(errors):
        sql(where, "DELETE FROM evaluator_runs WHERE seq = 3")


@pytest.mark.parametrize(
    ("tamper", "found"),
    [
        (
            [
                'UPDATE evaluator_runs SET record = replace(record, \'"by":"\', '
                '\'"by":"x\') WHERE seq = 2'
            ],
            "run 2: its record does not match its hash: changed after it was recorded",
        ),
        (
            ["DELETE FROM evaluator_runs WHERE seq = 2"],
            "run 3: run 2 is missing before it",
        ),
        (
            [
                "UPDATE evaluator_runs SET seq = 99 WHERE seq = 2",
                "UPDATE evaluator_runs SET seq = 2 WHERE seq = 3",
                "UPDATE evaluator_runs SET seq = 3 WHERE seq = 99",
            ],
            "run 2: it does not follow the run before it",
        ),
        (
            [
                "UPDATE evaluator_runs SET result = replace(result, 'south-korea', 'italy') "
                "WHERE seq = 1"
            ],
            "run 1: its stored result does not match the hash its record gives",
        ),
        (
            ["UPDATE evaluator_runs SET programme = 'another' WHERE seq = 3"],
            "run 3: the register's columns for it do not say what its record says",
        ),
    ],
    ids=["edited", "deleted", "reordered", "result", "columns"],
)
def test_verify_finds_a_changed_deleted_or_reordered_run(run_cli, tender, where, tamper, found):
    three_runs(run_cli, tender, where)
    untrigger(where)
    for statement in tamper:
        sql(where, statement)
    verified = cli(run_cli, tender, where, "register", "verify")
    assert verified.code == 1
    assert found in verified.out
    assert "NOT intact" in verified.out


def test_verify_finds_a_changed_input_file(run_cli, tender, where):
    three_runs(run_cli, tender, where)
    untrigger(where)
    with Register.open(where) as register:
        sha = next(f["sha256"] for f in register.run("1").files if f["name"].endswith("italy.yaml"))
    blob = "x'00'" if not where.startswith("postgresql://") else "'\\x00'::bytea"
    sql(where, f"UPDATE evaluator_blobs SET content = {blob} WHERE sha256 = ?", (sha,))
    verified = cli(run_cli, tender, where, "register", "verify")
    assert verified.code == 1
    assert "run 1: the content of proposals/italy.yaml was changed" in verified.out


def test_runs_removed_from_the_end_are_found_with_a_kept_head(run_cli, tender, where):
    head = three_runs(run_cli, tender, where)
    untrigger(where)
    sql(where, "DELETE FROM evaluator_runs WHERE seq = 3")
    plain = cli(run_cli, tender, where, "register", "verify")
    assert plain.code == 0  # a chain cut at its end is still a chain...
    anchored = cli(run_cli, tender, where, "register", "verify", "--head", head[:16])
    assert anchored.code == 1  # ...but the head kept in the minutes is gone
    assert f"No run with hash {head[:16]} in the chain" in anchored.out


# --- criteria frozen at bid opening ----------------------------------------------------------


def test_criteria_frozen_at_bid_opening(run_cli, tender, where):
    opened = cli(run_cli, tender, where, "register", "open", "--programme", PROGRAMME)
    assert opened.code == 0, opened.err
    assert f"Programme {PROGRAMME}: bids opened at run 1" in opened.out
    again = cli(run_cli, tender, where, "register", "open", "--programme", PROGRAMME)
    assert again.code == 1 and "was opened at run 1" in again.err
    same = record(run_cli, tender, where)
    assert "Criteria changed" not in same.out
    # A what-if of the weights, after the bids were opened: marked, in every format.
    flagged = record(run_cli, tender, where, "--weights", "pricing=40")
    said = " ".join(flagged.out.split())
    assert "Caveat: Criteria changed after bid opening: programme " + PROGRAMME in said
    assert "this run's weights (a what-if) differ from those frozen then" in said
    for fmt in ("json", "markdown", "csv", "html"):
        out = cli(run_cli, tender, where, "compare", "--weights", "pricing=40", "-f", fmt).out
        if fmt == "csv":  # a data format: the caveat's code, in its own column
            header, first = list(csv.reader(io.StringIO(out)))[:2]
            assert first[header.index("caveats")].endswith("criteria_changed_after_opening")
        elif fmt == "json":
            caveats = json.loads(out)["caveats"]
            assert {
                "code": "criteria_changed_after_opening",
                "programme": PROGRAMME,
                "opened_run": 1,
                "what": "weights",
            }.items() <= caveats[-1].items()
        else:
            assert "Criteria changed after bid opening" in out, fmt
    # The criteria file itself changed after opening.
    path = tender / "criteria" / "default.yaml"
    path.write_text(path.read_text().replace("pass_mark: 40 ", "pass_mark: 30 "))
    changed = record(run_cli, tender, where)
    assert "this run's criteria files differ from those frozen then" in " ".join(
        changed.out.split()
    )
    rows = json.loads(cli(run_cli, tender, where, "history", "-f", "json").out)
    assert [r["flags"] for r in rows] == [
        "",
        "",
        "criteria changed after bid opening",
        "criteria changed after bid opening",
    ]


# --- negotiation rounds ----------------------------------------------------------------------


def test_history_of_a_proposal_shows_its_rounds(run_cli, tender, where):
    record(run_cli, tender, where)
    record(run_cli, tender, where)  # the same offers again: still round 1
    italy = tender / "proposals" / "italy.yaml"
    text = italy.read_text()
    assert "  unit_price: 165_000_000" in text
    italy.write_text(text.replace("  unit_price: 165_000_000", "  unit_price: 150_000_000"))
    record(run_cli, tender, where)  # a second round
    lowered = italy.read_text()
    italy.write_text(
        lowered.replace("  unit_price: 150_000_000", "  unit_price: 148_000_000").replace(
            "proposal:\n", "proposal:\n  round: BAFO\n", 1
        )
    )
    record(run_cli, tender, where)  # the best and final offer, named so by the offer
    rows = json.loads(
        cli(run_cli, tender, where, "history", "--proposal", "italy", "-f", "json").out
    )
    assert [(r["run"], r["round"]) for r in rows] == [
        ("1", "R1"),
        ("2", "R1"),
        ("3", "R2"),
        ("4", "BAFO"),
    ]
    assert float(rows[2]["total"]) > float(rows[1]["total"])
    # turkiye, in two envelopes: a staged run never reads its financial envelope, a run
    # without stages reads both; still one version of the offer.
    unstaged = unstaged_criteria(tender / "plain")
    record(run_cli, tender, where, "--criteria", str(unstaged))
    rows = json.loads(
        cli(run_cli, tender, where, "history", "--proposal", "turkiye", "-f", "json").out
    )
    assert [r["round"] for r in rows] == ["R1", "R1", "R1", "R1", "R1"]


# --- replay ----------------------------------------------------------------------------------


def test_replay_recomputes_a_run_from_its_stored_inputs(run_cli, tender, where):
    record(run_cli, tender, where, "--weights", "pricing=35")
    # The files on disk change or go: the replay uses the stored ones.
    shutil.rmtree(tender / "proposals")
    replayed = cli(run_cli, tender, where, "replay", "1")
    assert replayed.code == 0, replayed.err + replayed.out
    assert "Run 1 replayed from its stored inputs: the result is identical" in replayed.out


def test_replay_of_a_csv_run_with_a_byte_order_mark(run_cli, tender, where):
    """--bom shapes the file, not the result: a replay (in JSON) runs without it."""
    record(run_cli, tender, where, "--format", "csv", "--bom", "--output", "result.csv")
    replayed = cli(run_cli, tender, where, "replay", "1")
    assert replayed.code == 0, replayed.err + replayed.out
    assert "the result is identical" in replayed.out


def test_replay_of_an_html_report_with_its_robustness_section(run_cli, tender, where):
    """The register stores a run's JSON, which has no sensitivity analysis: the replay (in
    JSON) runs `compare` without --sensitivity (which only an HTML report takes), and
    `show` remakes the report with it."""
    args = ("--format", "html", "--sensitivity", "--output", "report.html")
    record(run_cli, tender, where, *args)
    replayed = cli(run_cli, tender, where, "replay", "1")
    assert replayed.code == 0, replayed.err + replayed.out
    assert "the result is identical" in replayed.out
    shown = cli(run_cli, tender, where, "show", "1", "--format", "html")
    assert shown.code == 0, shown.err
    assert 'id="robustness"' in shown.out


def test_replay_says_what_differs(run_cli, tender, where):
    """A run whose stored result this evaluator does not reproduce (as a run recorded by
    another version may be): replay lists where the results differ, and exits 1."""
    record(run_cli, tender, where)
    with Register.open(where) as register:
        first = register.run("1")
        result = first.result.replace('"total": 62.951762', '"total": 61.5', 1)
        record_ = {k: v for k, v in first.record.items() if k not in ("seq", "prev", "files")}
        record_["tool"] = {"name": "evaluator", "version": "0.0.9"}
        files = [
            StoredFile(f["name"], register.content(f["sha256"]), f.get("path")) for f in first.files
        ]
        register.append(record_, files, result)
    replayed = cli(run_cli, tender, where, "replay", "2")
    assert replayed.code == 1
    assert "the result DIFFERS (recorded with evaluator 0.0.9, replayed with" in replayed.out
    assert "results[0].total: 61.5 → 62.951762" in replayed.out


# --- nothing lost ----------------------------------------------------------------------------


def test_processes_recording_at_once_all_keep_their_runs(tender, where):
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "evaluator",
                "compare",
                "--record",
                "--register",
                where,
                "--by",
                f"member {n}",
            ],
            cwd=tender,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for n in range(6)
    ]
    for process in processes:
        assert process.wait(timeout=120) == 0, process.stderr.read() if process.stderr else ""
    with Register.open(where) as register:
        runs = register.runs()
        assert sorted(r.record["by"] for r in runs) == [f"member {n}" for n in range(6)]
        assert [r.seq for r in runs] == [1, 2, 3, 4, 5, 6]
        assert register.verify().findings == []


KILLED = """
import os, signal, sys
from evaluator.register import store
real = store._insert_proposal
def killed(*args):
    real(*args)
    os.kill(os.getpid(), signal.SIGKILL)  # half-way through the run's transaction
store._insert_proposal = killed
from evaluator.cli.app import main
main(["compare", "--record", "--register", sys.argv[1]])
"""


def test_a_run_killed_half_way_leaves_no_partial_record(tender, where):
    done = evaluator_process("compare", "--record", "--register", where, cwd=tender)
    assert done.returncode == 0, done.stderr
    killed = subprocess.run(
        [sys.executable, "-c", KILLED, where],
        cwd=tender,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -9
    with Register.open(where) as register:
        assert [r.seq for r in register.runs()] == [1]
        assert sql(where, "SELECT count(*) FROM evaluator_run_files WHERE seq = 2") == [(0,)]
        assert sql(where, "SELECT count(*) FROM evaluator_run_proposals WHERE seq = 2") == [(0,)]
        assert register.verify().findings == []
    again = evaluator_process("compare", "--record", "--register", where, cwd=tender)
    assert again.returncode == 0 and "recorded run 2" in again.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,total\nitaly,60\n", "not an evaluator register (not an SQLite database)"),
        (b"", "not an evaluator register (not an SQLite database)"),
        (b"SQLite format 3\x00" + b"\x01" * 2000, "the register cannot be read"),
    ],
    ids=["csv", "empty", "damaged"],
)
def test_a_file_that_is_not_a_register_is_refused_and_left_as_it_is(
    run_cli, tender, tmp_path, content, message
):
    path = tmp_path / "evaluations.db"
    path.write_bytes(content)
    result = run_cli("compare", "--record", "--register", str(path), cwd=tender)
    assert result.code == 1
    assert f"{path}: {message}" in result.err
    assert path.read_bytes() == content


def test_an_sqlite_database_of_something_else_is_refused(run_cli, tender, tmp_path):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE budget (item TEXT, amount REAL)")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    result = run_cli("compare", "--record", "--register", str(path), cwd=tender)
    assert result.code == 1
    assert "an SQLite database, but not an evaluator register" in result.err
    assert path.read_bytes() == before


def test_a_register_newer_than_the_tool_is_refused(run_cli, tender, where):
    record(run_cli, tender, where)
    sql(where, "UPDATE evaluator_meta SET value = '99' WHERE key = 'schema_version'")
    result = cli(run_cli, tender, where, "history")
    assert result.code == 1
    assert "schema is version 99, newer than this evaluator's (2)" in result.err


def test_no_register_yet(run_cli, tender, tmp_path):
    result = run_cli("history", "--register", str(tmp_path / "none.db"), cwd=tender)
    assert result.code == 1 and "no register here yet" in result.err
    assert not (tmp_path / "none.db").exists()


# --- migrations ------------------------------------------------------------------------------


def test_a_first_version_register_is_migrated_and_keeps_its_chain(run_cli, tender, where):
    """A register made by the first schema (no programme column, no proposals index),
    with two runs written as that version wrote them, opened by this evaluator."""
    first = store.MIGRATIONS[0]
    if where.startswith("postgresql://"):
        database: Any = store._Postgres(where, where)
    else:
        database = store._Sqlite(where)
    with database.writing():
        first(database)
    previous = GENESIS
    for seq, total in ((1, 58.0), (2, 60.5)):
        record_ = {
            "kind": "compare",
            "at": f"2026-03-1{seq}T09:00:00.000000Z",
            "by": "secretariat",
            "programme": "CSS-26",
            "proposals": [
                {
                    "id": "italy",
                    "version": f"v{seq}",
                    "files": [["italy.yaml", f"{seq}"]],
                    "total": total,
                    "rank": 1,
                    "eligible": True,
                }
            ],
            "files": [],
            "result_sha256": None,
            "seq": seq,
            "prev": previous,
        }
        text = canonical(record_)
        digest = sha256_text(text)
        database.execute(
            "INSERT INTO evaluator_runs (seq, hash, prev, kind, at, record, result) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [seq, digest, previous, "compare", record_["at"], text, None],
        )
        previous = digest
    database.close()
    with Register.open(where) as register:  # migrated on opening
        assert register.schema_version == 2
        assert [r.programme for r in register.runs(programme="CSS-26")] == ["CSS-26", "CSS-26"]
        assert register.verify().findings == []
    rows = json.loads(
        cli(run_cli, tender, where, "history", "--proposal", "italy", "-f", "json").out
    )
    assert [(r["run"], r["round"], r["total"]) for r in rows] == [
        ("1", "R1", "58.00"),
        ("2", "R2", "60.50"),
    ]
    record(run_cli, tender, where)  # and recording goes on after it
    assert "3 runs; the chain is intact." in cli(run_cli, tender, where, "register", "verify").out


def test_the_postgresql_url_is_shown_without_its_password():
    assert store.shown("postgresql://evaluator:s3cret@db.mod.gov.my/register") == (
        "postgresql://evaluator:***@db.mod.gov.my/register"
    )


def test_an_unreachable_postgresql_register_is_an_error(run_cli, tender):
    url = "postgresql://nobody:pw@/nodb?host=/nonexistent-socket-dir&port=1"
    result = run_cli("history", "--register", url, cwd=tender)
    assert result.code == 1
    assert (
        "postgresql://nobody:***@/nodb" in result.err and "cannot open the register" in result.err
    )
    assert "pw@" not in result.err


def test_recording_twice_keeps_each_file_once(run_cli, tender, where):
    record(run_cli, tender, where)
    record(run_cli, tender, where)
    blobs = sql(where, "SELECT count(*) FROM evaluator_blobs")[0][0]
    files = sql(where, "SELECT count(*) FROM evaluator_run_files")[0][0]
    assert files == 2 * blobs


def test_docs_example_of_the_record(tmp_path):
    """The record's keys as docs/register.md lists them."""
    with Register.open(tmp_path / "r.db", create=True) as register:
        run = register.append(
            {"kind": "compare", "at": "2026-01-01T00:00:00Z", "programme": None},
            [StoredFile("a.yaml", b"a: 1\n")],
            "{}",
        )
    assert sorted(run.record) == sorted(
        ["kind", "at", "programme", "seq", "prev", "files", "result_sha256"]
    )
    assert run.hash == sha256_text(canonical(run.record))
    assert textwrap.dedent(run.record["prev"]) == GENESIS
