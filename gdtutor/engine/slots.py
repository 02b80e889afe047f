"""Turns for the regression race on a server: at most N races at once among the tutors that share a
folder, the others waiting in line.

One race holds about 535 MiB at its peak (measured: X at 2,000 features is 256 MB, and
``np.linalg.lstsq``, the answers' check, copies it, since LAPACK overwrites what it solves), and a
server runs a separate tutor process for each of its 30 to 60 learners: a class pressing r together
would need gigabytes. A server gives its tutors :data:`SLOTS_VARIABLE` and :data:`FOLDER_VARIABLE`;
without them (a learner's own machine, ``gdtutor race``) there is no limit and nothing here runs.

The pool is made of files in the folder, locked with ``flock``, so that no process has to count for
the others and no turn outlives its holder: the kernel releases a lock when the last descriptor of the
open file is closed, which a process that dies does.

- ``slot-<i>``, for i below N: a race holds one for its whole run. The descriptor is handed to the
  race's own process (which holds the memory), so the slot is free when that process ends, however it
  ends, even if the tutor that started it was killed first.
- ``queue/<ticket>``: a waiting race holds its ticket, named by the system-wide monotonic clock (then
  the process, for ties), so the names sort in order of arrival. Its place in line is one more than the
  older tickets whose holders still hold them (a ticket left by a dead waiter is unlocked: whoever finds
  it removes it). Only the first in line tries the slots: first come, first served, so the place a
  learner is told only ever goes down. A ticket is locked under a hidden name and then renamed into
  the queue, so that a ticket found unlocked there is always a dead waiter's, never one being made.

A waiter polls (every :data:`POLL` seconds) rather than blocks: it runs in a thread that must notice it
was cancelled (a new race, leaving the step, quitting), and a blocked ``flock`` could not be woken. Locks
on files are POSIX: ``fcntl`` is imported only when a limit is set.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

SLOTS_VARIABLE: Final = "GDTUTOR_RACE_SLOTS"
"""How many races may run at once among the tutors that share :data:`FOLDER_VARIABLE`: a whole number,
at least 1. Unset or empty: no limit (and the folder is not read)."""
FOLDER_VARIABLE: Final = "GDTUTOR_RACE_FOLDER"
"""The folder of the slots and of the line (made if missing): every tutor of a server gets the same one.
A local folder (``flock`` is not shared over NFS), writable by the tutors, and needed when
:data:`SLOTS_VARIABLE` is set."""
POLL: Final = 0.25
"""Seconds between two looks at the line while waiting: how long a free slot may stay free, and how
soon a cancelled waiter leaves. A look is a listing of the line and a lock tried per older ticket."""
QUEUE: Final = "queue"
"""The line's subfolder."""


class PoolError(ValueError):
    """The server's settings of the pool are wrong: the variable and what it was."""

    def __init__(self, variable: str, value: str | None) -> None:
        super().__init__(f"{variable}={value!r}")
        self.variable = variable
        self.value = value


class Cancelled(Exception):
    """The race was cancelled while it waited for its turn (nothing of it is left in the pool)."""


@dataclass(frozen=True)
class Turn:
    """Where a waiting race stands: ``place`` in line (1: next), the server running ``slots`` races at
    once."""

    place: int
    slots: int


class Slot:
    """A slot held: its open, locked file. Released by :meth:`release`, or by the end of every process
    that has the descriptor (the race's own process gets it: :attr:`fd`)."""

    def __init__(self, fd: int, index: int) -> None:
        self.fd = fd
        self.index = index

    def release(self) -> None:
        """Close this process's descriptor (the slot is free once the race's process has ended too)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


@dataclass(frozen=True)
class Pool:
    """The slots of one folder: :meth:`take` one, waiting in line if all are taken."""

    folder: Path
    slots: int

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Pool | None:
        """The pool the server set (:data:`SLOTS_VARIABLE`, :data:`FOLDER_VARIABLE`), None when it set
        no limit. A limit set wrong (not a whole number from 1, no folder) raises :class:`PoolError`:
        a server that asked for a limit does not run races without one."""
        env = os.environ if environ is None else environ
        count = env.get(SLOTS_VARIABLE, "").strip()
        if not count:
            return None
        if not count.isdigit() or int(count) < 1:
            raise PoolError(SLOTS_VARIABLE, count)
        folder = env.get(FOLDER_VARIABLE, "")
        if not folder:
            raise PoolError(FOLDER_VARIABLE, env.get(FOLDER_VARIABLE))
        return cls(Path(folder), int(count))

    def take(
        self,
        cancel: threading.Event | None = None,
        waiting: Callable[[Turn], None] | None = None,
        poll: float = POLL,
    ) -> Slot:
        """A free slot, at once if one is free and nobody waits, else when this race's turn comes.

        ``waiting`` is told the :class:`Turn` whenever it changes while waiting (never when a slot is
        taken at the first look). Raises :class:`Cancelled` once ``cancel`` is set, having left the line.
        """
        import fcntl

        stop = cancel or threading.Event()
        queue = self.folder / QUEUE
        queue.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = f"{time.monotonic_ns():020d}-{os.getpid():010d}-{secrets.token_hex(4)}"
        hidden = queue / f".{name}"
        ticket = os.open(hidden, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            fcntl.flock(ticket, fcntl.LOCK_EX)
            os.rename(hidden, queue / name)
            told: Turn | None = None
            while True:
                ahead = self._ahead(queue, name)
                if ahead == 0:
                    slot = self._try()
                    if slot is not None:
                        return slot
                turn = Turn(ahead + 1, self.slots)
                if waiting is not None and turn != told:
                    waiting(turn)
                    told = turn
                if stop.wait(poll):
                    raise Cancelled
        finally:
            for path in (hidden, queue / name):
                path.unlink(missing_ok=True)
            os.close(ticket)

    def _ahead(self, queue: Path, name: str) -> int:
        """How many live tickets are older than ``name``; dead waiters' tickets are removed."""
        return sum(_held(queue / older) for older in os.listdir(queue) if not older.startswith(".") and older < name)

    def _try(self) -> Slot | None:
        """A slot taken now, or None if every one is held."""
        import fcntl

        for index in range(self.slots):
            fd = os.open(self.folder / f"slot-{index}", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            except BaseException:
                os.close(fd)
                raise
            return Slot(fd, index)
        return None


def _held(path: Path) -> bool:
    """Whether the ticket at ``path`` is held by a live waiter; a dead waiter's ticket is removed (and
    one gone meanwhile is not held)."""
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        path.unlink(missing_ok=True)
        return False
    finally:
        os.close(fd)
