"""The JSON writer: what it writes reads back as the same data, laid out for people."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from evaluator.render.json import dumps

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(values)
def test_round_trips(value: Any) -> None:
    assert json.loads(dumps(value)) == value


def test_one_line_per_top_level_key_and_per_result() -> None:
    data = {
        "a": 1,
        "results": [{"id": "x", "gates": [{"id": "g", "passed": True}]}, {"id": "y"}],
        "empty": {},
        "none": [],
    }
    assert dumps(data) == (
        "{\n"
        '  "a": 1,\n'
        '  "results": [\n'
        '    {"id": "x", "gates": [{"id": "g", "passed": true}]},\n'
        '    {"id": "y"}\n'
        "  ],\n"
        '  "empty": {},\n'
        '  "none": []\n'
        "}"
    )


def test_text_is_not_escaped_to_ascii() -> None:
    assert dumps({"country": "Türkiye"}) == '{\n  "country": "Türkiye"\n}'
