"""Linear regression two ways: the normal equation and gradient descent, timed side by side.

The lecture ends with the normal equation (正规方程): w = (X^T X)^-1 X^T y is exact, but forming
X^T X costs about n*d^2 multiplications and solving the d x d system about d^3, for n rows and d
features. Gradient descent replaces that with updates w = w - eta * X^T (X w - y) / n, each about
2*n*d multiplications, and stops as the lecture's loop does, when an update moves w by less than the
precision.

The race (:func:`race`) keeps the data's shape as it grows (``samples_per_feature`` rows per
feature), so gradient descent needs about the same number of updates at every size and the counts
say: the normal equation's time grows like d^3, one descent's like d^2. Where they cross depends on
the machine: numpy forms X^T X with a matrix-matrix product that runs many times faster per
multiplication than the matrix-vector products of an update (which must read X from memory twice),
so the descent wins only once d is in the hundreds or thousands. The default sizes reach 2,000
features so that the large end is past the crossover on an ordinary machine.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np

from .params import (
    DEFAULT_GAP,
    DEFAULT_PRECISION,
    MAX_NUMBERS,
    RACE_FEATURES,
    RACE_SAMPLES_PER_FEATURE,
    ParameterError,
    ParameterProblem,
)
from .slots import POLL, Pool, Turn

RACE_SEED: Final = 0
"""Seed of the race's data: every machine races on the same numbers."""
LECTURE_FEATURES: Final = 100_000
"""The lecture's "very many features": the race's fitted growth is extrapolated to it."""
POWER_ROUNDS: Final = 5
"""Power iterations that estimate the largest curvature L of the loss, for the rate eta = 1 / L."""
RUNS: Final = (2, 3)
"""Each size is timed at least 2 and at most 3 times, the two methods in turn (normal equation, descent,
normal equation, ...), and each method's best time kept: a stray delay on a shared machine then has to
hit both runs of a method to count, and hits both methods alike. A third run is made while the runs so
far took less than REPEAT_WHILE seconds: the small sizes get the best of three."""
REPEAT_WHILE: Final = 0.5

Winner = Literal["normal", "gd"]


@dataclass
class RegressionData:
    X: np.ndarray
    y: np.ndarray
    w_true: np.ndarray


def make_data(samples: int, features: int, *, seed: int = RACE_SEED, noise: float = 0.1) -> RegressionData:
    """Random standardised features and y = X w_true + noise, reproducible with ``seed``."""
    if samples * features > MAX_NUMBERS:
        raise ParameterError([ParameterProblem("samples", "too_large", f"{samples * features:,}", high=MAX_NUMBERS)])
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((samples, features))
    w_true = rng.uniform(-2, 2, features)
    y = X @ w_true + noise * rng.standard_normal(samples)
    return RegressionData(X, y, w_true)


