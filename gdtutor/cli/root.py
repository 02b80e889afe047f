"""``gdtutor``: the root of the command line, and :func:`main`, the one place where its outcomes become
exit statuses (bad input: 2 and one line; a failing output: 1, or 0 for a reader that went away;
ctrl+c: 130)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import IO, NoReturn, cast

import click

from .. import __version__
from ..i18n import detect_language, t
from . import output
from .commands import app, classes, lessons, progress, race, run, serve, sweep
from .output import Output, OutputError
from .parsing import (
    Given,
    Group,
    UsageError,
    asked_language,
    check_folders,
    common,
    given,
    option,
    said,
    spread_compare,
)


def _version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        given(ctx).out.write(f"gdtutor {__version__}\n")
        raise SystemExit(0)


@click.group("gdtutor", cls=Group, words="description")
@common
@option("--version", help="version", is_flag=True, expose_value=False, is_eager=True, callback=_version)
@click.pass_context
def gdtutor(ctx: click.Context) -> int:
    if ctx.invoked_subcommand is None:  # the tutor itself
        check_folders(ctx)
        return app.start(ctx)
    return 0


for command in (
    run.command,
    sweep.command,
    race.command,
    lessons.group,
    progress.command,
    app.lab,
    serve.group,
    classes.group,
):
    gdtutor.add_command(command)

COMPLETE_VAR = "_GDTUTOR_COMPLETE"
"""The variable a shell sets to ask for completions (click's: ``eval "$(_GDTUTOR_COMPLETE=bash_source gdtutor)"``)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    lang = detect_language()
    output.escape_what_cannot_be_carried()
    if sys.stdout is None:  # started with standard output closed (gdtutor >&-)
        if sys.stderr is not None:
            print(f"gdtutor: {t('cli_no_output', lang, reason=t('cli_stdout_closed', lang))}", file=sys.stderr)
        return 1
    words = list(sys.argv[1:] if argv is None else argv)
    out = cast("IO[str]", Output(sys.stdout))
    if os.environ.get(COMPLETE_VAR):  # a shell asks for its completion script, or for completions
        from click.shell_completion import shell_complete

        obj = Given(lang=lang, out=out)
        return shell_complete(gdtutor, {"obj": obj}, "gdtutor", COMPLETE_VAR, os.environ[COMPLETE_VAR])
    lang = asked_language(words, lang)
    try:
        try:
            with gdtutor.make_context("gdtutor", spread_compare(words), obj=Given(lang=lang, out=out)) as ctx:
                status = gdtutor.invoke(ctx)
        except click.ClickException as exc:
            raise said(exc) from None
        # flush here, inside the guards: a reader that has gone (gdtutor sweep | head -n 0) is noticed
        # now, not by Python's flush at exit, which could only print 'Exception ignored' and exit 120
        out.flush()
        return int(status or 0)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OutputError as exc:
        return _output_failed(exc, lang)
    except KeyboardInterrupt:
        # Ctrl+C outside run's text loop (which reports it on stdout itself): run --json, sweep, ...
        status = _flush_quietly(out, lang)
        print(f"gdtutor: {t('interrupted', lang)}", file=sys.stderr)
        return status or 130
    except SystemExit:
        # --help and --version print, then exit
        status = _flush_quietly(out, lang)
        if status:
            raise SystemExit(status) from None
        raise


def _output_failed(exc: OutputError, lang: str) -> int:
    """The output could not be written: one line on stderr and status 1; a reader that went away
    (gdtutor run | head) is no error, and ends quietly with status 0."""
    output.silence_stdout()  # what is left in the buffer must not fail again at exit
    if isinstance(exc.error, BrokenPipeError):
        return 0
    print(f"gdtutor: {t('cli_no_output', lang, reason=exc)}", file=sys.stderr)
    return 1


def _flush_quietly(out: IO[str], lang: str) -> int:
    """Flush ``out``; 0, or the status :func:`_output_failed` gives when that fails."""
    try:
        out.flush()
    except OutputError as exc:
        return _output_failed(exc, lang)
    return 0


def run_script() -> NoReturn:
    """Console-script entry point."""
    sys.exit(main())
