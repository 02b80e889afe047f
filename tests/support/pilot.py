"""What the tests that drive the app through Textual's pilot share: an app that opens on the lab, a
lesson opened from the list at a step, the quiz step, the notifications on the screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import OptionList

from gdtutor.engine import LECTURE_FUNCTION
from gdtutor.engine.params import Setup
from gdtutor.lessons.model import Lesson
from gdtutor.ui import make_app
from gdtutor.ui.app import GDTutorApp
from gdtutor.ui.screens.lesson import LessonScreen
from gdtutor.ui.widgets.quiz import QuestionCard, QuizView
from support.waiting import until


def lab_app(tmp_path: Path, lang: str = "en", **params: object) -> Any:
    """``gdtutor lab``: the app opened on the lab with the lecture's function, eta 0.1 from 0, unless
    ``params`` say otherwise."""
    values = {"function": LECTURE_FUNCTION, "eta": 0.1, "x0": 0.0} | params
    return make_app(lang=lang, data_dir=tmp_path, lab=Setup(**values))  # type: ignore[arg-type]


async def open_from_list(app: GDTutorApp, pilot: Any, lesson_id: str) -> LessonScreen:
    """Highlight the lesson in the list and press enter, as the learner does: its screen, once shown."""
    options = app.screen.query_one(OptionList)
    options.highlighted = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == lesson_id)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, LessonScreen))
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    return screen


def first_step(lesson: Lesson, kind: str) -> int:
    """The index of the lesson's first step of ``kind`` ("quiz", "regression", ...)."""
    return next(i for i, step in enumerate(lesson.steps) if step.kind == kind)


async def open_at(app: GDTutorApp, pilot: Any, lesson_id: str, kind: str) -> LessonScreen:
    """The lesson opened from the list, at its first step of ``kind``."""
    screen = await open_from_list(app, pilot, lesson_id)
    await screen.show_step(first_step(screen.lesson, kind))
    return screen


def answer_focused(app: GDTutorApp, quiz: QuizView) -> bool:
    """The shown question's answer has the focus (QuizView.show gives it after a refresh)."""
    return app.focused is not None and quiz.card in app.focused.ancestors_with_self


async def open_quiz(app: GDTutorApp, pilot: Any, lesson_id: str = "example-lesson") -> tuple[LessonScreen, QuizView]:
    """The lesson (the example lesson unless told) at its quiz step, its first question's answer
    focused: the screen and the quiz."""
    screen = await open_at(app, pilot, lesson_id, "quiz")
    await until(pilot, lambda: bool(screen.query(QuestionCard)))
    quiz = screen.query_one(QuizView)
    await until(pilot, lambda: answer_focused(app, quiz))
    return screen, quiz


def toasts(app: Any) -> list[Any]:
    """The notifications on the screen, by their widget's CSS type (Textual keeps the class in a private
    module); ``run_test`` shows them only with ``notifications=True``."""
    return list(app.screen.query("Toast"))


def toast_texts(app: Any) -> list[str]:
    """The notifications on the screen as the learner reads them: each its title, then its message."""
    return [str(toast.render()) for toast in toasts(app)]
