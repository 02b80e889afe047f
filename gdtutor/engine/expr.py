"""Safe expressions in one variable ``x``, or in two, ``x`` and ``y``, when asked.

Learners and lesson authors type functions such as ``(x - 3.5)**2 - 4.5*x + 10``, ``x^2 - 4x`` or ``x² - 4x``.
The text is read by the small parser below, never by Python's parser: only numbers, ``x``, arithmetic,
parentheses and the functions and constants in ``FUNCTIONS`` and ``CONSTANTS`` are accepted. Anything
else is refused with an :class:`ExpressionError` that says what is wrong and at which column.

The variables are ``x`` alone (:data:`VARIABLES`) unless the caller asks for others: ``parse(text,
variables=PLANE)`` reads a function of ``x`` and ``y`` for the 2-D lab (:mod:`gdtutor.engine.surface`),
with the same rules and refusals, ``y`` then being a name like ``x``; in one variable ``y`` is refused as
before. :func:`compile_tree` takes the same ``variables``: they are the compiled function's arguments.

To evaluate a checked tree quickly, :func:`compile_tree` builds a Python ``ast`` object node by node
from the tree (only arithmetic, the names of the variables, float constants and calls of a fixed table of math
functions) and compiles that object. No text typed by anyone reaches ``compile``; this gives the speed
of a hand-written lambda, which the engine needs to keep up with the lecture's loop.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MAX_LENGTH = 500
"""Longest expression accepted, in characters."""
MAX_DEPTH = 32
"""Deepest nesting of operators and parentheses accepted."""
MAX_NODES = 200
"""Most numbers, names and operators in one expression."""
VARIABLES: tuple[str, ...] = ("x",)
"""The variables of an expression unless the caller asks for others: the lecture's one, ``x``."""
PLANE: tuple[str, ...] = ("x", "y")
"""The variables of a function of two variables, a surface (the 2-D lab)."""
ALLOWED_VARIABLES = frozenset(PLANE)
"""The names a caller may ask for as variables (the loop's names are read by their own parser)."""


class ExpressionError(ValueError):
    """An expression was refused: ``code`` says why, ``fields`` fill in the words, ``column`` (1-based)
    points at the problem when known. The words are the catalogues' (``expr_<code>``), told by
    :func:`gdtutor.telling.expression_error`."""

    def __init__(self, code: str, column: int | None = None, **fields: object) -> None:
        self.code = code
        self.column = column
        self.fields = fields
        super().__init__(code, column)

    def __str__(self) -> str:
        # for a developer's log: the learner's words are gdtutor.telling.expression_error's
        where = f" at column {self.column}" if self.column else ""
        return f"{self.code}{where} {self.fields}" if self.fields else f"{self.code}{where}"


# --- the tree ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Var:
    name: str = "x"
    """``x`` in a function (``x`` or ``y`` in a function of two variables); in a part of the loop, also
    ``last_x``, ``eta`` or ``precision``."""


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


@dataclass(frozen=True)
class Compare:
    """A test in a part of the loop: ``abs(x - last_x) < precision``; ``and`` / ``or`` join two tests."""

    op: str  # one of < <= > >= == != and or
    left: Node | Compare
    right: Node | Compare


Node = Num | Var | Neg | BinOp | Call


def _sign(v: float) -> float:
    return float((v > 0) - (v < 0)) if v == v else v


# name -> (scalar function on Python floats, name of the numpy ufunc). Scalar functions raise on domain
# and overflow errors; the engine then recomputes that update with numpy, which gives inf or nan. The
# ufuncs are looked up by name when a vector function is compiled, so parsing does not load numpy.
FUNCTIONS: dict[str, tuple[Callable[[float], float], str]] = {
    "sin": (math.sin, "sin"),
    "cos": (math.cos, "cos"),
    "tan": (math.tan, "tan"),
    "atan": (math.atan, "arctan"),
    "sinh": (math.sinh, "sinh"),
    "cosh": (math.cosh, "cosh"),
    "tanh": (math.tanh, "tanh"),
    "exp": (math.exp, "exp"),
    "log": (math.log, "log"),
    "sqrt": (math.sqrt, "sqrt"),
    "abs": (abs, "abs"),
    "sign": (_sign, "sign"),
}
ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
"""The binary operators but ``**``, whose meaning each evaluator gives (floats: math.pow, which refuses
a negative base with a fraction rather than give a complex number; sympy: its own power)."""

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
    }
)
# Every translation above is one character for one character, so a column in the translated text is
# the column in the text as typed. Superscript digits are not translated (that would lengthen the text
# and shift the columns): the tokenizer reads a run of them as one exponent token.

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
"""Superscript digits 0-9; a run of them after a number, x, a constant or ')' is one exponent: x²³ = x^23."""
_FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPTS, "0123456789")
_TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPTS)

