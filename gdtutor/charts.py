"""Charts drawn with plotext, each on its own figure (never plotext's global one).

No words inside a chart: plotext counts characters, not terminal cells, so a Chinese title or legend
would break its layout. Titles, axis names and legends are words of the catalogue, shown around the
chart (lines printed above and below it, or Textual widgets beside it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from plotext._figure import _figure_class as Figure

from .i18n import t
from .numbers import tick_label

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

# outcome -> (marker, colour); markers differ too, so the series stay apart without colour
SERIES = {
    "converged": ("dot", "blue"),
    "oscillating": ("x", "orange"),
    "diverged": ("+", "red"),
    "max_iter": ("*", "magenta"),
}
MARKS = {"dot": "•", "x": "x", "+": "+", "*": "*"}
"""What plotext draws for each marker, for a legend written beside the chart."""
ASCII = str.maketrans({"•": "o", "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "┤": "+", "┬": "+"})
"""The characters plotext draws a chart with, in ASCII: for a stream that cannot carry them."""


def new_figure(width: int, height: int) -> Any:
    """A fresh plotext figure of ``width`` x ``height`` cells."""
    figure = Figure()
    figure.plotsize(width, height)
    figure.theme("clear")
    return figure


def render(figure: Any, *, color: bool) -> str:
    """The figure as text, with or without colour codes."""
    text: str = figure.build()
    return text if color else _ANSI.sub("", text)


class SweepDrawn(NamedTuple):
    """What :func:`draw_sweep` drew: the outcomes (one series each), and the power of ten the learning
    rates were divided by (0: drawn as they are)."""

    outcomes: list[str]
    eta_power: int


PLAIN_RATES = (1e-4, 1e4)
"""Learning rates whose largest is in this range are drawn as they are; others in units of a power of
ten. plotext computes its ticks with the values themselves: near the largest float (1e307) they
overflow, among subnormal ones (1e-320) it scales by 10**320, which no float holds."""


def draw_sweep(figure: Any, result: Any) -> SweepDrawn:
    """Updates needed against learning rate, one series per outcome; any finite rates (up to 1e308,
    down to 5e-324) are drawn, in units of a power of ten beyond :data:`PLAIN_RATES`."""
    import numpy as np

    etas, steps, status = np.asarray(result.etas, dtype=float), result.steps, result.status
    top = float(np.abs(etas).max()) if len(etas) else 1.0
    power = 0
    if top > 0 and not PLAIN_RATES[0] <= top <= PLAIN_RATES[1]:
        power = math.floor(math.log10(top))
        # in two halves: 10.0**-320 is subnormal, and loses the digits the division should keep
        etas = etas / 10.0 ** (power // 2) / 10.0 ** (power - power // 2)
    drawn = []
    for name, (marker, color) in SERIES.items():
        mask = status == name
        if mask.any():
            figure.scatter(etas[mask].tolist(), steps[mask].tolist(), marker=marker, color=color)
            drawn.append(name)
    if (steps > 0).all() and steps.max() >= 10 * max(1, steps.min()):
        figure.yscale("log")
    return SweepDrawn(drawn, power)


RUN_STYLES = [("dot", "blue"), ("x", "red"), ("+", "green"), ("*", "magenta")]
"""Marker and colour of each run drawn together (markers differ, so runs stay apart without colour)."""
PLOT_LIMIT = 1e12
"""Values beyond this are left off the function chart (a diverging run leaves it quickly)."""
STEPS_HEADROOM = 3
"""Powers of ten the step chart shows above the largest step of a run that settles (beside it, a
diverging run's larger steps are drawn on the top row as :data:`ABOVE`)."""
ABOVE = "↑"
"""The step chart's marker for a step beyond its top (one cell wide, as plotext counts it)."""
LONG_VALUES = 1e5
"""Values of f from which the function chart labels its axis in few digits (5.4e+03, 4.6e+09)."""
MAX_POINTS = 600
"""Most points of one path handed to plotext: a chart is a few hundred cells wide, and plotext's time
grows with the points, so a million-update path is thinned evenly (first and last points kept)."""


def thin(count: int, limit: int = MAX_POINTS) -> Any:
    """Indices of at most ``limit`` points spread evenly over ``count``, first and last included."""
    import numpy as np

    if count <= limit:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, limit).round().astype(np.int64))


