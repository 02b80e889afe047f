"""One SSH client with a terminal, for ``gdtutor serve ssh``'s tests and its benchmark: asyncssh's client
on a loopback port, what the server sends shown on a :class:`support.terminal.Screen`, keys typed.

Waits are for a condition on the screen, woken by each piece the server sends (no polling), bounded by
a deadline; one that fails shows the screen.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from pathlib import Path

import asyncssh

from support.terminal import DEADLINE, SIZE, TERM, Screen

ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[P^_][^\x1b]*\x1b\\|.)")
"""A terminal's control sequences (CSI, OSC, DCS and the like, and two-character escapes)."""
WRITTEN_KEPT = 65536
"""Characters of text kept without an emulator: more than a screen redrawn whole."""


async def connect(
    port: int, login: str, key: Path | asyncssh.SSHKey, **options: object
) -> asyncssh.SSHClientConnection:
    """A connection as ``login`` with ``key`` alone: no agent, no password, any host key."""
    return await asyncssh.connect(
        "127.0.0.1", port, username=login, client_keys=[key if isinstance(key, asyncssh.SSHKey) else str(key)],
        known_hosts=None, agent_path=None, password=None, **options,
    )  # fmt: skip


class Session:
    """The tutor's session on an SSH channel with a terminal of ``size``: the screen as a learner sees
    it, keys typed, the exit status and the server's lines on stderr at the end."""

    def __init__(
        self,
        conn: asyncssh.SSHClientConnection,
        process: asyncssh.SSHClientProcess[bytes],
        size: tuple[int, int],
        *,
        emulate: bool = True,
    ) -> None:
        self.conn = conn
        self.process = process
        self.screen = Screen(size)
        self.emulate = emulate
        """Whether what comes is shown on :attr:`screen` (a terminal emulator, pure Python). Without it
        (a benchmark's many clients in one process) only the text it writes is kept, escape sequences
        taken out, since :meth:`mark`: what a learner's terminal would show, without drawing it."""
        self.written = ""
        self.errors = b""
        self._arrived = asyncio.Event()
        self._reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        while True:
            data = await self.process.stdout.read(65536)
            if not data:
                self._arrived.set()
                return
            if self.emulate:
                self.screen.feed(data)
            else:
                self.written = (self.written + ESCAPES.sub("", data.decode("utf-8", "replace")))[-WRITTEN_KEPT:]
            self._arrived.set()

    def mark(self) -> None:
        """Without a terminal emulator: forget what was written so far (a wait looks at what comes next)."""
        self.written = ""

    @property
    def output(self) -> bytes:
        """Every byte the server has sent on the channel."""
        return self.screen.output

    async def wait_until(self, condition: Callable[[Screen], object], what: str, timeout: float = DEADLINE) -> Screen:
        """Until ``condition(screen)`` holds; fail, showing the screen, at the deadline or if the channel
        closes first."""
        end = time.monotonic() + timeout
        while not condition(self.screen):
            if self._reader.done():
                raise AssertionError(f"{what} never came (the channel closed); the screen:\n{self.screen.text}")
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), end - time.monotonic())
            except TimeoutError:
                raise AssertionError(f"{what} never came in {timeout:g} s; the screen:\n{self.screen.text}") from None
        return self.screen

    async def wait_for(self, text: str, timeout: float = DEADLINE) -> str:
        """Until ``text`` is on the screen (without an emulator: written since :meth:`mark`); the screen's text."""
        if not self.emulate:
            await self.wait_until(lambda screen: text in self.written, repr(text), timeout)
            return self.written
        return (await self.wait_until(lambda screen: screen.shows(text), repr(text), timeout)).text

    def type(self, keys: str) -> None:
        self.process.stdin.write(keys.encode())

    def resize(self, columns: int, lines: int) -> None:
        """The learner's terminal changes size: the server is told, and the screen takes the new size."""
        self.screen.resize(columns, lines)
        self.process.change_terminal_size(columns, lines)

    async def exit_status(self, timeout: float = DEADLINE) -> int:
        """Wait for the session's end: its exit status (the server's lines on stderr in :attr:`errors`)."""
        await asyncio.wait_for(self.process.wait_closed(), timeout)
        await asyncio.wait_for(self._reader, timeout)
        self.errors = await self.process.stderr.read()
        return self.process.exit_status  # type: ignore[no-any-return]

    async def leave(self, timeout: float = DEADLINE) -> int:
        """ctrl+q, as a learner leaves: the exit status, the connection closed."""
        self.type("\x11")
        status = await self.exit_status(timeout)
        self.conn.close()
        return status


async def open_session(
    port: int,
    login: str,
    key: Path | asyncssh.SSHKey,
    size: tuple[int, int] = SIZE,
    *,
    emulate: bool = True,
    **env: str,
) -> Session:
    """Log in as ``login`` and open a session with a terminal of ``size`` (TERM as the tests' terminal,
    ``env`` sent as the client's environment, LANG say)."""
    conn = await connect(port, login, key)
    process = await conn.create_process(term_type=TERM, term_size=size, encoding=None, env=env or None)
    return Session(conn, process, size, emulate=emulate)
