"""`--format html`: one self-contained report a committee can open offline and print.

Jinja2 fills evaluator/templates/report.html with autoescaping on: proposal and criteria
files are user input, so none of their text reaches the page unescaped. The charts are
inline SVG whose geometry is computed here and whose markup, text included, the template
writes (escaped like the rest). No script, font, image or style is fetched from anywhere:
the page also forbids it in its Content-Security-Policy.

jinja2 is imported only when a report is asked for: `compare` in a terminal never loads it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from evaluator import __version__
from evaluator.errors import UsageError
from evaluator.model.method import Method
from evaluator.render import RenderOptions, i18n, percent
from evaluator.render.agent import agent_sentence
from evaluator.render.compliance import failures, matrix
from evaluator.render.criteria import rates_text
from evaluator.render.i18n import gettext as _
from evaluator.render.icp import icp_rows, icp_summary, icp_title
from evaluator.render.language import localized
from evaluator.render.methods import (
    agreement_sentences,
    criterion_score_text,
    differs,
    has_raw,
    method_names,
    no_contribution,
    ordinal,
    out_of,
    raw_caption,
    scores_label,
    total_meaning,
)
from evaluator.render.panel import (
    FLAG,
    disagreement_sentences,
    members,
    panel_rows,
    score_text,
    settings_sentence,
    spread_text,
)
from evaluator.render.problems import problem_line
from evaluator.render.run import caveat_sentences, files_phrase, unscored_sentence, what_if_sentence
from evaluator.render.signoff import (
    DATE_LABEL,
    DECLARATION_LABEL,
    NAME_LABEL,
    ROLE_LABEL,
    SIGN_OFF_INTRO,
    SIGN_OFF_TITLE,
    SIGNATURE_LABEL,
    member_heading,
    sign_offs,
)
from evaluator.render.text.credibility import leaf_factor, partly_discounted, score_sum
from evaluator.render.text.evidence import RANGED_MARK, explanation
from evaluator.render.text.gates import detail, requirement
from evaluator.render.text.notes import note_text, notes_text
from evaluator.render.text.numbers import number_text, points, show_value
from evaluator.scoring.results import Comparison, CriterionScore, Evaluation, LeafScore

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

    from evaluator.analysis.sensitivity import Sensitivity, Stability

# Okabe & Ito's palette, told apart by most colour-blind readers; each criterion also gets
# its own fill pattern and its name in the legend, so colour never carries meaning alone.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D1F", "#666666")
PATTERNS = (
    "solid",
    "diagonal",
    "dots",
    "horizontal",
    "crosshatch",
    "vertical",
    "antidiagonal",
    "grid",
)
# ColorBrewer "Blues": score 0 is the lightest, 100 the darkest.
HEAT = (
    "#f7fbff",
    "#deebf7",
    "#c6dbef",
    "#9ecae1",
    "#6baed6",
    "#4292c6",
    "#2171b5",
    "#08519c",
    "#08306b",
)
MISSING_MARK = "†"
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
_BREAKS = re.compile(r"(?<=[._/])(?=.)")  # after these, a long name may wrap

# Chart geometry, in SVG user units (the chart scales to the page's width).
CHART_WIDTH = 960
TOTAL_WIDTH = 150  # room right of the longest bar for "100.00 ineligible"
ROW_HEIGHT = 34
BAR_HEIGHT = 22
AXIS_HEIGHT = 28
LABEL_CHARS = 26  # labels longer than this are shortened on a chart (not elsewhere)
CHAR_WIDTH = 8.4  # a generous average width of a 14px bold character, for the label column
SEGMENT_LABEL_MIN = 34  # a segment narrower than this has no number written on it


def generated_at(environ: Mapping[str, str] | None = None) -> datetime:
    """When the report is made: now, or SOURCE_DATE_EPOCH (seconds, UTC) for reproducible files."""
    environ = os.environ if environ is None else environ
    text = environ.get(EPOCH_VARIABLE)
    if text is None or not text.strip():
        return datetime.now(UTC).replace(microsecond=0)
    try:
        seconds = int(text.strip())
        return datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError.at(
            EPOCH_VARIABLE, f"expected whole seconds since 1970-01-01 UTC, got {text!r}"
        ) from None


# --- colours and patterns -------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _luminance(colour: str) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink(background: str) -> str:
    """Black or white text, whichever contrasts more with `background`."""
    light = _luminance(background)
    return "#000000" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "#ffffff"


def heat(score: float) -> str:
    """The heatmap colour of a score from 0 to 100."""
    t = max(0.0, min(1.0, score / 100)) * (len(HEAT) - 1)
    low = min(int(t), len(HEAT) - 2)
    frac = t - low
    a, b = _rgb(HEAT[low]), _rgb(HEAT[low + 1])
    return "#" + "".join(f"{round(x + (y - x) * frac):02x}" for x, y in zip(a, b, strict=True))


@dataclass(frozen=True, slots=True)
class Series:
    """One criterion in the charts: its colour, pattern and legend text."""

    index: int
    id: str
    title: str
    weight: float
    colour: str
    pattern: str
    text_colour: str

    @property
    def pattern_id(self) -> str:
        """The SVG id of its fill pattern (numbered: criteria ids are not safe ids)."""
        return f"series-{self.index}"


def series(comparison: Comparison) -> list[Series]:
    """A colour and a pattern for each top-level criterion, in the criteria file's order."""
    return [
        Series(
            i,
            c.id,
            c.title,
            comparison.weights.get(c.id, 0.0),
            PALETTE[i % len(PALETTE)],
            PATTERNS[i % len(PATTERNS)],
            ink(PALETTE[i % len(PALETTE)]),
        )
        for i, c in enumerate(comparison.criteria.criteria)
    ]


