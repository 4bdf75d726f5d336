"""`--format json`: the result contract, byte-identical for the same inputs."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring
from typing import Any, TypeVar

from evaluator.render import RenderOptions
from evaluator.render.data import comparison_data, evaluation_data, flagged
from evaluator.scoring.results import Comparison, Evaluation

# Layout: one top-level key per line, and one line per item of a top-level list (each
# proposal's result, each error). Python's indenting encoder is pure Python and was most
# of the time of a 2,000-proposal run; the C encoder writes each line. One line per
# proposal also keeps the output greppable and its diffs per proposal; `jq .` (or
# `python -m json.tool`) indents it all for reading. The data are trees made afresh for
# each result: no need to check every list and dict for cycles (8% of encoding).
_line = json.JSONEncoder(
    ensure_ascii=False, separators=(", ", ": "), allow_nan=False, check_circular=False
).encode


def dumps(value: Any) -> str:
    """JSON laid out as above; any value, though the layout is meant for an object."""
    return "".join(_pieces(value, _NONE))


_T = TypeVar("_T", str, bytes)
_NONE: Mapping[str, Sequence[Sequence[str]]] = {}


def _pieces(value: Any, encoded: Mapping[str, Sequence[Sequence[_T]]]) -> list[str | _T]:
    """`dumps` in pieces, joined once: a large result is copied once, not once per level.

    `encoded` gives, for some keys of a list value, its elements already encoded (e.g. by
    worker processes), each in pieces that join into the element's `line` (as text, or
    as its UTF-8 bytes).
    """
    if not isinstance(value, dict) or not value:
        return [_line(value)]
    pieces: list[str | _T] = ["{\n"]
    for number, (key, item) in enumerate(value.items()):
        pieces.append((",\n  " if number else "  ") + encode_basestring(key) + ": ")
        given = encoded.get(key)
        elements: Sequence[Sequence[str | _T]] = (
            given
            if given is not None
            else [(_line(element),) for element in item]
            if isinstance(item, list)
            else []
        )
        if not elements:
            pieces.append(_line(item))
            continue
        for position, element in enumerate(elements):
            pieces.append(",\n    " if position else "[\n    ")
            pieces.extend(element)
        pieces.append("\n  ]")
    pieces.append("\n}")
    return pieces


def line(value: Any) -> str:
    """One element of a top-level list (one proposal's result), as `dumps` writes it."""
    return _line(value)


def render(comparison: Comparison, options: RenderOptions) -> str:
    """The comparison as JSON, keys in contract order."""
    pieces = _pieces(comparison_data(comparison), _NONE)
    pieces.append("\n")
    return "".join(pieces)


def render_encoded(
    comparison: Comparison,
    results: Sequence[Sequence[bytes]],
    disagreements: list[dict[str, Any]],
    evaluated: int,
) -> bytes:
    """As `render`, in UTF-8, for a comparison whose results were encoded elsewhere:
    `results` are their lines in UTF-8 (each in pieces that join into it), in result
    order, `disagreements` the panel's flags among them and `evaluated` their number."""
    return encoded_with(comparison_data(comparison, disagreements, evaluated), results)


def encoded_with(data: dict[str, Any], results: Sequence[Sequence[bytes]]) -> bytes:
    """A result object (its `results` empty) laid out as `render` does, in UTF-8, with the
    `results` encoded elsewhere (their lines in UTF-8, in pieces)."""
    pieces = _pieces(data, {"results": results})
    pieces.append("\n")
    return b"".join(piece.encode("utf-8") if isinstance(piece, str) else piece for piece in pieces)


# A result's line in UTF-8, in two pieces around its rank, and its panel flags.
ResultLine = tuple[bytes, bytes, list[dict[str, Any]]]
_RANK = b'"rank": '


def result_lines(evaluations: Sequence[Evaluation]) -> list[ResultLine]:
    """Each result's line, as `render` writes it, encoded before its rank is known (by a
    worker process: scoring.parallel) and cut around the rank for `render_ranked` to fill
    in: a JSON string escapes every `"`, so the first `"rank": ` of a line is the key.
    Lines stay UTF-8 from the workers to the output: pickling bytes is a copy, pickling
    text encodes it and unpickling decodes it."""
    data = [evaluation_data(evaluation) for evaluation in evaluations]  # stage by stage
    lines: list[ResultLine] = []
    for evaluation, item in zip(evaluations, data, strict=True):
        text = _line(item).encode("utf-8")
        cut = text.index(_RANK + b"null") + len(_RANK)
        lines.append((text[:cut], text[cut + len(b"null") :], flagged(evaluation)))
    return lines


def render_ranked(
    comparison: Comparison, results: Sequence[tuple[int | None, ResultLine]]
) -> bytes:
    """As `render`, in UTF-8, for a comparison whose results are `result_lines`, each with
    its rank, in result order."""
    lines, flags = ranked_lines(results)
    return render_encoded(comparison, lines, flags, len(results))


def ranked_lines(
    results: Sequence[tuple[int | None, ResultLine]],
) -> tuple[list[tuple[bytes, bytes, bytes]], list[dict[str, Any]]]:
    """`result_lines`, each with its rank (in result order), as the lines `encoded_with`
    writes, with the panel's flags among them."""
    lines = [
        (before, b"null" if rank is None else b"%d" % rank, after)
        for rank, (before, after, _) in results
    ]
    return lines, [flag for _, (_, _, found) in results for flag in found]
