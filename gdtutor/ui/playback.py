"""What the lab shows of its runs: the runs are computed ahead by a worker, and revealed at a pace.

No Textual here: the lab widget drives a :class:`Playback` from a timer and a worker thread, and the
tests drive it directly.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from ..charts import PLOT_LIMIT, Trial, plane_span
from ..engine.descent import Descent, RunState
from ..engine.descent2 import Descent2, PlaneState
from ..engine.function import Function
from ..engine.params import START_RANGE, Setup
from ..engine.surface import Surface

SPEEDS = (1, 2, 5, 10, 20, 50, 100, 1000, 10_000, math.inf)
"""Updates shown per second, slowest first; inf shows each update as soon as it is computed."""
DEFAULT_SPEED = 3  # index into SPEEDS: ten updates a second
RAMP = 30
"""Updates shown at the speed set; beyond them the pace grows with the updates shown (see Playback.rate)."""
WORKER_CHUNK = 1024
"""Updates a worker computes between looks at whether it was cancelled."""
AHEAD = 4 * WORKER_CHUNK
"""Most updates the worker computes beyond what is shown (fewer than a path keeps whole)."""
WAIT = 0.1
"""Seconds a worker that is far enough ahead waits before it looks again (it is woken sooner when
more is shown, or the run is stopped)."""
PREVIEW_UPDATES = 300
"""Updates of the trial runs that fix the function chart's x range before a run is drawn."""
NEAR = 10.0
"""How far from the start the function chart looks for the lowest point of f to show."""
SWINGS = 2
"""First updates of a diverging run the function chart always shows: it is seen jumping to one side
and then to the other before it leaves the chart."""
WIDEN = 10.0
"""How many widths of what the settling runs need the function chart may widen for a diverging
run's further swings (wider, and the curve the others follow would be flattened)."""


def preview_range(setup: Setup, function: Function) -> tuple[float, float]:
    """The x range the function chart keeps while a run is animated: what the learner needs to see.

    The start and the lowest point of f near it, widened to take in where short trial runs go. A run
    that diverges is seen swinging: its first :data:`SWINGS` updates are always in the range (which
    is then centred, so that both sides show), and more of them as long as the range stays within
    :data:`WIDEN` widths of the rest; further out it leaves the chart rather than flatten the curve.
    Computed before the run, so the axes stay still while the path is drawn. A random start not yet
    drawn is tried from both ends of the lecture's range.
    """
    import numpy as np

    from ..engine.descent import descend

    if setup.random and setup.seed is None:
        starts = [float(START_RANGE[0]), float(START_RANGE[1] - 1)]
    else:
        starts = [setup.start()]
    core = list(starts)
    away: list[list[float]] = []
    for x0 in starts:
        grid = np.linspace(x0 - NEAR, x0 + NEAR, 801)
        with np.errstate(all="ignore"):
            ys = np.asarray(function.f_vec(grid), dtype=float) * np.ones_like(grid)
        finite = np.isfinite(ys)
        if finite.any():
            core.append(float(grid[finite][np.argmin(ys[finite])]))
        for eta in setup.etas:
            run = descend(function, eta, x0, precision=setup.precision, max_iter=min(setup.max_iter, PREVIEW_UPDATES))
            if run.status == "diverged" or run.details.get("trend") == "growing":
                away.append([v for v in run.trace if math.isfinite(v) and abs(v) <= PLOT_LIMIT])
            else:
                core.extend(run.trace)  # where a run that settles (or keeps bouncing) goes: all of it
    low, high = min(core), max(core)
    width = max(high - low, 2.0)
    reach = (low - WIDEN * width, high + WIDEN * width)
    points = [low, high]
    for trace in away:
        points.extend(trace[: SWINGS + 1])
        points.extend(v for v in trace if reach[0] <= v <= reach[1])
    if min(points) >= low and max(points) <= high:
        return low, high
    middle = (low + high) / 2
    half = max(abs(v - middle) for v in points)
    return middle - half, middle + half


PLANE_PREVIEW_UPDATES = 3000
"""Updates of the trial runs that fix the plane chart's rectangle: more than 1-D's, since a slow run on a
surface takes thousands of updates to show where it goes (a few milliseconds)."""


def preview_plane(setup: Setup, surface: Surface) -> tuple[tuple[float, float], tuple[float, float]]:
    """The rectangle the plane chart keeps while a run on a surface is animated
    (:func:`gdtutor.charts.plane_span`), from trial runs of every rate: computed before the run, so the
    axes and the level lines stay still while the path is drawn. A random start not yet drawn is tried
    from two corners of the lecture's range."""
    if setup.random and setup.seed is None:
        low, high = float(START_RANGE[0]), float(START_RANGE[1] - 1)
        starts = [(low, low), (high, high)]
    else:
        starts = [setup.start_point()]
    trials = []
    for x0, y0 in starts:
        for eta in setup.etas:
            limit = min(setup.max_iter, PLANE_PREVIEW_UPDATES)
            run = Descent2(surface, eta, x0, y0, beta=setup.beta, precision=setup.precision, max_iter=limit).to_end()
            _, xs, ys, _ = run.path.points()
            away = run.status == "diverged" or run.details.get("trend") == "growing"
            trials.append(Trial(xs, ys, away))
    return plane_span(surface.f_vec, starts, trials)


