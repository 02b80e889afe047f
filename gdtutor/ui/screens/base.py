"""What every gdtutor screen shares: key names in the footer in the learner's language, and letting go
of the widgets of screens that were closed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen

from ...i18n import key_label
from ..memory import release_removed


def _localized(bindings: dict[str, ActiveBinding], lang: str) -> dict[str, ActiveBinding]:
    if lang == "en":
        return bindings
    return {
        key: active._replace(binding=replace(active.binding, description=key_label(active.binding.description, lang)))
        for key, active in bindings.items()
    }


class _Tutor:
    """What both kinds of screen share (mixed into Screen and ModalScreen, which give ``app``)."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        app = self.app  # type: ignore[attr-defined]
        return _localized(super().active_bindings, getattr(app, "lang", "en"))  # type: ignore[misc]

    def on_unmount(self) -> None:
        # closed: once it is gone, let go of its widgets (gdtutor.ui.memory); subclasses' own
        # on_unmount handlers run as well (Textual calls each class's handler)
        app = self.app  # type: ignore[attr-defined]
        if app.is_running:
            app.call_after_refresh(release_removed, app)


class TutorScreen(_Tutor, Screen[Any]):
    """A screen whose footer names its keys in the app's language (Textual's footer shows descriptions)."""


class TutorModal(_Tutor, ModalScreen[Any]):
    """A modal screen with the same localized footer."""
