"""The memory of a class racing at once: ``python benchmarks/race_memory.py`` (``--learners 8``,
``--slots 2``, ``--features 125,250,500,1000,2000``; ``--quick``: 4 learners; ``--served``: one BLAS
thread a race, as the class servers give their tutors; ``--limited-only``: no class without a limit).

Lesson 8's race holds its data (X is 256 MB at 2,000 features) and, at its peak, numpy's copy of it
(``np.linalg.lstsq`` copies X, since LAPACK overwrites what it solves). This process plays a class:
``--learners`` races (:class:`~gdtutor.engine.regression.RaceProcess`, each in a thread, as each tutor
runs it in a worker) started at the same moment, twice:

1. without a limit, as a learner's own machine (no ``GDTUTOR_RACE_SLOTS``);
2. with ``GDTUTOR_RACE_SLOTS=--slots`` and a fresh ``GDTUTOR_RACE_FOLDER``, as a server sets it for its
   tutors: at most that many races at once, the others in line.

For each it prints the peak of the races' memory summed (PSS: a page shared by N processes counts 1/N
to each, so the sum is what the machine really holds; and RSS), sampled every 50 ms from /proc, the
most races running at once, the largest one race's peak (VmHWM), and how long the class took: the last
race's end, and each learner's wait in line and race (median, most). Linux only (/proc). The figures are
this machine's; the sizes are the lesson's unless ``--features`` says otherwise.

It takes minutes: races at once share the cores, and each race's BLAS runs a thread per core, so that
races at once slow each other far more than their number. On a 2-core machine, beside other work, 8
races without a limit took 6 minutes, with 2 slots 2.5, the whole run 10; ``--quick`` took 3, quiet.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gdtutor.engine.params import RACE_FEATURES, RACE_SAMPLES_PER_FEATURE
from gdtutor.engine.regression import RaceProcess
from gdtutor.engine.slots import FOLDER_VARIABLE, SLOTS_VARIABLE

MIB_IN_KB = 1024
"""/proc's kB are KiB."""
SAMPLE = 0.05
"""Seconds between two looks at the races' memory (a race's peak, lstsq's copy, lasts seconds)."""


def kilobytes(pid: int, path: str, names: tuple[str, ...]) -> dict[str, int]:
    """Fields of /proc/<pid>/<path> (``Pss:   1234 kB``), in kB; empty once the process is gone."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in names:
                found[name] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        return {}
    return found


@dataclass
class Learner:
    """One learner's race: when it started waiting, when its process started and when it ended."""

    asked: float = 0.0
    started: float | None = None
    ended: float | None = None
    rows: int = 0
    pid: int | None = None


@dataclass
class Class:
    """What the sampler saw."""

    learners: list[Learner] = field(default_factory=list)
    start: float = 0.0
    pss: int = 0
    rss: int = 0
    at_once: int = 0
    one_race: int = 0


def run_class(learners: int, features: list[int]) -> Class:
    seen = Class([Learner() for _ in range(learners)])
    go = threading.Event()
    done = threading.Event()

    def race(learner: Learner) -> None:
        go.wait()
        learner.asked = time.perf_counter()
        with RaceProcess(features, RACE_SAMPLES_PER_FEATURE) as process:
            learner.pid = process.child.pid
            learner.started = time.perf_counter()
            learner.rows = sum(1 for _ in process)
        learner.ended = time.perf_counter()

    def sample() -> None:
        while not done.is_set():
            pss = rss = running = 0
            for learner in seen.learners:
                if learner.pid is None or learner.ended is not None:
                    continue
                rollup = kilobytes(learner.pid, "smaps_rollup", ("Pss", "Rss"))
                if not rollup:
                    continue
                running += 1
                pss += rollup["Pss"]
                rss += rollup["Rss"]
                hwm = kilobytes(learner.pid, "status", ("VmHWM",)).get("VmHWM", 0)
                seen.one_race = max(seen.one_race, hwm)
            seen.pss, seen.rss, seen.at_once = max(seen.pss, pss), max(seen.rss, rss), max(seen.at_once, running)
            done.wait(SAMPLE)

    threads = [threading.Thread(target=race, args=(learner,)) for learner in seen.learners]
    sampler = threading.Thread(target=sample)
    for thread in threads:
        thread.start()
    sampler.start()
    seen.start = time.perf_counter()
    go.set()
    for thread in threads:
        thread.join()
    done.set()
    sampler.join()
    assert all(learner.rows == len(features) for learner in seen.learners), "a race did not run to its end"
    return seen


def report(name: str, seen: Class) -> None:
    waits = [(lr.started or 0) - lr.asked for lr in seen.learners]
    races = [(lr.ended or 0) - (lr.started or 0) for lr in seen.learners]
    last = max((lr.ended or 0) for lr in seen.learners) - seen.start
    print(f"{name}:")
    print(
        f"  peak of the races' memory, summed: {seen.pss / MIB_IN_KB:,.0f} MiB PSS "
        f"({seen.rss / MIB_IN_KB:,.0f} MiB RSS)"
    )
    print(f"  most races at once: {seen.at_once}; the largest one race's peak: {seen.one_race / MIB_IN_KB:,.0f} MiB")
    print(
        f"  the class's last race ended after {last:.1f} s; waits in line: median {statistics.median(waits):.1f} s, "
        f"most {max(waits):.1f} s; races: median {statistics.median(races):.1f} s, most {max(races):.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, help="races started at once (default 8, quick 4)")
    parser.add_argument("--slots", type=int, default=2, help="races at once with the limit")
    parser.add_argument(
        "--features", default=",".join(map(str, RACE_FEATURES)), help="the race's sizes (default: the lesson's)"
    )
    parser.add_argument("--quick", action="store_true", help="fewer learners")
    parser.add_argument(
        "--limited-only",
        action="store_true",
        help="skip the class without a limit (30 races at once would hold 30 times one race's memory)",
    )
    parser.add_argument(
        "--served", action="store_true", help="one BLAS thread per race, as the class servers give their tutors"
    )
    args = parser.parse_args()
    if args.served:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = "1"  # the races' own processes read it when they start
    args.learners = args.learners or (4 if args.quick else 8)
    features = [int(f) for f in args.features.split(",")]
    print(f"{args.learners} learners, sizes {features} features, {RACE_SAMPLES_PER_FEATURE} rows per feature\n")

    os.environ.pop(SLOTS_VARIABLE, None)
    os.environ.pop(FOLDER_VARIABLE, None)
    alone = run_class(1, features)
    report("one race alone", alone)
    free = None if args.limited_only else run_class(args.learners, features)
    if free is not None:
        report(f"{args.learners} races, no limit", free)
    with tempfile.TemporaryDirectory() as folder:
        os.environ[SLOTS_VARIABLE] = str(args.slots)
        os.environ[FOLDER_VARIABLE] = folder
        limited = run_class(args.learners, features)
    report(f"{args.learners} races, {SLOTS_VARIABLE}={args.slots}", limited)
    if free is not None:
        print(f"\nwith the limit the class held {limited.pss / free.pss:.2f} of the memory it held without (PSS)")
    else:
        print(f"\nwith the limit the class held {limited.pss / alone.pss:.2f} times one race's memory (PSS)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
