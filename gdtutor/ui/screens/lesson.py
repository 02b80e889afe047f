"""A lesson, one step at a time: text, labs, the loop as code, quizzes, the regression race.

Each step's view is built the first time the learner reaches it and kept while the lesson is open (a
lab keeps its values and its run when the learner steps away and back); which view a step kind gets is
looked up in :data:`STEP_VIEWS`.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, Markdown, Static

from ...engine.params import DEFAULT_ETA, ParameterError, Setup
from ...lessons.model import CodeStep, LabStep, Lesson, QuizStep, RegressionStep, StepKind, TextStep
from ...lessons.text import pick
from ..tutor import Worded
from ..widgets.keybar import KeyBar
from ..widgets.lab import Lab
from ..widgets.prose import Prose, Words
from ..widgets.quiz import QuizView
from ..widgets.regression import RegressionRace
from .base import TutorScreen


class StepView(Worded, Vertical):
    """One step on screen: its text above what the step kind shows."""

    DEFAULT_CSS = """
    StepView { height: 1fr; }
    """

    def __init__(self, lesson: Lesson, step: StepKind, index: int) -> None:
        super().__init__(id=f"step-{index}")
        self.lesson = lesson
        self.step = step
        self.index = index

    def compose(self) -> ComposeResult:
        if self.step.text is not None:
            yield Prose(classes="step-text step-intro")
        yield from self.body()

    def body(self) -> ComposeResult:
        """What the step kind shows below its text."""
        yield from ()

    def on_mount(self) -> None:
        self.show_words()

    def show_words(self) -> None:
        for text in self.query(".step-intro").results(Markdown):
            text.update(pick(self.step.text, self.lang))

    def focus_first(self) -> None:
        """Put the keyboard where the step is worked."""
        target = next(iter(self.query("Lab, RegressionRace, QuizView")), None)
        (target or self).focus()


class TextView(StepView, can_focus=True):
    """Markdown to read, scrolled with the keys."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=True, id="step-scroll"):
            yield Prose(classes="step-text step-intro")

    def focus_first(self) -> None:
        self.query_one("#step-scroll").focus()


class LabView(StepView):
    """An experiment, with the values and ranges the lesson gives."""

    step: LabStep

    def body(self) -> ComposeResult:
        step = self.step
        editable = set(step.editable) | {"compare"} if step.editable else set()
        yield Lab(step.setup(), editable=editable, limits=step.limits)

    def current_setup(self) -> Setup:
        """The lab's values as the learner left them (the last ones run, if the fields are refused)."""
        lab = self.query_one(Lab)
        try:
            return lab.read_setup()
        except ParameterError:
            return lab.setup


class CodeView(StepView):
    """The lecture's loop with the values of the lab before it, as the learner left them."""

    step: CodeStep
    setup = Setup(eta=DEFAULT_ETA)
    """The values shown: the lesson screen gives those of the lab before, as the learner left them."""

    def body(self) -> ComposeResult:
        lab = Lab(self.setup, editable=set())
        lab.add_class("-code")
        yield lab


class QuizStepView(StepView):
    """The step's questions, one at a time."""

    step: QuizStep

    def body(self) -> ComposeResult:
        yield QuizView([(self.lesson, q) for q in self.step.questions])

    def focus_first(self) -> None:
        """The keyboard on the answer of the question shown (also when the learner comes back)."""
        quiz = self.query_one(QuizView)
        if quiz.items:
            quiz.show(quiz.index)


class RaceView(StepView):
    """The normal equation against gradient descent."""

    step: RegressionStep

    def body(self) -> ComposeResult:
        yield RegressionRace(list(self.step.features), self.step.samples_per_feature)


STEP_VIEWS: dict[type[StepKind], type[StepView]] = {
    TextStep: TextView,
    LabStep: LabView,
    CodeStep: CodeView,
    QuizStep: QuizStepView,
    RegressionStep: RaceView,
}
"""How each kind of step is shown: the one place a step kind meets a widget."""


class LessonScreen(TutorScreen):
    """Walks through a lesson's steps; the learner's place is saved at every step."""

    BINDINGS = [
        Binding("n,pagedown", "next_step", "next"),
        Binding("p,pageup", "previous_step", "back"),
        Binding("q", "app.pop_screen", "lessons", show=False),
    ]

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson
        self.index = 0

    @property
    def step(self) -> StepKind:
        return self.lesson.steps[self.index]

    def compose(self) -> ComposeResult:
        yield Words(id="lesson-title")
        yield ContentSwitcher(id="step-body")
        yield KeyBar()

    async def on_mount(self) -> None:
        state = self.tutor.store.lesson(self.lesson.id)
        self.index = min(state.step, len(self.lesson.steps) - 1) if state.started and not state.completed else 0
        await self._show_step()

    def show_words(self) -> None:
        step = self.step
        title = pick(self.lesson.title, self.lang)
        where = self.words("step_of", n=self.index + 1, total=len(self.lesson.steps))
        heading = pick(step.title, self.lang)
        self.query_one("#lesson-title", Static).update(f"{title}  ·  {where}" + (f"  ·  {heading}" if heading else ""))

    def _view(self, index: int) -> StepView | None:
        return next(iter(self.query_one("#step-body").query(f"#step-{index}").results(StepView)), None)

    def _lab_before(self) -> Setup | None:
        """The values of the nearest lab before this step: as the learner left them, or the lesson's."""
        for i in range(self.index - 1, -1, -1):
            step = self.lesson.steps[i]
            if isinstance(step, LabStep):
                view = self._view(i)
                return view.current_setup() if isinstance(view, LabView) else step.setup()
        return None

    async def _show_step(self) -> None:
        step, index = self.step, self.index
        view = self._view(index)
        setup = self._lab_before() if isinstance(step, CodeStep) else None
        if view is None:
            view = STEP_VIEWS[type(step)](self.lesson, step, index)
            if isinstance(view, CodeView) and setup is not None:
                view.setup = setup
            await self.query_one("#step-body", ContentSwitcher).mount(view)
        elif setup is not None:
            view.query_one(Lab).load(setup)  # the lab before may have changed since
        self.query_one("#step-body", ContentSwitcher).current = view.id
        self.show_words()
        self.tutor.store.visit(self.lesson.id, index)
        view.focus_first()

    def _quiz(self) -> QuizView | None:
        """The quiz of the step shown now, if it is a quiz step."""
        view = self._view(self.index)
        return next(iter(view.query(QuizView)), None) if view is not None else None

    async def action_next_step(self) -> None:
        quiz = self._quiz()
        if quiz is not None and quiz.next_question():
            return
        if self.index + 1 < len(self.lesson.steps):
            self.index += 1
            await self._show_step()
        else:
            self.tutor.store.complete(self.lesson.id)
            self.app.pop_screen()

    async def action_previous_step(self) -> None:
        quiz = self._quiz()
        if quiz is not None and quiz.previous_question():
            return
        if self.index > 0:
            self.index -= 1
            await self._show_step()
