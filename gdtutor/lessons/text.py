"""Text in a lesson's languages, side by side: ``{"en": ..., "zh": ...}``."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

Text = Annotated[dict[str, str], Meta(extra={"text": True})]
"""Text a learner reads, in each of the lesson's languages (plain text in a one-language lesson)."""


def pick(text: dict[str, str] | None, lang: str) -> str:
    """``text`` in ``lang``, or in English, or empty."""
    if not text:
        return ""
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")
