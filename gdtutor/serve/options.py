"""What a class server is started with, as the command line (or any caller) resolved it: typed values,
folders as paths, defaults already applied. No library is imported here, so that the command line
can build them before it knows whether the ``serve`` extra is installed."""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

MAX_COLUMNS, MAX_ROWS = 500, 200
"""The largest terminal a served tutor draws, over SSH and in a browser: a client that says more gets
this much. The tutor's memory and the bytes it sends grow with the cells (a 10000x10000 window took
938 MB for the lesson list), and no screen shows more than this."""


def window_size(columns: object, rows: object) -> tuple[int, int]:
    """A terminal's size as a client gave it (whole numbers, or text from a browser), within 1 to the
    largest: anything that is not a whole number counts as 80x24's part."""
    return whole_within(columns, 80, MAX_COLUMNS), whole_within(rows, 24, MAX_ROWS)


def whole_within(value: object, default: int, high: int) -> int:
    """A whole number a client gave (a number, or text), within 1 to ``high``; ``default`` for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return default
    try:
        number = int(value)
    except ValueError:
        return default
    return max(1, min(number, high))


def idle_warning_seconds(timeout: int) -> int:
    """How long before the idle timeout the learner is warned: a minute, or half the timeout if shorter."""
    return min(60, timeout // 2)


PASTE_START, PASTE_END = b"\x1b[200~", b"\x1b[201~"
"""How a terminal marks a paste when the app asks it to (Textual does): the app gets it as one paste."""

MOST_TYPED = 64
"""Bytes one browser message of typing may hold unless it is a marked paste: the page sends each key
(or each burst of a held key) as it comes; 1,000 keys in one message were no person's."""


def typed_by_a_person(data: bytes) -> bool:
    """Whether a browser's message of keys could be a person's: a few keys, or one marked paste."""
    return len(data) <= MOST_TYPED or (data.startswith(PASTE_START) and data.endswith(PASTE_END))


class InputBudget:
    """What a learner may type into a served tutor: a burst of :data:`BURST` bytes (a paste is at most
    what a person could mean), refilled at :data:`RATE` bytes a second (faster than anyone types).
    A web message of 240 KB kept a tutor at a full core for 150 s while it grew to 557 MB."""

    BURST = 8192
    RATE = 2048.0

    def __init__(self) -> None:
        self.left = float(self.BURST)
        self.at = time.monotonic()
        self.dropped = 0
        self.first_cut = False
        """True once, just after the first time anything was dropped: when the log says so."""

    def take(self, data: bytes, *, one_message: bool = False) -> bytes:
        """``data`` when the budget has room for it now, else nothing (dropped whole, and counted: a key
        cut in the middle of its escape sequence would be another key). ``one_message``: a browser's
        message, dropped too when it holds more keys than a person sends at once (:func:`typed_by_a_person`)."""
        now = time.monotonic()
        self.left = min(float(self.BURST), self.left + (now - self.at) * self.RATE)
        self.at = now
        if len(data) > self.left or (one_message and not typed_by_a_person(data)):
            self.first_cut = not self.dropped
            self.dropped += len(data)
            return b""
        self.first_cut = False
        self.left -= len(data)
        return data


async def watch_idle(
    last_key: Callable[[], float], timeout: int, warn: Callable[[], None], close: Callable[[int], Awaitable[None]]
) -> None:
    """Until cancelled: ``warn()`` a session without a key for all but :func:`idle_warning_seconds` of
    ``timeout``, and ``close(seconds idle)`` it once ``timeout`` has passed; a key (``last_key()``
    later) puts both off. Over SSH and on the web alike."""
    before = idle_warning_seconds(timeout)
    warned = False
    while True:
        idle = time.monotonic() - last_key()
        if idle >= timeout:
            await close(int(idle))
            return
        if idle >= timeout - before and not warned:
            warn()
            warned = True
        elif idle < timeout - before:
            warned = False
        await asyncio.sleep(max(0.5, (timeout - before if not warned else timeout) - idle))


TUTOR_MEMORY_MIB = 1024
"""Address space one served tutor may take, in MiB (and the race it starts for lesson 8, a process of
its own under the same limit). Measured: a tutor animating the lab in the largest window (500x200)
peaked at 427 MiB of address space (79 MiB resident), the race at 630 MiB (533 MiB resident). A tutor
that grows past this has run away (one web message of 240 KB once took a tutor to 557 MB resident):
its allocation fails and it ends with a crash report, alone."""

