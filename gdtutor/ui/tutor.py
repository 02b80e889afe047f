"""What gdtutor's screens and widgets share: the app, typed, and their words in the app's language.

Screens and widgets reach the long-lived state (the lessons, the learner's progress, the language)
through :attr:`TutorNode.tutor`, typed as the app it is; the app module is imported for its type only,
so there is no import circle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.widget import MountError

from ..i18n import t

if TYPE_CHECKING:
    from .app import GDTutorApp


class TutorNode:
    """Mixed into gdtutor's screens and widgets."""

    async def on_event(self, event: events.Event) -> None:
        """Handle ``event`` as Textual does; a handler that finds its widgets gone because the app is
        closing (ctrl+q, a signal) or its screen was left is done, not a crash.

        The app's exit takes screens apart while their handlers may still be running or queued (a
        lesson's mount, awaiting its first step, when SIGTERM or ctrl+q comes): Textual then dispatches
        to widgets that no longer hold their children, and a query raises NoMatches (a mount,
        MountError). Caught here, for every screen and widget of the tutor, rather than guarded in each
        handler.
        """
        assert isinstance(self, DOMNode)
        try:
            await super().on_event(event)  # type: ignore[misc]
        except (NoMatches, MountError):
            if self.app.return_code is None and self.is_attached:
                raise  # a real bug: the widget is there and the app is not closing

    @property
    def tutor(self) -> GDTutorApp:
        """The app, with its lessons, the learner's progress and the language."""
        assert isinstance(self, DOMNode)
        return cast("GDTutorApp", self.app)

    @property
    def lang(self) -> str:
        """The language the app speaks now."""
        return self.tutor.lang

    def words(self, key: str, /, **fields: object) -> str:
        """The catalogue's text ``key`` in the app's language."""
        return t(key, self.lang, **fields)


class Worded(TutorNode):
    """A screen or widget that shows words: told to show them again when the language changes.

    The app calls :meth:`show_words` on every one of them on its screens; it updates its widgets in
    place (no widget is rebuilt for a new language).
    """

    def show_words(self) -> None:
        """Show every word again, in the app's language."""
        raise NotImplementedError
