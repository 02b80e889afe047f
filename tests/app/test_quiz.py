"""Quizzes: grading against the lesson and the engine, and every question kind answered in the app."""

from __future__ import annotations

import functools
import random
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from support import DATA, ROOT
from support.pilot import answer_focused, open_quiz
from support.waiting import until
from textual.widgets import Input, Markdown, OptionList, Static

from gdtutor.engine import Descent, descend
from gdtutor.lessons.answers import NotANumber, parse_number
from gdtutor.lessons.load import load_lesson
from gdtutor.lessons.model import Lesson
from gdtutor.lessons.questions import (
    ChoiceQuestion,
    GoalQuestion,
    MultipleQuestion,
    NumericQuestion,
    Option,
    PredictQuestion,
    QuestionKind,
)
from gdtutor.progress import Store, report
from gdtutor.quiz import review_questions, review_weight
from gdtutor.ui import make_app
from gdtutor.ui.screens.lesson import LessonScreen
from gdtutor.ui.screens.lessons import LessonListScreen
from gdtutor.ui.screens.reset import ResetScreen
from gdtutor.ui.screens.review import ReviewScreen
from gdtutor.ui.widgets.lab import Lab
from gdtutor.ui.widgets.quiz import QuestionCard, QuizView

SIZE = (80, 24)


@pytest.fixture(scope="module")
def lesson() -> Lesson:
    loaded = load_lesson(DATA / "example-lesson.yaml")
    assert loaded.lesson is not None, loaded.problems
    return loaded.lesson


def question(lesson: Lesson, kind: type[QuestionKind], n: int = 0) -> Any:
    return [q for q in lesson.questions if type(q) is kind][n]


# --- grading, without the app ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.5", 0.5),
        (".5", 0.5),
        ("5e-1", 0.5),
        (" 5E-1 ", 0.5),
        ("-3", -3.0),
        ("1,000,000", 1e6),
        ("1,000.5", 1000.5),
        ("０.５", 0.5),
        ("1,15", 1.15),  # a decimal comma
        ("-0,5", -0.5),
        ("１，５", 1.5),
    ],
)
def test_numbers_are_read_the_ways_people_type_them(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text", ["", "half", "1.2.3", "nan", "inf", "0x10", "1e999", "5 %", "9" * 50, "1,2,3", "1.000,5", "1,", "1,00.5"]
)
def test_what_is_not_a_number_is_refused_gently(text: str) -> None:
    with pytest.raises(NotANumber):
        parse_number(text)


def test_choice_feedback_explains_the_chosen_option(lesson: Lesson) -> None:
    q = question(lesson, ChoiceQuestion)
    wrong = q.grade([1], "en")
    assert not wrong.correct
    assert "That happens when the rate is too large." in wrong.feedback  # why B is wrong, not only that it is
    right = q.grade([0], "en")
    assert right.correct
    assert "Each step is tiny" in right.feedback
    assert "需要" not in q.grade([0], "en").feedback
    assert "每一步都很小" in q.grade([0], "zh").feedback


def test_multiple_choice_needs_exactly_the_right_options(lesson: Lesson) -> None:
    q = question(lesson, MultipleQuestion)
    assert q.grade([0, 1], "en").correct
    partial = q.grade([0], "en")
    assert not partial.correct
    assert "1 right option not picked" in partial.feedback
    assert not q.grade([0, 1, 2], "en").correct


def test_a_numeric_answer_that_depends_on_a_run_is_computed_by_the_engine(lesson: Lesson) -> None:
    q = question(lesson, NumericQuestion, 0)
    steps = descend("(x - 3.5)**2 - 4.5*x + 10", 0.1, 0.0).steps
    assert q.value() == steps == 43
    assert q.grade("43", "en").correct
    assert q.grade("4.3e1", "en").correct
    low = q.grade("42", "en")
    assert not low.correct and "too low" in low.feedback
    with pytest.raises(NotANumber):
        q.grade("forty-three", "en")


def test_numeric_tolerance(lesson: Lesson) -> None:
    q = question(lesson, NumericQuestion, 1)  # 5.75 within 0.001
    assert q.grade(".575e1", "en").correct
    assert q.grade("5.7509", "en").correct
    assert not q.grade("5.752", "en").correct


