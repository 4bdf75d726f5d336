"""The language words for people are written in (`--lang`, EVALUATOR_LANG, the locale).

English is the language of the source: its words are the gettext msgids, and an English
run imports nothing for them (`gettext` gives its argument back; start-up time is a tested
target). Another language is a standard gettext catalogue, made with Babel
(`evaluator/locale/LANG/LC_MESSAGES/evaluator.po`, extracted by `pybabel extract -F
babel.cfg`): the build compiles it to a `.mo` (hatch_build.py), read at run time with the
standard library's gettext. A checkout run from source with no `.mo` (or an older one than
its `.po`) reads the `.po` itself: the same catalogue, a few milliseconds more.

A fuzzy or empty translation is not used (the English stays): tests/test_i18n.py fails on
any msgid without a translation, so a release has none.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ParamSpec, Protocol, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")

LANGUAGES = ("en", "ms")  # English first: the default
ENVIRONMENT = "EVALUATOR_LANG"
# The locale's variables in the order gettext reads them.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
DOMAIN = "evaluator"
LOCALE = Path(__file__).resolve().parent.parent / "locale"


class _Catalogue(Protocol):
    def gettext(self, message: str) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


class _State:
    lang = "en"
    catalogue: _Catalogue | None = None  # None: English, the msgids as they are


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of a run with no --lang: EVALUATOR_LANG if set (it must be one of
    LANGUAGES), else the locale's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, the first set:
    Malay if it starts with `ms`), else English."""
    environ = os.environ if environ is None else environ
    chosen = environ.get(ENVIRONMENT, "").strip()
    if chosen:
        return chosen
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if not value:
            continue
        # LANGUAGE is a list (`ms:en`): its first language we have decides.
        for name in value.split(":") if variable == "LANGUAGE" else (value,):
            for lang in LANGUAGES:
                if name.lower().startswith(lang):
                    return lang
        if variable != "LANGUAGE":  # LC_ALL etc. set to another language: English
            return "en"
    return "en"


def set_language(lang: str) -> None:
    """Words from now on in `lang` (one of LANGUAGES; the caller has checked it)."""
    if lang not in LANGUAGES:
        raise ValueError(f"not a language of evaluator's: {lang!r}")
    _State.lang = lang
    _State.catalogue = None if lang == "en" else _load(lang)


def language() -> str:
    """The language words are written in (`en`, `ms`)."""
    return _State.lang


def in_english(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """`function` (a builder of the JSON or CSV contract, or of what the register stores)
    always in English, whatever the run's language: their strings are data that programs
    and the register's comparisons read, not prose."""

    @functools.wraps(function)
    def english(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        saved = _State.lang, _State.catalogue
        _State.lang, _State.catalogue = "en", None
        try:
            return function(*args, **kwargs)
        finally:
            _State.lang, _State.catalogue = saved

    return english


def gettext(message: str) -> str:
    """`message` (an English msgid) in the run's language; imported as `_` (the name
    Babel extracts: `from evaluator.render.i18n import gettext as _`)."""
    catalogue = _State.catalogue
    return message if catalogue is None else catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for `n`, in the run's language."""
    catalogue = _State.catalogue
    if catalogue is None:
        return singular if n == 1 else plural
    return catalogue.ngettext(singular, plural, n)


def N_(message: str) -> str:  # the gettext name: marks a msgid
    """Mark `message` for extraction (a constant worded where it is used, with `gettext`)."""
    return message


def catalogue_path(lang: str, suffix: str) -> Path:
    """Where the catalogue of `lang` is: `.po` (the source) or `.mo` (compiled)."""
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def _load(lang: str) -> _Catalogue:
    import gettext

    po, mo = catalogue_path(lang, ".po"), catalogue_path(lang, ".mo")
    try:
        if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
            with mo.open("rb") as file:
                return gettext.GNUTranslations(file)
    except OSError:  # pragma: no cover - unreadable: the .po is the same catalogue
        pass
    return _PoCatalogue(read_po(po))


class _PoCatalogue:
    """A catalogue read from a `.po` (no compiled `.mo` beside it)."""

    def __init__(self, entries: dict[str, Any]) -> None:
        self.entries = entries

    def gettext(self, message: str) -> str:
        found = self.entries.get(message)
        return found if isinstance(found, str) and found else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self.entries.get(singular)
        if isinstance(found, list) and all(found):
            return str(found[0] if len(found) == 1 or n == 1 else found[1])
        return singular if n == 1 else plural


def read_po(path: Path) -> dict[str, Any]:
    """A `.po` file's translations: msgid to msgstr (a list of forms for a plural entry);
    fuzzy entries and the header left out. Enough of the format for Babel's output."""
    entries: dict[str, Any] = {}
    entry: dict[str, Any] = {}
    fuzzy = False
    last = ""

    def done() -> None:
        nonlocal entry, fuzzy
        msgid = entry.get("msgid", "")
        if msgid and not fuzzy:
            if "msgstr[0]" in entry:
                forms, index = [], 0
                while f"msgstr[{index}]" in entry:
                    forms.append(entry[f"msgstr[{index}]"])
                    index += 1
                entries[msgid] = forms
            else:
                entries[msgid] = entry.get("msgstr", "")
        entry, fuzzy = {}, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            done()
        elif line.startswith("#,"):
            if "msgid" in entry:
                done()
            fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[last] += _unquote(line)
        else:
            key, _space, value = line.partition(" ")
            if key == "msgid" and "msgid" in entry:
                done()
            last = key
            entry[key] = _unquote(value)
    done()
    return entries


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    if "\\" not in body:
        return body
    out, index = [], 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            out.append(_ESCAPES.get(body[index + 1], body[index + 1]))
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)
