"""The web server of ``gdtutor serve web``: aiohttp, with textual-serve's page script and font.

Every browser that opens the page gets a tutor of its own: its websocket has the zygote fork one
(:mod:`gdtutor.serve.zygote`, as the SSH server does) on three pipes, drawn by Textual's web driver,
and :class:`Session` speaks the driver's protocol between the tutor and the browser. The server is put
together here rather than with textual-serve's own ``Server``, whose choices fit one developer showing
an app more than a class:

- Progress. A web session has no login. Each browser is given a learner name, ``web-`` and 12 random
  hex digits, signed by the server, in a cookie, and its sessions keep their progress in
  ``<data folder>/learners/<name>`` (:func:`gdtutor.progress.learner_data_dir`): ``gdtutor class
  report`` lists it as a learner, a reload goes on where the learner was, two browsers never share a
  store, and a cookie the server did not sign is never used. A websocket without the cookie (not
  opened from the page) gets a tutor that keeps no progress.
- Tutors are forked in a process group of their own: a ctrl+c in the server's terminal reaches the
  server, which ends its sessions itself.
- Ending a session is bounded: a session that has not ended :data:`QUIT_SECONDS` after it was asked
  to quit is sent SIGTERM, then SIGKILL.
- The page (web_page.html) has addresses relative to itself, so that it works behind a reverse proxy
  (textual-serve writes ``ws://<the address it listens on>`` into it, which a browser elsewhere
  cannot reach from 0.0.0.0), its font from textual-serve's static folder instead of Google's
  servers, and the tutor's words in the learner's language.
- Sessions at once are limited (``--max-sessions``), keys by :class:`~gdtutor.serve.options.InputBudget`,
  and each tutor's memory and CPU time by :class:`~gdtutor.serve.options.TutorLimits`.
- The language of a session is ``--lang`` when given, else the browser's (Accept-Language), else the
  server's.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import html
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import string
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import textual_serve
from aiohttp import WSCloseCode, WSMsgType, web

from ..i18n import LANGUAGES, plural, t
from ..progress import LEARNERS_FOLDER, learner_data_dir
from .logbook import log, loop_errors
from .options import InputBudget, TutorLimits, idle_warning_seconds, watch_idle, whole_within, window_size
from .zygote import Tutors, ending

COOKIE = "gdtutor_learner"
COOKIE_DAYS = 365
LEARNER_NAME = re.compile(r"web-[0-9a-f]{12}")
"""A web learner's name, and the name of their folder: what the class report shows."""
SIGNED = re.compile(r"(web-[0-9a-f]{12})\.([0-9a-f]{32})")
"""The cookie: the learner's name and the server's signature of it. Only a name the server issued is
taken: whoever reads the class report (or a folder's name) cannot become that learner."""
SECRET_NAME = "web_secret"  # noqa: S105 - a file name, not a secret
"""The key the server signs names with, in the data folder: made on the first start, private to the
server's user, the same key ever after (as the SSH host key)."""

NEW_LEARNERS_PER_HOUR = 30
"""Names one address may be given in an hour: more pages from it get session-only tutors (a client
without cookies made 206 learner folders in 45 s)."""
MINTED_ADDRESSES = 10_000
"""Addresses whose new names are remembered before the ones of more than an hour ago are forgotten."""
SESSION_ONLY = ".sessions"
"""Under the data folder: the folders of tutors that keep no progress (a websocket without a name),
removed when they end; outside ``learners/``, so never in the class report."""

