"""``gdtutor serve web``: the tutor in a browser, through textual-serve.

The server runs as the real process (``python -m gdtutor serve web``) on a free port. A browser is
played by aiohttp's client, speaking textual-serve's protocol as its page's script (textual.js) does:
the terminal's size and the keys go as JSON text messages (``["resize", {...}]``, ``["stdin", "..."]``)
and the screen comes back as binary messages, the bytes a terminal would be sent. The last test
drives headless Chromium (slow, and skipped without it).

Every wait is for a condition, bounded by a deadline; none asserts how long anything took.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import aiohttp
import pytest
from support import ROOT
from support.children import child_env, limits_of, tutors

from gdtutor.serve.options import whole_within as _cells
from gdtutor.serve.web import is_loopback
from gdtutor.serve.webserver import LEARNER_NAME, browser_language

DEADLINE = 90.0
"""Seconds any one condition is waited for (a busy two-core machine starts a Python process slowly)."""
LIST_TEXT = "Why gradient descent"
"""Lesson 1's title: once it is on the screen, the tutor is up."""
ANSI = re.compile(r"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def until(condition: Callable[[], object], what: str, timeout: float = DEADLINE) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    """Whether ``pid`` is still there (running, ending, or ended and not yet reaped)."""
    return Path(f"/proc/{pid}").exists()


def running(pid: int) -> bool:
    """Whether ``pid`` has not ended (an orphan that ended may wait for a reaper that never comes)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return re.search(r"^State:\s+[ZX]", status, re.M) is None


class Server:
    """``python -m gdtutor serve web`` on a free port, its output in files."""

    def __init__(self, tmp_path: Path, *argv: str, host: str = "127.0.0.1", files: int | None = None) -> None:
        self.port = free_port()
        self.host = host
        self.data = tmp_path / "class"
        self.url = f"http://127.0.0.1:{self.port}/"
        self.out: IO[str] = open(tmp_path / f"server-{self.port}.out", "w+", encoding="utf-8")
        self.err: IO[str] = open(tmp_path / f"server-{self.port}.err", "w+", encoding="utf-8")
        command = ["serve", "web", "--host", host, "--port", str(self.port), "--data-dir", str(self.data), *argv]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gdtutor", *command],
            stdin=subprocess.DEVNULL,
            stdout=self.out,
            stderr=self.err,
            env=child_env(),
            start_new_session=True,
            # at most ``files`` open files, soft and hard (the server raises its soft limit to the hard)
            preexec_fn=None if files is None else lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (files, files)),
        )

    def stderr(self) -> str:
        self.err.seek(0)
        return self.err.read()

    def stdout(self) -> str:
        self.out.seek(0)
        return self.out.read()

    def listening(self) -> bool:
        """Wait until the server says it listens (True) or ends (False: the port was taken meanwhile).

        Its own line, not a connection: another program given the same free port would answer too."""
        said = f"is at http://{self.host}:{self.port}/"
        until(lambda: said in self.stderr() or self.proc.poll() is not None, "the server to listen")
        if said in self.stderr():
            return True
        self.proc.wait()
        assert "in use" in self.stderr(), f"the server ended: {self.stderr()}"
        return False

    def sessions(self) -> list[int]:
        """The tutors: forked by the server's zygote, its child."""
        return tutors(self.proc.pid)

    def stop(self, signum: int = signal.SIGTERM) -> int:
        self.proc.send_signal(signum)
        return self.proc.wait(timeout=DEADLINE)

    def kill(self) -> None:
        """Whatever is left after a failed test: its sessions, then the server."""
        for pid in self.sessions():
            with_lookup_error(os.kill, pid, signal.SIGKILL)
        if self.proc.poll() is None:
            with_lookup_error(os.killpg, self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.out.close()
        self.err.close()


def with_lookup_error(call: Callable[..., None], *args: int) -> None:
    try:
        call(*args)
    except ProcessLookupError:
        pass


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start_server(*argv: str, host: str = "127.0.0.1", files: int | None = None) -> Server:
        for _ in range(5):  # a free port can be taken by another program before the server binds it
            server = Server(tmp_path, *argv, host=host, files=files)
            started.append(server)
            if server.listening():
                return server
        raise AssertionError("no free port stayed free")

    yield start_server
    for server in started:
        server.kill()


def client(**options: Any) -> aiohttp.ClientSession:
    """aiohttp's client, every request bounded by the deadline (its own default is five minutes)."""
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=DEADLINE), **options)