# Only ASCII digits: in Python's re, \d also matches other scripts' digits ('٣', '३').
_TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<sup>[{SUPERSCRIPTS}]+)
  | (?P<op>\*\*|[-+*/^(),])
    """,
    re.VERBOSE,
)

QUOTE_LIMIT = 20
"""Longest piece of the input quoted back in a message; longer pieces are cut and end with '...'."""


def _clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _quote(text: str) -> str:
    return repr(_clip(text))


_CHARACTER_CODES = {
    "'": "quote",
    '"': "quote",
    ".": "attribute",
    "[": "bracket",
    "{": "bracket",
    "=": "equals",
    "\u207b": "superscript_minus",  # superscript minus
}
"""Characters refused with a word on what to write instead (``expr_character_<code>``)."""


@dataclass(frozen=True)
class _Token:
    category: str  # number, name, sup, op, end
    text: str
    column: int


def _tokenize(text: str, pattern: re.Pattern[str] = _TOKEN) -> list[_Token]:
    tokens = []
    pos = 0
    while pos < len(text):
        m = pattern.match(text, pos)
        if m is None:
            ch = text[pos]
            shown = repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"
            if ch.isnumeric():  # a digit of another script, a fraction, a circled number ...
                code = f"U+{ord(ch):04X}"
                shown = f"{shown} ({code})" if ch.isprintable() else code
                raise ExpressionError("digit", pos + 1, char=shown)
            hint = _CHARACTER_CODES.get(ch)
            raise ExpressionError(f"character_{hint}" if hint else "character", pos + 1, char=shown)
        category = m.lastgroup or ""
        if category != "space":
            tokens.append(_Token(category, m.group(), pos + 1))
        pos = m.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    """Recursive descent with precedence: + - below * / and implicit products, below unary -, below ^."""

    def __init__(self, tokens: list[_Token], variables: tuple[str, ...] = VARIABLES) -> None:
        self.tokens = tokens
        self.variables = variables
        self.i = 0
        self.depth = 0
        self.nodes = 0
        self.open_parens = 0

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
            raise ExpressionError("too_large", column, limit=MAX_NODES)
        return n

    def enter(self, column: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("too_deep", column, limit=MAX_DEPTH)

    def parse(self) -> Node:
        tree = self.sum()
        if self.tok.category != "end":
            tok = self.tok
            if tok.text == ")":
                raise ExpressionError("unmatched_close", tok.column)
            raise ExpressionError("unexpected", tok.column, text=_quote(tok.text))
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
            elif tok.category == "name" or tok.text == "(":
                # implicit product as learners write it: 2x, 3(x + 1), x sin(x), (x - 1)(x + 1)
                left = self.node(BinOp("*", left, self.unary()), tok.column)
            elif tok.category == "number":
                before = self.tokens[self.i - 1]
                if before.category == "sup":
                    # x²2: refused rather than read as x^22 or x²*2 (see power_tail)
                    digits = before.text.translate(_FROM_SUPERSCRIPT)
                    raise ExpressionError(
                        "missing_operator_exponent",
                        tok.column,
                        text=_quote(tok.text),
                        joined=_clip(digits + tok.text),
                        exponent=_clip(before.text),
                        number=_clip(tok.text),
                    )
                raise ExpressionError("missing_operator", tok.column, text=_quote(tok.text))
            elif tok.category == "sup":
                # only reached for a second exponent after a space, as in 'x² ³'
                raise ExpressionError("second_exponent", tok.column, text=_quote(tok.text))
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
        return self.power_tail(self.atom())

    def power_tail(self, base: Node) -> Node:
        """``base ^ unary``, or ``base`` followed by superscript digits, or ``base`` alone.

        A superscript stands for ``^`` and a number, so it counts one level of nesting like ``^2`` and
        ``x²^3`` is ``x^2^3`` = x^(2^3). A run of superscript digits is one exponent, as in print:
        ``x²³`` = x^23 (x¹⁰ = x^10), never x^(2^3). A plain digit right after a superscript (``x²2``)
        is refused: it would read as x^22 if digits simply joined, as x²*2 to others, and nowhere else
        does this parser multiply by a number that follows ('x 2' and '(x)2' are refused too).
        """
        tok = self.tok
        if tok.text in ("**", "^"):
            self.take()
            self.enter(tok.column)
            exponent = self.unary()  # right-associative; allows 2^-x
            self.depth -= 1
            return self.node(BinOp("^", base, exponent), tok.column)
        if tok.category == "sup":
            self.take()
            self.enter(tok.column)
            value = float(tok.text.translate(_FROM_SUPERSCRIPT))
            if not math.isfinite(value):
                raise ExpressionError("exponent_too_large", tok.column, text=_quote(tok.text))
            number = self.node(Num(value), tok.column)
            exponent = self.power_tail(number) if self.tok.text in ("**", "^") else number
            self.depth -= 1
            return self.node(BinOp("^", base, exponent), tok.column)
        return base

    def atom(self) -> Node:
        tok = self.take()
        if tok.category == "number":
            value = float(tok.text)
            if not math.isfinite(value):
                raise ExpressionError("number_too_large", tok.column, text=_clip(tok.text))
            return self.node(Num(value), tok.column)
        if tok.category == "name":
            return self.name(tok)
        if tok.text == "(":
            if self.tok.text == ")":
                raise ExpressionError("empty_parentheses", tok.column)
            self.open_parens += 1
            inner = self.sum()
            self.expect_close(tok)
            return inner
        if tok.category == "end":
            raise ExpressionError("ends_early", tok.column)
        if tok.text == ")":
            if self.open_parens:  # '(x +)': the ')' is matched, something is missing before it
                raise ExpressionError("missing_before_close", tok.column)
            raise ExpressionError("unmatched_close", tok.column)
        if tok.category == "sup":
            raise ExpressionError("exponent_first", tok.column, text=_quote(tok.text))
        raise ExpressionError("unexpected", tok.column, text=_quote(tok.text))

    def name(self, tok: _Token) -> Node:
        word = ALIASES.get(tok.text, tok.text)
        if word in self.variables:
            return self.node(Var(word), tok.column)
        if word in CONSTANTS:
            return self.node(Num(CONSTANTS[word]), tok.column)
        if word in FUNCTIONS:
            if self.tok.text != "(":
                raise ExpressionError("needs_parentheses", tok.column, name=tok.text)
            open_paren = self.take()
            if self.tok.text == ")":
                raise ExpressionError("needs_argument", open_paren.column, name=tok.text)
            self.open_parens += 1
            arg = self.sum()
            if self.tok.text == ",":
                raise ExpressionError("one_argument", self.tok.column, name=tok.text)
            self.expect_close(open_paren)
            return self.node(Call(word, arg), tok.column)
        allowed = ", ".join([*self.variables, *CONSTANTS, *FUNCTIONS])
        code = "unknown_name"
        # the words of these two codes are about x: 'Y' and 'y2' are told as unknown names with the list
        if tok.text.lower() == "x":
            code = "unknown_name_case"
        elif re.fullmatch(r"x[0-9]+", tok.text):
            code = "unknown_name_digits"
        raise ExpressionError(code, tok.column, name=_quote(tok.text), digits=_clip(tok.text[1:]), allowed=allowed)

    def expect_close(self, open_tok: _Token) -> None:
        tok = self.take()
        if tok.text != ")":
            if tok.category == "end":
                raise ExpressionError("not_closed_at_end", tok.column, open=open_tok.column)
            raise ExpressionError("not_closed_before", tok.column, open=open_tok.column, text=_quote(tok.text))
        self.open_parens -= 1


def _prepared(text: object) -> str:
    """Text to tokenize: refused when it is no text, too long or empty; full-width forms made ASCII."""
    if not isinstance(text, str):
        raise ExpressionError("not_text", type=_clip(type(text).__name__))
    if len(text) > MAX_LENGTH:
        raise ExpressionError("too_long", length=len(text), limit=MAX_LENGTH)
    text = text.translate(_TRANSLATE)
    if not text.strip():
        raise ExpressionError("empty")
    return text


def parse(text: str, variables: tuple[str, ...] = VARIABLES) -> Node:
    """Parse ``text`` into a checked tree, or raise :class:`ExpressionError`.

    ``variables`` are the names the text may use as variables (``x`` alone unless asked, :data:`PLANE` for
    a function of x and y); a caller asking for a name that is not one of :data:`ALLOWED_VARIABLES` gets
    a ValueError.
    """
    variables = _checked_variables(variables)
    text = _prepared(text)
    tree = _Parser(_tokenize(text), variables).parse()
    _check_constants(tree)
    return tree


def _checked_variables(variables: tuple[str, ...]) -> tuple[str, ...]:
    """The variables a caller asked for, refused (a programming error) unless known, distinct and some."""
    variables = tuple(variables)
    if not variables or len(set(variables)) != len(variables) or not ALLOWED_VARIABLES.issuperset(variables):
        raise ValueError(variables)
    return variables


def variables_of(node: Node) -> frozenset[str]:
    """The names of the variables the tree uses."""
    match node:
        case Var(name):
            return frozenset((name,))
        case Num():
            return frozenset()
        case Neg(operand) | Call(_, operand):
            return variables_of(operand)
        case BinOp(_, left, right):
            return variables_of(left) | variables_of(right)
    raise TypeError(node)


# --- a part of the lecture's loop ----------------------------------------------------------------

LOOP_NAMES = ("x", "last_x", "eta", "precision")
"""The names a part of the lecture's loop may use, besides ``g(...)`` (the derivative) and functions."""
PLANE_LOOP_NAMES = ("x", "y", "last_x", "last_y", "eta", "precision")
"""The names the exit condition of the loop written for a point (x, y) may use (no ``g``: the test
measures the step, not the slope)."""
COMPARISONS = ("<=", ">=", "==", "!=", "<", ">")

