"""The lab: parameters, the two charts, the status line and the loop, with the descent in a worker."""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

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

from ...engine import LECTURE_FUNCTION, DescentResult, ExpressionError, Function
from ...i18n import status_name, t
from ..memory import release_removed
from ..playback import DEFAULT_SPEED, SPEEDS, LabParams, Playback
from .charts import FunctionChart, StepChart
from .code import LoopCode, short

TICK = 1 / 8
"""Seconds between animation ticks while a run is shown; no timer runs when the lab is idle."""
CHART_INTERVAL = 0.5
"""Charts redraw at most this often while animating (each redraw rewrites many cells of the screen)."""

RUN_ACTIONS = ("pause", "stop", "end")
"""The lab's actions that act on a run being shown (hidden from the footer, and off, otherwise)."""
FIELDS = ("function", "eta", "precision", "x0", "seed", "max_iter", "compare")
MAX_SEED = 2**32 - 1
"""Largest seed numpy's RandomState takes (as ``gdtutor run --seed``)."""

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


class ParamInput(Input):
    """A parameter field: escape leaves it for the lab, whose one-letter keys then work again."""

    BINDINGS = [Binding("escape", "leave", "Leave field", show=False)]

    def action_leave(self) -> None:
        lab = next((node for node in self.ancestors if isinstance(node, Lab)), None)
        if lab is not None:
            lab.focus()


@dataclass
class Invalid:
    """A parameter the learner typed that cannot be used, and why."""

    field: str
    message: str


