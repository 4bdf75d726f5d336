"""`evaluator explore` (#21): the re-ranking core against `compare --weights`, its speed,
the Textual app driven by its headless pilot, and `--weights-file`."""

from __future__ import annotations

import asyncio
import re
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from evaluator import api
from evaluator.analysis.explore import Explorer, percentages
from evaluator.cli.explore import ExploreApp, Session, explore_app, session_of
from evaluator.render import i18n
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS, ROOT
from tests.helpers import imported_after, unstaged_criteria

WEIGHTINGS = [
    {},
    {"pricing": 40},
    {"pricing": 10, "technical": 35},
    {"technology_transfer": 0},
    {"g2g_guarantees": 100},
]


def _explorer(criteria: Path = DEFAULT_CRITERIA) -> Explorer:
    return Explorer(api.compare([PROPOSALS], criteria=criteria, method="wsm").details)


@pytest.mark.parametrize("method", ["wsm", "topsis", "promethee"])
@pytest.mark.parametrize("staged", [True, False])
@pytest.mark.parametrize("panel", [None, ROOT / "panel"])
def test_a_step_gives_the_totals_of_compare_weights(
    method: str, staged: bool, panel: Path | None, tmp_path: Path
) -> None:
    criteria = DEFAULT_CRITERIA if staged else unstaged_criteria(tmp_path)
    explorer = Explorer(
        api.compare([PROPOSALS], criteria=criteria, method="wsm", panel=panel).details
    )
    framework = api.load_criteria(criteria)
    for what_if in WEIGHTINGS:
        used = framework.weights(what_if)
        weights = tuple(used[name] for name in explorer.criteria)
        view = explorer.view(weights, method)
        ref = api.compare(
            [PROPOSALS],
            criteria=criteria,
            weights=percentages(explorer.criteria, weights),
            method=method,
            panel=panel,
        ).details
        assert [r.id for r in view.rows] == [e.id for e in ref.evaluations], what_if
        for row, e in zip(view.rows, ref.evaluations, strict=True):
            assert row.total == pytest.approx(e.total, abs=1e-9), (what_if, row.id)
            assert row.rank == e.rank
            assert row.eligible == e.eligible
        if method == "wsm":
            for row in view.rows:
                assert sum(row.contributions) == pytest.approx(row.total, abs=1e-9)


def test_moving_one_weight_is_what_weights_does() -> None:
    explorer = _explorer()
    framework = api.load_criteria(DEFAULT_CRITERIA)
    moved = explorer.move(explorer.base, "pricing", 0.37)
    expected = framework.weights({"pricing": 37})
    assert moved == pytest.approx(tuple(expected[name] for name in explorer.criteria), abs=1e-12)
    # And from there another: the first keeps its proportion to the rest.
    again = explorer.move(moved, "technical", 0.30)
    assert again[1] / again[2] == pytest.approx(moved[1] / moved[2])
    assert sum(again) == pytest.approx(1.0)


def test_the_intervals_are_those_of_sensitivity() -> None:
    comparison = api.compare([PROPOSALS], method="wsm")
    analysis = api.sensitivity(comparison, samples=10)
    view = Explorer(comparison.details).view(Explorer(comparison.details).base)
    assert view.stability is not None
    for stability in view.stability:
        assert stability == analysis.stability[stability.criterion]
    assert view.winner == analysis.winner


@pytest.mark.parametrize("method", ["wsm", "promethee"])
def test_past_each_end_of_an_interval_the_named_offer_leads(method: str, tmp_path: Path) -> None:
    """The intervals are exact for both linear methods: just inside an end the winner
    holds, just past it the offer named there leads, in `compare --weights` itself."""
    criteria = unstaged_criteria(tmp_path)
    explorer = _explorer(criteria)
    view = explorer.view(explorer.base, method)
    assert view.stability is not None
    ends = 0
    for stability in view.stability:
        assert stability.winner is not None
        lo, hi = stability.winner
        for end, leader, sign in (
            (lo, stability.winner_below, -1),
            (hi, stability.winner_above, 1),
        ):
            if leader is None:
                continue
            ends += 1
            for t, expected in ((end - sign * 1e-4, view.winner), (end + sign * 1e-4, leader)):
                moved = explorer.move(explorer.base, stability.criterion, t)
                ref = api.compare(
                    [PROPOSALS],
                    criteria=criteria,
                    weights=percentages(explorer.criteria, moved),
                    method=method,
                ).details
                assert ref.winner is not None and ref.winner.id == expected, (stability, t)
    assert ends >= 2


