"""The lecture's loop, made safe: the same floats, plus outcomes the plain loop cannot report.

The lecture writes::

    last_x = x + 0.1
    while True:
        if np.abs(x - last_x) < precision:
            break
        last_x = x
        x = x - eta * g(x)

:class:`Descent` runs exactly these operations in the same order on Python floats (which round as
numpy's float64 does), so the trace equals the lecture's bit for bit. Around that loop it watches for
what would make the plain loop run forever: x or g(x) no longer finite (``diverged``), x repeating a
value it had before (``oscillating``: a deterministic loop that comes back to the same x repeats
itself forever) and an update limit (``max_iter``). The checks run between chunks of updates, so the
inner loop stays as cheap as the lecture's, and their result does not depend on the chunk size.
"""

from __future__ import annotations

import enum
import itertools
import math
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

from .function import Function
from .params import (
    DEFAULT_GAP,
    DEFAULT_MAX_ITER,
    DEFAULT_PRECISION,
    Run,
    check_numbers,
    random_start,
)
from .path import Path

CYCLE_WINDOW = 64
"""Longest cycle detected: x repeating a value it had at most this many updates before."""
CHUNK = 4096
"""Updates run between checks in :func:`descend`."""


class Status(enum.StrEnum):
    """How a run ended (``running`` while it has not)."""

    RUNNING = "running"
    CONVERGED = "converged"
    DIVERGED = "diverged"
    OSCILLATING = "oscillating"
    MAX_ITER = "max_iter"
    CANCELLED = "cancelled"


GROWTH_WINDOW = 2
"""Updates looked at to tell an explosion (|x| growing on each of them) from a domain problem."""
ROUNDING_ULPS = 64
"""A cycle whose values lie within this many units in the last place of x is a rounding cycle."""


class Update(NamedTuple):
    """One update ``last_x = x; x = x - eta * g(x)``, numbered from 1."""

    step: int
    last_x: float
    x: float

    @property
    def delta(self) -> float:
        """abs(x - last_x): what the exit condition compares with the precision."""
        return abs(self.x - self.last_x)


def last_x_at(trace: Sequence[float] | Path, steps: int, x0: float, gap: float) -> float:
    """What ``last_x`` is after ``steps`` updates: the x before the last one, or x0 + gap before any.

    The one place this rule of the lecture's loop is written.
    """
    return trace[steps - 1] if steps > 0 else x0 + gap


class RunState(NamedTuple):
    """A run as far as ``steps`` updates: what a status line or the code view shows of it."""

    steps: int
    x: float
    last_x: float
    status: Status
    """The run's outcome once it has ended at these updates (or was stopped there); ``running`` before."""

    @property
    def delta(self) -> float:
        """abs(x - last_x): what the exit condition compares with the precision."""
        return abs(self.x - self.last_x)

    @property
    def finished(self) -> bool:
        return self.status is not Status.RUNNING