def normal_equation(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Solve X^T X w = X^T y as a user would write it: ``np.linalg.solve(X.T @ X, X.T @ y)``.

    It needs X^T X invertible: at least as many independent rows as features (numpy raises
    ``LinAlgError`` for an exactly singular matrix, and returns noise for a nearly singular one).
    """
    w: np.ndarray = np.linalg.solve(X.T @ X, X.T @ y)
    return w


@dataclass
class GDResult:
    w: np.ndarray
    updates: int
    converged: bool
    eta: float


def gradient_descent(
    X: np.ndarray,
    y: np.ndarray,
    *,
    eta: float | None = None,
    precision: float = DEFAULT_PRECISION,
    max_iter: int = 100_000,
    should_stop: Callable[[], bool] | None = None,
) -> GDResult:
    """Batch gradient descent on the mean squared error from w = 0, stopping as the lecture's loop
    does: when an update moves every weight by less than ``precision``.

    Without ``eta``, the learning rate is 1 / L, with L the largest curvature of the loss (the largest
    eigenvalue of X^T X / n) estimated by :func:`largest_curvature`: the multi-variable form of "0.5 is
    best for f'' = 2". Each update is two matrix-vector products with X and a few vector operations.
    """
    n, d = X.shape
    if eta is None:
        eta = 1.0 / largest_curvature(X)
    scale = eta / n
    w = np.zeros(d)
    Xt = X.T
    # the lecture's loop starts with last_x = x + gap: a precision above the gap makes no update
    if DEFAULT_GAP < precision:
        return GDResult(w, 0, True, eta)
    updates = 0
    with np.errstate(over="ignore", invalid="ignore"):  # a rate too large makes w inf, then stops
        while updates < max_iter:
            if should_stop is not None and should_stop():
                break
            step = Xt @ (X @ w - y)
            step *= scale
            w -= step
            updates += 1
            biggest = float(np.max(np.abs(step)))
            if biggest < precision:
                return GDResult(w, updates, True, eta)
            if not math.isfinite(biggest):
                break
    return GDResult(w, updates, False, eta)


def largest_curvature(X: np.ndarray, rounds: int = POWER_ROUNDS) -> float:
    """The largest eigenvalue L of X^T X / n, estimated by a few power iterations (the Rayleigh
    quotient, which approaches L from below).

    Each round costs what one update costs. A bound from the norm of X would cost one pass and be
    safe, but for data like the race's it is far too large (the Frobenius norm gives trace(X^T X) / n,
    about d times L), and so would make eta about d times too small. An estimate from below is safe
    as long as it is above L / 2: eta = 1 / estimate is then below 2 / L, where every update still
    shrinks the error; a few rounds from a random start get well past that for the race's data.
    """
    n, d = X.shape
    v = np.asarray(np.random.default_rng(1).standard_normal(d), dtype=float)
    v = v / np.linalg.norm(v)
    value = 1.0
    for _ in range(rounds):
        u = X.T @ (X @ v)
        value = float(v @ u) / n
        size = float(np.linalg.norm(u))
        if size == 0:
            return 1.0
        v = u / size
    return value


@dataclass
class RaceRow:
    """One size of the race: times in seconds (best of a few for quick ones) and how far each answer
    is from numpy's least-squares solution (``np.linalg.lstsq``, largest difference of a weight)."""

    features: int
    samples: int
    normal_seconds: float
    gd_seconds: float
    gd_updates: int
    eta: float
    normal_error: float
    gd_error: float
    normal_runs: list[float] = field(default_factory=list)
    """Every timed run of the normal equation, in seconds (``normal_seconds`` is the fastest)."""
    gd_runs: list[float] = field(default_factory=list)
    """Every timed run of gradient descent, in seconds (``gd_seconds`` is the fastest)."""

    @property
    def winner(self) -> Winner:
        """The faster method at this size."""
        return "gd" if self.gd_seconds < self.normal_seconds else "normal"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"winner": self.winner}


def race_one(
    samples: int,
    features: int,
    *,
    seed: int = RACE_SEED,
    precision: float = DEFAULT_PRECISION,
    cancel: threading.Event | None = None,
) -> RaceRow | None:
    """Time both methods on one generated data set (None if ``cancel`` was set on the way)."""

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    data = make_data(samples, features, seed=seed)
    normal_runs: list[float] = []
    gd_runs: list[float] = []
    spent = 0.0
    for run in range(RUNS[1]):
        if run >= RUNS[0] and spent >= REPEAT_WHILE:
            break
        if cancelled():
            return None
        start = time.perf_counter()
        w_normal = normal_equation(data.X, data.y)
        middle = time.perf_counter()
        gd = gradient_descent(data.X, data.y, precision=precision, should_stop=cancelled)
        end = time.perf_counter()
        normal_runs.append(middle - start)
        gd_runs.append(end - middle)
        spent += end - start
    if cancelled():
        return None
    reference = np.linalg.lstsq(data.X, data.y, rcond=None)[0]
    return RaceRow(
        features=features,
        samples=samples,
        normal_seconds=min(normal_runs),
        gd_seconds=min(gd_runs),
        gd_updates=gd.updates,
        eta=gd.eta,
        normal_error=float(np.max(np.abs(w_normal - reference))),
        gd_error=float(np.max(np.abs(gd.w - reference))),
        normal_runs=normal_runs,
        gd_runs=gd_runs,
    )


