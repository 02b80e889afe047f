"""The lab: parameters, the two charts, the status line and the loop, with the descent in a worker."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static
from textual.worker import get_current_worker

from ...charts import MARKS, RUN_STYLES, START, LeftChart, LeftPlane
from ...engine import surface as surface_presets
from ...engine.descent import RunState
from ...engine.descent2 import Descent2, PlaneState, Result
from ...engine.expr import ExpressionError
from ...engine.function import Function
from ...engine.lecture import LECTURE_FUNCTION
from ...engine.params import PLANE_ONLY, Limits, ParameterError, ParameterProblem, Setup, is_plane, read_setup
from ...engine.surface import Surface
from ...i18n import status_name
from ...numbers import apart, exact, rounded
from ...telling import explain, expression_error, param_problem
from ..playback import DEFAULT_SPEED, SPEEDS, Playback, preview_plane, preview_range
from ..tutor import Worded
from .charts import FunctionChart, PlaneChart, StepChart
from .code import LoopCode
from .words import Packed, Words, pack

TICK = 1 / 8
"""Seconds between animation ticks while a run is shown (the status shows the latest update at each);
no timer runs when the lab is idle. ``GDTUTOR_TICK_INTERVAL`` sets it (:func:`tick_interval`)."""
CHART_INTERVAL = 0.5
"""Seconds between two drawings of the charts while a run animates (the status follows every tick).
``GDTUTOR_CHART_INTERVAL`` sets it (:func:`chart_interval`)."""

# A served tutor (gdtutor/serve/zygote.py, SERVED) is given longer intervals than a learner's own: its
# CPU is shared by a class. Measured with a tutor on a terminal, 30 s of a run with a key a second, 80x24:
# 3.3% of a core with the charts drawn every second and 2.7% every 5 s; sampled (py-spy), 60% of the
# rest is Textual drawing the status each tick, 16% the lab's own tick. The playback's pace is its own
# (updates a second): a longer tick shows more of them at once, and a key is answered at once.


def tick_interval() -> float:
    return _seconds("GDTUTOR_TICK_INTERVAL", TICK, 0.05, 1.0)


def chart_interval() -> float:
    return _seconds("GDTUTOR_CHART_INTERVAL", CHART_INTERVAL, 0.1, 5.0)


def _seconds(name: str, default: float, low: float, high: float) -> float:
    """A number of seconds from the environment, within ``low`` and ``high``; ``default`` for anything else."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return min(max(value, low), high) if math.isfinite(value) else default


SHORT = 18
"""Rows below which the lab hides what the learner cannot change, to keep both charts readable."""
NARROW = 72
"""Columns below which the fields panel narrows."""
RUN_ACTIONS = ("pause", "stop", "end")
"""The lab's actions that act on a run being shown (hidden from the key bar, and off, otherwise)."""
FIELDS = ("function", "eta", "precision", "x0", "y0", "seed", "beta", "max_iter", "compare")
"""The lab's fields, in order; each is a parameter of :class:`~gdtutor.engine.params.Setup` (y0 and beta
are shown for a function of x and y only: :data:`~gdtutor.engine.params.PLANE_ONLY`)."""

PRESETS = (
    ("lecture", LECTURE_FUNCTION),
    ("bowl", "x^2"),
    ("flat", "x^4"),
    ("valleys", "x^4 - 3*x^2 + x"),
    ("kink", "abs(x - 2)"),
    ("bumpy", "sin(x) + 0.1*x^2"),
    *((f"plane_{name}", text) for name, text in surface_presets.PRESETS.items()),
)
"""Functions the lab offers (name, expression): each shows something about the learning rate or the start.

The lecture's; a bowl whose every rate below 1 converges; x^4, whose slope vanishes at the bottom (slow
to finish) and grows fast away from it (a start at 3 diverges with eta 0.1); two valleys, where the start
decides which minimum is found; |x - 2|, whose slope never shrinks, so the steps do not either and the
run oscillates; and a bumpy curve with many small valleys to get caught in. Then the surfaces of the 2-D
lab (:data:`gdtutor.engine.surface.PRESETS`): one rate for every direction."""


def run_label(eta: float) -> str:
    """A run as the chart's legend and the status name it: by its rate as typed, so that two rates
    never share a label (0.1 and 0.1000001 both printed 'eta=0.1')."""
    return f"eta={exact(eta)}"


