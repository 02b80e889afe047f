"""The gdtutor app: long-lived state (lessons, progress, language) and the screens on top of it."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from textual import events, messages
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from ..i18n import LANGUAGES, detect_language, t
from ..lessons.cache import CACHE_NAME
from ..lessons.load import Catalog, load_catalog
from ..progress import Store
from .screens.too_small import too_small
from .tutor import Worded

if TYPE_CHECKING:
    from ..engine.params import Setup  # the lab and the engine load when a lab is opened, not at start


EXIT_WAIT_SECONDS = 5.0
"""The longest an exit asked for before the first frame waits for it."""


class GDTutorApp(App[None]):
    """Self-paced lessons on gradient descent, with a live lab."""

    CSS_PATH = "app.tcss"
    TITLE = "gdtutor"
    ENABLE_COMMAND_PALETTE = False  # nothing a learner needs; the key bar's room is better spent on keys
    ALLOW_IN_MAXIMIZED_VIEW = "KeyBar"
    """The charts zoomed to the whole screen keep the key bar: the keys that work there are listed."""
    BINDINGS = [
        Binding("ctrl+q", "quit", "quit", priority=True),
        Binding("question_mark", "help", "help"),
        # works on every screen, shown in the lesson list's key bar only: at 80 columns a lesson's lab
        # needs the room for its own keys
        Binding("f2", "toggle_language", "language", show=False),
    ]

    lang: reactive[str] = reactive("en")
    """The language texts are shown in: en or zh."""

    def __init__(
        self,
        *,
        lang: str | None = None,
        lesson_dirs: list[Path] | None = None,
        data_dir: Path,
        lab: Setup | None = None,
        run_lab: bool = False,
        catalog: Catalog | None = None,
    ) -> None:
        super().__init__()
        self.set_reactive(GDTutorApp.lang, lang if lang in LANGUAGES else detect_language())
        self.store = Store(data_dir)
        # The engine checks (goals reachable, ...) are for authors (`gdtutor lessons check`): run at start
        # they cost ~230 ms and ~32 MiB for sympy, measured by benchmarks/tui_bench.py. Format, type and
        # expression problems are still found here, and a broken lesson is listed with its first one;
        # files unchanged since the last start are answered from the cache in the learner's folder.
        if catalog is None:
            cache = self.store.data_dir / CACHE_NAME
            catalog = load_catalog(lesson_dirs or [], run_checks=False, cache=cache)
        self.catalog = catalog
        self.lab_setup = lab
        self.run_lab = run_lab

    def get_default_screen(self) -> Screen[Any]:
        """The lesson list is the first screen itself, the one every other screen goes back to.

        Pushing it over Textual's blank default screen at mount made the app build, style and lay out
        two screens before the first frame, and refresh the key bar once more (measured with
        benchmarks/tui_bench.py). ``gdtutor lab`` pushes its lab over the list, so that q leads back.
        """
        from .screens.lessons import LessonListScreen

        return LessonListScreen()

    _shown = False
    _exit_asked: tuple[int, RenderableType | None] | None = None

    # An exit asked for before the first frame (a signal at once; a web session whose browser has
    # already gone) waits for that frame, at most EXIT_WAIT_SECONDS. Textual's exit() stops every mount
    # from then on, and its ExitApp ends the loop while the first screen's mount is still queued: the
    # screen's on_mount then finds its widgets missing (NoMatches), which was taken for a crash.
    # An unexpected error ends the app by another way, which is never held up.

    def exit(self, result: None = None, return_code: int = 0, message: RenderableType | None = None) -> None:
        if self._shown or not self.is_running:
            super().exit(result, return_code, message)
            return
        self._hold_exit((return_code, message))

    def on_exit_app(self, message: messages.ExitApp) -> None:
        """The exit Textual's web driver asks for when the browser goes (it posts the message itself)."""
        if not self._shown:
            message.prevent_default()  # App's own handler would end the loop
            self._hold_exit(self._exit_asked or (0, None))

    def _hold_exit(self, asked: tuple[int, RenderableType | None]) -> None:
        if self._exit_asked is None:
            self.set_timer(EXIT_WAIT_SECONDS, self._exit_now)
        self._exit_asked = asked

    def on_ready(self) -> None:
        """The first frame is on the screen."""
        self._shown = True
        if self._exit_asked is not None:
            self._exit_now()

    def _exit_now(self) -> None:
        self._shown = True
        if self._exit_asked is not None:
            return_code, message = self._exit_asked
            self._exit_asked = None
            self.exit(None, return_code, message)

    def on_mount(self) -> None:
        asyncio.get_running_loop().set_exception_handler(quiet_cancelled)
        self.title = t("app_title", self.lang)
        if self.lab_setup is not None:
            from .screens.lab import LabScreen

            self.push_screen(LabScreen(self.lab_setup, run=self.run_lab))
        self._tell_store_trouble()
        self.store.on_trouble = self._tell_store_trouble
        self._check_size(*self.size)
        self.call_after_refresh(settle_memory)

    def _tell_store_trouble(self) -> None:
        """What went wrong with the progress store (at the start, or when it stops saving), if anything."""
        notice = self.store.notice_text(self.lang)
        if notice:
            self.notify(notice, severity="warning", timeout=10)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        from .screens.too_small import TooSmallScreen

        shown = isinstance(self.screen, TooSmallScreen)
        if too_small(width, height) and not shown:
            self.push_screen(TooSmallScreen())
        elif not too_small(width, height) and shown:
            self.pop_screen()

    def watch_lang(self, lang: str) -> None:
        """Every word on every screen again, in the new language, updated in place."""
        self.title = t("app_title", lang)
        for screen in self.screen_stack:
            for node in screen.walk_children(with_self=True):
                if isinstance(node, Worded):
                    node.show_words()

    def action_toggle_language(self) -> None:
        """Switch between English and Chinese."""
        self.lang = "zh" if self.lang == "en" else "en"

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def on_unmount(self) -> None:
        self.store.close()


