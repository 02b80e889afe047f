"""Shown instead of the app while the terminal is smaller than the app can use."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Static

from ...i18n import t
from .base import TutorScreen


class TooSmallScreen(TutorScreen):
    """A clear request for a larger window; it goes away as soon as the window is large enough."""

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self._update()

    def on_resize(self, event: events.Resize) -> None:
        self._update(event.size.width, event.size.height)

    def _update(self, width: int | None = None, height: int | None = None) -> None:
        from ..app import MIN_HEIGHT, MIN_WIDTH

        if width is None or height is None:
            width, height = self.app.size
        lang = getattr(self.app, "lang", "en")
        self.query_one("#too-small", Static).update(
            t("too_small", lang, w=MIN_WIDTH, h=MIN_HEIGHT, cw=width, ch=height)
        )
