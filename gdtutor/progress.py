"""Each learner's progress, kept in SQLite under the data folder, and never lost.

- Every write is one short transaction, so killing the program loses at most the write under way.
- WAL mode and a busy timeout let two sessions of the same learner (two SSH logins) write at once.
- A store that cannot be read is moved aside (kept, never deleted) and a fresh one is started.
- A folder that cannot be written leaves the tutor running without saving; ``notice`` says why.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "progress.db"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lessons (
    lesson_id TEXT PRIMARY KEY,
    started_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    completed_at REAL,
    step INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lesson_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    correct INTEGER NOT NULL,
    hints INTEGER NOT NULL DEFAULT 0,
    at REAL NOT NULL,
    seconds REAL
);
CREATE INDEX IF NOT EXISTS attempts_by_question ON attempts (lesson_id, question_id);
"""


def default_data_dir() -> Path:
    """``GDTUTOR_DATA_DIR``, or the user's data folder (platformdirs)."""
    env = os.environ.get("GDTUTOR_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("gdtutor", appauthor=False))


@dataclass
class LessonState:
    """A learner's place in one lesson."""

    lesson_id: str
    started: bool = False
    completed: bool = False
    step: int = 0


@dataclass
class Attempt:
    lesson_id: str
    question_id: str
    answer: str
    correct: bool
    hints: int
    at: float
    seconds: float | None


class Store:
    """The progress of the learner whose data folder this is."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        self.notice: str | None = None
        """One line for the learner when something went wrong (store replaced, not saving)."""
        self.saving = True
        self._conn: sqlite3.Connection | None = None
        self._memory: sqlite3.Connection | None = None
        self._open()

    # --- opening ---------------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._conn = self._connect(self.path)
        except sqlite3.DatabaseError as exc:
            if _is_corrupt(exc) and self.path.exists():
                kept = self._move_aside()
                try:
                    self._conn = self._connect(self.path)
                    self.notice = (
                        f"Your progress file could not be read; it was kept as {kept.name} and a new one started."
                    )
                    return
                except (sqlite3.DatabaseError, OSError) as again:
                    exc = again  # type: ignore[assignment]
            self._not_saving(exc)
        except OSError as exc:
            self._not_saving(exc)

    def _connect(self, path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            row = conn.execute("PRAGMA quick_check").fetchone()
            if row is None or row[0] != "ok":
                raise sqlite3.DatabaseError(f"file is not a database: {row[0] if row else 'no answer'}")
            with _transaction(conn):
                for statement in _SCHEMA.strip().split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
                )
        except BaseException:
            conn.close()
            raise
        return conn

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        kept = self.path.with_name(f"{DB_NAME}.damaged-{stamp}")
        n = 1
        while kept.exists():
            n += 1
            kept = self.path.with_name(f"{DB_NAME}.damaged-{stamp}-{n}")
        self.path.rename(kept)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(DB_NAME + suffix)
            if side.exists():
                side.rename(kept.with_name(kept.name + suffix))
        return kept

    def _not_saving(self, exc: BaseException) -> None:
        """Keep working in memory for this session, and tell the learner why nothing is saved."""
        self.saving = False
        reason = getattr(exc, "strerror", None) or str(exc)
        self.notice = f"Progress cannot be saved in {self.data_dir} ({reason}); the tutor runs without saving."
        self._conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self._conn.executescript(_SCHEMA)

    @property
    def conn(self) -> sqlite3.Connection:
        assert self._conn is not None
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _write(self, sql: str, params: tuple[object, ...]) -> None:
        """One write in its own transaction; a failure switches to not saving, never to a crash."""
        try:
            with _transaction(self.conn):
                self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if not self.saving:
                raise
            self._not_saving(exc)
            with _transaction(self.conn):
                self.conn.execute(sql, params)

    # --- lessons ---------------------------------------------------------------------------------------

    def visit(self, lesson_id: str, step: int) -> None:
        """The learner is at ``step`` (0-based) of the lesson."""
        now = time.time()
        self._write(
            "INSERT INTO lessons (lesson_id, started_at, updated_at, step) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (lesson_id) DO UPDATE SET step = excluded.step, updated_at = excluded.updated_at",
            (lesson_id, now, now, step),
        )

    def complete(self, lesson_id: str) -> None:
        """The learner reached the end of the lesson."""
        now = time.time()
        self._write(
            "INSERT INTO lessons (lesson_id, started_at, updated_at, completed_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (lesson_id) DO UPDATE SET completed_at = COALESCE(completed_at, excluded.completed_at), "
            "updated_at = excluded.updated_at",
            (lesson_id, now, now, now),
        )

    def lesson(self, lesson_id: str) -> LessonState:
        row = self.conn.execute("SELECT step, completed_at FROM lessons WHERE lesson_id = ?", (lesson_id,)).fetchone()
        if row is None:
            return LessonState(lesson_id)
        return LessonState(lesson_id, started=True, completed=row[1] is not None, step=row[0])

    def lessons(self) -> dict[str, LessonState]:
        rows = self.conn.execute("SELECT lesson_id, step, completed_at FROM lessons").fetchall()
        return {r[0]: LessonState(r[0], True, r[2] is not None, r[1]) for r in rows}

    def last_lesson(self) -> str | None:
        """The lesson the learner was in most recently."""
        row = self.conn.execute("SELECT lesson_id FROM lessons ORDER BY updated_at DESC LIMIT 1").fetchone()
        return row[0] if row else None

    # --- quiz attempts -------------------------------------------------------------------------------

    def record(
        self,
        lesson_id: str,
        question_id: str,
        answer: str,
        correct: bool,
        hints: int = 0,
        seconds: float | None = None,
    ) -> None:
        """One answer to one question, right or wrong."""
        self._write(
            "INSERT INTO attempts (lesson_id, question_id, answer, correct, hints, at, seconds) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (lesson_id, question_id, answer, int(correct), hints, time.time(), seconds),
        )

    def attempts(self, lesson_id: str | None = None) -> list[Attempt]:
        sql = "SELECT lesson_id, question_id, answer, correct, hints, at, seconds FROM attempts"
        params: tuple[object, ...] = ()
        if lesson_id is not None:
            sql += " WHERE lesson_id = ?"
            params = (lesson_id,)
        rows = self.conn.execute(sql + " ORDER BY id", params).fetchall()
        return [Attempt(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6]) for r in rows]

    def answered(self, lesson_id: str) -> dict[str, bool]:
        """Per question of the lesson: True once answered rightly, False while only answered wrongly."""
        out: dict[str, bool] = {}
        for a in self.attempts(lesson_id):
            out[a.question_id] = out.get(a.question_id, False) or a.correct
        return out

    def wrong_counts(self) -> dict[tuple[str, str], int]:
        """(lesson, question) -> how often it was answered wrongly: review brings these back more often."""
        rows = self.conn.execute(
            "SELECT lesson_id, question_id, SUM(1 - correct) FROM attempts GROUP BY lesson_id, question_id"
        ).fetchall()
        return {(r[0], r[1]): int(r[2]) for r in rows}

    # --- reset ---------------------------------------------------------------------------------------

    def reset(self, lesson_id: str | None = None) -> None:
        """Forget one lesson's progress, or everything."""
        try:
            with _transaction(self.conn):
                if lesson_id is None:
                    self.conn.execute("DELETE FROM lessons")
                    self.conn.execute("DELETE FROM attempts")
                else:
                    self.conn.execute("DELETE FROM lessons WHERE lesson_id = ?", (lesson_id,))
                    self.conn.execute("DELETE FROM attempts WHERE lesson_id = ?", (lesson_id,))
        except sqlite3.OperationalError as exc:
            self._not_saving(exc)


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _is_corrupt(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text or "file is encrypted" in text