def quiet_cancelled(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The app's loop's handler of errors nobody awaited: a task or future cancelled as the app closes
    is no error. Textual's markdown update gathers a worker's result; a learner who quits (or a server
    that ends the session) while a step's markdown is being parsed left asyncio's report of it, a
    traceback, on the learner's terminal after the app had restored it (and in the class server's
    log). Anything else is reported as asyncio does."""
    if isinstance(context.get("exception"), asyncio.CancelledError):
        return
    loop.default_exception_handler(context)


def settle_memory() -> None:
    """After the first frame: collect the start's garbage, freeze what is left, turn the collector on.

    ``gdtutor`` starts with the cyclic garbage collector off (:func:`gdtutor.cli.cmd_app`): importing
    Textual and building the first screen made it run about 130 times, some 30 ms of a start of about
    270 ms (benchmarks/tui_bench.py). Once the learner sees the list, one full collection clears what
    the start left behind, and :func:`gc.freeze` keeps the long-lived objects (modules, styles,
    lessons) out of later collections, so that they stay short while a run is animated. The price: an
    object alive at the first frame that later becomes cyclic garbage is not reclaimed; that is
    bounded by what the first frame holds, once. Does nothing when the collector is on (tests build
    the app without the command line).
    """
    if gc.isenabled():
        return
    gc.collect()
    gc.freeze()
    gc.enable()


def make_app(
    *,
    lang: str | None = None,
    lesson_dirs: list[Path] | None = None,
    data_dir: Path,
    lab: Setup | None = None,
    run_lab: bool = False,
    catalog: Catalog | None = None,
) -> GDTutorApp:
    """The one place the app is built: the command line, a served session and the tests call this.
    ``catalog``: lessons already loaded (a served session's, loaded once for every learner)."""
    return GDTutorApp(lang=lang, lesson_dirs=lesson_dirs, data_dir=data_dir, lab=lab, run_lab=run_lab, catalog=catalog)
