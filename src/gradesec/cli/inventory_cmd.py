"""``gradesec unit|system|asset …``: what is inspected. Every command calls ``gradesec.usecases.inspections``;
this module only parses options and prints.
"""

from __future__ import annotations

from typing import Annotated

import typer

from gradesec.assess.model import System
from gradesec.cli import common
from gradesec.cli.assess_common import KeyOpt, created, reader, writer
from gradesec.i18n import t

unit_app = typer.Typer(help=t("assess.cli.unit.help"), no_args_is_help=True)
system_app = typer.Typer(help=t("assess.cli.system.help"), no_args_is_help=True)
asset_app = typer.Typer(help=t("assess.cli.asset.help"), no_args_is_help=True)


def _listing(records: list[dict[str, object]], columns: tuple[str, ...], rows: list[list[str]]) -> None:
    """Print a list: ``records`` under ``--json``, else a table of ``rows`` under the ``columns`` heads."""
    common.emit(records, lambda: common.table([t(f"assess.cli.col.{c}") for c in columns], rows))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``app``."""
    app.add_typer(unit_app, name="unit")
    app.add_typer(system_app, name="system")
    app.add_typer(asset_app, name="asset")


@unit_app.command("add", help=t("assess.cli.unit.add.help"))
def unit_add(
    name: Annotated[str, typer.Option("--name", help=t("assess.cli.opt.name"))],
    code: Annotated[str, typer.Option("--code", help=t("assess.cli.opt.code"))] = "",
    region: Annotated[str, typer.Option("--region", help=t("assess.cli.opt.region"))] = "",
    contact: Annotated[str, typer.Option("--contact", help=t("assess.cli.opt.contact"))] = "",
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with writer(key) as ctx:
        created(uc.add_unit(ctx, name, code=code, region=region, contact=contact).id)


@unit_app.command("list", help=t("assess.cli.unit.list.help"))
def unit_list() -> None:
    from gradesec.usecases import inspections as uc

    with reader() as ctx:
        units = uc.list_units(ctx)
    _listing(
        [
            {"id": u.id, "name": u.name, "code": u.code, "region": u.region, "contact": u.contact}
            for u in units
        ],
        ("id", "name", "code", "region"),
        [[u.id, u.name, u.code, u.region] for u in units],
    )


@system_app.command("add", help=t("assess.cli.system.add.help"))
def system_add(
    unit: Annotated[str, typer.Option("--unit", "-u", help=t("assess.cli.opt.unit"))],
    name: Annotated[str, typer.Option("--name", help=t("assess.cli.opt.name"))],
    level: Annotated[int | None, typer.Option("--level", "-l", help=t("assess.cli.opt.level"))] = None,
    business: Annotated[
        str | None, typer.Option("--business", "-b", help=t("assess.cli.opt.business"))
    ] = None,
    service: Annotated[str | None, typer.Option("--service", "-s", help=t("assess.cli.opt.service"))] = None,
    extension: Annotated[
        list[str] | None, typer.Option("--extension", help=t("assess.cli.opt.extension"))
    ] = None,
    filing_no: Annotated[str, typer.Option("--filing-no", help=t("assess.cli.opt.filing_no"))] = "",
    description: Annotated[str, typer.Option("--description", help=t("assess.cli.opt.description"))] = "",
    business_continuity: Annotated[
        bool, typer.Option("--business-continuity", help=t("system.cli.opt.business_continuity"))
    ] = False,
    critical_industry: Annotated[
        bool, typer.Option("--critical-industry", help=t("system.cli.opt.critical_industry"))
    ] = False,
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with writer(key) as ctx:
        system = uc.add_system(
            ctx,
            unit,
            name,
            level=level,
            business=business,
            service=service,
            extensions=extension or [],
            filing_no=filing_no,
            description=description,
            conditions=_conditions(business_continuity, critical_industry),
        )
    common.emit({"id": system.id, "level": system.level, "conditions": list(system.conditions)}, system.id)


def _conditions(business_continuity: bool, critical_industry: bool) -> list[str]:
    flags = (("business_continuity", business_continuity), ("critical_industry", critical_industry))
    return [name for name, on in flags if on]


def _conditions_text(conditions: tuple[str, ...]) -> str:
    return ", ".join(t(f"system.condition.{c}") for c in conditions) or t("system.condition.none")


def _system_json(s: System) -> dict[str, object]:
    return {
        "id": s.id,
        "unit": s.unit_id,
        "name": s.name,
        "level": s.level,
        "extensions": list(s.extensions),
        "filing_no": s.filing_no,
        "grading": s.grading,
        "conditions": list(s.conditions),
    }


@system_app.command("show", help=t("system.cli.show.help"))
def system_show(system: Annotated[str, typer.Argument(help=t("assess.cli.opt.system"))]) -> None:
    from gradesec.usecases import inspections as uc

    with reader() as ctx:
        s = uc.get_system(ctx, system)
    rows = [
        (t("assess.cli.col.id"), s.id),
        (t("assess.cli.col.unit"), s.unit_id),
        (t("assess.cli.col.name"), s.name),
        (t("assess.cli.col.level"), str(s.level)),
        (t("system.cli.col.conditions"), _conditions_text(s.conditions)),
        (t("system.cli.col.extensions"), ", ".join(s.extensions) or "-"),
        (t("system.cli.col.filing_no"), s.filing_no or "-"),
    ]
    common.emit(_system_json(s), lambda: common.echo("\n".join(f"{k}: {v}" for k, v in rows)))


@system_app.command("set-conditions", help=t("system.cli.set_conditions.help"))
def system_set_conditions(
    system: Annotated[str, typer.Argument(help=t("assess.cli.opt.system"))],
    business_continuity: Annotated[
        bool,
        typer.Option(
            "--business-continuity/--no-business-continuity", help=t("system.cli.opt.business_continuity")
        ),
    ] = False,
    critical_industry: Annotated[
        bool,
        typer.Option(
            "--critical-industry/--no-critical-industry", help=t("system.cli.opt.critical_industry")
        ),
    ] = False,
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with writer(key) as ctx:
        s = uc.set_system_conditions(ctx, system, _conditions(business_continuity, critical_industry))
    common.emit(
        _system_json(s),
        t("system.cli.conditions_set", system=s.id, conditions=_conditions_text(s.conditions)),
    )


@system_app.command("list", help=t("assess.cli.system.list.help"))
def system_list(
    unit: Annotated[str | None, typer.Option("--unit", "-u", help=t("assess.cli.opt.unit"))] = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with reader() as ctx:
        systems = uc.list_systems(ctx, unit)
    common.emit(
        [_system_json(s) for s in systems],
        lambda: common.table(
            [t(f"assess.cli.col.{c}") for c in ("id", "unit", "name", "level")]
            + [t("system.cli.col.conditions")],
            [[s.id, s.unit_id, s.name, str(s.level), _conditions_text(s.conditions)] for s in systems],
        ),
    )


@asset_app.command("add", help=t("assess.cli.asset.add.help"))
def asset_add(
    system: Annotated[str, typer.Option("--system", "-s", help=t("assess.cli.opt.system"))],
    kind: Annotated[str, typer.Option("--kind", "-k", help=t("assess.cli.opt.kind"))],
    name: Annotated[str, typer.Option("--name", help=t("assess.cli.opt.name"))],
    address: Annotated[str, typer.Option("--address", help=t("assess.cli.opt.address"))] = "",
    role: Annotated[str, typer.Option("--role", help=t("assess.cli.opt.role"))] = "",
    importance: Annotated[str, typer.Option("--importance", help=t("assess.cli.opt.importance"))] = "",
    notes: Annotated[str, typer.Option("--notes", help=t("assess.cli.opt.notes"))] = "",
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with writer(key) as ctx:
        asset = uc.add_asset(
            ctx, system, kind, name, address=address, role=role, importance=importance, notes=notes
        )
    created(asset.id)


@asset_app.command("list", help=t("assess.cli.asset.list.help"))
def asset_list(
    system: Annotated[str | None, typer.Option("--system", "-s", help=t("assess.cli.opt.system"))] = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with reader() as ctx:
        assets = uc.list_assets(ctx, system)
    _listing(
        [
            {
                "id": a.id,
                "system": a.system_id,
                "kind": a.kind,
                "name": a.name,
                "address": a.address,
                "role": a.role,
                "importance": a.importance,
            }
            for a in assets
        ],
        ("id", "system", "kind", "name"),
        [[a.id, a.system_id, a.kind, a.name] for a in assets],
    )
