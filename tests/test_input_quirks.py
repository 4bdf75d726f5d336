"""Input read as a person means it: YAML's surprises turned into what the writer meant.

Each test states one rule of docs/input.md. The bad cases have their exact messages in
tests/corpus; here are the cases that must be *accepted*, and read the right way.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.errors import InputError
from evaluator.io.strict_yaml import parse_document
from evaluator.model.criteria import parse_criteria
from evaluator.render.text.rules import describe
from evaluator.scoring.engine import evaluate
from tests.conftest import ROOT
from tests.helpers import criteria_from, proposal_from, single_rule


def data(text: str) -> Any:
    """The plain data of a YAML text."""
    return parse_document(textwrap.dedent(text), "quirk.yaml").data


def problems(text: str) -> list[str]:
    """Every error line a proposal text produces."""
    with pytest.raises(InputError) as caught:
        proposal_from(text, "quirk.yaml")
    return [str(p) for p in caught.value.problems]


# --- YAML 1.1's booleans stay text --------------------------------------------------------


@pytest.mark.parametrize("word", ["NO", "No", "no", "yes", "Yes", "on", "OFF", "y", "n", "Y"])
def test_norway_and_other_yes_no_words_stay_text(word: str) -> None:
    proposal = proposal_from(f"proposal:\n  country: {word}\ntechnical:\n  armed: {word}\n")
    assert proposal.values["proposal.country"] == word
    assert proposal.values["technical.armed"] == word


@pytest.mark.parametrize(
    ("written", "meant"),
    [("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False)],
)
def test_only_true_and_false_are_booleans(written: str, meant: bool) -> None:
    proposal = proposal_from(f"proposal:\n  country: X\ng2g:\n  integrity_pact: {written}\n")
    assert proposal.values["g2g.integrity_pact"] is meant


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("yes", "(write true or false: yes is read as text)"),
        ("No", "(write true or false: No is read as text)"),
        ("on", "(write true or false: on is read as text)"),
        ('"true"', "(write it without quotes)"),
        ("certainly", "(only true and false are booleans)"),
    ],
)
def test_a_boolean_field_given_a_word_says_what_to_write(written: str, hint: str) -> None:
    shown = written.strip('"')
    assert problems(f"proposal:\n  country: X\ng2g:\n  integrity_pact: {written}\n") == [
        f"quirk.yaml:4:19: expected true or false, got the text '{shown}' {hint}"
    ]


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "120000000",
        "120_000_000",
        "1.2e8",
        "12e7",
        "1.2E+8",
        "120e6",
        "0.12e9",
        "120000000.0",
        "+120_000_000",
        "1_2_0_000_000",
        "!!int 120000000",
        "!!float 120_000_000",
    ],
)
def test_every_way_of_writing_a_number_means_the_same(written: str) -> None:
    proposal = proposal_from(
        f"proposal:\n  country: X\npricing:\n  currency: EUR\n  unit_price: {written}\n"
    )
    assert proposal.values["pricing.unit_price"] == 120_000_000


def test_the_same_offer_written_differently_scores_the_same() -> None:
    criteria = single_rule("pricing.acquisition_cost", "{type: linear, best: 1e9, worst: 3e9}")
    offers = [
        proposal_from(
            f"proposal:\n  country: X\npricing:\n  currency: EUR\n"
            f"  unit_price: {price}\n  quantity: {quantity}\n",
            f"o{i}.yaml",
        )
        for i, (price, quantity) in enumerate(
            [("120_000_000", "3"), ("1.2e8", "3.0"), ("12e7", "3e0")]
        )
    ]
    totals = {e.id: e.total for e in evaluate(offers, criteria).evaluations}
    assert len(set(totals.values())) == 1
    assert totals["o0"] == pytest.approx(100 * (3e9 - 5 * 3.6e8) / 2e9)


@pytest.mark.parametrize(
    ("written", "meant"),
    [("3", 3), ("3.0", 3), ("3e0", 3), ("1e3", 1000), ("010", 10), ("+4", 4), ("0_003", 3)],
)
def test_a_count_written_as_a_whole_number_in_any_form(written: str, meant: int) -> None:
    proposal = proposal_from(
        f"proposal:\n  country: X\npricing:\n  currency: EUR\n  quantity: {written}\n"
    )
    value = proposal.values["pricing.quantity"]
    assert value == meant and isinstance(value, int)  # 010 is ten, as YAML 1.2 reads it


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        (".5", 0.5),
        ("5.", 5.0),
        ("-0", 0),
        ("1e-3", 0.001),
        ("1_000.000_1", 1000.0001),
        ("1000000000000000000", 10**18),
        ("-1e18", -1e18),
    ],
)
def test_number_edges_that_are_fine(written: str, meant: float) -> None:
    assert data(f"x: {written}\n") == {"x": meant}


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0x10", "expected a number, got the text '0x10'"),
        ("0o17", "expected a number, got the text '0o17'"),
        (
            "1,000",
            "expected a number, got the text '1,000' (separate thousands with `_`, "
            "as in 120_000_000, or not at all)",
        ),
        (
            '"120 000 000"',
            "expected a number, got the text '120 000 000' (separate thousands "
            "with `_`, as in 120_000_000, or not at all)",
        ),
        ("'1_000'", "expected a number, got the text '1_000' (write it without quotes)"),
        (
            "1_",
            "'1_' is not a number as written: `_` goes only between digits, as in 1_000_000 "
            "(put it in quotes if you mean text)",
        ),
        ("_1", "expected a number, got the text '_1'"),
        (
            "1._5",
            "'1._5' is not a number as written: `_` goes only between digits, as in "
            "1_000_000 (put it in quotes if you mean text)",
        ),
        ("1000000000000000001", "the number 1000000000000000001 is too large (the limit is 10^18)"),
        ("1" * 5000, f"the number {'1' * 59}… is too large (the limit is 10^18)"),
        ("-.inf", "expected a finite number, got -.inf"),
        ("-.nan", "expected a number, got the text '-.nan'"),
    ],
)
def test_numbers_that_are_not(written: str, message: str) -> None:
    found = problems(
        f"proposal:\n  country: X\npricing:\n  currency: EUR\n  unit_price: {written}\n"
    )
    assert found == [f"quirk.yaml:5:15: {message}"]


def test_a_number_with_an_explicit_text_tag_is_text() -> None:
    assert data("year: !!str 2025\ncode: !!str 007\n") == {"year": "2025", "code": "007"}


# --- null is missing --------------------------------------------------------------------------


@pytest.mark.parametrize("empty", ["", " ~", " null", " Null", " NULL"])
def test_null_means_left_out(empty: str) -> None:
    proposal = proposal_from(
        f"proposal:\n  country: X\n  title:{empty}\npricing:\n"
        f"  currency: EUR\n  unit_price:{empty}\n"
    )
    assert "pricing.unit_price" not in proposal.values
    assert "proposal.title" not in proposal.values


def test_a_left_out_required_field_is_missing_even_as_null() -> None:
    assert problems("proposal:\n  country: null\n") == [
        "quirk.yaml:2:3: missing required field `country` in `proposal`"
    ]


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["2025-05-13", "'2025-05-13'", '"2025-05-13"'])
def test_a_date_quoted_or_not(written: str) -> None:
    proposal = proposal_from(f"proposal:\n  country: X\n  submitted: {written}\n")
    assert str(proposal.values["proposal.submitted"]) == "2025-05-13"


def test_a_date_in_a_text_field_stays_text() -> None:
    proposal = proposal_from("proposal:\n  country: X\n  title: 2025-05-13\n")
    assert proposal.values["proposal.title"] == "2025-05-13"


def test_leap_days_are_checked() -> None:
    assert proposal_from("proposal:\n  country: X\n  submitted: 2024-02-29\n")
    assert problems("proposal:\n  country: X\n  submitted: 2025-02-29\n") == [
        "quirk.yaml:3:14: not a valid date: '2025-02-29' (day is out of range for month)"
    ]


# --- file-level details: BOM, line endings, long lines, directives ----------------------------


def test_a_byte_order_mark_at_the_start_is_allowed() -> None:
    document = parse_document("\ufeffproposal:\n  country: X\n  lcoal: 1\n", "bom.yaml")
    assert document.data["proposal"]["country"] == "X"
    assert document.locate(("proposal", "lcoal"), key=True) == (3, 3)


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_windows_and_old_mac_line_endings_give_the_same_lines(newline: str) -> None:
    text = newline.join(
        ["proposal:", "  country: X", "pricing:", "  currency: EUR", "  quantity: three", ""]
    )
    assert problems(text) == ["quirk.yaml:5:13: expected a number, got the text 'three'"]


def test_text_in_a_block_scalar_keeps_its_lines_and_tabs() -> None:
    proposal = proposal_from(
        'proposal:\n  country: X\n  title: |\n    Line one\n    Line\ttwo\n  partner: "A\\tB"\n'
    )
    assert proposal.values["proposal.title"] == "Line one\nLine\ttwo\n"
    assert proposal.values["proposal.partner"] == "A\tB"


def test_a_very_long_line_is_read() -> None:
    title = "x" * 500_000
    assert (
        proposal_from(f"proposal:\n  country: X\n  title: {title}\n").values["proposal.title"]
        == title
    )


def test_a_long_value_is_cut_short_in_messages() -> None:
    found = problems(
        f"proposal:\n  country: X\npricing:\n  currency: EUR\n  quantity: {'z' * 10_000}\n"
    )
    assert found == [f"quirk.yaml:5:13: expected a number, got the text '{'z' * 59}…'"]


def test_unicode_text_is_fine() -> None:
    proposal = proposal_from(
        'proposal:\n  country: Türkiye\n  partner: 国防部 🚢\n  title: "\\u00c7elik"\n'
    )
    assert proposal.values["proposal.country"] == "Türkiye"
    assert proposal.values["proposal.partner"] == "国防部 🚢"
    assert proposal.values["proposal.title"] == "Çelik"


@pytest.mark.parametrize(
    "wrapper", ["---\n{}", "%YAML 1.2\n---\n{}", "{}...\n", "--- # offer\n{}---\n"]
)
def test_document_markers_and_directives(wrapper: str) -> None:
    body = "proposal:\n  country: X\n"
    if wrapper.endswith("---\n"):
        with pytest.raises(InputError, match="a file holds one document"):
            proposal_from(wrapper.format(body))
    else:
        assert proposal_from(wrapper.format(body)).values["proposal.country"] == "X"


# --- anchors, aliases and merge keys, used as intended ----------------------------------------


def test_an_alias_repeats_a_value() -> None:
    proposal = proposal_from(
        "proposal:\n  country: X\n  title: &name Littoral Mission Ship\n  programme: *name\n"
    )
    assert proposal.values["proposal.programme"] == "Littoral Mission Ship"


def test_a_merge_key_fills_in_what_the_mapping_leaves_out() -> None:
    assert data("""\
        base: &base {best: 1, worst: 2, type: linear}
        other: &other {best: 5, extra: 9}
        rule: {<<: [*base, *other], worst: 3}
    """)["rule"] == {"worst": 3, "best": 1, "type": "linear", "extra": 9}


def test_merged_values_are_located_where_they_are_written() -> None:
    document = parse_document("base: &base {best: 1, worst: x}\nrule:\n  <<: *base\n", "merge.yaml")
    assert document.locate(("rule", "worst")) == (1, 30)


def test_nested_merges_let_each_source_keep_its_own_keys() -> None:
    assert data("""\
        a: &a {x: 1, y: 1}
        b: &b {<<: *a, y: 2}
        c: {<<: *b}
    """)["c"] == {"x": 1, "y": 2}


def test_a_quoted_merge_key_is_an_ordinary_key() -> None:
    assert data('a: {"<<": 1}\n') == {"a": {"<<": 1}}


def test_a_merge_does_not_excuse_a_duplicate_key() -> None:
    with pytest.raises(InputError, match=r"^m.yaml:5:3: duplicate key 'x' \(first at line 3\)"):
        parse_document("a: &a {x: 1}\nb:\n  x: 2\n  <<: *a\n  x: 3\n", "m.yaml")


def test_a_criteria_file_can_share_rules_through_anchors() -> None:
    criteria = criteria_from("""\
        id: shared
        currency: MYR
        criteria:
          - id: cost
            weight: 1
            subcriteria:
              - id: price
                weight: 1
                field: pricing.unit_price
                rule: &cheaper {type: linear, best: 1e8, worst: 3e8}
              - id: lifecycle
                weight: 1
                field: pricing.lifecycle_cost
                rule: {<<: *cheaper, worst: 9e8}
              - id: acquisition
                weight: 1
                field: pricing.acquisition_cost
                rule: *cheaper
    """)
    rules = [describe(leaf.rule) for leaf in criteria.criteria[0].leaves]
    assert rules == [
        "linear: 100 at 100,000,000, 0 at 300,000,000",
        "linear: 100 at 100,000,000, 0 at 900,000,000",
        "linear: 100 at 100,000,000, 0 at 300,000,000",
    ]


def test_criteria_problems_are_all_listed_in_file_order() -> None:
    with pytest.raises(InputError) as caught:
        parse_criteria(
            parse_document(
                textwrap.dedent("""\
            id: bad
            currency: MYR
            criteria:
              - id: a
                weight: 0
                field: pricing.unit_prise
                rule: {type: linear, best: 1, worst: 1}
        """),
                "c.yaml",
            )
        )
    assert [str(p) for p in caught.value.problems] == [
        "c.yaml:5:13: must be more than 0, got 0",
        "c.yaml:6:12: no proposal field `pricing.unit_prise` (did you mean `pricing.unit_price`?)",
        "c.yaml:7:42: `best` and `worst` must differ",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (": Italy\n", "1:1: not valid YAML: a ':' with no key before it"),
        ("proposal:\n  : Italy\n", "2:3: not valid YAML: a ':' with no key before it"),
        ("proposal:\n  ? \n  : Italy\n", "2:4: a ':' with no key before it"),
        (
            'proposal:\n  country: "\\ud800"\n',
            "2:15: not valid YAML: found invalid Unicode "
            "character escape code (while parsing a quoted scalar)",
        ),
        (
            'proposal:\n  country: "It\\u202Ealy"\n',
            "2:12: a control character (U+202E) in text: remove it",
        ),
        (
            'proposal:\n  country: "It\\Laly"\n',
            "2:12: a control character (U+2028) in text: remove it",
        ),
        ("proposal:\n  country: Italy\n  title: !!str\n", None),
    ],
)
def test_yaml_slips_are_named_where_they_are(text: str, message: str | None) -> None:
    if message is None:
        assert parse_document(text, "slip.yaml").data["proposal"]["title"] == ""
        return
    with pytest.raises(InputError) as caught:
        parse_document(text, "slip.yaml")
    assert [str(p) for p in caught.value.problems] == [f"slip.yaml:{message}"]


@pytest.mark.parametrize(
    "given",
    [
        "proposals/italy.yaml",
        "./proposals/italy.yaml",
        "{root}/proposals/italy.yaml",
        "{root}/proposals/../proposals/italy.yaml",
        "{root}/italy.yaml",
        "/tmp/x/italy.yaml",
        "../elsewhere/italy.yaml",
        "proposals/../../x.yaml",
        "{root}/..",
        "{root}/.",
    ],
)
def test_a_file_is_named_as_the_working_folder_sees_it(
    given: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folders are worked out once for all their files; the name is what resolving the
    whole path against the working folder gives."""
    from evaluator.io.files import _relative, display_path

    monkeypatch.chdir(ROOT)
    path = Path(given.format(root=ROOT))
    expected = (
        str(path) if not path.is_absolute() and ".." not in path.parts else _relative(str(path))
    )
    assert display_path(path) == expected
    assert display_path(ROOT / "proposals" / "italy.yaml") == "proposals/italy.yaml"
    assert display_path(ROOT / "italy.yaml") == "italy.yaml"


