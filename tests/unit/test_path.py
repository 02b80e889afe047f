"""A run's path in bounded memory: recent updates whole, older ones thinned, every kept value exact."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdtutor.engine.descent import Descent, Status, descend
from gdtutor.engine.lecture import LECTURE_FUNCTION
from gdtutor.engine.path import Path, Thinned


def long_run(whole: bool, max_iter: int = 200_000) -> Descent:
    # the bottom is at -500, far beyond 200,000 updates of steps near 0.001 that shrink slowly
    run = Descent("x + 0.001*x^2", 0.001, 0.0, precision=1e-6, max_iter=max_iter, whole_path=whole)
    run.to_end()
    return run


def test_a_short_run_keeps_its_whole_path():
    result = descend(LECTURE_FUNCTION, 0.01, 0)
    assert result.path.whole and len(result.trace) == result.steps + 1 == 351


def test_a_long_path_is_bounded_and_every_value_it_keeps_is_exact():
    bounded, whole = long_run(False), long_run(True)
    assert bounded.status is whole.status is Status.MAX_ITER
    assert (bounded.x, bounded.last_x) == (whole.x, whole.last_x)
    assert not bounded.path.whole and whole.path.whole
    steps, xs, deltas = bounded.path.points()
    assert len(steps) <= bounded.path.samples + bounded.path.limit
    reference = np.frombuffer(whole.path.recent, dtype=np.float64)
    assert steps[0] == 0 and steps[-1] == 200_000 and (np.diff(steps) > 0).all()
    assert np.array_equal(xs, reference[steps])
    # each kept update comes with the step that led to it: what the step chart draws
    assert math.isnan(deltas[0])
    assert np.array_equal(deltas[1:], reference[steps[1:]] - reference[steps[1:] - 1])


def test_a_bounded_path_answers_for_the_recent_updates_and_refuses_thinned_ones():
    run = long_run(False)
    assert run.state(200_000 - 1000).x == run.path[200_000 - 1000]
    with pytest.raises(Thinned):
        run.path[10]
    with pytest.raises(Thinned):
        _ = run.result().trace


def test_points_stop_at_the_update_asked_for():
    path = long_run(False).path
    steps, xs, _ = path.points(upto=195_000)
    assert steps[-1] == 195_000 and xs[-1] == path[195_000]
    steps, _, _ = path.points(upto=5000)  # inside the thinned part: only kept updates up to it
    assert steps[-1] <= 5000


def test_memory_stays_bounded_however_long_the_run():
    path = Path(0.0)
    x = 0.0
    for _ in range(40):
        for _ in range(4096):
            x += 1.0
            path.recent.append(x)
        path.compact()
    assert path.steps == 40 * 4096
    assert len(path.recent) <= path.limit and len(path.sample_x) <= path.samples


def test_cutting_a_run_back_into_its_thinned_part_is_refused():
    run = long_run(False)
    with pytest.raises(Thinned):
        run.cancel(steps=10)
    run.cancel(steps=199_990)
    assert (run.steps, run.status) == (199_990, Status.CANCELLED)


def test_json_says_which_path_it_gives():
    assert descend(LECTURE_FUNCTION, 0.1, 0).to_dict()["trace_kept"] == "whole"
    thinned = long_run(False).result().to_dict()
    assert thinned["trace_kept"] == "thinned" and "trace" not in thinned
    assert thinned["path"]["update"][-1] == 200_000
