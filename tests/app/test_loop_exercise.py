"""Exercises where the learner writes part of the lecture's loop: parsed, never run as Python; run by the
engine beside the lecture's loop; the first run that differs told and drawn; the checker makes every
declared mistake be caught by the cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import ROOT
from support.waiting import until
from textual.widgets import Input, Markdown, OptionList, Static

from gdtutor.engine import descend
from gdtutor.engine.expr import ExpressionError, parse_loop_part
from gdtutor.engine.function import Function
from gdtutor.engine.loop import LECTURE_PARTS, LoopCase, parse_part, run_loop
from gdtutor.lessons.load import load_lesson
from gdtutor.lessons.questions import LoopQuestion
from gdtutor.telling import expression_error
from gdtutor.ui import make_app
from gdtutor.ui.screens.lesson import LessonScreen
from gdtutor.ui.widgets.charts import FunctionChart, PlaneChart
from gdtutor.ui.widgets.quiz import LoopAnswer, QuestionCard, QuizView

LESSONS = ROOT / "lessons"


def exercise(name: str, qid: str) -> LoopQuestion:
    lesson = load_lesson(LESSONS / name).lesson
    assert lesson is not None
    (question,) = [q for q in lesson.questions if q.question_id == qid]
    assert isinstance(question, LoopQuestion)
    return question


EXIT = exercise("03-precision-and-exit.yaml", "exit-write-test")
UPDATE = exercise("01-why-gradient-descent.yaml", "why-write-update")


# --- the language: parsed, never evaluated as Python ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("abs(x - last_x) < precision", True),
        ("if np.abs(x - last_x) < precision: break", True),  # as the lecture writes it
        ("precision > abs(last_x - x)", True),
        ("abs(x - last_x) < precision and x > 0", True),
        ("x - eta * g(x)", False),
        ("x = x - eta*g(x)", False),
        ("last_x = x", False),
        ("x − eta × g(x)", False),  # a minus sign and a times sign, as some keyboards give
    ],
)
def test_the_parts_people_type_are_read(text: str, condition: bool) -> None:
    parse_loop_part(text, condition=condition)


@pytest.mark.parametrize(
    ("text", "condition", "code"),
    [
        ('__import__("os").system("ls")', False, "character_quote"),
        ("x.__class__", False, "character_attribute"),
        ("lambda: 0", False, "character"),
        ("lambda", False, "unknown_name"),
        ("exec(x)", False, "unknown_name"),
        ("y - eta * g(x)", False, "unknown_name"),
        ("abs(x - last_x)", True, "loop_needs_test"),
        ("0 < x < 1", True, "loop_chained"),
        ("x < 1", False, "loop_no_test_here"),
        ("g", False, "needs_parentheses"),
        ("", False, "empty"),
        ("x" * 600, False, "too_long"),
    ],
)
def test_anything_else_is_refused_with_a_reason(text: str, condition: bool, code: str) -> None:
    with pytest.raises(ExpressionError) as refused:
        parse_loop_part(text, condition=condition)
    assert refused.value.code == code
    assert expression_error(refused.value, "zh") and expression_error(refused.value, "en")


# --- the loop: the lecture's, as the engine runs it ------------------------------------------------------


@pytest.mark.parametrize(("eta", "x0", "precision"), [(0.1, 0, 1e-4), (0.1, 9, 1e-4), (0.9, 0, 1e-4), (0.01, 3, 1e-6)])
def test_the_loop_with_the_lectures_parts_is_the_engines_run(eta: float, x0: float, precision: float) -> None:
    function = Function.lecture()
    run = run_loop(function, LoopCase(x0, eta, precision, 10_000))
    engine = descend(function, eta, x0, precision=precision, max_iter=10_000)
    assert run.stopped and engine.status == "converged"
    assert (run.steps, run.x) == (engine.steps, engine.x)
    assert run.path == list(engine.trace)


def test_a_loop_that_never_stops_runs_to_its_limit() -> None:
    function = Function.lecture()
    blows_up = run_loop(function, LoopCase(0, 50, 1e-4, 500))
    bounces = run_loop(function, LoopCase(0, 1.0, 1e-4, 500))
    assert not blows_up.stopped and blows_up.steps == 500 and blows_up.x != blows_up.x  # nan, as the lecture
    assert not bounces.stopped and bounces.path[:4] == [0, 11.5, 0, 11.5]


# --- the exercises: the common mistakes, each caught with the run that shows it -------------------------


@pytest.mark.parametrize(
    ("question", "typed", "said"),
    [
        # the issue expected update 1 from x0 = 9; the loop shows 0: x - last_x is already -0.1 before it
        (
            EXIT,
            "x - last_x < precision",
            "stops after 0 updates, at x = 0; the lecture's loop stops after 43",
        ),
        (EXIT, "abs(x - last_x) > precision", "stops after 0 updates"),
        (EXIT, "abs(g(x)) < precision", "stops after 53 updates, at x = 5.74996"),
        (EXIT, "x == 5.75", "never stops: it runs to its limit of 1000 updates, and x is 5.749999999999998"),
        (UPDATE, "x + eta * g(x)", "never stops: it runs to its limit of 1000 updates, and x is -8.72798e+79"),
        (UPDATE, "x - g(x)", "never stops: it runs to its limit of 1000 updates, and x is 0"),
        (UPDATE, "x - eta * x", "stops after 1 update, at x = 0"),
    ],
)
def test_each_common_mistake_is_caught_with_the_first_run_that_differs(
    question: LoopQuestion, typed: str, said: str
) -> None:
    verdict = question.grade(typed, "en")
    assert not verdict.correct
    assert "From x0 = 0 with eta 0.1 and precision 0.0001, your loop " + said in " ".join(verdict.feedback.split())
    (mistake,) = [m for m in question.mistakes if m.answer == typed]
    assert mistake.why["en"].split()[0] in verdict.feedback  # what the mistake shows, from the lesson
    assert mistake.why["zh"][:8] in question.grade(typed, "zh").feedback


@pytest.mark.parametrize(
    ("question", "typed"),
    [
        (EXIT, "abs(x - last_x) < precision"),
        (EXIT, "np.abs(last_x - x) < precision"),
        (EXIT, "precision > abs(x - last_x)"),
        (UPDATE, "x - eta * g(x)"),
        (UPDATE, "x - g(x) * eta"),
        (UPDATE, "x = x - eta*g(x)"),
    ],
)
def test_any_part_that_behaves_as_the_lectures_is_right(question: LoopQuestion, typed: str) -> None:
    assert question.grade(typed, "en").correct
    assert question.grade(typed, "zh").correct


def test_the_lectures_own_parts_are_the_answers() -> None:
    assert EXIT.lecture_part() == LECTURE_PARTS["exit"] and UPDATE.lecture_part() == LECTURE_PARTS["update"]
    assert "`abs(x - last_x) < precision`" in EXIT.reveal("en")
    parse_part("remember", LECTURE_PARTS["remember"])


BROKEN = """\
id: broken-loop
title: {en: L, zh: L}
summary: {en: L, zh: L}
steps:
  - kind: quiz
    questions:
      - kind: loop
        id: weak-cases
        prompt: {en: Write the test., zh: 写出判断。}
        part: exit
        cases:
          - {eta: 0.5, x0: 0}
          - {eta: 1.0, x0: 0, max_iter: 100}
          - {eta: 0.1, x0: 0, max_iter: 20000}
        mistakes:
          - answer: abs(x - last_x) <= precision
            why: {en: Not a mistake here., zh: 这里不算错。}
          - answer: abs(x - last_x <
            why: {en: Unreadable., zh: 读不懂。}
"""


def test_the_checker_refuses_cases_that_cannot_tell_mistakes_apart(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    found = sorted({p.code for p in load_lesson(path).problems})
    assert found == ["loop_case_too_long", "loop_mistake_unreadable"]  # what the fields say, first
    path.write_text(BROKEN.replace(", max_iter: 20000", "").replace("abs(x - last_x <", "x > 1"), encoding="utf-8")
    problems = load_lesson(path).problems
    said = [p.located("en") for p in problems]
    assert sorted(p.code for p in problems) == ["loop_case_never_stops", "loop_mistake_not_caught"], said
    assert any("no case tells the mistake 'abs(x - last_x) <= precision'" in s for s in said)
    assert any("case 2: the lecture's own loop does not stop within 100 updates" in s for s in said)


# --- in the tutor -----------------------------------------------------------------------------------


async def open_exercise(app, pilot, lesson: str = "precision-and-exit") -> QuestionCard:  # type: ignore[no-untyped-def]
    options = app.screen.query_one(OptionList)
    await until(pilot, lambda: options.option_count > 0)
    options.highlighted = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == lesson)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, LessonScreen))
    while not app.screen.query(QuizView):
        await pilot.press("pagedown")
    quiz = app.screen.query_one(QuizView)
    await until(pilot, lambda: app.focused is not None)
    while not isinstance(quiz.card.answer, LoopAnswer):
        await pilot.press("escape", "n")
    card = quiz.card
    await until(pilot, lambda: isinstance(app.focused, Input) and card in app.focused.ancestors)
    return card


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_wrong_part_is_shown_run_beside_the_lectures_and_a_typo_costs_no_try(tmp_path: Path, lang: str) -> None:
    app = make_app(lang=lang, data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        card = await open_exercise(app, pilot)
        field = card.query_one(Input)
        await pilot.press(*"abs(x - last_x", "enter")
        await until(pilot, lambda: bool(str(card.query_one(".q-gentle", Static).render())))
        assert card.state.tries == 0
        field.value = ""
        await pilot.press(*"x - last_x < precision", "enter")
        await until(pilot, lambda: card.state.tries == 1)
        feedback = card.query_one(".q-feedback", Markdown).source
        assert ("your loop stops after 0 updates" if lang == "en" else "你的循环更新 0 次后停下") in feedback
        answer = card.answer
        assert isinstance(answer, LoopAnswer) and answer.differs == 0 and answer.has_class("-differs")
        assert answer.query_one(FunctionChart).display
        legend = str(answer.query_one(".q-loop-legend", Static).render())
        assert ("your loop" if lang == "en" else "你的循环") in legend
        field.value = ""
        await pilot.press(*"abs(x - last_x) < precision", "enter")
        await until(pilot, lambda: card.state.right)
        assert not answer.has_class("-differs")


async def test_a_part_may_begin_with_p_or_n_and_a_refusal_is_shown_at_60x20(tmp_path: Path) -> None:
    """An empty number field leaves p and n to the screen (previous, next question); a loop part often
    begins with precision or np.abs, and its 'p' went to the previous question. At 60x20 the reason for
    a typo was below the screen."""
    app = make_app(lang="en", data_dir=tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        card = await open_exercise(app, pilot)
        await pilot.press(*"abs(x - last_x", "enter")
        gentle = card.query_one(".q-gentle", Static)
        await until(pilot, lambda: "No try was used" in str(gentle.render()))
        await until(pilot, lambda: gentle.region.y < 20 and gentle.region.bottom > 0)  # on the screen
        field = card.query_one(Input)
        field.value = ""
        await pilot.press(*"precision > abs(x - last_x)", "enter")
        await until(pilot, lambda: card.state.right)
        assert field.value == "precision > abs(x - last_x)"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_lesson_9s_exit_condition_is_written_for_a_point_and_drawn_on_the_contours(
    tmp_path: Path, lang: str
) -> None:
    """The loop for a point, its test blank; sqrt, which the lesson's own text uses, refused without a try;
    a test of x alone shown where it stops early, both paths on the contours of f; the squared length
    against the squared precision passes."""
    app = make_app(lang=lang, data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        card = await open_exercise(app, pilot, "one-rate-every-direction")
        answer = card.answer
        assert isinstance(answer, LoopAnswer) and "last_x, last_y = x, y" in str(
            answer.query_one(".q-loop-code", Static).render()
        )
        field = card.query_one(Input)
        await pilot.press(*"sqrt((x - last_x)*(x - last_x) + (y - last_y)*(y - last_y)) < precision", "enter")
        await until(pilot, lambda: bool(str(card.query_one(".q-gentle", Static).render())))
        assert card.state.tries == 0 and "sqrt" in str(card.query_one(".q-gentle", Static).render())
        field.value = ""
        await pilot.press(*"abs(x - last_x) < precision", "enter")
        await until(pilot, lambda: card.state.tries == 1)
        feedback = card.query_one(".q-feedback", Markdown).source
        assert ("stops after 36 updates" if lang == "en" else "更新 36 次后停下") in feedback
        assert answer.differs == 0 and answer.query_one(PlaneChart).display
        legend = str(answer.query_one(".q-loop-legend", Static).render())
        assert ("contours of f" if lang == "en" else "等高线") in legend
        field.value = ""
        await pilot.press(*"(x - last_x)*(x - last_x) + (y - last_y)*(y - last_y) < precision*precision", "enter")
        await until(pilot, lambda: card.state.right)
        assert not answer.has_class("-differs")
