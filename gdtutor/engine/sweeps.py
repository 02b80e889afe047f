"""Many learning rates at once: the lecture's loop vectorized with numpy over the rates.

All rates share the start, so every update is one numpy expression over the rates still running.
Updates are made in blocks of ``CYCLE_WINDOW`` without tests; then the block is examined as a whole for
the first exit test that held, the first value that stopped being finite, and the first repeat of an
earlier value, which are the rules :class:`~gdtutor.engine.descent.Descent` applies one rate at a time.
Rates that have ended drop out of the arrays, so the work shrinks as the sweep goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

import numpy as np

from .descent import CYCLE_WINDOW, Status, json_float
from .function import Function
from .params import DEFAULT_GAP, DEFAULT_MAX_ITER, DEFAULT_PRECISION, check_numbers

if TYPE_CHECKING:
    from .surface import Surface

_CODES = [Status.RUNNING, Status.CONVERGED, Status.DIVERGED, Status.OSCILLATING, Status.MAX_ITER]
_CONVERGED, _DIVERGED, _OSCILLATING, _MAX_ITER = 1, 2, 3, 4
_NEVER = np.iinfo(np.int64).max


@dataclass
class SweepResult:
    """Per-rate arrays: ``etas``, ``status`` (names as in :class:`Status`), ``steps``, ``x``, ``period``."""

    etas: np.ndarray
    status: np.ndarray
    steps: np.ndarray
    x: np.ndarray
    period: np.ndarray
    x0: float
    precision: float
    max_iter: int
    y: np.ndarray | None = None
    """The final y of each rate, for a function of x and y (None for a function of x)."""

    def __len__(self) -> int:
        return len(self.etas)

    def rows(self) -> list[dict[str, Any]]:
        """One JSON-ready object per rate (with its final y for a function of x and y)."""
        rows = [
            {"eta": float(e), "status": str(s), "steps": int(n), "x": json_float(float(v))}
            for e, s, n, v in zip(self.etas, self.status, self.steps, self.x, strict=True)
        ]
        if self.y is not None:
            for row, y in zip(rows, self.y, strict=True):
                row["y"] = json_float(float(y))
        return rows


def rates(low: float, high: float, count: int) -> np.ndarray:
    """``count`` learning rates evenly spaced from ``low`` to ``high``, each the float of the decimal a
    person writes: 0.4, where ``np.linspace(0.05, 1, 20)`` gives 0.39999999999999997 (and the run would
    use that). The ends are read as the shortest decimals that give them back, as typed; the steps are
    taken in decimal, and each rate is rounded to a float once."""
    if count < 2:
        return np.array([float(low)][:count])
    lo, hi = Decimal(repr(float(low))), Decimal(repr(float(high)))
    with localcontext() as context:
        context.prec = 50
        step = (hi - lo) / (count - 1)
        return np.array([float(lo + step * i) for i in range(count)])


def sweep(
    function: Function | str,
    etas: Any,
    x0: float,
    precision: float = DEFAULT_PRECISION,
    max_iter: int = DEFAULT_MAX_ITER,
    gap: float = DEFAULT_GAP,
) -> SweepResult:
    """Run the lecture's loop for every learning rate in ``etas`` from the same start."""
    fn = Function.coerce(function)
    etas = np.asarray(etas, dtype=float).ravel()
    bad = etas[~(np.isfinite(etas) & (etas > 0))]
    if bad.size:
        check_numbers(eta=float(bad[0]))  # raises, naming the first rate that cannot run
    check_numbers(precision=precision, max_iter=max_iter, x0=x0, gap=gap)
    n = len(etas)
    code = np.zeros(n, dtype=np.int8)
    steps = np.zeros(n, dtype=np.int64)
    period = np.zeros(n, dtype=np.int64)
    final = np.full(n, np.nan)

    g = fn.g_vec
    idx = np.arange(n)
    eta = etas.copy()
    x = np.full(n, float(x0))
    last = np.full(n, float(x0) + float(gap))
    prev: np.ndarray | None = None  # the previous block, for finding where a cycle began
    done_steps = 0
    with np.errstate(all="ignore"):
        while idx.size:
            rows = min(CYCLE_WINDOW, max_iter - done_steps)
            block = np.empty((rows + 1, idx.size))
            block[0] = x
            for k in range(1, rows + 1):
                np.subtract(block[k - 1], eta * g(block[k - 1]), out=block[k])
            at_limit = done_steps + rows >= max_iter

            # exit test before update k+1 (row 0 repeats the previous block's last test)
            moved = np.abs(np.diff(block, axis=0, prepend=last[np.newaxis]))
            first_exit = _first_true(moved < precision, rows, offset=0)
            first_bad = _first_true(~np.isfinite(block[1:]), rows, offset=1)
            history = block if prev is None else np.concatenate([prev[:-1], block])
            base = 0 if prev is None else prev.shape[0] - 1  # index of block[0] in history
            cycle_lag = _first_true(block[1:] == block[0], rows, offset=1)
            if at_limit:
                cycle_lag = np.minimum(cycle_lag, _end_lag(history))
            first_repeat = np.full(idx.size, _NEVER)
            for i in np.flatnonzero(cycle_lag != _NEVER):
                first_repeat[i] = _first_repeat(history[:, i], int(cycle_lag[i])) - base

            event = np.minimum(np.minimum(first_exit, first_bad), first_repeat)
            ended = event != _NEVER
            kind = np.where(first_exit == event, _CONVERGED, np.where(first_bad == event, _DIVERGED, _OSCILLATING))
            if at_limit:
                kind = np.where(ended, kind, _MAX_ITER)
                event = np.where(ended, event, rows)
                ended[:] = True
            where = idx[ended]
            code[where] = kind[ended]
            steps[where] = done_steps + event[ended]
            final[where] = history[base + event[ended], np.flatnonzero(ended)]
            period[where] = np.where(kind[ended] == _OSCILLATING, cycle_lag[ended], 0)

            keep = ~ended
            idx, eta = idx[keep], eta[keep]
            x, last = block[rows, keep], block[rows - 1, keep]
            prev = block[:, keep]
            done_steps += rows

    names = np.array([s.value for s in _CODES])
    return SweepResult(
        etas=etas,
        status=names[code],
        steps=steps,
        x=final,
        period=period,
        x0=float(x0),
        precision=float(precision),
        max_iter=int(max_iter),
    )


