"""Snapshots of each screen at 80x24 (the lab and a goal question at 60x20 too, the documented
minimum), in English and Chinese (reviewed by eye before committing).

Update them with ``pytest -n 0 tests/app/test_snapshots.py --snapshot-update`` after checking the new look.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import DATA
from support.pilot import lab_app, open_at, open_from_list
from support.waiting import settled, until

from gdtutor.engine import LECTURE_FUNCTION
from gdtutor.engine.params import Setup
from gdtutor.ui import make_app
from gdtutor.ui.widgets.lab import Lab

SIZE = (80, 24)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]
LANGS = ["en", "zh"]


async def run_to_end(pilot) -> None:
    lab = pilot.app.screen.query_one(Lab)
    await pilot.press("r", "e")
    await until(pilot, lambda: lab.playback is not None and lab.playback.finished and not lab.running)
    await pilot.app.workers.wait_for_complete()
    await settled(pilot)


@pytest.mark.parametrize("lang", LANGS)
def test_lesson_list(snap_compare, tmp_path: Path, lang: str) -> None:
    assert snap_compare(make_app(lang=lang, data_dir=tmp_path), terminal_size=SIZE)


@pytest.mark.parametrize("lang", LANGS)
def test_first_lesson(snap_compare, tmp_path: Path, lang: str) -> None:
    assert snap_compare(make_app(lang=lang, data_dir=tmp_path), terminal_size=SIZE, press=["enter"])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_lab_before_a_run(snap_compare, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    # the step chart's empty state: the precision line, powers of ten upward, update numbers along
    assert snap_compare(lab_app(tmp_path, lang, compare=(0.5,)), terminal_size=size)


@pytest.mark.parametrize("lang", LANGS)
def test_lab_after_a_run(snap_compare, tmp_path: Path, lang: str) -> None:
    assert snap_compare(lab_app(tmp_path, lang, compare=(0.5,)), terminal_size=SIZE, run_before=run_to_end)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_lab_diverging_beside_converging(snap_compare, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    # eta 1.1 leaves the chart (and a note says where) while the parabola and eta 0.1 stay readable
    setup = Setup(function=LECTURE_FUNCTION, eta=0.1, x0=0.0, compare=(1.1,))
    app = make_app(lang=lang, data_dir=tmp_path, lab=setup)
    assert snap_compare(app, terminal_size=size, run_before=run_to_end)


PLANES = {
    # the narrow valley at a rate that bounces across it (y's factor 1 - 20*0.09 = -0.8), beside one that
    # does not bounce (0.05: y's factor 0) and one just above 2/20 that leaves
    "valley": Setup(function="x^2 + 10*y^2", eta=0.09, x0=1.0, y0=1.0, compare=(0.05, 0.101)),
    # Rosenbrock's banana: a small rate crawls along the curved floor
    "banana": Setup(function="(1 - x)^2 + 100*(y - x^2)^2", eta=0.001, x0=-1.5, y0=2.0),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("plane", list(PLANES))
def test_plane_lab_before_a_run(snap_compare, tmp_path: Path, plane: str, lang: str, size: tuple[int, int]) -> None:
    # the level lines and the start before any update; y0 and beta among the fields, no c (code) key
    app = make_app(lang=lang, data_dir=tmp_path, lab=PLANES[plane])
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("plane", list(PLANES))
def test_plane_lab_after_a_run(snap_compare, tmp_path: Path, plane: str, lang: str, size: tuple[int, int]) -> None:
    app = make_app(lang=lang, data_dir=tmp_path, lab=PLANES[plane])
    assert snap_compare(app, terminal_size=size, run_before=run_to_end)


async def open_goal_question(pilot) -> None:
    from gdtutor.ui.screens.lesson import LessonScreen
    from gdtutor.ui.widgets.quiz import QuizView

    app = pilot.app
    lesson = app.catalog.get("learning-rate")
    app.store.visit(lesson.id, next(i for i, step in enumerate(lesson.steps) if step.kind == "quiz"))
    app.push_screen(LessonScreen(lesson))
    await until(pilot, lambda: bool(app.screen.query(QuizView)))
    quiz = app.screen.query_one(QuizView)
    quiz.show(next(i for i, (_, q) in enumerate(quiz.items) if type(q).__name__ == "GoalQuestion"))
    await until(pilot, lambda: app.focused is quiz.card.query_one(Lab))
    await settled(pilot)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_goal_question_just_opened(snap_compare, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    # its prompt stays on screen above the lab, and the field to change is in view
    app = make_app(lang=lang, data_dir=tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=open_goal_question)


def options_ready(app, card) -> bool:
    """The card's options have the focus and a highlighted one, so that arrow keys move from the first."""
    from textual.widgets import OptionList

    options = card.query_one(OptionList)
    return app.focused is options and options.highlighted is not None


