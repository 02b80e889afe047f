"""A function of x and y, a surface, with its gradient (its two partial derivatives), made from expression
text: what the 2-D lab descends, as :class:`~gdtutor.engine.function.Function` is what the 1-D loop does.

The text is parsed by :func:`gdtutor.engine.expr.parse` with the variables x and y (never by Python); the
partial derivatives are derived symbolically with sympy (:func:`gdtutor.engine.derive.derivative`) the first
time they are needed, and their texts are there for the learner to see the formulas the engine uses.

The presets are the classic surfaces of a 2-D lesson. (The regression-loss presets, a loss surface
over two weights, come with the regression lab's 2-D view: not yet.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, Final

from .expr import PLANE, Node, compile_tree, compile_trees, parse, to_text

BOWL: Final = "x^2 + y^2"
"""The round bowl: the same curvature (2) every way, so each coordinate descends as the 1-D x^2 does,
by the factor 1 - 2*eta per update; it converges for eta < 1, in one update at eta = 0.5."""
VALLEY: Final = "x^2 + 10*y^2"
"""The narrow valley: curvature 2 along x, 20 along y. The y direction bounds the rate (stable for
eta < 2/20 = 0.1), the x direction sets the pace (factor 1 - 2*eta per update): the zig-zag lesson."""
TURNED_VALLEY: Final = "5.5*x^2 - 9*x*y + 5.5*y^2"
"""The narrow valley turned 45 degrees counter-clockwise, so its floor runs along the line y = x.

Turning the plane by 45 degrees takes the valley's own coordinates (u, v) to (x, y) = ((u - v)/sqrt(2),
(u + v)/sqrt(2)); back, u = (x + y)/sqrt(2) and v = (y - x)/sqrt(2). Put into u^2 + 10*v^2:
(x + y)^2/2 + 5*(y - x)^2 = 5.5*x^2 - 9*x*y + 5.5*y^2. Its curvatures are those of the valley, 2 along
y = x and 20 across it (the Hessian [[11, -9], [-9, 11]] has eigenvalues 2 and 20), but no longer along
the axes: each update mixes x and y."""
BANANA: Final = "(1 - x)^2 + 100*(y - x^2)^2"
"""Rosenbrock's banana: a curved, flat-bottomed valley around the parabola y = x^2, the minimum 0 at
(1, 1). Steep across the valley, nearly flat along it: a small rate crawls, a large one diverges."""
PRESETS: Final[dict[str, str]] = {"bowl": BOWL, "valley": VALLEY, "turned_valley": TURNED_VALLEY, "banana": BANANA}
"""The preset surfaces by name."""


class Surface:
    """f(x, y) and its gradient (df/dx, df/dy), parsed safely; the partial derivatives are given or derived
    with sympy on first use.

    ``Surface(text)`` raises :class:`~gdtutor.engine.expr.ExpressionError` for a refused expression (a
    function of x alone is a surface too: one that does not depend on y).
    """

    def __init__(self, text: str, partials: tuple[str, str] | None = None) -> None:
        self.tree: Node = parse(text, PLANE)
        self.partials_given = partials is not None
        self._partial_trees: tuple[Node, Node] | None = None
        if partials is not None:
            self._partial_trees = (parse(partials[0], PLANE), parse(partials[1], PLANE))

    @classmethod
    def coerce(cls, surface: Surface | str) -> Surface:
        """Accept a Surface or expression text."""
        return surface if isinstance(surface, Surface) else cls(surface)

    @property
    def partial_trees(self) -> tuple[Node, Node]:
        """The trees of df/dx and df/dy; derived symbolically the first time they are asked for."""
        if self._partial_trees is None:
            from .derive import derivative

            self._partial_trees = (derivative(self.tree, "x"), derivative(self.tree, "y"))
        return self._partial_trees

    @cached_property
    def text(self) -> str:
        """f(x, y) as text, normalised (``^`` printed as ``**``)."""
        return to_text(self.tree)

    @cached_property
    def partial_texts(self) -> tuple[str, str]:
        """df/dx and df/dy as text, so the learner sees the formulas the engine uses."""
        dx, dy = self.partial_trees
        return to_text(dx), to_text(dy)

    @cached_property
    def f(self) -> Callable[[float, float], float]:
        """f on Python floats."""
        return compile_tree(self.tree, variables=PLANE)

    @cached_property
    def gx(self) -> Callable[[float, float], float]:
        """df/dx on Python floats (raises on overflow or outside its domain)."""
        return compile_tree(self.partial_trees[0], variables=PLANE)

    @cached_property
    def gy(self) -> Callable[[float, float], float]:
        """df/dy on Python floats."""
        return compile_tree(self.partial_trees[1], variables=PLANE)

    @cached_property
    def grad(self) -> Callable[[float, float], tuple[float, float]]:
        """(df/dx, df/dy) on Python floats in one call: the same floats as :attr:`gx` and :attr:`gy`."""
        return compile_trees(self.partial_trees, variables=PLANE)

    @cached_property
    def f_vec(self) -> Callable[[Any, Any], Any]:
        """f on numpy arrays (inf or nan where Python floats would raise): a grid for a contour chart."""
        return compile_tree(self.tree, vector=True, variables=PLANE)

    @cached_property
    def grad_vec(self) -> Callable[[Any, Any], tuple[Any, Any]]:
        """(df/dx, df/dy) on numpy arrays."""
        return compile_trees(self.partial_trees, vector=True, variables=PLANE)

    def __repr__(self) -> str:
        return f"Surface({self.text!r}, partials={self.partial_texts!r})"
