"""A lesson, one step at a time: text, labs, the loop as code, quizzes, the regression race.

Each step's view is built the first time the learner reaches it and kept while the lesson is open (a
lab keeps its values and its run when the learner steps away and back); which view a step kind gets is
looked up in :data:`STEP_VIEWS`. After the last step comes the lesson's end: what it taught, the score,
and the way to the next lesson. The lesson is completed there, if every question was answered.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import ContentSwitcher, Markdown, Static

from ...engine.params import DEFAULT_ETA, ParameterError, Setup
from ...i18n import lead
from ...lessons.model import CodeStep, LabStep, Lesson, QuizStep, RegressionStep, StepKind, TextStep
from ...lessons.text import pick
from ...progress import lesson_progress, next_open_lesson
from ..tutor import Worded
from ..widgets.keybar import KeyBar
from ..widgets.lab import Lab
from ..widgets.prose import Prose
from ..widgets.quiz import QuizView
from ..widgets.regression import RegressionRace
from ..widgets.scroll import PagedScroll
from ..widgets.words import Packed, Words
from .base import TutorScreen

WIDE = 80
"""Columns from which the lesson's title says 'step 2 of 5' in words."""


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
    """Markdown to read, scrolled with the keys. Text that does not fit says so at the foot of the
    step, and the next-step key scrolls to it before it leaves the step."""

    DEFAULT_CSS = """
    TextView .more-below {
        dock: bottom; height: 1; padding: 0 1; color: $text-muted; text-style: italic; display: none;
    }
    TextView.-more .more-below { display: block; }
    """

    def compose(self) -> ComposeResult:
        with PagedScroll(can_focus=True, id="step-scroll"):
            yield Prose(classes="step-text step-intro")
        yield Words(classes="more-below")

    def on_mount(self) -> None:
        super().on_mount()
        scroll = self.query_one("#step-scroll", VerticalScroll)
        # the text's height is known once laid out (virtual_size), and the screen's on a resize
        self.watch(scroll, "scroll_y", self._later, init=False)
        self.watch(scroll, "virtual_size", self._later, init=False)

    def on_resize(self) -> None:
        self._later()

    def _later(self) -> None:
        # once the layout this change causes is done: a first layout may wrap the text narrower (with a
        # scrollbar) than the one it settles on
        self.call_after_refresh(self._mark_more)

    def show_words(self) -> None:
        super().show_words()
        self.query_one(".more-below", Static).update(self.words("lesson_more_below"))

    def _mark_more(self) -> None:
        self.set_class(self.unseen(), "-more")

    def unseen(self) -> bool:
        """Whether some of the text is below the screen."""
        scroll = self.query_one("#step-scroll", VerticalScroll)
        return scroll.scroll_y < scroll.max_scroll_y

    def scroll_on(self) -> None:
        """Show the next screenful of the text."""
        self.query_one("#step-scroll", VerticalScroll).scroll_page_down(animate=False)

    def focus_first(self) -> None:
        self.query_one("#step-scroll").focus()


class LabView(StepView):
    """An experiment, with the values and ranges the lesson gives."""

    step: LabStep

    def body(self) -> ComposeResult:
        step = self.step
        editable = set(step.editable) | {"compare"} if step.editable else set()
        yield Lab(step.setup(), editable=editable, limits=step.limits, focus=step.focus)

    def current_setup(self) -> Setup:
        """The lab's values as the learner left them (the last ones run, if the fields are refused)."""
        lab = self.query_one(Lab)
        try:
            return lab.read_setup()
        except ParameterError:
            return lab.setup


class CodeView(StepView):
    """The lecture's loop with the values of the lab before it: the lesson's, or the learner's when the
    step continues the lab."""

    step: CodeStep
    setup = Setup(eta=DEFAULT_ETA)
    """The values shown: the lesson screen gives those of the lab before (:meth:`LessonScreen._code_setup`)."""

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


class EndView(Worded, VerticalScroll, can_focus=True):
    """The lesson's end: completed or not (and why), what it taught, the score, and what comes next."""

    DEFAULT_CSS = """
    EndView { height: 1fr; padding: 0 1; }
    """

    def __init__(self, lesson: Lesson) -> None:
        super().__init__(id="step-end")
        self.lesson = lesson

    def compose(self) -> ComposeResult:
        yield Markdown(classes="step-text lesson-end")

    def on_mount(self) -> None:
        self.show_words()

    def next_lesson(self) -> Lesson | None:
        """The first lesson after this one not completed yet (coming round to the first ones)."""
        return next_open_lesson(self.tutor.store, self.tutor.catalog.lessons, self.lesson.id)

    def show_words(self) -> None:
        store, lang = self.tutor.store, self.lang
        screen = self.screen
        key = screen.key_of if isinstance(screen, LessonScreen) else (lambda action: action)
        where = lesson_progress(store, self.lesson)
        parts = []
        if where.completed:
            parts.append(self.words("lesson_end_done"))
        else:
            parts.append(
                self.words("lesson_end_open", answered=where.answered, total=where.total, back=key("previous_step"))
            )
        parts.append(lead(self.words("lesson_end_taught"), lang) + pick(self.lesson.summary, lang))
        if where.total:
            parts.append(self.words("lesson_end_score", right=where.right, total=where.total, first=where.first_try))
        following = self.next_lesson()
        if following is not None:
            number = [lesson.id for lesson in self.tutor.catalog.lessons].index(following.id) + 1
            title = f"{number}. {pick(following.title, lang)}"
            parts.append(
                self.words("lesson_end_next", title=title, key=key("next_step"), lessons=key("app.pop_screen"))
            )
        elif where.completed:
            parts.append(self.words("lesson_end_all", key=key("next_step")))
        self.query_one(".lesson-end", Markdown).update("\n\n".join(parts))


