"""A real PostgreSQL server for the register's tests, started and stopped by the test run
itself: a new cluster (initdb) in a temporary folder, listening on a Unix socket only (no
TCP port to collide with), as the `postgres` user when the tests run as root (PostgreSQL
refuses to run as root). `make test` installs Debian's postgresql package when it is
missing (tests/setup-test-deps.sh); with EVALUATOR_REQUIRE_POSTGRES=1 (set by make test)
a missing server fails the run instead of skipping these tests."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


class Server:
    """A running cluster: `url(database)` names a database in it; `new_database()` makes
    an empty one."""

    def __init__(self, socket_dir: Path, port: int, user: str) -> None:
        self.socket_dir, self.port, self.user = socket_dir, port, user
        self.count = 0

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@/{database}?host={self.socket_dir}&port={self.port}"

    def new_database(self) -> str:
        import psycopg

        self.count += 1
        name = f"register_{os.getpid()}_{self.count}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    bindir = _bindir()
    if bindir is None:
        message = "no PostgreSQL server here (Debian: apt-get install postgresql)"
        if os.environ.get("EVALUATOR_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    pytest.importorskip("psycopg")
    base = Path(tempfile.mkdtemp(prefix="evaluator-pg-"))
    data, sockets = base / "data", base / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    port = 54000 + os.getpid() % 1000
    subprocess.run(
        _as_postgres(
            [str(bindir / "initdb"), "-D", str(data), "-U", user, "-A", "trust", "--no-sync"]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-k {sockets} -p {port} -c listen_addresses='' -c fsync=off"
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(base / "log"),
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not any(sockets.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.1)
        yield Server(sockets, port, user)
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)
