"""Where a line of text may break: Chinese line-breaking rules (kinsoku), English as Rich breaks it.

Rich and Textual break lines only at spaces (``rich._wrap.divide_line``): a Chinese sentence, which has
no spaces, is one long "word" that is folded at whatever character meets the edge (a "。" may start the
next line), while the spaces around a formula or a number become the only places to break ("第 155 /
次更新", "x = x - / eta * g(x)"). :func:`break_points` gives the offsets at which a line should break
instead, and :func:`wrap_lines` the lines; ``gdtutor.ui.widgets.prose`` hands them to Textual.

The rules, for a line that holds Chinese (a line without it breaks exactly as Rich breaks it):

- a line may break between two Chinese characters (or full-width punctuation), and at the spaces
  around a formula or phrase of several words; a lone number or word stays with the Chinese beside it
  ("第 155 次"), and a formula is not broken inside;
- never before closing punctuation (``。，、；：！？）》」』”`` ...) and never after opening punctuation
  (``（《「『“`` ...): the character before is carried to the next line with it;
- a run that cannot break and is wider than the line (a long formula) breaks at its spaces, outside
  the ``keep`` ranges (inline code) where it can, and is folded by characters only when nothing else
  fits.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size

NO_START = frozenset(
    "。．，、；：！？）］｝〕〗〙〛》〉」』】”’…‥—～・·%％‰℃°"
    ".,;:!?)]}"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶーヽヾゝゞ々〻"
)
"""Characters that may not begin a line (closing punctuation, and what must follow a character)."""

NO_END = frozenset("（［｛〔〖〘〚《〈「『【“‘([{＄￥$¥£€#＃")
"""Characters that may not end a line (opening punctuation, and what must precede a number)."""

_SPACE = re.compile(r"\s")
_TERM = re.compile(r"\([\u3400-\u9fff]{1,8}\)")
"""A short Chinese term in ASCII parentheses, as the English lessons quote the lecture's words."""


_NARROW_CJK = frozenset("“”‘’…‥—·")
"""Chinese punctuation that terminals draw one cell wide (East Asian width "ambiguous")."""


@lru_cache(maxsize=4096)
def is_wide(char: str) -> bool:
    """Whether ``char`` is Chinese (or Japanese, Korean, full-width punctuation)."""
    return unicodedata.east_asian_width(char) in "WF" and not char.isspace()


def _cjk(char: str) -> bool:
    """Whether a line may break beside ``char`` (the punctuation rules permitting)."""
    return is_wide(char) or char in _NARROW_CJK


def has_wide(text: str) -> bool:
    """Whether ``text`` holds a character that follows the Chinese rules."""
    return any(is_wide(c) for c in text if ord(c) >= 0x1100)


def break_points(text: str, width: int, keep: Sequence[tuple[int, int]] = ()) -> list[int]:
    """The offsets in ``text`` (one line, no ``\\n``) at which to break it so that every line fits in
    ``width`` cells; ``keep`` are ``(start, end)`` ranges not to break inside (inline code), where
    that is possible."""
    if width < 1 or cell_len(text) <= width:
        return []
    if not has_wide(text):
        return _rich_points(text, width)
    kept = [False] * (len(text) + 1)
    # a Chinese term in an English sentence, "runs forever (死循环)", is one word: not broken inside
    terms = [(m.start(), m.end()) for m in _TERM.finditer(text)]
    for start, end in [*keep, *terms]:
        for i in range(max(start + 1, 0), min(end, len(text))):
            kept[i] = True
    # the runs that cannot break: a break is allowed before text[i] between two wide characters that
    # the punctuation rules let apart, and at the spaces around a formula (see _at_space)
    starts = [0]
    for i in range(1, len(text)):
        before, char = text[i - 1], text[i]
        if kept[i] or char in NO_START:
            continue
        if _cjk(before) and before not in NO_END and (_cjk(char) or (before in NO_START and not char.isspace())):
            starts.append(i)  # between Chinese characters, or after a comma or a full stop (，5.75)
        elif before.isspace() and not char.isspace() and _at_space(text, i):
            starts.append(i)
    return _fill(text, width, starts, kept)


def _at_space(text: str, i: int) -> bool:
    """Whether a line may break at the spaces that end before ``text[i]``: a gap of two or more (between
    the fields of a status line), or the space between Chinese and a formula or phrase of several
    words (``导函数 g(x) = 2*(x - 3.5) - 4.5``); never beside a lone number or word, which stays with
    its Chinese (``第 155 次``), nor inside a formula."""
    j = i
    while j > 0 and text[j - 1].isspace():
        j -= 1
    if j == 0 or text[j - 1] in NO_END:
        return False
    if i - j >= 2:
        return True
    left, right = text[j - 1], text[i]
    if _cjk(left) and left in NO_START:  # after a comma or a full stop
        return True
    if _cjk(left) == _cjk(right):
        return False
    if _cjk(left):  # the run of Latin that starts here
        end = i
        while end < len(text) and not _cjk(text[end]):
            end += 1
        run = text[i:end]
    else:  # the run of Latin that ends here
        start = j - 1
        while start > 0 and not _cjk(text[start - 1]):
            start -= 1
        run = text[start:j]
    return " " in run.strip()


