"""What several test files share."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest


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
