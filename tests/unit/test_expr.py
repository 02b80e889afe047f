"""The safe expression parser (gdtutor.engine.expr) and Function: what it accepts, what it refuses, and that
nothing typed is ever executed.

Sections:
  1. accepted inputs: values, tree shapes, printing and re-reading
  2. refused inputs: always ExpressionError, with a short message and the right column
  3. nothing is executed (tripwires on import/eval/os.system, a sentinel file, sympy never parses text)
  4. property-based tests (hypothesis)
  5. derivatives
  6. vector evaluation gives inf/nan where the scalar one raises
  7. formerly known bugs (printing, columns, superscripts, messages) and compact printing
"""

from __future__ import annotations

import builtins
import importlib
import math
import os
import subprocess
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gdtutor.engine import LECTURE_DERIVATIVE, LECTURE_FUNCTION, ExpressionError, Function
from gdtutor.engine.expr import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NODES,
    BinOp,
    Call,
    Neg,
    Node,
    Num,
    Var,
    compile_tree,
    evaluate,
    parse,
    to_text,
)
from gdtutor.i18n import expression_words
from gdtutor.telling import expression_error

# --- helpers -------------------------------------------------------------------------------------


def count_nodes(node: Node) -> int:
    match node:
        case Num() | Var():
            return 1
        case Neg(operand) | Call(_, operand):
            return 1 + count_nodes(operand)
        case BinOp(_, left, right):
            return 1 + count_nodes(left) + count_nodes(right)
    raise TypeError(node)


def tree_depth(node: Node) -> int:
    match node:
        case Num() | Var():
            return 1
        case Neg(operand) | Call(_, operand):
            return 1 + tree_depth(operand)
        case BinOp(_, left, right):
            return 1 + max(tree_depth(left), tree_depth(right))
    raise TypeError(node)


def refusal(text: object) -> ExpressionError:
    """The ExpressionError parse() raises for text (fails the test on any other outcome)."""
    with pytest.raises(ExpressionError) as info:
        parse(text)  # type: ignore[arg-type]
    return info.value


def assert_short_message(exc: ExpressionError) -> None:
    assert type(exc) is ExpressionError
    assert isinstance(exc, ValueError)
    assert message(exc), "empty message"
    told = expression_error(exc, "en")
    assert "\n" not in told and "\r" not in told
    assert len(told) < 200, told
    # the learner is told the message, prefixed with the column when there is one
    assert told == (f"column {exc.column}: {message(exc)}" if exc.column else message(exc))


def message(exc: ExpressionError) -> str:
    """The refusal in English, without its column."""
    return expression_words(exc.code, None, exc.fields, "en")


def outcome(fn: Callable[[float], float], x: float) -> tuple[str, float | None]:
    """('ok', value) or (exception class name, None), so two evaluators can be compared."""
    try:
        value = fn(x)
    except (ValueError, OverflowError, ZeroDivisionError) as exc:
        return type(exc).__name__, None
    return "ok", value