@dataclass(kw_only=True)
class Ending:
    """How a run of either loop ended, besides its point and path (1-D :class:`DescentResult`, 2-D
    :class:`~gdtutor.engine.descent2.DescentResult2`): outcome, updates, the parameters, the period of
    an oscillation and the ``details`` for the explanation."""

    status: Status
    steps: int
    eta: float
    precision: float
    max_iter: int
    period: int = 0
    """For ``oscillating``: how many updates one round of the cycle takes."""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class DescentResult(Ending):
    """What a run did: outcome, number of updates, final x and its path (x0 first).

    ``details`` holds numbers and codes for the explanation: ``gap``; ``cause`` (``explode``,
    ``domain``, ``infinite``), ``bad`` (the first x that was not finite) and ``gx`` (g there) when
    diverged; ``slope`` (g at the final x) when converged; ``rounding`` when an oscillation is only
    rounding; ``trend`` (``growing``, ``shrinking``,
    ``steady``) at the update limit. :func:`gdtutor.telling.explain` puts them in words.
    """

    x: float
    x0: float
    path: Path
    """x0, then x after every update: whole for a short run (or when asked), thinned in its older part
    for a long one (see :mod:`gdtutor.engine.path`)."""

    @property
    def trace(self) -> array[float]:
        """Every x of the run, x0 first (a run long enough to be thinned raises :class:`Thinned`)."""
        return self.path.values()

    @property
    def last_x(self) -> float:
        """x before the last update (x0 + gap before any)."""
        return last_x_at(self.path, self.steps, self.x0, self.details.get("gap", DEFAULT_GAP))

    @property
    def delta(self) -> float:
        """abs(x - last_x) after the last update."""
        return abs(self.x - self.last_x)

    def to_dict(self, *, message: str = "") -> dict[str, Any]:
        """A JSON-ready summary (nan and inf become strings, since JSON has neither), with the
        outcome's ``message`` when the caller gives it words (the engine has none)."""
        return {
            "status": self.status.value,
            "steps": self.steps,
            "x": json_float(self.x),
            "x0": json_float(self.x0),
            "eta": self.eta,
            "precision": self.precision,
            "max_iter": self.max_iter,
            "period": self.period,
            **({"message": message} if message else {}),
            **self.path_dict(),
        }

    def path_dict(self) -> dict[str, Any]:
        """The path for JSON: ``trace`` (every x) when whole; else ``path`` (update numbers and x) thinned."""
        if self.path.whole:
            return {"trace_kept": "whole", "trace": [json_float(v) for v in self.path.recent]}
        steps, xs, _ = self.path.points()
        return {
            "trace_kept": "thinned",
            "path": {"update": steps.tolist(), "x": [json_float(float(v)) for v in xs]},
        }


def json_float(value: float) -> float | str:
    """A float JSON can hold: finite numbers as they are, inf and nan as the strings Python prints."""
    return value if math.isfinite(value) else repr(value)


UpdateT = TypeVar("UpdateT")
ResultT = TypeVar("ResultT")


class Chunked(Generic[UpdateT, ResultT]):
    """A loop that runs a given number of updates at a time, in chunks with the checks between them: what
    the 1-D :class:`Descent` and the 2-D :class:`~gdtutor.engine.descent2.Descent2` share. A subclass gives
    the loop's body (``_run``), the checks (``_finish_if_done``), what to do between chunks, its updates
    and its result."""

    status: Status
    eta: float
    precision: float
    max_iter: int
    gap: float
    period: int
    details: dict[str, Any]

    def _parameters(self, eta: float, precision: float, max_iter: int, gap: float) -> None:
        """Keep the parameters both loops have (checked already), as floats and an int."""
        self.eta, self.precision, self.max_iter, self.gap = float(eta), float(precision), int(max_iter), float(gap)

    def _begin(self) -> None:
        """Start the run (at the end of the constructor): ``running``, unless it ends before any update."""
        self.status = Status.RUNNING
        self.period = 0
        self.details = {"gap": self.gap}
        self._finish_if_done()

    @property
    def steps(self) -> int:
        """Updates made so far."""
        raise NotImplementedError

    @property
    def finished(self) -> bool:
        return self.status is not Status.RUNNING

    def cancel(self) -> None:
        """Stop the run; its status becomes ``cancelled`` (a run that has ended keeps its outcome)."""
        if not self.finished:
            self.status = Status.CANCELLED

    def result(self) -> ResultT:
        raise NotImplementedError

    def _ending(self) -> dict[str, Any]:
        """The fields of the result's :class:`Ending`, as the run stands."""
        names = ("status", "steps", "eta", "precision", "max_iter", "period")
        return {name: getattr(self, name) for name in names} | {"details": dict(self.details)}

    def to_end(self) -> ResultT:
        """Make every update left and give the result."""
        while not self.finished:
            self.run_updates(CHUNK)
        return self.result()

    def advance(self, n: int = 1) -> list[UpdateT]:
        """Make up to ``n`` updates (fewer if the run ends) and return them."""
        updates: list[UpdateT] = []
        while len(updates) < n and not self.finished:
            start = self.steps
            self.run_updates(min(n - len(updates), CHUNK))
            updates.extend(self._updates(start))
        return updates

    def run_updates(self, n: int) -> int:
        """Make up to ``n`` updates without returning them; returns how many were made."""
        start = self.steps
        # in chunks, with the checks between them: the path thins its older part there, so its memory
        # stays bounded however many updates are asked for at once
        while not self.finished and self.steps - start < n:
            self._run(min(n - (self.steps - start), CHUNK, self.max_iter - self.steps))
            self._finish_if_done()
            self._between_chunks()
        return self.steps - start

    def __iter__(self) -> Iterator[UpdateT]:
        """Iterate over the updates until the run ends."""
        while not self.finished:
            yield from self.advance(1)

    def _run(self, n: int) -> None:
        raise NotImplementedError

    def _finish_if_done(self) -> None:
        raise NotImplementedError

    def _between_chunks(self) -> None:
        raise NotImplementedError

    def _updates(self, start: int) -> list[UpdateT]:
        """The updates made after update ``start``."""
        raise NotImplementedError


