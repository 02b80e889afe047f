"""``python -m gdtutor``."""

from .cli import run

run()