class Playback:
    """One run and up to three compared runs, computed by a worker and revealed at ``speed``.

    The runs are the engine's :class:`Descent`; the playback only advances and cancels them, and reads
    their state as far as it has been shown. The worker keeps at most ``AHEAD`` updates ahead of what
    is shown (the runs keep their recent updates whole, so what is shown can always be read exactly),
    except when the learner asked for the end (``to_end``) or the fastest speed: then it computes
    without waiting and the end is shown as it comes.
    """

    def __init__(self, setup: Setup, function: Function | None = None) -> None:
        self.setup = setup
        self.plane = setup.plane
        """Whether the runs are of the 2-D loop (a function of x and y): then :attr:`surface` is theirs,
        and :attr:`function` is None."""
        self.function: Function | None = None
        self.surface: Surface | None = None
        self.runs: Sequence[Descent | Descent2]
        if self.plane:
            self.surface = setup.make_surface()
            self.runs = [Descent2.of(run, self.surface) for run in setup.runs()]
        else:
            self.function = function or setup.make_function()
            self.runs = [Descent.of(run, self.function) for run in setup.runs()]
        self.shown = 0
        """Updates of the main run revealed so far."""
        self.speed_index = DEFAULT_SPEED
        self.paused = False
        self.stopped = False
        self.to_end = False
        """The learner asked for this run's end: shown as soon as it is computed (this run only)."""
        self.ramp = True
        """Whether the pace rises with the updates shown (until the learner sets a speed)."""
        self.lock = threading.Lock()
        self._wake = threading.Event()
        self._budget = 0.0

    @property
    def main(self) -> Descent | Descent2:
        return self.runs[0]

    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

    @property
    def rate(self) -> float:
        """Updates shown per second now. At the default pace (``ramp``): the speed for the first RAMP
        updates, then rising with the updates shown (a run of 350 updates at 10 a second took 35 s,
        one of 3,881 over six minutes; now the first updates are watched one by one and a long run
        still ends in seconds). A speed the learner chose with + or - is kept as it is."""
        return self.speed * max(1.0, self.shown / RAMP) if self.ramp else self.speed

    @property
    def racing(self) -> bool:
        """Whether updates are shown as soon as they are computed (to the end, or the fastest speed)."""
        return self.to_end or self.speed == math.inf

    @property
    def computed(self) -> int:
        """Updates of the main run the worker has computed."""
        return self.main.steps

    @property
    def longest(self) -> int:
        return max(run.steps for run in self.runs)

    @property
    def finished(self) -> bool:
        """All runs have ended and every update has been shown."""
        ended = all(run.finished for run in self.runs)
        return self.stopped or (ended and (self.racing or self.shown >= self.longest))

    def compute(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Worker side: run every descent to its end, in chunks, keeping at most AHEAD updates ahead
        of what is shown unless racing; returns when done, stopped or ``cancelled()``."""
        while not all(run.finished for run in self.runs):
            if self.stopped or cancelled():
                return
            limit = None if self.racing else self.shown + AHEAD
            busy = False
            for run in self.runs:
                todo = WORKER_CHUNK if limit is None else min(WORKER_CHUNK, limit - run.steps)
                if todo > 0 and not run.finished:
                    with self.lock:
                        run.run_updates(todo)
                    busy = True
                    # hand the GIL to the UI thread between chunks: without this the event loop waits
                    # up to the switch interval (5 ms) every time it needs the GIL back, and keys lag
                    time.sleep(0)
            if not busy:  # far enough ahead: wait until more is shown (or the run is stopped)
                self._wake.wait(WAIT)
                self._wake.clear()

    def step(self) -> bool:
        """Reveal one more update (computing it if needed); False when there is none."""
        with self.lock:
            if self.racing:  # from the end or the fastest speed: go on from what was computed
                self.shown = self.longest
            self.to_end = False
            for run in self.runs:
                if run.steps <= self.shown and not run.finished:
                    run.run_updates(1)
            if self.shown < self.longest:
                self.shown += 1
                moved = True
            else:
                moved = False
        self._wake.set()
        return moved

    def tick(self, seconds: float) -> bool:
        """Timer side: reveal what ``seconds`` at the current speed allow; True if anything changed."""
        if self.paused or self.stopped:
            return False
        with self.lock:
            available = self.longest
            if self.racing:
                target = available
            else:
                self._budget += seconds * self.rate
                whole = int(self._budget)
                self._budget -= whole
                target = min(available, self.shown + whole)
            moved = target > self.shown
            if moved:
                self.shown = target
        self._wake.set()
        return moved

    def skip_to_end(self) -> None:
        """Show this run's end as soon as it is computed (the speed of later runs stays as it was)."""
        self.paused = False
        self.to_end = True
        with self.lock:
            self.shown = self.longest
        self._wake.set()

    def stop(self) -> None:
        """Stop every run where it has been shown (its status becomes cancelled, unless its end was shown)."""
        self.stopped = True
        with self.lock:
            if self.racing:
                self.shown = self.longest
            for run in self.runs:
                run.cancel(steps=self.shown)
        self._wake.set()

    def _set_speed(self, index: int) -> None:
        self.ramp = False  # the learner's own speed, kept as set
        with self.lock:
            if self.racing and SPEEDS[index] != math.inf:
                self.shown = self.longest  # from the fastest speed to a slower one: go on from here
            self.speed_index = index
        self._wake.set()

    def faster(self) -> None:
        self._set_speed(min(self.speed_index + 1, len(SPEEDS) - 1))

    def slower(self) -> None:
        self._set_speed(max(self.speed_index - 1, 0))

    def points(self, index: int = 0) -> tuple[Any, ...]:
        """Run ``index``'s path as far as shown, as arrays: update numbers, x and steps (x - last_x); on a
        surface, update numbers, x, y and the steps' lengths."""
        with self.lock:
            return self.runs[index].path.points(None if self.racing else self.shown)

    def view(self, index: int = 0) -> RunState | PlaneState:
        """Run ``index`` as far as it has been shown."""
        with self.lock:
            return self.runs[index].state(None if self.racing else self.shown)
