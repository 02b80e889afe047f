"""The path of a run: x0 and x after every update, kept in bounded memory.

A run may make a million updates, and a lab runs four at once. The path keeps its recent updates
whole (what the exit test, the cycle check, the status line and the code view read) and, once it grows
past ``recent``, thins the older part: every ``stride``-th update is kept with the step that led to it
(``x - last_x``, what the step chart draws), and the stride doubles whenever the thinned part fills up.
Memory stays below about ``24 * (recent + samples)`` bytes, whatever the length of the run. With
``recent=None`` the path is kept whole.
"""

from __future__ import annotations

from array import array
from typing import Any

RECENT = 32_768
"""Updates a bounded path keeps whole before it thins the older ones (half of them stay whole)."""
SAMPLES = 16_384
"""Most thinned updates a bounded path keeps (8 bytes each for x, the step and the update number)."""


class Thinned(IndexError):
    """An update was asked for that the path no longer keeps whole: ``args`` are that update and the
    first one kept whole. A caller reads thinned paths with :meth:`Path.points`, or keeps them whole."""


class Path:
    """x0, then x after every update; whole while short, thinned in its older part once long."""

    __slots__ = ("before", "first", "limit", "recent", "sample_delta", "sample_step", "sample_x", "samples", "stride")

    def __init__(self, x0: float, *, recent: int | None = RECENT, samples: int = SAMPLES) -> None:
        self.recent: array[float] = array("d", [x0])
        """x at updates ``first``, ``first + 1``, ... up to the last one: appended to by the loop."""
        self.first = 0
        self.before = x0
        """x at update ``first - 1`` (for the step of the first recent update); x0 while nothing was thinned."""
        self.limit = recent
        self.samples = samples
        self.stride = 1
        self.sample_step: array[int] = array("q")
        self.sample_x: array[float] = array("d")
        self.sample_delta: array[float] = array("d")

    @property
    def steps(self) -> int:
        """Updates on the path."""
        return self.first + len(self.recent) - 1

    @property
    def x0(self) -> float:
        return self.sample_x[0] if self.first else self.recent[0]

    @property
    def whole(self) -> bool:
        """Whether every update is still kept (always, for a short run or an unbounded path)."""
        return self.first == 0

    def __len__(self) -> int:
        return self.steps + 1

    def __getitem__(self, step: int) -> float:
        """x after update ``step`` (negative counts from the end), for an update kept whole."""
        if step < 0:
            step += self.steps + 1
        if step < self.first:
            raise Thinned(step, self.first)
        return self.recent[step - self.first]

    def tail(self, count: int) -> array[float]:
        """The last ``count`` values of x (fewer if fewer are kept whole)."""
        return self.recent[-count:]

    def cut(self, steps: int) -> None:
        """Drop every update after ``steps`` (which must be kept whole)."""
        if steps < self.first:
            raise Thinned(steps, self.first)
        del self.recent[steps - self.first + 1 :]

    def compact(self) -> None:
        """Thin the older half of the recent updates once there are more than ``limit`` (between chunks)."""
        limit = self.limit
        if limit is None or len(self.recent) <= limit:
            return
        import numpy as np  # loaded only by a run long enough to be thinned

        recent, first = self.recent, self.first
        moved = len(recent) - limit // 2
        xs = np.frombuffer(recent, dtype=np.float64)[: moved + 1]
        with np.errstate(all="ignore"):
            deltas = np.diff(xs[:moved], prepend=self.before)
        if first == 0:
            deltas[0] = np.nan  # no update led to x0
        offset = -first % self.stride  # the first update moved whose number the stride divides
        self.sample_step.extend(range(first + offset, first + moved, self.stride))
        self.sample_x.frombytes(xs[offset : moved : self.stride].tobytes())
        self.sample_delta.frombytes(deltas[offset :: self.stride].tobytes())
        self.before = float(xs[moved - 1])
        del xs, deltas  # the buffer of ``recent`` is exported while numpy views it
        del recent[:moved]
        self.first = first + moved
        while len(self.sample_step) > self.samples:
            self.stride *= 2
            steps = np.frombuffer(self.sample_step, dtype=np.int64)
            keep = steps % self.stride == 0
            self.sample_step = array("q", steps[keep].tobytes())
            self.sample_x = array("d", np.frombuffer(self.sample_x, dtype=np.float64)[keep].tobytes())
            self.sample_delta = array("d", np.frombuffer(self.sample_delta, dtype=np.float64)[keep].tobytes())

    def points(self, upto: int | None = None) -> tuple[Any, Any, Any]:
        """Updates up to ``upto`` (all when None) as numpy arrays: update numbers, x, and x - last_x.

        The step of update 0 (x0) is nan: no update led there. Thinned updates come with the step that
        led to each, so a chart of the steps is right at every point it draws.
        """
        import numpy as np

        last = self.steps if upto is None else min(upto, self.steps)
        n_sampled = int(np.searchsorted(np.frombuffer(self.sample_step, dtype=np.int64), last, side="right"))
        recent = np.frombuffer(self.recent, dtype=np.float64)[: max(0, last - self.first + 1)]
        sampled = np.frombuffer(self.sample_step, dtype=np.int64)[:n_sampled]
        steps = np.concatenate([sampled, np.arange(self.first, self.first + len(recent))])
        xs = np.concatenate([np.frombuffer(self.sample_x, dtype=np.float64)[:n_sampled], recent])
        with np.errstate(all="ignore"):
            recent_deltas = np.diff(recent, prepend=self.before) if len(recent) else recent
        deltas = np.concatenate([np.frombuffer(self.sample_delta, dtype=np.float64)[:n_sampled], recent_deltas])
        if self.first == 0 and len(deltas):
            deltas = deltas.copy()
            deltas[0] = np.nan
        return steps, xs, deltas

    def copy(self) -> Path:
        other = Path.__new__(Path)
        other.recent = self.recent[:]
        other.first, other.before, other.limit = self.first, self.before, self.limit
        other.samples, other.stride = self.samples, self.stride
        other.sample_step, other.sample_x = self.sample_step[:], self.sample_x[:]
        other.sample_delta = self.sample_delta[:]
        return other

    def values(self) -> array[float]:
        """Every x of a whole path, x0 first."""
        if not self.whole:
            raise Thinned(0, self.first)
        return self.recent[:]


