"""The loop exercise, measured: ``python benchmarks/loop_bench.py`` (``--repeat N``, default 5).

A loop exercise runs the lecture's loop with the learner's part, one update at a time, by walking the
part's checked tree (it is never compiled or run as Python). This prints, in one process, the median
time of that loop against the loop a person would write in Python for the same part, and the ratio;
and how long grading takes in the worst case the checker allows (8 cases of 10,000 updates each, a part
that never stops), against the same in plain Python. The learner waits for that grading once (it runs
off the UI thread; the tutor keeps the result for the feedback in the other language).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gdtutor.engine.function import Function
from gdtutor.engine.loop import LoopCase, parse_part, run_loop
from gdtutor.lessons.questions import LOOP_LIMIT


def plain(x: float, eta: float, precision: float, max_iter: int, stops: bool) -> int:
    """The lecture's loop as a person writes it, with a guard on the updates (``stops``: the lecture's
    exit condition; else ``x == 5.75``, which never holds)."""

    def g(x: float) -> float:
        return 2 * (x - 3.5) - 4.5

    last_x = x + 0.1
    updates = 0
    while True:
        if (abs(x - last_x) < precision) if stops else (x == 5.75):
            break
        if updates == max_iter:
            break
        last_x = x
        x = x - eta * g(x)
        updates += 1
    return updates


def median_seconds(repeat: int, work: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each, the median is printed")
    args = parser.parse_args()
    function = Function.lecture()
    never = {"exit": parse_part("exit", "x == 5.75")}

    rows = [
        (
            "lecture's loop, eta 0.1 from 0 (43 updates)",
            lambda: run_loop(function, LoopCase(0, 0.1, 1e-4, LOOP_LIMIT)),
            lambda: plain(0, 0.1, 1e-4, LOOP_LIMIT, True),
        ),
        (
            f"a part that never stops ({LOOP_LIMIT:,} updates)",
            lambda: run_loop(function, LoopCase(0, 0.1, 1e-4, LOOP_LIMIT), never),
            lambda: plain(0, 0.1, 1e-4, LOOP_LIMIT, False),
        ),
        (
            f"worst grading: 8 cases x {LOOP_LIMIT:,} updates",
            lambda: [run_loop(function, LoopCase(0, 0.1, 1e-4, LOOP_LIMIT), never) for _ in range(8)],
            lambda: [plain(0, 0.1, 1e-4, LOOP_LIMIT, False) for _ in range(8)],
        ),
    ]
    print(f"{'':46}  {'tree walk':>10}  {'plain Python':>12}  ratio")
    for name, walked, written in rows:
        a, b = median_seconds(args.repeat, walked), median_seconds(args.repeat, written)
        print(f"{name:46}  {a * 1000:8.1f} ms  {b * 1000:9.2f} ms  {a / b:5.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
