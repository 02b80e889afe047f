"""Lesson files: the reader, the checker's path:line reports, the catalogue and the built-in curriculum."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from support import DATA

from gdtutor.cli import main
from gdtutor.lessons import builtin_lesson_files
from gdtutor.lessons.load import load_catalog, load_lesson
from gdtutor.lessons.model import LabStep
from gdtutor.lessons.questions import NumericQuestion
from gdtutor.lessons.schema import json_schema

BROKEN = DATA / "broken"


def problems(name: str) -> list[str]:
    loaded = load_lesson(BROKEN / name, label=name)
    assert loaded.lesson is None
    return [str(p) for p in loaded.problems]


# Each broken fixture, with every problem the checker must report, exactly where it is.
EXPECTED = {
    "syntax.yaml": ["syntax.yaml:6: YAML syntax error: while parsing a flow sequence expected ',' or ']'"],
    "tabs.yaml": ["tabs.yaml:3: YAML syntax error: a tab character: indent with spaces, not tabs"],
    "duplicate.yaml": [
        "duplicate.yaml:8: duplicate key 'eta' (first at line 6)",
        "duplicate.yaml:9: duplicate key 'title' (first at line 2)",
    ],
    "misspelt.yaml": [
        "misspelt.yaml:1: the lesson is missing 'title'",
        "misspelt.yaml:2: unknown key 'titel' in the lesson; did you mean 'title'?",
        "misspelt.yaml:8: unknown key 'presicion' in 'steps' item 1 (lab); did you mean 'precision'?",
        "misspelt.yaml:9: 'steps' item 2: unknown kind 'quizz', expected one of text, lab, code, quiz, regression; "
        "did you mean 'quiz'?",
        "misspelt.yaml:12: 'text': unknown language 'zn'",
        "misspelt.yaml:12: 'text': the zh text is missing",
    ],
    "wrong-types.yaml": [
        "wrong-types.yaml:6: 'eta' must be a number, not the text 'fast'",
        "wrong-types.yaml:8: 'max_iter' must be a whole number, not 1.5",
        "wrong-types.yaml:9: 'editable' must be a list, not the text 'eta'",
        "wrong-types.yaml:16: 'correct' must be true or false, not the text 'yes please'",
    ],
    "negative-eta.yaml": [
        "negative-eta.yaml:6: 'eta' must be greater than 0, not -0.1",
        "negative-eta.yaml:8: 'precision' must be greater than 0, not 0",
        "negative-eta.yaml:13: 'eta' must be greater than 0, not -1",
    ],
    "unreachable-goal.yaml": [
        "unreachable-goal.yaml:7: the goal cannot be met by changing eta in [0.001, 0.1] "
        "(checked by running the engine)",
        "unreachable-goal.yaml:16: the goal is already met with the lesson's own values; "
        "the learner has nothing to find",
        "unreachable-goal.yaml:24: predicting the number of updates needs a run that stops by itself; "
        "this one is oscillating",
    ],
    "empty.yaml": ["empty.yaml: the file is empty"],
    "comments-only.yaml": ["comments-only.yaml: the file is empty"],
    "binary.yaml": ["binary.yaml: not a text file (it contains NUL bytes)"],
    "list.yaml": ["list.yaml:1: a lesson must be a mapping (id:, title:, steps:), not a list"],
    "bad-expression.yaml": [
        "bad-expression.yaml:6: 'function' \"__import__('os').system('ls')\" is not a valid expression: column 12: "
        'unexpected character "\'": text in quotes is not allowed',
        "bad-expression.yaml:10: 'function' 'x^2 +' is not a valid expression: column 6: expression ends too early",
    ],
    "choices.yaml": [
        "choices.yaml:7: a choice question needs exactly one correct option, this one has 2",
        "choices.yaml:10: 'why': the en text must be text, not a true/false value (true; put text in quotes)",
        "choices.yaml:11: 'why': the en text must be text, not a true/false value (true; put text in quotes)",
        "choices.yaml:12: a multiple-choice question needs at least one correct option",
        "choices.yaml:15: 'why': the en text must be text, not a true/false value (false; put text in quotes)",
        "choices.yaml:16: 'options' item 2 is missing 'why' (why this option is right or wrong)",
        "choices.yaml:17: a numeric question needs one of 'answer', 'answer_from' (computed by the engine) and "
        "'formula' (of the numbers it draws), not more",
    ],
    "missing-language.yaml": [
        "missing-language.yaml:2: 'title': the zh text is missing",
        "missing-language.yaml:3: 'summary': the zh text is empty",
        "missing-language.yaml:5: a code step shows the loop with a lab's values, so it needs a lab step before it",
        "missing-language.yaml:7: 'text' must give the text in each language: en, zh",
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_fixture_reports_every_problem_at_its_line(name: str) -> None:
    found = problems(name)
    assert len(found) == len(EXPECTED[name]), found
    for got, want in zip(found, EXPECTED[name], strict=True):
        assert got.startswith(want), (got, want)


def test_every_fixture_is_covered() -> None:
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted([*EXPECTED, "alias-bomb.yaml"])


def test_alias_bomb_is_refused_and_not_expanded() -> None:
    # expanded, the bomb would be 9**9 values: refused before any expansion (no time is asserted: an
    # expansion would not end, and the refusal names the aliases)
    found = problems("alias-bomb.yaml")
    assert (
        "alias-bomb.yaml:2: aliases (*name) are not allowed in lessons; write the value out (72 in this file)" in found
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("id: &name one\ntitle: *name\n", 2),  # a scalar
        ("id: one\nlanguages: &langs [en]\ntitle: x\nmore:\n  - *langs\n", 5),  # a list
        ("id: one\n\nmeta: &m {a: 1}\nother:\n  copy: *m\n", 5),  # a mapping
    ],
    ids=["scalar", "list", "mapping"],
)
def test_an_alias_of_any_value_is_reported_on_its_own_line(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "alias.yaml"
    path.write_text(text, encoding="utf-8")
    found = [str(p) for p in load_lesson(path, label="alias.yaml").problems]
    assert f"alias.yaml:{line}: aliases (*name) are not allowed in lessons; write the value out" in found


def test_an_anchor_without_an_alias_is_no_alias(tmp_path: Path) -> None:
    path = tmp_path / "anchor.yaml"
    path.write_text("id: &name one\n", encoding="utf-8")
    assert not any("alias" in str(p) for p in load_lesson(path, label="anchor.yaml").problems)


@pytest.mark.parametrize("text", ["id: [\n", "id: [", "id: {a: 1", "title:\n  - [x"])
def test_a_file_that_ends_inside_brackets_is_a_syntax_error_not_a_crash(tmp_path: Path, text: str) -> None:
    path = tmp_path / "cut.yaml"
    path.write_text(text, encoding="utf-8")
    found = [str(p) for p in load_lesson(path, label="cut.yaml").problems]
    assert len(found) == 1 and found[0].startswith("cut.yaml:") and "YAML syntax error" in found[0]


def test_object_building_tags_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "tags.yaml"
    path.write_text("id: !!python/object/apply:os.system ['touch PWNED']\ntitle: !!binary aGk=\n", encoding="utf-8")
    found = [str(p) for p in load_lesson(path, label="tags.yaml").problems]
    assert found[0].startswith("tags.yaml:1: the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed")
    assert any(p.startswith("tags.yaml:2: the tag tag:yaml.org,2002:binary is not allowed") for p in found)
    assert not (tmp_path / "PWNED").exists()


def test_huge_and_non_utf8_files(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_text("id: x\n" + "# padding\n" * 200_000, encoding="utf-8")
    assert str(load_lesson(huge, label="huge.yaml").problems[0]).startswith("huge.yaml: file is larger than")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("id: x\ntitle: caf\xe9\n".encode("latin-1"))
    assert (
        str(load_lesson(latin, label="latin.yaml").problems[0])
        == "latin.yaml:2: not UTF-8 text; save the file as UTF-8"
    )


def test_example_lesson_is_valid_and_built() -> None:
    loaded = load_lesson(DATA / "example-lesson.yaml")
    assert loaded.ok, [str(p) for p in loaded.problems]
    lesson = loaded.lesson
    assert lesson is not None
    assert [s.kind for s in lesson.steps] == ["text", "lab", "code", "quiz", "regression"]
    assert [q.kind for q in lesson.questions] == ["choice", "multiple", "numeric", "numeric", "predict", "goal"]
    numeric = lesson.questions[2]
    assert isinstance(numeric, NumericQuestion)
    assert numeric.checked_by_engine and numeric.value() == 43  # computed by running the engine
    lab = lesson.steps[1]
    assert isinstance(lab, LabStep) and lab.compare == (0.01, 0.5) and lab.limits.range("eta") == (0.001, 2.0)


def test_schema_is_valid_json_schema_and_accepts_every_good_lesson() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in [DATA / "example-lesson.yaml", *builtin_lesson_files()]:
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load((BROKEN / "misspelt.yaml").read_text(encoding="utf-8")), schema)


# --- the catalogue and the command line ----------------------------------------------------------------


def test_one_broken_lesson_never_stops_the_others(tmp_path: Path) -> None:
    shutil.copy(DATA / "example-lesson.yaml", tmp_path / "a-good.yaml")
    shutil.copy(BROKEN / "misspelt.yaml", tmp_path / "b-broken.yaml")
    catalog = load_catalog([tmp_path])
    assert catalog.get("example-lesson") is not None
    broken = [e for e in catalog.broken if e.path.parent == tmp_path]
    assert [e.path.name for e in broken] == ["b-broken.yaml"]
    assert str(broken[0].problems[0]).endswith("b-broken.yaml:1: the lesson is missing 'title'")


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    shutil.copy(DATA / "example-lesson.yaml", tmp_path / "one.yaml")
    shutil.copy(DATA / "example-lesson.yaml", tmp_path / "two.yaml")
    catalog = load_catalog([tmp_path])
    assert [e.path.name for e in catalog.broken if e.path.parent == tmp_path] == ["two.yaml"]
    assert "already used by" in str(catalog.broken[-1].problems[0])


def test_cli_check_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lessons", "check", str(DATA / "example-lesson.yaml")]) == 0
    assert "ok (5 steps, 6 questions)" in capsys.readouterr().out
    assert main(["lessons", "check", str(BROKEN / "duplicate.yaml"), str(DATA / "example-lesson.yaml")]) == 1
    out = capsys.readouterr().out
    assert "duplicate.yaml:8: duplicate key 'eta' (first at line 6)" in out
    assert "2 lesson files, 1 with problems" in out
    assert main(["lessons", "check", str(DATA / "no-such-folder")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_cli_list_json_with_teacher_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    shutil.copy(DATA / "example-lesson.yaml", tmp_path / "example.yaml")
    shutil.copy(BROKEN / "tabs.yaml", tmp_path / "tabs.yaml")
    assert main(["lessons", "list", "--json", "--lang", "zh", "--lessons", str(tmp_path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    example = next(r for r in rows if r["id"] == "example-lesson")
    assert example["title"] == "示例课程"
    assert example["languages"] == ["en", "zh"]
    assert (example["steps"], example["quizzes"]) == (5, 6)
    tabs = next(r for r in rows if r["id"] == "tabs")
    assert tabs["broken"] and "tabs.yaml:3:" in tabs["error"]


def test_cli_schema_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lessons", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$defs"]["lab"]["properties"]["eta"]["exclusiveMinimum"] == 0


# --- the built-in curriculum -----------------------------------------------------------------------


def test_builtin_lessons_all_pass_the_checker(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lessons", "check"]) == 0, capsys.readouterr().out


def test_builtin_curriculum_size(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lessons", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert not any(r["broken"] for r in rows)
    assert len(rows) >= 8
    assert all(r["languages"] == ["en", "zh"] for r in rows)
    assert sum(r["quizzes"] for r in rows) >= 12
    assert sum(r["engine_checked"] for r in rows) >= 4
    catalog = load_catalog()
    kinds = {q.kind for lesson in catalog.lessons for q in lesson.questions}
    assert kinds == {"choice", "multiple", "numeric", "predict", "goal", "loop"}
    assert any(s.kind == "regression" for lesson in catalog.lessons for s in lesson.steps)


def test_a_lab_whose_own_values_its_ranges_refuse_is_refused(tmp_path: Path) -> None:
    """The checker holds a lesson's own lab to the rule its lab holds the learner to (one function):
    a compared rate outside eta's range would be refused on the learner's first run."""
    path = tmp_path / "cmp.yaml"
    path.write_text(
        "id: cmp\ntitle: {en: C, zh: C}\nsummary: {en: C, zh: C}\nsteps:\n  - kind: lab\n    eta: 0.1\n"
        "    x0: 0\n    compare: [0.5, 5]\n    editable: [eta]\n    limits: {eta: [0.001, 1]}\n",
        encoding="utf-8",
    )
    assert [str(p) for p in load_lesson(path, label="cmp.yaml").problems] == [
        "cmp.yaml:5: compare = 5 is outside its limits [0.001, 1]"
    ]


HEADER_WIDTH = 78
"""The lesson header is one line of an 80-column terminal, inside the screen's padding."""


