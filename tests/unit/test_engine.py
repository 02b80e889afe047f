"""The engine against the lecture's loop, its statuses, streaming, sweep and analysis helpers."""

from __future__ import annotations

import importlib
import math
import threading
import warnings
from collections.abc import Callable

import numpy as np
import pytest

from gdtutor.engine import (
    LECTURE_FUNCTION,
    MAX_UPDATES,
    Descent,
    Function,
    Status,
    descend,
    quadratic,
    random_start,
    stop_gap,
    sweep,
)
from gdtutor.telling import explain


def lecture_loop(eta: float, x0: int, precision: float = 1e-4, cap: int = 20_000) -> tuple[list[float], bool]:
    """The lecture's code, verbatim (numpy scalars and np.abs), with a cap so a test can end.

    Returns the trace and whether the loop's own exit condition ended it.
    """
    g = lambda x: 2 * (x - 3.5) - 4.5  # noqa: E731 - as the lecture writes it
    x = np.int64(x0)
    last_x = x + 0.1
    trace = [float(x)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        while len(trace) <= cap:
            if np.abs(x - last_x) < precision:
                return trace, True
            last_x = x
            x = x - eta * g(x)
            trace.append(float(x))
    return trace, False


def same_floats(a: list[float], b: list[float]) -> bool:
    """Equal bit for bit (nan equal to nan)."""
    return len(a) == len(b) and all(
        np.float64(u).tobytes() == np.float64(v).tobytes() for u, v in zip(a, b, strict=True)
    )


# --- the lecture's numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("eta", "status", "steps", "x"),
    [
        (0.01, Status.CONVERGED, 350, 5.74511578990333),
        (0.1, Status.CONVERGED, 43, 5.749608675278042),
        (0.2, Status.CONVERGED, 21, 5.749873862533818),
        (0.5, Status.CONVERGED, 2, 5.75),
        (1.0, Status.OSCILLATING, 2, 0.0),
        (50, Status.DIVERGED, 155, math.inf),
    ],
)
def test_lecture_table(eta: float, status: Status, steps: int, x: float) -> None:
    result = descend(LECTURE_FUNCTION, eta, 0)
    assert (result.status, result.steps, result.x) == (status, steps, x)
    assert result.trace[0] == 0.0
    assert len(result.trace) == steps + 1


@pytest.mark.parametrize("eta", [0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.77, 0.9, 0.99, 1.0, 1.5, 50])
@pytest.mark.parametrize("precision", [1e-2, 1e-4, 1e-6, 1e-9])
def test_trace_equals_lecture_loop_bit_for_bit(eta: float, precision: float) -> None:
    for x0 in range(12):
        result = descend(LECTURE_FUNCTION, eta, x0, precision=precision, max_iter=20_000)
        reference, stopped = lecture_loop(eta, x0, precision)
        if result.status is Status.CONVERGED:
            assert stopped
            assert same_floats(result.trace, reference)
        else:
            # the plain loop never stops; the engine stopped at a point the plain loop passed through
            assert not stopped
            assert same_floats(result.trace, reference[: len(result.trace)])


def test_eta_50_explains_inf_nan_and_never_stopping() -> None:
    result = descend(LECTURE_FUNCTION, 50, 0)
    reference, stopped = lecture_loop(50, 0, cap=400)
    assert not stopped
    assert math.isinf(reference[155]) and all(math.isfinite(v) for v in reference[:155])
    assert math.isnan(reference[156])  # what the plain loop prints next, forever
    assert abs(result.trace[-2]) > 1e307
    for word in ("inf", "update 155", "nan", "never stop"):
        assert word in explain(result, "en")
    assert "梯度爆炸" in explain(result, "zh")


def test_oscillating_bounces_between_0_and_11_5() -> None:
    result = descend(LECTURE_FUNCTION, 1.0, 0)
    assert result.status is Status.OSCILLATING
    assert result.period == 2
    assert list(result.trace) == [0.0, 11.5, 0.0]
    assert "0.0, 11.5" in explain(result, "en")
    assert "震荡" in explain(result, "zh")