def warm_up() -> None:
    """Run both methods once on a small problem, untimed: a process's first calls into numpy's linear
    algebra load it and start its threads (a quarter of a second, measured), which is no part of either
    method's cost. The problem is the race's smallest shape doubled, large enough for threads."""
    data = make_data(RACE_SAMPLES_PER_FEATURE * 250, 250)
    normal_equation(data.X, data.y)
    gradient_descent(data.X, data.y)
    np.linalg.lstsq(data.X, data.y, rcond=None)


def race(
    features: Sequence[int] = RACE_FEATURES,
    samples_per_feature: int = RACE_SAMPLES_PER_FEATURE,
    *,
    seed: int = RACE_SEED,
    cancel: threading.Event | None = None,
) -> Iterator[RaceRow]:
    """Time both methods as the number of features grows, one row per size as soon as it is measured
    (stops early, without a row, when ``cancel`` is set)."""
    warm_up()
    for d in features:
        row = race_one(samples_per_feature * d, d, seed=seed, cancel=cancel)
        if row is None:
            return
        yield row


# --- the race in a process of its own -------------------------------------------------------------------


class RaceAborted(RuntimeError):
    """The race's process ended before its last row (``exitcode`` as the operating system gave it)."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__(f"exitcode={exitcode}")
        self.exitcode = exitcode


class RaceProcess:
    """:func:`race`, run by a new Python process: iterate for the rows as they come; the process is
    ended (killed if need be) within ``poll`` seconds of ``cancel`` being set, and on :meth:`close`
    (or leaving the ``with`` block).

    A numpy call cannot be interrupted, and the largest sizes spend seconds in one (lstsq, X^T X): in
    a thread, quitting the app would wait for it. A process can be ended at once, and the race's
    memory (X alone is 256 MB at 2,000 features) goes back with it. The rows come as JSON lines.

    On a server that limits races (:mod:`gdtutor.engine.slots`), the process starts once a slot is
    taken: the constructor waits in line (looking every ``turn_poll`` seconds), tells ``waiting`` where
    the race stands whenever that changes, and raises :class:`~gdtutor.engine.slots.Cancelled` if
    ``cancel`` is set meanwhile (:class:`~gdtutor.engine.slots.PoolError` or ``OSError`` if the pool
    cannot be used). The race's process gets the slot's descriptor: the slot stays held as long as that
    process, and its memory, lives, and is freed by its end, even if this process was killed first.
    """

    def __init__(
        self,
        features: Sequence[int] = RACE_FEATURES,
        samples_per_feature: int = RACE_SAMPLES_PER_FEATURE,
        *,
        seed: int = RACE_SEED,
        cancel: threading.Event | None = None,
        poll: float = 0.05,
        waiting: Callable[[Turn], None] | None = None,
        turn_poll: float = POLL,
    ) -> None:
        self.cancel = cancel or threading.Event()
        pool = Pool.from_environment()
        self.slot = pool.take(self.cancel, waiting, turn_poll) if pool else None
        """The slot this race holds on a server that limits races (None: no limit)."""
        package_root = str(Path(__file__).resolve().parents[2])  # this gdtutor, wherever sys.path found it
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        words = [str(samples_per_feature), str(seed), *map(str, features)]
        try:
            self.child = subprocess.Popen(  # noqa: S603 - this interpreter, this module, whole numbers
                [sys.executable, "-m", __spec__.name if __spec__ else __name__, *words],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                pass_fds=(self.slot.fd,) if self.slot else (),
            )
        except BaseException:
            self._release()
            raise
        self._closed = threading.Event()
        self.finished = False
        """Whether every row came (the race ran to its end)."""
        threading.Thread(target=self._watch, args=(poll,), daemon=True).start()

    def _watch(self, poll: float) -> None:
        # ends the child when cancelled: its pipe then closes, and the reading loop ends
        while self.child.poll() is None and not self._closed.is_set():
            if self.cancel.wait(poll):
                self.child.kill()
                return

    @property
    def returncode(self) -> int | None:
        """The process's exit status once it has ended (negative: ended by that signal)."""
        return self.child.returncode

    def __iter__(self) -> Iterator[RaceRow]:
        assert self.child.stdout is not None
        for line in self.child.stdout:
            if not line.strip():
                self.finished = True
                break
            yield RaceRow(**json.loads(line))
        self.child.wait()
        self._release()
        if not self.finished and not self.cancel.is_set():
            raise RaceAborted(self.child.returncode)

    def close(self) -> None:
        """End the process (if it still runs) and wait for it."""
        self._closed.set()
        if self.child.poll() is None:
            self.child.kill()
        self.child.wait()
        self._release()
        if self.child.stdout is not None:
            self.child.stdout.close()

    def _release(self) -> None:
        """Close this process's descriptor of the slot (the race's process has ended, or never began)."""
        if self.slot is not None:
            self.slot.release()

    def __enter__(self) -> RaceProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _child(words: Sequence[str]) -> None:
    """The race's process: ``samples_per_feature seed features...`` in, one JSON line per row out,
    then an empty line."""
    samples_per_feature, seed, *features = map(int, words)
    for row in race(features, samples_per_feature, seed=seed):
        sys.stdout.write(json.dumps(asdict(row)) + "\n")
        sys.stdout.flush()
    sys.stdout.write("\n")
    sys.stdout.flush()