QUIT_SECONDS = 5.0
"""How long a session asked to quit may take before it is sent SIGTERM (and as long again before SIGKILL)."""
SHUTDOWN_SECONDS = 3 * QUIT_SECONDS
"""How long the server waits for its sessions to end when it stops (they end within 2 * QUIT_SECONDS)."""
HEARTBEAT_SECONDS = 15.0
"""A browser that has gone without closing its websocket is noticed after about this long."""
MAX_PACKET = 4 * 1024 * 1024
"""The largest packet a tutor may send (a whole 500x200 screen in colour is about 1 MB), and the most
keys waiting for a tutor that does not read them."""
DESCRIPTORS_PER_SOCKET = 8
"""Descriptors counted for each websocket when the open-file limit bounds how many are held: its socket,
its tutor's three pipes, and room for the page and static files served meanwhile."""
MAX_SAID = 2000
"""Bytes of a tutor's standard error kept for the log."""
MAX_MESSAGE = 16 * 1024
"""The largest message a browser may send: a key, a size, a paste of what a person could mean (the
input is bounded again by :class:`~gdtutor.serve.options.InputBudget`). A larger one closes the session."""

STATIC = Path(textual_serve.__file__).parent / "static"
PAGE = string.Template(resources.files(__package__).joinpath("web_page.html").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class WebConfig:
    """What ``gdtutor serve web`` was asked for."""

    host: str
    port: int
    class_dir: Path
    """The data folder: each learner's progress in ``learners/<name>`` under it."""
    lang: str | None
    """``--lang``: every session's language, or None for each browser's own."""
    server_lang: str
    """The server's language (its messages, and sessions whose browser names none gdtutor has)."""
    lesson_dirs: list[Path] = field(default_factory=list)
    max_sessions: int = 30
    idle_timeout: int = 1800
    origins: tuple[str, ...] = ()
    """Pages of other addresses that may open tutors (a proxy's); the server's own always may."""
    limits: TutorLimits = field(default_factory=TutorLimits)
    tutor_env: dict[str, str] = field(default_factory=dict)
    """What every tutor is given besides its session's (:meth:`~gdtutor.serve.options.ServeOptions.tutor_env`)."""


def secret(class_dir: Path) -> bytes:
    """The server's signing key, made (private to this user) on the first start."""
    path = class_dir / SECRET_NAME
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(32)
    class_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key.hex() + "\n")
    return key


def signature(key: bytes, name: str) -> str:
    return hmac.new(key, name.encode(), hashlib.sha256).hexdigest()[:32]


def new_learner() -> str:
    return f"web-{secrets.token_hex(6)}"


def browser_language(header: str) -> str | None:
    """The language of gdtutor's that an Accept-Language header prefers (``zh-CN,zh;q=0.9,en;q=0.8``)."""
    ranked = []
    for order, part in enumerate(header.split(",")):
        tag, *params = part.strip().split(";")
        quality = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in LANGUAGES and quality > 0:
            ranked.append((-quality, order, language))
    return min(ranked)[2] if ranked else None