def test_a_step_takes_under_20_ms_with_100_proposals(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate  # type: ignore[import-not-found]

    generate(100, tmp_path / "batch")
    criteria = unstaged_criteria(tmp_path / "c")  # every offer in one weighted evaluation
    comparison = api.compare([tmp_path / "batch"], criteria=criteria, method="wsm").details
    explorer = Explorer(comparison)
    assert len(explorer.ids) == 100
    for method in ("wsm", "topsis", "promethee"):
        explorer.view(explorer.base, method)  # PROMETHEE's flows per criterion: once
        weights, times = explorer.base, []
        for i in range(40):
            start = time.perf_counter()
            weights = explorer.move(weights, "pricing", weights[1] + (0.01 if i < 20 else -0.01))
            explorer.view(weights, method)
            times.append(time.perf_counter() - start)
        assert statistics.median(times) < 0.020, method


# The app, driven by Textual's headless pilot at 80 x 24.


def _session(
    tmp_path: Path, criteria: Path = DEFAULT_CRITERIA, weights: dict[str, float] | None = None
) -> Session:
    framework = api.load_criteria(criteria)
    save = tmp_path / "what-if.yaml"
    if framework.stages:
        staged = api.compare_stages([PROPOSALS], framework, weights=weights, method="wsm")
        return session_of(staged.final, "wsm", save, staged)
    details = api.compare([PROPOSALS], criteria=framework, weights=weights).details
    return session_of(details, "wsm", save)


def _drive(app: ExploreApp, steps: Callable[[Any], Awaitable[None]]) -> None:
    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await steps(pilot)

    asyncio.run(run())


def _screen_text(app: ExploreApp) -> str:
    """The screen's text, from Textual's own SVG screenshot."""
    svg = app.export_screenshot()
    lines = re.findall(r'<text class="[^"]*" x="[^"]*" y="([^"]*)"[^>]*>(.*?)</text>', svg)
    rows: dict[float, str] = {}
    for y, text in lines:
        rows[float(y)] = rows.get(float(y), "") + text
    import html

    return "\n".join(html.unescape(rows[y]).replace("\xa0", " ") for y in sorted(rows))


def test_pricing_down_until_the_winner_changes(tmp_path: Path) -> None:
    session = _session(tmp_path)
    app = ExploreApp(session)
    seen: dict[str, Any] = {}

    async def steps(pilot: Any) -> None:
        assert app.view_now.winner == "south-korea"
        await pilot.press("tab")  # the first slider has focus: Tab to pricing
        await pilot.press(*["left"] * 10)  # 24% -> 14%: south-korea holds down to 13.6%
        await pilot.pause()
        seen["before"] = (app.view_now.winner, list(app.announcements))
        await pilot.press("left")  # 13%: past the tipping point
        await pilot.pause()
        seen["after"] = (app.view_now.winner, list(app.announcements), _screen_text(app))
        await pilot.press("s")
        await pilot.pause()

    _drive(app, steps)
    assert seen["before"] == ("south-korea", [])
    winner, announced, screen = seen["after"]
    assert winner == "italy"
    assert announced == [
        "pricing 13.0%: italy takes first place from south-korea (tipping point 13.6%)"
    ]
    assert "italy takes first place from south-korea" in screen
    assert session.weights[1] == pytest.approx(0.13)
    assert session.saved is not None and session.saved["pricing"] == pytest.approx(13.0)


def test_pricing_up_until_the_winner_changes(tmp_path: Path, run_cli: Any) -> None:
    """The issue's walk the other way: from a weighting under which italy leads (pricing at
    10%), pricing pushed up until south-korea, the cheaper offer, takes first place; the
    saved weights give the same ranking in `compare`."""
    session = _session(tmp_path, weights={"pricing": 10})
    app = ExploreApp(session)
    seen: dict[str, Any] = {}

    async def steps(pilot: Any) -> None:
        seen["start"] = app.view_now.winner, _screen_text(app)
        await pilot.press("tab", "right", "right", "right")  # 13%: italy holds up to 13.6%
        await pilot.pause()
        seen["before"] = app.view_now.winner, list(app.announcements)
        await pilot.press("right")  # 14%
        await pilot.pause()
        seen["after"] = app.view_now.winner, list(app.announcements), _screen_text(app)
        seen["order"] = [r.id for r in app.view_now.rows]
        await pilot.press("s")
        await pilot.pause()

    _drive(app, steps)
    winner, screen = seen["start"]
    assert winner == "italy"
    assert re.search(r"▓ pricing +10\.0% .*┃.* >13\.6% south-korea", screen)
    assert seen["before"] == ("italy", [])
    winner, announced, screen = seen["after"]
    assert winner == "south-korea"
    assert announced == [
        "pricing 14.0%: south-korea takes first place from italy (tipping point 13.6%)"
    ]
    assert "south-korea takes first place from italy" in screen
    result = run_cli("compare", "--weights-file", str(tmp_path / "what-if.yaml"), "-f", "json")
    assert result.code == 0, result.err
    import json

    ranked = [p["id"] for p in json.loads(result.out)["results"]]
    assert ranked == seen["order"] == ["south-korea", "italy"]


def test_the_screen_in_malay_says_no_english_of_ours(tmp_path: Path) -> None:
    """`--lang ms`: the ranking, the sliders, the keys, the announcement and a score card
    in Bahasa Malaysia (what is English on both screens is names from the inputs)."""
    from tests.test_i18n import _english_left, _inputs

    def screens() -> list[str]:
        app = explore_app(_session(tmp_path))
        shots: list[str] = []

        async def steps(pilot: Any) -> None:
            await pilot.press("tab", *["left"] * 11)
            await pilot.pause()
            shots.append(_screen_text(app))
            await pilot.press("m")
            await pilot.pause()
            shots.append(_screen_text(app))
            await pilot.press("shift+tab", "shift+tab", "enter")  # the ranking's first row
            await pilot.pause()
            assert type(app.screen).__name__ == "ScoreCard"
            shots.append(_screen_text(app))

        _drive(app, steps)
        return shots

    english = screens()
    i18n.set_language("ms")
    try:
        malay = screens()
    finally:
        i18n.set_language("en")
    assert "Jumlah" in malay[0] and "Keluar" in malay[0]
    assert "mengambil tempat pertama daripada south-korea" in malay[0]
    for one, other in zip(english, malay, strict=True):
        assert one != other
        assert _english_left(one, other, _inputs()) == []


def test_the_saved_file_gives_the_same_ranking_in_compare(tmp_path: Path, run_cli: Any) -> None:
    session = _session(tmp_path)
    app = ExploreApp(session)
    order: list[str] = []

    async def steps(pilot: Any) -> None:
        await pilot.press("tab", *["left"] * 11, "s")
        await pilot.pause()
        order.extend(r.id for r in app.view_now.rows)

    _drive(app, steps)
    saved = tmp_path / "what-if.yaml"
    assert "weights:\n  technical: " in saved.read_text(encoding="utf-8")
    result = run_cli("compare", "--weights-file", str(saved), "--format", "json")
    assert result.code == 0, result.err
    import json

    ranked = [p["id"] for p in json.loads(result.out)["results"]]
    assert ranked == order == ["italy", "south-korea"]


def test_m_switches_the_method_and_enter_shows_a_score_card(tmp_path: Path) -> None:
    app = ExploreApp(_session(tmp_path))
    seen: dict[str, Any] = {}

    async def steps(pilot: Any) -> None:
        await pilot.press("m")
        await pilot.pause()
        seen["method"] = app.view_now.method
        seen["stability"] = app.view_now.stability
        seen["screen"] = _screen_text(app)
        await pilot.press("shift+tab", "enter")  # back to the ranking, first row
        await pilot.pause()
        seen["card"] = type(app.screen).__name__, _screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        seen["back"] = type(app.screen).__name__

    _drive(app, steps)
    assert seen["method"] == "topsis"
    assert seen["stability"] is None  # TOPSIS is not linear in the weights: no interval
    assert "no interval (topsis)" in seen["screen"]
    name, card = seen["card"]
    assert name == "ScoreCard"
    assert "south-korea: weighted-sum total 56.20" in card
    assert seen["back"] != "ScoreCard"


def test_a_click_on_a_track_sets_the_weight(tmp_path: Path) -> None:
    app = ExploreApp(_session(tmp_path))
    seen: list[float] = []

    async def steps(pilot: Any) -> None:
        # The track starts at column 25 and spans 25 cells, 0% to 100%: cell 12 is 50%.
        await pilot.click("#w-pricing", offset=(25 + 12, 0))
        await pilot.pause()
        seen.append(app.weights[1])
        await pilot.click("#w-pricing", offset=(25, 0))  # the track's first cell: 0%
        await pilot.pause()
        seen.append(app.weights[1])

    _drive(app, steps)
    assert seen == [pytest.approx(0.5), 0.0]


def test_the_screen_at_80_by_24(tmp_path: Path) -> None:
    app = ExploreApp(_session(tmp_path))
    seen: list[str] = []

    async def steps(pilot: Any) -> None:
        seen.append(_screen_text(app))

    _drive(app, steps)
    lines = seen[0].splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines)
    text = seen[0]
    assert re.search(r"★1 +south-korea +56\.20 +[█▓▒░▚]+ +✓", text)
    assert re.search(r"2 +italy +53\.92", text)
    assert "turkiye" in text and "✗ out at technical" in text
    assert "direct-offer" in text and "✗ out at financial" in text
    assert re.search(r"▓ pricing +24\.0% .*┃.* <13\.6% italy", text)
    assert re.search(r"░ g2g_guarantees +16\.0% .* holds 0-100%", text)


