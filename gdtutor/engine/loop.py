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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from .expr import Compare, Node, evaluate_loop, parse_loop_part
from .function import Function

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


def parse_part(part: str, text: str) -> Node | Compare:
    """A part (a ``LoopPart`` of :mod:`~gdtutor.engine.params`) as typed, checked (raises ExpressionError)."""
    return parse_loop_part(text, condition=part == "exit")


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

    def alike(self, other: LoopRun) -> bool:
        """Same outcome and the same number of updates."""
        return self.stopped == other.stopped and self.steps == other.steps

    def same(self, other: LoopRun) -> bool:
        """Alike, and to the same x (nan is the same as nan): the same loop, as far as this case shows."""
        both_nan = self.x != self.x and other.x != other.x
        return self.alike(other) and (both_nan or self.x == other.x)


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
