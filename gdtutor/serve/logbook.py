"""The servers' log: one line an event on standard error, bounded whatever a client does.

A client can make the server say the same thing thousands of times a second (3,000 idle connections
logged 154,460 tracebacks, 66 MB in 37 s). A line whose template has been written :data:`BURST` times
within :data:`WINDOW` seconds is counted instead of written, and the count said once the window ends;
an error the event loop reports (a failed ``accept()`` when the process runs out of descriptors) is
one such line, without its traceback.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import sys
import time
from typing import Any

BURST = 10
"""Lines of one template written in a window; more are counted."""

WINDOW = 10.0
"""Seconds of a window."""

log = logging.getLogger("gdtutor.serve")


class Bounded(logging.StreamHandler[Any]):
    """A stream handler that writes at most :data:`BURST` lines of a template each :data:`WINDOW`."""

    def __init__(self, stream: Any = None) -> None:
        super().__init__(stream)
        self.window_start = time.monotonic()
        self.written: dict[str, int] = {}
        self.held: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        now = time.monotonic()
        if now - self.window_start >= WINDOW:
            self._say_held()
            self.window_start, self.written = now, {}
        template = str(record.msg)
        self.written[template] = self.written.get(template, 0) + 1
        if self.written[template] > BURST:
            self.held[template] = self.held.get(template, 0) + 1
            return
        super().emit(record)

    def _say_held(self) -> None:
        held, self.held = self.held, {}
        for template, count in held.items():
            line = f"{count} more lines like {template!r} in {WINDOW:g} s, not written"
            super().emit(logging.LogRecord(log.name, logging.WARNING, __file__, 0, line, None, None))

    def close(self) -> None:
        self._say_held()
        super().close()


def start_log() -> None:
    """The servers' logging: to stderr, bounded, debug lines when ``GDTUTOR_SERVE_DEBUG`` is set."""
    level = logging.DEBUG if os.environ.get("GDTUTOR_SERVE_DEBUG") else logging.INFO
    handler = Bounded(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%S%z"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    _more_descriptors()


def _more_descriptors() -> None:
    """Raise the soft limit on open files to the hard one: every session holds a few, and a server that
    runs out refuses real learners."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            pass


def loop_errors(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The event loop's own errors, as one line each (counted like any other), never a traceback."""
    error = context.get("exception")
    what = context.get("message", "error")
    log.warning("%s: %s", what, repr(error)[:200] if error is not None else "")
