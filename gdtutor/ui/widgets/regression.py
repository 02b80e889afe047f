"""The regression race: the normal equation against gradient descent, timed on this machine."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from ...engine.regression import RaceRow, crossover, growth_exponent, race_one
from ...i18n import t


class RegressionRace(Vertical, can_focus=True):
    """Press r: both methods solve generated linear regressions of growing width, each timed live."""

    DEFAULT_CSS = """
    RegressionRace { height: 1fr; padding: 0 1; }
    RegressionRace DataTable { height: auto; max-height: 12; }
    RegressionRace #race-summary { height: auto; }
    """
    BINDINGS = [Binding("r", "run", "Run")]

    def __init__(self, features: list[int], samples_per_feature: int) -> None:
        super().__init__()
        self.features = features
        self.samples_per_feature = samples_per_feature
        self.rows: list[RaceRow] = []

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="none", show_cursor=False)
        yield Static(id="race-summary")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*t("race_columns", getattr(self.app, "lang", "en")).split("|"))
        self.query_one("#race-summary", Static).update(t("regression_run", getattr(self.app, "lang", "en")))

    def action_run(self) -> None:
        self.rows = []
        self.query_one(DataTable).clear()
        self._race()

    @work(thread=True, exclusive=True, group="race")
    def _race(self) -> None:
        worker = get_current_worker()
        for d in self.features:
            if worker.is_cancelled:
                return
            row = race_one(self.samples_per_feature * d, d)
            self.app.call_from_thread(self._add, row)

    def _add(self, row: RaceRow) -> None:
        self.rows.append(row)
        self.query_one(DataTable).add_row(
            str(row.features),
            str(row.samples),
            f"{row.normal_seconds:.4f}",
            f"{row.gd_seconds:.4f}",
            str(row.gd_updates),
            f"{row.gd_seconds / max(row.normal_seconds, 1e-9):.2f}",
        )
        lang = getattr(self.app, "lang", "en")
        normal, gd = growth_exponent(self.rows, "normal_seconds"), growth_exponent(self.rows, "gd_seconds")
        if normal is not None and gd is not None:
            text = t("race_growth", lang, normal=f"{normal:.1f}", gd=f"{gd:.1f}")
            meet = crossover(self.rows)
            if meet is not None:
                text += " " + t("race_crossover", lang, n=f"{meet:,.0f}")
            self.query_one("#race-summary", Static).update(text)
