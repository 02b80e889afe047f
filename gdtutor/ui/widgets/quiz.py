"""Quiz questions, one at a time: choose, type a number, predict a run, or reach a goal in the lab.

A :class:`QuestionCard` shows what every question has (its place, prompt, hints and feedback) and keeps
the learner's answers; how a question is answered is the job of the answer widget of its kind, taken
from :data:`ANSWERS`, the one table that ties a question kind to a widget. Grading is the question's own
(:mod:`gdtutor.lessons.questions`). Every answer is recorded in the learner's progress at once, so
leaving the lesson or quitting loses nothing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual import events, on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ...charts import MARKS, RUN_STYLES
from ...engine.descent import Status
from ...engine.expr import ExpressionError
from ...engine.params import Run, Setup
from ...i18n import lead
from ...lessons.answers import NotANumber, Verdict
from ...lessons.model import Lesson
from ...lessons.questions import (
    ChoiceQuestion,
    GoalQuestion,
    LoopQuestion,
    MultipleQuestion,
    NumericQuestion,
    PredictQuestion,
    QuestionKind,
    loop_case_words,
    picked_options,
)
from ...lessons.templates import instance_text, read_instance
from ...lessons.text import pick
from ...progress import Attempt
from ...telling import expression_error
from ..tutor import Worded
from .charts import FunctionChart, PlaneChart

if TYPE_CHECKING:
    from ...engine.loop import LoopRun
from .lab import Lab
from .prose import Prose, inline
from .words import Packed, Words, Wrapped


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

    def resolved(self, question: QuestionKind) -> bool:
        """Right, or out of tries: the answer is shown and the question takes no more answers."""
        return question.settled(self.tries, self.right)


# --- how each kind is answered ------------------------------------------------------------------------


class Answer(Worded, Vertical):
    """How one kind of question is answered: its input, and the grading of what is given there."""

    DEFAULT_CSS = """
    Answer { height: auto; }
    """

    @dataclass
    class Given(Message):
        """An answer was given and marked (``verdict``); ``grade`` marks it again in another language.
        ``record`` it in the learner's progress, ``show`` its feedback."""

        verdict: Verdict
        grade: Callable[[str], Verdict]
        record: bool = True
        show: bool = True

    def given(self, grade: Callable[[str], Verdict], *, record: bool = True, show: bool = True) -> None:
        """Tell the card an answer was given, marked in the app's language (raises NotANumber for a
        typo, before anything is posted)."""
        self.post_message(self.Given(grade(self.lang), grade, record, show))

    @dataclass
    class Refused(Message):
        """What was given is no answer (not a number, nothing picked): say so gently, spend no try."""

        text: str

    def __init__(self, question: QuestionKind, seed: str) -> None:
        super().__init__(classes="q-answer")
        self.question = question
        self.seed = seed
        """The learner and their attempt: what the order of options is shuffled from."""

    def show_words(self) -> None:
        """Relabel the input in the app's language."""

    def stop_answers(self) -> None:
        """Take no more answers."""
        for widget in self.query("OptionList, Input"):
            widget.disabled = True

    def show_given(self, answer: str) -> None:
        """Show the answer given, as kept in the learner's progress, where it was typed (a question
        reopened after it was settled)."""
        for field in self.query(NumberInput):  # not a goal's lab fields
            field.value = answer

    def focus_target(self, resolved: bool) -> Widget | None:
        """Where the keyboard goes to answer (None once the question takes no more answers)."""
        if resolved:
            return None
        return next(iter(self.query("OptionList, Input")), None)


def _prompt(label: str, letter: bool = False) -> Wrapped:
    """An option as the learner reads it: its markdown shown, its lines broken by its language's rules;
    a ``letter``'d option ('B. ...') goes on under its text, not under its letter."""
    return Wrapped(inline(label), indent=label.index(". ") + 2, hanging=True) if letter else Wrapped(inline(label))


async def graded(question: NumericQuestion | PredictQuestion | LoopQuestion, answer: str, lang: str) -> None:
    """Grade once off the UI thread: a question's run may take seconds (4.3 s for a legal lesson's),
    and the keys must not wait for it. The run is kept (``run_to_end``), so the grading that follows
    on the UI thread is quick; a typo raises NotANumber here, before any try is spent."""
    import asyncio

    await asyncio.to_thread(question.grade, answer, lang)