class LeftChart(NamedTuple):
    """A run that went beyond the function chart's x range: which one, at which update, to which x."""

    run: int
    update: int
    x: float


def draw_function(
    figure: Any, f_vec: Any, paths: list[Any], span: tuple[float, float] | None = None
) -> list[LeftChart]:
    """f(x) over ``span`` (or the range the runs visit), with each run's path of updates joined in order.

    ``paths`` are each run's x values in update order (x0 first). Points beyond the range are left
    off, so a diverging run cannot flatten the curve; the runs that left are returned, for a note
    beside the chart. Runs are drawn in :data:`RUN_STYLES`; their legend is left to the widgets around
    the chart (inside it, it covered the paths of a short chart).
    """
    import numpy as np

    whole = [np.asarray(path, dtype=float) for path in paths]
    if span is None:
        points = [float(v) for xs in whole for v in xs[thin(len(xs))] if math.isfinite(v) and abs(v) <= PLOT_LIMIT]
        span = (min(points), max(points)) if points else (-1.0, 1.0)
    lo, hi = span
    pad = max((hi - lo) * 0.1, 0.5)
    lo, hi = lo - pad, hi + pad
    grid = np.linspace(lo, hi, 120)
    with np.errstate(all="ignore"):
        ys = np.asarray(f_vec(grid), dtype=float) * np.ones_like(grid)
    ok = np.isfinite(ys) & (np.abs(ys) <= PLOT_LIMIT)
    if ok.any():
        figure.plot(grid[ok].tolist(), ys[ok].tolist(), color="gray", marker="braille")
    left: list[LeftChart] = []
    runs = list(enumerate(zip(whole, RUN_STYLES, strict=False)))
    for index, (xs, (marker, color)) in reversed(runs):  # the main run last: drawn over the others
        out = np.flatnonzero(~((xs >= lo) & (xs <= hi)))  # False for inf and nan too
        if len(out):
            left.insert(0, LeftChart(index, int(out[0]), float(xs[out[0]])))
            xs = xs[: out[0]]  # the path up to where it left, thinned after the cut (before it, the
            # few updates a diverging run spends on the chart were thinned away once it had run long)
        xs = xs[thin(len(xs))]
        with np.errstate(all="ignore"):
            fy = np.asarray(f_vec(xs), dtype=float) * np.ones(len(xs))
        keep = np.isfinite(fy) & (np.abs(fy) <= PLOT_LIMIT)
        if keep.any():
            figure.plot(xs[keep].tolist(), fy[keep].tolist(), color=color, marker=marker)
    figure.xlim(lo, hi)
    if max(abs(lo), abs(hi)) >= LONG_VALUES / 10:  # x labels are side by side: fewer digits sooner
        ticks = np.linspace(lo, hi, 5).tolist()
        figure.xticks(ticks, [tick_label(value) for value in ticks])
    if ok.any() and float(np.abs(ys[ok]).max()) >= LONG_VALUES:
        # plotext writes every digit (4573319822.2): labels as wide as half a small chart
        ticks = np.linspace(float(ys[ok].min()), float(ys[ok].max()), 4).tolist()
        figure.yticks(ticks, [tick_label(value) for value in ticks])
    return left


# The 2-D lab's chart: the plane (x, y) seen from above, f drawn as its level lines (contours), and each
# run's path of points joined in update order. Braille dots make the lines: a cell holds 2 dots across
# and 4 down, and a terminal cell is about twice as tall as it is wide, so one dot is about square on
# the screen; but the chart's x and y spans are chosen for what the runs need, not to make a unit of x
# as long as a unit of y (a narrow valley would then be a line), so circles of f are drawn as ellipses
# and the learner reads the axes' labels. The words (what S means, which marker is which run) are the
# widgets' around the chart.

