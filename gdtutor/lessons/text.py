"""Text in a lesson's languages, side by side: ``{"en": ..., "zh": ...}``."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from msgspec import Meta

Text = Annotated[dict[str, str], Meta(extra={"text": True})]
"""Text a learner reads, in each of the lesson's languages (plain text in a one-language lesson)."""


def pick(text: dict[str, str] | None, lang: str) -> str:
    """``text`` in ``lang``, or in English, or empty."""
    if not text:
        return ""
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")


_TEXT_TOKENS = {"text": None, "code_inline": None, "softbreak": " ", "hardbreak": " "}
"""markdown-it's tokens that are text: their own (None) or a space (the rest are markers)."""


@lru_cache(maxsize=512)
def plain(text: str) -> str:
    """Markdown ``text`` of a lesson (a title, a prompt, an option) as plain text, for a terminal that
    does not render markdown: what the tutor's markdown shows, read by the same CommonMark parser
    (markdown-it): inline code without its backticks, emphasis without its markers, escapes undone."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parseInline(text)
    children = tokens[0].children if tokens and tokens[0].children else []
    return "".join(_TEXT_TOKENS[token.type] or token.content for token in children if token.type in _TEXT_TOKENS)
