"""Expressions of x and y (gdtutor.engine.expr with variables=PLANE) and Surface: what 2-D accepts, that it
refuses everything 1-D refuses in the same way, that nothing typed is executed, and the partial derivatives.

The 1-D behaviour is tests/unit/test_expr.py's; its tables are reused here (REFUSED, HOSTILE)."""

from __future__ import annotations

import builtins
import itertools
import math
import os
import re
import subprocess
from collections.abc import Callable

import numpy as np
import pytest
from test_expr import HOSTILE, REFUSED, assert_short_message, message

from gdtutor.engine import ExpressionError
from gdtutor.engine.expr import FUNCTIONS, PLANE, BinOp, Num, Var, compile_tree, evaluate, parse, to_text
from gdtutor.engine.surface import (
    BANANA,
    BOWL,
    PRESET_PARTIALS,
    PRESETS,
    REGRESSION_SCALED,
    REGRESSION_UNSCALED,
    TURNED_VALLEY,
    VALLEY,
    Surface,
    curvatures_of,
    factor,
    largest_safe_rate,
    steps_to_come,
)

ALLOWED_2D = "allowed: x, y, pi, e, " + ", ".join(FUNCTIONS)

# (text, x, y, value computed by hand)
ACCEPTED_2D = [
    ("x^2 + y^2", 3.0, 4.0, 25.0),
    ("x^2 + 10*y^2", 1.0, 2.0, 41.0),
    ("(1 - x)^2 + 100*(y - x^2)^2", 1.0, 1.0, 0.0),
    ("(1 - x)^2 + 100*(y - x^2)^2", -1.0, 2.0, 104.0),
    ("x y", 2.0, 3.0, 6.0),  # implicit product, as '2x'
    ("2x y", 2.0, 3.0, 12.0),
    ("x(y + 1)", 2.0, 3.0, 8.0),
    ("y²", 0.0, 3.0, 9.0),
    ("ｙ＋１", 0.0, 2.0, 3.0),  # full-width, as x
    ("sin(x) cos(y)", math.pi / 2, 0.0, 1.0),
    ("exp(-(x^2 + y^2))", 0.0, 0.0, 1.0),
    ("y", 5.0, 7.0, 7.0),
    ("x", 5.0, 7.0, 5.0),  # a function of x alone is a surface too
    ("3", 5.0, 7.0, 3.0),
]


@pytest.mark.parametrize(("text", "x", "y", "expected"), ACCEPTED_2D)
def test_accepted_2d_expression_has_the_hand_computed_value(text: str, x: float, y: float, expected: float) -> None:
    tree = parse(text, PLANE)
    assert compile_tree(tree, variables=PLANE)(x, y) == pytest.approx(expected, abs=1e-12)
    assert evaluate(tree, x, y) == pytest.approx(expected, abs=1e-12)
    vec = compile_tree(tree, vector=True, variables=PLANE)
    assert float(np.broadcast_to(vec(np.array([x]), np.array([y])), (1,))[0]) == pytest.approx(expected, abs=1e-12)
    # printed, readable and compact, it reads back to the same tree
    assert parse(to_text(tree), PLANE) == tree
    assert parse(to_text(tree, compact=True), PLANE) == tree


def test_the_tree_of_a_2d_expression_names_its_variables() -> None:
    assert parse("x y", PLANE) == BinOp("*", Var("x"), Var("y"))
    assert parse("2y", PLANE) == BinOp("*", Num(2.0), Var("y"))
    assert to_text(parse("x^2 + 10y^2", PLANE)) == "x**2 + 10*y**2"
    assert to_text(parse("x y", PLANE), compact=True) == "x*y"  # 'xy' would be one name


