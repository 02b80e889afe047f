"""``gdtutor class report``: a teacher's view of a class, from its learners' stores.

Each learner's store (``<data dir>/learners/<login>/progress.db``) is read without writing anything
(:func:`gdtutor.progress.read_store`), so the report runs while ``gdtutor serve`` does. A store that
cannot be read (damaged, another program's, no permission) is named in one line and skipped; the
report goes on with the others and the exit status stays 0.

What is counted:

- Answers given in the lessons. Review answers are practice and left out, as ``gdtutor progress``
  leaves them out of the score.
- Per learner: the lessons started (every lesson in the store, known or not) and completed (as the
  tutor says it: the end reached with every question answered), and the score over the questions of
  the lessons: answered (rightly, or with the tries used up and the answer shown), right, right on the
  first try, of how many questions the lessons have.
- Per question that a learner answered or took a hint on: the learners who answered it, how many of
  them were right on their first answer (and the share), how many were right at last, the hints shown
  (each learner's most, summed) and the learners who saw any, and the wrong answers as the learner read
  them (an option's text, not its place in the lesson file; an outcome's name; a number as stored),
  each counted once per learner who gave it, the most common first (of each learner's answers to a
  question, the first :data:`~gdtutor.progress.WRONG_KEPT` different ones: all but in a store made to be
  big).
- The order: the lowest share right on the first answer first, then the lowest share right at last,
  then the lessons' order (questions not in the lessons after theirs). Questions only hinted at, not
  answered, come last. Questions nobody answered are left out, and counted in one line.
- The lessons are read as the tutor reads them: their format checked, their runs not (the tutor does
  not run them either), so a learner's lesson is the one they saw. Answers to questions that are not in
  them (an old lesson) are counted all the same, under their ids, with "(not in the lessons)" as text.

The report's memory is bounded by the class, not by what the stores hold: each store is summed up per
question as it is read (:class:`~gdtutor.progress.Snapshot`), and counted into the report before the
next one is read.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .engine.params import OUTCOMES
from .i18n import status_name, t
from .lessons.load import load_catalog
from .lessons.model import Lesson
from .lessons.questions import ChoiceQuestion, PredictQuestion, QuestionKind, picked_options
from .lessons.templates import read_instance
from .lessons.text import pick, plain
from .plaintext import cut, table
from .progress import (
    DB_NAME,
    LEARNERS_FOLDER,
    Answers,
    ForeignStore,
    LessonState,
    Snapshot,
    read_store,
    summed_progress,
)

WIDTH = 80
"""Columns the text report fits in (but for a line naming a long path, or a skipped store's reason)."""
WRONG_SHOWN = 3
"""Wrong answers shown per question in the text and the CSV (the JSON has them all: each learner's first
:data:`~gdtutor.progress.WRONG_KEPT` different ones to a question)."""
LOGIN_CELLS = 24
"""Most cells a login takes in the learners' table (a longer one is cut)."""

Place = tuple[int, int, str, str]
"""Where a question is in the lessons: (lesson, question, "", ""), or (lessons, 0, lesson id, question id)
for one that is not in them."""


@dataclass
class LearnerRow:
    """One learner's figures."""

    login: str
    started: int = 0
    completed: int = 0
    answered: int = 0
    right: int = 0
    first_try: int = 0
    questions: int = 0
    """Of how many: the questions of the lessons."""


@dataclass
class Skipped:
    """A store that could not be read: whose, why (``class_<reason>`` in the catalogue) and the detail."""

    login: str
    reason: str
    detail: str

    def line(self, lang: str) -> str:
        why = t(f"class_{self.reason}", lang, detail=self.detail)
        return one_line(t("class_skipped", lang, login=self.login, why=why))


@dataclass
class QuestionRow:
    """One question's figures, over the learners who answered it."""

    lesson_id: str
    question_id: str
    prompt: str
    """Its prompt in the report's language, on one line."""
    in_lessons: bool
    place: Place
    learners: int = 0
    first_try: int = 0
    right: int = 0
    hints: int = 0
    hinted: int = 0
    wrong: Counter[str] = field(default_factory=Counter)
    """Wrong answers as the learner read them -> learners who gave them."""

    @property
    def first_try_share(self) -> float | None:
        return self.first_try / self.learners if self.learners else None

    def hardness(self) -> tuple[float, float, Place]:
        """The sort key: hardest first (see the module's docstring)."""
        if not self.learners:
            return 2.0, 2.0, self.place
        return self.first_try / self.learners, self.right / self.learners, self.place

    def wrong_answers(self) -> list[tuple[str, int]]:
        """The wrong answers, the most common first."""
        return sorted(self.wrong.items(), key=lambda item: (-item[1], item[0]))


@dataclass
class ClassReport:
    data_dir: Path
    lessons: list[Lesson]
    learners: list[LearnerRow]
    questions: list[QuestionRow]
    """Hardest first."""
    skipped: list[Skipped]

    @property
    def question_count(self) -> int:
        return sum(len(lesson.questions) for lesson in self.lessons)

    @property
    def unanswered(self) -> int:
        """Questions of the lessons that no learner answered."""
        answered = {(q.lesson_id, q.question_id) for q in self.questions if q.learners and q.in_lessons}
        return self.question_count - len(answered)

    def to_json(self) -> dict[str, Any]:
        return {
            "data_dir": str(self.data_dir),
            "lessons": len(self.lessons),
            "questions_in_lessons": self.question_count,
            "learners": [
                {
                    "login": r.login,
                    "lessons_started": r.started,
                    "lessons_completed": r.completed,
                    "answered": r.answered,
                    "right": r.right,
                    "first_try": r.first_try,
                    "questions": r.questions,
                }
                for r in self.learners
            ],
            "questions": [
                {
                    "lesson_id": q.lesson_id,
                    "question_id": q.question_id,
                    "prompt": q.prompt,
                    "in_lessons": q.in_lessons,
                    "learners": q.learners,
                    "first_try": q.first_try,
                    "first_try_share": None if q.first_try_share is None else round(q.first_try_share, 4),
                    "right": q.right,
                    "hints": q.hints,
                    "hinted": q.hinted,
                    "wrong_answers": [{"answer": a, "learners": n} for a, n in q.wrong_answers()],
                }
                for q in self.questions
            ],
            "unanswered": self.unanswered,
            "skipped": [{"login": s.login, "reason": s.reason, "detail": s.detail} for s in self.skipped],
        }


# --- reading the class -------------------------------------------------------------------------------------


def learner_folders(data_dir: Path) -> list[tuple[str, Path]]:
    """(login, folder) of each learner of the class, by login; none without a learners folder.

    Raises ``OSError`` when the learners folder cannot be listed (not a folder, no permission)."""
    root = data_dir / LEARNERS_FOLDER
    if not root.exists():
        return []
    # a link is listed too, to be skipped with a line (read_learner): it may lead out of the class
    return sorted((p.name, p) for p in root.iterdir() if not p.name.startswith(".") and (p.is_symlink() or p.is_dir()))


def read_learner(login: str, folder: Path) -> Snapshot | Skipped:
    """What a learner's store holds (nothing yet without a store), or why it is skipped."""
    path = folder / DB_NAME
    for link in (folder, path):  # another class's store, a folder outside the class: not followed
        if link.is_symlink():
            return Skipped(login, "link", link.name)
    if not path.exists():
        return Snapshot({}, {}, {})
    if not path.is_file():  # a folder, a pipe: nothing SQLite should open
        return Skipped(login, "not_a_file", DB_NAME)
    try:
        return read_store(path)
    except ForeignStore as exc:
        return Skipped(login, "foreign", str(exc))
    except sqlite3.OperationalError as exc:  # no permission, locked
        return Skipped(login, "unreadable", str(exc))
    except (sqlite3.DatabaseError, ValueError, TypeError) as exc:  # not SQLite, or values of the wrong kind
        return Skipped(login, "damaged", str(exc))
    except OSError as exc:
        return Skipped(login, "unreadable", exc.strerror or str(exc))


def read_class(data_dir: Path, folders: list[tuple[str, Path]], lessons: list[Lesson], lang: str) -> ClassReport:
    """The report on the learners in ``folders``, its texts in ``lang``."""
    learners: list[LearnerRow] = []
    skipped: list[Skipped] = []

    def snapshots() -> Iterator[Snapshot]:
        """Each learner's snapshot in turn, their row made: one is held at a time, not the class's."""
        for login, folder in folders:
            read = read_learner(login, folder)
            if isinstance(read, Skipped):
                skipped.append(read)
            else:
                learners.append(learner_row(login, read, lessons))
                yield read

    questions = sorted(question_rows(snapshots(), lessons, lang).values(), key=QuestionRow.hardness)
    return ClassReport(data_dir, lessons, learners, questions, skipped)


def learner_row(login: str, snapshot: Snapshot, lessons: list[Lesson]) -> LearnerRow:
    row = LearnerRow(login, started=len(snapshot.lessons))
    by_lesson: dict[str, dict[str, Answers]] = {}
    for (lesson_id, question_id), answers in snapshot.answers.items():
        by_lesson.setdefault(lesson_id, {})[question_id] = answers
    for lesson in lessons:
        state = snapshot.lessons.get(lesson.id, LessonState(lesson.id))
        where = summed_progress(lesson, state, by_lesson.get(lesson.id, {}))
        row.completed += where.completed
        row.answered += where.answered
        row.right += where.right
        row.first_try += where.first_try
        row.questions += where.total
    known = {lesson.id for lesson in lessons}
    row.completed += sum(state.completed for lesson_id, state in snapshot.lessons.items() if lesson_id not in known)
    return row


def question_rows(
    snapshots: Iterable[Snapshot], lessons: list[Lesson], lang: str
) -> dict[tuple[str, str], QuestionRow]:
    """(lesson, question) -> its row, for each question a learner answered or saw a hint of (the snapshots
    counted one at a time, as they come)."""
    known: dict[tuple[str, str], tuple[QuestionKind, Place]] = {
        (lesson.id, q.question_id): (q, (i, j, "", ""))
        for i, lesson in enumerate(lessons)
        for j, q in enumerate(lesson.questions)
    }
    rows: dict[tuple[str, str], QuestionRow] = {}

    def row(key: tuple[str, str]) -> QuestionRow:
        if key not in rows:
            question, place = known.get(key, (None, (len(lessons), 0, *key)))
            prompt = one_line(pick(question.prompt, lang)) if question else t("class_not_in_lessons", lang)
            rows[key] = QuestionRow(*key, prompt=prompt, in_lessons=question is not None, place=place)
        return rows[key]

    for snapshot in snapshots:
        seen = dict(snapshot.hints)
        for key, given in snapshot.answers.items():
            r = row(key)
            r.learners += 1
            r.first_try += given.first_right
            r.right += given.right
            question = known.get(key, (None, None))[0]
            r.wrong.update({shown_answer(question, answer, lang, instance) for answer, instance in given.wrong})
            seen[key] = max(seen.get(key, 0), given.hints)
        for key, hints in seen.items():
            if hints > 0:
                r = row(key)
                r.hints += hints
                r.hinted += 1
    return rows


def shown_answer(question: QuestionKind | None, answer: str, lang: str, instance: str | None = None) -> str:
    """A stored answer as the learner read it: a choice's options by their text (joined by ' + '), a
    predicted outcome by its name; a number, a goal's values and an answer to an unknown question as
    stored. A number answering a template is grouped by what it shows (its numbers differ from one
    instance to the next): the mistake the question declares, a miscount, or how far off it was."""
    if question is not None and instance:
        off = question.how_far_off(answer, read_instance(instance))
        if off is not None:
            code, fields = off
            if "why" in fields:
                fields = fields | {"why": cut(one_line(pick(fields["why"], lang)), 50)}
            return t(f"class_off_{code}", lang, **fields)
    if isinstance(question, ChoiceQuestion):  # and MultipleQuestion
        keys = [key for key in answer.split(",") if key]
        picked = picked_options(answer, len(question.options))
        if picked and len(picked) == len(keys):
            return " + ".join(one_line(pick(question.options[i].text, lang)) for i in picked)
    elif isinstance(question, PredictQuestion) and answer in OUTCOMES:
        return status_name(answer, lang)
    return one_line(answer)


# --- text -----------------------------------------------------------------------------------------------------


def one_line(text: str) -> str:
    """``text`` on one line, its control characters (an escape sequence in a store made by hand) made spaces."""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())


