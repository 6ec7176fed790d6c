"""``gradesec unit edit``, ``gradesec system edit``, ``gradesec finding retract``: corrections, each a signed
event (``gradesec.usecases.corrections``). Options left out keep their current value."""

from __future__ import annotations

from typing import Annotated

import typer

from gradesec.cli import common
from gradesec.cli.assess_common import AssetOpt, InspectionOpt, ItemOpt, KeyOpt, writer
from gradesec.cli.finding_cmd import finding_app
from gradesec.cli.inventory_cmd import system_app, unit_app
from gradesec.i18n import t


def register(app: typer.Typer) -> None:
    """The commands join the ``unit``, ``system`` and ``finding`` groups (registered by their modules)."""


@unit_app.command("edit", help=t("correct.cli.unit.help"))
def unit_edit(
    unit: Annotated[str, typer.Argument(help=t("correct.cli.opt.unit"))],
    name: Annotated[str | None, typer.Option("--name", help=t("assess.cli.opt.name"))] = None,
    code: Annotated[str | None, typer.Option("--code", help=t("assess.cli.opt.code"))] = None,
    region: Annotated[str | None, typer.Option("--region", help=t("assess.cli.opt.region"))] = None,
    contact: Annotated[str | None, typer.Option("--contact", help=t("assess.cli.opt.contact"))] = None,
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases.corrections import update_unit

    with writer(key) as ctx:
        u = update_unit(ctx, unit, name=name, code=code, region=region, contact=contact)
    common.emit(
        {"id": u.id, "name": u.name, "code": u.code, "region": u.region, "contact": u.contact},
        t("correct.cli.updated", id=u.id, name=u.name),
    )


@system_app.command("edit", help=t("correct.cli.system.help"))
def system_edit(
    system: Annotated[str, typer.Argument(help=t("correct.cli.opt.system"))],
    name: Annotated[str | None, typer.Option("--name", help=t("assess.cli.opt.name"))] = None,
    filing_no: Annotated[str | None, typer.Option("--filing-no", help=t("correct.cli.opt.filing_no"))] = None,
    description: Annotated[
        str | None, typer.Option("--description", help=t("correct.cli.opt.description"))
    ] = None,
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases.corrections import update_system

    with writer(key) as ctx:
        s = update_system(ctx, system, name=name, filing_no=filing_no, description=description)
    common.emit(
        {
            "id": s.id,
            "name": s.name,
            "filing_no": s.filing_no,
            "description": s.description,
            "level": s.level,
        },
        t("correct.cli.updated", id=s.id, name=s.name),
    )


@finding_app.command("retract", help=t("correct.cli.retract.help"))
def finding_retract(
    inspection: InspectionOpt,
    item: ItemOpt,
    asset: AssetOpt,
    reason: Annotated[str, typer.Option("--reason", help=t("correct.cli.opt.reason"))] = "",
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases.corrections import retract_finding

    with writer(key) as ctx:
        retract_finding(ctx, inspection, item, asset, reason=reason)
    common.emit(
        {"inspection": inspection, "item": item, "asset": asset, "result": "untested"},
        t("correct.cli.retracted", item=item, asset=asset),
    )
