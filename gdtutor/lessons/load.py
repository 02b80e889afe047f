"""Loading and checking lesson files, one at a time or as the tutor's catalogue.

Checking is done like a compiler does it: every problem in a file is reported, each as ``path:line:
message``; then the claims that depend on a run (an experiment goal can be met, a predicted run
ends) are checked by running the engine. The engine's numpy parts are imported only by those checks,
which the app skips: its lesson list does not wait for numpy.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from . import builtin_lessons_dir
from .cache import LessonCache, file_stamp
from .model import LANGUAGES, Lesson, Question, Step, lesson_problems
from .problem import FileProblem

LESSON_SUFFIXES = (".yaml", ".yml")


@dataclass
class Loaded:
    """A lesson file after loading: the lesson when it is valid, and every problem found."""

    path: Path
    lesson: Lesson | None
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.lesson is not None and not self.problems


@functools.cache
def lesson_type() -> msgspec.inspect.Type:
    """The lesson models' description, which the checks walk along (made once: about 6 ms)."""
    return msgspec.inspect.type_info(Lesson)


def load_lesson(path: Path, label: str | None = None, *, run_checks: bool = True) -> Loaded:
    """Read and check a lesson file; with ``run_checks``, check its claims by running the engine."""
    from .validate import Walk, valid  # with PyYAML: not needed when the app's cache answers
    from .yamlread import LineDict, YamlError, read_yaml

    name = label or str(path)
    try:
        value, problems = read_yaml(path, name)
    except YamlError as exc:
        return Loaded(path, None, [exc.problem])
    if not isinstance(value, LineDict):
        what = ["list"] if isinstance(value, list) else ["just", repr(value)[:55]]
        return Loaded(path, None, [FileProblem(name, getattr(value, "line", 1), "not_a_lesson", {"what": what})])
    languages = value.get("languages")
    langs = tuple(lang for lang in languages if lang in LANGUAGES) if isinstance(languages, list) else ()
    walk = Walk(name, langs or LANGUAGES, problems, keep=(Step, Question))
    data = walk.value(value, lesson_type(), value.line, [["lesson"]], ())
    lesson = None
    if valid(data):
        try:
            lesson = msgspec.convert(data, Lesson)
        except msgspec.ValidationError as exc:  # the walk and msgspec disagree: never seen, but say so
            walk.report(value.line, "invalid", message=str(exc))

    def line_of(where: tuple[Any, ...]) -> int:
        while where and where not in walk.lines:
            where = where[:-1]  # a text inside a question: the line of the nearest part that has one
        return walk.lines.get(where, value.line)

    for where, code, fields in lesson_problems(walk.models, claims=run_checks, line_of=line_of):
        walk.report(line_of(where), code, **fields)
    problems.sort(key=lambda p: p.line)
    return Loaded(path, lesson if not problems else None, problems)


# --- the catalogue -----------------------------------------------------------------------------------


@dataclass
class Catalog:
    """The lessons the tutor offers: valid ones in order, and broken ones with their problems."""

    entries: list[Loaded]

    @property
    def lessons(self) -> list[Lesson]:
        return [e.lesson for e in self.entries if e.lesson is not None]

    @property
    def broken(self) -> list[Loaded]:
        return [e for e in self.entries if e.lesson is None]

    def get(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)


def lesson_files(paths: Iterable[Path], problems: list[FileProblem] | None = None) -> list[Path]:
    """Lesson files named directly, and those in named folders (sorted by name).

    A folder that cannot be listed (no permission, gone) adds a problem to ``problems`` and no files:
    the other folders, and the built-in lessons, are still read.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            try:
                names = sorted(p for p in path.iterdir() if p.suffix in LESSON_SUFFIXES)
            except OSError as exc:
                if problems is not None:
                    problems.append(
                        FileProblem(str(path), 0, "cannot_read_folder", {"reason": exc.strerror or str(exc)})
                    )
                continue
            for name in names:
                try:
                    name.stat()  # a link that loops or leads nowhere is named, not passed over
                except OSError as exc:
                    if problems is not None:
                        problems.append(
                            FileProblem(str(name), 0, "cannot_read_file", {"reason": exc.strerror or str(exc)})
                        )
                    continue
                if name.is_file():
                    files.append(name)
        else:
            files.append(path)
    return files


def load_catalog(extra_dirs: Iterable[Path] = (), *, run_checks: bool = True, cache: Path | None = None) -> Catalog:
    """The built-in lessons followed by those in ``extra_dirs`` (a teacher's own).

    ``cache``: a file where the results of reading each lesson are kept for the next call, which reads
    only the files that changed (see :mod:`gdtutor.lessons.cache`); only without ``run_checks``.
    """
    if cache is not None and run_checks:
        raise ValueError("the lesson cache keeps results without the engine checks")
    remembered = LessonCache(cache) if cache is not None else None
    entries: list[Loaded] = []
    ids: dict[str, Path] = {}
    folders: list[FileProblem] = []
    files = lesson_files([builtin_lessons_dir(), *extra_dirs], folders)
    entries.extend(Loaded(Path(problem.path), None, [problem]) for problem in folders)
    for path in files:
        if remembered is not None:
            entry = remembered.get(path)
            if entry is not None:
                loaded = Loaded(path, entry.lesson, list(entry.problems))
            else:
                stamp = file_stamp(path)  # before reading: a file changed while it is read is read again
                loaded = load_lesson(path, run_checks=False)
                remembered.put(path, stamp, loaded.lesson, loaded.problems)
        else:
            loaded = load_lesson(path, run_checks=run_checks)
        lesson = loaded.lesson
        if lesson is not None and lesson.id in ids:
            problem = FileProblem(str(path), 1, "id_used", {"id": lesson.id, "other": str(ids[lesson.id])})
            loaded = Loaded(path, None, [problem])
        elif lesson is not None:
            ids[lesson.id] = path
        entries.append(loaded)
    position = {id(e): i for i, e in enumerate(entries)}
    entries.sort(key=lambda e: (e.lesson.order if e.lesson and e.lesson.order is not None else 10**6, position[id(e)]))
    if remembered is not None:
        remembered.save()
    return Catalog(entries)
