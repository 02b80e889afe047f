"""The lab's two charts, drawn with plotext inside the terminal (each with its own plotext figure)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual_plotext import PlotextPlot

from ...charts import Contours, LeftChart, LeftPlane, contours, draw_function, draw_plane, draw_steps
from ...engine.surface import Surface


class _Chart(PlotextPlot):
    """A plotext chart that is redrawn only when told its data changed."""

    DEFAULT_CSS = """
    _Chart { height: 1fr; min-height: 5; }
    """

    def on_mount(self) -> None:
        if self.app.no_color:
            self.theme = "clear"

    def on_unmount(self) -> None:
        # PlotextPlot follows the app's theme through a subscription that only the theme's next change
        # would end; the theme never changes here, so a chart that left the screen stayed in memory
        self.app.theme_changed_signal.unsubscribe(self)

    def _begin(self) -> Any:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        return plt


class FunctionChart(_Chart):
    """f(x) with the path of updates of each run, points joined in order as the lecture draws them."""

    def show(
        self,
        f_vec: Any,
        paths: list[Sequence[float]],
        span: tuple[float, float] | None = None,
        *,
        frame: bool = True,
    ) -> list[LeftChart]:
        """Draw (without the frame's two rows when ``frame`` is False); returns the runs that left the chart."""
        figure = self._begin()
        left = draw_function(figure, f_vec, paths, span)
        figure.frame(frame)
        self.refresh()
        return left


Span = tuple[tuple[float, float], tuple[float, float]]


class PlaneChart(_Chart):
    """f(x, y) seen from above, its level lines with each run's path on them (the 2-D lab).

    The level lines are computed once for a function, a rectangle and a size (:func:`gdtutor.charts.contours`),
    not for every frame of an animation: only the paths change while a run is drawn."""

    _shown: tuple[Surface, list[tuple[Any, Any, Any]], Span, bool] | None = None
    _lines: tuple[tuple[str, Span, int, int], Contours] | None = None

    def show(
        self, surface: Surface, paths: list[tuple[Any, Any, Any]], span: Span, *, frame: bool = True
    ) -> list[LeftPlane]:
        """Draw the level lines and the paths (each run's update numbers, x and y) over ``span``; returns
        the runs that left the chart."""
        self._shown = (surface, paths, span, frame)
        figure = self._begin()
        left = draw_plane(figure, self._contours(surface, span), paths, *span)
        figure.frame(frame)
        self.refresh()
        return left

    def _contours(self, surface: Surface, span: Span) -> Contours:
        width, height = self.size.width or 40, self.size.height or 12  # before the first layout: a guess
        key = (surface.text, span, width, height)
        if self._lines is None or self._lines[0] != key:
            self._lines = (key, contours(surface.f_vec, *span, width, height))
        return self._lines[1]

    def on_resize(self) -> None:
        # the level lines are computed for the chart's size: again when it changes
        if self._shown is not None:
            surface, paths, span, frame = self._shown
            self.show(surface, paths, span, frame=frame)


class StepChart(_Chart):
    """|x - last_x| per update on a log scale, with the precision as a line: the exit condition."""

    _shown: tuple[list[tuple[Any, Any]], float] | None = None

    def show(self, runs: list[tuple[Any, Any]], precision: float) -> None:
        """Draw each run's steps (update numbers and x - last_x) against the precision."""
        self._shown = (runs, precision)
        draw_steps(self._begin(), runs, precision, rows=self.content_size.height or None)
        self.refresh()

    def on_resize(self) -> None:
        # its labels are spaced for its height: drawn again when that changes (the status line below
        # grows when a run ends, after the run's last drawing)
        if self._shown is not None:
            self.show(*self._shown)
