"""The lecture's loop as code, with the current values beside each line and the next line marked."""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.widgets import Static

from ...engine.descent import RunState, Status
from ...engine.params import DEFAULT_GAP, START_RANGE
from ...i18n import t
from ...numbers import full, rounded

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


def loop_code(
    run: RunState | None,
    lang: str,
    *,
    eta: float,
    precision: float,
    x0: float | None,
    start: float | None = None,
    gap: float = DEFAULT_GAP,
    width: int | None = None,
) -> Text:
    """The loop with the run's values: each line's latest values in a comment, the next line marked.

    ``x0`` is the lab's (None for the lecture's random start); ``start`` where the run began. Within
    ``width`` cells, when it is given, rather than a line wrapped in two (code read across a broken line
    is no longer the loop): the values have fewer digits (8, then 6, then 4), then the comments follow
    their lines instead of making a column, then the test's comment leaves out the precision its line
    already shows, and last each comment goes on a line of its own under its code.
    """
    for layout in LAYOUTS:
        text = _loop_code(run, lang, eta, precision, x0, start, gap, layout)
        if width is None or max(cell_len(line) for line in text.plain.splitlines()) <= width:
            break
    return text


class Layout(NamedTuple):
    """How the loop's comments are written: the digits of its values, in a column or not, the test's
    comment whole or short, beside the code or below it."""

    digits: int = 8
    aligned: bool = True
    whole_test: bool = True
    beside: bool = True


LAYOUTS = (
    Layout(),
    Layout(digits=6),
    Layout(digits=4),
    Layout(digits=4, aligned=False),
    Layout(digits=4, aligned=False, whole_test=False),
    Layout(digits=4, aligned=False, whole_test=False, beside=False),
)
"""From the widest to the narrowest: the first that fits the width is drawn."""


def _loop_code(
    run: RunState | None,
    lang: str,
    eta: float,
    precision: float,
    x0: float | None,
    start: float | None,
    gap: float,
    layout: Layout,
) -> Text:
    values = {
        "x0": "np.random.randint({}, {}, size=1)[0]".format(*START_RANGE) if x0 is None else full(x0),
        "gap": f"{gap:g}",
        "precision": f"{precision:g}",
        "eta": f"{eta:g}",
    }
    notes = [""] * len(LINES)
    marked = TEST
    if run is not None and start is not None:
        notes[0] = t("code_x0", lang, x0=rounded(start, 6))
        notes[1] = t("code_last_x", lang, last_x=rounded(start + gap, 6))
        holds = run.delta < precision
        truth = t("code_true" if holds else "code_false", lang)
        delta = rounded(run.delta, 4)
        if layout.whole_test:
            notes[TEST] = t("code_test", lang, delta=delta, precision=f"{precision:g}", holds=truth)
        else:
            notes[TEST] = t("code_test_short", lang, delta=delta, holds=truth)
        if run.steps:
            notes[ASSIGN] = t("code_last_x", lang, last_x=rounded(run.last_x, layout.digits))
            notes[UPDATE] = t("code_update", lang, step=run.steps, x=rounded(run.x, layout.digits))
        if run.status is Status.CONVERGED:
            marked = BREAK
        elif run.finished:
            marked = -1
    out = Text()
    width = max(len(line.format(**values)) for line in LINES) + 2
    for i, line in enumerate(LINES):
        code = line.format(**values)
        out.append("> " if i == marked else "  ", style="bold reverse" if i == marked else "")
        if not layout.beside:
            out.append(code, style="bold" if i == marked else "")
            if notes[i]:  # under the code, indented as its line (a comment line of the loop's own)
                indent = len(code) - len(code.lstrip()) + 2
                out.append("\n" + " " * indent)
                out.append(f"# {notes[i]}", style="italic")
            out.append("\n")
            continue
        out.append(code.ljust(width if layout.aligned else len(code) + 2), style="bold" if i == marked else "")
        if notes[i]:
            out.append(f"# {notes[i]}", style="italic")
        out.append("\n")
    return out


class LoopCode(Static):
    """The lecture's ``while True`` loop, filled in with the lab's values (:func:`loop_code`), each line
    within the widget's width."""

    _shown: dict[str, Any] | None = None

    def show(self, run: RunState | None, lang: str, **values: Any) -> None:
        """Show the loop for ``run``; ``values`` are :func:`loop_code`'s."""
        self._shown = {"run": run, "lang": lang, **values}
        self.refresh(layout=True)

    def _text(self, width: int) -> Text:
        return Text() if self._shown is None else loop_code(**self._shown, width=width or None)

    def render(self) -> Text:
        return self._text(self.content_size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The loop's lines as drawn at ``width`` (the layout asks before the widget has a size)."""
        return len(self._text(width).plain.splitlines())

    def on_resize(self) -> None:
        self.refresh()

    DEFAULT_CSS = """
    LoopCode { height: auto; padding: 0 1; }
    """