CONTOUR_LEVELS = 6
"""How many level lines the contour chart draws: enough to see the shape, few enough to tell apart."""
CONTOUR_QUANTILES = (0.02, 0.98)
"""Where the lowest and the highest level lines go, as fractions of the chart's samples below them (the
2% lowest samples lie inside the lowest line); the levels between are spaced geometrically above the
minimum. See :func:`contours`."""
START = "S"
"""The marker of a run's start on the plane: a letter, one cell wide everywhere (not East-Asian
ambiguous, as • and ◆ are), and none of the runs' markers, so it reads without colour."""


class Contours(NamedTuple):
    """The level lines of f over a rectangle, at the braille resolution of a chart: the points on any
    line (numpy arrays of x and of y, in data units, drawn as one gray series) and the levels used."""

    xs: Any
    ys: Any
    levels: tuple[float, ...]


def contour_levels(values: Any, count: int = CONTOUR_LEVELS) -> tuple[float, ...]:
    """About ``count`` levels of f for a contour chart, from its finite ``values`` on the chart's grid.

    The rule: with m the lowest value, the heights d = f - m above it are taken at the area quantiles
    :data:`CONTOUR_QUANTILES` (2% of the samples lie below the lowest line, 98% below the highest), and
    the levels are m plus ``count`` heights spaced geometrically between those two. Geometric, because
    the surfaces of a lesson span orders of magnitude (the valley x^2 + 10*y^2 from 0 to 15 over a small
    square, the banana from 0 to thousands): equal spacing would put every line where f is steep and
    none around the minimum the runs go to. The quantiles rather than the extremes, so that a spike or
    a far corner (1/x near 0) does not take all the lines, and the lowest line encloses a visible patch
    around the minimum. Empty when f is flat on the grid (or there is no finite value).
    """
    import numpy as np

    values = np.asarray(values, dtype=float)
    if not len(values):
        return ()
    with np.errstate(all="ignore"):
        heights = values - values.min()
    heights = heights[np.isfinite(heights) & (heights > 0)]  # the lowest plateau has no line of its own
    if not len(heights):
        return ()
    low, high = (float(v) for v in np.quantile(heights, CONTOUR_QUANTILES))
    if not low < high:  # f takes (almost) two values: one line between them
        return (float(values.min() + low),)
    with np.errstate(all="ignore"):
        levels = values.min() + np.geomspace(low, high, count)
    return tuple(sorted({float(v) for v in levels if math.isfinite(v)}))


def contours(f_vec: Any, xspan: tuple[float, float], yspan: tuple[float, float], cols: int, rows: int) -> Contours:
    """The level lines of f over the rectangle ``xspan`` x ``yspan``, for a chart of ``cols`` x ``rows``
    cells: computed once for a function, a rectangle and a size (an animation redraws the same lines).

    f is evaluated on a grid at braille resolution, ``2*cols`` samples across and ``4*rows`` down, from
    edge to edge (plotext puts its dots at those places, so a chart whose plot is a little smaller than
    ``cols`` x ``rows``, for its axes' labels, gets a grid slightly finer than its dots). The levels are
    :func:`contour_levels`'. A sample is on a line when f crosses a level between it and its right or
    upper neighbour; of the two, the one whose value is nearer the level is taken (both when more than
    one level lies between them), so the lines are one dot thick and in their place to half a sample.
    Values that are not finite (outside a domain, an overflow) are on no line.
    """
    import numpy as np

    gx = np.linspace(xspan[0], xspan[1], max(2, 2 * cols))
    gy = np.linspace(yspan[0], yspan[1], max(2, 4 * rows))
    grid_x, grid_y = np.meshgrid(gx, gy)  # grid[j, i] is (gx[i], gy[j])
    with np.errstate(all="ignore"):
        z = np.asarray(f_vec(grid_x, grid_y), dtype=float) * np.ones_like(grid_x)  # a constant f gives one value
    finite = np.isfinite(z)
    levels = contour_levels(z[finite])
    if not levels:
        return Contours(np.empty(0), np.empty(0), ())
    marks = np.asarray(levels)
    band = np.searchsorted(marks, np.where(finite, z, 0.0), side="right")  # how many levels are <= f
    on = np.zeros(z.shape, dtype=bool)
    for axis in (0, 1):
        first = (slice(None, -1), slice(None)) if axis == 0 else (slice(None), slice(None, -1))
        second = (slice(1, None), slice(None)) if axis == 0 else (slice(None), slice(1, None))
        za, zb, ba, bb = z[first], z[second], band[first], band[second]
        crossed = finite[first] & finite[second] & (ba != bb)
        single = np.abs(ba - bb) == 1
        level = marks[np.clip(np.minimum(ba, bb), 0, len(marks) - 1)]  # the level crossed, when single
        nearer = np.abs(za - level) <= np.abs(zb - level)
        on[first] |= crossed & (~single | nearer)
        on[second] |= crossed & (~single | ~nearer)
    return Contours(grid_x[on], grid_y[on], levels)


