"""What the learner must read is on screen at the smallest size the tutor accepts (60x20) and at 80x24,
in English and Chinese: the outcome of every lab preset and every lesson lab after ``r`` ``e``, the
loop as code, and the charts zoomed to the whole screen.

The screen is read as the learner reads it (:func:`waiting.screen_text`), not from the widgets: a
sentence cut by a widget's height, or pushed below the screen, is not there."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from support import waiting
from textual.widgets import Input, Static

from gdtutor.engine.params import DEFAULT_ETA, Setup
from gdtutor.i18n import status_name, t
from gdtutor.lessons.load import load_catalog
from gdtutor.lessons.model import LabStep
from gdtutor.progress import Store
from gdtutor.telling import explain
from gdtutor.ui import make_app
from gdtutor.ui.screens.lesson import LessonScreen
from gdtutor.ui.widgets.charts import FunctionChart, PlaneChart, StepChart
from gdtutor.ui.widgets.code import LoopCode
from gdtutor.ui.widgets.lab import PRESETS, ChartView, Lab, run_label

until = functools.partial(waiting.until, timeout=30.0)

SIZES = [(60, 20), (80, 24)]
LANGS = ["en", "zh"]
CATALOG = load_catalog(run_checks=False)
LESSON_LABS = [
    (lesson.id, index)
    for lesson in CATALOG.lessons
    for index, step in enumerate(lesson.steps)
    if isinstance(step, LabStep)
]
CASES = [f"preset:{name}" for name, _ in PRESETS] + [f"{lesson}#{index + 1}" for lesson, index in LESSON_LABS]


def flat(text: str) -> str:
    """Text without its line breaks and spaces: what is read, however it is wrapped."""
    return "".join(text.split())


def open_case(case: str, lang: str, data_dir: Path) -> object:
    """The app with the preset's lab open, or with the lesson resumed at its lab step (as a learner who
    left it there finds it)."""
    if case.startswith("preset:"):
        function = dict(PRESETS)[case.removeprefix("preset:")]
        return make_app(lang=lang, data_dir=data_dir, lab=Setup(function=function, eta=DEFAULT_ETA, seed=7))
    lesson_id, step = case.split("#")
    Store(data_dir).visit(lesson_id, int(step) - 1)
    return make_app(lang=lang, data_dir=data_dir)


async def lab_of(app: object, pilot: object, case: str) -> Lab:
    if not case.startswith("preset:"):
        lesson = next(lesson for lesson in app.catalog.lessons if lesson.id == case.split("#")[0])  # type: ignore[attr-defined]
        await app.push_screen(LessonScreen(lesson))  # type: ignore[attr-defined]
    await until(pilot, lambda: bool(app.screen.query(Lab)) and app.focused is app.screen.query_one(Lab))  # type: ignore[attr-defined]
    return app.screen.query_one(Lab)  # type: ignore[attr-defined,no-any-return]


async def run_to_end(pilot: object, lab: Lab) -> None:
    await pilot.press("r", "e")  # type: ignore[attr-defined]
    await until(pilot, lambda: lab.playback is not None and lab.playback.finished and not lab.running)
    await waiting.settled(pilot)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
@pytest.mark.parametrize("case", CASES)
async def test_the_outcome_is_whole_on_screen_after_r_e(
    tmp_path: Path, case: str, size: tuple[int, int], lang: str
) -> None:
    app = open_case(case, lang, tmp_path)
    async with app.run_test(size=size) as pilot:  # type: ignore[attr-defined]
        lab = await lab_of(app, pilot, case)
        await run_to_end(pilot, lab)
        assert lab.playback is not None
        screen = flat("".join(waiting.screen_text(app)))
        explanation = explain(lab.playback.main.result(), lang)
        assert flat(explanation) in screen, f"{explanation!r} is not whole on the screen:\n" + "\n".join(
            waiting.screen_text(app)
        )
        assert str(lab.query_one("#speed", Static).render()) != t("speed_to_end", lang)  # not after the end
        status = str(lab.query_one("#status", Static).render())
        assert flat(status) in screen  # the other runs' outcomes too, each on one line ('收/敛 (2)' was split)
        lines = waiting.screen_text(app)
        for i, run in enumerate(lab.playback.runs[1:], start=1):
            view = lab.playback.view(i)
            item = t(
                "run_outcome", lang, label=run_label(run.eta), status=status_name(view.status, lang), steps=view.steps
            )
            assert any(item in line for line in lines), item
        # at 60x20 with four runs the notes take their rows: two are left to each chart (z shows them whole)
        chart = lab.query_one(PlaneChart if lab.playback.plane else FunctionChart)
        assert chart.size.height >= 2 and lab.query_one(StepChart).size.height >= 2
        view = lab.query_one(ChartView).region  # and nothing of the view is pushed out of it
        assert all(view.contains_region(part.region) for part in lab.query_one(ChartView).children if part.display)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
async def test_charts_share_the_view_when_the_notes_are_long(tmp_path: Path, size: tuple[int, int], lang: str) -> None:
    """Lesson 7's four runs with eta 1.04: two runs leave the chart, the legend takes three rows, and the
    charts (each held at its least height, which Textual then sized as if the view were 45 rows) filled
    the view: the step chart, the x axis and the legend were gone."""
    app = open_case("choosing-the-rate#2", lang, tmp_path)
    async with app.run_test(size=size) as pilot:
        lab = await lab_of(app, pilot, "choosing-the-rate#2")
        lab.query_one("#in-eta", Input).value = "1.04"
        await run_to_end(pilot, lab)
        view = lab.query_one(ChartView)
        assert all(view.region.contains_region(part.region) for part in view.children if part.display)
        assert lab.query_one(StepChart).size.height >= 2
        assert str(lab.query_one("#speed", Static).render()) != t("speed_to_end", lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
async def test_the_loop_as_code_is_whole_on_screen_with_compared_runs(
    tmp_path: Path, size: tuple[int, int], lang: str
) -> None:
    """Lesson 5's lab, three runs, eta 1.1: ``c`` shows every line of the loop with its values, and the
    outcome stays whole below it (at 60x20 the code ended at ``break``; at 80x24 it kept two lines)."""
    app = open_case("oscillation#2", lang, tmp_path)
    async with app.run_test(size=size) as pilot:
        lab = await lab_of(app, pilot, "oscillation#2")
        lab.query_one("#in-eta", Input).value = "1.1"
        await run_to_end(pilot, lab)
        await pilot.press("c")
        await waiting.settled(pilot)
        screen = flat("".join(waiting.screen_text(app)))
        code = str(lab.query_one(LoopCode).render())
        assert "last_x=x" in flat(code) and "x=x-1.1*g(x)" in flat(code)
        assert flat(code) in screen, "\n".join(waiting.screen_text(app))
        assert flat(str(lab.query_one("#status", Static).render())) in screen


@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
async def test_z_shows_the_charts_on_the_whole_screen_while_the_run_goes_on(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = open_case("too-large#4", "en", tmp_path)
    async with app.run_test(size=size) as pilot:
        lab = await lab_of(app, pilot, "too-large#4")
        await waiting.settled(pilot)
        small = lab.query_one(FunctionChart).size.height + lab.query_one(StepChart).size.height
        await pilot.press("z")
        view = lab.query_one(ChartView)
        await until(pilot, lambda: app.screen.maximized is view and app.focused is view)
        await waiting.settled(pilot)
        width, height = size
        big = lab.query_one(FunctionChart).size.height + lab.query_one(StepChart).size.height
        assert big >= height - 6 > small  # the key bar, the notes and the steps' title are all that is left
        assert lab.query_one(FunctionChart).size.width == width
        await pilot.press("r")  # the lab's keys work while zoomed: the run starts, and can be ended
        await until(pilot, lambda: lab.running)
        await pilot.press("e")
        await until(pilot, lambda: lab.playback is not None and lab.playback.finished and not lab.running)
        await pilot.press("z")
        await until(pilot, lambda: app.screen.maximized is None and app.focused is lab)
        await pilot.press("z", "escape")  # escape comes back too, and leaves the run's status alone
        await until(pilot, lambda: app.screen.maximized is None and app.focused is lab)
        assert "Diverged" in str(lab.query_one("#status", Static).render())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
async def test_the_race_table_shows_who_is_faster_without_a_scrollbar(
    tmp_path: Path, size: tuple[int, int], lang: str
) -> None:
    """Lesson 8's table, its rows as the race's worker posts them: every row's 'faster' is whole on screen
    (at 60x20 it read 'nor', in Chinese it was behind a horizontal scrollbar)."""
    from textual.widgets import DataTable

    from gdtutor.engine.regression import RaceRow
    from gdtutor.telling import race_winner
    from gdtutor.ui.widgets.regression import RegressionRace

    Store(tmp_path).visit(
        "normal-equation", next(i for i, s in enumerate(_lesson("normal-equation").steps) if s.kind == "regression")
    )
    app = make_app(lang=lang, data_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await app.push_screen(LessonScreen(_lesson("normal-equation")))
        await until(pilot, lambda: bool(app.screen.query(RegressionRace)))
        race = app.screen.query_one(RegressionRace)
        race.race = 1
        for features, normal, gd in ((125, 0.0021, 0.0102), (1000, 0.0412, 0.0377), (2000, 0.2455, 0.1011)):
            row = RaceRow(features, 100 * features, normal, gd, 1200, 0.001, 1e-12, 1e-6)
            race.post_message(RegressionRace.Timed(1, row))
        table = race.query_one(DataTable)
        await until(pilot, lambda: table.row_count == 3)
        await waiting.settled(pilot)
        assert table.virtual_size.width <= table.size.width  # no horizontal scrollbar
        screen = waiting.screen_text(app)
        for winner in ("normal", "gd", "gd"):
            assert any(line.rstrip().endswith(race_winner(winner, lang)) for line in screen), "\n".join(screen)


def _lesson(lesson_id: str):  # type: ignore[no-untyped-def]
    return next(lesson for lesson in CATALOG.lessons if lesson.id == lesson_id)


@pytest.mark.parametrize("lang", LANGS)
async def test_a_lesson_whose_line_wraps_in_the_list_goes_on_under_its_title(tmp_path: Path, lang: str) -> None:
    """At 60 columns, a lesson's title with its step and score takes two lines: the second goes on under
    the title, as its summary does, not at the left edge."""
    from textual.widgets import OptionList

    lesson = _lesson("learning-rate")
    store = Store(tmp_path)
    store.visit(lesson.id, 1)
    questions = [q for step in lesson.steps for q in step.asks()]
    store.record(lesson.id, questions[0].id, "x", True)
    store.record(lesson.id, questions[1].id, "x", False)
    app = make_app(lang=lang, data_dir=tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await until(pilot, lambda: bool(app.screen.query(OptionList)))
        await waiting.settled(pilot)
        screen = waiting.screen_text(app)
        first = next(i for i, line in enumerate(screen) if "2." in line and "◐" in line)
        follow = screen[first + 1 : first + 3]
        mark = screen[first].index("◐")
        indents = {len(line) - len(line.lstrip()) for line in follow}
        assert len(indents) == 1 and indents.pop() > mark, repr(follow)  # the score, then the summary


@pytest.mark.parametrize("lang", LANGS)
async def test_a_question_s_header_is_whole_at_60_columns(tmp_path: Path, lang: str) -> None:
    """'Question 1 of 6 · one try · n next question, p previous' ran off a 60-column screen mid-phrase."""
    from gdtutor.ui.widgets.quiz import QuestionCard

    lesson = _lesson("learning-rate")
    Store(tmp_path).visit(lesson.id, next(i for i, s in enumerate(lesson.steps) if s.kind == "quiz"))
    app = make_app(lang=lang, data_dir=tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await app.push_screen(LessonScreen(lesson))
        await until(pilot, lambda: bool(app.screen.query(QuestionCard)))
        await waiting.settled(pilot)
        head = str(app.screen.query_one(QuestionCard).query_one(".q-head", Static).render())
        parts = head.split("  ·  ")
        assert len(parts) == 3  # each on one line of the screen, whole
        assert all(any(part in line for line in waiting.screen_text(app)) for part in parts)


@pytest.mark.parametrize("lang", LANGS)
async def test_the_lecture_s_function_is_whole_in_its_field_at_80x24(tmp_path: Path, lang: str) -> None:
    """The field showed '(x - 3.5)**2 - 4.5' of the lecture's function: the rest was hidden."""
    from gdtutor.engine import LECTURE_FUNCTION

    app = open_case("preset:lecture", lang, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        lab = await lab_of(app, pilot, "preset:lecture")
        await waiting.settled(pilot)
        field = lab.query_one("#in-function", Input)
        assert field.content_size.width >= len(LECTURE_FUNCTION)
        assert any(LECTURE_FUNCTION in line for line in waiting.screen_text(app))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
async def test_each_legend_entry_is_whole_on_its_line(tmp_path: Path, size: tuple[int, int], lang: str) -> None:
    """Lesson 7's four runs: each marker stays with its run's name ('••' at the end of one line and
    'eta=0.2' at the start of the next, before), the run that left the chart says where, whole."""
    app = open_case("choosing-the-rate#2", lang, tmp_path)
    async with app.run_test(size=size) as pilot:
        lab = await lab_of(app, pilot, "choosing-the-rate#2")
        await run_to_end(pilot, lab)
        note = lab.query_one("#chart-note", Static)
        items = note.visual.items  # type: ignore[attr-defined]
        assert len(items) == 4
        shown = waiting.region_text(app, note.region)
        for item in items:
            if item.cell_length <= note.content_size.width:
                assert any(item.plain in line for line in shown), (item.plain, shown)
            else:  # wider than the note (60 columns): on lines of its own, whole
                assert flat(item.plain) in flat("".join(shown))
                assert any(line.strip().startswith(item.plain[:8]) for line in shown), shown


@pytest.mark.parametrize("lang", LANGS)
async def test_help_descriptions_go_on_under_themselves_at_60_columns(tmp_path: Path, lang: str) -> None:
    """The help's long descriptions wrapped to the key column ('直' then '到你自己设定速度' at the left edge)."""
    app = open_case("preset:lecture", lang, tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await lab_of(app, pilot, "preset:lecture")
        await pilot.press("question_mark")
        await until(pilot, lambda: bool(app.screen.query(".help-row")))
        await waiting.settled(pilot)
        rows = list(app.screen.query(".help-row").results(Static))
        box = app.screen.query_one("#help-box").content_region
        wrapped = [row for row in rows if row.size.height > 1 and box.contains_region(row.content_region)]
        assert wrapped  # '+ / =' at least takes two lines at 60 columns
        for row in wrapped:
            first, *rest = waiting.region_text(app, row.content_region)
            column = len(first) - len(first.lstrip()) + len(first.split()[0])  # the description's column
            description = first.index(first.split()[1]) if len(first.split()) > 1 else column
            assert all(len(line) - len(line.lstrip()) >= description - 1 for line in rest if line.strip()), (
                first,
                rest,
            )


async def test_the_key_bar_offers_n_only_while_n_goes_to_the_next_question(tmp_path: Path) -> None:
    """An empty number field leaves n to the screen, and the bar says 'n Next'; once something is typed
    n is typed too ('0.95n'), and the bar no longer offers it."""
    from gdtutor.ui.widgets.keybar import KeyBar
    from gdtutor.ui.widgets.quiz import NumberInput

    lesson = _lesson("why-gradient-descent")
    Store(tmp_path).visit(lesson.id, next(i for i, s in enumerate(lesson.steps) if s.kind == "quiz"))
    app = make_app(lang="en", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(LessonScreen(lesson))
        while not isinstance(app.focused, NumberInput):  # the quiz's number question
            await pilot.press("n")
            await waiting.settled(pilot)
        bar = app.screen.query_one(KeyBar)
        assert "n Next" in str(bar.render())
        await pilot.press("0")
        await until(pilot, lambda: "n Next" not in str(bar.render()))
        await pilot.press("backspace")
        await until(pilot, lambda: "n Next" in str(bar.render()))


async def test_zoomed_charts_do_not_stay_over_the_next_step(tmp_path: Path) -> None:
    """z on a lab, then n: the next step is shown, not the last step's charts on the whole screen."""
    app = open_case("learning-rate#2", "en", tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        lab = await lab_of(app, pilot, "learning-rate#2")
        await pilot.press("z")
        await until(pilot, lambda: app.screen.maximized is not None)
        await pilot.press("n")
        await until(pilot, lambda: app.screen.index == 2)  # type: ignore[attr-defined]
        await waiting.settled(pilot)
        assert app.screen.maximized is None and not lab.query_one(ChartView).region.height
