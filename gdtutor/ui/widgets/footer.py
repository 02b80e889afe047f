"""The footer every screen shows: Textual's, compact, without a leak of its old keys."""

from __future__ import annotations

from textual.widgets import Footer

from ..memory import drop_detached_watchers


class TutorFooter(Footer):
    """Textual's footer in its compact form (every key of a lesson's lab fits in 80 columns).

    Each time the keys change (focus, screen, language, a run starting or ending) the footer builds
    new key widgets, and each is data-bound to the footer's ``compact``. Textual drops a watcher only
    when the watched value changes (Textualize/textual#6666), so the old keys stayed referenced from
    the footer for as long as the app ran: about 140 KB a language switch, and 250 KB a run in the
    lab, measured with tracemalloc. After each rebuild the watchers of keys no longer on the screen
    are dropped (gdtutor.ui.memory).
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    async def recompose(self) -> None:
        await super().recompose()
        drop_detached_watchers(self)
