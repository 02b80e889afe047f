"""What ``run``, ``sweep`` and ``lab`` share: the run's options, read and checked by the engine's
:func:`~gdtutor.engine.params.read_setup`, as the lab's fields and the lessons' values are."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import click

# the engine's light modules only: the app's start does not wait for numpy, which the commands that
# run a descent import when they need it
from ...engine.params import (
    DEFAULT_ETA,
    DEFAULT_MAX_ITER,
    DEFAULT_PRECISION,
    MAX_UPDATES,
    START_RANGE,
    ParameterError,
    Setup,
)
from ...numbers import full
from ..parsing import UsageError, exclusive, given, option, stack, words

OPTIONS = {
    "function": "--function",
    "derivative": "--derivative",
    "eta": "--eta",
    "precision": "--precision",
    "x0": "--x0",
    "y0": "--y0",
    "beta": "--beta",
    "seed": "--seed",
    "max_iter": "--max-iter",
    "compare": "--compare",
}
"""The command-line option of each run parameter."""


def descent_options(*, json: bool = True) -> Callable[[Any], Any]:
    """The run's options: f, g, the precision, the update limit and the start (``--x0`` or ``--seed``);
    for a function of x and y, ``--y0`` and the momentum ``--beta``."""
    low, high = START_RANGE
    decorators = [
        option("--function", help="descent_function", metavar="EXPR"),
        option("--derivative", help="descent_derivative", metavar="EXPR"),
        option("--precision", help="descent_precision", metavar="F", fields={"default": f"{DEFAULT_PRECISION:g}"}),
        option(
            "--max-iter",
            help="descent_max_iter",
            metavar="N",
            fields={"default": DEFAULT_MAX_ITER, "most": MAX_UPDATES},
        ),
        option("--x0", help="descent_x0", metavar="F", fields={"low": low, "high": high}),
        option("--y0", help="descent_y0", metavar="F"),
        option("--seed", help="descent_seed", metavar="N"),
        option("--beta", help="descent_beta", metavar="F"),
    ]
    if json:
        decorators.append(option("--json", help="descent_json", is_flag=True))
    return stack(*decorators)


def eta_option() -> Callable[[Any], Any]:
    return option("--eta", help="descent_eta", metavar="F", fields={"default": f"{DEFAULT_ETA:g}"})


def read(ctx: click.Context, values: Mapping[str, object], *, seeded: bool = True) -> Setup:
    """The run's parameters as given on the command line, checked by the engine; with ``seeded``, a
    random start gets its seed here. Every problem is reported on one line, by option."""
    from ...engine.params import read_setup
    from ...telling import param_problem

    exclusive(ctx, "x0", "seed")
    try:
        setup = read_setup({name: value for name, value in values.items() if name in OPTIONS})
        return setup.seeded() if seeded else setup
    except ParameterError as exc:
        lang = given(ctx).lang
        reasons = "; ".join(f"{OPTIONS[p.field]}: {param_problem(p, lang)}" for p in exc.problems)
        raise UsageError(f"{ctx.command_path}: {reasons}") from None


def start_line(ctx: click.Context, x0: float, seed: int | None, y0: float | None = None) -> str:
    """Where the run starts (``y0`` for a function of x and y), and the seed that gives a random start
    again."""
    if y0 is not None:
        key = "given_start_plane" if seed is None else "random_start_plane"
        return words(ctx, key, x0=full(x0), y0=full(y0), seed=seed)
    if seed is None:
        return words(ctx, "given_start", x0=full(x0))
    return words(ctx, "random_start", x0=full(x0), seed=seed)