def test_one_variable_stays_exactly_as_it_was() -> None:
    # the default is the lecture's x alone: y is an unknown name, with today's list of allowed names
    with pytest.raises(ExpressionError) as refused:
        parse("x + y")
    assert (refused.value.code, refused.value.column) == ("unknown_name", 5)
    assert message(refused.value) == "unknown name 'y'; allowed: x, pi, e, " + ", ".join(FUNCTIONS)
    assert parse("x^2") == parse("x^2", ("x",)) == BinOp("^", Var(), Num(2.0))


@pytest.mark.parametrize(
    ("text", "words", "column"),
    [
        ("z", f"unknown name 'z'; {ALLOWED_2D}", 1),
        ("x + z", f"unknown name 'z'; {ALLOWED_2D}", 5),
        ("x1", f"unknown name 'x1' (write x*1 or x^1); {ALLOWED_2D}", 1),
        ("y1", f"unknown name 'y1'; {ALLOWED_2D}", 1),  # not told 'write x*1': that is about x
        ("Y", f"unknown name 'Y'; {ALLOWED_2D}", 1),  # not told 'the variable is lower-case x'
        ("X + y", f"unknown name 'X' (the variable is lower-case x); {ALLOWED_2D}", 1),
        ("xy", f"unknown name 'xy'; {ALLOWED_2D}", 1),
        ("x_y", f"unknown name 'x_y'; {ALLOWED_2D}", 1),
    ],
)
def test_other_names_are_refused_naming_the_allowed_ones(text: str, words: str, column: int) -> None:
    with pytest.raises(ExpressionError) as refused:
        parse(text, PLANE)
    assert_short_message(refused.value)
    assert message(refused.value) == words
    assert refused.value.column == column


@pytest.mark.parametrize(
    ("text", "fragment", "column"), [r for r in REFUSED if r[0] != "y"], ids=range(len(REFUSED) - 1)
)
def test_everything_1d_refuses_2d_refuses_the_same_way(text: str, fragment: str, column: int | None) -> None:
    with pytest.raises(ExpressionError) as in_1d:
        parse(text)
    with pytest.raises(ExpressionError) as in_2d:
        parse(text, PLANE)
    with pytest.raises(ExpressionError) as as_surface:
        Surface(text)
    exc = in_2d.value
    assert_short_message(exc)
    assert (exc.code, exc.column) == (in_1d.value.code, in_1d.value.column) == (as_surface.value.code, column)
    assert fragment in message(exc)
    # the same words but for the list of allowed names, which has y
    assert {k: v for k, v in exc.fields.items() if k != "allowed"} == {
        k: v for k, v in in_1d.value.fields.items() if k != "allowed"
    }


HOSTILE_2D = [
    *HOSTILE,
    "y.__class__",
    "x + y.real",
    "__import__('os').system(y)",
    "lambda x, y: x",
    "(lambda: y)()",
    "[y for y in ()]",
    "(x, y)",
    "x, y",
    "y = 1",
    "y[0]",
    "{x: y}",
    "f(x, y)",
    "sin(x, y)",
    "getattr(y, 'x')",
    "__builtins__",
    "y__class__",
    "z",
    "x1 + y",
    "y^1e999",
    "9^9^9^9 + y",
    "10^400*y",
    "y" * 10_000,
    "x+" * 200 + "y",
    "(" * 40 + "y" + ")" * 40,
    "＿＿import＿＿（ｙ）",
]


def test_hostile_2d_text_triggers_no_import_eval_exec_open_or_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_import = builtins.__import__

    def spy_import(name: str, *args: object, **kwargs: object) -> object:
        calls.append(f"import {name}")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    def trap(label: str) -> Callable[..., None]:
        def tripped(*args: object, **kwargs: object) -> None:
            calls.append(label)
            raise AssertionError(f"{label} was called")

        return tripped

    for target, name in [
        (builtins, "eval"),
        (builtins, "exec"),
        (builtins, "compile"),
        (builtins, "open"),
        (os, "system"),
        (subprocess, "Popen"),
    ]:
        monkeypatch.setattr(target, name, trap(name))
    outcomes = []
    monkeypatch.setattr(builtins, "__import__", spy_import)
    try:
        for text in HOSTILE_2D:
            try:
                Surface(text)
            except ExpressionError:
                outcomes.append("ExpressionError")
            except BaseException as exc:  # recorded and asserted on below
                outcomes.append(f"{type(exc).__name__}: {exc}")
            else:
                outcomes.append(f"accepted {text!r}")
    finally:
        monkeypatch.undo()
    assert calls == []
    assert outcomes == ["ExpressionError"] * len(HOSTILE_2D)


