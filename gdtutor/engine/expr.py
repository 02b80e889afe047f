"""Safe expressions in one variable ``x``.

Learners and lesson authors type functions such as ``(x - 3.5)**2 - 4.5*x + 10`` or ``x^2 - 4x``.
The text is read by the small parser below, never by Python's parser: only numbers, ``x``, arithmetic,
parentheses and the functions and constants in ``FUNCTIONS`` and ``CONSTANTS`` are accepted. Anything
else is refused with an :class:`ExpressionError` that says what is wrong and at which column.

To evaluate a checked tree quickly, :func:`compile_tree` builds a Python ``ast`` object node by node
from the tree (only arithmetic, the name ``x``, float constants and calls of a fixed table of math
functions) and compiles that object. No text typed by anyone reaches ``compile``; this gives the speed
of a hand-written lambda, which the engine needs to keep up with the lecture's loop.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_LENGTH = 500
"""Longest expression accepted, in characters."""
MAX_DEPTH = 32
"""Deepest nesting of operators and parentheses accepted."""
MAX_NODES = 200
"""Most numbers, names and operators in one expression."""


class ExpressionError(ValueError):
    """An expression was refused; ``column`` (1-based) points at the problem when known."""

    def __init__(self, message: str, column: int | None = None) -> None:
        self.message = message
        self.column = column
        super().__init__(f"column {column}: {message}" if column else message)


# --- the tree ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Var:
    pass


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class BinOp:
    op: str  # one of + - * / ^
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    name: str  # a key of FUNCTIONS
    arg: Node


Node = Num | Var | Neg | BinOp | Call


def _sign(v: float) -> float:
    return float((v > 0) - (v < 0)) if v == v else v


# name -> (scalar function on Python floats, numpy ufunc). Scalar functions raise on domain and
# overflow errors; the engine then recomputes that update with numpy, which gives inf or nan.
FUNCTIONS: dict[str, tuple[Callable[[float], float], Any]] = {
    "sin": (math.sin, np.sin),
    "cos": (math.cos, np.cos),
    "tan": (math.tan, np.tan),
    "atan": (math.atan, np.arctan),
    "sinh": (math.sinh, np.sinh),
    "cosh": (math.cosh, np.cosh),
    "tanh": (math.tanh, np.tanh),
    "exp": (math.exp, np.exp),
    "log": (math.log, np.log),
    "sqrt": (math.sqrt, np.sqrt),
    "abs": (abs, np.abs),
    "sign": (_sign, np.sign),
}
ALIASES = {"ln": "log", "arctan": "atan"}
CONSTANTS = {"pi": math.pi, "e": math.e}

_TRANSLATE = str.maketrans(
    {
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)},  # full-width ASCII forms
        "\u3000": " ",
        "\u2212": "-",  # minus sign
        "\u00d7": "*",
        "\u00b7": "*",
        "\u00f7": "/",
        "\u00b2": "^2",
        "\u00b3": "^3",
    }
)

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>\*\*|[-+*/^(),])
    """,
    re.VERBOSE,
)


_CHAR_HINTS = {
    "'": ": text in quotes is not allowed",
    '"': ": text in quotes is not allowed",
    ".": ": attribute access is not allowed",
    "[": ": only round brackets ( ) are allowed",
    "{": ": only round brackets ( ) are allowed",
    "=": ": type only the formula, as in x^2 - 4x",
}