# --- what the rows say ----------------------------------------------------------------------------------

Method = Literal["normal", "gd"]
SECONDS: dict[Method, str] = {"normal": "normal_seconds", "gd": "gd_seconds"}
RUNS_OF: dict[Method, str] = {"normal": "normal_runs", "gd": "gd_runs"}
COST_EXPONENT: Final[dict[Method, int]] = {"normal": 3, "gd": 2}
"""How each method's count of multiplications grows with the features d at the race's shape (n = k*d
rows): the normal equation's n*d^2 + d^3 like d^3; a descent's 2*n*d per update, with as many updates at
every size, like d^2."""
STEEPER_BY: Final = 1.0
"""A time that grows faster than d^(COST_EXPONENT + STEEPER_BY) is not the method's law: a slower memory
or fewer threads can make each multiplication dearer as d grows (the normal equation's time has grown like
d^3.4 on a quiet machine), but not twice as dear per doubling."""
MIN_EXPONENT: Final = 0.05
"""A smaller exponent (shown as 0.0 or less) says the time did not grow while the work did."""
MAX_UNCERTAINTY: Final = 0.5
"""The largest uncertainty of a fitted exponent that is still told: how far the exponent could move if
each fitted size's best time were its second best instead (one stray delay among three runs is
forgiven, as the best is kept; with two runs, both must agree). On a quiet machine it was 0.02 to 0.25;
0.5 is a factor of 1.4 per doubling of the features."""

Fit = Literal["law", "shrank", "too_steep", "scattered"]
"""What a fitted growth is worth. ``law``: the timings follow a power of the features the method can
have. Not a law (the timings were too noisy to fit one), and why: ``shrank``, the time fell or stayed
(an exponent below MIN_EXPONENT) while the work grew, which no method's time can do; ``too_steep``, it
grew far faster than the method's count of multiplications allows (COST_EXPONENT + STEEPER_BY);
``scattered``, the runs at one size disagree by more than the growth can be read through
(MAX_UNCERTAINTY)."""


@dataclass
class Growth:
    """time ~ constant * features**exponent, fitted on the largest sizes of a race, and whether the
    fit is a law (``fit``) or the timings were too noisy to say."""

    method: Method
    exponent: float
    constant: float
    uncertainty: float
    """How far the exponent could move within the runs' disagreement (0 with one run per size)."""
    fit: Fit
    disagreement: float = 0.0
    """The largest :func:`spread` of the sizes fitted: log(second best / best run)."""

    @property
    def is_law(self) -> bool:
        """Whether the exponent may be told as the method's growth."""
        return self.fit == "law"

    @property
    def cost(self) -> int:
        """The exponent of the method's count of multiplications (COST_EXPONENT)."""
        return COST_EXPONENT[self.method]

    def seconds(self, features: float) -> float:
        return float(self.constant * features**self.exponent)