# --- the contribution chart ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    """One criterion's contribution to one proposal's total, as a rectangle."""

    series: Series
    x: float
    width: float
    value: float
    label: str  # written on the segment when it is wide enough, else ""


@dataclass(frozen=True, slots=True)
class Bar:
    """One proposal's row in the contribution chart."""

    id: str
    rank: str
    label: str  # the id, shortened if need be
    y: float
    segments: tuple[Segment, ...]
    end: float  # x where the bar ends
    total: str
    eligible: bool
    description: str  # the whole bar in words, for screen readers and tooltips


@dataclass(frozen=True, slots=True)
class Tick:
    """A gridline of a chart's axis."""

    x: float
    label: str


@dataclass(frozen=True, slots=True)
class ChartFrame:
    """What every chart here shares: its size, the label column, the plot, the axis."""

    width: int
    height: int
    left: int  # the label column's width; the plot starts here
    plot_width: int
    axis_y: int
    ticks: tuple[Tick, ...]
    bar_height: ClassVar[int] = BAR_HEIGHT
    row_height: ClassVar[int] = ROW_HEIGHT

    @property
    def indent(self) -> str:
        """The label column as a share of the width, to line the legend up with the plot."""
        return f"{100 * self.left / self.width:.2f}%"


def _geometry(labels: Sequence[str], prefix: int = 0) -> tuple[int, int]:
    """The label column's width and the plot's, for rows labelled `labels`."""
    left = label_width(labels, prefix)
    return left, CHART_WIDTH - left - TOTAL_WIDTH


def _row_y(row: int) -> float:
    """Where the bar of row `row` (from 0) starts, below the axis."""
    return round(AXIS_HEIGHT + row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2, 2)


def _chart_height(rows: int) -> int:
    return AXIS_HEIGHT + ROW_HEIGHT * rows + 8


@dataclass(frozen=True, slots=True)
class BarChart(ChartFrame):
    """Stacked horizontal bars: each proposal's weighted contributions by criterion."""

    bars: tuple[Bar, ...] = ()
    series: tuple[Series, ...] = ()


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_width(labels: Sequence[str], prefix: int = 0) -> int:
    """The width of a chart's label column: enough for the longest label, within bounds."""
    longest = max((len(label) for label in labels), default=8) + prefix
    return max(120, min(280, round(longest * CHAR_WIDTH) + 24))


