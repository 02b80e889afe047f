"""What every gdtutor screen is: a Textual screen with the typed app and the key bar's words."""

from __future__ import annotations

from typing import Any

from textual.screen import ModalScreen, Screen

from ..tutor import Worded


class TutorScreen(Worded, Screen[Any]):
    """A full screen of the tutor; :meth:`show_words` shows its own words again (widgets show theirs)."""

    def show_words(self) -> None:
        """Nothing of its own to show by default: its widgets show their words themselves."""


class TutorModal(Worded, ModalScreen[Any]):
    """A modal screen of the tutor."""

    def show_words(self) -> None:
        """Nothing of its own to show by default."""