def sweep_plane(
    surface: Surface | str,
    etas: Any,
    x0: float,
    y0: float,
    *,
    beta: float = 0.0,
    precision: float = DEFAULT_PRECISION,
    max_iter: int = DEFAULT_MAX_ITER,
) -> SweepResult:
    """The 2-D loop for every learning rate in ``etas`` from the same start: each rate run by
    :class:`~gdtutor.engine.descent2.Descent2` itself, so every outcome is the one the lab shows (the
    loop is not vectorised as the 1-D sweep is: about 1 µs an update, a default sweep of 40 rates at most
    0.4 s at the default update limit)."""
    from .descent2 import Descent2
    from .surface import Surface

    plane = Surface.coerce(surface)
    etas = np.asarray(etas, dtype=float).ravel()
    results = [
        Descent2(plane, float(eta), x0, y0, beta=beta, precision=precision, max_iter=max_iter).to_end() for eta in etas
    ]
    return SweepResult(
        etas=etas,
        status=np.array([r.status.value for r in results]),
        steps=np.array([r.steps for r in results], dtype=np.int64),
        x=np.array([r.x for r in results], dtype=float),
        y=np.array([r.y for r in results], dtype=float),
        period=np.array([r.period for r in results], dtype=np.int64),
        x0=float(x0),
        precision=float(precision),
        max_iter=int(max_iter),
    )


def _first_true(mask: np.ndarray, rows: int, offset: int) -> np.ndarray:
    """Per column, the row (plus ``offset``) of the first True, or _NEVER."""
    hit = mask.any(axis=0)
    first = mask.argmax(axis=0).astype(np.int64) + offset
    return np.where(hit, first, _NEVER)


def _end_lag(history: np.ndarray) -> np.ndarray:
    """Per column, the smallest lag p <= CYCLE_WINDOW at which the last value was seen, or _NEVER."""
    last = history[-1]
    lag = np.full(history.shape[1], _NEVER)
    for p in range(min(CYCLE_WINDOW, history.shape[0] - 1), 0, -1):
        lag = np.where(history[-1 - p] == last, p, lag)
    return lag


def _first_repeat(column: np.ndarray, lag: int) -> int:
    """The first index i with column[i] == column[i - lag], scanning back from where it held last."""
    end = len(column) - 1
    while end - lag > 0 and column[end] != column[end - lag]:
        end -= 1
    while end - 1 - lag >= 0 and column[end - 1] == column[end - 1 - lag]:
        end -= 1
    return end
