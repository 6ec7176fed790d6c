"""Opening the TUI from the command line (Textual is imported only here, lazily)."""

from __future__ import annotations

from pathlib import Path

from gradesec.errors import GradesecError


def open_tui(store_dir: Path, *, demo: bool) -> None:
    try:
        from gradesec.tui.app import run_app
    except ImportError as exc:  # the TUI package is optional only while it is being built
        raise GradesecError("The terminal UI is not available in this build.", str(exc)) from exc
    run_app(store_dir, demo=demo)
