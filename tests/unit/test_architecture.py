"""The shape of the code, kept by the suite: layers, one declaration of each thing, every word in the
catalogue in both languages.

- The import contracts in pyproject.toml ([tool.importlinter]): the engine imports neither lessons
  nor the app, lessons and progress import no Textual, nothing imports in a circle.
- Screens reach the app typed, never through ``getattr(self.app, ...)``; few ``type: ignore``.
- Question and step kinds are told apart by their classes, never by comparing kind strings outside
  the lesson models.
- The engine speaks in codes and numbers: no sentence, English or Chinese, in gdtutor/engine.
- The two catalogues have the same keys and the same fields in each text; every key the code names,
  every refusal code and every key binding has its words.
"""

from __future__ import annotations

import ast
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path
from typing import get_args

from support import ROOT
from support.waiting import until

from gdtutor.i18n import en, zh

PACKAGE = ROOT / "gdtutor"


def sources(folder: Path = PACKAGE) -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in sorted(folder.rglob("*.py"))}


# --- layers --------------------------------------------------------------------------------------------


def test_the_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint, "import-linter is one of the test dependencies"
    done = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 kept, 0 broken" in done.stdout, done.stdout


def test_the_contracts_catch_a_lower_layer_importing_a_higher_one(tmp_path: Path) -> None:
    """The contracts are not empty words: an engine module that imports the app breaks them."""
    copy = tmp_path / "gdtutor"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "engine" / "bad.py").write_text("from ..ui import app\n", encoding="utf-8")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    env = {"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run([lint], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode != 0
    assert "gdtutor.engine.bad -> gdtutor.ui.app" in done.stdout, done.stdout


# --- one declaration of each thing ----------------------------------------------------------------------


def test_screens_reach_the_app_typed() -> None:
    found = [str(p) for p, text in sources(PACKAGE / "ui").items() if "getattr(self.app" in text]
    assert found == []


def test_few_type_ignores() -> None:
    count = sum(text.count("type: ignore") for text in sources().values())
    assert count <= 3, count


KIND_TEST = re.compile(r"\bkind\s*(==|!=|\bin\b|\bnot in\b)")


def test_kinds_are_told_apart_by_their_classes() -> None:
    models = {PACKAGE / "lessons" / "model.py", PACKAGE / "lessons" / "questions.py"}
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path, text in sources().items()
        if path not in models
        for n, line in enumerate(text.splitlines(), start=1)
        if KIND_TEST.search(line)
    ]
    assert found == []


