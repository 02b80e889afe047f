"""The lab on its own (``gdtutor lab``), outside any lesson."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...i18n import t
from ..playback import LabParams
from ..widgets.footer import TutorFooter
from ..widgets.lab import Lab
from .base import TutorScreen


class LabScreen(TutorScreen):
    """Every parameter editable; ``run`` starts the descent at once."""

    BINDINGS = [Binding("q", "app.pop_screen", "Lessons", show=False)]

    def __init__(self, params: LabParams, *, run: bool = False) -> None:
        super().__init__()
        self.params = params
        self.run_now = run

    def compose(self) -> ComposeResult:
        yield Static(t("lab_title", getattr(self.app, "lang", "en")), id="lesson-title")
        yield Lab(self.params, id="lab")
        yield TutorFooter()

    def on_mount(self) -> None:
        lab = self.query_one(Lab)
        lab.focus()
        if self.run_now:
            lab.action_run()

    async def refresh_language(self) -> None:
        self.query_one("#lesson-title", Static).update(t("lab_title", getattr(self.app, "lang", "en")))
        await self.query_one(Lab).relabel()
