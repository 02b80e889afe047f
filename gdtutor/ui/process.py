"""The app as a process: the terminal it needs, the signals that end it, and what a crash leaves.

Textual restores the terminal (alternate screen off, cursor shown, mouse tracking off, the tty out of
raw mode) only when its loop ends by itself. A signal's default action (SIGTERM, SIGHUP, SIGQUIT)
kills the process before that, and an unexpected error ends the loop with status 1 and a traceback
printed over the learner's shell. :func:`run_app` makes each of them end through the loop: a signal
asks the app to exit with 128 + the signal's number, and a crash's details go to a log in the data
folder, with one line on stderr saying where.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import signal
import sys
import threading
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from rich.console import Console

from .. import __version__
from ..i18n import t
from .app import GDTutorApp

if TYPE_CHECKING:
    from ..engine.params import Setup
    from ..lessons.load import Catalog

CRASH_LOG = "crash.log"
"""The file in the data folder that keeps the details of the last crash."""

ENDING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGXCPU") if hasattr(signal, name)
)
"""Signals that end the app through its loop, so that the terminal is restored and the store closed
(SIGXCPU: a served tutor has used the CPU time its server allows)."""

GRACE_SECONDS = 5.0
"""How long a signalled app may take to restore the terminal before the process ends regardless: a
hung-up terminal (SIGHUP) must never leave the process running, even if writing to it blocks."""


def terminal_problem(lang: str) -> str | None:
    """Why the app cannot run here (standard input or the screen it draws on is not a terminal).

    Textual reads keys from standard input and draws on standard error; with standard input at the
    end of a file (``gdtutor </dev/null``, cron, nohup) its reader wakes forever and spins a core.
    """
    for stream, key in ((sys.__stdin__, "no_terminal_stdin"), (sys.__stderr__, "no_terminal_stderr")):
        try:
            ok = stream is not None and os.isatty(stream.fileno())
        except (AttributeError, ValueError, OSError):
            ok = False
        if not ok:
            return t(key, lang)
    return None


def run_tutor(
    lang: str,
    *,
    app_lang: str | None = None,
    lesson_dirs: list[Path] | None = None,
    data_dir: Path,
    lab: Setup | None = None,
    run_lab: bool = False,
    catalog: Catalog | None = None,
    web: bool = False,
) -> int:
    """Build the app and run it in this process (``gdtutor``, ``gdtutor lab``, a served session); the
    exit status. ``lang`` is for the messages printed outside the app, ``app_lang`` the app's own.
    ``web``: a browser's session, drawn by Textual's web driver on standard output (a pipe to the web
    server, which speaks its protocol) instead of a terminal."""
    from . import make_app  # looked up when called: the crash tests replace it

    problem = None if web else terminal_problem(lang)
    if problem is not None:  # before the app is built: nothing to restore, nothing to spin
        print(f"gdtutor: {problem}", file=sys.stderr)
        return 2
    try:
        app = make_app(
            lang=app_lang, lesson_dirs=lesson_dirs, data_dir=data_dir, lab=lab, run_lab=run_lab, catalog=catalog
        )
    except Exception:  # an unexpected error while the app's state is built: logged, as one in the app
        print(f"gdtutor: {crash_report(data_dir, traceback.format_exc(), lang)}", file=sys.stderr)
        return 1
    if web:
        from textual.drivers.web_driver import WebDriver

        # Textual reads TEXTUAL_DRIVER once, when imported; a forked session chooses its driver here
        app.driver_class = WebDriver
    # signals and unexpected errors end through the app's loop: the terminal is restored
    return run_app(app, lang)


def run_app(app: GDTutorApp, lang: str) -> int:
    """Run ``app`` in this process; returns the exit status (0, 1 after a crash, 128 + a signal)."""
    details = io.StringIO()
    # Textual prints an unexpected error's traceback on its error console once the terminal is
    # restored: kept for the log instead of being printed over the learner's shell
    app.error_console = Console(file=details, markup=False, highlight=False, width=100, color_system=None)
    previous = _install_signal_handlers(app)
    crashed = False
    try:
        app.run()
    except Exception:
        # an error outside the app's loop (while building the first screen's state, say)
        details.write(traceback.format_exc())
        crashed = True
    finally:
        _restore_signal_handlers(previous)
    status = app.return_code or 0
    if crashed or status == 1 or details.getvalue():
        print(f"gdtutor: {crash_report(app.store.data_dir, details.getvalue(), lang)}", file=sys.stderr)
        return status or 1
    return status


def crash_report(data_dir: Path, details: str, lang: str) -> str:
    """Write ``details`` to the crash log in ``data_dir`` (or the temporary folder); one line saying where."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    text = f"gdtutor {__version__}, Python {sys.version.split()[0]}, {stamp}\n\n{details}"
    for folder in (data_dir, Path(_temp_dir())):
        path = folder / CRASH_LOG
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError:
            continue
        return t("crash_logged", lang, path=path)
    return t("crash_not_logged", lang)


def _temp_dir() -> str:
    import tempfile

    return tempfile.gettempdir()


def _install_signal_handlers(app: GDTutorApp) -> dict[int, object]:
    """Make each ending signal ask the app to exit with 128 + its number; a second one ends at once."""
    received: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        status = 128 + signum
        if received:
            os._exit(status)  # asked twice: the learner (or the system) will not wait
        received.append(signum)
        # a bound on the clean exit: a terminal that was hung up may block the writes that restore it
        watchdog = threading.Timer(GRACE_SECONDS, os._exit, args=(status,))
        watchdog.daemon = True
        watchdog.start()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # the app's loop is not running (not started yet, or already ended): nothing to restore
            raise SystemExit(status) from None
        # Python runs this handler in the main thread, between two steps of the app's loop: the call
        # is queued through the loop's wake-up pipe, so that a loop waiting for input sees it at once
        loop.call_soon_threadsafe(lambda: app.exit(return_code=status))

    previous: dict[int, object] = {}
    for signum in ENDING_SIGNALS:
        previous[signum] = signal.signal(signum, on_signal)
    warning = os.environ.get("GDTUTOR_IDLE_WARNING", "")
    if warning.isdigit() and hasattr(signal, "SIGUSR1"):
        # a served session (gdtutor serve ssh): the server sends SIGUSR1 when the learner has been idle,
        # and closes the session ``warning`` seconds later unless a key comes
        seconds = int(warning)

        def on_idle(signum: int, frame: FrameType | None) -> None:
            with contextlib.suppress(RuntimeError):
                loop = asyncio.get_running_loop()
                loop.call_soon_threadsafe(
                    lambda: app.notify(
                        t("serve_idle_warning", app.lang, seconds=seconds), severity="warning", timeout=seconds
                    )
                )

        previous[signal.SIGUSR1] = signal.signal(signal.SIGUSR1, on_idle)
    return previous


def _restore_signal_handlers(previous: dict[int, object]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]
