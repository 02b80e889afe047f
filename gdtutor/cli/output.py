"""The commands' output: writing it, and saying once, at :func:`gdtutor.cli.main`, when it fails."""

from __future__ import annotations

import io
import os
import sys
from typing import IO, Any


class OutputError(Exception):
    """Writing the output failed (a full disk, a closed pipe, a stream not open for writing)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class Output(io.TextIOBase):
    """The commands' standard output: an :class:`OSError` while writing or flushing becomes an
    :class:`OutputError`, so that :func:`gdtutor.cli.main` tells a failing output from any other
    error, at one place."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self.stream = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except OSError as exc:
            raise OutputError(exc) from exc

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as exc:
            raise OutputError(exc) from exc

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()


def write_json(out: IO[str], doc: object, **options: Any) -> None:
    """``doc`` as one JSON document on a line of its own (``options`` as :func:`json.dump` takes them)."""
    import json

    json.dump(doc, out, **options)
    out.write("\n")


def carries(out: IO[str] | io.TextIOBase, text: str) -> bool:
    """Whether ``out``'s encoding can carry ``text`` (an ASCII-only stream cannot carry a chart's lines)."""
    try:
        text.encode(getattr(out, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def use_color(out: IO[str]) -> bool:
    """Colour on a terminal, unless ``NO_COLOR`` is set."""
    return "NO_COLOR" not in os.environ and hasattr(out, "isatty") and out.isatty()


def escape_what_cannot_be_carried() -> None:
    """stdout and stderr write what their encoding cannot carry as escapes (\\u4e2d) instead of failing
    (PYTHONIOENCODING=ascii, a locale without UTF-8)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def silence_stdout(stream: IO[str] | None = None) -> None:
    """Point stdout (or ``stream``) at the null device, so that nothing left in its buffer can fail
    again at exit."""
    try:
        fd = (stream or sys.stdout).fileno()
    except (AttributeError, ValueError, OSError):
        return  # not a real file (captured in a test): nothing will be flushed to a pipe at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)
