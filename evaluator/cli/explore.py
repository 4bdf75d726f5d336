"""`evaluator explore`: the weights walked in a Textual app (imported by this command only).

The numbers are `analysis.explore`'s (a step re-ranks from the prepared scores); this
module draws them and words them: the ranking with totals and stacked bars, one slider
per top-level weight with the interval over which today's winner holds and its tipping
points, the announcement when one is crossed, a proposal's score card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Static

from evaluator.analysis.explore import BIG_STEP, STEP, Crossing, Explorer, View, crossing
from evaluator.render.i18n import N_, language
from evaluator.render.i18n import gettext as _
from evaluator.scoring.results import Evaluation

# One glyph and one colour per criterion: the bars read without colour too (NO_COLOR).
GLYPHS = "█▓▒░▚▞▙▟"
COLOURS = ("cyan", "magenta", "yellow", "green", "blue", "red", "bright_cyan", "bright_magenta")
BAR = 24  # characters for a total of 100
NAME = 14  # characters of a proposal's id in the ranking
TRACK = 25  # characters of a slider's track, 0% to 100%
METHOD_CYCLE = ("wsm", "topsis", "promethee")
COLUMNS = ("Rank", "Proposal", "Total", "Contributions", "Gates")  # the table's keys
HEADINGS = (N_("Rank"), N_("Proposal"), N_("Total"), N_("Contributions"), N_("Gates"))


@dataclass
class Session:
    """What the command hands the app: the prepared comparison and where to save."""

    explorer: Explorer
    method: str
    weights: tuple[float, ...]
    titles: dict[str, str]
    save_to: Path
    out: list[tuple[str, str]] = field(default_factory=list)  # (offer, why out: a stage id)
    saved: dict[str, float] | None = None  # the last weights saved, percent
    opening: Any | None = None  # the programme's bid opening (api.BidOpening), if any


def percent(w: float) -> str:
    """A weight as a percentage, one decimal."""
    return f"{w * 100:.1f}%"


def weights_argument(criteria: Sequence[str], weights: Sequence[float]) -> str:
    """The weights as `--weights` takes them, to paste."""
    from evaluator.analysis.explore import percentages

    shown = percentages(criteria, weights)
    return "--weights " + ",".join(f"{k}={v:.10g}" for k, v in shown.items())


def announce(change: Crossing) -> str:
    """Who takes first place, at what weight."""
    new = change.new or _("no one")
    old = change.old or _("no one")
    if change.at is None:
        text = _("{criterion} {weight}: {new} takes first place from {old}")
    else:
        text = _("{criterion} {weight}: {new} takes first place from {old} (tipping point {at})")
    return text.format(
        criterion=change.criterion,
        weight=percent(change.weight),
        new=new,
        old=old,
        at=percent(change.at or 0.0),
    )


def caveat_line(session: Session, weights: Sequence[float]) -> str:
    """Criteria changed after the programme's bid opening, at these weights ("" if not):
    the caveat a `compare` at them would carry (the saved file's run included)."""
    if session.opening is None:
        return ""
    from evaluator.render.run import criteria_changed_sentence

    found = session.opening.caveat(dict(zip(session.explorer.criteria, weights, strict=True)))
    return "" if found is None else "⚠ " + criteria_changed_sentence(found)


_MADE: dict[tuple[type[Any], str], type[Any]] = {}


def in_language(cls: type[Any]) -> type[Any]:
    """`cls` (an app or screen) with its keys' descriptions in the run's language: Textual
    reads a class's BINDINGS once, when the class is made, so a subclass per language."""
    key = (cls, language())
    if key not in _MADE:
        described = [replace(b, description=_(b.description)) for b in cls.BINDINGS]
        _MADE[key] = type(cls.__name__, (cls,), {"BINDINGS": described})
    return _MADE[key]


def bar(parts: Sequence[float], width: int = BAR) -> Text:
    """Stacked contributions, one glyph and colour per criterion; 100 fills `width`."""
    text = Text()
    done, edge = 0, 0.0
    for k, part in enumerate(parts):
        edge += max(part, 0.0)
        end = min(width, round(edge * width / 100))
        if end > done:
            text.append(GLYPHS[k % len(GLYPHS)] * (end - done), style=COLOURS[k % len(COLOURS)])
            done = end
    return text


class Slider(Widget, can_focus=True):
    """One top-level weight: ←/→ one point, shift for five; a click sets it."""

    DEFAULT_CSS = """
    Slider { height: 1; width: 100%; }
    Slider:focus { background: $boost; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "nudge(-1)", N_("−1 pt"), show=False),
        Binding("right", "nudge(1)", N_("+1 pt"), show=False),
        Binding("shift+left", "nudge(-5)", N_("−5 pt"), show=False),
        Binding("shift+right", "nudge(5)", N_("+5 pt"), show=False),
    ]

    class Moved(Message):
        """A weight asked to move to `to` (0 to 1)."""

        def __init__(self, criterion: str, to: float) -> None:
            super().__init__()
            self.criterion, self.to = criterion, to

    def __init__(self, criterion: str, index: int) -> None:
        super().__init__(id=f"w-{criterion}")
        self.criterion, self.index = criterion, index
        self.weight = 0.0
        self.line = Text()

    def action_nudge(self, points: int) -> None:
        step = BIG_STEP if abs(points) == 5 else STEP
        to = round((self.weight + (step if points > 0 else -step)) * 100, 6) / 100
        self.post_message(self.Moved(self.criterion, to))

    def on_click(self, event: events.Click) -> None:
        start = 25  # where the track begins in the line (see `show`): 2 + 15 + 1 + 6 + 1
        if start <= event.x < start + TRACK:
            self.post_message(self.Moved(self.criterion, (event.x - start) / (TRACK - 1)))

    def show(self, view: View) -> None:
        w = view.weights[self.index]
        self.weight = w
        marker = GLYPHS[self.index % len(GLYPHS)]
        line = Text()
        line.append(f"{marker} ", style=COLOURS[self.index % len(COLOURS)])
        line.append(f"{self.criterion[:15]:<15} {percent(w):>6} ")
        track = ["─"] * TRACK
        stability = None if view.stability is None else view.stability[self.index]
        holds = None if stability is None else stability.winner
        if holds is not None:
            a, b = (round(x * (TRACK - 1)) for x in holds)
            for i in range(a, b + 1):
                track[i] = "═"
            if stability is not None and stability.winner_below is not None:
                track[a] = "┃"
            if stability is not None and stability.winner_above is not None:
                track[b] = "┃"
        track[round(w * (TRACK - 1))] = "●"
        line.append("".join(track))
        line.append(" ")
        if holds is None:
            line.append(
                _("no interval ({method})").format(method=view.method)
                if view.stability is None
                else _("no winner")
            )
        else:
            tips = []
            if stability is not None and stability.winner_below is not None:
                tips.append(f"<{percent(holds[0])} {stability.winner_below}")
            if stability is not None and stability.winner_above is not None:
                tips.append(f">{percent(holds[1])} {stability.winner_above}")
            line.append("; ".join(tips) if tips else _("holds 0-100%"))
        self.line = line
        self.refresh()

    def render(self) -> Text:
        return self.line


class ScoreCard(ModalScreen[None]):
    """One proposal's score card at the current weights."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", N_("Back")),
        Binding("enter", "dismiss", N_("Back"), show=False),
        Binding("q", "dismiss", N_("Back"), show=False),
    ]
    DEFAULT_CSS = """
    ScoreCard { align: center middle; }
    ScoreCard > Vertical { width: 78; height: auto; max-height: 22; border: round $accent;
        background: $surface; overflow-y: auto; }
    """

    def __init__(self, evaluation: Evaluation, weights: Sequence[float], order: Sequence[str]):
        super().__init__()
        self.evaluation, self.weights, self.order = evaluation, weights, order

    def compose(self) -> ComposeResult:
        e = self.evaluation
        table = Table(box=None, pad_edge=False, expand=True)
        table.add_column(_("Criterion / sub-criterion"))
        table.add_column(_("Weight"), justify="right")
        table.add_column(_("Score"), justify="right")
        table.add_column(_("Adds"), justify="right")
        by_id = {c.id: c for c in e.criteria}
        total = 0.0
        for k, name in enumerate(self.order):
            c = by_id[name]
            total += self.weights[k] * c.score
            table.add_row(
                Text(c.title[:40], style="bold"),
                percent(self.weights[k]),
                f"{c.score:.1f}",
                f"{self.weights[k] * c.score:.2f}",
            )
            for leaf in c.leaves:
                table.add_row(f"  {leaf.title[:38]}", percent(leaf.weight), f"{leaf.score:.1f}", "")
        gates = (
            _("all gates passed")
            if e.eligible
            else _("fails {gates}").format(gates=", ".join(g.id for g in e.gates if not g.passed))
        )
        head = Text(
            _("{id}: weighted-sum total {total}; {gates}  (Esc: back)").format(
                id=e.id, total=f"{total:.2f}", gates=gates
            )
        )
        with Vertical():
            yield Static(head)
            yield Static(table)


