"""What every gdtutor screen shares: key names in the footer in the learner's language."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen

from ...i18n import key_label


def _localized(bindings: dict[str, ActiveBinding], lang: str) -> dict[str, ActiveBinding]:
    if lang == "en":
        return bindings
    return {
        key: active._replace(binding=replace(active.binding, description=key_label(active.binding.description, lang)))
        for key, active in bindings.items()
    }


class TutorScreen(Screen[Any]):
    """A screen whose footer names its keys in the app's language (Textual's footer shows descriptions)."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return _localized(super().active_bindings, getattr(self.app, "lang", "en"))


class TutorModal(ModalScreen[Any]):
    """A modal screen with the same localized footer."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return _localized(super().active_bindings, getattr(self.app, "lang", "en"))