def test_a_prediction_is_graded_by_running_the_engine(lesson: Lesson) -> None:
    q = question(lesson, PredictQuestion)  # eta 1.0 from 0
    verdict, result = q.grade("oscillating", "en")
    assert verdict.correct and result.status.value == "oscillating"
    wrong, _ = q.grade("converged", "en")
    assert not wrong.correct
    assert "converged" in wrong.feedback and "oscillating after" in wrong.feedback  # side by side


def test_a_predicted_number_of_updates_uses_the_tolerance() -> None:
    loaded = load_lesson(ROOT / "lessons" / "02-learning-rate.yaml")
    assert loaded.lesson is not None
    q = next(q for q in loaded.lesson.questions if isinstance(q, PredictQuestion) and q.predict == "steps")
    true_steps = Descent.of(q.run).to_end().steps
    assert q.grade(str(true_steps + q.tolerance), "en")[0].correct
    assert not q.grade(str(true_steps + q.tolerance + 1), "en")[0].correct
    with pytest.raises(NotANumber):
        q.grade("lots", "en")


def test_any_parameters_that_meet_a_goal_pass(lesson: Lesson) -> None:
    q = question(lesson, GoalQuestion)  # converged within 5 updates, eta in [0.001, 2]
    for eta, expected in [(0.1, False), (0.48, True), (0.5, True), (0.52, True), (1.0, False)]:
        result = descend("(x - 3.5)**2 - 4.5*x + 10", eta, 0.0)
        values = {"eta": eta, "precision": 1e-4, "x0": 0.0, "max_iter": 10_000.0}
        assert q.grade(values, result, "en").correct is expected, eta
    out = q.grade({"eta": 5.0}, descend("x^2", 0.5, 0.0), "en")
    assert not out.correct and "between 0.001 and 2" in out.feedback


def test_default_tries(lesson: Lesson) -> None:
    option = Option(text={"en": "A"}, why={"en": "because"})
    assert ChoiceQuestion(prompt={"en": "?"}, options=(option,) * 2).allowed_tries == 1
    assert ChoiceQuestion(prompt={"en": "?"}, options=(option,) * 3).allowed_tries == 1
    assert ChoiceQuestion(prompt={"en": "?"}, options=(option,) * 4).allowed_tries == 2
    assert ChoiceQuestion(prompt={"en": "?"}, options=(option,) * 4, tries=5).allowed_tries == 5
    assert question(lesson, MultipleQuestion).allowed_tries == 2
    assert question(lesson, NumericQuestion).allowed_tries == 2
    assert question(lesson, PredictQuestion).allowed_tries == 1
    assert question(lesson, GoalQuestion).allowed_tries == 0


def test_review_brings_wrong_answers_back_more_often(lesson: Lesson) -> None:
    assert review_weight(2, 0) > review_weight(0, 0) > review_weight(0, 3)
    target = question(lesson, NumericQuestion, 1)
    wrong = {(lesson.id, target.id): 3}
    rng = random.Random(7)
    hits = sum(any(q.id == target.id for _, q in review_questions([lesson], wrong, {}, 1, rng)) for _ in range(2000))
    plain = sum(any(q.id == target.id for _, q in review_questions([lesson], {}, {}, 1, rng)) for _ in range(2000))
    # 6 questions: unweighted 1/6 of draws; with weight 10 against 5 x 1, 10/15 of draws
    assert plain < 500 < 1100 < hits
    drawn = review_questions([lesson], {}, {}, 10, rng)
    assert len(drawn) == len(lesson.questions) == len({q.id for _, q in drawn})


# --- in the app -----------------------------------------------------------------------------------------


def text_of(widget: Markdown | Static) -> str:
    if isinstance(widget, Markdown):
        return widget.source
    return str(widget.render())


def feedback(card: QuestionCard) -> str:
    return text_of(card.query_one(".q-feedback", Markdown))


def to(card: QuestionCard, option: int) -> list[str]:
    """The keys that move from the first option shown to ``option`` (its index in the file)."""
    return ["down"] * card.answer.order.index(option)  # type: ignore[attr-defined]


def example_app(tmp_path: Path, lang: str = "en"):  # type: ignore[no-untyped-def]
    return make_app(lang=lang, data_dir=tmp_path, lesson_dirs=[DATA])


