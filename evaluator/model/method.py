"""The aggregation methods, named in one place.

`Method` is a `StrEnum`: a member is the text it stands for (`Method.WSM == "wsm"`), so
it reads, compares, hashes and encodes as JSON exactly as the text does. Light on
purpose (the standard library's `enum` only): the command line may import it at start-up.
"""

from __future__ import annotations

from enum import StrEnum


class Method(StrEnum):
    """How the criterion scores of a proposal become its total."""

    WSM = "wsm"  # weighted sum of the 0-100 scores
    TOPSIS = "topsis"  # closeness to the ideal offer
    PROMETHEE = "promethee"  # PROMETHEE II net outranking flow


METHODS: tuple[Method, ...] = tuple(Method)
# `--method all`: every method side by side; totals and ranks stay the criteria file's.
ALL = "all"
