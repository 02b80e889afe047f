"""``gdtutor serve ssh`` and ``gdtutor serve web``: the tutor for a class, from one server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ...serve.options import TUTOR_CPU_SECONDS, TUTOR_MEMORY_MIB, default_races
from ..parsing import Command, UsageError, Whole, common, given, option, stack, subgroup, words

HOST = "127.0.0.1"


group = subgroup("serve", about="serve", metavar="HOW", without="cli_say_how")


def server_options(how: str, ports: tuple[int, int], port: int) -> Callable[[Any], Any]:
    """What both servers take: the address, the port, the most sessions at once."""
    decorators = [
        option("--host", help="serve_host", default=HOST, fields={"default": HOST}),
        option(
            "--port", help=f"serve_{how}_port", type=Whole(*ports), default=port, metavar="N", fields={"default": port}
        ),
        option(
            "--max-sessions",
            help=f"serve_{how}_max_sessions",
            type=Whole(1, 10_000),
            default=30,
            metavar="N",
            fields={"default": 30},
        ),
        option(
            "--idle-timeout",
            help="serve_idle_timeout",
            type=Whole(2, 7 * 24 * 3600),
            default=1800,
            metavar="SECONDS",
            fields={"default": 1800},
        ),
        option(
            "--tutor-memory",
            help="serve_tutor_memory",
            type=Whole(512, 1024 * 1024),
            default=TUTOR_MEMORY_MIB,
            metavar="MIB",
            fields={"default": TUTOR_MEMORY_MIB},
        ),
        option(
            "--tutor-cpu",
            help="serve_tutor_cpu",
            type=Whole(60, 10 * 365 * 24 * 3600),
            default=TUTOR_CPU_SECONDS,
            metavar="SECONDS",
            fields={"default": TUTOR_CPU_SECONDS},
        ),
        option(
            "--max-races",
            help="serve_max_races",
            type=Whole(1, 1000),
            default=default_races(),
            metavar="N",
            fields={"default": default_races()},
        ),
    ]
    return stack(*decorators)


def served(ctx: click.Context, **given_options: Any) -> dict[str, Any]:
    """What both servers are started with (``server_options``' values), the folders and the language as
    every command takes them."""
    from ...serve.options import TutorLimits

    common = given(ctx)
    limits = TutorLimits(given_options.pop("tutor_memory"), given_options.pop("tutor_cpu"))
    return {
        **given_options,
        "limits": limits,
        "data_dir": common.data_folder(),
        "lessons": common.lessons,
        "app_lang": common.app_lang,
    }


@group.command("ssh", cls=Command, words="serve_ssh")
@common
@server_options("ssh", (0, 65535), 2222)
@option("--authorized-keys", help="serve_ssh_authorized_keys", required=True, metavar="FILE")
@option(
    "--max-per-learner",
    help="serve_ssh_max_per_learner",
    type=Whole(1, 100),
    default=2,
    metavar="N",
    fields={"default": 2},
)
@click.pass_context
def ssh(ctx: click.Context, /, authorized_keys: str, max_per_learner: int, **server: Any) -> int:
    from ...serve.options import SshOptions

    common = given(ctx)
    try:
        from ...serve.ssh import serve_ssh
    except ImportError as exc:  # the serve extra is not installed
        raise UsageError(f"gdtutor: {words(ctx, 'serve_needs_package', package=exc.name)}") from None
    options = SshOptions(
        **served(ctx, **server),
        authorized_keys=Path(authorized_keys),
        max_per_learner=max_per_learner,
    )
    return serve_ssh(options, common.lang)


@group.command("web", cls=Command, words="serve_web")
@common
@server_options("web", (1, 65535), 8000)
@option("--origin", "origins", help="serve_web_origin", multiple=True, metavar="URL")
@click.pass_context
def web(ctx: click.Context, /, origins: tuple[str, ...], **server: Any) -> int:
    from ...serve.options import ServeOptions
    from ...serve.web import serve_web

    common = given(ctx)
    options = ServeOptions(**served(ctx, **server), origins=origins)
    return serve_web(options, common.lang)
