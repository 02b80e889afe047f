"""Text that breaks its lines by the rules of its language: the one place gdtutor's words are wrapped.

Textual wraps a :class:`~textual.content.Content` at spaces only (see :mod:`gdtutor.ui.linebreak`).
:class:`Wrapped` is a Visual that breaks a Content's lines with :func:`~gdtutor.ui.linebreak.wrap_lines`
before Textual lays them out, so Textual's own wrapping finds every line fitting and leaves it alone.
Everything gdtutor shows in words goes through it: :class:`Words` (a ``Static``), :class:`Prose` (the
lessons' markdown: each block of text is drawn through it) and :func:`inline` (markdown in one line,
for quiz options). Text without Chinese is drawn exactly as Textual draws it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from textual.content import Content, Span
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownBlock

from ..linebreak import breaks, has_wide

CODE = "$text-warning on $warning 10%"
"""The style of inline code outside the markdown widget (in options), as Textual's markdown shows it."""
KEEP = frozenset({".code_inline", CODE})
"""Styles of the spans a line does not break inside (inline code), where it can."""


class Wrapped(Visual):
    """A Content whose lines are broken by :func:`~gdtutor.ui.linebreak.breaks` (Chinese rules);
    ``indent`` cells before every line that follows a ``\\n`` of the content (a lesson's summary under
    its title)."""

    def __init__(self, content: Content, *, indent: int = 0) -> None:
        self.content = content
        self.indent = indent
        self._broken: tuple[int, Content] | None = None

    def lines(self, width: int) -> Content:
        """The content with a ``\\n`` at every break for ``width`` cells (cached for the last width)."""
        if self._broken is not None and self._broken[0] == width:
            return self._broken[1]
        content = self.content
        if width > 0 and (self.indent or has_wide(content.plain)):
            lines: list[Content] = []
            for n, line in enumerate(content.split("\n", allow_blank=True)):
                indent = self.indent if n else 0
                keep = [(span.start, span.end) for span in line.spans if span.style in KEEP]
                parts = line.divide(breaks(line.plain, max(width - indent, 1), keep))
                parts = [*(part.rstrip() for part in parts[:-1]), parts[-1]]
                lines.extend(Content(" " * indent) + part if indent else part for part in parts)
            content = Content("\n").join(lines)
        self._broken = (width, content)
        return content

    def __str__(self) -> str:
        """The text, as ``str()`` of a Content gives it."""
        return str(self.content)

    @property
    def width(self) -> int | None:
        """The width (in cells, before the indent) its lines were last broken for: the room the layout
        gives it."""
        return self._broken[0] if self._broken is not None else None

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        pad = options.rules.get("line_pad", 0)
        return self.lines(width - 2 * pad).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        pad = rules.get("line_pad", 0)
        return self.lines(width - 2 * pad).get_height(rules, width)


class Breaking:
    """Mixed into a ``Static`` (first among its bases): its content is drawn through :class:`Wrapped`."""

    _wrapped: Wrapped | None = None

    @property
    def wrapped(self) -> Wrapped | None:
        """What was last drawn, if it was text."""
        return self._wrapped

    def render(self) -> Any:
        assert isinstance(self, Static)
        visual = self.visual
        if not isinstance(visual, Content):
            return visual
        if self._wrapped is None or self._wrapped.content is not visual:
            self._wrapped = Wrapped(visual)
        return self._wrapped


class Words(Breaking, Static):
    """A ``Static`` for gdtutor's words: Chinese lines break by Chinese rules."""


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
