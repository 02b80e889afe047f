"""The ``gdtutor`` command: a thin layer over the engine (and, later, the app) that the UI also calls."""

from __future__ import annotations

import argparse
import gc
import io
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, Protocol, cast

from . import __version__

# the engine's light modules only: the app's start does not wait for numpy, which the commands that
# run a descent import when they need it (from .engine.descent, .engine.sweeps)
from .engine.params import (
    DEFAULT_ETA,
    DEFAULT_MAX_ITER,
    DEFAULT_PRECISION,
    MAX_UPDATES,
    START_RANGE,
    ParameterError,
    Setup,
    read_number,
    read_setup,
)
from .i18n import LANGUAGES, detect_language, plural, status_name, t
from .numbers import full, setting, sweep_rates
from .telling import explain, param_problem

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from .lessons.model import Lesson
    from .progress import Store

MAX_SWEEP_COUNT = 100_000
"""Most learning rates one sweep takes (its working arrays grow with the count)."""


class OutputError(Exception):
    """Writing the output failed (a full disk, a closed pipe, a stream not open for writing)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class UsageError(Exception):
    """Bad input on the command line: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """A parser whose bad input is a :class:`UsageError` and whose help is in ``lang``: the texts of its
    commands and options come from the catalogues (see :func:`build_parser`), argparse's own words are
    replaced here and by the group titles."""

    def __init__(self, *args: Any, lang: str = "en", **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs.setdefault("add_help", False)  # -h is added with the other options, its help in the language
        super().__init__(*args, **kwargs)
        self.lang = lang

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")

    def format_usage(self) -> str:
        return self._in_language(super().format_usage())

    def format_help(self) -> str:
        return self._in_language(super().format_help())

    def _in_language(self, text: str) -> str:
        """``text`` with argparse's own "usage: " in the parser's language (argparse writes it in English:
        it takes its words from gettext, for which gdtutor installs no catalogue), the usage's later lines
        moved with it to stay under its first, and the headings of the groups ended as the language ends
        a label (argparse adds an ASCII colon to their titles, which :func:`build_parser` gives)."""
        if not text.startswith(ARGPARSE_USAGE):
            return text
        prefix = t("cli_help_usage", self.lang)
        from .plaintext import cells

        shift = cells(prefix) - len(ARGPARSE_USAGE)
        end = t("label_sep", self.lang).rstrip()
        titles = (t("cli_help_positionals", self.lang), t("cli_help_options", self.lang))
        headings = {f"{title}:": f"{title}{end}" for title in titles}
        first, *rest = text.split("\n")
        lines = [prefix + first[len(ARGPARSE_USAGE) :]]
        usage = True
        for line in rest:
            usage = usage and line.startswith(" ")  # the usage ends at its blank line
            if usage:
                indent = len(line) - len(line.lstrip(" "))
                line = " " * max(indent + shift, 0) + line[indent:]
            lines.append(headings.get(line, line))
        return "\n".join(lines)

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse drops a write that fails: --help > /dev/full would print nothing and exit 0
        if message:
            try:
                (file or sys.stderr).write(message)
            except OSError as exc:
                raise OutputError(exc) from exc


ARGPARSE_USAGE = "usage: "
"""How argparse begins a usage (in English: it has no catalogue of its own here)."""


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help, with an option's help that holds Chinese wrapped to the terminal's cells."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        # The one private part of argparse used here. argparse wraps an option's help with textwrap,
        # which counts characters (a Chinese one takes two cells) and breaks only at spaces, and nothing
        # public reaches that wrapping. Help without wide characters is wrapped by argparse, as ever.
        from .linebreak import has_wide, wrap_lines

        if not has_wide(text):
            return super()._split_lines(text, width)
        return wrap_lines(" ".join(text.split()), width)


def _whole(low: int, high: int) -> Callable[[str], int]:
    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not between {low:,} and {high:,}")
        return value

    return convert


OPTIONS = {
    "function": "--function",
    "derivative": "--derivative",
    "eta": "--eta",
    "precision": "--precision",
    "x0": "--x0",
    "seed": "--seed",
    "max_iter": "--max-iter",
    "compare": "--compare",
}
"""The command-line option of each run parameter (the values are read and checked by the engine's
:func:`~gdtutor.engine.params.read_setup`, as the lab's and the lessons' are)."""


class _Options(Protocol):
    """Where a parser's options are added: an argument group, or a mutually exclusive group in one."""

    def add_argument(self, *names: str, **settings: Any) -> argparse.Action: ...

    def add_mutually_exclusive_group(self, *, required: bool = False) -> _Options: ...


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The command line, as ``gdtutor --help`` shows it, its help in ``lang``.

    Each parser's options are in an argument group of its own, and its commands (or paths) in one
    before it: argparse's own groups, whose titles are in English, stay empty and are not shown."""

    def helps(key: str, **fields: object) -> str:
        return t(f"cli_help_{key}", lang, **fields)

    def options(parser: argparse.ArgumentParser) -> _Options:
        """The parser's options: -h, then those every command takes."""
        group = parser.add_argument_group(helps("options"))
        group.add_argument("-h", "--help", action="help", help=helps("help"))
        # SUPPRESS: an option given before the command is not overwritten by the command's default
        group.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=helps("common_lang"))
        # folders are read as text and made paths by _folders: Path("") is the current folder, and an
        # empty value (--data-dir "$UNSET") would quietly write there
        group.add_argument(
            "--lessons", action="append", default=argparse.SUPPRESS, metavar="DIR", help=helps("common_lessons")
        )
        group.add_argument("--data-dir", default=argparse.SUPPRESS, metavar="DIR", help=helps("common_data_dir"))
        return group

    parser = _Parser(prog="gdtutor", description=helps("description"), lang=lang)
    commands = parser.add_subparsers(
        title=helps("positionals"), dest="command", metavar="COMMAND", parser_class=_Parser
    )
    options(parser).add_argument("--version", action="version", version=f"gdtutor {__version__}", help=helps("version"))

    def descent_options(p: _Options, *, json: bool = True) -> None:
        p.add_argument("--function", metavar="EXPR", help=helps("descent_function"))
        p.add_argument("--derivative", metavar="EXPR", help=helps("descent_derivative"))
        p.add_argument("--precision", metavar="F", help=helps("descent_precision", default=f"{DEFAULT_PRECISION:g}"))
        p.add_argument(
            "--max-iter", metavar="N", help=helps("descent_max_iter", default=DEFAULT_MAX_ITER, most=MAX_UPDATES)
        )
        start = p.add_mutually_exclusive_group()
        low, high = START_RANGE
        start.add_argument("--x0", metavar="F", help=helps("descent_x0", low=low, high=high))
        start.add_argument("--seed", metavar="N", help=helps("descent_seed"))
        if json:
            p.add_argument("--json", action="store_true", help=helps("descent_json"))

    run = options(commands.add_parser("run", help=helps("run"), lang=lang))
    descent_options(run)
    run.add_argument("--eta", metavar="F", help=helps("descent_eta", default=f"{DEFAULT_ETA:g}"))
    run.add_argument(
        "--trace", choices=("bounded", "full"), default="bounded", help=helps("run_trace", most=f"{MAX_UPDATES:,}")
    )

    sweep = options(commands.add_parser("sweep", help=helps("sweep"), lang=lang))
    descent_options(sweep)
    eta_min, eta_max, count = "0.01", "1.2", 40
    sweep.add_argument("--eta-min", default=eta_min, metavar="F", help=helps("sweep_eta_min", default=eta_min))
    sweep.add_argument("--eta-max", default=eta_max, metavar="F", help=helps("sweep_eta_max", default=eta_max))
    sweep.add_argument(
        "--count",
        type=_whole(1, MAX_SWEEP_COUNT),
        default=count,
        metavar="N",
        help=helps("sweep_count", default=count, most=f"{MAX_SWEEP_COUNT:,}"),
    )

    race = options(commands.add_parser("race", help=helps("race"), lang=lang))
    race.add_argument("--json", action="store_true", help=helps("race_json"))

    lessons = commands.add_parser("lessons", help=helps("lessons"), lang=lang)
    lesson_commands = lessons.add_subparsers(
        title=helps("positionals"), dest="lessons_command", metavar="ACTION", parser_class=_Parser
    )
    options(lessons)
    check = lesson_commands.add_parser("check", help=helps("lessons_check"), lang=lang)
    check.add_argument_group(helps("positionals")).add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help=helps("lessons_check_paths")
    )
    options(check)
    listing = options(lesson_commands.add_parser("list", help=helps("lessons_list"), lang=lang))
    listing.add_argument("--json", action="store_true", help=helps("lessons_list_json"))
    options(lesson_commands.add_parser("schema", help=helps("lessons_schema"), lang=lang))

    progress = options(commands.add_parser("progress", help=helps("progress"), lang=lang))
    progress.add_argument("--json", action="store_true", help=helps("progress_json"))
    progress.add_argument("--reset", nargs="?", const=ALL_LESSONS, metavar="LESSON_ID", help=helps("progress_reset"))
    progress.add_argument("--yes", action="store_true", help=helps("progress_yes"))

    lab = options(commands.add_parser("lab", help=helps("lab"), lang=lang))
    descent_options(lab, json=False)
    lab.add_argument("--eta", metavar="F", help=helps("descent_eta", default=f"{DEFAULT_ETA:g}"))
    lab.add_argument("--compare", nargs="+", default=[], metavar="F", help=helps("lab_compare"))
    lab.add_argument("--run", action="store_true", help=helps("lab_run"))

    serve = commands.add_parser("serve", help=helps("serve"), lang=lang)
    serve_commands = serve.add_subparsers(
        title=helps("positionals"), dest="serve_command", metavar="HOW", parser_class=_Parser
    )
    options(serve)
    host = "127.0.0.1"
    ssh = options(serve_commands.add_parser("ssh", help=helps("serve_ssh"), lang=lang))
    ssh.add_argument("--host", default=host, help=helps("serve_host", default=host))
    ssh.add_argument(
        "--port", type=_whole(0, 65535), default=2222, metavar="N", help=helps("serve_ssh_port", default=2222)
    )
    ssh.add_argument("--authorized-keys", required=True, metavar="FILE", help=helps("serve_ssh_authorized_keys"))
    ssh.add_argument(
        "--max-sessions",
        type=_whole(1, 10_000),
        default=30,
        metavar="N",
        help=helps("serve_ssh_max_sessions", default=30),
    )
    ssh.add_argument(
        "--idle-timeout",
        type=_whole(2, 7 * 24 * 3600),
        default=1800,
        metavar="SECONDS",
        help=helps("serve_ssh_idle_timeout", default=1800),
    )
    web = options(serve_commands.add_parser("web", help=helps("serve_web"), lang=lang))
    web.add_argument("--host", default=host, help=helps("serve_host", default=host))
    web.add_argument(
        "--port", type=_whole(1, 65535), default=8000, metavar="N", help=helps("serve_web_port", default=8000)
    )
    web.add_argument(
        "--max-sessions",
        type=_whole(1, 10_000),
        default=30,
        metavar="N",
        help=helps("serve_web_max_sessions", default=30),
    )

    klass = commands.add_parser("class", help=helps("class"), lang=lang)
    class_commands = klass.add_subparsers(
        title=helps("positionals"), dest="class_command", metavar="ACTION", parser_class=_Parser
    )
    options(klass)
    report = options(class_commands.add_parser("report", help=helps("class_report"), lang=lang))
    form = report.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help=helps("class_report_json"))
    form.add_argument("--csv", action="store_true", help=helps("class_report_csv"))
    return parser


