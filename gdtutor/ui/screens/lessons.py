"""The lesson list: every lesson with the learner's progress mark; broken lessons with their error."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import t
from ...lessons.model import pick


class LessonListScreen(Screen[None]):
    """Where the tutor opens: pick a lesson with the arrow keys and enter."""

    BINDINGS = [
        Binding("l", "app.toggle_language", "中文/English"),
        Binding("a", "open_lab", "Lab"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(id="lesson-list")
        yield Static(id="list-help")
        yield Footer()

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self._fill()

    async def refresh_language(self) -> None:
        self._fill()

    def _fill(self) -> None:
        app = self.app
        lang = getattr(app, "lang", "en")
        store = app.store  # type: ignore[attr-defined]
        states = store.lessons()
        options: list[Option] = []
        for number, entry in enumerate(app.catalog.entries, start=1):  # type: ignore[attr-defined]
            lesson = entry.lesson
            if lesson is None:
                problem = str(entry.problems[0]) if entry.problems else ""
                line = Text.assemble(("  ✗ ", "bold"), (f"{entry.path.name}: {t('broken', lang)}: ", "bold"), problem)
                options.append(Option(line, id=f"broken:{entry.path}", disabled=True))
                continue
            state = states.get(lesson.id)
            mark = "✓" if state and state.completed else ("•" if state else " ")
            where = ""
            if state and not state.completed:
                where = "  " + t("step_of", lang, n=state.step + 1, total=len(lesson.steps))
            score = _score(store, lesson)
            line = Text.assemble(
                (f"{mark} ", "bold green" if mark == "✓" else "bold"),
                (f"{number}. {pick(lesson.title, lang)}", "bold"),
                (where, "italic"),
                (score, ""),
                "\n   ",
                (pick(lesson.summary, lang), "dim"),
            )
            options.append(Option(line, id=lesson.id))
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted
        option_list.clear_options()
        option_list.add_options(options)
        if options:
            last = store.last_lesson()
            index = next((i for i, o in enumerate(options) if o.id == last), highlighted or 0)
            option_list.highlighted = min(index, len(options) - 1)
        self.query_one("#list-help", Static).update(t("lesson_list_help", lang))

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        lesson = self.app.catalog.get(event.option.id or "")  # type: ignore[attr-defined]
        if lesson is not None:
            from .lesson import LessonScreen

            self.app.push_screen(LessonScreen(lesson))

    def action_open_lab(self) -> None:
        from ...engine import LECTURE_FUNCTION
        from ..playback import LabParams
        from .lab import LabScreen

        self.app.push_screen(LabScreen(LabParams(LECTURE_FUNCTION, eta=0.1, x0=0.0)))


def _score(store: object, lesson: object) -> str:
    questions = lesson.questions  # type: ignore[attr-defined]
    if not questions:
        return ""
    answered = store.answered(lesson.id)  # type: ignore[attr-defined]
    if not answered:
        return ""
    right = sum(1 for q in questions if answered.get(q.id))
    return f"  {right}/{len(questions)} ✓"
