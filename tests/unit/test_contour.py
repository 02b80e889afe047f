"""The 2-D lab's chart (gdtutor.charts): the level lines of a surface, the plane with each run's path, and
the rectangle the chart keeps while a run is animated. Plain pytest: plotext figures, no Textual."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from gdtutor.charts import (
    CONTOUR_LEVELS,
    CONTOUR_QUANTILES,
    MARKS,
    PLANE_SWING_REACH,
    PLANE_THIN,
    START,
    Contours,
    LeftPlane,
    Trial,
    contour_levels,
    contours,
    draw_plane,
    new_figure,
    plane_span,
    render,
)
from gdtutor.engine.descent import Status
from gdtutor.engine.descent2 import Descent2
from gdtutor.engine.surface import BANANA, BOWL, VALLEY, Surface

NOTHING = Contours(np.empty(0), np.empty(0), ())
VALLEY_START = (1.0, 1.0)
VALLEY_ETAS = (0.05, 0.09, 0.11)  # converges, zig-zags, diverges (stable for eta < 0.1)
BANANA_START = (-1.5, 2.0)
BRAILLE = range(0x2801, 0x2900)  # the braille characters with at least one dot


def run(text: str, start: tuple[float, float], eta: float, max_iter: int = 5000) -> Any:
    return Descent2(text, eta, *start, max_iter=max_iter).to_end()


def trial(text: str, start: tuple[float, float], eta: float) -> Trial:
    """A trial as the lab runs it: its points, and whether it goes away."""
    result = run(text, start, eta)
    _, xs, ys, _ = result.path.points()
    return Trial(xs, ys, result.status is Status.DIVERGED or result.details.get("trend") == "growing")


def path(text: str, start: tuple[float, float], eta: float) -> tuple[Any, Any, Any]:
    """A whole run's update numbers, x and y: what draw_plane is given."""
    steps, xs, ys, _ = run(text, start, eta, max_iter=100_000).path.points()
    return steps, xs, ys


def inside(xs: Any, ys: Any, xspan: tuple[float, float], yspan: tuple[float, float]) -> bool:
    xs, ys = np.asarray(xs), np.asarray(ys)
    return bool(np.all((xs >= xspan[0]) & (xs <= xspan[1]) & (ys >= yspan[0]) & (ys <= yspan[1])))


class Recorder:
    """A figure that keeps what is drawn on it, in order (the calls draw_plane makes of a plotext figure)."""

    def __init__(self) -> None:
        self.drawn: list[tuple[str, list[float], list[float], str, str]] = []
        self.limits: dict[str, tuple[float, float]] = {}

    def plot(self, xs: list[float], ys: list[float], *, marker: str, color: str) -> None:
        self.drawn.append(("plot", list(xs), list(ys), marker, color))

    def scatter(self, xs: list[float], ys: list[float], *, marker: str, color: str = "default") -> None:
        self.drawn.append(("scatter", list(xs), list(ys), marker, color))

    def xlim(self, low: float, high: float) -> None:
        self.limits["x"] = (low, high)

    def ylim(self, low: float, high: float) -> None:
        self.limits["y"] = (low, high)

    def xticks(self, ticks: list[float], labels: list[str]) -> None:
        pass

    def yticks(self, ticks: list[float], labels: list[str]) -> None:
        pass

    def paths(self) -> list[tuple[list[float], list[float], str]]:
        return [(xs, ys, marker) for kind, xs, ys, marker, _ in self.drawn if kind == "plot"]


# the level lines


def test_bowl_contour_points_lie_on_the_circles_of_the_levels() -> None:
    span = (-2.0, 2.0)
    cols, rows = 60, 18
    lines = contours(Surface(BOWL).f_vec, span, span, cols, rows)
    spacing = max(4 / (2 * cols - 1), 4 / (4 * rows - 1))  # between neighbouring samples
    radii = np.hypot(lines.xs, lines.ys)
    circles = np.sqrt(np.asarray(lines.levels))
    assert len(lines.levels) == CONTOUR_LEVELS
    assert len(radii) > 200
    assert np.abs(radii[:, None] - circles[None, :]).min(axis=1).max() <= spacing
    for radius in circles[circles < 2]:  # every level is drawn, all round its circle
        near = np.abs(radii - radius) <= spacing
        angles = np.arctan2(lines.ys[near], lines.xs[near])
        assert len(np.unique(np.floor((angles + math.pi) / (math.pi / 4)))) == 8, radius


