"""Pilot tests of the app at 80x24: the flows a learner goes through, driven by keys alone."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from support import DATA
from support.pilot import lab_app, open_at, toasts
from support.waiting import settled, until
from textual.widgets import Input, OptionList, Select, Static

from gdtutor.engine import LECTURE_FUNCTION, Status
from gdtutor.ui import make_app
from gdtutor.ui.playback import AHEAD, DEFAULT_SPEED, SPEEDS, WORKER_CHUNK
from gdtutor.ui.screens.lab import LabScreen
from gdtutor.ui.screens.lesson import LessonScreen
from gdtutor.ui.screens.lessons import LessonListScreen
from gdtutor.ui.screens.too_small import TooSmallScreen
from gdtutor.ui.widgets.keybar import KeyBar
from gdtutor.ui.widgets.lab import TICK, Lab

SIZE = (80, 24)


def status_text(app: object) -> str:
    return str(app.screen.query_one("#status", Static).render())  # type: ignore[attr-defined]


async def set_field(pilot: object, lab: Lab, name: str, value: str) -> None:
    field = lab.query_one(f"#in-{name}", Input)
    field.focus()
    field.value = value
    await pilot.pause()  # type: ignore[attr-defined]


async def test_open_a_lesson_walk_its_steps_and_come_back(tmp_path: Path) -> None:
    app = make_app(lang="en", data_dir=tmp_path, lesson_dirs=[DATA])
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LessonListScreen)
        await pilot.press("enter")  # the first lesson in the list
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        first = screen.lesson
        assert screen.index == 0
        await pilot.press("n")
        await until(pilot, lambda: screen.index == 1)
        assert app.store.lesson(first.id).step == 1
        await pilot.press("p")
        await until(pilot, lambda: screen.index == 0)
        for _ in range(len(first.steps) + len(first.questions)):  # n goes through a quiz question by question
            await pilot.press("escape", "n")  # escape leaves any field, n goes on
            await pilot.pause()  # both keys handled
        await until(pilot, lambda: screen.at_end)  # the lesson's end, after its last step
        assert first.questions and not app.store.lesson(first.id).completed  # skipping is not completing
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen))


async def test_run_step_pause_and_stop(tmp_path: Path) -> None:
    app = lab_app(tmp_path, eta=0.01)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await pilot.press("s", "s", "s")
        assert lab.playback is not None and lab.playback.shown == 3 and lab.playback.paused
        assert "update 3" in status_text(app)

        await pilot.press("r")  # a new run from the start, animated
        playback = lab.playback
        await until(pilot, lambda: playback.shown >= 2)
        await pilot.press("space")
        assert playback.paused
        shown = playback.shown
        await pilot.pause(0.4)  # a stretch of time in which nothing may happen: no condition to wait for
        assert playback.shown == shown  # nothing moves while paused
        await pilot.press("space")
        await until(pilot, lambda: playback.shown > shown)

        await pilot.press("escape")
        await until(pilot, lambda: not lab.running)
        assert playback.main.status is Status.CANCELLED
        assert "Stopped by you" in status_text(app)


@pytest.mark.parametrize(
    ("eta", "status", "words"),
    [
        (0.1, Status.CONVERGED, "Converged after 43"),
        (50, Status.DIVERGED, "x became inf at update 155"),
        (1, Status.OSCILLATING, "Oscillating"),
    ],
)
async def test_changed_eta_runs_to_its_outcome(tmp_path: Path, eta: float, status: Status, words: str) -> None:
    app = lab_app(tmp_path, eta=0.3)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await set_field(pilot, lab, "eta", f"{eta:g}")
        await pilot.press("enter")  # enter in a field runs with it, and the lab takes the keys
        assert app.focused is lab
        await pilot.press("e")  # skip the animation
        await until(pilot, lambda: lab.playback is not None and lab.playback.finished)
        assert lab.playback.setup.eta == eta
        assert lab.playback.main.status is status
        await until(pilot, lambda: words in status_text(app))


async def test_bad_expression_is_shown_beside_the_field_and_never_crashes(tmp_path: Path) -> None:
    app = lab_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await set_field(pilot, lab, "function", "x^2 + os.system('ls')")
        derivative = str(lab.query_one("#derivative", Static).render())
        assert "unknown name 'os'" in derivative or "attribute access" in derivative
        await pilot.press("enter")
        assert lab.playback is None
        assert "column" in status_text(app)
        assert lab.query_one("#in-function").has_class("-bad")
        await set_field(pilot, lab, "function", "x^2 - 4x")
        assert "2*x - 4" in str(lab.query_one("#derivative", Static).render())
        await set_field(pilot, lab, "eta", "fast")
        await pilot.press("enter")
        assert "learning rate (eta): 'fast' is not a number" in status_text(app)


async def test_e_shows_the_end_of_a_million_update_run_and_only_of_this_run(tmp_path: Path) -> None:
    # a tiny learning rate and a precision no step gets below: the run goes to its limit of a million
    # updates; the worker keeps only a little ahead of the animation until e asks for the end
    app = lab_app(
        tmp_path,
        function="sqrt(x^2 + 1) + 0.1*sin(x)*cos(x)",
        eta=1e-7,
        x0=3.0,
        precision=1e-300,
        max_iter=1_000_000,
        compare=(2e-7, 3e-7, 4e-7),
    )
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await pilot.press("r")
        playback = lab.playback
        await until(pilot, lambda: playback.computed >= AHEAD)
        await pilot.pause()
        assert playback.computed <= playback.shown + AHEAD + WORKER_CHUNK  # paced by what is shown
        await pilot.press("e")
        # 'to the end of this run' until that end is shown (which may be at once), then the speed again
        assert "this run" in str(lab.query_one("#speed", Static).render()) or playback.finished
        await until(pilot, lambda: playback.finished, timeout=60)
        await until(pilot, lambda: "this run" not in str(lab.query_one("#speed", Static).render()))
        assert playback.main.steps == 1_000_000 and playback.main.status is Status.MAX_ITER
        assert all(not run.path.whole for run in playback.runs)  # long paths are kept thinned
        assert playback.speed == SPEEDS[DEFAULT_SPEED]  # e changed this run, not the speed
        await until(pilot, lambda: not lab.running)
        await pilot.press("r")  # the next run is animated again, at the speed set
        assert lab.playback is not playback and not lab.playback.to_end
        assert "10/s" in str(lab.query_one("#speed", Static).render())


async def test_compare_mode_runs_rates_side_by_side(tmp_path: Path) -> None:
    app = lab_app(tmp_path, compare=(0.5, 1.0))
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await pilot.press("r", "e")
        await until(pilot, lambda: lab.playback is not None and lab.playback.finished)
        assert [r.status for r in lab.playback.runs] == [Status.CONVERGED, Status.CONVERGED, Status.OSCILLATING]
        text = status_text(app)
        assert "eta=0.5: converged (2)" in text and "eta=1: oscillating (2)" in text


async def test_code_view_marks_the_next_line(tmp_path: Path) -> None:
    app = lab_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await pilot.press("c", "s", "s")
        code = str(lab.query_one("#code", Static).render())
        assert ">     if abs(x - last_x) < 0.0001:" in code
        assert "update 2: x = 2.07" in code


async def test_resize_below_the_minimum_and_back(tmp_path: Path) -> None:
    app = lab_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.resize_terminal(40, 12)
        await until(pilot, lambda: isinstance(app.screen, TooSmallScreen))
        assert "Make the window larger" in str(app.screen.query_one("#too-small", Static).render())
        await pilot.resize_terminal(120, 40)
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        await pilot.resize_terminal(*SIZE)
        await until(pilot, lambda: isinstance(app.screen, LabScreen))


async def test_language_switch_relabels_and_keeps_values(tmp_path: Path) -> None:
    app = lab_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await set_field(pilot, lab, "eta", "0.25")
        await set_field(pilot, lab, "x0", "")  # a random start, its seed left empty
        await set_field(pilot, lab, "max_iter", "lots")  # not a number yet: kept as typed
        await set_field(pilot, lab, "function", "x^4")
        await pilot.press("escape", "f2")
        await until(pilot, lambda: app.lang == "zh")
        lab = app.screen.query_one(Lab)
        typed = {name: lab.query_one(f"#in-{name}", Input).value for name in ("eta", "x0", "seed", "max_iter")}
        assert typed == {"eta": "0.25", "x0": "", "seed": "", "max_iter": "lots"}
        assert lab.query_one("#in-function", Input).value == "x^4"
        await until(pilot, lambda: "4*x**3" in str(lab.query_one("#derivative", Static).render()))
        assert lab.query_one("#presets", Select).value == "x^4"  # shown as the preset it is
        labels = [str(w.render()) for w in lab.query("Label")]
        assert "学习率 eta" in labels


async def test_idle_app_runs_no_timer(tmp_path: Path) -> None:
    app = lab_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await pilot.press("r", "e")
        await until(pilot, lambda: lab.playback is not None and lab.playback.finished)
        # paused: no ticks when idle. The lab's timer reveals the run through its playback's tick: while a
        # timer of the same interval fires eight times, the lab's fires at most once more (the tick that
        # shows the end and pauses it)
        playback = lab.playback
        ticks: list[float] = []
        reveal = playback.tick
        playback.tick = lambda seconds: ticks.append(seconds) or reveal(seconds)  # type: ignore[method-assign]
        beats: list[int] = []
        app.set_interval(TICK, lambda: beats.append(1))
        await until(pilot, lambda: len(beats) >= 8)
        assert len(ticks) <= 1, f"the lab ticked {len(ticks)} times while idle"


async def test_no_color_draws_in_grey_with_runs_told_apart_by_markers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    monkeypatch.setenv("NO_COLOR", "1")
    app = lab_app(tmp_path, compare=(0.5,))
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await pilot.press("r", "e")
        await until(pilot, lambda: lab.playback is not None and lab.playback.finished and not lab.running)
        await settled(pilot)
        svg = app.export_screenshot()
    assert app.no_color
    colours = set(re.findall(r"(?:fill|color):\s*#([0-9a-fA-F]{6})", svg))
    assert colours, "no colours found in the screenshot"
    channels = {c: [int(c[i : i + 2], 16) for i in (0, 2, 4)] for c in colours}
    not_grey = {c for c, rgb in channels.items() if max(rgb) - min(rgb) > 8}  # the SVG frame's own #c5c8c6 is grey
    assert not not_grey, f"colours in NO_COLOR mode: {sorted(not_grey)[:5]}"
    assert "eta=0.1" in svg and "eta=0.5" in svg  # both runs labelled, with different markers


async def test_footer_names_keys_in_the_chosen_language(tmp_path: Path) -> None:
    app = make_app(lang="en", data_dir=tmp_path, lesson_dirs=[DATA])
    async with app.run_test(size=SIZE) as pilot:

        def footer_text() -> str:
            return " ".join(name for _, name in app.screen.query_one(KeyBar).keys)

        await until(pilot, lambda: "Quit" in footer_text() and "Review" in footer_text())
        await pilot.press("f2")
        await until(pilot, lambda: "退出" in footer_text())
        assert "复习" in footer_text() and "Quit" not in footer_text()


async def test_regression_race_runs_from_its_step_with_r(tmp_path: Path) -> None:
    from textual.widgets import DataTable

    from gdtutor.engine.regression import RaceSummary
    from gdtutor.ui.widgets.regression import RegressionRace

    app = make_app(lang="en", data_dir=tmp_path, lesson_dirs=[DATA])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at(app, pilot, "example-lesson", "regression")
        race = screen.query_one(RegressionRace)
        await until(pilot, lambda: app.focused is race)  # the step has text above the race: r must reach it
        await pilot.press("r")
        await until(pilot, lambda: len(race.rows) >= 1, timeout=60)
        first = race.process
        await pilot.press("r")  # again: the first race is cancelled, and none of its rows is shown
        await until(pilot, lambda: not race.running, timeout=60)
        assert [r.features for r in race.rows] == race.features
        assert race.query_one(DataTable).row_count == 3
        assert first is not None and first is not race.process
        summary = str(race.query_one("#race-summary", Static).render())
        # a growth law where the engine judged the fit one; at these small sizes the runs often disagree
        fits = RaceSummary.of(race.rows)
        assert fits.normal is not None and fits.gd is not None
        told = (
            "the time grew like features^" if fits.normal.is_law and fits.gd.is_law else "too noisy to fit a growth law"
        )
        assert told in " ".join(summary.split()) and "np.linalg.lstsq" in summary
        assert race.process is not None and race.process.finished


async def test_quitting_during_the_race_ends_its_process(tmp_path: Path) -> None:
    """Lesson 8's race (the engine's, to 2,000 features) runs in a process of its own: quitting after
    its first row kills it, rather than waiting seconds for a numpy call to return."""
    from gdtutor.engine.params import RACE_FEATURES
    from gdtutor.ui.widgets.regression import RegressionRace

    app = make_app(lang="en", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at(app, pilot, "normal-equation", "regression")
        race = screen.query_one(RegressionRace)
        assert tuple(race.features) == RACE_FEATURES  # the lesson runs the engine's race
        await until(pilot, lambda: app.focused is race)
        await pilot.press("r")
        await until(pilot, lambda: len(race.rows) >= 1, timeout=60)
        assert "Timing" in str(race.query_one("#race-summary", Static).render())
    process = race.process
    assert process is not None
    # the app has cancelled the worker; its thread ends the process (the race itself would run on for
    # seconds, and end with status 0)
    process.child.wait(timeout=120)
    assert process.returncode is not None and process.returncode < 0  # killed, not run to its end
    assert not process.finished


async def test_q_leaves_the_lab_for_the_lesson_list(tmp_path: Path) -> None:
    app = make_app(lang="en", data_dir=tmp_path, lesson_dirs=[DATA])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen))
        assert len(app.screen_stack) == 1
    standalone = lab_app(tmp_path)  # gdtutor lab: the lab opens over the list
    async with standalone.run_test(size=SIZE) as pilot:
        assert isinstance(standalone.screen, LabScreen)  # type: ignore[attr-defined]
        await pilot.press("r", "q")
        await until(pilot, lambda: isinstance(standalone.screen, LessonListScreen))  # type: ignore[attr-defined]
        assert len(standalone.screen_stack) == 1  # type: ignore[attr-defined]


async def test_a_broken_lesson_listed_last_is_reached_with_the_keys_and_shows_its_problems(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    shutil.copy(DATA / "broken" / "misspelt.yaml", lessons)  # six problems; the list shows the first
    app = make_app(lang="en", data_dir=tmp_path / "data", lesson_dirs=[lessons])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        options = app.screen.query_one(OptionList)
        await pilot.press("end")
        await pilot.pause()
        assert options.highlighted is not None
        assert (options.get_option_at_index(options.highlighted).id or "").startswith("broken:")
        assert options.scroll_y == options.max_scroll_y > 0  # scrolled down to it
        await pilot.press("enter")
        await until(pilot, lambda: len(toasts(app)) > 0)
        note = toasts(app)[0]  # the notification as the learner sees it: its title, then its message
        title, *lines = str(note.render()).splitlines()
        assert title == "misspelt.yaml: broken" and note.has_class("-error")
        assert len(lines) == 6 and lines[1].endswith(
            "misspelt.yaml:2: unknown key 'titel' in the lesson; did you mean 'title'?"
        )
        assert isinstance(app.screen, LessonListScreen)


def test_the_lesson_list_comes_up_without_numpy_sympy_plotext_or_markdown(
    tmp_path: Path, fresh_python: Callable[[str], str]
) -> None:
    """The start a learner waits for loads no engine numerics (they come with the first lab or quiz)
    and no markdown parser (it comes with the first lesson),
    and from the second start on, no YAML, no expression parser and no lesson checker either:
    unchanged lessons come from the cache, already checked. The data folder does not exist before the
    first start (a learner's, until progress is written): the cache is kept all the same."""
    data = tmp_path / "not-yet"
    code = f"""
import asyncio, sys
from pathlib import Path
import gdtutor.cli  # what `gdtutor` imports before it makes the app
from gdtutor.ui import make_app
from gdtutor.ui.screens.lessons import LessonListScreen

async def main():
    app = make_app(lang="en", data_dir=Path({str(data)!r}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LessonListScreen)
        assert len(app.catalog.lessons) >= 8
    later = ("numpy", "sympy", "plotext", "textual_plotext", "markdown_it", "yaml", "gdtutor.engine.expr",
             "gdtutor.lessons.validate")
    print(",".join(m for m in later if m in sys.modules))

asyncio.run(main())
"""
    loaded = [fresh_python(code) for _ in range(2)]
    assert loaded == ["yaml,gdtutor.engine.expr,gdtutor.lessons.validate", ""]


async def test_a_preset_function_is_picked_with_the_keys(tmp_path: Path) -> None:
    app = lab_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        presets = lab.query_one("#presets", Select)
        assert presets.value == LECTURE_FUNCTION  # the lab's function is a preset: it shows as picked
        presets.focus()
        await pilot.press("enter", "down", "down", "down", "enter")  # lecture -> bowl -> flat -> valleys
        field = lab.query_one("#in-function", Input)
        await until(pilot, lambda: field.value == "x^4 - 3*x^2 + x")
        await until(pilot, lambda: "4*x**3 - 6*x + 1" in str(lab.query_one("#derivative", Static).render()))
        await set_field(pilot, lab, "function", "x^4 - 3*x^2 + 2*x")  # the learner's own: no preset shown
        await until(pilot, lambda: presets.is_blank())
        await pilot.press("enter")  # enter in the field runs with it
        await until(pilot, lambda: lab.playback is not None and lab.playback.finished, timeout=30)
        assert lab.playback.setup.function == "x^4 - 3*x^2 + 2*x"  # type: ignore[union-attr]


async def test_a_seed_fixes_the_random_start(tmp_path: Path) -> None:
    from gdtutor.engine import random_start

    app = lab_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        note = lab.query_one("#start-note", Static)
        await set_field(pilot, lab, "x0", "")
        await set_field(pilot, lab, "seed", "3")
        starts = []
        for _ in range(2):
            await pilot.press("enter")
            await until(pilot, lambda: lab.playback is not None and lab.playback.computed > 0, timeout=30)
            starts.append(lab.playback.setup.start())  # type: ignore[union-attr]
            assert str(note.render()) == f"random x0 = {random_start(3)} (seed 3)"
        assert starts == [random_start(3)] * 2
        await set_field(pilot, lab, "seed", "")  # empty: a new seed each run, shown beside the start
        await pilot.press("enter")
        await until(pilot, lambda: lab.playback is not None and lab.playback.setup.seed != 3)
        seed = lab.playback.setup.seed  # type: ignore[union-attr]
        assert str(note.render()) == f"random x0 = {random_start(seed)} (seed {seed})"
        await set_field(pilot, lab, "x0", "1.5")  # a fixed start: no note
        await pilot.press("enter")
        await until(pilot, lambda: str(note.render()) == "")
        await set_field(pilot, lab, "x0", "")  # a random start: its seed is read
        await set_field(pilot, lab, "seed", "-4")
        await pilot.press("enter")
        await until(pilot, lambda: "-4 is not between 0 and 4,294,967,295" in status_text(app))
        assert lab.query_one("#in-seed").has_class("-bad")


def footer_keys(app: object) -> list[str]:
    return [key for key, _ in app.screen.query_one(KeyBar).keys]  # type: ignore[attr-defined]


async def test_the_footer_lists_the_run_keys_while_a_run_is_shown(tmp_path: Path) -> None:
    app = lab_app(tmp_path, eta=0.001)  # thousands of updates at 10 a second: the run outlasts the test
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await until(pilot, lambda: {"r", "s", "c"} <= set(footer_keys(app)))
        idle = footer_keys(app)
        assert {"r", "s", "c"} <= set(idle) and not {"space", "escape", "e"} & set(idle)
        await pilot.press("r")
        await until(pilot, lambda: {"space", "escape", "e"} <= set(footer_keys(app)))
        await pilot.press("space")  # paused: still a run to resume, stop or finish
        await pilot.pause()
        assert lab.playback is not None and lab.playback.paused
        assert {"space", "escape", "e"} <= set(footer_keys(app))
        await pilot.press("escape")
        await until(pilot, lambda: "escape" not in footer_keys(app))
        assert "Stopped by you" in status_text(app)
        assert not lab.running


@pytest.mark.parametrize("lang", ["en", "zh"])  # Chinese names take two columns a character
async def test_every_key_of_a_lesson_lab_fits_in_80_columns(tmp_path: Path, lang: str) -> None:
    from rich.cells import cell_len

    app = make_app(lang=lang, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")  # lesson 2, the learning rate: its second step is a lab
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("n")
        await until(pilot, lambda: bool(app.screen.query(Lab)))
        lab = app.screen.query_one(Lab)
        lab.focus()
        await pilot.press("r")
        await until(pilot, lambda: "escape" in footer_keys(app))
        bar = app.screen.query_one(KeyBar)
        assert {"r", "s", "space", "escape", "e", "c", "n", "p"} <= set(footer_keys(app))
        assert cell_len(str(bar.render())) <= bar.content_region.width <= SIZE[0]


async def test_escape_leaves_a_field_so_the_lab_keys_work_again(tmp_path: Path) -> None:
    app = lab_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await set_field(pilot, lab, "eta", "0.5")
        await pilot.press("r")  # typed into the field, not a run
        assert "r" in lab.query_one("#in-eta", Input).value and lab.playback is None
        await set_field(pilot, lab, "eta", "0.5")
        await pilot.press("escape", "r")
        await until(pilot, lambda: lab.playback is not None and lab.playback.finished)
        assert app.focused is lab and lab.playback.setup.eta == 0.5  # type: ignore[union-attr]


async def test_runs_and_language_switches_leave_no_widgets_behind(tmp_path: Path) -> None:
    """Textual's footer rebuilt a widget per key whenever the keys changed, and kept them all
    (Textualize/textual#6666); the lab relabelled itself by rebuilding its widgets. Nothing of the
    kind is left: the key bar and the lab are updated in place, so no widget is made or kept."""
    import gc

    from textual.widget import Widget

    app = lab_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await settled(pilot)

        async def runs_and_a_language_switch() -> int:
            for _ in range(3):
                await pilot.press("r", "e")
                await until(pilot, lambda: not lab.running)
            await pilot.press("f2")
            await until(
                pilot, lambda: app.lang != "en" or "Run" in " ".join(n for _, n in app.screen.query_one(KeyBar).keys)
            )
            gc.collect()
            return sum(isinstance(o, Widget) for o in gc.get_objects())

        alive = await runs_and_a_language_switch()
        assert await runs_and_a_language_switch() == alive
        assert await runs_and_a_language_switch() == alive


async def test_widgets_that_leave_the_screen_are_freed(tmp_path: Path) -> None:
    """Charts and fields of steps, labs and lessons left behind are not kept (gdtutor.ui.memory): they
    stayed subscribed to the app's theme and the screen's text selection, and in query caches."""
    import gc
    import weakref

    from gdtutor.ui.widgets.charts import FunctionChart

    seen: list[weakref.ref] = []

    def note(app: object) -> None:
        seen.extend(weakref.ref(w) for w in app.screen.query(FunctionChart))  # type: ignore[attr-defined]
        seen.extend(weakref.ref(w) for w in app.screen.query(Input))  # type: ignore[attr-defined]

    def kept() -> list[object]:
        gc.collect()
        return [w for w in (ref() for ref in seen) if w is not None and not w.is_attached]  # type: ignore[attr-defined]

    app = make_app(lang="en", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await pilot.press("down", "enter")  # lesson 2: a text step, then labs
            await until(pilot, lambda: isinstance(app.screen, LessonScreen))
            for _ in range(3):
                await pilot.press("escape", "n")
                await settled(pilot)
                note(app)
            await pilot.press("f2", "f2")  # the language twice: the lab is composed again each time
            await settled(pilot)
            note(app)
            await pilot.press("escape", "q")
            await until(pilot, lambda: isinstance(app.screen, LessonListScreen))
            await pilot.press("up")
        await settled(pilot)
        assert len(seen) > 20 and kept() == []
    seen.clear()
    standalone = lab_app(tmp_path)
    async with standalone.run_test(size=SIZE) as pilot:
        for _ in range(6):
            note(standalone)
            await pilot.press("f2")
            await settled(pilot)
        assert len(seen) > 20 and kept() == []


async def test_a_lesson_lab_refuses_values_outside_its_limits_with_the_reason(tmp_path: Path) -> None:
    """The example lesson's lab allows eta in [0.001, 2] and x0 in [0, 11]: the engine's check, with
    the lesson's ranges, refuses anything else before a run starts, and says why where the learner
    looks (the status line, on the screen at 80x24), in the learner's language."""
    app = make_app(lang="en", data_dir=tmp_path, lesson_dirs=[DATA])
    async with app.run_test(size=SIZE) as pilot:
        lesson = app.catalog.get("example-lesson")
        assert lesson is not None
        app.push_screen(LessonScreen(lesson))
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("n")  # step 2: the lab
        await until(pilot, lambda: bool(app.screen.query(Lab)))
        lab = app.screen.query_one(Lab)
        await set_field(pilot, lab, "eta", "9")
        await pilot.press("enter")
        assert lab.playback is None
        assert "learning rate (eta): 9 is not between 0.001 and 2, the range this lesson allows" in status_text(app)
        assert lab.query_one("#in-eta").has_class("-bad")
        status = app.screen.query_one("#status")
        assert status.region.y >= 0 and status.region.bottom <= SIZE[1] and status.region.height >= 1
        # every problem at once; the compared rates are held to eta's range
        await set_field(pilot, lab, "eta", "0.1")
        await set_field(pilot, lab, "compare", "0.5, 5")
        await set_field(pilot, lab, "x0", "20")
        await pilot.press("enter")
        assert lab.playback is None
        assert "compare etas: 5 is not between 0.001 and 2" in status_text(app)
        assert "start x0 (empty: random): 20 is not between 0 and 11" in status_text(app)
        await pilot.press("escape", "f2")
        await until(pilot, lambda: "20 不在 0 到 11 之间" in status_text(app))
        # within the ranges, it runs
        await set_field(pilot, lab, "compare", "0.5")
        await set_field(pilot, lab, "x0", "3")
        await pilot.press("enter")
        await until(pilot, lambda: lab.playback is not None and lab.playback.finished)
        assert lab.playback.setup.x0 == 3.0 and not lab.refused  # type: ignore[union-attr]


async def test_a_narrow_key_bar_keeps_the_help_key(tmp_path: Path) -> None:
    """At 60 columns a lab's keys do not all fit: the bar leaves out what does not, never '? Help',
    which lists every key."""
    from rich.cells import cell_len

    app = lab_app(tmp_path, eta=0.001)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("r")
        await until(pilot, lambda: "space" in footer_keys(app))
        bar = app.screen.query_one(KeyBar)
        assert footer_keys(app)[-1] == "question_mark" and "r" in footer_keys(app)
        assert "ctrl+q" not in footer_keys(app)  # the app's quit goes first (it is in the help)
        assert cell_len(str(bar.render())) <= 60


async def test_an_empty_field_says_so_and_a_mended_one_loses_its_reason(tmp_path: Path) -> None:
    app = lab_app(tmp_path, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        lab = app.screen.query_one(Lab)
        await set_field(pilot, lab, "max_iter", "")
        await set_field(pilot, lab, "eta", "-1")
        await pilot.press("enter")
        assert "✗ 更新次数上限：没有填写" in status_text(app)  # Chinese punctuation, and a reason
        assert "✗ 学习率 eta：-1 会往上爬" in status_text(app)  # a negative rate gets its own sentence
        await set_field(pilot, lab, "eta", "0.5")  # mended: its reason goes, the other stays
        assert "学习率" not in status_text(app) and "更新次数上限" in status_text(app)


async def open_step(app: object, pilot: object, lesson_id: str, kind: str) -> LessonScreen:
    """Open a built-in lesson at its first step of ``kind`` (the place the learner left it)."""
    lesson = app.catalog.get(lesson_id)  # type: ignore[attr-defined]
    assert lesson is not None
    app.store.visit(lesson.id, next(i for i, s in enumerate(lesson.steps) if s.kind == kind))  # type: ignore[attr-defined]
    app.push_screen(LessonScreen(lesson))  # type: ignore[attr-defined]
    await until(pilot, lambda: isinstance(app.screen, LessonScreen) and bool(app.screen.query(Lab)))  # type: ignore[attr-defined]
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, LessonScreen)
    return screen


async def next_code_step(pilot: object, screen: LessonScreen) -> Lab:
    """Press n, step by step, until a code step is shown (leaving a field first); its lab."""
    for _ in range(len(screen.lesson.steps)):
        if screen.step.kind == "code":
            break
        index = screen.index
        if isinstance(screen.focused, Input):
            await pilot.press("escape")  # type: ignore[attr-defined]  # out of the field, as a learner leaves it
        await pilot.press("n")  # type: ignore[attr-defined]
        await until(pilot, lambda: screen.index != index)  # noqa: B023 - waited for here, in this turn
    await until(pilot, lambda: bool(screen.query(f"#step-{screen.index} Lab")))
    return screen.query_one(
        f"#step-{screen.index}",
    ).query_one(Lab)


async def test_a_code_step_starts_from_the_lessons_values_not_the_learners(tmp_path: Path) -> None:
    """Lesson 3's lab ends with "then try 0.2"; the code step after it shows the loop with the lab's
    values as the lesson gives them (precision 0.0001), so its stepper does not stop at once."""
    app = make_app(lang="en", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_step(app, pilot, "precision-and-exit", "lab")
        lab = screen.query_one(Lab)
        await set_field(pilot, lab, "precision", "0.2")
        await pilot.press("enter")
        await until(pilot, lambda: lab.playback is not None and lab.playback.finished)
        assert lab.playback.setup.precision == 0.2 and lab.playback.shown == 0  # type: ignore[union-attr]
        code = await next_code_step(pilot, screen)
        assert code.setup.precision == 0.0001
        await pilot.press("s", "s")
        text = str(code.query_one("#code", Static).render())
        assert "if abs(x - last_x) < 0.0001:" in text and "update 2: x = 2.07" in text
        # back in the lab, the learner's 0.2 is still there; forth again, the code step still starts from 0.0001
        await pilot.press("p")
        assert lab.query_one("#in-precision", Input).value == "0.2"
        await next_code_step(pilot, screen)
        assert code.setup.precision == 0.0001


async def test_a_code_step_that_continues_shows_the_learners_values(tmp_path: Path) -> None:
    """Lesson 6's code step says "the lecture's loop with your lab values": it continues the lab."""
    app = make_app(lang="en", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_step(app, pilot, "what-stop-measures", "lab")
        lab = screen.query_one(Lab)
        await set_field(pilot, lab, "precision", "0.000001")
        code = await next_code_step(pilot, screen)
        assert code.setup.precision == 0.000001 and code.setup.eta == lab.setup.eta


@pytest.mark.parametrize(("lang", "key"), [("en", "n"), ("zh", "n"), ("en", "pagedown"), ("zh", "pagedown")])
async def test_a_step_longer_than_the_screen_says_so_and_n_reads_it_before_moving_on(
    tmp_path: Path, lang: str, key: str
) -> None:
    """The text first, then the next step, with n and with page down (whose scrolling, at the text's
    end, kept the learner on the step)."""
    from gdtutor.ui.screens.lesson import LessonScreen, TextView

    app = make_app(lang=lang, data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(LessonScreen(app.catalog.get("normal-equation")))
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        screen = app.screen
        while screen.index < 2:  # step 3: the race explained, longer than 24 rows
            await pilot.press("n")
        view = screen.query_one("#step-2", TextView)
        await until(pilot, lambda: view.has_class("-more"))
        cue = view.query_one(".more-below", Static)
        assert cue.display and ("n or pgdn" in str(cue.render()) or "pgdn" in str(cue.render()))
        pages = 0
        while view.unseen():
            await pilot.press(key)
            pages += 1
            assert screen.index == 2  # still this step: the text first
            await pilot.pause()
        assert 1 <= pages <= 3
        await until(pilot, lambda: not view.has_class("-more"))
        await pilot.press(key)
        await until(pilot, lambda: screen.index == 3)


async def test_a_future_cancelled_as_the_app_closes_is_no_error(tmp_path, caplog) -> None:
    """Quitting while a step's markdown was parsed left asyncio's "exception was never retrieved" report
    of a cancelled gather, a traceback, on the learner's terminal (and in a class server's log)."""
    import asyncio
    import logging

    from gdtutor.ui import make_app

    app = make_app(lang="en", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        loop = asyncio.get_running_loop()
        with caplog.at_level(logging.ERROR, logger="asyncio"):
            loop.call_exception_handler({"message": "never retrieved", "exception": asyncio.CancelledError()})
            assert caplog.records == []
            loop.call_exception_handler({"message": "a real error", "exception": ValueError("kept")})
            assert [record.getMessage() for record in caplog.records] == ["a real error"]
