"""Files: the inputs a user names, found and read within limits.

Only regular files are read (a pipe or a device would block or never end), within a
byte limit, as UTF-8 (a byte-order mark allowed); a folder means its *.yaml and *.yml
files. Names are shown as the user would type them. `load_document` reads a file and
parses it with the strict YAML reader (evaluator.io.strict_yaml).
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from evaluator.errors import InputError, Problem
from evaluator.io.strict_yaml import Document, parse_document
from evaluator.messages import Message
from evaluator.messages.files import (
    A_DEVICE,
    A_NAMED_PIPE,
    A_SOCKET,
    BINARY,
    CANNOT_LIST_FOLDER,
    CANNOT_READ,
    GREW_OVER_THE_LIMIT,
    IS_A_FOLDER,
    NO_SUCH_FILE,
    NOT_A_REGULAR_FILE,
    NOT_UTF_8,
    OVER_THE_LIMIT,
    PERMISSION_DENIED,
    SOMETHING_ELSE,
    TWO_BYTE_ORDER_MARKS,
    UTF_16,
    UTF_32,
    WIDE_WITHOUT_A_MARK,
)

DEFAULT_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileRead:
    """One file read while a `reading_log` was open: its name as shown, its absolute path,
    its bytes and their sha256 (what a recorded run keeps of its inputs)."""

    name: str
    path: str
    content: bytes
    sha256: str


_READ_LOG: ContextVar[list[FileRead] | None] = ContextVar("evaluator_read_log", default=None)


@contextmanager
def reading_log() -> Iterator[list[FileRead]]:
    """Every file read in this context (in this process), in the order read."""
    log: list[FileRead] = []
    token = _READ_LOG.set(log)
    try:
        yield log
    finally:
        _READ_LOG.reset(token)


YAML_SUFFIXES = (".yaml", ".yml")


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working folder when inside it."""
    # On the path's text (pathlib has made it normal), not its parts: this runs for every
    # file of a batch, and Path's properties each cost a few microseconds.
    text = os.fspath(path)
    if not path.is_absolute() and (".." not in text or ".." not in text.split(os.sep)):
        return _printable(text)  # already as typed; resolving every file of a batch is slow
    folder, base = os.path.split(text)
    if base in ("", ".", ".."):
        name = _relative(text)
    else:  # a file of a folder: the folder is worked out once for all its files
        cwd = _cwd()
        inside = _relative_folder(folder, cwd)
        if inside is not None:
            name = os.path.join(inside, base)
        else:  # outside, unless it is the working folder itself
            name = "." if os.path.abspath(text) == cwd else text
    return _printable(name)


def _printable(name: str) -> str:
    # A file name can hold anything but '/' and NUL: escape what would drive a terminal.
    return (
        name
        if name.isprintable()
        else name.encode("unicode_escape", "backslashreplace").decode("ascii")
    )


def _relative(name: str) -> str:
    """`name` relative to the working folder if inside it, else as given."""
    # Not resolve(): a link is named as given, and a loop of links cannot raise here.
    try:
        return str(Path(os.path.abspath(name)).relative_to(os.getcwd()))
    except (ValueError, OSError):
        return name


def _cwd() -> str | None:
    try:
        return os.getcwd()
    except OSError:  # the working folder was removed
        return None


