"""The evaluation record: an append-only, hash-chained register of runs (docs/register.md).

`store` keeps runs in SQLite (a file, nothing to install) or PostgreSQL (a server a
ministry's committees share), with the same schema, migrations and guarantees, each run's
hash covering the run before it. Pure storage: no scoring, no words."""

# What a register's name is, without opening one (no database module imported: a run
# that only checks whether a register is there stays as quick to start as any).


def is_url(where: str) -> bool:
    return where.startswith(("postgresql://", "postgres://"))


def shown(where: str) -> str:
    """A register's name as messages show it: a URL without its password."""
    if not is_url(where):
        return where
    scheme, _, rest = where.partition("://")
    credentials, at, host = rest.rpartition("@")
    if at and ":" in credentials:
        credentials = credentials.split(":", 1)[0] + ":***"
    return f"{scheme}://{credentials}{at}{host}"
