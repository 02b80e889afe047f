"""The key bar at the foot of every screen: the keys that work now, named in the learner's language.

A binding's ``description`` is the name of its words in the catalogue: ``key_<description>`` in the
bar, ``help_<description>`` in the help screen (a test checks that every binding has both, in every
language). The bar is one line of text redrawn in place whenever the screen's keys change; Textual's
``Footer`` rebuilds a widget per key each time, and kept every old one (Textualize/textual#6666).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from ...i18n import has
from ..tutor import Worded


def shown_bindings(screen: Screen[object]) -> list[tuple[Binding, bool]]:
    """The keys to show for ``screen`` now (one per action), each with whether it is enabled."""
    seen: set[str] = set()
    shown = []
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.show and binding.action not in seen and has(f"key_{binding.description}"):
            seen.add(binding.action)
            shown.append((binding, active.enabled))
    return shown


class KeyBar(Worded, Static):
    """One line of keys, ``r Run s Step c Code ...``, each key in reverse: a lesson's lab, with every
    key of a run, fits 80 columns in English and in Chinese (a test keeps it so). In a narrower
    terminal the keys that do not fit are left out, never the help key that lists them all."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text; }
    """

    def __init__(self) -> None:
        super().__init__(markup=False)
        self.keys: list[tuple[str, str]] = []
        """What the bar shows: (key, name) of each key, in order."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self.show_words()

    def on_resize(self) -> None:
        self.show_words()

    def _changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._refresh)

    def _refresh(self) -> None:
        if self.is_attached:  # the screen may have been left since
            self.show_words()

    def show_words(self) -> None:
        from rich.cells import cell_len
        from rich.text import Text

        items = [
            (binding, enabled, self.app.get_key_display(binding), self.words(f"key_{binding.description}"))
            for binding, enabled in shown_bindings(self.screen)
        ]
        # what does not fit goes, the app's quit first, then from the end; the help key stays last,
        # since it lists every key
        helps = [item for item in items if item[0].action == "help"]
        items = [item for item in items if item[0].action != "help"]
        width = self.size.width or self.app.size.width

        def cells(kept: list[tuple[Binding, bool, str, str]]) -> int:
            return sum(cell_len(key) + 1 + cell_len(name) for _, _, key, name in kept) + len(kept) - 1

        while items and cells(items + helps) > width:
            quits = [item for item in items if item[0].action == "quit"]
            items.remove(quits[0] if quits else items[-1])
        text = Text(no_wrap=True, overflow="ellipsis")
        self.keys = []
        for binding, enabled, key, name in items + helps:
            if self.keys:
                text.append(" ")
            text.append(key, style="bold reverse" if enabled else "dim reverse")
            text.append(f" {name}", style="" if enabled else "dim")
            self.keys.append((binding.key, name))
        self.update(text)
