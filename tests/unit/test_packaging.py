"""The package as a user installs it: the wheel carries the lessons, and the code passes its linters."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import ROOT

import gdtutor


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from this checkout with the project's own build backend."""
    from hatchling.builders.wheel import WheelBuilder

    out = tmp_path_factory.mktemp("dist")
    return Path(next(iter(WheelBuilder(str(ROOT)).build(directory=str(out), versions=["standard"]))))


def test_wheel_ships_every_lesson(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    lessons = sorted(p.name for p in (ROOT / "lessons").glob("*.yaml"))
    assert lessons, "the checkout has no lessons"
    for name in lessons:
        assert f"gdtutor/_lessons/{name}" in names
    assert "gdtutor/engine/descent.py" in names
    assert not any(n.startswith("tests/") for n in names)


def test_wheel_ships_the_web_page(wheel: Path) -> None:
    """``gdtutor serve web`` reads its page from the package (gdtutor/serve/web_page.html)."""
    assert "gdtutor/serve/web_page.html" in zipfile.ZipFile(wheel).namelist()


def test_installed_layout_finds_lessons_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = "import gdtutor.lessons as l; print(l.builtin_lessons_dir()); print(len(l.builtin_lesson_files()))"
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    )
    folder, count = out.stdout.split()
    assert Path(folder) == site / "gdtutor" / "_lessons"
    assert int(count) == len(list((ROOT / "lessons").glob("*.yaml")))


def test_version_is_the_packages() -> None:
    out = subprocess.run([sys.executable, "-m", "gdtutor", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"gdtutor {gdtutor.__version__}"


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (it comes with the test extra)")
    return path


def test_ruff_lint_and_format() -> None:
    ruff = _tool("ruff")
    targets = ["gdtutor", "tests", "benchmarks"]
    lint = subprocess.run([ruff, "check", *targets], cwd=ROOT, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run([ruff, "format", "--check", *targets], cwd=ROOT, capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy() -> None:
    mypy = _tool("mypy")
    out = subprocess.run([mypy], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
