"""Commands of this group are added by their issue; until then the group registers nothing."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``app``."""