class Descent(Chunked[Update, "DescentResult"]):
    """The lecture's loop as an object that runs a given number of updates at a time.

    ``advance(n)`` makes up to n updates and returns them; ``finished`` tells when the run has ended,
    and ``result()`` gives the :class:`DescentResult`. A UI steps it one update at a time, a worker
    thread in chunks, and :func:`descend` to the end.
    """

    def __init__(
        self,
        function: Function | str,
        eta: float,
        x0: float,
        *,
        precision: float = DEFAULT_PRECISION,
        max_iter: int = DEFAULT_MAX_ITER,
        gap: float = DEFAULT_GAP,
        whole_path: bool = False,
    ) -> None:
        check_numbers(eta=eta, precision=precision, max_iter=max_iter, x0=x0, gap=gap)
        self.function = Function.coerce(function)
        self._parameters(eta, precision, max_iter, gap)
        self.x0 = float(x0)
        self.x = self.x0
        self.last_x = self.x0 + self.gap
        self.path = Path(self.x0, recent=None) if whole_path else Path(self.x0)
        """x0, then x after every update: the recent ones whole, older ones thinned in a long run."""
        self._g = self.function.g
        self._begin()

    @classmethod
    def of(cls, run: Run, function: Function | None = None, *, whole_path: bool = False) -> Descent:
        """The descent a run's parameters describe (``function``: f and g made already)."""
        fn = function or run.make_function()
        return cls(fn, run.eta, run.x0, precision=run.precision, max_iter=run.max_iter, whole_path=whole_path)

    @property
    def trace(self) -> Path:
        """The path (indexable by update number, for the updates kept whole)."""
        return self.path

    @property
    def steps(self) -> int:
        """Updates made so far."""
        return self.path.steps

    def cancel(self, steps: int | None = None) -> None:
        """Stop the run; its status becomes ``cancelled``.

        With ``steps``, the run is also cut back to its first ``steps`` updates, as if it had been stopped
        right after them: a caller that has shown only those (Ctrl+C while it printed) then reports what
        it showed. This applies even to a run that has ended, if it ended after more updates.
        """
        if steps is not None and 0 <= steps < self.steps:
            self.path.cut(steps)
            self.period = 0
            self.details = {"gap": self.gap}
            self.status = Status.CANCELLED
        elif not self.finished:
            self.status = Status.CANCELLED
        if self.status is Status.CANCELLED:
            self._sync_with_trace()

    def _sync_with_trace(self) -> None:
        """Take x and last_x from the trace, the record of the updates made."""
        self.x = self.path[-1]
        self.last_x = last_x_at(self.path, self.steps, self.x0, self.gap)

    def state(self, steps: int | None = None) -> RunState:
        """The run as it was after ``steps`` updates (all made so far when None).

        Its status is the run's once those updates include the end (or the run was stopped), and
        ``running`` before: a UI revealing the updates one by one shows the end only when it gets there.
        """
        made = self.steps
        n = made if steps is None else max(0, min(steps, made))
        status = self.status if n >= made or self.status is Status.CANCELLED else Status.RUNNING
        return RunState(n, self.path[n], last_x_at(self.path, n, self.x0, self.gap), status)

    def _updates(self, start: int) -> list[Update]:
        path = self.path
        return [Update(i, path[i - 1], path[i]) for i in range(start + 1, self.steps + 1)]

    def _between_chunks(self) -> None:
        self.path.compact()

    def _run(self, n: int) -> None:
        """The lecture's loop body, ``n`` times at most, with nothing else in it."""
        x, last_x = self.x, self.last_x
        eta, precision, g = self.eta, self.precision, self._g
        below = -precision  # exact: -p < d < p is abs(d) < p for every float d, nan and inf included,
        trace = self.path.recent  # without the call to abs (about 10% of an update, measured by bench.py)
        append = trace.append
        target = len(trace) + n
        try:
            while True:
                try:
                    for _ in range(target - len(trace)):
                        if below < x - last_x < precision:
                            break
                        last_x = x
                        x = x - eta * g(x)
                        append(x)
                    break
                except (ArithmeticError, ValueError):
                    # g raised where numpy gives inf or nan (overflow, log of a negative, 1/0):
                    # make this one update as the lecture's numpy loop would, then go on.
                    x = self._numpy_update(x, eta)
                    append(x)
                    if not math.isfinite(x) or len(trace) >= target:
                        break
        except BaseException:
            # Ctrl+C (KeyboardInterrupt) can land anywhere in an update, say after last_x = x but before
            # the new x is appended: the trace holds the updates that were made, so the state follows it.
            # (A try block costs nothing in the loop until something is raised.)
            self._sync_with_trace()
            raise
        self.x, self.last_x = x, last_x

    def _numpy_update(self, x: float, eta: float) -> float:
        import numpy as np  # needed once a run, at most: loaded here rather than with the module

        return float(np.float64(x) - eta * self._g_numpy(x))

    def _g_numpy(self, x: float) -> float:
        import numpy as np

        with np.errstate(all="ignore"):
            return float(self.function.g_vec(np.float64(x)))

    def _finish_if_done(self) -> None:
        """Decide whether the run has ended, as the lecture's loop would at its next test."""
        trace, x = self.path.recent, self.x
        if abs(x - self.last_x) < self.precision:
            self.details["slope"] = self._g_numpy(x)  # what the exit test did not look at
            self.status = Status.CONVERGED
            return
        if not math.isfinite(x):
            first = len(trace) - 1  # once x is inf or nan it stays so: look back for where it began
            while first > 0 and not math.isfinite(trace[first - 1]):
                first -= 1
            del trace[first + 1 :]
            self._sync_with_trace()
            self.details["cause"] = self._divergence_cause()
            self.details["bad"] = self.x
            self.status = Status.DIVERGED
            return
        period = repeat_lag((trace,))
        if period:
            # first update at which x repeats itself; every exit test since has failed, so the plain
            # loop would go round this cycle forever
            del trace[len(trace) - since_repeat((trace,), period) :]
            self._sync_with_trace()
            self.period = period
            cycle = trace[-1 - period : -1]
            if max(cycle) - min(cycle) <= ROUNDING_ULPS * math.ulp(self.x):
                self.details["rounding"] = True
            self.status = Status.OSCILLATING
            return
        if self.steps >= self.max_iter:
            self.details["trend"] = _trend(trace)
            self.status = Status.MAX_ITER

    def _divergence_cause(self) -> str:
        """Why x stopped being finite at the last update (the trace ends at the first inf or nan).

        When g(last_x) was finite (the step itself overflowed: eta * g(x) too large) or |x| had grown on
        each of the last updates: ``unbounded`` if x went one way on its last updates (downhill on a
        function with no minimum that way, such as -x^2, whatever the rate), else ``explode`` (each
        update overshoots further); a finite x far enough out can overflow g (for instance
        x**3 in the slope of x**4; it may give inf or, as inf - inf, nan). Otherwise g(x) had no finite
        value at an x that was not running away, which no learning rate is to blame for: ``domain`` when
        it was nan (log or sqrt of a negative number), ``infinite`` when it was inf (log(x) or 1/x at 0).
        """
        gx = self._g_numpy(self.last_x)
        finite = self.path.tail(2 + GROWTH_WINDOW)[:-1]
        if math.isfinite(gx) or growing([abs(v) for v in finite]):
            # overshooting jumps from side to side; a run that went one way all along was going downhill
            # on a function with no bottom that way (-x^2): no learning rate is to blame for that
            return "unbounded" if one_way([(b - a,) for a, b in itertools.pairwise(finite)]) else "explode"
        self.details["gx"] = gx
        return "domain" if math.isnan(gx) else "infinite"

    def result(self) -> DescentResult:
        """The run so far (``status`` is ``running`` until it has ended)."""
        # the path copied: the run may go on, or be cut back
        return DescentResult(**self._ending(), x=self.x, x0=self.x0, path=self.path.copy())