class LeftPlane(NamedTuple):
    """A run that went beyond the plane chart's rectangle: which one, at which update, to which point."""

    run: int
    update: int
    x: float
    y: float


def _edge(
    inside: tuple[float, float], outside: tuple[float, float], xspan: tuple[float, float], yspan: tuple[float, float]
) -> tuple[float, float] | None:
    """Where the segment from a point inside the rectangle to a finite one outside it crosses the
    rectangle's edge (None when the outside point is too far for the arithmetic: inf - x)."""
    times = [1.0]
    for a, b, (low, high) in ((inside[0], outside[0], xspan), (inside[1], outside[1], yspan)):
        if b > high or b < low:
            times.append(((high if b > high else low) - a) / (b - a))
    t = min(times)
    point = (inside[0] + t * (outside[0] - inside[0]), inside[1] + t * (outside[1] - inside[1]))
    if not all(math.isfinite(v) for v in (t, *point)):
        return None
    return min(max(point[0], xspan[0]), xspan[1]), min(max(point[1], yspan[0]), yspan[1])


def draw_plane(
    figure: Any,
    lines: Contours,
    paths: Sequence[tuple[Any, Any, Any]],
    xspan: tuple[float, float],
    yspan: tuple[float, float],
) -> list[LeftPlane]:
    """The plane ``xspan`` x ``yspan`` (each low < high) seen from above: f's level lines in gray, each
    run's path of points joined in update order, and its start marked :data:`START`.

    ``lines`` are :func:`contours`' for this rectangle; ``paths`` each run's update numbers, x and y
    (the first three arrays of ``PlanePath.points()``, so that a thinned path still names the right
    update). Runs are drawn in :data:`RUN_STYLES`, the first (the main run) last so it lies on top. A
    path is cut where it leaves the rectangle (its last segment drawn up to the edge), so a diverging
    run cannot stretch the axes; the runs that left are returned, for a note beside the chart.
    """
    import numpy as np

    lo_x, hi_x = xspan
    lo_y, hi_y = yspan
    drawn = False
    if len(lines.xs):
        figure.scatter(lines.xs.tolist(), lines.ys.tolist(), marker="braille", color="gray")
        drawn = True
    left: list[LeftPlane] = []
    starts: list[tuple[float, float, str]] = []
    runs = list(enumerate(zip(paths, RUN_STYLES, strict=False)))
    for index, ((updates, xs, ys), (marker, color)) in reversed(runs):  # the main run last: drawn on top
        updates, xs, ys = np.asarray(updates), np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        inside = (xs >= lo_x) & (xs <= hi_x) & (ys >= lo_y) & (ys <= hi_y)  # False for inf and nan too
        out = np.flatnonzero(~inside)
        edge = None
        if len(out):
            cut = int(out[0])
            left.insert(0, LeftPlane(index, int(updates[cut]), float(xs[cut]), float(ys[cut])))
            if cut and math.isfinite(xs[cut]) and math.isfinite(ys[cut]):
                last, gone = (float(xs[cut - 1]), float(ys[cut - 1])), (float(xs[cut]), float(ys[cut]))
                edge = _edge(last, gone, xspan, yspan)
            xs, ys = xs[:cut], ys[:cut]  # thinned after the cut, as draw_function does
        pick = thin(len(xs))
        px, py = xs[pick].tolist(), ys[pick].tolist()
        if edge is not None:
            px.append(float(edge[0]))
            py.append(float(edge[1]))
        if px:
            figure.plot(px, py, marker=marker, color=color)
            starts.append((px[0], py[0], color))
            drawn = True
    for x, y, color in starts:  # over every path: where a run begins stays visible
        figure.scatter([x], [y], marker=START, color=color)
    if not drawn:  # a blank point, without which plotext leaves out the axes
        figure.scatter([lo_x], [lo_y], marker=" ")
    figure.xlim(lo_x, hi_x)
    figure.ylim(lo_y, hi_y)
    for ticks_of, (low, high), count in ((figure.xticks, xspan, 5), (figure.yticks, yspan, 4)):
        if max(abs(low), abs(high)) >= LONG_VALUES / 10:  # plotext writes every digit: a chart's width
            ticks = np.linspace(low, high, count).tolist()
            ticks_of(ticks, [tick_label(value) for value in ticks])
    return left


