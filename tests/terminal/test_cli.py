"""The ``gdtutor`` command line: ``--version``, ``run`` and ``sweep``, their output and their errors.

Most tests call :func:`gdtutor.cli.main` in-process and read the output with ``capsys``. A few start the
real command in a subprocess (``python -m gdtutor`` and the ``gdtutor`` console script) to check what
only a process shows: exit statuses, stderr, a closed pipe, Ctrl+C and colour on a terminal.

The lecture's numbers (function (x - 3.5)**2 - 4.5*x + 10, start 0, precision 1e-4) are checked
against the lecture's own loop, written out below in plain Python.
"""

from __future__ import annotations

import gc
import io
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from support.children import child_env  # a user's shell: English, block-buffered output, no NO_COLOR
from support.terminal import Terminal

import gdtutor
from gdtutor import cli
from gdtutor.engine import MAX_UPDATES, Descent, Function
from gdtutor.i18n import status_name, t

LECTURE_FUNCTION = "(x - 3.5)**2 - 4.5*x + 10"
LECTURE_DERIVATIVE = "2*(x - 3.5) - 4.5"
HOSTILE = "__import__('os').system('touch PWNED')"
ANSI = re.compile(r"\x1b\[")
UPDATE_LINE = re.compile(r"^update (\d+): x = (\S+)$")
STOPPED_LINE = re.compile(r"^Stopped by you after (\d+) updates, at x = (\S+?)\.?$")
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")

# (eta, status, updates, final x) from the lecture, start 0, precision 1e-4
LECTURE_ROWS = [
    (0.01, "converged", 350, 5.74511578990333),
    (0.1, "converged", 43, 5.749608675278042),
    (0.2, "converged", 21, 5.749873862533818),
    (0.5, "converged", 2, 5.75),
    (1.0, "oscillating", 2, 0.0),
    (50.0, "diverged", 155, math.inf),
]
LECTURE_IDS = [f"eta={row[0]:g}" for row in LECTURE_ROWS]


def lecture_trace(eta: float, x: float = 0.0, precision: float = 1e-4, cap: int = 10_000) -> list[float]:
    """x0 and every x the lecture's loop makes (stopped after ``cap`` updates if it never ends)."""
    trace = [x]
    last_x = x + 0.1
    while len(trace) <= cap:
        if abs(x - last_x) < precision:
            break
        last_x = x
        x = x - eta * (2 * (x - 3.5) - 4.5)
        trace.append(x)
    return trace


def from_json_float(value: float | str) -> float:
    """Undo the JSON encoding of inf and nan as strings."""
    if isinstance(value, str):
        assert value in ("inf", "-inf", "nan"), value
        return float(value)
    return float(value)


def same_float(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def strict_json(text: str) -> object:
    """Parse JSON, refusing the non-standard NaN / Infinity tokens."""

    def refuse(token: str) -> object:
        raise AssertionError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=refuse)


