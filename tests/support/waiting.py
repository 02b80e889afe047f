"""What the pilot tests share: waiting for a condition, bounded by a timeout, never for a fixed time."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from typing import Any

from rich.cells import cell_len


async def until(pilot: Any, condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds (or fail after ``timeout`` seconds)."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)


async def settled(pilot: Any, timeout: float = 10.0) -> None:
    """Let the app run until what it draws stops changing: its animations are done and three
    screenshots in a row, each taken once every pending message was handled, are the same.

    For snapshots and for checks of the whole screen, after the condition that matters was waited for:
    a refresh scheduled by that last change may still be on its way."""
    end = time.monotonic() + timeout
    await pilot.wait_for_scheduled_animations()
    last, same = None, 0
    while same < 3:
        if time.monotonic() > end:
            raise AssertionError("the screen kept changing")
        await pilot.pause()
        shot = pilot.app.export_screenshot()
        same = same + 1 if shot == last else 1
        last = shot
        await pilot.pause(0.02)


_LINE = re.compile(r'<text [^>]*x="([\d.]+)"[^>]*clip-path="url\(#terminal-(?:\d+-)?line-(\d+)\)">([^<]*)</text>')
"""A piece of text in Rich's SVG export: its x (12.2 per cell), its row, the text."""


def screen_text(app: Any) -> list[str]:
    """The screen's rows as the learner reads them (read from the app's own SVG screenshot: text only,
    each piece at its column; a double-width character is one piece of two cells)."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for x, row, text in _LINE.findall(app.export_screenshot()):
        if text.strip("\n"):
            rows.setdefault(int(row), []).append((round(float(x) / 12.2), html.unescape(text)))
    lines = []
    for row in range(app.size.height):
        line = ""
        for column, text in sorted(rows.get(row, [])):
            line += " " * (column - cell_len(line)) + text
        lines.append(line.replace("\xa0", " "))
    return lines


def region_text(app: Any, region: Any) -> list[str]:
    """The screen's rows within ``region`` (a widget's), cut by cells: what the learner reads there."""
    rows = []
    for line in screen_text(app)[region.y : region.y + region.height]:
        cells, kept = 0, ""
        for char in line:
            if region.x <= cells < region.x + region.width:
                kept += char
            cells += cell_len(char)
        rows.append(kept)
    return rows
