"""``gdtutor class report``: a class's stores, written by real tutor sessions, read without a change.

Two learners, ana and ben, take the example lesson's quiz in the app (Textual's pilot); the report is
then run as the teacher runs it, in a process of its own. Edge cases (damaged and foreign stores, an
empty class, a store written while it is read) use stores written by :class:`Store` directly.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import threading
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from support import DATA
from support.children import Done, gdtutor
from support.pilot import open_quiz
from support.waiting import until
from textual.widgets import Input

from gdtutor import progress
from gdtutor.classreport import print_report
from gdtutor.lessons.load import load_catalog
from gdtutor.progress import DB_NAME, Store, learner_data_dir, read_store
from gdtutor.ui import make_app
from gdtutor.ui.widgets.quiz import QuestionCard

CATALOG = load_catalog([DATA], run_checks=False)
LESSONS = len(CATALOG.lessons)
QUESTIONS = sum(len(lesson.questions) for lesson in CATALOG.lessons)
"""Questions in the built-in lessons and the example lesson: each learner's score is out of these."""


def report(data: Path, *options: str) -> Done:
    return gdtutor("class", "report", "--data-dir", str(data), "--lessons", str(DATA), *options)


def report_json(data: Path) -> dict[str, Any]:
    done = report(data, "--json")
    assert done.returncode == 0, done.stderr
    document: dict[str, Any] = json.loads(done.stdout)
    return document


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def on_disk(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``folder``, with its bytes: what must not change."""
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None for p in sorted(folder.rglob("*"))}


# --- two learners, in the app ------------------------------------------------------------------------------


def to(card: QuestionCard, option: int) -> list[str]:
    """The keys that move from the first option shown to ``option`` (its index in the file)."""
    return ["down"] * card.answer.order.index(option)  # type: ignore[attr-defined]


async def type_number(app: Any, pilot: Any, card: QuestionCard, text: str) -> None:
    tries = card.state.tries
    await until(pilot, lambda: isinstance(app.focused, Input))
    app.focused.value = ""
    await pilot.press(*text, "enter")
    await until(pilot, lambda: card.state.tries == tries + 1)


async def ana(data: Path) -> None:
    """A hint, then the wrong option; a wrong pair of rates; the minimum wrong, then right."""
    app = make_app(lang="en", data_dir=data, lesson_dirs=[DATA])
    async with app.run_test(size=(80, 24)) as pilot:
        _, quiz = await open_quiz(app, pilot)
        card = quiz.card
        assert card.question.question_id == "example-too-small"
        await pilot.press("h")
        await until(pilot, lambda: card.state.hints == 1)
        await pilot.press(*to(card, 1), "enter")  # "It blows up to nan.": wrong, its only try
        await until(pilot, lambda: card.state.tries == 1)

        quiz.show(1)  # which rates converge: 0.1 and 0.5
        await until(pilot, lambda: quiz.card.question.kind == "multiple" and app.focused is not None)
        card = quiz.card
        first, second = sorted(card.answer.order.index(i) for i in (0, 2))  # type: ignore[attr-defined]
        await pilot.press(*["down"] * first, "space", *["down"] * (second - first), "space", "enter")
        await until(pilot, lambda: card.state.tries == 1)  # 0.1 and 1.5: wrong, one try left

        quiz.show(3)  # the minimum of f: 5.75
        await until(pilot, lambda: quiz.current == "q-4")
        card = quiz.card
        await type_number(app, pilot, card, "5")
        await type_number(app, pilot, card, "5.75")
        assert card.state.right


async def ben(data: Path) -> None:
    """Right at once, twice."""
    app = make_app(lang="en", data_dir=data, lesson_dirs=[DATA])
    async with app.run_test(size=(80, 24)) as pilot:
        _, quiz = await open_quiz(app, pilot)
        card = quiz.card
        await pilot.press(*to(card, 0), "enter")
        await until(pilot, lambda: card.state.right)
        quiz.show(3)
        await until(pilot, lambda: quiz.current == "q-4")
        await type_number(app, pilot, quiz.card, "5.75")
        assert quiz.card.state.right


@pytest.fixture(scope="module")
def klass(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A class's data folder with two learners' stores, written by the tutor."""
    data = tmp_path_factory.mktemp("class")
    asyncio.run(ana(learner_data_dir(data, "ana")))
    asyncio.run(ben(learner_data_dir(data, "ben")))
    return data


def test_the_text_report_of_a_class_and_nothing_changes_on_disk(klass: Path) -> None:
    before = on_disk(klass)
    done = report(klass)
    assert on_disk(klass) == before  # not a byte, not a file more (no -wal, no -shm left behind)
    assert done.returncode == 0 and done.stderr == ""
    lines = done.stdout.splitlines()
    assert all(cells(line) <= 80 for line in lines if str(klass) not in line), done.stdout
    assert lines[1] == f"learners 2, skipped 0; lessons {LESSONS}, questions {QUESTIONS}"
    learners = {line.split()[0]: line.split()[1:] for line in lines if line.startswith(("ana ", "ben "))}
    # lessons started, completed, answered (rightly or with no tries left) of all, right, right at once
    assert learners == {"ana": ["1", "0", f"2/{QUESTIONS}", "1", "0"], "ben": ["1", "0", f"2/{QUESTIONS}", "2", "2"]}

    rows = [line.split() for line in lines if line.rstrip().endswith(("-4-2", "-too-small", "-4-4"))]
    # learners, first try, right, hints, hinted, question: hardest first
    assert rows == [
        ["1", "0%", "0", "0", "0", "example-lesson-4-2"],
        ["2", "50%", "1", "1", "1", "example-too-small"],  # 50% too, but fewer right at last
        ["2", "50%", "2", "0", "0", "example-lesson-4-4"],
    ]
    text = done.stdout
    assert "    example-lesson: What happens when the learning rate is very small?\n" in text
    assert "    wrong: It blows up to nan. (1)\n" in text  # the option's text, not its place "2"
    assert "    wrong: 0.1 + 1.5 (1)\n" in text
    assert "    wrong: 5 (1)\n" in text
    assert f"Not answered by anyone yet: {QUESTIONS - 3} of the lessons' questions." in text


def test_the_json_report(klass: Path) -> None:
    document = report_json(klass)
    assert document["data_dir"] == str(klass) and document["skipped"] == []
    assert document["questions_in_lessons"] == QUESTIONS and document["unanswered"] == QUESTIONS - 3
    learners = {row.pop("login"): row for row in document["learners"]}
    assert learners == {
        "ana": {"lessons_started": 1, "lessons_completed": 0, "answered": 2, "right": 1, "first_try": 0}
        | {"questions": QUESTIONS},
        "ben": {"lessons_started": 1, "lessons_completed": 0, "answered": 2, "right": 2, "first_try": 2}
        | {"questions": QUESTIONS},
    }
    questions = document["questions"]
    assert [q["question_id"] for q in questions] == ["example-lesson-4-2", "example-too-small", "example-lesson-4-4"]
    too_small = questions[1]
    assert too_small == {
        "lesson_id": "example-lesson",
        "question_id": "example-too-small",
        "prompt": "What happens when the learning rate is very small?",
        "in_lessons": True,
        "learners": 2,
        "first_try": 1,
        "first_try_share": 0.5,
        "right": 1,
        "hints": 1,
        "hinted": 1,
        "wrong_answers": [{"answer": "It blows up to nan.", "learners": 1}],
    }
    assert questions[0]["wrong_answers"] == [{"answer": "0.1 + 1.5", "learners": 1}]
    assert (questions[2]["first_try"], questions[2]["right"], questions[2]["wrong_answers"]) == (
        1,
        2,
        [{"answer": "5", "learners": 1}],
    )


def test_the_csv_report(klass: Path) -> None:
    done = report(klass, "--csv")
    assert done.returncode == 0 and done.stderr == ""
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert done.stdout.startswith("lesson_id,question_id,prompt,in_lessons,learners,first_try,first_try_share,")
    assert [(r["question_id"], r["learners"], r["first_try_share"], r["right"], r["hints"]) for r in rows] == [
        ("example-lesson-4-2", "1", "0.0000", "0", "0"),
        ("example-too-small", "2", "0.5000", "1", "1"),
        ("example-lesson-4-4", "2", "0.5000", "2", "0"),
    ]
    assert rows[1]["prompt"] == "What happens when the learning rate is very small?"
    assert rows[1]["wrong_answers"] == "It blows up to nan. (1)"


def test_the_report_in_chinese(klass: Path) -> None:
    done = report(klass, "--lang", "zh")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(cells(line) <= 80 for line in lines if str(klass) not in line), done.stdout
    assert lines[0] == f"学员的学习进度保存在 {klass / 'learners'}"
    assert "作答人数  一次答对  最终答对  提示  看提示  题目" in lines
    assert "    example-lesson: 学习率很小的时候会怎样？" in lines
    assert "    答错：会变成 nan。（1 人）" in lines
    assert "    答错：0.1 + 1.5（1 人）" in lines
    body = "\n".join(lines[1:])  # after the path
    assert "wrong" not in body and "learners" not in body


# --- stores that cannot be read, and stores being written ------------------------------------------------------


def foreign_tables(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (name TEXT)")
    conn.commit()
    conn.close()


def another_programs(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 4660")
    conn.execute("CREATE TABLE lessons (lesson_id TEXT)")
    conn.commit()
    conn.close()


def test_damaged_and_foreign_stores_are_named_skipped_and_left_as_they_are(tmp_path: Path) -> None:
    store = Store(learner_data_dir(tmp_path, "ana"))
    store.visit("example-lesson", 3)
    store.record("example-lesson", "example-too-small", "1", True)
    store.close()
    whole = (learner_data_dir(tmp_path, "ana") / DB_NAME).read_bytes()
    for login in ("carl", "dora", "eve", "fay", "gus"):
        learner_data_dir(tmp_path, login).mkdir(parents=True)
    (learner_data_dir(tmp_path, "carl") / DB_NAME).write_bytes(b"not a database at all\n" * 300)
    (learner_data_dir(tmp_path, "dora") / DB_NAME).write_bytes(whole[: len(whole) // 2])  # cut short
    foreign_tables(learner_data_dir(tmp_path, "eve") / DB_NAME)
    another_programs(learner_data_dir(tmp_path, "fay") / DB_NAME)
    # gus has logged in but has no store yet: a learner with nothing done
    before = on_disk(tmp_path)

    done = report(tmp_path)
    assert on_disk(tmp_path) == before
    assert done.returncode == 0 and done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[1] == f"learners 2, skipped 4; lessons {LESSONS}, questions {QUESTIONS}"
    assert lines[2:6] == [
        "skipped carl: damaged or not SQLite (file is not a database)",
        "skipped dora: damaged or not SQLite (database disk image is malformed)",
        "skipped eve: not a gdtutor store (table users is not gdtutor's)",
        "skipped fay: not a gdtutor store (application id 0x1234 is another program's)",
    ]
    assert [line.split() for line in lines if line.startswith(("ana ", "gus "))] == [
        ["ana", "1", "0", f"1/{QUESTIONS}", "1", "1"],
        ["gus", "0", "0", f"0/{QUESTIONS}", "0", "0"],
    ]
    document = report_json(tmp_path)
    assert on_disk(tmp_path) == before
    assert [(s["login"], s["reason"]) for s in document["skipped"]] == [
        ("carl", "damaged"),
        ("dora", "damaged"),
        ("eve", "foreign"),
        ("fay", "foreign"),
    ]
    csv_done = report(tmp_path, "--csv")  # the CSV alone on stdout, the skipped stores on stderr
    assert csv_done.stdout.startswith("lesson_id,") and len(csv_done.stdout.splitlines()) == 2
    assert csv_done.stderr.count("\n") == 4 and "gdtutor class report: skipped carl:" in csv_done.stderr


def test_links_are_skipped_with_a_line_not_followed(tmp_path: Path) -> None:
    """A store linked to another class's, a learner folder outside the class, a store linked to itself:
    each was read and listed as a learner (issue 21)."""
    other = tmp_path / "other-class"
    store = Store(learner_data_dir(other, "zoe"))
    store.visit("example-lesson", 1)
    store.close()
    klass = tmp_path / "class"
    for login in ("ana", "bea"):
        learner_data_dir(klass, login).mkdir(parents=True)
    (learner_data_dir(klass, "ana") / DB_NAME).symlink_to(learner_data_dir(other, "zoe") / DB_NAME)
    (learner_data_dir(klass, "bea") / DB_NAME).symlink_to(learner_data_dir(klass, "bea") / DB_NAME)
    learner_data_dir(klass, "cid").symlink_to(learner_data_dir(other, "zoe"), target_is_directory=True)
    before = on_disk(other)

    done = report(klass)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].startswith("learners 0, skipped 3;"), lines
    assert lines[2:5] == [
        "skipped ana: progress.db is a link, not followed",
        "skipped bea: progress.db is a link, not followed",
        "skipped cid: cid is a link, not followed",
    ]
    assert on_disk(other) == before


def test_answers_to_questions_no_longer_in_the_lessons_are_counted(tmp_path: Path) -> None:
    for login, correct in (("ana", False), ("ben", True)):
        store = Store(learner_data_dir(tmp_path, login))
        store.visit("old-lesson", 2)
        store.complete("old-lesson")
        store.record("old-lesson", "old-question", "42", correct, hints=2)
        store.record("old-lesson", "old-question", "41", True, review=True)  # review: left out
        store.close()
    document = report_json(tmp_path)
    assert [(r["login"], r["lessons_started"], r["lessons_completed"]) for r in document["learners"]] == [
        ("ana", 1, 1),
        ("ben", 1, 1),
    ]
    [old] = document["questions"]
    assert (old["lesson_id"], old["question_id"], old["prompt"], old["in_lessons"]) == (
        "old-lesson",
        "old-question",
        "(not in the lessons)",
        False,
    )
    assert (old["learners"], old["first_try"], old["right"], old["hints"], old["hinted"]) == (2, 1, 1, 4, 2)
    assert old["wrong_answers"] == [{"answer": "42", "learners": 1}]
    text = report(tmp_path).stdout
    assert "    old-lesson: (not in the lessons)\n" in text


def test_a_store_being_written_is_read_as_it_was_last_committed(tmp_path: Path) -> None:
    """A session of the learner holds the store open, in WAL mode, in the middle of a write: the report
    neither waits for it nor sees what is not committed; once committed, it does."""
    store = Store(learner_data_dir(tmp_path, "ana"))
    try:
        store.visit("example-lesson", 3)
        store.record("example-lesson", "example-too-small", "2", False)
        assert (learner_data_dir(tmp_path, "ana") / f"{DB_NAME}-wal").exists()
        store.conn.execute("BEGIN IMMEDIATE")
        store.conn.execute(
            "INSERT INTO attempts (lesson_id, question_id, answer, correct, at) "
            "VALUES ('example-lesson', 'example-lesson-4-4', '5.75', 1, 0)"
        )
        during = report_json(tmp_path)
        assert [q["question_id"] for q in during["questions"]] == ["example-too-small"]
        store.conn.execute("COMMIT")
        after = report_json(tmp_path)
        assert [q["question_id"] for q in after["questions"]] == ["example-too-small", "example-lesson-4-4"]
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        store.close()


def test_a_store_written_all_along_while_the_report_reads_it(tmp_path: Path) -> None:
    """Another connection commits answer after answer while reports run: each reads a whole moment."""
    path = learner_data_dir(tmp_path, "ana")
    Store(path).close()
    stop, started = threading.Event(), threading.Event()
    written: list[int] = []

    def write() -> None:
        store = Store(path)
        try:
            while not stop.is_set():
                store.record("example-lesson", "example-too-small", "2", False)
                written.append(1)
                started.set()
                stop.wait(0.002)  # pace the writer; nothing waits on this
        finally:
            store.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert started.wait(timeout=30)
        for _ in range(3):
            document = report_json(tmp_path)
            [row] = document["questions"]
            assert (row["learners"], row["first_try"], document["skipped"]) == (1, 0, [])
            assert row["wrong_answers"] == [{"answer": "It blows up to nan.", "learners": 1}]
    finally:
        stop.set()
        writer.join()
    assert len(written) > 1


def test_a_session_that_opens_the_store_while_it_is_read_makes_the_read_start_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store no session has open is read as immutable (so that no log is left behind); a session that
    opens it meanwhile and writes makes the read start again, on a copy of the store and its log."""
    path = learner_data_dir(tmp_path, "ana")
    store = Store(path)
    store.record("example-lesson", "example-too-small", "2", False)
    store.close()
    reads: list[str] = []
    real = progress._read_snapshot
    sessions: list[Store] = []

    def read(at: Path, how: str) -> progress.Snapshot:
        reads.append(how if at == path / DB_NAME else f"a copy, {how}")
        if len(reads) == 1:
            session = Store(path)  # a learner logs in now
            session.record("example-lesson", "example-too-small", "1", True)
            sessions.append(session)
        return real(at, how)

    monkeypatch.setattr(progress, "_read_snapshot", read)
    try:
        snapshot = read_store(path / DB_NAME)
    finally:
        sessions[0].close()
    assert reads == ["immutable=1", "a copy, mode=ro"]
    assert snapshot.answers == {
        ("example-lesson", "example-too-small"): progress.Answers(2, False, True, 0, {("2", None): None})
    }


def test_an_empty_class_says_so(tmp_path: Path) -> None:
    done = report(tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"No learners in {tmp_path} yet: nothing to report.\n"
    (tmp_path / "learners").mkdir()
    assert report(tmp_path).stdout == done.stdout
    document = report_json(tmp_path)
    assert (document["learners"], document["questions"], document["skipped"]) == ([], [], [])
    assert list(tmp_path.iterdir()) == [tmp_path / "learners"]  # nothing made


def test_a_learners_folder_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "learners").write_text("not a folder")
    done = report(tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"gdtutor class report: {tmp_path / 'learners'}: not a folder\n"


def test_what_a_store_holds_is_printed_without_control_characters() -> None:
    from gdtutor.classreport import one_line, shown_answer

    assert one_line("a\x1b[2J\n  b\r\x07") == "a [2J b"
    assert shown_answer(None, "4\x1b]0;title\x07", "en") == "4 ]0;title"


def test_the_text_report_prints_the_lessons_markdown_as_plain_text(tmp_path: Path) -> None:
    """Prompts and options in markdown (`code`, **bold**) read as the tutor shows them, without their
    backticks, in both languages; the JSON keeps them as the lesson file has them."""
    for login, option in (("ana", "1"), ("ben", "4")):
        store = Store(learner_data_dir(tmp_path, login))
        store.record("why-gradient-descent", "why-randint-die", option, False)
        store.record("why-gradient-descent", "why-minus-sign", "1", False)
        store.close()
    for lang in ("en", "zh"):
        done = report(tmp_path, "--lang", lang)
        assert done.returncode == 0 and done.stderr == "", done.stderr
        assert "`" not in done.stdout and "**" not in done.stdout, done.stdout
        assert "np.random.randint(1, 6, size=1)[0]" in done.stdout, done.stdout
    assert "。x = x - eta * g(x)" in report(tmp_path, "--lang", "zh").stdout
    wrong = {w["answer"] for q in report_json(tmp_path)["questions"] for w in q["wrong_answers"]}
    assert "`np.random.randint(1, 6, size=1)[0]`" in wrong


# --- nothing written, not even a file's time; memory bounded by the class, not the stores -----------------------

LONG_AGO = 1_000_000_000 * 10**9
"""A time (ns, 2001) given to a store's files before a report: one the report touches would have its own."""


def stamps(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file in ``folder``: its size, time (ns) and content's hash."""
    return {
        p.name: (p.stat().st_size, p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.iterdir())
    }


def long_ago(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Give the files in ``folder`` a time long past; their :func:`stamps`."""
    for p in folder.iterdir():
        os.utime(p, ns=(LONG_AGO, LONG_AGO))
    return stamps(folder)


def report_in_process(data: Path) -> dict[str, Any]:
    """The JSON report, through the function the command calls."""
    out = io.StringIO()
    assert print_report(data, [DATA], "json", "en", out) == 0
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


def test_a_store_a_session_has_open_is_read_with_its_log_and_not_a_file_changes(tmp_path: Path) -> None:
    """``mode=ro`` set the shared-memory file's time (and its marks in it) at every report; the answers
    still only in the log, not in the file yet, are read all the same."""
    folder = learner_data_dir(tmp_path, "ana")
    store = Store(folder)
    try:
        store.visit("example-lesson", 3)
        store.record("example-lesson", "example-too-small", "2", False, hints=1)
        store.record("example-lesson", "example-too-small", "0", True)
        store.record("example-lesson", "example-lesson-4-4", "5", False)
        assert sorted(p.name for p in folder.iterdir()) == [DB_NAME, f"{DB_NAME}-shm", f"{DB_NAME}-wal"]
        file_alone = sqlite3.connect(f"{(folder / DB_NAME).as_uri()}?immutable=1", uri=True)
        try:  # not checkpointed: the file alone holds no answer yet
            assert "attempts" not in {r[0] for r in file_alone.execute("SELECT name FROM sqlite_master")}
        finally:
            file_alone.close()
        before = long_ago(folder)

        document = report_in_process(tmp_path)
        assert stamps(folder) == before
        assert document["skipped"] == []
        assert [(r["login"], r["lessons_started"], r["answered"], r["right"]) for r in document["learners"]] == [
            ("ana", 1, 1, 1)  # the number has tries left: not answered yet
        ]
        questions = {q["question_id"]: q for q in document["questions"]}
        assert (questions["example-too-small"]["right"], questions["example-too-small"]["hints"]) == (1, 1)
        assert questions["example-lesson-4-4"]["wrong_answers"] == [{"answer": "5", "learners": 1}]
        assert report_in_process(tmp_path) == document and stamps(folder) == before  # and again
    finally:
        store.close()


def test_a_store_no_session_has_open_gets_no_log_nor_a_time(tmp_path: Path) -> None:
    folder = learner_data_dir(tmp_path, "ana")
    store = Store(folder)
    store.record("example-lesson", "example-too-small", "2", False)
    store.close()
    assert [p.name for p in folder.iterdir()] == [DB_NAME]
    before = long_ago(folder)
    document = report_in_process(tmp_path)
    assert stamps(folder) == before  # no -wal, no -shm, the file's time as it was
    assert [q["question_id"] for q in document["questions"]] == ["example-too-small"]


def test_a_checkpoint_between_the_copies_of_the_store_and_its_log_makes_the_read_start_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session checkpoints (its answers into the file, then its log started over) after the file was
    copied, before the log was: the two copies do not make one moment, and are made again."""
    folder = learner_data_dir(tmp_path, "ana")
    store = Store(folder)
    copied: list[str] = []
    real = shutil.copyfile

    def copy(source: Path, target: Path) -> Path:
        copied.append(Path(source).name)
        if len(copied) == 2:  # the file is copied, not its log: the session checkpoints, and answers again
            store.conn.execute("PRAGMA wal_checkpoint(RESTART)")
            store.record("example-lesson", "example-lesson-4-4", "5.75", True)
        return real(source, target)

    try:
        store.record("example-lesson", "example-too-small", "2", False)
        store.record("example-lesson", "example-too-small", "0", True)
        monkeypatch.setattr(shutil, "copyfile", copy)
        snapshot = read_store(folder / DB_NAME)
    finally:
        store.close()
    assert copied == [DB_NAME, f"{DB_NAME}-wal"] * 2
    assert {key: (a.tries, a.right) for key, a in snapshot.answers.items()} == {
        ("example-lesson", "example-too-small"): (2, True),
        ("example-lesson", "example-lesson-4-4"): (1, True),
    }


BIG_ROWS = 1_000_000
"""Answers in the big store: 100 MB."""
BIG_QUESTIONS = ("example-too-small", "example-lesson-4-2", "example-lesson-4-3", "example-lesson-4-4")


def test_a_big_store_takes_the_report_little_memory(tmp_path: Path) -> None:
    """A store of a million answers (100 MB, every wrong one different) took the report 450 MB more than a
    store of one (an object per answer, and every store's at once); summed up per question as it is read,
    it takes what the small one takes (measured: 33 MB both), and keeps the first wrong answers given."""
    for data in (tmp_path / "small", tmp_path / "big"):
        store = Store(learner_data_dir(data, "ana"))
        store.visit("example-lesson", 1)  # the store is made at the first write
        store.close()
    big = learner_data_dir(tmp_path / "big", "ana")
    conn = sqlite3.connect(big / DB_NAME, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")  # written once, not through the log
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO attempts (lesson_id, question_id, answer, correct, hints, at, review) "
        "VALUES ('example-lesson', ?, ?, ?, ?, 0, ?)",
        ((BIG_QUESTIONS[n % 4], f"{n}.5", n % 3 == 0, n % 3, n % 5 == 0) for n in range(BIG_ROWS)),
    )
    conn.execute("COMMIT")
    conn.close()
    assert (big / DB_NAME).stat().st_size > 90_000_000

    small_done, done = (
        gdtutor("class", "report", "--data-dir", str(data), "--lessons", str(DATA), "--json", measure=True)
        for data in (tmp_path / "small", tmp_path / "big")
    )
    assert done.returncode == 0 and small_done.returncode == 0, done.stderr
    assert small_done.peak_kb is not None and done.peak_kb is not None
    assert done.peak_kb - small_done.peak_kb < 50 * 1024, (small_done.peak_kb, done.peak_kb)
    document = json.loads(done.stdout)
    assert [r["answered"] for r in document["learners"]] == [4]
    for q in document["questions"]:
        assert q["learners"] == 1 and len(q["wrong_answers"]) == progress.WRONG_KEPT
