"""The app as a process: no terminal, a crash, the signals that end it, keys pressed during a run.

These drive the real ``python -m gdtutor`` (a pipe, /dev/null or a pseudo-terminal), each bounded by
a timeout, never by a fixed wait.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from support.children import child_env, gdtutor
from support.terminal import Terminal

# --- 1. no terminal ---------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [[], ["lab"]])
def test_without_a_terminal_the_app_refuses_in_one_line(tmp_path: Path, argv: list[str]) -> None:
    """stdin at /dev/null used to spin a core forever: now one line and status 2, at once."""
    done = gdtutor(*argv, data_dir=tmp_path)  # stdin at /dev/null
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("gdtutor: ") and "standard input is not" in done.stderr
    assert not (tmp_path / "progress.db").exists(), "refused before the app was built"


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--x0", "3"],
        ["sweep", "--count", "3", "--x0", "3", "--json"],
        ["lessons", "list"],
        ["progress"],
    ],
)
def test_headless_commands_need_no_terminal(tmp_path: Path, argv: list[str]) -> None:
    done = gdtutor(*argv, data_dir=tmp_path)  # stdin at /dev/null
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


# --- a pseudo-terminal: the app as a learner's shell starts it --------------------------------------

LIST_TEXT = "Why gradient descent"
"""Text of the lesson list: once it is on the screen, the app is up."""

RESTORE = (b"\x1b[?1049l", b"\x1b[?25h", b"\x1b[?1000l")
"""What a restored terminal has been sent: the alternate screen left, the cursor shown, mouse tracking off."""


def app_script(*patch: str) -> str:
    """``python -m gdtutor``, after ``patch`` (lines of Python) has run in the same process."""
    return "\n".join(["import sys", *patch, "from gdtutor.cli import main", "sys.exit(main())"])


def terminal(code: str, data_dir: Path, unbuffered: bool = True) -> Terminal:
    """``python -c code`` on a terminal of 80x24, as a learner's shell starts it, with Python's output
    unbuffered (PYTHONUNBUFFERED=1) unless told: these tests ran so before the environments were one
    (they took it from the machine's), and a hang-up needs it (see the hang-up test)."""
    return Terminal([sys.executable, "-c", code], child_env(data_dir, PYTHONUNBUFFERED="1" if unbuffered else None))


def test_a_crash_exits_non_zero_restores_the_terminal_and_says_where_the_details_are(tmp_path: Path) -> None:
    """An error nobody expected: status 1, the terminal restored, one line naming the log, no traceback."""
    script = app_script(
        "from gdtutor.ui.app import GDTutorApp",
        "def boom(self): raise RuntimeError('injected for the test')",
        "GDTutorApp.action_help = boom",
    )
    with terminal(script, tmp_path) as term:
        term.wait_for(LIST_TEXT)
        term.type("?")
        status = term.finish()
    assert status == 1
    log = tmp_path / "crash.log"
    assert log.is_file()
    details = log.read_text(encoding="utf-8")
    assert "RuntimeError" in details and "injected for the test" in details and "boom" in details
    restored = term.output.rindex(RESTORE[0])
    tail = term.output[restored:]
    assert all(seq in tail for seq in RESTORE), tail
    after = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", tail.decode("utf-8", "replace")).replace("\r", "")
    assert "Traceback" not in after and "injected" not in after, "the details are in the log, not on the screen"
    lines = [line for line in after.split("\n") if line.strip()]
    assert lines[-1].startswith("gdtutor: ") and str(log) in lines[-1], after


def test_a_crash_while_the_app_is_built_is_logged_too(tmp_path: Path) -> None:
    """Before the app's loop (its state being built): status 1, one line naming the log, no traceback."""
    script = app_script(
        "import gdtutor.ui",
        "def boom(**_): raise RuntimeError('injected while building')",
        "gdtutor.ui.make_app = boom",
    )
    with terminal(script, tmp_path) as term:
        status = term.finish()
    assert status == 1
    log = tmp_path / "crash.log"
    assert "injected while building" in log.read_text(encoding="utf-8")
    after = term.output.decode("utf-8", "replace").replace("\r", "")
    assert "Traceback" not in after and str(log) in after


# --- 3. the signals that end it -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGQUIT"])
def test_an_ending_signal_restores_the_terminal_saves_and_exits_128_plus_its_number(tmp_path: Path, name: str) -> None:
    import signal
    import termios

    signum = getattr(signal, name)
    with terminal(app_script(), tmp_path) as term:
        term.wait_for(LIST_TEXT)
        term.type("\r")  # open the first lesson: the store records the visit
        term.wait_for("step 1 of")
        os.kill(term.pid, signum)
        term.wait_for_output(RESTORE[0])
        modes = termios.tcgetattr(term.master)
        status = term.finish()
    assert status == 128 + signum, term.output[-2000:]
    tail = term.output[term.output.rindex(RESTORE[0]) :]
    assert all(seq in tail for seq in RESTORE), tail
    assert b"Traceback" not in tail
    lflag = modes[3]
    assert lflag & termios.ICANON and lflag & termios.ECHO, "the tty is out of raw mode"
    # the store was closed by the app's own exit: its write-ahead log checkpointed and removed
    assert (tmp_path / "progress.db").is_file()
    assert not (tmp_path / "progress.db-wal").exists()


def test_a_signal_before_the_first_frame_is_no_crash(tmp_path: Path) -> None:
    """SIGTERM as soon as the app has taken the screen, before it drew: Textual's exit stopped the
    first screen's mount halfway and its on_mount failed, which ended in a crash log and status 1."""
    import signal

    with terminal(app_script(), tmp_path) as term:
        term.wait_for_output(b"\x1b[?1049h")
        os.kill(term.pid, signal.SIGTERM)
        status = term.finish()
    assert status == 128 + signal.SIGTERM, term.output[-2000:]
    assert not (tmp_path / "crash.log").exists()
    assert b"unexpected error" not in term.output


@pytest.mark.parametrize("unbuffered", [True, False], ids=["unbuffered", "buffered"])
def test_a_hung_up_terminal_ends_the_process(tmp_path: Path, unbuffered: bool) -> None:
    """The SSH link drops: the terminal's master side closes, the kernel sends SIGHUP, the process ends."""
    import signal

    with terminal(app_script(), tmp_path, unbuffered) as term:
        term.wait_for(LIST_TEXT)
        term.hang_up()
        status = term.wait(timeout=60)
    assert status == 128 + signal.SIGHUP


# --- 4. keys pressed while a run animates -------------------------------------------------------------


@pytest.mark.parametrize("compare", [(), (0.3, 0.9)])
async def test_f2_pressed_every_few_frames_of_a_run_never_crashes(tmp_path: Path, compare: tuple[float, ...]) -> None:
    """f2 rebuilds every word while the run's timer and worker update the status and the charts."""
    import time

    from gdtutor.engine import LECTURE_FUNCTION
    from gdtutor.engine.params import Setup
    from gdtutor.ui import make_app
    from gdtutor.ui.widgets.lab import Lab

    app = make_app(lang="en", data_dir=tmp_path, lab=Setup(function=LECTURE_FUNCTION, eta=0.1, x0=0.0, compare=compare))
    presses = 0
    async with app.run_test(size=(80, 24)) as pilot:
        lab = app.screen.query_one(Lab)
        deadline = time.monotonic() + 120  # a bound against a hang, never reached by a run that works
        runs = 0
        for _ in range(12):  # twelve presses, each while a run animates: a run that ends is started again
            if lab.playback is None or lab.playback.finished:
                await pilot.press("r")
                runs += 1
            playback = lab.playback
            assert playback is not None
            shown = playback.shown
            await pilot.press("f2")
            presses += 1
            while playback.shown < shown + 2 and not playback.finished:  # a couple of frames later
                assert time.monotonic() < deadline, "the run did not go on"
                await pilot.pause(0.01)
        await pilot.press("f2")
        await pilot.pause()
        assert app.lang == ("zh" if (presses + 1) % 2 else "en")
    assert presses == 12 and runs >= 1
    assert app.return_code in (None, 0)  # an exception in the app would have been raised by run_test


async def test_f2_after_leaving_a_running_lab_never_crashes(tmp_path: Path) -> None:
    """The lab's screen is left while its run is animated: its timer must not update widgets that are gone."""
    import time

    from gdtutor.engine import LECTURE_FUNCTION
    from gdtutor.engine.params import Setup
    from gdtutor.ui import make_app
    from gdtutor.ui.screens.lessons import LessonListScreen
    from gdtutor.ui.widgets.lab import Lab

    app = make_app(lang="en", data_dir=tmp_path, lab=Setup(function=LECTURE_FUNCTION, eta=0.01, x0=0.0))
    deadline = time.monotonic() + 60  # a bound against a hang only
    async with app.run_test(size=(80, 24)) as pilot:
        lab = app.screen.query_one(Lab)
        await pilot.press("r")
        playback = lab.playback
        assert playback is not None
        while playback.shown < 3:
            assert time.monotonic() < deadline
            await pilot.pause(0.01)
        assert not playback.finished, "left while the run is animated"
        await pilot.press("q")
        while not isinstance(app.screen, LessonListScreen):
            assert time.monotonic() < deadline
            await pilot.pause(0.01)
        for _ in range(6):
            lang = app.lang
            await pilot.press("f2")
            while app.lang == lang:
                assert time.monotonic() < deadline
                await pilot.pause(0.01)
        await pilot.press("a")  # the lab again, a new one
        await pilot.pause()
    assert app.return_code in (None, 0)


@pytest.mark.slow
def test_f2_every_tenth_of_a_second_for_ten_seconds_of_a_run_in_the_real_process(tmp_path: Path) -> None:
    """The issue's case as a learner meets it: ``gdtutor lab`` in a terminal, a run animating (eta 0.001
    takes about 7,000 updates, well over 10 s at the default pace), f2 pressed 100 times, 0.1 s apart.
    The process stays up throughout, and ctrl+q then ends it with status 0, the terminal restored and no
    crash log."""
    script = app_script("sys.argv[1:] = ['lab', '--eta', '0.001', '--x0', '0']")
    with terminal(script, tmp_path) as term:
        term.wait_for("Help")  # the key bar is drawn: the app is up
        term.type("r")
        term.wait_for("update 2")  # the run animates
        for press in range(100):
            term.type(b"\x1bOQ")  # f2, as xterm sends it
            term.drain(0.1)  # keep reading the screen meanwhile (0.1 s)
            assert term.poll() is None, f"the app ended after {press + 1} presses; the screen:\n{term.screen.text}"
        before_quit = len(term.output)
        term.type("\x11")  # ctrl+q
        status = term.finish()
    assert status == 0, term.output[-2000:]
    assert not (tmp_path / "crash.log").exists()
    shown = term.screen.transcript()  # everything shown, in both languages
    steps = [int(n) for n in re.findall(r"(?:update |第 )(\d+)", shown)]
    assert "次更新" in shown and max(steps) > 100, "the run went on in both languages while f2 was pressed"
    tail = term.output[before_quit:]
    assert all(seq in tail for seq in RESTORE), tail[-500:]


async def test_closing_while_a_lesson_is_being_opened_never_crashes(tmp_path: Path) -> None:
    """SIGTERM or ctrl+q (the app's exit) in the moment a lesson's screen is being built: its handlers
    find their widgets taken apart, which is not a crash (ui.tutor.TutorNode.on_event). Found by the
    signal test under load: SIGTERM just after Enter logged NoMatches and exited 1. (A screen's own keys,
    q among them, wait until its mount is done.)"""
    import asyncio

    from gdtutor.ui import make_app
    from gdtutor.ui.screens.lesson import LessonScreen

    for ticks in range(12):  # the exit lands at each point of the screen's building in turn
        app = make_app(lang="en", data_dir=tmp_path / str(ticks))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.push_screen(LessonScreen(app.catalog.get("why-gradient-descent")))  # type: ignore[arg-type]
            for _ in range(ticks):
                await asyncio.sleep(0)
            app.exit(return_code=143)
        assert app.return_code == 143, ticks
