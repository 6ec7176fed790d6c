"""Opening the TUI from the command line (Textual is imported only here, lazily)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gradesec.errors import GradesecError
from gradesec.i18n import t

if TYPE_CHECKING:
    from gradesec.journal.keys import Signer


def open_tui(
    store_dir: Path,
    *,
    demo: bool,
    signer: Signer | None = None,
    config_dir: Path | None = None,
    open_inspection: str | None = None,
) -> None:
    """Run the TUI on ``store_dir`` until the user quits."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise GradesecError(t("tui.no_terminal"), t("tui.no_terminal.hint"))
    from gradesec.cli import common
    from gradesec.tui.app import run_app
    from gradesec.tui.session import Launch

    run_app(
        Launch(
            store_dir=store_dir,
            config_dir=config_dir,
            signer=signer,
            catalog_dirs=list(common.OPTIONS.catalog_dirs),
            open_inspection=open_inspection,
            demo=demo,
        )
    )
