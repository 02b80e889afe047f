"""What the app remembers of the lesson files it checked, so that its next start skips the reading.

Reading the lessons (YAML, then the format checks) was about 20 ms of the app's start of about
230 ms, with the import of PyYAML (``benchmarks/tui_bench.py``). The cache keeps, for each file, the
lesson it holds (as the models encode it) or the problems of a broken one, as JSON, in the learner's
data folder. Like Python's ``.pyc`` files, an entry is used only while the file has the size and
modification time it had when it was checked, and the whole cache only while the code that checked
it is the same (gdtutor's version and the files of the lesson format, the engine and the words).
The file is decoded into the lesson models in one pass, which checks every field's type again, and
is used only when its digest matches what it holds and every problem in it has its words: values of
the right types that no lesson check let through (an empty list of steps, a problem without its
fields) cannot come from anything but a change made outside the cache. Anything unreadable or changed
in the cache is ignored and the files are read again; a cache that cannot be written is not an error.

Only the app uses it: ``gdtutor lessons check`` always reads the files, and runs the engine checks.
"""

import hashlib
import json
import os
from pathlib import Path

import msgspec

from .. import __version__
from .model import Lesson
from .problem import FileProblem

CACHE_NAME = "lesson-cache.json"

_PACKAGE = Path(__file__).resolve().parent.parent
_CODE = sorted(
    [
        *(p for folder in ("lessons", "engine", "i18n") for p in (_PACKAGE / folder).glob("*.py")),
        _PACKAGE / "numbers.py",
        _PACKAGE / "telling.py",
    ]
)
"""The files whose code decides what a lesson file reads as."""


class Entry(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One file: its size and modification time when it was read, and what it held."""

    stamp: tuple[int, int]
    lesson: Lesson | None = None
    problems: list[FileProblem] = []


class CacheFile(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    code: str
    digest: str
    """Of ``code`` and ``files`` as this code encodes them: a file changed by anything but the cache itself
    (a damaged disk, a hand edit, values of the right types that no check let through) does not match."""
    files: dict[str, Entry]


def _digest(code: str, files: dict[str, Entry]) -> str:
    return hashlib.blake2b(code.encode() + b"\0" + msgspec.json.encode(files), digest_size=16).hexdigest()


def _worded(entries: dict[str, Entry]) -> bool:
    """Whether every remembered problem has its words, with its fields, in every language."""
    from ..i18n import LANGUAGES

    try:
        for entry in entries.values():
            for problem in entry.problems:
                for lang in LANGUAGES:
                    problem.located(lang)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return False
    return True


def file_stamp(path: Path) -> tuple[int, int] | None:
    """The file's size and modification time (ns), as the cache compares them; None if it is gone."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def code_stamp() -> str:
    """Changes whenever the code that checks lessons may have changed."""
    return json.dumps([__version__, *(file_stamp(p) for p in _CODE)])


class LessonCache:
    """The checked lessons of earlier starts, read from ``path`` (missing or damaged: empty)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.code = code_stamp()
        self.entries: dict[str, Entry] = {}
        self.used: dict[str, Entry] = {}
        self.changed = False
        try:
            doc = msgspec.json.decode(path.read_bytes(), type=CacheFile)
        except (OSError, msgspec.DecodeError):  # ValidationError too: a value of the wrong type
            return
        if doc.code == self.code and doc.digest == _digest(doc.code, doc.files) and _worded(doc.files):
            self.entries = doc.files
        else:  # written by other code, or changed since: every file is read again, and the cache rewritten
            self.changed = True

    def get(self, path: Path) -> Entry | None:
        """What ``path`` held, if the file is as it was when it was read."""
        key = str(path.resolve())
        entry = self.entries.get(key)
        if entry is None or entry.stamp != file_stamp(path):
            return None
        self.used[key] = entry
        return entry

    def put(
        self, path: Path, stamp: tuple[int, int] | None, lesson: Lesson | None, problems: list[FileProblem]
    ) -> None:
        """Remember what ``path`` held as it was at ``stamp`` (taken before the file was read)."""
        if stamp is None:
            return
        self.used[str(path.resolve())] = Entry(stamp=stamp, lesson=lesson, problems=problems)
        self.changed = True

    def save(self) -> None:
        """Write the entries used by this start (others are for files that are gone), if any changed."""
        if not self.changed and len(self.used) == len(self.entries):
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            # a learner's first start: the data folder is made when progress is first written (a served
            # tutor, whose folder must wait for that, is given the lessons and keeps no cache), so the
            # cache makes it, or every start until then read and checked every lesson again (start_bench:
            # 1.60x the bare app's instructions with the cache never written, 1.23x with it)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            doc = CacheFile(code=self.code, digest=_digest(self.code, self.used), files=self.used)
            tmp.write_bytes(msgspec.json.encode(doc))
            os.replace(tmp, self.path)  # readers see the old file or the new one, never half of one
        except OSError:  # a read-only or full folder: the next start reads the files again
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
