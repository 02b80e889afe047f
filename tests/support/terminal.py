"""One terminal for the tests and the benchmarks: a process on a pseudo-terminal, keys typed into it, and
what it writes read through a terminal emulator (pyte), so that a test reads the screen as a learner sees
it. The SSH client (:mod:`support.ssh`) shows what its channel receives on the same :class:`Screen`.

Every wait is for a condition, bounded by a deadline that only a failure reaches; a wait that fails says
what it waited for and shows the screen.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

import pyte

DEADLINE = 60.0
"""Seconds any one condition is waited for (a busy two-core machine starts a Python process slowly)."""
SIZE = (80, 24)
"""Columns and lines of a terminal, unless told."""
TERM = "xterm-256color"
"""What the terminal says it is (TERM): pyte reads what an xterm is sent."""
ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]")
"""The escape sequences a terminal is sent: CSI, OSC, character sets, keypad modes."""


def plain(data: bytes) -> str:
    """``data`` as text, without its escape sequences: what went by, where the screen keeps only what is
    shown now."""
    return ESCAPES.sub(b"", data).decode("utf-8", "replace")


class Screen:
    """What a terminal of ``size`` (columns, lines) shows, from the bytes written to it; every byte is
    kept too, for what only the stream says (a mode set, the alternate screen left)."""

    def __init__(self, size: tuple[int, int] = SIZE) -> None:
        self._screen = pyte.Screen(*size)
        self._stream = pyte.ByteStream(self._screen)
        self._output = bytearray()

    def feed(self, data: bytes) -> None:
        self._output += data
        self._stream.feed(data)

    def resize(self, columns: int, lines: int) -> None:
        self._screen.resize(lines=lines, columns=columns)

    @property
    def output(self) -> bytes:
        """Every byte written to the terminal so far."""
        return bytes(self._output)

    @property
    def rows(self) -> list[str]:
        """The screen's rows, as shown (a double-width character once), without trailing blanks."""
        return [row.rstrip() for row in self._screen.display]

    @property
    def text(self) -> str:
        """The screen's rows, one a line."""
        return "\n".join(self.rows)

    def transcript(self, since: int = 0) -> str:
        """All the text written from byte ``since`` on, without escape sequences (see :func:`plain`)."""
        return plain(self.output[since:])

    def shows(self, text: str) -> bool:
        """Whether ``text`` is on the screen (within a row, or across rows joined by a newline)."""
        return text in self.text


class Terminal:
    """``argv`` run on a pseudo-terminal of ``size``, as a learner's shell runs it: the child leads a new
    session with the terminal as its controlling terminal (a hang-up reaches it as the kernel's
    SIGHUP), its stdin, stdout and stderr on the terminal, TERM set to what pyte reads. With
    ``stderr=True`` its stderr goes to a file instead, read as :attr:`errors`.

    What it writes is read only while a method of this class runs (they all read as they wait): a
    child that writes much fills the terminal and waits until it is read.
    """

    def __init__(
        self,
        argv: Sequence[str],
        env: dict[str, str],
        *,
        size: tuple[int, int] = SIZE,
        cwd: Path | None = None,
        stderr: bool = False,
    ) -> None:
        self.argv = list(argv)
        self.screen = Screen(size)
        self.returncode: int | None = None
        self.closed = False
        """Whether the terminal's other side has closed (every process on it has ended or let it go)."""
        self._errors = tempfile.TemporaryFile() if stderr else None
        # the size is the terminal's: COLUMNS and LINES would stand for it (shutil.get_terminal_size)
        env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")} | {"TERM": TERM}
        winsize = struct.pack("HHHH", size[1], size[0], 0, 0)
        pid, self.master = pty.fork()
        if pid == 0:  # the child: the terminal's size, stderr, then nothing but exec
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, winsize)
                if self._errors is not None:
                    os.dup2(self._errors.fileno(), 2)
                if cwd is not None:
                    os.chdir(cwd)
                os.execvpe(self.argv[0], self.argv, env)
            finally:
                os._exit(127)
        self.pid = pid

    # --- what it writes ---------------------------------------------------------------------------------

    @property
    def output(self) -> bytes:
        """Every byte the child has written to the terminal so far."""
        return self.screen.output

    @property
    def errors(self) -> bytes:
        """What the child wrote to its stderr, when it went to a file (``stderr=True``)."""
        if self._errors is None:
            return b""
        self._errors.seek(0)
        return self._errors.read()

    def read(self, timeout: float) -> bool:
        """Read what the child writes within ``timeout`` seconds (returning as soon as something came);
        False once the terminal's other side has closed."""
        if self.closed or self.master < 0:
            return False
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: every process on the terminal has closed it
            chunk = b""
        if not chunk:
            self.closed = True
            return False
        self.screen.feed(chunk)
        return True

    def drain(self, seconds: float) -> None:
        """Keep reading for ``seconds``: the pace of keys typed one after another, not a wait for a
        condition."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0 and self.read(left):
            pass

    def wait_until(self, condition: Callable[[Screen], object], what: str, timeout: float = DEADLINE) -> Screen:
        """Read until ``condition(screen)`` holds; fail, showing the screen, if the deadline passes or
        the terminal closes first."""
        end = time.monotonic() + timeout
        while not condition(self.screen):
            left = end - time.monotonic()
            if left <= 0 or not self.read(min(left, 0.5)):
                why = "the terminal closed" if self.closed else f"{timeout:g} s passed"
                raise AssertionError(f"{what} never came ({why}); the screen:\n{self.screen.text}")
        return self.screen

    def wait_for(self, text: str, timeout: float = DEADLINE) -> str:
        """Read until ``text`` is on the screen; the screen's text. Fails showing the screen."""
        return self.wait_until(lambda screen: screen.shows(text), repr(text), timeout).text

    def wait_for_output(self, data: bytes, timeout: float = DEADLINE) -> bytes:
        """Read until the child has written ``data`` (an escape sequence, say); everything written."""
        self.wait_until(lambda screen: data in screen.output, repr(data), timeout)
        return self.output

    # --- keys and the end ---------------------------------------------------------------------------------

    def type(self, keys: str | bytes) -> None:
        """Type ``keys`` (text, or the bytes a key sends: ``b"\\x1bOQ"`` is f2 as xterm sends it)."""
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)

    def poll(self) -> int | None:
        """The child's exit status if it has ended (reaped here), else None."""
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float = DEADLINE) -> int:
        """The child's exit status, waited for at most ``timeout`` seconds while the terminal is read."""
        end = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > end:
                raise AssertionError(
                    f"{self.argv[0]} did not end within {timeout:g} s; the screen:\n{self.screen.text}"
                )
            if not self.read(0.05):
                time.sleep(0.02)  # the terminal is closed: polling for the exit (bounded above), not waiting
        return self.poll() or 0

    def finish(self, timeout: float = DEADLINE) -> int:
        """Read to the end of what the child writes, wait for its exit status, close the terminal."""
        end = time.monotonic() + timeout
        while self.read(0.5):
            if time.monotonic() > end:
                raise AssertionError(f"{self.argv[0]} kept its terminal open; the screen:\n{self.screen.text}")
        status = self.wait(max(0.0, end - time.monotonic()))
        self.hang_up()
        return status

    def hang_up(self) -> None:
        """Close the terminal's master side, as a dropped SSH link does."""
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def kill(self) -> None:
        """End the child at once if it still runs (a test that failed half-way)."""
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        self.kill()
        self.hang_up()
        if self._errors is not None:
            self._errors.close()
            self._errors = None

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.kill()
        self.hang_up()
