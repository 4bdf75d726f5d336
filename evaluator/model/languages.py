"""Text a criteria file may give in two languages: `title: {en: ..., ms: ...}`.

A title or source is either text (one language, whichever it is written in) or a mapping
of a language code to the text in it: English (`en`) and Bahasa Malaysia (`ms`). The
model keeps both; `title` (or `source`) holds the English, else the Malay, and `titles`
every language given, as (code, text) pairs. A renderer picks the language it writes in
(`pick`, and `Criteria` as a whole by `evaluator.model.criteria.in_language`).
"""

from __future__ import annotations

from typing import Any

from evaluator.io.strict_yaml import PathKey
from evaluator.messages.criteria import NO_LANGUAGE_GIVEN
from evaluator.messages.values import KEY
from evaluator.model.checks import Checker

LANGUAGES = ("en", "ms")  # English first: the text a single-language reader shows
Texts = tuple[tuple[str, str], ...]  # (language code, text), in LANGUAGES order


def read_texts(check: Checker, path: PathKey, raw: Any) -> tuple[str | None, Texts]:
    """A text, or `{en: ..., ms: ...}` (one at least): the text shown by default (the
    English, else the Malay) and every language given; (None, ()) after a problem."""
    if not isinstance(raw, dict):
        return check.text(path, raw), ()
    body = check.mapping(path, raw, LANGUAGES, what=KEY)
    if body is None:
        return None, ()
    texts: list[tuple[str, str]] = []
    for code in LANGUAGES:
        if body.get(code) is not None:
            text = check.text((*path, code), body[code])
            if text is not None:
                texts.append((code, text))
    if not any(body.get(code) is not None for code in LANGUAGES):
        check.report(path, NO_LANGUAGE_GIVEN(languages=LANGUAGES))
    if not texts:
        return None, ()
    return texts[0][1], tuple(texts)


def pick(default: str, texts: Texts, lang: str) -> str:
    """The text in `lang`, else the default (the English, or the only text given)."""
    return next((text for code, text in texts if code == lang), default)