TUTOR_CPU_SECONDS = 3600
"""CPU time one served tutor may use, in seconds. Measured: a tutor animating the lab in the largest
window used 0.12 s of CPU a second (4% of a core at 80x24), so an hour of CPU is over eight hours of
animating; a runaway at a full core is ended after an hour (SIGXCPU), with a line in the log and the
learner told. The race's process counts its own (about 12 s)."""


@dataclass(frozen=True)
class TutorLimits:
    """What one tutor process may use, applied in the process itself before the app starts
    (:func:`resource.setrlimit`: inherited by what it starts, never raised again)."""

    memory_mib: int = TUTOR_MEMORY_MIB
    cpu_seconds: int = TUTOR_CPU_SECONDS

    def apply(self) -> None:
        memory = self.memory_mib * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        # SIGXCPU at the soft limit (a status the server recognises); SIGKILL a little later
        resource.setrlimit(resource.RLIMIT_CPU, (self.cpu_seconds, self.cpu_seconds + CPU_GRACE_SECONDS))


def default_races() -> int:
    """Races at once by default: one per two cores. One race holds about 535 MiB at its peak and keeps a
    core busy for about 9 s; 8 learners racing at once held 4,143 MiB, and with two at a time 1,047
    (benchmarks/race_memory.py). Races that share a core each take longer, and their timings say so."""
    return max(1, (os.cpu_count() or 2) // 2)


RACES_FOLDER = ".races"
"""Under the data folder: the race's turns (hidden: the class report lists no such folder)."""

CPU_GRACE_SECONDS = 5
"""Seconds of CPU between the soft limit's SIGXCPU and the hard limit's SIGKILL."""


@dataclass(frozen=True)
class ServeOptions:
    """What both servers take."""

    host: str
    port: int
    max_sessions: int
    data_dir: Path
    """The class's folder: the host key, and each learner's progress under ``learners/<login>``."""
    idle_timeout: int = 1800
    """Seconds without a key before a session is closed, after a warning."""
    lessons: list[Path] = field(default_factory=list)
    app_lang: str | None = None
    """The tutors' language when given; otherwise each tutor takes the learner's (SSH: the LANG the
    client sent; web: the browser's)."""
    origins: tuple[str, ...] = ()
    """The web: addresses (``https://tutor.example``) whose pages may open a tutor besides the server's
    own (a reverse proxy's public address)."""
    limits: TutorLimits = field(default_factory=lambda: TutorLimits())
    """What one tutor process may use."""
    max_races: int = field(default_factory=lambda: default_races())
    """Lesson 8's races the whole server runs at once; the others wait in line (gdtutor.engine.slots)."""

    def tutor_env(self) -> dict[str, str]:
        """What every tutor of this server is given: the race's turns, shared through the data folder."""
        from ..engine.slots import FOLDER_VARIABLE, SLOTS_VARIABLE

        return {SLOTS_VARIABLE: str(self.max_races), FOLDER_VARIABLE: str((self.data_dir / RACES_FOLDER).absolute())}


@dataclass(frozen=True)
class SshOptions(ServeOptions):
    authorized_keys: Path = Path()
    max_per_learner: int = 2


def keep_private(data_dir: Path) -> None:
    """Make what the server writes from now on private to its user (umask 077, inherited by the
    tutors), and the class's folder as it stands too: the folder, ``learners/`` and each learner's
    folder 0700, their files 0600 (stores written before, under a wider umask, were 755 and 644).
    Links are not followed; what cannot be changed (another user's file) is left as it is."""
    os.umask(0o077)
    data_dir.mkdir(parents=True, exist_ok=True)
    for folder, folders, files in os.walk(data_dir, followlinks=False):
        _chmod(Path(folder), 0o700)
        for name in files:
            _chmod(Path(folder) / name, 0o600)
        folders[:] = [name for name in folders if not (Path(folder) / name).is_symlink()]


def _chmod(path: Path, mode: int) -> None:
    if path.is_symlink():
        return
    with contextlib.suppress(OSError):
        path.chmod(mode)
