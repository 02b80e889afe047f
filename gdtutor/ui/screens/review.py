"""Review: "choosing the learning rate", questions drawn from every lesson the learner has started."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ...i18n import t
from ...quiz import review_questions
from ..widgets.footer import TutorFooter
from ..widgets.quiz import QuizView
from .base import TutorScreen

ROUND = 5
"""Questions in one round of review."""


class ReviewScreen(TutorScreen):
    """A round of questions, weighted towards those answered wrongly before; answers are kept as review."""

    BINDINGS = [
        Binding("n,pagedown", "next_question", "Next"),
        Binding("p,pageup", "previous_question", "Back"),
        Binding("ctrl+r", "again", "Again"),
        Binding("q", "app.pop_screen", "Lessons", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="lesson-title")
        yield Vertical(id="step-body")
        yield TutorFooter()

    async def on_mount(self) -> None:
        await self.action_again()

    async def action_again(self) -> None:
        """A new round of questions."""
        app = self.app
        lang = getattr(app, "lang", "en")
        store = app.store  # type: ignore[attr-defined]
        started = set(store.lessons())
        lessons = [e.lesson for e in app.catalog.entries if e.lesson is not None and e.lesson.id in started]  # type: ignore[attr-defined]
        wrong, right = store.counts()
        items = review_questions(lessons, wrong, right, ROUND)
        self.query_one("#lesson-title", Static).update(t("review_title", lang))
        body = self.query_one("#step-body", Vertical)
        await body.remove_children()
        if not items:
            await body.mount(Static(t("review_empty", lang), classes="step-text"))
            return
        await body.mount(QuizView(items, review=True))

    async def refresh_language(self) -> None:
        self.query_one("#lesson-title", Static).update(t("review_title", getattr(self.app, "lang", "en")))
        for quiz in self.query(QuizView):
            for card in quiz.query("QuestionCard"):
                await card.relabel()  # type: ignore[attr-defined]

    def action_next_question(self) -> None:
        quiz = next(iter(self.query(QuizView)), None)
        if quiz is not None and not quiz.next_question():
            lang = getattr(self.app, "lang", "en")
            self.app.notify(t("review_end", lang, right=quiz.right_answers(), total=len(quiz.items)))

    def action_previous_question(self) -> None:
        quiz = next(iter(self.query(QuizView)), None)
        if quiz is not None:
            quiz.previous_question()
