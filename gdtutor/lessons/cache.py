"""What the app remembers of the lesson files it checked, so that its next start skips the reading.

Reading the lessons (YAML, then the format checks) was about 20 ms of the app's start of about
230 ms, with the import of PyYAML (``benchmarks/tui_bench.py``). The cache keeps, for each file, the
checked fields of a valid lesson or the problems of a broken one, as JSON, in the learner's data
folder. Like Python's ``.pyc`` files, an entry is used only while the file has the size and
modification time it had when it was checked, and the whole cache only while the code that checked
it is the same (gdtutor's version and the files of the lesson format). Anything unreadable in the
cache is ignored and the files are read again; a cache that cannot be written is not an error.

Only the app uses it: ``gdtutor lessons check`` always reads the files, and runs the engine checks.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .. import __version__

CACHE_NAME = "lesson-cache.json"

_CODE = (
    Path(__file__).with_name("load.py"),
    Path(__file__).with_name("model.py"),
    Path(__file__).with_name("spec.py"),
    Path(__file__).with_name("yamlread.py"),
    Path(__file__).with_name("problem.py"),
    Path(__file__).resolve().parent.parent / "engine" / "expr.py",
    Path(__file__).resolve().parent.parent / "engine" / "function.py",
    Path(__file__).resolve().parent.parent / "engine" / "defaults.py",
)
"""The files whose code decides what a lesson file reads as."""


def file_stamp(path: Path) -> list[int] | None:
    """The file's size and modification time (ns), as the cache compares them; None if it is gone."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def code_stamp() -> str:
    """Changes whenever the code that checks lessons may have changed."""
    return json.dumps([__version__, *(file_stamp(p) for p in _CODE)])


class LessonCache:
    """The checked lessons of earlier starts, read from ``path`` (missing or damaged: empty)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.code = code_stamp()
        self.entries: dict[str, dict[str, Any]] = {}
        self.used: dict[str, dict[str, Any]] = {}
        self.changed = False
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(doc, dict) and doc.get("code") == self.code and isinstance(doc.get("files"), dict):
            self.entries = doc["files"]

    def get(self, path: Path) -> dict[str, Any] | None:
        """The entry for ``path`` if the file is as it was when the entry was made."""
        key = str(path.resolve())
        entry = self.entries.get(key)
        if not isinstance(entry, dict) or entry.get("stamp") != file_stamp(path):
            return None
        self.used[key] = entry
        return entry

    def put(self, path: Path, stamp: list[int] | None, entry: dict[str, Any]) -> None:
        """Remember ``entry`` for ``path`` as it was at ``stamp`` (taken before the file was read)."""
        if stamp is None:
            return
        self.used[str(path.resolve())] = {"stamp": stamp, **entry}
        self.changed = True

    def save(self) -> None:
        """Write the entries used by this start (others are for files that are gone), if any changed."""
        if not self.changed and len(self.used) == len(self.entries):
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps({"code": self.code, "files": self.used}, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)  # readers see the old file or the new one, never half of one
        except OSError:  # a read-only or full folder: the next start reads the files again
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