class Trial(NamedTuple):
    """A trial run for :func:`plane_span`: its points (x and y in update order, the start first), and
    whether it goes away (diverged, or its steps grow at its update limit) rather than settles.

    In 2-D a slow run needs thousands of updates to show where it goes (the banana at eta 0.001 is
    still at (-1.25, 1.56) after 300 of the 4,480 it takes), and a few thousand cost milliseconds:
    trials longer than the 1-D preview's 300 updates are worth it."""

    xs: Any
    ys: Any
    away: bool


PLANE_NEAR = 10.0
"""How far from a start (in x and in y) the plane chart looks for the lowest point of f to show."""
PLANE_SEARCH = 201
"""Samples across and down of the grid searched for that point (0.1 apart for a reach of 10)."""
PLANE_SWINGS = 2
"""First updates of a diverging run the plane chart shows (unless they are beyond
:data:`PLANE_SWING_REACH`): it is seen swinging out to one side and then to the other before it leaves."""
PLANE_SWING_REACH = 3.0
"""How many widths of what the settling runs need the plane chart may widen, on each side, for a
diverging run's first swings: a rate far beyond the stable ones jumps thousands of widths at once, and
taking that in would leave the other runs a dot."""
PLANE_WIDEN = 0.5
"""How many widths of what the settling runs need the plane chart may widen, on each side, for a
diverging run's further swings: less than the 1-D chart's 10, since the plane has fewer dots each way
and the zig-zag of the settling runs must stay readable."""
PLANE_THIN = 0.25
"""The least width of a side of the plane chart, as a fraction of the other: a run along one axis
does not make the chart a magnifying glass on a strip."""
PLANE_MARGIN = 0.08
"""The margin around what the plane chart shows, as a fraction of its larger side: points are not
drawn on the frame."""


