"""A tutor's resource limits (:class:`gdtutor.serve.options.TutorLimits`) do what they are for: a
process that takes more memory than its limit fails to get it, one that uses its CPU time is ended."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

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


def test_every_tutor_of_a_server_shares_its_race_turns(tmp_path: Path) -> None:
    """Lesson 8's race holds about 535 MiB: a server gives all its tutors one pool of --max-races turns,
    in a folder of the class (hidden from the class report), through every request to the zygote."""
    from gdtutor.engine.slots import FOLDER_VARIABLE, SLOTS_VARIABLE, Pool
    from gdtutor.serve.options import ServeOptions, TutorLimits, default_races
    from gdtutor.serve.zygote import Tutors

    options = ServeOptions(host="127.0.0.1", port=0, max_sessions=3, data_dir=tmp_path / "class", max_races=2)
    env = options.tutor_env()
    assert env == {SLOTS_VARIABLE: "2", FOLDER_VARIABLE: str(tmp_path / "class" / ".races")}
    assert Pool.from_environment(env) is not None
    assert ServeOptions(host="h", port=0, max_sessions=1, data_dir=tmp_path).max_races == default_races() >= 1

    request = Tutors([], TutorLimits(900, 120), env).request("pipes", tmp_path, "zh", {"TERM": "xterm"})
    assert request["env"] == {**env, "TERM": "xterm"}
    assert request["limits"] == [900, 120] and request["how"] == "pipes" and request["lang"] == "zh"