class NumberInput(Input):
    """A text field for a number; enter answers, escape leaves the field. While it is empty, n and p
    (no part of a number) go to the next or previous question, as the question's heading says."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if not self.value and character in PASSED_ON:
            return False  # the screen's bindings for it stay in the chain
        return super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if not self.value and event.character in PASSED_ON:
            event.prevent_default()  # not typed (Input's handler is skipped); it goes on to the bindings

    def watch_value(self, value: str) -> None:
        """The key bar follows: once something is typed, n and p are typed too, and the bar offers the
        page keys instead (it said 'n Next' while n typed '0.95n')."""
        self.refresh_bindings()


PASSED_ON = frozenset("np")
"""Keys an empty number field leaves to the screen (next and previous question)."""


class Shuffled(Answer):
    """Options shown in the learner's own order (see :meth:`ChoiceQuestion.order`)."""

    question: ChoiceQuestion

    def __init__(self, question: ChoiceQuestion, seed: str) -> None:
        super().__init__(question, seed)
        self.order = question.order(seed)
        """The options' indices in the file, in the order shown (the letters follow it)."""


class ChoiceAnswer(Shuffled):
    """Up and down to choose, enter to answer."""

    def compose(self) -> ComposeResult:
        labels = self.question.labels(self.lang, self.order)
        options = [Option(_prompt(label, letter=True), id=str(i)) for i, label in zip(self.order, labels, strict=True)]
        yield OptionList(*options)

    def show_words(self) -> None:
        options = self.query_one(OptionList)
        for n, label in enumerate(self.question.labels(self.lang, self.order)):
            options.replace_option_prompt_at_index(n, _prompt(label, letter=True))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            picked = [int(event.option.id)]
            self.given(lambda lang: self.question.grade(picked, lang))


class Choices(OptionList):
    """Options where several may be right: space (or a click) picks, enter answers. Each option is
    marked ``[x]`` or ``[ ]`` in its own text, and wraps like any option: Textual's SelectionList gives
    an option one row, which cut long ones at 60 columns."""

    BINDINGS = [
        Binding("space", "pick", "pick", show=False),
        Binding("enter", "answer", "answer", show=False),
    ]

    @dataclass
    class Picked(Message):
        picked: list[int]

    def __init__(self, labels: list[tuple[str, int]]) -> None:
        self.labels = labels
        """Each option's text, and its index in the file, in the order shown."""
        self.picked: set[int] = set()
        """The options picked, by their index in the file."""
        super().__init__(*[Option(self._prompt(label, i), id=str(i)) for label, i in labels])

    def _prompt(self, label: str, index: int) -> Wrapped:
        mark = "[x] " if index in self.picked else "[ ] "
        return Wrapped(Content(mark) + inline(label), indent=len(mark), hanging=True)

    def relabel(self, labels: list[str]) -> None:
        """The options in other words (the same order), marks kept."""
        self.labels = [(label, i) for label, (_, i) in zip(labels, self.labels, strict=True)]
        self._show_marks()

    def _show_marks(self) -> None:
        for n, (label, i) in enumerate(self.labels):
            self.replace_option_prompt_at_index(n, self._prompt(label, i))

    def action_pick(self) -> None:
        """Pick the highlighted option, or take it back."""
        if self.highlighted is None:
            return
        index = self.labels[self.highlighted][1]
        self.picked ^= {index}
        self._show_marks()

    def show_picked(self, picked: list[int]) -> None:
        """Mark the options of an answer given before."""
        self.picked = set(picked)
        self._show_marks()

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # enter answers (its binding); what selects an option here is a click: it picks
        self.action_pick()

    def action_answer(self) -> None:
        self.post_message(self.Picked(sorted(self.picked)))


class MultipleAnswer(Shuffled):
    """Space picks every right option, enter answers."""

    question: MultipleQuestion

    def compose(self) -> ComposeResult:
        labels = self.question.labels(self.lang, self.order)
        yield Choices(list(zip(labels, self.order, strict=True)))

    def show_words(self) -> None:
        self.query_one(Choices).relabel(self.question.labels(self.lang, self.order))

    def show_given(self, answer: str) -> None:
        self.query_one(Choices).show_picked(picked_options(answer, len(self.question.options)))

    @on(Choices.Picked)
    def _picked(self, event: Choices.Picked) -> None:
        event.stop()
        if not event.picked:
            self.post_message(self.Refused(self.words("quiz_multiple_help")))
            return
        picked = sorted(event.picked, key=self.order.index)  # explained in the order shown
        self.given(lambda lang: self.question.grade(picked, lang))


