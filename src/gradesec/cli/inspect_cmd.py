"""``gradesec inspection …`` and ``gradesec score``: opening, showing, closing inspections and scoring them.

Every command calls ``gradesec.usecases.inspections``; this module only parses options and prints. The
other assessment commands are in ``inventory_cmd`` (unit, system, asset) and ``finding_cmd`` (finding,
issue).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from gradesec.cli import common
from gradesec.cli.assess_common import InspectionOpt, KeyOpt, created, reader, risk_label, writer
from gradesec.i18n import get_lang, t

if TYPE_CHECKING:
    from gradesec.assess.scoring import ScoreResult


inspection_app = typer.Typer(help=t("assess.cli.inspection.help"), no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``app``."""
    from gradesec.cli import team_cmd

    team_cmd.register(inspection_app)
    app.add_typer(inspection_app, name="inspection")
    app.command("score", help=t("assess.cli.score.help"))(score_cmd)


@inspection_app.command("new", help=t("assess.cli.inspection.new.help"))
def inspection_new(
    system: Annotated[str, typer.Option("--system", "-s", help=t("assess.cli.opt.system"))],
    profile: Annotated[str, typer.Option("--profile", "-p", help=t("assess.cli.opt.profile"))],
    policy: Annotated[str | None, typer.Option("--policy", help=t("assess.cli.opt.policy"))] = None,
    assets: Annotated[
        list[str] | None, typer.Option("--asset", "-a", help=t("assess.cli.opt.assets"))
    ] = None,
    title: Annotated[str, typer.Option("--title", help=t("assess.cli.opt.title"))] = "",
    category_objects: Annotated[
        bool,
        typer.Option("--category-objects/--no-category-objects", help=t("workbook.cli.opt.category_objects")),
    ] = True,
    extensions: Annotated[
        str | None, typer.Option("--extensions", "-x", help=t("assess.cli.opt.extensions"))
    ] = None,
    cloud_side: Annotated[
        str | None, typer.Option("--cloud-side", help=t("assess.cli.opt.cloud_side"))
    ] = None,
    key: KeyOpt = None,
) -> None:
    from gradesec.catalog.compose import compose_profile_id
    from gradesec.usecases import inspections as uc

    profile_id = compose_profile_id(profile, extensions, cloud_side)
    with writer(key) as ctx:
        insp = uc.new_inspection(
            ctx,
            system,
            profile_id,
            policy_id=policy,
            asset_ids=assets,
            title=title,
            category_objects=category_objects,
        )
    created(insp.id)


