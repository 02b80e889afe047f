"""A function of x and y, a surface, with its gradient (its two partial derivatives), made from expression
text: what the 2-D lab descends, as :class:`~gdtutor.engine.function.Function` is what the 1-D loop does.

The text is parsed by :func:`gdtutor.engine.expr.parse` with the variables x and y (never by Python); the
partial derivatives are derived symbolically with sympy (:func:`gdtutor.engine.derive.derivative`) the first
time they are needed, and their texts are there for the learner to see the formulas the engine uses.

The presets are the classic surfaces of a 2-D lesson, and the loss of a small linear regression over its
two weights, with its features as measured (a narrow valley) and scaled (nearly a round bowl).

**Curvature.** The second partial derivatives say how the slope changes: the Hessian [[fxx, fxy],
[fxy, fyy]]. Its eigenvalues are the curvatures, the largest and smallest second derivative of f along a
line, and its unit eigenvectors their directions. When the Hessian is constant (f is a quadratic:
:attr:`Surface.quadratic`), plain gradient descent acts on each direction alone: each update multiplies
the offset from the point where the gradient is 0, along a direction of curvature k, by the factor
``1 - eta*k`` (:func:`factor`). It bounces when the factor is negative, grows when it is beyond -1 or 1,
and crawls when it is close to 1; with positive curvatures every factor is within (-1, 1) exactly when
eta < 2/L, L the largest curvature (:func:`largest_safe_rate`). For any other surface
:meth:`Surface.curvatures_at` gives the curvatures at a point, which describe the run near it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final, TypeAlias

from .expr import PLANE, ExpressionError, Node, compile_tree, compile_trees, evaluate, parse, to_text, variables_of

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
REGRESSION_UNSCALED: Final = "4*x^2 + 8*x*y + 400*y^2 - 26.5*x - 183*y + 59.75"
"""The mean squared error of a linear regression over its two weights, x = w1 and y = w2, with the features
as measured: the narrow valley again, made by data.

The data, eight rows, centred (each column sums to 0, so no intercept is needed)::

    a (feature 1)  -3   -2   -2    0    1    1    2    3
    b (feature 2)  -9   -8   12   33  -24  -30   11   15
    t (target)    -11   -8   -4    7   -1   -3    7   13

The loss is ``(1/8) * sum((t - x*a - y*b)^2)``: x^2 * mean(a*a) + x*y * 2*mean(a*b) + y^2 * mean(b*b) -
x * 2*mean(a*t) - y * 2*mean(b*t) + mean(t*t), whose coefficients are exact decimals here (mean(a*a) = 4,
mean(a*b) = 4, mean(b*b) = 400, mean(a*t) = 13.25, mean(b*t) = 91.5, mean(t*t) = 59.75; the race of
:mod:`gdtutor.engine.regression` descends half of this loss, whose curvatures are half these). Feature b's
numbers are about ten times a's, as if measured in a unit ten times smaller (its standard deviation is 20,
a's is 2; their correlation is 0.1), so the loss curves 100 times as fast along w2: the Hessian
[[8, 8], [8, 800]] has curvatures 7.919 and 800.08 (their ratio, the condition number, 101.03), in
directions a hundredth of a radian off the axes. The rate must stay below 2/800.08 = 0.0024997; the least
squares weights are (3.1149, 0.19760).