def same_number(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def at(vector_fn: Callable[[Any], Any], x: float) -> float:
    """A vector function at one point (a constant tree gives a scalar, not an array)."""
    return float(np.broadcast_to(vector_fn(np.array([x])), (1,))[0])


def central_difference(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    h = h * max(1.0, abs(x))
    return (f(x + h) - f(x - h)) / (2 * h)


# =================================================================================================
# 1. accepted inputs
# =================================================================================================

# (text, x, f(x) computed by hand / with math, independently of the parser)
ACCEPTED = [
    # the examples of the brief
    ("(x - 3.5)**2 - 4.5*x + 10", 0.0, 22.25),
    ("(x - 3.5)**2 - 4.5*x + 10", 5.75, -10.8125),
    ("x^2 - 4x", 3.0, -3.0),
    ("x^2 - 4x", -2.0, 12.0),
    ("exp(x) - 2*x", 0.0, 1.0),
    ("exp(x) - 2*x", 1.0, math.e - 2),
    ("sin(x) + 0.1*x**2", math.pi / 2, 1 + 0.1 * math.pi**2 / 4),
    ("log(x**2 + 1)", 2.0, math.log(5)),
    ("log(x**2 + 1)", 0.0, 0.0),
    ("sqrt(x**2 + 1)", 2.4, 2.6),
    # implicit products
    ("2x", 3.0, 6.0),
    ("3(x+1)", 2.0, 9.0),
    ("(x - 1)(x + 1)", 3.0, 8.0),
    ("x sin(x)", math.pi / 2, math.pi / 2),
    ("2pi", 0.0, 2 * math.pi),
    ("4.5x", 2.0, 9.0),
    ("1e-3x", 1000.0, 1.0),
    ("2x^2", 3.0, 18.0),  # 2*(x^2), not (2x)^2
    ("1/2x", 4.0, 2.0),  # left to right: (1/2)*x
    # unary minus and power
    ("-x**2", 3.0, -9.0),  # -(x**2)
    ("-x^2", -3.0, -9.0),
    ("-3^2", 0.0, -9.0),
    ("(-3)^2", 0.0, 9.0),
    ("2^3^2", 0.0, 512.0),  # right-associative
    ("2**3**2", 0.0, 512.0),
    ("(2^3)^2", 0.0, 64.0),
    ("2^-1", 0.0, 0.5),
    ("2^-x", 1.0, 0.5),
    ("x^-2", 2.0, 0.25),
    ("x**-1", 4.0, 0.25),
    ("2^x^2", 3.0, 512.0),  # 2^(x^2)
    ("- - x", 3.0, 3.0),
    ("+x", 3.0, 3.0),
    ("x - -1", 3.0, 4.0),
    ("2*-x", 3.0, -6.0),
    ("2^3*2", 0.0, 16.0),
    ("2*3^2", 0.0, 18.0),
    ("x/2/2", 8.0, 2.0),
    ("x - 1 - 1", 5.0, 3.0),
    ("x - (1 - x)", 5.0, 9.0),
    # constants and functions
    ("pi", 0.0, math.pi),
    ("e", 0.0, math.e),
    ("e^x", 1.0, math.e),
    ("ln(x)", math.e, 1.0),
    ("ln(e)", 0.0, 1.0),
    ("exp(ln(x))", 5.0, 5.0),
    ("cos(pi)", 0.0, -1.0),
    ("cos(pi x)", 1.0, -1.0),
    ("atan(1)", 0.0, math.pi / 4),
    ("arctan(x)", 1.0, math.pi / 4),
    ("tan(x)", math.pi / 4, 1.0),
    ("sinh(x)", 1.0, (math.e - 1 / math.e) / 2),
    ("cosh(x)", 1.0, (math.e + 1 / math.e) / 2),
    ("tanh(x)", 0.0, 0.0),
    ("abs(x)", -3.0, 3.0),
    ("sign(x)", -3.0, -1.0),
    ("sign(x)", 0.0, 0.0),
    ("sin(x)^2 + cos(x)^2", 0.7, 1.0),
    ("sqrt(x)", 16.0, 4.0),
    # numbers
    (".5x", 4.0, 2.0),
    ("7.x", 1.0, 7.0),
    ("2.5e2", 0.0, 250.0),
    ("1E2 + x", 1.0, 101.0),
    ("2e+1", 0.0, 20.0),
    # full-width and other typed characters
    ("（x－1）＾２", 4.0, 9.0),
    ("ｘ＋１", 2.0, 3.0),
    ("x\u3000+\u30001", 2.0, 3.0),  # ideographic space
    ("x²", 3.0, 9.0),
    ("x³", 2.0, 8.0),
    ("2x² − 3x", 2.0, 2.0),
    ("−x", 2.0, -2.0),
    ("x × 3", 2.0, 6.0),
    ("2·x", 2.0, 4.0),
    ("x ÷ 4", 2.0, 0.5),
    ("  x\t+\n1  ", 2.0, 3.0),
]
ACCEPTED_TEXTS = list(dict.fromkeys(text for text, _, _ in ACCEPTED))


@pytest.mark.parametrize(("text", "x", "expected"), ACCEPTED)
def test_accepted_expression_has_the_hand_computed_value(text: str, x: float, expected: float) -> None:
    fn = Function(text)
    tree = parse(text)
    assert fn.f(x) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert evaluate(tree, x) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert at(fn.f_vec, x) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("text", ACCEPTED_TEXTS)
def test_printed_text_reads_back_to_the_same_tree(text: str) -> None:
    tree = parse(text)
    printed = to_text(tree)
    assert "^" not in printed  # powers are printed as **
    assert parse(printed) == tree
    for x in (-1.3, 0.4, 2.7):
        assert outcome(compile_tree(parse(printed)), x) == outcome(compile_tree(tree), x)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("-x**2", Neg(BinOp("^", Var(), Num(2.0)))),
        ("-2^2", Neg(BinOp("^", Num(2.0), Num(2.0)))),
        ("2^3^2", BinOp("^", Num(2.0), BinOp("^", Num(3.0), Num(2.0)))),
        ("2^-1", BinOp("^", Num(2.0), Neg(Num(1.0)))),
        ("2x", BinOp("*", Num(2.0), Var())),
        ("-2x", BinOp("*", Neg(Num(2.0)), Var())),
        ("3(x+1)", BinOp("*", Num(3.0), BinOp("+", Var(), Num(1.0)))),
        ("x - 1 - 1", BinOp("-", BinOp("-", Var(), Num(1.0)), Num(1.0))),
        ("x/2*3", BinOp("*", BinOp("/", Var(), Num(2.0)), Num(3.0))),
        ("ln(x)", Call("log", Var())),
        ("arctan(x)", Call("atan", Var())),
        ("pi", Num(math.pi)),
        ("e", Num(math.e)),
        ("((x))", Var()),
        ("+x", Var()),
        ("- - x", Neg(Neg(Var()))),
    ],
)
def test_tree_shape(text: str, tree: Node) -> None:
    assert parse(text) == tree


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("x^2 - 4x", "x**2 - 4*x"),
        ("（x－1）＾２", "(x-1)^2"),
        ("ｘ²", "x^2"),
        ("x³ + 1", "x^3 + 1"),
        ("x − 1", "x - 1"),
        ("x × 2 ÷ 3", "x * 2 / 3"),
        ("2·x", "2*x"),
        ("ln(x)", "log(x)"),
        ("(x-3.5)^2 - 4.5x + 10", LECTURE_FUNCTION),
        ("x\u3000+\u30001", "x + 1"),
    ],
)
def test_spellings_give_the_same_tree(text: str, same_as: str) -> None:
    assert parse(text) == parse(same_as)


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        (LECTURE_FUNCTION, "(x - 3.5)**2 - 4.5*x + 10"),
        ("x^2 - 4x", "x**2 - 4*x"),
        ("2^-1", "2**-1"),  # no parentheses: they would nest one level deeper than the input
        ("x^-(x+1)", "x**-(x + 1)"),
        ("-x**2", "-x**2"),
        ("(-x)^2", "(-x)**2"),
        ("(x-1)(x+1)", "(x - 1)*(x + 1)"),
        ("x - (1 - x)", "x - (1 - x)"),
        ("x + (1 + x)", "x + (1 + x)"),  # kept: floats are not associative
        ("(x + 1) + x", "x + 1 + x"),
        ("(2^3)^2", "(2**3)**2"),
        ("2^(3^2)", "2**3**2"),
        ("x/(2x)", "x/(2*x)"),
        ("- - x", "- -x"),
        ("-(-x)", "- -x"),
        ("ln(x)", "log(x)"),
        ("2pi", "2*pi"),
        ("0.1x", "0.1*x"),
        ("2.0 x", "2*x"),
        ("1e-5 x", "1e-05*x"),
        ("1e20 + x", "1e+20 + x"),
        ("1e15 + x", "1e+15 + x"),  # not 1000000000000000
        ("999999x", "999999*x"),
        ("1234567x", "1234567*x"),
        ("5e6x", "5e+06*x"),
        ("9007199254740992", "9007199254740992"),  # shorter than 9.007199254740992e+15
        ("x² + x³", "x**2 + x**3"),
        ("x²³", "x**23"),
        ("x²^3", "x**2**3"),
    ],
)
def test_to_text_prints_exactly(text: str, printed: str) -> None:
    assert to_text(parse(text)) == printed
    assert Function(text).text == printed


def test_limits_at_their_boundaries_are_accepted() -> None:
    assert parse("x" + " " * (MAX_LENGTH - 1)) == Var()  # exactly MAX_LENGTH characters
    assert parse("(" * (MAX_DEPTH - 1) + "x" + ")" * (MAX_DEPTH - 1)) == Var()
    assert count_nodes(parse("-" * (MAX_DEPTH - 1) + "x")) == MAX_DEPTH
    assert tree_depth(parse("x^" * (MAX_DEPTH - 1) + "x")) == MAX_DEPTH
    assert tree_depth(parse("sin(" * (MAX_DEPTH - 1) + "x" + ")" * (MAX_DEPTH - 1))) == MAX_DEPTH
    text = "x+" * 99 + "-x"
    assert count_nodes(parse(text)) == MAX_NODES == 200
    assert Function(text).f(2.0) == 99 * 2.0 - 2.0


# =================================================================================================
# 2. refused inputs
# =================================================================================================

