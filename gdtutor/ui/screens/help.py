"""The help screen: every key of the screen it was opened on, built from that screen's bindings.

So it cannot drift from the keys: a binding added to a screen or a widget is listed here with its
``help_<description>`` words, shown ones and hidden ones alike, with the app's own keys last.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ...i18n import has
from ..widgets.words import Words, Wrapped
from .base import TutorModal


def help_rows(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(keys, description) for every key that works on ``screen`` where the learner is: the focused
    widget's, its containers', the screen's and the app's, shown or hidden, each with words."""
    chain = screen.focused.ancestors_with_self if screen.focused is not None else [screen, screen.app]
    rows: dict[str, tuple[list[str], str]] = {}
    for node in chain:
        for cls in type(node).__mro__:
            for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
                if not has(f"help_{binding.description}"):
                    continue  # Textual's own keys (arrows in a list, ...): the general words name them
                # an action bound by the app and again by a screen ("app.toggle_language") is one row
                action = binding.action.removeprefix("app.")
                keys, _ = rows.setdefault(action, ([], binding.description))
                display = screen.app.get_key_display(binding)
                if display not in keys:
                    keys.append(display)
    return [(" / ".join(keys), description) for keys, description in rows.values()]


class HelpScreen(TutorModal):
    """Keys and what they do, for the screen below."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "close")]

    def __init__(self, below: Screen[Any]) -> None:
        super().__init__()
        self.rows = help_rows(below)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Words(id="help-keys")
            for _ in self.rows:
                yield Static(classes="help-row")
            yield Words(id="help-general")

    def on_mount(self) -> None:
        self.show_words()

    def show_words(self) -> None:
        """A row a key: the key, then what it does, a description that wraps going on under itself (a
        two-column table at every width, 60 columns and Chinese too)."""
        width = max([cell_len(keys) for keys, _ in self.rows] + [cell_len(self.words("help_key"))])
        self.query_one("#help-keys", Static).update(Content.styled(self.words("help_title") + "\n", "bold"))
        for row, (keys, name) in zip(self.query(".help-row").results(Static), self.rows, strict=True):
            line = Content.styled(keys + " " * (width - cell_len(keys)) + "  ", "bold") + self.words(f"help_{name}")
            row.update(Wrapped(line, indent=width + 2, hanging=True))
        self.query_one("#help-general", Static).update(self.words("help_general"))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
