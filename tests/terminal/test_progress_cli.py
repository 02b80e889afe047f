"""``gdtutor progress``: on a fresh folder, after a session in the app, and after a reset."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import pytest
from support import DATA, waiting
from support.children import child_env, gdtutor
from support.pilot import open_at, toast_texts
from support.terminal import Terminal
from textual.widgets import OptionList

from gdtutor.ui import make_app
from gdtutor.ui.widgets.quiz import QuestionCard

until = functools.partial(waiting.until, timeout=20.0)
"""Waits for the app up to 20 s: its runs are long."""


def progress(data: Path) -> dict[str, dict[str, object]]:
    done = gdtutor("progress", "--json", "--data-dir", str(data), "--lessons", str(DATA))
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["saving"] is True
    return {row["id"]: row for row in document["lessons"]}


async def a_session(data: Path) -> None:
    """Open the example lesson, answer its first question rightly, and go two steps on."""
    app = make_app(lang="en", data_dir=data, lesson_dirs=[DATA])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(app, pilot, "example-lesson", "quiz")
        await until(pilot, lambda: bool(screen.query("#q-1")))
        card = screen.query_one("#q-1", QuestionCard)
        await until(pilot, lambda: app.focused is card.query_one(OptionList) and app.focused.highlighted is not None)
        await pilot.press(*["down"] * card.answer.order.index(0), "enter")  # the first option in the file: right
        await until(pilot, lambda: card.state.right)


async def test_progress_json_fresh_after_a_session_and_after_reset(tmp_path: Path) -> None:
    data = tmp_path / "learner"
    fresh = progress(data)
    assert len(fresh) >= 9  # 8 built-in lessons and the example
    assert all(row["step"] == 0 and not row["completed"] and row["right"] == 0 for row in fresh.values())
    assert fresh["example-lesson"]["score"] == 0.0
    assert {"id", "completed", "step", "score"} <= set(fresh["learning-rate"])

    await a_session(data)
    after = progress(data)
    example = after["example-lesson"]
    assert example["started"] is True and example["completed"] is False
    assert example["step"] == 4  # the quiz is the 4th step, counted from 1 as the tutor shows it
    assert (example["right"], example["questions"], example["attempts"]) == (1, 6, 1)
    assert example["score"] == round(1 / 6, 4)
    assert after["learning-rate"]["step"] == 0

    done = gdtutor("progress", "--reset", "--yes", "--data-dir", str(data), "--lessons", str(DATA))
    assert done.returncode == 0 and "Progress reset." in done.stdout
    assert progress(data) == fresh


def test_progress_text_and_one_lesson_reset(tmp_path: Path) -> None:
    from gdtutor.progress import Store

    store = Store(tmp_path)
    store.visit("learning-rate", 2)
    store.visit("too-large", 1)
    store.record("too-large", "big-predict-50", "diverged", True)
    store.close()
    text = gdtutor("progress", "--data-dir", str(tmp_path)).stdout
    assert "learning-rate" in text and "step 3 of" in text
    assert "1/5 answered, 1 right" in text
    zh = gdtutor("progress", "--data-dir", str(tmp_path), "--lang", "zh").stdout
    assert "第 3 步" in zh and "学习进度保存在" in zh
    done = gdtutor("progress", "--reset", "too-large", "--yes", "--data-dir", str(tmp_path))
    assert done.returncode == 0
    rows = {
        r["id"]: r for r in json.loads(gdtutor("progress", "--json", "--data-dir", str(tmp_path)).stdout)["lessons"]
    }
    assert rows["too-large"]["step"] == 0 and rows["too-large"]["right"] == 0
    assert rows["learning-rate"]["step"] == 3  # the other lesson is kept


def test_reset_asks_first_and_refuses_without_a_terminal(tmp_path: Path) -> None:
    from gdtutor.progress import Store

    store = Store(tmp_path)
    store.visit("learning-rate", 2)
    store.close()
    no_tty = gdtutor("progress", "--reset", "--data-dir", str(tmp_path))
    assert no_tty.returncode == 2
    assert no_tty.stderr.strip() == "gdtutor progress --reset: not asking without a terminal; add --yes to reset"
    unknown = gdtutor("progress", "--reset", "no-such-lesson", "--yes", "--data-dir", str(tmp_path))
    assert unknown.returncode == 2 and "no lesson with the id 'no-such-lesson'" in unknown.stderr

    for answer, kept in [("n\n", True), ("\n", True), ("y\n", False)]:
        argv = [sys.executable, "-m", "gdtutor", "progress", "--reset", "--data-dir", str(tmp_path)]
        with Terminal(argv, child_env()) as term:
            term.wait_for("Reset ALL progress")  # on a terminal, the command asks
            term.type(answer)
            status = term.finish()
        assert status == (1 if kept else 0), term.screen.text
        store = Store(tmp_path)
        assert store.lesson("learning-rate").started is kept
        store.close()


async def test_a_store_that_stops_saving_mid_session_is_told_and_a_reset_says_it_was_not_saved(tmp_path: Path) -> None:
    """The store stops taking writes while the tutor runs (as on a full disk or a folder made read-only):
    the learner is told then, and a reset from the lesson list says it holds for this session only."""
    from gdtutor.ui.screens.lessons import LessonListScreen
    from gdtutor.ui.screens.reset import ResetScreen

    app = make_app(lang="en", data_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.store.visit("learning-rate", 2)
        assert app.store.saving and not toast_texts(app)
        app.store.conn.execute("PRAGMA query_only = ON")  # SQLite refuses every write from now on
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ResetScreen))
        await pilot.press("a")  # all progress
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen) and len(toast_texts(app)) == 2)
        shown = " ".join(toast_texts(app))
        assert f"Progress cannot be saved in {tmp_path}" in shown
        assert "Progress reset for this session only" in shown
        assert "Progress reset." not in shown
        assert app.store.lesson("learning-rate") is None or not app.store.lesson("learning-rate").started
    from gdtutor.progress import Store

    assert Store(tmp_path).lesson("learning-rate").step == 2  # what was saved is still there


def cells(text: str) -> int:
    """Terminal cells taken by ``text`` (Chinese characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_progress_in_chinese_lines_its_columns_up_by_display_width(tmp_path: Path) -> None:
    """A Chinese state (a step of a lesson, "未开始") or score takes two cells a character: every row's
    state, score and title start at the same column of the terminal."""
    from gdtutor.lessons.load import load_catalog
    from gdtutor.lessons.text import pick
    from gdtutor.progress import Store

    store = Store(tmp_path)
    store.visit("learning-rate", 2)
    store.visit("too-large", 1)
    store.record("too-large", "big-predict-50", "diverged", True)
    store.close()
    done = gdtutor("progress", "--data-dir", str(tmp_path), "--lang", "zh")
    assert done.returncode == 0, done.stderr
    titles = {lesson.id: pick(lesson.title, "zh") for lesson in load_catalog([], run_checks=False).lessons}
    rows = done.stdout.splitlines()[1:]
    assert len(rows) == len(titles) and "第 3 步，共 5 步" in done.stdout and "未开始" in done.stdout
    columns = set()
    for row in rows:
        lesson_id, state = row.split()[:2]
        columns.add(
            (
                cells(row[: row.index(state, len(lesson_id))]),
                cells(row[: row.index("已答")]),
                cells(row[: row.rindex(titles[lesson_id])]),
            )
        )
    assert len(columns) == 1, done.stdout


MARKDOWN_TEXTS = [
    ("`np.random.randint(1, 7, size=1)[0]`", "np.random.randint(1, 7, size=1)[0]"),
    ("课上为什么要在循环之前写 `last_x = x + 0.1`？", "课上为什么要在循环之前写 last_x = x + 0.1？"),
    ("This is **gradient descent**.", "This is gradient descent."),
    ("这就是**梯度下降**。", "这就是梯度下降。"),
    ("a function we *can* solve", "a function we can solve"),
    ("`` `x0` `` and `a **b**`", "`x0` and a **b**"),  # what is inside code is kept as it is
    ("f(x) = (x - 3.5)**2 - 4.5*x + 10, with one unknown.", "f(x) = (x - 3.5)**2 - 4.5*x + 10, with one unknown."),
    # as the tutor's markdown shows it, by the same parser: a formula outside code loses its ** (the lesson
    # checker refuses such a formula in a lesson)
    ("x**2 + y**2, 2 * x * 3, a ** b, last_x and max_iter", "x2 + y2, 2 * x * 3, a ** b, last_x and max_iter"),
]


@pytest.mark.parametrize(("markdown", "text"), MARKDOWN_TEXTS)
def test_lesson_markdown_as_plain_text(markdown: str, text: str) -> None:
    from gdtutor.lessons.text import plain

    assert plain(markdown) == text


def test_lesson_titles_in_markdown_are_printed_as_plain_text(tmp_path: Path) -> None:
    """``lessons list`` and ``progress`` print a title as the tutor shows it; ``lessons list --json``
    keeps the lesson's markdown."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    lesson = (DATA / "example-lesson.yaml").read_text(encoding="utf-8")
    lesson = lesson.replace("  en: An example lesson\n", "  en: The `x0` and **eta** of a run\n", 1)
    lesson = lesson.replace("  zh: 示例课程\n", "  zh: 运行的 `x0` 和**学习率**\n", 1)
    (folder / "markdown-title.yaml").write_text(lesson, encoding="utf-8")
    data = str(tmp_path / "data")
    for lang, title in (("en", "The x0 and eta of a run"), ("zh", "运行的 x0 和学习率")):
        for command in (["lessons", "list"], ["progress", "--data-dir", data]):
            done = gdtutor(*command, "--lessons", str(folder), "--lang", lang)
            assert done.returncode == 0, done.stderr
            assert title in done.stdout and "`" not in done.stdout and "**" not in done.stdout, done.stdout
    listed = gdtutor("lessons", "list", "--json", "--lessons", str(folder)).stdout
    assert {row["title"] for row in json.loads(listed)} >= {"The `x0` and **eta** of a run"}