@functools.lru_cache(maxsize=64)
def _relative_folder(folder: str, cwd: str | None) -> str | None:
    """`_relative` of a folder, as a prefix for its files ('' for the working folder
    itself); None when it is outside the working folder."""
    if cwd is None:
        return None
    try:
        inside = str(Path(os.path.abspath(folder)).relative_to(cwd))
    except ValueError:
        return None
    return "" if inside == "." else inside


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str, str]:
    """Read a UTF-8 file within the size limit: (display name, text, sha256)."""
    name = display_path(path)
    try:
        # Only a regular file: a named pipe or a device (/dev/stdin) could keep us waiting
        # forever, or never end. Looked at before opening (opening a device can do things),
        # and again once open, without waiting (O_NONBLOCK), in case it changed in between.
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise InputError.at(name, _not_a_file(mode))
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK | _CLOEXEC), "rb") as handle:
            facts = os.fstat(handle.fileno())
            if not stat.S_ISREG(facts.st_mode):
                raise InputError.at(name, _not_a_file(facts.st_mode))
            size = facts.st_size
            if size > max_bytes:
                raise InputError.at(name, OVER_THE_LIMIT(size=size, limit=max_bytes))
            # Asking for the limit would allocate a buffer of that size for every file
            # (1 MiB for a 3 KB proposal): ask for what fstat says is there, then read on
            # only if more came (a file still being written).
            raw = handle.read(size + 1)
            if len(raw) > size:
                raw += handle.read(max_bytes + 1 - len(raw))
    except IsADirectoryError:
        raise InputError.at(name, IS_A_FOLDER) from None
    except FileNotFoundError:
        raise InputError.at(name, NO_SUCH_FILE) from None
    except PermissionError:
        raise InputError.at(name, PERMISSION_DENIED) from None
    except OSError as exc:
        raise InputError.at(name, CANNOT_READ(reason=exc.strerror or str(exc))) from None
    if len(raw) > max_bytes:  # the file grew while we read it
        raise InputError.at(name, GREW_OVER_THE_LIMIT(limit=max_bytes))
    digest = hashlib.sha256(raw).hexdigest()
    log = _READ_LOG.get()
    if log is not None:
        log.append(FileRead(name, os.path.abspath(path), raw, digest))
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16's
        raise InputError.at(name, UTF_32)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.at(name, UTF_16)
    if b"\x00" in raw:  # text in UTF-16 or UTF-32 without a byte-order mark holds many
        wide = _wide_encoding(raw)
        if wide is not None:
            raise InputError.at(name, WIDE_WITHOUT_A_MARK(encoding=wide))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_column(raw, exc.start)
        raise InputError([Problem(name, NOT_UTF_8(byte=raw[exc.start]), line, column)]) from None
    if text.startswith("\ufeff"):  # the one allowed is gone: this is a second
        raise InputError([Problem(name, TWO_BYTE_ORDER_MARKS, 1, 1)])
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _line_column(text.encode("utf-8"), len(text[:nul].encode("utf-8")))
        raise InputError([Problem(name, BINARY, line, column)])
    return name, text, digest


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _wide_encoding(raw: bytes) -> str | None:
    """ "UTF-16" or "UTF-32" when the bytes look like mostly ASCII text in it (either byte
    order): the bytes that would be zero are (nearly) all zero, the others (nearly) never."""
    sample = raw[:4096]
    for name, width, zeros in (
        ("UTF-32", 4, (1, 2, 3)),
        ("UTF-32", 4, (0, 1, 2)),
        ("UTF-16", 2, (1,)),
        ("UTF-16", 2, (0,)),
    ):
        size = len(sample) // width * width
        units = size // width
        if units < 2:
            continue
        if all(
            sample[k:size:width].count(0) >= 0.9 * units
            if k in zeros
            else sample[k:size:width].count(0) <= 0.1 * units
            for k in range(width)
        ):
            return name
    return None


def _not_a_file(mode: int) -> Message:
    """Why a path that is not a regular file is not read."""
    if stat.S_ISDIR(mode):
        return IS_A_FOLDER
    what = (
        A_NAMED_PIPE
        if stat.S_ISFIFO(mode)
        else A_SOCKET
        if stat.S_ISSOCK(mode)
        else A_DEVICE
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else SOMETHING_ELSE
    )
    return NOT_A_REGULAR_FILE(what=what)


def _line_column(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


def load_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and strictly parse one YAML file; raise InputError with locations."""
    name, text, digest = read_text(path, max_bytes)
    return parse_document(text, name, digest)


def _listed(entry: os.DirEntry[str]) -> bool:
    """A folder's entry that is a YAML file, or a link to nowhere (or to a loop of links),
    kept so that reading it says what is wrong."""
    if os.path.splitext(entry.name)[1].lower() not in YAML_SUFFIXES:
        return False
    try:
        if entry.is_file():
            return True
    except OSError:  # a loop of links, say
        pass
    return entry.is_symlink() and not os.path.exists(entry.path)


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Proposal files named by the user: files as given, folders' *.yaml/*.yml (not recursive)."""
    for path in paths:
        try:
            folder = path.is_dir()
        except OSError:  # a name too long, say: reading it will tell the user
            folder = False
        if folder:
            try:
                # scandir: most entries tell what they are without a stat of their own.
                # A link to nowhere is kept, to be reported as missing rather than skipped.
                with os.scandir(path) as entries:
                    names = sorted(e.name for e in entries if _listed(e))
            except OSError as exc:
                raise InputError.at(
                    display_path(path), CANNOT_LIST_FOLDER(reason=exc.strerror or str(exc))
                ) from None
            for name in names:  # in one folder, names sort as their paths do
                yield path / name
        else:
            yield path
