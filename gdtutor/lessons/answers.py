"""What grading shares: a learner's number as typed, and the verdict on an answer."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """One graded answer: whether it was right, how it is stored, and what the learner is told."""

    correct: bool
    answer: str
    """The answer as stored in the learner's progress."""
    feedback: str
    """Markdown: why the answer is right or wrong, as shown once the question is settled."""
    open_feedback: str | None = None
    """Markdown: what a wrong try shows while tries are left (None: ``feedback``). It says how far off
    the answer was without saying what is right, so that the next try is not free."""

    def shown(self, settled: bool) -> str:
        """The feedback to show, on a question ``settled`` (answered rightly or out of tries) or not."""
        if settled or self.correct or self.open_feedback is None:
            return self.feedback
        return self.open_feedback


class NotANumber(ValueError):
    """The learner typed something that is not a number; no try is spent on it.

    ``code`` says why (``quiz_<code>`` in the catalogue): ``not_a_number``, or ``ambiguous_comma`` for
    ``1,000``, which is a thousand to some and one to others.
    """

    def __init__(self, text: str, code: str = "not_a_number", **fields: str) -> None:
        super().__init__(text)
        self.text = text
        self.code = code
        self.fields = fields
        """The words' fields besides the text typed (the two readings of an ambiguous comma)."""


def _commas(text: str) -> str:
    """``text`` with its commas read: a decimal comma (``1,15``) becomes a point, thousands separators
    (``1,000,000``, ``1,000.5``) go; one comma before exactly three digits, with no point, could be either
    and is refused."""
    if "," not in text:
        return text
    if "." in text or text.count(",") > 1:  # the point is the decimal one: commas group thousands
        whole = text.split(".")[0].lstrip("+-")
        if "," in text.split(".", 1)[-1] and "." in text:  # 1.000,5: the other way round, refused
            raise NotANumber(text)
        groups = whole.split(",")
        if any(len(g) != 3 or not g.isdigit() for g in groups[1:]) or not groups[0].isdigit():
            raise NotANumber(text)
        return text.replace(",", "")
    before, after = text.split(",")
    if not after.isdigit():
        raise NotANumber(text)
    if len(after) == 3 and after.isdigit() and before.lstrip("+-").isdigit():
        raise NotANumber(text, "ambiguous_comma", whole=before + after, decimal=f"{before}.{after}")
    return f"{before}.{after}"


def parse_number(text: str) -> float:
    """A number as people type it: ``0.5``, ``.5``, ``5e-1``, ``1,15`` (a decimal comma), ``1,000,000``,
    ``1_000``, full-width digits.

    Raises :class:`NotANumber` for anything else (including nan and inf, which are no answer, and ``1,000``,
    which is a thousand to some and one to others).
    """
    import unicodedata  # loaded by the first number typed, not with the lessons

    cleaned = unicodedata.normalize("NFKC", text).strip().replace("−", "-").replace("。", ".")
    cleaned = cleaned.replace("_", "").replace(" ", "")
    if not cleaned or len(cleaned) > 40:
        raise NotANumber(text)
    try:
        cleaned = _commas(cleaned)
    except NotANumber as exc:
        raise NotANumber(text, exc.code, **exc.fields) from None
    try:
        value = float(cleaned)
    except ValueError:
        raise NotANumber(text) from None
    if not math.isfinite(value):
        raise NotANumber(text)
    return value


def count_mistake(value: float, answer: float, tolerance: float = 0) -> str | None:
    """The usual mistake behind a wrong number of updates, as a code (``quiz_count_<code>`` in the
    catalogue), or None when none fits.

    ``plus_one``: one more than the updates, as when x0, the start, is counted as an update (the path
    has one point more than it has updates). ``minus_one``: one fewer, as when the last update, the one
    after which the exit condition held, is left out. ``not_whole``: a count has no fraction.
    """
    if value != int(value):
        return "not_whole"
    if abs(value - (answer + 1)) <= tolerance:
        return "plus_one"
    if abs(value - (answer - 1)) <= tolerance:
        return "minus_one"
    return None
