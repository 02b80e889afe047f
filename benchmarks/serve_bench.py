"""A class on one server: ``python benchmarks/serve_bench.py`` (``--sessions 30``, ``--seconds 40``; the
target is a class of 60 on 2 cores: ``--sessions 60``).

Starts ``gdtutor serve ssh`` on a loopback port and, from this one process, connects ``--sessions``
learners with asyncssh's client (each its own login, 80x24, TERM xterm-256color). Each client keeps the
text its tutor writes (escape sequences taken out) and looks for what it waits for in it; with
``--emulate`` every screen is drawn on a terminal emulator instead (pyte, pure Python, all in this one
process: at 30 sessions the clients then take a core of the two, and their own delay is in the figures):

1. Login storm: all connect at once; for each, the time from the start of its connection to the lesson
   list on its screen. Target: 95th percentile under 3 s.
2. A class at work: every session opens the lab (``a``) and runs a descent (``r``, the default pace,
   started again every few seconds so that something animates all along). Meanwhile each session presses
   ``-`` and ``+`` in turn, about once a second, and the time from the key to the screen's answer (the
   speed label it changes) is measured in every session. Target: 95th percentile under 250 ms.
3. Memory: the server's processes (the SSH server, the warm zygote and every tutor) while the class
   works: the sum of their proportional set sizes (PSS, which counts a page shared by N processes as
   1/N to each, so the sum is what the class really holds) and of their resident sizes (RSS, which
   counts shared pages in every process). Target: under 40 MiB per session (PSS).

Also printed: the server's CPU while the class works (all its processes, in cores). The client side
(this process: 30 SSH clients, their encryption and the screen parsing) runs on the same 2 cores, so the
figures are an upper bound of what the server alone would see. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncssh

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the tests' SSH client and /proc walk
from support.children import descendants
from support.ssh import Session, open_session

ROOT = Path(__file__).resolve().parent.parent
LIST_TEXT = "Why gradient descent"
MIB = 1024 * 1024


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Learner:
    """One learner's session (the tests' SSH client: the screen read through a terminal emulator)."""

    def __init__(self, login: str, emulate: bool) -> None:
        self.login = login
        self.emulate = emulate
        self.session: Session | None = None
        self.latencies: list[float] = []

    async def connect(self, port: int, key: asyncssh.SSHKey) -> float:
        """Log in; the time from the connection's start to the lesson list on the screen."""
        start = time.perf_counter()
        self.session = await open_session(port, self.login, key, emulate=self.emulate)
        await self.session.wait_for(LIST_TEXT)
        return time.perf_counter() - start

    async def work(self, seconds: float) -> None:
        """Open the lab, run descents, and probe the keys' latency with - and + in turn."""
        session = self.session
        assert session is not None
        session.type("a")
        await session.wait_for("speed:")
        session.type("r")
        end = time.perf_counter() + seconds
        probes = 0
        # the speed is 10/s by default: '-' sets 5/s, '+' 10/s again, each time changing the label
        expected = {"-": "speed: 5/s  (+ -)", "+": "speed: 10/s  (+ -)"}
        key = "-"
        while time.perf_counter() < end:
            await asyncio.sleep(random.uniform(0.6, 1.4))  # a learner's pace
            if probes and probes % 5 == 0:
                session.type("r")  # a new run, so that something animates all along
                await asyncio.sleep(0.3)
            session.mark()
            sent = time.perf_counter()
            session.type(key)
            await session.wait_for(expected[key])
            self.latencies.append(time.perf_counter() - sent)
            key = "+" if key == "-" else "-"
            probes += 1

    async def leave(self) -> None:
        if self.session is not None:
            await self.session.leave(timeout=30)


def tree(pid: int) -> list[int]:
    """The server and every process under it."""
    return [pid, *descendants(pid)]