async def read_screen(ws: aiohttp.ClientWebSocketResponse, *texts: str, timeout: float = DEADLINE) -> str:
    """What the terminal was sent, without escape sequences, once one of ``texts`` is in it."""
    received = b""
    end = time.monotonic() + timeout
    while True:
        plain = ANSI.sub("", received.decode("utf-8", "replace"))
        if any(text in plain for text in texts):
            return plain
        left = end - time.monotonic()
        assert left > 0, f"timed out waiting for {texts!r} on the screen: {plain[-1500:]!r}"
        # a deadline around receive(): its own timeout starts again at each of the server's pings
        try:
            async with asyncio.timeout(left):
                message = await ws.receive()
        except TimeoutError:
            raise AssertionError(f"timed out waiting for {texts!r} on the screen: {plain[-1500:]!r}") from None
        if message.type == aiohttp.WSMsgType.BINARY:
            received += message.data
        elif message.type != aiohttp.WSMsgType.TEXT:
            raise AssertionError(f"the socket closed ({message.type}) before {texts!r}: {plain[-1500:]!r}")


async def closed(ws: aiohttp.ClientWebSocketResponse) -> None:
    """Close a websocket, within the deadline (closing reads until the server's reply)."""
    async with asyncio.timeout(DEADLINE):
        await ws.close()


async def open_session(http: aiohttp.ClientSession, server: Server) -> aiohttp.ClientWebSocketResponse:
    """A websocket as the page's script opens it, with the terminal's size; the lesson list is on it."""
    ws = await connect(http, server, "ws?width=100&height=30")
    await ws.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
    await read_screen(ws, LIST_TEXT)
    return ws


async def connect(
    http: aiohttp.ClientSession, server: Server, path: str = "ws", **options: Any
) -> aiohttp.ClientWebSocketResponse:
    """A websocket as the tutor's page opens it: from the page's own origin."""
    return await http.ws_connect(f"{server.url}{path}", origin=server.url.rstrip("/"), **options)


def name_of(cookie: str) -> str:
    """The learner's name in a cookie the server gave (the name, a dot, the server's signature)."""
    name, _, mark = cookie.partition(".")
    assert LEARNER_NAME.fullmatch(name) and re.fullmatch(r"[0-9a-f]{32}", mark), cookie
    return name


def learners(server: Server) -> set[str]:
    folder = server.data / "learners"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def assert_clean_exit(server: Server, status: int) -> None:
    assert status == 0, server.stderr()  # stopped as asked: a clean end
    for text in (server.stderr(), server.stdout()):
        assert "Traceback" not in text and "unexpected error" not in text, text
    assert not list(server.data.glob("learners/*/crash.log"))


# --- a browser ------------------------------------------------------------------------------------------