class Session:
    """One browser's tutor: a process forked by the zygote on three pipes (:class:`~gdtutor.serve.zygote.Tutors`),
    and the protocol of Textual's web driver spoken over them.

    To the tutor (its standard input): packets of a type byte, a 4-byte big-endian length and the
    payload: ``D`` the keys, ``M`` JSON meta (``resize``, ``focus``, ``blur``, ``quit``). From it
    (standard output): ``__GANGLION__`` on a line once it draws, then packets: ``D`` the screen, relayed
    to the browser as it comes, ``M`` meta (``exit`` when the app has ended), ``P`` file deliveries,
    which a tutor never makes. Its standard error is kept (a little) for the log.
    """

    def __init__(
        self,
        learner: str,
        lang: str,
        tutors: Tutors,
        send: Callable[[bytes], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
    ) -> None:
        self.learner = learner
        self.lang = lang
        self.tutors = tutors
        self.send = send
        self.close = close
        self.pid = 0
        self.status: asyncio.Future[int] | None = None
        self.farewell = ""
        self.last_input = time.monotonic()
        self.budget = InputBudget()
        self.stdin: asyncio.WriteTransport | None = None
        self.relay: asyncio.Task[None] | None = None
        self.said = bytearray()
        """The start of what the tutor wrote on its standard error (at most :data:`MAX_SAID` bytes)."""

    @property
    def running(self) -> bool:
        """Starting or running: its process has not ended."""
        return self.status is None or not self.status.done()

    async def start(self, folder: Path, lang: str, width: int, height: int, idle_warning: int) -> None:
        """Fork the tutor and start relaying its screen; raises (having closed every pipe) if it cannot."""
        loop = asyncio.get_running_loop()
        self.status = loop.create_future()
        env = {
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "TERM_PROGRAM": "textual",
            "COLUMNS": str(width),
            "ROWS": str(height),
            "GDTUTOR_IDLE_WARNING": str(idle_warning),
        }
        ours: list[int] = []
        try:
            stdin_r, stdin_w = os.pipe()
            ours.append(stdin_w)
            stdout_r, stdout_w = os.pipe()
            ours.append(stdout_r)
            stderr_r, stderr_w = os.pipe()
            ours.append(stderr_r)
            theirs = [stdin_r, stdout_w, stderr_w]  # closed by spawn, whatever happens
            self.pid = await self.tutors.spawn("pipes", theirs, folder, lang, env, self._ended)
            self.stdin, _ = await loop.connect_write_pipe(asyncio.Protocol, os.fdopen(stdin_w, "wb", 0))
            ours.remove(stdin_w)
            screen = asyncio.StreamReader(limit=MAX_PACKET, loop=loop)
            await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(screen), os.fdopen(stdout_r, "rb", 0))
            ours.remove(stdout_r)
            said = asyncio.StreamReader(loop=loop)
            await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(said), os.fdopen(stderr_r, "rb", 0))
            ours.remove(stderr_r)
        except BaseException:
            for fd in ours:
                os.close(fd)
            if self.stdin is not None:
                self.stdin.close()
            raise
        self.relay = asyncio.ensure_future(self._relay(screen, said))

    def _ended(self, status: int) -> None:
        assert self.status is not None
        if not self.status.done():
            self.status.set_result(status)

    async def _relay(self, screen: asyncio.StreamReader, said: asyncio.StreamReader) -> None:
        """The tutor's screen to the browser until its output ends; then why, if the server ended it."""
        keep = asyncio.ensure_future(self._keep_said(said))
        try:
            for _ in range(10):  # what a tutor prints before it draws (nothing, unless it fails)
                line = await screen.readline()
                if not line or line == b"__GANGLION__\n":
                    break
            while True:
                head = await screen.readexactly(5)
                size = int.from_bytes(head[1:], "big")
                if size > MAX_PACKET:
                    log.info("closed web session %s: a packet of %d bytes from its tutor", self.learner, size)
                    break
                payload = await screen.readexactly(size)
                if head[:1] == b"D":
                    # a browser that has gone must not stop the output being read: the app could block
                    with contextlib.suppress(ConnectionError, RuntimeError):
                        await self.send(payload)
        except (asyncio.IncompleteReadError, ValueError, ConnectionError):
            pass  # the output ended (the tutor has ended), or it was not the protocol
        finally:
            keep.cancel()
        assert self.status is not None
        with contextlib.suppress(TimeoutError):  # the process ends with its output
            await asyncio.wait_for(asyncio.shield(self.status), QUIT_SECONDS)
        wrong = ending(self.status.result(), self.lang, self.tutors.limits) if self.status.done() else None
        if wrong is not None:
            log.info("ended web session %s: %s", self.learner, wrong[0])
            self.farewell = self.farewell or wrong[1]
        # the browser shows the app's last screen, then why the server ended it, then "Session ended"
        with contextlib.suppress(ConnectionError, RuntimeError):
            if self.farewell:
                await self.send(f"\r\n  {self.farewell}\r\n".encode())
            await self.close()

    async def _keep_said(self, said: asyncio.StreamReader) -> None:
        while data := await said.read(4096):
            self.said += data[: MAX_SAID - len(self.said)]

    def _packet(self, kind: bytes, payload: bytes) -> None:
        stdin = self.stdin
        if stdin is None or stdin.is_closing():
            return
        if stdin.get_write_buffer_size() > MAX_PACKET:  # the tutor reads none of it: it is not there
            return
        stdin.write(kind + len(payload).to_bytes(4, "big") + payload)

    def keys(self, data: bytes) -> None:
        self._packet(b"D", data)

    def meta(self, **data: object) -> None:
        self._packet(b"M", json.dumps(data).encode())

    async def stop(self) -> None:
        """Ask the app to quit and wait until its process has ended: SIGTERM to its process group after
        :data:`QUIT_SECONDS`, SIGKILL after as long again; then the relay, which ends with its output."""
        status = self.status
        if status is None:
            return
        if self.pid and not status.done():
            self.meta(type="quit")
            for signum in (None, signal.SIGTERM, signal.SIGKILL):
                if signum is not None:
                    self.tutors.signal(self.pid, signum)
                try:
                    await asyncio.wait_for(asyncio.shield(status), None if signum == signal.SIGKILL else QUIT_SECONDS)
                    break
                except TimeoutError:
                    continue
        if self.stdin is not None:
            self.stdin.close()
        if self.relay is not None:
            with contextlib.suppress(TimeoutError):  # its output ends with it; bounded all the same
                await asyncio.wait_for(asyncio.shield(self.relay), QUIT_SECONDS)
            self.relay.cancel()
        if self.said:
            log.info("tutor of web session %s said: %r", self.learner, bytes(self.said).decode("utf-8", "replace"))