def _rank_label(evaluation: Evaluation) -> str:
    return "—" if evaluation.rank is None else str(evaluation.rank)


def contribution_chart(comparison: Comparison, ranks: bool = True) -> BarChart:
    """One bar per proposal, in result order, split into weight × criterion score."""
    colours = series(comparison)
    labels = [_short(e.id) for e in comparison.evaluations]
    left, plot_width = _geometry(labels, prefix=4 if ranks else 0)  # the rank before the id
    scale = plot_width / 100
    bars: list[Bar] = []
    for row, (e, label) in enumerate(zip(comparison.evaluations, labels, strict=True)):
        y = _row_y(row)
        x = float(left)
        segments = []
        scores = {c.id: c for c in e.criteria}
        for s in colours:
            criterion = scores.get(s.id)
            value = 0.0 if criterion is None else criterion.contribution
            width = max(0.0, value) * scale
            text = f"{value:.1f}" if width >= SEGMENT_LABEL_MIN else ""
            segments.append(Segment(s, round(x, 2), round(width, 2), value, text))
            x += width
        weighted = sum(seg.value for seg in segments)
        total = f"{weighted:.2f}" if comparison.method == Method.WSM else f"Σ {weighted:.2f}"
        words = "; ".join(f"{seg.series.title} {seg.value:.2f}" for seg in segments)
        described = (
            _("{id}: weighted sum {total} = {parts}.")
            if e.eligible
            else _("{id}: weighted sum {total} = {parts}. Ineligible.")
        ).format(id=e.id, total=f"{weighted:.2f}", parts=words)
        bars.append(
            Bar(
                e.id,
                _rank_label(e) if ranks else "",
                label,
                y,
                tuple(segments),
                round(x, 2),
                total,
                e.eligible,
                described,
            )
        )
    ticks = tuple(Tick(round(left + v * scale, 2), str(v)) for v in (0, 25, 50, 75, 100))
    return BarChart(
        CHART_WIDTH,
        _chart_height(len(bars)),
        left,
        plot_width,
        AXIS_HEIGHT - 8,
        ticks,
        tuple(bars),
        tuple(colours),
    )


# --- the stability chart ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StabilityRow:
    """One criterion's weight axis from 0 to 1: where the ranking and the winner hold."""

    criterion: str
    label: str
    y: float
    winner: tuple[float, float] | None  # x and width of the band
    ranking: tuple[float, float] | None
    today: float  # x of today's weight
    today_label: str
    description: str


@dataclass(frozen=True, slots=True)
class StabilityChart(ChartFrame):
    """The stability intervals, one row per criterion, drawn like the terminal's bars."""

    rows: tuple[StabilityRow, ...] = ()


def _interval_words(interval: tuple[float, float] | None) -> str:
    if interval is None:
        return _("never")
    return _("{low} to {high}").format(
        low=percent(interval[0], 1, "up"), high=percent(interval[1], 1, "down")
    )


