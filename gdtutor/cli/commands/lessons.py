"""``gdtutor lessons check|list|schema``: for authors and teachers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ...i18n import plural
from ..output import write_json
from ..parsing import Argument, Command, UsageError, common, given, option, subgroup, words

group = subgroup("lessons", about="lessons", metavar="ACTION")  # without an action: its help


@group.command("check", cls=Command, words="lessons_check", strict=True)
@click.argument(
    "paths", cls=Argument, words="lessons_check_paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]..."
)
@common
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...]) -> int:
    from ...lessons import builtin_lessons_dir
    from ...lessons.load import lesson_files, load_lesson
    from ...lessons.problem import FileProblem

    out, lang = given(ctx).out, given(ctx).lang
    for path in paths:
        try:
            path.stat()
        except FileNotFoundError:
            raise UsageError(f"gdtutor lessons check: {path}: {words(ctx, 'cli_no_such_path')}") from None
        except OSError as exc:  # a link that loops, a folder without permission: said as it is
            raise UsageError(f"gdtutor lessons check: {path}: {exc.strerror or exc}") from None
    folders: list[FileProblem] = []
    files = lesson_files(list(paths) or [builtin_lessons_dir()], folders)
    out.writelines(f"{problem.located(lang)}\n" for problem in folders)
    if not files and not folders:
        raise UsageError(f"gdtutor lessons check: {words(ctx, 'cli_no_lesson_files')}")
    bad = len(folders)
    for path in files:
        loaded = load_lesson(path)
        if loaded.ok and loaded.lesson is not None:
            good = loaded.lesson
            out.write(
                f"{path}: {words(ctx, 'cli_lesson_ok', counts=counts(lang, len(good.steps), len(good.questions)))}\n"
            )
        else:
            bad += 1
            out.writelines(f"{problem.located(lang)}\n" for problem in loaded.problems)
    out.write(words(ctx, "cli_check_summary", files=len(files) + len(folders), bad=bad) + "\n")
    return 1 if bad else 0


@group.command("list", cls=Command, words="lessons_list")
@common
@option("--json", help="lessons_list_json", is_flag=True)
@click.pass_context
def listing(ctx: click.Context, json: bool) -> int:
    from ...lessons.load import load_catalog
    from ...lessons.text import pick, plain

    out, lang = given(ctx).out, given(ctx).lang
    catalog = load_catalog(given(ctx).lessons)
    rows: list[dict[str, Any]] = []
    for entry in catalog.entries:
        lesson = entry.lesson
        if lesson is None:
            rows.append(
                {
                    "id": entry.path.stem,
                    "path": str(entry.path),
                    "broken": True,
                    "error": entry.problems[0].located(lang),
                }
            )
            continue
        rows.append(
            {
                "id": lesson.id,
                "title": pick(lesson.title, lang),
                "summary": pick(lesson.summary, lang),
                "languages": lesson.languages,
                "steps": len(lesson.steps),
                "quizzes": len(lesson.questions),
                "engine_checked": sum(q.checked_by_engine for q in lesson.questions),
                "path": str(entry.path),
                "broken": False,
            }
        )
    if json:
        write_json(out, rows, ensure_ascii=False)
        return 0
    for row in rows:
        if row["broken"]:
            out.write(f"  !  {row['id']}: {words(ctx, 'broken')}: {row['error']}\n")
        else:
            title = plain(row["title"])  # the JSON keeps the lesson's markdown
            summary = f"{', '.join(row['languages'])}; {counts(lang, row['steps'], row['quizzes'])}"
            out.write(f"{row['id']:<28} {title}  [{summary}]\n")
    return 0


@group.command("schema", cls=Command, words="lessons_schema")
@common
@click.pass_context
def schema(ctx: click.Context) -> int:
    from ...lessons.schema import json_schema

    out = given(ctx).out
    write_json(out, json_schema(), indent=2, ensure_ascii=False)
    return 0


def counts(lang: str, steps: int, questions: int) -> str:
    """'3 steps, 1 question'."""
    from ...i18n import t

    return t(
        "cli_counts",
        lang,
        steps=plural("count_steps", lang, steps, n=steps),
        questions=plural("count_questions", lang, questions, n=questions),
    )
