"""The command line's grammar, on click: commands and options whose help is written from the
catalogues in the language asked for, values checked with one-line errors, the options every command
takes, and the one place where a refusal of click's becomes the tutor's words.

click takes ``--x0 -1e3`` and ``--function -x^2`` as values (an option that needs a value takes the
next word, whatever it starts with), so no word is rewritten before parsing; only ``--compare``, which
takes one to three rates, is spread into one option a rate (:func:`spread_compare`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

import click

from ..i18n import LANGUAGES, t
from ..linebreak import wrap_lines
from ..plaintext import cells


class UsageError(Exception):
    """Bad input on the command line: printed as one line, exit status 2."""


@dataclasses.dataclass
class Given:
    """What every command gets besides its own options: the language of its messages (``--lang``'s, or
    the locale's), the app's language when ``--lang`` was given, the lesson folders, the data folder as
    given, and the output. An option given at several levels (``gdtutor --lang en run --lang zh``)
    counts where it was given last, the innermost command."""

    lang: str
    out: IO[str]
    app_lang: str | None = None
    lessons: list[Path] = dataclasses.field(default_factory=list)
    data_dir: Path | None = None

    def data_folder(self) -> Path:
        """The data folder: ``--data-dir``, else ``$GDTUTOR_DATA_DIR`` or the user's (resolved here only)."""
        from ..progress import default_data_dir

        return self.data_dir or default_data_dir()


def given(ctx: click.Context) -> Given:
    """The :class:`Given` of the command line ``ctx`` belongs to."""
    obj = ctx.find_root().obj
    assert isinstance(obj, Given)
    return obj


def words(ctx: click.Context, key: str, **fields: object) -> str:
    """The catalogue's text ``key`` in the command line's language."""
    return t(key, given(ctx).lang, **fields)


def usage_error(ctx: click.Context, message: str, *, see_help: bool = True, at: str | None = None) -> UsageError:
    """The refusal ``gdtutor run: <message>`` (``at`` another command's name), with where to read the help."""
    prog = at or ctx.command_path
    line = f"{prog}: {message}"
    return UsageError(words(ctx, "cli_see_help", message=line, prog=prog) if see_help else line)


def refuse(ctx: click.Context, message: str, *, see_help: bool = True, at: str | None = None) -> NoReturn:
    """Refuse the command line (see :func:`usage_error`)."""
    raise usage_error(ctx, message, see_help=see_help, at=at)


# --- help -------------------------------------------------------------------------------------------


class Formatter(click.HelpFormatter):
    """click's help layout, measured in terminal cells and wrapped by :mod:`gdtutor.linebreak`: a
    Chinese character takes two cells, and Chinese breaks between characters, not at spaces."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        head = f"{prefix or ''}{prog} "
        lines = wrap_lines(args, max(self.width - cells(head), 20)) or [""]
        self.write(head + lines[0].rstrip() + "\n")
        self.write("".join(" " * cells(head) + line + "\n" for line in lines[1:]))

    def write_heading(self, heading: str) -> None:
        # the heading comes ended as its language ends a label ('options:', '选项：')
        self.write(f"{'':>{self.current_indent}}{heading}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for paragraph in text.split("\n\n"):
            lines = wrap_lines(" ".join(paragraph.split()), max(self.width - self.current_indent, 20))
            self.write("".join(indent + line + "\n" for line in lines))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(max((cells(term) for term, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for term, text in rows:
            lines = wrap_lines(" ".join(text.split()), max(self.width - self.current_indent - first, 10))
            if not "".join(lines):
                self.write(f"{indent}{term}\n")
                continue
            if cells(term) <= first - col_spacing:
                self.write(f"{indent}{term}{' ' * (first - cells(term))}{lines[0]}\n")
            else:
                self.write(f"{indent}{term}\n{indent}{' ' * first}{lines[0]}\n")
            self.write("".join(f"{indent}{' ' * first}{line}\n" for line in lines[1:]))


class Context(click.Context):
    formatter_class = Formatter


class Option(click.Option):
    """An option whose help is the catalogue's ``cli_help_<help>``, filled with ``fields``."""

    def __init__(self, decls: Sequence[str], *, words: str, fields: dict[str, object] | None = None, **kw: Any) -> None:
        super().__init__(decls, **kw)
        self.words = words
        self.fields = fields or {}

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = words(ctx, f"cli_help_{self.words}", **self.fields)
        return super().get_help_record(ctx)


def stack(*decorators: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The decorators as one, the options in the order given (as they are written above a command)."""

    def decorate(command: Any) -> Any:
        for add in reversed(decorators):
            command = add(command)
        return command

    return decorate


def option(*decls: str, help: str, fields: dict[str, object] | None = None, **kw: Any) -> Callable[[Any], Any]:
    """``@click.option`` for an :class:`Option`: ``help`` names its words in the catalogues."""
    if not kw.get("is_flag"):
        kw.setdefault("type", TEXT)
    return click.option(*decls, cls=Option, words=help, fields=fields, **kw)


class _Words(click.Command):
    """What commands and groups share: their help from the catalogues, the unknown words refused as
    argparse refused them, and options abbreviated as long as the abbreviation is unambiguous."""

    context_class: type[click.Context] = Context
    words: str

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            if exc.ctx is None:  # the parser's own refusals come without the command they refuse
                exc.ctx = ctx
            raise

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=words(ctx, "cli_help_usage"))

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(words(ctx, f"cli_help_{self.words}"))

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = [
            record
            for param in self.get_params(ctx)
            if isinstance(param, click.Option) and (record := param.get_help_record(ctx)) is not None
        ]
        with formatter.section(heading(ctx, "cli_help_options")):
            formatter.write_dl(records)

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = [
            (param.make_metavar(ctx), words(ctx, f"cli_help_{param.name_words}"))
            for param in self.get_params(ctx)
            if isinstance(param, Argument)
        ]
        if records:
            with formatter.section(heading(ctx, "cli_help_positionals")):
                formatter.write_dl(records)


def heading(ctx: click.Context, key: str) -> str:
    """A section's heading, ended as the language ends a label (``options:``; a full-width colon in Chinese)."""
    return words(ctx, key) + words(ctx, "label_sep").rstrip()


def abbreviations(params: Iterable[click.Parameter]) -> Callable[[str], str]:
    """A name for click's ``token_normalize_func``: a long option's unambiguous abbreviation (``--prec``
    for ``--precision``) becomes the option, as argparse allowed; anything else stays as it is."""
    names = sorted({opt[2:] for param in params for opt in param.opts if opt.startswith("--")})

    def expand(name: str) -> str:
        if name in names:
            return name
        matches = [full for full in names if full.startswith(name)]
        return matches[0] if len(matches) == 1 else name

    return expand


class Command(_Words):
    """A command of gdtutor's: ``words`` names its help in the catalogues (``cli_help_<words>``)."""

    def __init__(self, name: str | None, *, words: str, strict: bool = False, **kw: Any) -> None:
        # unknown options are gathered and refused together (``--bogus -1e3``), unless the command
        # takes any number of paths (``strict``), which would take them for paths
        settings: dict[str, Any] = {"help_option_names": []}
        if not strict:
            settings.update(ignore_unknown_options=True, allow_extra_args=True)
        super().__init__(name, context_settings=settings, add_help_option=False, **kw)
        self.words = words
        self.context_settings["token_normalize_func"] = abbreviations(self.params)

    def invoke(self, ctx: click.Context) -> Any:
        if ctx.args:  # unknown options and words beyond the command's: refused as one, at the top
            refuse(ctx, words(ctx, "cli_unrecognized", words=" ".join(ctx.args)), at=ctx.find_root().command_path)
        check_folders(ctx)
        return super().invoke(ctx)


class Group(_Words, click.Group):
    """A command of gdtutor's that has commands of its own (``gdtutor lessons check``)."""

    command_class = Command

    def __init__(self, name: str | None, *, words: str, metavar: str = "COMMAND", **kw: Any) -> None:
        settings: dict[str, Any] = {"help_option_names": []}
        super().__init__(
            name,
            context_settings=settings,
            add_help_option=False,
            invoke_without_command=True,
            subcommand_metavar=f"{metavar} ...",
            **kw,
        )
        self.words = words
        self.metavar = metavar
        self.context_settings["token_normalize_func"] = abbreviations(self.params)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            (f"  {name}", words(ctx, f"cli_help_{getattr(cmd, 'words', name)}")) for name, cmd in self.commands.items()
        ]
        with formatter.section(heading(ctx, "cli_help_positionals")):
            formatter.write_dl([(self.metavar, ""), *rows])
        super().format_options(ctx, formatter)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        if name not in self.commands:
            if name.startswith("-"):
                refuse(ctx, words(ctx, "cli_unrecognized", words=" ".join(args)), at=ctx.find_root().command_path)
            choices = ", ".join(repr(choice) for choice in self.commands)
            refuse(ctx, words(ctx, "cli_invalid_choice", option=self.metavar, value=repr(name), choices=choices))
        return super().resolve_command(ctx, args)


class Argument(click.Argument):
    """A positional argument whose help is the catalogue's ``cli_help_<words>``."""

    def __init__(self, decls: Sequence[str], *, words: str, **kw: Any) -> None:
        super().__init__(decls, **kw)
        self.name_words = words


def check_folders(ctx: click.Context) -> None:
    """``--lessons`` must name folders (after the whole command line is read, as argparse did)."""
    for folder in given(ctx).lessons:
        if not folder.is_dir():
            raise UsageError(f"gdtutor: --lessons {folder}: {words(ctx, 'cli_not_a_folder')}")


# --- values -------------------------------------------------------------------------------------------


class Text(click.ParamType[Any]):
    """An option's value as typed (the engine reads numbers and expressions from text). click gives an
    option that needs a value the next word, whatever it is, so that ``--x0 -1e3`` is a number; when
    that word is another option of the command (``--x0 --json``), the value was left out."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.startswith("--") and ctx is not None and param is not None:
            expand = ctx.token_normalize_func or (lambda name: name)
            name = "--" + expand(value.partition("=")[0][2:])
            if any(name in other.opts for other in ctx.command.params):
                raise click.BadOptionUsage(param.opts[0], "", ctx)
        return self.read(value, param, ctx)

    def read(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value


class Whole(Text):
    """A whole number from ``low`` to ``high``."""

    name = "whole"

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def read(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        assert ctx is not None
        try:
            number = int(value)
        except ValueError:
            self.fail(words(ctx, "cli_not_whole", value=repr(value)), param, ctx)
        if not self.low <= number <= self.high:
            self.fail(
                words(ctx, "cli_not_between", value=number, low=f"{self.low:,}", high=f"{self.high:,}"), param, ctx
            )
        return number


class OneOf(Text):
    """One of ``choices``, shown in the help as ``{en,zh}``."""

    name = "choice"

    def __init__(self, choices: Sequence[str]) -> None:
        self.choices = tuple(choices)

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "{" + ",".join(self.choices) + "}"

    def read(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if value in self.choices:
            return str(value)
        assert ctx is not None
        choices = ", ".join(repr(choice) for choice in self.choices)
        self.fail(words(ctx, "cli_invalid_choice_value", value=repr(value), choices=choices), param, ctx)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(choice) for choice in self.choices if choice.startswith(incomplete)]


class Folder(Text):
    """A folder's path; an empty one is refused, not read as the current folder (``--data-dir "$UNSET"``
    would quietly write there)."""

    name = "folder"

    def read(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        if isinstance(value, Path):
            return value
        if not value:
            assert ctx is not None and param is not None
            raise UsageError(f"gdtutor: {param.opts[0]}: {words(ctx, 'cli_empty_folder')}")
        return Path(value)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(incomplete, type="dir")]


def exclusive(ctx: click.Context, *names: str) -> None:
    """Refuse two of the options ``names`` given together, naming them in the order they were typed."""
    typed = [
        name
        for name in ctx.params  # in the order the command line gave them (click processes them so)
        if name in names and ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE
    ]
    if len(typed) > 1:
        first, second = (option_name(ctx, name) for name in typed[:2])
        refuse(ctx, words(ctx, "cli_not_allowed", option=second, other=first))


def option_name(ctx: click.Context, name: str) -> str:
    """The long option of the parameter ``name`` (``max_iter``: ``--max-iter``)."""
    for param in ctx.command.params:
        if param.name == name:
            return param.opts[0]
    raise KeyError(name)


# --- the options every command takes ------------------------------------------------------------------


def _keep(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    """A callback that keeps a common option's value in :class:`Given` when the option was given."""

    def keep(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value is not None and value != ():
            setattr(given(ctx), name, list(value) if isinstance(value, tuple) else value)

    return keep


def _help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        out = given(ctx).out
        out.write(ctx.get_help() + "\n")
        raise SystemExit(0)


COMMON = (
    ("--lang", "common_lang", "app_lang", {"type": OneOf(LANGUAGES)}),
    ("--lessons", "common_lessons", "lessons", {"type": Folder(), "multiple": True, "metavar": "DIR"}),
    ("--data-dir", "common_data_dir", "data_dir", {"type": Folder(), "metavar": "DIR"}),
)
"""The options every command takes besides -h: the option, its help, where :class:`Given` keeps it."""


def common(command: Any) -> Any:
    """The options every command takes: -h, --lang, --lessons and --data-dir (given here, they count
    for the command and the commands under it)."""
    return stack(
        option("-h", "--help", help="help", is_flag=True, expose_value=False, is_eager=True, callback=_help),
        *(option(name, help=key, expose_value=False, callback=_keep(kept), **kw) for name, key, kept, kw in COMMON),
    )(command)


def subgroup(name: str, *, about: str, metavar: str, without: str | None = None) -> Group:
    """A command whose actions are commands (``gdtutor serve ssh``); given none, it refuses with the
    catalogue's ``without``, or shows its help. ``about`` names its help (``cli_help_<about>``)."""

    @click.group(name, cls=Group, words=about, metavar=metavar)
    @common
    @click.pass_context
    def group(ctx: click.Context) -> int:
        if ctx.invoked_subcommand is None:
            if without is not None:
                refuse(ctx, words(ctx, without), see_help=False)
            given(ctx).out.write(ctx.get_help() + "\n")
            raise SystemExit(0)
        return 0

    assert isinstance(group, Group)
    return group


def asked_language(argv: Sequence[str], default: str) -> str:
    """The language ``--lang`` names in ``argv`` (the last one, as it counts), else ``default``: the
    help is written while the command line is read."""
    lang = default
    for i, word in enumerate(argv):
        if word == "--":
            break
        name, equals, value = word.partition("=")
        # an unambiguous abbreviation (--la, --lan) is the option; --l could be --lessons
        if len(name) > 3 and "--lang".startswith(name):
            value = value if equals else (argv[i + 1] if i + 1 < len(argv) else "")
            if value in LANGUAGES:
                lang = value
    return lang


def spread_compare(argv: Sequence[str]) -> list[str]:
    """``gdtutor lab --compare 0.5 1`` as ``--compare 0.5 --compare 1``: the lab's option takes one to
    three rates, and click's options take a fixed count of values. After the word ``lab``, the words
    after ``--compare`` (or ``--c``, ``--co``...: the lab has no other option in ``--c``) up to the next
    option (a word that starts with '-' and is no number) are its rates. Other commands' words are
    left as they are (``sweep --co 5`` is ``--count``)."""
    out: list[str] = []
    rates = False
    in_lab = False
    for word in argv:
        if word == "--":
            rates = in_lab = False
        elif word == "lab":
            in_lab = True
        elif in_lab and len(word) > 2 and "--compare".startswith(word):
            rates = True
            out.append("--compare")
            continue
        elif rates and not (word.startswith("-") and not _is_number(word)):
            if out[-1] != "--compare":
                out.append("--compare")
            out.append(word)
            continue
        else:
            rates = False
        out.append(word)
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def said(exc: click.ClickException) -> UsageError:
    """A refusal of click's parser in the tutor's words: as argparse said them in English, in Chinese
    from the catalogue, on one line."""
    ctx = getattr(exc, "ctx", None)
    assert isinstance(ctx, click.Context)
    if isinstance(exc, click.NoSuchOption):  # as every unknown word: at the top
        return usage_error(ctx, words(ctx, "cli_unrecognized", words=exc.option_name), at="gdtutor")
    if isinstance(exc, click.BadOptionUsage):
        param = next((p for p in ctx.command.params if exc.option_name in p.opts), None)
        if isinstance(param, click.Option) and param.is_flag:
            key = "cli_takes_no_value"
        elif isinstance(param, click.Option) and param.multiple and param.name == "compare":
            key = "cli_expected_some"
        else:
            key = "cli_expected_one"
        return usage_error(ctx, words(ctx, key, option=exc.option_name))
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        return usage_error(ctx, words(ctx, "cli_required", options=exc.param.opts[0]))
    if isinstance(exc, click.BadParameter) and exc.param is not None:
        return usage_error(ctx, words(ctx, "cli_argument", option=exc.param.opts[0], message=exc.message))
    return usage_error(ctx, exc.format_message())


TEXT = Text()
