"""The figures lessons 9 and 10 (two variables) quote in their prose, checked against the engine.

Each quote is looked up in its lesson file in both languages (a changed sentence fails here until its
claim is checked again), and recomputed with the 2-D loop the tutor itself runs. The questions' own
claims (a goal can be met, a predicted outcome is the run's) are checked by ``gdtutor lessons check``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from support import ROOT

from gdtutor.engine.descent import Status
from gdtutor.engine.descent2 import Descent2, DescentResult2
from gdtutor.engine.params import RACE_FEATURES, RACE_SAMPLES_PER_FEATURE
from gdtutor.engine.regression import gradient_descent, make_data
from gdtutor.engine.surface import BOWL, REGRESSION_SCALED, REGRESSION_UNSCALED, VALLEY, Surface
from gdtutor.engine.sweeps import rates, sweep_plane
from gdtutor.lessons.load import load_lesson

ONE_RATE = ROOT / "lessons" / "09-one-rate-every-direction.yaml"
SCALING = ROOT / "lessons" / "10-scaling-and-momentum.yaml"


def flat(text: str) -> str:
    return "".join(text.split())


def says(path: object, *sentences: str) -> None:
    """Each sentence is in the lesson file as written (spaces and line breaks aside)."""
    text = flat(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    for sentence in sentences:
        assert flat(sentence) in text, f"{path.name} no longer says {sentence!r}"  # type: ignore[attr-defined]


def run(function: str, eta: float, x0: float = 1.0, y0: float = 1.0, **kw: float) -> DescentResult2:
    return Descent2(function, eta, x0, y0, **kw).to_end()  # type: ignore[arg-type]


# --- lesson 9: one rate for every direction ---------------------------------------------------------------


def test_the_lessons_load_and_their_claims_hold() -> None:
    for path in (ONE_RATE, SCALING):
        loaded = load_lesson(path, run_checks=True)
        assert loaded.lesson is not None and not loaded.problems, loaded.problems


def test_the_bowl_behaves_as_1d() -> None:
    assert run(BOWL, 0.1, 3, -2).steps == 41 and run(BOWL, 0.5, 3, -2).steps == 2
    says(ONE_RATE, "from (3, -2), 0.1 needs 41 updates and 0.5 lands on", "the bottom at once (2 updates)")
    says(ONE_RATE, "从 (3, -2) 出发，学习率 0.1 要更新 41 次，0.5 一步就落到碗底（2 次更新）")
    # the factor is 1 - 2*eta in each coordinate: 0.5 lands on (0, 0) with its first update
    first = Descent2(BOWL, 0.5, 3, -2)
    first.run_updates(1)
    assert (first.x, first.y) == (0.0, 0.0)
    assert Surface(BOWL).quadratic.curvatures == (2.0, 2.0)  # type: ignore[union-attr]


def test_the_valley_at_each_rate_the_lesson_lists() -> None:
    quadratic = Surface(VALLEY).quadratic
    assert quadratic is not None and quadratic.curvatures == (2.0, 20.0) and quadratic.axis_aligned
    slow = run(VALLEY, 0.01)
    assert slow.status is Status.CONVERGED and slow.steps == 264
    says(ONE_RATE, "eta 0.01: factors 0.98 and 0.8. Both creep in; 264 updates.", "要更新 264 次")
    direct = Descent2(VALLEY, 0.05, 1, 1)
    direct.run_updates(1)
    assert direct.y == 0.0 and run(VALLEY, 0.05).steps == 67  # y on the floor after one update
    says(ONE_RATE, "x creeps by 0.9 an update: 67 updates.", "要更新 67 次")
    zig = run(VALLEY, 0.09)
    assert zig.steps == 46 and 1 - 20 * 0.09 == pytest.approx(-0.8) and 1 - 2 * 0.09 == pytest.approx(0.82)
    ys = np.asarray(zig.path.y.values())
    assert (np.sign(ys[1:20]) != np.sign(ys[:19])).all()  # y crosses the floor at every update
    says(ONE_RATE, "while x creeps in by 0.82: the zig-zag. 46 updates.", "要更新 46 次")
    edge = run(VALLEY, 0.1)
    assert edge.status is Status.OSCILLATING and edge.period == 2
    assert sorted(edge.path.y.tail(2)) == [-1.0, 1.0]
    says(ONE_RATE, "y jumps between 1 and -1 forever.", "y 在 1 和 -1 之间永远来回跳")
    assert 1 - 20 * 0.11 == pytest.approx(-1.2)  # y's factor
    far = run(VALLEY, 0.11)
    assert far.status is Status.DIVERGED and far.steps == 3878 and math.isinf(far.details["bad"][1])
    says(ONE_RATE, "y jumps farther each time and is inf at update 3878.", "第 3878 次更新时变成了 inf")
    # x alone would have converged: its factor 0.78
    assert run("x^2", 0.11, 1, 0).status is Status.CONVERGED
    # below the largest safe rate x's factor stays above 0.8
    assert 1 - 2 * 0.1 == pytest.approx(0.8)
    says(ONE_RATE, "here 2/20 = 0.1, whatever x does", "x's factor `1 - 2*eta` stays above 0.8")


@pytest.mark.parametrize(("a", "steps"), [(10, 46), (100, 287), (1000, 1606)])
def test_a_narrower_valley_needs_more_updates(a: int, steps: int) -> None:
    says(ONE_RATE, "safe rate is 2/(2a) = 1/a, so take 90% of it, 0.9/a")
    result = run(f"x^2 + {a}*y^2", 0.9 / a, max_iter=100_000)
    assert result.status is Status.CONVERGED and result.steps == steps
    says(ONE_RATE, f"a = {a}: {steps} updates.", f"a = {a}：更新 {steps} 次。")


@pytest.mark.parametrize("a", [12, 15, 24, 30, 36])
def test_the_safe_limit_question_is_the_engines(a: int) -> None:
    """The numeric template's answer, 1/a: below it the run converges, above it not."""
    valley = f"x^2 + {a}*y^2"
    assert run(valley, 0.98 / a).status is Status.CONVERGED
    assert run(valley, 1.02 / a).status is not Status.CONVERGED
    # the declared mistakes: 1/(2a) still converges (it only starts bouncing there), 2/a does not
    assert run(valley, 1.02 / (2 * a)).status is Status.CONVERGED
    assert run(valley, 2 / a).status is not Status.CONVERGED