# (text, fragment of the message, column or None when the error has no column)
REFUSED = [
    # code
    ("__import__('os').system('ls')", "text in quotes is not allowed", 12),
    ("__import__", "unknown name '__import__'", 1),
    ("__builtins__", "unknown name '__builtins__'", 1),
    ("x.__class__", "attribute access is not allowed", 2),
    ("().__class__.__bases__", "attribute access is not allowed", 3),
    ("1..__class__", "attribute access is not allowed", 3),
    ("x.real", "attribute access is not allowed", 2),
    ("lambda: 1", "unexpected character ':'", 7),
    ("lambda x: x", "unexpected character ':'", 9),
    ("[x for x in ()]", "only round brackets", 1),
    ("{x}", "only round brackets", 1),
    ("open('f')", "text in quotes is not allowed", 6),
    ("eval('1')", "text in quotes is not allowed", 6),
    ("eval(x)", "unknown name 'eval'", 1),
    ("exec", "unknown name 'exec'", 1),
    ("globals()", "unknown name 'globals'", 1),
    ("getattr(x, 1)", "unknown name 'getattr'", 1),
    ("os.system", "attribute access is not allowed", 3),
    ('"x"', "text in quotes is not allowed", 1),
    ("'x'", "text in quotes is not allowed", 1),
    ("f'{x}'", "text in quotes is not allowed", 2),
    ('f"{x}"', "text in quotes is not allowed", 2),
    ("x if x else 1", "unknown name 'if'", 3),
    ("x; 1", "unexpected character ';'", 2),
    ("x = 1", "type only the formula", 3),
    ("x == 1", "type only the formula", 3),
    ("f(x) = x^2", "type only the formula", 6),
    ("x, 1", "unexpected ','", 2),
    ("x % 2", "unexpected character '%'", 3),
    ("x @ x", "unexpected character '@'", 3),
    ("~x", "unexpected character '~'", 1),
    ("x | 1", "unexpected character '|'", 3),
    ("`x`", "unexpected character '`'", 1),
    ("\\x", "unexpected character '\\\\'", 1),
    ("x # comment", "unexpected character '#'", 3),
    ("x//2", "unexpected '/'", 3),
    ("x***2", "unexpected '*'", 4),
    ("\x00", "U+0000", 1),
    ("x\x1b[2J", "U+001B", 2),
    ("x\u200b", "U+200B", 2),
    ("x\u202e", "U+202E", 2),
    # full-width forms are translated first, then refused like their ASCII twins
    ("＿＿import＿＿", "unknown name '__import__'", 1),
    ("ｘ．real", "attribute access is not allowed", 2),
    ("＇x＇", "text in quotes is not allowed", 1),
    # functions and names
    ("sin(x, 1)", "sin() takes one argument", 6),
    ("sin x", "sin needs parentheses, as in sin(x)", 1),
    ("exp", "exp needs parentheses", 1),
    ("foo(x)", "unknown name 'foo'", 1),
    ("x + foo", "unknown name 'foo'", 5),
    ("X", "the variable is lower-case x", 1),
    ("x2", "write x*2 or x^2", 1),
    ("0x10", "unknown name 'x10'", 2),
    ("y", "unknown name 'y'", 1),
    ("xe", "unknown name 'xe'", 1),
    # structure
    ("x +", "expression ends too early", 4),
    ("x^", "expression ends too early", 3),
    ("-", "expression ends too early", 2),
    ("(x", "'(' at column 1 is not closed at the end", 3),
    ("sin(x", "'(' at column 4 is not closed at the end", 6),
    ("(x + 1 2", "missing operator before '2'", 8),
    ("x)", "')' without a matching '('", 2),
    ("x 2", "missing operator before '2'", 3),
    ("(x)2", "missing operator before '2'", 4),
    ("1.2.3", "missing operator before '.3'", 4),
    # size limits
    ("x" * 10_000, "too long (10000 characters, at most 500)", None),
    ("(" * 1000 + "x" + ")" * 1000, "too long", None),
    ("-" * 1000 + "x", "too long", None),
    ("x+" * 300 + "x", "too long", None),
    ("x" + " " * MAX_LENGTH, "too long (501 characters, at most 500)", None),
    ("(" * 40 + "x" + ")" * 40, "nested too deeply (more than 32 levels)", 33),
    ("(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH, "nested too deeply", 33),
    ("-" * 100 + "x", "nested too deeply", 32),
    ("-" * MAX_DEPTH + "x", "nested too deeply", 32),
    ("x^" * MAX_DEPTH + "x", "nested too deeply", 2 * MAX_DEPTH),
    ("sin(" * 40 + "x" + ")" * 40, "nested too deeply", 4 * MAX_DEPTH + 1),
    ("x+" * 150 + "x", "too large (more than 200 parts)", 200),
    ("x+" * 100 + "x", "too large (more than 200 parts)", 200),
    # constants that are not real numbers
    ("9^9^9^9", "the constant 9**9**9**9 is too large to compute", None),
    ("10^400", "the constant 10**400 is too large to compute", None),
    ("exp(1000)", "too large to compute", None),
    ("x + 1e308*10", "the constant 1e+308*10 is too large to compute", None),
    ("1e999", "number 1e999 is too large", 1),
    ("x*1e999", "number 1e999 is too large", 3),
    ("sqrt(-1)", "the constant sqrt(-1) is not a real number", None),
    ("log(0)", "the constant log(0) is not a real number", None),
    ("ln(-1) + x", "the constant log(-1) is not a real number", None),
    ("1/0", "the constant 1/0 is not a real number", None),
    ("x + 1/(1 - 1)", "the constant 1/(1 - 1) is not a real number", None),
    ("0^-1", "not a real number", None),
    ("(-8)^(1/3)", "not a real number", None),
    # empty
    ("", "expression is empty", None),
    ("   ", "expression is empty", None),
    ("\t\n", "expression is empty", None),
    ("\u3000", "expression is empty", None),
]


def _short_id(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 30 else f"{text[:20]}...len{len(str(value))}"


@pytest.mark.parametrize(("text", "fragment", "column"), REFUSED, ids=[_short_id(r[0]) for r in REFUSED])
def test_refused_with_a_short_message_and_column(text: str, fragment: str, column: int | None) -> None:
    exc = refusal(text)
    assert_short_message(exc)
    assert fragment in message(exc)
    assert exc.column == column
    # Function refuses the same way, as f and as a given derivative
    with pytest.raises(ExpressionError) as as_function:
        Function(text)
    assert str(as_function.value) == str(exc)
    with pytest.raises(ExpressionError) as as_derivative:
        Function("x^2", derivative=text)
    assert str(as_derivative.value) == str(exc)


@pytest.mark.parametrize("value", [3, 3.5, None, b"x", ["x"], ("x",), {"x": 1}, Var()], ids=_short_id)
def test_non_text_is_refused(value: object) -> None:
    exc = refusal(value)
    assert_short_message(exc)
    assert message(exc) == f"expected text, got {type(value).__name__}"
    assert exc.column is None
    with pytest.raises(ExpressionError) as coerced:
        Function.coerce(value)  # type: ignore[arg-type]
    assert message(coerced.value) == message(exc)


def test_unknown_name_message_lists_what_is_allowed() -> None:
    exc = refusal("foo(x)")
    assert message(exc).startswith("unknown name 'foo'; allowed: x, pi, e, ")
    for name in FUNCTIONS:
        assert name in message(exc)


def test_unprintable_characters_are_not_echoed_raw() -> None:
    exc = refusal("x\x1b[2J")
    assert "\x1b" not in expression_error(exc, "en")


# =================================================================================================
# 3. nothing is executed
# =================================================================================================

HOSTILE = [
    "__import__('os').system('ls')",
    "__import__('os').system('touch /tmp/gdtutor-pwned')",
    "__import__",
    "x.__class__",
    "().__class__.__bases__",
    "().__class__.__bases__[0].__subclasses__()",
    "lambda: 1",
    "[x for x in ()]",
    "open('f')",
    "open('f', 'w').write('x')",
    "eval('1')",
    "exec('import os')",
    "exec",
    "os.system",
    "os.system('ls')",
    "subprocess.run('ls')",
    "compile('1', 'f', 'eval')",
    "breakpoint()",
    "globals()",
    "vars()",
    "getattr",
    "import os",
    "from os import system",
    '"x"',
    "'x'",
    "x if x else 1",
    "x; 1",
    "x = 1",
    "x == 1",
    "x, 1",
    'f\'{__import__("os").system("ls")}\'',
    "\x00",
    "x\x00",
    "＿＿import＿＿（＇os＇）",
    "(" * 1000 + "x" + ")" * 1000,
    "x" * 10_000,
]


def test_hostile_text_triggers_no_import_eval_exec_open_or_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real_import = builtins.__import__

    def spy_import(name: str, *args: object, **kwargs: object) -> object:
        calls.append(("__import__", name))
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    def trap(label: str) -> Callable[..., None]:
        def tripped(*args: object, **kwargs: object) -> None:
            calls.append((label, repr(args[:1])))
            raise AssertionError(f"{label} was called")

        return tripped

    outcomes = []
    for target, name in [
        (builtins, "eval"),
        (builtins, "exec"),
        (builtins, "compile"),
        (builtins, "open"),
        (builtins, "breakpoint"),
        (os, "system"),
        (os, "popen"),
        (subprocess, "Popen"),
        (subprocess, "run"),
    ]:
        monkeypatch.setattr(target, name, trap(name))
    monkeypatch.setattr(builtins, "__import__", spy_import)  # last, so that only the loop below is watched
    try:
        for text in HOSTILE:
            try:
                Function(text)
            except ExpressionError:
                outcomes.append("ExpressionError")
            except BaseException as exc:  # recorded and asserted on below
                outcomes.append(f"{type(exc).__name__}: {exc}")
            else:
                outcomes.append("accepted")
    finally:
        monkeypatch.undo()
    assert calls == []
    assert outcomes == ["ExpressionError"] * len(HOSTILE)


def test_code_that_would_write_a_file_does_not(tmp_path: Path) -> None:
    canary, target = tmp_path / "canary", tmp_path / "target"
    payloads = [
        "__import__('pathlib').Path({path!r}).write_text('pwned')",
        "open({path!r}, 'w').write('pwned')",
        "exec(\"open({path!r}, 'w').write('pwned')\")",
        "[open({path!r}, 'w').write('pwned') for x in [1]]",
    ]
    # each payload really writes the file when Python evaluates it, so the check below means something
    for payload in payloads:
        eval(payload.format(path=str(canary)))  # deliberately: proves the payload works (into tmp_path)
        assert canary.read_text() == "pwned"
        canary.unlink()
    for payload in payloads:
        text = payload.format(path=str(target))
        with pytest.raises(ExpressionError):
            Function(text)
        with pytest.raises(ExpressionError):
            Function("x", derivative=text)
        assert not target.exists()


def test_compiled_function_reaches_no_builtins() -> None:
    fn = compile_tree(parse("sin(x) + x^2 - exp(x)/3 + sqrt(abs(x))"))
    assert fn.__globals__["__builtins__"] == {}
    allowed = {"x", "_pow", *(f"_fn_{name}" for name in FUNCTIONS)}
    assert set(fn.__code__.co_names) <= allowed
    assert set(fn.__code__.co_varnames) == {"x"}
    # a forged tree naming something outside the table cannot reach it either
    forged = compile_tree(Call("__import__", Num(1.0)))
    with pytest.raises(NameError):
        forged(0.0)


DERIVABLE = [
    LECTURE_FUNCTION,
    "x^2 - 4x",
    "exp(x) - 2*x",
    "sin(x) + 0.1*x**2",
    "log(x**2 + 1)",
    "sqrt(x**2 + 1)",
    "-x**2",
    "3(x+1)^2",
    "（x－1）＾２",
    "x² − 3x",
    "2^-x",
    "e^x",
    "ln(x)",
    "1/x",
    "x^0.5",
    "sqrt(x)",
    "x^x",
    "x^(5/2)",
    "tan(x)",
    "atan(x)",
    "arctan(x)",
    "sinh(x)",
    "cosh(x)",
    "tanh(x)",
    "abs(x)",
    "abs(x)^3",
    "cos(pi x)",
    "x/(x^2+1)",
    "exp(-x^2/2)",
    "x sin(x)",
    "5",
]


def test_sympy_never_parses_text_while_deriving(monkeypatch: pytest.MonkeyPatch) -> None:
    import sympy
    import sympy.parsing.sympy_parser as sympy_parser

    # the module, not the function of the same name that sympy.core exports
    sympify_module = importlib.import_module("sympy.core.sympify")

    def refuse_text(*args: object, **kwargs: object) -> None:
        raise AssertionError("sympy was asked to parse text")

    original_sympify = sympify_module.sympify

    def sympify_without_text(a: object, *args: object, **kwargs: object) -> object:
        if isinstance(a, str):
            raise AssertionError("sympify was given text")
        return original_sympify(a, *args, **kwargs)

    monkeypatch.setattr(sympy_parser, "parse_expr", refuse_text)
    monkeypatch.setattr(sympy_parser, "eval_expr", refuse_text)
    # the tripwire is live: sympify on text goes through parse_expr and now fails
    with pytest.raises(AssertionError, match="asked to parse text"):
        original_sympify("x + 1")
    monkeypatch.setattr(sympy, "sympify", sympify_without_text)
    monkeypatch.setattr(sympify_module, "sympify", sympify_without_text)
    monkeypatch.setattr(sympy, "parse_expr", refuse_text, raising=False)

    texts = []
    for text in dict.fromkeys([*DERIVABLE, *ACCEPTED_TEXTS]):
        if "sign" in text:
            continue  # its derivative is refused, checked below
        fn = Function(text)
        texts.append(fn.derivative_text)
        assert fn.g(0.7) == pytest.approx(central_difference(fn.f, 0.7), rel=1e-6, abs=1e-6)
    with pytest.raises(ExpressionError) as refused:
        _ = Function("sign(x)").derivative_text
    assert "cannot compute" in message(refused.value)
    assert texts[0] == "2*x - 11.5"


# =================================================================================================
# 4. property-based tests
# =================================================================================================

NEAR_VALID = "x0123456789.+-*/^() eEsincoqrtlgpa"
TYPED_EXTRAS = "²³¹⁰⁻−×÷·（）＾ｘ　'\".[]=,_X٣"


def _check_refusal_or_tree(text: str) -> Node | None:
    try:
        tree = parse(text)
    except ExpressionError as exc:
        assert type(exc) is ExpressionError
        assert message(exc) and "\n" not in expression_error(exc, "en")
        assert len(expression_error(exc, "en")) < 200, exc  # quoted input is cut short
        if exc.column is not None:
            assert 1 <= exc.column <= len(text) + 1  # columns of the text as typed
        return None
    assert isinstance(tree, Num | Var | Neg | BinOp | Call)
    assert count_nodes(tree) <= MAX_NODES
    return tree


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_text_is_a_tree_or_an_expression_error(text: str) -> None:
    _check_refusal_or_tree(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.large_base_example, HealthCheck.too_slow])
@given(st.text(min_size=400, max_size=600))
def test_long_text_is_refused_quickly(text: str) -> None:
    if len(text) > MAX_LENGTH:
        exc = refusal(text)
        assert message(exc) == f"expression too long ({len(text)} characters, at most {MAX_LENGTH})"
    else:
        _check_refusal_or_tree(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=NEAR_VALID, max_size=60) | st.text(alphabet=NEAR_VALID + TYPED_EXTRAS, max_size=60))