def _both_ways(text: str) -> tuple[Any, Any]:
    """What the long and the short way of building make of a text: value or error."""
    from evaluator.io.strict_yaml import _Builder, _StrictParser

    outcomes = []
    for short in (False, True):
        parser = _StrictParser(text)
        try:
            node = parser.get_single_node()
        except Exception as exc:  # not YAML at all: the same for both
            return repr(exc), repr(exc)
        finally:
            parser.dispose()
        if node is None:  # an empty file, refused before building
            return None, None
        builder = _Builder("f.yaml", budget=len(text) // 2 + 1000, clean=True)
        try:
            outcomes.append(builder.plain(node, 0) if short else builder.build(node))
        except InputError as exc:
            outcomes.append(exc.problems)
    return outcomes[0], outcomes[1]


SHORT_WAY_CASES = [
    "a: 1\nb: [x, 2.5, true, null]\nc: {d: e}\n",
    "a: 1\na: 2\n",  # a duplicate key, found the long way
    "a: {b: 1, b: 2}\n",
    "base: {x: 1}\nm: {<<: {x: 2, y: 3}, z: 4}\n",  # a merge
    "'<<': quoted\n",
    "? [a, b]\n: c\n",  # a key that is not text
    "1: one\n",
    "a: !!python/name:os.system x\n",
    "a: !!binary aGk=\n",
    ": no key\n",
    "a: " + "[" * 70 + "]" * 70 + "\n",  # too deep
    "a: [" + ", ".join(["1"] * 5000) + "]\n",  # many values, within the budget
    "a: 1_000\nb: 1__0\nc: 1e400\nd: .nan\ne: 0x1F\n",
    "- a\n- {b: [c, {d: [e, {f: g}]}]}\n",
]


@pytest.mark.parametrize("text", SHORT_WAY_CASES)
def test_the_short_way_of_building_values_is_the_long_way(text: str) -> None:
    long, short = _both_ways(text)
    assert short == long


def test_the_short_way_agrees_on_every_corpus_file_and_sample() -> None:
    files = [
        *sorted((ROOT / "tests" / "corpus").rglob("*.yaml")),
        *sorted((ROOT / "proposals").glob("*.yaml")),
        ROOT / "criteria" / "default.yaml",
    ]
    assert len(files) > 100
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        if "*" in text or "\\" in text:
            continue  # these never take the short way
        long, short = _both_ways(text)
        assert short == long, path


# --- plain scalars typed while building, not while composing ------------------------------

# YAML 1.2 core schema as the composer's resolver matched it before typing moved into
# `_Builder` (lenient about `_`, as `_Builder.number` explains), by first character.
_EAGER_TYPES = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9][0-9_]*$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)"
        r"(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
        r"|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]


