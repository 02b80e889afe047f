"""Review: questions drawn from every lesson the learner has started, in a new order each round."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ...quiz import review_questions
from ..widgets.keybar import KeyBar
from ..widgets.quiz import QuizView
from ..widgets.words import Words
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
        Binding("q", "app.pop_screen", "lessons"),  # shown: the end of a round names it
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
                yield QuizView(self.items, review=True, seed=store.review_seed())
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

    def key_of(self, action: str) -> str:
        """The first key of this screen's ``action``, as the key bar shows it."""
        binding = next(b for b in Binding.make_bindings(self.BINDINGS) if b.action == action)
        return self.app.get_key_display(binding)

    def action_next_question(self) -> None:
        quiz = next(iter(self.query(QuizView)), None)
        if quiz is not None and not quiz.next_question():
            again, back = self.key_of("again"), self.key_of("app.pop_screen")
            right, total = quiz.right_answers(), len(quiz.items)
            self.app.notify(self.words("review_end", right=right, total=total, again=again, back=back))

    def action_previous_question(self) -> None:
        quiz = next(iter(self.query(QuizView)), None)
        if quiz is not None:
            quiz.previous_question()
