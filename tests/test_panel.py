"""Evaluation panels: members' ratings read, scored by levels, aggregated, disagreements flagged."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.api import compare_files, load_criteria, load_proposals
from evaluator.errors import CriteriaError, InputError
from evaluator.model.panel import Member, Panel, PanelSettings, load_panel
from evaluator.model.rules import Levels
from evaluator.render.data import comparison_data
from evaluator.render.text.evidence import explanation
from evaluator.render.text.notes import notes_text
from evaluator.render.text.panel import consensus_text, extremes
from evaluator.scoring.consensus import aggregate, consolidate
from evaluator.scoring.engine import evaluate
from evaluator.scoring.results import Comparison, LeafScore
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS, ROOT
from tests.helpers import criteria_from, offer

SCALE = Levels(
    (
        ("outstanding", 100.0),
        ("good", 75.0),
        ("acceptable", 50.0),
        ("marginal", 25.0),
        ("unacceptable", 0.0),
    )
)

# Two judgements, each scored on the five-level scale; the base weight 1 keeps the
# criterion's score equal to the judgement's score when it is alone.
PANEL_CRITERIA = """\
id: test
currency: MYR
{settings}
criteria:
  - id: trust
    weight: 1
    subcriteria:
      - id: sincerity
        weight: 1
        field: panel.sincerity
        rule:
          type: levels
          levels: {{outstanding: 100, good: 75, acceptable: 50, marginal: 25, unacceptable: 0}}
      - id: realism
        weight: 1
        field: panel.schedule_realism
        rule: {{type: levels, levels: {{high: 100, fair: 50, low: 0}}}}
