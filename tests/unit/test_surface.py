"""Expressions of x and y (gdtutor.engine.expr with variables=PLANE) and Surface: what 2-D accepts, that it
refuses everything 1-D refuses in the same way, that nothing typed is executed, and the partial derivatives.

The 1-D behaviour is tests/unit/test_expr.py's; its tables are reused here (REFUSED, HOSTILE)."""

from __future__ import annotations

import builtins
import math
import os
import subprocess
from collections.abc import Callable

import numpy as np
import pytest
from test_expr import HOSTILE, REFUSED, assert_short_message, message

from gdtutor.engine import ExpressionError
from gdtutor.engine.expr import FUNCTIONS, PLANE, BinOp, Num, Var, compile_tree, evaluate, parse, to_text
from gdtutor.engine.surface import BANANA, BOWL, PRESETS, TURNED_VALLEY, VALLEY, Surface

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
