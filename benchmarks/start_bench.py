"""The cost of the app's start, counted in instructions: ``python benchmarks/start_bench.py``.

tui_bench.py times the first screen in a real terminal, but the machines are shared and its figure
moves by about 0.1x from run to run. This benchmark counts the instructions executed from the start
of the interpreter to the first screen, with ``valgrind --tool=callgrind``, which gives the same count
for the same code whatever else the machine is doing. Each app runs headless (Textual's
``run_test``, 80x24) until its first screen is composed, with the garbage collector off as
``gdtutor`` starts: a bare Textual app (Header, Static, Footer), gdtutor with the lessons cached in its
data folder (a learner's usual start) and gdtutor on a learner's first start (an empty data folder).
Each is run once untimed first, so that its modules are compiled, then once under callgrind. Prints
the counts and the ratios to the bare app. Needs valgrind; about two minutes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

APP = """
import asyncio, gc, sys
from pathlib import Path
gc.disable()
if sys.argv[1] == "bare":
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("hello")
            yield Footer()

    app = Bare()
else:
    from gdtutor.ui import make_app

    app = make_app(lang="en", data_dir=Path(sys.argv[1]))


async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()


asyncio.run(main())
"""


def count(script: Path, arg: str, env: dict[str, str], *, warm: str | None = None) -> int:
    """Instructions executed by ``python script arg``, as callgrind counts them, after one untimed run
    (of ``warm`` in place of ``arg``, when given) that compiles the modules."""
    subprocess.run([sys.executable, str(script), warm or arg], env=env, check=True, cwd=ROOT)
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, str(script), arg],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    match = re.search(r"Collected : (\d+)", done.stderr)
    if match is None:
        raise SystemExit(f"start_bench: callgrind printed no count:\n{done.stderr[-2000:]}")
    return int(match[1])


def main() -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("start_bench: needs valgrind")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # compiled, as installed
    env["PYTHONPATH"] = str(ROOT)
    with tempfile.TemporaryDirectory(prefix="gdtutor-start-") as tmp:
        script = Path(tmp) / "app.py"
        script.write_text(APP, encoding="utf-8")
        bare = count(script, "bare", env)
        usual = count(script, str(Path(tmp) / "data"), env)  # the untimed run made its lesson cache
        first = count(script, str(Path(tmp) / "first"), env, warm=str(Path(tmp) / "warm"))
    print("instructions from the interpreter's start to the first screen (headless, 80x24):")
    print(f"  bare Textual app            {bare / 1e9:6.3f} G")
    print(f"  gdtutor, lessons cached     {usual / 1e9:6.3f} G   {usual / bare:.2f}x the bare app")
    print(f"  gdtutor, a first start      {first / 1e9:6.3f} G   {first / bare:.2f}x the bare app")


if __name__ == "__main__":
    main()