def plane_span(
    f_vec: Any, starts: Sequence[tuple[float, float]], trials: Sequence[Trial]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The rectangle (x span, y span) the plane chart keeps while a run is animated, computed before it.

    The rule: the rectangle around the starts, the lowest point of f on a grid within
    :data:`PLANE_NEAR` of each start (only when it is inside that square, not on its border: a
    minimum, not a slope going on beyond the square), and every point of the trials that settle (or
    keep bouncing); a side narrower than :data:`PLANE_THIN` of the other is widened about its middle
    (a lone point gets a unit square). A trial that goes away is seen swinging: its first
    :data:`PLANE_SWINGS` updates are in if they are within :data:`PLANE_SWING_REACH` widths of that
    rectangle, and the next ones as long as each stays within :data:`PLANE_WIDEN` widths; an axis
    widened for them is centred on the rectangle, so that both sides of a swing show. Then a margin of
    :data:`PLANE_MARGIN` of the larger side all round. Points not finite or beyond :data:`PLOT_LIMIT`
    are left out. The trials come computed (numbers only): this module runs no descent.
    """
    import numpy as np

    core = [np.asarray(starts, dtype=float).reshape(-1, 2)]
    for x0, y0 in starts:
        gx = np.linspace(x0 - PLANE_NEAR, x0 + PLANE_NEAR, PLANE_SEARCH)
        gy = np.linspace(y0 - PLANE_NEAR, y0 + PLANE_NEAR, PLANE_SEARCH)
        grid_x, grid_y = np.meshgrid(gx, gy)
        with np.errstate(all="ignore"):
            z = np.asarray(f_vec(grid_x, grid_y), dtype=float) * np.ones_like(grid_x)
        z = np.where(np.isfinite(z), z, np.inf)
        j, i = np.unravel_index(int(np.argmin(z)), z.shape)
        if math.isfinite(z[j, i]) and 0 < i < PLANE_SEARCH - 1 and 0 < j < PLANE_SEARCH - 1:
            core.append(np.array([[gx[i], gy[j]]]))
    away = []
    for trial in trials:
        points = np.stack([np.asarray(trial.xs, dtype=float), np.asarray(trial.ys, dtype=float)], axis=1)
        ok = np.all(np.isfinite(points) & (np.abs(points) <= PLOT_LIMIT), axis=1)
        if trial.away:
            gone = np.flatnonzero(~ok)
            away.append(points[: int(gone[0]) if len(gone) else len(points)])  # up to where it left any chart
        else:
            core.append(points[ok])
    known = np.concatenate(core)
    if not len(known):
        known = np.zeros((1, 2))
    low, high = known.min(axis=0), known.max(axis=0)
    side = float((high - low).max())
    least = PLANE_THIN * side if side > 0 else 1.0
    middle = (low + high) / 2
    low, high = np.minimum(low, middle - least / 2), np.maximum(high, middle + least / 2)
    width = high - low

    def within(path: Any, widths: float) -> Any:
        return np.all((path >= low - widths * width) & (path <= high + widths * width), axis=1)

    seen = [low[None], high[None]]
    for path in away:
        near = within(path, PLANE_WIDEN)
        near[: PLANE_SWINGS + 1] = within(path[: PLANE_SWINGS + 1], PLANE_SWING_REACH)
        beyond = np.flatnonzero(~near)
        seen.append(path[: int(beyond[0]) if len(beyond) else len(path)])
    shown = np.concatenate(seen)
    widened = (shown.min(axis=0) < low) | (shown.max(axis=0) > high)
    half = np.abs(shown - middle).max(axis=0)
    low, high = np.where(widened, middle - half, low), np.where(widened, middle + half, high)
    margin = PLANE_MARGIN * float((high - low).max())
    return (float(low[0] - margin), float(high[0] + margin)), (float(low[1] - margin), float(high[1] + margin))


def update_ticks(last: int, most: int = 5) -> list[int]:
    """At most ``most`` whole update numbers from 0 to ``last``, 1, 2 or 5 times a power of ten apart."""
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            step = multiple * magnitude
            if last // step < most:
                return list(range(0, last + 1, step))
        magnitude *= 10


def count_label(count: int) -> str:
    """A count in few characters: 500, 2.5k, 1M."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if count >= size:
            return f"{count / size:g}{suffix}"
    return str(count)


def draw_steps(figure: Any, runs: list[tuple[Any, Any]], precision: float, rows: int | None = None) -> None:
    """|x - last_x| of every update on a log scale, for each run, with the precision as a line.

    ``runs`` are each run's update numbers and steps; ``rows`` the chart's height, if known. The y
    axis is labelled in powers of ten; before any update it still shows the precision line and a few
    updates, so the chart reads the same way empty as full. The title and the line's name are left to
    the widgets around the chart.
    """
    import numpy as np

    floor = math.log10(precision)
    kept = []
    for updates, deltas in runs:
        updates = np.asarray(updates)
        with np.errstate(all="ignore"):
            logs = np.log10(np.abs(np.asarray(deltas, dtype=float)))
        keep = np.isfinite(logs)
        kept.append((updates[keep], logs[keep]))
    # beside a run that settles, a run whose steps grow (diverging) is shown only a little above where
    # the settling runs' steps were largest, rather than squeezing them into one row of a scale up to
    # 1e308, and only as far as the settling runs go (its thousands of updates would squeeze theirs into
    # one column): its steps beyond the top are drawn on the top row as arrows, so it stays on the chart
    # for as long as the chart goes; alone (or with other growing runs), it is shown whole
    settling = [(float(logs.max()), int(updates[-1])) for updates, logs in kept if len(logs) and logs[-1] <= logs[0]]
    top = max([floor, *(high for high, _ in settling)]) + STEPS_HEADROOM if settling else math.inf
    end = max(last for _, last in settling) if settling else None
    lows, highs, last, drawn = [floor], [floor], 1, False
    for (updates, logs), (marker, color) in reversed(list(zip(kept, RUN_STYLES, strict=False))):
        if end is not None:
            updates, logs = updates[updates <= end], logs[updates <= end]
        pick = thin(len(logs))
        if len(pick):
            above = logs[pick] > top
            shown, beyond = pick[~above], pick[above]
            if len(shown):
                figure.plot(updates[shown].tolist(), logs[shown].tolist(), color=color, marker=marker)
                lows.append(float(logs[shown].min()))
                highs.append(float(logs[shown].max()))
            if len(beyond):
                figure.scatter(updates[beyond].tolist(), [math.floor(top)] * len(beyond), color=color, marker=ABOVE)
                highs.append(math.floor(top))
            last = max(last, int(updates[pick][-1]))
            drawn = True
    line = round(floor)
    low, high = min(math.floor(min(lows)), line) - 1, max(math.ceil(max(highs)), line + 1)
    if not drawn:  # nothing drawn yet: a blank point, without which plotext leaves out the x axis
        figure.scatter([0], [low], marker=" ")
    figure.hline(math.log10(precision), "gray")
    figure.ylim(low, high)
    last = max(last, 10)
    figure.xlim(0, last)
    ticks = update_ticks(last)
    figure.xticks(ticks, [count_label(tick) for tick in ticks])
    # the precision's own power of ten is labelled, on the row of its line, and at most two more above
    # it: a short chart has few rows, and plotext puts a label on the row nearest its value
    # ``rows``, the chart's height when known: labels at least two rows apart (one row is the x axis)
    most = 3 if rows is None else max(1, min(3, (rows - 1) // 2))
    every = max(1, math.ceil((high - line) / max(1, most - 1)))
    ticks = list(range(line, high + 1, every))[:most]
    figure.yticks(ticks, [f"1e{tick}" if tick else "1" for tick in ticks])
    figure.frame(False)  # at 80x24 the rows are better spent on data


CHART_CHARACTERS = "•─│┌┐└┘┤┬"
"""Characters plotext draws a chart with: a stream that cannot carry them gets the chart in ASCII."""


def sweep_chart(result: object, lang: str, *, width: int, height: int, color: bool, unicode: bool = True) -> str:
    """Updates against learning rate, one series per outcome, drawn with plotext; the title above it
    and the axes and the legend below it, in ``lang``; without ``unicode``, the chart and its marks in
    ASCII."""
    figure = new_figure(width, height)
    drawn = draw_sweep(figure, result)
    legend = "   ".join(f"{MARKS[SERIES[name][0]]} {t(f'chart_sweep_{name}', lang)}" for name in drawn.outcomes)
    chart = render(figure, color=color)
    if not unicode:
        chart, legend = chart.translate(ASCII), legend.translate(ASCII)
    axes = t("chart_sweep_axes_scaled", lang, power=drawn.eta_power) if drawn.eta_power else t("chart_sweep_axes", lang)
    return "\n".join([t("chart_sweep_title", lang), chart, axes, legend])
