"""``gdtutor class report``: where a class stands, from its learners' stores."""

from __future__ import annotations

import click

from ..parsing import Command, Group, common, exclusive, given, option, refuse, words


@click.group("class", cls=Group, words="class", metavar="ACTION")
@common
@click.pass_context
def group(ctx: click.Context) -> int:
    if ctx.invoked_subcommand is None:
        refuse(ctx, words(ctx, "cli_say_what"), see_help=False)
    return 0


@group.command("report", cls=Command, words="class_report")
@common
@option("--json", help="class_report_json", is_flag=True)
@option("--csv", help="class_report_csv", is_flag=True)
@click.pass_context
def report(ctx: click.Context, json: bool, csv: bool) -> int:
    from ...classreport import print_report

    exclusive(ctx, "json", "csv")
    common = given(ctx)
    form = "json" if json else "csv" if csv else "text"
    return print_report(common.data_folder(), common.lessons, form, common.lang, common.out)
