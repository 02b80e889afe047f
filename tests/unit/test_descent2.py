"""The 2-D loop (gdtutor.engine.descent2) against a plain Python loop written from the lesson's text, bit for
bit; its outcomes at the valley's boundaries; momentum; cancellation; the bounded path."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable

import pytest

from gdtutor.engine.descent import Status, drive
from gdtutor.engine.descent2 import Descent2, Update2
from gdtutor.engine.params import DEFAULT_MAX_ITER, MAX_UPDATES, ParameterError
from gdtutor.engine.path import RECENT, SAMPLES
from gdtutor.engine.surface import BANANA, BOWL, TURNED_VALLEY, VALLEY

Grad = Callable[[float, float], tuple[float, float]]

# the gradients written by hand from the partial derivatives the learner is shown (test_surface checks
# that these are the texts shown)
GRADIENTS: dict[str, Grad] = {
    BOWL: lambda x, y: (2 * x, 2 * y),
    VALLEY: lambda x, y: (2 * x, 20 * y),
    TURNED_VALLEY: lambda x, y: (11 * x - 9 * y, -(9 * x) + 11 * y),
    BANANA: lambda x, y: (-(400 * x * (-(x**2) + y)) + 2 * x - 2, -(200 * x**2) + 200 * y),
}


def plain_loop(
    grad: Grad, eta: float, x: float, y: float, beta: float = 0.0, precision: float = 1e-4, cap: int = DEFAULT_MAX_ITER
) -> tuple[list[tuple[float, float]], bool]:
    """The lesson's loop as a learner writes it in plain Python, with a cap so a test can end; stops at a
    point that is not finite or an exception of Python's floats. Returns the points and whether the
    loop's own exit test ended it."""
    last_x, last_y = x + 0.1, y + 0.1
    vx = vy = 0.0
    points = [(x, y)]
    try:
        while len(points) <= cap:
            if math.sqrt((x - last_x) * (x - last_x) + (y - last_y) * (y - last_y)) < precision:
                return points, True
            last_x, last_y = x, y
            gx, gy = grad(x, y)
            if beta:
                vx = beta * vx - eta * gx
                vy = beta * vy - eta * gy
                x, y = x + vx, y + vy
            else:
                x, y = x - eta * gx, y - eta * gy
            points.append((x, y))
            if not (math.isfinite(x) and math.isfinite(y)):
                break
    except OverflowError:
        pass
    return points, False


def engine_points(run: Descent2) -> list[tuple[float, float]]:
    xs, ys = run.path.values()
    return list(zip(xs, ys, strict=True))


