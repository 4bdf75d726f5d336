"""Progress on standard error for work that takes more than a moment.

The core only calls `on_file(done, total)` (or `progress(done, total)` as it draws);
this module turns those calls into a transient rich bar on a terminal, or, for the
sampling of `sensitivity` when standard error is not a terminal (a log, a pipe), a
plain line now and then. Neither shows until the work has run for a while, so a
quick run prints nothing at all; the bar is erased when the work ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import IO, TYPE_CHECKING

from evaluator.render.i18n import gettext as _

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

DELAY = 0.5  # seconds of work before a bar appears
_REFRESH = 0.1  # seconds between redraws
LINES_DELAY = 5.0  # seconds of work before the first plain line
LINES_EVERY = 30.0  # seconds after which a line is written however little was done


class ProgressBar:
    """A callable `on_file(done, total)` drawing a transient bar once the work runs long."""

    def __init__(
        self,
        label: str,
        stream: IO[str],
        *,
        delay: float = DELAY,
        clock: Callable[[], float] = time.monotonic,
        force_terminal: bool = False,
    ) -> None:
        self.label = label
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.force_terminal = force_terminal
        self.started = clock()
        self.drawn = 0.0
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        """Note that `done` of `total` files are read; draw when it is time to."""
        now = self.clock()
        if self.progress is None:
            if now - self.started < self.delay or done >= total:
                return  # cheap path: most runs end before the bar would ever show
            self._start(total)
        elif now - self.drawn < _REFRESH and done < total:
            return  # drawn a moment ago: the next redraw will show this file too
        assert self.progress is not None and self.task is not None
        self.progress.update(self.task, completed=done, total=total)
        self.progress.refresh()
        self.drawn = now

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        console = Console(file=self.stream, force_terminal=self.force_terminal or None)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
            auto_refresh=False,
        )
        self.task = self.progress.add_task(self.label, total=total)
        self.progress.start()

    def close(self) -> None:
        """Erase the bar, if one was drawn."""
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


class ProgressLines:
    """A callable `progress(done, total)` writing `LABEL: 40% of WHAT` lines for a log: once
    the work has run for `LINES_DELAY` seconds, then at each further tenth, or after
    `LINES_EVERY` seconds without a line, and at the end if a line was written."""

    def __init__(
        self, label: str, what: str, stream: IO[str], *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.label = label
        self.what = what
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.written: float | None = None  # when the last line was written
        self.percent = -1  # the percentage it gave

    def __call__(self, done: int, total: int) -> None:
        """Note that `done` of `total` are done; write a line when it is time to."""
        now = self.clock()
        percent = 100 * done // max(total, 1)
        if self.written is None:
            if now - self.started < LINES_DELAY or done >= total:
                return  # a quick run ends before anyone waits for it
        elif not (
            percent >= self.percent + 10
            or done >= total
            or (now - self.written >= LINES_EVERY and percent > self.percent)
        ):
            return
        line = _("{label}: {percent}% of {what}").format(
            label=self.label, percent=percent, what=self.what
        )
        self.stream.write(line + "\n")
        self.stream.flush()
        self.written, self.percent = now, percent