def test_compiled_2d_function_reaches_no_builtins_and_only_its_variables() -> None:
    fn = compile_tree(parse("sin(x) y + x^2 - exp(y)/3", PLANE), variables=PLANE)
    assert fn.__globals__["__builtins__"] == {}
    assert set(fn.__code__.co_names) <= {"_pow", *(f"_fn_{name}" for name in FUNCTIONS)}
    assert fn.__code__.co_varnames == ("x", "y")
    # a tree with a variable the function does not take is refused, not compiled to a NameError
    with pytest.raises(TypeError):
        compile_tree(parse("x + y", PLANE))
    with pytest.raises(TypeError):
        compile_tree(Var("__import__"), variables=PLANE)
    # only x and y may be asked for as variables
    for variables in [("x", "z"), ("__import__",), (), ("x", "x")]:
        with pytest.raises(ValueError):
            parse("x", variables)


# --- Surface ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dx", "dy"),
    [
        (BOWL, "2*x", "2*y"),
        (VALLEY, "2*x", "20*y"),
        (TURNED_VALLEY, "11*x - 9*y", "-(9*x) + 11*y"),
        (BANANA, "-(400*x*(-x**2 + y)) + 2*x - 2", "-(200*x**2) + 200*y"),
    ],
)
def test_the_presets_partial_derivatives_are_shown_as_derived(text: str, dx: str, dy: str) -> None:
    surface = Surface(text)
    assert surface.partial_texts == (dx, dy)
    assert PRESETS[next(name for name, t in PRESETS.items() if t == text)] == text


@pytest.mark.parametrize(
    "text",
    [*PRESETS.values(), "sin(x) cos(y)", "exp(-(x^2 + y^2)/2)", "x y^3 - log(1 + x^2 y^2)", "sqrt(x^2 + y^2 + 1)"],
)
def test_partial_derivatives_agree_with_central_differences(text: str) -> None:
    s = Surface(text)
    h = 1e-6
    for x, y in [(0.3, -0.7), (1.1, 0.9), (-1.2, 1.0)]:
        gx, gy = s.grad(x, y)
        assert (gx, gy) == (s.gx(x, y), s.gy(x, y))
        assert gx == pytest.approx((s.f(x + h, y) - s.f(x - h, y)) / (2 * h), rel=1e-5, abs=1e-5)
        assert gy == pytest.approx((s.f(x, y + h) - s.f(x, y - h)) / (2 * h), rel=1e-5, abs=1e-5)
        vx, vy = s.grad_vec(np.array([x]), np.array([y]))
        assert float(np.broadcast_to(vx, (1,))[0]) == gx
        assert float(np.broadcast_to(vy, (1,))[0]) == gy


def test_the_turned_valley_is_the_valley_turned_45_degrees() -> None:
    turned, valley = Surface(TURNED_VALLEY), Surface(VALLEY)
    r = math.sqrt(0.5)
    for x, y in [(1.0, 1.0), (1.0, -1.0), (0.3, 2.0), (-1.5, 0.25)]:
        u, v = (x + y) * r, (y - x) * r  # the valley's own coordinates of (x, y)
        assert turned.f(x, y) == pytest.approx(valley.f(u, v), rel=1e-12)
    # curvatures 2 along y = x and 20 across it, as the valley's along x and y
    assert sorted(np.linalg.eigvalsh(np.array([[11.0, -9.0], [-9.0, 11.0]]))) == pytest.approx([2.0, 20.0])


