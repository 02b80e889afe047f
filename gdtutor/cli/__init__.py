"""The ``gdtutor`` command line: a package of its own above everything else (nothing below imports
it), on click. ``root.py`` is the root and the exit statuses, ``parsing.py`` the grammar and the help in
the learner's language, ``output.py`` the output, and ``commands/`` one module a command, each handing
typed values to the layer below."""

from __future__ import annotations

from typing import NoReturn


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from .root import main as run_main

    return run_main(argv)


def run() -> NoReturn:
    """Console-script entry point."""
    from .root import run_script

    run_script()