def stability_chart(stability: Mapping[str, Stability]) -> StabilityChart:
    """Bars on a 0–1 axis: ranking holds (solid), winner holds (hatched), today's weight."""
    labels = [_short(s.criterion.replace("_", " ")) for s in stability.values()]
    left, plot_width = _geometry(labels)
    rows = []

    def band(interval: tuple[float, float] | None) -> tuple[float, float] | None:
        if interval is None:
            return None
        start = left + interval[0] * plot_width
        return round(start, 2), round(max(1.0, (interval[1] - interval[0]) * plot_width), 2)

    for row, (s, label) in enumerate(zip(stability.values(), labels, strict=True)):
        rows.append(
            StabilityRow(
                s.criterion,
                label,
                _row_y(row),
                band(s.winner),
                band(s.ranking),
                round(left + s.weight * plot_width, 2),
                percent(s.weight, 2),
                _(
                    "{criterion}: weight today {today}; the winner holds from {winner}; the "
                    "whole ranking holds from {ranking}."
                ).format(
                    criterion=s.criterion,
                    today=percent(s.weight, 2),
                    winner=_interval_words(s.winner),
                    ranking=_interval_words(s.ranking),
                ),
            )
        )
    ticks = tuple(
        Tick(round(left + v * plot_width, 2), percent(v)) for v in (0, 0.25, 0.5, 0.75, 1)
    )
    return StabilityChart(
        CHART_WIDTH, _chart_height(len(rows)), left, plot_width, AXIS_HEIGHT - 8, ticks, tuple(rows)
    )


# --- tables ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """A heatmap cell: the text, its background and a text colour that contrasts with it."""

    text: str
    background: str
    colour: str
    note: str = ""  # a tooltip: why the score is what it is
    missing: bool = False


def heat_cell(score: float, note: str = "", missing: bool = False) -> Cell:
    """A score as a tinted cell."""
    background = heat(score)
    return Cell(f"{score:.1f}", background, ink(background), note, missing)


@dataclass(frozen=True, slots=True)
class GridRow:
    """A criterion (level 0) or a sub-criterion (level 1) across the proposals."""

    level: int
    id: str
    title: str
    weight: str
    cells: tuple[Cell, ...]


def criteria_grid(comparison: Comparison) -> list[GridRow]:
    """Each criterion's score, and each sub-criterion's under it, for every proposal."""
    rows: list[GridRow] = []
    for criterion in comparison.criteria.criteria:
        found = [_criterion(e, criterion.id) for e in comparison.evaluations]
        rows.append(
            GridRow(
                0,
                criterion.id,
                criterion.title,
                percent(comparison.weights.get(criterion.id, 0.0)),
                tuple(_grid_cell(c) for c in found),
            )
        )
        if not criterion.has_subcriteria:
            continue
        for leaf in criterion.leaves:
            cells = []
            weight = ""
            for c in found:
                score = None if c is None else next((x for x in c.leaves if x.id == leaf.id), None)
                if score is None:
                    cells.append(_blank())
                    continue
                weight = percent(score.weight)
                cells.append(
                    heat_cell(score.score, explanation(score), score.missing)
                    if score.rule != "raw"
                    else _raw_cell(score.value, explanation(score))
                )
            rows.append(GridRow(1, leaf.id, leaf.title, weight, tuple(cells)))
    return rows


def _grid_cell(criterion: CriterionScore | None) -> Cell:
    if criterion is None:
        return _blank()
    if has_raw(criterion):  # a raw value is no score: shown as it is, untinted
        return _raw_cell(None, _("raw values, not scores"), criterion_score_text(criterion))
    return heat_cell(criterion.score)


def _raw_cell(value: object, note: str, text: str | None = None) -> Cell:
    return Cell(text if text is not None else value_text(value), "#ffffff", "#000000", note)


def _criterion(evaluation: Evaluation, ident: str) -> CriterionScore | None:
    return next((c for c in evaluation.criteria if c.id == ident), None)


def _blank() -> Cell:
    return Cell("—", "#ffffff", "#000000")


@dataclass(frozen=True, slots=True)
class GateRow:
    """One gate across the proposals."""

    id: str
    title: str
    requirement: str
    # passed, whether it applies (its `when` holds), the value that decided it
    results: tuple[tuple[bool, bool, str], ...]


def gate_grid(comparison: Comparison) -> list[GateRow]:
    """Each gate's result for every proposal."""
    rows = []
    for gate in comparison.criteria.gates:
        results = []
        for e in comparison.evaluations:
            found = next((g for g in e.gates if g.id == gate.id), None)
            results.append(
                (True, True, "") if found is None else (found.passed, found.applies, detail(found))
            )
        rows.append(GateRow(gate.id, gate.title, requirement(gate), tuple(results)))
    return rows