async def test_a_browser_gets_the_page_and_the_tutor_and_its_session_ends_with_the_socket(
    start: Callable[..., Server],
) -> None:
    server = start()
    async with client(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(server.url) as page:
            assert page.status == 200
            html = await page.text()
        # textual-serve's page: its terminal element and script, from its static folder
        assert 'class="textual-terminal"' in html and "static/js/textual.js" in html
        assert "googleapis" not in html, "the font is served from here"
        async with http.get(f"{server.url}static/js/textual.js") as script:
            assert script.status == 200 and "sessionWebsocketUrl" in await script.text()
        learner = name_of(page.cookies["gdtutor_learner"].value)

        ws = await open_session(http, server)
        sessions = server.sessions()
        assert len(sessions) == 1, "one tutor process, forked by the server's zygote"
        # a tab is not a learner until it learns: no folder while the learner only looks (one client
        # made 206 empty learner folders in 45 s)
        assert learners(server) == set()
        await ws.send_str(json.dumps(["stdin", "\r"]))  # the first lesson: progress to keep
        await read_screen(ws, "step 1 of")
        until(lambda: learners(server) == {learner}, "the learner's folder")
        assert (server.data / "learners" / learner / "progress.db").is_file()
        await closed(ws)
    until(lambda: not server.sessions(), "the session's process to end")
    assert not alive(sessions[0])
    assert_clean_exit(server, server.stop(signal.SIGTERM))
    err = server.stderr()
    assert "warning" not in err and "stopped" in err, err


async def test_each_browser_keeps_its_own_progress(start: Callable[..., Server]) -> None:
    server = start()
    jar_a, jar_b = aiohttp.CookieJar(unsafe=True), aiohttp.CookieJar(unsafe=True)
    async with client(cookie_jar=jar_a) as a, client(cookie_jar=jar_b) as b:
        for http in (a, b):
            async with http.get(server.url) as page:
                assert page.status == 200
        name_a = name_of(next(c.value for c in jar_a if c.key == "gdtutor_learner"))
        name_b = name_of(next(c.value for c in jar_b if c.key == "gdtutor_learner"))
        assert name_a != name_b
        for http in (a, a, b):  # a reload goes on in the same folder
            ws = await open_session(http, server)
            await ws.send_str(json.dumps(["stdin", "\r"]))
            await read_screen(ws, "step 1 of")
            await closed(ws)
        assert learners(server) == {name_a, name_b}

        # only a name the server signed is taken: one of the same form, signed by anyone else, and any
        # other value never name a folder; such a tutor keeps no progress, and its folder goes with it
        for forged in ("web-" + "0" * 12 + "." + "0" * 32, name_a, "../../elsewhere"):
            async with client(headers={"Cookie": f"gdtutor_learner={forged}"}) as stranger:
                ws = await open_session(stranger, server)
                await ws.send_str(json.dumps(["stdin", "\x1bOQ"]))  # f2: the tutor in Chinese
                await read_screen(ws, "为什么要用梯度下降")
                await closed(ws)
    until(lambda: not any((server.data / ".sessions").glob("*")), "the session-only folders to go")
    assert learners(server) == {name_a, name_b}
    assert not (server.data / "elsewhere").exists()
    until(lambda: not server.sessions(), "the sessions to end")
    assert_clean_exit(server, server.stop())


async def test_the_page_is_in_the_browsers_language(start: Callable[..., Server]) -> None:
    server = start()
    async with client(headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}) as http:
        async with http.get(server.url) as page:
            html = await page.text()
        assert '<html lang="zh">' in html and "梯度下降" in html
        ws = await connect(http, server, "ws?width=100&height=30")
        await read_screen(ws, "为什么要用梯度下降")
        await closed(ws)
    until(lambda: not server.sessions(), "the session to end")
    assert_clean_exit(server, server.stop())


async def test_a_browser_gone_at_once_is_no_crash(start: Callable[..., Server]) -> None:
    """A session asked to quit before its first frame waits for it (it used to end in a crash log)."""
    server = start()
    async with client() as http:
        for _ in range(3):
            ws = await connect(http, server)
            async with asyncio.timeout(DEADLINE):
                await ws.receive()  # the first bytes: the app has started, not drawn
            await closed(ws)
    until(lambda: not server.sessions(), "the sessions to end")
    assert_clean_exit(server, server.stop())


async def test_sessions_at_once_are_limited(start: Callable[..., Server]) -> None:
    server = start("--max-sessions", "1")
    async with client() as http:
        first = await open_session(http, server)
        second = await connect(http, server)
        await read_screen(second, "as many as it takes")
        assert len(server.sessions()) == 1
        await closed(second)
        await closed(first)
        until(lambda: not server.sessions(), "the session to end")
        third = await open_session(http, server)  # a place is free again
        await closed(third)
    until(lambda: not server.sessions(), "the session to end")
    assert_clean_exit(server, server.stop())


async def test_the_limit_holds_when_browsers_come_at_once(start: Callable[..., Server]) -> None:
    server = start("--max-sessions", "2")
    async with client() as http:
        sockets = await asyncio.gather(*(connect(http, server) for _ in range(5)))
        screens = await asyncio.gather(*(read_screen(ws, LIST_TEXT, "as many as it takes") for ws in sockets))
        assert sum(LIST_TEXT in screen for screen in screens) == 2
        assert len(server.sessions()) == 2
        await asyncio.gather(*(closed(ws) for ws in sockets))
    until(lambda: not server.sessions(), "the sessions to end")
    assert_clean_exit(server, server.stop())


# --- stopping -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
async def test_stopping_the_server_ends_its_sessions(start: Callable[..., Server], signum: int) -> None:
    server = start()
    async with client() as http:
        ws = await open_session(http, server)
        (session,) = server.sessions()
        status = await asyncio.to_thread(server.stop, signum)
        await closed(ws)
    assert_clean_exit(server, status)
    assert not alive(session)
    assert "1 session was ended" in server.stderr()


