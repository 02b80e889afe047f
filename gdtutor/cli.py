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
from typing import IO, TYPE_CHECKING, Any, NoReturn, cast

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
from .i18n import LANGUAGES, detect_language, fmt, param_problem, plural, short, status_name, t

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
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse drops a write that fails: --help > /dev/full would print nothing and exit 0
        if message:
            try:
                (file or sys.stderr).write(message)
            except OSError as exc:
                raise OutputError(exc) from exc


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


def build_parser() -> argparse.ArgumentParser:
    """The command line, as ``gdtutor --help`` shows it."""
    common = _Parser(add_help=False)
    # SUPPRESS: an option given before the command is not overwritten by the command's default
    common.add_argument(
        "--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language (default: from the locale)"
    )
    # folders are read as text and made paths by _folders: Path("") is the current folder, and an
    # empty value (--data-dir "$UNSET") would quietly write there
    common.add_argument(
        "--lessons",
        action="append",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="a folder of your own lessons, added to the built-in ones (may be repeated)",
    )
    common.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="where progress is kept (default: $GDTUTOR_DATA_DIR or your user data folder)",
    )

    parser = _Parser(
        prog="gdtutor",
        description="A terminal tutor that teaches gradient descent.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"gdtutor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def descent_options(p: argparse.ArgumentParser, *, json: bool = True) -> None:
        p.add_argument("--function", metavar="EXPR", help="f(x), e.g. 'x^2 - 4x' (default: the lecture's)")
        p.add_argument("--derivative", metavar="EXPR", help="g(x); derived from f when not given")
        p.add_argument(
            "--precision",
            metavar="F",
            help=f"the exit condition is abs(x - last_x) < F (default {DEFAULT_PRECISION:g})",
        )
        p.add_argument(
            "--max-iter", metavar="N", help=f"update limit (default {DEFAULT_MAX_ITER}, at most {MAX_UPDATES})"
        )
        start = p.add_mutually_exclusive_group()
        start.add_argument(
            "--x0", metavar="F", help="start (default: the lecture's random integer in [{}, {}))".format(*START_RANGE)
        )
        start.add_argument("--seed", metavar="N", help="seed of the random start")
        if json:
            p.add_argument("--json", action="store_true", help="print one JSON document instead of text")

    run = commands.add_parser("run", parents=[common], help="run gradient descent once, as the lecture does")
    descent_options(run)
    run.add_argument("--eta", metavar="F", help=f"learning rate (default {DEFAULT_ETA:g})")
    run.add_argument(
        "--trace",
        choices=("bounded", "full"),
        default="bounded",
        help="with --json: the path kept in bounded memory (a long run's older updates thinned; the default) "
        f"or every update (at most {MAX_UPDATES:,} updates, 8 bytes each)",
    )

    sw = commands.add_parser("sweep", parents=[common], help="run many learning rates and compare them")
    descent_options(sw)
    sw.add_argument("--eta-min", default="0.01", metavar="F")
    sw.add_argument("--eta-max", default="1.2", metavar="F")
    sw.add_argument("--count", type=_whole(1, MAX_SWEEP_COUNT), default=40, metavar="N")

    race = commands.add_parser(
        "race",
        parents=[common],
        help="time the normal equation against gradient descent as the features grow (10 to 20 s)",
    )
    race.add_argument("--json", action="store_true", help="print one JSON document instead of text")

    lessons = commands.add_parser("lessons", parents=[common], help="list, check or describe lesson files")
    lesson_commands = lessons.add_subparsers(dest="lessons_command", metavar="ACTION", parser_class=_Parser)
    check = lesson_commands.add_parser(
        "check", parents=[common], help="check lesson files or folders (the built-in lessons when none given)"
    )
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    listing = lesson_commands.add_parser("list", parents=[common], help="one line per lesson")
    listing.add_argument("--json", action="store_true")
    lesson_commands.add_parser("schema", parents=[common], help="print the JSON Schema of a lesson file")

    progress = commands.add_parser("progress", parents=[common], help="show or reset the learner's progress")
    progress.add_argument("--json", action="store_true", help="print one JSON object")
    progress.add_argument(
        "--reset",
        nargs="?",
        const=ALL_LESSONS,
        metavar="LESSON_ID",
        help="forget one lesson's progress, or all of it when no lesson is named",
    )
    progress.add_argument("--yes", action="store_true", help="reset without asking")

    lab = commands.add_parser("lab", parents=[common], help="open the lab on its own")
    descent_options(lab, json=False)
    lab.add_argument("--eta", metavar="F", help=f"learning rate (default {DEFAULT_ETA:g})")
    lab.add_argument(
        "--compare",
        nargs="+",
        default=[],
        metavar="F",
        help="up to three more learning rates, run beside eta on the same charts",
    )
    lab.add_argument("--run", action="store_true", help="start the run at once")

    serve = commands.add_parser("serve", parents=[common], help="host the tutor for a class: over SSH or in a browser")
    serve_commands = serve.add_subparsers(dest="serve_command", metavar="HOW", parser_class=_Parser)
    ssh = serve_commands.add_parser(
        "ssh", parents=[common], help="an SSH server: every learner who connects gets a tutor of their own"
    )
    ssh.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    ssh.add_argument(
        "--port", type=_whole(0, 65535), default=2222, metavar="N", help="port (default 2222; 0: any free port)"
    )
    ssh.add_argument(
        "--authorized-keys",
        required=True,
        metavar="FILE",
        help="the learners' public keys, in OpenSSH's authorized_keys format (reread when it changes)",
    )
    ssh.add_argument(
        "--max-sessions", type=_whole(1, 10_000), default=30, metavar="N", help="sessions at once (default 30)"
    )
    ssh.add_argument(
        "--idle-timeout",
        type=_whole(2, 7 * 24 * 3600),
        default=1800,
        metavar="SECONDS",
        help="close a session after this long without a key, after a warning (default 1800)",
    )
    web = serve_commands.add_parser("web", parents=[common], help="the tutor in a browser (textual-serve)")
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    web.add_argument("--port", type=_whole(1, 65535), default=8000, metavar="N", help="port (default 8000)")
    web.add_argument(
        "--max-sessions",
        type=_whole(1, 10_000),
        default=30,
        metavar="N",
        help="browsers at once, each a tutor process of its own (default 30)",
    )

    klass = commands.add_parser("class", parents=[common], help="a teacher's view of a class's progress")
    class_commands = klass.add_subparsers(dest="class_command", metavar="ACTION", parser_class=_Parser)
    report = class_commands.add_parser(
        "report", parents=[common], help="per learner and per question, from the stores under the data folder"
    )
    form = report.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print one JSON document")
    form.add_argument("--csv", action="store_true", help="print the questions as CSV")
    return parser


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
        args = build_parser().parse_args(attach_dashed_values(sys.argv[1:] if argv is None else argv))
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
        return t("given_start", lang, x0=fmt(x0))
    return t("random_start", lang, x0=fmt(x0), seed=seed)


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
        doc = {"function": fn.text, "derivative": fn.derivative_text, "seed": setup.seed, **result.to_dict()}
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
                out.write("\n".join([t("update", lang, step=u.step, x=fmt(u.x)) for u in updates]) + "\n")
                printed = updates[-1].step
    except KeyboardInterrupt:
        # report the run as far as it was printed: Ctrl+C may land while a chunk is being made or
        # formatted, after the engine has counted updates that never reached the screen
        run.cancel(steps=printed)
    out.write(run.result().explain(lang) + "\n")
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
        raise UsageError(f"gdtutor: {t('cli_eta_range', lang, low=fmt(eta_min), high=fmt(eta_max))}")
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
        lo=fmt(eta_min),
        hi=fmt(eta_max),
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
    from .i18n import race_lines, race_winner

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
        precision=short(DEFAULT_PRECISION),
    )
    out.write(intro + "\n\n")
    names = t("race_columns", lang).split("|") + t("race_check_columns", lang).split("|")
    widest = max(
        len(f"{max(RACE_FEATURES) * RACE_SAMPLES_PER_FEATURE:,}"),
        *(_cells(race_winner(w, lang)) for w in ("normal", "gd")),
    )
    widths = [max(_cells(name), widest) for name in names]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - _cells(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    out.write(line(names) + "\n" + line(["-" * w for w in widths]) + "\n")
    out.flush()
    for row in race(RACE_FEATURES, RACE_SAMPLES_PER_FEATURE):
        rows.append(row)
        cells = [
            f"{row.features:,}",
            f"{row.samples:,}",
            f"{row.normal_seconds:.4f}",
            f"{row.gd_seconds:.4f}",
            str(row.gd_updates),
            race_winner(row.winner, lang),
            f"{row.normal_error:.1g}",
            f"{row.gd_error:.1g}",
        ]
        out.write(line(cells) + "\n")
        out.flush()
    out.write("\n" + "\n".join(race_lines(RaceSummary.of(rows), lang)) + "\n")
    return 0


def _table(result: object, lang: str) -> str:
    from .engine.sweeps import SweepResult

    assert isinstance(result, SweepResult)
    names = t("columns", lang).split("|")
    # eta exactly (the shortest text that reads back as the same float): rounded, neighbouring rates of
    # a fine sweep would look alike
    rows = [
        (fmt(float(e)), status_name(str(s), lang), str(int(n)), fmt(float(v)))
        for e, s, n, v in zip(result.etas, result.status, result.steps, result.x, strict=True)
    ]
    widths = [max(_cells(r[i]) for r in [tuple(names), *rows]) for i in range(4)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - _cells(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(names), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _cells(text: str) -> int:
    """Terminal cells taken by ``text`` (Chinese characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


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
    from .lessons.problem import Problem
    from .lessons.schema import json_schema
    from .lessons.text import pick

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
        folders: list[Problem] = []
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
                out.write(f"{row['id']:<28} {row['title']}  [{', '.join(row['languages'])}; {counts}]\n")
        return 0
    build_parser().parse_args(["lessons", "--help"])
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
    from .lessons.text import pick
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
        titles = {lesson.id: pick(lesson.title, lang) for lesson in lessons}
        out.write(t("progress_where", lang, path=store.path) + "\n")
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
            out.write(f"{row['id']:<28} {state:<16} {score:<26} {titles[row['id']]}\n")
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
