"""Writing results: atomically, never over an input, never over a file without --force."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from evaluator.errors import OutputError


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def write_output(path: Path, text: str, *, inputs: Iterable[Path], force: bool) -> None:
    """Write `text` to `path` through a temporary file and a rename."""
    name = str(path)
    for source in inputs:
        if _same(path, source):
            raise OutputError.at(name, "is an input file of this run; it is never overwritten "
                                       "(choose another --output)")
    if path.is_dir():
        raise OutputError.at(name, "is a folder; give a file name to --output")
    if path.exists() and not path.is_file():
        # A device or pipe (/dev/null, /dev/stdout, a FIFO): write into it; a rename
        # would replace the device node itself.
        try:
            with open(path, "w", encoding="utf-8", newline="") as out:
                out.write(text)
        except OSError as exc:
            raise OutputError.at(name, f"cannot write: {exc.strerror or exc}") from None
        return
    if path.exists() and not force:
        raise OutputError.at(name, "already exists; add --force to replace it")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError.at(name, f"the folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=folder)
    except OSError as exc:
        raise OutputError.at(name, f"cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # mkstemp makes it private; use the usual mode
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError.at(name, f"cannot write: {exc.strerror or exc}") from None