def text_report(report: ClassReport, lang: str) -> list[str]:
    """The report as lines of text, within WIDTH columns."""
    lines = [
        t("class_where", lang, path=report.data_dir / LEARNERS_FOLDER),
        t(
            "class_counts",
            lang,
            learners=len(report.learners),
            skipped=len(report.skipped),
            lessons=len(report.lessons),
            questions=report.question_count,
        ),
        *(s.line(lang) for s in report.skipped),  # whole: the reason matters more than the width
    ]
    if report.learners:
        rows = [
            [
                cut(one_line(r.login), LOGIN_CELLS),
                str(r.started),
                str(r.completed),
                f"{r.answered}/{r.questions}",
                str(r.right),
                str(r.first_try),
            ]
            for r in report.learners
        ]
        lines += ["", t("class_learners", lang)]
        lines += table(t("class_learner_columns", lang).split("|"), rows, "lrrrrr")
    lines.append("")
    if not report.questions:
        lines.append(t("class_no_answers", lang))
        return lines
    lines += [t("class_questions", lang), t("class_legend", lang)]
    rows = [
        [
            str(q.learners),
            "-" if q.first_try_share is None else f"{round(100 * q.first_try_share)}%",
            str(q.right),
            str(q.hints),
            str(q.hinted),
            q.question_id,
        ]
        for q in report.questions
    ]
    head, rule, *body = table(t("class_question_columns", lang).split("|"), rows, "rrrrrl")
    lines += [head, rule]
    for q, line in zip(report.questions, body, strict=True):
        lines.append(line)
        # the lessons' markdown as the tutor shows it (the JSON and the CSV keep it as written)
        lines.append("    " + cut(f"{q.lesson_id}: {plain(q.prompt)}", WIDTH - 4))
        wrong = [t("class_wrong_answer", lang, answer=plain(a), n=n) for a, n in q.wrong_answers()[:WRONG_SHOWN]]
        if wrong:
            said = t("class_wrong", lang, answers=t("class_separator", lang).join(wrong))
            lines.append("    " + cut(said, WIDTH - 4))
    if report.unanswered:
        lines += ["", t("class_unanswered", lang, n=report.unanswered)]
    return lines