class NumberAnswer(Answer):
    """A number typed in a field, enter to answer."""

    question: NumericQuestion

    def compose(self) -> ComposeResult:
        yield NumberInput(placeholder=self.words("quiz_number_placeholder"))

    def show_words(self) -> None:
        self.query_one(NumberInput).placeholder = self.words("quiz_number_placeholder")

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value
        try:
            await graded(self.question, text, self.lang)
            self.given(lambda lang: self.question.grade(text, lang))
        except NotANumber as exc:
            self.refuse(exc)

    def refuse(self, exc: NotANumber) -> None:
        """Say why what was typed is no number (no try is spent)."""
        self.post_message(self.Refused(self.words(f"quiz_{exc.code}", text=exc.text.strip()[:20], **exc.fields)))


class PredictAnswer(Answer):
    """Commit to an outcome (or a number of updates), then watch the engine's run in a lab below."""

    question: PredictQuestion

    def __init__(self, question: PredictQuestion, seed: str) -> None:
        super().__init__(question, seed)
        self.prediction: str | None = None
        """The prediction given; its verdict is shown once the run has played."""

    def compose(self) -> ComposeResult:
        outcomes = self.question.outcomes(self.lang)
        if outcomes is not None:
            yield OptionList(*[Option(_prompt(words), id=value) for value, words in outcomes])
        else:
            yield NumberInput(placeholder=self.words("quiz_steps_placeholder"))

    def show_words(self) -> None:
        outcomes = self.question.outcomes(self.lang)
        if outcomes is not None:
            options = self.query_one(OptionList)
            for i, (_, words) in enumerate(outcomes):
                options.replace_option_prompt_at_index(i, _prompt(words))
        else:
            self.query_one(NumberInput).placeholder = self.words("quiz_steps_placeholder")

    @on(OptionList.OptionSelected)
    async def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            await self._predict(event.option.id)

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self._predict(event.value)

    async def _predict(self, prediction: str) -> None:
        """Grade the prediction by running the engine, record it, then play the run in the lab."""
        try:
            await graded(self.question, prediction, self.lang)
            self.given(self._grade(prediction), show=False)
        except NotANumber as exc:
            self.post_message(self.Refused(self.words(f"quiz_{exc.code}", text=exc.text.strip()[:20], **exc.fields)))
            return
        self.prediction = prediction
        self.stop_answers()  # one prediction: then the run is shown
        await self.play()

    def stop_answers(self) -> None:
        super().stop_answers()
        self.add_class("-predicted")  # the prediction is in the feedback now; the lab needs the room

    async def play(self) -> None:
        """Play the question's run in a lab of its own below."""
        lab = Lab(Setup.of(self.question.run), editable=set(), id="predict-lab")
        await self.mount(lab)
        lab.focus()
        lab.action_run()
        self.call_after_refresh(lab.scroll_visible)

    def _grade(self, prediction: str) -> Callable[[str], Verdict]:
        return lambda lang: self.question.grade(prediction, lang)[0]

    @on(Lab.Finished)
    def _played(self, event: Lab.Finished) -> None:
        event.stop()
        if self.prediction is not None:
            self.given(self._grade(self.prediction), record=False)

    def focus_target(self, resolved: bool) -> Widget | None:
        return next(iter(self.query(Lab)), None) if resolved else super().focus_target(resolved)