def test_given_partials_are_used_and_surface_vectors_give_inf_and_nan() -> None:
    s = Surface("x^2 + y^2", partials=("2x", "2y"))
    assert s.partials_given and s.partial_texts == ("2*x", "2*y")
    s = Surface("log(x) + y^2")
    with np.errstate(all="ignore"):
        assert math.isnan(float(s.f_vec(np.float64(-1.0), np.float64(0.0))))
    with pytest.raises(ValueError):
        s.f(-1.0, 0.0)  # Python floats raise where numpy gives nan


# --- curvature: the Hessian, its eigenvalues and directions ----------------------------------------


def hessian_by_differences(s: Surface, x: float, y: float, h: float = 1e-4) -> np.ndarray:
    """The Hessian from central differences of the gradient: a check on the symbolic one."""
    gx_right, gy_right = s.grad(x + h, y)
    gx_left, gy_left = s.grad(x - h, y)
    gx_up, gy_up = s.grad(x, y + h)
    gx_down, gy_down = s.grad(x, y - h)
    fxx, fyx = (gx_right - gx_left) / (2 * h), (gy_right - gy_left) / (2 * h)
    fxy, fyy = (gx_up - gx_down) / (2 * h), (gy_up - gy_down) / (2 * h)
    return np.array([[fxx, (fxy + fyx) / 2], [(fxy + fyx) / 2, fyy]])


@pytest.mark.parametrize(
    ("text", "hessian", "curvatures"),
    [
        (BOWL, ((2.0, 0.0), (0.0, 2.0)), (2.0, 2.0)),
        (VALLEY, ((2.0, 0.0), (0.0, 20.0)), (2.0, 20.0)),
        (TURNED_VALLEY, ((11.0, -9.0), (-9.0, 11.0)), (2.0, 20.0)),
    ],
)
def test_the_quadratic_presets_have_their_hessian_and_curvatures(
    text: str, hessian: tuple[tuple[float, float], tuple[float, float]], curvatures: tuple[float, float]
) -> None:
    quadratic = Surface(text).quadratic
    assert quadratic is not None
    assert quadratic.hessian == hessian
    assert quadratic.curvatures == pytest.approx(curvatures, rel=1e-15)
    assert list(quadratic.curvatures) == pytest.approx(list(np.linalg.eigvalsh(np.array(hessian))), rel=1e-12)
    assert quadratic.centre == (0.0, 0.0)  # the bottom of each is the origin
    assert quadratic.largest_safe_rate == pytest.approx(2 / curvatures[1])
    for k, (vx, vy) in zip(quadratic.curvatures, quadratic.directions, strict=True):
        h = np.array(hessian)
        assert math.hypot(vx, vy) == pytest.approx(1.0)
        assert h @ np.array([vx, vy]) == pytest.approx(k * np.array([vx, vy]), abs=1e-12)  # an eigenvector


def test_an_axis_aligned_quadratic_has_the_axes_as_directions_exactly() -> None:
    valley = Surface(VALLEY).quadratic
    assert valley is not None and valley.axis_aligned
    assert valley.directions == ((1.0, 0.0), (0.0, 1.0))  # 2 along x, 20 along y
    assert valley.factors(0.05) == (0.9, 0.0)
    assert valley.factors(0.11) == pytest.approx((0.78, -1.2))
    steep_x = Surface("10*x^2 + y^2").quadratic
    assert steep_x is not None and steep_x.curvatures == (2.0, 20.0) and steep_x.directions == ((0.0, 1.0), (1.0, 0.0))
    bowl = Surface(BOWL).quadratic
    assert bowl is not None and bowl.round and bowl.axis_aligned