def _eagerly_typed(text: str) -> Any:
    """A text built the long way from nodes typed as the composer typed them before."""
    import re

    from yaml.nodes import ScalarNode, SequenceNode

    from evaluator.io.strict_yaml import _Builder, _StrictParser

    class Eager(_StrictParser):
        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, pattern, firsts in _EAGER_TYPES:
                        if value[:1] in firsts and re.match(pattern, value):
                            return tag
                return "tag:yaml.org,2002:str"
            return "tag:yaml.org,2002:" + ("seq" if kind is SequenceNode else "map")

    parser = Eager(text)
    try:
        node = parser.get_single_node()
    finally:
        parser.dispose()
    try:
        return _Builder("f.yaml", budget=len(text) // 2 + 1000).build(node)
    except InputError as exc:
        return exc.problems


def _read(text: str) -> Any:
    try:
        return parse_document(text, "f.yaml").data
    except InputError as exc:
        return exc.problems


SCALARS = [
    "12",
    "-12",
    "+0",
    "010",
    "1_000",
    "1__0",
    "1_",
    "_1",
    "1.5",
    ".5",
    "5.",
    "-.5e3",
    "1e5",
    "1E+5",
    "1e",
    "1.2.3",
    "1e400",
    "1e-400",
    "0e0",
    "0.0e-999",
    "1" * 25,
    "0" * 25 + "1",
    "-" + "1" * 19,
    ".inf",
    "-.Inf",
    "+.INF",
    ".nan",
    "-.nan",
    ".NaN",
    "true",
    "False",
    "TRUE",
    "tRue",
    "yes",
    "no",
    "NO",
    "null",
    "Null",
    "NULL",
    "~",
    "nil",
    "0x1F",
    "0o17",
    "1,000",
    "2025-01-31",
    "12:30",
    "- 1",
    "1 2",
    "+",
    "-",
    ".",
    "text",
    "n",
    "t",
    "f",
    "é1",
]
WRITTEN = [
    "{}",
    "'{}'",
    '"{}"',
    "!!str {}",
    "!!int {}",
    "!!float {}",
    "! {}",
    "!<tag:evaluator,plain> {}",
    "!!null {}",
    "!!bool {}",
]


def _typed_both_ways(text: str) -> None:
    try:
        expected = _eagerly_typed(text)
    except yaml.YAMLError:
        return  # not YAML at all (`a: -`, a list as a mapping's value): nothing to type
    assert _read(text) == expected, text


@pytest.mark.parametrize("written", WRITTEN)
def test_plain_scalars_are_typed_as_the_resolver_typed_them(written: str) -> None:
    for scalar in SCALARS:
        _typed_both_ways(f"a: {written.format(scalar)}\n{scalar}: key\nlist: [{scalar}]\n")
        _typed_both_ways(f"{written.format(scalar)}: key\n")


@given(st.text(alphabet="0123456789_.eE+-infatyNlu~ ", min_size=0, max_size=12))
@settings(max_examples=400, deadline=None)
def test_any_plain_scalar_is_typed_as_the_resolver_typed_it(scalar: str) -> None:
    _typed_both_ways(f"a: {scalar}\nb: [{scalar}]\n")


def test_no_tag_written_in_a_file_passes_for_a_plain_scalar() -> None:
    assert [str(p) for p in _read("a: !<tag:evaluator,plain> 12\n")] == [
        "f.yaml:1:4: the tag tag:evaluator,plain is not allowed (only plain YAML values: "
        "text, numbers, true/false, lists and mappings)"
    ]