def test_an_ineligible_offer_is_marked(tmp_path: Path) -> None:
    app = ExploreApp(_session(tmp_path, unstaged_criteria(tmp_path / "c")))
    seen: list[str] = []

    async def steps(pilot: Any) -> None:
        seen.append(_screen_text(app))

    _drive(app, steps)
    assert re.search(r"— +\S+ +[\d.]+ .*✗ gate", seen[0])


def _colours(svg: str) -> set[str]:
    return set(re.findall(r"fill: (#[0-9a-f]{6})", svg))


def test_no_color_is_respected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shots: list[str] = []

    async def steps(pilot: Any) -> None:
        shots.append(pilot.app.export_screenshot())

    monkeypatch.delenv("NO_COLOR", raising=False)
    _drive(ExploreApp(_session(tmp_path)), steps)
    monkeypatch.setenv("NO_COLOR", "1")
    plain = ExploreApp(_session(tmp_path))
    _drive(plain, steps)
    assert plain.no_color

    def grey(colour: str) -> bool:  # rich's SVG frame draws in #c5c8c6, near enough
        rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        return max(rgb) - min(rgb) <= 8

    assert not all(grey(c) for c in _colours(shots[0]))
    assert all(grey(c) for c in _colours(shots[1]))


# The command.


@dataclass
class Headless:
    """`evaluator explore` run headless: the keys it presses, the screens it saw (at the
    start, and after the keys)."""

    keys: list[str] = field(default_factory=list)
    screens: list[str] = field(default_factory=list)


