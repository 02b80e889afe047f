"""Questions as templates: fresh numbers for each attempt and review round, answered by the engine, kept
with the answer they were given for, checked instance by instance, and counted as one question."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from support import ROOT
from support.waiting import until
from textual.widgets import Input, Markdown, OptionList

from gdtutor.classreport import question_rows, shown_answer
from gdtutor.lessons.load import load_catalog, load_lesson
from gdtutor.lessons.model import Lesson
from gdtutor.lessons.questions import NumericQuestion, PredictQuestion, RunQuestion, run_to_end
from gdtutor.lessons.templates import instance_text
from gdtutor.progress import Store, read_store
from gdtutor.ui import make_app
from gdtutor.ui.screens.lesson import LessonScreen
from gdtutor.ui.widgets.quiz import QuestionCard, QuizView

LESSONS = ROOT / "lessons"
PLACEHOLDER = re.compile(r"\{(eta|x0|precision|max_iter|steps|x|last_step)\}")


def templates() -> list[tuple[Lesson, RunQuestion]]:
    return [
        (lesson, q)
        for lesson in load_catalog().lessons
        for q in lesson.questions
        if isinstance(q, RunQuestion) and q.vary is not None
    ]


def test_a_template_in_every_lesson_whose_questions_ask_for_a_number() -> None:
    found = {lesson.id for lesson, _ in templates()}
    with_numbers = {
        lesson.id
        for lesson in load_catalog().lessons
        if any(isinstance(q, NumericQuestion) or getattr(q, "predict", "") == "steps" for q in lesson.questions)
    }
    assert len(with_numbers) == 7 and with_numbers <= found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_instance_of_every_template_is_answered_by_the_engine(lang: str) -> None:
    for _, template in templates():
        assert template.vary is not None
        instances = list(template.instances())
        assert len(instances) == template.vary.count() >= 4
        for instance in instances:
            for text in (instance.prompt, *instance.hints, instance.explain or {}):
                assert not PLACEHOLDER.search(text.get(lang, "")), text
            if isinstance(instance, NumericQuestion):
                assert math.isfinite(instance.value())
                assert all(not instance.matches(wrong, instance.value()) for _, wrong in instance.mistake_values())
            else:
                assert isinstance(instance, PredictQuestion)
                assert run_to_end(instance.run).status == "converged"


def test_a_draw_is_fixed_for_a_seed_and_varies_between_seeds() -> None:
    (_, template), *_ = templates()
    assert template.draw("learner/lesson/0") == template.draw("learner/lesson/0")
    drawn = {json.dumps(template.draw(f"learner/lesson/{n}")) for n in range(40)}
    assert len(drawn) >= 4
    values = template.draw("learner/lesson/1")
    assert values is not None and template.can_draw(values)
    assert not template.can_draw({name: -1.0 for name in values})  # not one of its values: drawn anew


def test_an_instance_is_graded_against_its_own_numbers() -> None:
    lesson = load_lesson(LESSONS / "06-what-stop-measures.yaml").lesson
    assert lesson is not None
    (template,) = [q for q in lesson.questions if q.question_id == "stop-distance-005"]
    assert isinstance(template, NumericQuestion)
    near, far = template.at({"eta": 0.05}), template.at({"eta": 0.02})
    assert "0.05" in near.prompt["en"] and "0.0000916" in near.prompt["en"]  # the engine's last step
    assert near.grade("0.00082", "en").correct and not far.grade("0.00082", "en").correct
    assert far.grade(f"{far.value():.2g}", "en").correct


# --- the checker -------------------------------------------------------------------------------------

BROKEN = """\
id: broken-templates
title: {en: T, zh: T}
summary: {en: T, zh: T}
steps:
  - kind: quiz
    questions:
      - kind: numeric
        id: given
        prompt: {en: "x0 is {x0}?", zh: "x0 是 {x0}？"}
        answer: 4
        vary: {x0: [1, 2]}
      - kind: predict
        id: not-shown
        prompt: {en: How many updates?, zh: 更新几次？}
        run: {eta: 0.1, x0: 0}
        vary: {x0: [1, 2]}
        predict: steps
      - kind: predict
        id: one-blows-up
        prompt: {en: "eta {eta}: how many updates?", zh: "学习率 {eta}：更新几次？"}
        run: {eta: 0.1, x0: 0}
        vary: {eta: [0.1, 1.5]}
        predict: steps
      - kind: numeric
        id: shows-it
        prompt: {en: "It took {steps} updates. How many?", zh: "{steps} 次。几次？"}
        answer_from: {run: {eta: 0.1, x0: 0}, value: steps}
"""


FORMULAS = """\
id: broken-formulas
title: {en: F, zh: F}
summary: {en: F, zh: F}
steps:
  - kind: quiz
    questions:
      - kind: numeric
        id: unreadable
        prompt: {en: "{a}?", zh: "{a}？"}
        vary: {numbers: [{name: a, values: [1, 2]}]}
        formula: a * b
      - kind: numeric
        id: unused
        prompt: {en: "{a}?", zh: "{a}？"}
        vary: {numbers: [{name: a, values: [1, 2]}]}
        answer: 3
      - kind: numeric
        id: mistaken
        prompt: {en: "{a}?", zh: "{a}？"}
        vary: {numbers: [{name: a, values: [1, 2]}]}
        formula: a^2
        mistakes:
          - {formula: a * a, why: {en: Same., zh: 一样。}}
      - kind: numeric
        id: nowhere
        prompt: {en: "Two?", zh: "二？"}
        vary: {numbers: [{name: a, values: [1, 2]}]}
        formula: a + 1