Measured with :class:`~gdtutor.engine.descent2.Descent2` from (0, 0), precision 1e-4: eta 0.0024
converges after 334 updates at (3.1098, 0.19765), eta 0.002 after 390, eta 0.001 after 694; eta 0.0025,
just above the limit, bounces across the valley ever further and meets the update limit (10,000), and
eta 0.5, the scaled loss's good rate, diverges."""
REGRESSION_SCALED: Final = "x^2 + 0.2*x*y + y^2 - 13.25*x - 9.15*y + 59.75"
"""The same regression with each feature divided by its standard deviation (a by 2, b by 20: both in the
units of their spread), over the new weights x = 2*w1 and y = 20*w2: nearly a round bowl.

Its Hessian [[2, 0.2], [0.2, 2]] has curvatures 1.8 (along y = -x) and 2.2 (along y = x), condition number
1.22: the correlation 0.1 is all that is left of the valley. The rate must stay below 2/2.2 = 0.909; at
eta 0.5 = 2/(1.8 + 2.2) the factors 1 - 0.5*k are 0.1 and -0.1, equally far from 0. Measured with Descent2
from (0, 0), precision 1e-4: eta 0.5 converges after 6 updates at (6.2298, 3.9520), next to the least
squares weights of the scaled features (6.2298, 3.9520); eta 0.3 after 13, eta 0.1 after 43, eta 0.9 after
589 (bouncing across, factor -0.98), and eta 0.95 diverges."""
PRESETS: Final[dict[str, str]] = {
    "bowl": BOWL,
    "valley": VALLEY,
    "turned_valley": TURNED_VALLEY,
    "banana": BANANA,
    "regression_unscaled": REGRESSION_UNSCALED,
    "regression_scaled": REGRESSION_SCALED,
}
"""The preset surfaces by name."""

PRESET_PARTIALS: Final[dict[str, tuple[str, str]]] = {
    BOWL: ("2*x", "2*y"),
    VALLEY: ("2*x", "20*y"),
    TURNED_VALLEY: ("11*x - 9*y", "-(9*x) + 11*y"),
    BANANA: ("-(400*x*(-x**2 + y)) + 2*x - 2", "-(200*x**2) + 200*y"),
    REGRESSION_UNSCALED: ("8*x + 8*y - 26.5", "8*x + 800*y - 183"),
    REGRESSION_SCALED: ("2*x + 0.2*y - 13.25", "0.2*x + 2*y - 9.15"),
}
"""The presets' partial derivatives, as sympy derives and prints them (a test derives them again and
compares the trees): a preset's lab, and the lessons' labs, which use presets, then open without
importing sympy, which costs about 32 MiB and 0.2 s of CPU (measured with benchmarks/tui_bench.py: the
valley's lab was at 102 MiB when it derived them, against the 1-D lab's 65 MiB with the lecture's given
derivative). The 1-D lab gives the lecture's function its derivative in the same way."""

Vector: TypeAlias = tuple[float, float]
Matrix: TypeAlias = tuple[Vector, Vector]
"""A symmetric 2 x 2 matrix by rows, ((fxx, fxy), (fxy, fyy)): a Hessian."""
AXES: Final[tuple[Vector, Vector]] = ((1.0, 0.0), (0.0, 1.0))


def factor(eta: float, curvature: float) -> float:
    """What one update of plain gradient descent multiplies the offset from the bottom by, along a
    direction of constant ``curvature``: ``1 - eta*curvature`` (x - eta*k*x for the slope k*x)."""
    return 1.0 - eta * curvature


def largest_safe_rate(curvature: float) -> float | None:
    """``2 / curvature``: the rate at which the factor along this curvature reaches -1; below it the offset
    shrinks, above it the bounces grow. None for a curvature that is not positive (no bottom that way)."""
    return 2.0 / curvature if curvature > 0 else None


def steps_to_come(step: float, per_update: float) -> float:
    """The length the steps still to come add up to, if each is ``per_update`` (a factor in [0, 1)) times
    the one before and the last was ``step``: ``step * f / (1 - f)``; for a factor near 1 many times the
    step, the distance a crawl still has to go when the exit condition stops it."""
    return step * per_update / (1.0 - per_update)