def test_the_turned_valley_curves_least_along_y_equals_x_and_most_across() -> None:
    turned = Surface(TURNED_VALLEY).quadratic
    assert turned is not None and not turned.axis_aligned and not turned.round
    r = math.sqrt(0.5)
    (along, across) = turned.directions
    assert along == pytest.approx((r, r), rel=1e-15)  # curvature 2 along y = x
    assert across == pytest.approx((r, -r), rel=1e-15)  # curvature 20 along y = -x
    assert along[0] > 0 and across[0] > 0  # the sign is chosen: x part positive


def test_the_banana_is_not_a_quadratic_and_its_curvatures_at_the_minimum_are_0_4_and_1001_6() -> None:
    banana = Surface(BANANA)
    assert banana.quadratic is None
    low, high = banana.curvatures_at(1.0, 1.0) or (math.nan, math.nan)
    # the Hessian there is [[802, -400], [-400, 200]]: the eigenvalues 501 -+ sqrt(501^2 - 400), the smaller
    # written as 400 / the larger (no cancellation)
    exact_high = 501 + math.sqrt(501**2 - 400)
    assert banana.hessian_at(1.0, 1.0) == ((802.0, -400.0), (-400.0, 200.0))
    assert (round(low, 1), round(high, 1)) == (0.4, 1001.6)
    assert high == pytest.approx(exact_high, rel=1e-15)
    assert low == pytest.approx(400 / exact_high, rel=1e-14)


@pytest.mark.parametrize("text", [BANANA, "sin(x) cos(y)", "exp(-(x^2 + y^2)/2)", "x^4 + x*y^3 - y^2"])
def test_curvatures_at_a_point_agree_with_differences_of_the_gradient(text: str) -> None:
    s = Surface(text)
    for x, y in [(0.3, -0.7), (1.1, 0.9), (-1.2, 1.0)]:
        expected = np.linalg.eigvalsh(hessian_by_differences(s, x, y))
        assert list(s.curvatures_at(x, y) or ()) == pytest.approx(list(expected), rel=1e-5, abs=1e-5)


def test_curvatures_of_any_symmetric_matrix_are_numpys_eigenvalues_in_order() -> None:
    rng = np.random.default_rng(7)
    for a, b, c in [*rng.normal(size=(200, 3)) * 10.0 ** rng.integers(-3, 4, size=(200, 1)), (1e8, 1e4, 1.000001)]:
        h = ((float(a), float(b)), (float(b), float(c)))
        curvatures, directions = curvatures_of(h)
        assert curvatures[0] <= curvatures[1]
        scale = max(abs(float(a)), abs(float(b)), abs(float(c)))
        assert list(curvatures) == pytest.approx(list(np.linalg.eigvalsh(np.array(h))), abs=1e-12 * scale)
        for k, v in zip(curvatures, directions, strict=True):
            assert np.array(h) @ np.array(v) == pytest.approx(k * np.array(v), abs=1e-9 * scale)
    # the product of the two is the determinant, to the last digits, also when one is tiny beside the other
    (low, high), _ = curvatures_of(((1e8, 1e4), (1e4, 1.000001)))
    assert low * high == pytest.approx(1e8 * 1.000001 - 1e8, rel=1e-9)


def test_a_surface_without_second_partials_or_not_quadratic_says_so() -> None:
    kink = Surface("abs(x) + y^2")  # d/dx of sign(x) has no tree
    assert kink.quadratic is None and kink.curvatures_at(1.0, 1.0) is None
    saddle = Surface("x^2 - y^2").quadratic
    assert saddle is not None and saddle.curvatures == (-2.0, 2.0) and saddle.largest_safe_rate == 1.0
    flat = Surface("x^2").quadratic  # a function of x alone: curvature 0 along y, no single bottom
    assert flat is not None and flat.curvatures == (0.0, 2.0) and flat.centre is None
    plane = Surface("x + y").quadratic
    assert plane is not None and plane.curvatures == (0.0, 0.0) and plane.largest_safe_rate is None
    with np.errstate(all="ignore"):
        assert all(math.isnan(k) for k in Surface("log(x) + y^2").curvatures_at(0.0, 0.0) or ())  # -1/x^2