"""


def panel_criteria(settings: str = "", missing: str = "") -> object:
    return criteria_from(PANEL_CRITERIA.format(settings=settings + missing))


def panel_of(**members: dict[str, dict[str, str]]) -> Panel:
    """A panel from member label -> proposal -> judgement -> level."""
    return Panel(
        "panel",
        tuple(
            Member(label, f"panel/{label}.yaml", "", ratings)
            for label, ratings in sorted(members.items())
        ),
    )


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def leaf(comparison: Comparison, ident: str, leaf_id: str = "sincerity") -> LeafScore:
    e = next(e for e in comparison.evaluations if e.id == ident)
    return next(x for c in e.criteria for x in c.leaves if x.id == leaf_id)


# --- aggregation at its edges ---------------------------------------------------------------


def test_median_of_an_odd_count_is_the_middle_score() -> None:
    assert aggregate([100, 25, 75], "median") == 75


def test_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    assert aggregate([25, 75], "median") == 50
    assert aggregate([0, 100, 25, 75], "median") == 50  # middle two 25 and 75
    assert aggregate([75, 75, 100, 0], "median") == 75


def test_one_member_is_the_whole_panel() -> None:
    assert aggregate([25], "median") == 25
    assert aggregate([25], "mean") == 25


def test_mean_counts_every_score() -> None:
    assert aggregate([100, 25, 75], "mean") == pytest.approx(200 / 3)
    assert aggregate([0, 0, 0, 100], "mean") == 25


def test_nothing_to_aggregate_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="no scores"):
        aggregate([], "median")
    with pytest.raises(ValueError, match="unknown aggregate"):
        aggregate([1], "mode")


def test_no_rating_from_anyone_consolidates_to_nothing() -> None:
    panel = panel_of(A={"italy": {"sincerity": "good"}}, B={})
    assert consolidate(panel, "turkiye", "sincerity", SCALE, PanelSettings()) is None
    assert consolidate(panel, "italy", "realism", SCALE, PanelSettings()) is None
    assert consolidate(Panel("panel"), "italy", "sincerity", SCALE, PanelSettings()) is None


def test_consensus_lists_each_member_and_who_did_not_rate() -> None:
    panel = panel_of(
        A={"italy": {"sincerity": "good"}},
        B={},
        C={"italy": {"sincerity": "outstanding"}},
        D={"italy": {"sincerity": "good"}},
    )
    consensus = consolidate(panel, "italy", "sincerity", SCALE, PanelSettings())
    assert consensus is not None
    assert [(r.member, r.level, r.score) for r in consensus.ratings] == [
        ("A", "good", 75),
        ("C", "outstanding", 100),
        ("D", "good", 75),
    ]
    assert consensus.absent == ("B",)
    assert consensus.score == 75 and consensus.spread == 25
    assert consensus_text(consensus) == (
        "A good 75, C outstanding 100, D good 75 → median 75; spread 25; not rated by B"
    )


def test_mean_aggregate_in_the_explanation() -> None:
    panel = panel_of(
        A={"x": {"sincerity": "good"}},
        B={"x": {"sincerity": "outstanding"}},
        C={"x": {"sincerity": "good"}},
    )
    consensus = consolidate(panel, "x", "sincerity", SCALE, PanelSettings("mean"))
    assert consensus is not None
    assert consensus.score == pytest.approx(250 / 3)
    assert consensus_text(consensus) == (
        "A good 75, B outstanding 100, C good 75 → mean 83.33; spread 25"
    )


# --- disagreement thresholds ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "threshold", "flagged"),
    [
        (("outstanding", "acceptable"), 50, True),  # spread 50: exactly at the threshold
        (("good", "acceptable"), 50, False),  # spread 25
        (("outstanding", "acceptable"), 50.01, False),  # just below a threshold of 50.01
        (("outstanding", "unacceptable"), 100, True),  # the largest possible spread
        (("good", "good"), 50, False),
    ],
)
def test_disagreement_from_the_threshold_up(
    levels: tuple[str, str], threshold: float, flagged: bool
) -> None:
    panel = panel_of(A={"x": {"sincerity": levels[0]}}, B={"x": {"sincerity": levels[1]}})
    consensus = consolidate(panel, "x", "sincerity", SCALE, PanelSettings("median", threshold))
    assert consensus is not None and consensus.disagreement is flagged


def test_a_spread_at_the_threshold_is_not_lost_to_float_noise() -> None:
    levels = Levels((("high", 20.2), ("low", 0.1)))
    panel = panel_of(A={"x": {"j": "high"}}, B={"x": {"j": "low"}})
    assert 20.2 - 0.1 < 20.1  # binary floating point: 20.099999999999998
    consensus = consolidate(panel, "x", "j", levels, PanelSettings("median", 20.1))
    assert consensus is not None and consensus.disagreement


def test_one_member_never_disagrees() -> None:
    panel = panel_of(A={"x": {"sincerity": "unacceptable"}})
    consensus = consolidate(panel, "x", "sincerity", SCALE, PanelSettings("median", 0.001))
    assert consensus is not None and consensus.spread == 0 and not consensus.disagreement


def test_highest_and_lowest_name_every_member_at_the_extremes() -> None:
    panel = panel_of(
        A={"x": {"sincerity": "outstanding"}},
        B={"x": {"sincerity": "marginal"}},
        C={"x": {"sincerity": "outstanding"}},
        D={"x": {"sincerity": "good"}},
    )
    consensus = consolidate(panel, "x", "sincerity", SCALE, PanelSettings())
    assert consensus is not None
    assert extremes(consensus) == "A, C outstanding (100), B marginal (25)"


LEVEL_NAMES = [name for name, _ in SCALE.levels]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(LEVEL_NAMES), min_size=1, max_size=9),
    st.sampled_from(["median", "mean"]),
    st.floats(min_value=0.5, max_value=100),
    st.randoms(),
)
def test_consensus_invariants(
    levels: list[str], how: str, threshold: float, shuffle: object
) -> None:
    """Within the members' scores, whatever the order of members; flagged iff spread ≥ threshold."""
    ratings = {f"M{i}": {"x": {"sincerity": level}} for i, level in enumerate(levels)}
    settings_ = PanelSettings(how, threshold)
    consensus = consolidate(panel_of(**ratings), "x", "sincerity", SCALE, settings_)
    assert consensus is not None
    scores = [score for level in levels for name, score in SCALE.levels if name == level]
    assert min(scores) <= consensus.score <= max(scores)
    assert consensus.spread == max(scores) - min(scores)
    assert consensus.disagreement is (consensus.spread >= threshold)
    labels = list(ratings)
    shuffle.shuffle(labels)  # type: ignore[attr-defined]
    renamed = {f"N{j}": ratings[label] for j, label in enumerate(labels)}
    again = consolidate(panel_of(**renamed), "x", "sincerity", SCALE, settings_)
    assert again is not None and again.score == pytest.approx(consensus.score)