def curvatures_of(hessian: Matrix) -> tuple[Vector, tuple[Vector, Vector]]:
    """The eigenvalues of a symmetric 2 x 2 matrix, ascending, and a unit eigenvector for each (its x
    part positive, or its y part when x's is 0); exactly the axes when the matrix is diagonal.

    Written out rather than numpy's, so that a diagonal matrix gives its own numbers and the axes, and the
    smaller eigenvalue keeps its digits when it is tiny beside the other (it is the determinant divided by
    the larger, not a difference of two nearly equal numbers)."""
    (a, b), (_, c) = hessian
    if not all(math.isfinite(v) for v in (a, b, c)):
        nan = math.nan
        return (nan, nan), ((nan, nan), (nan, nan))
    if b == 0:
        return ((a, c), AXES) if a <= c else ((c, a), (AXES[1], AXES[0]))
    mean, radius = (a + c) / 2, math.hypot((a - c) / 2, b)
    big = mean + math.copysign(radius, mean)  # the eigenvalue of larger size: no cancellation
    other = (a * c - b * b) / big
    low, high = sorted((big, other))
    return (low, high), (_eigenvector(a, b, c, low), _eigenvector(a, b, c, high))


def _eigenvector(a: float, b: float, c: float, value: float) -> Vector:
    # (b, value - a) and (value - c, b) are both eigenvectors when b != 0: the longer is the more accurate
    first, second = (b, value - a), (value - c, b)
    vx, vy = first if math.hypot(*first) >= math.hypot(*second) else second
    length = math.hypot(vx, vy)
    sign = -1.0 if vx < 0 or (vx == 0 and vy < 0) else 1.0
    return sign * vx / length, sign * vy / length


@dataclass(frozen=True)
class PlaneQuadratic:
    """A surface whose second partial derivatives are constants: its curvatures are the same everywhere
    (in 1-D, :class:`~gdtutor.engine.analysis.Quadratic`).

    ``curvatures`` ascending, ``directions`` a unit vector for each (exactly the axes when ``fxy`` is 0);
    ``centre`` the point where the gradient is 0 (the bottom, when both curvatures are positive), None when
    the Hessian is singular."""

    hessian: Matrix
    curvatures: Vector
    directions: tuple[Vector, Vector]
    centre: Vector | None

    @property
    def axis_aligned(self) -> bool:
        """Whether the curvature directions are the axes (no x*y term)."""
        return self.hessian[0][1] == 0

    @property
    def round(self) -> bool:
        """Whether the curvature is the same in every direction (a round bowl)."""
        return self.curvatures[0] == self.curvatures[1]

    @property
    def largest_safe_rate(self) -> float | None:
        """``2 / L``, L the largest curvature: plain descent converges on a bowl for every rate below it."""
        return largest_safe_rate(self.curvatures[1])

    def factors(self, eta: float) -> Vector:
        """``1 - eta*k`` for each curvature, in the order of :attr:`curvatures`."""
        return factor(eta, self.curvatures[0]), factor(eta, self.curvatures[1])

    def crossings(self, xs: Sequence[float], ys: Sequence[float]) -> tuple[int, int] | None:
        """How many times a path of points went past the centre along each curvature direction (the sign
        changes of its offset from the centre along it; an offset of exactly 0 changes nothing); None
        without a centre."""
        if self.centre is None:
            return None
        cx, cy = self.centre
        counts = []
        for dx, dy in self.directions:
            count, last = 0, 0.0
            for x, y in zip(xs, ys, strict=True):
                offset = (x - cx) * dx + (y - cy) * dy
                if offset and last and (offset > 0) != (last > 0):
                    count += 1
                if offset:
                    last = offset
            counts.append(count)
        return counts[0], counts[1]


def _preset_partials(tree: Node) -> tuple[str, str] | None:
    """The partial derivatives of the preset whose tree ``tree`` is (written in any spacing), if any."""
    return next((partials for text, partials in PRESET_PARTIALS.items() if parse(text, PLANE) == tree), None)