def test_lines_are_one_sample_thick() -> None:
    # of the two samples a line passes between, one is on it: a circle has fewer points than its
    # perimeter counts samples across (about 0.75 of them; marking both samples of a crossing gives 1.5)
    span = (-2.0, 2.0)
    lines = contours(Surface(BOWL).f_vec, span, span, 60, 18)
    for level in lines.levels:
        radius = math.sqrt(level)
        if radius >= 1.8:
            continue
        on = np.abs(np.hypot(lines.xs, lines.ys) - radius) <= 0.1
        perimeter_in_samples = 2 * math.pi * radius / (4 / (2 * 60 - 1))
        assert on.sum() <= perimeter_in_samples, level


def test_levels_are_spaced_geometrically_above_the_minimum() -> None:
    grid_x, grid_y = np.meshgrid(np.linspace(-1.2, 1.2, 120), np.linspace(-1.2, 1.2, 72))
    values = Surface(VALLEY).f_vec(grid_x, grid_y).ravel()
    levels = contour_levels(values)
    heights = np.asarray(levels) - values.min()
    ratios = heights[1:] / heights[:-1]
    assert len(levels) == CONTOUR_LEVELS
    assert np.allclose(ratios, ratios[0]) and ratios[0] > 1.5
    below_lowest, below_highest = (values < levels[0]).mean(), (values < levels[-1]).mean()
    assert below_lowest == pytest.approx(CONTOUR_QUANTILES[0], abs=0.01)
    assert below_highest == pytest.approx(CONTOUR_QUANTILES[1], abs=0.01)


def test_levels_of_the_banana_span_orders_of_magnitude() -> None:
    lines = contours(Surface(BANANA).f_vec, (-1.7, 1.2), (-0.2, 2.25), 56, 14)
    assert lines.levels[-1] / lines.levels[0] > 100


def test_a_spike_does_not_take_every_line() -> None:
    # 1/(x^2 + y^2) reaches 1e5 near the centre of the grid; the lines stay where most of the chart is
    lines = contours(Surface("1/(x^2 + y^2)").f_vec, (-2.0, 2.0), (-2.0, 2.0), 50, 14)
    radii = np.hypot(lines.xs, lines.ys)
    assert len(lines.levels) == CONTOUR_LEVELS
    assert (radii > 1).mean() > 0.5


def test_where_f_is_not_finite_no_point_is_on_a_line() -> None:
    lines = contours(Surface("sqrt(x) + y^2").f_vec, (-2.0, 2.0), (-2.0, 2.0), 40, 12)
    assert len(lines.xs) > 50
    assert np.all(lines.xs > 0)
    assert np.all(np.isfinite(Surface("sqrt(x) + y^2").f_vec(lines.xs, lines.ys)))


@pytest.mark.parametrize(
    "f_vec",
    [
        lambda x, y: np.full_like(x, np.nan),
        lambda x, y: np.where(x > 0, np.inf, -np.inf),
        Surface("3").f_vec,  # a constant: one value for the whole grid
        lambda x, y: np.zeros_like(x),
    ],
    ids=["nan", "infinite", "constant", "flat"],
)
def test_no_line_where_f_has_no_finite_height_to_draw(f_vec: Any) -> None:
    lines = contours(f_vec, (-1.0, 1.0), (-1.0, 1.0), 20, 6)
    assert len(lines.xs) == len(lines.ys) == 0
    assert lines.levels == ()


def test_a_step_gets_one_line_between_its_two_values() -> None:
    lines = contours(lambda x, y: np.where(x > 0.25, 1.0, 0.0), (-1.0, 1.0), (-1.0, 1.0), 20, 6)
    assert len(lines.levels) == 1 and 0 < lines.levels[0] <= 1
    assert np.all(np.abs(lines.xs - 0.25) <= 2 / (2 * 20 - 1))


# the plane chart


def valley_chart(etas: tuple[float, ...], cols: int = 60, rows: int = 18) -> tuple[Any, Any, Any, Any]:
    """The valley's rectangle for ``etas``, its lines and the runs' paths."""
    surface = Surface(VALLEY)
    xspan, yspan = plane_span(surface.f_vec, [VALLEY_START], [trial(VALLEY, VALLEY_START, eta) for eta in etas])
    lines = contours(surface.f_vec, xspan, yspan, cols, rows)
    return xspan, yspan, lines, [path(VALLEY, VALLEY_START, eta) for eta in etas]