def test_near_valid_text_is_a_tree_or_an_expression_error(text: str) -> None:
    tree = _check_refusal_or_tree(text)
    if tree is None:
        return
    # the compiled function and the tree walker agree everywhere
    fast = compile_tree(tree)
    for x in (-1.5, 0.0, 0.5, 2.0):
        a, b = outcome(fast, x), outcome(lambda v: evaluate(tree, v), x)
        assert a[0] == b[0]
        if a[1] is not None and b[1] is not None:
            assert same_number(a[1], b[1])
    # printing reads back to the same tree, readable or compact; compact text is never longer than the input
    assert parse(to_text(tree)) == tree
    compact = to_text(tree, compact=True)
    assert parse(compact) == tree
    assert len(compact) <= len(text), (text, compact)


# a grammar of well-formed text, written in the many ways learners type it
_numbers = st.one_of(
    st.sampled_from(["0", "1", "2", "3.5", "4.5", "10", "0.1", ".5", "7.", "1e-3", "2.5E2", "1e15"]),
    st.integers(0, 10**6).map(str),
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False).map(repr),
)
_atoms = st.one_of(st.sampled_from(["x", "x", "x", "pi", "e", "ｘ"]), _numbers)
_space = st.sampled_from(["", " ", "  "])
_function_names = st.sampled_from([*sorted(FUNCTIONS), "ln", "arctan"])


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def maybe_paren(s: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(s, st.booleans()).map(lambda t: f"({t[0]})" if t[1] else t[0])

    binary = st.tuples(
        maybe_paren(inner),
        _space,
        st.sampled_from(["+", "-", "*", "/", "^", "**", "−", "×", "÷"]),
        _space,
        maybe_paren(inner),
    ).map("".join)
    return st.one_of(
        binary,
        st.tuples(st.sampled_from(["-", "+", "−"]), maybe_paren(inner)).map("".join),
        st.tuples(_function_names, inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]})({t[1]})"),  # (a)(b)
        st.tuples(_numbers, st.sampled_from(["x", "pi", "(x + 1)", "e", "x²", "ln(x)"])).map("".join),  # 2x, 3pi
        st.tuples(inner, _space, _function_names, inner).map(lambda t: f"({t[0]}){t[1]}{t[2]}({t[3]})"),  # x sin(x)
        inner.map(lambda s: f"({s})²"),
        st.tuples(inner, st.sampled_from(["²", "³", "²³", "¹⁰", "⁰", "²^", "² ^ "]), _atoms).map(
            lambda t: f"({t[0]}){t[1]}" + (t[2] if t[1].endswith(" ") or t[1].endswith("^") else "")
        ),
    )


