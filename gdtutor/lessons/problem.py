"""A problem found in a lesson file: where it is, and what is wrong as a code with its fields.

The words are the catalogue's (``lesson_<code>`` in :mod:`gdtutor.i18n`), so that ``gdtutor lessons
check --lang zh`` speaks Chinese; ``str(problem)`` is the English ``path:line: message``.

Some fields are not plain values but parts of a sentence, worded in the problem's language:
``where`` (which value: ``[["key", "steps"], ["item", 2], ["kind", "lab"]]`` is "'steps' item 2 (lab)"),
``what`` (what was found instead: ``["text", "'fast'"]`` is "the text 'fast'"), ``doc`` (a key of the
catalogue: what a missing field is for) and ``error`` (a refused expression: its code, column and
fields). Every field is a JSON value, so problems are kept in the lesson cache as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Where = list[list[Any]]
"""Steps to a value: ``["lesson"]``, ``["key", name]``, ``["item", n]``, ``["kind", kind]``, ``["lowest"]``,
``["highest"]``."""


@dataclass
class FileProblem:
    """One thing wrong with a file, at a line (1-based; 0 when the whole file is meant)."""

    path: str
    line: int
    code: str
    fields: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        """What is wrong, in ``lang``."""
        from ..i18n import lesson_problem

        return lesson_problem(self.code, self.fields, lang)

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return self.text("en")

    def located(self, lang: str) -> str:
        """``path:line: message`` in ``lang``."""
        message = self.text(lang)
        return f"{self.path}:{self.line}: {message}" if self.line else f"{self.path}: {message}"

    def __str__(self) -> str:
        return self.located("en")


def describe(value: Any) -> list[Any]:
    """What a value is, as a problem's ``what`` field: ``["number", "1.5"]``, ``["list"]`` ..."""
    if value is None:
        return ["nothing"]
    if isinstance(value, bool):
        return ["boolean", str(value).lower()]
    if isinstance(value, int | float):
        return ["number", repr(value)]
    if isinstance(value, str):
        return ["text", repr(value[:30])]
    if isinstance(value, list):
        return ["list"]
    if isinstance(value, dict):
        return ["mapping"]
    return ["other", type(value).__name__]
