"""Options shared by several command groups (kept out of ``common``, which the bare TUI start imports)."""

from __future__ import annotations

from typing import Annotated

import typer

from gradesec.i18n import t

# Every command that writes a file for a person takes ``--force`` (see ``gradesec.outputs``).
ForceOpt = Annotated[bool, typer.Option("--force", help=t("output.opt.force"))]
# Commands that sign choose the key with ``--key`` (default: the user's one key).
KeyOpt = Annotated[str | None, typer.Option("--key", help=t("remedy.cli.opt.key"))]
