"""Symbolic derivatives with sympy, which is imported only here and only when a derivative is needed.

The checked tree is converted to sympy objects node by node (sympy never sees text, so its
``sympify`` cannot evaluate anything), differentiated, and converted back to a tree the engine can
compile and print.
"""

from __future__ import annotations

from typing import Any

from .expr import ARITHMETIC, FUNCTIONS, BinOp, Call, ExpressionError, Neg, Node, Num, Var, variables_of


def derivative(tree: Node, variable: str = "x") -> Node:
    """The derivative of ``tree`` with respect to ``variable`` (x, or y for a partial derivative of a
    function of x and y), as a tree; the other variables are constants for it."""
    import sympy

    symbols = {name: sympy.Symbol(name, real=True) for name in variables_of(tree) | {variable}}
    return _from_sympy(sympy.diff(_to_sympy(tree, symbols, sympy), symbols[variable]), sympy)


def polynomial_derivative(tree: Node, variable: str) -> Node | None:
    """The derivative of a polynomial tree (numbers, variables, +, -, * and whole powers) with respect to
    ``variable``, by the rules of sums, products and powers, with the constants folded (``0*y`` is 0,
    ``11*1`` is 11), so that a derivative that is a constant is a number; None for any other tree.

    For values only (the curvatures of a surface): its tree is equal to sympy's in value, not in form,
    and it is not what the learner is shown. It spares sympy's import (about 32 MiB and 0.2 s) where
    the second derivatives of a polynomial are all that is asked.
    """
    match tree:
        case Num():
            return Num(0.0)
        case Var(name):
            return Num(1.0 if name == variable else 0.0)
        case Neg(operand):
            inner = polynomial_derivative(operand, variable)
            return None if inner is None else _neg(inner)
        case BinOp("+" | "-" as op, left, right):
            a, b = polynomial_derivative(left, variable), polynomial_derivative(right, variable)
            if a is None or b is None:
                return None
            return _add(a, b) if op == "+" else _add(a, _neg(b))
        case BinOp("*", left, right):
            a, b = polynomial_derivative(left, variable), polynomial_derivative(right, variable)
            if a is None or b is None:
                return None
            return _add(_mul(a, right), _mul(left, b))
        case BinOp("^", base, Num(n)) if n.is_integer() and 0 <= n <= 64:
            inner = polynomial_derivative(base, variable)
            if inner is None:
                return None
            if n == 0:
                return Num(0.0)
            power = base if n == 2 else BinOp("^", base, Num(n - 1))
            return _mul(_mul(Num(n), power), inner) if n != 1 else inner
    return None


def _neg(a: Node) -> Node:
    return Num(-a.value + 0.0) if isinstance(a, Num) else Neg(a)


def _add(a: Node, b: Node) -> Node:
    if isinstance(a, Num) and isinstance(b, Num):
        return Num(a.value + b.value)
    if a == Num(0.0):
        return b
    return a if b == Num(0.0) else BinOp("+", a, b)


def _mul(a: Node, b: Node) -> Node:
    if isinstance(a, Num) and isinstance(b, Num):
        return Num(a.value * b.value + 0.0)
    if Num(0.0) in (a, b):
        return Num(0.0)
    if a == Num(1.0):
        return b
    return a if b == Num(1.0) else BinOp("*", a, b)


def _to_sympy(node: Node, symbols: dict[str, Any], sp: Any) -> Any:
    match node:
        case Num(value):
            return sp.Integer(int(value)) if value.is_integer() and abs(value) < 2**53 else sp.Float(value)
        case Var(name):
            return symbols[name]
        case Neg(operand):
            return -_to_sympy(operand, symbols, sp)
        case Call(name, arg):
            fn = {"abs": sp.Abs, "sign": sp.sign, "log": sp.log}.get(name) or getattr(sp, name)
            return fn(_to_sympy(arg, symbols, sp))
        case BinOp(op, left, right):
            a, b = _to_sympy(left, symbols, sp), _to_sympy(right, symbols, sp)
            return ARITHMETIC[op](a, b) if op in ARITHMETIC else a**b
    raise TypeError(node)


def _from_sympy(e: Any, sp: Any) -> Node:
    if e.is_Symbol:
        return Var(e.name)
    if e.is_Number:
        value = float(e)
        return Num(value) if value >= 0 else Neg(Num(-value))
    if e is sp.pi:
        return Num(float(sp.pi))
    if e is sp.E:
        return Num(float(sp.E))
    if e.is_Add:
        terms = list(e.as_ordered_terms())
        tree = _from_sympy(terms[0], sp)
        for term in terms[1:]:
            if term.could_extract_minus_sign():
                tree = BinOp("-", tree, _from_sympy(-term, sp))
            else:
                tree = BinOp("+", tree, _from_sympy(term, sp))
        return tree
    if e.is_Mul:
        if e.could_extract_minus_sign():
            return Neg(_from_sympy(-e, sp))
        numer, denom = e.as_numer_denom()
        if denom != 1:
            return BinOp("/", _from_sympy(numer, sp), _from_sympy(denom, sp))
        factors = list(e.as_ordered_factors())
        tree = _from_sympy(factors[0], sp)
        for factor in factors[1:]:
            tree = BinOp("*", tree, _from_sympy(factor, sp))
        return tree
    if e.is_Pow:
        base, exponent = e.args
        if exponent == sp.Rational(1, 2):
            return Call("sqrt", _from_sympy(base, sp))
        if exponent.is_Number and exponent < 0:
            return BinOp("/", Num(1.0), _from_sympy(base ** (-exponent), sp))
        if base is sp.E:
            return Call("exp", _from_sympy(exponent, sp))
        return BinOp("^", _from_sympy(base, sp), _from_sympy(exponent, sp))
    if e.is_Function:
        name = type(e).__name__.lower()
        if name in FUNCTIONS and len(e.args) == 1:
            return Call(name, _from_sympy(e.args[0], sp))
    raise ExpressionError("not_derivable", derivative=str(e))
