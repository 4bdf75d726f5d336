"""Security classification of a report: the four levels of Malaysia's Official Secrets
Act 1972 (Akta Rahsia Rasmi, s. 2B) and the Arahan Keselamatan, lowest first.

A criteria file's `classification:` (or `--classification`) names one; the reports print
it at the top and bottom of every page (docs/report.md). The level is kept in its Malay
name, the marking itself; the English equivalents are accepted as input and read as the
Malay level (a policy choice: one marking per level, whatever the report's language).
"""

from __future__ import annotations

from typing import Any

LEVELS = ("TERHAD", "SULIT", "RAHSIA", "RAHSIA BESAR")
# The English equivalents (glossary: S27; RMAF manuals print RESTRICTED, S52).
ENGLISH = {
    "RESTRICTED": "TERHAD",
    "CONFIDENTIAL": "SULIT",
    "SECRET": "RAHSIA",
    "TOP SECRET": "RAHSIA BESAR",
}


def normalise(value: Any) -> Any:
    """A level as written (any case, any spacing, Malay or English) as its Malay marking;
    anything else unchanged (for the caller to report)."""
    if not isinstance(value, str):
        return value
    written = " ".join(value.split()).upper()
    return ENGLISH.get(written, written)


def level(value: Any) -> str | None:
    """The Malay marking of a level as written, or None when it names none."""
    marking = normalise(value)
    return marking if marking in LEVELS else None