def field_texts(setup: Setup) -> dict[str, str]:
    """The lab's fields as they show ``setup``."""
    return {
        "function": setup.function,
        "eta": exact(setup.eta),
        "precision": exact(setup.precision),
        "x0": "" if setup.x0 is None else exact(setup.x0),
        "y0": "" if setup.y0 is None else exact(setup.y0),
        "seed": "" if setup.seed is None else str(setup.seed),
        "beta": exact(setup.beta),
        "max_iter": str(setup.max_iter),
        "compare": ", ".join(exact(e) for e in setup.compare),
    }


def value_of(pb: Playback, x: float, y: float | None = None) -> str:
    """f(x), or f(x, y) on a surface, as numpy computes it: an overflow is inf (as the lecture's loop
    prints it), not an error."""
    import numpy as np

    with np.errstate(all="ignore"):
        if pb.surface is not None and y is not None:
            value = float(np.asarray(pb.surface.f_vec(np.float64(x), np.float64(y)), dtype=float))
        elif pb.function is not None:
            value = float(np.asarray(pb.function.f_vec(np.float64(x)), dtype=float))
        else:
            raise ValueError("a surface's value needs y")
    return rounded(value, 6)


def plane_path_of(points: Sequence[tuple[float, float]]) -> tuple[Any, Any, Any, Any]:
    """A path on a surface not run yet (the start alone), as :meth:`Playback.points` gives a run's."""
    import numpy as np

    xs = np.asarray([x for x, _ in points], dtype=float)
    ys = np.asarray([y for _, y in points], dtype=float)
    return np.arange(len(xs)), xs, ys, np.full(len(xs), np.nan)


def path_of(xs: Sequence[float]) -> tuple[Any, Any, Any]:
    """A path not run yet (the start alone), as :meth:`Playback.points` gives a run's."""
    import numpy as np

    values = np.asarray(xs, dtype=float)
    return np.arange(len(values)), values, np.full(len(values), np.nan)


class ChartView(Vertical, can_focus=False):
    """The charts (or the loop as code) with their notes: what the zoom key shows on the whole screen.

    While zoomed it has the focus (the lab, hidden, cannot keep it): the lab's keys reach the lab from
    here, its parent, so a run goes on being watched and steered."""

    ALLOW_MAXIMIZE = True


class Params(VerticalScroll, can_focus=False):
    """The parameter fields: scrolled when the terminal is too short, but never a Tab stop of its own."""


class ParamInput(Input):
    """A parameter field: escape leaves it for the lab, whose one-letter keys then work again."""

    BINDINGS = [
        Binding("enter", "submit", "run", show=True),
        Binding("escape", "leave", "leave_field", show=True),
    ]

    def action_leave(self) -> None:
        lab = next((node for node in self.ancestors if isinstance(node, Lab)), None)
        if lab is not None:
            lab.focus()


