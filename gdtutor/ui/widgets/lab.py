"""The lab: parameters, the two charts, the status line and the loop, with the descent in a worker."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static
from textual.worker import get_current_worker

from ...engine.descent import DescentResult
from ...engine.expr import ExpressionError
from ...engine.function import Function
from ...engine.lecture import LECTURE_FUNCTION
from ...engine.params import Limits, ParameterError, Problem, Setup, read_setup
from ...i18n import param_problem, status_name
from ..playback import DEFAULT_SPEED, SPEEDS, Playback, preview_range
from ..tutor import Worded
from .charts import FunctionChart, StepChart
from .code import LoopCode, loop_code, short
from .prose import Words

TICK = 1 / 8
"""Seconds between animation ticks while a run is shown; no timer runs when the lab is idle."""
CHART_INTERVAL = 0.5
"""Charts redraw at most this often while animating (each redraw rewrites many cells of the screen)."""

RUN_ACTIONS = ("pause", "stop", "end")
"""The lab's actions that act on a run being shown (hidden from the key bar, and off, otherwise)."""
FIELDS = ("function", "eta", "precision", "x0", "seed", "max_iter", "compare")
"""The lab's fields, in order; each is a parameter of :class:`~gdtutor.engine.params.Setup`."""

PRESETS = (
    ("lecture", LECTURE_FUNCTION),
    ("bowl", "x^2"),
    ("flat", "x^4"),
    ("valleys", "x^4 - 3*x^2 + x"),
    ("kink", "abs(x - 2)"),
    ("bumpy", "sin(x) + 0.1*x^2"),
)
"""Functions the lab offers (name, expression): each shows something about the learning rate or the start.

The lecture's; a bowl whose every rate below 1 converges; x^4, whose slope vanishes at the bottom (slow
to finish) and grows fast away from it (a start at 3 diverges with eta 0.1); two valleys, where the start
decides which minimum is found; |x - 2|, whose slope never shrinks, so the steps do not either and the
run oscillates; and a bumpy curve with many small valleys to get caught in."""


def exact(value: float) -> str:
    """A number as short as it can be written without changing it (1e-05, 0.1, 1.0000001)."""
    short_text = f"{value:g}"
    return short_text if float(short_text) == value else repr(float(value))


def field_texts(setup: Setup) -> dict[str, str]:
    """The lab's fields as they show ``setup``."""
    return {
        "function": setup.function,
        "eta": exact(setup.eta),
        "precision": exact(setup.precision),
        "x0": "" if setup.x0 is None else exact(setup.x0),
        "seed": "" if setup.seed is None else str(setup.seed),
        "max_iter": str(setup.max_iter),
        "compare": ", ".join(exact(e) for e in setup.compare),
    }