def test_the_goal_explanation_quotes_the_sweep() -> None:
    fine = sweep_plane(VALLEY, rates(0.084, 0.089, 51), 1.0, 1.0)
    assert (fine.status == "converged").all() and set(fine.steps.tolist()) == {40, 41, 42}
    assert run(VALLEY, 0.095).steps == 95 and run(VALLEY, 0.083).steps <= 42
    best = 2 / 22
    assert 1 - 2 * best == pytest.approx(0.818, abs=5e-4) and 1 - 20 * best == pytest.approx(-0.818, abs=5e-4)
    says(ONE_RATE, "Rates from 0.084 to 0.089 need 40 to 42 updates.", "0.095 needs 95 updates")


def test_the_numbers_of_the_which_hold_question() -> None:
    assert 1 - 20 * 0.12 == pytest.approx(-1.4) and run(VALLEY, 0.12).status is Status.DIVERGED
    says(ONE_RATE, "At 0.12 y's factor is -1.4: the run diverges")


# --- lesson 10: scaling the features, and momentum ---------------------------------------------------------


def test_the_regression_losses_quoted() -> None:
    unscaled, scaled = Surface(REGRESSION_UNSCALED).quadratic, Surface(REGRESSION_SCALED).quadratic
    assert unscaled is not None and scaled is not None
    assert [round(c, 1) for c in unscaled.curvatures] == [7.9, 800.1]
    assert [round(c, 1) for c in scaled.curvatures] == [1.8, 2.2]
    assert round(unscaled.curvatures[1] / unscaled.curvatures[0]) == 101
    # the largest safe rate, 2/800.08, just below 0.0025 (which no longer converges)
    assert round(unscaled.curvatures[1], 2) == 800.08 and 2 / unscaled.curvatures[1] < 0.0025
    assert run(REGRESSION_UNSCALED, 0.0025, 0, 0).status is not Status.CONVERGED
    says(SCALING, "the largest safe rate is 2/800.08, just below 0.0025", "学习率最大只能取 2/800.08，比 0.0025 略小")
    says(SCALING, "squares of the spreads: about 7.9 and 800", "曲率大约是 7.9 和 800")
    assert run(REGRESSION_UNSCALED, 0.0024, 0, 0).steps == 334
    assert run(REGRESSION_UNSCALED, 0.002, 0, 0).steps == 390
    assert run(REGRESSION_UNSCALED, 0.003, 0, 0).status is Status.DIVERGED
    says(SCALING, "0.0024 needs 334 updates and 0.002 needs 390", "0.0024 要更新 334 次，0.002 要 390 次")
    assert run(REGRESSION_SCALED, 0.5, 0, 0).steps == 6 and run(REGRESSION_SCALED, 0.1, 0, 0).steps == 43
    says(SCALING, "0.5 needs 6 updates and 0.1 needs 43", "0.5 只要更新 6 次，0.1 要 43 次")
    assert run(REGRESSION_SCALED, 0.9, 0, 0).status is Status.CONVERGED
    assert run(REGRESSION_SCALED, 0.95, 0, 0).status is Status.DIVERGED
    # the bottoms, in the units of each: the scaled weights are the unscaled ones times the spreads (2, 20)
    ux, uy = unscaled.centre  # type: ignore[misc]
    sx, sy = scaled.centre  # type: ignore[misc]
    assert (round(ux, 2), round(uy, 2), round(sx, 2), round(sy, 2)) == (3.11, 0.2, 6.23, 3.95)
    assert sx == pytest.approx(2 * ux) and sy == pytest.approx(20 * uy)


