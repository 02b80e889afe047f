"""One browser's tutor under ``gdtutor serve web``: ``python -m gdtutor.serve.websession``.

The web server (webserver.py) starts this module for every browser that connects, with the learner's
own data folder and language. textual-serve has set ``TEXTUAL_DRIVER`` to Textual's web driver, which
takes keys and sizes from standard input and writes the screen to standard output, both pipes to the
server: that is why a session does not start as ``gdtutor`` does, which refuses to run without a
terminal. Nothing else differs: the same app, signals that end it through its loop, and a crash log
in the learner's folder.

The server ends its sessions itself when a browser goes and when it stops; a session whose server
has gone without doing so (killed) notices that its parent changed and ends too, so that none is left
running for no one.
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from ..i18n import LANGUAGES

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"

PARENT_CHECK_SECONDS = 0.5
"""How often a session looks whether its server is still there."""

GRACE_SECONDS = 5.0
"""How long a session whose server has gone may take to end through its loop before it ends regardless."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run one session's tutor; the exit status of the app."""
    # the idle warning (the server's SIGUSR1): ignored until the app shows it (its default would end it)
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    parser = argparse.ArgumentParser(prog="python -m gdtutor.serve.websession", description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--lang", choices=LANGUAGES, required=True)
    parser.add_argument("--lessons", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    if os.environ.get("TEXTUAL_DRIVER") != WEB_DRIVER:
        parser.error("started by gdtutor serve web only (textual-serve's web driver is not set)")

    _end_with_parent(os.getppid())
    # as gdtutor does (cli.cmd_app): no collection until the first frame (ui.app.settle_memory)
    gc.disable()
    try:
        from ..ui import make_app
        from ..ui.process import crash_report, run_app

        try:
            app = make_app(lang=args.lang, lesson_dirs=args.lessons, data_dir=args.data_dir)
        except Exception:
            import traceback

            print(f"gdtutor: {crash_report(args.data_dir, traceback.format_exc(), args.lang)}", file=sys.stderr)
            return 1
        return run_app(app, args.lang)
    finally:
        gc.enable()


def _end_with_parent(parent: int) -> None:
    """A thread that ends this process when its parent (the server) is gone: SIGTERM first, which the
    app handles through its loop, then at once after :data:`GRACE_SECONDS`."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(GRACE_SECONDS)
        os._exit(128 + signal.SIGTERM)

    threading.Thread(target=watch, name="gdtutor-parent-watch", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