def repeat_lag(traces: Sequence[Sequence[float]]) -> int:
    """The smallest lag p <= CYCLE_WINDOW at which the state repeats, or 0: ``t[-1] == t[-1 - p]`` for every
    trace t of the state (x alone in 1-D; x and y in 2-D, and the velocities with momentum)."""
    n = min(len(t) for t in traces)
    for p in range(1, min(CYCLE_WINDOW, n - 1) + 1):
        if all(t[-1] == t[-1 - p] for t in traces):
            return p
    return 0


def since_repeat(traces: Sequence[Sequence[float]], period: int) -> int:
    """How many of the last values of the traces come after the first update at which the state repeated
    itself with this period (the one to stop at: every update since goes round the cycle again)."""
    n = min(len(t) for t in traces)
    k = 0
    while n - 2 - k - period >= 0 and all(t[-2 - k] == t[-2 - k - period] for t in traces):
        k += 1
    return k


def growing(sizes: Sequence[float]) -> bool:
    """Whether the size of the point (|x|, or its distance from the origin) grew on each of the last
    GROWTH_WINDOW updates of ``sizes`` (on all, if fewer)."""
    recent = sizes[-1 - GROWTH_WINDOW :]
    return len(recent) > 1 and all(a < b for a, b in itertools.pairwise(recent))