def asked_language(argv: Sequence[str], default: str) -> str:
    """The language ``--lang`` names in ``argv`` (the last one, as argparse keeps it), else ``default``:
    the help is written before the command line is parsed."""
    lang = default
    for i, word in enumerate(argv):
        if word == "--":
            break
        name, equals, value = word.partition("=")
        # argparse takes an unambiguous abbreviation (--la, --lan); --l could be --lessons
        if len(name) > 3 and "--lang".startswith(name):
            value = value if equals else (argv[i + 1] if i + 1 < len(argv) else "")
            if value in LANGUAGES:
                lang = value
    return lang


NUMBER_OPTIONS = (
    "--x0",
    "--eta",
    "--precision",
    "--eta-min",
    "--eta-max",
    "--max-iter",
    "--seed",
    "--count",
    "--compare",
)
"""Options whose value is a number, and so may be negative (or, for the checks to refuse, look so)."""


EXPRESSION_OPTIONS = ("--function", "--derivative")
"""Options whose value is an expression, and so may start with a minus (``--function -x^2``)."""


def attach_dashed_values(argv: Sequence[str]) -> list[str]:
    """``--x0 -1e3`` as ``--x0=-1e3`` and ``--function -x^2`` as ``--function=-x^2``, so argparse does
    not take the value for an option.

    argparse reads a word that starts with '-' as a value only if it looks like ``-1`` or ``-1.5``;
    ``-1e3``, ``-inf`` or ``-x^2`` it takes for an unknown option, and the option before it then lacks
    its value. A word after a number option (or an abbreviation of one) that Python reads as a number,
    and a word after an expression option that starts with one '-' (no option does), is attached to
    the option with '=', as a learner could have typed it; nothing after ``--`` is touched. Everything
    else, unknown options included, reaches argparse as given.
    """
    words = list(argv)
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word == "--":
            out.extend(words[i:])
            break
        value = words[i + 1] if i + 1 < len(words) else ""
        number = _is_option(word, NUMBER_OPTIONS) and value.startswith("-") and _reads_as_number(value)
        expression = _is_option(word, EXPRESSION_OPTIONS) and value.startswith("-") and not value.startswith("--")
        if number or expression:
            out.append(f"{word}={value}")
            i += 2
            continue
        out.append(word)
        i += 1
    return out


