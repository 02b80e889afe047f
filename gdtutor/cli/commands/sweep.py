"""``gdtutor sweep``: many learning rates from one start, as a table and a chart (or as JSON)."""

from __future__ import annotations

import shutil
from typing import Any

import click

from ...i18n import status_name
from ...numbers import full
from ..output import carries, use_color, write_json
from ..parsing import Command, UsageError, Whole, common, exclusive, given, option, words
from .descent import descent_options, read, start_line

MAX_SWEEP_COUNT = 100_000
"""Most learning rates one sweep takes (its working arrays grow with the count)."""
PLANE_SWEEP_UPDATES = 10_000_000
"""Most updates a sweep on a function of x and y may make (rates times the update limit): it runs each
rate by itself, about 1 us an update, so at most some 10 to 20 s (the default sweep, 40 rates of at most
10,000 updates, is 400,000)."""

ETA_MIN, ETA_MAX, COUNT = "0.01", "1.2", 40


@click.command("sweep", cls=Command, words="sweep")
@common
@descent_options()
@option("--eta-min", help="sweep_eta_min", default=ETA_MIN, metavar="F", fields={"default": ETA_MIN})
@option("--eta-max", help="sweep_eta_max", default=ETA_MAX, metavar="F", fields={"default": ETA_MAX})
@option(
    "--count",
    help="sweep_count",
    type=Whole(1, MAX_SWEEP_COUNT),
    default=COUNT,
    metavar="N",
    fields={"default": COUNT, "most": f"{MAX_SWEEP_COUNT:,}"},
)
@click.pass_context
def command(ctx: click.Context, /, json: bool, eta_min: str, eta_max: str, count: int, **values: Any) -> int:
    from ...charts import CHART_CHARACTERS, sweep_chart
    from ...engine.params import ParameterError, read_number
    from ...engine.sweeps import rates, sweep, sweep_plane
    from ...telling import param_problem

    out, lang = given(ctx).out, given(ctx).lang
    exclusive(ctx, "x0", "seed")
    bounds = {}
    for option_name, text in (("--eta-min", eta_min), ("--eta-max", eta_max)):
        try:
            bounds[option_name] = read_number("eta", text)
        except ParameterError as exc:
            raise UsageError(f"gdtutor sweep: {option_name}: {param_problem(exc.problems[0], lang)}") from None
    low, high = bounds["--eta-min"], bounds["--eta-max"]
    if low > high:
        raise UsageError(f"gdtutor: {words(ctx, 'cli_eta_range', low=full(low), high=full(high))}")
    setup = read(ctx, {**values, "eta": low})
    etas = rates(low, high, count)
    y0: float | None = None
    if setup.plane:
        if count * setup.max_iter > PLANE_SWEEP_UPDATES:
            most = f"{PLANE_SWEEP_UPDATES:,}"
            message = words(ctx, "cli_plane_sweep_too_long", count=count, max_iter=setup.max_iter, most=most)
            raise UsageError(f"gdtutor sweep: {message}")
        surface = setup.make_surface()
        x0, y0 = setup.start_point()
        result = sweep_plane(surface, etas, x0, y0, beta=setup.beta, precision=setup.precision, max_iter=setup.max_iter)
        gx, gy = surface.partial_texts
        described = [words(ctx, "function_plane", f=surface.text), words(ctx, "partials", gx=gx, gy=gy)]
        if setup.beta:
            described.append(words(ctx, "settings_beta", beta=full(setup.beta)))
    else:
        fn = setup.make_function()
        x0 = setup.start()
        result = sweep(fn, etas, x0, precision=setup.precision, max_iter=setup.max_iter)
        described = [words(ctx, "function", f=fn.text), words(ctx, "derivative", g=fn.derivative_text)]
    if json:
        write_json(out, result.rows())
        return 0
    out.write("\n".join(described) + "\n")
    header = words(ctx, "sweep_header", count=count, lo=full(low), hi=full(high), precision=f"{setup.precision:g}")
    out.write(header + "\n")
    out.write(start_line(ctx, x0, setup.seed, y0) + "\n\n")
    out.write(_table(result, lang) + "\n\n")
    width = max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))
    chart = sweep_chart(
        result, lang, width=width, height=18, color=use_color(out), unicode=carries(out, CHART_CHARACTERS)
    )
    out.write(chart + "\n")
    counts = {s: int((result.status == s).sum()) for s in dict.fromkeys(result.status.tolist())}
    out.write("   ".join(words(ctx, "summary", status=status_name(s, lang), count=n) for s, n in counts.items()) + "\n")
    return 0


def _table(result: Any, lang: str) -> str:
    from ...i18n import t
    from ...numbers import sweep_rates
    from ...plaintext import table

    names = t("columns", lang).split("|")
    etas = sweep_rates(result.etas.tolist())
    rows = [
        [e, status_name(str(s), lang), str(int(n)), full(float(v))]
        for e, s, n, v in zip(etas, result.status, result.steps, result.x, strict=True)
    ]
    if result.y is not None:  # a function of x and y: the final y beside the final x
        names.append(t("column_final_y", lang))
        for row, y in zip(rows, result.y, strict=True):
            row.append(full(float(y)))
    return "\n".join(table(names, [tuple(row) for row in rows]))
