"""``gdtutor serve ssh``: an SSH server in which every connection gets a tutor of its own.

- Keys only: the keys of an OpenSSH ``authorized_keys`` file, each line naming its learner's login in
  the key's comment, read again whenever the file changes. The host key is made on the first start and
  kept in the data folder.
- The tutor and nothing else: a shell request starts the tutor in the pseudo-terminal the client asked
  for; a command gets a one-line refusal; port, agent and X11 forwarding, SFTP and SCP are refused.
- Each session's tutor runs in a pseudo-terminal of its own, with the client's TERM and size (resized
  with it), forked from a warm process (zygote.py) so that a class logging in at once is not kept waiting.
- Each learner's progress is in ``<data folder>/learners/<login>``; a login that is not a safe folder
  name is refused.
- Limits: ``--max-sessions`` at once (the next is told the class is full), idle sessions warned then
  closed, a dropped client's tutor ended (SIGHUP, as a terminal's hang-up; SIGKILL if it lingers), and
  stopping the server (SIGTERM, ctrl+c) ends every tutor through its clean exit, progress saved.
- One log line on stderr per connection, login, refusal and disconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import re
import resource
import signal
import struct
import sys
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

from ..i18n import detect_language, t
from ..progress import learner_data_dir
from .logbook import loop_errors, start_log
from .options import InputBudget, SshOptions, idle_warning_seconds, keep_private, watch_idle, window_size
from .zygote import KILL_AFTER, Tutors, ending

log = logging.getLogger("gdtutor.serve")

HOST_KEY_NAME = "ssh_host_ed25519_key"
"""The server's host key, in the data folder: made on the first start, the same key ever after."""

SAFE_LOGIN = re.compile(r"[a-z_][a-z0-9_.-]{0,31}\Z", re.IGNORECASE)
"""A login that is also a safe folder name: POSIX user names (letters, digits, '.', '_', '-'; no '/',
no leading '-' or '.', at most 32 characters)."""

CLIENT_ENV = ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "NO_COLOR", "COLORTERM")
"""What a client may pass to its tutor (OpenSSH clients send LANG and LC_* by default): the learner's
language and colours. Nothing else of the client's environment reaches the tutor."""

MAX_WAITING, MAX_WAITING_PER_ADDRESS = 128, 64
"""Connections not logged in yet that the server holds at once, in all and from one address (as
OpenSSH's MaxStartups): more are closed at once, so that idle connections cannot take the server's
descriptors from real learners. A classroom behind one address logs in at once (60 learners in the
login storm of benchmarks/serve_bench.py); a connection has LOGIN_SECONDS to log in."""

LOGIN_SECONDS = 30
"""How long a connection may take to log in (OpenSSH's LoginGraceTime)."""

CLOSE_UNUSED_AFTER = 5.0
"""Seconds a connection may stay open without a session once its last has ended (a client closes its
own at once; OpenSSH's ControlPersist would keep one open, able to start tutors, for hours)."""

RETRY_AFTER = 60
"""Seconds a learner turned away from a full class is told to wait before trying again."""


def safe_login(name: str) -> bool:
    return bool(SAFE_LOGIN.match(name)) and name not in (".", "..")


# --- one SSH session: a tutor on a pseudo-terminal, its bytes relayed ------------------------------------


@dataclass
class Class:
    """What every connection of one server shares."""

    data_dir: Path
    lang: str
    """The server's language, for its own lines."""
    app_lang: str | None
    """--lang when given; otherwise each tutor takes the learner's language from the LANG its client sent."""
    max_sessions: int
    idle_timeout: int
    keys: AuthorizedKeys
    tutors: Tutors
    max_per_learner: int = 2
    """Tutors one login may hold at once, over one connection or several (OpenSSH multiplexes sessions
    over one connection: one learner took every seat)."""
    sessions: set[TutorSession] = field(default_factory=set)
    waiting: dict[str, int] = field(default_factory=dict)
    """Connections not logged in yet, by the address they come from."""
    max_waiting: int = MAX_WAITING
    """At most this many waiting: :data:`MAX_WAITING`, or a quarter of the descriptors the process may open."""


