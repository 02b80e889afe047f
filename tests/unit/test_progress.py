"""The progress store keeps every learner's answers, whatever happens to the processes, files and disk.

These tests use real files and real processes: two processes writing at once, a process killed with
SIGKILL in the middle of its writes, damaged files, folders that cannot be written and a full store.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from support import DATA

from gdtutor.lessons.load import load_lesson
from gdtutor.lessons.model import Lesson
from gdtutor.progress import DB_NAME, Store, lesson_score, report

EXAMPLE_LESSON = DATA / "example-lesson.yaml"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _example_lesson() -> Lesson:
    lesson = load_lesson(EXAMPLE_LESSON, run_checks=False).lesson
    assert lesson is not None
    return lesson


def _count(data_dir: Path, where: str = "1", params: tuple[object, ...] = ()) -> int:
    """Attempts in the file on disk, read with a connection of our own (not the Store's)."""
    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM attempts WHERE {where}", params).fetchone()[0])
    finally:
        conn.close()


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _assert_one_line(notice: str | None) -> str:
    assert notice, "the learner is told what happened"
    assert "\n" not in notice and "\r" not in notice
    return notice


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# --- 1. two processes writing at once ----------------------------------------------------------------

WRITER = """
    import json, os, sys, time
    from pathlib import Path
    from gdtutor.progress import Store

    data_dir, name, other, n = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    (data_dir.parent / f"ready-{name}").touch()
    go = data_dir.parent / "go"
    deadline = time.monotonic() + 30
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit("no go signal")
        time.sleep(0.001)
    store = Store(data_dir)  # both open the same fresh folder at the same moment, too
    opened = (store.saving, store.notice)

    def wait_for_other(count):
        # meeting points, so that the two really write at the same time even on a loaded machine
        sql = "SELECT COUNT(*) FROM attempts WHERE question_id LIKE ?"
        while store.conn.execute(sql, (other + "-%",)).fetchone()[0] < count:
            if time.monotonic() > deadline:
                sys.exit(f"the other writer never came (attempt {i}, saving {store.saving}: {store.notice})")
            time.sleep(0.0005)

    start = time.time()
    for i in range(n):
        store.record("lesson-a", f"{name}-{i}", str(i), i % 3 == 0, hints=i % 2, seconds=0.5)
        store.visit("lesson-a", i)
        if i + 1 in (1, n // 2):
            wait_for_other(i + 1)
    end = time.time()
    print(json.dumps({"saving": store.saving, "notice": store.notice, "opened": opened,
                      "start": start, "end": end, "pid": os.getpid()}))
    store.close()
"""


def test_two_processes_write_at_once_and_lose_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"  # not created yet: both processes race to create it
    per_process = 300
    names = ("p0", "p1")
    procs = [
        _spawn(WRITER, str(data_dir), name, other, str(per_process))
        for name, other in zip(names, reversed(names), strict=True)
    ]
    try:
        deadline = time.monotonic() + 20
        while not all((tmp_path / f"ready-{n}").exists() for n in names):
            assert time.monotonic() < deadline, "writers did not start"
            assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
            time.sleep(0.005)
        (tmp_path / "go").touch()
        outs = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()

    results = []
    for p, (out, err) in zip(procs, outs, strict=True):
        assert "locked" not in err.lower() and "busy" not in err.lower(), outs
        assert p.returncode == 0, outs
        result = json.loads(out)
        # a locked database would have switched the store to not saving, silently: it must not have
        assert result["opened"] == [True, None], result
        assert result["saving"] is True and result["notice"] is None, result
        results.append(result)
    # the two really wrote at the same time
    assert max(r["start"] for r in results) < min(r["end"] for r in results), results

    store = Store(data_dir)
    assert store.saving and store.notice is None
    attempts = store.attempts("lesson-a")
    assert len(attempts) == 2 * per_process == _count(data_dir)
    for name in names:
        mine = [a.question_id for a in attempts if a.question_id.startswith(f"{name}-")]
        assert mine == [f"{name}-{i}" for i in range(per_process)], "each process's attempts, all and in order"
    # the writes were interleaved, not one process after the other (the meeting points ensure 3 switches)
    switches = sum(1 for a, b in itertools.pairwise(attempts) if a.question_id[:2] != b.question_id[:2])
    assert switches >= 3, switches
    assert store.lesson("lesson-a").step == per_process - 1
    store.close()
    assert _integrity(data_dir / DB_NAME) == "ok"


# --- 2. a process killed in the middle of its writes -------------------------------------------------

KILLED_WRITER = """
    import sys
    from pathlib import Path
    from gdtutor.progress import Store

    store = Store(Path(sys.argv[1]))
    tag = sys.argv[2]
    print("ready", store.saving, store.notice is None, flush=True)
    i = 0
    while True:
        store.record("lesson-k", f"{tag}-{i}", "x" * (i % 500), i % 2 == 0, hints=1)
        i += 1
        print(i, flush=True)  # printed only once the write is committed
        if i % 7 == 0:
            store.visit("lesson-k", i)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL on this platform")
def test_process_killed_mid_write_leaves_a_readable_store(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    delays = (0.3, 0.17, 0.41, 0.26, 0.34)  # several rounds, killed at different moments
    total = 0
    for rnd, delay in enumerate(delays):
        tag = f"r{rnd}"
        proc = _spawn(KILLED_WRITER, str(data_dir), tag)
        assert proc.stdout is not None
        assert proc.stdout.readline().split() == ["ready", "True", "True"], proc.communicate()
        lines: list[str] = []
        reader = threading.Thread(target=lines.extend, args=(proc.stdout,), daemon=True)
        reader.start()
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        reader.join(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        reported = max((int(line) for line in lines if line.strip().isdigit()), default=0)
        assert reported > 10, f"round {rnd}: the child hardly wrote ({reported})"

        store = Store(data_dir)
        assert store.notice is None and store.saving, store.notice
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [a.question_id for a in store.attempts("lesson-k") if a.question_id.startswith(f"{tag}-")]
        # everything reported committed is there; at most the one being written when killed is also there
        assert reported <= len(ids) <= reported + 1, (rnd, reported, len(ids))
        assert ids == [f"{tag}-{i}" for i in range(len(ids))], "no gap, no duplicate"
        total += len(ids)
        assert len(store.attempts()) == total
        store.record("lesson-k", f"{tag}-after", "ok", True)  # and the store still takes writes
        total += 1
        store.close()
    assert not list(data_dir.glob("*.damaged-*"))
    assert _integrity(data_dir / DB_NAME) == "ok"


# --- 3. a damaged file is kept aside and a fresh store started ---------------------------------------


def _real_db(data_dir: Path, n: int = 400, lesson: str = "lesson-a") -> None:
    store = Store(data_dir)
    for i in range(n):
        store.record(lesson, f"q{i}", "y" * 200, True)
    store.close()  # checkpoints the WAL into progress.db


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(16_384))


def _text(path: Path) -> None:
    path.write_text("These are my notes, not a database.\nSecond line.\n", encoding="utf-8")


def _truncated(path: Path) -> None:
    _real_db(path.parent)
    data = path.read_bytes()
    assert len(data) > 40_000
    path.write_bytes(data[: len(data) // 2 + 1234])


def _bad_header(path: Path) -> None:
    _real_db(path.parent)
    data = bytearray(path.read_bytes())
    data[:100] = b"\xa5" * 100
    path.write_bytes(bytes(data))


def _bad_pages(path: Path) -> None:
    """A valid header, but the pages after the first ones overwritten."""
    _real_db(path.parent)
    data = bytearray(path.read_bytes())
    data[8192:24_576] = os.urandom(16_384)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_garbage, _text, _truncated, _bad_header, _bad_pages])
def test_damaged_file_is_kept_aside_and_a_fresh_store_started(tmp_path: Path, damage: object) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = data_dir / DB_NAME
    damage(path)  # type: ignore[operator]
    original = path.read_bytes()

    store = Store(data_dir)
    notice = _assert_one_line(store.notice)
    assert store.saving
    kept = list(data_dir.glob(f"{DB_NAME}.damaged-*"))
    assert len(kept) == 1, kept
    assert kept[0].read_bytes() == original, "the damaged file is kept with its bytes, never deleted"
    assert kept[0].name in notice and "could not be read" in notice and "new one" in notice

    store.record("lesson-a", "q1", "7", True)
    store.visit("lesson-a", 2)
    assert store.answered("lesson-a") == {"q1": True}
    store.close()
    # the fresh store is a real, saved database
    assert _integrity(path) == "ok"
    again = Store(data_dir)
    assert again.notice is None and again.saving
    assert again.answered("lesson-a") == {"q1": True} and again.lesson("lesson-a").step == 2
    again.close()
    assert kept[0].read_bytes() == original


def test_damaged_twice_keeps_both(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    contents = []
    for n in range(2):
        (data_dir / DB_NAME).write_bytes(f"not a database, take {n}".encode() * 100)
        contents.append((data_dir / DB_NAME).read_bytes())
        store = Store(data_dir)
        assert store.saving and store.notice
        store.close()
        (data_dir / DB_NAME).unlink()
    kept = sorted(
        p.read_bytes() for p in data_dir.glob(f"{DB_NAME}.damaged-*") if not p.name.endswith(("-wal", "-shm"))
    )
    assert kept == sorted(contents)


def test_damaged_file_in_a_folder_that_cannot_be_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The damaged file cannot be moved aside: the tutor still starts, without saving, and keeps the file."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    _garbage(data_dir / DB_NAME)
    original = (data_dir / DB_NAME).read_bytes()
    if IS_ROOT:  # root ignores permissions: make the move fail as it would in a read-only folder

        def refuse(self: Path, target: object) -> Path:
            raise PermissionError(13, "Permission denied", str(self))

        monkeypatch.setattr(Path, "rename", refuse)
    else:
        data_dir.chmod(0o500)
    try:
        store = Store(data_dir)
    finally:
        data_dir.chmod(0o700)
    notice = _assert_one_line(store.notice)
    assert not store.saving and "cannot be saved" in notice
    store.record("lesson-a", "q1", "1", True)
    assert store.answered("lesson-a") == {"q1": True}
    store.close()
    assert (data_dir / DB_NAME).read_bytes() == original
    assert not list(data_dir.glob("*.damaged-*"))


# --- 4. a folder that cannot be written --------------------------------------------------------------


def _works_in_memory(store: Store) -> None:
    store.visit("lesson-a", 0)
    store.record("lesson-a", "q1", "3", False, hints=1)
    store.record("lesson-a", "q1", "4", True)
    store.record("lesson-a", "q2", "x", True, review=True)
    store.visit("lesson-a", 3)
    store.complete("lesson-a")
    assert store.answered("lesson-a") == {"q1": True}
    assert [a.answer for a in store.attempts("lesson-a")] == ["3", "4", "x"]
    state = store.lesson("lesson-a")
    assert state.started and state.completed and state.step == 3
    assert store.last_lesson() == "lesson-a"
    store.reset("lesson-a")
    assert store.attempts() == [] and not store.lesson("lesson-a").started


def test_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "home-file"
    blocker.write_text("a file where a folder should be")
    data_dir = blocker / "gdtutor"  # under a regular file: cannot be created, not even by root
    store = Store(data_dir)
    notice = _assert_one_line(store.notice)
    assert store.saving is False
    assert "cannot be saved" in notice and str(data_dir) in notice
    _works_in_memory(store)
    store.close()
    assert blocker.read_text() == "a file where a folder should be"
    assert not data_dir.exists()


def test_read_only_data_folder(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    if IS_ROOT:
        # chmod does not stop root: put a regular file where the folder should be instead
        data_dir.write_text("not a folder")
        before = {data_dir: data_dir.read_bytes()}
    else:
        _real_db(data_dir, n=3, lesson="lesson-z")  # an existing store, then the folder turns read-only
        before = {p: p.read_bytes() for p in data_dir.iterdir()}
        data_dir.chmod(0o500)
    try:
        store = Store(data_dir)
        notice = _assert_one_line(store.notice)
        assert store.saving is False
        assert "cannot be saved" in notice and str(data_dir) in notice
        if not IS_ROOT:
            assert len(store.attempts("lesson-z")) == 3  # the progress so far is still shown
        _works_in_memory(store)
        store.close()
    finally:
        if not IS_ROOT:
            data_dir.chmod(0o700)
    after = {p: p.read_bytes() for p in ([data_dir] if IS_ROOT else list(data_dir.iterdir()))}
    assert after == before, "nothing on disk was changed or removed"


@pytest.mark.parametrize("shm", ["can be made", "cannot be made"])
def test_a_store_that_cannot_be_opened_for_writing_still_shows_its_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shm: str
) -> None:
    """A full disk or a read-only folder at start (the error SQLite gives is simulated, so that the
    test also runs as root, whom permissions do not stop): nothing is saved, but nothing is hidden."""
    data_dir = tmp_path / "data"
    store = Store(data_dir)
    store.visit("lesson-a", 2)
    store.record("lesson-a", "q1", "0.5", True, hints=1)
    store.record("lesson-a", "q2", "7", False)
    store.close()
    before = (data_dir / DB_NAME).read_bytes()

    def refuse(self: Store, path: Path) -> sqlite3.Connection:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "_connect", refuse)
    if shm == "cannot be made":  # as in a read-only folder: only an immutable read works
        real_connect = sqlite3.connect

        def connect(database: str, *args: object, **kwargs: object) -> sqlite3.Connection:
            if "mode=ro" in str(database):
                raise sqlite3.OperationalError("unable to open database file")
            return real_connect(database, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(sqlite3, "connect", connect)
    again = Store(data_dir)
    notice = _assert_one_line(again.notice)
    assert again.saving is False and "cannot be saved" in notice and "disk is full" in notice
    assert again.answered("lesson-a") == {"q1": True, "q2": False}
    assert again.lesson("lesson-a").step == 2
    again.record("lesson-a", "q2", "8", True)  # goes on in memory
    assert again.answered("lesson-a") == {"q1": True, "q2": True}
    again.close()
    # the store is unchanged (a read-only connection may leave SQLite's empty -wal and -shm files, when
    # the folder lets it create them)
    assert (data_dir / DB_NAME).read_bytes() == before


def test_a_damaged_store_that_cannot_be_moved_aside_is_not_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    _garbage(data_dir / DB_NAME)

    def cannot_move(self: Store) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Store, "_move_aside", cannot_move)
    store = Store(data_dir)
    assert store.saving is False and store.attempts() == []
    _works_in_memory(store)
    store.close()


def test_store_turns_read_only_after_opening(tmp_path: Path) -> None:
    """An open store whose file can no longer be written (SQLite's query_only gives the very error a
    read-only file gives, "attempt to write a readonly database", for root too): the session goes on."""
    data_dir = tmp_path / "data"
    store = Store(data_dir)
    store.record("lesson-a", "q1", "1", True)
    store.record("lesson-b", "q9", "1", False)
    store.visit("lesson-a", 1)
    store.conn.execute("PRAGMA query_only = ON")

    store.record("lesson-a", "q2", "2", True)  # must not raise
    notice = _assert_one_line(store.notice)
    assert store.saving is False and "cannot be saved" in notice and "readonly" in notice
    # what this session had is still there, and more can be done in memory
    assert store.answered("lesson-a") == {"q1": True, "q2": True}
    assert store.lesson("lesson-a").step == 1
    store.reset("lesson-b")
    assert store.attempts("lesson-b") == []
    store.visit("lesson-a", 4)
    assert store.lesson("lesson-a").step == 4
    store.close()
    # on disk: what was saved before, untouched
    assert _count(data_dir) == 2
    assert _integrity(data_dir / DB_NAME) == "ok"


# --- 5. a full disk ----------------------------------------------------------------------------------


def test_full_disk_switches_to_not_saving_without_an_error(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = Store(data_dir)
    for i in range(5):
        store.record("lesson-a", f"q{i}", str(i), i != 3)
    store.visit("lesson-a", 2)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    assert store.conn.execute(f"PRAGMA max_page_count = {pages}").fetchone()[0] == pages
    # the file may not grow any more: the next writes fail with SQLITE_FULL ("database or disk is full")

    written = 0
    while store.saving:
        store.record("lesson-a", f"big{written}", "z" * 3000, False)  # must never raise
        written += 1
        assert written < 100, "the store never filled up"
    notice = _assert_one_line(store.notice)
    assert "cannot be saved" in notice and "full" in notice
    assert "rollback" not in notice, notice  # the reason given is the real one
    # the tutor keeps working: earlier answers of the session, the failed one and later ones
    store.record("lesson-a", "q3", "3", True)
    store.visit("lesson-a", 4)
    answered = store.answered("lesson-a")
    assert {k: answered[k] for k in ("q0", "q1", "q2", "q3", "q4")} == dict.fromkeys(
        ("q0", "q1", "q2", "q3", "q4"), True
    )
    assert len(answered) == 5 + written
    assert store.lesson("lesson-a").step == 4
    store.close()

    # on disk: everything committed before the disk filled, nothing half-written
    assert _integrity(data_dir / DB_NAME) == "ok"
    again = Store(data_dir)
    assert again.saving and again.notice is None
    on_disk = [a.question_id for a in again.attempts("lesson-a")]
    assert on_disk[:5] == [f"q{i}" for i in range(5)]
    assert on_disk[5:] == [f"big{i}" for i in range(len(on_disk) - 5)] and len(on_disk) - 5 < written
    assert again.lesson("lesson-a").step == 2
    again.close()


# --- 6. reset ----------------------------------------------------------------------------------------


def _fill(store: Store) -> None:
    for lesson in ("lesson-a", "lesson-b", "lesson-c"):
        store.visit(lesson, 1)
        store.record(lesson, "q1", "1", True)
        store.record(lesson, "q2", "2", False, review=True)
    store.complete("lesson-b")


def test_reset_one_lesson_clears_only_that_lesson(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _fill(store)
    store.reset("lesson-b")
    assert not store.lesson("lesson-b").started and store.attempts("lesson-b") == []
    assert set(store.lessons()) == {"lesson-a", "lesson-c"}
    assert {a.lesson_id for a in store.attempts()} == {"lesson-a", "lesson-c"}
    assert len(store.attempts()) == 4
    store.close()
    # saved: a new store (a new session) sees the same, and so does a plain connection
    again = Store(tmp_path)
    assert set(again.lessons()) == {"lesson-a", "lesson-c"} and len(again.attempts()) == 4
    again.close()
    assert _count(tmp_path, "lesson_id = ?", ("lesson-b",)) == 0
    assert _count(tmp_path) == 4


def test_reset_all_clears_everything(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _fill(store)
    store.reset("no-such-lesson")
    assert len(store.attempts()) == 6
    store.reset()
    assert store.lessons() == {} and store.attempts() == [] and store.last_lesson() is None
    store.close()
    assert _count(tmp_path) == 0
    again = Store(tmp_path)
    assert again.lessons() == {} and again.attempts() == []
    again.record("lesson-a", "q1", "1", True)  # and it starts over
    assert again.answered("lesson-a") == {"q1": True}
    again.close()


# --- 7. report and lesson_score ----------------------------------------------------------------------


def test_report_and_score(tmp_path: Path) -> None:
    lesson = _example_lesson()
    q = [question.id for question in lesson.questions]
    assert len(q) == 6 and len(lesson.steps) == 5
    store = Store(tmp_path)

    (row,) = report(store, [lesson])
    assert row == {
        "id": "example-lesson",
        "started": False,
        "completed": False,
        "step": 0,
        "steps": 5,
        "questions": 6,
        "answered": 0,
        "right": 0,
        "score": 0.0,
        "attempts": 0,
        "hints": 0,
    }
    assert lesson_score(store, lesson) == (0, 6)

    store.visit(lesson.id, 0)
    assert report(store, [lesson])[0]["step"] == 1  # the first step, counted from 1
    store.visit(lesson.id, 3)
    store.record(lesson.id, q[0], "0", False, hints=1)
    store.record(lesson.id, q[0], "1", True, hints=2)  # right on the second try: counts
    store.record(lesson.id, q[1], "0", True)
    store.record(lesson.id, q[1], "1", False)  # right once stays right
    store.record(lesson.id, q[2], "9", False, hints=1)  # only wrong: does not count
    store.record(lesson.id, q[3], "5.75", True, review=True)  # right in review only: does not count
    store.record(lesson.id, "not-in-the-lesson", "x", True)  # not a question of this lesson
    store.record("other-lesson", q[4], "x", True)  # another lesson's attempt

    assert lesson_score(store, lesson) == (2, 6)
    (row,) = report(store, [lesson])
    assert row["started"] is True and row["completed"] is False
    assert row["step"] == 4
    assert row["right"] == 2 and row["score"] == round(2 / 6, 4)
    assert row["answered"] == 2  # q[2] has tries left: not answered yet
    assert row["attempts"] == 6  # lesson attempts, review ones not counted
    assert row["hints"] == 2 + 0 + 1  # the most hints used per question
    store.hint_shown(lesson.id, q[4], 2)  # seen, not answered yet
    store.hint_shown(lesson.id, q[4], 1)  # the most seen is kept
    store.hint_shown(lesson.id, q[0], 1)  # fewer than its answers saw: the answers' count stands
    assert store.hints_seen(lesson.id) == {q[0]: 2, q[2]: 1, q[4]: 2, q[1]: 0, "not-in-the-lesson": 0}
    assert report(store, [lesson])[0]["hints"] == 2 + 0 + 1 + 2

    store.complete(lesson.id)
    store.close()
    again = Store(tmp_path)  # the report is the same from what was saved
    (row2,) = report(again, [lesson])
    # marked completed with questions not answered (as an earlier version did when they were skipped): not completed
    assert row2 == {**row, "completed": False, "hints": 2 + 0 + 1 + 2}  # the hints seen before an answer too
    again.record(lesson.id, q[2], "8", False)
    again.record(lesson.id, q[2], "7", False)  # its three tries used up: answered, not right
    for rest in q[3:]:
        again.record(lesson.id, rest, "x", True)
    (row3,) = report(again, [lesson])
    assert (row3["answered"], row3["right"], row3["completed"]) == (6, 5, True)
    again.close()


def test_report_of_a_lesson_without_questions(tmp_path: Path) -> None:
    source = tmp_path / "reading.yaml"
    source.write_text(
        textwrap.dedent(
            """\
            id: reading-only
            order: 1
            title: {en: Reading, zh: 阅读}
            summary: {en: Just text., zh: 只有文字。}
            steps:
              - kind: text
                text: {en: One., zh: 一。}
              - kind: text
                text: {en: Two., zh: 二。}
            """
        ),
        encoding="utf-8",
    )
    loaded = load_lesson(source, run_checks=False)
    assert loaded.lesson is not None, loaded.problems
    reading, example = loaded.lesson, _example_lesson()
    store = Store(tmp_path / "data")
    store.visit("reading-only", 1)
    store.complete("reading-only")
    assert lesson_score(store, reading) is None
    rows = report(store, [reading, example])
    assert [r["id"] for r in rows] == ["reading-only", "example-lesson"]
    assert rows[0] == {
        "id": "reading-only",
        "started": True,
        "completed": True,
        "step": 2,
        "steps": 2,
        "questions": 0,
        "answered": 0,
        "right": 0,
        "score": None,
        "attempts": 0,
        "hints": 0,
    }
    assert rows[1]["step"] == 0 and rows[1]["started"] is False
    store.close()


# --- an older store ------------------------------------------------------------------------------------

OLD_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE lessons (lesson_id TEXT PRIMARY KEY, started_at REAL NOT NULL, updated_at REAL NOT NULL,
    completed_at REAL, step INTEGER NOT NULL DEFAULT 0);
CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, lesson_id TEXT NOT NULL, question_id TEXT NOT NULL,
    answer TEXT NOT NULL, correct INTEGER NOT NULL, hints INTEGER NOT NULL DEFAULT 0, at REAL NOT NULL, seconds REAL);
CREATE INDEX attempts_by_question ON attempts (lesson_id, question_id);
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO lessons VALUES ('lesson-a', 1, 1, NULL, 2);
INSERT INTO attempts (lesson_id, question_id, answer, correct, hints, at, seconds)
    VALUES ('lesson-a', 'q1', '1', 1, 0, 1, 2);
"""


def test_store_written_before_review_answers_existed_keeps_working(tmp_path: Path) -> None:
    """A progress.db from the first release (attempts without the ``review`` column) is read and extended."""
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.executescript(OLD_SCHEMA)
    conn.close()
    store = Store(tmp_path)
    assert store.saving and store.notice is None
    assert store.answered("lesson-a") == {"q1": True}
    store.record("lesson-a", "q2", "2", True, review=True)
    store.record("lesson-a", "q3", "3", True)
    assert store.saving and store.notice is None
    assert [(a.question_id, a.review) for a in store.attempts()] == [("q1", False), ("q2", True), ("q3", False)]
    store.close()
    assert _count(tmp_path) == 3


def test_reset_forgets_the_hints_seen_too(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.hint_shown("lesson-a", "q1", 2)
    store.hint_shown("lesson-b", "q1", 1)
    store.reset("lesson-a")
    assert store.hints_seen("lesson-a") == {} and store.hints_seen("lesson-b") == {"q1": 1}
    store.reset()
    assert store.hints_seen("lesson-b") == {}
    store.close()


def test_a_place_stored_past_the_lessons_end_is_its_last_step(tmp_path: Path) -> None:
    # a lesson that lost steps since the learner's visit: not "step 1000 of 5"
    from gdtutor.lessons.load import load_catalog
    from gdtutor.progress import lesson_progress, report

    lesson = load_catalog().lessons[0]
    store = Store(tmp_path)
    store.visit(lesson.id, 999)
    assert lesson_progress(store, lesson).step == len(lesson.steps) - 1
    assert report(store, [lesson])[0]["step"] == len(lesson.steps)
