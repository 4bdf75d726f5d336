"""What is said of the register of runs (evaluator.register): a file or a database that is
not a register, or is damaged, a schema newer than the tool, a run that is not there."""

from evaluator.messages import Template

NOT_SQLITE = Template(
    "not an evaluator register (not an SQLite database): it is left as it is; "
    "give another --register"
)
NOT_OURS = Template(
    "an SQLite database, but not an evaluator register: it is left as it is; "
    "give another --register"
)
DAMAGED = Template("the register cannot be read ({reason}): it is left as it is")
NEWER_SCHEMA = Template(
    "the register's schema is version {found}, newer than this evaluator's ({known}): "
    "upgrade evaluator to use it"
)
CANNOT_OPEN = Template("cannot open the register: {reason}")
NO_DRIVER = Template(
    "a PostgreSQL register needs the psycopg driver: pip install 'evaluator[postgres]'"
)
NO_SUCH_RUN = Template("no run {run} in this register (`evaluator history` lists them)")
NO_REGISTER = Template(
    "no register here yet: a run recorded with --record creates it (or `evaluator register open`)"
)
ALREADY_OPENED = Template(
    "programme `{programme}` was opened at run {run} ({at}): its criteria are frozen; "
    "a programme is opened once"
)
A_FOLDER = Template("is a folder: a register is a file (or a postgresql:// URL)")
NO_SUCH_FOLDER = Template("cannot make the register here: no such folder")
