"""The command line's edges (issue 12): output that cannot take Unicode, output that cannot be written,
values that start with a minus, sweep's own --derivative, extreme learning rates and an empty folder name.

Each case drives the real process (``python -m gdtutor``), as a learner's shell would start it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import children
from support.children import Done, child_env

from gdtutor.i18n import t

FAST_SWEEP = ["--x0", "3", "--count", "5"]


def env_of(**extra: str) -> dict[str, str]:
    """A user's shell: no locale, colour or encoding settings of ours unless given."""
    return child_env(**{"LANG": None, "PYTHONIOENCODING": None, **extra})


def gdtutor(*argv: str, env: dict[str, str] | None = None, **run: object) -> Done:
    """``python -m gdtutor ARGV`` in a user's shell (LANG=C.UTF-8 unless ``env``): its status, stdout and
    stderr as bytes."""
    return children.gdtutor(*argv, env=env or env_of(LANG="C.UTF-8"), text=False, **run)  # type: ignore[arg-type]


def one_line(err: bytes) -> str:
    """The single line a failure writes on stderr (never a traceback)."""
    text = err.decode()
    assert "Traceback" not in text, text
    assert text.endswith("\n") and text.count("\n") == 1, f"expected one line, got {text!r}"
    return text.strip()


# --- 1. output that cannot take Unicode ---------------------------------------------------------

ASCII_ONLY = {
    "PYTHONIOENCODING=ascii": {"PYTHONIOENCODING": "ascii", "LANG": "C.UTF-8"},
    "LC_ALL=C, no UTF-8 mode": {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
}
COMMANDS = {
    "run": ["run", "--x0", "3", "--max-iter", "5"],
    "sweep": ["sweep", *FAST_SWEEP],
    "progress": ["progress"],
}


@pytest.mark.parametrize("stream", ASCII_ONLY.values(), ids=ASCII_ONLY.keys())
@pytest.mark.parametrize("argv", COMMANDS.values(), ids=COMMANDS.keys())
def test_chinese_output_on_an_ascii_stream_is_escaped(tmp_path: Path, stream: dict[str, str], argv: list[str]) -> None:
    done = gdtutor(*argv, "--lang", "zh", "--data-dir", str(tmp_path), env=env_of(**stream))
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"Traceback" not in done.stderr
    done.stdout.decode("ascii")  # every byte ASCII
    shown = done.stdout.decode("unicode_escape")  # what the escapes stand for
    expected = {
        "run": t("derivative", "zh", g="").split("=")[0],
        "sweep": t("chart_sweep_title", "zh"),
        "progress": t("progress_not_started", "zh"),
    }[argv[0]]
    assert expected in shown


def test_sweep_chart_is_drawn_in_ascii_when_the_stream_cannot_carry_its_lines() -> None:
    done = gdtutor("sweep", *FAST_SWEEP, "--lang", "en", env=env_of(PYTHONIOENCODING="ascii", LANG="C.UTF-8"))
    assert done.returncode == 0
    text = done.stdout.decode("ascii")
    assert "\\u" not in text  # nothing escaped: the chart's lines and marks are ASCII themselves
    assert "+---" in text and "|" in text
    assert f"o {t('chart_sweep_converged', 'en')}" in text
    utf8 = gdtutor("sweep", *FAST_SWEEP, "--lang", "en").stdout.decode()
    assert "•" in utf8 and "─" in utf8  # a stream that can carry them keeps plotext's own lines


# --- 2. output that cannot be written -----------------------------------------------------------

FULL_DISK_COMMANDS = {
    "run": ["run", "--x0", "3"],
    "run --json": ["run", "--x0", "3", "--json"],
    "sweep": ["sweep", *FAST_SWEEP],
    "lessons list": ["lessons", "list"],
    "--help": ["--help"],
}


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("argv", FULL_DISK_COMMANDS.values(), ids=FULL_DISK_COMMANDS.keys())
def test_a_full_disk_is_one_line_and_status_1(argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = gdtutor(*argv, "--lang", "en", stdout=full)
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert line.startswith("gdtutor: " + t("cli_no_output", "en", reason=""))
    assert os.strerror(28) in line  # ENOSPC, in the system's words


@pytest.mark.parametrize("argv", [["run", "--x0", "3"], ["sweep", *FAST_SWEEP], ["--version"]], ids=" ".join)
def test_a_closed_stdout_is_one_line_and_status_1(argv: list[str]) -> None:
    sh = shutil.which("sh")
    if sh is None:
        pytest.skip("no sh")
    command = " ".join([sys.executable, "-m", "gdtutor", *argv, "--lang", "en", ">&-"])
    done = subprocess.run([sh, "-c", command], capture_output=True, env=env_of(LANG="C.UTF-8"), timeout=120)
    assert done.returncode == 1
    assert one_line(done.stderr) == "gdtutor: " + t("cli_no_output", "en", reason=t("cli_stdout_closed", "en"))


# --- 3. an expression that starts with a minus --------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--function", "-x^2", "--derivative", "-2*x"],
        ["run", "--fun", "-x^2", "--deriv", "-2*x"],  # abbreviations, as argparse accepts them
        ["run", "--function=-x^2", "--derivative=-2*x"],
    ],
    ids=" ".join,
)
def test_an_expression_may_start_with_a_minus(argv: list[str]) -> None:
    import json

    done = gdtutor(*argv, "--x0", "1", "--max-iter", "3", "--json")
    assert done.returncode == 0, done.stderr.decode()
    doc = json.loads(done.stdout)
    assert doc["function"].replace(" ", "") in ("-x**2", "-x^2")
    assert doc["derivative"].replace(" ", "") == "-2*x"
    # each update x - eta * g(x) = x + 0.2x: with the minus read, three updates from 1 give 1.2^3
    assert doc["x"] == pytest.approx(1.2**3)