# --- scoring with a panel ---------------------------------------------------------------------


def test_consolidated_scores_feed_the_criterion() -> None:
    criteria = panel_criteria()
    panel = panel_of(
        A={"x": {"sincerity": "good", "schedule_realism": "high"}},
        B={"x": {"sincerity": "outstanding", "schedule_realism": "high"}},
        C={"x": {"sincerity": "good", "schedule_realism": "high"}},
    )
    comparison = evaluate([offer("x")], criteria, panel=panel)  # type: ignore[arg-type]
    sincerity, realism = leaf(comparison, "x"), leaf(comparison, "x", "realism")
    assert (sincerity.value, sincerity.score) == (75, 75)
    assert (realism.value, realism.score) == (100, 100)
    assert explanation(sincerity) == (
        "A good 75, B outstanding 100, C good 75 → median 75; spread 25"
    )
    assert sincerity.panel is not None and sincerity.rule == "levels"
    # 0.5 × 75 + 0.5 × 100
    assert comparison.evaluations[0].total == pytest.approx(87.5)
    assert notes_text(comparison.evaluations[0].warnings) == []
    assert comparison.notes == []


def test_disagreement_warns_naming_proposal_judgement_and_members() -> None:
    criteria = panel_criteria()
    panel = panel_of(
        A={"x": {"sincerity": "good", "schedule_realism": "high"}},
        B={"x": {"sincerity": "outstanding", "schedule_realism": "low"}},
        C={"x": {"sincerity": "acceptable", "schedule_realism": "fair"}},
    )
    comparison = evaluate([offer("x")], criteria, panel=panel)  # type: ignore[arg-type]
    assert notes_text(comparison.evaluations[0].warnings) == [
        "panel disagreement on sincerity for x: B outstanding (100), C acceptable (50); "
        "spread 50 (disagreement from 50)",
        "panel disagreement on schedule_realism for x: A high (100), B low (0); "
        "spread 100 (disagreement from 50)",
    ]


def test_the_criteria_file_sets_aggregate_and_threshold() -> None:
    criteria = panel_criteria("panel: {aggregate: mean, disagreement: 60}")
    panel = panel_of(A={"x": {"sincerity": "outstanding"}}, B={"x": {"sincerity": "acceptable"}})
    comparison = evaluate([offer("x")], criteria, panel=panel)  # type: ignore[arg-type]
    assert leaf(comparison, "x").score == 75  # mean of 100 and 50
    # A spread of 50 is below 60: no disagreement, only the unrated judgement is warned of.
    assert notes_text(comparison.evaluations[0].warnings) == [
        "panel.schedule_realism is missing: no panel member rated x; trust.realism scores 0"
    ]


def test_nobody_rated_it_is_missing_and_scores_zero_with_a_warning() -> None:
    criteria = panel_criteria()
    panel = panel_of(A={"x": {"sincerity": "good"}}, B={"y": {"sincerity": "good"}})
    comparison = evaluate(
        [offer("x"), offer("y")],
        criteria,  # type: ignore[arg-type]
        panel=panel,
    )
    realism = leaf(comparison, "x", "realism")
    assert realism.missing and realism.value is None and realism.score == 0
    assert explanation(realism) == "missing (no panel member rated it): scored 0"
    assert notes_text(comparison.evaluations[0].warnings) == [
        "panel.schedule_realism is missing: no panel member rated x; trust.realism scores 0"
    ]
    assert explanation(leaf(comparison, "x")) == "A good 75 → median 75; spread 0; not rated by B"


def test_missing_error_policy_applies_to_judgements() -> None:
    criteria = panel_criteria(missing="missing: error")
    panel = panel_of(
        A={"x": {"sincerity": "good", "schedule_realism": "high"}, "y": {"sincerity": "good"}}
    )
    comparison = evaluate(
        [offer("x"), offer("y")],
        criteria,  # type: ignore[arg-type]
        panel=panel,
    )
    assert [e.id for e in comparison.evaluations] == ["x"]
    assert [str(p) for p in comparison.errors] == [
        "y.yaml: `panel.schedule_realism` is missing (no panel member rated it; the criteria "
        "file says `missing: error`)"
    ]


