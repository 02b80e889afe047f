"""The lab as a learner meets it: it never stalls, never hides a refusal, keeps its charts readable and
its memory bounded, and says only what is true."""

from __future__ import annotations

import functools
import time
from pathlib import Path

import numpy as np
import pytest
from support import waiting
from support.pilot import lab_app
from textual.widgets import Input, Select, Static

from gdtutor.charts import draw_function, draw_steps, new_figure, render
from gdtutor.engine import LECTURE_FUNCTION, Status
from gdtutor.engine.params import Setup
from gdtutor.ui import make_app
from gdtutor.ui.playback import Playback, preview_range
from gdtutor.ui.widgets.charts import FunctionChart
from gdtutor.ui.widgets.lab import Lab

until = functools.partial(waiting.until, timeout=20.0)
"""Waits for the app up to 20 s: its runs are long."""

SIZE = (80, 24)
SMALL = (60, 20)


def status(lab: Lab) -> str:
    return str(lab.query_one("#status", Static).render())


def on_screen(app: object, widget: object) -> bool:
    """Whether the widget is inside the screen's visible area (not scrolled away, not cut off)."""
    region = widget.region  # type: ignore[attr-defined]
    screen = app.screen.region  # type: ignore[attr-defined]
    return region.height > 0 and screen.contains_region(region)


# --- it never stalls ------------------------------------------------------------------------------------


@pytest.mark.parametrize("resume", ["space", "e"])
async def test_stepping_then_resuming_runs_to_the_end(tmp_path: Path, resume: str) -> None:
    app = lab_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await pilot.press("s", "s", "s")
        assert lab.playback is not None and lab.playback.shown == 3
        await pilot.press(resume, "+", "+", "+", "+")  # resume (faster, not to wait 4 s at 10 a second)
        await until(pilot, lambda: lab.playback.finished and not lab.running)
        assert lab.playback.main.status is Status.CONVERGED and lab.playback.shown == 43
        assert "Converged after 43 updates" in status(lab)


async def test_the_worker_keeps_pace_with_what_is_shown(tmp_path: Path) -> None:
    from gdtutor.ui.playback import AHEAD, WORKER_CHUNK

    setup = Setup(function="x", eta=1e-3, x0=0.0, max_iter=1_000_000)  # no bottom: runs to its limit
    playback = Playback(setup)
    playback.paused = True
    done = []
    import threading

    worker = threading.Thread(target=lambda: (playback.compute(), done.append(True)))
    worker.start()
    deadline = time.monotonic() + 20
    while playback.computed < AHEAD and time.monotonic() < deadline:
        time.sleep(0.01)
    assert AHEAD <= playback.computed <= AHEAD + WORKER_CHUNK  # paced: it waits for the animation
    playback.skip_to_end()  # e: no more waiting
    worker.join(timeout=60)
    assert done and playback.main.steps == 1_000_000 and playback.finished


# --- refusals are seen ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("eta", "abc", "'abc' is not a number"),
        ("eta", "-1", "-1 would climb"),
        ("precision", "0", "0 must be greater than 0"),
    ],
)
@pytest.mark.parametrize("size", [SIZE, SMALL])
async def test_a_refused_value_says_why_in_the_status_line_on_screen(
    tmp_path: Path, field: str, value: str, reason: str, size: tuple[int, int]
) -> None:
    app = lab_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        lab = app.screen.query_one(Lab)
        box = lab.query_one(f"#in-{field}", Input)
        box.focus()
        box.value = value
        await pilot.press("enter")
        await until(pilot, lambda: reason in status(lab))
        assert lab.playback is None
        assert on_screen(app, lab.query_one("#status"))


