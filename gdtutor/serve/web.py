"""``gdtutor serve web``: the tutor in a browser (the server is webserver.py).

Only the checks are here, so that they need neither aiohttp nor textual-serve: whether those are
installed (``pip install 'gdtutor[serve]'``), and whether the address is this computer's own. The
web server has no login of its own: bound to any other address it says so, and that it belongs
behind a reverse proxy that asks for one and serves HTTPS.
"""

from __future__ import annotations

import importlib
import ipaddress
import sys

from ..i18n import t
from .logbook import start_log
from .options import ServeOptions, keep_private

NEEDED = ("aiohttp", "textual_serve")
"""What the web server imports beyond gdtutor's own dependencies (the ``serve`` extra): aiohttp, and
textual-serve for the page's script and font."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` reaches this computer only: ``localhost``, 127.0.0.0/8 or ::1."""
    name = host.strip().lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.removeprefix("[").removesuffix("]")).is_loopback
    except ValueError:
        return False  # another name, or an address of every interface ('', 0.0.0.0, ::)


def serve_web(options: ServeOptions, lang: str) -> int:
    """Serve the tutor until stopped; the exit status (0 when stopped, 1 when the address cannot be
    listened on, 2 when textual-serve is missing)."""
    for module in NEEDED:
        try:
            importlib.import_module(module)
        except ImportError:
            print(f"gdtutor serve web: {t('web_missing', lang)}", file=sys.stderr)
            return 2
    from .webserver import WebConfig, run

    start_log()
    try:
        keep_private(options.data_dir)
    except OSError as exc:
        print(f"gdtutor serve web: {options.data_dir}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if not is_loopback(options.host):
        print(f"gdtutor serve web: {t('web_not_loopback', lang, host=options.host)}", file=sys.stderr, flush=True)
    config = WebConfig(
        host=options.host,
        port=options.port,
        class_dir=options.data_dir.absolute(),
        lang=options.app_lang,
        server_lang=lang,
        lesson_dirs=[folder.absolute() for folder in options.lessons],
        max_sessions=options.max_sessions,
        idle_timeout=options.idle_timeout,
        origins=options.origins,
        limits=options.limits,
        tutor_env=options.tutor_env(),
    )
    return run(config)
