"""Analysis the lessons need beside a run: what a learning rate does to a quadratic, and how far the
stop test's answer is from the true one."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .descent import DescentResult
from .expr import evaluate, has_x
from .function import Function
from .params import DEFAULT_GAP


@dataclass(frozen=True)
class Quadratic:
    """f(x) = (curvature / 2) * (x - minimum)**2 + c: each update multiplies the distance to the
    minimum by ``factor(eta) = 1 - eta * curvature``."""

    curvature: float
    """f''(x), the same everywhere."""
    minimum: float
    """Where g(x) = 0: the exact answer (5.75 for the lecture's function)."""

    def factor(self, eta: float) -> float:
        """The contraction factor 1 - eta * f''."""
        return 1.0 - eta * self.curvature

    def regime(self, eta: float) -> str:
        """``one update``, ``converges``, ``oscillates`` (bounces forever) or ``diverges``."""
        r = self.factor(eta)
        if r == 0:
            return "one update"
        if abs(r) < 1:
            return "converges"
        if r == -1:
            return "oscillates"
        return "diverges"

    @property
    def safe_range(self) -> tuple[float, float]:
        """Learning rates that converge: 0 < eta < 2 / f''."""
        return (0.0, 2.0 / self.curvature)

    @property
    def best_eta(self) -> float:
        """The rate that lands on the minimum in one update: 1 / f''."""
        return 1.0 / self.curvature

    def predicted_updates(self, eta: float, x0: float, precision: float, gap: float = DEFAULT_GAP) -> int | None:
        """How many updates the lecture's loop makes, from the factor alone; None if it never stops."""
        if abs(gap) < precision:
            return 0
        d0 = abs(x0 - self.minimum)
        first_step = d0 * eta * self.curvature  # |x1 - x0|
        r = abs(self.factor(eta))
        if first_step == 0:
            return 1
        if r == 0:
            return 1 if first_step < precision else 2
        if r >= 1:
            return None
        # the step before update n+1 is first_step * r**(n-1); stop at the first n where it is < precision
        if first_step < precision:
            return 1
        return math.floor(math.log(precision / first_step) / math.log(r)) + 2

    def distance_left(self, eta: float, last_step: float) -> float:
        """How far from the minimum the loop stops, given the last step: last_step * |r| / (1 - r)."""
        r = self.factor(eta)
        return last_step * abs(r) / (1 - r)


def quadratic(function: Function | str) -> Quadratic | None:
    """The function as a :class:`Quadratic` if f'' is a positive constant, else None."""
    fn = Function.coerce(function)
    from .derive import derivative

    second = derivative(fn.derivative_tree)
    if has_x(second):
        return None
    curvature = evaluate(second, 0.0)
    if not curvature > 0:
        return None
    return Quadratic(curvature, -fn.g(0.0) / curvature)


@dataclass(frozen=True)
class StopGap:
    """What the stop test measured beside what it did not: the last step and the true distance."""

    last_step: float
    """abs(x - last_x) when the loop stopped: what the exit condition compares with the precision."""
    distance: float
    """abs(x - answer): how far from the true minimum the loop really stopped."""


def stop_gap(result: DescentResult, answer: float) -> StopGap:
    """Compare the stop test's step with the true distance to ``answer``."""
    return StopGap(result.delta, abs(result.x - answer))
