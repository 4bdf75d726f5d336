"""Writing results: atomically, never over an input, never over a file without --force."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from evaluator.errors import OutputError
from evaluator.io.files import YAML_SUFFIXES


def _identity(path: Path) -> tuple[int, int] | None:
    """A file's identity on disk (device, inode), whatever the path that names it."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def write_output(path: Path | str, text: str | bytes, *, inputs: Iterable[Path],
                 force: bool) -> None:
    """Write `text` (or text already in UTF-8) to `path` through a temporary file, published
    whole: linked into place, so that a file that appeared meanwhile is never replaced, or
    renamed over the old file with `force`."""
    name = str(path)
    if name.endswith(("/", os.sep)) or (os.altsep and name.endswith(os.altsep)):
        # Path() would drop the slash and write a file of the folder's name.
        raise OutputError.at(name, "names a folder (it ends in '/'); give --output a file "
                                   f"name, such as {name}result.txt")
    path = Path(path)
    name = str(path)
    inputs = list(inputs)
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        pass  # a new file: the checks below say whether its folder will do
    except OSError as exc:  # a name too long, a loop of links: nothing to write to
        raise OutputError.at(name, f"cannot write: {exc.strerror or exc}") from None
    target = _identity(path)
    if target is not None and target in {_identity(source) for source in inputs}:
        raise OutputError.at(name, "is an input file of this run; it is never overwritten "
                                   "(choose another --output)")
    if path.suffix.lower() in YAML_SUFFIXES:
        # A folder given as input: its YAML files are inputs, now or on the next run.
        folder_id = _identity(path.parent)
        for source in inputs:
            if folder_id is not None and _identity(source) == folder_id:
                raise OutputError.at(name, f"is in the input folder {source}, where it would "
                                           "be read as a proposal (choose another --output)")
    if path.is_dir():
        raise OutputError.at(name, "is a folder; give a file name to --output")
    if path.exists() and not path.is_file():
        # A device or pipe (/dev/null, /dev/stdout, a FIFO): write into it; a rename
        # would replace the device node itself.
        try:
            with open(path, "wb") as out:
                out.write(_utf8(text))
        except OSError as exc:
            raise OutputError.at(name, f"cannot write: {exc.strerror or exc}") from None
        return
    if not force and os.path.lexists(path):
        nowhere = "" if path.exists() else " (a link to nowhere)"
        raise OutputError.at(name, f"already exists{nowhere}; add --force to replace it")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError.at(name, f"the folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=folder)
    except OSError as exc:
        raise OutputError.at(name, f"cannot write: {exc.strerror or exc}") from None
    renamed = False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_utf8(text))
            out.flush()
            os.fsync(out.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # mkstemp makes it private; use the usual mode
        if force:
            os.replace(temporary, path)
            renamed = True
        else:
            _publish_new(temporary, path, name)
    except OSError as exc:
        raise OutputError.at(name, f"cannot write: {exc.strerror or exc}") from None
    finally:
        if not renamed:  # whatever went wrong, even an interrupt, leave no temporary file
            with contextlib.suppress(OSError):
                os.unlink(temporary)


# Where a file system has no hard links.
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK}


def _publish_new(temporary: str, path: Path, name: str) -> None:
    """Give the whole temporary file the name `path`, which must not exist: another run
    that wrote the same new file meanwhile keeps its result (the check before writing
    cannot see it). A hard link fails if the name exists; the temporary name goes after."""
    try:
        os.link(temporary, path, follow_symlinks=False)
        return
    except FileExistsError:
        raise OutputError.at(name, "already exists; add --force to replace it") from None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    # No hard links here: claim the name (O_EXCL fails if it exists), then rename the
    # whole file over the claim. A reader may see an empty file for that moment.
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise OutputError.at(name, "already exists; add --force to replace it") from None
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def _utf8(text: str | bytes) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else text
