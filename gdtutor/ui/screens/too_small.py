"""Shown instead of the app while the terminal is smaller than the app can use."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Static

from ..widgets.words import Words
from .base import TutorScreen

MIN_WIDTH, MIN_HEIGHT = 60, 20
"""Below this size the app shows a message asking for a larger window instead of its screens."""


def too_small(width: int, height: int) -> bool:
    """Whether a terminal of this size is too small for the app."""
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(TutorScreen):
    """A clear request for a larger window; it goes away as soon as the window is large enough."""

    def compose(self) -> ComposeResult:
        yield Words(id="too-small")

    def on_mount(self) -> None:
        self.show_words()

    def on_resize(self, event: events.Resize) -> None:
        self._show(event.size.width, event.size.height)

    def show_words(self) -> None:
        self._show(*self.app.size)

    def _show(self, width: int, height: int) -> None:
        text = self.words("too_small", w=MIN_WIDTH, h=MIN_HEIGHT, cw=width, ch=height)
        self.query_one("#too-small", Static).update(text)
