"""The lecture's loop in two variables: gradient descent on a surface f(x, y), made safe as in 1-D.

The lesson writes the 1-D loop of :mod:`gdtutor.engine.descent` again for a point (x, y)::

    last_x, last_y = x + 0.1, y + 0.1
    while True:
        if sqrt((x - last_x)*(x - last_x) + (y - last_y)*(y - last_y)) < precision:
            break
        last_x, last_y = x, y
        gx, gy = grad(x, y)
        x, y = x - eta * gx, y - eta * gy

and, with momentum (the heavy ball, ``beta`` > 0), the update becomes ``vx = beta*vx - eta*gx`` and
``x = x + vx`` (the same for y; the velocities start at 0). :class:`Descent2` runs exactly these
operations in this order on Python floats, so that a plain Python loop written from the lesson's text
gives the same points bit for bit. With ``beta == 0`` it runs the plain loop above, not the momentum loop
with a zero beta: ``x + (0.0*vx - eta*gx)`` is ``x - eta*gx`` for finite numbers, but not for an infinite
velocity (0.0*inf is nan) or a negative zero (-0.0 + 0.0 is 0.0, -0.0 - 0.0 is -0.0).

**The length of a step** (the exit test), ``math.sqrt(dx*dx + dy*dy)`` with ``dx = x - last_x``: the
Euclidean norm as the formula writes it, one correctly rounded operation after another (two products, a
sum, a square root: IEEE 754 rounds each of them the same way on every machine, and numpy's float64
does too). Neither ``math.hypot`` nor ``numpy.linalg.norm`` is used: hypot avoids overflow by scaling
and may differ from the formula in the last bit, and norm's summation is numpy's (version-dependent);
a learner checking the engine with the lesson's few lines would then disagree with it about the update
at which the run stops. The squares are products, not ``**2``: Python's ``**`` goes through the C
library's pow (not required to round exactly as a product) and raises OverflowError for a step beyond
about 1e154, where the product gives inf as numpy does; so the lesson's text writes them as products.

The explanations of an outcome (is the run moving away, are its steps growing) measure with ``math.hypot``
instead: they decide no update, and the formula's squares overflow for the far points they look at.

Around the loop, as in 1-D: the point or the gradient no longer finite (``diverged``; a gradient that
raises on floats, an overflow or a domain error, is computed that once with numpy, which gives inf or
nan, as :class:`~gdtutor.engine.descent.Descent` does), the point repeating a value it had (``oscillating``;
with momentum the velocity must repeat too, since it is part of the state), the update limit
(``max_iter``: the same default and ceiling as 1-D, :data:`~gdtutor.engine.params.DEFAULT_MAX_ITER` and
:data:`~gdtutor.engine.params.MAX_UPDATES`), and cancellation between chunks. The path is bounded as in
1-D (:class:`~gdtutor.engine.path.PlanePath`).
"""

from __future__ import annotations

import itertools
import math
from array import array
from dataclasses import dataclass
from typing import Any, NamedTuple

from .descent import (
    CYCLE_WINDOW,
    GROWTH_WINDOW,
    ROUNDING_ULPS,
    Chunked,
    Descent,
    DescentResult,
    Ending,
    Status,
    growing,
    json_float,
    last_x_at,
    one_way,
    repeat_lag,
    since_repeat,
    trend,
)
from .params import DEFAULT_GAP, DEFAULT_MAX_ITER, DEFAULT_PRECISION, Run, check_numbers
from .path import PlanePath
from .surface import Surface


def step_length(dx: float, dy: float) -> float:
    """The length of a step, as the exit test computes it: ``math.sqrt(dx*dx + dy*dy)`` (see the module)."""
    return math.sqrt(dx * dx + dy * dy)


