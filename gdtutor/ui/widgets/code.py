"""The lecture's loop as code, with the current values beside each line and the next line marked."""

from __future__ import annotations

import math

from rich.text import Text
from textual.widgets import Static

from ...engine import Status
from ...engine.expr import fmt
from ..playback import RunView

LINES = [
    "x = {x0}",
    "last_x = x + {gap}",
    "while True:",
    "    if abs(x - last_x) < {precision}:",
    "        break",
    "    last_x = x",
    "    x = x - {eta} * g(x)",
]
TEST, BREAK, ASSIGN, UPDATE = 3, 4, 5, 6


def short(value: float, digits: int = 10) -> str:
    """A float in few characters, for the margin of the code and the status line."""
    if not math.isfinite(value):
        return repr(value)
    return f"{value:.{digits}g}"


def loop_code(run: RunView | None, *, eta: float, precision: float, x0: float | None, gap: float = 0.1) -> Text:
    """The loop with the run's values: each line's latest values in a comment, the next line marked."""
    values = {
        "x0": "random" if x0 is None else fmt(x0),
        "gap": f"{gap:g}",
        "precision": f"{precision:g}",
        "eta": f"{eta:g}",
    }
    notes = [""] * len(LINES)
    marked = TEST
    if run is not None:
        x, last_x = run.x, run.last_x
        delta = abs(x - last_x)
        notes[0] = f"x0 = {short(run.x0, 6)}"
        notes[1] = f"last_x = {short(run.x0 + run.gap, 6)}"
        holds = delta < precision
        notes[TEST] = f"{short(delta, 4)} < {precision:g}: {holds}"
        if run.steps:
            notes[ASSIGN] = f"last_x = {short(last_x, 8)}"
            notes[UPDATE] = f"update {run.steps}: x = {short(x, 8)}"
        if run.status is Status.CONVERGED:
            marked = BREAK
        elif run.finished:
            marked = -1
    out = Text()
    width = max(len(line.format(**values)) for line in LINES) + 2
    for i, line in enumerate(LINES):
        code = line.format(**values)
        out.append("> " if i == marked else "  ", style="bold reverse" if i == marked else "")
        out.append(code.ljust(width), style="bold" if i == marked else "")
        if notes[i]:
            out.append(f"# {notes[i]}", style="italic")
        out.append("\n")
    return out


class LoopCode(Static):
    """The lecture's ``while True`` loop, filled in with the lab's values."""

    DEFAULT_CSS = """
    LoopCode { height: auto; padding: 0 1; }
    """

    def show(self, run: RunView | None, *, eta: float, precision: float, x0: float | None) -> None:
        self.update(loop_code(run, eta=eta, precision=precision, x0=x0))
