"""``gdtutor serve web``: the tutor in a browser, through textual-serve."""

from __future__ import annotations

import argparse


def serve_web(args: argparse.Namespace, lang: str) -> int:
    raise NotImplementedError("gdtutor serve web")
