"""``gdtutor lessons check|list|schema``: for authors and teachers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ...i18n import plural
from ..parsing import Argument, Command, Group, UsageError, common, given, option, words


@click.group("lessons", cls=Group, words="lessons", metavar="ACTION")
@common
@click.pass_context
def group(ctx: click.Context) -> int:
    if ctx.invoked_subcommand is None:  # what the actions are
        given(ctx).out.write(ctx.get_help() + "\n")
        raise SystemExit(0)
    return 0


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
    import json as json_module

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
        json_module.dump(rows, out, ensure_ascii=False)
        out.write("\n")
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
    import json

    from ...lessons.schema import json_schema

    out = given(ctx).out
    json.dump(json_schema(), out, indent=2, ensure_ascii=False)
    out.write("\n")
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
