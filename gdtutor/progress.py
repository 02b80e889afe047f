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
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .i18n import t

if TYPE_CHECKING:
    from .lessons.model import Lesson

DB_NAME = "progress.db"
SCHEMA_VERSION = 1
"""Kept in the file's ``PRAGMA user_version``; a store of a newer version is not gdtutor's to change."""
APPLICATION_ID = 0x67647475
"""``PRAGMA application_id`` of a gdtutor store ('gdtu'): SQLite's own place to say whose a file is."""
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
    seconds REAL,
    review INTEGER NOT NULL DEFAULT 0,
    instance TEXT
);
CREATE INDEX IF NOT EXISTS attempts_by_question ON attempts (lesson_id, question_id);
CREATE TABLE IF NOT EXISTS rounds (lesson_id TEXT PRIMARY KEY, round INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS hints (
    lesson_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    shown INTEGER NOT NULL,
    PRIMARY KEY (lesson_id, question_id)
);
"""


class ForeignStore(sqlite3.DatabaseError):
    """A sound SQLite file that is not a gdtutor store this version can use (another program's tables,
    another application id, a newer schema): treated like a damaged store, kept aside and never changed."""


def _create_schema(conn: sqlite3.Connection) -> None:
    """The tables, in a new store or one written by an earlier version (inside a transaction)."""
    for statement in _SCHEMA.strip().split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    # who this learner is, to no one but the order of options: each learner sees their own
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('learner_id', ?)", (uuid.uuid4().hex,))
    # stores written before review answers (or templates' instances) were kept have no column for them yet
    columns = {r[1] for r in conn.execute("PRAGMA table_info(attempts)")}
    for name, definition in LATER_COLUMNS.items():
        if name not in columns:
            conn.execute(f"ALTER TABLE attempts ADD COLUMN {name} {definition}")


LATER_COLUMNS = {"review": "INTEGER NOT NULL DEFAULT 0", "instance": "TEXT"}
"""Columns of ``attempts`` added after the first stores were written: a store without them is ours."""


def _columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {
        name: {r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')}
        for name in tables
        if not name.startswith("sqlite_")
    }


def _our_columns() -> dict[str, set[str]]:
    """The tables and columns of a store of this version, read from a store made in memory."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        _create_schema(memory)
        return _columns(memory)
    finally:
        memory.close()


def _check_identity(conn: sqlite3.Connection) -> None:
    """Raise :class:`ForeignStore` unless the file is empty or a gdtutor store this version can use.

    Stores written before the stamps (application id and version 0) are recognised by their tables:
    only gdtutor's, with gdtutor's columns (``attempts.review`` and ``.instance`` came later and are added).
    """
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app not in (0, APPLICATION_ID):
        raise ForeignStore(f"application id {app:#x} is another program's")
    if version > SCHEMA_VERSION:
        raise ForeignStore(f"schema version {version} is newer than {SCHEMA_VERSION}")
    found = _columns(conn)
    if app == 0 and version == 0 and not found:
        return  # a new file
    ours = _our_columns()
    for table, columns in found.items():
        missing = ours.get(table, {"?"}) - columns - (set(LATER_COLUMNS) if table == "attempts" else set())
        if table not in ours or missing:
            raise ForeignStore(f"table {table} is not gdtutor's")


def default_data_dir() -> Path:
    """``GDTUTOR_DATA_DIR``, or the user's data folder (platformdirs)."""
    env = os.environ.get("GDTUTOR_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("gdtutor", appauthor=False))


LEARNERS_FOLDER = "learners"
"""Under a class's data folder (``gdtutor serve``), each learner's own data folder is ``learners/<login>``;
``gdtutor class report`` reads the stores found there."""


def learner_data_dir(class_dir: Path, login: str) -> Path:
    """The data folder of one learner of a class (the login must already be checked as a safe name)."""
    return class_dir / LEARNERS_FOLDER / login


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
    review: bool = False
    instance: str | None = None
    """The values a template's instance was drawn with, as JSON (None for a question that is no template)."""


class Store:
    """The progress of the learner whose data folder this is."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        self.trouble: tuple[str, dict[str, object]] | None = None
        """What went wrong, if anything (store replaced, not saving): a code of the catalogue
        (``progress_<code>``) and its fields."""
        self.saving = True
        self.on_trouble: Callable[[], None] | None = None
        """Called when the store stops saving in the middle of a session (a full disk, a folder made
        read-only), so that the learner is told then, not only at the next start."""
        self._conn: sqlite3.Connection | None = None
        self._memory: sqlite3.Connection | None = None
        self.pending = not self.path.exists() and _could_make(data_dir)
        """No store yet: it is kept in memory until the first write (or the learner's id, once an order
        of options is shown) makes the file and the folder. A learner who only looks leaves nothing
        behind: a browser tab on ``gdtutor serve web`` made a 160 KB learner folder each time, listed in
        the class report with nothing in it. A folder that could not be made is tried at once, so that
        the learner is told at the start that nothing will be saved."""
        if self.pending:
            self._conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            with _transaction(self._conn):
                _create_schema(self._conn)
        else:
            self._open()

    def notice_text(self, lang: str) -> str | None:
        """One line for the learner when something went wrong, in ``lang``."""
        if self.trouble is None:
            return None
        code, fields = self.trouble
        return t(f"progress_{code}", lang, **fields)

    @property
    def notice(self) -> str | None:
        """The same line in English."""
        return self.notice_text("en")

    # --- opening ---------------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._conn = self._connect(self.path)
        except sqlite3.DatabaseError as exc:
            if (_is_corrupt(exc) or isinstance(exc, ForeignStore)) and self.path.exists():
                try:
                    kept = self._move_aside()
                except OSError as cannot:  # e.g. a read-only folder: keep the file where it is
                    self._not_saving(cannot)
                    return
                try:
                    self._conn = self._connect(self.path)
                    if isinstance(exc, ForeignStore):
                        self.trouble = ("foreign", {"path": str(self.path), "kept": kept.name})
                    else:
                        self.trouble = ("replaced", {"kept": kept.name})
                    return
                except (sqlite3.DatabaseError, OSError) as again:
                    self._not_saving(again)
                    return
            self._not_saving(exc)
        except OSError as exc:
            self._not_saving(exc)

    def _connect(self, path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            row = conn.execute("PRAGMA quick_check").fetchone()
            if row is None or row[0] != "ok":
                raise sqlite3.DatabaseError(f"file is not a database: {row[0] if row else 'no answer'}")
            _check_identity(conn)  # before anything is written, even the journal mode
            _set_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            with _transaction(conn):
                _check_identity(conn)  # in the transaction: no other session changes it meanwhile
                _create_schema(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _create(self) -> None:
        """The first write: make the store on disk, the same learner as the one in memory so far (the
        order options were shown in is the learner's)."""
        memory, self._conn = self._conn, None
        assert memory is not None
        learner = memory.execute("SELECT value FROM meta WHERE key = 'learner_id'").fetchone()[0]
        self.pending = False
        made = not self.path.exists()  # not by another session of the same learner meanwhile
        self._open()
        memory.close()
        if made or not self.saving:
            with _transaction(self.conn):
                self.conn.execute("UPDATE meta SET value = ? WHERE key = 'learner_id'", (learner,))

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
        self.trouble = ("not_saving", {"folder": str(self.data_dir), "reason": reason})
        memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        old, self._conn = self._conn, memory
        if old is not None:  # the store failed mid-session: keep what it holds so far
            try:
                old.backup(memory)
            except sqlite3.Error:
                pass
            old.close()
        elif self.path.is_file():  # it could not be opened for writing: show what it holds all the same
            self._read_only_copy(memory)
        with _transaction(memory):
            _create_schema(memory)
        if self.on_trouble is not None:
            self.on_trouble()

    def _read_only_copy(self, memory: sqlite3.Connection) -> None:
        """Copy the existing store into ``memory`` without writing anything (a read-only or full disk).

        ``mode=ro`` reads the write-ahead log too, but needs its shared-memory file or a folder it may
        create it in; ``immutable=1`` needs neither (the log is empty after a clean close).
        """
        uri = self.path.resolve().as_uri()
        for how in ("mode=ro", "immutable=1"):
            try:
                source = sqlite3.connect(f"{uri}?{how}", uri=True)
            except sqlite3.Error:
                continue
            try:
                row = source.execute("PRAGMA quick_check").fetchone()
                if row is not None and row[0] == "ok":
                    _check_identity(source)  # another program's tables are not shown as progress
                    source.backup(memory)
                    return
            except ForeignStore:
                return
            except sqlite3.Error:
                continue
            finally:
                source.close()

    @property
    def conn(self) -> sqlite3.Connection:
        assert self._conn is not None
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _write(self, sql: str, params: tuple[object, ...], *more: tuple[str, tuple[object, ...]]) -> None:
        """One write in its own transaction; a failure switches to not saving, never to a crash."""
        if self.pending:
            self._create()
        try:
            with _transaction(self.conn):
                for statement, values in ((sql, params), *more):
                    self.conn.execute(statement, values)
        except sqlite3.OperationalError as exc:
            if not self.saving:
                raise
            self._not_saving(exc)
            with _transaction(self.conn):
                for statement, values in ((sql, params), *more):
                    self.conn.execute(statement, values)

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

    # --- the order options are shown in -----------------------------------------------------------------

    @property
    def learner_id(self) -> str:
        """A random id made when the store was, naming this learner to the order of options only (kept
        from when it is first read: leaving and coming back shows the same order)."""
        if self.pending:
            self._create()
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'learner_id'").fetchone()
        return str(row[0]) if row else ""

    def round(self, lesson_id: str) -> int:
        """How many times the learner has started the lesson's questions afresh (reset it)."""
        row = self.conn.execute("SELECT round FROM rounds WHERE lesson_id = ?", (lesson_id,)).fetchone()
        return int(row[0]) if row else 0

    def order_seed(self, lesson_id: str) -> str:
        """What the options of a lesson's questions are shuffled from: the learner and their attempt at
        the lesson, so that leaving and coming back shows the same order, and a reset a new one."""
        return f"{self.learner_id}/{lesson_id}/{self.round(lesson_id)}"

    def review_seed(self) -> str:
        """The same for a new round of review: each round is a new attempt, in a new order."""
        self._write(
            "INSERT INTO meta (key, value) VALUES ('review_rounds', '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (),
        )
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'review_rounds'").fetchone()
        return f"{self.learner_id}/review/{row[0] if row else 0}"

    # --- quiz attempts -------------------------------------------------------------------------------

    def record(
        self,
        lesson_id: str,
        question_id: str,
        answer: str,
        correct: bool,
        hints: int = 0,
        seconds: float | None = None,
        *,
        review: bool = False,
        instance: str | None = None,
    ) -> None:
        """One answer to one question, right or wrong (``review``: given in review, not in the lesson;
        ``instance``: the values of the template's instance it answered)."""
        self._write(
            "INSERT INTO attempts (lesson_id, question_id, answer, correct, hints, at, seconds, review, instance) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (lesson_id, question_id, answer, int(correct), hints, time.time(), seconds, int(review), instance),
        )

    def attempts(self, lesson_id: str | None = None, *, review: bool | None = None) -> list[Attempt]:
        """Attempts in the order they were made, of one lesson or all; ``review`` picks lesson or review ones."""
        sql = (
            "SELECT lesson_id, question_id, answer, correct, hints, at, seconds, review, instance FROM attempts WHERE 1"
        )
        params: list[object] = []
        if lesson_id is not None:
            sql += " AND lesson_id = ?"
            params.append(lesson_id)
        if review is not None:
            sql += " AND review = ?"
            params.append(int(review))
        rows = self.conn.execute(sql + " ORDER BY id", params).fetchall()
        return [Attempt(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], bool(r[7]), r[8]) for r in rows]

    def hint_shown(self, lesson_id: str, question_id: str, shown: int) -> None:
        """The learner has seen ``shown`` hints of a lesson's question, kept at once: a hint asked for
        and no answer given (the session ended) is still seen when the lesson is taken up again."""
        self._write(
            "INSERT INTO hints (lesson_id, question_id, shown) VALUES (?, ?, ?) "
            "ON CONFLICT (lesson_id, question_id) DO UPDATE SET shown = max(shown, excluded.shown)",
            (lesson_id, question_id, shown),
        )

    def hints_seen(self, lesson_id: str, attempts: list[Attempt] | None = None) -> dict[str, int]:
        """Per question of the lesson, the most hints seen (with its answers, or before any answer).

        ``attempts``: ``attempts(lesson_id, review=False)`` when the caller has them already.
        """
        rows = self.conn.execute("SELECT question_id, shown FROM hints WHERE lesson_id = ?", (lesson_id,))
        seen: dict[str, int] = dict(rows.fetchall())
        if attempts is None:
            attempts = self.attempts(lesson_id, review=False)
        for a in attempts:
            seen[a.question_id] = max(seen.get(a.question_id, 0), a.hints)
        return seen

    def answered(self, lesson_id: str) -> dict[str, bool]:
        """Per question answered in the lesson: True once answered rightly, False while only wrongly."""
        out: dict[str, bool] = {}
        for a in self.attempts(lesson_id, review=False):
            out[a.question_id] = out.get(a.question_id, False) or a.correct
        return out

    def counts(self) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
        """(lesson, question) -> wrong answers, and -> right answers, in lessons and review alike."""
        rows = self.conn.execute(
            "SELECT lesson_id, question_id, SUM(1 - correct), SUM(correct) FROM attempts "
            "GROUP BY lesson_id, question_id"
        ).fetchall()
        return {(r[0], r[1]): int(r[2]) for r in rows}, {(r[0], r[1]): int(r[3]) for r in rows}

    # --- reset ---------------------------------------------------------------------------------------

    def reset(self, lesson_id: str | None = None) -> bool:
        """Forget one lesson's progress, or everything; the lessons' questions start a new round (their
        options come in a new order). Whether it was saved: False when the store cannot be written, and
        the reset holds only for this session (``trouble`` says why)."""
        if lesson_id is None:
            self._write(
                "INSERT INTO rounds (lesson_id, round) SELECT lesson_id, 1 FROM lessons WHERE 1 "
                "ON CONFLICT (lesson_id) DO UPDATE SET round = round + 1",
                (),
                ("DELETE FROM lessons", ()),
                ("DELETE FROM attempts", ()),
                ("DELETE FROM hints", ()),
            )
        else:
            self._write(
                "INSERT INTO rounds (lesson_id, round) VALUES (?, 1) "
                "ON CONFLICT (lesson_id) DO UPDATE SET round = round + 1",
                (lesson_id,),
                ("DELETE FROM lessons WHERE lesson_id = ?", (lesson_id,)),
                ("DELETE FROM attempts WHERE lesson_id = ?", (lesson_id,)),
                ("DELETE FROM hints WHERE lesson_id = ?", (lesson_id,)),
            )
        return self.saving


def _could_make(folder: Path) -> bool:
    """Whether a store could be made in ``folder``: it, or the nearest folder above it that exists,
    is a folder this user may write in."""
    for place in (folder, *folder.parents):
        if place.exists():
            return place.is_dir() and os.access(place, os.W_OK | os.X_OK)
    return False


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # SQLite has already rolled back after some errors (e.g. a full disk)
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _set_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, waiting like the busy timeout would: SQLite does not wait for this one itself, so two
    sessions opening a new store at once would otherwise see "database is locked"."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def _is_corrupt(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text or "file is encrypted" in text


def lesson_score(store: Store, lesson: Lesson, answered: dict[str, bool] | None = None) -> tuple[int, int] | None:
    """(questions answered rightly in the lesson, questions), or None for a lesson without questions.

    ``answered``: ``store.answered(lesson.id)`` when the caller has it already.
    """
    if not lesson.questions:
        return None
    if answered is None:
        answered = store.answered(lesson.id)
    return sum(1 for q in lesson.questions if answered.get(q.question_id)), len(lesson.questions)


@dataclass
class LessonProgress:
    """Where a learner is in a lesson, as the lesson list and ``gdtutor progress`` show it."""

    started: bool
    completed: bool
    """Reached the end with every question answered (skipping past questions completes nothing)."""
    step: int
    answered: int
    """Questions answered: rightly, or with their tries used up and the answer shown."""
    right: int
    """Questions answered rightly within their tries: the score."""
    total: int
    """Questions in the lesson."""
    first_try: int = 0
    """Questions answered rightly on the first try (the score alone hid the wrong first answers)."""


def next_open_lesson(store: Store, lessons: list[Lesson], after: str) -> Lesson | None:
    """The first lesson after ``after`` not completed yet (coming round to the first ones): where a
    learner who finished ``after`` goes next."""
    ids = [lesson.id for lesson in lessons]
    here = ids.index(after) if after in ids else len(lessons)
    for lesson in lessons[here + 1 :] + lessons[:here]:
        if not lesson_progress(store, lesson).completed:
            return lesson
    return None


def lesson_progress(
    store: Store, lesson: Lesson, state: LessonState | None = None, attempts: list[Attempt] | None = None
) -> LessonProgress:
    """The learner's progress in ``lesson`` (``state``, ``attempts``: the store's, when the caller has them)."""
    state = state or store.lesson(lesson.id)
    if attempts is None:
        attempts = store.attempts(lesson.id, review=False)
    return progress_in(lesson, state, attempts)


def progress_in(lesson: Lesson, state: LessonState, attempts: list[Attempt]) -> LessonProgress:
    """A learner's progress in ``lesson`` from what their store holds: their place in it and their answers
    in it (not in review), in the order given."""
    tries: dict[str, int] = {}
    right: set[str] = set()
    first: set[str] = set()
    for a in attempts:
        tries[a.question_id] = tries.get(a.question_id, 0) + 1
        if a.correct:
            right.add(a.question_id)
            if tries[a.question_id] == 1:
                first.add(a.question_id)
    return _progress(lesson, state, tries, right, first)


def summed_progress(lesson: Lesson, state: LessonState, answers: Mapping[str, Answers]) -> LessonProgress:
    """The same as :func:`progress_in`, from a learner's answers in ``lesson`` as a :class:`Snapshot` sums
    them up (question -> its answers): ``gdtutor class report`` reads stores without a Store, and without
    holding their answers."""
    tries = {question_id: a.tries for question_id, a in answers.items()}
    right = {question_id for question_id, a in answers.items() if a.right}
    first = {question_id for question_id, a in answers.items() if a.first_right}
    return _progress(lesson, state, tries, right, first)


def _progress(
    lesson: Lesson, state: LessonState, tries: dict[str, int], right: set[str], first: set[str]
) -> LessonProgress:
    """A learner's progress in ``lesson`` from their place in it and, per question, the answers given, whether
    one was right and whether the first one was."""
    questions = lesson.questions
    answered = sum(q.settled(tries.get(q.question_id, 0), q.question_id in right) for q in questions)
    n_right = sum(q.question_id in right for q in questions)
    # a lesson marked completed by an earlier version, where skipping completed it, is not completed
    completed = state.completed and answered == len(questions)
    n_first = sum(q.question_id in first for q in questions)
    # a place stored past the lesson's end (the lesson lost steps since) is its last step
    step = max(0, min(state.step, len(lesson.steps) - 1))
    return LessonProgress(state.started, completed, step, answered, n_right, len(questions), n_first)


def report(store: Store, lessons: list[Lesson]) -> list[dict[str, Any]]:
    """Each lesson's state, as ``gdtutor progress --json`` prints it.

    ``step`` is the step the learner reached, counted from 1 as the tutor shows it (0: not started);
    ``score`` is the share of questions answered rightly within their tries (None without questions);
    ``answered`` counts those answered rightly or with their tries used up; ``completed`` needs them all.
    """
    states = store.lessons()
    rows = []
    for lesson in lessons:
        state = states.get(lesson.id, LessonState(lesson.id))
        attempts = store.attempts(lesson.id, review=False)
        seen = store.hints_seen(lesson.id, attempts)
        score = lesson_score(store, lesson)
        where = lesson_progress(store, lesson, state, attempts)
        rows.append(
            {
                "id": lesson.id,
                "started": state.started,
                "completed": where.completed,
                "step": max(0, min(state.step, len(lesson.steps) - 1)) + 1 if state.started else 0,
                "steps": len(lesson.steps),
                "questions": len(lesson.questions),
                "answered": where.answered,
                "right": score[0] if score else 0,
                "score": round(score[0] / score[1], 4) if score else None,
                "attempts": len(attempts),
                "hints": sum(seen.get(q.question_id, 0) for q in lesson.questions),
            }
        )
    return rows


# --- reading a store without writing it ----------------------------------------------------------------

WRONG_KEPT = 50
"""Different wrong answers a :class:`Snapshot` keeps per question, the first given. A learner gives a few to
a question (at most 10 tries a round), so this holds them all but for one who started a lesson afresh
many times over; it bounds the class report's memory by the questions, not by the answers a store holds."""
ANSWER_KEPT = 1000
"""Characters a wrong answer is kept with: the tutor's answers are a number, options or a line of code; a
longer one was written into the store by hand."""
READ_TRIES = 5
"""Reads of a store that sessions keep changing under the reader, before it is given up as unreadable."""


@dataclass
class Answers:
    """A learner's answers to one question in its lesson (not in review), summed up as they are read: the
    same few figures whether the learner answered it twice or a million times."""

    tries: int = 0
    first_right: bool = False
    right: bool = False
    hints: int = 0
    """The most hints seen with an answer (0 without any)."""
    wrong: dict[tuple[str, str | None], None] = field(default_factory=dict)
    """The wrong answers with the instance each answered (a template's), each once, in the order first
    given (a dict as an ordered set): the first :data:`WRONG_KEPT`, cut to :data:`ANSWER_KEPT` characters."""

    def add(self, answer: str, correct: bool, hints: int, instance: str | None) -> None:
        """The next answer, in the order given."""
        if not self.tries:
            self.first_right = correct
        self.tries += 1
        self.hints = max(self.hints, hints)
        if correct:
            self.right = True
        elif len(self.wrong) < WRONG_KEPT:
            self.wrong[answer[:ANSWER_KEPT], instance] = None


@dataclass
class Snapshot:
    """What one learner's store holds, read at one moment without writing anything."""

    lessons: dict[str, LessonState]
    answers: dict[tuple[str, str], Answers]
    """(lesson, question) -> the answers given to it in the lesson, summed up; review answers are practice,
    left out (as ``gdtutor progress`` leaves them out of the score)."""
    hints: dict[tuple[str, str], int]
    """(lesson, question) -> hints seen, as kept when each was shown (answers keep theirs too)."""


def read_store(path: Path) -> Snapshot:
    """The store at ``path``, read without changing anything on disk (no file made, none written, not even
    its time), even while sessions write it, and with what they have written.

    Nothing a :class:`Store` does on opening is done: no journal mode, no schema, no moving aside. SQLite
    cannot read a store that sessions write (WAL mode) as they see it without writing: ``mode=ro`` marks
    its place in the log's shared-memory file (``-shm``: its bytes and its time change), and makes that
    file and the log when they are missing; ``immutable=1`` leaves the log out, where the latest answers
    are until a checkpoint copies them into the file. So:

    - A store without a log, or with an empty one, is read as ``immutable``. Should a session write it
      meanwhile (:func:`_moment` changes), the read starts again.
    - A store whose log holds something is copied with its log (not the shared-memory file) into a
      temporary folder of our own, and the copy is read there with ``mode=ro``: SQLite rebuilds the log's
      index in that folder from the log's whole transactions (one half written at its end is left out).
      The copy costs the store's size in the temporary folder and the time to copy it (0.15 s for 200
      MB; a learner's store is a few hundred KB). Applying the log ourselves to the file's bytes in memory
      (``deserialize``) would cost the store's size in memory instead, and a reader of the log's format.

    The two copies make one moment of the store, even while a session writes it, unless the log was
    started over between the start of the file's copy and the end of the log's: the file is written
    only by a checkpoint, and a checkpoint writes only pages whose frames are in the log, so that a page
    of the file copied half way through one is overridden by the log's copy anyway; the log is started
    over (new frames written over the old) only once they are all in the file, and then has a new
    header. When its header changed, or the log is gone (the last session closed), the copies are made
    again, up to :data:`READ_TRIES` times.

    Raises :class:`ForeignStore` for a file that is not a gdtutor store this version can read,
    ``sqlite3.DatabaseError`` for a damaged one, and ``sqlite3.Error`` or ``OSError`` when it cannot
    be read (no permission, no room for the copy, changed at every try).
    """
    import shutil  # here: only the class report reads stores this way (the tutor starts without them)
    import tempfile

    for _ in range(READ_TRIES):
        before = _moment(path)
        if before.log is None or not before.log[1]:  # no log, or nothing in it yet
            try:
                snapshot = _read_snapshot(path, "immutable=1")
            except sqlite3.DatabaseError:
                if _moment(path) != before:
                    continue  # a session changed it while it was read: read it again
                raise
            if _moment(path) == before:
                return snapshot
            continue
        with tempfile.TemporaryDirectory(prefix="gdtutor-store-") as folder:
            copy = Path(folder) / path.name
            try:
                shutil.copyfile(path, copy)
                shutil.copyfile(_side(path, "-wal"), _side(copy, "-wal"))
            except FileNotFoundError:  # the last session closed it meanwhile: its log is gone
                continue
            if _moment(path).log == before.log:  # the same log: the copies make one moment
                return _read_snapshot(copy, "mode=ro")
    raise sqlite3.OperationalError(f"changed by a session at each of {READ_TRIES} reads")


class _Moment(NamedTuple):
    """What a session's writes change in a store (:func:`_moment`)."""

    file: tuple[int, int, int]
    """The file's inode, size and time (ns)."""
    log: tuple[int, bytes] | None
    """The log's inode and header (empty before its first write; new when the log is started over, its
    salts changed), or None without a log. Answers added at the end of the log do not change it."""


def _moment(path: Path) -> _Moment:
    """The :class:`_Moment` of the store at ``path``, read without writing (the log's header: sqlite.org/
    fileformat2.html#walformat)."""
    try:
        with _side(path, "-wal").open("rb") as log:
            head: tuple[int, bytes] | None = (os.fstat(log.fileno()).st_ino, log.read(32))
    except FileNotFoundError:
        head = None
    return _Moment(_file_stamp(path), head)


def _side(path: Path, suffix: str) -> Path:
    """The log (``-wal``) or its shared-memory index (``-shm``) of the store at ``path``."""
    return path.with_name(path.name + suffix)


def _file_stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def _read_snapshot(path: Path, how: str) -> Snapshot:
    """The store at ``path``, opened with ``how`` (``immutable=1``, or ``mode=ro`` for a copy), in one read
    transaction. Its answers are summed up as they are read, a row at a time (:class:`Answers`): a store
    of millions of answers takes no more memory than one of ten."""
    conn = sqlite3.connect(
        f"{path.resolve().as_uri()}?{how}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
    )
    try:
        conn.execute("BEGIN")  # one read transaction: every table as of the same moment
        row = conn.execute("PRAGMA quick_check").fetchone()
        if row is None or row[0] != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed: {row[0] if row else 'no answer'}")
        _check_identity(conn)
        tables = _columns(conn)
        lessons: dict[str, LessonState] = {}
        if "lessons" in tables:
            for lesson_id, step, completed_at in conn.execute("SELECT lesson_id, step, completed_at FROM lessons"):
                lessons[str(lesson_id)] = LessonState(str(lesson_id), True, completed_at is not None, int(step))
        answers: dict[tuple[str, str], Answers] = {}
        if "attempts" in tables:
            # a store written before review answers were kept has no review column: all are the lessons'
            review = "review" if "review" in tables["attempts"] else "0 AS review"
            instance = "instance" if "instance" in tables["attempts"] else "NULL AS instance"
            columns = f"lesson_id, question_id, answer, correct, hints, {review}, {instance}"
            rows = conn.execute(f"SELECT {columns} FROM attempts ORDER BY id")  # noqa: S608 (our own words)
            for lesson_id, question_id, answer, correct, helped, in_review, values in rows:
                if in_review:
                    continue
                key = str(lesson_id), str(question_id)
                summed = answers.get(key)
                if summed is None:
                    summed = answers[key] = Answers()
                summed.add(str(answer), bool(correct), int(helped or 0), _text(values))
        hints: dict[tuple[str, str], int] = {}
        if "hints" in tables:
            for lesson_id, question_id, shown in conn.execute("SELECT lesson_id, question_id, shown FROM hints"):
                hints[str(lesson_id), str(question_id)] = int(shown or 0)
        return Snapshot(lessons, answers, hints)
    finally:
        conn.close()


def _text(value: object) -> str | None:
    """A text column read from a store that may have been written by hand: text, or nothing."""
    return value if isinstance(value, str) else None