class ParamInput(Input):
    """A parameter field: escape leaves it for the lab, whose one-letter keys then work again."""

    BINDINGS = [Binding("escape", "leave", "leave_field", show=False)]

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
    Lab #lab-body { height: 1fr; }
    Lab #params { width: 30; padding: 0 1 0 0; }
    Lab #params Label { color: $text-muted; }
    Lab #params Input { border: none; height: 1; padding: 0; background: $boost; }
    Lab #params Input:focus { background: $accent 30%; }
    Lab #params Input.-bad { background: $error 30%; }
    Lab #derivative, Lab #start-note { height: auto; }
    Lab #start-note { color: $text-muted; }
    Lab #view { width: 1fr; }
    Lab FunctionChart { height: 3fr; }
    Lab StepChart { height: 2fr; }
    Lab #steps-title { height: 1; color: $text-muted; padding: 0 1; }
    Lab #status { height: auto; max-height: 6; padding: 0 1; background: $boost; }
    Lab #status.-refused { color: $error; }
    Lab LoopCode { display: none; }
    Lab.-code LoopCode { display: block; }
    Lab.-code StepChart, Lab.-code #steps-title { display: none; }
    Lab.-code #params { display: none; }
    Lab #params { scrollbar-size-vertical: 1; }
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
    ]

    @dataclass
    class Finished(Message):
        """A run ended and its end has been shown."""

        lab: Lab
        result: DescentResult

    running: reactive[bool] = reactive(False)
    """True while a run is being computed or animated."""

    def __init__(
        self,
        setup: Setup,
        *,
        editable: set[str] | None = None,
        limits: Limits | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.setup = setup
        self.editable = set(FIELDS) if editable is None else set(editable)
        if "x0" in self.editable:
            self.editable.add("seed")  # the start is fixed or random: the learner may choose either
        self.limits = limits
        self.playback: Playback | None = None
        self.refused: list[Problem] = []
        """The problems of the values last refused (shown in the status line until the next run)."""
        self._timer: Timer | None = None
        self._last_tick = 0.0
        self._last_draw = 0.0
        self._span: tuple[float, float] | None = None
        """The function chart's x range, fixed for a run so the axes stay still while it is drawn."""

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        values = field_texts(self.setup)
        with Horizontal(id="lab-body"):
            with VerticalScroll(id="params"):
                for name in FIELDS:
                    yield Label(id=f"label-{name}")
                    yield ParamInput(values[name], id=f"in-{name}", disabled=name not in self.editable, compact=True)
                    if name == "function":
                        yield Words(id="derivative")
                        yield Select(
                            self._presets(),
                            value=next((text for _, text in PRESETS if text == self.setup.function), Select.NULL),
                            disabled="function" not in self.editable,
                            compact=True,
                            id="presets",
                        )
                    elif name == "seed":
                        note = Words(id="start-note")
                        note.display = False
                        yield note
                yield Words(id="speed")
            with Vertical(id="view"):
                yield FunctionChart(id="chart-f")
                yield Words(id="steps-title")
                yield StepChart(id="chart-steps")
                yield LoopCode(id="code")
        yield Words(id="status")

    def _presets(self) -> list[tuple[str, str]]:
        return [(self.words(f"preset_{key}"), text) for key, text in PRESETS]

    def on_mount(self) -> None:
        self._timer = self.set_interval(TICK, self._tick, pause=True)
        self.show_words()
        self._draw()

    def show_words(self) -> None:
        """Every label, the presets, the speed, the status and the loop's notes in the app's language;
        what the learner typed stays as typed."""
        for name in FIELDS:
            self.query_one(f"#label-{name}", Label).update(self.words(f"{name}_label"))
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

    def load(self, setup: Setup) -> None:
        """Show ``setup`` in the fields (a code step following its lab), with no run."""
        if self.playback is not None:
            self.playback.stopped = True
        self.playback = None
        self.running = False
        self.setup = setup
        for name, text in field_texts(setup).items():
            self.query_one(f"#in-{name}", Input).value = text
        self._span = None
        self._update_status()
        self._draw()

    # --- parameters -----------------------------------------------------------------------------------

    def _value(self, name: str) -> str:
        return self.query_one(f"#in-{name}", Input).value

    def read_setup(self) -> Setup:
        """The parameters as typed, checked by the engine against its bounds and the lesson's ranges.

        Raises :class:`~gdtutor.engine.params.ParameterError` naming every field that cannot be used.
        """
        values: dict[str, object] = {name: self._value(name) for name in FIELDS}
        if self._value("x0").strip():
            values["seed"] = None  # a fixed start: the seed (of a random one) is not used
        if values["function"] == self.setup.function:
            values["derivative"] = self.setup.derivative  # the lecture's g, or the lesson's
        setup = read_setup(values, limits=self.limits, editable=self.editable)
        return setup.seeded()  # a random start, as in the lecture: a new one each run unless a seed was given

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.input.remove_class("-bad")
        if self.refused:  # the learner is mending a refused value: its reason goes, the others stay
            self.refused = [p for p in self.refused if f"in-{p.field}" != event.input.id]
            self._update_status()
        if event.input.id == "in-function":
            self._show_derivative()
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

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus()
        self.action_run()

    def _show_derivative(self) -> None:
        text = self._value("function").strip()
        derivative = self.query_one("#derivative", Static)
        try:
            fn = Function.coerce(text, self.setup.derivative if text == self.setup.function else None)
            derivative.update(self.words("derivative_is", g=fn.derivative_text))
            self.query_one("#in-function").remove_class("-bad")
        except ExpressionError as exc:
            derivative.update(Text.assemble(("! ", "bold"), exc.text(self.lang)))
            self.query_one("#in-function").add_class("-bad")

    def _show_speed(self) -> None:
        speed = self.playback.speed if self.playback else SPEEDS[DEFAULT_SPEED]
        text = self.words("speed_max") if speed == math.inf else self.words("speed_label", speed=f"{speed:g}")
        self.query_one("#speed", Static).update(text)

    def _show_start(self) -> None:
        """Where a random start began, and with which seed (so that it can be had again)."""
        pb = self.playback
        note = ""
        if pb is not None and pb.setup.random:
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
            self.playback.stopped = True  # the worker of the old run sees this and ends
        self.setup = setup
        self._span = None
        playback = Playback(setup)
        if self.playback is not None:
            playback.speed_index = self.playback.speed_index
        self.playback = playback
        self._show_start()
        self.running = True
        if animate:
            self._compute(playback)
            self._resume_timer()
        return playback

    @work(thread=True, exclusive=True, group="descent")
    def _compute(self, playback: Playback) -> None:
        worker = get_current_worker()
        playback.compute(lambda: worker.is_cancelled)

    def _resume_timer(self) -> None:
        self._last_tick = time.monotonic()
        if self._timer is not None:
            self._timer.resume()

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
            if pb.computed == 0 and not pb.main.finished:
                self._compute(pb)
            self._resume_timer()
        self._show(force_draw=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pause, stop and skip to the end only while a run is shown: the key bar lists just those keys."""
        if action in RUN_ACTIONS:
            return self.running
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
        """Skip the animation to the end."""
        pb = self.playback
        if pb is None:
            return
        if pb.computed == 0 and not pb.main.finished:
            self._compute(pb)
        pb.paused = False
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

    def action_code(self) -> None:
        """Show the loop as code in place of the step chart, or the chart again."""
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
        if force_draw or now - self._last_draw >= CHART_INTERVAL:
            self._draw()
            self._last_draw = now
        if pb is not None and pb.finished and self.running:
            self.running = False
            self.post_message(self.Finished(self, pb.main.result()))

    def _draw(self) -> None:
        pb = self.playback
        setup = pb.setup if pb else self.setup
        try:
            fn = pb.function if pb else setup.make_function()
        except ExpressionError:
            return
        traces: list[Sequence[float]] = (
            [pb.trace(i) for i in range(len(pb.runs))] if pb else [[setup.x0] if setup.x0 is not None else []]
        )
        labels = [f"eta={e:g}" for e in setup.etas]
        if self._span is None:
            try:
                self._span = preview_range(setup, fn)
            except (ExpressionError, ValueError):
                self._span = None
        self.query_one(FunctionChart).show(fn.f_vec, traces, labels, self._span)
        if not self.has_class("-code"):
            self.query_one(StepChart).show(traces, labels, setup.precision)

    def _update_status(self) -> None:
        pb = self.playback
        setup = pb.setup if pb else self.setup
        if self.has_class("-code"):
            start = pb.main.x0 if pb else None
            code = loop_code(
                pb.view() if pb else None,
                self.lang,
                eta=setup.eta,
                precision=setup.precision,
                x0=setup.x0,
                start=start,
            )
            self.query_one(LoopCode).update(code)
        status = self.query_one("#status", Static)
        status.set_class(bool(self.refused), "-refused")
        if self.refused:
            status.update("\n".join(self._refusal(p) for p in self.refused))
            return
        if pb is None:
            status.update(self.words("ready"))
            return
        status.update("\n".join(self._status_lines(pb)))

    def _refusal(self, problem: Problem) -> str:
        """Why a value cannot run: '✗ learning rate (eta): 9 is not between 0.001 and 1, ...'."""
        label = self.words(f"{problem.field}_label")
        return self.words("lab_refusal", label=label, reason=param_problem(problem, self.lang))

    def _status_lines(self, pb: Playback) -> list[str]:
        view = pb.view()
        precision = pb.setup.precision
        try:
            fx = short(pb.function.f(view.x), 6)
        except (ArithmeticError, ValueError):
            fx = "nan"
        lines = [
            self.words(
                "status_line",
                step=view.steps,
                x=short(view.x, 8),
                last_x=short(view.last_x, 8),
                delta=short(view.delta, 4),
                cmp="<" if view.delta < precision else ">=",
                precision=f"{precision:g}",
                fx=fx,
            )
        ]
        others = [(run.eta, pb.view(i)) for i, run in enumerate(pb.runs) if i]
        done = [f"eta={eta:g}: {status_name(o.status, self.lang)} ({o.steps})" for eta, o in others if o.finished]
        if done:
            lines.append("   ".join(done))
        if view.finished:
            lines.append(pb.main.result().explain(self.lang))
        elif pb.paused:
            lines.append(self.words("paused"))
        else:
            lines.append(self.words("running") + " ...")
        return lines
