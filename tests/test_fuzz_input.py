"""Fuzzing the loader and the validators: whatever the input, only the tool's own errors.

A modest number of examples runs with every `pytest`, always the same ones
(derandomised, so a red run is reproducible). `make fuzz` raises the count through
EVALUATOR_FUZZ_EXAMPLES and draws new examples each time.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from evaluator.api import load_criteria
from evaluator.errors import EvaluatorError
from evaluator.io.files import load_document
from evaluator.io.strict_yaml import MAX_NUMBER, Document, parse_document
from evaluator.model.criteria import Criteria, parse_criteria
from evaluator.model.fields import SECTIONS
from evaluator.model.proposal import parse_proposal
from evaluator.scoring.engine import evaluate
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS

EXAMPLES = int(os.environ.get("EVALUATOR_FUZZ_EXAMPLES", "0")) or None
FUZZ = settings(
    max_examples=EXAMPLES or 75,
    deadline=None,
    derandomize=EXAMPLES is None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

# The samples in one file each, and Türkiye's technical envelope (a proposal on its own:
# every section but `pricing`); its financial envelope alone is not a proposal.
SAMPLES = [
    p.read_text(encoding="utf-8")
    for p in [*sorted(PROPOSALS.glob("*.yaml")), PROPOSALS / "turkiye" / "technical.yaml"]
]
CRITERIA_TEXT = DEFAULT_CRITERIA.read_text(encoding="utf-8")
# The edited criteria are named as the default criteria's file, so that their
# `requirements: requirements.yaml` is read beside them, as it is in use.
CRITERIA_NAME = str(DEFAULT_CRITERIA)
_criteria: list[Criteria] = []


def default_criteria() -> Criteria:
    if not _criteria:
        _criteria.append(load_criteria(DEFAULT_CRITERIA))
    return _criteria[0]


def check_problems(error: EvaluatorError, name: str, beside: bool = False) -> None:
    """Every problem is one line about the file, located inside it or not at all (with
    `beside`: or about a file beside it that it names, a criteria file's requirements)."""
    assert error.problems
    for problem in error.problems:
        assert problem.file == name or (
            beside and Path(problem.file).parent == Path(name).parent
        ), problem
        assert problem.line is None or (problem.line >= 1 and (problem.column or 0) >= 1)
        assert len(str(problem).splitlines()) == 1, str(problem)
        assert len(str(problem)) < 2_000


def check_values(values: Any) -> None:
    for value in values:
        if isinstance(value, float):
            assert math.isfinite(value) and abs(value) <= MAX_NUMBER
        elif isinstance(value, int) and not isinstance(value, bool):
            assert abs(value) <= MAX_NUMBER


def through_everything(text: str, name: str = "fuzz.yaml") -> None:
    """Parse as a proposal (then score it) and as a criteria file; only our errors."""
    try:
        document = parse_document(text, name)
    except EvaluatorError as error:
        check_problems(error, name)
        return
    as_proposal(document, name)
    as_criteria(document, name)


def as_proposal(document: Document, name: str) -> None:
    try:
        proposal = parse_proposal(document)
    except EvaluatorError as error:
        check_problems(error, name)
        return
    check_values(proposal.values.values())
    comparison = evaluate([proposal], default_criteria())
    for evaluation in comparison.evaluations:
        assert 0 <= evaluation.total <= 100
    for problem in comparison.errors:
        assert problem.file == name and len(str(problem).splitlines()) == 1


def as_criteria(document: Document, name: str) -> None:
    try:
        criteria = parse_criteria(document)
    except EvaluatorError as error:
        check_problems(error, name, beside=True)
        return
    proposals = [
        parse_proposal(parse_document(text, f"s{i}.yaml")) for i, text in enumerate(SAMPLES)
    ]
    try:
        comparison = evaluate(proposals, criteria)
    except EvaluatorError:  # e.g. a raw rule under wsm: the criteria file's fault, reported
        return
    for evaluation in comparison.evaluations:
        assert 0 <= evaluation.total <= 100 + 1e-9


# --- random text --------------------------------------------------------------------------

TOKENS = [
    "\n",
    "\n  ",
    "\n    ",
    "  ",
    " ",
    "\t",
    ": ",
    ":",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "? ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: ",
    "!!python/object/apply:os.system ",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!binary ",
    "!tag ",
    "! ",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "# c",
    "'",
    '"',
    '"\\x1b"',
    '"\\0"',
    '"\\u202e"',
    "|\n",
    ">-\n",
    "|+\n",
    "~",
    "null",
    "true",
    "yes",
    "NO",
    "1",
    "0",
    "-1",
    "1_000",
    "1_",
    "1e400",
    "1e-400",
    ".nan",
    "-.inf",
    "0x10",
    "12e7",
    "1.5",
    "99999999999999999999",
    "2025-02-30",
    "2025-05-13",
    "\ufeff",
    "\u2028",
    "\x85",
    "é",
    "国",
    "proposal",
    "pricing",
    "technical",
    "country",
    "currency",
    "EUR",
    "CHF",
    "quantity",
    "unit_price",
    "support_years",
    "level",
    "ip_rights",
    "criteria",
    "weight",
    "field",
    "rule",
    "type",
    "linear",
    "levels",
    "steps",
    "gates",
    "require",
    "id",
    "best",
    "worst",
    "pricing.unit_price",
    "exchange_rates",
    "credibility",
    "factors",
]
yamlish = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@FUZZ
@given(st.text(max_size=300))
def test_any_text(text: str) -> None:
    through_everything(text)


@FUZZ
@given(yamlish)
def test_yaml_like_text(text: str) -> None:
    through_everything(text)


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_from_a_file(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(data)
        try:
            document = load_document(path)
        except EvaluatorError as error:
            check_problems(error, str(path))
            return
        as_proposal(document, str(path))


# --- random edits of valid files ------------------------------------------------------------


@st.composite
def edited(draw: st.DrawFn, texts: list[str]) -> str:
    """A valid file with characters deleted, tokens inserted and lines moved about."""
    text = draw(st.sampled_from(texts))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "swap"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif action == "replace":
            text = text[:at] + draw(st.text(max_size=3)) + text[at + 1 :]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if action == "duplicate":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


@FUZZ
@given(edited(SAMPLES))
def test_edited_proposals(text: str) -> None:
    through_everything(text, "edited.yaml")


@FUZZ
@given(edited([CRITERIA_TEXT]))
def test_edited_criteria(text: str) -> None:
    try:
        document = parse_document(text, CRITERIA_NAME)
    except EvaluatorError as error:
        check_problems(error, CRITERIA_NAME)
        return
    as_criteria(document, CRITERIA_NAME)


# --- random values in the right places -------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        [
            "EUR",
            "MYR",
            "none",
            "use",
            "firm_fixed",
            "mou",
            "2025-05-13",
            "2025-13-01",
            "yes",
            "NO",
            "",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
field_names = st.sampled_from(
    [(section, key) for section, specs in SECTIONS.items() for key in specs]
    + [("technical", "range_nm"), ("nonsense", "x"), ("pricing", "qty")]
)


@FUZZ
@given(st.sampled_from(SAMPLES), st.lists(st.tuples(field_names, values), min_size=1, max_size=5))
def test_proposals_with_random_values(sample: str, changes: list[tuple[Any, Any]]) -> None:
    data = yaml.safe_load(sample)
    for (section, key), value in changes:
        body = data.setdefault(section, {})
        assume(isinstance(body, dict))
        body[key] = value
    text = yaml.safe_dump(data, allow_unicode=True)
    through_everything(text, "values.yaml")
