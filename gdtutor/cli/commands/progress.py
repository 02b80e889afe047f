"""``gdtutor progress``: each lesson's state and score; ``--reset`` forgets, after asking."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from ..output import write_json
from ..parsing import Command, UsageError, common, given, option, words

if TYPE_CHECKING:
    from ...lessons.model import Lesson
    from ...progress import Store

ALL_LESSONS = "*all*"


@click.command("progress", cls=Command, words="progress")
@common
@option("--json", help="progress_json", is_flag=True)
@option("--reset", help="progress_reset", is_flag=False, flag_value=ALL_LESSONS, metavar="LESSON_ID")
@option("--yes", help="progress_yes", is_flag=True)
@click.pass_context
def command(ctx: click.Context, json: bool, reset: str | None, yes: bool) -> int:
    from ...lessons.load import load_catalog
    from ...lessons.text import pick, plain
    from ...plaintext import liner, widths_of
    from ...progress import Store, report

    out, lang = given(ctx).out, given(ctx).lang
    data_dir = given(ctx).data_folder()
    store = Store(data_dir)
    try:
        notice = store.notice_text(lang)
        if notice:
            print(f"gdtutor: {notice}", file=sys.stderr)
        catalog = load_catalog(given(ctx).lessons)
        for entry in catalog.broken:  # a folder that cannot be read: said once, the others go on
            if entry.problems and entry.problems[0].code == "cannot_read_folder":
                print(f"gdtutor: {entry.problems[0].located(lang)}", file=sys.stderr)
        lessons = catalog.lessons
        if reset is not None:
            return _reset(ctx, store, lessons, reset, yes)
        rows = report(store, lessons)
        if json:
            doc = {"data_dir": str(data_dir), "saving": store.saving, "lessons": rows}
            write_json(out, doc, ensure_ascii=False)
            return 0
        titles = {lesson.id: plain(pick(lesson.title, lang)) for lesson in lessons}
        out.write(words(ctx, "progress_where", path=store.path) + "\n")
        lines = []
        for row in rows:
            if row["completed"]:
                state = words(ctx, "progress_completed")
            elif row["started"]:
                state = words(ctx, "step_of", n=row["step"], total=row["steps"])
            else:
                state = words(ctx, "progress_not_started")
            score = ""
            if row["questions"]:
                score = words(ctx, "answered_of", answered=row["answered"], total=row["questions"], right=row["right"])
            lines.append((row["id"], state, score, titles[row["id"]]))
        # padded by terminal cells, not characters: a Chinese state or score takes two cells a character
        widths = widths_of([line[:3] for line in lines], least=(28, 16, 26))
        padded = liner(widths, separator=" ")  # the title last, as long as it is
        for line in lines:
            out.write(padded(line) + "\n")
        return 0
    finally:
        store.close()


def _reset(ctx: click.Context, store: Store, lessons: list[Lesson], reset: str, yes: bool) -> int:
    out = given(ctx).out
    lesson_id = None if reset == ALL_LESSONS else reset
    if lesson_id is not None and lesson_id not in {lesson.id for lesson in lessons} | set(store.lessons()):
        raise UsageError(f"gdtutor progress --reset: {words(ctx, 'cli_no_such_lesson', id=lesson_id)}")
    if lesson_id is None:
        question = words(ctx, "progress_ask_all", path=store.path)
    else:
        question = words(ctx, "progress_ask_one", id=lesson_id)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(f"gdtutor progress --reset: {words(ctx, 'progress_need_yes')}")
        out.write(question + " [y/N] ")
        out.flush()
        try:
            answer = input().strip().lower()
        except EOFError:
            answer = ""
        if answer not in ("y", "yes", "是", "好"):
            out.write(words(ctx, "progress_kept") + "\n")
            return 1
    if not store.reset(lesson_id):
        reason = store.trouble[1].get("reason", "") if store.trouble else ""
        failed = words(ctx, "progress_reset_failed", folder=store.data_dir, reason=reason)
        print(f"gdtutor: {failed}", file=sys.stderr)
        return 1
    out.write(words(ctx, "reset_done") + "\n")
    return 0
