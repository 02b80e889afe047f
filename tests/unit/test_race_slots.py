"""Turns for the regression race on a server (gdtutor/engine/slots.py): at most N races at once among
the processes that share a folder, the others in line, and nothing left behind by a process that dies
or a waiter that is cancelled.

The holders are real processes (a few lines of Python that take a slot, say so, and keep it until
their standard input closes): the locks are the kernel's, between processes. No test waits for a
fixed time: each waits for what a process says, bounded by a timeout.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.children import child_env

from gdtutor.engine.regression import RaceProcess
from gdtutor.engine.slots import (
    FOLDER_VARIABLE,
    QUEUE,
    SLOTS_VARIABLE,
    Cancelled,
    Pool,
    PoolError,
    Turn,
)

HOLDER = """
import sys
from pathlib import Path
from gdtutor.engine.slots import Pool

pool = Pool(Path(sys.argv[1]), int(sys.argv[2]))
slot = pool.take(waiting=lambda turn: print("waiting", turn.place, flush=True), poll=0.01)
print("took", slot.index, flush=True)
sys.stdin.read()
"""
"""A learner's race in a process of its own: waits for a slot, says where it stands, holds the slot
until its standard input is closed."""
TIMEOUT = 30.0


class Holder:
    """A process running :data:`HOLDER`, and the lines it has said."""

    def __init__(self, folder: Path, slots: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(folder), str(slots)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        self.said: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.said.put(line.strip())

    def says(self, expected: str) -> None:
        """Wait for the process's next line, which must be ``expected``."""
        try:
            line = self.said.get(timeout=TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"no line from the holder; expected {expected!r}") from None
        assert line == expected

    def took(self) -> None:
        """Wait until it says it took a slot (whichever)."""
        line = self.said.get(timeout=TIMEOUT)
        assert line.startswith("took "), line

    def end(self) -> None:
        """Close its input: it ends normally, and its slot with it."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        assert self.proc.wait(timeout=TIMEOUT) == 0

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=TIMEOUT)


@pytest.fixture
def holders(tmp_path: Path) -> Iterator[list[Holder]]:
    """The holders a test starts, ended when it ends."""
    started: list[Holder] = []
    yield started
    for holder in started:
        if holder.proc.poll() is None:
            holder.kill()


def start(holders: list[Holder], folder: Path, slots: int) -> Holder:
    holder = Holder(folder, slots)
    holders.append(holder)
    return holder


def free_slots(pool: Pool) -> int:
    """How many slots could be taken now (each is taken and let go at once)."""
    taken = []
    while (slot := pool._try()) is not None:
        taken.append(slot)
    for slot in taken:
        slot.release()
    return len(taken)


def tickets(folder: Path) -> list[str]:
    return sorted(os.listdir(folder / QUEUE))


# --- the settings -----------------------------------------------------------------------------------------


def test_without_the_variables_there_is_no_limit(tmp_path: Path) -> None:
    assert Pool.from_environment({}) is None
    assert Pool.from_environment({SLOTS_VARIABLE: "", FOLDER_VARIABLE: str(tmp_path)}) is None
    assert Pool.from_environment({FOLDER_VARIABLE: str(tmp_path)}) is None
    assert Pool.from_environment({SLOTS_VARIABLE: " 3 ", FOLDER_VARIABLE: str(tmp_path)}) == Pool(tmp_path, 3)


@pytest.mark.parametrize("slots", ["0", "-1", "two", "1.5"])
def test_a_limit_set_wrong_is_refused(tmp_path: Path, slots: str) -> None:
    """A server that asked for a limit does not get races without one."""
    with pytest.raises(PoolError, match=SLOTS_VARIABLE):
        Pool.from_environment({SLOTS_VARIABLE: slots, FOLDER_VARIABLE: str(tmp_path)})
    with pytest.raises(PoolError, match=FOLDER_VARIABLE):
        Pool.from_environment({SLOTS_VARIABLE: "2"})


# --- between processes ------------------------------------------------------------------------------------


def test_at_most_n_races_hold_a_slot_and_the_others_wait_in_line(tmp_path: Path, holders: list[Holder]) -> None:
    pool = Pool(tmp_path, 2)
    first = start(holders, tmp_path, 2)
    first.took()
    second = start(holders, tmp_path, 2)  # not at the same time: it would find the first in line
    second.took()
    third = start(holders, tmp_path, 2)
    third.says("waiting 1")
    fourth = start(holders, tmp_path, 2)
    fourth.says("waiting 2")
    assert free_slots(pool) == 0 and len(tickets(tmp_path)) == 2

    first.end()
    third.took()  # the first in line gets the slot, and the next moves up
    fourth.says("waiting 1")
    second.end()
    fourth.took()
    assert tickets(tmp_path) == []
    third.end()
    fourth.end()
    assert free_slots(pool) == 2


def test_a_dead_holder_frees_its_slot(tmp_path: Path, holders: list[Holder]) -> None:
    """The kernel lets go of a lock when its process dies, however it dies: no slot is lost."""
    holder = start(holders, tmp_path, 1)
    holder.took()
    waiter = start(holders, tmp_path, 1)
    waiter.says("waiting 1")
    holder.kill()
    waiter.says("took 0")


def test_a_dead_waiter_leaves_the_line(tmp_path: Path, holders: list[Holder]) -> None:
    """A waiter killed in line leaves its ticket behind, unlocked: the next look removes it, and the
    waiters behind it move up."""
    holder = start(holders, tmp_path, 1)
    holder.took()
    first = start(holders, tmp_path, 1)
    first.says("waiting 1")
    second = start(holders, tmp_path, 1)
    second.says("waiting 2")
    first.kill()
    second.says("waiting 1")
    assert len(tickets(tmp_path)) == 1
    holder.end()
    second.says("took 0")


# --- in this process --------------------------------------------------------------------------------------


def test_a_free_slot_is_taken_without_waiting(tmp_path: Path) -> None:
    turns: list[Turn] = []
    slot = Pool(tmp_path, 2).take(waiting=turns.append)
    slot.release()
    assert turns == [] and tickets(tmp_path) == []


def test_a_cancelled_waiter_leaves_nothing_behind(tmp_path: Path) -> None:
    pool = Pool(tmp_path, 1)
    held = pool.take()
    cancel = threading.Event()
    turns: queue.Queue[Turn] = queue.Queue()
    ended: list[BaseException] = []

    def wait() -> None:
        try:
            pool.take(cancel, turns.put, poll=0.01)
        except BaseException as exc:
            ended.append(exc)

    waiter = threading.Thread(target=wait)
    waiter.start()
    assert turns.get(timeout=TIMEOUT) == Turn(1, 1)
    cancel.set()
    waiter.join(timeout=TIMEOUT)
    assert not waiter.is_alive()
    assert len(ended) == 1 and isinstance(ended[0], Cancelled)
    assert tickets(tmp_path) == []  # no ticket left in line
    held.release()
    assert free_slots(pool) == 1  # and no slot held


# --- the race's process -----------------------------------------------------------------------------------


def limit(monkeypatch: pytest.MonkeyPatch, folder: Path, slots: int) -> Pool:
    monkeypatch.setenv(SLOTS_VARIABLE, str(slots))
    monkeypatch.setenv(FOLDER_VARIABLE, str(folder))
    return Pool(folder, slots)


def test_the_race_process_holds_its_slot_for_its_whole_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The slot's descriptor is handed to the race's process: the slot stays held while that process
    lives, even once the tutor has let go of its own descriptor, and is free when it has ended."""
    pool = limit(monkeypatch, tmp_path, 1)
    process = RaceProcess()  # the whole race: seconds, ended below long before its end
    try:
        assert process.slot is not None
        assert free_slots(pool) == 0
        process.slot.release()  # as if the tutor had died
        assert free_slots(pool) == 0
    finally:
        process.close()
    assert process.returncode is not None and process.returncode < 0
    assert free_slots(pool) == 1


def test_a_race_waits_for_its_turn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = limit(monkeypatch, tmp_path, 1)
    held = pool.take()
    turns: queue.Queue[Turn] = queue.Queue()
    rows: list[int] = []

    def race() -> None:
        with RaceProcess([16, 32], 8, waiting=turns.put, turn_poll=0.01) as process:
            rows.extend(r.features for r in process)

    racer = threading.Thread(target=race)
    racer.start()
    assert turns.get(timeout=TIMEOUT) == Turn(1, 1)
    assert not rows
    held.release()
    racer.join(timeout=TIMEOUT)
    assert not racer.is_alive() and rows == [16, 32]
    assert free_slots(pool) == 1 and tickets(tmp_path) == []


def test_a_race_cancelled_in_line_starts_no_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = limit(monkeypatch, tmp_path, 1)
    held = pool.take()
    cancel = threading.Event()

    def waiting(turn: Turn) -> None:
        cancel.set()  # a new race, the step left, the app quit

    with pytest.raises(Cancelled):
        RaceProcess([16, 32], 8, cancel=cancel, waiting=waiting, turn_poll=0.01)
    assert tickets(tmp_path) == []
    held.release()
    assert free_slots(pool) == 1
