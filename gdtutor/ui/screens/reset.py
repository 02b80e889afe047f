"""Asking before progress is forgotten: one lesson's, or all of it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ...i18n import t
from ...lessons.model import Lesson, pick
from .base import TutorModal


class ResetScreen(TutorModal):
    """Dismissed with the lesson id to reset, ``"all"``, or None to keep everything."""

    BINDINGS = [
        Binding("y", "choose('one')", "Reset", show=False),
        Binding("a", "choose('all')", "Reset", show=False),
        Binding("n,escape,q", "choose('none')", "Close", show=False),
    ]

    def __init__(self, lesson: Lesson | None) -> None:
        super().__init__()
        self.lesson = lesson

    def compose(self) -> ComposeResult:
        lang = getattr(self.app, "lang", "en")
        with Vertical(id="reset-box"):
            if self.lesson is not None:
                yield Static(t("reset_ask_one", lang, title=pick(self.lesson.title, lang)))
            yield Static(t("reset_ask_all", lang) if self.lesson is None else "")
            yield Static(t("reset_keys", lang), classes="reset-keys")

    def action_choose(self, which: str) -> None:
        if which == "one" and self.lesson is not None:
            self.dismiss(self.lesson.id)
        elif which == "all":
            self.dismiss("all")
        else:
            self.dismiss(None)