def test_without_a_panel_judgements_are_missing_and_one_caveat_says_so() -> None:
    criteria = panel_criteria()
    comparison = evaluate([offer("x"), offer("y")], criteria)  # type: ignore[arg-type]
    assert [c.as_dict() for c in comparison.caveats] == [
        {"code": "panel_missing", "judgements": ["sincerity", "schedule_realism"]}
    ]
    assert all(e.warnings == [] and e.total == 0 for e in comparison.evaluations)
    assert explanation(leaf(comparison, "x")) == "missing (no --panel given): scored 0"


def test_criteria_without_judgements_need_no_panel_caveat() -> None:
    criteria = load_criteria(DEFAULT_CRITERIA)
    plain = criteria_from(
        "id: t\ncurrency: MYR\ncriteria:\n  - {id: a, weight: 1, "
        "field: g2g.sovereign_guarantee, rule: {type: boolean}}\n"
    )
    assert evaluate([], plain).caveats == []
    assert [c.code for c in evaluate([], criteria).caveats] == ["panel_missing"]


def test_other_methods_use_the_consolidated_scores() -> None:
    criteria = panel_criteria()
    panel = panel_of(
        A={
            "x": {"sincerity": "good", "schedule_realism": "high"},
            "y": {"sincerity": "marginal", "schedule_realism": "low"},
        }
    )
    comparison = evaluate(
        [offer("x"), offer("y")],
        criteria,  # type: ignore[arg-type]
        method="topsis",
        panel=panel,
    )
    assert [e.id for e in comparison.evaluations] == ["x", "y"]
    assert comparison.evaluations[0].total == pytest.approx(100)  # the ideal on both columns


# --- the sample panel -------------------------------------------------------------------------


def test_the_sample_panel_by_hand() -> None:
    comparison = compare_files([PROPOSALS], load_criteria(DEFAULT_CRITERIA), panel=ROOT / "panel")
    assert comparison.errors == []
    # A, B, C: italy good, outstanding, acceptable (75, 100, 50) → median 75, spread 50 ≥ 50;
    # turkiye good, acceptable, outstanding (75, 50, 100) → median 75, spread 50 ≥ 50;
    # south-korea good three times (75) → 75, spread 0; direct-offer marginal, marginal,
    # unacceptable (25, 25, 0) → median 25, spread 25.
    assert leaf(comparison, "italy").score == 75
    assert leaf(comparison, "turkiye").score == 75
    assert leaf(comparison, "south-korea").score == 75
    assert leaf(comparison, "direct-offer").score == 25
    flagged = {
        e.id: [w for w in notes_text(e.warnings) if w.startswith("panel disagreement")]
        for e in comparison.evaluations
    }
    assert flagged == {
        "italy": [
            "panel disagreement on sincerity for italy: B outstanding (100), C acceptable "
            "(50); spread 50 (disagreement from 50)"
        ],
        "turkiye": [
            "panel disagreement on sincerity for turkiye: C outstanding (100), B acceptable "
            "(50); spread 50 (disagreement from 50)"
        ],
        "direct-offer": [],
        "south-korea": [],
    }


# --- panel files: reading and their errors ----------------------------------------------------


def load(
    folder: Path, proposals: tuple[str, ...] = ("italy", "turkiye"), **options: object
) -> tuple[Panel, list[str]]:
    panel, problems = load_panel(
        folder,
        panel_criteria(),
        proposals,  # type: ignore[arg-type]
        **options,
    )  # type: ignore[arg-type]
    return panel, [str(p) for p in problems]


def test_a_good_folder(tmp_path: Path) -> None:
    write(
        tmp_path,
        "b.yaml",
        """\
        member: B
        ratings:
          italy: {sincerity: good, schedule_realism: fair}
        """,
    )
    write(
        tmp_path,
        "a.yaml",
        """\
        member: "A"
        ratings:
          italy: {sincerity: outstanding}
          turkiye:                      # nothing: not rated
        """,
    )
    panel, problems = load(tmp_path)
    assert problems == []
    assert [m.label for m in panel.members] == ["A", "B"]
    assert panel.members[0].ratings == {"italy": {"sincerity": "outstanding"}}
    assert panel.ratings("italy", "sincerity") == [("A", "outstanding"), ("B", "good")]
    assert panel.members[1].file.endswith("b.yaml") and len(panel.members[1].sha256) == 64


