"""Lesson 9's loop exercise: the exit condition of the loop for a point, typed by a learner (parsed, never
run as Python), run beside the lesson's own; and the same loop as the engine's 2-D descent."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from support import ROOT

from gdtutor.engine.descent2 import Descent2
from gdtutor.engine.expr import ExpressionError, parse_loop_part
from gdtutor.engine.loop import PLANE_EXIT, PlaneCase, parse_part, run_loop_plane
from gdtutor.engine.surface import BANANA, BOWL, PRESETS, TURNED_VALLEY, VALLEY, Surface
from gdtutor.lessons.load import load_lesson
from gdtutor.lessons.questions import LoopQuestion

LESSON = ROOT / "lessons" / "09-one-rate-every-direction.yaml"


@pytest.mark.parametrize("name", list(PRESETS))
@pytest.mark.parametrize("eta", [0.0005, 0.002, 0.05, 0.099])
def test_the_lessons_loop_is_the_engines_loop(name: str, eta: float) -> None:
    """Written from the lesson's text, with its test parsed by the tutor, the loop stops where the engine's
    does, at the same point, bit for bit."""
    text = PRESETS[name]
    start = (-1.5, 2.0) if text == BANANA else (1.0, 1.0)
    run = run_loop_plane(Surface(text), PlaneCase(*start, eta, 1e-4, 5000))
    engine = Descent2(text, eta, *start, max_iter=5000).to_end()
    if engine.status in ("converged", "max_iter") and run.stopped == (engine.status == "converged"):
        assert run.steps == engine.steps and (run.x, run.y) == (engine.x, engine.y)
    else:  # diverged or oscillating: the plain loop runs to its limit, as the lecture's does
        assert not run.stopped and run.steps == 5000


def test_the_exit_condition_of_a_point_names_x_y_and_their_last_values() -> None:
    tree = parse_loop_part(PLANE_EXIT, condition=True, plane=True)
    assert tree == parse_part("exit", f"if {PLANE_EXIT}: break", plane=True)
    with pytest.raises(ExpressionError) as caught:
        parse_loop_part("abs(y - last_y) < precision", condition=True)  # the lecture's loop has no y
    assert caught.value.code == "unknown_name"
    with pytest.raises(ExpressionError) as caught:
        parse_loop_part("abs(g(x)) < precision", condition=True, plane=True)  # no slope in this test
    assert caught.value.code == "unknown_name"
    without = frozenset({"sqrt"})
    with pytest.raises(ExpressionError) as caught:
        parse_loop_part("(x - last_x) < sqrt(precision)", condition=True, plane=True, without=without)
    assert caught.value.code == "loop_without" and caught.value.column == 16  # where sqrt is typed
    with pytest.raises(ExpressionError):  # numpy's spelling is no way round it
        parse_loop_part("np.sqrt((x - last_x)*(x - last_x)) < precision", condition=True, plane=True, without=without)


HOSTILE = [
    "__import__('os').system('touch PWNED') < precision",
    "x.__class__ < precision",
    "(lambda: 1)() < precision",
    "[y for y in ()] < precision",
    "open('f') < precision",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_refused_and_nothing_is_made(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExpressionError):
        parse_loop_part(text, condition=True, plane=True)
    assert list(tmp_path.iterdir()) == []


def exercise() -> LoopQuestion:
    lesson = load_lesson(LESSON).lesson
    assert lesson is not None
    [question] = [q for q in lesson.questions if q.question_id == "plane-write-test"]
    assert isinstance(question, LoopQuestion) and question.plane and question.without == ("sqrt",)
    return question


@pytest.mark.parametrize(
    "answer",
    [
        "(x - last_x)*(x - last_x) + (y - last_y)*(y - last_y) < precision*precision",
        "(x - last_x)^2 + (y - last_y)^2 < precision^2",
        "if precision*precision > (last_x - x)*(last_x - x) + (last_y - y)*(last_y - y): break",
    ],
)
def test_the_squared_test_without_sqrt_passes(answer: str) -> None:
    verdict = exercise().grade(answer, "en")
    assert verdict.correct, verdict.feedback


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_declared_mistake_fails_and_says_why(lang: str) -> None:
    question = exercise()
    for mistake in question.mistakes:
        verdict = question.grade(mistake.answer, lang)
        assert not verdict.correct
        assert mistake.why[lang] in verdict.feedback  # type: ignore[index]


def test_the_lessons_own_text_copied_is_refused_without_a_try() -> None:
    """The lesson writes its test with sqrt: copied, it is refused where sqrt is typed, and spends no try."""
    with pytest.raises(ExpressionError) as caught:
        exercise().grade(PLANE_EXIT, "en")
    assert caught.value.code == "loop_without"


def test_a_loop_exercise_on_a_surface_writes_the_exit_condition_of_points_only() -> None:
    question = exercise()
    update = msgspec.structs.replace(question, part="update", mistakes=())
    assert ("loop_plane_exit_only", {}) in list(update.problems())
    one_dimensional = msgspec.structs.replace(question.cases[0], function="x^2", y0=None)
    mixed = msgspec.structs.replace(question, cases=(question.cases[0], one_dimensional), mistakes=())
    assert ("loop_cases_mixed", {}) in list(mixed.problems())
    unknown = msgspec.structs.replace(question, without=("sqroot",), mistakes=())
    assert ("loop_without_unknown", {"name": "sqroot"}) in list(unknown.problems())


def test_the_cases_tell_the_norms_apart() -> None:
    """Each case is there for a reason: the x-only test stops early on the valley at 0.099 (36 updates,
    against 491), the y-only one on the valley at 0.05 (2, against 67), the taxicab length late on the bowl
    (43, against 41), the forgotten square at every case."""
    cases = [(VALLEY, 1, 1, 0.099), (VALLEY, 1, 1, 0.05), (BOWL, 3, -2, 0.1), (TURNED_VALLEY, -1.2, 1, 0.09)]

    def steps(test: str | None) -> list[int]:
        parsed = parse_part("exit", test, plane=True) if test else None
        return [run_loop_plane(Surface(f), PlaneCase(a, b, eta, 1e-4, 2000), parsed).steps for f, a, b, eta in cases]

    assert steps(None) == [491, 67, 41, 47]
    assert steps("abs(x - last_x) < precision")[0] == 36
    assert steps("abs(y - last_y) < precision")[1] == 2
    assert steps("abs(x - last_x) + abs(y - last_y) < precision")[2] == 43
    assert steps("(x - last_x)*(x - last_x) + (y - last_y)*(y - last_y) < precision")[0] == 263
