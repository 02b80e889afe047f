"""The app's lesson cache: the same catalogue as reading the files, and never a stale or broken one."""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from support import DATA

from gdtutor.lessons import cache as cache_module
from gdtutor.lessons import load as load_module
from gdtutor.lessons.load import Catalog, load_catalog

BROKEN = DATA / "broken"


def summary(catalog: Catalog) -> list[tuple[str, object, list[str]]]:
    return [(str(e.path), e.lesson, [str(p) for p in e.problems]) for e in catalog.entries]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The lesson files read from disk (rather than answered from the cache), in order."""
    seen: list[Path] = []
    real = load_module.load_lesson

    def spy(path: Path, *args: object, **kwargs: object) -> object:
        seen.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(load_module, "load_lesson", spy)
    return seen


def test_the_cached_catalogue_is_the_one_read_from_the_files(tmp_path: Path, reads: list[Path]) -> None:
    folders = [DATA, BROKEN]
    fresh = load_catalog(folders, run_checks=False)
    files = len(reads)
    assert fresh.broken and fresh.lessons  # both kinds are remembered
    cache = tmp_path / "lesson-cache.json"
    first = load_catalog(folders, run_checks=False, cache=cache)
    assert len(reads) == 2 * files and cache.exists()
    second = load_catalog(folders, run_checks=False, cache=cache)
    assert len(reads) == 2 * files, "the second start read files the cache holds"
    assert summary(first) == summary(fresh)
    assert summary(second) == summary(fresh)  # lessons compare field by field (dataclasses)


def test_a_changed_file_is_read_again(tmp_path: Path, reads: list[Path]) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    lesson = lessons / "example.yaml"
    shutil.copy(DATA / "example-lesson.yaml", lesson)
    cache = tmp_path / "lesson-cache.json"
    before = load_catalog([lessons], run_checks=False, cache=cache).get("example-lesson")
    assert before is not None
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("en: An example lesson", "en: A changed lesson", 1), encoding="utf-8")
    st = lesson.stat()
    os.utime(lesson, ns=(st.st_atime_ns, st.st_mtime_ns + 1))  # a coarse clock may not have moved
    reads.clear()
    after = load_catalog([lessons], run_checks=False, cache=cache).get("example-lesson")
    assert reads == [lesson]
    assert after is not None and after.title["en"] == "A changed lesson"


def test_a_file_that_turns_broken_is_listed_broken(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    lesson = lessons / "example.yaml"
    shutil.copy(DATA / "example-lesson.yaml", lesson)
    cache = tmp_path / "lesson-cache.json"
    assert load_catalog([lessons], run_checks=False, cache=cache).get("example-lesson") is not None
    lesson.write_text("id: [\n", encoding="utf-8")
    catalog = load_catalog([lessons], run_checks=False, cache=cache)
    assert catalog.get("example-lesson") is None
    assert "YAML syntax error" in str(catalog.broken[0].problems[0])


@pytest.mark.parametrize(
    "damage",
    [
        "not json {",
        "[]",
        '{"code": "another version", "files": {}}',
        "{}",
        "BAD ENTRIES",
    ],
)
def test_a_damaged_or_foreign_cache_is_ignored_and_rewritten(tmp_path: Path, reads: list[Path], damage: str) -> None:
    cache = tmp_path / "lesson-cache.json"
    fresh = load_catalog([DATA], run_checks=False)
    files = len(reads)
    load_catalog([DATA], run_checks=False, cache=cache)
    if damage == "BAD ENTRIES":  # this code's stamp, with entries that are not what they should be
        doc = json.loads(cache.read_text(encoding="utf-8"))
        for i, entry in enumerate(doc["files"].values()):
            if i % 2:
                entry["lesson"] = {"id": 3}
            else:
                entry.pop("lesson", None)
                entry["problems"] = "nonsense"
        cache.write_text(json.dumps(doc), encoding="utf-8")
    else:
        cache.write_text(damage, encoding="utf-8")
    reads.clear()
    again = load_catalog([DATA], run_checks=False, cache=cache)
    assert len(reads) == files  # every file read again
    assert summary(again) == summary(fresh)
    assert json.loads(cache.read_text(encoding="utf-8"))["code"] == cache_module.code_stamp()


def test_new_code_reads_every_file_again(tmp_path: Path, reads: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "lesson-cache.json"
    load_catalog([DATA], run_checks=False, cache=cache)
    files = len(reads)
    monkeypatch.setattr(cache_module, "__version__", "99.0")  # or any of the lesson code's files changed
    reads.clear()
    load_catalog([DATA], run_checks=False, cache=cache)
    assert len(reads) == files


def test_entries_of_files_that_are_gone_are_dropped(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    shutil.copy(DATA / "example-lesson.yaml", lessons / "example.yaml")
    cache = tmp_path / "lesson-cache.json"
    load_catalog([lessons], run_checks=False, cache=cache)
    assert str((lessons / "example.yaml").resolve()) in json.loads(cache.read_text(encoding="utf-8"))["files"]
    (lessons / "example.yaml").unlink()
    load_catalog([lessons], run_checks=False, cache=cache)
    assert str((lessons / "example.yaml").resolve()) not in json.loads(cache.read_text(encoding="utf-8"))["files"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a folder root cannot write past")
def test_a_read_only_folder_is_no_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        catalog = load_catalog([DATA], run_checks=False, cache=folder / "lesson-cache.json")
    finally:
        folder.chmod(stat.S_IRWXU)
    assert catalog.get("example-lesson") is not None
    assert list(folder.iterdir()) == []


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    cache = tmp_path / "lesson-cache.json"
    cache.mkdir()  # a folder where the file should be: os.replace fails, as it would on a full disk
    catalog = load_catalog([DATA], run_checks=False, cache=cache)
    assert catalog.get("example-lesson") is not None
    assert [p.name for p in tmp_path.iterdir()] == ["lesson-cache.json"]  # no temporary file left behind


def test_the_cache_is_only_for_results_without_engine_checks(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="without the engine checks"):
        load_catalog([DATA], run_checks=True, cache=tmp_path / "c.json")


def test_the_code_stamp_covers_the_modules_that_check_a_lesson(fresh_python: Callable[[str], str]) -> None:
    """A change to any module the checker imports must invalidate the cache."""
    code = (
        "import sys; from gdtutor.lessons.load import load_lesson; from gdtutor.lessons import builtin_lesson_files; "
        "load_lesson(builtin_lesson_files()[-1], run_checks=False); "
        "print('\\n'.join(m.__file__ for n, m in list(sys.modules.items()) if n.startswith('gdtutor.') and m.__file__))"
    )
    used = {Path(line).resolve() for line in fresh_python(code).split()}
    covered = {p.resolve() for p in cache_module._CODE}
    ignorable = {"__init__.py", "cache.py"}  # package markers, and the cache itself
    assert {p for p in used if p.name not in ignorable} <= covered
