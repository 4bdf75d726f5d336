"""The evaluation record: an append-only, hash-chained register of runs (docs/register.md).

`store` keeps runs in SQLite (a file, nothing to install) or PostgreSQL (a server a
ministry's committees share), with the same schema, migrations and guarantees; `chain`
says how a run's hash covers the run before it. Pure storage: no scoring, no words."""
