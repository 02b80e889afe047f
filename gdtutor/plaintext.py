"""Plain text for a terminal, as the command line and the class report print it: a text's width in
terminal cells (a Chinese character takes two), a text cut to a width, and columns that line up
whatever the characters (progress, sweep, race, class report). The app's widgets measure with the same
``cells`` (rich's, which Textual uses)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len


def cells(text: str) -> int:
    """Terminal cells taken by ``text`` (Chinese characters take two)."""
    return cell_len(text)


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, ending with '…' when it had to be cut."""
    if cells(text) <= width:
        return text
    out, used = "", 0
    for char in text:
        used += cells(char)
        if used > width - 1:
            break
        out += char
    return out + "…"


def widths_of(rows: Sequence[Sequence[str]], least: Sequence[int] = ()) -> list[int]:
    """The cells each column needs for ``rows`` (and at least ``least``, column by column)."""
    count = max(len(row) for row in rows)
    return [max([*(cells(row[i]) for row in rows if i < len(row)), *least[i : i + 1]]) for i in range(count)]


def liner(widths: Sequence[int], align: str = "", separator: str = "  ") -> Callable[[Sequence[str]], str]:
    """A line of columns ``widths`` cells wide, ``separator`` between them, each left-aligned unless
    ``align`` has an 'r' for it; trailing spaces dropped (a table printed row by row as rows come)."""

    def line(values: Sequence[str]) -> str:
        padded = []
        for i, (value, width) in enumerate(zip(values, widths, strict=False)):
            pad = " " * (width - cells(value))
            padded.append(pad + value if align[i : i + 1] == "r" else value + pad)
        return separator.join([*padded, *values[len(widths) :]]).rstrip()

    return line


def table(names: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> list[str]:
    """A header, a rule of dashes and the rows, in columns as wide as their widest cell."""
    widths = widths_of([names, *rows])
    line = liner(widths, align)
    return [line(names), line(["-" * width for width in widths]), *(line(row) for row in rows)]