async def test_a_killed_server_leaves_no_session_behind(start: Callable[..., Server]) -> None:
    server = start()
    async with client() as http:
        ws = await open_session(http, server)
        (session,) = server.sessions()
        server.proc.kill()
        server.proc.wait(timeout=DEADLINE)
        await asyncio.to_thread(until, lambda: not running(session), "the session to notice")
        await closed(ws)


def test_listening_beyond_this_computer_warns_that_there_is_no_login(start: Callable[..., Server]) -> None:
    server = start(host="0.0.0.0")
    err = server.stderr()
    assert "0.0.0.0" in err and "no login" in err and "reverse proxy" in err and "HTTPS" in err, err
    assert_clean_exit(server, server.stop())


def test_a_port_in_use_is_one_line_and_status_1(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "gdtutor", "serve", "web", "--port", str(port), "--data-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            env=child_env(),
            timeout=DEADLINE,
        )
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"127.0.0.1:{port}" in done.stderr and "in use" in done.stderr


def test_without_textual_serve_it_says_what_to_install(tmp_path: Path) -> None:
    code = "import sys; sys.modules['textual_serve'] = None; from gdtutor.cli import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", code, "serve", "web", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=DEADLINE,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "pip install 'gdtutor[serve]'" in done.stderr, done.stderr


# --- its parts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("192.168.1.10", False),
        ("example.org", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9,zh;q=0.8", "en"),
        ("fr-FR, zh;q=0.5, en;q=0.7", "en"),
        ("de, fr", None),
        ("zh;q=0, en;q=0.1", "en"),
        ("zh;q=bad", None),
        ("", None),
    ],
)
def test_the_browsers_language(header: str, lang: str | None) -> None:
    assert browser_language(header) == lang


def test_terminal_sizes_from_a_browser_are_bounded() -> None:
    assert _cells("120", 80, 500) == 120
    assert _cells("100000", 80, 500) == 500
    assert _cells("-5", 80, 500) == 1
    assert _cells("wide", 80, 500) == 80
    assert _cells(None, 80, 500) == 80
    assert _cells(True, 80, 500) == 80
    assert _cells(3.5, 80, 500) == 80
    assert _cells(40, 80, 500) == 40


# --- in a real browser ----------------------------------------------------------------------------------

WEBSOCKET_TAP = r"""
(() => {
  // keeps what the page's websocket receives, as text, where the test can read it
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__screenText = "";
  function Tapped(url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    ws.addEventListener("message", (event) => {
      if (typeof event.data !== "string") {
        window.__screenText += decoder.decode(new Uint8Array(event.data), { stream: true });
      }
    });
    return ws;
  }
  Tapped.prototype = Native.prototype;
  Object.assign(Tapped, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Tapped;
})();
"""