"""


def test_the_checker_reads_formulas_and_their_mistakes(tmp_path: Path) -> None:
    path = tmp_path / "formulas.yaml"
    path.write_text(FORMULAS, encoding="utf-8")
    problems = load_lesson(path).problems
    found = [(p.line, p.code) for p in problems]
    assert found == [
        (7, "bad_formula"),
        (12, "vary_numbers_unused"),
        (17, "vary_instance_fails"),
        (17, "mistake_is_answer"),
        (24, "vary_not_in_prompt"),
    ], problems
    said = [p.located("en") for p in problems]
    assert "unknown name 'b'" in said[0] and "the instance a = 1 fails" in said[2]


def test_the_checker_runs_every_instance_and_reads_the_prompt(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    problems = load_lesson(path).problems
    found = [(p.line, p.code) for p in problems]
    assert found == [
        (7, "vary_needs_run"),
        (12, "vary_not_in_prompt"),
        (18, "vary_instance_fails"),
        (18, "predict_must_stop"),
        (24, "prompt_shows_answer"),
    ], problems
    said = {p.code: p.located("en") for p in problems}
    assert "the instance eta = 1.5 fails" in said["vary_instance_fails"]
    assert "write {x0} where the value goes" in said["vary_not_in_prompt"]


# --- in the tutor: kept with the answer, drawn anew after a reset ---------------------------------------

TEMPLATE = """\
id: fresh
order: 1
title: {en: Fresh numbers, zh: 新数字}
summary: {en: One template., zh: 一道模板题。}
steps:
  - kind: quiz
    questions:
      - kind: numeric
        id: first-x
        prompt:
          en: "From x0 = {x0} with eta 0.1, x after one update?"
          zh: "从 x0 = {x0} 出发，学习率 0.1，更新一次后 x 是多少？"
        answer_from: {run: {eta: 0.1, x0: 0, max_iter: 1}, value: x}
        vary: {x0: [1, 2, 3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]}
        decimals: 2
"""


def prompt_of(card: QuestionCard) -> str:
    return card.query_one(".q-prompt", Markdown).source


async def open_fresh(app, pilot) -> QuestionCard:  # type: ignore[no-untyped-def]
    options = app.screen.query_one(OptionList)
    await until(pilot, lambda: options.option_count > 0)
    options.highlighted = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == "fresh")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, LessonScreen) and bool(app.screen.query(QuestionCard)))
    card = app.screen.query_one(QuizView).card
    await until(pilot, lambda: isinstance(app.focused, Input))
    return card


async def test_the_instance_is_kept_with_the_answer_and_drawn_anew_after_a_reset(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "fresh.yaml").write_text(TEMPLATE, encoding="utf-8")
    data = tmp_path / "data"
    app = make_app(lang="en", data_dir=data, lesson_dirs=[lessons])
    async with app.run_test(size=(80, 24)) as pilot:
        card = await open_fresh(app, pilot)
        first = prompt_of(card)
        assert "{x0}" not in first
        x0 = float(re.search(r"x0 = (\d+)", first).group(1))  # type: ignore[union-attr]
        right = x0 - 0.1 * (2 * (x0 - 3.5) - 4.5)
        await pilot.press(*f"{right:.2f}", "enter")
        await until(pilot, lambda: card.state.right)
    (attempt,) = Store(data).attempts("fresh")
    assert json.loads(attempt.instance or "") == {"x0": x0} and attempt.correct

    # back later: the same numbers, and the answer marked against them
    app = make_app(lang="en", data_dir=data, lesson_dirs=[lessons])
    async with app.run_test(size=(80, 24)) as pilot:
        options = app.screen.query_one(OptionList)
        await until(pilot, lambda: options.option_count > 0)
        options.highlighted = next(
            i for i in range(options.option_count) if options.get_option_at_index(i).id == "fresh"
        )
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.screen.query(QuestionCard)))
        card = app.screen.query_one(QuizView).card
        await until(pilot, lambda: "Right." in card.query_one(".q-feedback", Markdown).source)
        assert prompt_of(card) == first

    # each reset is a new attempt, with numbers of its own
    seen = {first}
    for _ in range(6):
        Store(data).reset("fresh")
        app = make_app(lang="en", data_dir=data, lesson_dirs=[lessons])
        async with app.run_test(size=(80, 24)) as pilot:
            seen.add(prompt_of(await open_fresh(app, pilot)))
    assert len(seen) >= 3


def test_a_review_round_draws_its_own_instance() -> None:
    (_, template), *_ = templates()
    rounds = {json.dumps(template.draw(f"learner/review/{n}")) for n in range(1, 20)}
    assert len(rounds) >= 3


# --- the class report ---------------------------------------------------------------------------------


def test_the_class_report_counts_a_template_once_and_groups_wrong_answers_by_what_they_show(
    tmp_path: Path,
) -> None:
    lesson = load_lesson(LESSONS / "03-precision-and-exit.yaml").lesson
    assert lesson is not None
    (template,) = [q for q in lesson.questions if q.question_id == "exit-predict-1e6"]
    stores = []
    for n, precision in enumerate((1e-5, 1e-7)):
        store = Store(tmp_path / f"learner{n}")
        steps = run_to_end(template.at({"precision": precision}).run).steps  # type: ignore[attr-defined]
        store.record(
            lesson.id, template.question_id, str(steps + 1), False, instance=instance_text({"precision": precision})
        )
        store.close()
        stores.append(read_store(store.path))
    rows = question_rows(stores, [lesson], "en")
    row = rows[lesson.id, template.question_id]
    assert row.learners == 2
    assert row.wrong_answers() == [("one more than the updates (x0 counted?)", 2)]
    assert shown_answer(template, "200", "zh", instance_text({"precision": 1e-5})) == "偏大，2 到 10 倍"
    assert shown_answer(template, "55", "en", None) == "55"  # no instance kept: the number as given
