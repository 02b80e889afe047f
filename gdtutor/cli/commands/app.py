"""``gdtutor`` and ``gdtutor lab``: the terminal app."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING, Any

import click

from ..output import silence_stdout
from ..parsing import Command, common, given, option
from .descent import descent_options, eta_option, read

if TYPE_CHECKING:
    from ...engine.params import Setup


def start(ctx: click.Context, lab: Setup | None = None, run_lab: bool = False) -> int:
    """Run the app in this process until the learner leaves it; the exit status."""
    # the garbage collector stays off until the first frame is on the screen (ui.app.settle_memory)
    gc.disable()
    try:
        from ...ui.process import run_tutor

        common = given(ctx)
        status = run_tutor(
            common.lang,
            app_lang=common.app_lang,
            lesson_dirs=common.lessons,
            data_dir=common.data_folder(),
            lab=lab,
            run_lab=run_lab,
        )
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except OSError:
                # the terminal has gone (a hang-up): what the app left in Python's buffer cannot be
                # written, now or at exit, where the failed flush would turn the status into 120
                silence_stdout(stream)
        return status
    finally:
        gc.enable()  # settle_memory has done it, unless the app ended before its first frame


@click.command("lab", cls=Command, words="lab")
@common
@descent_options(json=False)
@eta_option()
@option("--compare", help="lab_compare", multiple=True, metavar="F ...")
@option("--run", "run_lab", help="lab_run", is_flag=True)
@click.pass_context
def lab(ctx: click.Context, /, run_lab: bool, compare: tuple[str, ...], **values: Any) -> int:
    # bad options are reported here, before the app starts; no --x0 nor --seed: a new random start each run
    setup = read(ctx, {**values, "compare": list(compare)}, seeded=False)
    return start(ctx, setup, run_lab)
