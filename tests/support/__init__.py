"""What the tests (and the benchmarks) share: a terminal driver and an SSH client that read the screen
through a terminal emulator (:mod:`support.terminal`, :mod:`support.ssh`).

``tests/`` is on ``sys.path`` under pytest (``tests/conftest.py`` is a rootdir conftest, imported in
pytest's default "prepend" mode), so a test imports ``support.terminal``; a benchmark, run as
``python benchmarks/x.py``, puts ``tests/`` on ``sys.path`` itself.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The checkout: README.md, pyproject.toml, lessons/, tests/."""
DATA = ROOT / "tests" / "data"
"""The tests' lesson files and folders (the example lesson, broken ones)."""
