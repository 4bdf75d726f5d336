"""Strict YAML: text to plain data, with the line and column of every value.

PyYAML's C parser composes the node tree; we build the data ourselves so that
the rules are ours, not YAML 1.1's: only `true`/`false` are booleans (so
`country: NO` stays the text "NO"), `1e6` and `12e7` are numbers, `_` may
separate digits, dates stay text until a field asks for one, duplicate keys
and non-text keys are errors, and no tag can construct a Python object.

Every limit here bounds work by the size of the file: the byte limit, the
nesting depth, and a budget on values built, which aliases (`*name`) and
merge keys (`<<`) spend like any other value so that a "billion laughs"
document fails fast instead of filling memory.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from evaluator.errors import InputError, Problem
from evaluator.messages import Message
from evaluator.messages import syntax as says

MAX_DEPTH = 64
# No real figure comes near 10^18; past it products of figures could overflow to
# infinity, and a typo (an extra exponent digit) is the likelier story.
MAX_NUMBER = 10**18

PathKey = tuple[str | int, ...]
Mark = tuple[int, int]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


# The tag the composer gives a plain (unquoted, untagged) scalar: its type is worked out
# by `_Builder`, which reads the number in the same step. Compared by identity, so no tag
# written in a file can pass for it.
_PLAIN = "tag:evaluator,plain"


class _StrictResolver(BaseResolver):
    """Tags for the nodes a file leaves untagged; `_Builder` types plain scalars."""

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        """The tag of a node the file gives none: `_PLAIN` for a plain scalar (typed later
        by `_implicit_tag`), text for a quoted one, else the sequence or mapping tag."""
        # Called back by the composer for every node of every file. Matching the typing
        # patterns here, then once more in `_Builder.number`, was a fifth of parsing.
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is SequenceNode else _MAP

    # Also called for every node, to follow path resolvers; there are none. (BaseResolver's
    # look for them each time: a tenth of composing.)
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Nothing: no path resolvers."""

    def ascend_resolver(self) -> None:
        """Nothing: no path resolvers."""


# A plain scalar's type, as YAML 1.2's core schema says: these words are booleans and
# nulls (a bare `key:` is null too), numbers are what the patterns say (leniently about
# `_`: see below), and everything else is text.
_WORDS = {word: _BOOL for word in ("true", "True", "TRUE", "false", "False", "FALSE")} | {
    word: _NULL for word in ("~", "null", "Null", "NULL", "")
}
_NUMBER_START = frozenset("-+0123456789.")
_LENIENT_INT = re.compile(r"[-+]?[0-9][0-9_]*")
_LENIENT_FLOAT = re.compile(
    r"""[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)
                                  (?:[eE][-+]?[0-9]+)?
                                |[-+]?\.(?:inf|Inf|INF)
                                |\.(?:nan|NaN|NAN)""",
    re.X,
)


def _implicit_tag(value: str) -> str:
    """The tag of a plain scalar (YAML 1.2 core schema, leniently about `_`)."""
    word = _WORDS.get(value)
    if word is not None:
        return word
    if value[:1] in _NUMBER_START:
        if _LENIENT_INT.fullmatch(value):
            return _INT
        if _LENIENT_FLOAT.fullmatch(value):
            return _FLOAT
    return _STR