def _fill(text: str, width: int, starts: list[int], kept: list[bool]) -> list[int]:
    """Greedy filling: as many runs on a line as fit; a run wider than a line is split by
    :func:`_split_run`, its first piece on the line begun if it fits there."""
    points: list[int] = []
    used = 0
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        run = text[start:end]
        if used + cell_len(run.rstrip()) <= width:
            used += cell_len(run)
        elif cell_len(run.rstrip()) <= width:
            if start and used:
                points.append(start)
            used = cell_len(run)
        else:
            more, used = _split_run(text, start, end, width, kept, used)
            points.extend(more)
    return points


def _split_run(
    text: str, start: int, end: int, width: int, kept: list[bool], used: int, *, strict: bool = True
) -> tuple[list[int], int]:
    """The breaks in a run wider than ``width`` that begins with ``used`` cells of its line taken, and
    the cells taken on its last line: at the run's spaces outside ``kept`` ranges, then (for a piece
    still too wide) at any space, then by characters."""
    subs = [start]
    for i in range(start + 1, end):
        if _SPACE.match(text[i - 1]) and not _SPACE.match(text[i]) and not (strict and kept[i]):
            subs.append(i)
    points: list[int] = []
    for n, sub in enumerate(subs):
        stop = subs[n + 1] if n + 1 < len(subs) else end
        piece = text[sub:stop]
        if used + cell_len(piece.rstrip()) <= width:
            used += cell_len(piece)
            continue
        if used:
            points.append(sub)
        if cell_len(piece.rstrip()) <= width:
            used = cell_len(piece)
            continue
        if strict:
            more, used = _split_run(text, sub, stop, width, kept, 0, strict=False)
        else:
            more, used = _fold(text, sub, stop, width)
        points.extend(more)
    return points, used


def _fold(text: str, start: int, end: int, width: int) -> tuple[list[int], int]:
    """The breaks that cut ``text[start:end]`` (begun on a line of its own) at ``width`` cells, never
    before a character that may not start a line when the one before can go with it; and the cells
    taken on the last line."""
    points: list[int] = []
    line = start
    used = 0
    for i in range(start, end):
        size = get_character_cell_size(text[i])
        if used + size > width and i > line:
            cut = i - 1 if text[i] in NO_START and i - 1 > line else i
            points.append(cut)
            line = cut
            used = cell_len(text[cut:i])
        used += size
    return points, used


def _rich_points(text: str, width: int) -> list[int]:
    """The offsets at which Rich (and so Textual) breaks a line with no Chinese in it: at spaces,
    folding a word wider than the line (``rich._wrap.divide_line``, re-stated with public parts)."""
    points: list[int] = []
    used = 0
    for match in re.finditer(r"\s*\S+\s*", text):
        start, word = match.start(), match.group()
        size = cell_len(word.rstrip())
        if width - used >= size:
            used += cell_len(word)
        elif size > width:
            folded = _chop(word, width)
            for n, piece in enumerate(folded):
                if start:
                    points.append(start)
                if n == len(folded) - 1:
                    used = cell_len(piece)
                else:
                    start += len(piece)
        elif used and start:
            points.append(start)
            used = cell_len(word)
    return points


def _chop(word: str, width: int) -> list[str]:
    """``word`` in pieces of at most ``width`` cells (as Rich's ``chop_cells``)."""
    pieces = [""]
    used = 0
    for char in word:
        size = get_character_cell_size(char)
        if used + size > width:
            pieces.append(char)
            used = size
        else:
            pieces[-1] += char
            used += size
    return pieces


def breaks(text: str, width: int, keep: Sequence[tuple[int, int]] = ()) -> list[int]:
    """The offsets in ``text`` (which may hold ``\\n``) where a line breaks to fit ``width`` cells,
    besides its ``\\n``; ``keep`` are ranges of ``text`` not to break inside."""
    points: list[int] = []
    offset = 0
    for line in text.split("\n"):
        end = offset + len(line)
        local = [(max(s, offset) - offset, min(e, end) - offset) for s, e in keep if e > offset and s < end]
        points.extend(offset + p for p in break_points(line, width, local))
        offset = end + 1
    return points


def wrap_lines(text: str, width: int, keep: Sequence[tuple[int, int]] = ()) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells by the rules above (the spaces at a break
    dropped); ``keep`` are ranges of ``text`` not to break inside."""
    cuts = [0, *breaks(text, width, keep), len(text)]
    pieces = [text[a:b] for a, b in itertools.pairwise(cuts)]
    return _lines(pieces)


def _lines(pieces: list[str]) -> list[str]:
    """The pieces between breaks as lines: each piece's end stripped of spaces, its ``\\n`` kept."""
    joined = "\n".join([*(piece.rstrip() for piece in pieces[:-1]), pieces[-1]])
    return joined.split("\n")