@inspection_app.command("list", help=t("assess.cli.inspection.list.help"))
def inspection_list(
    system: Annotated[str | None, typer.Option("--system", "-s", help=t("assess.cli.opt.system"))] = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with reader() as ctx:
        views = [uc.load_inspection(ctx, i.id) for i in uc.list_inspections(ctx, system)]
    rows: list[dict[str, Any]] = [
        {
            "id": v.inspection.id,
            "system": v.system.id,
            "system_name": v.system.name,
            "profile": v.inspection.profile_id,
            "policy": v.inspection.policy_id,
            "status": v.inspection.status,
            "opened_at": v.inspection.opened_at,
            "progress": v.progress.as_json(),
        }
        for v in views
    ]
    common.emit(
        rows,
        lambda: common.table(
            [
                t("assess.cli.col.id"),
                t("assess.cli.col.system"),
                t("assess.cli.col.profile"),
                t("assess.cli.col.status"),
                t("assess.cli.col.progress"),
            ],
            [
                [
                    r["id"],
                    r["system_name"],
                    r["profile"],
                    t(f"assess.cli.status.{r['status']}"),
                    f"{r['progress']['recorded']}/{r['progress']['applicable']}",
                ]
                for r in rows
            ],
        ),
    )


@inspection_app.command("show", help=t("assess.cli.inspection.show.help"))
def inspection_show(inspection: Annotated[str, typer.Argument(help=t("assess.cli.opt.inspection"))]) -> None:
    from gradesec.usecases import inspections as uc

    with reader() as ctx:
        view = uc.load_inspection(ctx, inspection)
        categories = {i.category.code: i.category.name.get(get_lang()) for i in view.resolved.values()}

    def human() -> None:
        insp = view.inspection
        common.echo(
            t(
                "assess.cli.show.title",
                id=insp.id,
                title=insp.title or "-",
                status=t(f"assess.cli.status.{insp.status}"),
            )
        )
        unit = view.unit.name if view.unit else "-"
        common.echo(t("assess.cli.show.system", system=view.system.name, unit=unit, level=insp.level))
        common.echo(t("assess.cli.show.profile", profile=insp.profile_id, policy=insp.policy_id))
        if insp.reopen_reason:
            common.echo(t("assess.cli.show.reopened", reason=insp.reopen_reason))
        if view.catalog_changed:
            common.echo(t("assess.cli.show.changed", files=", ".join(view.catalog_changed)))
        p = view.progress
        common.echo(
            t("assess.cli.show.progress", recorded=p.recorded, applicable=p.applicable, pct=f"{p.ratio:.0%}")
        )
        common.echo()
        common.table(
            [t("assess.cli.col.category"), t("assess.cli.col.progress")],
            [[f"{code} {categories.get(code, '')}", f"{r}/{a}"] for code, (r, a) in p.by_category.items()],
        )
        if view.issues:
            common.echo()
            common.table(
                [
                    t("assess.cli.col.item"),
                    t("assess.cli.col.asset"),
                    t("assess.cli.col.result"),
                    t("assess.cli.col.risk"),
                ],
                [
                    [
                        i.item_id,
                        i.asset_id,
                        t(f"assess.cli.result.{i.result}"),
                        risk_label(i.effective, i.risk),
                    ]
                    for i in view.issues
                ],
            )
        if view.disagreements:
            common.echo()
            common.echo(t("assess.cli.show.disputes", n=len(view.disagreements)))
            for d in view.disagreements:
                common.echo(
                    f"  {d.item_id} @ {d.asset_id}: "
                    + ", ".join(f"{a[:8]}={r}" for a, r in d.results.items())
                )

    common.emit(view.as_json(), human)


@inspection_app.command("add-assets", help=t("assess.cli.inspection.add_assets.help"))
def inspection_add_assets(
    inspection: Annotated[str, typer.Argument(help=t("assess.cli.opt.inspection"))],
    assets: Annotated[list[str], typer.Argument(help=t("assess.cli.opt.assets"))],
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with writer(key) as ctx:
        insp = uc.add_inspection_assets(ctx, inspection, assets)
    common.emit(
        {"id": insp.id, "assets": list(insp.asset_ids)}, t("assess.cli.assets_added", n=len(insp.asset_ids))
    )


@inspection_app.command("close", help=t("assess.cli.inspection.close.help"))
def inspection_close(
    inspection: Annotated[str, typer.Argument(help=t("assess.cli.opt.inspection"))], key: KeyOpt = None
) -> None:
    from gradesec.usecases import inspections as uc
    from gradesec.usecases import remediation

    # Closing hands the issues over to remediation tracking: one item per issue, with the profile's deadline.
    with writer(key) as ctx:
        planned = remediation.close_and_plan(ctx, inspection)
        insp = uc.get_inspection(ctx, inspection)
    common.emit(
        {"id": insp.id, "status": insp.status, "remediation_items": [i.id for i in planned]},
        t("assess.cli.closed", id=insp.id) + "\n" + t("assess.cli.planned", n=len(planned)),
    )


@inspection_app.command("reopen", help=t("assess.cli.inspection.reopen.help"))
def inspection_reopen(
    inspection: Annotated[str, typer.Argument(help=t("assess.cli.opt.inspection"))],
    reason: Annotated[str, typer.Option("--reason", help=t("assess.cli.opt.reopen_reason"))],
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with writer(key) as ctx:
        insp = uc.reopen_inspection(ctx, inspection, reason)
    common.emit({"id": insp.id, "status": insp.status}, t("assess.cli.reopened", id=insp.id))


def score_cmd(
    inspection: InspectionOpt,
    policy: Annotated[
        list[str] | None, typer.Option("--policy", help=t("assess.cli.opt.score_policy"))
    ] = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with reader() as ctx:
        wanted: list[str | None] = list(policy) if policy else [None]
        results = [uc.score(ctx, inspection, p) for p in wanted]
    payload: dict[str, Any] | list[dict[str, Any]]
    payload = [{"inspection": inspection, **r.as_json()} for r in results]
    if len(payload) == 1:
        payload = payload[0]

    def human() -> None:
        for n, r in enumerate(results):
            if n:
                common.echo()
            _print_score(r)

    common.emit(payload, human)


def _print_score(r: ScoreResult) -> None:
    lang = get_lang()
    value = "-" if r.score is None else f"{r.score:.2f}"
    common.echo(
        t(
            "assess.cli.score.line",
            policy=r.policy_id,
            method=r.method,
            score=value,
            conclusion=r.conclusion.label[lang],
        )
    )
    if r.compliance_rate is not None:
        common.echo(t("assess.cli.score.rate", rate=f"{r.compliance_rate:.2f}"))
    if r.approximation and r.note:
        common.echo(r.note[lang])
    if r.provisional:
        common.echo(t("assess.cli.score.provisional"))
    if r.progress is not None:
        common.echo(
            t(
                "assess.cli.show.progress",
                recorded=r.progress.recorded,
                applicable=r.progress.applicable,
                pct=f"{r.progress.ratio:.0%}",
            )
        )
    res = r.results
    common.echo(
        t(
            "assess.cli.score.results",
            compliant=res["compliant"],
            partial=res["partial"],
            noncompliant=res["noncompliant"],
            na=res["na"],
        )
    )
    iss = r.issues
    common.echo(
        t(
            "assess.cli.score.issues",
            high=iss["high"],
            medium=iss["medium"],
            low=iss["low"],
            unrated=iss["unrated"],
        )
    )
    common.echo()
    common.table(
        [t("assess.cli.col.category"), t("assess.cli.col.items"), t("assess.cli.col.score")],
        [[c.code, str(c.items), "-" if c.score is None else f"{c.score:.2f}"] for c in r.categories],
    )
