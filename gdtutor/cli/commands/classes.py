"""``gdtutor class report``: where a class stands, from its learners' stores."""

from __future__ import annotations

import click

from ..parsing import Command, common, exclusive, given, option, subgroup

group = subgroup("class", about="class", metavar="ACTION", without="cli_say_what")


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
