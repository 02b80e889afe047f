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

import os
import signal
import subprocess
import sys
from collections.abc import Callable

import pytest
from support.children import tested_path

# A suite started in the background by a script (`pytest &`, nohup) inherits SIGINT ignored, and every
# gdtutor it starts would too (an ignored signal stays ignored across exec): the ctrl+c tests would see
# their signal dropped. A handled signal is reset to the default in a child, so handle it here.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def fresh_python() -> Callable[[str], str]:
    """Run code in a new interpreter (nothing imported yet) and give what it printed, stripped.

    For what only a fresh process shows: which modules an import or a start loads. It imports the gdtutor
    these tests import: ``-P`` keeps the working folder (a checkout) off its path, and PYTHONPATH puts
    that gdtutor's folder first. (``pytest`` with gdtutor installed imports the installed package, while
    ``python -m pytest`` in a checkout imports the checkout; a child run from the checkout took the
    checkout either way, and compared it with the installed one.)
    """

    def run(code: str) -> str:
        env = dict(os.environ, PYTHONPATH=tested_path())
        out = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, timeout=60, env=env)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    return run
