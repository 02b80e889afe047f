"""Quizzes a learner cannot game and that teach: options in each learner's own order, answered before
completed, the lesson's end, numbers typed with a comma, miscounts and predicted outcomes explained."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from support import DATA
from support.pilot import first_step
from support.waiting import settled, until
from textual.widgets import Input, Markdown, OptionList, Static

from gdtutor.engine import Descent
from gdtutor.engine.params import Run
from gdtutor.i18n import has, t
from gdtutor.lessons.answers import NotANumber, parse_number
from gdtutor.lessons.load import load_lesson
from gdtutor.lessons.model import Lesson
from gdtutor.lessons.questions import (
    ChoiceQuestion,
    MultipleQuestion,
    NumericQuestion,
    PredictQuestion,
    Target,
    describe_result,
    zigzags,
)
from gdtutor.numbers import true_digits
from gdtutor.progress import Store, lesson_progress
from gdtutor.telling import explain
from gdtutor.ui import make_app
from gdtutor.ui.screens.lesson import EndView, LessonScreen
from gdtutor.ui.screens.lessons import LessonListScreen
from gdtutor.ui.screens.review import ReviewScreen
from gdtutor.ui.widgets.keybar import KeyBar
from gdtutor.ui.widgets.quiz import QuestionCard, QuizView

SIZE = (80, 24)

PINNED = """\
id: {id}
order: {order}
title: {{en: {title}, zh: {title}}}
summary: {{en: "{summary}", zh: "{summary}"}}
steps:
  - kind: quiz
    questions:
      - kind: choice
        id: {id}-q
        prompt: {{en: Which one?, zh: 哪一个？}}
        options:
          - text: {{en: Right one., zh: 对的。}}
            correct: true
            why: {{en: It is right., zh: 它是对的。}}
          - text: {{en: Wrong one., zh: 错的。}}
            why: {{en: It is wrong., zh: 它是错的。}}
          - text: {{en: Another wrong one., zh: 另一个错的。}}
            why: {{en: Also wrong., zh: 也是错的。}}
          - text: {{en: A third wrong one., zh: 第三个错的。}}
            why: {{en: Wrong too., zh: 还是错的。}}
          - text: {{en: None of these., zh: 以上都不是。}}
            last: true
            why: {{en: One of them is right., zh: 其中有一个是对的。}}