async def test_feedback_follows_a_language_switch(tmp_path: Path) -> None:
    """What a verdict says is marked again in the new language: no English left on a Chinese screen."""
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        card = quiz.card
        await pilot.press(*to(card, 1), "enter")  # the second option: wrong, and the last try
        await until(pilot, lambda: card.state.tries == 1)
        assert "Not quite." in feedback(card) and "The answer:" in feedback(card)
        await pilot.press("f2")
        await until(pilot, lambda: "**不太对**。" in feedback(card))
        text = feedback(card)
        assert "**正确答案**：" in text and "那是学习率太大时才会发生的。" in text
        assert "Not quite" not in text and "too large" not in text
        assert card.state.tries == 1  # marked again, not answered again
        assert len(app.store.attempts()) == 1


async def test_choice_wrong_shows_why_and_the_answer_after_the_last_try(tmp_path: Path) -> None:
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        card = quiz.card
        assert card.question.kind == "choice" and card.question.allowed_tries == 1
        assert app.focused is card.query_one(OptionList)
        await pilot.press(*to(card, 1), "enter")  # the second option: wrong
        await until(pilot, lambda: card.state.tries == 1)
        assert not card.state.right
        text = feedback(card)
        assert "That happens when the rate is too large." in text  # why the pick is wrong
        assert "The answer:" in text and "Each step is tiny" in text  # the right one, with its reason
        assert card.query_one(OptionList).disabled
        await pilot.press("enter")  # no more answers once resolved
        await pilot.pause()  # the key handled
        assert card.state.tries == 1
        assert [(a.question_id, a.answer, a.correct) for a in app.store.attempts()] == [
            ("example-too-small", "2", False)  # the option's place in the file, whatever its place on screen
        ]


