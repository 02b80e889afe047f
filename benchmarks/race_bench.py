"""The normal-equation race, measured: ``python benchmarks/race_bench.py`` (``--rounds N``, default 3).

Runs the race of lesson 8 and ``gdtutor race`` (the engine's: ``RACE_FEATURES``, 8 rows per feature,
seed 0) ``--rounds`` times in this one process, and prints for every size the median of each method's
time, the ratio normal equation / gradient descent (above 1: descent is faster), how many rounds
descent won, the crossover and the extrapolation to 100,000 features from the median times.

The check the tests cannot make (they assert no speed): gradient descent is faster than the normal
equation at the largest size, in the median and in every round. The exit status is 1 when it is not.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gdtutor.engine.params import RACE_FEATURES, RACE_SAMPLES_PER_FEATURE
from gdtutor.engine.regression import RaceRow, RaceSummary, race
from gdtutor.telling import race_lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="how many times to run the whole race")
    args = parser.parse_args()

    rounds: list[list[RaceRow]] = []
    for n in range(args.rounds):
        start = time.perf_counter()
        rounds.append(list(race(RACE_FEATURES, RACE_SAMPLES_PER_FEATURE)))
        print(f"round {n + 1}: the whole race took {time.perf_counter() - start:.1f} s", flush=True)

    medians = []
    print()
    print("features  rows     normal eq. (s)  GD (s)   updates  normal / GD  GD won   GD - lstsq")
    for i, d in enumerate(RACE_FEATURES):
        sizes = [r[i] for r in rounds]
        normal = statistics.median(r.normal_seconds for r in sizes)
        gd = statistics.median(r.gd_seconds for r in sizes)
        won = sum(r.winner == "gd" for r in sizes)
        first = sizes[0]
        medians.append(
            RaceRow(d, first.samples, normal, gd, first.gd_updates, first.eta, first.normal_error, first.gd_error)
        )
        print(
            f"{d:<8,}  {first.samples:<7,}  {normal:<14.4f}  {gd:<7.4f}  {first.gd_updates:<7}  "
            f"{normal / gd:<11.2f}  {won}/{len(sizes):<5}  {max(r.gd_error for r in sizes):.1g}"
        )
    print()
    print("From the median times:")
    for line in race_lines(RaceSummary.of(medians), "en"):
        print(" ", line)

    largest = [r[-1] for r in rounds]
    ratio = medians[-1].normal_seconds / medians[-1].gd_seconds
    every = all(r.winner == "gd" for r in largest)
    print()
    print(
        f"At {RACE_FEATURES[-1]:,} features gradient descent is {ratio:.2f}x as fast as the normal equation "
        f"(median of {len(largest)}; it won {sum(r.winner == 'gd' for r in largest)} of {len(largest)} rounds)"
    )
    ok = ratio > 1 and every
    print("check: descent faster at the largest size in every round:", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
