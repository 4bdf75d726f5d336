"""Publishing a file whole or not at all: written to a temporary file beside it, flushed
to disk, then given its name, so that a reader never sees half a file and an interrupted
run leaves nothing behind."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path


def publish(path: Path, data: bytes, *, replace: bool) -> None:
    """Write `data` as the file `path`: renamed over an existing file when `replace`,
    else linked into place, so that a file that appeared meanwhile (another run writing
    the same new name) is never replaced: FileExistsError. Any other failure is the
    OSError that caused it; the temporary file is removed whatever happens."""
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    renamed = False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # mkstemp makes it private; use the usual mode
        if replace:
            os.replace(temporary, path)
            renamed = True
        else:
            _publish_new(temporary, path)
    finally:
        if not renamed:  # whatever went wrong, even an interrupt, leave no temporary file
            with contextlib.suppress(OSError):
                os.unlink(temporary)


# Where a file system has no hard links.
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK}


def _publish_new(temporary: str, path: Path) -> None:
    """Give the whole temporary file the name `path`, which must not exist: another run
    that wrote the same new file meanwhile keeps its result (the check before writing
    cannot see it). A hard link fails if the name exists; the temporary name goes after.
    FileExistsError if the name is taken."""
    try:
        os.link(temporary, path, follow_symlinks=False)
        return
    except OSError as exc:
        if isinstance(exc, FileExistsError) or exc.errno not in _NO_LINKS:
            raise
    # No hard links here: claim the name (O_EXCL fails if it exists), then rename the
    # whole file over the claim. A reader may see an empty file for that moment.
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
