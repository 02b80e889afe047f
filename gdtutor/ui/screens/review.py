"""Review: "choosing the learning rate", questions drawn from every lesson the learner has started."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ...quiz import review_questions
from ..widgets.keybar import KeyBar
from ..widgets.prose import Words
from ..widgets.quiz import QuizView
from .base import TutorScreen

ROUND = 5
"""Questions in one round of review."""


class ReviewScreen(TutorScreen):
    """A round of questions, weighted towards those answered wrongly before; answers are kept as review.

    Another round is another screen in its place: a round's questions are built once and kept, never
    swapped inside a screen that stays.
    """

    BINDINGS = [
        Binding("n,pagedown", "next_question", "next"),
        Binding("p,pageup", "previous_question", "back"),
        Binding("ctrl+r", "again", "again"),
        Binding("q", "app.pop_screen", "lessons", show=False),
    ]

    def compose(self) -> ComposeResult:
        store = self.tutor.store
        started = set(store.lessons())
        lessons = [lesson for lesson in self.tutor.catalog.lessons if lesson.id in started]
        wrong, right = store.counts()
        self.items = review_questions(lessons, wrong, right, ROUND)
        yield Words(id="lesson-title")
        with Vertical(id="step-body"):
            if self.items:
                yield QuizView(self.items, review=True)
            else:
                yield Words(classes="step-text review-empty")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_words()

    def show_words(self) -> None:
        self.query_one("#lesson-title", Static).update(self.words("review_title"))
        for empty in self.query(".review-empty").results(Static):
            empty.update(self.words("review_empty"))

    def action_again(self) -> None:
        """A new round of questions."""
        self.app.switch_screen(ReviewScreen())

    def action_next_question(self) -> None:
        quiz = next(iter(self.query(QuizView)), None)
        if quiz is not None and not quiz.next_question():
            again = next(
                self.app.get_key_display(b) for b in Binding.make_bindings(self.BINDINGS) if b.action == "again"
            )
            self.app.notify(self.words("review_end", right=quiz.right_answers(), total=len(quiz.items), again=again))

    def action_previous_question(self) -> None:
        quiz = next(iter(self.query(QuizView)), None)
        if quiz is not None:
            quiz.previous_question()