class PlaneState(NamedTuple):
    """A 2-D run as far as ``steps`` updates: what the lab's status line shows of it (1-D:
    :class:`~gdtutor.engine.descent.RunState`)."""

    steps: int
    x: float
    y: float
    last_x: float
    last_y: float
    status: Status
    """The run's outcome once it has ended at these updates (or was stopped there); ``running`` before."""

    @property
    def delta(self) -> float:
        """The length of the last step, what the exit condition compares with the precision."""
        return step_length(self.x - self.last_x, self.y - self.last_y)

    @property
    def finished(self) -> bool:
        return self.status is not Status.RUNNING


class Update2(NamedTuple):
    """One update of the 2-D loop, numbered from 1: the point before it and the point after it."""

    step: int
    last_x: float
    last_y: float
    x: float
    y: float

    @property
    def delta(self) -> float:
        """The length of the step, what the exit condition compares with the precision."""
        return step_length(self.x - self.last_x, self.y - self.last_y)


@dataclass(kw_only=True)
class DescentResult2(Ending):
    """What a 2-D run did: outcome, number of updates, final point and its path (the start first).

    ``details`` holds numbers and codes for the explanation, as in 1-D: ``gap``; ``cause`` (``explode``,
    ``unbounded``, ``domain``, ``infinite``), ``bad`` (the first point that was not finite) and, for a
    domain problem, ``gradient`` there when diverged; ``gradient`` (at the final point) when converged;
    ``rounding`` when an oscillation is only rounding; ``trend`` at the update limit.
    """

    x: float
    y: float
    x0: float
    y0: float
    path: PlanePath
    beta: float
    surface: Surface
    """The function the run descended (its curvatures explain the run)."""

    @property
    def gap(self) -> float:
        gap: float = self.details.get("gap", DEFAULT_GAP)
        return gap

    @property
    def last_x(self) -> float:
        return last_x_at(self.path.x, self.steps, self.x0, self.gap)

    @property
    def last_y(self) -> float:
        return last_x_at(self.path.y, self.steps, self.y0, self.gap)

    @property
    def delta(self) -> float:
        """The length of the last step."""
        return step_length(self.x - self.last_x, self.y - self.last_y)

    def to_dict(self, *, message: str = "") -> dict[str, Any]:
        """A JSON-ready summary (nan and inf become strings), with the outcome's ``message`` when the caller
        gives it words; the path as 1-D gives it, each point an ``[x, y]`` pair: ``trace`` (every point)
        when whole, else ``path`` (update numbers and points) thinned."""
        summary: dict[str, Any] = {
            "status": self.status.value,
            "steps": self.steps,
            "x": json_float(self.x),
            "y": json_float(self.y),
            "x0": self.x0,
            "y0": self.y0,
            "eta": self.eta,
            "beta": self.beta,
            "precision": self.precision,
            "max_iter": self.max_iter,
            "period": self.period,
            **({"message": message} if message else {}),
        }
        steps, xs, ys, _ = self.path.points()
        pairs = [[json_float(float(x)), json_float(float(y))] for x, y in zip(xs, ys, strict=True)]
        if self.path.whole:
            return summary | {"trace_kept": "whole", "trace": pairs}
        return summary | {"trace_kept": "thinned", "path": {"update": steps.tolist(), "points": pairs}}


