"""Quiz questions, one at a time: choose, type a number, predict a run, or reach a goal in the lab.

Grading lives in :mod:`gdtutor.quiz` (no Textual); this module asks, records and shows. Every answer is
recorded in the learner's progress at once, so leaving the lesson or quitting loses nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import ContentSwitcher, Input, Markdown, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from ...engine import Status
from ...i18n import status_name, t
from ...lessons.model import Lesson, Question, pick
from ...progress import Attempt, Store
from ...quiz import (
    PREDICT_OUTCOMES,
    NotANumber,
    Verdict,
    grade_choice,
    grade_goal,
    grade_numeric,
    grade_prediction,
    letter,
    reveal_choice,
    reveal_numeric,
)
from ..playback import LabParams
from .lab import Lab


class NumberInput(Input):
    """A text field for a number; enter answers, escape leaves the field."""


class Choices(SelectionList[int]):
    """Options where several may be right: space picks, enter answers."""

    BINDINGS = [Binding("enter", "answer", "Answer", show=False)]

    class Answered(Message):
        def __init__(self, picked: list[int]) -> None:
            super().__init__()
            self.picked = picked

    def action_answer(self) -> None:
        self.post_message(self.Answered(list(self.selected)))


@dataclass
class QuestionState:
    """Where the learner is with one question: answers given, hints seen, whether it is right."""

    tries: int = 0
    hints: int = 0
    right: bool = False
    last: Attempt | None = None

    @classmethod
    def from_attempts(cls, attempts: list[Attempt], hints: int = 0) -> QuestionState:
        """The state after ``attempts``, with ``hints`` seen (at least as many as the attempts saw)."""
        state = cls(tries=len(attempts), right=any(a.correct for a in attempts))
        state.hints = max([hints, *(a.hints for a in attempts)])
        state.last = attempts[-1] if attempts else None
        return state

    def resolved(self, question: Question) -> bool:
        """Right, or out of tries: the answer is shown and the question takes no more answers."""
        return self.right or (question.tries > 0 and self.tries >= question.tries)


class QuestionCard(VerticalScroll, can_focus=True):
    """One question with its answer field, hints and feedback."""

    DEFAULT_CSS = """
    QuestionCard { height: 1fr; padding: 0 1; }
    QuestionCard .q-head { color: $text-muted; height: 1; }
    QuestionCard .q-prompt { margin: 0; }
    QuestionCard .q-help { color: $text-muted; height: auto; }
    QuestionCard OptionList, QuestionCard SelectionList { height: auto; max-height: 10; border: none; }
    QuestionCard NumberInput { width: 30; }
    QuestionCard .q-hints { color: $warning; margin: 0; }
    QuestionCard .q-feedback { margin: 0; }
    QuestionCard Lab { height: 17; }
    QuestionCard .q-gentle { color: $warning; height: auto; }
    QuestionCard.-predicted .q-answer, QuestionCard.-predicted .q-help { display: none; }
    """

    BINDINGS = [
        Binding("h", "hint", "Hint"),
        Binding("escape", "leave_field", "Leave field", show=False),
    ]

    def __init__(
        self,
        lesson: Lesson,
        question: Question,
        number: int,
        total: int,
        *,
        review: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.lesson = lesson
        self.question = question
        self.number = number
        self.total = total
        self.review = review
        self.state = QuestionState()
        self.shown_at = time.monotonic()
        self.predicted: Verdict | None = None
        """A prediction already graded, shown once its run has played in the lab."""

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "en")

    @property
    def store(self) -> Store:
        return self.app.store  # type: ignore[attr-defined]

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        q, lang = self.question, self.lang
        if not self.review:
            attempts = self.store.attempts(self.lesson.id, review=False)
            hints = self.store.hints_seen(self.lesson.id, attempts).get(q.id, 0)
            self.state = QuestionState.from_attempts([a for a in attempts if a.question_id == q.id], hints)
        yield Static(classes="q-head")
        if self.review:
            yield Static(t("review_from", lang, title=pick(self.lesson.title, lang)), classes="q-help")
        yield Markdown(pick(q.prompt, lang), classes="q-prompt")
        yield Static(t(f"quiz_{'choice' if q.kind == 'choice' else q.kind}_help", lang), classes="q-help")
        if q.kind == "choice" or (q.kind == "predict" and q.predict == "outcome"):
            yield OptionList(*self._options(), classes="q-answer")
        elif q.kind == "multiple":
            yield Choices(*[(self._option_text(i), i) for i in range(len(q.options))], classes="q-answer")
        elif q.kind in ("numeric", "predict"):
            key = "quiz_steps_placeholder" if q.kind == "predict" else "quiz_number_placeholder"
            yield NumberInput(placeholder=t(key, lang), classes="q-answer")
        yield Static(classes="q-gentle")
        yield Markdown(classes="q-hints")
        yield Markdown(classes="q-feedback")
        if q.kind == "goal" and q.lab is not None:
            yield Lab(LabParams.from_spec(q.lab), editable=set(q.lab.editable), id="goal-lab")
        yield Vertical(classes="q-run")

    def _options(self) -> list[Option]:
        q, lang = self.question, self.lang
        if q.kind == "predict":
            return [Option(status_name(o, lang), id=o) for o in PREDICT_OUTCOMES]
        return [Option(self._option_text(i), id=str(i)) for i in range(len(q.options))]

    def _option_text(self, index: int) -> str:
        return f"{letter(index)}. {pick(self.question.options[index].text, self.lang)}"

    def on_mount(self) -> None:
        self._show_head()
        self._show_hints()
        if self.state.resolved(self.question):
            self._show_resolved()

    def focus_answer(self) -> None:
        """Put the keyboard where the learner answers (or on the card once it is answered)."""
        if self.state.resolved(self.question) and self.question.kind != "goal":
            self.focus()
            return
        target = next(iter(self.query(".q-answer")), None) or next(iter(self.query(Lab)), None)
        (target or self).focus()

    def _show_head(self) -> None:
        q, lang, state = self.question, self.lang, self.state
        parts = [t("question_n", lang, n=self.number, total=self.total)]
        if state.resolved(q):
            parts.append(t("quiz_done", lang) + (" ✓" if state.right else " ✗"))
        elif q.tries == 0:
            parts.append(t("quiz_no_limit", lang))
        elif q.tries == 1:
            parts.append(t("quiz_one_try", lang))
        else:
            parts.append(t("quiz_tries_left", lang, n=q.tries - state.tries))
        if self.total > 1:
            parts.append(t("quiz_nav", lang))
        self.query_one(".q-head", Static).update("  ·  ".join(parts))

    def _show_hints(self) -> None:
        hints = self.question.hints[: self.state.hints]
        text = "\n\n".join(
            f"**{t('quiz_hint', self.lang, n=n, total=len(self.question.hints))}** {pick(h, self.lang)}"
            for n, h in enumerate(hints, start=1)
        )
        self.query_one(".q-hints", Markdown).update(text)

    def _feedback(self, text: str) -> None:
        feedback = self.query_one(".q-feedback", Markdown)
        feedback.update(text)
        self.call_after_refresh(feedback.scroll_visible)

    def _gentle(self, text: str) -> None:
        self.query_one(".q-gentle", Static).update(text)

    # --- answering --------------------------------------------------------------------------------------

    def action_hint(self) -> None:
        """Show the next hint, one tier at a time."""
        if self.state.hints >= len(self.question.hints):
            self._gentle(t("quiz_no_hints", self.lang))
            return
        self.state.hints += 1
        if not self.review:  # review is practice: its hints go with its answers only
            self.store.hint_shown(self.lesson.id, self.question.id, self.state.hints)
        self._show_hints()
        self.call_after_refresh(self.query_one(".q-hints").scroll_visible)

    def action_leave_field(self) -> None:
        self.focus()

    def _record(self, verdict: Verdict) -> None:
        now = time.monotonic()
        self.store.record(
            self.lesson.id,
            self.question.id,
            verdict.answer,
            verdict.correct,
            hints=self.state.hints,
            seconds=round(now - self.shown_at, 1),
            review=self.review,
        )
        self.shown_at = now
        self.state.tries += 1
        self.state.right = self.state.right or verdict.correct

    def _answered(self, verdict: Verdict) -> None:
        """Record an answer and show why it is right or wrong; after the last try, the answer too."""
        self._record(verdict)
        self._gentle("")
        text = verdict.feedback
        if self.state.resolved(self.question):
            self._lock()
            if verdict.correct:
                text += self._explain_if_missing(verdict)
            else:
                text += "\n\n" + self._reveal()
        self._feedback(text)
        self._show_head()

    def _explain_if_missing(self, verdict: Verdict) -> str:
        explain = pick(self.question.explain, self.lang)
        return "" if not explain or explain in verdict.feedback else f"\n\n{explain}"

    def _reveal(self) -> str:
        q, lang = self.question, self.lang
        if q.kind in ("choice", "multiple"):
            return reveal_choice(q, lang)
        if q.kind == "numeric":
            return reveal_numeric(q, lang)
        return pick(q.explain, lang)

    def _lock(self) -> None:
        for widget in self.query(".q-answer"):
            widget.disabled = True
        if self.question.kind != "goal":
            self.focus()

    def _show_resolved(self) -> None:
        """A question answered in an earlier session: its last answer graded again, and the answer."""
        self._lock()
        if self.question.kind == "predict":
            self.add_class("-predicted")
        last = self.state.last
        q, lang = self.question, self.lang
        text = ""
        try:
            if last is not None and q.kind in ("choice", "multiple"):
                picked = ["ABCDEFGH".index(c) for c in last.answer.split(",") if c]
                text = grade_choice(q, picked, lang).feedback
            elif last is not None and q.kind == "numeric":
                text = grade_numeric(q, last.answer, lang).feedback
            elif last is not None and q.kind == "predict":
                text = grade_prediction(q, last.answer, lang)[0].feedback
            elif last is not None:
                text = f"{last.answer}"
        except (ValueError, IndexError):
            text = ""
        if not self.state.right or q.kind == "goal":
            text += "\n\n" + self._reveal()
        self._feedback(text)

    @on(OptionList.OptionSelected)
    async def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.state.resolved(self.question) or event.option.id is None:
            return
        if self.question.kind == "predict":
            await self._predict(event.option.id)
        else:
            self._answered(grade_choice(self.question, [int(event.option.id)], self.lang))

    @on(Choices.Answered)
    def _choices_answered(self, event: Choices.Answered) -> None:
        event.stop()
        if self.state.resolved(self.question):
            return
        if not event.picked:
            self._gentle(t("quiz_multiple_help", self.lang))
            return
        self._answered(grade_choice(self.question, event.picked, self.lang))

    @on(Input.Submitted)
    async def _number_submitted(self, event: Input.Submitted) -> None:
        if not isinstance(event.input, NumberInput):
            return  # a field of the goal's lab: the lab runs with it
        event.stop()
        if self.state.resolved(self.question):
            return
        if self.question.kind == "predict":
            await self._predict(event.value)
            return
        try:
            verdict = grade_numeric(self.question, event.value, self.lang)
        except NotANumber:
            self._gentle(t("quiz_not_a_number", self.lang, text=event.value.strip()[:20]))
            return
        self._answered(verdict)

    async def _predict(self, prediction: str) -> None:
        """Grade the prediction by running the engine, record it, then play the run in the lab."""
        q = self.question
        try:
            verdict, _ = grade_prediction(q, prediction, self.lang)
        except NotANumber:
            self._gentle(t("quiz_not_a_number", self.lang, text=prediction.strip()[:20]))
            return
        self._record(verdict)
        self._gentle("")
        self._lock()
        self._show_head()
        self.add_class("-predicted")  # the prediction is in the feedback now; the lab needs the room
        self.predicted = verdict
        assert q.run is not None
        lab = Lab(LabParams.from_spec(q.run), editable=set(), id="predict-lab")
        await self.query_one(".q-run", Vertical).mount(lab)
        lab.focus()
        lab.action_run()
        self.call_after_refresh(lab.scroll_visible)

    @on(Lab.Finished)
    def _run_finished(self, event: Lab.Finished) -> None:
        event.stop()
        q = self.question
        if q.kind == "predict" and self.predicted is not None:
            self._feedback(self.predicted.feedback)
            return
        if q.kind != "goal" or event.result.status is Status.CANCELLED:
            return
        params = event.lab.params
        values = {"eta": params.eta, "precision": params.precision, "x0": params.x0, "max_iter": float(params.max_iter)}
        verdict = grade_goal(q, values, event.result, self.lang)
        if self.state.right:
            self._feedback(verdict.feedback)  # already met: further runs are play, not answers
            return
        self._answered(verdict)

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()


class QuizView(ContentSwitcher):
    """The questions of a quiz step (or a review round), one at a time."""

    DEFAULT_CSS = """
    QuizView { height: 1fr; }
    """

    def __init__(self, items: list[tuple[Lesson, Question]], *, review: bool = False) -> None:
        super().__init__(initial="q-1" if items else None)
        self.items = items
        self.review = review
        self.index = 0

    def compose(self) -> ComposeResult:
        total = len(self.items)
        for n, (lesson, question) in enumerate(self.items, start=1):
            yield QuestionCard(lesson, question, n, total, review=self.review, id=f"q-{n}")

    def on_mount(self) -> None:
        cards = list(self.query(QuestionCard))
        unanswered = (i for i, card in enumerate(cards) if not card.state.resolved(card.question))
        self.show(next(unanswered, 0))

    @property
    def card(self) -> QuestionCard:
        return self.query_one(f"#q-{self.index + 1}", QuestionCard)

    def show(self, index: int) -> None:
        self.index = index
        self.current = f"q-{index + 1}"
        self.call_after_refresh(self.card.focus_answer)

    def next_question(self) -> bool:
        """Move to the next question; False when this is the last."""
        if self.index + 1 >= len(self.items):
            return False
        self.show(self.index + 1)
        return True

    def previous_question(self) -> bool:
        """Move to the previous question; False when this is the first."""
        if self.index == 0:
            return False
        self.show(self.index - 1)
        return True

    def right_answers(self) -> int:
        return sum(card.state.right for card in self.query(QuestionCard))