class LoopAnswer(Answer):
    """The lecture's loop with one part left blank: type the part, enter runs the loop on every case
    beside the lecture's own."""

    question: LoopQuestion

    DEFAULT_CSS = """
    LoopAnswer .q-loop-code { background: $boost; padding: 0 1; height: auto; }
    LoopAnswer Input { width: 1fr; }
    LoopAnswer .q-loop-legend { color: $text-muted; height: auto; }
    LoopAnswer FunctionChart, LoopAnswer PlaneChart { height: 10; }
    LoopAnswer .q-loop-run { display: none; }
    LoopAnswer.-differs .q-loop-run { display: block; }
    """

    def __init__(self, question: LoopQuestion, seed: str) -> None:
        super().__init__(question, seed)
        self.differs: int | None = None
        """The case the last part given did not do what the lecture's loop does on (None: no such case)."""

    def compose(self) -> ComposeResult:
        plane = self.question.plane
        yield Static(loop_code_plane() if plane else loop_code(self.question.part), classes="q-loop-code", markup=False)
        # a plain field: a part may begin with p or n (precision, np.abs), which an empty number field
        # leaves to the screen as next and previous question; esc leaves it, as its help line says
        yield Input(placeholder=self.words("quiz_loop_placeholder"))
        yield Words(classes="q-loop-legend q-loop-run")
        yield PlaneChart(classes="q-loop-run") if plane else FunctionChart(classes="q-loop-run")

    def show_given(self, answer: str) -> None:
        self.query_one(Input).value = answer

    def show_words(self) -> None:
        self.query_one(Input).placeholder = self.words("quiz_loop_placeholder")
        if self.differs is not None:
            case = self.question.cases[self.differs]
            mine, lecture = (MARKS[marker] * 2 for marker, _ in RUN_STYLES[:2])  # as the lab: "xx", not a bare x
            legend = "quiz_loop_legend_plane" if self.question.plane else "quiz_loop_legend"
            self.query_one(".q-loop-legend", Static).update(
                self.words(legend, case=loop_case_words(case, self.lang), mine=mine, lecture=lecture)
            )

    def show_runs(self, text: str) -> None:
        """Draw the first case where the part given differs from the lecture's, both paths on f(x)."""
        mine, lecture = self.question.runs(text), self.question.runs(None)
        self.differs = next((n for n, (a, b) in enumerate(zip(mine, lecture, strict=True)) if not a.alike(b)), None)
        self.set_class(self.differs is not None, "-differs")
        if self.differs is None:
            return
        case = self.question.cases[self.differs]
        if self.question.plane:
            self._show_plane(case, mine[self.differs], lecture[self.differs])
            self.show_words()
            return
        ours, theirs = mine[self.differs].path, lecture[self.differs].path
        low, high = min(theirs), max(theirs)
        reach = max(high - low, 1.0) * 10  # the learner's path as far as it stays readable beside the lecture's
        near = [x for x in ours if math.isfinite(x) and low - reach <= x <= high + reach]
        span = (min([low, *near]), max([high, *near]))
        self.query_one(FunctionChart).show(case.make_function().f_vec, [ours, theirs], span)
        self.show_words()

    def _show_plane(self, case: Run, mine: LoopRun, lecture: LoopRun) -> None:
        """Both paths on the contours of f: the rectangle the lesson's loop needs and the learner's, as
        the lab fixes its own (:func:`gdtutor.charts.plane_span`; a path that leaves is cut at the edge)."""
        import numpy as np

        from ...charts import Trial, plane_span

        surface = case.make_surface()
        theirs = Trial(np.asarray(lecture.path), np.asarray(lecture.ys), away=False)
        ours = Trial(np.asarray(mine.path), np.asarray(mine.ys), away=not mine.stopped)
        span = plane_span(surface.f_vec, [(case.x0, case.y0 or 0.0)], [theirs, ours])
        paths = [(np.arange(len(run.path)), np.asarray(run.path), np.asarray(run.ys)) for run in (mine, lecture)]
        self.query_one(PlaneChart).show(surface, paths, span)

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value
        try:
            await graded(self.question, text, self.lang)
        except ExpressionError as exc:
            self.post_message(self.Refused(self.words("quiz_loop_unreadable", error=expression_error(exc, self.lang))))
            return
        self.given(lambda lang: self.question.grade(text, lang))
        self.show_runs(text)


def loop_code(part: str) -> str:
    """The lecture's loop as the learner completes it, the part to write left blank."""
    blank = "_" * 16
    lines = [
        "last_x = x + 0.1",
        "while True:",
        f"    if {blank if part == 'exit' else 'abs(x - last_x) < precision'}:",
        "        break",
        f"    last_x = {blank if part == 'remember' else 'x'}",
        f"    x = {blank if part == 'update' else 'x - eta * g(x)'}",
    ]
    return "\n".join(lines)