# The typing above is lenient about `_` so that `1_` or `1__0` reach `_Builder.number`
# as numbers and get a clear message; these say what a number really is.
_DIGITS = r"[0-9]+(?:_[0-9]+)*"
_INT_TEXT = re.compile(rf"[-+]?{_DIGITS}")
_FLOAT_TEXT = re.compile(
    rf"[-+]?(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][-+]?[0-9]+)?"
)
_LIMIT_DIGITS = len(str(MAX_NUMBER))
_SPECIAL_FLOATS = {
    f"{sign}.{word}": float(f"{sign}{word}")
    for sign in ("", "+", "-")
    for word in ("inf", "Inf", "INF")
} | {f".{word}": float("nan") for word in ("nan", "NaN", "NAN")}
# Control characters can only come from escapes ("\x1b", "\0"): no real value
# holds one, and echoed in a message they would drive the user's terminal. Line
# separators would split a one-line message; bidirectional overrides can make a
# table show text in another order than it is stored ("Trojan source").
# Invisible characters (zero-width spaces and joiners, direction marks, a byte-order mark
# in a value) make two values that look the same differ (`country` and a zero-width joiner
# is not `country`), and a message quoting one cannot show why.
_INVISIBLE = "\u061c\u180e\u200b-\u200f\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb"
_CONTROL = re.compile(
    f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff{_INVISIBLE}]"
)
_INVISIBLE_CHARACTER = re.compile(f"[{_INVISIBLE}]")


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
    """One parsed YAML file: its data, its digest, and where each value stands.

    Where values stand is worked out only when a message needs it, by composing the kept
    text once more: most files have no problem, and recording a place for every value
    of every file was a third of the time of reading a large batch.
    """

    file: str
    data: Any
    sha256: str
    text: str = field(default="", repr=False)
    _marks: dict[PathKey, Mark] | None = field(default=None, repr=False)
    _key_marks: dict[PathKey, Mark] | None = field(default=None, repr=False)

    @property
    def marks(self) -> dict[PathKey, Mark]:
        """Line and column (1-based) of every value, by path."""
        if self._marks is None:
            self._find_marks()
        assert self._marks is not None
        return self._marks

    @property
    def key_marks(self) -> dict[PathKey, Mark]:
        """Line and column (1-based) of every mapping key, by the path of its value."""
        if self._key_marks is None:
            self._find_marks()
        assert self._key_marks is not None
        return self._key_marks

    def _find_marks(self) -> None:
        self._marks, self._key_marks = {}, {}
        if not self.text:
            return
        parser = _StrictParser(self.text)
        try:
            node = parser.get_single_node()
        finally:
            parser.dispose()
        if node is not None:  # the text parsed once already, so it parses again
            _Builder(self.file, len(self.text) // 2 + 1000, self._marks, self._key_marks).build(
                node
            )

    def locate(self, path: PathKey, *, key: bool = False) -> Mark | None:
        """Line and column of the value (or key) at `path`, else of its nearest ancestor."""
        table = self.key_marks if key else self.marks
        if path in table:
            return table[path]
        # The nearest ancestor, but not the document itself: "1:1" would point at nothing.
        marks = self.marks
        while len(path) > 1:
            path = path[:-1]
            if path in marks:
                return marks[path]
        return None

    def problem(self, path: PathKey, message: Message, *, key: bool = False) -> Problem:
        """A problem located at the value (or key) found at `path`."""
        mark = self.locate(path, key=key)
        if mark is None:
            return Problem(self.file, message)
        return Problem(self.file, message, mark[0], mark[1])