def test_the_plane_shows_the_start_the_runs_and_the_lines_without_colour_codes() -> None:
    xspan, yspan, lines, paths = valley_chart(VALLEY_ETAS[:2])
    figure = new_figure(60, 18)
    left = draw_plane(figure, lines, paths, xspan, yspan)
    text = render(figure, color=False)
    assert left == []
    assert "\x1b" not in text
    assert text.count(START) == 1  # both runs start there: one S
    assert MARKS["dot"] in text and MARKS["x"] in text
    assert sum(ord(char) in BRAILLE for char in text) > 100
    assert "\x1b[" in render(figure, color=True)


def test_the_start_is_drawn_where_the_run_begins_and_over_every_path() -> None:
    xspan, yspan, lines, paths = valley_chart(VALLEY_ETAS[:2])
    figure = Recorder()
    draw_plane(figure, lines, paths, xspan, yspan)
    kinds = [(kind, marker) for kind, _, _, marker, _ in figure.drawn]
    assert kinds[0] == ("scatter", "braille")  # the lines first: under everything
    assert kinds[-1] == ("scatter", START)
    starts = [(xs, ys) for kind, xs, ys, marker, _ in figure.drawn if marker == START]
    assert all(start == ([1.0], [1.0]) for start in starts)


def test_runs_are_drawn_inside_the_chart_with_the_main_run_last() -> None:
    xspan, yspan, lines, paths = valley_chart(VALLEY_ETAS)
    figure = Recorder()
    draw_plane(figure, lines, paths, xspan, yspan)
    drawn = figure.paths()
    assert [marker for _, _, marker in drawn] == ["+", "x", "dot"]
    assert all(inside(xs, ys, xspan, yspan) for xs, ys, _ in drawn)
    assert inside(lines.xs, lines.ys, xspan, yspan)
    assert figure.limits == {"x": xspan, "y": yspan}


def test_a_diverging_run_is_reported_where_it_left_and_drawn_only_up_to_the_edge() -> None:
    xspan, yspan, lines, paths = valley_chart(VALLEY_ETAS)
    figure = Recorder()
    left = draw_plane(figure, lines, paths, xspan, yspan)
    _, xs, ys = paths[2]
    # y is multiplied by 1 - 20 * 0.11 = -1.2 each update: 1, -1.2, 1.44, -1.728 (beyond the chart)
    assert left == [LeftPlane(2, 3, float(xs[3]), float(ys[3]))]
    assert not inside(xs[3:4], ys[3:4], xspan, yspan)
    drawn_x, drawn_y, _ = figure.paths()[0]
    assert drawn_x[:3] == xs[:3].tolist() and drawn_y[:3] == ys[:3].tolist()
    assert len(drawn_x) == 4  # its two swings, then the segment towards update 3 up to the edge
    assert drawn_y[3] == yspan[0]
    towards = (xs[3] - xs[2]) * (drawn_y[3] - ys[2]) - (ys[3] - ys[2]) * (drawn_x[3] - xs[2])
    assert towards == pytest.approx(0, abs=1e-12)  # on the segment from update 2 to update 3


def test_the_update_reported_is_the_path_s_own_number_and_a_far_point_is_not_joined() -> None:
    # a thinned path: its points are updates 0, 10, 20 and 30
    figure = Recorder()
    left = draw_plane(
        figure, NOTHING, [([0, 10, 20, 30], [0.0, 0.5, 5.0, 0.2], [0.0, 0.0, 0.0, 0.0])], (-1, 1), (-1, 1)
    )
    assert left == [LeftPlane(0, 20, 5.0, 0.0)]
    assert figure.paths() == [([0.0, 0.5, 1.0], [0.0, 0.0, 0.0], "dot")]
    figure = Recorder()
    left = draw_plane(figure, NOTHING, [([0, 1, 2], [0.0, 0.5, math.inf], [0.0, 0.0, math.nan])], (-1, 1), (-1, 1))
    assert left[0].update == 2
    assert figure.paths() == [([0.0, 0.5], [0.0, 0.0], "dot")]


def test_a_run_that_starts_outside_is_not_drawn() -> None:
    figure = Recorder()
    left = draw_plane(figure, NOTHING, [([0, 1], [3.0, 0.0], [0.0, 0.0])], (-1, 1), (-1, 1))
    assert left == [LeftPlane(0, 0, 3.0, 0.0)]
    assert figure.paths() == []
    assert all(marker != START for _, _, _, marker, _ in figure.drawn)


def test_large_values_get_short_tick_labels_and_an_empty_chart_its_axes() -> None:
    figure = new_figure(60, 18)
    draw_plane(figure, NOTHING, [], (-1e6, 1e6), (-5e6, 5e6))
    text = render(figure, color=False)
    assert "-1e6" in text and "5e6" in text
    assert "00000" not in text