# --- in-process helpers ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """English from the locale and colour allowed, whatever the machine running the tests says."""
    for var in (*LOCALE_VARS, "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)


def call(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``gdtutor argv`` in-process; (exit status, stdout, stderr)."""
    try:
        code = cli.main(list(argv))
    except KeyboardInterrupt:  # never let one reach pytest: it would stop the whole session
        pytest.fail("KeyboardInterrupt escaped gdtutor.cli.main")
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = call(capsys, "run", "--json", *argv)
    assert (code, err) == (0, "")
    assert out.endswith("\n") and out.count("\n") == 1, "--json prints one line"
    doc = strict_json(out)
    assert isinstance(doc, dict)
    return doc


def sweep_json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    code, out, err = call(capsys, "sweep", "--json", *argv)
    assert (code, err) == (0, "")
    assert out.endswith("\n") and out.count("\n") == 1
    rows = strict_json(out)
    assert isinstance(rows, list)
    return rows


def run_text(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    code, out, err = call(capsys, "run", *argv)
    assert (code, err) == (0, "")
    return out.splitlines()


def update_lines(lines: list[str]) -> list[tuple[int, float]]:
    return [(int(m[1]), float(m[2])) for m in map(UPDATE_LINE.match, lines) if m]


# --- subprocess helpers ------------------------------------------------------------------------


def console_script() -> str | None:
    beside = Path(sys.executable).with_name("gdtutor")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("gdtutor")


@pytest.fixture(params=["python -m gdtutor", "gdtutor script"])
def launcher(request: pytest.FixtureRequest) -> list[str]:
    """How to start the command: as a module, or as the installed console script."""
    if request.param == "python -m gdtutor":
        return [sys.executable, "-m", "gdtutor"]
    script = console_script()
    if script is None:
        pytest.skip("the gdtutor console script is not installed")
    return [script]


def start(launcher: list[str], *argv: str, **popen: object) -> subprocess.CompletedProcess[str]:
    kwargs: dict = {"capture_output": True, "text": True, "encoding": "utf-8", "env": child_env(), "timeout": 60}
    kwargs.update(popen)
    return subprocess.run([*launcher, *argv], **kwargs)


def assert_one_clean_line(err: str) -> str:
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, f"expected one line on stderr, got {err!r}"
    line = err.strip()
    assert line and len(line) < 300
    return line


# --- 1. --version ------------------------------------------------------------------------------


def test_version_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code in (0, None)
    out, err = capsys.readouterr()
    assert out == f"gdtutor {gdtutor.__version__}\n"
    assert err == ""


def test_version_end_to_end(launcher: list[str]) -> None:
    done = start(launcher, "--version")
    assert done.returncode == 0
    assert done.stdout == f"gdtutor {gdtutor.__version__}\n"
    assert done.stderr == ""


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code in (0, None)
    out, _ = capsys.readouterr()
    assert "run" in out and "sweep" in out and "--version" in out


# --- 1b. help in the chosen language ----------------------------------------------------------------


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """What ``gdtutor argv`` (with -h or --help) prints; it ends with status 0 and nothing on stderr."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main(list(argv))
    assert exit_info.value.code in (0, None)
    out, err = capsys.readouterr()
    assert err == ""
    return out


def cells(text: str) -> int:
    """Terminal cells taken by ``text`` (Chinese characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


HELP_IN_CHINESE = [
    ["--lang", "zh", "--help"],
    ["--lang", "zh", "run", "--help"],
    ["run", "--help", "--lang", "zh"],
    ["--lang=zh", "sweep", "-h"],
    ["--lan", "zh", "lessons", "check", "--help"],
    ["--lang", "en", "serve", "ssh", "--lang", "zh", "-h"],
    ["class", "--lang", "zh", "--help"],
]


@pytest.mark.parametrize("argv", HELP_IN_CHINESE, ids=[" ".join(argv) for argv in HELP_IN_CHINESE])
def test_help_in_chinese(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """The language is read from --lang wherever it is (the last one counts, as argparse keeps it),
    before the command line is parsed: argparse's own headings are in Chinese too."""
    out = help_of(capsys, *argv)
    assert out.startswith("用法：gdtutor")
    assert "\n选项：\n  -h, --help " in out and "显示这份帮助，然后退出" in out
    for english in ("usage", "options", "positional arguments", "show this help", "default", "learning rate"):
        assert english not in out, english
    if "check" in argv or "class" in argv:
        assert "\n位置参数：\n" in out


def test_help_takes_its_language_from_the_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert help_of(capsys, "sweep", "--help").startswith("用法：gdtutor sweep")
    assert help_of(capsys, "sweep", "--help", "--lang", "en").startswith("usage: gdtutor sweep")


def test_help_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    out = help_of(capsys, "run", "--help")
    assert out.startswith(
        "usage: gdtutor run [OPTIONS]\n\n  run gradient descent once, as the lecture does\n\noptions:\n"
    )
    assert "\n  -h, --help " in out and "show this help message and exit\n" in out
    assert re.search(r"\n  --eta F +learning rate \(default 0\.1\)\n", out), out
    top = help_of(capsys, "--help")
    assert "\npositional arguments:\n  COMMAND\n    run       run gradient descent once, as the lecture does\n" in top
    assert re.search(r"\n  --version +show program's version number and exit\n", top), top


def test_chinese_help_fits_the_terminal_and_keeps_its_columns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Chinese character takes two cells, and Chinese has no spaces to break at."""
    monkeypatch.setenv("COLUMNS", "60")
    out = help_of(capsys, "--lang", "zh", "sweep", "--help")
    lines = out.splitlines()
    assert all(cells(line) <= 60 for line in lines), out
    assert not any(line.strip()[:1] in set("，。、；：）") for line in lines), out
    options = lines[lines.index("选项：") + 1 :]
    column = cells(options[0][: options[0].index("显示")])  # where every description starts, in cells
    for line in options:
        row = re.fullmatch(r"  (-\S*(?: \S+)*)  +(.*)", line)
        if row:  # an option and the start of its description
            assert cells(line[: row.start(2)]) == column, line
        else:  # the description goes on under itself
            assert len(line) - len(line.lstrip(" ")) == column, line
    assert "最小的学习率（默认 0.01）" in out


def all_commands(command: click.Command) -> list[click.Command]:
    """The program's command, and each command's and each action's (lessons check, serve ssh, ...)."""
    found = [command]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found.extend(all_commands(sub))
    return found


def written(text: str | None, lang: str) -> bool:
    return bool(text) and (lang == "en" or bool(re.search(r"[\u4e00-\u9fff]", text or "")))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_command_and_option_is_described_with_its_default(lang: str) -> None:
    from gdtutor.cli.parsing import Given, Option
    from gdtutor.cli.root import gdtutor

    commands = all_commands(gdtutor)
    assert len(commands) == 15
    options = 0
    for command in commands:
        with gdtutor.make_context(
            "gdtutor", [], obj=Given(lang=lang, out=io.StringIO()), resilient_parsing=True
        ) as root:
            ctx = click.Context(command, parent=root, info_name=command.name)
            assert written(t(f"cli_help_{command.words}", lang), lang), command.name  # type: ignore[attr-defined]
            for param in command.params:
                where = f"{command.name} {'/'.join(param.opts)}"
                if not isinstance(param, Option):
                    continue
                record = param.get_help_record(ctx)
                assert record is not None and written(record[1], lang), where
                options += 1
                default = param.default
                if not param.is_flag and isinstance(default, (str, int)):  # not click's mark of no default
                    forms = {str(default)}
                    if isinstance(default, int):
                        forms |= {f"{default:g}", f"{default:,}"}
                    assert any(form in record[1] for form in forms), where
                    assert ("default" if lang == "en" else "默认") in record[1], where
    assert options > 90


COMPLETIONS = [
    ("gdtutor ru", "plain,run"),
    ("gdtutor --lang zh run --prec", "plain,--precision"),
    ("gdtutor --lang ", "plain,en\nplain,zh"),
    ("gdtutor lessons ", "plain,check\nplain,list\nplain,schema"),
    ("gdtutor run --trace ", "plain,bounded\nplain,full"),
    ("gdtutor --data-dir ", "dir,"),
]


@pytest.mark.parametrize(("line", "expected"), COMPLETIONS, ids=[line for line, _ in COMPLETIONS])
def test_the_shell_completes_commands_options_and_choices(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, line: str, expected: str
) -> None:
    words = line.split(" ")
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    monkeypatch.setenv("_GDTUTOR_COMPLETE", "bash_complete")
    assert cli.main([]) == 0
    assert capsys.readouterr().out.strip() == expected


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_of_each_shell(launcher: list[str], shell: str) -> None:
    done = start(launcher, env=child_env(_GDTUTOR_COMPLETE=f"{shell}_source"))
    assert (done.returncode, done.stderr) == (0, "")
    assert "_gdtutor_completion" in done.stdout and "_GDTUTOR_COMPLETE" in done.stdout


# --- 2. run --json reproduces the lecture ------------------------------------------------------


@pytest.mark.parametrize(("eta", "status", "steps", "x"), LECTURE_ROWS, ids=LECTURE_IDS)
def test_run_json_reproduces_the_lecture(
    capsys: pytest.CaptureFixture[str], eta: float, status: str, steps: int, x: float
) -> None:
    doc = run_json(capsys, "--x0", "0", "--eta", repr(eta))
    assert {"status", "steps", "x", "x0", "trace"} <= doc.keys()
    assert doc["status"] == status
    assert doc["steps"] == steps
    assert from_json_float(doc["x"]) == x
    assert doc["x0"] == 0 and doc["trace"][0] == 0
    assert len(doc["trace"]) == steps + 1
    trace = [from_json_float(v) for v in doc["trace"]]
    assert trace[-1] == x
    reference = lecture_trace(eta)[: steps + 1]
    assert len(reference) == steps + 1
    assert all(same_float(a, b) for a, b in zip(trace, reference, strict=True)), "trace differs from the lecture's"
    assert doc["function"] == LECTURE_FUNCTION and doc["derivative"] == LECTURE_DERIVATIVE
    assert doc["seed"] is None


def test_run_json_oscillation_is_the_lectures_two_values(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "--x0", "0", "--eta", "1")
    assert doc["trace"] == [0.0, 11.5, 0.0]
    assert doc["period"] == 2


def test_run_json_divergence_stops_at_the_first_inf(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "--x0", "0", "--eta", "50")
    assert doc["x"] == "inf" and doc["trace"][-1] == "inf"
    assert all(isinstance(v, float) and math.isfinite(v) for v in doc["trace"][:-1])
    assert "inf" in doc["message"]


@pytest.mark.parametrize(
    ("function", "x0", "encoded"),
    [("exp(x)", "1000", "-inf"), ("log(x)", "0", "-inf"), ("1/x", "0", "inf"), ("sqrt(x)", "-1", "nan")],
)
def test_run_json_encodes_inf_and_nan_as_strings(
    capsys: pytest.CaptureFixture[str], function: str, x0: str, encoded: str
) -> None:
    doc = run_json(capsys, "--function", function, "--x0", x0, "--eta", "0.1")
    assert doc["status"] == "diverged"
    assert doc["x"] == encoded and doc["trace"][-1] == encoded


@pytest.mark.parametrize("option", ["--precision", "--max-iter"])
def test_run_json_reports_precision_and_limit(capsys: pytest.CaptureFixture[str], option: str) -> None:
    value = "0.001" if option == "--precision" else "5"
    doc = run_json(capsys, "--x0", "0", "--eta", "0.01", option, value)
    if option == "--precision":
        assert doc["precision"] == 0.001 and doc["status"] == "converged"
        assert doc["trace"] == lecture_trace(0.01, precision=0.001)
    else:
        assert doc["max_iter"] == 5 and doc["status"] == "max_iter" and doc["steps"] == 5
        assert doc["trace"] == lecture_trace(0.01)[:6]


# --- 3. run's text output ----------------------------------------------------------------------


def test_run_text_shows_function_derivative_settings_every_update_and_outcome(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = run_text(capsys, "--x0", "0", "--eta", "0.1", "--lang", "en")
    assert lines[0].startswith(f"f(x) = {LECTURE_FUNCTION}")
    assert lines[1].startswith(f"g(x) = {LECTURE_DERIVATIVE}")
    assert "0.1" in lines[2] and "0.0001" in lines[2]
    assert "0.0" in lines[3] and "--seed" not in lines[3]
    updates = update_lines(lines)
    assert [n for n, _ in updates] == list(range(1, 44))
    assert [x for _, x in updates] == lecture_trace(0.1)[1:], "printed x must round-trip to the lecture's floats"
    assert lines[4 : 4 + 43] == [f"update {n}: x = {x!r}" for n, x in updates]
    assert "Converged after 43 updates" in lines[-1]
    assert "5.749608675278042" in lines[-1]
    assert len(lines) == 4 + 43 + 1


@pytest.mark.parametrize(
    ("eta", "precision", "shown"),
    [
        ("0.1000001", "1e-4", "eta = 0.1000001, precision = 0.0001"),
        ("50", "0.00012345678", "eta = 50, precision = 0.00012345678"),
    ],
)
def test_run_settings_line_shows_the_rates_exactly(
    capsys: pytest.CaptureFixture[str], eta: str, precision: str, shown: str
) -> None:
    lines = run_text(capsys, "--x0", "0", "--eta", eta, "--precision", precision, "--max-iter", "3", "--lang", "en")
    assert shown in lines[2]


@pytest.mark.parametrize(
    ("eta", "expected"),
    [
        (0.01, ["Converged after 350 updates"]),
        (0.2, ["Converged after 21 updates"]),
        (0.5, ["Converged after 2 updates", "5.75"]),
        (1.0, ["Oscillating", "0.0", "11.5"]),
        (50.0, ["Diverged", "update 155", "inf", "nan"]),
    ],
    ids=lambda v: f"eta={v:g}" if isinstance(v, float) else "",
)
def test_run_text_outcome_sentence(capsys: pytest.CaptureFixture[str], eta: float, expected: list[str]) -> None:
    lines = run_text(capsys, "--x0", "0", "--eta", repr(eta), "--lang", "en")
    for part in expected:
        assert part in lines[-1]
    assert not UPDATE_LINE.match(lines[-1])


def test_run_text_eta_50_prints_inf_as_last_update(capsys: pytest.CaptureFixture[str]) -> None:
    lines = run_text(capsys, "--x0", "0", "--eta", "50", "--lang", "en")
    assert lines[-2] == "update 155: x = inf"
    assert "nan" in lines[-1] and "inf" in lines[-1]


def test_run_text_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    out = "\n".join(run_text(capsys, "--x0", "0", "--eta", "0.1", "--lang", "zh"))
    assert "收敛" in out
    assert "第 43 次更新后：x = 5.749608675278042" in out  # Chinese punctuation, x named as in code
    assert "update 1:" not in out and "Converged" not in out


def test_language_comes_from_the_locale(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "收敛" in "\n".join(run_text(capsys, "--x0", "0", "--eta", "0.5"))
    assert "Converged" in "\n".join(run_text(capsys, "--x0", "0", "--eta", "0.5", "--lang", "en"))


@pytest.mark.parametrize(
    "argv",
    [["--lang", "zh", "run"], ["run", "--lang", "zh"]],
    ids=["before the command", "after the command"],
)
def test_lang_before_or_after_the_command(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = call(capsys, *argv, "--x0", "0", "--eta", "0.5")
    assert (code, err) == (0, "")
    assert "收敛" in out and "Converged" not in out


RANDOM_START = re.compile(r"^random x: (\S+)\s+\(--seed (\d+) gives the same start again\)$")


def test_random_start_names_a_seed_that_repeats_it(capsys: pytest.CaptureFixture[str]) -> None:
    lines = run_text(capsys, "--eta", "0.5", "--lang", "en")
    match = RANDOM_START.match(lines[3])
    assert match, lines[3]
    x0, seed = float(match[1]), match[2]
    assert x0 == int(x0) and 0 <= x0 < 12, "the lecture's start is an integer in [0, 12)"
    again = run_text(capsys, "--eta", "0.5", "--lang", "en", "--seed", seed)
    assert again == lines, "the same seed gives the same start and the same run"


@pytest.mark.parametrize("seed", ["0", "7", "4294967295"])
def test_seed_is_reproducible(capsys: pytest.CaptureFixture[str], seed: str) -> None:
    first = run_json(capsys, "--seed", seed)
    second = run_json(capsys, "--seed", seed)
    assert first == second
    assert first["seed"] == int(seed)
    assert first["x0"] == first["trace"][0] and first["x0"] in range(12)
    assert run_text(capsys, "--seed", seed, "--lang", "en") == run_text(capsys, "--seed", seed, "--lang", "en")


@pytest.mark.parametrize("x0", ["-1", "-1.5", "-.5", "1e3", "--x0=-1e3", "--x0=-2.5e-1"])
def test_negative_and_scientific_starts(capsys: pytest.CaptureFixture[str], x0: str) -> None:
    argv = [x0] if x0.startswith("--") else ["--x0", x0]
    doc = run_json(capsys, *argv)
    assert doc["x0"] == float(x0.removeprefix("--x0=")) == doc["trace"][0]


def test_negative_start_in_scientific_notation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "run", "--json", "--x0", "-1e3")
    assert (code, err) == (0, "")
    assert json.loads(out)["x0"] == -1000


@pytest.mark.parametrize(
    ("argv", "x0"),
    [
        (["run", "--x0", "-2.5E-1"], -0.25),
        (["run", "--x0", "-1_000e-3"], -1.0),
        (["run", "--x", "-1e1"], -10.0),  # an abbreviation, as argparse allows
        (["run", "--eta", "0.1", "--x0", "-1e1", "--precision", "1e-3"], -10.0),
        (["--lang", "en", "run", "--x0", "-5e-1", "--lang", "zh"], -0.5),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_negative_numbers_in_scientific_notation_as_option_values(
    capsys: pytest.CaptureFixture[str], argv: list[str], x0: float
) -> None:
    code, out, err = call(capsys, *argv, "--json")
    assert (code, err) == (0, "")
    assert strict_json(out)["x0"] == x0  # type: ignore[index]
    (row,) = sweep_json(capsys, "--x0", "-1e1", "--eta-min", "0.1", "--eta-max", "0.1", "--count", "1")
    assert row["status"] == "converged" and row["steps"] > 1


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["run", "--eta", "-1e3"], ["--eta", "greater than 0"]),
        (["run", "--precision", "-1E-3"], ["--precision", "greater than 0"]),
        (["run", "--x0", "-inf"], ["--x0", "finite"]),
        (["run", "--x0", "-1e400"], ["--x0", "finite"]),
        (["run", "--seed", "-1e3"], ["--seed", "-1e3 is not between 0 and"]),
        (["run", "--seed", "1.5"], ["--seed", "not a whole number"]),
        (["sweep", "--eta-min", "-1e-2"], ["--eta-min", "greater than 0"]),
        (["run", "--bogus", "-1e3"], ["unrecognized arguments: --bogus -1e3"]),
        (["run", "-1e3"], ["unrecognized arguments: -1e3"]),
        (["run", "--x0"], ["--x0", "expected one argument"]),
        (["run", "--x0", "-x"], ["--x0", "'-x' is not a number"]),  # a value, as --x0 -1e3 is
        (["run", "--x0", "--json"], ["--x0", "expected one argument"]),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) and v[0] in ("run", "sweep") else "",
)
def test_negative_values_still_checked_and_unknown_options_still_refused(
    capsys: pytest.CaptureFixture[str], argv: list[str], words: list[str]
) -> None:
    code, out, err = call(capsys, *argv)
    assert (code, out) == (2, "")
    line = assert_one_clean_line(err)
    for word in words:
        assert word in line, line


@pytest.mark.parametrize(
    ("argv", "refused"),
    [
        (["run", "--lang", "-1e3", "--x0", "1"], "argument --lang: invalid choice: '-1e3'"),
        (["run", "--x0", "--max-iter", "3"], "argument --x0: expected one argument"),
        (["run", "--x0=-1e3", "--eta=-2"], "--eta: -2 would climb"),
    ],
)
def test_a_dashed_word_is_a_value_unless_it_names_an_option(
    capsys: pytest.CaptureFixture[str], argv: list[str], refused: str
) -> None:
    code, out, err = call(capsys, *argv)
    assert (code, out) == (2, "") and refused in assert_one_clean_line(err)


def test_the_rates_after_compare_are_its_own() -> None:
    from gdtutor.cli.parsing import spread_compare

    argv = ["lab", "--compare", "0.5", "-1", "--x0", "-3", "--comp", "2", "--", "--compare", "4", "5"]
    assert spread_compare(argv) == [
        "lab",
        "--compare",
        "0.5",
        "--compare",
        "-1",
        "--x0",
        "-3",
        "--compare",
        "2",
        "--",
        "--compare",
        "4",
        "5",
    ]
    assert spread_compare(["sweep", "--co", "5"]) == ["sweep", "--co", "5"]  # --count, there


def test_an_abbreviation_is_the_commands_own_option(capsys: pytest.CaptureFixture[str]) -> None:
    rows = sweep_json(capsys, "--co", "3", "--eta-min", "0.1", "--eta-max", "0.3", "--x0", "1")
    assert len(rows) == 3


def test_random_start_without_seed_is_reported_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys)
    assert isinstance(doc["seed"], int)
    assert run_json(capsys, "--seed", str(doc["seed"]))["x0"] == doc["x0"]


# --- 4. --function and --derivative ------------------------------------------------------------


def test_function_in_the_learners_spelling(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "--function", "x^2 - 4x", "--x0", "0", "--eta", "0.25")
    assert doc["status"] == "converged"
    assert doc["x"] == pytest.approx(2, abs=1e-3)
    assert doc["function"] == "x**2 - 4*x"


@pytest.mark.parametrize("spelling", ["(x-3.5)^2 - 4.5x + 10", "（x−3.5）² − 4.5x + 10"], ids=["caret", "full-width"])
@pytest.mark.parametrize("eta", [row[0] for row in LECTURE_ROWS], ids=LECTURE_IDS)
def test_lecture_function_in_another_spelling_gives_the_lectures_numbers(
    capsys: pytest.CaptureFixture[str], spelling: str, eta: float
) -> None:
    typed = run_json(capsys, "--function", spelling, "--x0", "0", "--eta", repr(eta))
    default = run_json(capsys, "--x0", "0", "--eta", repr(eta))
    assert typed == default
    assert typed["derivative"] == LECTURE_DERIVATIVE


def test_derivative_is_used_when_given(capsys: pytest.CaptureFixture[str]) -> None:
    # a deliberately different g: descent then goes where that g is 0, not to f's minimum at 0
    doc = run_json(capsys, "--function", "x^2", "--derivative", "2*x + 2", "--x0", "0", "--eta", "0.25")
    assert doc["derivative"] == "2*x + 2"
    assert doc["status"] == "converged" and doc["x"] == pytest.approx(-1, abs=1e-3)
    lines = run_text(capsys, "--function", "x^2", "--derivative", "2*x + 2", "--x0", "0", "--lang", "en")
    assert lines[1].startswith("g(x) = 2*x + 2")


def test_derivative_replaces_the_lectures_own(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "--derivative", "2*x - 11.5", "--x0", "0", "--eta", "0.1")
    assert doc["derivative"] == "2*x - 11.5"
    assert doc["status"] == "converged" and doc["x"] == pytest.approx(5.75, abs=1e-3)


def test_derivative_rescues_a_function_sympy_cannot_differentiate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "run", "--function", "sign(x)", "--x0", "3")
    assert (code, out) == (2, "")
    assert "--derivative" in assert_one_clean_line(err)
    doc = run_json(capsys, "--function", "sign(x)", "--derivative", "0", "--x0", "3")
    assert doc["status"] == "converged" and doc["x"] == 3


def test_derivative_comes_from_sympy_when_not_given(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "--function", "x^2 - 4x", "--x0", "0")
    assert doc["derivative"].replace(" ", "") == "2*x-4"


@pytest.mark.parametrize("function", ["log(x)", "1/x"])
def test_infinite_gradient_is_not_blamed_on_the_learning_rate(
    capsys: pytest.CaptureFixture[str], function: str
) -> None:
    lines = run_text(capsys, "--function", function, "--x0", "0", "--eta", "1e-9", "--lang", "en")
    assert lines[-1].startswith("Diverged")
    assert "too large" not in lines[-1]
    assert "g(x) has no finite value at x = 0.0" in lines[-1]


def test_growing_x_that_overflows_g_is_blamed_on_the_learning_rate(capsys: pytest.CaptureFixture[str]) -> None:
    # x^4 from 10 with eta 1: |x| grows every update until 4*x**3 overflows
    lines = run_text(capsys, "--function", "x^4", "--x0", "10", "--eta", "1", "--lang", "en")
    assert lines[-1].startswith("Diverged: x became -inf at update 5")
    assert "the learning rate 1 is too large" in lines[-1]
    assert "not defined" not in lines[-1]


# --- 5. sweep ----------------------------------------------------------------------------------

SWEEP_ARGS = ("--x0", "0", "--eta-min", "0.1", "--eta-max", "1.2", "--count", "12")


def test_sweep_json_rows(capsys: pytest.CaptureFixture[str]) -> None:
    rows = sweep_json(capsys, *SWEEP_ARGS)
    assert len(rows) == 12
    for row in rows:
        assert {"eta", "status", "steps", "x"} <= row.keys()
    # the rates as a person writes them (np.linspace would give 0.30000000000000004 and run that)
    assert [row["eta"] for row in rows] == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2]
    assert [row["status"] for row in rows[:9]] == ["converged"] * 9
    assert {row["status"] for row in rows[-2:]} == {"diverged"}
    # the lecture's rows that lie on this grid
    assert (rows[0]["steps"], rows[0]["x"]) == (43, 5.749608675278042)
    assert (rows[1]["steps"], rows[1]["x"]) == (21, 5.749873862533818)
    assert (rows[4]["steps"], rows[4]["x"]) == (2, 5.75)


