"""The README's examples of command output are what the commands print.

An example is a ``console`` code block right after a marker, ``<!-- output of: COMMAND -->``: its first
line is ``$ COMMAND`` and the rest is what COMMAND prints (standard output, then standard error),
compared line by line with trailing spaces ignored. Each command runs in-process, in English, in a
fresh data folder; the commands that show a learner's progress or a class get it prepared here,
through :class:`~gdtutor.progress.Store`, and their data folder is written as the README shows it.

A block that shows output but is not checked (``gdtutor race``: its times differ from run to run) is
marked ``<!-- illustration ... -->``, and the README says so in words.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import ROOT

from gdtutor import cli
from gdtutor.progress import Store, learner_data_dir

README = ROOT / "README.md"
MARKER = re.compile(r"^<!-- (output of: (?P<command>.+?)|illustration\b.*?) -->$")
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


@dataclass
class Example:
    line: int
    """Where the block's first line is in the README (counted from 1)."""
    marker: str | None
    command: str | None
    """The command of an ``output of`` marker."""
    lines: list[str]
    """The block's lines, without its fences."""

    @property
    def shows_output(self) -> bool:
        return any(not line.startswith("$ ") for line in self.lines)


def console_blocks(text: str) -> list[Example]:
    """Every ``console`` block of the README, with the marker on the line before it (if any)."""
    lines = text.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```console":
            end = lines.index("```", i + 1)
            before = MARKER.match(lines[i - 1]) if i else None
            command = before["command"] if before else None
            blocks.append(Example(i + 2, before[0] if before else None, command, lines[i + 1 : end]))
            i = end
        i += 1
    return blocks


EXAMPLES = [block for block in console_blocks(README.read_text(encoding="utf-8")) if block.command]


def prepare_progress(data: Path) -> None:
    """A learner who finished lesson 1, every answer right, and is at step 3 of lesson 2."""
    store = Store(data)
    store.visit("why-gradient-descent", 7)
    for question in (
        "why-when-gd",
        "why-minus-sign",
        "why-first-update-4",
        "why-randint-die",
        "why-start-11",
        "why-write-update",
    ):
        store.record("why-gradient-descent", question, "right", True)
    store.complete("why-gradient-descent")
    store.visit("learning-rate", 2)
    store.record("learning-rate", "lr-too-small", "2", True)
    store.close()


def prepare_class(data: Path) -> None:
    """Three learners' answers to two questions of lesson 1 (option keys count from 1), and a store
    that is not SQLite."""
    lesson = "why-gradient-descent"
    answers = {  # learner: (question, answer, right, hints)
        "ana": [
            ("why-randint-die", "1", False, 1),
            ("why-randint-die", "2", True, 1),
            ("why-minus-sign", "2", True, 0),
        ],
        "ben": [
            ("why-randint-die", "4", False, 0),
            ("why-randint-die", "2", True, 0),
            ("why-minus-sign", "1", False, 0),
            ("why-minus-sign", "2", True, 0),
        ],
        "chen": [
            ("why-randint-die", "1", False, 0),
            ("why-randint-die", "1", False, 0),
            ("why-minus-sign", "2", True, 0),
        ],
    }
    for login, given in answers.items():
        store = Store(learner_data_dir(data, login))
        store.visit(lesson, 7)
        for question, answer, right, hints in given:
            if hints and store.hints_seen(lesson).get(question, 0) < hints:
                store.hint_shown(lesson, question, hints)
            store.record(lesson, question, answer, right, hints=hints)
        store.close()
    dora = learner_data_dir(data, "dora")
    dora.mkdir(parents=True)
    (dora / "progress.db").write_bytes(b"not a database" * 100)


PREPARED: dict[str, tuple[Callable[[Path], None], str]] = {
    "gdtutor progress": (prepare_progress, "/home/ana/.local/share/gdtutor"),
    "gdtutor class report --data-dir /tmp/gdtutor-class": (prepare_class, "/tmp/gdtutor-class"),
}
"""Commands whose example needs data: how it is prepared, and the data folder as the README shows it."""


def test_the_readme_has_checked_examples_of_the_commands_it_shows() -> None:
    commands = [example.command for example in EXAMPLES]
    for needed in ("gdtutor run ", "gdtutor progress", "gdtutor lessons list", "gdtutor class report"):
        assert any(command and command.startswith(needed) for command in commands), needed
    assert set(PREPARED) <= set(commands), "a preparation whose example is gone"


def test_every_example_with_output_is_checked_or_said_to_be_an_illustration() -> None:
    for block in console_blocks(README.read_text(encoding="utf-8")):
        if block.shows_output:
            assert block.marker, f"README.md:{block.line}: output without a marker"


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.command or "" for example in EXAMPLES])
def test_an_example_is_what_its_command_prints(
    example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert example.command is not None
    assert example.lines[0] == f"$ {example.command}", f"README.md:{example.line}: the block names another command"
    for var in (*LOCALE_VARS, "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    data = tmp_path / "data"
    monkeypatch.setenv("GDTUTOR_DATA_DIR", str(data))
    prepare, shown = PREPARED.get(example.command, (None, None))
    if prepare is not None:
        prepare(data)
    words = shlex.split(example.command)
    assert words[0] == "gdtutor"
    argv = [str(data) if shown and word == shown else word for word in words[1:]]

    cli.main(argv)
    out, err = capsys.readouterr()
    printed = out + err
    if shown:
        printed = printed.replace(str(data), shown)
    assert str(tmp_path) not in printed
    assert [line.rstrip() for line in printed.splitlines()] == [line.rstrip() for line in example.lines[1:]]