def _is_option(word: str, options: Sequence[str]) -> bool:
    # argparse accepts unambiguous abbreviations (--prec for --precision): so does this
    return len(word) > 2 and word.startswith("--") and any(option.startswith(word) for option in options)


def _reads_as_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class Output(io.TextIOBase):
    """The commands' standard output: an :class:`OSError` while writing or flushing becomes an
    :class:`OutputError`, so that :func:`main` tells a failing output from any other error, at one place."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self.stream = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except OSError as exc:
            raise OutputError(exc) from exc

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as exc:
            raise OutputError(exc) from exc

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()


def carries(out: IO[str] | io.TextIOBase, text: str) -> bool:
    """Whether ``out``'s encoding can carry ``text`` (an ASCII-only stream cannot carry a chart's lines)."""
    try:
        text.encode(getattr(out, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _escape_what_cannot_be_carried() -> None:
    """stdout and stderr write what their encoding cannot carry as escapes (\\u4e2d) instead of failing
    (PYTHONIOENCODING=ascii, a locale without UTF-8)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    lang = detect_language()
    _escape_what_cannot_be_carried()
    if sys.stdout is None:  # started with standard output closed (gdtutor >&-)
        if sys.stderr is not None:
            print(f"gdtutor: {t('cli_no_output', lang, reason=t('cli_stdout_closed', lang))}", file=sys.stderr)
        return 1
    out = cast("IO[str]", Output(sys.stdout))
    try:
        words = attach_dashed_values(sys.argv[1:] if argv is None else argv)
        args = build_parser(asked_language(words, lang)).parse_args(words)
        lang = getattr(args, "lang", None) or lang
        _folders(args, lang)
        for folder in args.lessons:
            if not folder.is_dir():
                raise UsageError(f"gdtutor: --lessons {folder}: {t('cli_not_a_folder', lang)}")
        if args.command == "run":
            status = cmd_run(args, lang, out)
        elif args.command == "sweep":
            status = cmd_sweep(args, lang, out)
        elif args.command == "race":
            status = cmd_race(args, lang, out)
        elif args.command == "lessons":
            status = cmd_lessons(args, lang, out)
        elif args.command == "progress":
            status = cmd_progress(args, lang, out)
        elif args.command == "serve":
            status = cmd_serve(args, lang)
        elif args.command == "class":
            status = cmd_class(args, lang, out)
        else:
            status = cmd_app(args, lang)
        # flush here, inside the guards: a reader that has gone (gdtutor sweep | head -n 0) is noticed
        # now, not by Python's flush at exit, which could only print 'Exception ignored' and exit 120
        out.flush()
        return status
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
        # --help and --version print, then argparse exits
        status = _flush_quietly(out, lang)
        if status:
            raise SystemExit(status) from None
        raise