def test_max_iter_reports_trend() -> None:
    growing = descend(LECTURE_FUNCTION, 1.001, 0, max_iter=100)
    assert (growing.status, growing.steps) == (Status.MAX_ITER, 100)
    assert "growing" in explain(growing, "en")
    shrinking = descend(LECTURE_FUNCTION, 0.0001, 0, max_iter=100)
    assert (shrinking.status, shrinking.steps) == (Status.MAX_ITER, 100)
    assert "shrinking" in explain(shrinking, "en")


def test_exit_test_after_the_last_allowed_update_still_counts() -> None:
    # 43 updates are needed at eta 0.1: a limit of exactly 43 must still report converged
    assert descend(LECTURE_FUNCTION, 0.1, 0, max_iter=43).status is Status.CONVERGED
    assert descend(LECTURE_FUNCTION, 0.1, 0, max_iter=42).status is Status.MAX_ITER


def test_cancel_by_callback_and_by_event() -> None:
    seen = []

    def callback(update):
        seen.append(update)
        return update.step < 10

    result = descend(LECTURE_FUNCTION, 0.001, 0, callback=callback)
    assert result.status is Status.CANCELLED
    assert [u.step for u in seen] == list(range(1, 11))
    assert "Stopped by you" in explain(result, "en")

    event = threading.Event()
    event.set()
    assert descend(LECTURE_FUNCTION, 0.1, 0, cancel=event).status is Status.CANCELLED


def test_cancel_from_another_thread_stops_a_long_run() -> None:
    event, started = threading.Event(), threading.Event()
    canceller = threading.Thread(target=lambda: started.wait() and event.set())
    canceller.start()
    # diverges so slowly that it would run to the update limit: the other thread stops it first
    result = descend(
        LECTURE_FUNCTION, 1.0000001, 0, max_iter=MAX_UPDATES, cancel=event, callback=lambda u: started.set()
    )
    canceller.join()
    assert result.status is Status.CANCELLED
    assert 0 < result.steps < MAX_UPDATES


class Interrupt(Exception):
    """Stands for KeyboardInterrupt, which must not reach pytest."""


def interrupted_at_call(n: int, text: str = LECTURE_FUNCTION) -> Function:
    """A function whose g raises Interrupt at its n-th call (Ctrl+C in the middle of an update)."""
    fn = Function.coerce(text)
    g = fn.g
    calls = [0]

    def wrapped(x: float) -> float:
        calls[0] += 1
        if calls[0] == n:
            raise Interrupt
        return g(x)

    fn.__dict__["g"] = wrapped  # g is a cached_property: this is its cached value
    return fn


@pytest.mark.parametrize("n", [1, 2, 100, 1500])
def test_interrupt_inside_an_update_leaves_a_consistent_run(n: int) -> None:
    run = Descent(interrupted_at_call(n), 1.0001, 0, max_iter=10**6)
    with pytest.raises(Interrupt):
        run.advance(4096)
    reference = Descent(LECTURE_FUNCTION, 1.0001, 0, max_iter=10**6)
    reference.advance(n - 1)
    assert run.steps == n - 1
    assert (run.x, run.last_x) == (reference.x, reference.last_x)
    assert list(run.trace) == list(reference.trace)
    # the run goes on from there as if nothing had happened, or is stopped where it is
    run.advance(10)
    reference.advance(10)
    assert (run.steps, run.x, run.last_x) == (reference.steps, reference.x, reference.last_x)
    run.cancel()
    result = run.result()
    assert (result.status, result.steps, result.x) == (Status.CANCELLED, n + 9, result.trace[-1])