def value_text(value: object) -> str:
    """A field value as a briefing writes it: 1,600,000,000, yes, [use, maintain], missing."""
    if value is None:
        return _("missing")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, tuple | list):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def leaf_value(leaf: LeafScore) -> str:
    """A sub-criterion's value as the evidence gives it: a percentage with its sign, a
    computed one rounded (81.7%, not 81.6667)."""
    value = leaf.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return show_value(value, leaf.field)
    return value_text(value)


def estimate_note(leaf: LeafScore) -> str:
    """'≈ likely; range 110,000,000–140,000,000' for a ranged figure, '' for an exact one."""
    ranged = leaf.range
    if ranged is not None:
        bounds = f"{number_text(ranged.low)}–{number_text(ranged.high)}"
        return (
            _("{mark} estimate: likely value of {bounds}")
            if ranged.likely is not None
            else _("{mark} estimate: midpoint of {bounds}")
        ).format(mark=RANGED_MARK, bounds=bounds)
    uncertain = leaf.uncertain
    if uncertain is not None:
        if uncertain.low is not None and uncertain.high is not None:
            return _("{mark} from estimates: {low}–{high}").format(
                mark=RANGED_MARK, low=number_text(uncertain.low), high=number_text(uncertain.high)
            )
        return _("{mark} from estimates").format(mark=RANGED_MARK)
    return ""


def panel_note(leaf: LeafScore) -> dict[str, Any] | None:
    """A judgement's ratings by member, the consolidated score and the spread."""
    consensus = leaf.panel
    if consensus is None:
        return None
    return {
        "ratings": [(r.member, r.level, points(r.score)) for r in consensus.ratings],
        "aggregate": consensus.aggregate,
        "score": points(consensus.score),
        "spread": points(consensus.spread),
        "disagreement": consensus.disagreement,
        "absent": list(consensus.absent),
    }


# --- the recommendation ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recommendation:
    """Who is recommended, by how much, or why nobody is."""

    kind: str  # "winner", "tie" or "none"
    winner: Evaluation | None = None
    tied: tuple[str, ...] = ()
    runner: Evaluation | None = None

    @property
    def lead(self) -> str:
        """The winner's lead over the second, in points."""
        if self.winner is None or self.runner is None:
            return ""
        return f"{self.winner.total - self.runner.total:.2f}"


def recommendation(comparison: Comparison) -> Recommendation:
    """The first-ranked eligible proposal and the one after it, or a tie, or nobody."""
    winner = comparison.winner
    if winner is None:
        return Recommendation("none")
    tied = tuple(e.id for e in comparison.evaluations if e.rank == 1)
    if len(tied) > 1:
        return Recommendation("tie", winner, tied)
    runner = next((e for e in comparison.evaluations if e.rank is not None and e.rank != 1), None)
    return Recommendation("winner", winner, tied, runner)


def ineligible_reasons(comparison: Comparison) -> list[tuple[str, str]]:
    """(proposal, why) for every gate a proposal fails."""
    return [
        (
            e.id,
            i18n.gettext("{title} ({requirement}; it has {detail})").format(
                title=g.title, requirement=requirement(g.gate), detail=detail(g)
            ),
        )
        for e in comparison.evaluations
        for g in e.gates
        if not g.passed
    ] + [
        (e.id, _("does not meet {unmet}").format(unmet="; ".join(failures(e))))
        for e in comparison.evaluations
        if failures(e)
    ]


# --- robustness ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Robustness:
    """The sensitivity analysis as the report shows it."""

    headline: tuple[str, ...]
    chart: StabilityChart | None
    stability: tuple[dict[str, str], ...]
    ranks: tuple[str, ...]
    acceptability: tuple[tuple[str, bool, tuple[tuple[str, float], ...]], ...]
    draws: str
    central: tuple[tuple[str, tuple[str, ...]], ...]
    criteria: tuple[str, ...]
    today: tuple[str, ...]  # today's weights, in the order of `criteria`
    excluded: tuple[str, ...]
    notes: tuple[str, ...]
    settings: dict[str, str] = field(default_factory=dict)
    more: int = 0  # proposals left out of the acceptability table
    discount: str = ""  # over which discount rates the winner holds ("" without a winner)


