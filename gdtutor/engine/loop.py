"""The lecture's loop with one part written by a learner, run beside the lecture's own.

The lecture's loop is::

    last_x = x + 0.1
    while True:
        if abs(x - last_x) < precision:   # the exit condition ("exit")
            break
        last_x = x                         # what last_x remembers ("remember")
        x = x - eta * g(x)                 # the update ("update")

A part a learner types is parsed by :func:`~gdtutor.engine.expr.parse_loop_part` (never by Python) and
put in its place; :func:`run_loop` runs the loop as written, one update at a time, up to a limit, so that
a loop that would never stop is seen to run to its limit. Two loops behave alike on a case when both
stop by their exit condition after the same number of updates, or both run to the limit.

Lesson 9 writes the loop for a point (x, y); its exit condition (:data:`PLANE_EXIT`) is the part a learner
writes there, and :func:`run_loop_plane` runs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from .expr import Compare, Node, evaluate_loop, parse_loop_part
from .function import Function
from .surface import Surface

LECTURE_PARTS: Final[dict[str, str]] = {
    "exit": "abs(x - last_x) < precision",
    "remember": "x",
    "update": "x - eta * g(x)",
}
"""The lecture's own parts, as the learner would type them."""
GAP: Final = 0.1
"""``last_x = x + 0.1``: the lecture's gap before the first test."""
PATH_KEPT: Final = 2_000
"""Most points of a run's path kept (a run to a limit of 100,000 keeps its start and last points)."""


PLANE_EXIT: Final = "sqrt((x - last_x)*(x - last_x) + (y - last_y)*(y - last_y)) < precision"
"""The exit condition of the loop written for a point (lesson 9): the length of the step, the Euclidean
norm with its squares as products, as :mod:`gdtutor.engine.descent2` computes it. The only part of that
loop a learner writes."""


def parse_part(part: str, text: str, *, plane: bool = False, without: frozenset[str] = frozenset()) -> Node | Compare:
    """A part (a ``LoopPart`` of :mod:`~gdtutor.engine.params`) as typed, checked (raises ExpressionError);
    with ``plane``, the exit condition of the loop for a point (x, y); ``without``, functions refused."""
    return parse_loop_part(text, condition=part == "exit", plane=plane, without=without)


@dataclass(frozen=True)
class LoopCase:
    """One run of the loop: where it starts, its rate and precision, and how many updates it may make."""

    x0: float
    eta: float
    precision: float = 1e-4
    max_iter: int = 1000


@dataclass
class LoopRun:
    """What a loop did on a case: whether its exit condition stopped it, after how many updates, and x."""

    stopped: bool
    steps: int
    x: float
    path: list[float] = field(default_factory=list)
    """x0 and x after each update, up to PATH_KEPT points."""
    y: float = 0.0
    """y at the end, for the loop of a point (x, y)."""
    ys: list[float] = field(default_factory=list)
    """y0 and y after each update, beside ``path``, for the loop of a point."""

    def alike(self, other: LoopRun) -> bool:
        """Same outcome and the same number of updates."""
        return self.stopped == other.stopped and self.steps == other.steps

    def same(self, other: LoopRun) -> bool:
        """Alike, and to the same point (nan is the same as nan): the same loop, as far as this case shows."""

        def equal(a: float, b: float) -> bool:
            return (a != a and b != b) or a == b

        return self.alike(other) and equal(self.x, other.x) and equal(self.y, other.y)


def run_loop(function: Function, case: LoopCase, typed: dict[str, Node | Compare] | None = None) -> LoopRun:
    """The lecture's loop on ``case``, with the parts in ``typed`` in place of the lecture's."""
    parts: dict[str, Node | Compare] = {}
    for name, text in LECTURE_PARTS.items():
        parts[name] = typed[name] if typed and name in typed else parse_part(name, text)
    g = function.g
    names = {"x": case.x0, "last_x": case.x0 + GAP, "eta": case.eta, "precision": case.precision}
    path = [case.x0]
    for steps in range(case.max_iter + 1):
        if evaluate_loop(parts["exit"], names, g) != 0:
            return LoopRun(True, steps, names["x"], path)
        if steps == case.max_iter:
            break
        names["last_x"] = evaluate_loop(parts["remember"], names, g)
        names["x"] = evaluate_loop(parts["update"], names, g)
        if len(path) < PATH_KEPT:
            path.append(names["x"])
    return LoopRun(False, case.max_iter, names["x"], path)


@dataclass(frozen=True)
class PlaneCase:
    """One run of the loop for a point: where it starts, its rate and precision, its update limit."""

    x0: float
    y0: float
    eta: float
    precision: float = 1e-4
    max_iter: int = 1000


def run_loop_plane(surface: Surface, case: PlaneCase, exit_test: Node | Compare | None = None) -> LoopRun:
    """The loop of lesson 9 on ``case``: ``exit_test`` (the learner's) in place of :data:`PLANE_EXIT`, the
    rest as written there (``last_x, last_y = x, y``; ``x, y = x - eta*gx, y - eta*gy``). A gradient that
    raises on floats (an overflow) is taken as numpy gives it, inf or nan, as the engine's loop does."""
    test = exit_test if exit_test is not None else parse_part("exit", PLANE_EXIT, plane=True)
    x, y = float(case.x0), float(case.y0)
    names = {"x": x, "y": y, "last_x": x + GAP, "last_y": y + GAP, "eta": case.eta, "precision": case.precision}
    path, ys = [x], [y]
    for steps in range(case.max_iter + 1):
        if evaluate_loop(test, names, _no_g) != 0:
            return LoopRun(True, steps, names["x"], path, names["y"], ys)
        if steps == case.max_iter:
            break
        x, y = names["x"], names["y"]
        names["last_x"], names["last_y"] = x, y
        gx, gy = _gradient(surface, x, y)
        names["x"], names["y"] = x - case.eta * gx, y - case.eta * gy
        if len(path) < PATH_KEPT:
            path.append(names["x"])
            ys.append(names["y"])
    return LoopRun(False, case.max_iter, names["x"], path, names["y"], ys)


def _gradient(surface: Surface, x: float, y: float) -> tuple[float, float]:
    try:
        return surface.grad(x, y)
    except (ArithmeticError, ValueError):
        gx, gy = surface.grad_numpy(x, y)
        return float(gx), float(gy)


def _no_g(value: float) -> float:
    raise TypeError("g")  # the exit condition of the loop for a point calls no g: its parser allows none
