"""gdtutor's words, with lines broken by the rules of their language (Chinese between characters).

Textual wraps a :class:`~textual.content.Content` at spaces only (see :mod:`gdtutor.linebreak`).
:class:`Wrapped` is a Visual that breaks a Content's lines with :func:`~gdtutor.linebreak.wrap_lines`
before Textual lays them out, so Textual's own wrapping finds every line fitting and leaves it alone;
:class:`Words` is a ``Static`` drawn through it. Nothing here loads the markdown parser: the lesson list
and the first screen use these, and markdown (:mod:`.prose`) is loaded with the first lesson.
"""

from __future__ import annotations

from typing import Any, cast

from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

from ...linebreak import breaks, has_wide

CODE = "$text-warning on $warning 10%"
"""The style of inline code outside the markdown widget (in options), as Textual's markdown shows it."""
KEEP = frozenset({".code_inline", CODE})
"""Styles of the spans a line does not break inside (inline code), where it can."""


def _head(line: Content, cells: int) -> Content | None:
    """The start of ``line`` that takes exactly ``cells`` cells, if there is one."""
    taken = 0
    for i, char in enumerate(line.plain):
        if taken == cells:
            return line[:i]
        taken += cell_len(char)
    return None


class Wrapped(Visual):
    """A Content whose lines are broken by :func:`~gdtutor.linebreak.breaks` (Chinese rules);
    ``indent`` cells before every line that follows a ``\\n`` of the content (a lesson's summary under
    its title); with ``hanging``, before every line but the first (an option under its mark)."""

    def __init__(self, content: Content, *, indent: int = 0, hanging: bool = False) -> None:
        self.content = content
        self.indent = indent
        self.hanging = hanging
        self._broken: tuple[int, Content] | None = None

    def lines(self, width: int) -> Content:
        """The content with a ``\\n`` at every break for ``width`` cells (cached for the last width)."""
        if self._broken is not None and self._broken[0] == width:
            return self._broken[1]
        content = self.content
        if width > 0 and (self.indent or has_wide(content.plain)):
            lines: list[Content] = []
            for n, line in enumerate(content.split("\n", allow_blank=True)):
                indent = self.indent if n or self.hanging else 0
                head = _head(line, indent) if self.hanging and n == 0 else None
                if head is not None:  # the mark (a key, '[x] ') takes the indent: the rest breaks beside it
                    line = line[len(head.plain) :]
                keep = [(span.start, span.end) for span in line.spans if span.style in KEEP]
                parts = line.divide(breaks(line.plain, max(width - indent, 1), keep))
                parts = [*(part.rstrip() for part in parts[:-1]), parts[-1]]
                if head is not None:
                    parts[0] = head + parts[0]
                for m, part in enumerate(parts):
                    flush = not indent or (self.hanging and n == 0 and m == 0)  # a hanging first line
                    lines.append(part if flush else Content(" " * indent) + part)
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


def pack(items: list[Content], width: int, separator: Content) -> Content:
    """``items`` joined by ``separator``, with a ``\n`` instead wherever the next would not fit in
    ``width`` cells (no line breaks when ``width`` is not known yet)."""
    lines: list[Content] = []
    for item in items:
        if lines and (width <= 0 or (lines[-1] + separator + item).cell_length <= width):
            lines[-1] = lines[-1] + separator + item
        else:
            lines.append(item)
    return Content("\n").join(lines)


class Packed(Wrapped):
    """Items side by side, as many to a line as fit, ``separator`` between them: an item is never
    split between lines unless it is wider than a line on its own (a legend's marker stays with its
    run's name, a phrase of a header stays whole). Lines of Chinese break by Chinese rules, as
    :class:`Wrapped`."""

    def __init__(self, items: list[Content], separator: str = "   ") -> None:
        self.items = items
        self.separator = Content(separator)
        super().__init__(self.separator.join(items))

    def lines(self, width: int) -> Content:
        """The items with a ``\n`` wherever the next one would not fit in ``width`` cells."""
        if self._broken is None or self._broken[0] != width:
            self._broken = (width, Wrapped(pack(self.items, width, self.separator)).lines(width))
        return self._broken[1]

    def get_minimal_width(self, rules: RulesMap) -> int:
        return max((item.get_minimal_width(rules) for item in self.items), default=0)


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
        if isinstance(visual, Wrapped):  # already broken by the rules (items packed on lines)
            self._wrapped = visual
            return visual
        if not isinstance(visual, Content):
            return visual
        if self._wrapped is None or self._wrapped.content is not visual:
            self._wrapped = Wrapped(visual)
        return self._wrapped


class Words(Breaking, Static):
    """A ``Static`` for gdtutor's words: Chinese lines break by Chinese rules.

    :meth:`update` does nothing for the words already shown, and lays the screen out again only when
    the widget's size may change. An animating lab updates its notes, its speed and its status many
    times a second: headless, 20 s of a run with keys laid the whole screen out 52 times, 20 of them
    for a legend that had not changed, which a class of learners on one server pays sixty times over.
    """

    _shown: Any = None
    _height: int | None = None

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        if _same(content, self._shown):
            return
        self._shown = content
        super().update(content, layout=False)
        height = self._rows()
        if layout and (height is None or height != self._height):
            self.refresh(layout=True)  # else the same rows at a width the container sets: only cells change
        self._height = height

    def _rows(self) -> int | None:
        """The rows the words take at the width the widget has now, or None when that width is not the
        container's to set (``width: auto`` follows the words) or not known yet."""
        width = self.styles.width
        if (width is not None and width.is_auto) or not self.content_size.width:
            return None
        visual = self.render()  # the Wrapped that will be drawn: its lines, broken here, are drawn as they are
        if not isinstance(visual, Wrapped):
            return None
        return visual.get_height(cast("RulesMap", self.styles), self.content_size.width)


def _same(one: Any, other: Any) -> bool:
    """Whether two contents of a :class:`Words` show the same: equal texts or Contents, or items packed
    alike (a Visual made afresh is another object each time)."""
    if isinstance(one, Packed) and isinstance(other, Packed):
        return one.items == other.items and one.separator == other.separator
    return type(one) is type(other) and isinstance(one, str | Content) and one == other
