"""Charts drawn with plotext, each on its own figure (never plotext's global one).

No words inside a chart: plotext counts characters, not terminal cells, so a Chinese title or legend
would break its layout. Titles, axis names and legends are words of the catalogue, shown around the
chart (lines printed above and below it, or Textual widgets beside it).
"""

from __future__ import annotations

import math
import re
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
