"""What the assessment commands (``inventory_cmd``, ``inspect_cmd``, ``finding_cmd``) share: their options,
the contexts they read and write through, and how they print a risk.

Writes load the user's key (passphrase from ``GRADESEC_PASSPHRASE`` or a prompt) and create the store on
first use, owned by that key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from gradesec.cli import common
from gradesec.i18n import t

if TYPE_CHECKING:
    from gradesec.usecases.context import Context


KeyOpt = Annotated[str | None, typer.Option("--key", help=t("assess.cli.opt.key"))]
InspectionOpt = Annotated[str, typer.Option("--inspection", "-i", help=t("assess.cli.opt.inspection"))]
ItemOpt = Annotated[str, typer.Option("--item", help=t("assess.cli.opt.item"))]
AssetOpt = Annotated[str, typer.Option("--asset", "-a", help=t("assess.cli.opt.asset"))]


def writer(key_id: str | None) -> Context:
    """A context that can write: the user's key, and the store (created, owned by that key, if missing)."""
    from gradesec.cli.journal_cmd import load_signer
    from gradesec.usecases.context import open_context

    signer = load_signer(key_id)
    return open_context(common.OPTIONS.store_dir, signer=signer, create=True, catalog_loader=common.catalog)


def reader() -> Context:
    from gradesec.usecases.context import open_context

    return open_context(common.OPTIONS.store_dir, catalog_loader=common.catalog)


def created(new_id: str) -> None:
    common.emit({"id": new_id}, new_id)


def risk_label(effective: str | None, rated: str | None) -> str:
    if effective is None:
        return t("assess.cli.risk.unrated")
    label = t(f"assess.cli.risk.{effective}")
    return label if rated is not None else t("assess.cli.risk.suggested", risk=label)