def write_csv(report: ClassReport, out: IO[str]) -> None:
    """The questions, hardest first, with a header row; the most common wrong answers in one column."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "lesson_id",
            "question_id",
            "prompt",
            "in_lessons",
            "learners",
            "first_try",
            "first_try_share",
            "right",
            "hints",
            "hinted",
            "wrong_answers",
        ]
    )
    for q in report.questions:
        share = "" if q.first_try_share is None else f"{q.first_try_share:.4f}"
        wrong = "; ".join(f"{a} ({n})" for a, n in q.wrong_answers()[:WRONG_SHOWN])
        writer.writerow(
            [
                q.lesson_id,
                q.question_id,
                q.prompt,
                int(q.in_lessons),
                q.learners,
                q.first_try,
                share,
                q.right,
                q.hints,
                q.hinted,
                wrong,
            ]
        )


# --- the command ------------------------------------------------------------------------------------------


def _say(line: str) -> None:
    print(f"gdtutor class report: {line}", file=sys.stderr)


def print_report(data_dir: Path, lessons: list[Path], form: str, lang: str, out: IO[str]) -> int:
    """Print the report on the class whose data folder is ``data_dir``, as ``form`` (``text``,
    ``json`` or ``csv``); the exit status."""
    if data_dir.exists() and not data_dir.is_dir():
        _say(f"{data_dir}: {t('cli_not_a_folder', lang)}")
        return 2
    try:
        folders = learner_folders(data_dir)
    except NotADirectoryError:
        _say(f"{data_dir / LEARNERS_FOLDER}: {t('cli_not_a_folder', lang)}")
        return 2
    except OSError as exc:
        _say(f"{data_dir / LEARNERS_FOLDER}: {exc.strerror or exc}")
        return 1
    empty = t("class_empty", lang, path=data_dir)
    if not folders and form == "text":
        out.write(empty + "\n")
        return 0
    catalog = load_catalog(lessons, run_checks=False)
    for entry in catalog.broken:  # a folder that cannot be read: said once, the others go on
        if entry.problems and entry.problems[0].code == "cannot_read_folder":
            print(f"gdtutor: {entry.problems[0].located(lang)}", file=sys.stderr)
    report = read_class(data_dir, folders, catalog.lessons, lang)
    if form == "json":
        json.dump(report.to_json(), out, ensure_ascii=False)
        out.write("\n")
    elif form == "csv":
        write_csv(report, out)
        for skipped in report.skipped:
            _say(skipped.line(lang))
    else:
        out.write("\n".join(text_report(report, lang)) + "\n")
    if not folders:
        _say(empty)
    return 0