FIT_SIZES: Final = 2
"""The growth is fitted on this many of the largest sizes: the small ones are dominated by fixed
costs and by the processor's cache (X of the race's 500 features, 16 MB, fits in the cache of many
machines; at 1,000 features it does not), which the counts of multiplications do not see. With two
sizes the line meets both points, so the fit's residuals say nothing: how far it can be trusted comes
from the runs at each size (MAX_UNCERTAINTY)."""


def spread(runs: Sequence[float]) -> float:
    """How far a size's best time may be off, on a log scale: log(second best / best), 0 for one run."""
    best = sorted(runs)[:2]
    if len(best) < 2 or not all(r > 0 and math.isfinite(r) for r in best):
        return 0.0
    return math.log(best[1] / best[0])


def judge(method: Method, exponent: float, uncertainty: float) -> Fit:
    """Whether a fitted exponent is ``method``'s growth, or why not (see :data:`Fit`)."""
    if not exponent >= MIN_EXPONENT:
        return "shrank"
    if exponent > COST_EXPONENT[method] + STEEPER_BY:
        return "too_steep"
    if uncertainty > MAX_UNCERTAINTY:
        return "scattered"
    return "law"


def growth(rows: Sequence[RaceRow], method: Method, last: int = FIT_SIZES) -> Growth | None:
    """How ``method``'s time grows with the features, fitted (least squares on logarithms of the best
    times) over the ``last`` largest sizes, and judged (:func:`judge`); None with fewer than two sizes.

    The uncertainty is the most the least-squares slope moves when each size's log time moves by its
    :func:`spread`: sum |x_i - mean x| * spread_i / sum (x_i - mean x)^2, with x = log features."""
    points = [
        (math.log(r.features), math.log(getattr(r, SECONDS[method])), spread(getattr(r, RUNS_OF[method])))
        for r in rows[-last:]
    ]
    points = [p for p in points if math.isfinite(p[1])]
    if len(points) < 2 or len({p[0] for p in points}) < 2:
        return None
    xs, ys, spreads = zip(*points, strict=True)
    slope, intercept = np.polyfit(xs, ys, 1)
    mean = sum(xs) / len(xs)
    uncertainty = sum(abs(x - mean) * s for x, s in zip(xs, spreads, strict=True)) / sum((x - mean) ** 2 for x in xs)
    exponent = float(slope)
    fit = judge(method, exponent, uncertainty)
    return Growth(method, exponent, float(math.exp(intercept)), uncertainty, fit, max(spreads))


def crossover(rows: Sequence[RaceRow]) -> int | None:
    """The smallest measured size from which gradient descent wins at every larger size, or None if
    it does not win at the largest (or the normal equation wins nowhere: there is nothing to cross)."""
    if not rows or rows[-1].winner != "gd" or all(r.winner == "gd" for r in rows):
        return None
    since = len(rows) - 1
    while since > 0 and rows[since - 1].winner == "gd":
        since -= 1
    return rows[since].features


@dataclass
class Costs:
    """Counts of one linear regression with n rows and d features (multiplications and numbers)."""

    samples: int
    features: int

    @property
    def gram(self) -> int:
        """Multiplications to form X^T X: n * d^2."""
        return self.samples * self.features**2

    @property
    def solve(self) -> int:
        """Multiplications to solve the d x d system, in round figures: d^3."""
        return self.features**3

    @property
    def normal(self) -> int:
        """The normal equation: n * d^2 + d^3."""
        return self.gram + self.solve

    @property
    def update(self) -> int:
        """One descent update, in round figures: n * d (two products with X: 2 * n * d)."""
        return self.samples * self.features

    @property
    def gram_numbers(self) -> int:
        """Numbers held by X^T X: d^2 (8 bytes each)."""
        return self.features**2

    @property
    def data_numbers(self) -> int:
        """Numbers held by X: n * d."""
        return self.samples * self.features