def test_one_feature_a_hundred_times_larger_in_the_race() -> None:
    d = RACE_FEATURES[0]
    assert d == 125
    says(SCALING, "its first data set (125 features)", "它的第一组数据（125 个特征）")
    n = d * RACE_SAMPLES_PER_FEATURE
    data = make_data(n, d)
    plain = gradient_descent(data.X, data.y)
    counts = {}
    for factor in (10, 100):
        X = data.X.copy()
        X[:, 0] *= factor
        result = gradient_descent(X, data.y, max_iter=1_000_000)
        assert result.converged
        counts[factor] = result.updates
    assert plain.updates == 23 and counts == {10: 811, 100: 7509}
    says(SCALING, "23 updates", "811 updates", "7509 updates", "811 次", "7509 次")


def test_momentum_on_the_valley() -> None:
    assert run(VALLEY, 0.01).steps == 264 and run(VALLEY, 0.01, beta=0.9).steps == 116
    assert run(VALLEY, 0.05, beta=0.9).steps == 146 and run(VALLEY, 0.05, beta=0.5).steps == 26
    says(SCALING, "eta 0.01 needs 264 updates without momentum and 116 with beta 0.9")
    says(SCALING, "with beta 0.9 it needs 146", "with beta 0.5, 26")


def test_the_questions_of_lesson_10_quote_the_engine() -> None:
    # 'fifty times faster': the labs' rates, 0.0024 unscaled against 0.5 scaled
    assert run(REGRESSION_UNSCALED, 0.0024, 0, 0).steps / run(REGRESSION_SCALED, 0.5, 0, 0).steps > 50
    says(SCALING, "made gradient descent on this loss fifty times faster")
    # with momentum y does not stop on the floor: after its first update (y = 0) its velocity carries it on
    heavy = Descent2(VALLEY, 0.05, 1, 1, beta=0.9)
    heavy.run_updates(2)
    assert heavy.path.y[1] == 0.0 and heavy.path.y[2] < 0
    says(SCALING, "With momentum y does not stop on the floor: its velocity carries it on, to the other side.")
    assert run(VALLEY, 0.05, beta=0.9).status is Status.CONVERGED
    says(SCALING, "It still converges, after 146 updates.")


def test_every_number_of_the_prose_is_quoted_in_this_file() -> None:
    """A number added to a lesson's text steps must be checked here too: the numbers of the text steps
    (not the questions, checked by the lesson checker), against the numbers this file's sentences hold."""
    own = (ROOT / "tests" / "unit" / "test_plane_lessons.py").read_text(encoding="utf-8")
    checked = set(re.findall(r"\d+(?:\.\d+)?", own))
    for path in (ONE_RATE, SCALING):
        lesson = load_lesson(path, run_checks=False).lesson
        assert lesson is not None
        for step in lesson.steps:
            if step.kind != "text":
                continue
            for text in step.text.values():  # type: ignore[attr-defined]
                prose = re.sub(r"`[^`]*`|```[\s\S]*?```", " ", text)  # code is code, not a claim
                for number in re.findall(r"(?<![\w.])\d+(?:\.\d+)?", prose):
                    assert number in checked, f"{path.name}: {number} is not checked in this file"


def test_a_lesson_that_mixes_up_one_and_two_variables_is_told_where(tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    path.write_text(
        """id: mixed
order: 900
title: {en: Mixed, zh: 混合}
summary: {en: s, zh: s}
steps:
  - kind: lab
    function: x^2 + 10*y^2
    eta: 0.05
    x0: 1
    y0: 1
  - kind: code
  - kind: lab
    function: x^2
    eta: 0.1
    x0: 1
    y0: 2
  - kind: lab
    function: x^2 + y^2
    derivative: 2*x
    eta: 0.1
    x0: 1
    y0: 1
""",
        encoding="utf-8",
    )
    loaded = load_lesson(path, run_checks=True)
    found = [(problem.line, problem.code) for problem in loaded.problems]
    assert found == [(11, "code_after_plane_lab"), (12, "plane_only"), (17, "plane_derivative")], found
