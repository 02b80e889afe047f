"""A scroll that leaves page down at its end and page up at its top to the screen (next and previous
step), as Textual leaves them when there is nothing to scroll: a long text or the race's results do
not keep the learner on a step for good."""

from __future__ import annotations

from textual.actions import SkipAction
from textual.containers import VerticalScroll


class PagedScroll(VerticalScroll):
    """Arrows and page keys scroll; page down at the end and page up at the top go on to the screen."""

    def action_page_down(self) -> None:
        if self.scroll_y >= self.max_scroll_y:
            raise SkipAction()
        super().action_page_down()

    def action_page_up(self) -> None:
        if self.scroll_y <= 0:
            raise SkipAction()
        super().action_page_up()