class ExploreApp(App[None]):
    """Walk the weights: the ranking follows every step."""

    TITLE = "evaluator explore"
    ENABLE_COMMAND_PALETTE = False  # Textual's own commands, in English: none needed here
    CSS = """
    #head { height: 1; }
    #caveat { height: auto; }
    #ranking { height: 1fr; }
    #sliders { height: auto; }
    #status { height: auto; max-height: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "method", N_("Method")),
        Binding("s", "save", N_("Save")),
        Binding("q", "quit", N_("Quit")),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.explorer = session.explorer
        self.method = session.method
        self.weights = session.weights
        self.view_now: View = self.explorer.view(self.weights, self.method)
        self.announcements: list[str] = []
        self.shown: list[tuple[Any, ...]] = []  # the table's cells as last drawn
        self.row_ids: list[str] = []  # the proposal on each row

    def compose(self) -> ComposeResult:
        yield Static(id="head")
        yield Static(id="caveat")
        table: DataTable[Any] = DataTable(id="ranking", cursor_type="row", zebra_stripes=False)
        yield table
        with Vertical(id="sliders"):
            for k, name in enumerate(self.explorer.criteria):
                yield Slider(name, k)
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label, width in zip(COLUMNS, HEADINGS, (4, NAME, 7, BAR), strict=False):
            table.add_column(_(label), width=max(width, len(_(label))), key=key)
        table.add_column(_(HEADINGS[-1]), key=COLUMNS[-1])
        self.draw()
        self.query(Slider).first().focus()
        self.query_one("#status", Static).update(
            _("←/→ 1 pt, shift 5 · Tab: next · Enter: score card · m method · s save · q quit")
        )

    def draw(self) -> None:
        view = self.view_now
        head = f"{self.method}  " + "  ".join(
            f"{GLYPHS[k % len(GLYPHS)]} {name[:12]}"
            for k, name in enumerate(self.explorer.criteria)
        )
        self.query_one("#head", Static).update(Text(head))
        warning = caveat_line(self.session, self.weights)
        caveat = self.query_one("#caveat", Static)
        caveat.display = bool(warning)
        caveat.update(Text(warning, style="bold"))
        table = self.query_one(DataTable)
        cells: list[tuple[Any, ...]] = []
        for r in view.rows:
            rank = Text("—") if r.rank is None else Text(f"{'★' if r.rank == 1 else ' '}{r.rank}")
            gates = "✓" if r.eligible else _("✗ gate")
            cells.append((rank, r.id[:NAME], f"{r.total:7.2f}", bar(r.contributions), gates))
        for offer, stage in self.session.out:
            # Where its bar would be: the Gates column stays narrow enough for 80 columns.
            out = Text(_("✗ out at {stage}").format(stage=stage)[:BAR])
            cells.append((Text("—"), offer[:NAME], "", out, ""))
        self.row_ids = [r.id for r in view.rows] + [offer for offer, _ in self.session.out]
        # Rows are keyed by position and updated in place (a step changes cells, not rows):
        # a table cleared and filled again at each step costs more than the step itself.
        if not self.shown:
            for i, row in enumerate(cells):
                table.add_row(*row, key=str(i))
        else:
            for i, (row, before) in enumerate(zip(cells, self.shown, strict=True)):
                for column, (value, old) in enumerate(zip(row, before, strict=True)):
                    if value != old:
                        table.update_cell(str(i), COLUMNS[column], value)
        self.shown = cells
        for slider in self.query(Slider):
            slider.show(view)

    def on_slider_moved(self, message: Slider.Moved) -> None:
        before = self.view_now
        k = self.explorer.criteria.index(message.criterion)
        self.weights = self.explorer.move(self.weights, message.criterion, message.to)
        self.session.weights = self.weights
        self.view_now = self.explorer.view(self.weights, self.method)
        change = crossing(before, self.view_now, message.criterion, k)
        if change is not None:
            words = announce(change)
            self.announcements.append(words)
            self.query_one("#status", Static).update(Text(words, style="bold"))
            self.notify(words, title=_("First place changes"))
        self.draw()

    def on_data_table_row_selected(self, message: DataTable.RowSelected) -> None:
        key = self.row_ids[message.cursor_row]
        found = next((e for e in self.explorer.evaluations if e.id == key), None)
        if found is not None:
            card = in_language(ScoreCard)
            self.push_screen(card(found, self.weights, self.explorer.criteria))

    def action_method(self) -> None:
        methods = [m for m in METHOD_CYCLE if m in self.explorer.methods]
        self.method = methods[(methods.index(self.method) + 1) % len(methods)]
        self.session.method = self.method
        self.view_now = self.explorer.view(self.weights, self.method)
        self.query_one("#status", Static).update(_("method: {method}").format(method=self.method))
        self.draw()

    def action_save(self) -> None:
        from evaluator.analysis.explore import percentages
        from evaluator.io.atomic import publish

        shown = percentages(self.explorer.criteria, self.weights)
        text = "# evaluator explore: what-if weights, percent of the total\n"
        text += "# evaluator compare --weights-file FILE reads them back\nweights:\n"
        text += "".join(f"  {k}: {v!r}\n" for k, v in shown.items())
        try:
            publish(self.session.save_to, text.encode(), replace=True)
        except OSError as exc:
            self.notify(f"{self.session.save_to}: {exc.strerror}", severity="error")
            return
        self.session.saved = shown
        words = _("saved {file} (method {method})").format(
            file=self.session.save_to, method=self.method
        )
        self.query_one("#status", Static).update(words)
        self.notify(words)


def session_of(comparison: Any, method: str, save_to: Path, staged: Any | None = None) -> Session:
    """The app's session from a weighted-sum comparison (a staged run's final one, with the
    offers out at a stage listed as such), its titles in the run's language."""
    from evaluator.render.language import localized

    explorer = Explorer(localized(comparison, language()))
    out: list[tuple[str, str]] = []
    if staged is not None:
        seen = {e.id for e in comparison.evaluations}
        for result in staged.stages:
            for outcome in result.failed:
                if outcome.id not in seen:
                    out.append((outcome.id, result.stage.id))
                    seen.add(outcome.id)
    titles = {c.id: c.title for c in explorer.comparison.criteria.criteria}
    return Session(explorer, method, explorer.base, titles, save_to, out)


def explore_app(session: Session) -> ExploreApp:
    """The app for `session`, its keys described in the run's language."""
    app: ExploreApp = in_language(ExploreApp)(session)
    return app