def test_the_centre_of_a_quadratic_is_where_its_gradient_is_0() -> None:
    for text in [REGRESSION_UNSCALED, REGRESSION_SCALED, "(x - 1)^2 + 3*(y + 2)^2 + x*y"]:
        s = Surface(text)
        quadratic = s.quadratic
        assert quadratic is not None and quadratic.centre is not None
        assert s.grad(*quadratic.centre) == pytest.approx((0.0, 0.0), abs=1e-12)


def test_crossings_count_the_passes_past_the_centre_along_each_direction() -> None:
    valley = Surface(VALLEY).quadratic
    assert valley is not None
    # x: 1, 0.5, 0 (no pass: 0 is not a side), -0.5; y: 1, -1, 1, -1 (three passes)
    assert valley.crossings([1.0, 0.5, 0.0, -0.5], [1.0, -1.0, 1.0, -1.0]) == (1, 3)
    flat = Surface("x^2").quadratic
    assert flat is not None and flat.crossings([1.0], [1.0]) is None  # no centre to pass


def test_the_factor_the_safe_rate_and_the_steps_to_come() -> None:
    assert factor(0.05, 20.0) == 0.0 and factor(0.1, 2.0) == 0.8
    assert largest_safe_rate(20.0) == 0.1 and largest_safe_rate(0.0) is None and largest_safe_rate(-2.0) is None
    # steps of 1, 0.5, 0.25, ... after a step of 1: they add up to 1
    assert steps_to_come(1.0, 0.5) == 1.0
    assert steps_to_come(1e-4, 0.9) == pytest.approx(sum(1e-4 * 0.9**k for k in range(1, 2000)))


# --- the regression-loss presets ------------------------------------------------------------------------

# the data the presets' docstrings give: eight rows, centred, the second feature in units ten times smaller
FEATURE_A = [-3, -2, -2, 0, 1, 1, 2, 3]
FEATURE_B = [-9, -8, 12, 33, -24, -30, 11, 15]
TARGET = [-11, -8, -4, 7, -1, -3, 7, 13]


def regression_design(scaled: bool) -> tuple[np.ndarray, np.ndarray]:
    X = np.column_stack([FEATURE_A, FEATURE_B]).astype(float)
    if scaled:
        X = X / X.std(axis=0)  # the population standard deviation, numpy's default
    return X, np.array(TARGET, dtype=float)


def quadratic_text(coefficients: list[float]) -> str:
    """c1*x^2 + c2*x*y + c3*y^2 + c4*x + c5*y + c6 as the presets write it: each coefficient to 4
    significant digits, 1 left out, the signs between the terms."""
    text = ""
    for value, term in zip(coefficients, ["x^2", "x*y", "y^2", "x", "y", ""], strict=True):
        number = f"{float(f'{abs(value):.4g}'):g}"
        body = term if number == "1" and term else f"{number}*{term}" if term else number
        sign = "-" if value < 0 else "+"
        text = (f"{text} {sign} " if text else ("-" if value < 0 else "")) + body
    return text


def mse_coefficients(X: np.ndarray, t: np.ndarray) -> list[float]:
    """The mean squared error (1/n) * sum((t - X w)^2) as a quadratic in w = (x, y)."""
    a, b = X[:, 0], X[:, 1]
    return [
        float(np.mean(a * a)),
        float(2 * np.mean(a * b)),
        float(np.mean(b * b)),
        float(-2 * np.mean(a * t)),
        float(-2 * np.mean(b * t)),
        float(np.mean(t * t)),
    ]


def attribute_docstring(name: str) -> str:
    """The docstring under a module constant of gdtutor/engine/surface.py, whitespace made single spaces."""
    import ast
    import inspect

    import gdtutor.engine.surface as module

    body = ast.parse(inspect.getsource(module)).body
    for node, following in itertools.pairwise(body):
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            assert isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
            return " ".join(str(following.value.value).split())
    raise AssertionError(name)


