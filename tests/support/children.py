"""Running the real ``python -m gdtutor`` as a child: its status, its output and its own peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

LOCALE_VARS = ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE")
HANG = 120
"""Seconds after which a child is taken as hung (never reached by a passing case)."""


def env(data_dir: Path | None = None) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    out.update(LANG="C.UTF-8", PYTHONIOENCODING="utf-8")
    if data_dir is not None:
        out["GDTUTOR_DATA_DIR"] = str(data_dir)
    return out


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


def gdtutor(*argv: str, data_dir: Path | None = None) -> tuple[int, str, str, int]:
    """Run ``python -m gdtutor argv``: exit status, stdout, stderr and the child's own peak memory (kB)."""
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as out,
        tempfile.TemporaryFile("w+", encoding="utf-8") as err,
        tempfile.TemporaryDirectory() as tmp,
    ):
        peak = Path(tmp) / "peak"
        proc = subprocess.Popen(
            [sys.executable, "-c", MEASURED, str(peak), sys.executable, "-m", "gdtutor", *argv],
            stdout=out,
            stderr=err,
            env=env(data_dir),
            start_new_session=True,  # a hang is ended with its whole group, gdtutor included
        )
        try:
            proc.wait(timeout=HANG)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
            raise AssertionError(f"gdtutor {' '.join(argv)} did not end") from None
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), int(peak.read_text())


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