# the rectangle kept during a run


def test_the_valley_s_rectangle_shows_the_zig_zag_and_two_swings_of_the_diverging_run() -> None:
    trials = [trial(VALLEY, VALLEY_START, eta) for eta in VALLEY_ETAS]
    xspan, yspan = plane_span(Surface(VALLEY).f_vec, [VALLEY_START], trials)
    assert inside([1.0, 0.0], [1.0, 0.0], xspan, yspan)  # the start and the minimum
    for settling in trials[:2]:
        assert inside(settling.xs, settling.ys, xspan, yspan)
    zig_zag = trials[1].ys
    assert np.ptp(zig_zag) >= 0.5 * (yspan[1] - yspan[0])  # not flattened by the diverging run
    diverging = trials[2]
    assert inside(diverging.xs[:3], diverging.ys[:3], xspan, yspan)  # out to one side, then the other
    assert not inside(diverging.xs[3:4], diverging.ys[3:4], xspan, yspan)
    core = np.concatenate([t.ys for t in trials[:2]])
    assert sum(yspan) / 2 == pytest.approx((core.min() + core.max()) / 2)  # widened about the middle


def test_a_rate_far_beyond_the_stable_ones_does_not_flatten_the_chart() -> None:
    trials = [trial(VALLEY, VALLEY_START, 0.05), trial(VALLEY, VALLEY_START, 1.0)]  # y: 1, -19, 361, ...
    xspan, yspan = plane_span(Surface(VALLEY).f_vec, [VALLEY_START], trials)
    assert yspan[1] - yspan[0] <= (1 + 2 * PLANE_SWING_REACH) * 1.2
    left = draw_plane(Recorder(), NOTHING, [path(VALLEY, VALLEY_START, 1.0)], xspan, yspan)
    assert [(gone.run, gone.update) for gone in left] == [(0, 1)]


def test_the_banana_s_rectangle_shows_the_curved_valley_and_the_minimum() -> None:
    surface = Surface(BANANA)
    xspan, yspan = plane_span(surface.f_vec, [BANANA_START], [trial(BANANA, BANANA_START, 0.001)])
    steps, xs, ys = path(BANANA, BANANA_START, 0.001)
    assert inside([1.0, *xs], [1.0, *ys], xspan, yspan)  # the whole run, down the valley, and the minimum
    assert draw_plane(Recorder(), NOTHING, [(steps, xs, ys)], xspan, yspan) == []
    assert xspan[1] - xspan[0] < 4 and yspan[1] - yspan[0] < 4  # and not much more


def test_no_minimum_near_the_start_and_a_lone_point_keep_the_chart_small() -> None:
    # x + y has no minimum: the lowest point of the search square is its corner, 10 away, not taken
    xspan, yspan = plane_span(Surface("x + y").f_vec, [(0.0, 0.0)], [])
    assert inside([0.0], [0.0], xspan, yspan)
    assert 1 <= xspan[1] - xspan[0] <= 2 and 1 <= yspan[1] - yspan[0] <= 2
    # started at the minimum, a run does not move: a unit square around it (plus the margin)
    xspan, yspan = plane_span(Surface(BOWL).f_vec, [(0.0, 0.0)], [trial(BOWL, (0.0, 0.0), 0.1)])
    assert xspan[0] < -0.5 < 0.5 < xspan[1] and yspan[0] < -0.5 < 0.5 < yspan[1]


def test_a_run_along_one_axis_does_not_squeeze_the_other() -> None:
    xspan, yspan = plane_span(Surface(VALLEY).f_vec, [(1.0, 0.0)], [trial(VALLEY, (1.0, 0.0), 0.05)])
    assert yspan[1] - yspan[0] >= PLANE_THIN * (xspan[1] - xspan[0])
    assert sum(yspan) / 2 == pytest.approx(0.0)


def test_points_not_finite_are_left_out_of_the_rectangle() -> None:
    trials = [Trial([1.0, -3.0, math.inf], [1.0, 2.0, math.nan], True), Trial([1.0, math.nan], [0.5, 0.5], False)]
    xspan, yspan = plane_span(Surface(BOWL).f_vec, [(1.0, 1.0)], trials)
    assert all(math.isfinite(v) for v in (*xspan, *yspan))
    assert inside([1.0, -3.0, 0.0], [1.0, 2.0, 0.0], xspan, yspan)
