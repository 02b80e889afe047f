"""Asking before progress is forgotten: one lesson's, or all of it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ...lessons.model import Lesson
from ...lessons.text import pick
from ..widgets.words import Words
from .base import TutorModal


class ResetScreen(TutorModal):
    """Dismissed with the lesson id to reset, ``"all"``, or None to keep everything."""

    BINDINGS = [
        Binding("y", "choose('one')", "reset_one", show=False),
        Binding("a", "choose('all')", "reset_all", show=False),
        Binding("n,escape,q", "choose('none')", "keep", show=False),
    ]

    def __init__(self, lesson: Lesson | None) -> None:
        super().__init__()
        self.lesson = lesson

    def compose(self) -> ComposeResult:
        with Vertical(id="reset-box"):
            yield Words(id="reset-ask")
            yield Words(classes="reset-keys")

    def on_mount(self) -> None:
        self.show_words()

    def show_words(self) -> None:
        if self.lesson is not None:
            ask = self.words("reset_ask_one", title=pick(self.lesson.title, self.lang))
        else:
            ask = self.words("reset_ask_all")
        self.query_one("#reset-ask", Static).update(ask)
        self.query_one(".reset-keys", Static).update(self.words("reset_keys"))

    def action_choose(self, which: str) -> None:
        if which == "one" and self.lesson is not None:
            self.dismiss(self.lesson.id)
        elif which == "all":
            self.dismiss("all")
        else:
            self.dismiss(None)
