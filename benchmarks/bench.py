"""Engine benchmarks: ``python benchmarks/bench.py`` (``--quick`` for a smaller, faster check).

Every figure is a ratio of times taken in this one process, with the contestants interleaved and the
best of three rounds kept on both sides, because the machines are shared and a bare time means little.

The baseline is what a learner writes after the lecture: its loop, with ``g(x)`` a plain Python
function of a float (``def g(x): return 2 * (x - 3.5) - 4.5``), capped at ``max_iter`` so that the
rates that never stop can be timed at all. Nothing of gdtutor is in it: no ``Function`` object, no
checks. The targets are measured against it. The same loop on numpy scalars (the lecture's ``x``
comes from ``np.random.randint``, and it writes ``np.abs``) is slower, and shown for context only.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gdtutor.engine import LECTURE_FUNCTION, MAX_UPDATES, Status, descend, sweep


def g(x):  # type: ignore[no-untyped-def]
    """The lecture's derivative, as the lecture writes it: a plain function (of a float, or a numpy scalar)."""
    return 2 * (x - 3.5) - 4.5


def lecture_loop(eta: float, x0: float, precision: float, max_iter: int) -> tuple[int, float]:
    """The lecture's loop on Python floats with a hand-written g, capped: the baseline."""
    x = float(x0)
    last_x = x + 0.1
    steps = 0
    for _ in range(max_iter):
        if abs(x - last_x) < precision:
            break
        last_x = x
        x = x - eta * g(x)
        steps += 1
    return steps, x


def numpy_loop(eta: float, x0: float, precision: float, max_iter: int) -> tuple[int, float]:
    """The same loop on numpy scalars with ``np.abs``, as the lecture's notebook runs it: for context."""
    x = np.float64(x0)
    last_x = x + 0.1
    steps = 0
    for _ in range(max_iter):
        if np.abs(x - last_x) < precision:
            break
        last_x = x
        x = x - eta * g(x)
        steps += 1
    return steps, float(x)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def race(contestants: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Best time of each contestant over ``rounds`` interleaved rounds."""
    times: dict[str, list[float]] = {name: [] for name in contestants}
    for _ in range(rounds):
        for name, fn in contestants.items():
            times[name].append(timed(fn))
    return {name: min(ts) for name, ts in times.items()}


def bench_sweep(count: int, rounds: int) -> None:
    etas = np.linspace(0.001, 1.2, count)
    x0, precision, max_iter = 0.0, 1e-9, 20_000
    print(f"sweep: {count:,} learning rates from 0.001 to 1.2, x0 0, precision 1e-9, max_iter 20,000")

    result = sweep(LECTURE_FUNCTION, etas, x0, precision=precision, max_iter=max_iter)
    # the plain loop must agree on every rate that stops by itself
    for i, eta in enumerate(etas):
        if result.status[i] == Status.CONVERGED.value:
            assert lecture_loop(eta, x0, precision, max_iter)[0] == result.steps[i], eta
    counts = {s: int((result.status == s).sum()) for s in dict.fromkeys(result.status.tolist())}
    print("  outcomes: " + ", ".join(f"{s} {n}" for s, n in counts.items()))

    def per_rate(loop: Callable[..., tuple[int, float]]) -> Callable[[], object]:
        return lambda: [loop(eta, x0, precision, max_iter) for eta in etas]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        t = race(
            {
                "sweep": lambda: sweep(LECTURE_FUNCTION, etas, x0, precision=precision, max_iter=max_iter),
                "lecture": per_rate(lecture_loop),
                "numpy": per_rate(numpy_loop),
            },
            rounds,
        )
    print(f"  engine sweep, vectorized over rates        {t['sweep']:8.3f} s")
    print(
        f"  lecture's loop, hand-written g, per rate   {t['lecture']:8.3f} s   sweep is "
        f"{t['lecture'] / t['sweep']:5.1f}x faster (target >= 10x)"
    )
    print(
        f"  same on numpy scalars (context), per rate  {t['numpy']:8.3f} s   sweep is "
        f"{t['numpy'] / t['sweep']:5.1f}x faster"
    )


def bench_descend(eta: float, rounds: int) -> None:
    x0, precision, max_iter = 0.0, 1e-12, MAX_UPDATES
    result = descend(LECTURE_FUNCTION, eta, x0, precision=precision, max_iter=max_iter)
    assert result.status is Status.CONVERGED
    assert lecture_loop(eta, x0, precision, max_iter) == (result.steps, result.x)
    print(f"descend: one run of {result.steps:,} updates (eta {eta:g}, x0 0, precision 1e-12), trace recorded")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        t = race(
            {
                "descend": lambda: descend(LECTURE_FUNCTION, eta, x0, precision=precision, max_iter=max_iter),
                "lecture": lambda: lecture_loop(eta, x0, precision, max_iter),
                "numpy": lambda: numpy_loop(eta, x0, precision, max_iter),
            },
            rounds,
        )
    print(f"  engine descend (trace kept)                {t['descend']:8.3f} s")
    print(
        f"  lecture's loop, hand-written g (no trace)  {t['lecture']:8.3f} s   descend runs at "
        f"{t['lecture'] / t['descend']:5.2f}x its speed (target >= 0.8x)"
    )
    print(
        f"  same on numpy scalars (context)            {t['numpy']:8.3f} s   descend runs at "
        f"{t['numpy'] / t['descend']:5.2f}x its speed"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rates, shorter run, one round")
    args = parser.parse_args()
    if args.quick:
        bench_sweep(200, rounds=1)
        bench_descend(1e-4, rounds=1)
    else:
        bench_sweep(2000, rounds=3)
        bench_descend(1e-5, rounds=3)


if __name__ == "__main__":
    main()