def test_cancel_back_to_the_updates_shown() -> None:
    run = Descent(LECTURE_FUNCTION, 0.01, 0)
    run.advance(300)
    run.cancel(steps=120)
    result = run.result()
    assert (result.status, result.steps) == (Status.CANCELLED, 120)
    assert result.trace == descend(LECTURE_FUNCTION, 0.01, 0).trace[:121]
    assert result.x == result.trace[-1] and result.last_x == result.trace[-2]
    assert "Stopped by you after 120 updates, at x = " + repr(result.x) in explain(result, "en")
    # a run that has ended is cut back too, if it ended after updates that were not shown
    ended = Descent(LECTURE_FUNCTION, 50, 0)
    ended.advance(1000)
    assert ended.status is Status.DIVERGED
    ended.cancel(steps=10)
    assert (ended.status, ended.steps, ended.result().details) == (Status.CANCELLED, 10, {"gap": 0.1})
    # ... but not if every update was shown
    done = Descent(LECTURE_FUNCTION, 0.1, 0)
    done.advance(1000)
    done.cancel(steps=43)
    assert (done.status, done.steps) == (Status.CONVERGED, 43)
    fresh = Descent(LECTURE_FUNCTION, 0.1, 0)
    fresh.cancel(steps=0)
    assert (fresh.status, fresh.steps, fresh.x, fresh.last_x) == (Status.CANCELLED, 0, 0.0, 0.1)


def test_callback_streams_every_update_in_order() -> None:
    updates = []
    result = descend(LECTURE_FUNCTION, 0.1, 0, callback=updates.append)
    assert [u.step for u in updates] == list(range(1, 44))
    assert [u.x for u in updates] == list(result.trace[1:])
    assert [u.last_x for u in updates] == list(result.trace[:-1])
    assert updates[-1].delta < 1e-4 <= updates[-2].delta


@pytest.mark.parametrize(("eta", "x0", "precision"), [(0.1, 0, 1e-4), (1.0, 3, 1e-4), (50, 7, 1e-4), (0.9, 0, 1e-16)])
def test_result_does_not_depend_on_chunk_size(eta: float, x0: int, precision: float) -> None:
    whole = descend(LECTURE_FUNCTION, eta, x0, precision=precision)
    stepped = Descent(LECTURE_FUNCTION, eta, x0, precision=precision)
    updates = list(stepped)  # one update at a time
    result = stepped.result()
    assert (result.status, result.steps, result.period) == (whole.status, whole.steps, whole.period)
    assert same_floats(result.trace, whole.trace)
    assert len(updates) == whole.steps
    for chunk in (3, 7, 64, 1000):
        run = Descent(LECTURE_FUNCTION, eta, x0, precision=precision)
        while not run.finished:
            run.advance(chunk)
        assert same_floats(run.result().trace, whole.trace)


def test_rounding_cycle_is_oscillating_and_explained() -> None:
    result = descend(LECTURE_FUNCTION, 0.9, 0, precision=1e-16)
    assert result.status is Status.OSCILLATING
    assert result.period == 2
    assert abs(result.trace[-1] - result.trace[-2]) < 1e-14
    assert "finer than floats resolve" in explain(result, "en")


def test_domain_error_is_diverged_with_reason() -> None:
    # f = (log x)^2 has its minimum at 1; a large step jumps to x < 0 where log is not defined
    result = descend("log(x)^2", 5, 3)
    assert result.status is Status.DIVERGED
    assert math.isnan(result.x)
    assert "not defined" in explain(result, "en")


def test_overflow_in_power_is_diverged_not_an_exception() -> None:
    result = descend("x^4", 1, 10)
    assert result.status is Status.DIVERGED
    assert math.isinf(result.x) or math.isnan(result.x)


