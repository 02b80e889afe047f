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
    """Markdown: why the answer is right or wrong."""


class NotANumber(ValueError):
    """The learner typed something that is not a number; no try is spent on it."""


def parse_number(text: str) -> float:
    """A number as people type it: ``0.5``, ``.5``, ``5e-1``, ``1,000``, ``1_000``, full-width digits.

    Raises :class:`NotANumber` for anything else (including nan and inf, which are no answer).
    """
    import unicodedata  # loaded by the first number typed, not with the lessons

    cleaned = unicodedata.normalize("NFKC", text).strip().replace("−", "-").replace("。", ".")
    cleaned = cleaned.replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned or len(cleaned) > 40:
        raise NotANumber(text)
    try:
        value = float(cleaned)
    except ValueError:
        raise NotANumber(text) from None
    if not math.isfinite(value):
        raise NotANumber(text)
    return value


def number_text(value: float) -> str:
    """A number in an answer or a verdict: six significant digits."""
    return f"{value:.6g}"
