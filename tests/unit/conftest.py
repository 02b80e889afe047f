"""What only the unit tier needs: the whole race, run once for the slow tests that read it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from support.children import gdtutor


@pytest.fixture(scope="session")
def full_race() -> dict[str, Any]:
    """``gdtutor race --json`` as a learner runs it, every size up to 2,000 features: its document.

    Tens of seconds on a busy machine (``np.linalg.lstsq`` at 2,000 features alone takes most of them),
    so only the slow tier asks for it (``pytest -m slow``, run by benchmarks/faults.py); the default run
    checks the race's logic at small sizes."""
    done = gdtutor("race", "--json", timeout=600)
    assert done.returncode == 0, done.stderr
    document: dict[str, Any] = json.loads(done.stdout)
    return document