@pytest.fixture
def headless(monkeypatch: pytest.MonkeyPatch) -> Iterator[Headless]:
    """`evaluator explore` with the app run headless: it presses the keys listed."""
    made = Headless()
    run = ExploreApp.run

    def headless_run(self: ExploreApp, **_: Any) -> None:
        async def pilot(p: Any) -> None:
            await p.pause()
            made.screens.append(_screen_text(self))
            await p.press(*made.keys)
            await p.pause()
            made.screens.append(_screen_text(self))
            await p.press("q")

        run(self, headless=True, size=(80, 24), auto_pilot=pilot)

    monkeypatch.setattr(ExploreApp, "run", headless_run)
    monkeypatch.setattr("evaluator.cli.app._terminal", lambda: True)
    yield made


PROGRAMME = "CSS-26 coastal surveillance ships (hypothetical)"  # the samples'


def test_the_screen_says_the_weights_changed_after_bid_opening(
    headless: Headless, run_cli: Any, tmp_path: Path
) -> None:
    register = str(tmp_path / "runs.db")
    opened = run_cli("register", "open", "--programme", PROGRAMME, "--register", register)
    assert opened.code == 0, opened.err
    headless.keys.extend(["tab", "left"])
    result = run_cli("explore", "--register", register, "--save", str(tmp_path / "w.yaml"))
    assert result.code == 0, result.err
    start, moved = (" ".join(screen.split()) for screen in headless.screens)
    assert "bid opening" not in start  # the weights frozen at the opening
    assert (
        f"⚠ Criteria changed after bid opening: programme {PROGRAMME} was opened at run 1"
    ) in moved
    assert "this run's weights (a what-if) differ from those frozen then" in moved