def test_sweep_agrees_with_run_for_every_rate(capsys: pytest.CaptureFixture[str]) -> None:
    for row in sweep_json(capsys, *SWEEP_ARGS):
        single = run_json(capsys, "--x0", "0", "--eta", repr(row["eta"]))
        assert (row["status"], row["steps"], row["x"]) == (single["status"], single["steps"], single["x"]), row


def test_sweep_json_with_lecture_rates(capsys: pytest.CaptureFixture[str]) -> None:
    for eta, status, steps, x in LECTURE_ROWS:
        (row,) = sweep_json(capsys, "--x0", "0", "--eta-min", repr(eta), "--eta-max", repr(eta), "--count", "1")
        assert (row["eta"], row["status"], row["steps"], from_json_float(row["x"])) == (eta, status, steps, x)


def test_sweep_seed_is_reproducible(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--seed", "3", "--eta-min", "0.1", "--eta-max", "0.9", "--count", "5")
    assert sweep_json(capsys, *args) == sweep_json(capsys, *args)
    x0 = run_json(capsys, "--seed", "3")["x0"]
    assert sweep_json(capsys, *args) == sweep_json(capsys, "--x0", repr(x0), *args[2:])


def table_rows(lines: list[str], header: re.Pattern[str]) -> tuple[int, list[list[str]]]:
    """Index of the table's header line and the cells of the rows under its dashes."""
    (at,) = [i for i, line in enumerate(lines) if header.match(line)]
    assert set(lines[at + 1].replace(" ", "")) == {"-"}
    rows = []
    for line in lines[at + 2 :]:
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return at, rows


def test_sweep_text_table_and_chart(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "sweep", *SWEEP_ARGS, "--lang", "en")
    assert (code, err) == (0, "")
    assert not ANSI.search(out), "no colour codes when stdout is not a terminal"
    lines = out.splitlines()
    assert lines[0].startswith(f"f(x) = {LECTURE_FUNCTION}")
    assert lines[1].startswith(f"g(x) = {LECTURE_DERIVATIVE}")
    _, rows = table_rows(lines, re.compile(r"^eta\s+outcome\s+updates\s+final x$"))
    expected = sweep_json(capsys, *SWEEP_ARGS)
    assert len(rows) == 12
    for cells, row in zip(rows, expected, strict=True):
        x = row["x"] if isinstance(row["x"], str) else repr(row["x"])
        assert cells == [repr(row["eta"]), status_name(row["status"], "en"), str(row["steps"]), x]
    assert "updates needed per learning rate" in out
    assert "learning rate (eta)" in out


def test_sweep_table_shows_every_eta_exactly_and_aligned(capsys: pytest.CaptureFixture[str]) -> None:
    # rates 5e-8 apart: rounded to 6 significant digits, all three would read 0.1
    argv = ("--x0", "0", "--eta-min", "0.1", "--eta-max", "0.1000001", "--count", "3")
    code, out, err = call(capsys, "sweep", *argv, "--lang", "en")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert "3 learning rates from 0.1 to 0.1000001," in out
    at, rows = table_rows(lines, re.compile(r"^eta\s+outcome\s+updates\s+final x$"))
    etas = [row["eta"] for row in sweep_json(capsys, *argv)]
    shown = [cells[0] for cells in rows]
    assert shown == [repr(eta) for eta in etas]
    assert [float(text) for text in shown] == etas and len(set(shown)) == 3
    assert (shown[0], shown[-1]) == ("0.1", "0.1000001")
    table = lines[at : at + 2 + len(rows)]
    for column in ("outcome", "updates", "final x"):
        start = table[0].index(column)
        assert all(line[start - 2 : start] == "  " and line[start] != " " for line in table[2:]), column


def test_sweep_prints_the_rates_as_a_person_writes_them(capsys: pytest.CaptureFixture[str]) -> None:
    """0.05 to 1 in 20 rates is 0.05, 0.1, ..., 1: the table shows 0.4 (np.linspace gave
    0.39999999999999997, and the run used that float)."""
    argv = ("--x0", "0", "--eta-min", "0.05", "--eta-max", "1", "--count", "20")
    code, out, err = call(capsys, "sweep", *argv, "--lang", "en")
    assert (code, err) == (0, "")
    _, rows = table_rows(out.splitlines(), re.compile(r"^eta\s+outcome\s+updates\s+final x$"))
    assert [cells[0] for cells in rows] == [f"{k * 5 / 100:g}" if k % 20 else "1.0" for k in range(1, 21)]
    assert "0.39999999999999997" not in out and "0.49999999999999994" not in out
    assert [row["eta"] for row in sweep_json(capsys, *argv)][7:10] == [0.4, 0.45, 0.5]


SWEEP_LABELS = [
    # the defaults: 40 rates from 0.01 to 1.2, 0.0305 apart, shown to 0.00005
    ((), 0.00005, ["0.01", "0.0405", "0.071", "0.1015", "0.1321"], "1.2"),
    (("--eta-min", "0.001", "--eta-max", "0.002", "--count", "7"), 5e-7, ["0.001", "0.001167", "0.001333"], "0.002"),
    (("--eta-min", "0.5", "--eta-max", "1.5", "--count", "4"), 0.0005, ["0.5", "0.833", "1.167"], "1.5"),
]


@pytest.mark.parametrize(("argv", "near", "first", "last"), SWEEP_LABELS, ids=["defaults", "fine", "coarse"])
def test_sweep_labels_each_rate_with_the_digits_that_tell_it_from_its_neighbours(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], near: float, first: list[str], last: str
) -> None:
    """Not 0.04051282051282051: each rate in the fewest significant digits that put it within half a
    unit of the third significant digit of the step between rates, so that neighbours differ and the
    steps read right; the JSON keeps the floats the runs used."""
    code, out, err = call(capsys, "sweep", "--x0", "0", *argv, "--lang", "en")
    assert (code, err) == (0, "")
    _, rows = table_rows(out.splitlines(), re.compile(r"^eta\s+outcome\s+updates\s+final x$"))
    shown = [cells[0] for cells in rows]
    etas = [row["eta"] for row in sweep_json(capsys, "--x0", "0", *argv)]
    assert shown[: len(first)] == first and shown[-1] == last
    assert len(set(shown)) == len(etas) == len(shown)
    for text, eta in zip(shown, etas, strict=True):
        assert abs(float(text) - eta) <= near, (text, eta)
        digits = len(text.replace(".", "").lstrip("0"))
        assert digits == 1 or abs(float(f"{eta:.{digits - 1}g}") - eta) > near, (text, eta)  # none shorter
    if not argv:
        assert etas[1] == 0.04051282051282051 and "0.04051282051282051" not in out


