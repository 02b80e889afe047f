"""The race on a server that limits how many run at once (gdtutor/engine/slots.py): the learner sees
the wait and their place in line, the race starts by itself when its turn comes, and a race left while
waiting leaves nothing in the line.

The server's settings are the environment the tutor was started with; every slot is taken here by the
test itself (a lock between open files holds within one process as between two). The tests wait for
conditions, never for a fixed time.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from support import DATA
from support.pilot import open_at
from support.waiting import until
from textual.widgets import Static

from gdtutor.engine.slots import FOLDER_VARIABLE, QUEUE, SLOTS_VARIABLE, Pool
from gdtutor.ui import make_app
from gdtutor.ui.screens.lessons import LessonListScreen
from gdtutor.ui.widgets.regression import RegressionRace

SIZE = (80, 24)


@pytest.fixture
def pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Pool:
    """A server's limit of one race at once, set for the tutors this test starts."""
    folder = tmp_path / "race-slots"
    monkeypatch.setenv(SLOTS_VARIABLE, "1")
    monkeypatch.setenv(FOLDER_VARIABLE, str(folder))
    return Pool(folder, 1)


def summary(race: RegressionRace) -> str:
    return " ".join(str(race.query_one("#race-summary", Static).render()).split())


def in_line(pool: Pool) -> list[str]:
    folder = pool.folder / QUEUE
    return sorted(os.listdir(folder)) if folder.exists() else []


def free(pool: Pool) -> bool:
    slot = pool._try()
    if slot is None:
        return False
    slot.release()
    return True


async def press_race(app: Any, pilot: Any) -> RegressionRace:
    """The example lesson opened at its race, and r pressed there: the race's widget."""
    screen = await open_at(app, pilot, "example-lesson", "regression")
    race = screen.query_one(RegressionRace)
    await until(pilot, lambda: app.focused is race)
    await pilot.press("r")
    return race


async def test_the_race_waits_for_its_turn_and_then_runs(tmp_path: Path, pool: Pool) -> None:
    held = pool.take()  # another learner's race
    app = make_app(lang="en", data_dir=tmp_path, lesson_dirs=[DATA])
    async with app.run_test(size=SIZE) as pilot:
        race = await press_race(app, pilot)
        await until(pilot, lambda: "Waiting for a turn" in summary(race))
        assert "every race this server runs at once (1) is running now" in summary(race)
        assert "next in line" in summary(race)
        assert race.running and not race.rows and race.process is None
        assert len(in_line(pool)) == 1

        number = race.race
        await pilot.press("r")  # again while waiting: the place is kept, not given up for the back
        assert race.race == number and len(in_line(pool)) == 1

        await pilot.press("f2")
        await until(pilot, lambda: "正在排队" in summary(race))
        assert "同时最多运行 1 场比赛" in summary(race) and "下一个就轮到你" in summary(race)
        await pilot.press("f2")
        await until(pilot, lambda: "Waiting for a turn" in summary(race))

        held.release()  # that race ended: this one's turn
        await until(pilot, lambda: "Waiting" not in summary(race) and race.process is not None)
        assert race.turn is None
        await until(pilot, lambda: not race.running, timeout=60)
        assert [r.features for r in race.rows] == race.features
        assert "Waiting" not in summary(race) and "np.linalg.lstsq" in summary(race)
        assert race.process is not None and race.process.finished
    assert in_line(pool) == [] and free(pool)


@pytest.mark.parametrize("leave", ["lesson", "app"])
async def test_a_race_left_while_waiting_leaves_the_line(tmp_path: Path, pool: Pool, leave: str) -> None:
    """Leaving the lesson (q) or quitting cancels the race's worker while it waits: its ticket goes, no
    process starts and no slot is taken when the turn would have come."""
    held = pool.take()
    app = make_app(lang="en", data_dir=tmp_path, lesson_dirs=[DATA])
    async with app.run_test(size=SIZE) as pilot:
        race = await press_race(app, pilot)
        await until(pilot, lambda: "Waiting for a turn" in summary(race))
        assert len(in_line(pool)) == 1
        if leave == "lesson":
            await pilot.press("q")
            await until(pilot, lambda: isinstance(app.screen, LessonListScreen))
            await until(pilot, lambda: in_line(pool) == [])
    end = time.monotonic() + 10  # quitting: the worker's thread leaves the line at its next look
    while in_line(pool):
        assert time.monotonic() < end, "the cancelled race is still in line"
        time.sleep(0.01)
    assert race.process is None
    held.release()
    assert free(pool)  # the slot is free: no cancelled waiter took it


async def test_a_limit_set_wrong_is_said_and_no_race_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that asked for a limit, wrongly, gets no race without one: the learner is told why."""
    monkeypatch.setenv(SLOTS_VARIABLE, "two")
    monkeypatch.setenv(FOLDER_VARIABLE, str(tmp_path / "race-slots"))
    app = make_app(lang="en", data_dir=tmp_path, lesson_dirs=[DATA])
    async with app.run_test(size=SIZE) as pilot:
        race = await press_race(app, pilot)
        await until(pilot, lambda: not race.running)
        assert f"The race could not start: {SLOTS_VARIABLE}='two'" in summary(race)
        assert race.process is None and not race.rows