def test_the_screen_says_the_criteria_changed_after_bid_opening(
    headless: Headless, run_cli: Any, tmp_path: Path
) -> None:
    import shutil

    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    approved = tmp_path / "criteria" / "default.yaml"
    approved.write_text(
        approved.read_text(encoding="utf-8").replace("pass_mark: 40", "pass_mark: 45", 1),
        encoding="utf-8",
    )
    register = str(tmp_path / "runs.db")
    opened = run_cli(
        "register", "open", "--programme", PROGRAMME, "--register", register,
        "--criteria", str(approved),
    )  # fmt: skip
    assert opened.code == 0, opened.err
    result = run_cli("explore", "--register", register, "--save", str(tmp_path / "w.yaml"))
    assert result.code == 0, result.err
    start = " ".join(headless.screens[0].split())
    assert "this run's criteria files differ from those frozen then" in start


def test_q_prints_the_weights_in_use(headless: Headless, run_cli: Any, tmp_path: Path) -> None:
    headless.keys.extend(["tab", "right", "right", "s"])
    save = tmp_path / "w.yaml"
    result = run_cli("explore", "--save", str(save))
    assert result.code == 0, result.err
    assert result.out.startswith("--weights technical=")
    assert "pricing=26," in result.out
    args = result.out.split()[1]
    again = run_cli("compare", "--weights", args, "--format", "json")
    from_file = run_cli("compare", "--weights-file", str(save), "--format", "json")
    import json

    totals = [p["total"] for p in json.loads(again.out)["results"]]
    assert totals == pytest.approx(
        [p["total"] for p in json.loads(from_file.out)["results"]], abs=1e-6
    )


def test_save_with_record_stores_the_run(headless: Headless, run_cli: Any, tmp_path: Path) -> None:
    headless.keys.extend(["tab", *["left"] * 11, "s"])
    register = tmp_path / "runs.db"
    result = run_cli(
        "explore", "--save", str(tmp_path / "w.yaml"), "--record", "--register", str(register)
    )
    assert result.code == 0, result.err
    assert "recorded run 1" in result.err
    runs = api.register_history(str(register))
    assert len(runs) == 1


def test_compare_does_not_import_textual() -> None:
    after = imported_after([["compare", "proposals"], ["sensitivity", "--help"]], ["textual"])
    assert after == [[False], [False]]


def test_explore_needs_a_terminal(run_cli: Any) -> None:
    result = run_cli("explore")  # standard output is captured: not a terminal
    assert result.code == 2
    assert "explore: needs a terminal" in result.err
    assert result.out == ""


def test_the_docs_screenshots_are_the_apps() -> None:
    """docs/explore.md shows the walk of the issue (pricing pushed up until the winner
    changes), in both languages, as tests/explore_screenshot.py makes it."""
    from tests.explore_screenshot import SHOTS

    said = {
        "en": "south-korea takes first place from italy",
        "ms": "south-korea mengambil tempat pertama daripada italy",
    }
    page = (ROOT / "docs" / "explore.md").read_text(encoding="utf-8")
    for lang, path in SHOTS.items():
        svg = path.read_text(encoding="utf-8")
        assert svg.startswith("<svg")
        assert said[lang].replace(" ", "&#160;") in svg
        assert f"({path.name})" in page


def test_explore_refuses_method_all(run_cli: Any) -> None:
    result = run_cli("explore", "--method", "all")
    assert result.code == 2
    assert "one method at a time" in result.err


def test_weights_file_errors(run_cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "w.yaml"
    bad.write_text("weights:\n  pricing: 140\n", encoding="utf-8")
    result = run_cli("compare", "--weights-file", str(bad))
    assert result.code == 1
    assert f"{bad}:2:12: `pricing`: expected a percentage of the total, from 0 to 100" in (
        result.err
    )
    bad.write_text("pricing: 40\n", encoding="utf-8")
    score = run_cli("score", "proposals/italy.yaml", "--weights-file", str(bad))
    assert "expected one key, `weights`" in score.err
    both = run_cli("sensitivity", "--weights", "pricing=40", "--weights-file", str(bad))
    assert both.code == 2
    assert "give --weights or --weights-file, not both" in both.err


def test_weights_file_is_weights(run_cli: Any, tmp_path: Path) -> None:
    file = tmp_path / "w.yaml"
    file.write_text("weights:\n  pricing: 40\n", encoding="utf-8")
    a = run_cli("compare", "--weights-file", str(file), "--format", "json")
    b = run_cli("compare", "--weights", "pricing=40", "--format", "json")
    assert a.code == b.code == 0
    assert a.out == b.out
