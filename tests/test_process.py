"""The app as a process: no terminal, a crash, the signals that end it, keys pressed during a run.

These drive the real ``python -m gdtutor`` (a pipe, /dev/null or a pseudo-terminal), each bounded by
a timeout, never by a fixed wait.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def child_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """An English user's environment, this worktree's gdtutor first, a throwaway data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    env.update(
        LANG="C.UTF-8",
        PYTHONIOENCODING="utf-8",
        PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        GDTUTOR_DATA_DIR=str(data_dir),
        TERM="xterm-256color",
        **extra,
    )
    return env


# --- 1. no terminal ---------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [[], ["lab"]])
def test_without_a_terminal_the_app_refuses_in_one_line(tmp_path: Path, argv: list[str]) -> None:
    """stdin at /dev/null used to spin a core forever: now one line and status 2, at once."""
    done = subprocess.run(
        [sys.executable, "-m", "gdtutor", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=child_env(tmp_path),
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("gdtutor: ") and "standard input is not" in done.stderr
    assert not (tmp_path / "progress.db").exists(), "refused before the app was built"


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--x0", "3"],
        ["sweep", "--count", "3", "--x0", "3", "--json"],
        ["lessons", "list"],
        ["progress"],
    ],
)
def test_headless_commands_need_no_terminal(tmp_path: Path, argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gdtutor", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=child_env(tmp_path),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