def test_sweep_refuses_eta_min_above_eta_max_naming_both_exactly(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "sweep", "--eta-min", "0.1000001", "--eta-max", "0.1")
    assert (code, out) == (2, "")
    assert "--eta-min (0.1000001) is larger than --eta-max (0.1)" in assert_one_clean_line(err)


def test_sweep_text_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "sweep", *SWEEP_ARGS, "--lang", "zh")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    _, rows = table_rows(lines, re.compile(r"^学习率\s+结果\s+更新次数\s+最终 x$"))
    assert len(rows) == 12
    assert rows[0][:3] == ["0.1", "收敛", "43"]
    assert "每个学习率需要的更新次数" in out and "updates needed" not in out


class FakeTerminal:
    """A stdout that says it is a terminal."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True

    def getvalue(self) -> str:
        return "".join(self.parts)


@pytest.mark.parametrize(("no_color", "coloured"), [(False, True), (True, False)], ids=["terminal", "NO_COLOR"])
def test_sweep_chart_colour_only_on_a_terminal_without_no_color(
    monkeypatch: pytest.MonkeyPatch, no_color: bool, coloured: bool
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert cli.main(["sweep", *SWEEP_ARGS, "--lang", "en"]) == 0
    out = terminal.getvalue()
    assert bool(ANSI.search(out)) is coloured
    assert "updates needed per learning rate" in out


def test_sweep_end_to_end_pipe_has_no_colour(launcher: list[str]) -> None:
    done = start(launcher, "sweep", *SWEEP_ARGS)
    assert (done.returncode, done.stderr) == (0, "")
    assert "updates needed per learning rate" in done.stdout
    assert "\x1b" not in done.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("no_color", "coloured"), [(False, True), (True, False)], ids=["terminal", "NO_COLOR"])
def test_sweep_end_to_end_on_a_terminal(no_color: bool, coloured: bool) -> None:
    env = child_env(NO_COLOR="1") if no_color else child_env()
    with Terminal([sys.executable, "-m", "gdtutor", "sweep", *SWEEP_ARGS], env, stderr=True) as proc:
        proc.finish()
    out, err = proc.output.decode(), proc.errors
    assert (proc.returncode, err) == (0, b"")
    assert "updates needed per learning rate" in out
    assert bool(ANSI.search(out)) is coloured


# --- 6. bad input ------------------------------------------------------------------------------

BAD_INPUT = [
    # (argv, words the one line on stderr must contain)
    (["run", "--bogus"], ["--bogus"]),
    (["sweep", "--bogus"], ["--bogus"]),
    (["frobnicate"], ["frobnicate"]),
    (["run", "--eta"], ["--eta"]),
    (["run", "--eta", "0"], ["--eta", "greater than 0"]),
    (["run", "--eta", "-1"], ["--eta", "greater than 0"]),
    (["run", "--eta", "abc"], ["--eta", "not a number"]),
    (["run", "--eta", "nan"], ["--eta", "finite"]),
    (["run", "--eta", "inf"], ["--eta", "finite"]),
    (["run", "--eta", "1e400"], ["--eta", "finite"]),
    (["run", "--precision", "0"], ["--precision", "greater than 0"]),
    (["run", "--precision=-0.001"], ["--precision", "greater than 0"]),
    (["run", "--precision", "1e-400"], ["--precision", "greater than 0"]),
    (["run", "--precision", "nan"], ["--precision", "finite"]),
    (["run", "--x0", "nan"], ["--x0", "finite"]),
    (["run", "--x0=-inf"], ["--x0", "finite"]),
    (["run", "--x0", "zero"], ["--x0", "not a number"]),
    (["run", "--x0", "1", "--seed", "2"], ["--x0", "--seed"]),
    (["sweep", "--seed", "2", "--x0", "1"], ["--x0", "--seed"]),
    (["run", "--seed", "-1"], ["--seed"]),
    (["run", "--seed", "1.5"], ["--seed", "not a whole number"]),
    (["run", "--max-iter", "0"], ["--max-iter"]),
    (["run", "--lang", "fr"], ["--lang"]),
    (["run", "--function", "x^"], ["--function", "column"]),
    (["run", "--function", "(x"], ["--function", "column"]),
    (["run", "--function", ""], ["--function", "empty"]),
    (["run", "--function", "foo(x)"], ["--function", "column", "foo"]),
    (["run", "--function", "x = 1"], ["--function", "column"]),
    (["run", "--function", "1e999*x"], ["--function", "too large"]),
    (["run", "--function", "x.real"], ["--function", "column"]),
    (["run", "--function", HOSTILE], ["--function", "column"]),
    (["run", "--derivative", "2*"], ["--derivative", "column"]),
    (["run", "--derivative", HOSTILE], ["--derivative", "column"]),
    (["sweep", "--function", "x^"], ["--function", "column"]),
    (["sweep", "--function", HOSTILE], ["--function", "column"]),
    (["sweep", "--function", "sign(x)"], ["--function", "--derivative"]),
    (["sweep", "--eta-min", "1", "--eta-max", "0.5"], ["--eta-min", "--eta-max"]),
    (["sweep", "--eta-min", "0"], ["--eta-min", "greater than 0"]),
    (["sweep", "--eta-max", "nan"], ["--eta-max", "finite"]),
    (["sweep", "--count", "0"], ["--count"]),
    (["sweep", "--count", "many"], ["--count", "not a whole number"]),
    (["sweep", "--precision=-1"], ["--precision"]),
]


@pytest.mark.parametrize(("argv", "words"), BAD_INPUT, ids=[" ".join(a) for a, _ in BAD_INPUT])
def test_bad_input_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], words: list[str]
) -> None:
    code, out, err = call(capsys, *argv)
    assert code == 2
    assert out == ""
    line = assert_one_clean_line(err)
    for word in words:
        assert word in line, line


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--eta", "0"],
        ["run", "--x0", "1", "--seed", "2"],
        ["run", "--function", "x^"],
        ["sweep", "--eta-min", "1", "--eta-max", "0.5"],
        ["sweep", "--count", "0"],
        ["run", "--nope"],
    ],
    ids=" ".join,
)
def test_bad_input_end_to_end(launcher: list[str], argv: list[str]) -> None:
    done = start(launcher, *argv)
    assert done.returncode == 2
    assert done.stdout == ""
    assert_one_clean_line(done.stderr)


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_hostile_function_runs_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = call(capsys, command, "--function", HOSTILE, "--x0", "0")
    assert code == 2
    assert_one_clean_line(err)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("option", ["--function", "--derivative"])
def test_hostile_function_end_to_end_creates_no_file(launcher: list[str], tmp_path: Path, option: str) -> None:
    done = start(launcher, "run", option, HOSTILE, "--x0", "0", cwd=tmp_path)
    assert done.returncode == 2
    assert option in assert_one_clean_line(done.stderr)
    assert not (tmp_path / "PWNED").exists()
    assert list(tmp_path.iterdir()) == []


# --- 7. a closed pipe --------------------------------------------------------------------------


def test_pipe_into_head_end_to_end(tmp_path: Path) -> None:
    """``gdtutor run ... | head -n 1``: head leaves after one line, gdtutor goes quietly."""
    sh = shutil.which("sh")
    if sh is None:
        pytest.skip("no sh")
    command = f"{sys.executable} -m gdtutor run --x0 0 --eta 0.001 2>{tmp_path / 'err'} | head -n 1"
    done = subprocess.run([sh, "-c", command], capture_output=True, text=True, env=child_env(), timeout=60)
    assert done.returncode == 0
    assert done.stdout == f"f(x) = {LECTURE_FUNCTION}\n"
    assert (tmp_path / "err").read_text() == ""


def read_then_close(launcher: list[str], argv: list[str], lines: int) -> tuple[int, str]:
    """Start gdtutor, read ``lines`` lines of its output (0: none), close the pipe; (status, stderr)."""
    proc = subprocess.Popen([*launcher, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env())
    assert proc.stdout is not None and proc.stderr is not None
    for _ in range(lines):
        proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    return proc.wait(timeout=60), err


@pytest.mark.parametrize(
    ("argv", "lines"),
    [
        pytest.param(["run", "--x0", "0", "--eta", "0.0001"], 1, id="run long output, reader leaves after 1 line"),
        pytest.param(["run", "--x0", "0", "--eta", "0.0001"], 0, id="run long output, reader gone at once"),
        pytest.param(["run", "--x0", "0"], 0, id="run short output, reader gone at once"),
        pytest.param(["run", "--x0", "0", "--json"], 0, id="run --json, reader gone at once"),
        pytest.param(["sweep", *SWEEP_ARGS], 0, id="sweep, reader gone at once"),
        pytest.param(["sweep", *SWEEP_ARGS, "--json"], 0, id="sweep --json, reader gone at once"),
    ],
)
def test_closed_pipe_is_quiet(argv: list[str], lines: int) -> None:
    status, err = read_then_close([sys.executable, "-m", "gdtutor"], argv, lines)
    assert "Traceback" not in err
    assert err == ""
    assert status == 0


# --- 8. Ctrl+C ---------------------------------------------------------------------------------

SLOW_RUN = ("run", "--x0", "0", "--eta", "1.0001", "--max-iter", str(MAX_UPDATES))
"""Diverges slowly (|x - 5.75| grows by 0.02 % an update): a million lines, some 30 MB of text."""


def interrupt_once_writing(launcher: list[str], argv: list[str], lead: int = 65536) -> tuple[int, str, str]:
    """Start gdtutor, read ``lead`` bytes of its output, send SIGINT; (status, stdout, stderr).

    Once ``lead`` bytes are read, gdtutor is well into its loop; its stdout is not read again until the
    signal is sent, and its output is far larger than the pipe holds, so it is still in its loop (or
    blocked writing) when the signal comes, never done, whatever the machine's speed.
    """
    proc = subprocess.Popen(
        [*launcher, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
        bufsize=0,  # reads take from the pipe itself, and communicate() reads on from there
    )
    assert proc.stdout is not None
    first = b""
    while len(first) < lead:
        chunk = proc.stdout.read(lead - len(first))
        if not chunk:
            break
        first += chunk
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, (first + out).decode("utf-8"), err.decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT")
def test_ctrl_c_stops_a_run_end_to_end(launcher: list[str]) -> None:
    status, out, err = interrupt_once_writing(launcher, [*SLOW_RUN, "--lang", "en"])
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err == ""
    assert status == 130, "ended before the signal came" if "Diverged" in out else status
    last = out.splitlines()[-1]
    assert last.startswith("Stopped by you after "), last
    assert out.startswith(f"f(x) = {LECTURE_FUNCTION}\n")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT")
def test_ctrl_c_stops_a_run_in_chinese_end_to_end() -> None:
    status, out, err = interrupt_once_writing([sys.executable, "-m", "gdtutor"], [*SLOW_RUN, "--lang", "zh"])
    assert (status, err) == (130, "")
    assert out.splitlines()[-1].startswith("已手动停止")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT")
def test_ctrl_c_in_json() -> None:
    argv = ["run", "--json", "--function", "x", "--eta", "1", "--x0", "0", "--max-iter", str(MAX_UPDATES)]
    status, _, err = interrupt_once_writing([sys.executable, "-m", "gdtutor"], argv, lead=1)  # 20 MB of JSON
    assert "Traceback" not in err
    assert (status, err) == (130, "gdtutor: stopped (ctrl+c)\n")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT")
def test_ctrl_c_in_sweep() -> None:
    # a sweep prints nothing before it ends (about 10 s for these 1,000 slowly diverging rates): the
    # signal comes once the sweep runs (numpy is loaded, which only the sweep itself does)
    argv = ["sweep", "--x0", "0", "--eta-min", "1.00001", "--eta-max", "1.00002", "--count", "1000"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "gdtutor", *argv, "--max-iter", str(MAX_UPDATES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while "_multiarray_umath" not in Path(f"/proc/{proc.pid}/maps").read_text():
            assert proc.poll() is None and time.monotonic() < deadline, "the sweep never started"
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in err
    assert proc.returncode == 130
    assert err == "gdtutor: stopped (ctrl+c)\n"


@pytest.mark.parametrize(
    ("argv", "target"),
    [
        (["run", "--json", "--x0", "0"], "gdtutor.engine.descent.Descent.to_end"),
        (["sweep", *SWEEP_ARGS], "gdtutor.engine.sweeps.sweep"),
        (["sweep", *SWEEP_ARGS, "--json"], "gdtutor.engine.sweeps.sweep"),
        (["sweep", *SWEEP_ARGS], "gdtutor.charts.sweep_chart"),
    ],
    ids=["run --json", "sweep", "sweep --json", "sweep while drawing"],
)
@pytest.mark.parametrize(("lang", "line"), [("en", "gdtutor: stopped (ctrl+c)"), ("zh", "gdtutor: 已停止（ctrl+c）")])
def test_ctrl_c_in_process_is_one_line_and_status_130(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    target: str,
    lang: str,
    line: str,
) -> None:
    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(target, interrupted)  # where the command looks it up when it runs
    code, _, err = call(capsys, *argv, "--lang", lang)
    assert code == 130
    assert assert_one_clean_line(err) == line


class InterruptedBetweenChunks(Descent):
    """A run whose third chunk of updates is interrupted before it starts (Ctrl+C while printing)."""

    calls = 0

    def advance(self, n: int = 1) -> list:
        type(self).calls += 1
        if type(self).calls == 3:
            raise KeyboardInterrupt
        return super().advance(n)


def stopped_line_matches_last_update(lines: list[str]) -> tuple[int, float, int, float]:
    updates = update_lines(lines)
    match = STOPPED_LINE.match(lines[-1])
    assert match, lines[-1]
    return int(match[1]), float(match[2]), *updates[-1]


def test_ctrl_c_in_process_between_chunks(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(InterruptedBetweenChunks, "calls", 0)
    monkeypatch.setattr("gdtutor.engine.descent.Descent", InterruptedBetweenChunks)
    code, out, err = call(capsys, *SLOW_RUN, "--lang", "en")
    assert (code, err) == (130, "")
    lines = out.splitlines()
    steps, x, last_step, last_x = stopped_line_matches_last_update(lines)
    assert steps == last_step and x == last_x
    assert last_step >= 1


def test_ctrl_c_while_formatting_counts_only_printed_updates(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gdtutor.cli import parsing

    real_t = parsing.t
    calls = {"update": 0}

    def interrupting_t(key: str, lang: str, **fields: object) -> str:
        if key == "update":
            calls["update"] += 1
            if calls["update"] == 1500:
                raise KeyboardInterrupt
        return real_t(key, lang, **fields)

    monkeypatch.setattr(parsing, "t", interrupting_t)
    code, out, err = call(capsys, *SLOW_RUN, "--lang", "en")
    assert (code, err) == (130, "")
    steps, x, last_step, last_x = stopped_line_matches_last_update(out.splitlines())
    assert (steps, x) == (last_step, last_x)


def test_ctrl_c_inside_an_update_reports_a_consistent_x(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_g = Function.g
    calls = {"n": 0}

    def interrupting_g(self: Function) -> object:
        g = real_g.__get__(self, Function)

        def wrapped(x: float) -> float:
            calls["n"] += 1
            if calls["n"] == 1500:
                raise KeyboardInterrupt
            return g(x)

        return wrapped

    monkeypatch.setattr(Function, "g", property(interrupting_g))
    code, out, err = call(capsys, *SLOW_RUN, "--lang", "en")
    assert (code, err) == (130, "")
    assert calls["n"] == 1500
    match = STOPPED_LINE.match(out.splitlines()[-1])
    assert match
    steps, x = int(match[1]), float(match[2])
    trace = lecture_trace(1.0001, cap=steps)
    assert x == trace[steps], f"x after {steps} updates is {trace[steps]!r}, not {x!r}"


# --- 9. gdtutor lab: the options reach the app ---------------------------------------------------------


@pytest.fixture
def started_apps(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Apps that ``gdtutor`` / ``gdtutor lab`` would run, built but not run."""
    from gdtutor.ui.app import GDTutorApp

    apps: list[object] = []
    monkeypatch.setattr(GDTutorApp, "run", lambda self, *a, **k: apps.append(self))
    monkeypatch.setattr("gdtutor.ui.process.terminal_problem", lambda lang: None)  # pytest's stdin is no tty
    return apps