def test_the_docstring_gives_the_data_the_tests_use() -> None:
    doc = attribute_docstring("REGRESSION_UNSCALED")
    for label, values in [("a (feature 1)", FEATURE_A), ("b (feature 2)", FEATURE_B), ("t (target)", TARGET)]:
        assert f"{label} " + " ".join(str(v) for v in values) in doc
    for column in (FEATURE_A, FEATURE_B, TARGET):
        assert sum(column) == 0  # centred: no intercept needed


@pytest.mark.parametrize(("name", "scaled"), [("regression_unscaled", False), ("regression_scaled", True)])
def test_the_regression_presets_are_the_mean_squared_error_of_their_data(name: str, scaled: bool) -> None:
    X, t = regression_design(scaled)
    text = PRESETS[name]
    assert text == quadratic_text(mse_coefficients(X, t))
    s = Surface(text)
    rng = np.random.default_rng(3)
    for w in [(0.0, 0.0), *rng.normal(scale=3.0, size=(10, 2))]:
        assert s.f(float(w[0]), float(w[1])) == pytest.approx(float(np.mean((t - X @ np.array(w)) ** 2)), rel=1e-9)
    # the bottom of the surface is the least squares solution
    quadratic = s.quadratic
    assert quadratic is not None and quadratic.centre is not None
    assert quadratic.centre == pytest.approx(tuple(np.linalg.lstsq(X, t, rcond=None)[0]), rel=1e-9)


def test_the_unscaled_loss_is_a_narrow_valley_and_the_scaled_one_nearly_a_round_bowl() -> None:
    conditions = {}
    for name, scaled in [("regression_unscaled", False), ("regression_scaled", True)]:
        X, _ = regression_design(scaled)
        expected = np.linalg.eigvalsh(2 * X.T @ X / len(X))  # the Hessian of the mean squared error
        quadratic = Surface(PRESETS[name]).quadratic
        assert quadratic is not None
        assert list(quadratic.curvatures) == pytest.approx(list(expected), rel=1e-9)
        conditions[name] = quadratic.curvatures[1] / quadratic.curvatures[0]
    assert conditions["regression_unscaled"] == pytest.approx(101.03, abs=0.01)  # the narrow valley's 10 ... and more
    assert conditions["regression_scaled"] == pytest.approx(1.2222, abs=1e-4)  # (1 + 0.1) / (1 - 0.1)
    # the features' correlation is what the scaled bowl keeps of the valley
    a, b = np.array(FEATURE_A, float), np.array(FEATURE_B, float)
    assert np.corrcoef(a, b)[0, 1] == pytest.approx(0.1)
    assert b.std() / a.std() == 10.0


