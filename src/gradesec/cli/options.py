"""Options shared by several command groups (kept out of ``common``, which the bare TUI start imports)."""

from __future__ import annotations

from typing import Annotated

import typer

from gradesec.i18n import t

# Every command that writes a file for a person takes ``--force`` (see ``gradesec.outputs``).
ForceOpt = Annotated[bool, typer.Option("--force", help=t("output.opt.force"))]
