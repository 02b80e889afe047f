"""Quiz questions in a lesson step."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from ...i18n import t
from ...lessons.model import Lesson, Step, pick


class QuizView(VerticalScroll, can_focus=True):
    """The questions of a quiz step."""

    DEFAULT_CSS = """
    QuizView { height: 1fr; padding: 0 1; }
    """

    def __init__(self, lesson: Lesson, step: Step) -> None:
        super().__init__()
        self.lesson = lesson
        self.step = step

    def compose(self) -> ComposeResult:
        lang = getattr(self.app, "lang", "en")
        total = len(self.step.questions)
        for n, question in enumerate(self.step.questions, start=1):
            lines = [f"**{t('question_n', lang, n=n, total=total)}**", "", pick(question.prompt, lang)]
            for letter, option in zip("ABCDEFGH", question.options, strict=False):
                lines.append(f"- {letter}. {pick(option.text, lang)}")
            yield Markdown("\n".join(lines))