def parse_document(text: str, name: str, digest: str = "") -> Document:
    """Strictly parse YAML text that came from the file `name`."""
    if not text.strip(" \t\r\n"):  # blank: libyaml would call a tab in it a wrong token
        raise InputError.at(name, says.EMPTY)
    stray_bom = text.find("\ufeff", 1 if text.startswith("\ufeff") else 0)
    if stray_bom >= 0:
        line, column = _text_line_column(text, stray_bom)
        raise InputError([Problem(name, says.STRAY_BYTE_ORDER_MARK, line, column)])
    parser = _StrictParser(text)
    try:
        node = parser.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise InputError([_yaml_problem(name, text, exc)]) from None
    except yaml.reader.ReaderError as exc:
        raise InputError([_reader_problem(name, text, exc)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml raises only the two above
        raise InputError.at(name, says.NOT_VALID_YAML(problem=" ".join(str(exc).split()))) from None
    except RecursionError:  # only the pure-Python composer recurses without a limit
        raise InputError.at(name, says.TOO_DEEP(depth=MAX_DEPTH)) from None
    finally:
        parser.dispose()
    if node is None:
        raise InputError.at(name, says.EMPTY)
    # Without a control character or a backslash (an escape can write one) in the whole
    # text, no value can hold one: no need to look in each.
    clean = "\\" not in text and _CONTROL.search(text) is None
    builder = _Builder(name, budget=len(text) // 2 + 1000, clean=clean)
    # Without an alias (`*`), no value can contain itself: the shorter way will do.
    data = builder.plain(node, 0) if clean and "*" not in text else builder.build(node)
    return Document(name, data, digest, text)


def _text_line_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index, counting breaks as YAML does."""
    before = text[:index]
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return len(before.splitlines()) + (
        1 if before.endswith(("\n", "\r")) or not before else 0
    ), index - line_start + 1


def _reader_problem(name: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    # libyaml counts the position in bytes of UTF-8, Python in characters.
    index = len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
    line, column = _text_line_column(text, index)
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return Problem(name, says.CONTROL_CHARACTER_IN_FILE(code=character), line, column)


# libyaml's words for the usual slips, and what the user most likely did.
_HINTS = {
    "mapping values are not allowed in this context": says.MISPLACED_COLON,
    "did not find expected key": says.MISALIGNED,
    "could not find expected ':'": says.KEY_WITHOUT_COLON,
    "found unexpected end of stream": says.UNCLOSED,
    "did not find expected ',' or ']'": says.UNCLOSED_LIST,
    "did not find expected ',' or '}'": says.UNCLOSED_MAPPING,
}


def _yaml_problem(name: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or "not valid YAML").strip()
    context = (exc.context or "").strip()
    at = row = ""
    lines: list[str] = []
    if mark is not None:
        lines = text.splitlines()
        row = lines[mark.line] if mark.line < len(lines) else ""
        at = row[mark.column : mark.column + 1]
    long_key = _long_key(lines, exc)
    dedented = (
        _dedented_first_key(lines, mark.line)
        if mark is not None
        and problem
        in ("mapping values are not allowed in this context", "did not find expected key")
        else None
    )
    if long_key is not None:
        return Problem(name, says.KEY_TOO_LONG(limit=_LONGEST_KEY), *long_key)
    if dedented is not None:  # libyaml stops on the line after the one to fix
        line, column, after = dedented
        less = column - 1 < _indent(lines[after - 1])
        return Problem(
            name,
            (says.KEY_INDENTED_LESS if less else says.KEY_INDENTED_MORE)(line=after),
            line,
            column,
        )
    if problem == "did not find expected <document start>" and lines:
        top = next((i for i, line in enumerate(lines) if _significant(line)), 0)
        if _indent(lines[top]):  # the rest of the top level cannot follow it
            return Problem(name, says.FIRST_KEY_INDENTED, top + 1, _indent(lines[top]) + 1)
    message: Message
    if "tab" in problem or at == "\t":
        message = says.TAB
    elif problem == "second occurrence" and context.startswith("found duplicate anchor"):
        anchor = re.match(r"&([^\s,\[\]{}]+)", row[mark.column :] if mark else "")
        first = exc.context_mark
        shown = _shorten(anchor.group(1)) if anchor else ""
        message = (
            says.DUPLICATE_ANCHOR(name=shown, line=first.line + 1)
            if first is not None
            else says.DUPLICATE_ANCHOR_SOMEWHERE(name=shown)
        )
    elif problem == "did not find expected '-' indicator" and mark is not None:
        if row.lstrip(" ").startswith("-"):
            first_item = exc.context_mark.line + 1 if exc.context_mark else mark.line
            message = says.ITEM_MISALIGNED(line=first_item)
        else:
            above = next(
                (i + 1 for i in range(mark.line - 1, -1, -1) if _significant(lines[i])), mark.line
            )
            message = says.KEY_MISALIGNED(line=above)
    elif "expected a single document" in context or "but found another document" in problem:
        message = says.SECOND_DOCUMENT
    elif problem == "found undefined alias":
        message = says.UNDEFINED_ALIAS
    elif at == ":" and problem == "did not find expected key":
        message = says.COLON_WITHOUT_KEY_YAML
    elif problem == "found character that cannot start any token" and at:
        message = says.CANNOT_START_A_VALUE(character=at)
    elif problem == "exceeded maximum nesting depth":
        message = says.TOO_DEEP(depth=MAX_DEPTH)
    elif problem in _HINTS:
        message = _HINTS[problem]
    elif context:
        message = says.NOT_VALID_YAML_IN(problem=problem, context=context)
    else:
        message = says.NOT_VALID_YAML(problem=problem)
    if mark is None:  # pragma: no cover - libyaml always marks where it stopped
        return Problem(name, message)
    return Problem(name, message, mark.line + 1, mark.column + 1)


_LONGEST_KEY = 1024  # libyaml's limit for a key written without '?'
# `  key: value` (a value on the line), and a line that opens a block (`key:`, `- key:`).
_KEY_WITH_VALUE = re.compile(r" *(?:- +)?([^\s#'\"-][^:#]*):[ \t]+[^\s#]")
_OPENS_BLOCK = re.compile(r" *(?:- +)?[^\s#][^#]*:[ \t]*(?:#.*)?")


def _significant(line: str) -> bool:
    """A line that holds more than blanks and a comment."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _long_key(lines: list[str], exc: yaml.MarkedYAMLError) -> tuple[int, int] | None:
    """Line and column of a key longer than libyaml takes, if that is what stopped it (it
    says "could not find expected ':'" or "mapping values are not allowed")."""
    mark = exc.problem_mark
    if (
        mark is None
        or mark.line >= len(lines)
        or exc.problem
        not in ("could not find expected ':'", "mapping values are not allowed in this context")
    ):
        return None
    start = exc.context_mark
    if start is not None and start.line == mark.line and "simple key" in (exc.context or ""):
        column = start.column
    else:
        column = _indent(lines[mark.line])
    return (mark.line + 1, column + 1) if mark.column - column > _LONGEST_KEY else None


def _dedented_first_key(lines: list[str], row: int) -> tuple[int, int, int] | None:
    """(line, column, next line) of the first key of a mapping indented less (or more) than
    the keys after it: libyaml stops on the next key, as if that one were wrong. None when
    the next key is the likelier culprit (indented unlike the keys after it too)."""
    if row >= len(lines) or not _significant(lines[row]):
        return None
    above = [i for i in range(row - 1, -1, -1) if _significant(lines[i])][:2]
    if len(above) < 2:
        return None
    key, parent = above
    written = _KEY_WITH_VALUE.match(lines[key])  # `key: value`, or `- key: value`
    if written is None or not _OPENS_BLOCK.fullmatch(lines[parent]):
        return None
    column = written.start(1)
    if not (
        _indent(lines[parent]) < _indent(lines[key])
        and _indent(lines[parent]) < _indent(lines[row]) != column
    ):
        return None
    after = next((i for i in range(row + 1, len(lines)) if _significant(lines[i])), None)
    if (after is not None and _indent(lines[after]) == _indent(lines[row])) or _indent(
        lines[row]
    ) - _indent(lines[parent]) == _usual_step(lines, parent):
        return key + 1, column + 1, row + 1
    return None


def _usual_step(lines: list[str], besides: int) -> int:
    """The indentation the file most often gives a block under its key, the block under
    line `besides` (0-based) left out (2 when there is no other)."""
    steps: dict[int, int] = {}
    significant = [i for i, line in enumerate(lines) if _significant(line)]
    for i, below in itertools.pairwise(significant):
        if (
            i != besides
            and _OPENS_BLOCK.fullmatch(lines[i])
            and _indent(lines[below]) > _indent(lines[i])
        ):
            step = _indent(lines[below]) - _indent(lines[i])
            steps[step] = steps.get(step, 0) + 1
    return max(steps, key=lambda step: (steps[step], -step)) if steps else 2


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording marks."""

    def __init__(
        self,
        file: str,
        budget: int,
        marks: dict[PathKey, Mark] | None = None,
        key_marks: dict[PathKey, Mark] | None = None,
        clean: bool = False,
    ) -> None:
        self.file = file
        self.clean = clean  # the text has no control character that a value could hold
        self.budget = budget  # bounds alias and merge expansion ("billion laughs")
        self.active: set[int] = set()
        # Record where values stand only when asked: paths cost time on every value.
        self.marks = marks
        self.key_marks = key_marks

    def fail(self, node: Node, message: Message) -> InputError:
        mark = node.start_mark
        return InputError([Problem(self.file, message, mark.line + 1, mark.column + 1)])

    def spend(self, node: Node, depth: int) -> None:
        """Count one value against the budget and the depth limit."""
        self.budget -= 1
        if self.budget < 0:
            raise self.fail(node, says.TOO_MANY_VALUES)
        if depth > MAX_DEPTH:
            raise self.fail(node, says.TOO_DEEP(depth=MAX_DEPTH))

    def build(self, node: Node, path: PathKey = (), depth: int = 0) -> Any:
        self.spend(node, depth)
        if self.marks is not None:
            self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if node.tag not in (_SEQ, _MAP):
            raise self.fail(node, _tag_message(node.tag))
        if id(node) in self.active:  # pragma: no cover - libyaml cannot compose one
            raise self.fail(node, says.RECURSIVE_ALIAS)
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                if self.marks is None:
                    return [self.build(item, (), depth + 1) for item in node.value]
                return [
                    self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)
                ]
            if isinstance(node, MappingNode):
                return self.mapping(node, path, depth)
        finally:
            self.active.discard(id(node))
        raise self.fail(node, says.UNSUPPORTED_NODE)  # pragma: no cover

    def plain(self, node: Node, depth: int) -> Any:
        """`build` for a clean text without aliases, recording no marks: the same values
        and the same errors, with less work for each value. Anything out of the ordinary
        (a merge, a key that is not text, a duplicate key, a tag) goes the long way."""
        self.budget -= 1
        if self.budget < 0 or depth > MAX_DEPTH:
            self.budget += 1
            self.spend(node, depth)  # raises
        if isinstance(node, ScalarNode):
            tag, value = node.tag, node.value
            if tag is _PLAIN:  # typed here: text, or a number read in the same step
                if value[:1] in _NUMBER_START:
                    if _INT_TEXT.fullmatch(value):
                        return self.checked_number(node, whole=True)
                    if _FLOAT_TEXT.fullmatch(value):
                        return self.checked_number(node, whole=False)
                elif value not in _WORDS:
                    return value
                return self.scalar(node)
            return value if tag == _STR else self.scalar(node)
        if isinstance(node, MappingNode) and node.tag == _MAP:
            budget = self.budget
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key, tag = key_node.value, key_node.tag
                if tag is _PLAIN:  # text, unless a number or one of the words
                    tag = _implicit_tag(key) if key in _WORDS or key[:1] in _NUMBER_START else _STR
                if (
                    not isinstance(key_node, ScalarNode)
                    or tag != _STR
                    or key == "<<"
                    or key in result
                ):
                    self.budget = budget + 1  # the long way spends again, from here
                    return self.build(node, (), depth)
                result[key] = self.plain(value_node, depth + 1)
            return result
        if isinstance(node, SequenceNode) and node.tag == _SEQ:
            return [self.plain(item, depth + 1) for item in node.value]
        self.budget += 1
        return self.build(node, (), depth)

    def key(self, key_node: Node) -> str:
        """A mapping key, which must be text."""
        tag = _tag(key_node)
        if isinstance(key_node, ScalarNode) and tag == _NULL and not key_node.value:
            raise self.fail(key_node, says.COLON_WITHOUT_KEY)
        if not isinstance(key_node, ScalarNode):
            raise self.fail(key_node, says.KEY_NOT_TEXT_BUT_COLLECTION)
        if tag != _STR:
            raise self.fail(key_node, says.KEY_NOT_TEXT(key=_shorten(key_node.value)))
        self.text(key_node)
        key: str = key_node.value
        return key

    def mapping(self, node: MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: list[tuple[Node, Node]] = []
        key_marks = self.key_marks
        for key_node, value_node in node.value:
            key = self.key(key_node)
            merge = _is_merge(key_node)
            if key in result or (merge and merged):
                first = next(k for k, _ in node.value if k.value == key_node.value)
                raise self.fail(
                    key_node, says.DUPLICATE_KEY(key=_shorten(key), line=first.start_mark.line + 1)
                )
            where = (*path, key) if key_marks is not None else ()
            if key_marks is not None:
                key_marks[where] = _mark(key_node)
            if merge:
                merged = self.merge_sources(value_node, depth + 1, key_node)
            else:
                result[key] = self.build(value_node, where, depth + 1)
        # `<<: *defaults` fills in what the mapping does not say itself; the first
        # source listed wins over later ones, as in every YAML reader that merges.
        for key_node, value_node in merged:
            self.spend(key_node, depth + 1)
            key = self.key(key_node)
            if key not in result:
                where = (*path, key) if key_marks is not None else ()
                if key_marks is not None:
                    key_marks[where] = _mark(key_node)
                result[key] = self.build(value_node, where, depth + 1)
        return result

    def merge_sources(
        self, node: Node, depth: int, merge_key: Node, merging: frozenset[int] = frozenset()
    ) -> list[tuple[Node, Node]]:
        """The entries that `<<` merges in: of one mapping, or of a list of them, in order."""
        sources = node.value if isinstance(node, SequenceNode) and node.tag == _SEQ else [node]
        entries: list[tuple[Node, Node]] = []
        for source in sources:
            self.spend(source, depth)
            if not isinstance(source, MappingNode) or source.tag != _MAP:
                raise self.fail(source, says.MERGE_NOT_A_MAPPING)
            if id(source) in self.active or id(source) in merging:
                # Followed, it would merge forever (until the nesting limit said so).
                raise self.fail(merge_key, says.MERGE_INTO_ITSELF)
            own: list[tuple[Node, Node]] = []
            inherited: list[tuple[Node, Node]] = []
            for key_node, value_node in source.value:
                self.spend(key_node, depth)
                if _is_merge(key_node):
                    inherited.extend(
                        self.merge_sources(value_node, depth + 1, key_node, merging | {id(source)})
                    )
                else:
                    own.append((key_node, value_node))
            entries.extend(own + inherited)  # a source's own keys win over what it merges
        return entries

    def text(self, node: ScalarNode) -> str:
        """Text without control characters."""
        value: str = node.value
        if self.clean:
            return value
        control = _CONTROL.search(value)
        if control is not None:
            raise self.fail(node, _control_message(control.group()))
        return value

    def scalar(self, node: ScalarNode) -> Any:
        tag, value = _tag(node), node.value
        if tag == _STR:
            return self.text(node)
        if tag == _NULL:
            if value not in ("", "~", "null", "Null", "NULL"):
                raise self.fail(node, says.NOT_NULL(value=_shorten(value)))
            return None
        if tag == _BOOL:
            if value not in ("true", "True", "TRUE", "false", "False", "FALSE"):
                raise self.fail(node, says.NOT_TRUE_OR_FALSE(value=_shorten(value)))
            return value.lower() == "true"
        if tag in (_INT, _FLOAT):
            return self.number(node, whole=tag == _INT)
        raise self.fail(node, _tag_message(tag))

    def number(self, node: ScalarNode, *, whole: bool) -> int | float:
        """An integer or a float as YAML 1.2 writes them, with `_` between digits."""
        value: str = node.value
        if not whole and value in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[value]  # refused later wherever a finite number is needed
        pattern = _INT_TEXT if whole else _FLOAT_TEXT
        if not pattern.fullmatch(value):
            shown = _shorten(value)
            if pattern.fullmatch(value.replace("_", "")):
                raise self.fail(node, says.UNDERSCORE_MISPLACED(value=shown))
            raise self.fail(
                node, (says.NOT_A_WHOLE_NUMBER if whole else says.NOT_A_NUMBER)(value=shown)
            )
        return self.checked_number(node, whole=whole)

    def checked_number(self, node: ScalarNode, *, whole: bool) -> int | float:
        """`number` for text known to match `_INT_TEXT` (whole) or `_FLOAT_TEXT`."""
        value: str = node.value
        digits = value.replace("_", "") if "_" in value else value
        if whole or _INT_TEXT.fullmatch(digits):
            # Before int(), which refuses over 4,300 digits: leading zeros (any number of
            # them) are dropped first, so that only the digits that count are counted.
            if len(digits) > _LIMIT_DIGITS:
                significant = digits.lstrip("+-").lstrip("0")
                if len(significant) > _LIMIT_DIGITS:
                    raise self.too_large(node)
                digits = (
                    digits[0] + (significant or "0") if digits[0] in "+-" else significant or "0"
                )
            number: int | float = int(digits)
        else:
            number = float(digits)
            if number == 0 and re.split("[eE]", digits, maxsplit=1)[0].strip("+-.0"):
                raise self.fail(node, says.TOO_SMALL(value=_shorten(value)))
        if abs(number) > MAX_NUMBER:
            raise self.too_large(node)
        return number

    def too_large(self, node: ScalarNode) -> InputError:
        """The error for a number beyond what any figure here can mean."""
        return self.fail(node, says.TOO_LARGE(value=_shorten(node.value)))


def _control_message(character: str) -> Message:
    """Why a character found in a text value is refused."""
    if _INVISIBLE_CHARACTER.match(character):
        import unicodedata

        name = unicodedata.name(character, "")
        if name:
            return says.INVISIBLE_CHARACTER_NAMED(code=ord(character), name=name)
        return says.INVISIBLE_CHARACTER(code=ord(character))
    return says.CONTROL_CHARACTER(code=ord(character))


def _tag(node: Node) -> str:
    """A node's tag, a plain scalar's worked out from its text."""
    tag: str = node.tag
    return _implicit_tag(node.value) if tag is _PLAIN else tag


def number_value(text: str) -> int | float | None:
    """The number written as the files write one (`1_000`, `1e6`), or None when `text` is
    not one, is beyond 10^18, or is too small to tell from 0 (`1e-400`)."""
    if not is_number_text(text):
        return None
    digits = text.replace("_", "")
    if _INT_TEXT.fullmatch(digits):
        significant = digits.lstrip("+-").lstrip("0")
        if len(significant) > _LIMIT_DIGITS:
            return None
        number: int | float = int(significant or "0")
        if digits.startswith("-"):
            number = -number
    else:
        number = float(digits)
        if number == 0 and re.split("[eE]", digits, maxsplit=1)[0].strip("+-.0"):
            return None
    return number if abs(number) <= MAX_NUMBER else None


def is_number_text(text: str) -> bool:
    """Whether YAML text, unquoted, would be read as a number (as this loader reads them)."""
    return bool(_INT_TEXT.fullmatch(text) or _FLOAT_TEXT.fullmatch(text))


def _mark(node: Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _is_merge(node: Node) -> bool:
    """A plain `<<` key (a quoted "<<" is an ordinary key)."""
    return isinstance(node, ScalarNode) and node.value == "<<" and not node.style


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tag_message(tag: str) -> Message:
    return says.TAG_NOT_ALLOWED(tag=_shorten(_short_tag(tag)))


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag
