"""The regression race: the normal equation against gradient descent, timed on this machine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from ..tutor import Worded
from .prose import Words

if TYPE_CHECKING:
    from ...engine.regression import RaceRow  # numpy: loaded when the race runs


class RegressionRace(Worded, Vertical, can_focus=True):
    """Press r: both methods solve generated linear regressions of growing width, each timed live."""

    DEFAULT_CSS = """
    RegressionRace { height: 1fr; padding: 0 1; }
    RegressionRace DataTable { height: auto; max-height: 12; }
    RegressionRace #race-summary { height: auto; }
    """
    BINDINGS = [Binding("r", "run", "race")]

    def __init__(self, features: list[int], samples_per_feature: int) -> None:
        super().__init__()
        self.features = features
        self.samples_per_feature = samples_per_feature
        self.rows: list[RaceRow] = []

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="none", show_cursor=False)
        yield Words(id="race-summary")

    def on_mount(self) -> None:
        self.show_words()

    def show_words(self) -> None:
        """The columns and the summary in the app's language (the timings stay as measured)."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(*self.words("race_columns").split("|"))
        for row in self.rows:
            table.add_row(*self._cells(row))
        self._summarize()

    def action_run(self) -> None:
        self.rows = []
        self.query_one(DataTable).clear()
        self._summarize()
        self._race()

    @work(thread=True, exclusive=True, group="race")
    def _race(self) -> None:
        from ...engine.regression import race_one

        worker = get_current_worker()
        for d in self.features:
            if worker.is_cancelled:
                return
            row = race_one(self.samples_per_feature * d, d)
            self.app.call_from_thread(self._add, row)

    @staticmethod
    def _cells(row: RaceRow) -> tuple[str, ...]:
        return (
            str(row.features),
            str(row.samples),
            f"{row.normal_seconds:.4f}",
            f"{row.gd_seconds:.4f}",
            str(row.gd_updates),
            f"{row.gd_seconds / max(row.normal_seconds, 1e-9):.2f}",
        )

    def _add(self, row: RaceRow) -> None:
        self.rows.append(row)
        self.query_one(DataTable).add_row(*self._cells(row))
        self._summarize()

    def _summarize(self) -> None:
        from ...engine.regression import crossover, growth_exponent

        summary = self.query_one("#race-summary", Static)
        normal, gd = growth_exponent(self.rows, "normal_seconds"), growth_exponent(self.rows, "gd_seconds")
        if normal is None or gd is None:
            summary.update(self.words("regression_run"))
            return
        text = self.words("race_growth", normal=f"{normal:.1f}", gd=f"{gd:.1f}")
        meet = crossover(self.rows)
        if meet is not None:
            text += " " + self.words("race_crossover", n=f"{meet:,.0f}")
        summary.update(text)