# With only the first ranks listed (more than 100 eligible proposals), the acceptability
# table shows the top of today's ranking: a page of every proposal would be too long to read.
ACCEPTABILITY_ROWS = 20


def robustness(result: Sensitivity) -> Robustness:
    """Headline sentences, stability bars and numbers, rank acceptability, central weights."""
    from evaluator.render.sensitivity import (
        describe_draws,
        describe_spread,
        discount_sentence,
        headline,
        interval_text,
        rank_span,
        spread_value,
    )

    def share(x: float) -> str:
        if 0 < x < 0.005:
            return "<1%"
        return ">99%" if 0.995 <= x < 1 else f"{x:.0%}"

    shown = result.winner is not None
    stability = (
        tuple(
            {
                "criterion": s.criterion,
                "today": percent(s.weight, 2),
                "winner": interval_text(s.winner),
                "ranking": interval_text(s.ranking),
                "below": s.winner_below or "",
                "above": s.winner_above or "",
            }
            for s in result.stability.values()
        )
        if shown
        else ()
    )
    a = result.acceptability
    rows = list(a.shares.items())
    ranks = [ordinal(r + 1) for r in range(a.ranks)]
    if a.rest is not None:  # the first ranks only: the rest as one column, the top rows
        rest = a.rest
        ranks.append(rank_span(a.ranks + 1, len(result.proposals)))
        rows = [(i, [*row, rest[i]]) for i, row in rows if sum(row) > 0][:ACCEPTABILITY_ROWS]
    weights = result.comparison.weights
    central = tuple(
        (i, tuple(percent(w[k]) for k in weights))
        for i, w in a.central_weights.items()
        if w is not None
    )
    return Robustness(
        headline=tuple(headline(result)),
        chart=stability_chart(result.stability) if shown and result.stability else None,
        stability=stability,
        ranks=tuple(ranks),
        acceptability=tuple(
            (i, i == result.winner, tuple((share(x), x) for x in row)) for i, row in rows
        )
        if shown
        else (),
        more=len(a.shares) - len(rows) if shown else 0,
        draws=f"{describe_spread(result)} ({describe_draws(result)})",
        central=central if shown else (),
        criteria=tuple(weights),
        today=tuple(percent(w) for w in weights.values()),
        excluded=tuple(e.id for e in result.excluded),
        # The comparison's own notes are in the summary already.
        notes=tuple(note_text(n) for n in result.notes if n not in result.comparison.notes),
        settings={
            "samples": f"{a.samples:,}",
            "seed": str(a.seed),
            "spread": str(spread_value(a.spread)),
        },
        discount=discount_sentence(result) or "",
    )


def code_spans(text: object) -> Markup:
    """Escaped text in which `backquoted` words are set as code, as the notes write them."""
    from markupsafe import Markup, escape

    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unmatched backquote: leave the text as it is
        return escape(str(text))
    return Markup("").join(
        Markup("<code>%s</code>") % part if odd else escape(part)
        for odd, part in ((i % 2 == 1, p) for i, p in enumerate(parts))
    )


def breakable(text: object) -> Markup:
    """Escaped text that may wrap after `.` and `_`: long field names fit narrow columns."""
    from markupsafe import Markup, escape

    return Markup("<wbr>").join(escape(part) for part in _BREAKS.split(str(text)))


# --- the page --------------------------------------------------------------------------------