class Lab(Worded, Widget, can_focus=True):
    """An experiment: set parameters, run the descent, watch every update.

    ``editable`` names the fields the learner may change (all when None); ``limits`` the ranges a
    lesson allows them, enforced before a run starts, with the reason shown in the status line.
    """

    DEFAULT_CSS = """
    Lab { height: 1fr; layout: vertical; }
    /* no min-height on the charts (fr): when every fr child of a container is held at its min-height,
       Textual 8.2 gives each fr the whole space left (3fr of 8 rows was 24), and the charts overflowed
       the view, hiding the step chart and the legend: they share what is left, in proportion. */
    Lab #lab-body { height: 1fr; }
    Lab #params { width: 33; padding: 0 2 0 0; }
    Lab .param { height: 1; }
    Lab .param Label { width: 12; color: $text-muted; }
    Lab #param-function Label { width: 5; }
    Lab .param Label.-focused { color: $text; text-style: bold reverse; }
    Lab #params Input { border: none; height: 1; padding: 0; background: $boost; width: 1fr; }
    Lab #params Input:focus { background: $accent 30%; text-style: bold; }
    Lab #params Input.-bad { background: $error 30%; }
    Lab #derivative, Lab #start-note { height: auto; }
    Lab #start-note { color: $text-muted; }
    Lab #view { width: 1fr; }
    Lab FunctionChart, Lab PlaneChart { height: 3fr; min-height: 0; }
    Lab PlaneChart, Lab .-plane-only { display: none; }
    Lab.-plane PlaneChart, Lab.-plane .-plane-only { display: block; }
    Lab.-plane FunctionChart { display: none; }
    Lab.-plane PlaneChart { height: 2fr; }
    Lab.-plane StepChart { height: 1fr; }
    Lab StepChart { height: 2fr; min-height: 0; }
    Lab #steps-title { height: auto; color: $text-muted; padding: 0 1; }
    Lab #chart-note { height: auto; padding: 0 1; }
    Lab #chart-note.-empty { display: none; }
    Lab #status { height: auto; min-height: 4; padding: 0 1; background: $boost; }
    Lab #status.-refused { color: $error; }
    Lab LoopCode { display: none; }
    Lab.-code LoopCode { display: block; }
    Lab.-code StepChart, Lab.-code #steps-title { display: none; }
    Lab.-code #params { display: none; }
    Lab #params { scrollbar-size-vertical: 1; }
    Lab.-short .-fixed, Lab.-short #steps-title { display: none; }
    Lab.-short #status { min-height: 2; }
    Lab.-short FunctionChart, Lab.-short PlaneChart, Lab.-short StepChart { height: 1fr; }
    Lab.-code FunctionChart { height: 1fr; }
    Lab.-code.-short FunctionChart, Lab.-code.-short #chart-note { display: none; }
    Lab ChartView.-maximized FunctionChart, Lab ChartView.-maximized PlaneChart { height: 3fr; }
    Lab ChartView.-maximized StepChart { height: 2fr; }
    Lab ChartView.-maximized #steps-title { display: block; }
    Lab.-code ChartView.-maximized #steps-title { display: none; }
    Lab.-code ChartView.-maximized FunctionChart { display: block; height: 1fr; }
    Lab.-code ChartView.-maximized #chart-note { display: block; }
    Lab.-code ChartView.-maximized #chart-note.-empty { display: none; }
    Lab.-narrow #params { width: 27; }
    """

    BINDINGS = [
        Binding("r", "run", "run"),
        Binding("s", "step", "step"),
        Binding("space", "pause", "pause"),
        Binding("escape", "stop", "stop"),
        Binding("e", "end", "end"),
        Binding("plus,equals_sign", "faster", "faster", show=False),
        Binding("minus", "slower", "slower", show=False),
        Binding("c", "code", "code"),
        Binding("z", "zoom", "zoom"),
        Binding("tab", "tab", "tab", show=False),
    ]

    @dataclass
    class Finished(Message):
        """A run ended and its end has been shown."""

        lab: Lab
        result: Result

    running: reactive[bool] = reactive(False)
    """True while a run is being computed or animated."""

    def __init__(
        self,
        setup: Setup,
        *,
        editable: set[str] | None = None,
        limits: Limits | None = None,
        focus: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.first_field = focus
        """The field the first tab from the lab goes to (the one the lesson asks to change), if any."""
        self.setup = setup
        self.given = setup
        """The setup the lab was given: its function keeps its own derivative if typed again."""
        self.editable = set(FIELDS) if editable is None else set(editable)
        if "x0" in self.editable:
            self.editable.add("seed")  # the start is fixed or random: the learner may choose either
        self.limits = limits
        self.playback: Playback | None = None
        self.refused: list[ParameterProblem] = []
        """The problems of the values last refused (shown in the status line until the next run)."""
        self._timer: Timer | None = None
        self._last_tick = 0.0
        self._last_draw = 0.0
        self._chart_interval = chart_interval()
        self._span: tuple[float, float] | None = None
        """The function chart's x range, fixed for a run so the axes stay still while it is drawn."""
        self._plane_span: tuple[tuple[float, float], tuple[float, float]] | None = None
        """The plane chart's rectangle (x span, y span), fixed for a run in the same way."""

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        values = field_texts(self.setup)
        with Horizontal(id="lab-body"):
            with Params(id="params"):
                for name in FIELDS:
                    classes = "param" if name in self.editable else "param -fixed"
                    with Horizontal(
                        classes=f"{classes} -plane-only" if name in PLANE_ONLY else classes, id=f"param-{name}"
                    ):
                        yield Label(id=f"label-{name}")
                        fixed = name not in self.editable
                        yield ParamInput(values[name], id=f"in-{name}", disabled=fixed, compact=True)
                    if name == "function":
                        yield Words(id="derivative")
                        yield Select(
                            self._presets(),
                            value=next((text for _, text in PRESETS if text == self.setup.function), Select.NULL),
                            disabled="function" not in self.editable,
                            compact=True,
                            id="presets",
                            classes="" if "function" in self.editable else "-fixed",
                        )
                    elif name == "seed":
                        note = Words(id="start-note")
                        note.display = False
                        yield note
                yield Words(id="speed")
            with ChartView(id="view"):
                yield FunctionChart(id="chart-f")
                yield PlaneChart(id="chart-plane")
                yield Words(id="chart-note")
                yield Words(id="steps-title")
                yield StepChart(id="chart-steps")
                yield LoopCode(id="code")
        yield Words(id="status")

    def _presets(self) -> list[tuple[str, str]]:
        return [(self.words(f"preset_{key}"), text) for key, text in PRESETS]

    def on_resize(self) -> None:
        """Fewer rows or columns: the fields the learner cannot change and the chart's title give way
        to the charts, and the fields take less width (the layout the documented 60x20 still holds)."""
        short, narrow = self.size.height < SHORT, self.size.width < NARROW
        if short != self.has_class("-short") or narrow != self.has_class("-narrow"):
            self.set_class(short, "-short")
            self.set_class(narrow, "-narrow")
            self._draw()
        self._update_status()  # its lines of runs are packed for its width

    def on_mount(self) -> None:
        self._timer = self.set_interval(tick_interval(), self._tick, pause=True)
        self.watch(self.screen, "maximized", self._zoomed, init=False)
        self.show_words()
        self._draw()

    def show_words(self) -> None:
        """Every label, the presets, the speed, the status and the loop's notes in the app's language;
        what the learner typed stays as typed."""
        for name in FIELDS:
            self.query_one(f"#label-{name}", Label).update(self.words(f"{name}_short"))
            self.query_one(f"#in-{name}", Input).placeholder = self.words(f"{name}_placeholder")
        presets = self.query_one("#presets", Select)
        value = presets.value
        presets.set_options(self._presets())
        presets.prompt = self.words("presets_prompt")
        if value is not Select.NULL:
            presets.value = value
        self.query_one("#steps-title", Static).update(self.words("chart_steps"))
        self._show_derivative()
        self._show_speed()
        self._show_start()
        self._update_status()

    def on_unmount(self) -> None:
        if self.playback is not None:
            self.playback.stop()  # its worker ends at once instead of waiting for more to be shown

    def load(self, setup: Setup) -> None:
        """Show ``setup`` in the fields (a code step following its lab), with no run."""
        if self.playback is not None:
            self.playback.stop()
        self.playback = None
        self.running = False
        self.setup = self.given = setup
        for name, text in field_texts(setup).items():
            self.query_one(f"#in-{name}", Input).value = text
        self._span = self._plane_span = None
        self._update_status()
        self._draw()

    # --- parameters -----------------------------------------------------------------------------------

    def _value(self, name: str) -> str:
        return self.query_one(f"#in-{name}", Input).value

    def _preview(self) -> None:
        """Draw the fields' function (a preset just chosen, say) before any run: the last run's
        paths belong to another function. Nothing changes while a run is shown, or if a field is wrong."""
        if self.running or not self.is_mounted:
            return
        try:
            setup = self.read_setup(seeded=False)
        except ParameterError:
            return
        self.playback = None
        self.setup = setup
        self._span = self._plane_span = None
        self._show_start()
        self._update_status()
        self._draw()

    def read_setup(self, *, seeded: bool = True) -> Setup:
        """The parameters as typed, checked by the engine against its bounds and the lesson's ranges.

        Raises :class:`~gdtutor.engine.params.ParameterError` naming every field that cannot be used.
        """
        values: dict[str, object] = {name: self._value(name) for name in FIELDS}
        try:
            plane = is_plane(self._value("function").strip())
        except ExpressionError:
            plane = False  # the function's problem is said on its own
        if not plane:
            for name in PLANE_ONLY:  # hidden for a function of x alone: what they hold is not used
                values[name] = None
        if self._value("x0").strip() and (not plane or self._value("y0").strip()):
            values["seed"] = None  # a fixed start: the seed (of a random one) is not used
        if values["function"] == self.given.function:
            values["derivative"] = self.given.derivative  # the lecture's g, or the lesson's
        setup = read_setup(values, limits=self.limits, editable=self.editable)
        # a random start, as in the lecture: a new one each run unless a seed was given
        return setup.seeded() if seeded else setup

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.input.remove_class("-bad")
        if self.refused:  # the learner is mending a refused value: its reason goes, the others stay
            self.refused = [p for p in self.refused if f"in-{p.field}" != event.input.id]
            self._update_status()
        if event.input.id == "in-function":
            self._show_derivative()
            if event.value.strip() != self.setup.function:  # a new function, not the field being filled
                self._preview()
            # the preset it is, or none for a function of the learner's own
            text = event.value.strip()
            presets = self.query_one("#presets", Select)
            shown = next((preset for _, preset in PRESETS if preset == text), Select.NULL)
            if presets.value != shown:
                presets.value = shown

    @on(Select.Changed, "#presets")
    def _preset(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            field = self.query_one("#in-function", Input)
            if field.value.strip() != event.value:
                field.value = event.value

    @on(events.DescendantFocus)
    @on(events.DescendantBlur)
    def _mark_field(self, event: events.DescendantFocus | events.DescendantBlur) -> None:
        """The focused field's label stands out (reversed: visible without colour too). Set on the label
        itself: Textual did not restyle a label under ``.param:focus-within`` when the focus left."""
        widget = event.widget
        if isinstance(widget, ParamInput) and widget.id is not None:
            label = self.query_one(f"#label-{widget.id.removeprefix('in-')}", Label)
            label.set_class(isinstance(event, events.DescendantFocus), "-focused")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a field runs with it. Then the lab has the focus, so that the keys its status and key
        bar offer (e, s, space) do what they say instead of typing into the field (``0.3e``); tab goes
        back to the fields. A value refused keeps the focus in its field, to be mended."""
        event.stop()
        self.action_run()
        if not self.refused:
            self.focus()

    def _show_derivative(self) -> None:
        text = self._value("function").strip()
        derivative = self.query_one("#derivative", Static)
        try:
            if is_plane(text):  # a function of x and y: its two partial derivatives
                gx, gy = Surface(text).partial_texts
                derivative.update(self.words("partials_are", gx=gx, gy=gy))
            else:
                fn = Function.coerce(text, self.given.derivative if text == self.given.function else None)
                derivative.update(self.words("derivative_is", g=fn.derivative_text))
            self.query_one("#in-function").remove_class("-bad")
        except ExpressionError as exc:
            derivative.update(Text.assemble(("! ", "bold"), expression_error(exc, self.lang)))
            self.query_one("#in-function").add_class("-bad")

    def _show_speed(self) -> None:
        pb = self.playback
        speed = pb.speed if pb else SPEEDS[DEFAULT_SPEED]
        if pb is not None and pb.to_end and not pb.finished:
            text = self.words("speed_to_end")
        elif speed == math.inf:
            text = self.words("speed_max")
        else:
            rising = pb is None or pb.ramp
            text = self.words("speed_label" if rising else "speed_set", speed=f"{speed:g}")
        self.query_one("#speed", Static).update(text)

    def _show_start(self) -> None:
        """Where a random start began, and with which seed (so that it can be had again)."""
        pb = self.playback
        note = ""
        if pb is not None and pb.setup.random:
            main = pb.main
            if isinstance(main, Descent2):
                note = self.words("random_point", x0=exact(main.x0), y0=exact(main.y0), seed=pb.setup.seed)
            else:
                note = self.words("random_x0", x0=exact(pb.main.x0), seed=pb.setup.seed)
        start_note = self.query_one("#start-note", Static)
        start_note.update(note)
        start_note.display = bool(note)  # no empty row in the crowded panel

    # --- running ------------------------------------------------------------------------------------

    def _start(self, *, animate: bool) -> Playback | None:
        for field in self.query(ParamInput):
            field.remove_class("-bad")
        try:
            setup = self.read_setup()
        except ParameterError as exc:
            self.refused = exc.problems
            for problem in exc.problems:
                for bad in self.query(f"#in-{problem.field}"):
                    bad.add_class("-bad")
            self._update_status()
            return None
        self.refused = []
        if self.playback is not None:
            self.playback.stop()  # the worker of the old run sees this and ends
        self.setup = setup
        self._span = self._plane_span = None
        playback = Playback(setup)
        if self.playback is not None:
            playback.speed_index, playback.ramp = self.playback.speed_index, self.playback.ramp
        self.playback = playback
        self._show_start()
        self.running = True
        self._compute(playback)  # one worker a run, from its start: it keeps ahead of what is shown
        if animate:
            self._resume_timer()
        self._show_speed()
        return playback

    @work(thread=True, exclusive=True, group="descent")
    def _compute(self, playback: Playback) -> None:
        worker = get_current_worker()
        playback.compute(lambda: worker.is_cancelled)

    def _resume_timer(self) -> None:
        self._last_tick = time.monotonic()
        if self._timer is not None:
            self._timer.resume()

    def action_tab(self) -> None:
        """From the lab itself, to the field the lesson asks to change; anywhere else, the next field
        (tab as everywhere)."""
        field = next(iter(self.query(f"#in-{self.first_field}")), None) if self.first_field else None
        if self.app.focused is self and field is not None:
            field.focus()
        else:
            self.screen.focus_next()

    def action_run(self) -> None:
        """Run the descent from the start, animated."""
        self._start(animate=True)

    def action_step(self) -> None:
        """Make one update (starting a run if there is none) and show it."""
        pb = self.playback
        if pb is None or pb.finished:
            pb = self._start(animate=False)
            if pb is None:
                return
        pb.paused = True
        pb.step()
        self._show(force_draw=True)

    def action_pause(self) -> None:
        """Pause or resume the animation."""
        pb = self.playback
        if pb is None or pb.finished:
            return
        pb.paused = not pb.paused
        if not pb.paused:
            self._resume_timer()
        self._show(force_draw=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pause, stop and skip to the end only while a run is shown: the key bar lists just those keys.
        The loop as code is the lecture's 1-D loop: not offered for a function of x and y."""
        if action in RUN_ACTIONS:
            return self.running
        if action == "code":
            return not self.has_class("-plane")
        return True

    def watch_running(self) -> None:
        self.refresh_bindings()

    def action_stop(self) -> None:
        """Stop the run; the status says it was stopped."""
        pb = self.playback
        if pb is None or pb.finished:
            return
        pb.stop()
        self.workers.cancel_group(self, "descent")
        self._show(force_draw=True)

    def action_end(self) -> None:
        """Skip this run's animation to its end (the next run is animated at the speed set)."""
        pb = self.playback
        if pb is None or pb.finished:
            return
        pb.skip_to_end()
        self._resume_timer()
        self._show_speed()
        self._show(force_draw=True)

    def action_faster(self) -> None:
        if self.playback:
            self.playback.faster()
        self._show_speed()

    def action_slower(self) -> None:
        if self.playback:
            self.playback.slower()
        self._show_speed()

    def action_zoom(self) -> None:
        """The charts on the whole screen (the run goes on, and the lab's keys still work), or back:
        at 80x24 a bounce can be followed from side to side, at 60x20 it is where the charts are seen.
        Escape comes back too (Textual's own key for a maximized widget)."""
        screen = self.screen
        if screen.maximized is not None:
            screen.minimize()
        else:
            screen.maximize(self.query_one(ChartView), container=False)
        self._show(force_draw=True)

    def _zoomed(self, maximized: Widget | None) -> None:
        """The focus follows the zoom: on the charts while they fill the screen, on the lab after."""
        view = self.query_one(ChartView)
        if maximized is view:
            view.can_focus = True
            view.focus()
        elif view.can_focus:
            view.can_focus = False
            self.focus()

    def action_code(self) -> None:
        """Show the loop as code in place of the step chart, or the chart again."""
        if self.has_class("-plane"):
            return
        self.toggle_class("-code")
        self._show(force_draw=True)

    def _tick(self) -> None:
        pb = self.playback
        now = time.monotonic()
        elapsed, self._last_tick = now - self._last_tick, now
        if pb is None:
            self._pause_timer()
            return
        changed = pb.tick(elapsed)
        if changed or pb.finished:
            self._show(force_draw=pb.finished)
        if pb.finished or pb.paused:
            self._pause_timer()

    def _pause_timer(self) -> None:
        if self._timer is not None:
            self._timer.pause()

    # --- showing ----------------------------------------------------------------------------------------

    def _show(self, *, force_draw: bool = False) -> None:
        pb = self.playback
        self._update_status()
        now = time.monotonic()
        if force_draw or now - self._last_draw >= self._chart_interval:
            self._draw()
            self._last_draw = now
        if pb is not None and pb.finished and self.running:
            self.running = False
            self._show_speed()  # no longer 'to the end of this run'
            self.post_message(self.Finished(self, pb.main.result()))

    def _set_plane(self, plane: bool) -> None:
        """Show the 2-D lab (a function of x and y: its fields, its contour chart) or the 1-D one."""
        if plane == self.has_class("-plane"):
            return
        self.set_class(plane, "-plane")
        if plane:
            self.remove_class("-code")  # the loop as code is the 1-D loop's
        key = "chart_steps_plane" if plane else "chart_steps"
        self.query_one("#steps-title", Static).update(self.words(key))
        self.refresh_bindings()

    def _draw(self) -> None:
        pb = self.playback
        setup = pb.setup if pb else self.setup
        plane = pb.plane if pb else setup.plane
        self._set_plane(plane)
        if plane:
            self._draw_plane(pb, setup)
            return
        try:
            fn = pb.function if pb and pb.function else setup.make_function()
        except ExpressionError:
            return
        if pb is not None:
            runs = [pb.points(i) for i in range(len(pb.runs))]
        else:
            try:
                start = setup.start() if setup.x0 is not None or setup.seed is not None else None
            except ValueError:
                start = None
            runs = [path_of([start] if start is not None else [])]
        labels = [run_label(e) for e in setup.etas]
        if self._span is None:
            try:
                self._span = preview_range(setup, fn)
            except (ExpressionError, ValueError):
                self._span = None
        chart = self.query_one(FunctionChart)
        left = chart.show(fn.f_vec, [xs for _, xs, _ in runs], self._span, frame=not self.has_class("-short"))
        self._show_left(left, labels)
        if not self.has_class("-code"):
            self.query_one(StepChart).show([(steps, deltas) for steps, _, deltas in runs], setup.precision)

    def _draw_plane(self, pb: Playback | None, setup: Setup) -> None:
        """The contours of f(x, y) with each run's path, and the lengths of the steps."""
        try:
            surface = pb.surface if pb and pb.surface else setup.make_surface()
        except ExpressionError:
            return
        if pb is not None:
            runs = [pb.points(i) for i in range(len(pb.runs))]
        else:
            start = setup.start_point() if not setup.random or setup.seed is not None else None
            runs = [plane_path_of([start] if start is not None else [])]
        if self._plane_span is None:
            self._plane_span = preview_plane(setup, surface)
        chart = self.query_one(PlaneChart)
        paths = [(steps, xs, ys) for steps, xs, ys, _ in runs]
        # no frame: its two rows go to the level lines (the axes' labels stay), as the step chart's do
        left = chart.show(surface, paths, self._plane_span, frame=False)
        self._show_left(left, [run_label(e) for e in setup.etas])
        self.query_one(StepChart).show([(steps, deltas) for steps, _, _, deltas in runs], setup.precision)

    def _show_left(self, left: Sequence[LeftChart | LeftPlane], labels: list[str]) -> None:
        """Under the function chart: which marker is which run (when there are several), and which runs
        went beyond the chart, and where (in the run's own item of the legend); each item whole on its
        line (a marker with its run)."""
        # beside other runs, where one left is said in its legend entry, unless the lab is short (and
        # not zoomed): there the charts need the rows, and z shows it
        gone = {run.run: run for run in left} if len(labels) == 1 or self._roomy() else {}

        def said(index: int, key: str) -> str:
            if index not in gone:
                return labels[index]
            run = gone[index]
            if isinstance(run, LeftPlane):  # on a surface: where it left, as a point
                key = {"left_chart": "left_plane", "legend_left": "legend_left_plane"}[key]
                return self.words(key, label=labels[index], update=run.update, x=rounded(run.x, 3), y=rounded(run.y, 3))
            return self.words(key, label=labels[index], update=run.update, x=rounded(run.x, 3))

        if len(labels) > 1:
            items = [
                Content.styled(f"{MARKS[marker] * 2} {said(i, 'legend_left')}", f"ansi_{color}")  # as plotext draws it
                for i, (marker, color) in enumerate(RUN_STYLES[: len(labels)])
            ]
        else:
            items = [Content(said(run.run, "left_chart")) for run in left]
        if self.has_class("-plane") and self._roomy():
            # what the plane chart draws besides the paths, read without colour too (last: the first to
            # wrap to a row of its own); in a short lab the chart needs the row, and z shows the note
            items.append(Content(self.words("chart_plane_note", start=START)))
        note = self.query_one("#chart-note", Static)
        note.update(Packed(items))
        note.set_class(not items, "-empty")

    def _roomy(self) -> bool:
        """Whether the charts have room for notes: the lab is not short, or its charts are zoomed."""
        return not self.has_class("-short") or self.query_one(ChartView).has_class("-maximized")

    def _update_status(self) -> None:
        pb = self.playback
        setup = pb.setup if pb else self.setup
        view = pb.view() if pb else None
        if self.has_class("-code") and not isinstance(view, PlaneState) and not setup.plane:
            start = pb.main.x0 if pb else None
            self.query_one(LoopCode).show(
                view,
                self.lang,
                eta=setup.eta,
                precision=setup.precision,
                x0=setup.x0,
                start=start,
            )
        status = self.query_one("#status", Static)
        status.set_class(bool(self.refused), "-refused")
        if self.refused:
            status.update("\n".join(self._refusal(p) for p in self.refused))
        elif pb is None:
            status.update(self.words("ready"))
        else:
            status.update("\n".join(self._status_lines(pb)))

    def _state_line(self, view: RunState | PlaneState, pb: Playback) -> str:
        """Where the run is, and the exit test as the loop makes it, in numbers true to their digits."""
        precision = pb.setup.precision
        if math.isnan(view.delta):
            test = self.words("test_nan", precision=f"{precision:g}")
        else:
            delta, limit = apart(view.delta, precision)
            key = "test_below" if view.delta < precision else "test_not_below"
            test = self.words(key, delta=delta, precision=limit)
        if isinstance(view, PlaneState):
            fields = {"x": rounded(view.x, 8), "y": rounded(view.y, 8), "test": test}
            fields["fz"] = value_of(pb, view.x, view.y)
            if view.steps == 0:
                return self.words("status_line_plane_start", gap=f"{view.last_x - view.x:g}", **fields)
            return self.words("status_line_plane", step=view.steps, **fields)
        fields = {"x": rounded(view.x, 8), "last_x": rounded(view.last_x, 8), "test": test, "fx": value_of(pb, view.x)}
        if view.steps == 0:
            return self.words("status_line_start", gap=f"{view.last_x - view.x:g}", **fields)
        return self.words("status_line", step=view.steps, **fields)

    def _refusal(self, problem: ParameterProblem) -> str:
        """Why a value cannot run: '✗ learning rate (eta): 9 is not between 0.001 and 1, ...'."""
        label = self.words(f"{problem.field}_label")
        return self.words("lab_refusal", label=label, reason=param_problem(problem, self.lang))

    def _status_lines(self, pb: Playback) -> list[str]:
        view = pb.view()
        # once the run has ended its explanation says where it ended and why: the state would repeat it
        lines = [] if view.finished else [self._state_line(view, pb)]
        others = [(run.eta, pb.view(i)) for i, run in enumerate(pb.runs) if i]
        # the other runs once ended, and once this one has ended, those still going (with their count)
        shown = [(eta, o) for eta, o in others if o.finished or view.finished]
        lang = self.lang
        if shown:
            # each run whole on its line ('eta=0.5: 收/敛 (2)' was split at 60 columns)
            items = [
                Content(
                    self.words("run_outcome", label=run_label(eta), status=status_name(o.status, lang), steps=o.steps)
                )
                for eta, o in shown
            ]
            width = self.query_one("#status", Static).content_size.width
            lines.append(pack(items, width, Content("   ")).plain)
        if view.finished:
            explanation = explain(pb.main.result(), self.lang)
            lines.append(explanation)  # whole: how the run ended and why is what the lab is for
            if not all(o.finished for _, o in others) and not pb.to_end:
                lines.append(self.words("others_running"))
        elif pb.paused:
            lines.append(self.words("paused"))
        else:
            lines.append(self.words("running") + " ...")
        return lines
