"""``gradesec asset update``, ``finding correct|corrections``, ``issue judge-major|majors|triggers``: the
assessor's later word (asset edits, 整体测评 corrections, 重大风险隐患 judgements). The commands join the
``asset``, ``finding`` and ``issue`` groups; every one calls ``gradesec.usecases.inspections``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from gradesec.assess.model import importance_of
from gradesec.cli import common
from gradesec.cli.assess_common import InspectionOpt, ItemOpt, KeyOpt, reader, writer
from gradesec.cli.finding_cmd import finding_app, issue_app
from gradesec.cli.inventory_cmd import asset_app
from gradesec.errors import UsageError
from gradesec.i18n import t


def register(app: typer.Typer) -> None:
    """Nothing to add at the top level: importing this module attaches its commands to their groups."""
    del app


@asset_app.command("update", help=t("scoring.cli.asset.update.help"))
def asset_update(
    asset: Annotated[str, typer.Argument(help=t("assess.cli.opt.asset"))],
    name: Annotated[str | None, typer.Option("--name", help=t("assess.cli.opt.name"))] = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help=t("assess.cli.opt.kind"))] = None,
    address: Annotated[
        str | None, typer.Option("--address", "--ip", help=t("assess.cli.opt.address"))
    ] = None,
    version: Annotated[str | None, typer.Option("--version", help=t("scoring.cli.opt.version"))] = None,
    role: Annotated[str | None, typer.Option("--role", help=t("assess.cli.opt.role"))] = None,
    importance: Annotated[
        str | None, typer.Option("--importance", help=t("assess.cli.opt.importance"))
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=t("assess.cli.opt.notes"))] = None,
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with writer(key) as ctx:
        a = uc.update_asset(
            ctx,
            asset,
            name=name,
            kind=kind,
            address=address,
            version=version,
            role=role,
            importance=importance,
            notes=notes,
        )
    data = {
        "id": a.id,
        "name": a.name,
        "kind": a.kind,
        "address": a.address,
        "version": a.version,
        "role": a.role,
        "importance": a.importance,
        "notes": a.notes,
    }
    common.emit(
        data,
        t(
            "scoring.cli.asset.updated",
            id=a.id,
            importance=t(f"scoring.importance.{importance_of(a.importance)}"),
        ),
    )


@finding_app.command("correct", help=t("scoring.cli.finding.correct.help"))
def finding_correct(
    inspection: InspectionOpt,
    item: ItemOpt,
    result: Annotated[str, typer.Option("--result", "-r", help=t("assess.cli.opt.result"))],
    reason: Annotated[str, typer.Option("--reason", help=t("scoring.cli.opt.correct_reason"))],
    asset: Annotated[str, typer.Option("--asset", "-a", help=t("scoring.cli.opt.correct_asset"))] = "",
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with writer(key) as ctx:
        c = uc.correct_finding(ctx, inspection, item, result, reason=reason, asset_id=asset)
    common.emit(
        c.as_json(),
        t(
            "scoring.cli.corrected",
            item=item,
            asset=asset or "*",
            original=t(f"assess.cli.result.{c.original}") if c.original else "-",
            result=t(f"assess.cli.result.{c.result}"),
        ),
    )


@finding_app.command("corrections", help=t("scoring.cli.finding.corrections.help"))
def finding_corrections(inspection: InspectionOpt) -> None:
    from gradesec.usecases import inspections as uc

    with reader() as ctx:
        found = uc.list_corrections(ctx, inspection)
    common.emit(
        [c.as_json() for c in found],
        lambda: common.table(
            [
                t("assess.cli.col.item"),
                t("assess.cli.col.asset"),
                t("assess.cli.col.result"),
                t("scoring.cli.col.reason"),
            ],
            [[c.item_id, c.asset_id or "*", t(f"assess.cli.result.{c.result}"), c.reason] for c in found],
        ),
    )


@issue_app.command("judge-major", help=t("scoring.cli.issue.judge.help"))
def issue_judge_major(
    inspection: InspectionOpt,
    item: Annotated[list[str], typer.Option("--item", help=t("scoring.cli.opt.judge_item"))],
    reason: Annotated[str, typer.Option("--reason", help=t("scoring.cli.opt.judge_reason"))],
    major: Annotated[bool, typer.Option("--major/--not-major", help=t("scoring.cli.opt.judge_major"))] = True,
    trigger: Annotated[str, typer.Option("--trigger", help=t("scoring.cli.opt.trigger"))] = "",
    asset: Annotated[
        list[str] | None, typer.Option("--asset", "-a", help=t("scoring.cli.opt.judge_asset"))
    ] = None,
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    asset = asset or []
    if len(item) != len(asset):
        raise UsageError(t("scoring.cli.error.pairs"), t("scoring.error.no_issues.hint"))
    with writer(key) as ctx:
        j = uc.judge_major_risk(
            ctx, inspection, list(zip(item, asset, strict=True)), major=major, reason=reason, trigger=trigger
        )
    verdict = t("scoring.cli.verdict.major") if j.major else t("scoring.cli.verdict.not_major")
    common.emit(j.as_json(), t("scoring.cli.judged", id=j.id, n=len(j.issues), verdict=verdict))


@issue_app.command("majors", help=t("scoring.cli.issue.majors.help"))
def issue_majors(inspection: InspectionOpt) -> None:
    from gradesec.usecases import inspections as uc

    with reader() as ctx:
        found = uc.judgements(ctx, inspection)
    majors = [j for j in found if j.major]
    count = t("scoring.major.count", n=len(majors), m=sum(1 for j in majors if j.remediated))

    def human() -> None:
        common.table(
            [
                t("scoring.cli.col.id"),
                t("scoring.cli.col.verdict"),
                t("scoring.cli.col.trigger"),
                t("scoring.cli.col.issues"),
                t("scoring.cli.col.reason"),
            ],
            [
                [
                    j.id,
                    t("scoring.cli.verdict.major") if j.major else t("scoring.cli.verdict.not_major"),
                    j.trigger or "-",
                    ", ".join(f"{i}@{a}" for i, a in j.issues),
                    j.reason,
                ]
                for j in found
            ],
        )
        common.echo(t("scoring.cli.major_count", count=count))

    common.emit({"judgements": [j.as_json() for j in found], "count": count}, human)


@issue_app.command("triggers", help=t("scoring.cli.issue.triggers.help"))
def issue_triggers() -> None:
    from gradesec.catalog.major_risk import trigger_ids
    from gradesec.i18n import get_lang

    lang = get_lang()
    found = trigger_ids(common.catalog())
    common.emit(
        [
            {"id": k, "category": v.category, "title": v.title.as_dict(), "guidance": v.guidance.as_dict()}
            for k, v in found.items()
        ],
        lambda: common.table(
            [t("scoring.cli.col.id"), t("scoring.cli.col.category"), t("scoring.cli.col.title")],
            [[k, v.category, v.title.get(lang)] for k, v in found.items()],
        ),
    )