def _headers(lang: str) -> list[tuple[str, int]]:
    """The lesson header of every step of every built-in lesson, as the lesson screen writes it
    (lesson title, "step n of m", step title), with its width in terminal cells."""
    from rich.cells import cell_len

    from gdtutor.i18n import t
    from gdtutor.lessons.text import pick

    headers = []
    for lesson in load_catalog().lessons:
        title = pick(lesson.title, lang)
        for n, step in enumerate(lesson.steps, 1):
            where = t("step_of", lang, n=n, total=len(lesson.steps))
            heading = pick(step.title, lang)
            header = f"{title}  ·  {where}" + (f"  ·  {heading}" if heading else "")
            headers.append((header, cell_len(header)))
        end = f"{title}  ·  {t('lesson_end_title', lang)}"
        headers.append((end, cell_len(end)))
    return headers


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_lesson_header_fits_one_line(lang: str) -> None:
    """A step title that pushes the header past 78 cells wraps it onto a second line."""
    headers = _headers(lang)
    assert len(headers) > 50 and any("\u4e00" <= c <= "\u9fff" for c in headers[0][0]) == (lang == "zh")
    too_wide = [(width, header) for header, width in headers if width > HEADER_WIDTH]
    assert not too_wide, too_wide


def test_a_huge_value_is_quoted_on_one_line(tmp_path: Path) -> None:
    # a 5,000-digit number took 66 rows of the lesson list when quoted whole
    path = tmp_path / "big.yaml"
    path.write_text(
        "id: big\norder: 900\ntitle: Big\nsummary: s\nsteps:\n  - kind: lab\n    eta: " + "9" * 5000 + "\n",
        encoding="utf-8",
    )
    loaded = load_lesson(path)
    lines = [problem.located("en") for problem in loaded.problems]
    assert lines and all(len(line) < 200 for line in lines)
    assert any("…" in line for line in lines)