@cache
def environment() -> Environment:
    """The Jinja2 environment: package templates, autoescaping on, undefined names fail."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("evaluator", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The template's words through the run's catalogue (render.i18n), looked up as the
    # page is made: `{{ _("Ranking") }}`, `{{ _("… {id} …").format(id=…) }}` (autoescaped
    # as any value).
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the extension
        i18n.gettext, i18n.ngettext, newstyle=False
    )
    env.filters["value"] = value_text
    env.filters["leaf_value"] = leaf_value
    env.filters["breakable"] = breakable
    env.filters["code"] = code_spans
    env.filters["number"] = number_text
    env.filters["ordinal"] = ordinal
    env.filters["percent"] = percent
    env.filters["criterion_score"] = criterion_score_text
    env.filters["explanation"] = explanation
    env.filters["requirement"] = requirement
    env.filters["detail"] = detail
    env.filters["note"] = note_text
    return env


def _audit(comparison: Comparison, generated: datetime) -> dict[str, Any]:
    criteria = comparison.criteria
    panel = comparison.panel
    return {
        "generated": generated.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "tool": f"evaluator {__version__}",
        "criteria": criteria,
        "method": comparison.method,
        "weights": [(k, percent(w, 2)) for k, w in comparison.weights.items()],
        "rates": rates_text(criteria),  # the exchange rates, with their ranges and source
        "what_if": what_if_sentence(comparison),
        "command": None,
        "proposals": [
            (e.id, e.proposal.file, e.proposal.sha256)
            for e in sorted(comparison.evaluations, key=lambda e: e.proposal.file)
        ],
        "panel": None
        if panel is None
        else {
            "folder": panel.folder,
            "members": [(m.label, m.file, m.sha256) for m in panel.members],
        },
    }


def _card(e: Evaluation, method: str) -> dict[str, Any]:
    criteria = []
    for c in e.criteria:
        partly = partly_discounted(c)
        criteria.append(
            {
                "criterion": c,
                "sum": score_sum(c),  # '0.85 × 40.24 = ', '29.00 + 0.85 × 40.24 = ' or ''
                "partly": partly,
                # weight × a raw value would be a meaningless number
                "raw": no_contribution(c, method) if has_raw(c) else None,
                "credibility": None
                if c.credibility_field is None
                else {
                    "field": c.credibility_field,
                    "value": value_text(c.credibility_value),
                    "factor": f"{c.credibility_factor:g}",
                },
                "leaves": [
                    {
                        "leaf": leaf,
                        "estimate": estimate_note(leaf),
                        "panel": panel_note(leaf),
                        "factor": leaf_factor(leaf) if partly else "",
                    }
                    for leaf in c.leaves
                ],
            }
        )
    icp = e.icp
    return {
        "evaluation": e,
        "criteria": criteria,
        "unscored": unscored_sentence(e.unscored) if e.unscored else "",
        "agent": agent_sentence(e.agent) if e.agent is not None else "",
        "icp": None
        if icp is None
        else {
            "title": icp_title(),
            "summary": icp_summary(icp),
            "rows": icp_rows(icp),
            "currency": icp.currency,
        },
    }


def report_context(
    comparison: Comparison,
    *,
    card: bool = False,
    sensitivity: Sensitivity | None = None,
    generated: datetime | None = None,
) -> dict[str, Any]:
    """Everything the template shows, computed here so that the template only lays it out."""
    generated = generated or generated_at()
    names = method_names(comparison)
    criteria = comparison.criteria
    evaluations = comparison.evaluations
    if card and evaluations:
        title = i18n.gettext("Score card: {id}").format(id=evaluations[0].id)
    else:
        title = i18n.gettext("Comparison of proposals")
    ranged = {e.id for e in evaluations if e.proposal.ranged}
    return {
        "title": title,
        "card": card,
        "comparison": comparison,
        "criteria": criteria,
        "classification": criteria.classification,
        "evaluations": evaluations,
        "recommendation": recommendation(comparison),
        "what_if": what_if_sentence(comparison),
        "caveats": caveat_sentences(comparison),
        "files": files_phrase(comparison),
        "out_of": out_of(comparison.method),
        "total_meaning": total_meaning(comparison.method),
        "scores_label": scores_label(comparison.method),
        "ineligible": ineligible_reasons(comparison),
        "agreement": agreement_sentences(comparison),
        "disagreements": disagreement_sentences(comparison),
        "notes": notes_text(comparison.notes),
        "errors": [problem_line(p) for p in comparison.errors],
        "warned": [(i, e) for i, e in enumerate(evaluations, 1) if e.warnings],
        "warnings": sum(len(e.warnings) for e in evaluations),
        "series": series(comparison),
        # A weighted sum of raw values means nothing: no chart of one.
        "chart": contribution_chart(comparison, ranks=not card)
        if evaluations and not raw_caption(comparison)
        else None,
        "raw": raw_caption(comparison),
        "grid": criteria_grid(comparison),
        "gates": gate_grid(comparison),
        "compliance": matrix(comparison) if criteria.requirements and evaluations else None,
        "methods": names,
        "method_rows": [(e, e.eligible and differs(e)) for e in evaluations] if names else [],
        "kendall": [
            (pair, "n/a" if tau is None else f"{tau:.2f}")
            for pair, tau in (comparison.kendall_tau or {}).items()
        ],
        "panel": None
        if comparison.panel is None
        else {
            "members": members(comparison),
            "settings": settings_sentence(comparison, FLAG),
            "aggregate": criteria.panel.aggregate.capitalize(),
            "rows": [(row, score_text(row), spread_text(row)) for row in panel_rows(comparison)],
        },
        "cards": [_card(e, comparison.method) for e in evaluations],
        "robustness": None if sensitivity is None else robustness(sensitivity),
        "ranged": ranged,
        "audit": _audit(comparison, generated),
        "signoff": {
            "title": _(SIGN_OFF_TITLE),
            "intro": _(SIGN_OFF_INTRO),
            "blocks": sign_offs(comparison),
            "heading": member_heading,
            "labels": {
                "name": _(NAME_LABEL),
                "role": _(ROLE_LABEL),
                "declaration": _(DECLARATION_LABEL),
                "signature": _(SIGNATURE_LABEL),
                "date": _(DATE_LABEL),
            },
        },
        "marks": {"missing": MISSING_MARK, "ranged": RANGED_MARK, "flag": FLAG},
        "heat_scale": [heat_cell(v) for v in (0, 25, 50, 75, 100)],
        "patterns": PATTERNS,
    }


def render_report(
    comparison: Comparison,
    *,
    card: bool = False,
    sensitivity: Sensitivity | None = None,
    generated: datetime | None = None,
    command: Sequence[str] = (),
    stages: dict[str, Any] | None = None,
    files: Sequence[tuple[str, str, str]] = (),
    lang: str = "en",
) -> str:
    """The report as one HTML document (a comparison, or one proposal's score card);
    `command`, the command line that made it, goes into the audit trail; `stages`, a
    staged tender's stages in sentences (render.stages), go before the recommendation."""
    template = environment().get_template("report.html")
    comparison = localized(comparison, lang)
    context = report_context(comparison, card=card, sensitivity=sensitivity, generated=generated)
    context["stages"] = stages
    context["lang"] = i18n.language()  # <html lang="…">
    if files:
        context["audit"]["proposals"] = sorted(files, key=lambda row: row[1])
    if command:
        import shlex

        context["audit"]["command"] = shlex.join(command)
    return template.render(context)


def render(
    comparison: Comparison, options: RenderOptions, sensitivity: Sensitivity | None = None
) -> str:
    """The comparison report: recommendation, charts, criteria, gates, evidence, audit."""
    return render_report(
        comparison,
        sensitivity=sensitivity,
        command=options.command,
        files=options.files,
        lang=options.lang,
    )


def render_card(comparison: Comparison, options: RenderOptions) -> str:
    """One proposal's score card as an HTML report."""
    return render_report(
        comparison, card=True, command=options.command, files=options.files, lang=options.lang
    )
