"""Hostile and damaged files (issue 12): lesson files that are devices, huge or deeply nested, unreadable
lesson folders, foreign progress stores, wrong-typed lesson caches, a store that cannot be written.

Each case drives the real ``gdtutor`` process where the issue names a command, and the real code below it
otherwise. Nothing here measures time: a case that would hang or grow without bound is caught by the
memory the child used (``os.wait4``) and by a generous timeout that only a hang reaches.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support.children import gdtutor

from gdtutor.lessons import yamlread
from gdtutor.lessons.yamlread import MAX_BYTES

# --- 1. size and kind before reading ------------------------------------------------------------------


def test_a_device_is_refused_without_reading_it() -> None:
    status, out, err, _ = gdtutor("lessons", "check", "/dev/zero")
    assert status == 1, err
    assert "Traceback" not in err
    assert (
        out.splitlines()[0] == "/dev/zero: not a regular file (a device, a pipe or a folder); a lesson is a text file"
    )


def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    status, out, err, _ = gdtutor("lessons", "check", "--lang", "zh", str(pipe))
    assert status == 1, err
    assert out.splitlines()[0] == f"{pipe}: 不是普通文件（而是设备、管道或文件夹）；课程应该是文本文件"


def test_a_huge_sparse_lesson_is_refused_by_its_size(tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    huge = folder / "huge.yaml"
    with huge.open("wb") as f:
        f.truncate(3 * 1024**3)  # sparse: 3 GB that take no disk
    status, out, err, peak_kb = gdtutor("lessons", "list", "--lessons", str(folder), measure=True)
    assert status == 0, err
    assert f"  !  huge: broken: {huge}: file is larger than {MAX_BYTES // 1000} kB" in out
    # reading it whole took 3.2 GB; refusing it by its size takes what listing the lessons does
    assert peak_kb < 400_000, f"the child peaked at {peak_kb} kB"


def test_a_file_that_grows_past_the_limit_is_read_only_up_to_it(tmp_path: Path) -> None:
    from gdtutor.lessons.yamlread import NotAFileError, read_bounded

    small = tmp_path / "small.yaml"
    small.write_bytes(b"x" * 10)
    assert read_bounded(small, 10) == b"x" * 10
    assert read_bounded(small, 9) is None
    # /dev/zero would give bytes for ever: it is refused by its kind, before any read
    with pytest.raises(NotAFileError):
        read_bounded(Path("/dev/zero"), 10)


# --- 2. nesting limited before anything recurses -----------------------------------------------------

DEEP = {  # the text, and the line where its nesting passes the limit (the top mapping is one level)
    "flow-500": ("id: deep\nsteps: " + "[" * 500 + "]" * 500 + "\n", 2),
    "flow-10000-unclosed": ("id: deep\nsteps:\n  " + "[" * 10_000 + "\n", 3),
    "block-1200": ("id: deep\nsteps:\n" + "".join(" " * i + "-\n" for i in range(1200)), 3 + yamlread.MAX_DEPTH - 1),
}


@pytest.mark.parametrize("kind", DEEP)
def test_a_deeply_nested_lesson_is_broken_at_its_line(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    deep = folder / "deep.yaml"
    text, line = DEEP[kind]
    deep.write_text(text)
    limit = yamlread.MAX_DEPTH
    status, out, err, _ = gdtutor("lessons", "check", str(deep))
    assert status == 1 and "Traceback" not in err, err
    assert out.splitlines()[0] == f"{deep}:{line}: nested more than {limit} levels deep; a lesson needs far fewer"
    # every other command goes on, with the built-in lessons
    status, out, err, _ = gdtutor("lessons", "list", "--lessons", str(folder))
    assert status == 0 and "Traceback" not in err, err
    assert f"  !  deep: broken: {deep}:{line}: nested more than" in out
    assert "normal-equation" in out
    status, out, err, _ = gdtutor("progress", "--lessons", str(folder), data_dir=tmp_path / "data")
    assert status == 0 and "Traceback" not in err, err


def test_nesting_up_to_the_limit_is_read() -> None:
    limit = yamlread.MAX_DEPTH
    text = "steps: " + "[" * (limit - 1) + "]" * (limit - 1) + "\n"
    value, problems = yamlread.read_yaml_text(text, "ok.yaml")
    assert not problems
    depth, inner = 2, value["steps"]  # the top mapping, then the list of steps
    while inner:
        depth, inner = depth + 1, inner[0]
    assert depth == limit


# --- 3. a lessons folder that cannot be listed ---------------------------------------------------------


def unlistable_folder(tmp_path: Path) -> Path:
    """A folder that is a folder but cannot be listed, for the user running the tests.

    Root lists any folder whatever its permissions (see test_lesson_cache's skipped test): as root, a
    folder of /proc that the kernel refuses even to root here stands in, and without one the case is
    skipped rather than faked.
    """
    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir()
        (folder / "a.yaml").write_text("id: a\n")
        folder.chmod(0)
        return folder
    for candidate in (Path("/proc/1/map_files"), Path("/proc/1/root")):
        try:
            if candidate.is_dir():
                list(candidate.iterdir())
        except PermissionError:
            return candidate
    pytest.skip("no folder here that root cannot list")


def test_an_unlistable_lessons_folder_is_reported_once_and_the_rest_goes_on(tmp_path: Path) -> None:
    folder = unlistable_folder(tmp_path)
    problem = f"{folder}: cannot read the folder (Permission denied); going on without its lessons"
    status, out, err, _ = gdtutor("lessons", "list", "--lessons", str(folder))
    assert status == 0 and "Traceback" not in err, err
    assert f"  !  {folder.name}: broken: {problem}" in out.splitlines()
    assert "normal-equation" in out  # the built-in lessons
    status, out, err, _ = gdtutor("progress", "--lessons", str(folder), data_dir=tmp_path / "data")
    assert status == 0, err
    assert err == f"gdtutor: {problem}\n"
    assert "normal-equation" in out
    status, out, err, _ = gdtutor("lessons", "check", str(folder))
    assert status == 1 and "Traceback" not in err, err
    assert out.splitlines()[0] == problem


# --- 4. a sound SQLite file that is not gdtutor's store --------------------------------------------------


def other_programs_store(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE lessons (name TEXT, teacher TEXT); INSERT INTO lessons VALUES ('piano', 'Ada');"
        "CREATE TABLE meta (k TEXT, v TEXT);"
    )
    conn.close()


def another_application(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript("PRAGMA application_id = 1234; CREATE TABLE notes (body TEXT);")
    conn.close()


def a_newer_gdtutor(path: Path) -> None:
    from gdtutor.progress import SCHEMA_VERSION, Store

    store = Store(path.parent)
    store.visit("learning-rate", 2)
    store.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    store.close()


FOREIGN = {"other program": other_programs_store, "other application id": another_application}
FOREIGN["newer gdtutor"] = a_newer_gdtutor


@pytest.mark.parametrize("make", FOREIGN)
def test_a_foreign_store_is_kept_aside_and_a_new_one_started(tmp_path: Path, make: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    store = data / "progress.db"
    FOREIGN[make](store)
    before = store.read_bytes()
    status, out, err, _ = gdtutor("progress", "--json", data_dir=data)
    assert status == 0 and "Traceback" not in err, err
    kept = [
        p for p in data.iterdir() if p.name.startswith("progress.db.damaged-") and p.name[-4:] not in ("-wal", "-shm")
    ]
    assert len(kept) == 1
    assert err == (
        f"gdtutor: The file {store} is not a gdtutor progress store (another program's, or another version's); "
        f"it was kept as {kept[0].name} and a new one started.\n"
    )
    assert kept[0].read_bytes() == before  # never changed, let alone overwritten
    assert json.loads(out)["saving"] is True
    # the new store is gdtutor's, and the next start takes it without a word
    status, out, err, _ = gdtutor("progress", "--json", data_dir=data)
    assert status == 0 and err == "", err


def test_a_store_written_before_the_stamps_is_taken_as_it_is(tmp_path: Path) -> None:
    from gdtutor.progress import Store

    store = Store(tmp_path)
    store.visit("learning-rate", 2)
    store.conn.execute("PRAGMA application_id = 0")
    store.conn.execute("PRAGMA user_version = 0")
    store.conn.execute("ALTER TABLE attempts DROP COLUMN review")  # older still: before review answers
    store.close()
    status, out, err, _ = gdtutor("progress", "--json", data_dir=tmp_path)
    assert status == 0 and err == "", err
    rows = {row["id"]: row for row in json.loads(out)["lessons"]}
    assert rows["learning-rate"]["step"] == 3
    assert [p.name for p in tmp_path.iterdir() if "damaged" in p.name] == []


# --- 5. a lesson cache with values that decode but that no check let through ----------------------------


def tamper(doc: dict[str, Any], how: str) -> None:
    entries = list(doc["files"].values())
    lesson = next(e for e in entries if e.get("lesson"))
    if how == "no right option":  # of the right types, but never let through by the lesson checks
        quiz = next(s for e in entries if e.get("lesson") for s in e["lesson"]["steps"] if s["kind"] == "quiz")
        choice = next(q for q in quiz["questions"] if q["kind"] == "choice")
        for option in choice["options"]:
            option["correct"] = False
    elif how == "problem without its fields":
        lesson.pop("lesson")
        lesson["problems"] = [{"path": "x.yaml", "line": 1, "code": "file_too_large", "fields": {}}]
    elif how == "problem of no code":
        lesson.pop("lesson")
        lesson["problems"] = [{"path": "x.yaml", "line": 1, "code": "no-such-code", "fields": {}}]
    elif how == "wrong types":
        lesson["lesson"]["steps"] = "three"
        lesson["stamp"] = ["big", "old"]


@pytest.mark.parametrize("how", ["no right option", "problem without its fields", "problem of no code", "wrong types"])
async def test_a_tampered_lesson_cache_is_rebuilt_at_the_start(tmp_path: Path, how: str) -> None:
    from gdtutor.lessons.cache import CACHE_NAME, LessonCache
    from gdtutor.lessons.load import load_catalog
    from gdtutor.ui import make_app

    cache = tmp_path / CACHE_NAME
    fresh = load_catalog([], run_checks=False, cache=cache)
    doc = json.loads(cache.read_text(encoding="utf-8"))
    tamper(doc, how)
    cache.write_text(json.dumps(doc), encoding="utf-8")
    app = make_app(lang="en", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert [lesson.id for lesson in app.catalog.lessons] == [lesson.id for lesson in fresh.lessons]
        assert app.catalog.lessons == fresh.lessons and not app.catalog.broken
    # rewritten as it should be: the next start uses it whole
    assert LessonCache(cache).entries.keys() == {str(e.path.resolve()) for e in fresh.entries}


# --- 6. a reset that cannot be saved says so ----------------------------------------------------------


def unwritable_store(data: Path) -> None:
    """A store that exists and reads, in a place where it cannot be written."""
    from gdtutor.progress import Store

    store = Store(data)
    store.visit("learning-rate", 2)
    store.close()
    if os.geteuid() != 0:
        data.chmod(0o500)
        (data / "progress.db").chmod(0o400)
    else:  # root writes past permissions: a folder where SQLite's write-ahead log must go stops it
        for side in ("progress.db-wal", "progress.db-shm"):
            (data / side).unlink(missing_ok=True)
        (data / "progress.db-wal").mkdir()


def test_a_reset_that_cannot_be_saved_says_so_and_fails(tmp_path: Path) -> None:
    data = tmp_path / "data"
    unwritable_store(data)
    try:
        status, out, err, _ = gdtutor("progress", "--reset", "--yes", data_dir=data)
        assert status == 1
        assert "Progress reset." not in out
        assert err.splitlines()[-1].startswith(f"gdtutor: Progress could not be reset: it cannot be saved in {data} (")
        status, out, err, _ = gdtutor("progress", "--json", data_dir=data)  # and nothing was lost
        rows = {row["id"]: row for row in json.loads(out)["lessons"]}
        assert rows["learning-rate"]["step"] == 3
    finally:
        data.chmod(0o700)


def test_a_reset_that_is_saved_says_so(tmp_path: Path) -> None:
    from gdtutor.progress import Store

    store = Store(tmp_path)
    store.visit("learning-rate", 2)
    store.close()
    status, out, err, _ = gdtutor("progress", "--reset", "--yes", data_dir=tmp_path)
    assert (status, out, err) == (0, "Progress reset.\n", "")
    status, out, err, _ = gdtutor("progress", "--json", data_dir=tmp_path)
    assert {row["id"]: row for row in json.loads(out)["lessons"]}["learning-rate"]["step"] == 0


def test_a_symlink_loop_is_named_as_one_not_as_a_missing_file(tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "a.yaml").symlink_to(folder / "b.yaml")
    (folder / "b.yaml").symlink_to(folder / "a.yaml")
    one = subprocess.run(
        [sys.executable, "-m", "gdtutor", "lessons", "check", str(folder / "a.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert one.returncode == 2 and "symbolic links" in one.stderr and "no such file" not in one.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "gdtutor", "lessons", "check", str(folder)], capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 1
    assert f"{folder / 'a.yaml'}: cannot read the file (Too many levels of symbolic links)" in listed.stdout
