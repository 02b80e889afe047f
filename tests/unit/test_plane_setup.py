"""A run's parameters for a function of x and y: ``y0`` and ``beta`` in the one owner of the parameters
(:mod:`gdtutor.engine.params`), the start drawn as the lecture draws it, and the loop a run describes."""

from __future__ import annotations

import pytest

from gdtutor.engine.descent import Descent, Status
from gdtutor.engine.descent2 import Descent2, PlaneState, descent_of
from gdtutor.engine.params import (
    LESSON_RANGES,
    PLANE_ONLY,
    Limits,
    ParameterError,
    Run,
    Setup,
    random_point,
    random_start,
    read_setup,
)
from gdtutor.engine.surface import BANANA, VALLEY


def problems_of(values: dict[str, object], **kw: object) -> list[tuple[str, str]]:
    with pytest.raises(ParameterError) as caught:
        read_setup(values, **kw)  # type: ignore[arg-type]
    return [(p.field, p.code) for p in caught.value.problems]


def test_a_function_of_x_and_y_reads_with_its_start_and_momentum() -> None:
    setup = read_setup({"function": VALLEY, "eta": "0.05", "x0": "1", "y0": "-2.5", "beta": "0.9"})
    assert setup.plane and (setup.x0, setup.y0, setup.beta) == (1.0, -2.5, 0.9) and not setup.random
    [run] = setup.runs()
    assert (run.x0, run.y0, run.beta, run.eta) == (1.0, -2.5, 0.9, 0.05) and run.plane
    # a function of x alone is as it was: no y0, no momentum
    lecture = read_setup({"eta": "0.1", "x0": "0"})
    assert not lecture.plane and lecture.y0 is None and lecture.beta == 0.0
    assert lecture.runs()[0].y0 is None


def test_empty_fields_of_the_lab_mean_a_random_start_and_no_momentum() -> None:
    setup = read_setup({"function": VALLEY, "x0": "", "y0": " ", "beta": "", "seed": ""})
    assert setup.random and setup.seed is None and setup.beta == 0.0
    seeded = setup.seeded()
    assert seeded.seed is not None
    # the seed draws both coordinates, x's as it draws a function of x alone's start
    x0, y0 = seeded.start_point()
    assert (x0, y0) == random_point(seeded.seed) and x0 == random_start(seeded.seed)
    assert all(0 <= v < 12 for v in (x0, y0))
    # one coordinate given: only the other is drawn
    half = read_setup({"function": VALLEY, "x0": "3", "seed": "5"})
    assert half.random and half.start_point() == (3.0, float(random_point(5)[1]))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"function": "x^2", "y0": "1"}, [("y0", "plane_only")]),
        ({"function": "x^2", "beta": "0.5"}, [("beta", "plane_only")]),
        ({"function": "x^2 + y^2", "derivative": "2*x"}, [("derivative", "plane_derivative")]),
        ({"function": "x^2 + y^2", "x0": "1", "y0": "1", "seed": "3"}, [("seed", "both_starts")]),
        ({"function": "x^2", "x0": "1", "seed": "3"}, [("seed", "both_starts")]),
        ({"function": "x^2 + y^2", "beta": "1.5"}, [("beta", "range")]),
        ({"function": "x^2 + y^2", "beta": "-0.1"}, [("beta", "range")]),
        ({"function": "x^2 + y^2", "y0": "nan"}, [("y0", "not_finite")]),
        ({"function": "x^2 + z"}, [("function", "expression")]),
        ({"function": "x^2 + Y"}, [("function", "expression")]),
    ],
)
def test_what_cannot_run_is_refused_by_field(values: dict[str, object], expected: list[tuple[str, str]]) -> None:
    assert problems_of(values) == expected


def test_a_zero_momentum_is_no_problem_for_a_function_of_x_alone() -> None:
    assert read_setup({"function": "x^2", "beta": "0"}).beta == 0.0


def test_a_lesson_narrows_y0_and_beta_like_the_other_numbers() -> None:
    limits = Limits(y0=(-2.0, 2.0), beta=(0.0, 0.5))
    values = {"function": VALLEY, "x0": "1", "y0": "3", "beta": "0.9"}
    found = problems_of(values, limits=limits, editable=("y0", "beta"))
    assert found == [("y0", "lesson_range"), ("beta", "lesson_range")]
    assert set(PLANE_ONLY) <= set(LESSON_RANGES) and Limits().range("beta") == (0.0, 1.0)


def test_a_run_of_a_surface_is_the_2d_loop_and_a_run_of_x_the_lecture_loop() -> None:
    plane = descent_of(Run(function=VALLEY, eta=0.05, x0=1.0, y0=1.0))
    line = descent_of(Run(eta=0.1, x0=0.0))
    assert isinstance(plane, Descent2) and isinstance(line, Descent)
    assert plane.to_end().steps == 67 and line.to_end().steps == 43  # the valley's and the lecture's counts
    heavy = Descent2.of(Run(function=VALLEY, eta=0.05, x0=1.0, y0=1.0, beta=0.9))
    assert heavy.beta == 0.9 and heavy.to_end().steps == 146  # momentum overshoots at this rate
    with pytest.raises(ValueError, match="y0"):
        Descent2.of(Run(function=VALLEY, eta=0.05, x0=1.0))


def test_the_state_shown_so_far_and_a_cut_back_cancel() -> None:
    run = Descent2(BANANA, 0.001, -1.5, 2.0)
    run.run_updates(50)
    at = run.state(10)
    assert isinstance(at, PlaneState) and at.steps == 10 and at.status is Status.RUNNING
    assert (at.x, at.y) == run.path[10] and (at.last_x, at.last_y) == run.path[9]
    assert at.delta == pytest.approx(((at.x - at.last_x) ** 2 + (at.y - at.last_y) ** 2) ** 0.5)
    start = run.state(0)
    assert (start.last_x, start.last_y) == (-1.5 + 0.1, 2.0 + 0.1)
    run.cancel(steps=10)
    result = run.result()
    assert result.status is Status.CANCELLED and result.steps == 10 and (result.x, result.y) == (at.x, at.y)
    assert run.state().finished


def test_setup_of_a_lab_keeps_the_plane_fields() -> None:
    setup = Setup(function=VALLEY, eta=0.05, x0=1.0, y0=1.0, beta=0.5, compare=(0.09,))
    again = Setup.of(setup)
    assert again == setup
    runs = setup.runs()
    assert [r.eta for r in runs] == [0.05, 0.09] and all((r.y0, r.beta) == (1.0, 0.5) for r in runs)