def test_null_rating_is_an_abstention(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "member: A\nratings:\n  italy: {sincerity: null}\n")
    panel, problems = load(tmp_path)
    assert problems == [] and panel.members[0].ratings == {}


def test_errors_are_located_and_only_the_bad_ratings_count_for_nothing(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "member: A\nratings:\n  italy: {sincerity: good}\n")
    bad = write(
        tmp_path,
        "b.yaml",
        """\
        member: B
        ratings:
          itlay: {sincerity: good}
          turkiye: {sincerety: good}
          italy: {sincerity: gud, schedule_realism: 3}
        """,
    )
    write(
        tmp_path,
        "c.yaml",
        """\
        member: C
        ratings:
          turkiye: {schedule_realism: fair, sincerity: Good}
          italy: {sincerity: good}
        """,
    )
    panel, problems = load(tmp_path)
    # B and C still sit on the panel: only their ratings that cannot be read are left out.
    assert [m.label for m in panel.members] == ["A", "B", "C"]
    assert [dict(m.ratings) for m in panel.members] == [
        {"italy": {"sincerity": "good"}},
        {},
        {"turkiye": {"schedule_realism": "fair"}, "italy": {"sincerity": "good"}},
    ]
    assert [(d.member, d.line, d.proposal, d.judgement) for d in panel.dropped] == [
        ("B", 3, "itlay", None),
        ("B", 4, "turkiye", "sincerety"),
        ("B", 5, "italy", "sincerity"),
        ("B", 5, "italy", "schedule_realism"),
        ("C", 3, "turkiye", "sincerity"),
    ]
    assert problems[-1] == (
        f"{tmp_path / 'c.yaml'}:3:48: unknown level 'Good' for sincerity (did you mean "
        "`good`?); `trust.sincerity` scores: outstanding, good, acceptable, marginal, "
        "unacceptable"
    )
    problems.pop()
    assert problems == [
        f"{bad}:3:3: no proposal `itlay` in this run (did you mean `italy`?); the proposals "
        "are: italy, turkiye",
        f"{bad}:4:13: unknown judgement `sincerety` (did you mean `sincerity`?); the "
        "criteria score: sincerity, schedule_realism",
        f"{bad}:5:22: unknown level 'gud' for sincerity; `trust.sincerity` scores: "
        "outstanding, good, acceptable, marginal, unacceptable",
        f"{bad}:5:45: expected a level such as high, got the number 3",
    ]


def test_a_near_miss_level_gets_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "member: A\nratings:\n  italy: {sincerity: Good}\n")
    assert load(tmp_path)[1] == [
        f"{path}:3:22: unknown level 'Good' for sincerity (did you mean `good`?); "
        "`trust.sincerity` scores: outstanding, good, acceptable, marginal, unacceptable"
    ]


def test_duplicate_member_labels_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", "member: A\nratings:\n  italy: {sincerity: good}\n")
    second = write(tmp_path, "b.yaml", "member: A\nratings:\n  italy: {sincerity: marginal}\n")
    panel, problems = load(tmp_path)
    assert problems == [
        f"{second}:1:9: the member label `A` is already used by {first}; each "
        "member writes one file, under a label of their own"
    ]
    assert [(m.label, m.file) for m in panel.members] == [("A", str(first))]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a list\n", "1:1: expected a mapping of keys, got a list"),
        ("member: A\n", "1:1: missing required key `ratings`"),
        ("ratings: {}\n", "1:1: missing required key `member`"),
        ("member: A\nratings: {}\nscore: 3\n", "3:1: unknown key `score`"),
        ("member: A\nratings: [italy]\n", "2:10: expected a mapping of proposals, got a list"),
        ("member: ''\nratings: {}\n", "1:9: must not be empty"),
        (
            "member: true\nratings: {}\n",
            "1:9: expected text, got true (put it in quotes to keep it as text)",
        ),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "m.yaml", text)
    panel, problems = load(tmp_path)
    assert problems == [f"{path}:{message}"]
    assert panel.members == ()


