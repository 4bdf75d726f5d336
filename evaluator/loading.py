"""Strict YAML: bytes from disk to plain data, with the line and column of every value.

PyYAML's C parser composes the node tree; we build the data ourselves so that
the rules are ours, not YAML 1.1's: only `true`/`false` are booleans (so
`country: NO` stays the text "NO"), `1e6` and `12e7` are numbers, `_` may
separate digits, dates stay text until a field asks for one, duplicate keys
and non-text keys are errors, and no tag can construct a Python object.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from evaluator.errors import InputError, Problem

DEFAULT_MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
YAML_SUFFIXES = (".yaml", ".yml")

PathKey = tuple[str | int, ...]
Mark = tuple[int, int]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _StrictResolver(BaseResolver):
    """YAML 1.2 core-schema scalars, plus `_` digit separators."""


_StrictResolver.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_StrictResolver.add_implicit_resolver(
    _INT, re.compile(r"^[-+]?[0-9][0-9_]*$"), list("-+0123456789"))
_StrictResolver.add_implicit_resolver(
    _FLOAT,
    re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?
                   |[-+]?\.(?:inf|Inf|INF)
                   |\.(?:nan|NaN|NAN))$""", re.X),
    list("-+0123456789."))
_StrictResolver.add_implicit_resolver(
    _NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


try:
    from yaml.cyaml import CParser as _Composer  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - PyYAML built without libyaml: same rules, slower
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Composer(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, text: str) -> None:
            Reader.__init__(self, text)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


class _StrictParser(_Composer, _StrictResolver):
    """A YAML composer (libyaml's when available) with our resolver; `_Builder` constructs."""

    def __init__(self, text: str) -> None:
        _Composer.__init__(self, text)
        _StrictResolver.__init__(self)


@dataclass(slots=True)
class Document:
    """One parsed YAML file: its data, where each value stands, and its digest."""

    file: str
    data: Any
    sha256: str
    marks: dict[PathKey, Mark] = field(default_factory=dict)
    key_marks: dict[PathKey, Mark] = field(default_factory=dict)

    def locate(self, path: PathKey, *, key: bool = False) -> Mark | None:
        """Line and column of the value (or key) at `path`, else of its nearest ancestor."""
        table = self.key_marks if key else self.marks
        if path in table:
            return table[path]
        # The nearest ancestor, but not the document itself: "1:1" would point at nothing.
        while len(path) > 1:
            path = path[:-1]
            if path in self.marks:
                return self.marks[path]
        return None

    def problem(self, path: PathKey, message: str, *, key: bool = False) -> Problem:
        """A problem located at the value (or key) found at `path`."""
        mark = self.locate(path, key=key)
        if mark is None:
            return Problem(self.file, message)
        return Problem(self.file, message, mark[0], mark[1])


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str, str]:
    """Read a UTF-8 file within the size limit: (display name, text, sha256)."""
    name = display_path(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise InputError.at(name, f"file is {size:,} bytes, over the limit of "
                                          f"{max_bytes:,} (--max-bytes changes it)")
            raw = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise InputError.at(name, "is a folder, not a file") from None
    except FileNotFoundError:
        raise InputError.at(name, "no such file") from None
    except PermissionError:
        raise InputError.at(name, "permission denied") from None
    except OSError as exc:
        raise InputError.at(name, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:  # the file grew while we read it
        raise InputError.at(name, f"file is over the limit of {max_bytes:,} bytes")
    digest = hashlib.sha256(raw).hexdigest()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.at(name, "file is UTF-16; save it as UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_column(raw, exc.start)
        raise InputError([Problem(name, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                                        "save the file as UTF-8", line, column)]) from None
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _line_column(text.encode("utf-8"), len(text[:nul].encode("utf-8")))
        raise InputError([Problem(name, "binary content (a NUL byte): not a YAML text file",
                                  line, column)])
    return name, text, digest


def _line_column(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


def load_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and strictly parse one YAML file; raise InputError with locations."""
    name, text, digest = read_text(path, max_bytes)
    return parse_document(text, name, digest)


def parse_document(text: str, name: str, digest: str = "") -> Document:
    """Strictly parse YAML text that came from the file `name`."""
    parser = _StrictParser(text)
    try:
        node = parser.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise InputError([_yaml_problem(name, exc)]) from None
    except yaml.YAMLError as exc:
        raise InputError.at(name, f"not valid YAML: {exc}") from None
    except RecursionError:  # only the pure-Python composer recurses without a limit
        raise InputError.at(name, f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        parser.dispose()
    if node is None:
        raise InputError.at(name, "the file is empty")
    document = Document(name, None, digest)
    document.data = _Builder(document, budget=len(text) // 2 + 1000).build(node)
    return document


def _yaml_problem(name: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or "not valid YAML").strip()
    if "cannot start any token" in problem and "'\\t'" in problem:
        message = "a tab character; YAML indents with spaces only"
    elif "expected a single document" in (exc.context or ""):
        message = "a file holds one document; found a second one (remove the '---')"
    elif problem == "found undefined alias":
        message = "an alias (*name) with no anchor (&name) before it"
    else:
        context = (exc.context or "").strip()
        message = f"not valid YAML: {problem}" + (f" ({context})" if context else "")
    if mark is None:
        return Problem(name, message)
    return Problem(name, message, mark.line + 1, mark.column + 1)


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording marks."""

    def __init__(self, document: Document, budget: int) -> None:
        self.document = document
        self.budget = budget  # bounds alias expansion ("billion laughs")
        self.active: set[int] = set()

    def fail(self, node: Node, message: str) -> InputError:
        mark = node.start_mark
        return InputError([Problem(self.document.file, message, mark.line + 1,
                                   mark.column + 1)])

    def build(self, node: Node, path: PathKey = (), depth: int = 0) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.fail(node, "the document expands to far more values than it has "
                                  "characters: aliases (*name) repeat too much")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested more than {MAX_DEPTH} levels deep")
        self.document.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if id(node) in self.active:
            raise self.fail(node, "a recursive alias (a value that contains itself)")
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                if node.tag != _SEQ:
                    raise self.fail(node, f"the tag {_short_tag(node.tag)} is not allowed")
                return [self.build(item, (*path, i), depth + 1)
                        for i, item in enumerate(node.value)]
            if isinstance(node, MappingNode):
                if node.tag != _MAP:
                    raise self.fail(node, f"the tag {_short_tag(node.tag)} is not allowed")
                return self.mapping(node, path, depth)
        finally:
            self.active.discard(id(node))
        raise self.fail(node, "unsupported YAML node")  # pragma: no cover

    def mapping(self, node: MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
                shown = key_node.value if isinstance(key_node, ScalarNode) else "a collection"
                raise self.fail(key_node, f"a key must be text, not {shown!r}; "
                                          "put it in quotes if you mean text")
            key = key_node.value
            key_mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in result:
                first = self.document.key_marks[(*path, key)]
                raise self.fail(key_node, f"duplicate key '{key}' (first at line {first[0]})")
            self.document.key_marks[(*path, key)] = key_mark
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def scalar(self, node: ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag == _STR:
            return value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            if value.lower() not in ("true", "false"):
                raise self.fail(node, f"{value!r} is not true or false")
            return value.lower() == "true"
        if tag == _INT:
            try:
                return int(value.replace("_", ""))
            except ValueError:
                raise self.fail(node, f"{value!r} is not a whole number") from None
        if tag == _FLOAT:
            text = value.replace("_", "").lower()
            if text.endswith((".inf", ".nan")):
                text = text.replace(".", "")
            try:
                return float(text)
            except ValueError:
                raise self.fail(node, f"{value!r} is not a number") from None
        raise self.fail(node, f"the tag {_short_tag(tag)} is not allowed "
                              "(only plain YAML values: text, numbers, true/false, lists, maps)")


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Proposal files named by the user: files as given, folders' *.yaml/*.yml (not recursive)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir()
                              if p.suffix.lower() in YAML_SUFFIXES and p.is_file())
        else:
            yield path