@dataclass(frozen=True)
class _Token:
    kind: str  # number, name, op, end
    text: str
    column: int


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            ch = text[pos]
            shown = repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"
            raise ExpressionError(f"unexpected character {shown}{_CHAR_HINTS.get(ch, '')}", pos + 1)
        kind = m.lastgroup or ""
        if kind != "space":
            tokens.append(_Token(kind, m.group(), pos + 1))
        pos = m.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    """Recursive descent with precedence: + - below * / and implicit products, below unary -, below ^."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.nodes = 0

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def node(self, n: Node, column: int) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError(f"expression too large (more than {MAX_NODES} parts)", column)
        return n

    def enter(self, column: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested too deeply (more than {MAX_DEPTH} levels)", column)

    def parse(self) -> Node:
        tree = self.sum()
        if self.tok.kind != "end":
            tok = self.tok
            if tok.text == ")":
                raise ExpressionError("')' without a matching '('", tok.column)
            raise ExpressionError(f"unexpected {tok.text!r}", tok.column)
        return tree

    def sum(self) -> Node:
        self.enter(self.tok.column)
        left = self.product()
        while self.tok.text in ("+", "-"):
            op = self.take()
            left = self.node(BinOp(op.text, left, self.product()), op.column)
        self.depth -= 1
        return left

    def product(self) -> Node:
        left = self.unary()
        while True:
            tok = self.tok
            if tok.text in ("*", "/"):
                self.take()
                left = self.node(BinOp(tok.text, left, self.unary()), tok.column)
            elif tok.kind == "name" or tok.text == "(":
                # implicit product as learners write it: 2x, 3(x + 1), x sin(x), (x - 1)(x + 1)
                left = self.node(BinOp("*", left, self.unary()), tok.column)
            elif tok.kind == "number":
                raise ExpressionError(f"missing operator before {tok.text!r}", tok.column)
            else:
                return left

    def unary(self) -> Node:
        tok = self.tok
        if tok.text in ("-", "+"):
            self.take()
            self.enter(tok.column)
            operand = self.unary()
            self.depth -= 1
            return self.node(Neg(operand), tok.column) if tok.text == "-" else operand
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        tok = self.tok
        if tok.text in ("**", "^"):
            self.take()
            self.enter(tok.column)
            exponent = self.unary()  # right-associative; allows 2^-x
            self.depth -= 1
            return self.node(BinOp("^", base, exponent), tok.column)
        return base

    def atom(self) -> Node:
        tok = self.take()
        if tok.kind == "number":
            value = float(tok.text)
            if not math.isfinite(value):
                raise ExpressionError(f"number {tok.text} is too large", tok.column)
            return self.node(Num(value), tok.column)
        if tok.kind == "name":
            return self.name(tok)
        if tok.text == "(":
            inner = self.sum()
            self.expect_close(tok)
            return inner
        if tok.kind == "end":
            raise ExpressionError("expression ends too early", tok.column)
        if tok.text == ")":
            raise ExpressionError("')' without a matching '('", tok.column)
        raise ExpressionError(f"unexpected {tok.text!r}", tok.column)

    def name(self, tok: _Token) -> Node:
        word = ALIASES.get(tok.text, tok.text)
        if word == "x":
            return self.node(Var(), tok.column)
        if word in CONSTANTS:
            return self.node(Num(CONSTANTS[word]), tok.column)
        if word in FUNCTIONS:
            if self.tok.text != "(":
                raise ExpressionError(f"{tok.text} needs parentheses, as in {tok.text}(x)", tok.column)
            open_paren = self.take()
            arg = self.sum()
            if self.tok.text == ",":
                raise ExpressionError(f"{tok.text}() takes one argument", self.tok.column)
            self.expect_close(open_paren)
            return self.node(Call(word, arg), tok.column)
        hint = ""
        if tok.text.lower() == "x":
            hint = " (the variable is lower-case x)"
        elif re.fullmatch(r"x\d+", tok.text):
            hint = f" (write x*{tok.text[1:]} or x^{tok.text[1:]})"
        allowed = ", ".join(["x", *CONSTANTS, *FUNCTIONS])
        raise ExpressionError(f"unknown name {tok.text!r}{hint}; allowed: {allowed}", tok.column)

    def expect_close(self, open_tok: _Token) -> None:
        tok = self.take()
        if tok.text != ")":
            where = "at the end" if tok.kind == "end" else f"before {tok.text!r}"
            raise ExpressionError(f"'(' at column {open_tok.column} is not closed {where}", tok.column)


def parse(text: str) -> Node:
    """Parse ``text`` into a checked tree, or raise :class:`ExpressionError`."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression too long ({len(text)} characters, at most {MAX_LENGTH})")
    text = text.translate(_TRANSLATE)
    if not text.strip():
        raise ExpressionError("expression is empty")
    tree = _Parser(_tokenize(text)).parse()
    _check_constants(tree)
    return tree


# --- checks and evaluation -----------------------------------------------------------------------


def has_x(node: Node) -> bool:
    """True when the tree depends on x."""
    match node:
        case Var():
            return True
        case Num():
            return False
        case Neg(operand) | Call(_, operand):
            return has_x(operand)
        case BinOp(_, left, right):
            return has_x(left) or has_x(right)
    raise TypeError(node)


def _check_constants(node: Node) -> None:
    """Refuse constant parts that cannot be computed as real numbers (9^9^9^9, sqrt(-1), 1/0)."""
    if isinstance(node, Var) or isinstance(node, Num):
        return
    if not has_x(node):
        try:
            value = evaluate(node, 0.0)
        except (OverflowError, ZeroDivisionError, ValueError) as exc:
            reason = "too large to compute" if isinstance(exc, OverflowError) else "not a real number"
            raise ExpressionError(f"the constant {to_text(node)} is {reason}") from None
        if not math.isfinite(value):
            raise ExpressionError(f"the constant {to_text(node)} is too large to compute")
        return
    match node:
        case Neg(operand) | Call(_, operand):
            _check_constants(operand)
        case BinOp(_, left, right):
            _check_constants(left)
            _check_constants(right)


