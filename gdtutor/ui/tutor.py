"""What gdtutor's screens and widgets share: the app, typed, and their words in the app's language.

Screens and widgets reach the long-lived state (the lessons, the learner's progress, the language)
through :attr:`TutorNode.tutor`, typed as the app it is; the app module is imported for its type only,
so there is no import circle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

from ..i18n import t

if TYPE_CHECKING:
    from .app import GDTutorApp


class TutorNode:
    """Mixed into gdtutor's screens and widgets."""

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
