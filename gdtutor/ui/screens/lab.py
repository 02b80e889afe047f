"""The lab on its own (``gdtutor lab``), outside any lesson."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...engine.params import Setup
from ..widgets.keybar import KeyBar
from ..widgets.lab import Lab
from ..widgets.words import Words
from .base import TutorScreen


class LabScreen(TutorScreen):
    """Every parameter editable; ``run`` starts the descent at once."""

    BINDINGS = [Binding("q", "app.pop_screen", "lessons", show=False)]

    def __init__(self, setup: Setup, *, run: bool = False) -> None:
        super().__init__()
        self.setup = setup
        self.run_now = run

    def compose(self) -> ComposeResult:
        yield Words(id="lesson-title")
        yield Lab(self.setup, id="lab")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_words()
        lab = self.query_one(Lab)
        lab.focus()
        if self.run_now:
            lab.action_run()

    def show_words(self) -> None:
        self.query_one("#lesson-title", Static).update(self.words("lab_title"))