def loop_code_plane() -> str:
    """Lesson 9's loop for a point, its exit condition left blank."""
    blank = "_" * 16
    lines = [
        "last_x, last_y = x + 0.1, y + 0.1",
        "while True:",
        f"    if {blank}:",
        "        break",
        "    last_x, last_y = x, y",
        "    gx, gy = df_dx(x, y), df_dy(x, y)",
        "    x, y = x - eta * gx, y - eta * gy",
    ]
    return "\n".join(lines)


class GoalAnswer(Answer):
    """An experiment: change what the lesson allows in the lab and run; every run is checked."""

    question: GoalQuestion

    def compose(self) -> ComposeResult:
        lab = self.question.lab
        yield Lab(Setup.of(lab), editable=set(lab.editable), limits=lab.limits, id="goal-lab")

    def stop_answers(self) -> None:
        """A goal is an experiment: the lab stays open after the goal is met."""

    def focus_target(self, resolved: bool) -> Widget | None:
        return self.query_one(Lab)

    @on(Lab.Finished)
    def _ran(self, event: Lab.Finished) -> None:
        event.stop()
        if event.result.status is Status.CANCELLED:
            return
        setup, result = event.lab.setup, event.result
        values: dict[str, object] = {"eta": setup.eta, "precision": setup.precision, "x0": setup.x0}
        values["max_iter"] = setup.max_iter
        self.given(lambda lang: self.question.grade(values, result, lang))


ANSWERS: dict[type[QuestionKind], type[Answer]] = {
    ChoiceQuestion: ChoiceAnswer,
    MultipleQuestion: MultipleAnswer,
    NumericQuestion: NumberAnswer,
    PredictQuestion: PredictAnswer,
    GoalQuestion: GoalAnswer,
    LoopQuestion: LoopAnswer,
}
"""How each kind of question is answered: the one place a question kind meets a widget."""


# --- the card -------------------------------------------------------------------------------------------


