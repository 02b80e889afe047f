"""``gdtutor class report``: a teacher's view of a class, from its learners' stores."""

from __future__ import annotations

import argparse
from typing import IO


def cmd_report(args: argparse.Namespace, lang: str, out: IO[str]) -> int:
    raise NotImplementedError("gdtutor class report")