async def test_multiple_choice_wrong_then_right(tmp_path: Path) -> None:
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        await pilot.press("n")
        card = quiz.card
        await until(pilot, lambda: card.question.kind == "multiple" and app.focused is not None)
        first, second = sorted(card.answer.order.index(i) for i in (0, 1))  # type: ignore[attr-defined]
        await pilot.press(*["down"] * first, "space", "enter")  # only one of the two right options
        await until(pilot, lambda: card.state.tries == 1)
        assert not card.state.right and "last try" in text_of(card.query_one(".q-head", Static))
        # how far off, not which: the second try is not free
        assert "A right choice is missing" in feedback(card) and "✓" not in feedback(card)
        await pilot.press(*["down"] * (second - first), "space", "enter")  # both
        await until(pilot, lambda: card.state.tries == 2)
        assert card.state.right
        assert "Right." in feedback(card)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_ticking_every_option_is_wrong_and_the_marks_wait_for_the_last_try(tmp_path: Path, lang: str) -> None:
    app = example_app(tmp_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        await pilot.press("n")
        card = quiz.card
        await until(pilot, lambda: card.question.kind == "multiple" and app.focused is not None)
        count = len(card.question.options)  # type: ignore[attr-defined]
        await pilot.press(*["space", "down"] * count, "enter")  # every option
        await until(pilot, lambda: card.state.tries == 1)
        said = feedback(card)
        assert not card.state.right
        assert ("Ticking every option is no answer" if lang == "en" else "全部勾选不算作答") in said
        assert "✓" not in said and "✗" not in said  # which options are right stays to be judged
        right = min(card.question.right)  # type: ignore[attr-defined]
        await pilot.press("home", *to(card, right), "space", "enter")  # a right one taken off: wrong again
        await until(pilot, lambda: card.state.tries == 2)
        settled = feedback(card)
        assert not card.state.right
        assert "✓" in settled and "✗" in settled  # settled: every option's verdict, and the answer
        assert ("The answer:" if lang == "en" else "答案") in settled


async def test_numeric_gentle_message_then_right(tmp_path: Path) -> None:
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        quiz.show(2)
        card = quiz.card
        await until(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"lots", "enter")
        await until(pilot, lambda: "is not a number" in text_of(card.query_one(".q-gentle", Static)))
        assert card.state.tries == 0  # a typo costs no try
        app.focused.value = ""  # type: ignore[union-attr]
        await pilot.press(*"40", "enter")
        await until(pilot, lambda: card.state.tries == 1)
        # no direction while a try is left: two tries would be a bisection
        assert "40 is not it" in feedback(card) and "too low" not in feedback(card)
        app.focused.value = ""  # type: ignore[union-attr]
        await pilot.press(*"4.3e1", "enter")
        await until(pilot, lambda: card.state.right)
        assert "The engine ran it." in feedback(card)  # the explanation after a right answer


async def test_hints_come_in_tiers(tmp_path: Path) -> None:
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        quiz.show(5)  # the goal, with two hints
        await until(pilot, lambda: quiz.current == "q-6" and answer_focused(app, quiz))
        card = quiz.card
        card.focus()
        await pilot.press("h")
        hints = card.query_one(".q-hints", Markdown)
        assert "Larger steps need fewer updates." in text_of(hints) and "0.5" not in text_of(hints)
        await pilot.press("h")
        assert "Raise it while the count falls" in text_of(hints)
        await pilot.press("h")
        assert "No more hints." in text_of(card.query_one(".q-gentle", Static))
        assert card.state.hints == 2


async def test_hints_seen_are_kept_without_an_answer(tmp_path: Path) -> None:
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        quiz.show(5)
        await until(pilot, lambda: quiz.current == "q-6" and answer_focused(app, quiz))
        quiz.card.focus()
        await pilot.press("h")  # one hint, then the learner leaves without answering
        await until(pilot, lambda: quiz.card.state.hints == 1)
        assert app.store.attempts() == []
    again = example_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(again, pilot)
        quiz.show(5)
        await until(pilot, lambda: quiz.current == "q-6" and answer_focused(again, quiz))
        card = quiz.card
        assert card.state.hints == 1
        assert "Larger steps need fewer updates." in text_of(card.query_one(".q-hints", Markdown))
        card.focus()
        await pilot.press("h")  # the next tier, not the first again
        await until(pilot, lambda: "Raise it while the count falls" in text_of(card.query_one(".q-hints", Markdown)))


async def test_predict_then_run_shows_prediction_and_result_side_by_side(tmp_path: Path) -> None:
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        quiz.show(4)
        card = quiz.card
        await until(pilot, lambda: app.focused is card.query_one(OptionList))  # not the first question's list
        await pilot.press("enter")  # predicts "converged"; eta 1.0 oscillates
        # the run plays in the lab beside the question
        await until(pilot, lambda: bool(card.query(Lab)) and card.query_one(Lab).playback is not None)
        await pilot.press("e")
        await until(pilot, lambda: "What the run did" in feedback(card))
        text = feedback(card)
        assert "You predicted: **converged**" in text and "oscillating after" in text
        assert "Not quite." in text
        [attempt] = app.store.attempts()
        assert (attempt.answer, attempt.correct) == ("converged", False)
        # the verdict is scrolled into view below the lab, not left for the learner to find
        verdict = card.query_one(".q-feedback")
        await until(pilot, lambda: card.scrollable_content_region.contains_region(verdict.region))


async def test_goal_checked_by_the_engine_on_the_learners_run(tmp_path: Path) -> None:
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        quiz.show(5)
        card = quiz.card
        await until(pilot, lambda: isinstance(app.focused, Lab))
        lab = card.query_one(Lab)
        await pilot.press("r", "e")  # the lesson's own eta 0.1: 43 updates
        await until(pilot, lambda: card.state.tries == 1)
        assert not card.state.right and "Not yet." in feedback(card)
        assert "at most 5 updates" in feedback(card)
        field = lab.query_one("#in-eta", Input)
        field.focus()
        field.value = "0.49"
        await pilot.press("enter", "e")
        await until(pilot, lambda: card.state.tries == 2)
        assert card.state.right, feedback(card)
        assert "Goal met!" in feedback(card)
        assert [a.correct for a in app.store.attempts()] == [False, True]


async def test_answers_are_kept_and_the_lesson_resumes_after_a_restart(tmp_path: Path) -> None:
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen, quiz = await open_quiz(app, pilot)
        await pilot.press(*to(quiz.card, 0), "enter")  # the first option: right
        await until(pilot, lambda: quiz.card.state.right)
        quiz_step = screen.index
    again = example_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        options = again.screen.query_one(OptionList)
        highlighted = options.get_option_at_index(options.highlighted or 0)
        assert highlighted.id == "example-lesson"  # the list opens on the lesson last worked on
        assert "1/6 answered, 1 right" in str(highlighted.prompt).split("\n")[0]  # its score, on the title's line
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(again.screen, LessonScreen) and bool(again.screen.query(QuizView)))
        screen = again.screen
        assert screen.index == quiz_step  # back at the step reached
        quiz = screen.query_one(QuizView)
        await until(pilot, lambda: quiz.index == 1)  # on the first question not yet answered
        first = quiz.query_one("#q-1", QuestionCard)
        assert first.state.right and "Each step is tiny" in feedback(first)
    rows = {row["id"]: row for row in report(Store(tmp_path), [screen.lesson])}
    assert rows["example-lesson"]["right"] == 1 and rows["example-lesson"]["step"] == quiz_step + 1


