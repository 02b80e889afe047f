"""``gdtutor serve ssh`` and ``gdtutor serve web``: the tutor for a class, from one server."""

from __future__ import annotations

from pathlib import Path

import click

from ..parsing import Command, Group, UsageError, Whole, common, given, option, refuse, words

HOST = "127.0.0.1"


@click.group("serve", cls=Group, words="serve", metavar="HOW")
@common
@click.pass_context
def group(ctx: click.Context) -> int:
    if ctx.invoked_subcommand is None:
        refuse(ctx, words(ctx, "cli_say_how"), see_help=False)
    return 0


@group.command("ssh", cls=Command, words="serve_ssh")
@common
@option("--host", help="serve_host", default=HOST, fields={"default": HOST})
@option("--port", help="serve_ssh_port", type=Whole(0, 65535), default=2222, metavar="N", fields={"default": 2222})
@option("--authorized-keys", help="serve_ssh_authorized_keys", required=True, metavar="FILE")
@option(
    "--max-sessions",
    help="serve_ssh_max_sessions",
    type=Whole(1, 10_000),
    default=30,
    metavar="N",
    fields={"default": 30},
)
@option(
    "--idle-timeout",
    help="serve_ssh_idle_timeout",
    type=Whole(2, 7 * 24 * 3600),
    default=1800,
    metavar="SECONDS",
    fields={"default": 1800},
)
@click.pass_context
def ssh(ctx: click.Context, host: str, port: int, authorized_keys: str, max_sessions: int, idle_timeout: int) -> int:
    from ...serve.options import SshOptions

    common = given(ctx)
    try:
        from ...serve.ssh import serve_ssh
    except ImportError as exc:  # the serve extra is not installed
        raise UsageError(f"gdtutor: {words(ctx, 'serve_needs_package', package=exc.name)}") from None
    options = SshOptions(
        host=host,
        port=port,
        max_sessions=max_sessions,
        data_dir=common.data_folder(),
        lessons=common.lessons,
        app_lang=common.app_lang,
        authorized_keys=Path(authorized_keys),
        idle_timeout=idle_timeout,
    )
    return serve_ssh(options, common.lang)


@group.command("web", cls=Command, words="serve_web")
@common
@option("--host", help="serve_host", default=HOST, fields={"default": HOST})
@option("--port", help="serve_web_port", type=Whole(1, 65535), default=8000, metavar="N", fields={"default": 8000})
@option(
    "--max-sessions",
    help="serve_web_max_sessions",
    type=Whole(1, 10_000),
    default=30,
    metavar="N",
    fields={"default": 30},
)
@click.pass_context
def web(ctx: click.Context, host: str, port: int, max_sessions: int) -> int:
    from ...serve.options import ServeOptions
    from ...serve.web import serve_web

    common = given(ctx)
    options = ServeOptions(
        host=host,
        port=port,
        max_sessions=max_sessions,
        data_dir=common.data_folder(),
        lessons=common.lessons,
        app_lang=common.app_lang,
    )
    return serve_web(options, common.lang)
