"""Charts drawn with plotext, each on its own figure (never plotext's global one).

Text inside a chart stays ASCII: plotext counts characters, not terminal cells, so Chinese labels
belong in the widgets around a chart.
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
LABELS = {
    "converged": "converged",
    "oscillating": "oscillating",
    "diverged": "diverged (updates until inf)",
    "max_iter": "update limit",
}


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


def draw_sweep(figure: Any, result: Any) -> None:
    """Updates needed against learning rate, one series per outcome."""
    etas, steps, status = result.etas, result.steps, result.status
    for name, (marker, color) in SERIES.items():
        mask = status == name
        if mask.any():
            figure.scatter(etas[mask].tolist(), steps[mask].tolist(), marker=marker, color=color, label=LABELS[name])
    if (steps > 0).all() and steps.max() >= 10 * max(1, steps.min()):
        figure.yscale("log")
    figure.title("updates needed per learning rate")
    figure.xlabel("learning rate (eta)")
    figure.ylabel("updates")
