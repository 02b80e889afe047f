"""What a class server is started with, as the command line (or any caller) resolved it: typed values,
folders as paths, defaults already applied. No library is imported here, so that the command line
can build them before it knows whether the ``serve`` extra is installed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ServeOptions:
    """What both servers take."""

    host: str
    port: int
    max_sessions: int
    data_dir: Path
    """The class's folder: the host key, and each learner's progress under ``learners/<login>``."""
    lessons: list[Path] = field(default_factory=list)
    app_lang: str | None = None
    """The tutors' language when given; otherwise each tutor takes the learner's (SSH: the LANG the
    client sent; web: the browser's)."""


@dataclass(frozen=True)
class SshOptions(ServeOptions):
    authorized_keys: Path = Path()
    idle_timeout: int = 1800