@pytest.mark.parametrize(("function", "eta", "x0"), [("x^4", 1, 10), ("x^4", 0.1, 10), ("x^4 - x^3", 0.5, 2)])
def test_overflow_of_a_growing_x_is_blamed_on_the_learning_rate(function: str, eta: float, x0: float) -> None:
    # |x| grows every update until g(x) overflows: to inf for x^4 (4*x**3), to inf - inf = nan for
    # x^4 - x^3 (4*x**3 - 3*x**2): a non-finite g(x), but the cause is the learning rate, not the domain
    result = descend(function, eta, x0)
    assert result.status is Status.DIVERGED
    assert not math.isfinite(result.x)
    finite = [abs(v) for v in result.trace[:-1]]
    assert finite[-3] < finite[-2] < finite[-1] and finite[-1] > 1e100
    with np.errstate(all="ignore"):
        assert not math.isfinite(Function(function).g_vec(np.float64(result.trace[-2])))
    assert f"the learning rate {eta:g} is too large" in explain(result, "en")
    assert "gradient explosion" in explain(result, "en") and "梯度爆炸" in explain(result, "zh")
    assert "not defined" not in explain(result, "en") and "no finite value" not in explain(result, "en")


def test_overflow_of_the_step_is_blamed_on_the_learning_rate() -> None:
    # g(10) = 20 is finite; eta * 20 is not
    result = descend("x^2", 1e308, 10)
    assert (result.status, result.steps, result.x) == (Status.DIVERGED, 1, -math.inf)
    assert "too large" in explain(result, "en")


@pytest.mark.parametrize(
    ("function", "eta", "x0", "gx"),
    [("log(x)", 1e-9, 0, "inf"), ("1/x", 1e-9, 0, "-inf"), ("log(x)", 1, 1, "inf"), ("sqrt(x)", 0.1, 0, "inf")],
)
def test_infinite_gradient_where_x_is_not_growing_is_a_domain_problem(
    function: str, eta: float, x0: float, gx: str
) -> None:
    # log(x)' = 1/x is inf at 0: whatever the learning rate, the next x is -inf
    result = descend(function, eta, x0)
    assert result.status is Status.DIVERGED
    assert result.last_x == 0.0
    assert f"g(x) has no finite value at x = 0.0 (it gives {gx} there)" in explain(result, "en")
    assert "too large" not in explain(result, "en") and "explosion" not in explain(result, "en")
    assert "没有有限值" in explain(result, "zh") and "梯度爆炸" not in explain(result, "zh")


def test_nan_gradient_where_x_is_not_growing_is_a_domain_problem() -> None:
    result = descend("sqrt(x)", 1, 1)  # 1, 0.5, -0.207..., then sqrt of a negative number
    assert (result.status, result.steps) == (Status.DIVERGED, 3)
    assert "g(x) has no real value at x = -0.20710678118654746" in explain(result, "en")
    assert "too large" not in explain(result, "en")


def test_random_start_is_the_lectures_and_reproducible() -> None:
    for seed in range(20):
        np.random.seed(seed)
        expected = np.random.randint(0, 12, size=1)[0]
        assert random_start(seed) == expected
        assert 0 <= random_start(seed) < 12
    assert descend(LECTURE_FUNCTION, 0.1, seed=5).x0 == random_start(5)


@pytest.mark.parametrize(
    "bad", [{"eta": 0}, {"eta": -1}, {"eta": math.nan}, {"precision": 0}, {"max_iter": 0}, {"x0": math.inf}]
)
def test_bad_parameters_are_refused(bad: dict) -> None:
    params = {"eta": 0.1, "x0": 0.0, "precision": 1e-4, "max_iter": 100} | bad
    with pytest.raises(ValueError):
        descend(LECTURE_FUNCTION, **params)


def test_results_serialise_inf_and_nan_for_json() -> None:
    import json

    doc = descend(LECTURE_FUNCTION, 50, 0).to_dict()
    text = json.dumps(doc, allow_nan=False)
    assert json.loads(text)["x"] == "inf"


# --- sweep ------------------------------------------------------------------------------------------


