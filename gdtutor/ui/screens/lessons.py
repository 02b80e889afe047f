"""The lesson list: every lesson with the learner's progress mark; broken lessons with their error."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Header, OptionList
from textual.widgets.option_list import Option

from ...lessons.text import pick
from ...progress import LessonProgress, lesson_progress, next_open_lesson
from ..widgets.keybar import KeyBar
from ..widgets.words import Wrapped
from .base import TutorScreen

PROBLEMS_SHOWN = 6
"""Most problems of a broken lesson shown when it is selected in the list."""


class LessonListScreen(TutorScreen):
    """Where the tutor opens: pick a lesson with the arrow keys and enter."""

    BINDINGS = [
        Binding("f2", "app.toggle_language", "language"),  # the app's own f2, shown here
        Binding("l", "app.toggle_language", "language", show=False),
        Binding("a", "open_lab", "lab"),
        Binding("v", "review", "review"),
        Binding("x", "reset", "reset"),
    ]

    _shown = False
    """Whether the screen has been shown (its first resume comes with the list already filled)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(*self._options(), id="lesson-list")  # filled at once: the first frame shows it
        yield KeyBar()

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        self._highlight(option_list, 0)
        option_list.focus()

    def on_screen_resume(self) -> None:
        if self._shown:  # back from a lesson, the lab, review: marks and scores may have changed
            self._fill()
            self._to_next()
        self._shown = True

    def _to_next(self) -> None:
        """Back from a lesson now completed, the cursor goes to the next lesson to do (the lesson's end
        names the same one)."""
        last = self.tutor.store.last_lesson()
        lesson = self.tutor.catalog.get(last) if last else None
        if lesson is None or not lesson_progress(self.tutor.store, lesson).completed:
            return
        following = next_open_lesson(self.tutor.store, self.tutor.catalog.lessons, lesson.id)
        option_list = self.query_one(OptionList)
        ids = [option_list.get_option_at_index(i).id for i in range(option_list.option_count)]
        if following is not None and following.id in ids:
            option_list.highlighted = ids.index(following.id)

    def show_words(self) -> None:
        self._fill()

    def _fill(self) -> None:
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted
        option_list.clear_options()
        option_list.add_options(self._options())
        self._highlight(option_list, highlighted or 0)

    def _highlight(self, option_list: OptionList, default: int) -> None:
        """The lesson last opened, else ``default``."""
        if option_list.option_count:
            last = self.tutor.store.last_lesson()
            ids = [option_list.get_option_at_index(i).id for i in range(option_list.option_count)]
            index = ids.index(last) if last in ids else default
            option_list.highlighted = min(index, option_list.option_count - 1)

    def _options(self) -> list[Option]:
        lang = self.lang
        store = self.tutor.store
        states = store.lessons()
        options: list[Option] = []
        for number, entry in enumerate(self.tutor.catalog.entries, start=1):
            lesson = entry.lesson
            if lesson is None:
                problem = entry.problems[0].located(lang) if entry.problems else ""
                line = Content.assemble(
                    ("  ✗ ", "bold"), (f"{entry.path.name}: {self.words('broken')}: ", "bold"), problem
                )
                # not disabled: a disabled option cannot be reached with the keys, and the list would
                # not scroll to a broken lesson listed last; enter shows all its problems
                options.append(Option(Wrapped(line), id=f"broken:{entry.path}"))
                continue
            state = states.get(lesson.id)
            progress = lesson_progress(store, lesson, state) if state else None
            mark = "✓" if progress and progress.completed else ("◐" if state else "○")
            where = ""
            if progress and not progress.completed:
                where = "  " + self.words("step_of", n=progress.step + 1, total=len(lesson.steps))
            score = self._answered(progress)
            head = Content.assemble(
                (f"{mark} ", "bold green" if mark == "✓" else "bold"),
                (f"{number}. {pick(lesson.title, lang)}", "bold"),
                (where, "italic"),
                (score, ""),
            )
            summary = Content.styled(pick(lesson.summary, lang), "dim")
            # indented under the mark: the summary, and the title's own second line (at 60 columns, the
            # score '已答 2/4，答对 2' went on at the left edge)
            options.append(Option(Wrapped(Content("\n").join([head, summary]), indent=3, hanging=True), id=lesson.id))
        return options

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("broken:"):
            self._show_problems(option_id.removeprefix("broken:"))
            return
        lesson = self.tutor.catalog.get(option_id)
        if lesson is not None:
            from .lesson import LessonScreen

            self.app.push_screen(LessonScreen(lesson))

    def _show_problems(self, path: str) -> None:
        """A broken lesson's problems, each as path:line: message (the list shows only the first)."""
        entry = next((e for e in self.tutor.catalog.broken if str(e.path) == path), None)
        if entry is None:
            return
        shown = [p.located(self.lang) for p in entry.problems[:PROBLEMS_SHOWN]]
        if len(entry.problems) > PROBLEMS_SHOWN:
            shown.append(f"... (+{len(entry.problems) - PROBLEMS_SHOWN}: gdtutor lessons check {path})")
        title = f"{entry.path.name}: {self.words('broken')}"
        self.app.notify("\n".join(shown), title=title, severity="error", timeout=15, markup=False)

    def action_open_lab(self) -> None:
        from ...engine.params import DEFAULT_ETA, Setup
        from .lab import LabScreen

        self.app.push_screen(LabScreen(Setup(eta=DEFAULT_ETA, x0=0.0)))

    def action_review(self) -> None:
        """Questions from every lesson started so far, the ones answered wrongly coming back more often."""
        from .review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def action_reset(self) -> None:
        """Forget the highlighted lesson's progress, or all progress, after asking."""
        from .reset import ResetScreen

        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        lesson = None
        if index is not None:
            lesson = self.tutor.catalog.get(option_list.get_option_at_index(index).id or "")

        def done(choice: str | None) -> None:
            if choice is None:
                return
            if self.tutor.store.reset(None if choice == "all" else choice):
                self.app.notify(self.words("reset_done"))
            else:  # the store cannot be written: the reset holds until the tutor is closed
                self.app.notify(self.words("reset_not_saved"), severity="warning", timeout=10)
            self._fill()

        self.app.push_screen(ResetScreen(lesson), done)

    def _answered(self, progress: LessonProgress | None) -> str:
        """'  3/5 answered, 2 right', once a question of the lesson was answered."""
        if progress is None or not progress.total or not (progress.answered or progress.right):
            return ""
        return "  " + self.words("answered_of", answered=progress.answered, total=progress.total, right=progress.right)