async def answer_first_question_wrongly(pilot) -> None:
    from gdtutor.ui.widgets.quiz import QuestionCard

    await pilot.pause()  # the list screen's mount (which highlights the last lesson) is done
    # the options' order is the learner's own: one learner for every run of the snapshot
    pilot.app.store.conn.execute("UPDATE meta SET value = 'snapshot-learner' WHERE key = 'learner_id'")
    lesson_screen = await open_at(pilot.app, pilot, "example-lesson", "quiz")
    await until(pilot, lambda: bool(lesson_screen.query(QuestionCard)))
    card = lesson_screen.query_one(QuestionCard)
    await until(pilot, lambda: options_ready(pilot.app, card))
    await pilot.press(*["down"] * card.answer.order.index(1), "enter")  # the second option in the file: wrong
    await until(pilot, lambda: lesson_screen.query_one(QuestionCard).state.tries)
    await settled(pilot)


@pytest.mark.parametrize("lang", LANGS)
def test_quiz_after_a_wrong_answer(snap_compare, tmp_path: Path, lang: str) -> None:
    app = make_app(lang=lang, data_dir=tmp_path, lesson_dirs=[DATA])
    assert snap_compare(app, terminal_size=SIZE, run_before=answer_first_question_wrongly)


async def answer_the_markdown_question_wrongly(pilot) -> None:
    """Open the lesson whose options are formulas, and pick a wrong one: options and feedback."""
    from gdtutor.ui.widgets.quiz import QuestionCard

    await pilot.pause()
    # the options' order is the learner's own: one learner for every run of the snapshot
    pilot.app.store.conn.execute("UPDATE meta SET value = 'snapshot-learner' WHERE key = 'learner_id'")
    await open_from_list(pilot.app, pilot, "markdown-options")
    await until(pilot, lambda: bool(pilot.app.screen.query(QuestionCard)))
    card = pilot.app.screen.query_one(QuestionCard)
    await until(pilot, lambda: options_ready(pilot.app, card))
    await pilot.press(*["down"] * card.answer.order.index(1), "enter")  # the second option in the file: wrong
    await until(pilot, lambda: card.state.tries)
    await settled(pilot)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_quiz_options_with_inline_code(snap_compare, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    """Options and their explanations hold markdown (inline code, bold): shown rendered, and each
    explanation on its own line under its option."""
    app = make_app(lang=lang, data_dir=tmp_path, lesson_dirs=[DATA / "markdown-options"])
    assert snap_compare(app, terminal_size=size, run_before=answer_the_markdown_question_wrongly)


async def open_text_step(pilot) -> None:
    """Lesson 5's first step: long sentences with formulas and numbers in them (0, 11.5, g(0))."""
    from gdtutor.ui.screens.lesson import LessonScreen, TextView

    app = pilot.app
    app.push_screen(LessonScreen(app.catalog.get("oscillation")))
    await until(pilot, lambda: bool(app.screen.query(TextView)))
    await settled(pilot)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_text_step_with_long_sentences(snap_compare, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    # Chinese breaks between characters, never before closing punctuation, never inside a formula
    app = make_app(lang=lang, data_dir=tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=open_text_step)