async def test_review_draws_from_started_lessons_and_keeps_review_answers_apart(tmp_path: Path) -> None:
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "Nothing to review yet" in str(app.screen.query_one(".step-text", Static).render())
        await pilot.press("q")
        await open_quiz(app, pilot)  # starts the example lesson
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen))
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and bool(app.screen.query(QuestionCard)))
        quiz = app.screen.query_one(QuizView)
        assert len(quiz.items) == 5
        assert {lesson.id for lesson, _ in quiz.items} == {"example-lesson"}
        card = quiz.card
        if card.question.kind in ("choice", "predict"):
            await pilot.press("enter")
            await until(pilot, lambda: card.state.tries == 1)
            [attempt] = app.store.attempts()
            assert attempt.review
            assert app.store.answered("example-lesson") == {}  # review answers leave the lesson's score alone


async def test_reset_asks_first(tmp_path: Path) -> None:
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_quiz(app, pilot)
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.store.attempts()))
        await pilot.press("escape", "q")
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen))
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ResetScreen))
        await pilot.press("n")  # keep everything
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen))
        assert app.store.attempts() and app.store.lesson("example-lesson").started
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ResetScreen))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen))
        assert not app.store.attempts() and not app.store.lesson("example-lesson").started


async def test_a_wrong_prediction_explains_once(tmp_path: Path) -> None:
    """The verdict of a prediction carries the explanation; the answer shown after the last try adds
    nothing it says already."""
    app = make_app(lang="en", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lesson = next(
            lesson for lesson in app.catalog.lessons if any(q.id == "exit-predict-1e6" for q in lesson.questions)
        )
        app.push_screen(LessonScreen(lesson))
        await until(pilot, lambda: isinstance(app.screen, LessonScreen) and bool(app.screen.query("StepView")))
        screen = app.screen
        await screen.show_step(
            next(i for i, s in enumerate(lesson.steps) if any(q.id == "exit-predict-1e6" for q in s.asks()))
        )
        quiz = screen.query_one(QuizView)
        quiz.show(next(i for i, (_, q) in enumerate(quiz.items) if q.id == "exit-predict-1e6"))
        card = quiz.card
        await until(pilot, lambda: app.focused is card.query_one(Input))
        await pilot.press("9", "9", "enter")  # far off: 64 is right
        await until(pilot, lambda: bool(card.query(Lab)) and card.query_one(Lab).playback is not None)
        await pilot.press("e")
        await until(pilot, lambda: "What the run did" in feedback(card))
        explain = str(card.question.explain["en"]).strip().splitlines()[0]
        assert feedback(card).count(explain) == 1


async def test_coming_back_to_a_quiz_puts_the_keyboard_on_its_answer(tmp_path: Path) -> None:
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen, quiz = await open_quiz(app, pilot)
        card = quiz.card
        await until(pilot, lambda: app.focused is card.query_one(OptionList))
        await pilot.press("p")  # the first question: back to the step before
        await until(pilot, lambda: screen.index == 2)
        await pilot.press("n")
        await until(pilot, lambda: screen.index == 3)
        await until(pilot, lambda: app.focused is card.query_one(OptionList))
        await pilot.press("down", "enter")  # the keys reach the question
        await until(pilot, lambda: card.state.tries == 1)


async def test_n_and_p_in_an_empty_number_field_move_between_questions(tmp_path: Path) -> None:
    from gdtutor.ui.widgets.quiz import NumberInput

    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        quiz.show(2)  # a numeric question: its field has the focus
        await until(pilot, lambda: isinstance(app.focused, NumberInput))
        await pilot.press("n")  # as the heading says: the next question, not an 'n' typed
        await until(pilot, lambda: quiz.index == 3)
        await until(pilot, lambda: isinstance(app.focused, NumberInput))
        await pilot.press("1", "n")  # a number being typed keeps its keys
        assert app.focused.value == "1n" and quiz.index == 3  # type: ignore[union-attr]
        await pilot.press("ctrl+u", "p")
        await until(pilot, lambda: quiz.index == 2)


async def test_h_is_offered_only_while_a_question_is_open(tmp_path: Path) -> None:
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        card = quiz.card
        assert card.question.hints and card.check_action("hint", ()) is True
        card.state.tries = 99  # its tries used up: answered, no more hints to give
        card._done()
        assert card.check_action("hint", ()) is False


async def test_a_run_that_grades_an_answer_is_made_off_the_ui_thread(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A question's run may take seconds: the first grading runs it in a thread, and the run is kept
    for the grading that follows on the UI thread (and for the other language)."""
    import threading

    from gdtutor.lessons import questions

    made_on: list[str] = []
    inner = questions.run_to_end.__wrapped__

    @functools.lru_cache(maxsize=8)
    def watched(run):  # type: ignore[no-untyped-def]
        made_on.append(threading.current_thread().name)
        return inner(run)

    monkeypatch.setattr(questions, "run_to_end", watched)
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        quiz.show(2)  # the numeric question whose answer the engine computes
        card = quiz.card
        await until(pilot, lambda: app.focused is card.query_one("NumberInput"))
        await pilot.press("4", "3", "enter")
        await until(pilot, lambda: card.state.tries == 1)
        assert card.state.right
        assert made_on and threading.main_thread().name not in made_on  # made once, in a thread


async def test_a_reopened_number_question_shows_the_answer_given(tmp_path: Path) -> None:
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        quiz.show(2)  # how many updates: 43
        card = quiz.card
        await until(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"43", "enter")
        await until(pilot, lambda: card.state.right)
    app = example_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, quiz = await open_quiz(app, pilot)
        quiz.show(2)
        card = quiz.card
        field = card.query_one(Input)
        await until(pilot, lambda: field.value == "43")
        assert field.disabled  # shown, not taken again


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_long_multiple_choice_options_wrap_under_their_mark_at_60x20(tmp_path: Path, lang: str) -> None:
    """Lesson 4's guards: the part that matters ('if n == 10000: break ... updates') was cut with '…'
    when an option had one row."""
    from textual.widgets import OptionList as Options

    from gdtutor.ui.widgets.quiz import Choices

    app = make_app(lang=lang, data_dir=tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        app.push_screen(LessonScreen(app.catalog.get("too-large")))
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))

        def shown() -> list[Choices]:
            return [c for c in app.screen.query(Choices) if c.region.width]

        for _ in range(30):  # on through the steps and questions, as a learner with n
            if shown():
                break
            await pilot.press("escape", "n")
            await pilot.pause()
        (choices,) = shown()
        await until(pilot, lambda: choices.scrollable_content_region.width > 0)
        width = choices.scrollable_content_region.width
        assert isinstance(choices, Options) and width < 60
        wrapped = 0
        for n in range(choices.option_count):
            prompt = choices.get_option_at_index(n).prompt
            lines = prompt.lines(width).plain.split("\n")  # type: ignore[union-attr]
            assert all(cell_len(line) <= width for line in lines), lines
            assert all(line.startswith("    ") for line in lines[1:])  # under the mark, not under it
            assert "".join(line.strip() for line in lines).replace(" ", "") == str(prompt).replace(" ", "")
            wrapped += len(lines) > 1
        assert wrapped >= 1 or lang == "zh"  # the Chinese options are short enough here
        await pilot.press("space")
        assert str(choices.get_option_at_index(choices.highlighted or 0).prompt).startswith("[x]")