async def test_a_goal_question_opens_with_its_prompt_and_shows_refusals_on_screen(tmp_path: Path) -> None:
    from gdtutor.ui.screens.lesson import LessonScreen
    from gdtutor.ui.widgets.quiz import QuestionCard, QuizView

    app = make_app(lang="en", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lesson = app.catalog.get("learning-rate")  # type: ignore[attr-defined]
        quiz_step = next(i for i, step in enumerate(lesson.steps) if step.kind == "quiz")
        app.store.visit(lesson.id, quiz_step)  # type: ignore[attr-defined]
        app.push_screen(LessonScreen(lesson))  # type: ignore[attr-defined]
        await until(pilot, lambda: bool(app.screen.query(QuizView)))  # type: ignore[attr-defined]
        screen = app.screen  # type: ignore[attr-defined]
        quiz = screen.query_one(QuizView)
        goal = next(i for i, (_, q) in enumerate(quiz.items) if type(q).__name__ == "GoalQuestion")
        quiz.show(goal)
        await until(pilot, lambda: app.focused is quiz.card.query_one(Lab))  # type: ignore[attr-defined]
        await pilot.pause()
        card: QuestionCard = quiz.card
        lab = card.query_one(Lab)
        assert on_screen(app, card.query_one(".q-prompt")) and on_screen(app, card.query_one(".q-head"))
        await pilot.press("tab")
        assert app.focused is lab.query_one("#in-eta", Input)  # the one field the goal lets change
        await pilot.press("ctrl+u", *"9", "enter")
        await until(pilot, lambda: "not between 0.001 and 1" in status(lab))
        assert app.focused is lab.query_one("#in-eta", Input)  # refused: the focus stays, to mend it
        assert on_screen(app, lab.query_one("#status")) and on_screen(app, card.query_one(".q-prompt"))


# --- focus ----------------------------------------------------------------------------------------------


async def test_one_tab_reaches_the_first_field_and_the_focus_is_plain_without_colour(tmp_path: Path) -> None:
    app = lab_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        assert app.focused is lab
        await pilot.press("tab")
        field = lab.query_one("#in-function", Input)
        assert app.focused is field
        label = lab.query_one("#label-function")
        assert label.styles.text_style.reverse  # the focused field's label stands out without colour
        assert not lab.query_one("#label-eta").styles.text_style.reverse
        await pilot.press("tab")
        await pilot.press("tab")  # past the presets, to eta
        assert app.focused is lab.query_one("#in-eta", Input)
        await pilot.pause()
        reversed_labels = [label.id for label in lab.query(".param Label") if label.styles.text_style.reverse]
        assert reversed_labels == ["label-eta"]  # the mark follows the focus
        await pilot.press("ctrl+u", *"0.5", "enter")  # enter runs, and the lab's keys work at once
        await until(pilot, lambda: lab.playback is not None)
        assert app.focused is lab
        await pilot.press("e")  # the key the status offers: the run's end, not '0.5e' in the field
        await until(pilot, lambda: lab.playback is not None and lab.playback.finished)
        assert lab.query_one("#in-eta", Input).value == "0.5"
        await pilot.press("shift+tab")  # back to the fields: the last one, then up
        assert isinstance(app.focused, Input)


# --- what is drawn -------------------------------------------------------------------------------------


async def test_choosing_a_preset_draws_its_function_at_once(tmp_path: Path) -> None:
    app = lab_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        chart = lab.query_one(FunctionChart)
        before = chart.plt.build()
        lab.query_one("#presets", Select).value = "x^2"
        await until(pilot, lambda: lab.setup.function == "x^2")
        assert chart.plt.build() != before and lab.playback is None
        assert lab.query_one("#in-function", Input).value == "x^2"


def test_a_diverging_run_swings_on_the_chart_then_leaves_it_without_flattening_the_curve() -> None:
    setup = Setup(function=LECTURE_FUNCTION, eta=0.1, x0=0.0, compare=(1.1,))
    fn = setup.make_function()
    low, high = preview_range(setup, fn)
    # its first updates are seen going from side to side (12.65, then -1.03, ...), as far as ten widths
    # of what the settling run needs (0 to 5.75), not 1e10
    assert low <= -1.03 and high >= 12.65 and high - low <= 21 * 5.75 + 1
    playback = Playback(setup, fn)
    playback.skip_to_end()
    playback.compute()
    paths = [playback.points(i)[1] for i in range(2)]
    assert len(paths[1]) > 3000  # the whole run, which thinning cut to its start before
    figure = new_figure(60, 14)
    left = draw_function(figure, fn.f_vec, paths, (low, high))
    assert [gone.run for gone in left] == [1] and left[0].update > 5
    assert not low - 1 <= left[0].x <= high + 1
    text = render(figure, color=False)
    assert text.count("x") >= 5  # eta 1.1's marks, up to where it left, after the run has ended
    assert "e+" not in text  # no axis blown up to powers of ten


def test_eta_50_is_seen_jumping_to_the_other_side_before_it_leaves_the_chart() -> None:
    setup = Setup(function=LECTURE_FUNCTION, eta=50.0, x0=0.0)
    fn = setup.make_function()
    low, high = preview_range(setup, fn)
    assert low <= -55000 and high >= 575  # x1 = 575, x2 = -56350: both sides
    playback = Playback(setup, fn)
    playback.skip_to_end()
    playback.compute()
    figure = new_figure(60, 14)
    left = draw_function(figure, fn.f_vec, [playback.points()[1]], (low, high))
    assert [(gone.run, gone.update) for gone in left] == [(0, 3)]
    text = render(figure, color=False)
    assert "e+" not in text and "4.6e9" in text  # the axis in few digits


def test_a_diverging_run_stays_on_the_step_chart_as_far_as_the_settling_runs_go() -> None:
    setup = Setup(function=LECTURE_FUNCTION, eta=0.4, x0=0.0, compare=(0.01, 0.95, 1.1))
    playback = Playback(setup)
    playback.skip_to_end()
    playback.compute()
    runs = [(steps, deltas) for steps, _, deltas in (playback.points(i) for i in range(4))]
    figure = new_figure(60, 12)
    draw_steps(figure, runs, setup.precision, rows=12)
    text = render(figure, color=False)
    top = next(line for line in text.splitlines() if line.strip())
    assert top.count("↑") > 30  # eta 1.1 along the top row (above the chart), to the axis' end
    assert "300" in text.splitlines()[-1]  # the axis reaches the slowest settling run (350 updates)


def test_the_empty_step_chart_reads_the_right_way_up_with_update_numbers() -> None:
    figure = new_figure(50, 9)
    draw_steps(figure, [(np.arange(1), np.array([np.nan]))], 1e-4)
    lines = [line.rstrip() for line in render(figure, color=False).splitlines()]
    ticks = [line.split()[0].rstrip("─") for line in lines if line.startswith("1e")]
    assert ticks == ["1e-3", "1e-4"]  # larger above, as in a full chart
    assert next(line for line in lines if line.startswith("1e-4")).endswith("─")  # labelled on its line
    assert lines[-1].split() == ["0", "5", "10"]  # update numbers along the bottom


# --- what is said is true -------------------------------------------------------------------------------


async def test_eta_50_shows_inf_and_never_a_comparison_that_reads_false(tmp_path: Path) -> None:
    app = lab_app(tmp_path, eta=50.0)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await pilot.press("s")  # the first update
        for _ in range(152):
            lab.playback.step()
        await pilot.press("s")  # update 154: x is about -2e307, so f(x) overflows
        text = status(lab)
        assert "update 154 " in text and "f(x) = inf" in text  # overflow is inf, as numpy prints it
        assert "nan" not in text


def test_status_numbers_show_enough_digits_to_be_true() -> None:
    from gdtutor.numbers import apart

    assert apart(9.9998e-05, 1e-4) == ("9.9998e-05", "0.0001")
    assert apart(0.09999999999999964, 0.1) == ("0.0999999999999996", "0.1")
    assert apart(0.5, 1e-4) == ("0.5", "0.0001")


async def test_a_run_that_stops_at_once_does_not_speak_of_a_last_update(tmp_path: Path) -> None:
    app = lab_app(tmp_path, x0=4.0, precision=0.1)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await pilot.press("s")
        await until(pilot, lambda: lab.playback is not None and lab.playback.finished)
        text = status(lab)
        assert "Stopped before any update" in text and "0.0999999999999996" in text
        assert "last update" not in text


# --- memory ---------------------------------------------------------------------------------------------

MEMORY = """
import asyncio, tempfile
from pathlib import Path

from gdtutor.engine.params import MAX_UPDATES, Setup
from gdtutor.ui import make_app
from gdtutor.ui.widgets.lab import Lab


async def main():
    setup = Setup(function="sqrt(x^2 + 1)", eta=1e-7, x0=3.0, precision=1e-300, max_iter=MAX_UPDATES,
                  compare=(2e-7, 3e-7, 4e-7))
    app = make_app(lang="en", data_dir=Path(tempfile.mkdtemp()), lab=setup)
    async with app.run_test(size=(80, 24)) as pilot:
        lab = app.screen.query_one(Lab)
        await pilot.press("r", "e")
        while lab.playback is None or not lab.playback.finished or lab.running:
            await pilot.pause(0.05)
        assert all(run.steps == MAX_UPDATES for run in lab.playback.runs)
    # the peak resident size of this process (ru_maxrss would count the parent's, inherited at fork)
    status = Path("/proc/self/status").read_text()
    print(int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) // 1024)


asyncio.run(main())
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak resident size from /proc")
def test_the_longest_runs_the_lab_allows_stay_within_the_memory_budget(fresh_python) -> None:  # type: ignore[no-untyped-def]
    # four runs of a million updates each, shown to the end: each keeps a bounded path (about 1 MB),
    # not 8 MB of x values (plus the copies a chart or a result took)
    peak_mib = int(fresh_python(MEMORY))
    assert peak_mib < 120, peak_mib


def test_the_first_updates_go_at_the_speed_set_and_a_long_run_still_ends_soon() -> None:
    from gdtutor.ui.playback import RAMP

    setup = Setup(function=LECTURE_FUNCTION, eta=0.01, x0=0.0, compare=(1.1,))  # 350 and 3,881 updates
    playback = Playback(setup)
    playback.skip_to_end()
    playback.compute()
    playback.to_end, playback.shown = False, 0
    ticks = 0
    while playback.shown < RAMP:
        playback.tick(1 / 8)
        ticks += 1
    assert ticks == RAMP / playback.speed * 8  # the first updates one by one, at ten a second
    while not playback.finished:
        playback.tick(1 / 8)
        ticks += 1
    assert ticks / 8 < 30  # seconds of animation for 3,881 updates: over six minutes at a fixed 10/s


def test_a_speed_the_learner_sets_is_kept() -> None:
    playback = Playback(Setup(function=LECTURE_FUNCTION, eta=0.01, x0=0.0))
    playback.shown = 300
    assert playback.rate == 10 * 300 / 30  # the default pace rises
    playback.faster()
    assert (playback.ramp, playback.rate) == (False, 20)  # + sets 20 a second, and 20 it stays


def test_two_rates_never_share_a_label() -> None:
    from gdtutor.ui.widgets.lab import run_label

    assert run_label(0.1) == "eta=0.1" and run_label(1.0) == "eta=1"
    assert run_label(0.1000001) == "eta=0.1000001" != run_label(0.1)


async def test_a_step_that_asks_for_one_field_gets_it_on_the_first_tab(tmp_path: Path) -> None:
    """Lesson 4 step 4 says 'lower the update limit to 100'; the first tab went to eta, and a learner
    typed 100 into the learning rate."""
    from gdtutor.ui import make_app
    from gdtutor.ui.screens.lesson import LessonScreen

    app = make_app(lang="en", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(LessonScreen(app.catalog.get("too-large")))
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        screen = app.screen
        while not [lab for lab in screen.query(Lab) if lab.region.width]:
            await pilot.press("n")
        (lab,) = [lab for lab in screen.query(Lab) if lab.region.width]
        await until(pilot, lambda: app.focused is lab)
        await pilot.press("tab")
        assert app.focused is lab.query_one("#in-max_iter", Input)
        await pilot.press("tab")  # then on, as everywhere
        assert app.focused is not lab.query_one("#in-max_iter", Input)