def test_a_proposal_entry_that_is_not_a_mapping_loses_that_entry_only(tmp_path: Path) -> None:
    path = write(
        tmp_path, "m.yaml", "member: A\nratings:\n  italy: good\n  turkiye: {sincerity: good}\n"
    )
    panel, problems = load(tmp_path)
    assert problems == [f"{path}:3:10: expected a mapping of judgements, got the text 'good'"]
    assert [dict(m.ratings) for m in panel.members] == [{"turkiye": {"sincerity": "good"}}]
    assert [(d.proposal, d.judgement) for d in panel.dropped] == [("italy", None)]


def test_a_numeric_label_is_a_label(tmp_path: Path) -> None:
    write(tmp_path, "m.yaml", "member: 3\nratings: {}\n")
    assert [m.label for m in load(tmp_path)[0].members] == ["3"]


def test_criteria_without_judgements_reject_every_rating(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "member: A\nratings:\n  italy: {sincerity: good}\n")
    plain = criteria_from(
        "id: t\ncurrency: MYR\ncriteria:\n  - {id: a, weight: 1, "
        "field: g2g.sovereign_guarantee, rule: {type: boolean}}\n"
    )
    _, problems = load_panel(tmp_path, plain, ["italy"])
    assert [str(p) for p in problems] == [
        f"{path}:3:11: unknown judgement `sincerity`: the criteria in effect score no panel "
        "judgement (no `field: panel.<name>`)"
    ]


def test_other_proposals_and_unreadable_ones_are_not_errors(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        "member: A\nratings:\n  italy: {sincerity: good}\n  spain: {sincerity: good}\n",
    )
    assert load(tmp_path, ("italy",), unreadable={"spain"})[1] == []
    panel, problems = load(tmp_path, ("italy",), other_proposals=True)
    assert problems == [] and panel.members[0].ratings == {"italy": {"sincerity": "good"}}
    assert len(load(tmp_path, ("italy",))[1]) == 1


def test_no_folder_and_an_empty_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert load(missing)[1] == [
        f"{missing}: no such folder (--panel names the folder of the panel members' files)"
    ]
    assert load(tmp_path)[1] == [f"{tmp_path}: no panel files (*.yaml) in this folder"]


def test_a_broken_proposal_file_does_not_make_its_ratings_errors(tmp_path: Path) -> None:
    proposals = tmp_path / "proposals"
    proposals.mkdir()
    (proposals / "italy.yaml").write_bytes((PROPOSALS / "italy.yaml").read_bytes())
    (proposals / "turkiye.yaml").write_text("proposal: {country: [oops]}\n", encoding="utf-8")
    comparison = compare_files([proposals], load_criteria(DEFAULT_CRITERIA), panel=ROOT / "panel")
    assert [e.id for e in comparison.evaluations] == ["italy"]
    # The turkiye file's own error, and south-korea and direct-offer, not in this run.
    messages = [p.message for p in comparison.errors]
    assert len(messages) == 1 + 3 * 2  # three members each rate both absent proposals
    assert not any("`turkiye`" in m for m in messages[1:])


# --- criteria that use panels -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("panel: {aggregate: mode}", "3:20: unknown value 'mode'; expected one of: median, mean"),
        ("panel: {disagreement: 0}", "3:23: must be more than 0, got 0"),
        ("panel: {disagreement: 150}", "3:23: must be at most 100, got 150"),
        ("panel: {threshold: 50}", "3:9: unknown panel setting `threshold`"),
        ("panel: median", "3:8: expected a mapping of panel settings, got the text 'median'"),
    ],
)
def test_bad_panel_settings(settings: str, message: str) -> None:
    with pytest.raises(CriteriaError) as caught:
        panel_criteria(settings)
    assert [str(p) for p in caught.value.problems] == [f"criteria.yaml:{message}"]


def test_default_settings() -> None:
    settings = panel_criteria().panel  # type: ignore[attr-defined]
    assert settings == PanelSettings("median", 50.0)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "field: panel.sincerity, rule: {type: linear, best: 100, worst: 0}",
            "`panel.sincerity` is a panel judgement: score it with a levels rule (a score for each "
            "rating), not linear",
        ),
        (
            "field: panel.sincerity, rule: {type: boolean}",
            "`panel.sincerity` is a panel judgement: score it with a levels rule (a score for each "
            "rating), not boolean",
        ),
        (
            "field: 'panel.two words', rule: {type: levels, levels: {a: 1}}",
            "no proposal field `panel.two words`",
        ),
    ],
)
def test_judgement_fields_need_a_levels_rule(body: str, message: str) -> None:
    with pytest.raises(CriteriaError) as caught:
        criteria_from(f"id: t\ncurrency: MYR\ncriteria:\n  - {{id: a, weight: 1, {body}}}\n")
    assert [p.message for p in caught.value.problems] == [message]