class LessonScreen(TutorScreen):
    """Walks through a lesson's steps; the learner's place is saved at every step."""

    BINDINGS = [
        Binding("n,pagedown", "next_step", "next"),
        Binding("p,pageup", "previous_step", "back"),
        Binding("q", "app.pop_screen", "lessons"),  # shown: the end of a lesson names it
    ]

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson
        self.index = 0
        self.at_end = False
        """Whether the lesson's end is shown (after its last step)."""

    @property
    def step(self) -> StepKind:
        return self.lesson.steps[self.index]

    def compose(self) -> ComposeResult:
        yield Words(id="lesson-title")
        yield ContentSwitcher(id="step-body")
        yield KeyBar()

    async def on_mount(self) -> None:
        where = lesson_progress(self.tutor.store, self.lesson)
        await self.show_step(where.step if where.started and not where.completed else 0)

    def on_resize(self) -> None:
        self.show_words()

    def key_of(self, action: str) -> str:
        """The first key of this screen's ``action``, as the key bar shows it."""
        binding = next(b for b in Binding.make_bindings(self.BINDINGS) if b.action == action)
        return self.app.get_key_display(binding)

    def show_words(self) -> None:
        step = self.step
        title = pick(self.lesson.title, self.lang)
        if self.at_end:
            ending = Packed([Content(title), Content(self.words("lesson_end_title"))], "  ·  ")
            self.query_one("#lesson-title", Static).update(ending)
            return
        # under 80 columns, '2/5': the title then keeps to one row, which the lab's outcome needs more
        where = self.words(
            "step_of" if self.size.width >= WIDE else "step_of_short", n=self.index + 1, total=len(self.lesson.steps)
        )
        heading = pick(step.title, self.lang)
        parts = [title, where, heading] if heading else [title, where]
        # each part whole: at 60 columns a heading goes to a second line, not broken in two
        self.query_one("#lesson-title", Static).update(Packed([Content(part) for part in parts], "  ·  "))

    def _view(self, index: int) -> StepView | None:
        return next(iter(self.query_one("#step-body").query(f"#step-{index}").results(StepView)), None)

    def _code_setup(self, step: CodeStep) -> Setup | None:
        """The values a code step shows: those of the nearest lab before it as the lesson gives them,
        or, when the step continues the lab, as the learner left them there."""
        for i in range(self.index - 1, -1, -1):
            lab = self.lesson.steps[i]
            if isinstance(lab, LabStep):
                view = self._view(i) if step.continues else None
                return view.current_setup() if isinstance(view, LabView) else lab.setup()
        return None

    async def show_step(self, index: int) -> None:
        """Show the step ``index`` (counted from 0) as the learner reaches it with the keys: its view,
        built the first time and kept after, and the learner's place saved there. The keys use it, and
        so may anyone who opens the lesson at a step."""
        if not 0 <= index < len(self.lesson.steps):
            raise IndexError(f"{self.lesson.id} has no step {index}")
        self.minimize()  # a lab's charts zoomed would stay on the screen over the next step
        self.index, self.at_end = index, False
        step = self.step
        view = self._view(index)
        code = step if isinstance(step, CodeStep) else None
        setup = self._code_setup(code) if code is not None else None
        if view is None:
            view = STEP_VIEWS[type(step)](self.lesson, step, index)
            if isinstance(view, CodeView) and setup is not None:
                view.setup = setup
            await self.query_one("#step-body", ContentSwitcher).mount(view)
        elif setup is not None and code is not None and code.continues:
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
        if self.at_end:
            await self._next_lesson()
            return
        quiz = self._quiz()
        if quiz is not None and quiz.next_question():
            return
        view = self._view(self.index)
        if isinstance(view, TextView) and view.unseen():  # the text first, then the next step
            view.scroll_on()
            return
        if self.index + 1 < len(self.lesson.steps):
            await self.show_step(self.index + 1)
        else:
            await self._show_end()

    async def _show_end(self) -> None:
        """The lesson's end; the lesson is completed when every question was answered (rightly, or with
        its tries used up): passing questions by is not completing them."""
        self.minimize()
        store = self.tutor.store
        where = lesson_progress(store, self.lesson)
        if where.answered == where.total:
            store.complete(self.lesson.id)
        self.at_end = True
        body = self.query_one("#step-body", ContentSwitcher)
        view = next(iter(body.query(EndView)), None)
        if view is None:
            view = EndView(self.lesson)
            await body.mount(view)
        else:
            view.show_words()
        body.current = view.id
        self.show_words()
        view.focus()

    async def _next_lesson(self) -> None:
        """From the end: the next lesson not completed, or back to the list when there is none."""
        view = self.query_one(EndView)
        following = view.next_lesson()
        if following is None:
            self.app.pop_screen()
        else:
            self.app.switch_screen(LessonScreen(following))

    async def action_previous_step(self) -> None:
        if self.at_end:
            await self.show_step(self.index)
            return
        quiz = self._quiz()
        if quiz is not None and quiz.previous_question():
            return
        if self.index > 0:
            await self.show_step(self.index - 1)