class QuestionCard(Worded, VerticalScroll, can_focus=True):
    """One question with its answer widget, hints and feedback."""

    DEFAULT_CSS = """
    QuestionCard { height: 1fr; padding: 0 1; }
    QuestionCard .q-head { color: $text-muted; height: auto; }
    QuestionCard .q-prompt { margin: 0; }
    QuestionCard .q-help { color: $text-muted; height: auto; }
    QuestionCard OptionList { height: auto; max-height: 12; border: none; }
    QuestionCard NumberInput { width: 30; }
    QuestionCard .q-hints { color: $warning; margin: 0; }
    QuestionCard .q-feedback { margin: 0; }
    QuestionCard GoalAnswer { height: 1fr; min-height: 10; }
    QuestionCard #predict-lab { height: 17; }
    QuestionCard GoalAnswer Lab { height: 1fr; }
    QuestionCard .q-feedback MarkdownBulletList MarkdownParagraph { color: $text-muted; padding-left: 2; }
    QuestionCard .q-feedback MarkdownBulletList MarkdownParagraph:first-of-type { color: $foreground; padding-left: 0; }
    QuestionCard .q-gentle { color: $warning; height: auto; }
    QuestionCard .-predicted OptionList, QuestionCard .-predicted NumberInput { display: none; }
    QuestionCard.-resolved .q-how { display: none; }
    """

    BINDINGS = [
        Binding("h", "hint", "hint"),
        Binding("escape", "leave_field", "leave_field", show=False),
    ]

    def __init__(
        self,
        lesson: Lesson,
        question: QuestionKind,
        number: int,
        total: int,
        *,
        review: bool = False,
        seed: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.lesson = lesson
        self.question = question
        self.number = number
        self.total = total
        self.review = review
        self.seed = seed
        """What the order of options is shuffled from (None: the learner's attempt at the lesson)."""
        self.state = QuestionState()
        self.shown_at = time.monotonic()
        self.answer: Answer
        """How the question is answered (built with the card, from the learner's order)."""
        self.last: Callable[[str], Verdict] | None = None
        """This session's last answer shown, marked in a language (so it can be shown in another)."""

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        given: list[Attempt] = []
        if not self.review:
            store = self.tutor.store
            attempts = store.attempts(self.lesson.id, review=False)
            qid = self.question.question_id
            hints = store.hints_seen(self.lesson.id, attempts).get(qid, 0)
            given = [a for a in attempts if a.question_id == qid]
            self.state = QuestionState.from_attempts(given, hints)
        seed = self.seed if self.seed is not None else self.tutor.store.order_seed(self.lesson.id)
        # a template: the instance this attempt answers (kept with its answers), or one drawn for it
        kept = read_instance(given[0].instance) if given else None
        drawn = kept if kept and self.question.can_draw(kept) else self.question.draw(seed)
        self.question = cast("QuestionKind", self.question.at(drawn))
        self.answer = ANSWERS[type(self.question)](self.question, seed)
        yield Words(classes="q-head")
        if self.review:
            yield Words(classes="q-help q-from")
        yield Prose(classes="q-prompt")
        yield Words(classes="q-help q-how")
        yield self.answer
        yield Words(classes="q-gentle")
        yield Prose(classes="q-hints")
        yield Prose(classes="q-feedback")

    def on_mount(self) -> None:
        if self.state.resolved(self.question):
            if self.state.last is not None:
                self.answer.show_given(self.state.last.answer)
            self._done()
        self.show_words()

    def _done(self) -> None:
        """The question takes no more answers."""
        self.answer.stop_answers()
        self.add_class("-resolved")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """h only while the question is open and has hints (the key bar shows what works)."""
        if action == "hint":
            return bool(self.question.hints) and not self.state.resolved(self.question)
        return True

    def show_words(self) -> None:
        lang = self.lang
        if self.review:
            self.query_one(".q-from", Static).update(self.words("review_from", title=pick(self.lesson.title, lang)))
        prompt, asked = pick(self.question.prompt, lang), self.question.asked(lang)
        self.query_one(".q-prompt", Markdown).update(f"{prompt}\n\n{asked}" if asked else prompt)
        question = self.question
        self.query_one(".q-how", Static).update(
            self.words(question.help_key() if isinstance(question, LoopQuestion) else question.help)
        )
        self._show_head()
        self._show_hints()
        feedback = self._resolved_feedback() if self.last is None else self._with_answer(self.last(lang))
        self._feedback(feedback, scroll=False)

    def focus_answer(self) -> None:
        """Put the keyboard where the learner answers (or on the card once it is answered). A lab is
        focused where it is: scrolled into view, a card taller than the screen hid the top of its prompt
        (the function a goal is about), and the lab's own top is on screen already."""
        target = self.answer.focus_target(self.state.resolved(self.question)) or self
        target.focus(scroll_visible=not isinstance(target, Lab))

    def _show_head(self) -> None:
        q, state = self.question, self.state
        parts = [self.words("question_n", n=self.number, total=self.total)]
        tries = q.allowed_tries
        if state.resolved(q):
            parts.append(self.words("quiz_done") + (" ✓" if state.right else " ✗"))
        elif tries == 0:
            parts.append(self.words("quiz_no_limit"))
        elif tries == 1:
            parts.append(self.words("quiz_one_try"))
        elif tries - state.tries == 1:
            parts.append(self.words("quiz_last_try"))
        else:
            parts.append(self.words("quiz_tries_left", n=tries - state.tries))
        if self.total > 1:
            parts.append(self.words("quiz_nav"))
        # each part whole: at 60 columns the last one goes to a second line instead of being cut
        self.query_one(".q-head", Static).update(Packed([Content(part) for part in parts], "  ·  "))

    def _show_hints(self) -> AwaitComplete:
        hints = self.question.hints[: self.state.hints]
        total = len(self.question.hints)
        text = "\n\n".join(
            lead(self.words("quiz_hint", n=n, total=total), self.lang) + pick(h, self.lang)
            for n, h in enumerate(hints, start=1)
        )
        return self.query_one(".q-hints", Markdown).update(text)

    def _feedback(self, text: str, *, scroll: bool = True) -> None:
        feedback = self.query_one(".q-feedback", Markdown)
        shown = feedback.update(text)
        if scroll and text:
            # once its blocks are laid out: scrolled to before, a verdict below a lab stayed out of view
            async def into_view() -> None:
                await shown
                self.call_after_refresh(feedback.scroll_visible)

            self.run_worker(into_view(), group="feedback")

    def _gentle(self, text: str) -> None:
        gentle = self.query_one(".q-gentle", Static)
        gentle.update(text)
        if text:  # below the field, it may be off a short screen (a typo's reason at 60x20)
            self.call_after_refresh(gentle.scroll_visible)

    # --- answering --------------------------------------------------------------------------------------

    async def action_hint(self) -> None:
        """Show the next hint, one tier at a time, scrolled into view once its markdown is built (before,
        at 60x20 a second hint was measured at the first one's height and stayed below the screen)."""
        if self.state.hints >= len(self.question.hints):
            self._gentle(self.words("quiz_no_hints"))
            return
        self.state.hints += 1
        if not self.review:  # review is practice: its hints go with its answers only
            self.tutor.store.hint_shown(self.lesson.id, self.question.question_id, self.state.hints)
        await self._show_hints()
        self.call_after_refresh(self.query_one(".q-hints").scroll_visible, animate=False)

    def action_leave_field(self) -> None:
        self.focus()

    @on(Answer.Refused)
    def _refused(self, event: Answer.Refused) -> None:
        event.stop()
        self._gentle(event.text)

    @on(Answer.Given)
    def _given(self, event: Answer.Given) -> None:
        event.stop()
        verdict = event.verdict
        if event.record and not self.state.resolved(self.question):
            self._record(verdict)
            if self.state.resolved(self.question):
                self._done()
                self.focus_answer()
            self._show_head()
        self._gentle("")
        if event.show:
            self.last = event.grade
            self._feedback(self._with_answer(verdict))

    def _record(self, verdict: Verdict) -> None:
        now = time.monotonic()
        self.tutor.store.record(
            self.lesson.id,
            self.question.question_id,
            verdict.answer,
            verdict.correct,
            hints=self.state.hints,
            seconds=round(now - self.shown_at, 1),
            review=self.review,
            instance=instance_text(self.question.instance),
        )
        self.shown_at = now
        self.state.tries += 1
        self.state.right = self.state.right or verdict.correct

    def _with_answer(self, verdict: Verdict) -> str:
        """The verdict's feedback; after the last try, the answer too (or the explanation, if right)."""
        if not self.state.resolved(self.question):
            return verdict.shown(settled=False)
        more = pick(self.question.explain, self.lang) if verdict.correct else self.question.reveal(self.lang)
        return _joined(verdict.feedback, more)

    def _resolved_feedback(self) -> str:
        """For a question answered before: its last answer marked again, and the answer."""
        last = self.state.last
        if last is None or not self.state.resolved(self.question):
            return ""
        try:
            text = self.question.replay(last.answer, self.lang)
        except (ValueError, IndexError):
            text = ""
        if not self.state.right or self.question.reveals_when_right:
            return _joined(text, self.question.reveal(self.lang))
        return text


def _joined(text: str, more: str) -> str:
    """``text``, then ``more`` below it unless it says it already (a prediction's verdict explains)."""
    if not more or more in text:
        return text
    return f"{text}\n\n{more}" if text else more


class QuizView(ContentSwitcher):
    """The questions of a quiz step (or a review round), one at a time."""

    DEFAULT_CSS = """
    QuizView { height: 1fr; }
    """

    def __init__(
        self, items: list[tuple[Lesson, QuestionKind]], *, review: bool = False, seed: str | None = None
    ) -> None:
        super().__init__(initial="q-1" if items else None)
        self.items = items
        self.review = review
        self.seed = seed
        """What options are shuffled from (a review round's); None: each learner's attempt at the lesson."""
        self.index = 0

    def compose(self) -> ComposeResult:
        total = len(self.items)
        for n, (lesson, question) in enumerate(self.items, start=1):
            yield QuestionCard(lesson, question, n, total, review=self.review, seed=self.seed, id=f"q-{n}")

    def on_mount(self) -> None:
        cards = list(self.query(QuestionCard))
        unanswered = (i for i, card in enumerate(cards) if not card.state.resolved(card.question))
        self.show(next(unanswered, 0))

    @property
    def card(self) -> QuestionCard:
        return self.query_one(f"#q-{self.index + 1}", QuestionCard)

    def show(self, index: int) -> None:
        self.screen.minimize()  # a question's charts zoomed would stay on the screen over the next one
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

    def answered(self) -> int:
        """Questions answered: rightly, or with their tries used up."""
        return sum(card.state.resolved(card.question) for card in self.query(QuestionCard))