class Descent2(Chunked[Update2, DescentResult2]):
    """The 2-D loop as an object that runs a given number of updates at a time, as
    :class:`~gdtutor.engine.descent.Descent` does in 1-D: ``advance(n)``, ``run_updates(n)``, ``to_end()``,
    ``finished``, ``cancel()``, ``result()``; :func:`~gdtutor.engine.descent.drive` runs it to its end
    with a callback for every update or a ``threading.Event`` that cancels it.

    >>> Descent2("x^2 + 10*y^2", 0.05, 1.0, 1.0).to_end().steps
    67
    """

    def __init__(
        self,
        surface: Surface | str,
        eta: float,
        x0: float,
        y0: float,
        *,
        beta: float = 0.0,
        precision: float = DEFAULT_PRECISION,
        max_iter: int = DEFAULT_MAX_ITER,
        gap: float = DEFAULT_GAP,
        whole_path: bool = False,
    ) -> None:
        check_numbers(eta=eta, precision=precision, max_iter=max_iter, x0=x0, y0=y0, gap=gap, beta=beta)
        self.surface = Surface.coerce(surface)
        self._parameters(eta, precision, max_iter, gap)
        self.beta = float(beta)
        self.x0, self.y0 = float(x0), float(y0)
        self.x, self.y = self.x0, self.y0
        self.last_x, self.last_y = self.x0 + self.gap, self.y0 + self.gap
        self.vx = self.vy = 0.0
        self.path = PlanePath(self.x0, self.y0, recent=None) if whole_path else PlanePath(self.x0, self.y0)
        # with momentum, the velocities of the last updates: part of the state a cycle must repeat
        self._velocities: tuple[array[float], array[float]] | None = (
            (array("d", [0.0]), array("d", [0.0])) if self.beta else None
        )
        self._dropped = 0
        """Velocities dropped from the front of those arrays (the first kept is that of this update)."""
        self._grad = self.surface.grad
        self._begin()

    @classmethod
    def of(cls, run: Run, surface: Surface | None = None, *, whole_path: bool = False) -> Descent2:
        """The descent a run's parameters describe (a function of x and y; ``surface``: made already)."""
        if run.y0 is None:
            raise ValueError("y0")  # a programming error: a run on a surface has its y0
        return cls(
            surface or run.make_surface(),
            run.eta,
            run.x0,
            run.y0,
            beta=run.beta,
            precision=run.precision,
            max_iter=run.max_iter,
            whole_path=whole_path,
        )

    @property
    def steps(self) -> int:
        return self.path.steps

    def cancel(self, steps: int | None = None) -> None:
        """Stop the run; its status becomes ``cancelled``. With ``steps``, the run is cut back to its first
        ``steps`` updates, as :meth:`Descent.cancel <gdtutor.engine.descent.Descent.cancel>` does (a
        stopped run is never continued: its velocity is left as it was)."""
        if steps is not None and 0 <= steps < self.steps:
            self.path.cut(steps)
            self.period = 0
            self.details = {"gap": self.gap}
            self.status = Status.CANCELLED
            self.x, self.y = self.path[-1]
            self.last_x = last_x_at(self.path.x, steps, self.x0, self.gap)
            self.last_y = last_x_at(self.path.y, steps, self.y0, self.gap)
        elif not self.finished:
            self.status = Status.CANCELLED

    def state(self, steps: int | None = None) -> PlaneState:
        """The run as it was after ``steps`` updates (all made so far when None); its status is
        ``running`` until those updates include the end, as 1-D's."""
        made = self.steps
        n = made if steps is None else max(0, min(steps, made))
        status = self.status if n >= made or self.status is Status.CANCELLED else Status.RUNNING
        x, y = self.path[n]
        last_x = last_x_at(self.path.x, n, self.x0, self.gap)
        return PlaneState(n, x, y, last_x, last_x_at(self.path.y, n, self.y0, self.gap), status)

    def _updates(self, start: int) -> list[Update2]:
        xs, ys = self.path.x, self.path.y
        return [Update2(i, xs[i - 1], ys[i - 1], xs[i], ys[i]) for i in range(start + 1, self.steps + 1)]

    def _between_chunks(self) -> None:
        self.path.compact()
        if self._velocities is not None:  # the last ones are enough to see a cycle
            drop = len(self._velocities[0]) - CYCLE_WINDOW - 1
            if drop > 0:
                for v in self._velocities:
                    del v[:drop]
                self._dropped += drop

    def _run(self, n: int) -> None:
        """The loop's body, ``n`` times at most, with nothing else in it."""
        x, y, last_x, last_y, vx, vy = self.x, self.y, self.last_x, self.last_y, self.vx, self.vy
        eta, beta, precision, grad, sqrt = self.eta, self.beta, self.precision, self._grad, math.sqrt
        xs, ys = self.path.x.recent, self.path.y.recent
        append_x, append_y = xs.append, ys.append
        target = len(xs) + n
        vxs, vys = self._velocities or (array("d"), array("d"))  # appended to only with momentum
        append_vx, append_vy = vxs.append, vys.append
        try:
            while True:
                try:
                    for _ in range(target - len(xs)):
                        dx, dy = x - last_x, y - last_y
                        if sqrt(dx * dx + dy * dy) < precision:
                            break
                        last_x, last_y = x, y
                        gx, gy = grad(x, y)
                        if beta:
                            vx = beta * vx - eta * gx
                            vy = beta * vy - eta * gy
                            x, y = x + vx, y + vy
                            append_vx(vx)
                            append_vy(vy)
                        else:  # the plain loop's floats, not x + (0.0*vx - eta*gx): see the module
                            x, y = x - eta * gx, y - eta * gy
                        append_x(x)
                        append_y(y)
                    break
                except (ArithmeticError, ValueError):
                    # grad raised where numpy gives inf or nan (overflow, log of a negative, 1/0): make this
                    # one update as a numpy loop would, then go on (last_x, last_y are already x, y)
                    x, y, vx, vy = self._numpy_update(x, y, vx, vy)
                    append_x(x)
                    append_y(y)
                    if beta:
                        append_vx(vx)
                        append_vy(vy)
                    if not (math.isfinite(x) and math.isfinite(y)) or len(xs) >= target:
                        break
        except BaseException:
            # Ctrl+C may land anywhere in an update: the state follows the updates recorded in full
            self._sync_with_trace()
            raise
        self.x, self.y, self.last_x, self.last_y, self.vx, self.vy = x, y, last_x, last_y, vx, vy

    def _numpy_update(self, x: float, y: float, vx: float, vy: float) -> tuple[float, float, float, float]:
        import numpy as np  # needed once a run at most: loaded here rather than with the module

        gx, gy = self.surface.grad_numpy(x, y)
        eta = self.eta
        if not self.beta:
            return float(np.float64(x) - eta * gx), float(np.float64(y) - eta * gy), vx, vy
        with np.errstate(all="ignore"):
            nvx = np.float64(self.beta) * np.float64(vx) - eta * gx
            nvy = np.float64(self.beta) * np.float64(vy) - eta * gy
            return float(np.float64(x) + nvx), float(np.float64(y) + nvy), float(nvx), float(nvy)

    def _traces(self) -> tuple[array[float], ...]:
        """The arrays of the state's history: x and y, and the velocities with momentum."""
        traces = (self.path.x.recent, self.path.y.recent)
        return traces if self._velocities is None else traces + self._velocities

    def _drop_last(self, k: int) -> None:
        """Drop the last ``k`` updates from every trace."""
        if k:
            for t in self._traces():
                del t[len(t) - k :]

    def _sync_with_trace(self) -> None:
        """Take the state from the traces, the record of the updates made (all cut to the updates that
        every one of them recorded)."""
        velocities = self._velocities
        steps = self.path.steps
        if velocities is not None:
            steps = min(steps, *(self._dropped + len(v) - 1 for v in velocities))
        self.path.cut(steps)
        if velocities is not None:
            for v in velocities:
                del v[steps - self._dropped + 1 :]
        self.x, self.y = self.path[-1]
        self.last_x = last_x_at(self.path.x, steps, self.x0, self.gap)
        self.last_y = last_x_at(self.path.y, steps, self.y0, self.gap)
        if velocities is not None:
            self.vx, self.vy = velocities[0][-1], velocities[1][-1]

    def _finish_if_done(self) -> None:
        """Decide whether the run has ended, as the loop would at its next test."""
        x, y = self.x, self.y
        if step_length(x - self.last_x, y - self.last_y) < self.precision:
            self.details["gradient"] = tuple(float(g) for g in self.surface.grad_numpy(x, y))
            self.status = Status.CONVERGED
            return
        if not (math.isfinite(x) and math.isfinite(y)):
            # once a coordinate is inf or nan the point stays not finite: look back for where it began
            xs, ys = self.path.x.recent, self.path.y.recent
            first = len(xs) - 1
            while first > 0 and not (math.isfinite(xs[first - 1]) and math.isfinite(ys[first - 1])):
                first -= 1
            self._drop_last(len(xs) - 1 - first)
            self._sync_with_trace()
            self.details["cause"] = self._divergence_cause()
            self.details["bad"] = (self.x, self.y)
            self.status = Status.DIVERGED
            return
        traces = self._traces()
        period = repeat_lag(traces)
        if period:
            # the first update at which the state repeats itself; every exit test since has failed, so the
            # plain loop would go round this cycle forever
            self._drop_last(since_repeat(traces, period))
            self._sync_with_trace()
            self.period = period
            xs, ys = self.path.x.recent, self.path.y.recent
            if all(
                max(c) - min(c) <= ROUNDING_ULPS * math.ulp(v)
                for c, v in ((xs[-1 - period : -1], self.x), (ys[-1 - period : -1], self.y))
            ):
                self.details["rounding"] = True
            self.status = Status.OSCILLATING
            return
        if self.steps >= self.max_iter:
            xs, ys = self.path.x.recent, self.path.y.recent
            if len(xs) < 4:
                self.details["trend"] = "steady"
            else:
                hypot = math.hypot  # an explanation, not the exit test: a far run's squares would overflow
                self.details["trend"] = trend(
                    hypot(xs[-1] - xs[-2], ys[-1] - ys[-2]), hypot(xs[-3] - xs[-4], ys[-3] - ys[-4])
                )
            self.status = Status.MAX_ITER

    def _divergence_cause(self) -> str:
        """Why the point stopped being finite at the last update, as 1-D tells it
        (:meth:`~gdtutor.engine.descent.Descent._divergence_cause`): the gradient at the last finite point
        finite, or the point moving away from the origin on each of the last updates: ``unbounded`` if it
        went one way (each step along the one before), else ``explode``; otherwise the gradient had no
        finite value at a point that was not running away: ``domain`` (nan) or ``infinite`` (inf)."""
        gx, gy = self.surface.grad_numpy(self.last_x, self.last_y)
        xs = self.path.x.tail(2 + GROWTH_WINDOW)[:-1]
        ys = self.path.y.tail(2 + GROWTH_WINDOW)[:-1]
        points = list(zip(xs, ys, strict=True))
        # the distance from the origin by math.hypot: an explanation, not the exit test, and the squares of a
        # point running away overflow (the formula would give inf for every one of its last points)
        if (math.isfinite(gx) and math.isfinite(gy)) or growing([math.hypot(px, py) for px, py in points]):
            steps = [(bx - ax, by - ay) for (ax, ay), (bx, by) in itertools.pairwise(points)]
            return "unbounded" if one_way(steps) else "explode"
        self.details["gradient"] = (float(gx), float(gy))
        return "domain" if math.isnan(gx) or math.isnan(gy) else "infinite"

    def result(self) -> DescentResult2:
        """The run so far (``status`` is ``running`` until it has ended)."""
        path = self.path.copy()
        return DescentResult2(
            **self._ending(),
            x=self.x,
            y=self.y,
            x0=self.x0,
            y0=self.y0,
            path=path,
            beta=self.beta,
            surface=self.surface,
        )


Result = DescentResult | DescentResult2
"""What a run of either loop gives."""


def descent_of(run: Run, *, whole_path: bool = False) -> Descent | Descent2:
    """The loop a run's parameters describe: 2-D for a function of x and y, the lecture's otherwise."""
    if run.plane:
        return Descent2.of(run, whole_path=whole_path)
    return Descent.of(run, whole_path=whole_path)
