"""A ``Words`` widget is updated many times a second by an animating lab: the same words do nothing, and
words that take the same rows lay nothing out again (a layout is the whole screen's); words that take
more rows, or a width that follows them, do."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from gdtutor.ui.widgets.words import Words


class OneWords(App[None]):
    CSS = "#fixed { width: 20; } #auto { width: auto; }"

    def compose(self) -> ComposeResult:
        yield Words("start", id="fixed")
        yield Words("start", id="auto")


async def test_only_a_change_of_rows_or_of_a_followed_width_lays_out_again() -> None:
    app = OneWords()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        asked: list[tuple[str, bool]] = []

        def spy(words: Words) -> None:
            refresh = words.refresh

            def recorded(*regions: Any, **options: Any) -> Any:
                asked.append((str(words.id), bool(options.get("layout"))))
                return refresh(*regions, **options)

            words.refresh = recorded  # type: ignore[method-assign]

        fixed, auto = app.query_one("#fixed", Words), app.query_one("#auto", Words)
        spy(fixed)
        spy(auto)
        fixed.update("step 1")  # first update: the rows are not known yet
        await pilot.pause()
        asked.clear()
        fixed.update("step 1")  # the same words: nothing at all
        assert asked == []
        fixed.update("step 2")  # one row as before, in a width the container sets: these cells only
        assert asked == [("fixed", False)]
        asked.clear()
        fixed.update("a longer line that takes two rows")
        assert ("fixed", True) in asked
        await pilot.pause()
        assert fixed.size.height == 2
        asked.clear()
        auto.update("wider words")  # its width follows its words
        assert ("auto", True) in asked
        await pilot.pause()
        assert auto.size.width == len("wider words")