def memory(pids: list[int]) -> tuple[int, int]:
    """Sum of PSS and of RSS (bytes) over ``pids``."""
    pss = rss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
        except OSError:
            continue
    return pss, rss


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=40, help="how long the class works")
    parser.add_argument(
        "--emulate",
        action="store_true",
        help="show every session on a terminal emulator (pyte, pure Python: the clients then take a core)",
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="gdtutor-bench-"))
    key = asyncssh.generate_private_key("ssh-ed25519")
    public = key.export_public_key().decode().strip()
    logins = [f"learner{n:02d}" for n in range(1, args.sessions + 1)]
    (tmp / "authorized_keys").write_text("".join(f"{public} {login}\n" for login in logins))
    env = dict(os.environ, LANG="C.UTF-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "gdtutor", "serve", "ssh", "--port", "0",
         "--authorized-keys", str(tmp / "authorized_keys"),
         "--data-dir", str(tmp / "data"), "--max-sessions", str(args.sessions + 5)],
        stdout=subprocess.DEVNULL, stderr=(tmp / "server.log").open("wb"), env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (found := re.search(r"serving on \S+ port (\d+)", (tmp / "server.log").read_text())):
            if time.monotonic() > deadline or server.poll() is not None:
                print((tmp / "server.log").read_text())
                return 1
            await asyncio.sleep(0.05)
        port = int(found.group(1))
        await asyncio.sleep(1.0)  # the zygote's warm-up (imports, lessons) is done before the storm
        base_pss, _ = memory(tree(server.pid))

        print(f"1. login storm: {args.sessions} sessions connecting at once", flush=True)
        learners = [Learner(login, args.emulate) for login in logins]
        storm = await asyncio.gather(*(learner.connect(port, key) for learner in learners))
        print(f"   to the lesson list: median {statistics.median(storm):.2f} s, p95 {p95(storm):.2f} s, "
              f"max {max(storm):.2f} s   (target p95 < 3 s)")  # fmt: skip

        print(f"2. the class at work for {args.seconds:.0f} s: lab runs animating, - and + about once a second")
        cpu_before, wall_before = cpu_seconds(tree(server.pid)), time.perf_counter()
        clients_before = time.process_time()
        ssh_before = cpu_seconds([server.pid])
        work = asyncio.gather(*(learner.work(args.seconds) for learner in learners))
        await asyncio.sleep(args.seconds / 2)
        pids = tree(server.pid)
        pss, rss = memory(pids)
        await work
        took = time.perf_counter() - wall_before
        cpu = (cpu_seconds(tree(server.pid)) - cpu_before) / took
        ssh_cpu = (cpu_seconds([server.pid]) - ssh_before) / took
        clients_cpu = (time.process_time() - clients_before) / took
        latencies = [x for learner in learners for x in learner.latencies]
        per_session = [p95(learner.latencies) for learner in learners if learner.latencies]
        print(
            f"   key to screen: {len(latencies)} keys, median {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {p95(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms   (target p95 < 250 ms)"
        )
        print(f"   the worst session's own p95: {max(per_session) * 1000:.0f} ms")
        print(
            f"   server CPU while the class works: {cpu:.2f} cores ({len(pids)} processes), "
            f"of which the SSH process {ssh_cpu:.2f}, the tutors {(cpu - ssh_cpu) / args.sessions * 100:.1f}% each"
        )
        how = "on terminal emulators" if args.emulate else "text only, no emulator"
        print(f"   the clients (this process, {how}): {clients_cpu:.2f} cores")
        print(
            f"3. memory with {args.sessions} sessions: PSS {pss / MIB:.0f} MiB in all, "
            f"{(pss - base_pss) / args.sessions / MIB:.1f} MiB per session above the idle server "
            f"({base_pss / MIB:.0f} MiB); RSS {rss / MIB:.0f} MiB in all, "
            f"{rss / args.sessions / MIB:.1f} MiB per session"
        )
        per_session_pss = pss / args.sessions / MIB
        print(f"   PSS per session, server included: {per_session_pss:.1f} MiB   (target < 40 MiB)")
        await asyncio.gather(*(learner.leave() for learner in learners))
        ok = p95(storm) < 3 and p95(latencies) < 0.25 and per_session_pss < 40
        print("all targets met" if ok else "a target was missed")
        return 0 if ok else 1
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