COSTLY = """id: costly
order: 900
title: {en: Costly, zh: 太贵}
summary: {en: s, zh: s}
steps:
  - kind: quiz
    title: {en: Q, zh: Q}
    questions:
      - kind: numeric
        prompt: {en: How many?, zh: 多少？}
        answer_from:
          run: {function: "x", eta: 0.001, x0: 0, max_iter: 1000000, precision: 0.0001}
          value: steps
      - kind: goal
        prompt: {en: Do it, zh: 做}
        lab:
          eta: 0.1
          x0: 0
          editable: [eta, precision, x0, max_iter]
          limits: {eta: [0.001, 1], precision: [0.000000001, 0.1], x0: [-10, 10], max_iter: [1, 1000000]}
        goal: {status: converged, near: 100, within: 0.001}
"""


def test_claims_too_costly_to_check_are_reported_at_their_line_not_run(tmp_path: Path) -> None:
    """A question's run that does not stop within RUN_BUDGET updates, and a goal whose search over
    four editable values would take 288 billion rate-updates (it ran for minutes), are refused at
    their lines by their cost, before any of that work is done."""
    path = tmp_path / "costly.yaml"
    path.write_text(COSTLY, encoding="utf-8")
    lines = [problem.located("en") for problem in load_lesson(path).problems]
    assert any(line.startswith(f"{path}:9: the question's run does not end within 200,000 updates") for line in lines)
    assert any(line.startswith(f"{path}:14: checking that this goal can be met would take") for line in lines)
