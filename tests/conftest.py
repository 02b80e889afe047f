"""What the tiers share. The tests are in four folders, each run on its own too (``pytest tests/unit``):

- ``unit/``: the engine, expressions, lessons, progress, the race, the project's own checks; no app.
- ``app/``: the app through Textual's pilot, and the snapshots (``app/__snapshots__/``).
- ``terminal/``: real processes: the command line end to end, the app on a pseudo-terminal.
- ``serve/``: ``gdtutor serve ssh`` and ``gdtutor serve web``.

Helpers are in ``support/`` (a terminal driver, an SSH client, children, the pilot, waiting); this
file's folder is on ``sys.path`` (pytest's rootdir conftest, "prepend" import mode), so a test imports
``support.terminal``. A tier's own conftest.py holds what only it needs.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable

import pytest

# A suite started in the background by a script (`pytest &`, nohup) inherits SIGINT ignored, and every
# gdtutor it starts would too (an ignored signal stays ignored across exec): the ctrl+c tests would see
# their signal dropped. A handled signal is reset to the default in a child, so handle it here.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def fresh_python() -> Callable[[str], str]:
    """Run code in a new interpreter (nothing imported yet) and give what it printed, stripped.

    For what only a fresh process shows: which modules an import or a start loads.
    """

    def run(code: str) -> str:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    return run