def _window(master: int, cols: int, rows: int) -> None:
    # the kernel sends SIGWINCH to the terminal's foreground process group: the tutor redraws
    cols, rows = window_size(cols, rows)
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class TutorSession(asyncssh.SSHServerSession[bytes]):
    """A shell request gets the tutor; anything else a one-line refusal."""

    def __init__(self, klass: Class, connection: TutorServer) -> None:
        self.klass = klass
        self.connection = connection
        self.login = connection.login
        self.peer = connection.peer
        self.chan: Any = None
        self.term = "xterm-256color"
        self.size = (80, 24)
        self.pty = False
        self.command: str | None = None
        self.master = -1
        self.pid = 0
        self.reading = False
        self.last_key = time.monotonic()
        self.idle_task: asyncio.Task[None] | None = None
        self.start_task: asyncio.Future[None] | None = None
        self.pending = b""
        self.budget = InputBudget()
        self.closed = False
        self.farewell = ""

    # requests

    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any) -> bool:
        self.pty = True
        if term_type and term_type.isprintable() and len(term_type) <= 64:
            self.term = term_type
        if term_size[0] and term_size[1]:
            self.size = window_size(term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self.command = command  # refused with a line once the session starts: the client sees why
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        log.info("refused %s %s: subsystem %r", self.login, self.peer, subsystem[:80])
        return False

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal_name: str) -> None:
        pass  # a client's signal does not reach the tutor: keys do

    def _client_env(self) -> dict[str, str]:
        """What of the client's environment reaches the tutor (CLIENT_ENV), cut to safe values."""
        return {
            name: value[:100]
            for name, value in self.chan.get_environment().items()
            if name in CLIENT_ENV and isinstance(value, str) and value.isprintable()
        }

    def _lang(self) -> str:
        """The learner's language for the server's own lines: --lang, or the LANG the client sent."""
        if self.klass.app_lang:
            return self.klass.app_lang
        env = self._client_env() if self.chan is not None else {}
        said = any(env.get(name) for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"))
        return detect_language(env) if said else self.klass.lang  # the tutor falls back on the server's too

    def session_started(self) -> None:
        self.start_task = asyncio.ensure_future(self._start())

    def _refuse(self, key: str, status: int, **fields: Any) -> None:
        with contextlib.suppress(OSError):  # the client may have gone already: nobody to tell
            self.chan.write_stderr((f"gdtutor: {t(key, self._lang(), **fields)}\r\n").encode())
            self.chan.exit(status)

    async def _start(self) -> None:
        klass = self.klass
        for check in REFUSALS:
            refusal = check(self)
            if refusal is not None:
                log.info("refused %s %s: %s", self.login, self.peer, refusal.why)
                self._refuse(refusal.key, refusal.status, **refusal.fields)
                self.connection.ended(self)
                return
        klass.sessions.add(self)
        slave = -1
        try:  # whatever fails on the way, the terminal's two ends are closed and the seat given back
            self.master, slave = os.openpty()
            _window(self.master, *self.size)
            os.set_blocking(self.master, False)
            env = self._client_env()
            env.update(TERM=self.term, GDTUTOR_IDLE_WARNING=str(idle_warning_seconds(klass.idle_timeout)))
            folder = learner_data_dir(klass.data_dir, self.login)
            terminal, slave = slave, -1  # spawn closes it, whatever happens
            self.pid = await klass.tutors.spawn("terminal", [terminal], folder, klass.app_lang, env, self._tutor_ended)
        except Exception as exc:
            log.warning("no tutor for %s %s: %s", self.login, self.peer, repr(exc)[:200])
            if slave >= 0:
                os.close(slave)
            self._close_terminal()
            self._refuse("serve_no_tutor", 1)
            return
        if self.closed:  # the client left while the tutor was being started: as in connection_lost
            klass.tutors.signal(self.pid, signal.SIGHUP)
            asyncio.get_running_loop().call_later(KILL_AFTER, klass.tutors.signal, self.pid, signal.SIGKILL)
            return
        self._resume()
        self.last_key = time.monotonic()  # idle from when the tutor is there: a slow start is not the learner's
        self.idle_task = asyncio.ensure_future(self._watch_idle())

    # bytes both ways

    def data_received(self, data: bytes, datatype: Any) -> None:
        self.last_key = time.monotonic()
        if self.master < 0:
            return
        data = self.budget.take(data)
        if self.budget.first_cut:
            log.info("input cut %s %s: more than a person types", self.login, self.peer)
        self.pending += data
        self._flush_keys()

    def _flush_keys(self) -> None:
        loop = asyncio.get_running_loop()
        while self.pending:
            try:
                n = os.write(self.master, self.pending)
            except BlockingIOError:
                loop.add_writer(self.master, self._flush_keys)
                return
            except OSError:
                self.pending = b""
                return
            self.pending = self.pending[n:]
        with contextlib.suppress(Exception):
            loop.remove_writer(self.master)

    def _screen_ready(self) -> None:
        try:
            data = os.read(self.master, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: every copy of the terminal's other side is closed: the tutor has ended
            data = b""
        if not data:
            self._pause()
            return
        self.chan.write(data)

    def _pause(self) -> None:
        if self.reading:
            asyncio.get_running_loop().remove_reader(self.master)
            self.reading = False

    def _resume(self) -> None:
        if not self.reading and self.master >= 0 and not self.closed:
            asyncio.get_running_loop().add_reader(self.master, self._screen_ready)
            self.reading = True

    # a slow link: stop reading the tutor's screen until the client has taken what was sent; the tutor
    # then waits on its own writes, rather than the server buffering without bound
    def pause_writing(self) -> None:
        self._pause()

    def resume_writing(self) -> None:
        self._resume()

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.size = window_size(width, height)
        log.debug("resize %s %s: %dx%d", self.login, self.peer, width, height)
        if self.master >= 0:
            _window(self.master, width, height)

    async def _watch_idle(self) -> None:
        timeout = self.klass.idle_timeout

        async def close(idle: int) -> None:
            log.info("idle %s %s: closed after %d s without a key", self.login, self.peer, idle)
            # said once the tutor has left the alternate screen, so that it stays in the learner's shell
            self.farewell = t("serve_idle_closed", self._lang(), minutes=max(1, timeout // 60))
            self.klass.tutors.signal(self.pid, signal.SIGHUP)

        def warn() -> None:
            self.klass.tutors.signal(self.pid, signal.SIGUSR1)  # the tutor shows the warning

        await watch_idle(lambda: self.last_key, timeout, warn, close)

    # the end

    def _tutor_ended(self, status: int) -> None:
        if self.master >= 0:  # what the tutor wrote last (restoring the terminal) goes to the client
            while True:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    break
                if not data:
                    break
                with contextlib.suppress(Exception):
                    self.chan.write(data)
        self._close_terminal()
        wrong = ending(status, self._lang(), self.klass.tutors.limits)
        if wrong is not None:
            log.info("ended %s %s: %s", self.login, self.peer, wrong[0])
            self.farewell = self.farewell or wrong[1]
        with contextlib.suppress(Exception):
            if self.farewell:
                self.chan.write_stderr(f"gdtutor: {self.farewell}\r\n".encode())
            self.chan.exit(status if status >= 0 else 128 - status)

    def _close_terminal(self) -> None:
        self.klass.sessions.discard(self)
        self.connection.ended(self)
        if self.master >= 0:
            self._pause()
            loop = asyncio.get_running_loop()
            with contextlib.suppress(Exception):
                loop.remove_writer(self.master)
            os.close(self.master)
            self.master = -1
        if self.idle_task is not None:
            self.idle_task.cancel()

    def eof_received(self) -> bool:
        # the client's input ended (OpenSSH sends EOF at once when its stdin is not a terminal): the
        # channel stays open for what the server still has to say (a refusal, the tutor's last screen)
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        """The client left (or was closed): its tutor gets a hang-up, and is killed if it lingers."""
        self.closed = True
        pid = self.pid
        if pid and pid in self.klass.tutors.alive:
            self.klass.tutors.signal(pid, signal.SIGHUP)
            asyncio.get_running_loop().call_later(KILL_AFTER, self.klass.tutors.signal, pid, signal.SIGKILL)
        self._close_terminal()


# --- who may have a tutor: small checks, applied in order ---------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why a session gets no tutor: for the log (``why``, the client's strings quoted), and for the
    learner (the catalogue's ``key`` with ``fields``), with the exit status the client sees."""

    why: str
    key: str
    status: int
    fields: dict[str, Any] = field(default_factory=dict)


def no_command(session: TutorSession) -> Refusal | None:
    if session.command is None:
        return None
    return Refusal(f"command {session.command[:80]!r}", "serve_no_commands", 1)


def no_terminal(session: TutorSession) -> Refusal | None:
    return None if session.pty else Refusal("no terminal", "serve_needs_terminal", 2)


def key_removed(session: TutorSession) -> Refusal | None:
    """The key the connection logged in with has left the authorized keys since: the connection keeps
    no right to new tutors (with OpenSSH's ControlPersist it could outlive the removal by hours)."""
    return None if session.connection.still_allowed() else Refusal("the key was removed", "serve_key_removed", 1)


def class_full(session: TutorSession) -> Refusal | None:
    klass = session.klass
    if len(klass.sessions) < klass.max_sessions:
        return None
    n = len(klass.sessions)
    return Refusal(
        f"the class is full ({n} sessions)", "serve_full", 1, {"n": klass.max_sessions, "seconds": RETRY_AFTER}
    )


def learner_full(session: TutorSession) -> Refusal | None:
    klass = session.klass
    held = sum(1 for other in klass.sessions if other.login == session.login)
    if held < klass.max_per_learner:
        return None
    return Refusal(f"{held} tutors of this learner already", "serve_learner_full", 1, {"n": held})


REFUSALS = (no_command, no_terminal, key_removed, class_full, learner_full)
"""What a session is checked against before it gets a tutor, in this order: the first that refuses
says why (so a command is told it is not run even when the class is full)."""


# --- the connection: keys only, nothing forwarded ---------------------------------------------------------


KEY_LINE = re.compile(r"(?:^|\s)((?:ssh|ecdsa|sk)-\S+|ecdsa-sha2-\S+)\s+[A-Za-z0-9+/=]+(?:\s+(?P<comment>.*))?$")
"""A key's type, its base64 data and its comment, at the end of an authorized_keys line (after any options)."""


class AuthorizedKeys:
    """The class's keys: an OpenSSH authorized_keys file whose lines each name their learner in the key's
    comment (``ssh-ed25519 AAAA... ana``, or ``ana@laptop`` as ssh-keygen writes it: the part before '@').

    A key lets in only the login its line names, so that no learner can open another's progress. The file
    is read again when it changes, so that a teacher adds a student without a restart; a line without a
    usable login is left out, with a warning in the log. Of OpenSSH's options, ``from=`` is honoured; the
    others (``command=``, ``no-pty``, ...) have nothing to change here: the tutor is all a session runs.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int, int] | None = None
        self._keys: dict[str, list[asyncssh.SSHAuthorizedKeys]] | None = None
        self.refresh()

    def refresh(self) -> None:
        try:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
            if stamp == self._stamp:
                return
            self._keys = self._read(self.path.read_text(encoding="utf-8"))
            self._stamp = stamp
            log.info("keys read from %s: %d learners", self.path, len(self._keys))
        except (OSError, ValueError, asyncssh.KeyImportError) as exc:
            if self._keys is None:
                raise
            log.warning("keys not read again from %s (%s): the last ones stay", self.path, exc)

    def _read(self, text: str) -> dict[str, list[asyncssh.SSHAuthorizedKeys]]:
        keys: dict[str, list[asyncssh.SSHAuthorizedKeys]] = {}
        for number, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            match = KEY_LINE.search(line)
            login = (match.group("comment") or "").split("@")[0].strip() if match else ""
            if not safe_login(login):
                log.warning("%s:%d: no learner's login in the key's comment: line left out", self.path, number)
                continue
            try:
                keys.setdefault(login, []).append(asyncssh.import_authorized_keys(line))
            except (ValueError, asyncssh.KeyImportError) as exc:
                log.warning("%s:%d: %s: line left out", self.path, number, exc)
        return keys

    def allows(self, login: str, key: asyncssh.SSHKey, host: str, addr: str) -> bool:
        self.refresh()
        entries = (self._keys or {}).get(login, [])
        return any(entry.validate(key, host, addr) is not None for entry in entries)


class TutorServer(asyncssh.SSHServer):
    def __init__(self, klass: Class) -> None:
        self.klass = klass
        self.conn: Any = None
        self.peer = "?"
        self.login = ""
        self.started = time.monotonic()
        self.authenticated = False
        self.key: Any = None
        self.sessions: set[TutorSession] = set()
        self.gone = False
        self.counted = False
        self.turned_away = False
        self.host = "?"

    def _logged_in_or_gone(self) -> None:
        """No longer one of the connections waiting to log in."""
        if self.counted:
            self.counted = False
            left = self.klass.waiting.get(self.host, 1) - 1
            if left > 0:
                self.klass.waiting[self.host] = left
            else:
                self.klass.waiting.pop(self.host, None)

    def connection_made(self, conn: Any) -> None:
        self.conn = conn
        host, port = conn.get_extra_info("peername")[:2]
        self.peer = f"{host}:{port}"
        self.host = host
        waiting, most = self.klass.waiting, self.klass.max_waiting
        if sum(waiting.values()) >= most or waiting.get(host, 0) >= min(MAX_WAITING_PER_ADDRESS, most):
            log.info("refused %s: too many connections not logged in (%d)", self.peer, sum(waiting.values()))
            self.turned_away = True
            conn.abort()
            return
        waiting[host] = waiting.get(host, 0) + 1
        self.counted = True
        log.info("connect %s", self.peer)

    def begin_auth(self, username: str) -> bool:
        self.login = username
        if not safe_login(username):
            self.conn.send_auth_banner(f"gdtutor: {t('serve_bad_login', self.klass.lang, login=username[:40])}\r\n")
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def validate_public_key(self, username: str, key: Any) -> bool:
        if safe_login(username) and self.klass.keys.allows(username, key, self.host, self.host):
            self.key = key
            return True
        return False

    def still_allowed(self) -> bool:
        """Whether the key this connection logged in with is still an authorized key of its learner."""
        return self.key is not None and self.klass.keys.allows(self.login, self.key, self.host, self.host)

    def auth_completed(self) -> None:
        self._logged_in_or_gone()
        self.authenticated = True
        log.info("login %s %s", self.login, self.peer)

    def session_requested(self) -> Any:
        session = TutorSession(self.klass, self)
        self.sessions.add(session)
        return session

    def ended(self, session: TutorSession) -> None:
        """A session of this connection has ended (or was refused): with the last one, the connection
        closes too, so that an idle timeout or a removed key leaves no connection open to reuse."""
        if session not in self.sessions:
            return
        self.sessions.discard(session)
        if not self.sessions:
            # a client closes its connection itself once its last channel is closed: only one that
            # holds it open without a session (a multiplexing master) is closed by the server
            asyncio.get_running_loop().call_later(CLOSE_UNUSED_AFTER, self._close_if_unused)

    def _close_if_unused(self) -> None:
        if not self.sessions and self.conn is not None and not self.gone:
            log.info("closed %s %s: no session left", self.login, self.peer)
            self.conn.close()

    def connection_requested(self, *args: Any) -> bool:
        log.info("refused %s %s: port forwarding", self.login, self.peer)
        return False

    def server_requested(self, *args: Any) -> bool:
        log.info("refused %s %s: remote port forwarding", self.login, self.peer)
        return False

    def unix_connection_requested(self, *args: Any) -> bool:
        log.info("refused %s %s: socket forwarding", self.login, self.peer)
        return False

    def unix_server_requested(self, *args: Any) -> bool:
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._logged_in_or_gone()
        self.gone = True
        took = time.monotonic() - self.started
        if self.turned_away:
            return  # said when it was turned away
        if self.authenticated:
            log.info("disconnect %s %s after %.1f s", self.login, self.peer, took)
        else:
            why = "login name not allowed" if self.login and not safe_login(self.login) else "no authorized key"
            # a refused name is the client's own text: quoted, so that it cannot forge a line of the log
            shown = self.login if safe_login(self.login) else repr(self.login[:40])
            log.info("refused %s %s: %s (after %.1f s)", shown, self.peer, why, took)


# --- the command -----------------------------------------------------------------------------------------


def host_key(data_dir: Path) -> Any:
    """The host key in the data folder, made (private to this user) on the first start."""
    path = data_dir / HOST_KEY_NAME
    if path.exists():
        return asyncssh.read_private_key(str(path))
    key = asyncssh.generate_private_key("ssh-ed25519")
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.export_private_key())
    (data_dir / (HOST_KEY_NAME + ".pub")).write_bytes(key.export_public_key())
    log.info("host key made: %s", path)
    return key


async def _serve(options: SshOptions, lang: str, klass: Class, key: Any) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    stopped_by: list[int] = []

    def on_signal(signum: int) -> None:
        stopped_by.append(signum)
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(signum, on_signal, signum)
    loop.set_exception_handler(loop_errors)
    klass.tutors.start()
    try:
        server = await asyncssh.create_server(
            lambda: TutorServer(klass),
            options.host,
            options.port,
            server_host_keys=[key],
            encoding=None,
            line_editor=False,
            agent_forwarding=False,
            x11_forwarding=False,
            allow_scp=False,
            sftp_factory=None,
            keepalive_interval=30,
            keepalive_count_max=4,
            login_timeout=LOGIN_SECONDS,
        )
    except OSError as exc:
        await klass.tutors.stop()
        reason = exc.strerror or exc
        print(
            f"gdtutor: {t('serve_cannot_listen', lang, host=options.host, port=options.port, reason=reason)}",
            file=sys.stderr,
        )
        return 1
    ports = ", ".join(str(s.getsockname()[1]) for s in server.sockets)
    log.info("serving on %s port %s (%s); at most %d sessions", options.host, ports, klass.data_dir, klass.max_sessions)
    await stop.wait()
    log.info("stopping: %d sessions", len(klass.sessions))
    server.close()
    await klass.tutors.stop()
    for session in list(klass.sessions):
        with contextlib.suppress(Exception):
            session.chan.close()
    await server.wait_closed()
    log.info("stopped")
    return 0


def serve_ssh(options: SshOptions, lang: str) -> int:
    """Run the server until SIGTERM or ctrl+c; the exit status."""
    start_log()
    data_dir = options.data_dir
    try:
        keep_private(data_dir)
    except OSError as exc:
        print(f"gdtutor: {data_dir}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        keys = AuthorizedKeys(options.authorized_keys)
    except Exception as exc:
        print(
            f"gdtutor: --authorized-keys {options.authorized_keys}: {getattr(exc, 'strerror', None) or exc}",
            file=sys.stderr,
        )
        return 2
    try:
        key = host_key(data_dir)
    except (OSError, ValueError) as exc:
        print(f"gdtutor: {data_dir / HOST_KEY_NAME}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 2
    klass = Class(
        max_waiting=max(8, min(MAX_WAITING, resource.getrlimit(resource.RLIMIT_NOFILE)[0] // 4)),
        data_dir=data_dir,
        lang=lang,
        app_lang=options.app_lang,
        max_sessions=options.max_sessions,
        max_per_learner=options.max_per_learner,
        idle_timeout=options.idle_timeout,
        keys=keys,
        tutors=Tutors(list(options.lessons), options.limits, options.tutor_env()),
    )
    return asyncio.run(_serve(options, lang, klass, key))