_LOOP_TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<op>\*\*|<=|>=|==|!=|[-+*/^(),<>]|(?:and|or)\b)
  | (?P<name>np\.abs\b|[A-Za-z_][A-Za-z_0-9]*)
  | (?P<sup>[{SUPERSCRIPTS}]+)
    """,
    re.VERBOSE,
)
_LOOP_WRAPPING = (
    re.compile(r"^\s*if\s+(?P<body>.*?)\s*:\s*(?:break\s*)?$", re.DOTALL),  # if abs(x - last_x) < precision: break
    re.compile(r"^\s*(?:last_x|x)\s*=(?!=)\s*(?P<body>.*)$", re.DOTALL),  # x = x - eta * g(x)
)


class _LoopParser(_Parser):
    """A part of the loop: the same arithmetic, the loop's names, ``g(...)``, and for the exit condition
    one comparison (or two joined by ``and`` / ``or``)."""

    def __init__(
        self,
        tokens: list[_Token],
        condition: bool,
        names: tuple[str, ...] = LOOP_NAMES,
        g: bool = True,
        without: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(tokens)
        self.condition = condition
        self.without = without
        """Functions an exercise asks to do without (``sqrt``): refused where they are typed."""
        self.names = names
        """The names the text may use (a template's formula: the numbers it draws)."""
        self.g = g
        """Whether ``g(...)``, the loop's derivative, may be called."""

    def part(self) -> Node | Compare:
        tree: Node | Compare = self.test() if self.condition else self.sum()
        tok = self.tok
        if tok.category != "end":
            if tok.text == ")":
                raise ExpressionError("unmatched_close", tok.column)
            if tok.text in COMPARISONS or tok.text in ("and", "or"):
                raise ExpressionError("loop_no_test_here", tok.column, text=_quote(tok.text))
            raise ExpressionError("unexpected", tok.column, text=_quote(tok.text))
        if self.condition and not isinstance(tree, Compare):
            raise ExpressionError("loop_needs_test")
        return tree

    def test(self) -> Node | Compare:
        left = self.comparison()
        while self.tok.text in ("and", "or"):
            op = self.take()
            left = Compare(op.text, left, self.comparison())
            self.node(Num(0), op.column)  # counted like any node
        return left

    def comparison(self) -> Node | Compare:
        left = self.sum()
        if self.tok.text in COMPARISONS:
            op = self.take()
            right = self.sum()
            if self.tok.text in COMPARISONS:
                raise ExpressionError("loop_chained", self.tok.column)
            self.node(Num(0), op.column)
            return Compare(op.text, left, right)
        return left

    def name(self, tok: _Token) -> Node:
        word = "abs" if tok.text == "np.abs" else tok.text
        base = word.removeprefix("np.")
        if ALIASES.get(base, base) in self.without:
            raise ExpressionError("loop_without", tok.column, name=_quote(tok.text))
        if word in self.names:
            return self.node(Var(word), tok.column)
        if word == "g" and self.g:
            if self.tok.text != "(":
                raise ExpressionError("needs_parentheses", tok.column, name="g")
            open_paren = self.take()
            if self.tok.text == ")":
                raise ExpressionError("needs_argument", open_paren.column, name="g")
            self.open_parens += 1
            arg = self.sum()
            self.expect_close(open_paren)
            return self.node(Call("g", arg), tok.column)
        if word in FUNCTIONS or word in CONSTANTS or word in ALIASES:
            return super().name(_Token(tok.category, word, tok.column))
        allowed = ", ".join([*self.names, *(["g(...)"] if self.g else []), "abs(...)", *FUNCTIONS])
        raise ExpressionError("unknown_name", tok.column, name=_quote(tok.text), digits="", allowed=_clip(allowed, 80))


def parse_loop_part(
    text: str, *, condition: bool, plane: bool = False, without: frozenset[str] = frozenset()
) -> Node | Compare:
    """Parse a part of the lecture's loop as a learner types it: the exit condition (``condition``),
    or the value given to ``x`` or ``last_x``. ``if ...:``, ``: break`` and ``x =`` around it are read as
    the lecture writes them and left out. Nothing is evaluated as Python. Raises :class:`ExpressionError`.
    With ``plane``, the exit condition of the loop for a point: the names of :data:`PLANE_LOOP_NAMES`.
    ``without``: functions the exercise asks to do without, refused where typed (``loop_without``).
    """
    text = _prepared(text)
    for wrapping in _LOOP_WRAPPING:
        match = wrapping.match(text)
        if match:
            start = match.start("body")
            text = " " * start + match.group("body")  # the columns stay those typed
            break
    if not text.strip():
        raise ExpressionError("empty")
    tokens = _tokenize(text, _LOOP_TOKEN)
    if plane:
        return _LoopParser(tokens, condition, PLANE_LOOP_NAMES, g=False, without=without).part()
    return _LoopParser(tokens, condition, without=without).part()


def parse_formula(text: str, names: tuple[str, ...]) -> Node:
    """A formula of named numbers, as a template's answer (``seconds * (features / 8000)^3``): the same
    arithmetic and functions, the given names, nothing else. Raises :class:`ExpressionError`."""
    tree = _LoopParser(_tokenize(_prepared(text), _LOOP_TOKEN), False, names, g=False).part()
    assert not isinstance(tree, Compare)  # a value: a comparison is refused without condition
    return tree


def evaluate_loop(node: Node | Compare, names: dict[str, float], g: Callable[[float], float]) -> float:
    """A part of the loop at ``names`` (x, last_x, eta, precision), with ``g`` the derivative. A test is
    1.0 or 0.0. Arithmetic goes on past overflow as the lecture's numpy does: inf, then nan."""
    match node:
        case Compare(op, left, right):
            first = evaluate_loop(left, names, g) != 0
            if op == "and":
                return float(first and evaluate_loop(right, names, g) != 0)
            if op == "or":
                return float(first or evaluate_loop(right, names, g) != 0)
            return float(_COMPARE[op](evaluate_loop(left, names, g), evaluate_loop(right, names, g)))
        case Num(value):
            return value
        case Var(name):
            return names[name]
        case Neg(operand):
            return -evaluate_loop(operand, names, g)
        case Call(name, arg):
            value = evaluate_loop(arg, names, g)
            return _safely(g if name == "g" else FUNCTIONS[name][0], value)
        case BinOp(op, left, right):
            return _arithmetic(op, evaluate_loop(left, names, g), evaluate_loop(right, names, g))
    raise TypeError(node)


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _safely(fn: Callable[[float], float], value: float) -> float:
    """``fn(value)``, with inf for an overflow and nan for a value out of its domain (numpy's answers)."""
    if value != value:
        return value
    try:
        return fn(value)
    except OverflowError:
        return math.inf
    except (ValueError, ZeroDivisionError):
        return math.nan


def _arithmetic(op: str, a: float, b: float) -> float:
    try:
        if op == "/" and b == 0:  # numpy's answer: nan for 0/0, else an infinity of the sign of a/b
            return math.nan if a == 0 or a != a else math.copysign(math.inf, a) * math.copysign(1, b)
        return ARITHMETIC[op](a, b) if op in ARITHMETIC else math.pow(a, b)
    except OverflowError:
        return math.inf
    except (ValueError, ZeroDivisionError):
        return math.nan


# --- checks and evaluation -----------------------------------------------------------------------


def has_x(node: Node) -> bool:
    """True when the tree depends on a variable (x, or y in a function of two)."""
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
            code = "constant_too_large" if isinstance(exc, OverflowError) else "constant_not_real"
            raise ExpressionError(code, constant=_clip(to_text(node))) from None
        if not math.isfinite(value):
            raise ExpressionError("constant_too_large", constant=_clip(to_text(node)))
        return
    match node:
        case Neg(operand) | Call(_, operand):
            _check_constants(operand)
        case BinOp(_, left, right):
            _check_constants(left)
            _check_constants(right)


def evaluate(node: Node, x: float, y: float = math.nan) -> float:
    """Evaluate the tree at ``x`` (and ``y``, for a function of two) by walking it (slow; for checks,
    not for loops)."""
    match node:
        case Num(value):
            return value
        case Var(name):
            return y if name == "y" else x
        case Neg(operand):
            return -evaluate(operand, x, y)
        case Call(name, arg):
            return FUNCTIONS[name][0](evaluate(arg, x, y))
        case BinOp(op, left, right):
            a, b = evaluate(left, x, y), evaluate(right, x, y)
            return ARITHMETIC[op](a, b) if op in ARITHMETIC else math.pow(a, b)
    raise TypeError(node)


_PY_OPS: dict[str, ast.operator] = {"+": ast.Add(), "-": ast.Sub(), "*": ast.Mult(), "/": ast.Div()}


def _to_py_ast(node: Node) -> ast.expr:
    match node:
        case Num(value):
            return ast.Constant(float(value))
        case Var(name):
            return ast.Name(name, ast.Load())
        case Neg(operand):
            return ast.UnaryOp(ast.USub(), _to_py_ast(operand))
        case Call(name, arg):
            return ast.Call(ast.Name(f"_fn_{name}", ast.Load()), [_to_py_ast(arg)], [])
        case BinOp("^", left, right):
            return ast.Call(ast.Name("_pow", ast.Load()), [_to_py_ast(left), _to_py_ast(right)], [])
        case BinOp(op, left, right):
            return ast.BinOp(_to_py_ast(left), _PY_OPS[op], _to_py_ast(right))
    raise TypeError(node)


def compile_tree(node: Node, *, vector: bool = False, variables: tuple[str, ...] = VARIABLES) -> Callable[..., Any]:
    """Turn a checked tree into a fast function of x (or of the ``variables``, in their order: f(x, y)).

    ``vector=False`` gives a function on Python floats built on :mod:`math` (raises on overflow or a
    domain error); ``vector=True`` gives one on numpy arrays, which returns inf or nan instead. A tree
    using a variable that is not one of ``variables`` is refused (TypeError).
    """
    return _compile(_body(node, variables), vector, variables)


def compile_trees(
    nodes: Sequence[Node], *, vector: bool = False, variables: tuple[str, ...] = PLANE
) -> Callable[..., Any]:
    """One function giving the tuple of the trees' values, as :func:`compile_tree` gives one value: a
    gradient ``(df/dx, df/dy)`` in one call. Each value is computed exactly as its own compiled tree."""
    body = ast.Tuple([_body(node, variables) for node in nodes], ast.Load())
    return _compile(body, vector, variables)


def _body(node: Node, variables: tuple[str, ...]) -> ast.expr:
    variables = _checked_variables(variables)
    if not variables_of(node) <= set(variables):
        raise TypeError(node)
    return _to_py_ast(node)


def _compile(body: ast.expr, vector: bool, variables: tuple[str, ...]) -> Callable[..., Any]:
    namespace: dict[str, Any] = {"__builtins__": {}}
    if vector:
        import numpy as np

        for name, (_, ufunc) in FUNCTIONS.items():
            namespace[f"_fn_{name}"] = getattr(np, ufunc)
        namespace["_pow"] = np.power
    else:
        for name, (scalar, _) in FUNCTIONS.items():
            namespace[f"_fn_{name}"] = scalar
        namespace["_pow"] = math.pow
    args = [ast.arg(name) for name in variables]
    lam = ast.Lambda(ast.arguments(posonlyargs=[], args=args, kwonlyargs=[], kw_defaults=[], defaults=[]), body)
    tree = ast.fix_missing_locations(ast.Expression(lam))
    code = compile(tree, "<gdtutor expression>", "eval")
    fn: Callable[..., Any] = eval(code, namespace)  # noqa: S307 - code built from a checked tree
    return fn


# --- printing ------------------------------------------------------------------------------------

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "^": 4}
_SHORT_NAMES = {"log": "ln"}  # the shortest name the parser reads for a function, for compact text


