"""What several test files share."""

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