class Lab(Widget, can_focus=True):
    """An experiment: set parameters, run the descent, watch every update."""

    DEFAULT_CSS = """
    Lab { height: 1fr; layout: vertical; }
    Lab #lab-body { height: 1fr; }
    Lab #params { width: 30; padding: 0 1 0 0; }
    Lab #params Label { color: $text-muted; }
    Lab #params Input { border: none; height: 1; padding: 0; background: $boost; }
    Lab #params Input:focus { background: $accent 30%; }
    Lab #params Input.-bad { background: $error 30%; }
    Lab #derivative, Lab #param-error, Lab #start-note { height: auto; }
    Lab #param-error { color: $error; }
    Lab #start-note { color: $text-muted; }
    Lab #view { width: 1fr; }
    Lab FunctionChart { height: 3fr; }
    Lab StepChart { height: 2fr; }
    Lab #status { height: auto; max-height: 6; padding: 0 1; background: $boost; }
    Lab LoopCode { display: none; }
    Lab.-code LoopCode { display: block; }
    Lab.-code StepChart { display: none; }
    Lab.-code #params { display: none; }
    Lab #params { scrollbar-size-vertical: 1; }
    """

    BINDINGS = [
        Binding("r", "run", "Run"),
        Binding("s", "step", "Step"),
        Binding("space", "pause", "Pause"),
        Binding("escape", "stop", "Stop"),
        Binding("e", "end", "To end"),
        Binding("plus,equals_sign", "faster", "Faster", show=False),
        Binding("minus", "slower", "Slower", show=False),
        Binding("c", "code", "Code"),
    ]

    class Finished(Message):
        """A run ended and its end has been shown."""

        def __init__(self, lab: Lab, result: DescentResult) -> None:
            super().__init__()
            self.lab = lab
            self.result = result

    running: reactive[bool] = reactive(False)
    """True while a run is being computed or animated."""

    def __init__(self, params: LabParams, *, editable: set[str] | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.params = params
        self.editable = set(FIELDS) if editable is None else set(editable)
        if "x0" in self.editable:
            self.editable.add("seed")  # the start is fixed or random: the learner may choose either
        self.playback: Playback | None = None
        self._timer: Timer | None = None
        self._last_tick = 0.0
        self._last_draw = 0.0
        self._function: Function | None = None
        self._span: tuple[float, float] | None = None
        """The function chart's x range, fixed for a run so the axes stay still while it is drawn."""

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "en")

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        p = self.params
        lang = self.lang
        values = {
            "function": p.function,
            "eta": exact(p.eta),
            "precision": exact(p.precision),
            "x0": "" if p.x0 is None else exact(p.x0),
            "seed": "" if p.seed is None else str(p.seed),
            "max_iter": str(p.max_iter),
            "compare": ", ".join(exact(e) for e in p.compare),
        }
        with Horizontal(id="lab-body"):
            with VerticalScroll(id="params"):
                for name in FIELDS:
                    yield Label(t(f"{name}_label", lang))
                    yield ParamInput(values[name], id=f"in-{name}", disabled=name not in self.editable, compact=True)
                    if name == "function":
                        yield Static(id="derivative")
                        yield Select(
                            [(t(f"preset_{key}", lang), text) for key, text in PRESETS],
                            prompt=t("presets_prompt", lang),
                            value=next((text for _, text in PRESETS if text == p.function), Select.NULL),
                            disabled="function" not in self.editable,
                            compact=True,
                            id="presets",
                        )
                    elif name == "seed":
                        note = Static(id="start-note")
                        note.display = False
                        yield note
                yield Static(id="param-error")
                yield Static(id="speed")
            with Vertical(id="view"):
                yield FunctionChart(id="chart-f")
                yield StepChart(id="chart-steps")
                yield LoopCode(id="code")
        yield Static(t("ready", lang), id="status")

    def on_mount(self) -> None:
        self._timer = self.set_interval(TICK, self._tick, pause=True)
        self._fill()

    def _fill(self) -> None:
        self._show_derivative()
        self._show_speed()
        self._update_status()
        self._draw()

    async def relabel(self) -> None:
        """Show the labels in the app's current language, keeping what the learner typed as typed.

        (Not as read: an empty seed would come back as the seed drawn for it, a bad value not at all.)
        """
        typed = {name: self.query_one(f"#in-{name}", Input).value for name in FIELDS}
        function = typed["function"].strip()
        if function != self.params.function:  # composed with it, the presets show the right one
            self.params = replace(self.params, function=function, derivative=None)
        await self.recompose()
        for name, value in typed.items():
            self.query_one(f"#in-{name}", Input).value = value
        self._fill()
        release_removed(self.app)  # the widgets recompose replaced (gdtutor.ui.memory)

    # --- parameters -----------------------------------------------------------------------------------

    def _value(self, name: str) -> str:
        return self.query_one(f"#in-{name}", Input).value.strip()

    def read_params(self) -> LabParams | Invalid:
        """The parameters as typed, checked; an :class:`Invalid` names the first one that is not usable."""
        lang = self.lang
        number: dict[str, float] = {}
        for name in ("eta", "precision", "max_iter"):
            text = self._value(name)
            try:
                value = float(text)
            except ValueError:
                return Invalid(name, t("bad_number", lang, label=t(f"{name}_label", lang), value=text))
            if not math.isfinite(value) or value <= 0:
                return Invalid(name, f"{t(f'{name}_label', lang)}: > 0")
            number[name] = value
        if number["max_iter"] != int(number["max_iter"]) or number["max_iter"] > 10_000_000:
            return Invalid("max_iter", f"{t('max_iter_label', lang)}: 1 .. 10000000")
        x0_text = self._value("x0")
        x0: float | None = None
        if x0_text:
            try:
                x0 = float(x0_text)
            except ValueError:
                return Invalid("x0", t("bad_number", lang, label=t("x0_label", lang), value=x0_text))
            if not math.isfinite(x0):
                return Invalid("x0", t("bad_number", lang, label=t("x0_label", lang), value=x0_text))
        compare: list[float] = []
        for part in self._value("compare").replace("，", ",").split(","):
            if part.strip():
                try:
                    value = float(part)
                except ValueError:
                    return Invalid("compare", t("bad_number", lang, label=t("compare_label", lang), value=part.strip()))
                if not math.isfinite(value) or value <= 0:
                    return Invalid("compare", f"{t('compare_label', lang)}: > 0")
                compare.append(value)
        if len(compare) > 3:
            return Invalid("compare", f"{t('compare_label', lang)}: 3 max")
        seed_text = self._value("seed")
        fixed_seed: int | None = None
        if seed_text:
            try:
                fixed_seed = int(seed_text)
            except ValueError:
                fixed_seed = -1
            if not 0 <= fixed_seed <= MAX_SEED:
                return Invalid("seed", t("bad_seed", lang, value=seed_text))
        text = self._value("function")
        derivative = self.params.derivative if text == self.params.function else None
        try:
            fn = Function.coerce(text, derivative)
            _ = fn.derivative_text
        except ExpressionError as exc:
            return Invalid("function", str(exc))
        self._function = fn
        seed = None
        if x0 is None:  # a random start, as in the lecture: a new one each run unless a seed was given
            seed = fixed_seed if fixed_seed is not None else secrets.randbelow(2**31)
        return replace(
            self.params,
            function=text,
            derivative=derivative,
            eta=number["eta"],
            precision=number["precision"],
            max_iter=int(number["max_iter"]),
            x0=x0,
            seed=seed,
            compare=compare,
        )

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.input.remove_class("-bad")
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
        text = self._value("function")
        derivative_widget = self.query_one("#derivative", Static)
        derivative = self.params.derivative if text == self.params.function else None
        try:
            fn = Function.coerce(text, derivative)
            derivative_widget.update(t("derivative_is", self.lang, g=fn.derivative_text))
            derivative_widget.set_class(False, "-error")
            self.query_one("#in-function").remove_class("-bad")
        except ExpressionError as exc:
            derivative_widget.update(f"[b]![/b] {exc}")
            self.query_one("#in-function").add_class("-bad")

    def _show_speed(self) -> None:
        speed = self.playback.speed if self.playback else SPEEDS[DEFAULT_SPEED]
        text = t("speed_max", self.lang) if speed == math.inf else t("speed_label", self.lang, speed=f"{speed:g}")
        self.query_one("#speed", Static).update(text)

    # --- running ------------------------------------------------------------------------------------

    def _start(self, *, animate: bool) -> Playback | None:
        params = self.read_params()
        error = self.query_one("#param-error", Static)
        if isinstance(params, Invalid):
            error.update(params.message)
            self.query_one(f"#in-{params.field}").add_class("-bad")
            return None
        error.update("")
        note = "" if params.x0 is not None else t("random_x0", self.lang, x0=exact(params.start()), seed=params.seed)
        start_note = self.query_one("#start-note", Static)
        start_note.update(note)
        start_note.display = bool(note)  # no empty row in the crowded panel
        if self.playback is not None:
            self.playback.stopped = True  # the worker of the old run sees this and ends
        self.params = params
        self._span = None
        playback = Playback(params)
        if self.playback is not None:
            playback.speed_index = self.playback.speed_index
        self.playback = playback
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
        """Pause, stop and skip to the end only while a run is shown: the footer lists just those keys."""
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
        fn = pb.function if pb else self._function
        if fn is None:
            try:
                fn = self.params.make_function()
            except ExpressionError:
                return
        traces: list[Sequence[float]] = (
            [pb.trace(i) for i in range(len(pb.runs))]
            if pb
            else [[self.params.start()] if self.params.x0 is not None else []]
        )
        etas = [run.eta for run in pb.runs] if pb else [self.params.eta]
        labels = [f"eta={e:g}" for e in etas]
        if self._span is None:
            try:
                self._span = self.params.preview_range(fn)
            except (ExpressionError, ValueError):
                self._span = None
        self.query_one(FunctionChart).show(fn.f_vec, traces, labels, self._span)
        if not self.has_class("-code"):
            self.query_one(StepChart).show(traces, labels, self.params.precision)

    def _update_status(self) -> None:
        pb = self.playback
        if self.has_class("-code"):
            self.query_one(LoopCode).show(
                pb.view() if pb else None, eta=self.params.eta, precision=self.params.precision, x0=self.params.x0
            )
        status = self.query_one("#status", Static)
        if pb is None:
            status.update(t("ready", self.lang))
            return
        lang = self.lang
        view = pb.view()
        step, x, last_x = view.steps, view.x, view.last_x
        delta = abs(x - last_x)
        fn = pb.function
        try:
            fx = short(fn.f(x), 6)
        except (ArithmeticError, ValueError):
            fx = "nan"
        lines = [
            t(
                "status_line",
                lang,
                step=step,
                x=short(x, 8),
                last_x=short(last_x, 8),
                delta=short(delta, 4),
                cmp="<" if delta < pb.params.precision else ">=",
                precision=f"{pb.params.precision:g}",
                fx=fx,
            )
        ]
        others = [pb.view(i) for i in range(1, len(pb.runs))]
        done = [f"eta={o.eta:g}: {status_name(o.status.value, lang)} ({o.steps})" for o in others if o.finished]
        if done:
            lines.append("   ".join(done))
        if view.finished:
            lines.append(pb.main.result().explain(lang))
        elif pb.paused:
            lines.append(t("paused", lang))
        else:
            lines.append(t("running", lang) + " ...")
        status.update("\n".join(lines))