def _output_failed(exc: OutputError, lang: str) -> int:
    """The output could not be written: one line on stderr and status 1; a reader that went away
    (gdtutor run | head) is no error, and ends quietly with status 0."""
    _silence_stdout()  # what is left in the buffer must not fail again at exit
    if isinstance(exc.error, BrokenPipeError):
        return 0
    print(f"gdtutor: {t('cli_no_output', lang, reason=exc)}", file=sys.stderr)
    return 1


def _folders(args: argparse.Namespace, lang: str) -> None:
    """``--data-dir`` and ``--lessons`` as paths; an empty one is refused, not read as the current folder."""
    for option, name in (("--data-dir", "data_dir"), ("--lessons", "lessons")):
        given = getattr(args, name, None)
        values = given if isinstance(given, list) else [] if given is None else [given]
        if any(not value for value in values):
            raise UsageError(f"gdtutor: {option}: {t('cli_empty_folder', lang)}")
    args.lessons = [Path(value) for value in getattr(args, "lessons", [])]
    if getattr(args, "data_dir", None) is not None:
        args.data_dir = Path(args.data_dir)


def _silence_stdout() -> None:
    """Point stdout at the null device, so that nothing left in its buffer can fail again at exit."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):
        return  # not a real file (captured in a test): nothing will be flushed to a pipe at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def _flush_quietly(out: IO[str], lang: str) -> int:
    """Flush ``out``; 0, or the status :func:`_output_failed` gives when that fails."""
    try:
        out.flush()
    except OutputError as exc:
        return _output_failed(exc, lang)
    return 0


def _setup(args: argparse.Namespace, lang: str, *, seeded: bool = True, **values: object) -> Setup:
    """The run's parameters as given on the command line, checked by the engine; with ``seeded``, a
    random start gets its seed here. Every problem is reported on one line, by option."""
    given = {name: getattr(args, name, None) for name in OPTIONS} | values
    try:
        setup = read_setup(given)
        return setup.seeded() if seeded else setup
    except ParameterError as exc:
        command = f"gdtutor {args.command}"
        reasons = "; ".join(f"{OPTIONS[p.field]}: {param_problem(p, lang)}" for p in exc.problems)
        raise UsageError(f"{command}: {reasons}") from None


def _start_line(x0: float, seed: int | None, lang: str) -> str:
    """Where the run starts, and the seed that gives a random start again."""
    if seed is None:
        return t("given_start", lang, x0=full(x0))
    return t("random_start", lang, x0=full(x0), seed=seed)


def cmd_run(args: argparse.Namespace, lang: str, out: IO[str]) -> int:
    """``gdtutor run``: one descent, printed update by update like the lecture (or as JSON)."""
    import json

    setup = _setup(args, lang)
    fn = setup.make_function()
    from .engine.descent import Descent

    # the whole path only when asked: MAX_UPDATES bounds it (8 MB), as it bounds every run
    run = Descent.of(setup.runs()[0], fn, whole_path=args.trace == "full")
    if args.json:
        result = run.to_end()
        doc = {
            "function": fn.text,
            "derivative": fn.derivative_text,
            "seed": setup.seed,
            **result.to_dict(message=explain(result, "en")),
        }
        json.dump(doc, out)
        out.write("\n")
        return 0
    out.write(t("function", lang, f=fn.text) + "\n")
    out.write(t("derivative", lang, g=fn.derivative_text) + "\n")
    from .engine.expr import format_number  # the parser: loaded by the commands that read expressions

    # shortest exact text: a rounded eta (0.1000001 shown as 0.1) would not be the rate that ran
    settings = {"eta": format_number(setup.eta), "precision": format_number(setup.precision)}
    out.write(t("settings", lang, **settings, max_iter=setup.max_iter) + "\n")
    out.write(_start_line(run.x0, setup.seed, lang) + "\n")
    printed = 0
    try:
        while not run.finished:
            updates = run.advance(1024)
            if updates:
                out.write("\n".join([t("update", lang, step=u.step, x=full(u.x)) for u in updates]) + "\n")
                printed = updates[-1].step
    except KeyboardInterrupt:
        # report the run as far as it was printed: Ctrl+C may land while a chunk is being made or
        # formatted, after the engine has counted updates that never reached the screen
        run.cancel(steps=printed)
    out.write(explain(run.result(), lang) + "\n")
    out.flush()
    return 130 if run.status.value == "cancelled" else 0


def cmd_sweep(args: argparse.Namespace, lang: str, out: IO[str]) -> int:
    """``gdtutor sweep``: many learning rates from one start, as a table and a chart (or as JSON)."""
    import json

    from .engine.sweeps import rates, sweep

    bounds = {}
    for option in ("--eta-min", "--eta-max"):
        try:
            bounds[option] = read_number("eta", getattr(args, option[2:].replace("-", "_")))
        except ParameterError as exc:
            raise UsageError(f"gdtutor sweep: {option}: {param_problem(exc.problems[0], lang)}") from None
    eta_min, eta_max = bounds["--eta-min"], bounds["--eta-max"]
    if eta_min > eta_max:
        raise UsageError(f"gdtutor: {t('cli_eta_range', lang, low=full(eta_min), high=full(eta_max))}")
    setup = _setup(args, lang, eta=eta_min)
    fn = setup.make_function()
    x0 = setup.start()
    etas = rates(eta_min, eta_max, args.count)
    result = sweep(fn, etas, x0, precision=setup.precision, max_iter=setup.max_iter)
    if args.json:
        json.dump(result.rows(), out)
        out.write("\n")
        return 0
    out.write(t("function", lang, f=fn.text) + "\n")
    out.write(t("derivative", lang, g=fn.derivative_text) + "\n")
    header = t(
        "sweep_header",
        lang,
        count=args.count,
        lo=full(eta_min),
        hi=full(eta_max),
        precision=f"{setup.precision:g}",
    )
    out.write(header + "\n")
    out.write(_start_line(x0, setup.seed, lang) + "\n\n")
    out.write(_table(result, lang) + "\n\n")
    width = max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))
    chart = sweep_chart(
        result, lang, width=width, height=18, color=_use_color(out), unicode=carries(out, CHART_CHARACTERS)
    )
    out.write(chart + "\n")
    counts = {s: int((result.status == s).sum()) for s in dict.fromkeys(result.status.tolist())}
    out.write("   ".join(t("summary", lang, status=status_name(s, lang), count=n) for s, n in counts.items()) + "\n")
    return 0


def cmd_race(args: argparse.Namespace, lang: str, out: IO[str]) -> int:
    """``gdtutor race``: the lesson 8 race, headless: a row per size as it is measured, then what the
    rows say (or one JSON document at the end)."""
    import json

    from .engine.params import RACE_FEATURES, RACE_SAMPLES_PER_FEATURE
    from .engine.regression import POWER_ROUNDS, RACE_SEED, RaceRow, RaceSummary, race
    from .plaintext import cells, liner
    from .telling import race_lines, race_winner

    rows: list[RaceRow] = []
    if args.json:
        rows.extend(race(RACE_FEATURES, RACE_SAMPLES_PER_FEATURE))
        json.dump(RaceSummary.of(rows).to_dict(), out)
        out.write("\n")
        return 0
    intro = t(
        "race_intro",
        lang,
        per=RACE_SAMPLES_PER_FEATURE,
        seed=RACE_SEED,
        rounds=POWER_ROUNDS,
        precision=setting(DEFAULT_PRECISION),
    )
    out.write(intro + "\n\n")
    names = t("race_columns", lang).split("|") + t("race_check_columns", lang).split("|")
    widest = max(
        len(f"{max(RACE_FEATURES) * RACE_SAMPLES_PER_FEATURE:,}"),
        *(cells(race_winner(w, lang)) for w in ("normal", "gd")),
    )
    widths = [max(cells(name), widest) for name in names]
    line = liner(widths)  # the widths known before the first row, printed as each row comes

    out.write(line(names) + "\n" + line(["-" * w for w in widths]) + "\n")
    out.flush()
    for row in race(RACE_FEATURES, RACE_SAMPLES_PER_FEATURE):
        rows.append(row)
        values = [
            f"{row.features:,}",
            f"{row.samples:,}",
            f"{row.normal_seconds:.4f}",
            f"{row.gd_seconds:.4f}",
            str(row.gd_updates),
            race_winner(row.winner, lang),
            f"{row.normal_error:.1g}",
            f"{row.gd_error:.1g}",
        ]
        out.write(line(values) + "\n")
        out.flush()
    out.write("\n" + "\n".join(race_lines(RaceSummary.of(rows), lang)) + "\n")
    return 0


def _table(result: object, lang: str) -> str:
    from .engine.sweeps import SweepResult
    from .plaintext import table

    assert isinstance(result, SweepResult)
    names = t("columns", lang).split("|")
    etas = sweep_rates(result.etas.tolist())
    rows = [
        (e, status_name(str(s), lang), str(int(n)), full(float(v)))
        for e, s, n, v in zip(etas, result.status, result.steps, result.x, strict=True)
    ]
    return "\n".join(table(names, rows))


def _use_color(out: IO[str]) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(out, "isatty") and out.isatty()


CHART_CHARACTERS = "•─│┌┐└┘┤┬"
"""Characters plotext draws a chart with: a stream that cannot carry them gets the chart in ASCII."""


def sweep_chart(result: object, lang: str, *, width: int, height: int, color: bool, unicode: bool = True) -> str:
    """Updates against learning rate, one series per outcome, drawn with plotext; the title above it
    and the axes and the legend below it, in ``lang``; without ``unicode``, the chart and its marks in
    ASCII."""
    from .charts import ASCII, MARKS, SERIES, draw_sweep, new_figure, render

    figure = new_figure(width, height)
    drawn = draw_sweep(figure, result)
    legend = "   ".join(f"{MARKS[SERIES[name][0]]} {t(f'chart_sweep_{name}', lang)}" for name in drawn.outcomes)
    chart = render(figure, color=color)
    if not unicode:
        chart, legend = chart.translate(ASCII), legend.translate(ASCII)
    axes = t("chart_sweep_axes_scaled", lang, power=drawn.eta_power) if drawn.eta_power else t("chart_sweep_axes", lang)
    return "\n".join([t("chart_sweep_title", lang), chart, axes, legend])


def cmd_lessons(args: argparse.Namespace, lang: str, out: IO[str]) -> int:
    """``gdtutor lessons check|list|schema``."""
    import json

    from .lessons.load import lesson_files, load_catalog, load_lesson
    from .lessons.problem import FileProblem
    from .lessons.schema import json_schema
    from .lessons.text import pick, plain

    if args.lessons_command == "schema":
        json.dump(json_schema(), out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    if args.lessons_command == "check":
        from .lessons import builtin_lessons_dir

        for path in args.paths:
            try:
                path.stat()
            except FileNotFoundError:
                raise UsageError(f"gdtutor lessons check: {path}: {t('cli_no_such_path', lang)}") from None
            except OSError as exc:  # a link that loops, a folder without permission: said as it is
                raise UsageError(f"gdtutor lessons check: {path}: {exc.strerror or exc}") from None
        folders: list[FileProblem] = []
        files = lesson_files(args.paths or [builtin_lessons_dir()], folders)
        out.writelines(f"{problem.located(lang)}\n" for problem in folders)
        if not files and not folders:
            raise UsageError(f"gdtutor lessons check: {t('cli_no_lesson_files', lang)}")
        bad = len(folders)
        for path in files:
            loaded = load_lesson(path)
            if loaded.ok and loaded.lesson is not None:
                good = loaded.lesson
                counts = _counts(lang, len(good.steps), len(good.questions))
                out.write(f"{path}: {t('cli_lesson_ok', lang, counts=counts)}\n")
            else:
                bad += 1
                out.writelines(f"{problem.located(lang)}\n" for problem in loaded.problems)
        out.write(t("cli_check_summary", lang, files=len(files) + len(folders), bad=bad) + "\n")
        return 1 if bad else 0
    if args.lessons_command == "list":
        catalog = load_catalog(args.lessons)
        rows: list[dict[str, Any]] = []
        for entry in catalog.entries:
            lesson = entry.lesson
            if lesson is None:
                rows.append(
                    {
                        "id": entry.path.stem,
                        "path": str(entry.path),
                        "broken": True,
                        "error": entry.problems[0].located(lang),
                    }
                )
                continue
            rows.append(
                {
                    "id": lesson.id,
                    "title": pick(lesson.title, lang),
                    "summary": pick(lesson.summary, lang),
                    "languages": lesson.languages,
                    "steps": len(lesson.steps),
                    "quizzes": len(lesson.questions),
                    "engine_checked": sum(q.checked_by_engine for q in lesson.questions),
                    "path": str(entry.path),
                    "broken": False,
                }
            )
        if args.json:
            json.dump(rows, out, ensure_ascii=False)
            out.write("\n")
            return 0
        for row in rows:
            if row["broken"]:
                out.write(f"  !  {row['id']}: {t('broken', lang)}: {row['error']}\n")
            else:
                counts = _counts(lang, row["steps"], row["quizzes"])
                title = plain(row["title"])  # the JSON keeps the lesson's markdown
                out.write(f"{row['id']:<28} {title}  [{', '.join(row['languages'])}; {counts}]\n")
        return 0
    build_parser(lang).parse_args(["lessons", "--help"])
    return 0


def _counts(lang: str, steps: int, questions: int) -> str:
    """'3 steps, 1 question'."""
    return t(
        "cli_counts",
        lang,
        steps=plural("count_steps", lang, steps, n=steps),
        questions=plural("count_questions", lang, questions, n=questions),
    )


ALL_LESSONS = "*all*"


def cmd_progress(args: argparse.Namespace, lang: str, out: IO[str]) -> int:
    """``gdtutor progress``: each lesson's state and score; ``--reset`` forgets, after asking."""
    import json

    from .lessons.load import load_catalog
    from .lessons.text import pick, plain
    from .plaintext import liner, widths_of
    from .progress import Store, default_data_dir, report

    data_dir = getattr(args, "data_dir", None) or default_data_dir()
    store = Store(data_dir)
    try:
        notice = store.notice_text(lang)
        if notice:
            print(f"gdtutor: {notice}", file=sys.stderr)
        catalog = load_catalog(args.lessons)
        for entry in catalog.broken:  # a folder that cannot be read: said once, the others go on
            if entry.problems and entry.problems[0].code == "cannot_read_folder":
                print(f"gdtutor: {entry.problems[0].located(lang)}", file=sys.stderr)
        lessons = catalog.lessons
        if args.reset is not None:
            return _reset(store, lessons, args, lang, out)
        rows = report(store, lessons)
        if args.json:
            json.dump({"data_dir": str(data_dir), "saving": store.saving, "lessons": rows}, out, ensure_ascii=False)
            out.write("\n")
            return 0
        titles = {lesson.id: plain(pick(lesson.title, lang)) for lesson in lessons}
        out.write(t("progress_where", lang, path=store.path) + "\n")
        lines = []
        for row in rows:
            if row["completed"]:
                state = t("progress_completed", lang)
            elif row["started"]:
                state = t("step_of", lang, n=row["step"], total=row["steps"])
            else:
                state = t("progress_not_started", lang)
            score = ""
            if row["questions"]:
                score = t("answered_of", lang, answered=row["answered"], total=row["questions"], right=row["right"])
            lines.append((row["id"], state, score, titles[row["id"]]))
        # padded by terminal cells, not characters: a Chinese state or score takes two cells a character
        widths = widths_of([line[:3] for line in lines], least=(28, 16, 26))
        padded = liner(widths, separator=" ")  # the title last, as long as it is
        for line in lines:
            out.write(padded(line) + "\n")
        return 0
    finally:
        store.close()