WELL_FORMED = st.recursive(_atoms, _extend, max_leaves=10)
_LIMIT_REFUSALS = (
    "the constant ",
    "expression nested too deeply",
    "expression too large (more than",
    "expression too long",
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(WELL_FORMED)
def test_well_formed_text_round_trips_exactly(text: str) -> None:
    try:
        tree = parse(text)
    except ExpressionError as exc:
        # a well-formed text may still be refused, but only for a value or size limit
        assert message(exc).startswith(_LIMIT_REFUSALS), (text, message(exc))
        assume(False)
        return
    assume(tree_depth(tree) <= 10)  # then printing cannot push the nesting past MAX_DEPTH
    printed = to_text(tree)
    assert parse(printed) == tree
    assert to_text(parse(printed)) == printed  # printing is a fixed point
    compact = to_text(tree, compact=True)
    assert parse(compact) == tree
    assert len(compact) <= len(text), (text, compact)  # the shortest spelling
    for x in (-2.5, 0.3, 1.7):
        assert outcome(compile_tree(parse(printed)), x) == outcome(compile_tree(tree), x)


_tree_numbers = st.one_of(
    st.floats(min_value=0, max_value=1e300, allow_nan=False, allow_infinity=False),
    st.sampled_from([math.pi, math.e, 0.5, 3.5, 1e16, 1e-7, 2.0**53 + 2]),
)
TREES = st.recursive(
    st.one_of(_tree_numbers.map(Num), st.just(Var())),
    lambda inner: st.one_of(
        inner.map(Neg),
        st.builds(BinOp, st.sampled_from(["+", "-", "*", "/", "^"]), inner, inner),
        st.builds(Call, st.sampled_from(sorted(FUNCTIONS)), inner),
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(TREES)
def test_any_tree_prints_to_text_that_reads_back_to_it(tree: Node) -> None:
    assume(tree_depth(tree) <= 10)
    printed = to_text(tree)
    try:
        reread = parse(printed)
    except ExpressionError as exc:
        # only a constant that cannot be computed (1/0, 1e300^2) may be refused
        assert message(exc).startswith("the constant"), (printed, message(exc))
        return
    assert reread == tree
    assert parse(to_text(tree, compact=True)) == tree


@settings(max_examples=500, deadline=None)
@given(st.floats(min_value=0, allow_nan=False, allow_infinity=False) | st.integers(0, 10**20).map(float))
def test_number_texts_read_back_and_compact_is_shortest(value: float) -> None:
    readable, compact = to_text(Num(value)), to_text(Num(value), compact=True)
    assert parse(readable) == Num(value)
    assert parse(compact) == Num(value)
    assert len(compact) <= min(len(readable), len(repr(value)))
    if value.is_integer() and value < 1e6:
        assert readable == str(int(value)) or readable in ("pi", "e")


_coefficients = st.one_of(st.integers(-20, 20).map(float), st.integers(-200, 200).map(lambda n: n / 10))


def _polynomial_text(coefficients: list[float], style: int) -> str:
    terms = []
    for k, c in enumerate(coefficients):
        if c == 0:
            continue
        number = format(abs(c), "g")
        power = "" if k == 0 else ("x" if k == 1 else [f"x^{k}", f"x**{k}", f"*x^{k}", f"(x)^{k}"][style])
        if k >= 2 and style == 2:
            term = f"{number}{power}"
        elif k >= 1 and style in (1, 3):
            term = f"{number}*{power}"
        else:
            term = f"{number}{power}"  # 4.5x, 3x^2: implicit products
        terms.append(("-" if c < 0 else "+", term))
    if not terms:
        return "0"
    sign, first = terms[0]
    text = ("-" if sign == "-" else "") + first
    for sign, term in terms[1:]:
        text += f" {sign} {term}"
    return text


@settings(max_examples=100, deadline=None)
@given(
    st.lists(_coefficients, min_size=1, max_size=6),
    st.integers(0, 3),
    st.floats(min_value=-3, max_value=3, allow_nan=False),
)
def test_polynomial_derivative_matches_the_finite_difference(coefficients: list[float], style: int, x: float) -> None:
    text = _polynomial_text(coefficients, style)
    fn = Function(text)
    f_exact = sum(c * x**k for k, c in enumerate(coefficients))
    g_exact = sum(k * c * x ** (k - 1) for k, c in enumerate(coefficients) if k >= 1)
    scale = sum(abs(c) * abs(x) ** k for k, c in enumerate(coefficients)) + 1
    g_scale = sum(k * abs(c) * abs(x) ** (k - 1) for k, c in enumerate(coefficients) if k >= 1) + 1
    assert fn.f(x) == pytest.approx(f_exact, abs=1e-12 * scale)
    assert fn.g(x) == pytest.approx(g_exact, abs=1e-9 * g_scale)
    assert fn.g(x) == pytest.approx(central_difference(fn.f, x, h=1e-5), abs=1e-6 * scale)
    assert at(fn.g_vec, x) == pytest.approx(fn.g(x), rel=1e-12, abs=1e-12)


# =================================================================================================
# 5. derivatives
# =================================================================================================

# (text, points inside the domain where f is smooth)
DERIVATIVE_POINTS = [
    (LECTURE_FUNCTION, (0.0, 5.75, -2.0)),
    ("x^2 - 4x", (0.0, 2.0, -3.5)),
    ("exp(x) - 2*x", (0.0, math.log(2), 1.5)),
    ("sin(x) + 0.1*x**2", (0.0, 1.0, -2.5)),
    ("log(x**2 + 1)", (0.0, 1.0, -3.0)),
    ("sqrt(x**2 + 1)", (0.0, 1.0, -3.0)),
    ("-x**2", (1.0, -2.0)),
    ("2^3^x", (0.2, 0.9)),
    ("2^-x", (0.0, 1.5)),
    ("e^x", (0.0, 1.0)),
    ("ln(x)", (0.5, 3.0)),
    ("1/x", (0.5, -2.0)),
    ("x^0.5", (0.5, 4.0)),
    ("x^x", (0.5, 2.0)),
    ("x^(5/2)", (0.5, 2.0)),
    ("tan(x)", (0.3, -1.0)),
    ("atan(x)", (0.0, 2.0)),
    ("sinh(x) + cosh(x)", (0.0, 1.0)),
    ("tanh(x)", (0.0, 0.8)),
    ("abs(x)", (-2.0, 3.0)),
    ("abs(x)^3", (-2.0, 1.5)),
    ("x/(x^2+1)", (0.0, 1.3)),
    ("exp(-x^2/2)", (0.0, 1.0, -1.7)),
    ("x sin(x)", (0.0, 2.0)),
    ("（x－1）＾２ + x³", (0.0, 2.0)),
    ("3(x+1)^2 - 4.5x", (-1.0, 0.5)),
    ("cos(pi x)", (0.25, 1.1)),
    ("7", (0.0, 2.0)),
]


@pytest.mark.parametrize(("text", "points"), DERIVATIVE_POINTS, ids=[t for t, _ in DERIVATIVE_POINTS])
def test_derivative_matches_the_finite_difference(text: str, points: tuple[float, ...]) -> None:
    fn = Function(text)
    assert not fn.derivative_given
    for x in points:
        expected = central_difference(fn.f, x)
        assert fn.g(x) == pytest.approx(expected, rel=1e-6, abs=1e-7), (fn.derivative_text, x)
        assert at(fn.g_vec, x) == pytest.approx(fn.g(x), rel=1e-12, abs=1e-15)
    # the printed derivative is a formula the parser reads back to the same g
    assert parse(fn.derivative_text) == fn.derivative_tree


@pytest.mark.parametrize(
    ("text", "derivative"),
    [
        (LECTURE_FUNCTION, "2*x - 11.5"),
        ("x^2 - 4x", "2*x - 4"),
        ("exp(x) - 2*x", "exp(x) - 2"),
        ("sinh(x)", "cosh(x)"),
        ("ln(x)", "1/x"),
        ("abs(x)", "sign(x)"),
        ("5", "0"),
    ],
)
def test_simple_derivative_texts(text: str, derivative: str) -> None:
    assert Function(text).derivative_text == derivative


def test_lecture_function_uses_the_lecture_derivative() -> None:
    fn = Function.lecture()
    assert fn.text == LECTURE_FUNCTION == "(x - 3.5)**2 - 4.5*x + 10"
    assert fn.derivative_text == LECTURE_DERIVATIVE == "2*(x - 3.5) - 4.5"
    assert fn.derivative_given
    assert fn.g(0.0) == 2 * (0 - 3.5) - 4.5
    assert fn.g(5.75) == 0.0


@pytest.mark.parametrize("text", ["(x-3.5)^2 - 4.5x + 10", LECTURE_FUNCTION, "（x－3.5）＾２ − 4.5x + 10"])
def test_coerce_gives_the_lecture_text_the_lecture_derivative(text: str) -> None:
    fn = Function.coerce(text)
    assert fn.derivative_given
    assert fn.derivative_text == Function.lecture().derivative_text == "2*(x - 3.5) - 4.5"
    assert fn.derivative_tree == parse(LECTURE_DERIVATIVE)


def test_coerce_derives_other_functions_and_keeps_given_ones() -> None:
    other = Function.coerce("(x-3.5)^2 - 4.5x + 11")
    assert not other.derivative_given
    assert other.derivative_text == "2*x - 11.5"
    given_derivative = Function.coerce(LECTURE_FUNCTION, "2x - 11.5")
    assert given_derivative.derivative_text == "2*x - 11.5"
    fn = Function("x^2")
    assert Function.coerce(fn) is fn


def test_derivative_sympy_gives_but_engine_cannot_compute_is_refused() -> None:
    fn = Function("sign(x)")  # accepted as f ...
    assert fn.f(-2.0) == -1.0
    with pytest.raises(ExpressionError) as info:
        _ = fn.derivative_text  # ... but d/dx sign(x) = 2*DiracDelta(x)
    assert "DiracDelta" in message(info.value)
    assert "cannot compute" in message(info.value)
    with pytest.raises(ExpressionError):
        _ = Function("x + sign(x - 1)").g
    # a derivative given by hand avoids sympy altogether
    assert Function("sign(x)", derivative="0").g(3.0) == 0.0


def test_derivative_is_lazy() -> None:
    fn = Function("x^3")
    assert fn._derivative_tree is None  # parsing f alone does not derive
    assert fn.f(2.0) == 8.0
    assert fn._derivative_tree is None
    assert fn.g(2.0) == pytest.approx(12.0)
    assert fn._derivative_tree is not None


# =================================================================================================
# 6. vector evaluation: inf and nan where Python floats raise
# =================================================================================================

# (text, x, exception of the scalar function, value of the vector function)
DOMAIN_CASES = [
    ("log(x)", -1.0, ValueError, math.nan),
    ("log(x)", 0.0, ValueError, -math.inf),
    ("ln(x)", -1.0, ValueError, math.nan),
    ("sqrt(x)", -1.0, ValueError, math.nan),
    ("x^0.5", -1.0, ValueError, math.nan),
    ("x^-1", 0.0, ValueError, math.inf),
    ("exp(x)", 1000.0, OverflowError, math.inf),
    ("cosh(x)", 1000.0, OverflowError, math.inf),
    ("sinh(x)", -1000.0, OverflowError, -math.inf),
    ("x^x", 1000.0, OverflowError, math.inf),
    ("1/x", 0.0, ZeroDivisionError, math.inf),
    ("-1/x", 0.0, ZeroDivisionError, -math.inf),
]


@pytest.mark.parametrize(("text", "x", "error", "vector_value"), DOMAIN_CASES)
def test_vector_gives_inf_or_nan_where_scalar_raises(
    text: str, x: float, error: type[Exception], vector_value: float
) -> None:
    tree = parse(text)
    with pytest.raises(error) as info:
        compile_tree(tree)(x)
    assert type(info.value) is error  # a math error, not an ExpressionError
    with pytest.raises(error):
        Function(text).f(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        values = compile_tree(tree, vector=True)(np.array([x, 2.0]))
        values_f = Function(text).f_vec(np.array([x, 2.0]))
    assert isinstance(values, np.ndarray) and values.shape == (2,)
    assert same_number(float(values[0]), vector_value)
    assert same_number(float(values_f[0]), vector_value)
    # the other element is unaffected
    assert float(values[1]) == pytest.approx(compile_tree(tree)(2.0), rel=1e-12)


def test_vector_derivative_gives_inf_where_scalar_raises() -> None:
    fn = Function("log(x)")  # g = 1/x
    with pytest.raises(ZeroDivisionError):
        fn.g(0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert fn.g_vec(np.array([0.0]))[0] == math.inf


def test_vector_matches_scalar_on_a_grid() -> None:
    grid = np.linspace(-3, 3, 61)
    for text in ACCEPTED_TEXTS:
        fn = Function(text)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            vector = np.broadcast_to(fn.f_vec(grid), grid.shape)
        for x, v in zip(grid, vector, strict=True):
            kind, value = outcome(fn.f, float(x))
            if kind == "ok":
                assert float(v) == pytest.approx(value, rel=1e-12, abs=1e-12), (text, x)
            elif text != "exp(ln(x))":  # exp(log(0)) = exp(-inf) = 0 with numpy
                assert not math.isfinite(float(v)), (text, x)


# =================================================================================================
# 7. formerly known bugs (once strict xfail) and compact printing
# =================================================================================================


@pytest.mark.parametrize(
    "text",
    [
        "-" * 20 + "x",  # once printed as -(-(-(...))) : nested too deeply
        "x^-" * 14 + "x",  # once printed as x**(-x**(-...)) : nested too deeply
        "1e15+" * 40 + "x",  # 201 characters, once printed as 761 : too long
        "-" * (MAX_DEPTH - 1) + "x",
        "x^-" * ((MAX_DEPTH - 1) // 2) + "x",
        "-" * (MAX_DEPTH - 2) + "x²",
        "1.2345+" * 71 + "x",  # 498 characters; with spaces around + it would be 638
        "1.23456789x+" * 41 + "x",  # 493 characters of implicit products
        "1.23456789x²+" * 33 + "x",  # superscripts
        "12.3456789sin(x)+" * 29 + "x",
        "ln(x)+" * 66 + "x",  # printed compact with ln, not log
        "2e +" * 49 + "x",  # 2*e + ...: '2e+2' would be the number 20
        "2e + 1 + " * 33 + "x",  # printed compact as '2e +1', since '2e+1' is the number 20
        "(x+1)(x-1)+" * 24 + "x",
        "0.5x^-1+" * 28 + "x",
    ],
    ids=[
        "double-minus",
        "power-of-minus",
        "long-numbers",
        "deepest-minus",
        "deepest-power-of-minus",
        "deepest-superscript",
        "long-sum",
        "long-implicit-products",
        "long-superscripts",
        "long-calls",
        "ln",
        "constant-e",
        "constant-e-spaced",
        "parentheses",
        "halves",
    ],
)
def test_printed_text_of_accepted_input_is_accepted(text: str) -> None:
    assert len(text) <= MAX_LENGTH
    tree = parse(text)
    printed = to_text(tree)
    assert len(printed) <= MAX_LENGTH
    assert parse(printed) == tree
    compact = to_text(tree, compact=True)
    assert parse(compact) == tree
    assert len(compact) <= len(text)


@pytest.mark.parametrize(
    ("text", "compact"),
    [
        (LECTURE_FUNCTION, "(x-3.5)²-4.5x+10"),
        ("x^2 - 4*x", "x²-4x"),
        ("x^10 + x^-1", "x¹⁰+x^-1"),
        ("x^23", "x²³"),
        ("(x^2)^3", "(x²)³"),
        ("x^(2^x)", "x²^x"),
        ("x^2.5", "x^2.5"),
        ("- - x", "--x"),
        ("2*e + 1", "2e +1"),  # '2e+1' would be the number 20
        ("2*e - x", "2e-x"),
        ("2*e*x", "2e*x"),  # '2ex' would be the name 'ex'
        ("x * sin(x)", "x*sin(x)"),
        ("(x + 1) * x", "(x+1)x"),
        ("x * (x + 1)", "x(x+1)"),
        ("2 * pi * x", "2pi*x"),
        ("x * 2", "x*2"),
        ("2 * -x", "2*-x"),
        ("log(x) + arctan(x)", "ln(x)+atan(x)"),
        ("0.5x + 0.00000015", ".5x+15e-8"),
        ("1000 + 1e15 + 250", "1e3+1e15+250"),
        ("3.141592653589793", "pi"),
    ],
)
def test_compact_text(text: str, compact: str) -> None:
    assert to_text(parse(text), compact=True) == compact
    assert parse(compact) == parse(text)


# (accepted long text, whose readable text would be longer than MAX_LENGTH)
_LONG_TERMS = st.sampled_from(
    ["1.2345", "1.23456789x", "x²", "x^-2", "2e ", "ln(x)", "(x+1)(x-1)", "0.5x", "3x³", "1e15", "-x", "sin(2x)"]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_LONG_TERMS, min_size=30, max_size=120), st.sampled_from(["+", "-", "*", " + "]))
def test_long_text_prints_to_text_that_is_accepted(terms: list[str], op: str) -> None:
    text = op.join(terms)
    assume(len(text) <= MAX_LENGTH)
    try:
        tree = parse(text)
    except ExpressionError as exc:
        assert message(exc).startswith(_LIMIT_REFUSALS), (text, message(exc))
        assume(False)
        return
    printed = to_text(tree)
    assert len(printed) <= MAX_LENGTH
    assert parse(printed) == tree


@pytest.mark.parametrize(("text", "column"), [("x² + foo", 6), ("x²³)", 4), ("x³+1 2", 6), ("（x）² ＋ y", 8)])
def test_column_after_superscript(text: str, column: int) -> None:
    assert refusal(text).column == column


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("x²³", "x^23"),  # a run of superscript digits is one exponent, as in print
        ("x¹⁰", "x^10"),
        ("x⁰ + x¹ + x⁴⁵⁶⁷⁸⁹", "x^0 + x^1 + x^456789"),
        ("2x²", "2*x^2"),
        ("-x²", "-(x^2)"),
        ("x²^3", "x^(2^3)"),  # ² stands for ^2, so x²^3 = x^2^3, which is right-associative
        ("x^2³", "x^(2^3)"),
        ("x²e+1", "x^2*e + 1"),  # not x^(2e+1), as when ² was replaced by ^2 before reading
        ("x²(x+1)", "x^2*(x+1)"),
        ("x²x", "x^2*x"),
        ("(x+1)²", "(x+1)^2"),
        ("sin(x)²", "sin(x)^2"),
    ],
)
def test_superscripts(text: str, same_as: str) -> None:
    assert parse(text) == parse(same_as)


@pytest.mark.parametrize(
    ("text", "fragment", "column"),
    [
        # a plain digit right after a superscript is refused, not read as x^22 or x²*2
        ("x²2", "missing operator before '2': write ^22 for one exponent, or ²*2", 3),
        ("x²³4 + 1", "write ^234 for one exponent, or ²³*4", 4),
        ("x².5", "missing operator before '.5'", 3),
        ("x² ³", "exponent '³' follows another exponent", 4),
        ("²", "exponent '²' must follow a number, x or ')'", 1),
        ("x + ²", "exponent '²' must follow", 5),
        ("x^²", "exponent '²' must follow", 3),
        ("x⁻¹", "write a negative power with ^, as in x^-1", 2),
    ],
)
def test_superscript_refusals(text: str, fragment: str, column: int) -> None:
    exc = refusal(text)
    assert_short_message(exc)
    assert fragment in message(exc)
    assert exc.column == column


@pytest.mark.parametrize(
    ("text", "words", "column"),
    [
        ("sin()", "sin() needs an argument, as in sin(x)", 4),
        ("ln()", "ln() needs an argument, as in ln(x)", 3),
        ("()", "empty parentheses ()", 1),
        ("3()", "empty parentheses ()", 2),
        ("x + (())", "empty parentheses ()", 6),
        ("(x +)", "missing a number or x before ')'", 5),
        ("sin(2*)", "missing a number or x before ')'", 7),
        ("(x)(-)", "missing a number or x before ')'", 6),
        # a ')' with no '(' open is still reported as such
        ("x)", "')' without a matching '('", 2),
        ("x + )", "')' without a matching '('", 5),
        ("(x) + )", "')' without a matching '('", 7),
    ],
)
def test_empty_parentheses_message(text: str, words: str, column: int) -> None:
    exc = refusal(text)
    assert_short_message(exc)
    assert message(exc) == words
    assert exc.column == column


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("x" + "a" * 300, "unknown name 'xaaaaaaaaaaaaaaaaaaa...'"),
        ("x " + "1" * 300, "missing operator before '11111111111111111111...'"),
        ("9" * 400, "number 99999999999999999999... is too large"),
        ("1e15*" * 20 + "1e308*10", "the constant 1e+15*1e+15*1e+15*1e... is too large to compute"),
        ("x" + "1" * 300, "(write x*11111111111111111111... or x^11111111111111111111...)"),
        ("x²" + "2" * 300, "write ^22222222222222222222... for one exponent"),
        ("x" + "³" * 400, "exponent '³³³³³³³³³³³³³³³³³³³³...' is too large"),
        ("(x" + "," * 300, "'(' at column 1 is not closed before ','"),
    ],
    ids=["name", "number", "huge-number", "constant", "name-with-digits", "after-superscript", "exponent", "comma"],
)
def test_messages_stay_short_for_long_input(text: str, fragment: str) -> None:
    exc = refusal(text)
    assert_short_message(exc)
    assert len(expression_error(exc, "en")) < 200
    assert fragment in message(exc)


@pytest.mark.parametrize(
    ("text", "shown", "column"),
    [
        ("٣", "'٣' (U+0663)", 1),  # Arabic-Indic digit three
        ("x + ٣", "'٣' (U+0663)", 5),
        ("1٣", "'٣' (U+0663)", 2),
        ("३x", "'३' (U+0969)", 1),  # Devanagari digit three
        ("2x + ۴", "'۴' (U+06F4)", 6),  # extended Arabic-Indic digit four
        ("\U0001d7d1x", "'\U0001d7d1' (U+1D7D1)", 1),  # mathematical bold digit three
        ("x^①", "'①' (U+2460)", 3),
        ("½x", "'½' (U+00BD)", 1),
    ],
)
def test_only_ascii_digits_are_digits(text: str, shown: str, column: int) -> None:
    exc = refusal(text)
    assert_short_message(exc)
    assert message(exc) == f"unexpected digit {shown}: use the digits 0-9"
    assert exc.column == column
    with pytest.raises(ExpressionError) as as_function:
        Function(text)
    assert message(as_function.value) == message(exc)


def test_full_width_digits_are_read_as_ascii_digits() -> None:
    assert parse("１２x") == parse("12x")  # translated, like the other full-width forms
    assert parse("x^３") == parse("x^3")