def test_sweep_matches_descend_rate_by_rate() -> None:
    etas = np.concatenate([np.linspace(0.001, 1.2, 150), [0.01, 0.1, 0.2, 0.5, 1.0, 50]])
    for x0 in (0, 5, 11):
        for precision in (1e-4, 1e-9):
            result = sweep(LECTURE_FUNCTION, etas, x0, precision=precision, max_iter=3000)
            for i, eta in enumerate(etas):
                one = descend(LECTURE_FUNCTION, eta, x0, precision=precision, max_iter=3000)
                assert result.status[i] == one.status.value, (eta, x0, precision)
                assert result.steps[i] == one.steps, (eta, x0, precision)
                assert same_floats([result.x[i]], [one.x]), (eta, x0, precision)
                assert result.period[i] == one.period


@pytest.mark.parametrize("text", ["x^2 - 4x", "x^4 - 3x^3 + 2", "sin(x) + 0.1*x^2"])
def test_sweep_agrees_with_descend_on_other_functions(text: str) -> None:
    etas = np.linspace(0.01, 1.5, 40)
    result = sweep(text, etas, 1.0, max_iter=2000)
    for i, eta in enumerate(etas):
        one = descend(text, eta, 1.0, max_iter=2000)
        assert result.status[i] == one.status.value
        if "sin" not in text:  # numpy's vector sin may differ from math.sin in the last bit
            assert result.steps[i] == one.steps


def test_sweep_is_vectorized_over_rates(monkeypatch: pytest.MonkeyPatch) -> None:
    fn = Function.lecture()
    shapes = []
    inner = fn.g_vec

    def recording(x):
        shapes.append(np.shape(x))
        return inner(x)

    monkeypatch.setattr(fn, "g_vec", recording)
    sweep(fn, np.linspace(0.1, 0.4, 500), 0.0)
    assert shapes and shapes[0] == (500,)
    # one call per update for all rates together, not one per rate
    assert len(shapes) < 200


def test_sweep_max_iter_and_oscillation_at_the_limit() -> None:
    result = sweep(LECTURE_FUNCTION, [1.0, 0.0001, 1.001], 0, max_iter=2)
    assert list(result.status) == ["oscillating", "max_iter", "max_iter"]
    assert list(result.steps) == [2, 2, 2]


# --- analysis -----------------------------------------------------------------------------------------


def test_quadratic_factor_range_and_predictions() -> None:
    q = quadratic(LECTURE_FUNCTION)
    assert q is not None
    assert (q.curvature, q.minimum) == (2.0, 5.75)
    assert q.factor(0.1) == pytest.approx(0.8)
    assert q.safe_range == (0.0, 1.0)
    assert q.best_eta == 0.5
    assert [q.regime(e) for e in (0.1, 0.5, 1.0, 50)] == ["converges", "one update", "oscillates", "diverges"]
    assert quadratic("sin(x)") is None
    for eta in (0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9):
        for x0 in range(12):
            actual = descend(LECTURE_FUNCTION, eta, x0).steps
            predicted = q.predicted_updates(eta, x0, 1e-4)
            assert predicted is not None and abs(predicted - actual) <= 1, (eta, x0)
    assert q.predicted_updates(0.1, 0, 1e-4) == 43
    assert q.predicted_updates(1.0, 0, 1e-4) is None


def test_stop_test_measures_the_step_not_the_distance() -> None:
    q = quadratic(LECTURE_FUNCTION)
    assert q is not None
    slow = descend(LECTURE_FUNCTION, 0.01, 0)
    gap = stop_gap(slow, q.minimum)
    assert gap.last_step < 1e-4
    assert 0.004 < gap.distance < 0.006  # about 0.005 away, fifty times the precision
    assert gap.distance == pytest.approx(q.distance_left(0.01, gap.last_step), rel=1e-6)
    assert stop_gap(descend(LECTURE_FUNCTION, 0.1, 0), 5.75).distance == pytest.approx(5.75 - 5.749608675278042)


# --- layering --------------------------------------------------------------------------------------------