def _decimal_digits(value: float) -> tuple[str, int]:
    """The shortest digits D and the exponent q with abs(value) == D * 10**q (value finite)."""
    _, digits, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    return "".join(map(str, digits)), int(exponent)


def format_number(value: float) -> str:
    """Readable text for a number: 2 rather than 2.0, 3.5, 1e-05, 1e+15 rather than 1000000000000000."""
    if value == math.pi:
        return "pi"
    if value == math.e:
        return "e"
    if value.is_integer() and abs(value) < 1e16:
        plain = str(int(value))
        scientific = format(value, f".{len(_decimal_digits(value)[0]) - 1}e")  # 1e+15, 1.5e+07
        return plain if abs(value) < 1e6 or len(plain) <= len(scientific) else scientific
    return repr(value)


def _shortest_number(value: float) -> str:
    """The shortest text the parser reads as ``value``: 1e15, .5, 15e-8, 250."""
    if value == math.pi:
        return "pi"
    if value == math.e:
        return "e"
    if not math.isfinite(value):
        return repr(value)
    if value < 0:
        return "-" + _shortest_number(-value)
    digits, q = _decimal_digits(value)
    n = len(digits)
    if q >= 0:
        plain = digits + "0" * q
    elif n + q > 0:
        plain = digits[: n + q] + "." + digits[n + q :]
    else:
        plain = "." + "0" * -(n + q) + digits
    candidates = [plain]
    for j in range(n + 1):  # the point after j digits: 15e-8, 1.5e-7, .15e-6
        mantissa = digits if j == n else f"{digits[:j]}.{digits[j:]}"
        if q + n - j:
            candidates.append(f"{mantissa}e{q + n - j}")
    return min(candidates, key=len)  # the first of equal lengths, so plain text when it is as short


