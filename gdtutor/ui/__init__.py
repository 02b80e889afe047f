"""The terminal app (Textual). Build it with :func:`make_app`."""

from .app import GDTutorApp, make_app

__all__ = ["GDTutorApp", "make_app"]
