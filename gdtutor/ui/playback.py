"""What the lab shows of its runs: the runs are computed ahead by a worker, and revealed at a pace.

No Textual here: the lab widget drives a :class:`Playback` from a timer and a worker thread, and the
tests drive it directly.
"""

from __future__ import annotations

import math
import threading
import time
from array import array
from collections.abc import Callable

from ..engine.descent import Descent, RunState
from ..engine.function import Function
from ..engine.params import START_RANGE, Setup

SPEEDS = (1, 2, 5, 10, 20, 50, 100, 1000, 10_000, math.inf)
"""Updates shown per second, slowest first; inf shows each update as soon as it is computed."""
DEFAULT_SPEED = 3  # index into SPEEDS: ten updates a second
WORKER_CHUNK = 1024
"""Updates a worker computes between looks at whether it was cancelled."""
PREVIEW_UPDATES = 300
"""Updates of the trial runs that fix the function chart's x range before a run is drawn."""


def preview_range(setup: Setup, function: Function) -> tuple[float, float]:
    """The x range the function chart keeps while a run is animated: where short trial runs go.

    Computed before the run so the axes stay still while the path is drawn. A random start not yet
    drawn is tried from both ends of the lecture's range, where any start may fall.
    """
    from ..charts import PLOT_LIMIT
    from ..engine.descent import descend

    if setup.random and setup.seed is None:
        starts = [float(START_RANGE[0]), float(START_RANGE[1] - 1)]
    else:
        starts = [setup.start()]
    points = [starts[0] - 1.0, starts[-1] + 1.0]
    for x0 in starts:
        for eta in setup.etas:
            run = descend(function, eta, x0, precision=setup.precision, max_iter=min(setup.max_iter, PREVIEW_UPDATES))
            points.extend(v for v in run.trace if abs(v) <= PLOT_LIMIT)
    return min(points), max(points)


class Playback:
    """One run and up to three compared runs, computed by a worker and revealed at ``speed``.

    The runs are the engine's :class:`Descent`; the playback only advances and cancels them, and reads
    their state as far as it has been shown.
    """

    def __init__(self, setup: Setup, function: Function | None = None) -> None:
        self.setup = setup
        self.function = function or setup.make_function()
        self.runs = [Descent.of(run, self.function) for run in setup.runs()]
        self.shown = 0
        """Updates of the main run revealed so far."""
        self.speed_index = DEFAULT_SPEED
        self.paused = False
        self.stopped = False
        self.lock = threading.Lock()
        self._budget = 0.0

    @property
    def main(self) -> Descent:
        return self.runs[0]

    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

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
        return self.stopped or (all(run.finished for run in self.runs) and self.shown >= self.longest)

    def compute(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Worker side: run every descent to its end, in chunks, until done or ``cancelled()``."""
        while not all(run.finished for run in self.runs):
            if self.stopped or cancelled():
                return
            for run in self.runs:
                with self.lock:
                    run.run_updates(WORKER_CHUNK)
                # hand the GIL to the UI thread between chunks: without this the event loop waits
                # up to the switch interval (5 ms) every time it needs the GIL back, and keys lag
                time.sleep(0)

    def step(self) -> bool:
        """Reveal one more update (computing it if needed); False when there is none."""
        with self.lock:
            for run in self.runs:
                if run.steps <= self.shown and not run.finished:
                    run.run_updates(1)
        if self.shown < self.longest:
            self.shown += 1
            return True
        return False

    def tick(self, seconds: float) -> bool:
        """Timer side: reveal what ``seconds`` at the current speed allow; True if anything changed."""
        if self.paused or self.stopped:
            return False
        available = self.longest
        if self.speed == math.inf:
            target = available
        else:
            self._budget += seconds * self.speed
            whole = int(self._budget)
            self._budget -= whole
            target = min(available, self.shown + whole)
        if target > self.shown:
            self.shown = target
            return True
        return False

    def skip_to_end(self) -> None:
        """Show everything computed so far, and the rest as soon as it is computed."""
        self.speed_index = len(SPEEDS) - 1
        self.shown = self.longest

    def stop(self) -> None:
        """Stop every run where it has been shown (its status becomes cancelled, unless its end was shown)."""
        self.stopped = True
        with self.lock:
            for run in self.runs:
                run.cancel(steps=self.shown)

    def faster(self) -> None:
        self.speed_index = min(self.speed_index + 1, len(SPEEDS) - 1)

    def slower(self) -> None:
        self.speed_index = max(self.speed_index - 1, 0)

    def trace(self, index: int = 0) -> array[float]:
        """A copy of the shown part of a run's path (x0 first), safe to read while the worker appends."""
        with self.lock:
            return self.runs[index].trace[: self.shown + 1]

    def view(self, index: int = 0) -> RunState:
        """Run ``index`` as far as it has been shown."""
        with self.lock:
            return self.runs[index].state(self.shown)
