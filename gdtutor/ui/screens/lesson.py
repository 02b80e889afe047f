"""A lesson, one step at a time: text, labs, the loop as code, quizzes, the regression race."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Markdown, Static

from ...i18n import t
from ...lessons.model import Lesson, Step, pick
from ..memory import release_removed
from ..playback import LabParams
from ..widgets.footer import TutorFooter
from ..widgets.lab import Lab
from ..widgets.quiz import QuizView
from ..widgets.regression import RegressionRace
from .base import TutorScreen


class LessonScreen(TutorScreen):
    """Walks through a lesson's steps; the learner's place is saved at every step."""

    BINDINGS = [
        Binding("n,pagedown", "next_step", "Next"),
        Binding("p,pageup", "previous_step", "Back"),
        Binding("q", "app.pop_screen", "Lessons", show=False),
    ]

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson
        self.index = 0
        self.lab_values: dict[int, LabParams] = {}
        """Lab parameters as the learner left them, by step; code steps show the lab before them."""

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.index]

    def compose(self) -> ComposeResult:
        yield Static(id="lesson-title")
        yield Vertical(id="step-body")
        yield TutorFooter()

    async def on_mount(self) -> None:
        state = self.app.store.lesson(self.lesson.id)  # type: ignore[attr-defined]
        self.index = min(state.step, len(self.lesson.steps) - 1) if state.started and not state.completed else 0
        await self._show_step()

    async def refresh_language(self) -> None:
        self._remember_lab()
        await self._show_step()

    def _remember_lab(self) -> None:
        for lab in self.query(Lab):
            params = lab.read_params()
            if isinstance(params, LabParams) and self.step.kind == "lab":
                self.lab_values[self.index] = params

    def _lab_before(self) -> LabParams | None:
        for i in range(self.index - 1, -1, -1):
            if i in self.lab_values:
                return self.lab_values[i]
            lab = self.lesson.steps[i].lab
            if lab is not None:
                return LabParams.from_spec(lab)
        return None

    async def _show_step(self) -> None:
        lang = getattr(self.app, "lang", "en")
        step = self.step
        title = pick(self.lesson.title, lang)
        where = t("step_of", lang, n=self.index + 1, total=len(self.lesson.steps))
        heading = pick(step.title, lang)
        self.query_one("#lesson-title", Static).update(f"{title}  ·  {where}" + (f"  ·  {heading}" if heading else ""))
        body = self.query_one("#step-body", Vertical)
        await body.remove_children()
        await body.mount_all(self._step_widgets(step, lang))
        release_removed(self.app)  # the step's old widgets (gdtutor.ui.memory)
        self.app.store.visit(self.lesson.id, self.index)  # type: ignore[attr-defined]
        if self.query(QuizView):
            return  # the quiz puts the keyboard on its question's answer field
        target = next(iter(self.query(Lab)), None) or next(iter(self.query(RegressionRace)), None)
        (target or self.query_one("#step-body").children[0]).focus()

    def _step_widgets(self, step: Step, lang: str) -> list[Widget]:
        text = pick(step.text, lang)
        widgets: list[Widget] = []
        if step.kind == "text":
            return [VerticalScroll(Markdown(text, classes="step-text"), can_focus=True)]
        if text:
            widgets.append(Markdown(text, classes="step-text step-intro"))
        if step.kind == "lab" and step.lab is not None:
            params = self.lab_values.get(self.index) or LabParams.from_spec(step.lab)
            widgets.append(Lab(params, editable=set(step.lab.editable) | {"compare"} if step.lab.editable else set()))
        elif step.kind == "code":
            shown = self._lab_before()
            if shown is not None:
                lab = Lab(shown, editable=set())
                lab.add_class("-code")
                widgets.append(lab)
        elif step.kind == "quiz":
            widgets.append(QuizView([(self.lesson, q) for q in step.questions]))
        elif step.kind == "regression":
            widgets.append(RegressionRace(step.features, step.samples_per_feature))
        return widgets

    async def action_next_step(self) -> None:
        quiz = next(iter(self.query(QuizView)), None)
        if quiz is not None and quiz.next_question():
            return
        self._remember_lab()
        if self.index + 1 < len(self.lesson.steps):
            self.index += 1
            await self._show_step()
        else:
            self.app.store.complete(self.lesson.id)  # type: ignore[attr-defined]
            self.app.pop_screen()

    async def action_previous_step(self) -> None:
        quiz = next(iter(self.query(QuizView)), None)
        if quiz is not None and quiz.previous_question():
            return
        self._remember_lab()
        if self.index > 0:
            self.index -= 1
            await self._show_step()