def one_way(steps: Sequence[Sequence[float]]) -> bool:
    """Whether the last steps (at least two) all went the same way: each along the one before it (a
    positive dot product; in 1-D, the same sign)."""
    return len(steps) >= 2 and all(
        sum(a * b for a, b in zip(u, v, strict=True)) > 0 for u, v in itertools.pairwise(steps)
    )


def _trend(trace: array[float]) -> str:
    """Whether the last steps grew or shrank, to explain a run that hit the update limit."""
    if len(trace) < 4:
        return "steady"
    return trend(abs(trace[-1] - trace[-2]), abs(trace[-3] - trace[-4]))


def trend(recent: float, before: float) -> str:
    """``growing``, ``shrinking`` or ``steady``: the length of the last step against that of the one two
    updates before it (two apart, so that a zig-zag is compared side for side)."""
    if recent > before * 1.0000001:
        return "growing"
    if recent < before * 0.9999999:
        return "shrinking"
    return "steady"


def descend(
    function: Function | str,
    eta: float,
    x0: float | None = None,
    precision: float = DEFAULT_PRECISION,
    max_iter: int = DEFAULT_MAX_ITER,
    gap: float = DEFAULT_GAP,
    *,
    seed: int | None = None,
    callback: Callable[[Update], bool | None] | None = None,
    cancel: threading.Event | None = None,
    whole_path: bool = False,
) -> DescentResult:
    """Run gradient descent as the lecture does and return how it ended.

    ``x0`` defaults to the lecture's random integer in [0, 12), reproducible with ``seed``.
    ``callback`` is called with every update; returning False stops the run (``cancelled``), as does
    setting ``cancel``. The path is kept whole only with ``whole_path`` (or while it is short).
    """
    if x0 is None:
        x0 = random_start(seed)
    run = Descent(function, eta, x0, precision=precision, max_iter=max_iter, gap=gap, whole_path=whole_path)
    return drive(run, callback=callback, cancel=cancel)


def drive(
    run: Chunked[UpdateT, ResultT],
    *,
    callback: Callable[[UpdateT], bool | None] | None = None,
    cancel: threading.Event | None = None,
) -> ResultT:
    """Run ``run`` to its end and give its result: ``callback`` is called with every update (returning
    False stops the run, ``cancelled``), ``cancel`` is looked at between chunks of updates."""
    chunk = 256 if callback or cancel else CHUNK
    while not run.finished:
        if cancel is not None and cancel.is_set():
            run.cancel()
            break
        if callback is None:
            run.run_updates(chunk)
            continue
        for update in run.advance(chunk):
            if callback(update) is False:
                run.cancel()
                break
    return run.result()