def evaluate(node: Node, x: float) -> float:
    """Evaluate the tree at ``x`` by walking it (slow; for checks, not for loops)."""
    match node:
        case Num(value):
            return value
        case Var():
            return x
        case Neg(operand):
            return -evaluate(operand, x)
        case Call(name, arg):
            return FUNCTIONS[name][0](evaluate(arg, x))
        case BinOp(op, left, right):
            a, b = evaluate(left, x), evaluate(right, x)
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            if op == "/":
                return a / b
            return math.pow(a, b)
    raise TypeError(node)


_PY_OPS: dict[str, ast.operator] = {"+": ast.Add(), "-": ast.Sub(), "*": ast.Mult(), "/": ast.Div()}


def _to_py_ast(node: Node) -> ast.expr:
    match node:
        case Num(value):
            return ast.Constant(float(value))
        case Var():
            return ast.Name("x", ast.Load())
        case Neg(operand):
            return ast.UnaryOp(ast.USub(), _to_py_ast(operand))
        case Call(name, arg):
            return ast.Call(ast.Name(f"_fn_{name}", ast.Load()), [_to_py_ast(arg)], [])
        case BinOp("^", left, right):
            return ast.Call(ast.Name("_pow", ast.Load()), [_to_py_ast(left), _to_py_ast(right)], [])
        case BinOp(op, left, right):
            return ast.BinOp(_to_py_ast(left), _PY_OPS[op], _to_py_ast(right))
    raise TypeError(node)


def compile_tree(node: Node, *, vector: bool = False) -> Callable[[Any], Any]:
    """Turn a checked tree into a fast function of x.

    ``vector=False`` gives a function on Python floats built on :mod:`math` (raises on overflow or a
    domain error); ``vector=True`` gives one on numpy arrays, which returns inf or nan instead.
    """
    namespace: dict[str, Any] = {"__builtins__": {}}
    for name, (scalar, ufunc) in FUNCTIONS.items():
        namespace[f"_fn_{name}"] = ufunc if vector else scalar
    namespace["_pow"] = np.power if vector else math.pow
    lam = ast.Lambda(
        ast.arguments(posonlyargs=[], args=[ast.arg("x")], kwonlyargs=[], kw_defaults=[], defaults=[]),
        _to_py_ast(node),
    )
    tree = ast.fix_missing_locations(ast.Expression(lam))
    code = compile(tree, "<gdtutor expression>", "eval")
    fn: Callable[[Any], Any] = eval(code, namespace)  # noqa: S307 - code built from a checked tree
    return fn


# --- printing ------------------------------------------------------------------------------------

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "^": 4}


def format_number(value: float) -> str:
    """Shortest text for a number: 2 rather than 2.0, 3.5, 1e-05."""
    if value == math.pi:
        return "pi"
    if value == math.e:
        return "e"
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def to_text(node: Node) -> str:
    """Print the tree as an expression the parser reads back to the same tree."""
    return _print(node)[0]


def _print(node: Node) -> tuple[str, int]:
    match node:
        case Num(value):
            text = format_number(value)
            return (text, 5) if value >= 0 else (text, 3)
        case Var():
            return "x", 5
        case Call(name, arg):
            return f"{name}({_print(arg)[0]})", 5
        case Neg(operand):
            inner, prec = _print(operand)
            return ("-" + (inner if prec > 3 else f"({inner})")), 3
        case BinOp(op, left, right):
            prec = _PRECEDENCE[op]
            lt, lp = _print(left)
            rt, rp = _print(right)
            if op == "^":
                # right-associative: parenthesise a power or lower on the left, anything lower on the right
                if lp <= prec:
                    lt = f"({lt})"
                if rp < prec:
                    rt = f"({rt})"
                return f"{lt}**{rt}", prec
            if lp < prec:
                lt = f"({lt})"
            if rp < prec or (rp == prec and op in "-/") or (rp == prec and op in "+*" and _is_binop(right, prec)):
                rt = f"({rt})"
            sep = f" {op} " if prec == 1 else op
            return f"{lt}{sep}{rt}", prec
    raise TypeError(node)


def _is_binop(node: Node, prec: int) -> bool:
    # a + (b + c) is kept as written: floats are not associative
    return isinstance(node, BinOp) and _PRECEDENCE[node.op] == prec
