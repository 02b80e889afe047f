"""Running the real ``gdtutor`` as a child: its environment, its status and output (and, when asked, its
own peak memory), and the processes under a process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, NamedTuple

HANG = 120
"""Seconds after which a child is taken as hung (never reached by a passing case)."""
DROPPED = (
    "LANG", "LANGUAGE", "NO_COLOR", "PYTHONUNBUFFERED", "PYTHONIOENCODING", "PYTHONUTF8", "PYTHONCOERCECLOCALE",
    "GDTUTOR_DATA_DIR", "COLUMNS", "LINES",
)  # fmt: skip
"""What the tests' own environment may say that a learner's shell does not (with every ``LC_*``).
COLUMNS and LINES among them: pytest-xdist's workers set them (80, 24), and a terminal's size read
through them (``shutil.get_terminal_size``, as Textual reads it) stays that, whatever the terminal says."""


def tested_path() -> str:
    """PYTHONPATH with the folder of the gdtutor these tests import first: a child runs that same code
    (the checkout, or the installed package when ``pytest`` imports that one)."""
    import gdtutor  # here, not above: the benchmarks take descendants() without importing gdtutor

    return os.pathsep.join(filter(None, [str(Path(gdtutor.__file__).parents[1]), os.environ.get("PYTHONPATH")]))


def child_env(data_dir: Path | None = None, **change: str | None) -> dict[str, str]:
    """The environment of a learner's shell for a child: this one's without the locale, colour,
    buffering and encoding settings of the machine, in English (LANG=C.UTF-8, PYTHONIOENCODING=utf-8),
    the tested gdtutor first on the path, ``data_dir`` as the data folder (none: no GDTUTOR_DATA_DIR).

    ``change`` sets more variables, or leaves one out with None: ``child_env(LANG=None,
    PYTHONIOENCODING=None)`` is a shell that sets neither."""
    env = {k: v for k, v in os.environ.items() if k not in DROPPED and not k.startswith("LC_")}
    env.update(LANG="C.UTF-8", PYTHONIOENCODING="utf-8", PYTHONPATH=tested_path())
    if data_dir is not None:
        env["GDTUTOR_DATA_DIR"] = str(data_dir)
    for name, value in change.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


MEASURED = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""
"""Runs a command and writes its peak resident size (kB). Linux gives a child the peak of the process it
was forked from, and this test process grows to hundreds of MB in a full run: a small process in between
keeps the figure gdtutor's own."""


class Done(NamedTuple):
    """A child's end: its status, what it wrote (text, or bytes when asked) and its peak memory in kB
    (None unless measured: a figure never read cannot pass a comparison)."""

    returncode: int
    stdout: str | bytes
    stderr: str | bytes
    peak_kb: int | None = None


def gdtutor(
    *argv: str,
    data_dir: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: int | IO[bytes] | None = subprocess.DEVNULL,
    stdout: IO[bytes] | None = None,
    cwd: Path | None = None,
    text: bool = True,
    measure: bool = False,
    timeout: float = HANG,
) -> Done:
    """Run ``python -m gdtutor argv`` in ``env`` (else :func:`child_env` with ``data_dir``), stdin at
    /dev/null unless given, stdout captured unless given a file: its :class:`Done`. ``measure``: through
    a small process that reads its peak memory. A child still running after ``timeout`` seconds is
    ended with its whole group, and the test fails."""
    command = [sys.executable, "-m", "gdtutor", *argv]
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as tmp,
    ):
        peak = Path(tmp) / "peak"
        if measure:
            command = [sys.executable, "-c", MEASURED, str(peak), *command]
        proc = subprocess.Popen(
            command,
            stdin=stdin,
            stdout=out if stdout is None else stdout,
            stderr=err,
            env=child_env(data_dir) if env is None else env,
            cwd=cwd,
            start_new_session=True,  # a hang is ended with its whole group, gdtutor included
        )
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
            raise AssertionError(f"gdtutor {' '.join(argv)} did not end") from None
        out.seek(0)
        err.seek(0)
        written, errors = out.read(), err.read()
        peak_kb = int(peak.read_text()) if measure else None
        if text:
            return Done(proc.returncode, as_text(written), as_text(errors), peak_kb)
        return Done(proc.returncode, written, errors, peak_kb)


def as_text(data: bytes) -> str:
    """UTF-8 read as a text file reads it (universal newlines)."""
    return data.decode().replace("\r\n", "\n").replace("\r", "\n")


def parent(pid: int) -> int:
    """The parent of ``pid`` (0 once it is gone), from /proc."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def descendants(pid: int) -> set[int]:
    """Every process under ``pid``, from /proc (Linux)."""
    parents = {int(entry.name): parent(int(entry.name)) for entry in Path("/proc").iterdir() if entry.name.isdigit()}
    found: set[int] = set()
    todo = [pid]
    while todo:
        here = todo.pop()
        for child, up in parents.items():
            if up == here and child not in found:
                found.add(child)
                todo.append(child)
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def zygotes(server: int) -> set[int]:
    """A class server's warm process (its tutors, forked from it, carry the same command line)."""
    return {pid for pid in descendants(server) if parent(pid) == server and b"gdtutor.serve.zygote" in cmdline(pid)}


def tutors(server: int) -> list[int]:
    """The tutors a class server runs: its zygote's children (until the zygote has reaped them)."""
    return sorted(pid for zygote in zygotes(server) for pid in descendants(zygote) if parent(pid) == zygote)


def limits_of(pid: int) -> dict[str, tuple[str, str]]:
    """A process's resource limits from /proc: name -> (soft, hard)."""
    found = {}
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines()[1:]:
        name, soft, hard = re.split(r"\s{2,}", line.strip())[:3]
        found[name] = (soft, hard)
    return found
