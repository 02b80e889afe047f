"""Engine benchmarks: ``python benchmarks/bench.py`` (``--quick`` for a smaller, faster check).

Every figure is a ratio of times taken in this one process, with the contestants interleaved and the
median of several rounds kept, because the machines are shared and a bare time means little.

Two baselines stand for "the plain loop":
- the lecture's loop as the lecture writes it (numpy scalars, ``np.abs``), capped at ``max_iter`` so
  the rates that never stop can be timed at all; the targets are measured against this one;
- the same loop rewritten on Python floats, the fastest a plain Python loop gets, shown for context.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gdtutor.engine import LECTURE_FUNCTION, Status, descend, sweep


def g(x):  # type: ignore[no-untyped-def]
    """The lecture's derivative, as the lecture writes it (numpy scalars or floats alike)."""
    return 2 * (x - 3.5) - 4.5


def lecture_loop(eta: float, x0: float, precision: float, max_iter: int) -> tuple[int, float]:
    """The lecture's loop with numpy scalars, capped."""
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


def float_loop(eta: float, x0: float, precision: float, max_iter: int) -> tuple[int, float]:
    """The same loop on Python floats."""
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


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def race(contestants: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median time of each contestant over ``rounds`` interleaved rounds."""
    times: dict[str, list[float]] = {name: [] for name in contestants}
    for _ in range(rounds):
        for name, fn in contestants.items():
            times[name].append(timed(fn))
    return {name: statistics.median(ts) for name, ts in times.items()}


def bench_sweep(count: int, rounds: int) -> None:
    etas = np.linspace(0.001, 1.2, count)
    x0, precision, max_iter = 0.0, 1e-9, 20_000
    print(f"sweep: {count:,} learning rates from 0.001 to 1.2, x0 0, precision 1e-9, max_iter 20,000")

    result = sweep(LECTURE_FUNCTION, etas, x0, precision=precision, max_iter=max_iter)
    # the plain loop must agree on every rate that stops by itself
    for i, eta in enumerate(etas):
        if result.status[i] == Status.CONVERGED.value:
            assert float_loop(eta, x0, precision, max_iter)[0] == result.steps[i], eta
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
                "float": per_rate(float_loop),
            },
            rounds,
        )
    print(f"  engine sweep, vectorized over rates   {t['sweep']:8.3f} s")
    print(
        f"  lecture's loop, once per rate         {t['lecture']:8.3f} s   sweep is "
        f"{t['lecture'] / t['sweep']:5.1f}x faster (target >= 10x)"
    )
    print(
        f"  same loop on Python floats, per rate  {t['float']:8.3f} s   sweep is {t['float'] / t['sweep']:5.1f}x faster"
    )


def bench_descend(eta: float, rounds: int) -> None:
    x0, precision, max_iter = 0.0, 1e-12, 5_000_000
    result = descend(LECTURE_FUNCTION, eta, x0, precision=precision, max_iter=max_iter)
    assert result.status is Status.CONVERGED
    assert float_loop(eta, x0, precision, max_iter) == (result.steps, result.x)
    print(f"descend: one run of {result.steps:,} updates (eta {eta:g}, x0 0, precision 1e-12), trace recorded")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        t = race(
            {
                "descend": lambda: descend(LECTURE_FUNCTION, eta, x0, precision=precision, max_iter=max_iter),
                "lecture": lambda: lecture_loop(eta, x0, precision, max_iter),
                "float": lambda: float_loop(eta, x0, precision, max_iter),
            },
            rounds,
        )
    print(f"  engine descend (trace kept)           {t['descend']:8.3f} s")
    print(
        f"  lecture's loop (no trace)             {t['lecture']:8.3f} s   descend runs at "
        f"{t['lecture'] / t['descend']:5.2f}x its speed (target >= 0.8x)"
    )
    print(
        f"  same loop on Python floats (no trace) {t['float']:8.3f} s   descend runs at "
        f"{t['float'] / t['descend']:5.2f}x its speed"
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
        bench_descend(1e-5, rounds=5)


if __name__ == "__main__":
    main()
