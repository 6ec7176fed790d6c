"""``gradesec hub dashboard --serve``: the same dashboard in a browser, through textual-serve.

textual-serve runs one ``gradesec hub dashboard`` process per browser tab with Textual's web driver and relays
it over a websocket to xterm.js in the page. The hub's URL reaches those processes in the environment
(``GRADESEC_HUB``), never on their command line, where other users of the machine could read it.
"""

from __future__ import annotations

import os
import shlex
import sys
from datetime import date
from pathlib import Path

from gradesec.hub.db import ENV
from gradesec.i18n import get_lang, t


def dashboard_command(day: date, policy: Path | None) -> str:
    """The shell command textual-serve starts for each browser session."""
    argv = [
        sys.executable,
        "-m",
        "gradesec",
        "--lang",
        get_lang(),
        "hub",
        "dashboard",
        "--today",
        day.isoformat(),
    ]
    if policy is not None:
        argv += ["--policy", str(policy.resolve())]
    return shlex.join(argv)


def serve_dashboard(url: str, day: date, policy: Path | None, host: str, port: int) -> None:
    from textual_serve.server import Server

    os.environ[ENV] = url
    server = Server(dashboard_command(day, policy), host=host, port=port, title=t("hubdash.title"))
    server.serve()