def same_bits(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    return len(a) == len(b) and all(
        math.copysign(1, p) == math.copysign(1, q) and (p == q or (math.isnan(p) and math.isnan(q)))
        for u, v in zip(a, b, strict=True)
        for p, q in zip(u, v, strict=True)
    )


CASES = [
    *((BOWL, eta, (1.0, 1.0)) for eta in (0.01, 0.1, 0.5, 0.9, 1.0, 1.1)),
    *((VALLEY, eta, (1.0, 1.0)) for eta in (0.01, 0.05, 0.0999, 0.1, 0.11)),
    *((TURNED_VALLEY, eta, (1.0, -0.5)) for eta in (0.01, 0.05, 0.0999, 0.1, 0.11)),
    *((BANANA, eta, (-1.2, 1.0)) for eta in (0.0005, 0.001, 0.002, 0.01)),
]


@pytest.mark.parametrize("beta", [0.0, 0.9])
@pytest.mark.parametrize(("text", "eta", "start"), CASES)
def test_every_point_equals_the_plain_loop_bit_for_bit(
    text: str, eta: float, start: tuple[float, float], beta: float
) -> None:
    run = Descent2(text, eta, *start, beta=beta, whole_path=True)
    result = run.to_end()
    points, exited = plain_loop(GRADIENTS[text], eta, *start, beta=beta)
    mine = engine_points(run)
    if result.status is Status.CONVERGED:
        assert exited and same_bits(mine, points)
    elif result.status is Status.MAX_ITER:
        assert not exited and same_bits(mine, points)
    elif result.status is Status.OSCILLATING:
        # the engine stops at the first repeat; the plain loop goes round the cycle to its cap
        assert not exited and same_bits(mine, points[: len(mine)])
        assert points[len(mine)] == points[len(mine) - result.period]
    else:
        assert result.status is Status.DIVERGED
        # the plain loop stops at the first point that is not finite, or where Python's floats raise (the
        # engine makes that update with numpy and goes on to the first point that is not finite)
        assert not exited and same_bits(mine[: len(points)], points)
        assert not all(math.isfinite(c) for c in mine[-1])
    # and the gradient the engine uses is the one shown to the learner, to the bit
    s = run.surface
    for x, y in mine[:50]:
        if all(math.isfinite(c) and abs(c) < 1e100 for c in (x, y)):
            assert s.grad(x, y) == GRADIENTS[text](x, y)


def test_the_momentum_floats_are_the_momentum_loops() -> None:
    # beta == 0 runs the plain loop (checked above); a tiny beta runs the momentum loop, and differs
    a = Descent2(VALLEY, 0.05, 1.0, 1.0, whole_path=True).to_end()
    b = Descent2(VALLEY, 0.05, 1.0, 1.0, beta=1e-300, whole_path=True).to_end()
    assert a.steps == 67 and b.steps == 67
    points, _ = plain_loop(GRADIENTS[VALLEY], 0.05, 1.0, 1.0, beta=1e-300)
    assert same_bits(list(zip(*b.path.values(), strict=True)), points)


# --- outcomes at the boundaries ----------------------------------------------------------------------


def test_the_valley_just_below_the_limit_converges() -> None:
    # factor 1 - 2*0.0999*10 = -0.998 in y: |y| shrinks by 0.2% an update
    r = Descent2(VALLEY, 0.0999, 1.0, 1.0).to_end()
    assert (r.status, r.steps) == (Status.CONVERGED, 4948)
    assert r.delta < 1e-4


def test_the_valley_at_the_limit_bounces_in_y_forever() -> None:
    # factor -1 in y: y goes 1, -1, 1, ... exactly (0.1 * 20 rounds to 2); x shrinks by 0.8 an update until
    # it stops changing (a subnormal number that 0.2*x no longer moves), and then the point repeats
    r = Descent2(VALLEY, 0.1, 1.0, 1.0).to_end()
    assert (r.status, r.period, r.steps) == (Status.OSCILLATING, 2, 3334)
    assert r.y == 1.0 and r.last_y == -1.0 and r.delta > 1.99
    assert r.x == r.last_x == 2 * 5e-324
    assert "rounding" not in r.details
    # from a start on the valley's floor line x = 0, it is a cycle from the first update
    r = Descent2(VALLEY, 0.1, 0.0, 1.0, whole_path=True).to_end()
    assert (r.status, r.period, r.steps) == (Status.OSCILLATING, 2, 2)
    assert r.path.values()[1].tolist() == [1.0, -1.0, 1.0]


def test_the_valley_just_above_the_limit_diverges() -> None:
    # factor -1.002 in y at 0.1001: overflow takes about 350,000 updates, past the default limit
    r = Descent2(VALLEY, 0.1001, 1.0, 1.0).to_end()
    assert (r.status, r.steps, r.details["trend"]) == (Status.MAX_ITER, DEFAULT_MAX_ITER, "growing")
    r = Descent2(VALLEY, 0.1001, 1.0, 1.0, max_iter=MAX_UPDATES).to_end()
    assert (r.status, r.details["cause"]) == (Status.DIVERGED, "explode")
    assert r.steps == 353_748
    r = Descent2(VALLEY, 0.11, 1.0, 1.0).to_end()
    assert (r.status, r.steps, r.details["cause"]) == (Status.DIVERGED, 3878, "explode")
    assert math.isinf(r.y) and math.isfinite(r.last_y)


@pytest.mark.parametrize(
    ("eta", "status", "steps"), [(0.1, Status.CONVERGED, 37), (0.5, Status.CONVERGED, 2), (1.0, Status.OSCILLATING, 2)]
)
def test_the_bowl_behaves_as_1d(eta: float, status: Status, steps: int) -> None:
    from gdtutor.engine import descend

    r = Descent2(BOWL, eta, 1.0, 1.0).to_end()
    assert (r.status, r.steps) == (status, steps)
    assert r.x == r.y  # the two coordinates are the same 1-D run
    one = descend("x^2", eta, 1.0, precision=1e-4 / math.sqrt(2))
    assert one.x == r.x


def test_the_banana_converges_slowly_at_a_small_rate() -> None:
    r = Descent2(BANANA, 0.001, -1.2, 1.0).to_end()
    assert (r.status, r.steps) == (Status.CONVERGED, 3867)
    # stopped by the step test while crawling along the valley, short of the minimum (1, 1)
    assert 0.8 < r.x < 0.95 and 0.6 < r.y < 0.9
    assert Descent2(BANANA, 0.01, -1.2, 1.0).to_end().status is Status.DIVERGED


# --- momentum ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("eta", "plain", "heavy"), [(0.001, 1498, 224), (0.01, 264, 116)])
def test_momentum_reaches_the_precision_in_fewer_updates_on_the_valley(eta: float, plain: int, heavy: int) -> None:
    a = Descent2(VALLEY, eta, 1.0, 1.0).to_end()
    b = Descent2(VALLEY, eta, 1.0, 1.0, beta=0.9).to_end()
    assert (a.status, b.status) == (Status.CONVERGED, Status.CONVERGED)
    assert (a.steps, b.steps) == (plain, heavy)
    # not at every rate: at 0.05, beta 0.9 overshoots and rings (146 updates against 67)
    assert Descent2(VALLEY, 0.05, 1.0, 1.0, beta=0.9).to_end().steps == 146


def test_with_momentum_a_repeated_point_is_no_cycle_unless_the_velocity_repeats() -> None:
    # beta = 1 (no friction), eta = 1.5 on the bowl: x, v go (1, 0) -> (-2, -3) -> (1, 3) -> (1, 0): the point
    # of update 2 is the start again, but the ball moves on (its velocity is 3, not 0)
    run = Descent2(BOWL, 1.5, 1.0, 1.0, beta=1.0, whole_path=True)
    assert run.run_updates(2) == 2
    assert run.path[2] == run.path[0] and run.status is Status.RUNNING  # checked there, not a cycle
    r = run.to_end()
    assert (r.status, r.steps) == (Status.CONVERGED, 3)  # the ball stops for an update: a step of 0
    assert r.path.values()[0].tolist() == [1.0, -2.0, 1.0, 1.0]


def test_bad_momentum_and_start_are_refused() -> None:
    for bad in [{"beta": -0.1}, {"beta": 1.5}, {"beta": math.nan}, {"y0": math.inf}]:
        args = {"eta": 0.1, "x0": 1.0, "y0": 1.0} | bad
        with pytest.raises(ParameterError):
            Descent2(BOWL, args["eta"], args["x0"], args["y0"], beta=bad.get("beta", 0.0))


# --- cancellation, streaming, the bounded path ------------------------------------------------------


def test_cancel_from_another_thread_stops_a_long_run() -> None:
    cancel = threading.Event()
    run = Descent2(BOWL, 1e-9, 1.0, 1.0, precision=1e-15, max_iter=MAX_UPDATES)
    timer = threading.Timer(0.05, cancel.set)
    timer.start()
    try:
        r = drive(run, cancel=cancel)
    finally:
        timer.cancel()
    assert r.status is Status.CANCELLED
    assert 0 < r.steps < MAX_UPDATES
    assert (r.x, r.y) == (run.path.x[-1], run.path.y[-1])
    # set before the first chunk: no update at all
    cancel = threading.Event()
    cancel.set()
    assert drive(Descent2(BOWL, 0.1, 1.0, 1.0), cancel=cancel).steps == 0


def test_the_callback_sees_every_update_in_order_and_can_stop_the_run() -> None:
    seen: list[Update2] = []
    r = drive(Descent2(VALLEY, 0.05, 1.0, 1.0), callback=seen.append)
    assert [u.step for u in seen] == list(range(1, r.steps + 1))
    assert seen[-1].delta < 1e-4 <= seen[-2].delta
    assert (seen[-1].x, seen[-1].y) == (r.x, r.y)
    seen.clear()

    def until_10(update: Update2) -> bool:
        seen.append(update)
        return update.step < 10

    stopped = drive(Descent2(VALLEY, 0.001, 1.0, 1.0), callback=until_10)
    assert stopped.status is Status.CANCELLED
    assert [u.step for u in seen] == list(range(1, 11))


def test_a_run_of_100000_updates_keeps_a_bounded_path() -> None:
    run = Descent2(BOWL, 1e-6, 1.0, 1.0, precision=1e-12, max_iter=100_000)
    r = run.to_end()
    assert (r.status, r.steps) == (Status.MAX_ITER, 100_000)
    assert not r.path.whole
    for path in (r.path.x, r.path.y):
        assert len(path.recent) <= RECENT + 4096 and len(path.sample_x) <= SAMPLES
    steps, xs, ys, lengths = r.path.points()
    assert len(steps) == len(xs) == len(ys) == len(lengths) < 100_000
    assert steps[-1] == 100_000 and (xs[-1], ys[-1]) == (r.x, r.y)
    # the kept points are the run's own: the same as a run that kept them all
    whole = Descent2(BOWL, 1e-6, 1.0, 1.0, precision=1e-12, max_iter=100_000, whole_path=True).to_end()
    all_x, all_y = whole.path.values()
    assert [all_x[int(i)] for i in steps] == xs.tolist() and [all_y[int(i)] for i in steps] == ys.tolist()


def test_results_serialise_for_json() -> None:
    r = Descent2(VALLEY, 0.11, 1.0, 1.0).to_end()
    d = json.loads(json.dumps(r.to_dict(message="words")))
    assert d["status"] == "diverged" and d["y"] == "inf" and d["message"] == "words"
    assert d["trace_kept"] == "whole" and d["trace"][-1][1] == "inf" and len(d["trace"]) == r.steps + 1
    assert d["trace"][0] == [1.0, 1.0] and all(len(point) == 2 for point in d["trace"])
    # a long run's path is thinned: update numbers beside their points, the first and the last kept
    long = Descent2(BOWL, 1e-6, 1.0, 1.0, precision=1e-12, max_iter=100_000).to_end()
    thinned = json.loads(json.dumps(long.to_dict()))
    assert thinned["trace_kept"] == "thinned" and "trace" not in thinned
    path = thinned["path"]
    assert len(path["update"]) == len(path["points"]) < long.steps and path["update"][-1] == long.steps
    assert path["points"][-1] == [long.x, long.y]
