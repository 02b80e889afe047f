"""How both servers start a tutor: forked from a warm process (``python -m gdtutor.serve.zygote``).

A tutor started from scratch spends about 0.25 s of CPU importing Textual, numpy and the screens, and more
reading the lessons; thirty learners logging in at once would queue for seconds on a 2-core server. A
server starts this process once (:class:`Tutors`): it imports everything and loads the lessons, then
waits on a Unix socket. For each session the server sends what the tutor talks through and what it
needs (login folder, language, environment, limits); the zygote forks, and the child:

- over SSH (``"how": "terminal"``, one descriptor: the pseudo-terminal's other end) makes the terminal
  its controlling terminal, as a login does, and runs the app on it;
- on the web (``"how": "pipes"``, three descriptors: standard input, output and error) runs the app
  with Textual's web driver, which reads keys and sizes from standard input and writes the screen to
  standard output in packets (:mod:`gdtutor.serve.webserver` speaks that protocol);

both after the same steps, in :func:`_child`: the signals of a fresh process, a session of its own,
the learner's environment, and the resource limits (:class:`~gdtutor.serve.options.TutorLimits`).
Forked children share the imported code and the lessons with the zygote until they write to them.

Messages are JSON lines. Server to zygote: ``{"id": n, "how": ..., "data_dir": ..., "lang": ...,
"env": {...}, "limits": [MiB, seconds]}`` with its descriptors attached. Zygote to server:
``{"id": n, "pid": p}`` once forked, ``{"exited": p, "status": s}`` when a tutor ends (the zygote is
its parent and reaps it; ``s`` is negative for a signal).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import gc
import json
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from .options import TutorLimits

# one BLAS thread per tutor: a class shares the server's cores (set before numpy is imported)
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

log = logging.getLogger("gdtutor.serve")

How = Literal["terminal", "pipes"]
DESCRIPTORS: dict[str, int] = {"terminal": 1, "pipes": 3}
"""How many descriptors come with a request of each kind."""

KILL_AFTER = 5.0
"""Seconds a tutor has to end after its hang-up (or the server's stop) before it is killed."""

SERVED = {"GDTUTOR_CHART_INTERVAL": "1", "GDTUTOR_TICK_INTERVAL": "0.25"}
"""What every served tutor's environment holds: a lab's charts drawn every second and its status every
quarter of a second (0.5 s and 1/8 s on a learner's own machine), as drawing is most of an animating
tutor's CPU and a class shares the server (gdtutor.ui.widgets.lab says what was measured;
benchmarks/serve_bench.py: the class's figures)."""

PARENT_CHECK_SECONDS = 0.5
"""How often a tutor on pipes looks whether the zygote is still there (see :func:`_end_with_parent`)."""


# --- the server's side ----------------------------------------------------------------------------------


class Tutors:
    """The zygote process and the tutors it forked: start one, hear when one ends."""

    def __init__(
        self, lesson_dirs: list[Path], limits: TutorLimits | None = None, env: dict[str, str] | None = None
    ) -> None:
        self._lesson_dirs = lesson_dirs
        self.limits = limits or TutorLimits()
        self.env = env or {}
        """What every tutor's environment holds besides its session's (the server's race turns)."""
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self._buffer = b""
        self._next_id = 0
        self._started: dict[int, asyncio.Future[int]] = {}
        self._ended: dict[int, Callable[[int], None]] = {}
        self.alive: set[int] = set()

    def start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._process = subprocess.Popen(  # noqa: S603 - this interpreter, our module
            [sys.executable, "-m", "gdtutor.serve.zygote", str(theirs.fileno()), *map(str, self._lesson_dirs)],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        ours.setblocking(False)
        self._control = ours
        asyncio.get_running_loop().add_reader(ours.fileno(), self._read)

    async def spawn(
        self,
        how: How,
        fds: list[int],
        data_dir: Path,
        lang: str | None,
        env: dict[str, str],
        ended: Callable[[int], None],
    ) -> int:
        """Start a tutor talking through ``fds`` (a pty's slave side, or the ends of three pipes; all
        closed here once sent, whatever happens); its pid. RuntimeError if the zygote ended meanwhile."""
        try:
            if self._control is None or (self._process is not None and self._process.poll() is not None):
                if self._control is not None:
                    self._lost()
                log.warning("the tutors' process had ended: started again")
                self.start()
            assert self._control is not None
            assert len(fds) == DESCRIPTORS[how]
            request = self.request(how, data_dir, lang, env)
            future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
            self._started[request["id"]] = future
            socket.send_fds(self._control, [json.dumps(request).encode() + b"\n"], fds)
        finally:
            for fd in fds:
                os.close(fd)
        pid = await future
        self.alive.add(pid)
        self._ended[pid] = ended
        return pid

    def request(self, how: How, data_dir: Path, lang: str | None, env: dict[str, str]) -> dict[str, Any]:
        """The next request to the zygote: a tutor ``how``, for the learner whose folder is ``data_dir``,
        with the server's environment for every tutor and ``env``, the session's own, under the limits."""
        self._next_id += 1
        return {
            "id": self._next_id,
            "how": how,
            "data_dir": str(data_dir),
            "lang": lang,
            "env": {**self.env, **env},
            "limits": [self.limits.memory_mib, self.limits.cpu_seconds],
        }

    def _read(self) -> None:
        assert self._control is not None
        try:
            data = self._control.recv(65536)
        except BlockingIOError:
            return
        if not data:
            self._lost()
            return
        self._buffer += data
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            message = json.loads(line)
            if "pid" in message:
                self._started.pop(message["id"]).set_result(message["pid"])
            elif "exited" in message:
                pid = message["exited"]
                self.alive.discard(pid)
                callback = self._ended.pop(pid, None)
                if callback is not None:
                    callback(message["status"])

    def _lost(self) -> None:
        """The zygote has ended (killed, out of memory): its tutors are orphans nobody reports on. They
        get a hang-up and their sessions end; the next session starts a new zygote."""
        assert self._control is not None
        asyncio.get_running_loop().remove_reader(self._control.fileno())
        self._control.close()
        self._control = None
        self._buffer = b""
        log.error("the tutors' process has ended: %d sessions end", len(self.alive))
        for future in self._started.values():
            if not future.done():
                future.set_exception(RuntimeError("the tutors' process ended"))
        self._started.clear()
        for pid in list(self.alive):
            self.signal(pid, signal.SIGHUP)
            self.alive.discard(pid)
            callback = self._ended.pop(pid, None)
            if callback is not None:
                callback(-signal.SIGHUP)

    def signal(self, pid: int, signum: int) -> None:
        """Send ``signum`` to a live tutor: an ending signal to its process group (the app and whatever
        it started, such as lesson 8's race), any other (the idle warning) to the app alone."""
        if pid in self.alive:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if signum in (signal.SIGHUP, signal.SIGTERM, signal.SIGKILL):
                    os.killpg(pid, signum)
                else:
                    os.kill(pid, signum)

    async def stop(self) -> None:
        """End every tutor through its clean exit (SIGHUP), kill the ones that linger, then the zygote."""
        for pid in list(self.alive):
            self.signal(pid, signal.SIGHUP)
        deadline = time.monotonic() + KILL_AFTER
        while self.alive and time.monotonic() < deadline:
            await asyncio.sleep(0.05)  # the zygote reports each exit; polled here only to bound the wait
        for pid in list(self.alive):
            self.signal(pid, signal.SIGKILL)
        if self._control is not None:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self._control.fileno())
            self._control.close()
        if self._process is not None:
            try:
                self._process.wait(timeout=KILL_AFTER)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def ending(status: int, lang: str, limits: TutorLimits) -> tuple[str, str] | None:
    """What a tutor's exit status says went wrong: a reason for the log and a line for its learner; None
    for an end that is no one's fault (the learner quit, the server hung it up or stopped it)."""
    from ..i18n import t

    if status in (-signal.SIGXCPU, 128 + signal.SIGXCPU):
        return "its tutor used its CPU time", t("serve_cpu_limit", lang, minutes=limits.cpu_seconds // 60)
    if status == 1:  # the app's crash report (a MemoryError past --tutor-memory ends a tutor so)
        return "its tutor stopped with an error (crash.log in the learner's folder)", t("serve_tutor_failed", lang)
    if status < 0 and -status not in (signal.SIGHUP, signal.SIGTERM):
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        return f"its tutor was ended by {name}", t("serve_tutor_failed", lang)
    return None


# --- the zygote's side ------------------------------------------------------------------------------------


def _warm(lesson_dirs: list[Path]) -> Any:
    """Import what a tutor needs and load the lessons once; the catalogue every session shares."""
    import textual.drivers.web_driver  # noqa: F401  (imported for the children)

    import gdtutor.ui.screens.lesson
    import gdtutor.ui.screens.lessons
    import gdtutor.ui.widgets.lab
    import gdtutor.ui.widgets.quiz  # noqa: F401
    from gdtutor.lessons.load import load_catalog

    catalog = load_catalog(lesson_dirs, run_checks=False)
    _rehearse(catalog)
    # what every child shares stays out of the collector's sweeps, which would write to (and so copy)
    # the pages that hold it; each child collects its own objects from its first frame (settle_memory)
    gc.collect()
    gc.freeze()
    return catalog


def _rehearse(catalog: Any) -> None:
    """Start a tutor once, headless, to its first frame and out, in a folder that is then removed: what
    every tutor's start computes the same way (the parsed styles, Textual's and Rich's caches) is
    computed here, once, for every child."""
    import asyncio
    import tempfile

    from gdtutor.ui import make_app

    async def leave(pilot: Any) -> None:
        await pilot.pause()
        pilot.app.exit()

    with tempfile.TemporaryDirectory(prefix="gdtutor-warm-") as folder:
        app = make_app(lang="en", data_dir=Path(folder), catalog=catalog)
        app.run(headless=True, size=(80, 24), auto_pilot=leave)
    asyncio.set_event_loop(None)


def _child(fds: list[int], request: dict[str, Any], catalog: Any, control: socket.socket) -> int:
    """In the forked child: take the terminal (or the pipes), the learner's environment and the limits,
    and run the tutor; its exit status."""
    control.close()
    for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    # the idle warning: ignored until the app shows it (its default would end the tutor)
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    os.setsid()  # a process group of its own: the server signals the tutor and whatever it started
    web = request["how"] == "pipes"
    if not web:
        import fcntl
        import termios

        fcntl.ioctl(fds[0], termios.TIOCSCTTY, 0)
        fds = fds * 3
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in set(fds):
        if fd > 2:
            os.close(fd)
    # the size is the terminal's (or the browser's, sent in the environment): a COLUMNS or LINES
    # exported where the server started would fix the tutor at that size (Textual reads them first)
    for name in ("COLUMNS", "LINES", "ROWS"):
        os.environ.pop(name, None)
    os.environ.update(SERVED)
    os.environ.update(request["env"])
    memory, cpu = request["limits"]
    TutorLimits(memory, cpu).apply()
    if web:
        # its only link to the server is a pipe, which tells no one when the server is gone
        _end_with_parent(os.getppid())
    # sys.stdin, stdout and stderr wrap descriptors 0, 1 and 2, now the session's: nothing to reopen
    from gdtutor.i18n import detect_language
    from gdtutor.ui.process import run_tutor

    gc.disable()  # until the first frame, as gdtutor starts (gdtutor.ui.app.settle_memory)

    app_lang = request["lang"]  # --lang of the server or the browser's; None: the LANG the SSH client sent
    lang = app_lang or detect_language()
    return run_tutor(lang, app_lang=app_lang, data_dir=Path(request["data_dir"]), catalog=catalog, web=web)


def _end_with_parent(parent: int) -> None:
    """A thread that ends this tutor when its parent (the zygote, which ends with its server) is gone:
    SIGHUP first, which the app handles through its loop, then at once after :data:`KILL_AFTER`."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(KILL_AFTER)
        os._exit(128 + signal.SIGHUP)

    threading.Thread(target=watch, name="gdtutor-parent-watch", daemon=True).start()


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
    received: collections.deque[int] = collections.deque()  # descriptors, in the order they came
    while True:
        for key, _ in selector.select():
            if key.data == "child":
                os.read(wake_r, 4096)
                _reap(control)
                continue
            data, fds, _, _ = socket.recv_fds(control, 65536, 16)
            if not data:  # the server is gone: its terminals hang up, its pipes' tutors see us go
                return
            received.extend(fds)
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                mine = [received.popleft() for _ in range(DESCRIPTORS[request["how"]])]
                pid = os.fork()
                if pid == 0:
                    status = 1
                    try:
                        signal.set_wakeup_fd(-1)
                        os.close(wake_r)
                        os.close(wake_w)
                        for fd in received:
                            os.close(fd)
                        status = _child(mine, request, catalog, control)
                    finally:
                        os._exit(status)
                for fd in mine:
                    os.close(fd)
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
