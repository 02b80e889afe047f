"""A warm process that starts a tutor per session by forking itself (``python -m gdtutor.serve.zygote``).

A tutor started from scratch spends about 0.25 s of CPU importing Textual, numpy and the screens, and more
reading the lessons; thirty learners logging in at once would queue for seconds on a 2-core server. The
SSH server starts this process once: it imports everything and loads the lessons, then waits on a Unix
socket. For each session the server sends the pseudo-terminal's other end (SCM_RIGHTS) and what the
tutor needs (login folder, language, TERM); the zygote forks, and the child makes the terminal its
controlling terminal, as a login does, and runs the app. Forked children share the imported code and
the lessons with the zygote until they write to them.

Messages are JSON lines. Server to zygote: ``{"id": n, "data_dir": ..., "lang": ..., "env": {...}}`` with
one descriptor attached. Zygote to server: ``{"id": n, "pid": p}`` once forked, ``{"exited": p, "status":
s}`` when a tutor ends (the zygote is its parent and reaps it).
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import sys
from pathlib import Path
from typing import Any

# one BLAS thread per tutor: a class shares the server's cores (set before numpy is imported)
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


def _warm(lesson_dirs: list[Path]) -> Any:
    """Import what a tutor needs and load the lessons once; the catalogue every session shares."""
    import gdtutor.ui.screens.lesson
    import gdtutor.ui.screens.lessons
    import gdtutor.ui.widgets.lab
    import gdtutor.ui.widgets.quiz  # noqa: F401  (imported for the children)
    from gdtutor.lessons.load import load_catalog

    return load_catalog(lesson_dirs, run_checks=False)


def _child(terminal: int, request: dict[str, Any], catalog: Any, control: socket.socket) -> int:
    """In the forked child: take the terminal as a login does and run the tutor; its exit status."""
    import fcntl
    import termios

    control.close()
    for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    # the idle warning: ignored until the app shows it (its default would end the tutor)
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    os.setsid()
    fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(terminal, fd)
    if terminal > 2:
        os.close(terminal)
    # the size is the terminal's: a COLUMNS or LINES exported where the server started would fix the
    # tutor at that size, whatever the learner's window (Textual reads them first)
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    os.environ.update(request["env"])
    # sys.stdin, stdout and stderr wrap descriptors 0, 1 and 2, now the terminal: nothing to reopen
    from gdtutor.i18n import detect_language
    from gdtutor.ui.process import run_tutor

    app_lang = request["lang"]  # --lang of the server, or None: the learner's LANG, sent by the client
    lang = app_lang or detect_language()
    return run_tutor(lang, app_lang=app_lang, data_dir=Path(request["data_dir"]), catalog=catalog)


def serve(control: socket.socket, lesson_dirs: list[Path]) -> None:
    """Fork a tutor for each request on ``control`` until the server closes it."""
    catalog = _warm(lesson_dirs)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so that the wake-up byte is written
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c reaches the server, which stops the sessions
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ, "control")
    selector.register(wake_r, selectors.EVENT_READ, "child")
    pending = b""
    while True:
        for key, _ in selector.select():
            if key.data == "child":
                os.read(wake_r, 4096)
                _reap(control)
                continue
            data, fds, _, _ = socket.recv_fds(control, 65536, 4)
            if not data:  # the server is gone: its sessions' tutors get SIGHUP from their terminals
                return
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                terminal = fds.pop(0)
                pid = os.fork()
                if pid == 0:
                    status = 1
                    try:
                        signal.set_wakeup_fd(-1)
                        os.close(wake_r)
                        os.close(wake_w)
                        status = _child(terminal, request, catalog, control)
                    finally:
                        os._exit(status)
                os.close(terminal)
                _send(control, {"id": request["id"], "pid": pid})


def _reap(control: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _send(control, {"exited": pid, "status": os.waitstatus_to_exitcode(status)})


def _send(control: socket.socket, message: dict[str, Any]) -> None:
    control.sendall(json.dumps(message).encode() + b"\n")


def main() -> None:
    control = socket.socket(fileno=int(sys.argv[1]))
    serve(control, [Path(p) for p in sys.argv[2:]])


if __name__ == "__main__":
    main()