def test_gates_and_credibility_cannot_read_a_judgement() -> None:
    text = """\
        id: t
        currency: MYR
        criteria:
          - id: a
            weight: 1
            credibility: {field: panel.sincerity, factors: {good: 1}}
            field: panel.sincerity
            rule: {type: levels, levels: {good: 100}}
        gates:
          - {id: g, field: panel.sincerity, require: {in: [good]}}
        """
    with pytest.raises(CriteriaError) as caught:
        criteria_from(text)
    assert [str(p) for p in caught.value.problems] == [
        "criteria.yaml:6:26: credibility needs a field with fixed values; `panel.sincerity` "
        "is a judgement field",
        "criteria.yaml:10:20: a gate cannot test `panel.sincerity`: a panel judgement is "
        "consolidated into a score; score it in a sub-criterion",
    ]


def test_a_proposal_cannot_carry_its_own_panel_section() -> None:
    with pytest.raises(InputError) as caught:
        offer("x", panel__sincerity="outstanding")
    assert "unknown section `panel`" in caught.value.problems[0].message


# --- JSON -------------------------------------------------------------------------------------


def test_json_shape() -> None:
    batch = load_proposals([PROPOSALS])
    criteria = load_criteria(DEFAULT_CRITERIA)
    panel, problems = load_panel(ROOT / "panel", criteria, [p.id for p in batch.proposals])
    assert problems == []
    data = comparison_data(evaluate(batch.proposals, criteria, panel=panel))
    italy = next(r for r in data["results"] if r["id"] == "italy")
    sincerity = italy["criteria"]["long_term_collaboration"]["subcriteria"]["sincerity"]
    assert sincerity == {
        "field": "panel.sincerity",
        "value": 75.0,
        "score": 75.0,
        "weight": 0.25,
        "rule": "levels",
        "explanation": "A good 75, B outstanding 100, C acceptable 50 → median 75; "
        "spread 50 (disagreement: 50 or more)",
        # The default criteria's credibility applies to the promises only
        # (partnership_years, local_jv_equity): the panel's judgement is not discounted,
        # though Italy's collaboration.commitment is mou (0.6).
        "discounted": False,
        "factor": 1.0,
        "panel": {
            "ratings": {"A": "good", "B": "outstanding", "C": "acceptable"},
            "scores": {"A": 75.0, "B": 100.0, "C": 50.0},
            "spread": 50.0,
            "disagreement": True,
            "aggregate": "median",
            "absent": [],
        },
    }
    partnership = italy["criteria"]["long_term_collaboration"]["subcriteria"]["partnership_years"]
    assert partnership["discounted"] is True and partnership["factor"] == 0.6
    top = data["panel"]
    assert top["folder"].endswith("panel") and top["aggregate"] == "median"
    assert top["disagreement"] == 50
    assert [m["member"] for m in top["members"]] == ["A", "B", "C"]
    assert top["disagreements"] == [
        {
            "id": "italy",
            "subcriterion": "long_term_collaboration.sincerity",
            "judgement": "sincerity",
            "spread": 50.0,
            "highest": ["B"],
            "lowest": ["C"],
        },
        {
            "id": "turkiye",
            "subcriterion": "long_term_collaboration.sincerity",
            "judgement": "sincerity",
            "spread": 50.0,
            "highest": ["C"],
            "lowest": ["B"],
        },
    ]


def test_json_without_a_panel() -> None:
    batch = load_proposals([PROPOSALS])
    data = comparison_data(evaluate(batch.proposals, load_criteria(DEFAULT_CRITERIA)))
    assert data["panel"] is None
    italy = data["results"][0]["criteria"]["long_term_collaboration"]["subcriteria"]
    assert italy["sincerity"]["missing"] is True and italy["sincerity"]["value"] is None
    assert italy["sincerity"]["panel"] == {
        "ratings": {},
        "scores": {},
        "spread": None,
        "disagreement": False,
        "absent": [],
    }
    assert "panel" not in italy["track_record"]
