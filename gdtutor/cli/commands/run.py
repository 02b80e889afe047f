"""``gdtutor run``: one descent, printed update by update like the lecture (or as JSON)."""

from __future__ import annotations

from typing import Any

import click

from ...engine.params import MAX_UPDATES, Setup
from ...numbers import full
from ..output import write_json
from ..parsing import Command, OneOf, common, given, option, words
from .descent import descent_options, eta_option, read, start_line


@click.command("run", cls=Command, words="run")
@common
@descent_options()
@eta_option()
@option(
    "--trace", help="run_trace", type=OneOf(("bounded", "full")), default="bounded", fields={"most": f"{MAX_UPDATES:,}"}
)
@click.pass_context
def command(ctx: click.Context, /, json: bool, trace: str, **values: Any) -> int:
    from ...engine.descent import Descent
    from ...telling import explain

    out, lang = given(ctx).out, given(ctx).lang
    setup = read(ctx, values)
    if setup.plane:
        return _plane(ctx, setup, json=json, whole_path=trace == "full")
    fn = setup.make_function()
    # the whole path only when asked: MAX_UPDATES bounds it (8 MB), as it bounds every run
    run = Descent.of(setup.runs()[0], fn, whole_path=trace == "full")
    if json:
        result = run.to_end()
        doc = {
            "function": fn.text,
            "derivative": fn.derivative_text,
            "seed": setup.seed,
            **result.to_dict(message=explain(result, "en")),
        }
        write_json(out, doc)
        return 0
    out.write(words(ctx, "function", f=fn.text) + "\n")
    out.write(words(ctx, "derivative", g=fn.derivative_text) + "\n")
    from ...engine.expr import format_number  # the parser: loaded by the commands that read expressions

    # shortest exact text: a rounded eta (0.1000001 shown as 0.1) would not be the rate that ran
    settings = {"eta": format_number(setup.eta), "precision": format_number(setup.precision)}
    out.write(words(ctx, "settings", **settings, max_iter=setup.max_iter) + "\n")
    out.write(start_line(ctx, run.x0, setup.seed) + "\n")
    printed = 0
    try:
        while not run.finished:
            updates = run.advance(1024)
            if updates:
                out.write("\n".join([words(ctx, "update", step=u.step, x=full(u.x)) for u in updates]) + "\n")
                printed = updates[-1].step
    except KeyboardInterrupt:
        # report the run as far as it was printed: Ctrl+C may land while a chunk is being made or
        # formatted, after the engine has counted updates that never reached the screen
        run.cancel(steps=printed)
    out.write(explain(run.result(), lang) + "\n")
    out.flush()
    return 130 if run.status.value == "cancelled" else 0


def _plane(ctx: click.Context, setup: Setup, *, json: bool, whole_path: bool) -> int:
    """A function of x and y: the 2-D loop, printed as the lecture's is (the points as pairs in JSON)."""
    from ...engine.descent2 import Descent2
    from ...engine.expr import format_number
    from ...telling import explain

    out, lang = given(ctx).out, given(ctx).lang
    surface = setup.make_surface()
    run = Descent2.of(setup.runs()[0], surface, whole_path=whole_path)
    if json:
        result = run.to_end()
        gx, gy = surface.partial_texts
        doc = {"function": surface.text, "partials": [gx, gy], "seed": setup.seed}
        write_json(out, doc | result.to_dict(message=explain(result, "en")))
        return 0
    out.write(words(ctx, "function_plane", f=surface.text) + "\n")
    gx, gy = surface.partial_texts
    out.write(words(ctx, "partials", gx=gx, gy=gy) + "\n")
    settings = {"eta": format_number(setup.eta), "precision": format_number(setup.precision)}
    out.write(words(ctx, "settings", **settings, max_iter=setup.max_iter) + "\n")
    if setup.beta:
        out.write(words(ctx, "settings_beta", beta=format_number(setup.beta)) + "\n")
    out.write(start_line(ctx, run.x0, setup.seed, run.y0) + "\n")
    printed = 0
    try:
        while not run.finished:
            updates = run.advance(1024)
            if updates:
                lines = [words(ctx, "update_plane", step=u.step, x=full(u.x), y=full(u.y)) for u in updates]
                out.write("\n".join(lines) + "\n")
                printed = updates[-1].step
    except KeyboardInterrupt:
        run.cancel(steps=printed)  # as far as it was printed, as the 1-D run does
    out.write(explain(run.result(), lang) + "\n")
    out.flush()
    return 130 if run.status.value == "cancelled" else 0
