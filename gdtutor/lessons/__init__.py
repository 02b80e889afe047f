"""Lessons: where the built-in ones are, and (as the format grows) how they are read."""

from __future__ import annotations

from pathlib import Path


def builtin_lessons_dir() -> Path:
    """The folder of built-in lessons: inside the installed package, or ``lessons/`` in a checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_lessons"
    if packaged.is_dir():
        return packaged
    return here.parent / "lessons"


def builtin_lesson_files() -> list[Path]:
    """The built-in lesson files, in teaching order."""
    return sorted(builtin_lessons_dir().glob("*.yaml"))