@dataclass
class Extrapolation:
    """The race's measured speeds carried to ``features`` (rows as in the race): estimated, not measured.

    Each method's seconds per multiplication is measured at the largest sizes (geometric mean over
    FIT_SIZES sizes) and multiplied by its count at the new size: n*d^2 + d^3 for the normal equation;
    2*n*d per update and per power iteration for the descent, with as many updates as at the largest
    sizes (the data keeps its shape, so its conditioning, and so the number of updates, stays).
    Carrying the fitted exponents 50 times further would turn the noise of two timings into factors
    of ten; the counts carry only the noise of the speeds.
    """

    features: int
    samples: int
    gd_updates: int
    normal_seconds: float
    gd_seconds: float
    costs: Costs

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": self.features,
            "samples": self.samples,
            "gd_updates": self.gd_updates,
            "normal_seconds": self.normal_seconds,
            "gd_seconds": self.gd_seconds,
            "normal_multiplications": self.costs.normal,
            "update_multiplications": 2 * self.costs.update,
            "gram_bytes": 8 * self.costs.gram_numbers,
            "data_bytes": 8 * self.costs.data_numbers,
        }


def _descent_multiplications(costs: Costs, updates: int) -> int:
    """A descent's multiplications: two products with X per update and per power iteration."""
    return 2 * costs.update * (updates + POWER_ROUNDS)


def extrapolate(
    rows: Sequence[RaceRow], features: int = LECTURE_FEATURES, last: int = FIT_SIZES
) -> Extrapolation | None:
    """Both methods' measured speeds carried to ``features`` features (None with fewer than two sizes)."""
    if len(rows) < 2:
        return None
    fitted = rows[-last:]
    per = fitted[-1].samples // fitted[-1].features
    updates = round(sum(r.gd_updates for r in fitted) / len(fitted))

    def per_multiplication(seconds: Callable[[RaceRow], float], count: Callable[[RaceRow], int]) -> float:
        return math.exp(sum(math.log(seconds(r) / count(r)) for r in fitted) / len(fitted))

    normal = per_multiplication(lambda r: r.normal_seconds, lambda r: Costs(r.samples, r.features).normal)
    gd = per_multiplication(
        lambda r: r.gd_seconds, lambda r: _descent_multiplications(Costs(r.samples, r.features), r.gd_updates)
    )
    costs = Costs(per * features, features)
    return Extrapolation(
        features, per * features, updates, normal * costs.normal, gd * _descent_multiplications(costs, updates), costs
    )


@dataclass
class RaceSummary:
    """What a race's rows say: the fitted growth, the crossover and the extrapolation."""

    rows: list[RaceRow]
    normal: Growth | None
    gd: Growth | None
    crossover: int | None
    extrapolation: Extrapolation | None

    @classmethod
    def of(cls, rows: Sequence[RaceRow]) -> RaceSummary:
        return cls(list(rows), growth(rows, "normal"), growth(rows, "gd"), crossover(rows), extrapolate(rows))

    @property
    def fitted_on(self) -> list[int]:
        """The sizes (features) the growth and the extrapolation were fitted on."""
        return [r.features for r in self.rows[-FIT_SIZES:]] if len(self.rows) >= 2 else []

    def to_dict(self) -> dict[str, Any]:
        """Plain numbers and codes, for JSON."""
        return {
            "samples_per_feature": self.rows[0].samples // self.rows[0].features if self.rows else None,
            "precision": DEFAULT_PRECISION,
            "power_iterations": POWER_ROUNDS,
            "rows": [r.to_dict() for r in self.rows],
            "growth": {
                "fitted_on": self.fitted_on,
                "normal_exponent": self.normal.exponent if self.normal else None,
                "gd_exponent": self.gd.exponent if self.gd else None,
                "normal_fit": self.normal.fit if self.normal else None,
                "gd_fit": self.gd.fit if self.gd else None,
                "normal_uncertainty": self.normal.uncertainty if self.normal else None,
                "gd_uncertainty": self.gd.uncertainty if self.gd else None,
            },
            "crossover": self.crossover,
            "extrapolation": self.extrapolation.to_dict() if self.extrapolation else None,
        }


if __name__ == "__main__":
    _child(sys.argv[1:])