"""


def write_lessons(folder: Path, *specs: tuple[str, int, str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for lesson_id, order, title, summary in specs:
        text = PINNED.format(id=lesson_id, order=order, title=title, summary=summary)
        (folder / f"{lesson_id}.yaml").write_text(text, encoding="utf-8")
    return folder


def pinned_lesson(tmp_path: Path) -> Lesson:
    folder = write_lessons(tmp_path / "pinned", ("pinned", 100, "Pinned", "Options in order."))
    loaded = load_lesson(folder / "pinned.yaml")
    assert loaded.lesson is not None, loaded.problems
    return loaded.lesson


@pytest.fixture(scope="module")
def example() -> Lesson:
    loaded = load_lesson(DATA / "example-lesson.yaml")
    assert loaded.lesson is not None, loaded.problems
    return loaded.lesson


def first(lesson: Lesson, kind: type[Any]) -> Any:
    return next(q for q in lesson.questions if type(q) is kind)


# --- the order of options -------------------------------------------------------------------------------


def test_option_order_varies_between_learners_and_is_fixed_for_one_attempt(tmp_path: Path) -> None:
    q: ChoiceQuestion = first(pinned_lesson(tmp_path), ChoiceQuestion)
    orders = {tuple(q.order(f"learner-{n}/pinned/0")) for n in range(30)}
    assert len(orders) > 5  # 24 orders of the four free options: learners see different ones
    assert len({order.index(0) for order in orders}) == 4  # the right option is not always in one place
    assert q.order("learner-1/pinned/0") == q.order("learner-1/pinned/0")  # the same attempt, the same order
    assert any(q.order(f"learner-1/pinned/{n}") != q.order("learner-1/pinned/0") for n in range(1, 5))


def test_a_pinned_option_is_always_last(tmp_path: Path) -> None:
    q: ChoiceQuestion = first(pinned_lesson(tmp_path), ChoiceQuestion)
    for n in range(30):
        order = q.order(f"learner-{n}")
        assert order[-1] == 4 and sorted(order) == [0, 1, 2, 3, 4]
        assert q.labels("en", order)[-1] == "E. None of these."


def test_grading_is_right_under_any_order(example: Lesson) -> None:
    multiple: MultipleQuestion = first(example, MultipleQuestion)
    choice: ChoiceQuestion = first(example, ChoiceQuestion)
    for order in itertools.permutations(range(len(multiple.options))):
        shown = [i for i in order if multiple.options[i].correct]  # the right ones, picked as shown
        verdict = multiple.grade(shown, "en")
        assert verdict.correct and verdict.answer == "1,2"  # kept by option, not by letter
        assert not multiple.grade(shown[:1], "en").correct
    assert choice.grade([0], "en").correct and choice.grade([0], "en").answer == "1"
    assert not choice.grade([1], "en").correct


def test_stored_answers_are_replayed_by_option(example: Lesson) -> None:
    choice: ChoiceQuestion = first(example, ChoiceQuestion)
    assert "That happens when the rate is too large." in choice.replay("2", "en")
    assert "That happens when the rate is too large." in choice.replay("B", "en")  # kept by an earlier version
    feedback = choice.grade([1], "en").feedback
    assert "- ✗ It blows up to nan." in feedback and "B." not in feedback  # named by text, not a letter


def test_the_learner_and_the_attempt_are_kept(tmp_path: Path) -> None:
    one, other = Store(tmp_path / "one"), Store(tmp_path / "other")
    assert one.learner_id and one.learner_id != other.learner_id
    seed = one.order_seed("lesson")
    one.close()
    again = Store(tmp_path / "one")
    assert again.order_seed("lesson") == seed  # leaving and coming back: the same order
    again.visit("lesson", 0)
    again.reset("lesson")
    assert again.order_seed("lesson") != seed  # a reset is a new attempt
    after_one = again.order_seed("lesson")
    again.visit("lesson", 0)
    again.reset()
    assert again.order_seed("lesson") not in (seed, after_one)
    assert again.review_seed() != again.review_seed()  # each round of review is a new attempt
    again.close()
    other.close()


# --- numbers ----------------------------------------------------------------------------------------------


def test_a_comma_that_could_be_either_is_refused_with_both_readings() -> None:
    assert parse_number("1,15") == 1.15
    with pytest.raises(NotANumber) as refused:
        parse_number("2,500")
    assert refused.value.code == "ambiguous_comma"
    assert refused.value.fields == {"whole": "2500", "decimal": "2.500"}


def test_miscounted_updates_are_diagnosed(example: Lesson) -> None:
    q: NumericQuestion = first(example, NumericQuestion)
    assert q.counts_updates and q.value() == 43
    plus = q.grade("44", "en").feedback
    assert "did you count x0" in plus and "too high" in plus
    assert "最后那次更新" in q.grade("42", "zh").feedback
    assert "one fewer than the updates" in q.grade("42", "en").feedback
    assert "whole number" in q.grade("43.5", "en").feedback
    far = q.grade("60", "en").feedback
    assert "too high" in far and "x0" not in far and "fewer" not in far
    # while tries are left: the reasoning step to check, never the direction or the answer
    assert q.grade("44", "en").shown(settled=False) == (
        "**Not quite.** 44 is not it. Check how you counted: x0, the start, is no update, and the last update, "
        "the one after which the exit condition held, counts."
    )
    assert q.grade("60", "en").shown(settled=False) == "**Not quite.** 60 is not it."
    where: NumericQuestion = next(q for q in example.questions if isinstance(q, NumericQuestion) and q.answer)
    assert not where.counts_updates and "x0" not in where.grade("6.75", "en").feedback  # not a count


def test_a_predicted_count_is_diagnosed_too() -> None:
    q = PredictQuestion(prompt="How many?", run=Run(eta=0.1, x0=0.0), predict="steps")
    verdict, _ = q.grade(str(Descent.of(Run(eta=0.1, x0=0.0)).to_end().steps + 1), "en")
    assert not verdict.correct and "did you count x0" in verdict.feedback


def test_one_is_singular_in_english() -> None:
    one = Descent.of(Run(eta=0.5, x0=5.75)).to_end()  # starting at the minimum: one update, which moves nothing
    assert one.steps == 1
    assert "after 1 update," in describe_result(one, "en")
    assert "after 1 update at" in explain(one, "en")
    assert "更新 1 次" in describe_result(one, "zh")
    assert Target(max_steps=1).words("en") == "The goal: in at most 1 update."
    assert Target(max_steps=2).words("en") == "The goal: in at most 2 updates."


# --- predicted outcomes ----------------------------------------------------------------------------------


def test_oscillates_is_explained_against_a_run_that_zigzags_to_its_end() -> None:
    q = PredictQuestion(prompt="eta 0.9?", run=Run(eta=0.9, x0=0.0), predict="outcome")
    verdict, result = q.grade("oscillating", "en")
    assert result.status == "converged" and zigzags(result) and not verdict.correct
    text = verdict.feedback
    assert "“Oscillating” means a run that never settles" in text
    assert "did jump from one side of the minimum to the other" in text and "converged" in text
    zh = q.grade("oscillating", "zh")[0].feedback
    assert "“震荡”是指永远停不下来的运行" in zh and "来回跳" in zh and "Oscillating" not in zh


@pytest.mark.parametrize("eta", [0.1, 0.9, 1.0, 1.1])
def test_every_wrong_outcome_says_what_its_word_means_and_what_the_run_did(eta: float) -> None:
    q = PredictQuestion(prompt="?", run=Run(eta=eta, x0=0.0, max_iter=10000), predict="outcome")
    result = Descent.of(q.run).to_end()
    actual = str(result.status)
    assert actual == {0.1: "converged", 0.9: "converged", 1.0: "oscillating", 1.1: "diverged"}[eta]
    for said in ("converged", "diverged", "oscillating", "max_iter"):
        for lang in ("en", "zh"):
            verdict = q.grade(said, lang)[0]
            if said == actual:
                assert verdict.correct
                continue
            assert t(f"predict_means_{said}", lang) in verdict.feedback  # what the chosen word means
            zigzag = f"predict_did_{actual}_zigzag"
            did = zigzag if zigzags(result) and has(zigzag) else f"predict_did_{actual}"
            assert t(did, lang, x=true_digits(result.x)) in verdict.feedback  # against what the run did


# --- in the app -----------------------------------------------------------------------------------------


def prompts(card: QuestionCard) -> list[str]:
    options = card.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def open_lesson(app, pilot, lesson_id: str) -> LessonScreen:  # type: ignore[no-untyped-def]
    lesson = app.catalog.get(lesson_id)
    app.push_screen(LessonScreen(lesson))
    await until(pilot, lambda: isinstance(app.screen, LessonScreen) and bool(app.screen.query("StepView")))
    await settled(pilot)
    return app.screen  # type: ignore[no-any-return]


async def test_options_come_in_the_learners_order_kept_until_a_reset(tmp_path: Path) -> None:
    lessons = write_lessons(tmp_path / "lessons", ("pinned", 100, "Pinned", "Options in order."))
    app = make_app(lang="en", data_dir=tmp_path / "data", lesson_dirs=[lessons])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(app, pilot, "pinned")
        card = screen.query_one(QuestionCard)
        shown = prompts(card)
        assert shown[-1] == "E. None of these."  # pinned last
        assert [p[0] for p in shown] == list("ABCDE")  # the letters follow the order shown
        right = next(n for n, p in enumerate(shown) if p.endswith("Right one."))
        await until(pilot, lambda: app.focused is card.query_one(OptionList))
        await pilot.press(*["down"] * right, "enter")
        await until(pilot, lambda: card.state.tries == 1)
        assert card.state.right  # graded by the option, wherever it was shown
        assert [a.answer for a in app.store.attempts()] == ["1"]
    again = make_app(lang="en", data_dir=tmp_path / "data", lesson_dirs=[lessons])
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_lesson(again, pilot, "pinned")
        assert prompts(screen.query_one(QuestionCard)) == shown  # back again: the same order
        again.store.reset("pinned")
        orders = {tuple(shown)}
        for _ in range(6):  # each reset is a new attempt, in an order of its own
            again.store.reset("pinned")
            q = again.catalog.get("pinned").questions[0]  # type: ignore[union-attr]
            orders.add(tuple(q.labels("en", q.order(again.store.order_seed("pinned")))))  # type: ignore[union-attr]
        assert len(orders) > 1


async def test_passing_a_quiz_by_with_n_does_not_complete_the_lesson(tmp_path: Path) -> None:
    lessons = write_lessons(tmp_path / "lessons", ("pinned", 100, "Pinned", "Options in order."))
    app = make_app(lang="en", data_dir=tmp_path / "data", lesson_dirs=[lessons])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(app, pilot, "pinned")
        await pilot.press("n")  # past the only question, unanswered
        await until(pilot, lambda: screen.at_end)
        end = screen.query_one(EndView)
        text = end.query_one(Markdown).source
        assert "Not completed yet: 0 of 1 questions answered. Press p to go back" in text
        assert not app.store.lesson("pinned").completed
        assert not lesson_progress(app.store, screen.lesson).completed
        await pilot.press("p")  # back to the question
        await until(pilot, lambda: not screen.at_end and app.focused is screen.query_one(OptionList))
        card = screen.query_one(QuestionCard)
        right = next(n for n, p in enumerate(prompts(card)) if p.endswith("Right one."))
        await pilot.press(*["down"] * right, "enter")
        await until(pilot, lambda: card.state.right)
        await pilot.press("n")  # answered, then on to the end
        await until(pilot, lambda: screen.at_end)
        assert app.store.lesson("pinned").completed
        assert "Lesson completed." in end.query_one(Markdown).source
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen))
        options = app.screen.query_one(OptionList)
        line = next(
            str(options.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(options.option_count)
            if options.get_option_at_index(i).id == "pinned"
        )
        assert line.startswith("✓") and "1/1 answered" in line


def two_lessons(tmp_path: Path) -> Path:
    """A folder of two one-question lessons, 'first-one' before 'second-one'."""
    return write_lessons(
        tmp_path / "lessons",
        ("first-one", 100, "First", "What the first one taught."),
        ("second-one", 101, "Second", "What the second one taught."),
    )


async def finish_the_first(app, pilot) -> LessonScreen:  # type: ignore[no-untyped-def]
    """Answer 'first-one' rightly and go on to its end."""
    screen = await open_lesson(app, pilot, "first-one")
    card = screen.query_one(QuestionCard)
    right = next(n for n, p in enumerate(prompts(card)) if p.endswith("Right one."))
    await until(pilot, lambda: app.focused is card.query_one(OptionList))
    await pilot.press(*["down"] * right, "enter", "n")
    await until(pilot, lambda: screen.at_end)
    return screen


async def test_the_end_of_a_lesson_sums_it_up_and_leads_to_the_next(tmp_path: Path) -> None:
    app = make_app(lang="en", data_dir=tmp_path / "data", lesson_dirs=[two_lessons(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        screen = await finish_the_first(app, pilot)
        text = screen.query_one(EndView).query_one(Markdown).source
        number = [lesson.id for lesson in app.catalog.lessons].index("second-one") + 1
        assert "Lesson completed." in text
        assert "What the first one taught." in text  # the lesson's summary
        assert "Your score: 1 of 1 right, 1 of them on the first try." in text
        assert f"Next: **{number}. Second**. Press n to start it, or q for the lesson list." in text
        assert "First  ·  End of the lesson" in str(screen.query_one("#lesson-title", Static).render())
        await pilot.press("f2")
        await until(pilot, lambda: "本课已完成。" in screen.query_one(EndView).query_one(Markdown).source)
        assert "下一课：**" in screen.query_one(EndView).query_one(Markdown).source
        await pilot.press("f2")
        await pilot.press("n")  # the key named opens the next lesson
        await until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "second-one")


async def test_finishing_every_lesson_says_so(tmp_path: Path) -> None:
    lessons = write_lessons(tmp_path / "lessons", ("last-one", 100, "Last", "The last one."))
    app = make_app(lang="en", data_dir=tmp_path / "data", lesson_dirs=[lessons])
    async with app.run_test(size=SIZE) as pilot:
        store = app.store
        for lesson in app.catalog.lessons:  # every other lesson done already
            if lesson.id != "last-one":
                for q in lesson.questions:
                    store.record(lesson.id, q.question_id, "x", True)
                store.visit(lesson.id, 0)
                store.complete(lesson.id)
        screen = await open_lesson(app, pilot, "last-one")
        card = screen.query_one(QuestionCard)
        await until(pilot, lambda: app.focused is card.query_one(OptionList))
        wrong = next(n for n, p in enumerate(prompts(card)) if p.endswith("Wrong one."))
        await pilot.press(*["down"] * wrong, "enter", "enter")  # wrong twice: out of tries, answered all the same
        await until(pilot, lambda: card.state.tries == 2)
        await pilot.press("n")
        await until(pilot, lambda: screen.at_end)
        text = screen.query_one(EndView).query_one(Markdown).source
        assert "You have completed every lesson. Press n to go back to the lesson list." in text
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen))


async def test_numbers_with_a_comma_and_miscounts_in_the_app(tmp_path: Path) -> None:
    app = make_app(lang="en", data_dir=tmp_path, lesson_dirs=[DATA])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(app, pilot, "example-lesson")
        await screen.show_step(first_step(screen.lesson, "quiz"))
        await until(pilot, lambda: bool(screen.query(QuizView)))
        quiz = screen.query_one(QuizView)
        quiz.show(2)  # how many updates: 43
        card = quiz.card
        await until(pilot, lambda: isinstance(app.focused, Input))
        field = card.query_one(Input)
        await pilot.press(*"1,000", "enter")
        await until(pilot, lambda: "can be read two ways" in str(card.query_one(".q-gentle", Static).render()))
        assert "1000" in str(card.query_one(".q-gentle", Static).render()) and card.state.tries == 0
        field.value = ""
        await pilot.press(*"44", "enter")
        await until(pilot, lambda: card.state.tries == 1)
        said = card.query_one(".q-feedback", Markdown).source
        assert "Check how you counted" in said and "one more" not in said  # the step missed, not the answer
        field.value = ""
        await pilot.press(*"43,0", "enter")  # a decimal comma
        await until(pilot, lambda: card.state.right)


async def test_a_wrong_outcome_is_explained_in_both_languages(tmp_path: Path) -> None:
    app = make_app(lang="en", data_dir=tmp_path, lesson_dirs=[DATA])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(app, pilot, "example-lesson")
        await screen.show_step(first_step(screen.lesson, "quiz"))
        await until(pilot, lambda: bool(screen.query(QuizView)))
        quiz = screen.query_one(QuizView)
        quiz.show(4)  # eta 1.0 from 0: oscillates
        card = quiz.card
        await until(pilot, lambda: app.focused is card.query_one(OptionList))
        await pilot.press("enter")  # "converged"
        await until(pilot, lambda: card.state.tries == 1)
        await pilot.press("e")
        await until(pilot, lambda: "“Converged” means" in card.query_one(".q-feedback", Markdown).source)
        assert "This run never settled" in card.query_one(".q-feedback", Markdown).source
        await pilot.press("f2")
        await until(pilot, lambda: "“收敛”是指" in card.query_one(".q-feedback", Markdown).source)
        assert "这次运行一直停不下来" in card.query_one(".q-feedback", Markdown).source


async def test_review_is_named_for_its_questions_and_its_end_names_keys_on_screen(tmp_path: Path) -> None:
    app = make_app(lang="en", data_dir=tmp_path, lesson_dirs=[DATA])
    async with app.run_test(size=SIZE) as pilot:
        app.store.visit("example-lesson", 0)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and bool(app.screen.query(QuestionCard)))
        screen = app.screen
        title = str(screen.query_one("#lesson-title", Static).render())
        assert title == "Review: questions from the lessons you have started"
        messages: list[str] = []
        app.notify = lambda message, **_: messages.append(message)  # type: ignore[method-assign,assignment,misc]
        quiz = screen.query_one(QuizView)
        for _ in range(len(quiz.items)):
            await pilot.press("escape", "n")
        await until(pilot, lambda: bool(messages))
        message = messages[-1]
        bar = str(screen.query_one(KeyBar).render())
        again, back = (next(b for b in ReviewScreen.BINDINGS if b.action == a) for a in ("again", "app.pop_screen"))
        shown_again, shown_back = app.get_key_display(again), app.get_key_display(back)  # type: ignore[arg-type]
        assert f"{shown_again} Again" in bar and f"{shown_back} Lessons" in bar  # both keys are on the key bar
        assert f"{shown_again} starts another round, {shown_back} goes back to the lessons" in message
        await pilot.press(again.key)  # type: ignore[union-attr]
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen is not screen)
        await pilot.press("escape", back.key)  # type: ignore[union-attr]  # out of an answer field first
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen))


def test_the_score_says_how_many_were_right_on_the_first_try(tmp_path: Path) -> None:
    lessons = write_lessons(tmp_path / "lessons", ("pinned", 100, "Pinned", "Options in order."))
    lesson = load_lesson(lessons / "pinned.yaml").lesson
    assert lesson is not None
    store = Store(tmp_path / "data")
    qid = lesson.questions[0].question_id
    store.record(lesson.id, qid, "0", False)  # wrong first, then right
    store.record(lesson.id, qid, "1", True)
    where = lesson_progress(store, lesson)
    assert (where.right, where.first_try) == (1, 0)


async def test_back_in_the_list_after_a_lesson_is_completed_the_cursor_is_on_the_next(tmp_path: Path) -> None:
    app = make_app(lang="en", data_dir=tmp_path / "data", lesson_dirs=[two_lessons(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        await finish_the_first(app, pilot)
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen))
        options = app.screen.query_one(OptionList)
        await until(pilot, lambda: options.highlighted is not None)
        assert options.get_option_at_index(options.highlighted).id == "second-one"