def test_an_option_after_an_expression_option_is_still_an_option() -> None:
    done = gdtutor("run", "--function", "--eta", "0.1")
    assert done.returncode == 2
    assert "--function" in one_line(done.stderr)


# --- 4. sweep's own --derivative ----------------------------------------------------------------


def test_sweep_takes_the_derivative_its_advice_names() -> None:
    import json

    advice = one_line(gdtutor("sweep", "--function", "sign(x)", "--lang", "en").stderr)
    assert "--derivative" in advice
    assert gdtutor("sweep", "--function", "sign(x)", "--derivative", "0", *FAST_SWEEP).returncode == 0
    # the derivative given is the one used: 2x + 2 has its zero at -1, where f = x^2's own is at 0
    done = gdtutor("sweep", "--function", "x^2", "--derivative", "2*x + 2", "--eta-max", "0.5", *FAST_SWEEP, "--json")
    assert done.returncode == 0, done.stderr.decode()
    rows = json.loads(done.stdout)
    assert rows and all(row["status"] == "converged" for row in rows)
    assert all(abs(row["x"] + 1) < 0.01 for row in rows)


# --- 5. a sweep over extreme learning rates -----------------------------------------------------

EXTREME_RATES = [
    ("1", "1e307"),
    ("1e-320", "1e-310"),
    ("5e-324", "5e-324"),  # the smallest float
    ("1.7976931348623157e308", "1.7976931348623157e308"),  # the largest
    ("1e-300", "1e300"),
    ("1e-5", "1e-5"),
    ("9e3", "2e4"),
]


@pytest.mark.parametrize(("low", "high"), EXTREME_RATES, ids=["..".join(r) for r in EXTREME_RATES])
def test_the_sweep_chart_draws_any_finite_rates(low: str, high: str) -> None:
    import math

    from gdtutor.charts import PLAIN_RATES, sweep_chart
    from gdtutor.engine.sweeps import rates, sweep

    result = sweep("x^2", rates(float(low), float(high), 5), 3.0)
    for lang in ("en", "zh"):
        chart = sweep_chart(result, lang, width=80, height=18, color=False).splitlines()
        top = float(high)
        if PLAIN_RATES[0] <= top <= PLAIN_RATES[1]:
            assert t("chart_sweep_axes", lang) in chart
        else:
            assert t("chart_sweep_axes_scaled", lang, power=math.floor(math.log10(top))) in chart
        assert len(chart) > 18  # the title, the figure's rows, the axes and the legend


@pytest.mark.parametrize(("low", "high"), EXTREME_RATES[:2], ids=["..".join(r) for r in EXTREME_RATES[:2]])
def test_sweep_over_extreme_rates_prints_its_chart(low: str, high: str) -> None:
    done = gdtutor("sweep", "--eta-min", low, "--eta-max", high, *FAST_SWEEP, "--lang", "en")
    assert done.returncode == 0
    assert done.stderr == b""
    text = done.stdout.decode()
    assert t("chart_sweep_title", "en") in text and "in units of 1e" in text


# --- 6. an empty folder name ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["progress", "--data-dir", ""], "--data-dir"),
        (["progress", "--reset", "--yes", "--data-dir="], "--data-dir"),
        (["--data-dir", ""], "--data-dir"),  # the tutor itself: refused before it starts
        (["lessons", "list", "--lessons", ""], "--lessons"),
    ],
    ids=["progress", "progress --reset", "the tutor", "lessons list"],
)
def test_an_empty_folder_is_refused_and_nothing_is_written(tmp_path: Path, argv: list[str], option: str) -> None:
    done = gdtutor(*argv, "--lang", "en", cwd=tmp_path)
    assert done.returncode == 2
    assert one_line(done.stderr) == f"gdtutor: {option}: {t('cli_empty_folder', 'en')}"
    assert done.stdout == b""
    assert list(tmp_path.iterdir()) == []