class DevTools:
    """Headless Chromium, driven over its DevTools protocol."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        await self.ws.send_json({"id": number, "method": method, "params": params})
        while True:
            async with asyncio.timeout(DEADLINE):
                reply = await self.ws.receive_json()
            if reply.get("id") == number:
                assert "error" not in reply, reply
                return dict(reply["result"])

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        return (await self.call("Runtime.evaluate", expression=expression, returnByValue=True))["result"].get("value")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium (apt install chromium)")
async def test_the_tutor_in_headless_chromium(start: Callable[..., Server], tmp_path: Path) -> None:
    """The page in a real browser shows the lesson list: a screenshot, kept in docs/images/serve-web.png
    when GDTUTOR_SAVE_SCREENSHOT=1."""
    server = start()
    profile = tmp_path / "chromium"
    chromium = subprocess.Popen(
        [
            "chromium",
            "--headless",
            "--no-sandbox",  # as root, in a container
            "--enable-unsafe-swiftshader",  # WebGL in software, for the terminal's renderer
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "--window-size=1000,700",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        await asyncio.to_thread(until, lambda: port_file.is_file() and port_file.read_text().strip(), "Chromium")
        port = port_file.read_text().split()[0]
        async with client() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as listing:
                targets = await listing.json()
            page = next(target for target in targets if target["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                tools = DevTools(ws)
                size = {"width": 1000, "height": 700, "deviceScaleFactor": 1, "mobile": False}
                await tools.call("Emulation.setDeviceMetricsOverride", **size)
                await tools.call("Page.enable")
                await tools.call("Page.addScriptToEvaluateOnNewDocument", source=WEBSOCKET_TAP)
                await tools.call("Page.navigate", url=server.url)
                end = time.monotonic() + DEADLINE
                while True:
                    if LIST_TEXT in ANSI.sub("", await tools.evaluate("window.__screenText || ''")):
                        break
                    assert time.monotonic() < end, "the lesson list never reached the page"
                    await asyncio.sleep(0.1)
                # the terminal has been sent the list: wait until what it draws stops changing
                last, same = b"", 0
                while same < 3:
                    assert time.monotonic() < end, "the page kept changing"
                    shot = base64.b64decode((await tools.call("Page.captureScreenshot", format="png"))["data"])
                    same = same + 1 if shot == last else 1
                    last = shot
                    await asyncio.sleep(0.1)
                shown = await tools.evaluate("document.body.className")
                assert "-first-byte" in shown, "the terminal is shown, the intro gone"
    finally:
        os.killpg(chromium.pid, signal.SIGTERM)
        chromium.wait(timeout=DEADLINE)
    assert last.startswith(b"\x89PNG") and len(last) > 10_000
    keep = os.environ.get("GDTUTOR_SAVE_SCREENSHOT") == "1"
    path = (ROOT / "docs" / "images" if keep else tmp_path) / "serve-web.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(last)
    assert_clean_exit(server, server.stop())


# --- what one client must not be able to do (issue 21) ---------------------------------------------------


def log_says(server: Server, text: str) -> bool:
    return text in server.stderr()


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "null", None, "http://127.0.0.1:1"],
    ids=["another site", "null", "none", "another port"],
)
async def test_a_websocket_from_another_origin_gets_no_tutor(start: Callable[..., Server], origin: str | None) -> None:
    """A page of another site could open the tutor with the learner's cookie (the browser sends it)."""
    server = start()
    headers = {} if origin is None else {"Origin": origin}
    async with client(headers=headers) as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(f"{server.url}ws")
        assert refused.value.status == 403
    assert server.sessions() == []
    until(lambda: log_says(server, "refused a websocket from"), "the refusal in the log")
    assert_clean_exit(server, server.stop())


async def test_an_origin_given_with_origin_may_open_tutors(start: Callable[..., Server]) -> None:
    server = start("--origin", "https://tutor.example")
    async with client(headers={"Origin": "https://tutor.example"}) as http:
        ws = await http.ws_connect(f"{server.url}ws?width=100&height=30")
        await read_screen(ws, LIST_TEXT)
        await closed(ws)
    until(lambda: not server.sessions(), "the session to end")
    assert_clean_exit(server, server.stop())


@pytest.mark.parametrize(
    "message",
    ["[" * 200_000, "not json", "{}", "[]", "a" * (17 * 1024)],
    ids=["nested 200,000 deep", "not json", "an object", "empty", "larger than a message"],
)
async def test_a_bad_message_ends_its_session_with_a_line_in_the_log(
    start: Callable[..., Server], message: str
) -> None:
    server = start()
    async with client() as http:
        ws = await open_session(http, server)
        await ws.send_str(message)
        async with asyncio.timeout(DEADLINE):
            while not ws.closed and (await ws.receive()).type not in (
                aiohttp.WSMsgType.CLOSE,
                aiohttp.WSMsgType.CLOSED,
            ):
                pass
    until(lambda: not server.sessions(), "the session to end")
    until(lambda: log_says(server, "closed web session"), "the line in the log")
    assert_clean_exit(server, server.stop())


async def test_a_flood_of_keys_is_cut_to_what_a_person_types(start: Callable[..., Server]) -> None:
    """240 KB of "aq" kept a tutor at a full core for 150 s (each "a" opens the lab): a message of more
    keys than a person sends at once, and what is past the budget, never reach it; a marked paste does."""
    server = start()
    async with client() as http:
        ws = await open_session(http, server)
        for _ in range(240):  # 240 KB, a kilobyte a message
            await ws.send_str(json.dumps(["stdin", "aq" * 500]))
        until(lambda: log_says(server, "input cut web session"), "the cut in the log")
        await ws.send_str(json.dumps(["stdin", "\x1b[200~" + "x" * 2000 + "\x1b[201~"]))  # one paste: no key
        # the tutor still answers: ctrl+q ends it, typed until the budget has refilled enough to take it
        async with asyncio.timeout(DEADLINE):
            while server.sessions():
                try:
                    await ws.send_str(json.dumps(["stdin", "\x11"]))
                except aiohttp.ClientConnectionResetError:
                    break  # the session has ended: its socket is closing
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.5):
                        if (await ws.receive()).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                            break
        await closed(ws)
    until(lambda: not server.sessions(), "the session to end")
    assert_clean_exit(server, server.stop())