@pytest.mark.parametrize(
    ("name", "runs", "limit"),
    [
        (
            "regression_unscaled",
            [(0.0024, "converged", 334), (0.002, "converged", 390), (0.001, "converged", 694),
             (0.0025, "max_iter", 10_000), (0.5, "diverged", None)],
            "2/800.08 = 0.0024997",
        ),
        (
            "regression_scaled",
            [(0.5, "converged", 6), (0.3, "converged", 13), (0.1, "converged", 43), (0.9, "converged", 589),
             (0.95, "diverged", None)],
            "2/2.2 = 0.909",
        ),
    ],
)  # fmt: skip
def test_the_regression_presets_docstrings_state_what_the_engine_measures(
    name: str, runs: list[tuple[float, str, int | None]], limit: str
) -> None:
    from gdtutor.engine.descent2 import Descent2

    constant = name.upper()
    doc = attribute_docstring(constant)
    quadratic = Surface(PRESETS[name]).quadratic
    assert quadratic is not None and quadratic.largest_safe_rate is not None
    assert limit in doc
    shown = re.fullmatch(r"2/([\d.]+) = ([\d.]+)", limit)
    assert shown is not None
    assert float(shown[1]) == pytest.approx(quadratic.curvatures[1], rel=1e-4)
    assert float(shown[2]) == pytest.approx(quadratic.largest_safe_rate, rel=1e-3)
    for eta, status, steps in runs:
        result = Descent2(PRESETS[name], eta, 0.0, 0.0, precision=1e-4).to_end()
        assert (str(result.status), result.steps if steps is not None else None) == (status, steps), eta
        if status == "converged":
            assert f"eta {eta:g} converges after {steps} updates" in doc or f"eta {eta:g} after {steps}" in doc
        elif status == "max_iter":
            assert f"eta {eta:g}" in doc and "update limit (10,000)" in doc and result.details["trend"] == "growing"
        else:
            assert f"eta {eta:g}" in doc and "diverges" in doc
    # where the first run stopped, to five digits
    best = Descent2(PRESETS[name], runs[0][0], 0.0, 0.0).to_end()
    where = re.search(rf"eta {runs[0][0]:g} converges after {runs[0][2]} updates at \(([\d.]+), ([\d.]+)\)", doc)
    assert where is not None
    assert (float(where[1]), float(where[2])) == (float(f"{best.x:.5g}"), float(f"{best.y:.5g}"))


@pytest.mark.parametrize("text", list(PRESET_PARTIALS))
def test_the_presets_given_partials_are_what_sympy_derives(text: str) -> None:
    """A preset opens without sympy: its partials are written out, and must be the derived trees (the same
    floats, the same text for the learner)."""
    from gdtutor.engine.derive import derivative

    given = Surface(text)
    tree = parse(text, PLANE)
    assert given.partial_trees == (derivative(tree, "x"), derivative(tree, "y"))
    assert given.partial_texts == PRESET_PARTIALS[text]
    # written with other spacing, still the preset; another function is derived
    assert Surface(text.replace(" ", "")).partial_texts == PRESET_PARTIALS[text]
    assert Surface("x^2 + 3*y^2").partial_texts == ("2*x", "6*y")


def test_a_preset_lab_opens_without_sympy(fresh_python) -> None:
    code = """
import sys
from gdtutor.engine.surface import VALLEY, Surface
from gdtutor.engine.descent2 import Descent2
surface = Surface(VALLEY)
print(surface.partial_texts, Descent2(surface, 0.05, 1.0, 1.0).to_end().steps, "sympy" in sys.modules)
"""
    assert fresh_python(code) == "('2*x', '20*y') 67 False"


@pytest.mark.parametrize(
    "text",
    [BANANA, TURNED_VALLEY, REGRESSION_UNSCALED, "x^3*y - 2*x*y^2 + 7", "-(x - 2)^4 + (x*y)^2", "3", "x^0 + y^1"],
)
def test_the_light_derivative_of_a_polynomial_has_sympys_values(text: str) -> None:
    from gdtutor.engine.derive import derivative, polynomial_derivative

    tree = parse(text, PLANE)
    rng = np.random.default_rng(5)
    for variable in ("x", "y"):
        light = polynomial_derivative(tree, variable)
        assert light is not None
        exact = derivative(tree, variable)
        for x, y in rng.uniform(-3, 3, size=(20, 2)):
            assert evaluate(light, x, y) == pytest.approx(evaluate(exact, x, y), rel=1e-12, abs=1e-9)
    # a constant derivative is folded to a number: that is how a quadratic is told
    assert polynomial_derivative(parse("11*x - 9*y", PLANE), "x") == Num(11.0)


@pytest.mark.parametrize("text", ["sin(x)*y", "x/y", "x^0.5", "x^y", "abs(x)", "exp(x + y)"])
def test_the_light_derivative_leaves_other_functions_to_sympy(text: str) -> None:
    from gdtutor.engine.derive import polynomial_derivative

    assert polynomial_derivative(parse(text, PLANE), "x") is None
