"""A tutor's resource limits (:class:`gdtutor.serve.options.TutorLimits`) do what they are for: a
process that takes more memory than its limit fails to get it, one that uses its CPU time is ended."""

from __future__ import annotations

import signal
import subprocess
import sys

from support.children import child_env
from support.terminal import DEADLINE


def limited(memory_mib: int, cpu_seconds: int, then: str) -> subprocess.CompletedProcess[str]:
    code = f"from gdtutor.serve.options import TutorLimits\nTutorLimits({memory_mib}, {cpu_seconds}).apply()\n{then}\n"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=child_env(), timeout=DEADLINE
    )


def test_memory_beyond_the_limit_is_refused() -> None:
    done = limited(256, 3600, "x = bytearray(400 * 1024 * 1024)")
    assert done.returncode == 1 and "MemoryError" in done.stderr, done.stderr
    assert limited(256, 3600, "x = bytearray(100 * 1024 * 1024)").returncode == 0  # within it: given


def test_cpu_time_beyond_the_limit_ends_the_process() -> None:
    done = limited(256, 1, "while True: pass")
    assert done.returncode == -signal.SIGXCPU
