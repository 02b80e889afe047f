"""Markdown whose lines break by the rules of their language: :class:`Prose` (the lessons' markdown,
each block of text drawn through :class:`~.words.Wrapped`) and :func:`inline` (markdown in one line,
for quiz options). Text without Chinese is drawn exactly as Textual draws it. Loaded with the first
lesson: the markdown parser is not needed before (the lesson list uses :mod:`.words`).
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from textual.content import Content, Span
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock

from .words import CODE, Breaking


def _breaking(block: type[MarkdownBlock]) -> type[MarkdownBlock]:
    return type(
        block.__name__, (Breaking, block), {"__doc__": f"{block.__doc__} (Chinese rules)", "__module__": __name__}
    )


_LEFT_ALONE = {"fence", "code_block", "hr", "table_open", "thead_open", "tbody_open", "tr_open", "th_open", "td_open"}
"""Blocks that are not prose: code keeps its lines, a rule and a table have no sentences."""


class Prose(Markdown):
    """Markdown whose paragraphs, headings and list items break lines by the rules of their language."""

    BLOCKS = {name: block if name in _LEFT_ALONE else _breaking(block) for name, block in Markdown.BLOCKS.items()}


_INLINE = MarkdownIt("commonmark")
_STYLES = {"strong": "bold", "em": "italic", "s": "strike"}
_TEXT: dict[str, str | None] = {"text": None, "code_inline": None, "softbreak": " ", "hardbreak": " "}
"""The tokens that are text: their own (None) or a space."""


@lru_cache(maxsize=512)
def inline(text: str) -> Content:
    """One line of markdown (``code``, **strong**, *em*) as styled Content, for a quiz option."""
    tokens = _INLINE.parseInline(text)
    children = tokens[0].children if tokens and tokens[0].children else []
    plain: list[str] = []
    spans: list[Span] = []
    opened: list[tuple[str, int]] = []
    position = 0
    for token in children:
        name = token.type  # markdown-it's token names (a parser's, not a lesson kind)
        if name in _TEXT:
            piece = _TEXT[name] or token.content
            if name == "code_inline":
                spans.append(Span(position, position + len(piece), CODE))
            plain.append(piece)
            position += len(piece)
        elif name.removesuffix("_open") in _STYLES:
            opened.append((_STYLES[name.removesuffix("_open")], position))
        elif name.endswith("_close") and opened:
            style, start = opened.pop()
            spans.append(Span(start, position, style))
    return Content("".join(plain), spans=spans)