def _reset(store: Store, lessons: list[Lesson], args: argparse.Namespace, lang: str, out: IO[str]) -> int:
    lesson_id = None if args.reset == ALL_LESSONS else args.reset
    if lesson_id is not None and lesson_id not in {lesson.id for lesson in lessons} | set(store.lessons()):
        raise UsageError(f"gdtutor progress --reset: {t('cli_no_such_lesson', lang, id=lesson_id)}")
    question = (
        t("progress_ask_all", lang, path=store.path) if lesson_id is None else t("progress_ask_one", lang, id=lesson_id)
    )
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(f"gdtutor progress --reset: {t('progress_need_yes', lang)}")
        out.write(question + " [y/N] ")
        out.flush()
        try:
            answer = input().strip().lower()
        except EOFError:
            answer = ""
        if answer not in ("y", "yes", "是", "好"):
            out.write(t("progress_kept", lang) + "\n")
            return 1
    if not store.reset(lesson_id):
        reason = store.trouble[1].get("reason", "") if store.trouble else ""
        print(f"gdtutor: {t('progress_reset_failed', lang, folder=store.data_dir, reason=reason)}", file=sys.stderr)
        return 1
    out.write(t("reset_done", lang) + "\n")
    return 0


def cmd_serve(args: argparse.Namespace, lang: str) -> int:
    """``gdtutor serve ssh`` and ``gdtutor serve web``: the tutor for a class, from one server."""
    if args.serve_command == "ssh":
        try:
            from .serve.ssh import serve_ssh
        except ImportError as exc:  # the serve extra is not installed
            raise UsageError(f"gdtutor: {t('serve_needs_package', lang, package=exc.name)}") from None
        return serve_ssh(args, lang)
    if args.serve_command == "web":
        from .serve.web import serve_web

        return serve_web(args, lang)
    raise UsageError("gdtutor serve: say how: ssh or web (gdtutor serve --help)")


def cmd_class(args: argparse.Namespace, lang: str, out: IO[str]) -> int:
    """``gdtutor class report``: where a class stands, from its learners' stores."""
    if args.class_command == "report":
        from .classreport import cmd_report

        return cmd_report(args, lang, out)
    raise UsageError("gdtutor class: say what: report (gdtutor class --help)")


def cmd_app(args: argparse.Namespace, lang: str) -> int:
    """``gdtutor`` and ``gdtutor lab``: the terminal app."""
    lab = None
    if args.command == "lab":  # bad options are reported here, before the app starts
        lab = _setup(args, lang, seeded=False)  # no --x0 nor --seed: a new random start each run
    # the garbage collector stays off until the first frame is on the screen (ui.app.settle_memory)
    gc.disable()
    try:
        from .ui.process import run_tutor

        return run_tutor(
            lang,
            app_lang=getattr(args, "lang", None),
            lesson_dirs=args.lessons,
            data_dir=getattr(args, "data_dir", None),
            lab=lab,
            run_lab=bool(getattr(args, "run", False)),
        )
    finally:
        gc.enable()  # settle_memory has done it, unless the app ended before its first frame


def run() -> NoReturn:
    """Console-script entry point."""
    sys.exit(main())