class Surface:
    """f(x, y) and its gradient (df/dx, df/dy), parsed safely; the partial derivatives are given or derived
    with sympy on first use.

    ``Surface(text)`` raises :class:`~gdtutor.engine.expr.ExpressionError` for a refused expression (a
    function of x alone is a surface too: one that does not depend on y).
    """

    def __init__(self, text: str, partials: tuple[str, str] | None = None) -> None:
        self.tree: Node = parse(text, PLANE)
        self.partials_given = partials is not None
        if partials is None:
            partials = _preset_partials(self.tree)  # the same trees sympy would derive, without sympy
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

    @cached_property
    def second_partial_trees(self) -> tuple[Node, Node, Node]:
        """The trees of fxx, fxy and fyy, the partial derivatives of df/dx and df/dy (raises
        :class:`~gdtutor.engine.expr.ExpressionError` when sympy's has no tree, as for abs's kink).
        Those of a polynomial are made without sympy (:func:`~gdtutor.engine.derive.polynomial_derivative`):
        the presets' curvatures then cost no import."""
        from .derive import derivative, polynomial_derivative

        dx, dy = self.partial_trees
        pairs = ((dx, "x"), (dx, "y"), (dy, "y"))
        fxx, fxy, fyy = (polynomial_derivative(tree, variable) for tree, variable in pairs)
        if fxx is not None and fxy is not None and fyy is not None:
            return fxx, fxy, fyy
        return derivative(dx, "x"), derivative(dx, "y"), derivative(dy, "y")

    @cached_property
    def quadratic(self) -> PlaneQuadratic | None:
        """The curvatures of f if its second partial derivatives use no variable (f is a quadratic in x
        and y, or simpler), else None (also when they cannot be derived)."""
        try:
            trees = self.second_partial_trees
            if any(variables_of(tree) for tree in trees):
                return None
            fxx, fxy, fyy = (evaluate(tree, 0.0, 0.0) for tree in trees)
        except (ExpressionError, ArithmeticError, ValueError):
            return None
        if not all(math.isfinite(v) for v in (fxx, fxy, fyy)):
            return None
        hessian = ((fxx, fxy), (fxy, fyy))
        curvatures, directions = curvatures_of(hessian)
        return PlaneQuadratic(hessian, curvatures, directions, self._centre(hessian))

    def _centre(self, hessian: Matrix) -> Vector | None:
        """Where the gradient of a quadratic is 0: its gradient is H*p + g(0, 0), so p = -H^-1 g(0, 0)."""
        (a, b), (_, c) = hessian
        det = a * c - b * b
        if det == 0:
            return None
        try:
            gx, gy = self.grad(0.0, 0.0)
        except (ArithmeticError, ValueError):
            return None
        centre = ((b * gy - c * gx) / det + 0.0, (b * gx - a * gy) / det + 0.0)  # + 0.0: no -0.0
        return centre if all(math.isfinite(v) for v in centre) else None

    @cached_property
    def _hessian_vec(self) -> Callable[[Any, Any], tuple[Any, Any, Any]]:
        return compile_trees(self.second_partial_trees, vector=True, variables=PLANE)

    def hessian_at(self, x: float, y: float) -> Matrix:
        """The Hessian at (x, y), from the second partial derivatives compiled from their trees (nan or inf
        where they have no finite value; raises ExpressionError when they cannot be derived)."""
        import numpy as np  # as the vector functions do: never raises on floats, gives inf or nan

        with np.errstate(all="ignore"):
            fxx, fxy, fyy = (float(v) for v in self._hessian_vec(np.float64(x), np.float64(y)))
        return (fxx, fxy), (fxy, fyy)

    def curvatures_at(self, x: float, y: float) -> Vector | None:
        """The curvatures at (x, y), ascending: the eigenvalues of the Hessian there (nan where it has no
        finite value), or None when the second partial derivatives cannot be derived."""
        try:
            hessian = self.hessian_at(x, y)
        except ExpressionError:
            return None
        return curvatures_of(hessian)[0]

    def grad_numpy(self, x: float, y: float) -> tuple[Any, Any]:
        """(df/dx, df/dy) at (x, y) as numpy float64s: inf or nan where :attr:`grad` on Python floats
        raises (an overflow, a domain error), as a numpy loop would have them."""
        import numpy as np  # needed once a run at most: loaded here rather than with the module

        with np.errstate(all="ignore"):
            gx, gy = self.grad_vec(np.float64(x), np.float64(y))
            return np.float64(gx), np.float64(gy)

    def __repr__(self) -> str:
        return f"Surface({self.text!r}, partials={self.partial_texts!r})"