def to_text(node: Node, *, compact: bool = False) -> str:
    """Print the tree as an expression the parser reads back to the same tree.

    The text is readable: spaces around + and -, ``**`` for powers, ``*`` for every product, numbers as
    :func:`format_number` writes them. When that text would be longer than ``MAX_LENGTH`` characters, or
    with ``compact=True``, the shortest spelling is printed instead: no spaces, ``^``, implicit products
    (2x), superscripts (x²), ``ln``, numbers such as 1e15 and .5. The compact text is never longer than
    any text the tree was parsed from, and neither spelling nests deeper than that text (no parentheses
    the input did not need: ``--x``, ``x**-y``), so the text of an accepted expression is accepted again.
    """
    if not compact:
        text = _print(node, False)[0]
        if len(text) <= MAX_LENGTH:
            return text
    return _print(node, True)[0]


def _print(node: Node, compact: bool) -> tuple[str, int]:
    match node:
        case Num(value):
            text = _shortest_number(value) if compact else format_number(value)
            return (text, 5) if value >= 0 else (text, 3)
        case Var(name):
            return name, 5
        case Call(name, arg):
            shown = _SHORT_NAMES.get(name, name) if compact else name
            return f"{shown}({_print(arg, compact)[0]})", 5
        case Neg(operand):
            inner, prec = _print(operand, compact)
            if prec < 3:
                inner = f"({inner})"
            # '- -x', not '-(-x)': parentheses the input did not need would nest one level deeper
            sep = " " if inner.startswith("-") and not compact else ""
            return f"-{sep}{inner}", 3
        case BinOp("^", left, right):
            lt, lp = _print(left, compact)
            if lp <= 4:  # right-associative: a power or lower on the left needs parentheses
                lt = f"({lt})"
            return lt + _exponent(right, compact), 4
        case BinOp(op, left, right):
            prec = _PRECEDENCE[op]
            lt, lp = _print(left, compact)
            rt, rp = _print(right, compact)
            if lp < prec:
                lt = f"({lt})"
            if rp < prec or (rp == prec and op in "-/") or (rp == prec and op in "+*" and _is_binop(right, prec)):
                rt = f"({rt})"
            if not compact:
                sep = f" {op} " if prec == 1 else op
                return f"{lt}{sep}{rt}", prec
            if op == "*" and _implicit_product(lt, rt):
                return lt + rt, prec
            if prec == 1 and re.search(r"[0-9]e$", lt) and re.match(r"[0-9]", rt):
                return f"{lt} {op}{rt}", prec  # '2e +1': '2e+1' would be the number 20
            return f"{lt}{op}{rt}", prec
    raise TypeError(node)