class PlanePath:
    """The path of a run in the plane (the 2-D lab): x and y after every update, each a :class:`Path`.

    The two are appended to together and thinned together, so they keep the same updates: a point of the
    path is ``(x[i], y[i])`` for every update i either keeps.
    """

    __slots__ = ("x", "y")

    def __init__(self, x0: float, y0: float, *, recent: int | None = RECENT, samples: int = SAMPLES) -> None:
        self.x = Path(x0, recent=recent, samples=samples)
        self.y = Path(y0, recent=recent, samples=samples)

    @property
    def steps(self) -> int:
        """Updates on the path (both coordinates have them all, but while an update is being appended)."""
        return min(self.x.steps, self.y.steps)

    @property
    def whole(self) -> bool:
        return self.x.whole

    def __len__(self) -> int:
        return self.steps + 1

    def __getitem__(self, step: int) -> tuple[float, float]:
        """(x, y) after update ``step`` (negative counts from the end), for an update kept whole."""
        if step < 0:
            step += self.steps + 1
        return self.x[step], self.y[step]

    def cut(self, steps: int) -> None:
        """Drop every update after ``steps`` (which must be kept whole)."""
        self.x.cut(steps)
        self.y.cut(steps)

    def compact(self) -> None:
        """Thin the older updates of both coordinates (between chunks, when both have every update)."""
        self.x.compact()
        self.y.compact()

    def points(self, upto: int | None = None) -> tuple[Any, Any, Any, Any]:
        """Updates up to ``upto`` (all when None) as numpy arrays: update numbers, x, y and the length of
        the step that led to each point (nan for the start), as :meth:`Path.points` gives them for x."""
        import numpy as np

        steps, xs, dx = self.x.points(upto)
        _, ys, dy = self.y.points(upto)
        with np.errstate(all="ignore"):  # the exit test's formula (descent2.step_length): inf where it is
            return steps, xs, ys, np.sqrt(dx * dx + dy * dy)

    def copy(self) -> PlanePath:
        other = PlanePath.__new__(PlanePath)
        other.x, other.y = self.x.copy(), self.y.copy()
        return other

    def values(self) -> tuple[array[float], array[float]]:
        """Every x and every y of a whole path, the start first."""
        return self.x.values(), self.y.values()
