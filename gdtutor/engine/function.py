"""A function of x with its derivative g(x), made from expression text."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from .expr import Node, compile_tree, parse, to_text
from .lecture import LECTURE_DERIVATIVE, LECTURE_FUNCTION


class Function:
    """f(x) and g(x) = f'(x), parsed safely; g is given or derived with sympy on first use.

    ``Function(text)`` raises :class:`~gdtutor.engine.expr.ExpressionError` for a refused expression.
    """

    def __init__(self, text: str, derivative: str | None = None) -> None:
        self.tree: Node = parse(text)
        self.derivative_given = derivative is not None
        self._derivative_tree: Node | None = parse(derivative) if derivative is not None else None

    @classmethod
    def lecture(cls) -> Function:
        """The lecture's function with the lecture's derivative."""
        return cls(LECTURE_FUNCTION, LECTURE_DERIVATIVE)

    @classmethod
    def coerce(cls, function: Function | str, derivative: str | None = None) -> Function:
        """Accept a Function or expression text; the lecture's function text gets the lecture's g."""
        if isinstance(function, Function):
            return function
        if derivative is None and parse(function) == parse(LECTURE_FUNCTION):
            derivative = LECTURE_DERIVATIVE
        return cls(function, derivative)

    @property
    def derivative_tree(self) -> Node:
        """The tree of g(x); derived symbolically the first time it is asked for."""
        if self._derivative_tree is None:
            from .derive import derivative

            self._derivative_tree = derivative(self.tree)
        return self._derivative_tree

    @cached_property
    def text(self) -> str:
        """f(x) as text, normalised (``^`` printed as ``**``)."""
        return to_text(self.tree)

    @cached_property
    def derivative_text(self) -> str:
        """g(x) as text, so the learner sees the formula the engine uses."""
        return to_text(self.derivative_tree)

    @cached_property
    def f(self) -> Callable[[float], float]:
        """f on Python floats."""
        return compile_tree(self.tree)

    @cached_property
    def g(self) -> Callable[[float], float]:
        """g on Python floats (raises on overflow or outside its domain)."""
        return compile_tree(self.derivative_tree)

    @cached_property
    def f_vec(self) -> Callable[[Any], Any]:
        """f on numpy arrays (inf or nan where Python floats would raise)."""
        return compile_tree(self.tree, vector=True)

    @cached_property
    def g_vec(self) -> Callable[[Any], Any]:
        """g on numpy arrays."""
        return compile_tree(self.derivative_tree, vector=True)

    def __repr__(self) -> str:
        return f"Function({self.text!r}, derivative={self.derivative_text!r})"