def _exponent(node: Node, compact: bool) -> str:
    """The exponent with its operator: '**-y', '**(x + 1)'; compact: '^-y', '²', '¹⁰', '²^x'."""
    text, prec = _print(node, compact)
    if prec < 3:  # the exponent is read as a unary expression: 2^-x needs no parentheses
        text = f"({text})"
    if not compact:
        return "**" + text
    caret = "^" + text
    # superscript digits, then any '^' chain on them: x²^3 is read as x^2^3 = x^(2^3)
    base, tail = node, ""
    if isinstance(node, BinOp) and node.op == "^":
        right, rp = _print(node.right, compact)
        base, tail = node.left, "^" + (right if rp >= 3 else f"({right})")
    if isinstance(base, Num) and base.value >= 0 and base.value.is_integer():
        superscript = str(int(base.value)).translate(_TO_SUPERSCRIPT) + tail
        if len(superscript) < len(caret):
            return superscript
    return caret


def _implicit_product(lt: str, rt: str) -> bool:
    """True when lt written right before rt is read as their product: 2x, 3(x+1), x(x+1), (x+1)x, x²x."""
    if rt[:1] == "(":
        return True
    if not (rt[:1].isascii() and rt[:1].isalpha()):  # a number or -y after a term is not a product
        return False
    return not (lt[-1:].isascii() and (lt[-1:].isalpha() or lt[-1:] == "_"))  # 'x sin' would read 'xsin'


def _is_binop(node: Node, prec: int) -> bool:
    # a + (b + c) is kept as written: floats are not associative
    return isinstance(node, BinOp) and _PRECEDENCE[node.op] == prec