def _developer_strings(tree: ast.AST) -> set[int]:
    """String constants that are not words for people: docstrings, regular expressions, and the
    messages of programming errors (AttributeError, TypeError, assert) in Python's own wording."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip.add(id(node.value))  # a docstring, of a module, class, function or attribute
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = getattr(node.exc.func, "id", "")
            if name in ("AttributeError", "TypeError"):
                skip.update(id(n) for n in ast.walk(node.exc))
        elif isinstance(node, ast.Assert) and node.msg is not None:
            skip.update(id(n) for n in ast.walk(node.msg))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "compile":
            skip.update(id(n) for n in ast.walk(node))
    return skip


def sentences(folder: Path) -> list[str]:
    """Strings in ``folder`` that read as words for people: any Chinese, or three English words."""
    found = []
    for path, text in sources(folder).items():
        tree = ast.parse(text)
        skip = _developer_strings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                value = node.value
                if re.search(r"[\u4e00-\u9fff]", value) or len(re.findall(r"\b[A-Za-z]{2,}\b", value)) >= 3:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {value[:60]!r}")
    return found


def test_the_engine_speaks_in_codes_and_numbers() -> None:
    assert sentences(PACKAGE / "engine") == []


def test_the_sentence_finder_finds_sentences(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        '"""A docstring is fine."""\nX = "the run diverged quickly"\nY = "发散"\nZ = "max_iter"\n', encoding="utf-8"
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert [s.split(": ", 1)[1] for s in sentences(tmp_path)] == ["'the run diverged quickly'", "'发散'"]
    finally:
        ROOT = saved


# --- the catalogue -------------------------------------------------------------------------------------


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_lessons_are_written_in_the_languages_of_the_catalogues() -> None:
    from gdtutor.i18n import CATALOGUES, LANGUAGES
    from gdtutor.lessons import model

    assert model.LANGUAGES == LANGUAGES == tuple(CATALOGUES)


def test_both_catalogues_have_every_key_with_the_same_fields() -> None:
    assert set(en.WORDS) == set(zh.WORDS), set(en.WORDS) ^ set(zh.WORDS)
    for key, text in en.WORDS.items():
        assert fields(text) == fields(zh.WORDS[key]), key


def used_keys() -> set[str]:
    """Every catalogue key the code names as a literal: t("key", ...), self.words("key", ...)."""
    pattern = re.compile(r"""\b(?:t|words)\(\s*["']([a-z0-9_]+)["']""")
    return {key for text in sources().values() for key in pattern.findall(text)}


def test_every_key_the_code_names_has_words() -> None:
    keys = used_keys()
    assert len(keys) > 80
    assert sorted(keys - set(en.WORDS)) == []


def test_every_code_has_words() -> None:
    from gdtutor.engine.descent import Status
    from gdtutor.engine.expr import _CHARACTER_CODES
    from gdtutor.engine.params import OUTCOMES, ProblemCode

    codes = {f"param_{code}" for code in get_args(ProblemCode) if code != "expression"}  # that one is the parser's
    codes |= {f"status_{s}" for s in Status} | {f"outcome_{s}" for s in Status}
    engine = "".join(sources(PACKAGE / "engine").values())
    codes |= {f"expr_{c}" for c in re.findall(r'ExpressionError\(\s*"([a-z_]+)"', engine)}
    codes |= {f"expr_character_{c}" for c in _CHARACTER_CODES.values()}
    codes |= {f"cause_{c}" for c in ("explode", "domain", "infinite")}
    codes |= {f"trend_{c}" for c in ("growing", "shrinking", "steady")}
    lessons = "".join(sources(PACKAGE / "lessons").values())
    lesson_codes = set(re.findall(r'(?:report|problem)\(\s*[^,()]+,\s*"([a-z_]+)"', lessons))
    lesson_codes |= set(re.findall(r'yield\s+(?:\(?here, |\(?path, |\(?at, )?\(?"([a-z_]+)"', lessons))
    lesson_codes |= set(re.findall(r'FileProblem\(\s*[^,()]+,\s*[^,()]+,\s*"([a-z_]+)"', lessons))
    codes |= {f"lesson_{c}" for c in lesson_codes}
    assert len(lesson_codes) > 30 and set(OUTCOMES) <= {s.value for s in Status}
    assert sorted(codes - set(en.WORDS)) == []


def bindings() -> list[tuple[str, str]]:
    """(class, description) of every key binding in the app."""
    import importlib
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode

    import gdtutor.ui

    for module in pkgutil.walk_packages(gdtutor.ui.__path__, "gdtutor.ui."):
        importlib.import_module(module.name)
    found = []
    seen: set[type] = set()
    todo: list[type] = [DOMNode]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    for cls in seen:
        if cls.__module__.startswith("gdtutor."):
            for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
                found.append((cls.__name__, binding.description))
    return found


def test_every_key_binding_has_words_in_both_languages() -> None:
    found = bindings()
    assert len(found) > 20
    missing = [(cls, d) for cls, d in found if f"key_{d}" not in en.WORDS or f"help_{d}" not in en.WORDS]
    assert missing == []


async def test_help_lists_the_keys_of_the_screen_it_was_opened_on(tmp_path: Path) -> None:
    """Built from the bindings: every key of the lab, shown or hidden, and the app's, with their words."""
    from gdtutor.engine.params import Setup
    from gdtutor.i18n import t
    from gdtutor.ui import make_app
    from gdtutor.ui.screens.help import HelpScreen

    app = make_app(lang="zh", data_dir=tmp_path, lab=Setup(eta=0.1, x0=0.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert isinstance(app.screen, HelpScreen)
        rows = {description: keys for keys, description in app.screen.rows}
        lab_keys = {"run", "step", "pause", "stop", "end", "faster", "slower", "code"}
        assert lab_keys | {"lessons", "quit", "help", "language"} <= set(rows)
        assert rows["quit"] == "^q" and rows["faster"] == "+ / ="
        shown = "\n".join(str(row.render()) for row in app.screen.query(".help-row"))
        assert t("help_run", "zh") in shown and t("help_faster", "zh") in shown


def test_a_lesson_lab_names_its_limits_and_the_engine_owns_them() -> None:
    """One update ceiling for the whole tutor: the lesson format's bound is the engine's."""
    from gdtutor.engine.params import LESSON_RANGES, MAX_UPDATES, Setup
    from gdtutor.lessons.schema import json_schema

    schema = json_schema()
    assert schema["$defs"]["lab"]["properties"]["max_iter"]["maximum"] == MAX_UPDATES
    assert schema["$defs"]["run"]["properties"]["max_iter"]["maximum"] == MAX_UPDATES
    assert LESSON_RANGES["max_iter"][1] == MAX_UPDATES
    assert Setup(eta=0.1).max_iter <= MAX_UPDATES


async def test_help_on_the_lesson_list_names_each_action_once(tmp_path: Path) -> None:
    """f2 is the app's and the lesson list shows it (with l beside it): one row, both keys."""
    from gdtutor.ui import make_app
    from gdtutor.ui.screens.help import help_rows

    app = make_app(lang="en", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        descriptions = [description for _, description in help_rows(app.screen)]
        assert len(descriptions) == len(set(descriptions)), descriptions
        assert dict((d, k) for k, d in help_rows(app.screen))["language"] in ("f2 / l", "l / f2")