def test_engine_imports_without_textual_or_sympy(fresh_python: Callable[[str], str]) -> None:
    code = (
        "import sys; import gdtutor.engine as e; "
        "r = e.descend(e.LECTURE_FUNCTION, 0.1, 0); "
        "assert r.steps == 43; "
        "bad = [m for m in ('textual', 'sympy', 'plotext') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    assert fresh_python(code) == ""


def test_engine_names_load_on_first_use_from_their_modules() -> None:
    import gdtutor.engine as engine

    assert set(engine.__all__) == set(engine._HOME)
    for name in engine.__all__:
        value = getattr(engine, name)
        assert value is getattr(importlib.import_module(f"gdtutor.engine.{engine._HOME[name]}"), name)
    assert "descend" in dir(engine)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = engine.nope  # type: ignore[attr-defined]


def test_a_submodule_imported_first_does_not_hide_an_engine_name(fresh_python: Callable[[str], str]) -> None:
    """A submodule sets an attribute of the package when it loads: no module may share a name's name."""
    code = (
        "import gdtutor.engine.sweeps, gdtutor.engine.descent, gdtutor.engine.analysis; "
        "from gdtutor.engine import sweep, descend, quadratic; "
        "print(all(callable(f) and type(f).__name__ == 'function' for f in (sweep, descend, quadratic)))"
    )
    assert fresh_python(code) == "True"


def test_parsing_and_the_defaults_do_not_load_numpy(fresh_python: Callable[[str], str]) -> None:
    """What the app's start needs of the engine (parse, Function, the defaults) leaves numpy unloaded."""
    code = (
        "import sys; from gdtutor.engine import LECTURE_FUNCTION, DEFAULT_PRECISION, ExpressionError, Function; "
        "from gdtutor.engine.descent import Descent; from gdtutor.engine.params import Setup, read_setup; "
        "from gdtutor.i18n import t; from gdtutor.numbers import full; read_setup({'eta': '0.5'}); "
        "f = Function(LECTURE_FUNCTION); f.f(1.0); "
        "print('numpy' in sys.modules)"
    )
    assert fresh_python(code) == "False"


def test_sweep_rates_are_the_decimals_a_person_writes() -> None:
    from gdtutor.engine.sweeps import rates

    assert rates(0.05, 1, 20).tolist() == [float(f"{k * 5}e-2") for k in range(1, 21)]
    assert rates(0.1, 1.2, 12).tolist() == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2]
    assert rates(0.3, 0.3, 1).tolist() == [0.3] and rates(0.1, 1, 0).tolist() == []
    # a step with no short decimal: as close to np.linspace as floats allow, the ends exactly as given
    fine = rates(0.01, 1.2, 40)
    assert fine[0] == 0.01 and fine[-1] == 1.2
    assert np.allclose(fine, np.linspace(0.01, 1.2, 40), rtol=1e-15, atol=0)
    assert (np.diff(fine) > 0).all()


def test_a_function_without_a_minimum_is_not_blamed_on_the_rate() -> None:
    # -x^2 goes downhill one way forever: every rate diverges, a smaller one only later
    for eta in (0.1, 0.01):
        result = descend("-x^2", eta, 1.0, max_iter=1_000_000)
        assert result.status is Status.DIVERGED and result.details["cause"] == "unbounded"
        assert "no minimum" in explain(result, "en") and "too large" not in explain(result, "en")
    # the lecture's eta 50 overshoots from side to side: that one is the rate's doing
    lecture = descend(LECTURE_FUNCTION, 50, 0)
    assert lecture.details["cause"] == "explode" and "too large" in explain(lecture, "en")


@pytest.mark.parametrize("typed", ["0.5 0.9", "0.5, 0.9", "0.5,0.9", "0.5，0.9", " 0.5   0.9 ", "0.5、0.9"])
def test_compared_rates_are_read_as_the_command_line_and_the_readme_write_them(typed: str) -> None:
    from gdtutor.engine.params import read_setup

    assert read_setup({"eta": 0.1, "compare": typed}).compare == (0.5, 0.9)
