"""Charts drawn with plotext, each on its own figure (never plotext's global one).

No words inside a chart: plotext counts characters, not terminal cells, so a Chinese title or legend
would break its layout. Titles, axis names and legends are words of the catalogue, shown around the
chart (lines printed above and below it, or Textual widgets beside it).
"""

from __future__ import annotations

import re
from typing import Any

from plotext._figure import _figure_class as Figure

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


def draw_sweep(figure: Any, result: Any) -> list[str]:
    """Updates needed against learning rate, one series per outcome; returns the outcomes drawn."""
    etas, steps, status = result.etas, result.steps, result.status
    drawn = []
    for name, (marker, color) in SERIES.items():
        mask = status == name
        if mask.any():
            figure.scatter(etas[mask].tolist(), steps[mask].tolist(), marker=marker, color=color)
            drawn.append(name)
    if (steps > 0).all() and steps.max() >= 10 * max(1, steps.min()):
        figure.yscale("log")
    return drawn


RUN_STYLES = [("dot", "blue"), ("x", "red"), ("+", "green"), ("*", "magenta")]
"""Marker and colour of each run drawn together (markers differ, so runs stay apart without colour)."""
PLOT_LIMIT = 1e12
"""Values beyond this are left off the function chart (a diverging run leaves it quickly)."""
MAX_POINTS = 600
"""Most points of one path handed to plotext: a chart is a few hundred cells wide, and plotext's time
grows with the points, so a million-update path is thinned evenly (first and last points kept)."""


def thin(count: int, limit: int = MAX_POINTS) -> Any:
    """Indices of at most ``limit`` points spread evenly over ``count``, first and last included."""
    import numpy as np

    if count <= limit:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, limit).round().astype(np.int64))


def draw_function(
    figure: Any, f_vec: Any, traces: list[Any], labels: list[str], span: tuple[float, float] | None = None
) -> None:
    """f(x) over ``span`` (or the range the runs visit), with each run's path of updates joined in order."""
    import numpy as np

    paths = []
    for trace in traces:
        xs = np.asarray(trace, dtype=float)
        xs = xs[thin(len(xs))]
        paths.append(xs[np.isfinite(xs) & (np.abs(xs) <= PLOT_LIMIT)])
    points = [float(v) for xs in paths if len(xs) for v in (xs.min(), xs.max())] + (list(span) if span else [])
    lo, hi = (min(points), max(points)) if points else (-1.0, 1.0)
    pad = max((hi - lo) * 0.1, 0.5)
    grid = np.linspace(lo - pad, hi + pad, 120)
    with np.errstate(all="ignore"):
        ys = np.asarray(f_vec(grid), dtype=float) * np.ones_like(grid)
    ok = np.isfinite(ys) & (np.abs(ys) <= PLOT_LIMIT)
    if ok.any():
        figure.plot(grid[ok].tolist(), ys[ok].tolist(), color="gray", marker="braille")
    for xs, label, (marker, color) in zip(paths, labels, RUN_STYLES, strict=False):
        with np.errstate(all="ignore"):
            fy = np.asarray(f_vec(xs), dtype=float) * np.ones(len(xs))
        keep = np.isfinite(fy) & (np.abs(fy) <= PLOT_LIMIT)
        if keep.any():
            figure.plot(xs[keep].tolist(), fy[keep].tolist(), color=color, marker=marker, label=label)


def draw_steps(figure: Any, traces: list[Any], labels: list[str], precision: float) -> None:
    """log10 |x - last_x| per update for each run, with the precision as a horizontal line.

    The title and axis names are left to the widgets around the chart.
    """
    import math

    import numpy as np

    for trace, (marker, color) in zip(traces, RUN_STYLES, strict=False):
        xs = np.asarray(trace, dtype=float)
        if len(xs) < 2:
            continue
        with np.errstate(all="ignore"):
            deltas = np.abs(np.diff(xs))
        updates = np.arange(1, len(xs))
        keep = np.isfinite(deltas) & (deltas > 0)
        deltas, updates = deltas[keep], updates[keep]
        pick = thin(len(deltas))
        if len(pick):
            figure.plot(updates[pick].tolist(), np.log10(deltas[pick]).tolist(), color=color, marker=marker)
    figure.hline(math.log10(precision), "gray")
    figure.frame(False)  # at 80x24 the rows are better spent on data
    figure.xfrequency(0)