class WebServer:
    """The aiohttp application: the page, its static files, and a session per websocket."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.key = secret(config.class_dir)
        self.minted: dict[str, list[float]] = {}
        self.sessions: set[Session] = set()
        self.sockets: set[web.WebSocketResponse] = set()
        self.tutors = Tutors(config.lesson_dirs, config.limits, config.tutor_env)
        self.most_sockets = max(8, resource.getrlimit(resource.RLIMIT_NOFILE)[0] // DESCRIPTORS_PER_SOCKET)
        """Websockets held at once: each holds its socket and, with a tutor, three pipes; past this the
        server would run out of descriptors and refuse everyone (with 48, it spun on accept)."""
        self.app = web.Application()
        self.app.add_routes(
            [
                web.get("/", self.page),
                web.get("/ws", self.socket),
                web.static("/static", STATIC),
            ]
        )
        self.app.on_shutdown.append(self._close_sockets)

    def language(self, request: web.Request) -> str:
        return (
            self.config.lang or browser_language(request.headers.get("Accept-Language", "")) or self.config.server_lang
        )

    def learner(self, request: web.Request) -> str | None:
        """The learner the request's cookie names, when the server issued it (its signature holds)."""
        signed = SIGNED.fullmatch(request.cookies.get(COOKIE, ""))
        if signed is None:
            return None
        name, mark = signed.groups()
        return name if hmac.compare_digest(mark, signature(self.key, name)) else None

    def mint(self, request: web.Request) -> str | None:
        """A new learner's name for the page's address, unless it has had :data:`NEW_LEARNERS_PER_HOUR`."""
        now = time.monotonic()
        address = request.remote or "?"
        if len(self.minted) > MINTED_ADDRESSES:  # many addresses (IPv6 has plenty): the hour's only
            self.minted = {a: times for a, times in self.minted.items() if now - times[-1] < 3600}
        recent = [at for at in self.minted.get(address, []) if now - at < 3600]
        if len(recent) >= NEW_LEARNERS_PER_HOUR:
            log.info("no new learner for %s: %d given this hour", address, len(recent))
            self.minted[address] = recent
            return None
        self.minted[address] = [*recent, now]
        return new_learner()

    def allowed_origin(self, request: web.Request) -> bool:
        """Whether the websocket was opened by the tutor's own page: its Origin is the address the
        request came to (``Host``), or one of ``--origin`` (a proxy's public address)."""
        origin = request.headers.get("Origin", "")
        own = {f"{scheme}://{request.host}" for scheme in ("http", "https")}
        return origin in own or origin in self.config.origins

    async def page(self, request: web.Request) -> web.Response:
        lang = self.language(request)
        learner = self.learner(request) or self.mint(request)
        words = {
            "lang": lang,
            "title": t("app_title", lang),
            "session_ended": t("web_session_ended", lang),
            "restart": t("web_restart", lang),
            "font_size": str(whole_within(request.query.get("fontsize"), 16, 64)),
        }
        text = PAGE.substitute({key: html.escape(value) for key, value in words.items()})
        response = web.Response(text=text, content_type="text/html", headers={"Cache-Control": "no-store"})
        https = request.secure or request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip() == "https"
        if learner is not None:
            # Lax: sent when the learner follows a link to the tutor, not with another site's requests
            value = f"{learner}.{signature(self.key, learner)}"
            response.set_cookie(
                COOKIE, value, max_age=COOKIE_DAYS * 86400, httponly=True, samesite="Lax", secure=https or None
            )
        return response

    async def socket(self, request: web.Request) -> web.StreamResponse:
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS, max_msg_size=MAX_MESSAGE)
        if not websocket.can_prepare(request).ok:
            raise web.HTTPBadRequest(text="a websocket, opened by the tutor's page")
        if len(self.sockets) >= self.most_sockets:
            log.info(
                "refused a websocket from %s: %d open, the most this server's descriptors allow",
                request.remote,
                len(self.sockets),
            )
            raise web.HTTPServiceUnavailable(text="too many tutors open on this server; try again in a moment")
        if not self.allowed_origin(request):
            log.info("refused a websocket from %s: origin %r", request.remote, request.headers.get("Origin", "")[:80])
            raise web.HTTPForbidden(text="a websocket, opened by the tutor's page")
        width, height = window_size(request.query.get("width"), request.query.get("height"))
        lang = self.language(request)
        learner = self.learner(request)
        if learner is not None:
            folder = learner_data_dir(self.config.class_dir, learner)
        else:  # no name: a tutor that keeps no progress
            folder = self.config.class_dir / SESSION_ONLY / secrets.token_hex(8)
        await websocket.prepare(request)
        self.sockets.add(websocket)
        try:
            if self.running() >= self.config.max_sessions:
                # said in the browser's terminal, which stays open (a closed one hides what it shows)
                text = t("web_full", lang, count=self.config.max_sessions)
                await websocket.send_bytes(f"\x1b[2J\x1b[H\r\n  {text}\r\n".encode())
                async for _ in websocket:
                    pass
                return websocket

            async def close() -> None:
                await websocket.close()

            session = Session(learner or "session-only", lang, self.tutors, websocket.send_bytes, close)
            self.sessions.add(session)
            idle: asyncio.Future[None] | None = None
            try:
                warning = idle_warning_seconds(self.config.idle_timeout)
                try:
                    await session.start(folder, lang, width, height, warning)
                except (OSError, RuntimeError) as exc:  # no descriptors left, the zygote gone meanwhile
                    log.warning("no tutor for web session %s: %s", session.learner, repr(exc)[:200])
                    with contextlib.suppress(ConnectionError, RuntimeError):
                        await websocket.send_bytes(f"\r\n  {t('serve_no_tutor', lang)}\r\n".encode())
                    return websocket
                session.last_input = time.monotonic()  # idle from when the tutor is there
                idle = asyncio.ensure_future(self._watch_idle(session, lang))
                await self._messages(websocket, session)
            finally:
                if idle is not None:
                    idle.cancel()
                try:
                    await session.stop()
                finally:
                    self.sessions.discard(session)
                    if learner is None:
                        shutil.rmtree(folder, ignore_errors=True)
        finally:
            self.sockets.discard(websocket)
            await websocket.close()
        return websocket

    async def _messages(self, websocket: web.WebSocketResponse, session: Session) -> None:
        """What the browser sends (textual.js): keys, sizes, focus and pings. A message that is none of
        them (not JSON, nested 200,000 deep, larger than :data:`MAX_MESSAGE`) ends the session, with a
        line in the log."""
        async for message in websocket:
            if message.type == WSMsgType.ERROR:  # too large, or not websocket at all
                log.info("closed web session %s: %s", session.learner, repr(websocket.exception())[:120])
                return
            if message.type != WSMsgType.TEXT:
                continue
            try:
                packet, data = json.loads(message.data)[:2]
            except (ValueError, TypeError, KeyError, RecursionError) as exc:
                log.info("closed web session %s: not a message of the page (%s)", session.learner, type(exc).__name__)
                return
            if packet == "stdin" and isinstance(data, str):
                session.last_input = time.monotonic()
                allowed = session.budget.take(data.encode("utf-8", "replace"), one_message=True)
                if session.budget.first_cut:
                    log.info("input cut web session %s: more than a person types", session.learner)
                if allowed:
                    session.keys(allowed)
            elif packet == "resize" and isinstance(data, dict):
                width, height = window_size(data.get("width"), data.get("height"))
                session.meta(type="resize", width=width, height=height)
            elif packet == "ping":
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await websocket.send_json(["pong", data])
            elif packet in ("blur", "focus"):
                session.meta(type=packet)

    async def _watch_idle(self, session: Session, lang: str) -> None:
        """A session without a key for ``--idle-timeout`` seconds is closed, after a warning in the
        tutor (SIGUSR1, as over SSH): three tabs left open held three seats."""
        timeout = self.config.idle_timeout

        async def close(idle: int) -> None:
            log.info("idle web session %s: closed after %d s without a key", session.learner, idle)
            session.farewell = t("serve_idle_closed", lang, minutes=max(1, timeout // 60))
            with contextlib.suppress(Exception):
                await session.stop()

        await watch_idle(
            lambda: session.last_input, timeout, lambda: self.tutors.signal(session.pid, signal.SIGUSR1), close
        )

    async def _close_sockets(self, app: web.Application) -> None:
        """When the server stops: every browser's websocket is closed, so that its session ends."""
        await asyncio.gather(
            *(ws.close(code=WSCloseCode.GOING_AWAY) for ws in list(self.sockets)), return_exceptions=True
        )

    def running(self) -> int:
        """Sessions starting or running (one whose process has ended may still be closing its socket)."""
        return sum(1 for session in self.sessions if session.running)

    def kill_all(self) -> None:
        """Asked to stop a second time: end every session at once."""
        for session in list(self.sessions):
            self.tutors.signal(session.pid, signal.SIGKILL)


def say(text: str) -> None:
    """One line of the server's on stderr (where its messages go: stdout may be a closed pipe)."""
    with contextlib.suppress(OSError, ValueError):
        print(f"gdtutor serve web: {text}", file=sys.stderr, flush=True)


def address(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def run(config: WebConfig) -> int:
    """Serve until SIGINT (ctrl+c), SIGTERM or SIGHUP: 0; 1 when the address cannot be listened on."""
    return asyncio.run(_serve(config))


async def _serve(config: WebConfig) -> int:
    server = WebServer(config)
    stop = asyncio.Event()

    def on_signal() -> None:
        if stop.is_set():
            server.kill_all()
        stop.set()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, on_signal)
    loop.set_exception_handler(loop_errors)  # out of descriptors, say: a line, never a traceback
    runner = web.AppRunner(server.app, handle_signals=False, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
    await runner.setup()
    server.tutors.start()
    lang = config.server_lang
    try:
        try:
            await web.TCPSite(runner, config.host, config.port).start()
        except OSError as exc:
            if isinstance(exc, socket.gaierror) or exc.errno is None:
                reason = exc.strerror or str(exc)
            else:
                reason = os.strerror(exc.errno)
            say(t("web_cannot_listen", lang, host=config.host, port=config.port, reason=reason))
            return 1
        folder = config.class_dir / LEARNERS_FOLDER
        say(t("web_listening", lang, url=address(config.host, config.port), folder=folder))
        await stop.wait()
        count = server.running()
    finally:
        await runner.cleanup()
        await server.tutors.stop()
    say(plural("web_stopped", lang, count, count=count))
    return 0
