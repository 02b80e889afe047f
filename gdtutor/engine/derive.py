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
