"""Where the command line writes a result (`--output`): never over an input of the run,
never into an input folder where it would be read next time, never over an existing file
without `--force`; into a device or pipe as it is. The writing itself, whole or not at
all, is evaluator.io.atomic."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from evaluator.errors import OutputError
from evaluator.io.atomic import publish
from evaluator.io.files import YAML_SUFFIXES
from evaluator.render.i18n import gettext as _


def _identity(path: Path) -> tuple[int, int] | None:
    """A file's identity on disk (device, inode), whatever the path that names it."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def write_output(
    path: Path | str, text: str | bytes, *, inputs: Iterable[Path], force: bool
) -> None:
    """Write `text` (or text already in UTF-8) to `path` through a temporary file, published
    whole: linked into place, so that a file that appeared meanwhile is never replaced, or
    renamed over the old file with `force`."""
    name = str(path)
    if name.endswith(("/", os.sep)) or (os.altsep and name.endswith(os.altsep)):
        # Path() would drop the slash and write a file of the folder's name.
        raise OutputError.at(
            name,
            _(
                "names a folder (it ends in '/'); give --output a file name, such as "
                "{name}result.txt"
            ).format(name=name),
        )
    path = Path(path)
    name = str(path)
    inputs = list(inputs)
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        pass  # a new file: the checks below say whether its folder will do
    except OSError as exc:  # a name too long, a loop of links: nothing to write to
        raise OutputError.at(name, _cannot_write(exc)) from None
    target = _identity(path)
    if target is not None and target in {_identity(source) for source in inputs}:
        raise OutputError.at(
            name,
            _("is an input file of this run; it is never overwritten (choose another --output)"),
        )
    if path.suffix.lower() in YAML_SUFFIXES:
        # A folder given as input: its YAML files are inputs, now or on the next run.
        folder_id = _identity(path.parent)
        for source in inputs:
            if folder_id is not None and _identity(source) == folder_id:
                raise OutputError.at(
                    name,
                    _(
                        "is in the input folder {folder}, where it would be read as a proposal "
                        "(choose another --output)"
                    ).format(folder=source),
                )
    if path.is_dir():
        raise OutputError.at(name, _("is a folder; give a file name to --output"))
    if path.exists() and not path.is_file():
        # A device or pipe (/dev/null, /dev/stdout, a FIFO): write into it; a rename
        # would replace the device node itself.
        try:
            with open(path, "wb") as out:
                out.write(_utf8(text))
        except OSError as exc:
            raise OutputError.at(name, _cannot_write(exc)) from None
        return
    if not force and os.path.lexists(path):
        raise OutputError.at(
            name,
            _("already exists; add --force to replace it")
            if path.exists()
            else _("already exists (a link to nowhere); add --force to replace it"),
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError.at(name, _("the folder {folder} does not exist").format(folder=folder))
    try:
        publish(path, _utf8(text), replace=force)
    except FileExistsError:  # another run published the same new name meanwhile
        raise OutputError.at(name, _("already exists; add --force to replace it")) from None
    except OSError as exc:
        raise OutputError.at(name, _cannot_write(exc)) from None


def _cannot_write(exc: OSError) -> str:
    return _("cannot write: {reason}").format(reason=exc.strerror or exc)


def _utf8(text: str | bytes) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else text
