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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..engine import Descent, Function, Status, random_start

if TYPE_CHECKING:
    import argparse

    from ..lessons.model import RunSpec

SPEEDS = (1, 2, 5, 10, 20, 50, 100, 1000, 10_000, math.inf)
"""Updates shown per second, slowest first; inf shows each update as soon as it is computed."""
DEFAULT_SPEED = 3  # index into SPEEDS: ten updates a second
WORKER_CHUNK = 1024
"""Updates a worker computes between looks at whether it was cancelled."""


@dataclass
class LabParams:
    """The parameters a learner sets in the lab."""

    function: str
    derivative: str | None = None
    eta: float = 0.1
    precision: float = 1e-4
    x0: float | None = 0.0
    seed: int | None = None
    max_iter: int = 10_000
    compare: list[float] = field(default_factory=list)

    @classmethod
    def from_spec(cls, spec: RunSpec | argparse.Namespace) -> LabParams:
        """A lesson's run (a lab's preset values, a question's run), or ``gdtutor lab``'s options."""
        return cls(
            function=spec.function,
            derivative=spec.derivative,
            eta=spec.eta,
            precision=spec.precision,
            x0=spec.x0,
            seed=spec.seed,
            max_iter=spec.max_iter,
            compare=list(spec.compare),
        )

    def start(self) -> float:
        """The start: x0, or the lecture's random integer for the seed."""
        return float(self.x0) if self.x0 is not None else float(random_start(self.seed))

    def make_function(self) -> Function:
        return Function.coerce(self.function, self.derivative)

    def preview_range(self, fn: Function | None = None) -> tuple[float, float]:
        """The x range the chart keeps while a run is animated: where a short trial run goes.

        Computed before the run so the axes stay still while the path is drawn.
        """
        from ..charts import PLOT_LIMIT
        from ..engine import descend

        fn = fn or self.make_function()
        x0 = self.start()
        points = [x0 - 1.0, x0 + 1.0]
        for eta in [self.eta, *self.compare]:
            trace = descend(fn, eta, x0, precision=self.precision, max_iter=min(self.max_iter, 300)).trace
            points.extend(v for v in trace if abs(v) <= PLOT_LIMIT)
        return min(points), max(points)


@dataclass(frozen=True)
class RunView:
    """A run as far as it has been shown: what the status line and the code view describe."""

    eta: float
    x0: float
    gap: float
    steps: int
    x: float
    last_x: float
    status: Status
    """The run's outcome once its end has been shown (or it was stopped); ``running`` before."""

    @property
    def finished(self) -> bool:
        return self.status is not Status.RUNNING


class Playback:
    """One run and up to three compared runs, computed by a worker and revealed at ``speed``."""

    def __init__(self, params: LabParams) -> None:
        self.params = params
        self.function = params.make_function()
        x0 = params.start()
        self.x0 = x0
        etas = [params.eta, *params.compare]
        self.runs = [
            Descent(self.function, eta, x0, precision=params.precision, max_iter=params.max_iter) for eta in etas
        ]
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
        """Stop every run (their status becomes cancelled); what was shown stays."""
        self.stopped = True
        with self.lock:
            for run in self.runs:
                if run.finished and self.shown >= run.steps:
                    continue  # its end was already shown: nothing was stopped
                del run.trace[self.shown + 1 :]
                run.x = run.trace[-1]
                run.last_x = run.trace[-2] if len(run.trace) > 1 else run.x0 + run.gap
                run.status = Status.CANCELLED

    def faster(self) -> None:
        self.speed_index = min(self.speed_index + 1, len(SPEEDS) - 1)

    def slower(self) -> None:
        self.speed_index = max(self.speed_index - 1, 0)

    def trace(self, index: int = 0) -> array[float]:
        """A copy of the shown part of a run's path (x0 first), safe to read while the worker appends."""
        with self.lock:
            return self.runs[index].trace[: self.shown + 1]

    def shown_finished(self, index: int = 0) -> bool:
        """Whether the shown part of run ``index`` already includes its end."""
        run = self.runs[index]
        return run.finished and self.shown >= run.steps

    def view(self, index: int = 0) -> RunView:
        """Run ``index`` as far as it has been shown."""
        run = self.runs[index]
        trace = self.trace(index)
        steps = len(trace) - 1
        ended = self.stopped or self.shown_finished(index)
        return RunView(
            eta=run.eta,
            x0=run.x0,
            gap=run.gap,
            steps=steps,
            x=trace[-1],
            last_x=trace[-2] if steps else run.x0 + run.gap,
            status=run.status if ended else Status.RUNNING,
        )
