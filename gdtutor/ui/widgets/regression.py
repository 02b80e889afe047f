"""The regression race: the normal equation against gradient descent, timed on this machine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from ...i18n import plural
from ...telling import race_lines, race_winner
from ..tutor import Worded
from .scroll import PagedScroll
from .words import Words

if TYPE_CHECKING:
    from ...engine.regression import RaceProcess, RaceRow  # numpy: loaded when the race runs
    from ...engine.slots import Turn


NARROW = 70
"""Columns below which the race's table leaves out its rows column (the whole table is 66 wide in
Chinese, with the DataTable's padding)."""
ROWS = 1
"""The index of the rows column."""


class RegressionRace(Worded, PagedScroll, can_focus=True):
    """Press r: both methods solve generated linear regressions of growing width, each timed live.

    The race is the engine's (:func:`~gdtutor.engine.regression.race`, the one ``gdtutor race``
    runs), in a process of its own driven by a thread worker: the rows come as messages and fill the
    table as each size is measured, and cancelling the worker (a new race, leaving the step, quitting)
    ends the process at once, even in the middle of a numpy call that lasts seconds. It scrolls with
    the arrows: at 60x20 the summary under the table goes on below the screen.

    On a server that limits how many races run at once (:mod:`~gdtutor.engine.slots`), the worker
    first waits in line, and the summary says where the learner stands until the race starts. Pressing
    r again while waiting keeps the place (a new race would go to the back of the line); leaving the
    lesson or quitting cancels the worker, which leaves the line, and no process is started.
    """

    DEFAULT_CSS = """
    RegressionRace { height: 1fr; padding: 0 1; }
    RegressionRace.-narrow { padding: 0; }
    RegressionRace DataTable { height: auto; max-height: 10; }
    RegressionRace #race-summary { height: auto; }
    """
    BINDINGS = [Binding("r", "run", "race")]

    @dataclass
    class Timed(Message):
        """One size of race number ``race`` was measured."""

        race: int
        row: RaceRow

    @dataclass
    class Queued(Message):
        """Race number ``race`` waits for its turn (``turn``), or its turn came (None)."""

        race: int
        turn: Turn | None

    @dataclass
    class Ended(Message):
        """Race number ``race`` ended: every size measured (``exitcode`` and ``error`` None), or its
        process failed (``exitcode``), or it could not start (``error``: the pool of turns could not be
        used, or no process could be made)."""

        race: int
        exitcode: int | None = None
        error: str | None = None

    def __init__(self, features: list[int], samples_per_feature: int) -> None:
        super().__init__()
        self.features = features
        self.samples_per_feature = samples_per_feature
        self.rows: list[RaceRow] = []
        self.running = False
        self.failed: int | None = None
        self.error: str | None = None
        """Why the last race could not start."""
        self.turn: Turn | None = None
        """Where the race stands in the server's line while it waits for its turn."""
        self.process: RaceProcess | None = None
        """The race's process, the last one started."""
        self.race = 0
        """The number of the race shown: a message of an earlier race, cancelled, still on its way
        when r was pressed again, is ignored."""

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="none", show_cursor=False)
        yield Words(id="race-summary")

    def on_mount(self) -> None:
        self.show_words()

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self.show_words()

    def _kept(self, cells: list[str]) -> list[str]:
        """The columns shown: under :data:`NARROW` columns, all but the rows (features times the rows
        per feature, which the line about the size being timed says), so that 'faster' stays on screen
        in both languages instead of behind a horizontal scrollbar."""
        return [cell for i, cell in enumerate(cells) if i != ROWS or not self.has_class("-narrow")]

    def show_words(self) -> None:
        """The columns and the summary in the app's language (the timings stay as measured)."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(*self._kept(self.words("race_columns").split("|")))
        for row in self.rows:
            table.add_row(*self._cells(row))
        self._summarize()

    def action_run(self) -> None:
        if self.running and self.turn is not None:
            return  # waiting in line: a new race would start again at the back
        self.race += 1
        self.rows = []
        self.failed = None
        self.error = None
        self.running = True
        self.query_one(DataTable).clear()
        self._summarize()
        self._race(self.race)

    @work(thread=True, exclusive=True, group="race")
    def _race(self, number: int) -> None:
        from ...engine.regression import RaceAborted, RaceProcess
        from ...engine.slots import Cancelled, PoolError

        worker = get_current_worker()

        def waiting(turn: Turn) -> None:
            self.post_message(self.Queued(number, turn))

        try:
            with RaceProcess(
                self.features, self.samples_per_feature, cancel=worker.cancelled_event, waiting=waiting
            ) as process:
                self.process = process
                self.post_message(self.Queued(number, None))
                for row in process:
                    self.post_message(self.Timed(number, row))
        except Cancelled:
            return
        except RaceAborted as exc:
            self.post_message(self.Ended(number, exc.exitcode))
            return
        except (PoolError, OSError) as exc:  # the server's pool is set wrong or unusable, or no process
            self.post_message(self.Ended(number, error=str(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(self.Ended(number))

    def _cells(self, row: RaceRow) -> list[str]:
        return self._kept(
            [
                f"{row.features:,}",
                f"{row.samples:,}",
                f"{row.normal_seconds:.4f}",
                f"{row.gd_seconds:.4f}",
                str(row.gd_updates),
                race_winner(row.winner, self.lang),
            ]
        )

    @on(Timed)
    def _add(self, message: Timed) -> None:
        if message.race != self.race:
            return
        self.rows.append(message.row)
        self.query_one(DataTable).add_row(*self._cells(message.row))
        self._summarize()

    @on(Queued)
    def _queued(self, message: Queued) -> None:
        if message.race != self.race:
            return
        self.turn = message.turn
        self._summarize()

    @on(Ended)
    def _end(self, message: Ended) -> None:
        if message.race != self.race:
            return
        self.running = False
        self.turn = None
        self.failed = message.exitcode
        self.error = message.error
        self._summarize()

    def _summarize(self) -> None:
        summary = self.query_one("#race-summary", Static)
        if not self.rows and not self.running and self.failed is None and self.error is None:
            summary.update(self.words("regression_run"))
            return
        from ...engine.regression import RaceSummary

        lines = race_lines(RaceSummary.of(self.rows), self.lang) if self.rows else []
        if self.running and self.turn is not None:
            turn = self.turn
            lines.insert(0, plural("race_waiting", self.lang, turn.place, place=turn.place, slots=turn.slots))
        elif self.running and len(self.rows) < len(self.features):
            d = self.features[len(self.rows)]
            lines.insert(0, self.words("race_timing", features=d, samples=d * self.samples_per_feature))
        if self.failed is not None:
            lines.insert(0, self.words("race_failed", code=self.failed))
        if self.error is not None:
            lines.insert(0, self.words("race_not_started", error=self.error))
        summary.update("\n".join(lines))
