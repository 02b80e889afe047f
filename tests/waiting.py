"""What the pilot tests share: waiting for a condition, bounded by a timeout, never for a fixed time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


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