def test_lab_options_reach_the_lab(capsys: pytest.CaptureFixture[str], tmp_path: Path, started_apps: list) -> None:
    argv = ["lab", "--eta", "0.01", "--compare", "0.5", "1", "--x0", "-3", "--precision", "1e-6", "--run"]
    code, out, err = call(capsys, *argv, "--data-dir", str(tmp_path))
    assert (code, out, err) == (0, "", "")
    (app,) = started_apps
    lab = app.lab_setup
    assert (lab.eta, lab.compare, lab.x0, lab.precision, lab.seed) == (0.01, (0.5, 1.0), -3.0, 1e-6, None)
    assert app.run_lab is True
    assert gc.isenabled(), "the collector is back on once the app has ended"


def test_lab_without_a_start_starts_at_random(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, started_apps: list
) -> None:
    assert call(capsys, "lab", "--data-dir", str(tmp_path))[0] == 0
    lab = started_apps[0].lab_setup
    assert (lab.x0, lab.seed, lab.compare) == (None, None, ())  # the lab draws a new seed each run
    assert call(capsys, "lab", "--seed", "7", "--data-dir", str(tmp_path))[0] == 0
    assert (started_apps[1].lab_setup.x0, started_apps[1].lab_setup.seed) == (None, 7)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--compare", "0.1", "0.2", "0.3", "0.4"], "gdtutor lab: --compare: takes at most 3 learning rates"),
        (["--compare", "-1"], "-1 must be greater than 0"),
        (["--compare"], "expected at least one argument"),
        (["--function", "x^"], "gdtutor lab: --function:"),
    ],
)
def test_lab_refuses_bad_options_before_the_app_starts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, started_apps: list, argv: list[str], message: str
) -> None:
    code, out, err = call(capsys, "lab", *argv, "--data-dir", str(tmp_path))
    assert code == 2 and out == "" and message in err and err.count("\n") == 1
    assert started_apps == [] and gc.isenabled()


def test_run_json_says_which_path_it_gives_and_keeps_it_whole_when_asked(capsys) -> None:  # type: ignore[no-untyped-def]
    # the slope of x is 1: 100,000 updates of 0.001 without stopping, past what a path keeps whole
    args = ("--function", "x", "--eta", "0.001", "--x0", "0", "--max-iter", "100000")
    bounded = run_json(capsys, *args)
    assert bounded["trace_kept"] == "thinned" and "trace" not in bounded
    assert bounded["path"]["update"][0] == 0 and bounded["path"]["update"][-1] == 100_000
    assert len(bounded["path"]["x"]) < 60_000
    full = run_json(capsys, *args, "--trace", "full")
    assert full["trace_kept"] == "whole" and len(full["trace"]) == 100_001
    assert full["trace"][-1] == bounded["path"]["x"][-1] == full["x"]
