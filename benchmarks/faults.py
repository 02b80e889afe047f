"""The fault suite's slow cases and the figures of the README's reliability table:
``python benchmarks/faults.py`` (about a minute; Linux, for /proc and pseudo-terminals).

1. The slow cases of the suite (``pytest -m slow``): f2 pressed every 0.1 s for 10 s while a run
   animates in the real ``gdtutor lab`` on a pseudo-terminal, the whole regression race (``gdtutor race
   --json`` up to 2,000 features, and the figures lesson 8 quotes from it), and the rest marked slow.
2. ``gdtutor </dev/null``: the app refuses to start without a terminal; its wall and CPU time.
3. The longest run allowed (1,000,000 updates): the peak resident memory of ``gdtutor run --json``
   with the bounded path and with ``--trace full``, against a run of one update.
4. ctrl+q in the middle of lesson 8's race, in the real app on a pseudo-terminal: the time from the key
   to the process's exit, and whether the race's process is gone with it.

Times are wall-clock on a shared machine, to be read as orders of magnitude; the tests assert none of
them. The exit status is 1 when a slow case fails or the race outlives the app.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.children import child_env, descendants  # noqa: E402  (the suite's own environment and /proc walk)
from support.terminal import Terminal  # noqa: E402  (the suite's own terminal)

from gdtutor.engine.params import MAX_UPDATES  # noqa: E402


def slow_cases() -> bool:
    print("1. the slow fault cases (pytest -m slow)", flush=True)
    done = subprocess.run(
        # one process: the slow tests that read the whole race share one run of it (a session fixture)
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "-m", "slow", str(ROOT / "tests")],
        cwd=ROOT,
    )
    return done.returncode == 0


def children_usage(argv: list[str], **kwargs: object) -> tuple[float, resource.struct_rusage, int]:
    """Wall time, the child's own rusage and its exit status."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, **kwargs)  # type: ignore[call-overload]
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage, os.waitstatus_to_exitcode(status)


def no_terminal(data: Path) -> None:
    wall, usage, status = children_usage(
        [sys.executable, "-m", "gdtutor"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_env(data),
    )
    cpu = usage.ru_utime + usage.ru_stime
    print(
        f"2. gdtutor </dev/null: status {status}, {wall:.2f} s wall, {cpu:.2f} s CPU (it used to spin a core forever)"
    )


def longest_runs(data: Path) -> None:
    print(f"3. the longest run allowed ({MAX_UPDATES:,} updates of f(x) = x), peak resident memory:")
    base = ["run", "--function", "x", "--eta", "1", "--x0", "0", "--json"]
    for label, extra in (("run --json (bounded path)", []), ("run --json --trace full", ["--trace", "full"])):
        peaks = []
        for n in (1, MAX_UPDATES):
            _, usage, status = children_usage(
                [sys.executable, "-m", "gdtutor", *base, "--max-iter", str(n), *extra],
                stdout=subprocess.DEVNULL,
                env=child_env(data),
            )
            assert status == 0
            peaks.append(usage.ru_maxrss / 1024)
        print(f"   {label:28} {peaks[1]:6.0f} MB  ({peaks[1] - peaks[0]:+.0f} MB against one update)")


def quit_during_the_race(data: Path) -> bool:
    from gdtutor.lessons.load import load_catalog
    from gdtutor.progress import Store

    lesson = load_catalog([]).get("normal-equation")
    assert lesson is not None
    step = next(i for i, s in enumerate(lesson.steps) if s.kind == "regression")
    store = Store(data)
    store.visit(lesson.id, step)  # the list highlights this lesson; enter opens it at its race
    store.close()
    with Terminal([sys.executable, "-m", "gdtutor"], child_env(data)) as term:
        term.wait_for("Help")
        term.type("\r")
        term.wait_for("Press r to time both methods")  # the race's step is on the screen
        term.type("r")
        started = time.monotonic()
        while not descendants(term.pid) and time.monotonic() - started < 30:
            term.read(0.05)
        race = descendants(term.pid)
        term.wait_for("Timing")  # its first row: the race is in its numpy calls
        pressed = time.monotonic()
        term.type("\x11")
        status = term.wait(timeout=60)
        took = time.monotonic() - pressed
    left = {pid for pid in race if Path(f"/proc/{pid}").exists()}
    print(
        f"4. ctrl+q during lesson 8's race: the app ended {took:.2f} s after the key (status {status}); "
        f"race processes {len(race)} before the key, {len(left)} after"
    )
    return bool(race) and not left and status == 0


def main() -> int:
    ok = slow_cases()
    with TemporaryDirectory() as tmp:
        no_terminal(Path(tmp) / "a")
        longest_runs(Path(tmp) / "b")
        ok = quit_during_the_race(Path(tmp) / "c") and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