async def test_an_address_gets_a_bounded_number_of_new_learners(start: Callable[..., Server]) -> None:
    """Every page without a cookie was a new learner's folder: 206 in 45 s from one client."""
    from gdtutor.serve.webserver import NEW_LEARNERS_PER_HOUR

    server = start()
    given = []
    async with client() as http:  # no cookie jar kept: every page is a first visit
        for _ in range(NEW_LEARNERS_PER_HOUR + 3):
            async with client() as fresh, fresh.get(server.url) as page:
                assert page.status == 200
                given.append("gdtutor_learner" in page.cookies)
        ws = await connect(http, server, "ws?width=100&height=30")  # without a name: no folder kept
        await read_screen(ws, LIST_TEXT)
        await closed(ws)
    assert given == [True] * NEW_LEARNERS_PER_HOUR + [False] * 3
    until(lambda: not server.sessions(), "the session to end")
    assert learners(server) == set()  # names given, but no tutor opened with one: no folder
    assert_clean_exit(server, server.stop())


async def test_an_idle_browser_is_warned_then_its_session_closed(start: Callable[..., Server]) -> None:
    """Three tabs left open held three seats: the web closes an idle session as SSH does."""
    server = start("--idle-timeout", "6")
    async with client() as http:
        ws = await open_session(http, server)
        await read_screen(ws, "No key for a while")  # the tutor's warning (the server's SIGUSR1)
        await read_screen(ws, "closed after 1 min without a key")
    until(lambda: not server.sessions(), "the session to end")
    until(lambda: log_says(server, "idle web session"), "the line in the log")
    assert_clean_exit(server, server.stop())


async def test_web_tutors_are_forked_like_ssh_ones_under_the_same_limits(start: Callable[..., Server]) -> None:
    """One way to start a tutor: the web's are forked by the zygote too (no cold Python per browser),
    under the limits the server was given; the server speaks the web driver's protocol itself."""
    server = start("--tutor-memory", "800", "--tutor-cpu", "90")
    async with client() as http:
        ws = await open_session(http, server)
        (tutor,) = server.sessions()
        assert b"gdtutor.serve.zygote" in Path(f"/proc/{tutor}/cmdline").read_bytes()  # a fork, not a new start
        limits = limits_of(tutor)
        assert limits["Max address space"][0] == str(800 * 1024 * 1024)
        assert limits["Max cpu time"][0] == "90"
        os.kill(tutor, signal.SIGXCPU)  # as the kernel does at the limit
        await read_screen(ws, "used the 1 min of CPU time the server allows")
        await closed(ws)
    until(lambda: not server.sessions(), "the session to end")
    until(lambda: log_says(server, "its tutor used its CPU time"), "the line in the log")
    assert_clean_exit(server, server.stop())


def test_the_web_server_uses_no_private_part_of_textual_serve() -> None:
    """textual-serve's AppService was subclassed through its private methods; now only its static files
    (the page's script and font) are used."""
    code = "import sys, gdtutor.serve.webserver; print(sorted(m for m in sys.modules if m.startswith('textual_serve')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=child_env(), check=True)
    assert done.stdout.strip() == "['textual_serve']"


async def test_a_server_short_of_descriptors_refuses_websockets_and_goes_on(start: Callable[..., Server]) -> None:
    """Under 48 open files, the 9th browser made the server run out: it spun on accept() and logged
    thousands of tracebacks. Websockets past what the descriptors allow are refused (503) with a line in
    the log; the tabs already open keep their tutors, and once they close a new one gets a tutor."""
    server = start(files=48)
    async with client() as http:
        opened, refused = [], 0
        for _ in range(14):
            try:
                ws = await connect(http, server, "ws?width=80&height=24")
            except aiohttp.WSServerHandshakeError as exc:
                assert exc.status == 503
                refused += 1
                continue
            await read_screen(ws, LIST_TEXT, "could not be started")
            opened.append(ws)
        assert opened and refused
        for ws in opened:
            await closed(ws)
        until(lambda: not server.sessions(), "the sessions to end")
        ws = await open_session(http, server)  # the server goes on
        await closed(ws)
    until(lambda: log_says(server, "the most this server's descriptors allow"), "the line in the log")
    assert_clean_exit(server, server.stop())
