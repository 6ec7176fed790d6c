"""``gradesec unit|system|asset|inspection|finding|issue …`` and ``gradesec score``: the inspector's workflow.

Every command calls ``gradesec.usecases.inspections``; this module only parses options and prints. Writes
load the user's key (passphrase from ``GRADESEC_PASSPHRASE`` or a prompt) and create the store on first use,
owned by that key.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gradesec.cli import common
from gradesec.i18n import get_lang, t

if TYPE_CHECKING:
    from gradesec.assess.scoring import ScoreResult
    from gradesec.usecases.context import Context

KeyOpt = Annotated[str | None, typer.Option("--key", help=t("assess.cli.opt.key"))]
InspectionOpt = Annotated[str, typer.Option("--inspection", "-i", help=t("assess.cli.opt.inspection"))]
ItemOpt = Annotated[str, typer.Option("--item", help=t("assess.cli.opt.item"))]
AssetOpt = Annotated[str, typer.Option("--asset", "-a", help=t("assess.cli.opt.asset"))]


def _writer(key_id: str | None) -> Context:
    """A context that can write: the user's key, and the store (created, owned by that key, if missing)."""
    from gradesec.cli.journal_cmd import load_signer
    from gradesec.usecases.context import open_context

    signer = load_signer(key_id)
    return open_context(common.OPTIONS.store_dir, signer=signer, create=True, catalog_loader=common.catalog)


def _reader() -> Context:
    from gradesec.usecases.context import open_context

    return open_context(common.OPTIONS.store_dir, catalog_loader=common.catalog)


def _created(new_id: str) -> None:
    common.emit({"id": new_id}, new_id)


unit_app = typer.Typer(help=t("assess.cli.unit.help"), no_args_is_help=True)
system_app = typer.Typer(help=t("assess.cli.system.help"), no_args_is_help=True)
asset_app = typer.Typer(help=t("assess.cli.asset.help"), no_args_is_help=True)
inspection_app = typer.Typer(help=t("assess.cli.inspection.help"), no_args_is_help=True)
finding_app = typer.Typer(help=t("assess.cli.finding.help"), no_args_is_help=True)
issue_app = typer.Typer(help=t("assess.cli.issue.help"), no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``app``."""
    app.add_typer(unit_app, name="unit")
    app.add_typer(system_app, name="system")
    app.add_typer(asset_app, name="asset")
    app.add_typer(inspection_app, name="inspection")
    app.add_typer(finding_app, name="finding")
    app.add_typer(issue_app, name="issue")
    app.command("score", help=t("assess.cli.score.help"))(score_cmd)


# Units, systems, assets


@unit_app.command("add", help=t("assess.cli.unit.add.help"))
def unit_add(
    name: Annotated[str, typer.Option("--name", help=t("assess.cli.opt.name"))],
    code: Annotated[str, typer.Option("--code", help=t("assess.cli.opt.code"))] = "",
    region: Annotated[str, typer.Option("--region", help=t("assess.cli.opt.region"))] = "",
    contact: Annotated[str, typer.Option("--contact", help=t("assess.cli.opt.contact"))] = "",
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with _writer(key) as ctx:
        _created(uc.add_unit(ctx, name, code=code, region=region, contact=contact).id)


@unit_app.command("list", help=t("assess.cli.unit.list.help"))
def unit_list() -> None:
    from gradesec.usecases import inspections as uc

    with _reader() as ctx:
        units = uc.list_units(ctx)
    common.emit(
        [
            {"id": u.id, "name": u.name, "code": u.code, "region": u.region, "contact": u.contact}
            for u in units
        ],
        lambda: common.table(
            [
                t("assess.cli.col.id"),
                t("assess.cli.col.name"),
                t("assess.cli.col.code"),
                t("assess.cli.col.region"),
            ],
            [[u.id, u.name, u.code, u.region] for u in units],
        ),
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
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with _writer(key) as ctx:
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
        )
    common.emit({"id": system.id, "level": system.level}, system.id)


@system_app.command("list", help=t("assess.cli.system.list.help"))
def system_list(
    unit: Annotated[str | None, typer.Option("--unit", "-u", help=t("assess.cli.opt.unit"))] = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with _reader() as ctx:
        systems = uc.list_systems(ctx, unit)
    common.emit(
        [
            {
                "id": s.id,
                "unit": s.unit_id,
                "name": s.name,
                "level": s.level,
                "extensions": list(s.extensions),
                "filing_no": s.filing_no,
                "grading": s.grading,
            }
            for s in systems
        ],
        lambda: common.table(
            [
                t("assess.cli.col.id"),
                t("assess.cli.col.unit"),
                t("assess.cli.col.name"),
                t("assess.cli.col.level"),
            ],
            [[s.id, s.unit_id, s.name, str(s.level)] for s in systems],
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

    with _writer(key) as ctx:
        asset = uc.add_asset(
            ctx, system, kind, name, address=address, role=role, importance=importance, notes=notes
        )
    _created(asset.id)


@asset_app.command("list", help=t("assess.cli.asset.list.help"))
def asset_list(
    system: Annotated[str | None, typer.Option("--system", "-s", help=t("assess.cli.opt.system"))] = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with _reader() as ctx:
        assets = uc.list_assets(ctx, system)
    common.emit(
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
        lambda: common.table(
            [
                t("assess.cli.col.id"),
                t("assess.cli.col.system"),
                t("assess.cli.col.kind"),
                t("assess.cli.col.name"),
            ],
            [[a.id, a.system_id, a.kind, a.name] for a in assets],
        ),
    )


# Inspections


@inspection_app.command("new", help=t("assess.cli.inspection.new.help"))
def inspection_new(
    system: Annotated[str, typer.Option("--system", "-s", help=t("assess.cli.opt.system"))],
    profile: Annotated[str, typer.Option("--profile", "-p", help=t("assess.cli.opt.profile"))],
    policy: Annotated[str | None, typer.Option("--policy", help=t("assess.cli.opt.policy"))] = None,
    assets: Annotated[
        list[str] | None, typer.Option("--asset", "-a", help=t("assess.cli.opt.assets"))
    ] = None,
    title: Annotated[str, typer.Option("--title", help=t("assess.cli.opt.title"))] = "",
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with _writer(key) as ctx:
        insp = uc.new_inspection(ctx, system, profile, policy_id=policy, asset_ids=assets, title=title)
    _created(insp.id)


@inspection_app.command("list", help=t("assess.cli.inspection.list.help"))
def inspection_list(
    system: Annotated[str | None, typer.Option("--system", "-s", help=t("assess.cli.opt.system"))] = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with _reader() as ctx:
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

    with _reader() as ctx:
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
                        _risk_label(i.effective, i.risk),
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


def _risk_label(effective: str | None, rated: str | None) -> str:
    if effective is None:
        return t("assess.cli.risk.unrated")
    label = t(f"assess.cli.risk.{effective}")
    return label if rated is not None else t("assess.cli.risk.suggested", risk=label)


@inspection_app.command("add-assets", help=t("assess.cli.inspection.add_assets.help"))
def inspection_add_assets(
    inspection: Annotated[str, typer.Argument(help=t("assess.cli.opt.inspection"))],
    assets: Annotated[list[str], typer.Argument(help=t("assess.cli.opt.assets"))],
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with _writer(key) as ctx:
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
    with _writer(key) as ctx:
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

    with _writer(key) as ctx:
        insp = uc.reopen_inspection(ctx, inspection, reason)
    common.emit({"id": insp.id, "status": insp.status}, t("assess.cli.reopened", id=insp.id))


# Findings and issues


@finding_app.command("record", help=t("assess.cli.finding.record.help"))
def finding_record(
    inspection: InspectionOpt,
    item: ItemOpt,
    asset: AssetOpt,
    result: Annotated[str, typer.Option("--result", "-r", help=t("assess.cli.opt.result"))],
    note: Annotated[str, typer.Option("--note", help=t("assess.cli.opt.note"))] = "",
    method: Annotated[str | None, typer.Option("--method", help=t("assess.cli.opt.method"))] = None,
    reason: Annotated[str, typer.Option("--reason", help=t("assess.cli.opt.na_reason"))] = "",
    evidence: Annotated[
        list[Path] | None, typer.Option("--evidence", "-e", help=t("assess.cli.opt.evidence"))
    ] = None,
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.views import finding_json

    with _writer(key) as ctx:
        finding = uc.record_finding(
            ctx,
            inspection,
            item,
            asset,
            result,
            note=note,
            method=method,
            reason=reason,
            evidence=evidence or [],
        )
        suggestion = uc.suggest_risk(ctx, inspection, item, result)
    data = finding_json(finding)
    data["suggested_risk"] = suggestion.risk
    data["cases"] = list(suggestion.cases)
    text = t(
        "assess.cli.recorded",
        item=item,
        asset=asset,
        result=t(f"assess.cli.result.{result}"),
        revision=finding.revision,
    )
    if suggestion.risk == "high":
        text += "\n" + t("assess.cli.high_suggested", cases=", ".join(suggestion.cases))
    common.emit(data, text)


@finding_app.command("record-many", help=t("assess.cli.finding.import.help"))
def finding_import(
    inspection: InspectionOpt,
    source: Annotated[Path, typer.Argument(help=t("assess.cli.opt.import_file"))],
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    entries = _read_entries(source)
    with _writer(key) as ctx:
        findings = uc.record_findings(ctx, inspection, entries)
    common.emit(
        {"inspection": inspection, "recorded": len(findings)},
        t("assess.cli.imported", n=len(findings), inspection=inspection),
    )


def _read_entries(source: Path) -> list[Any]:
    """Rows of a CSV (header item,asset,result[,note,method,reason,evidence]) or a JSON list of objects.

    Evidence paths (``;``-separated in CSV) are relative to the file's folder.
    """
    import csv
    import json

    from gradesec.errors import UsageError
    from gradesec.usecases.inspections import FindingInput

    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(
            t("assess.cli.import.unreadable", path=str(source), detail=str(exc)), t("assess.cli.import.hint")
        ) from None
    rows: list[dict[str, Any]]
    if source.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise UsageError(
                t("assess.cli.import.unreadable", path=str(source), detail=str(exc)),
                t("assess.cli.import.hint"),
            ) from None
        rows = data if isinstance(data, list) and all(isinstance(r, dict) for r in data) else []
        if not rows and data:
            raise UsageError(t("assess.cli.import.shape", path=str(source)), t("assess.cli.import.hint"))
    else:
        rows = list(csv.DictReader(text.splitlines()))
    out: list[FindingInput] = []
    for n, row in enumerate(rows, start=1):
        missing = [k for k in ("item", "asset", "result") if not str(row.get(k) or "").strip()]
        if missing:
            raise UsageError(
                t("assess.cli.import.missing", row=n, keys=", ".join(missing)), t("assess.cli.import.hint")
            )
        evidence = row.get("evidence") or []
        if isinstance(evidence, str):
            evidence = [e for e in (p.strip() for p in evidence.split(";")) if e]
        out.append(
            FindingInput(
                item=str(row["item"]).strip(),
                asset=str(row["asset"]).strip(),
                result=str(row["result"]).strip(),
                note=str(row.get("note") or ""),
                method=str(row["method"]).strip() if row.get("method") else None,
                reason=str(row.get("reason") or ""),
                evidence=tuple(source.parent / str(e) for e in evidence),
            )
        )
    return out


@finding_app.command("list", help=t("assess.cli.finding.list.help"))
def finding_list(inspection: InspectionOpt) -> None:
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.views import finding_json

    with _reader() as ctx:
        view = uc.load_inspection(ctx, inspection)
    findings = sorted(view.findings.values(), key=lambda f: (f.item_id, f.asset_id))
    common.emit(
        [finding_json(f) for f in findings],
        lambda: common.table(
            [
                t("assess.cli.col.item"),
                t("assess.cli.col.asset"),
                t("assess.cli.col.result"),
                t("assess.cli.col.revision"),
            ],
            [[f.item_id, f.asset_id, t(f"assess.cli.result.{f.result}"), str(f.revision)] for f in findings],
        ),
    )


@finding_app.command("history", help=t("assess.cli.finding.history.help"))
def finding_history(inspection: InspectionOpt, item: ItemOpt, asset: AssetOpt) -> None:
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.views import finding_json

    with _reader() as ctx:
        history = uc.finding_history(ctx, inspection, item, asset)
        names = {k: v.name for k, v in ctx.store.known_identities().items()}
    common.emit(
        [finding_json(f) for f in history],
        lambda: common.table(
            [
                t("assess.cli.col.revision"),
                t("assess.cli.col.result"),
                t("assess.cli.col.author"),
                t("assess.cli.col.at"),
                t("assess.cli.col.note"),
            ],
            [
                [
                    str(f.revision) + (" *" if f.resolution else ""),
                    t(f"assess.cli.result.{f.result}"),
                    names.get(f.author, f.author[:8]),
                    f.at,
                    f.note or f.na_reason,
                ]
                for f in history
            ],
        ),
    )


@finding_app.command("resolve", help=t("assess.cli.finding.resolve.help"))
def finding_resolve(
    inspection: InspectionOpt,
    item: ItemOpt,
    asset: AssetOpt,
    result: Annotated[str, typer.Option("--result", "-r", help=t("assess.cli.opt.result"))],
    reason: Annotated[str, typer.Option("--reason", help=t("assess.cli.opt.ruling_reason"))],
    note: Annotated[str, typer.Option("--note", help=t("assess.cli.opt.note"))] = "",
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.views import finding_json

    with _writer(key) as ctx:
        finding = uc.resolve_disagreement(ctx, inspection, item, asset, result, reason=reason, note=note)
    common.emit(
        finding_json(finding),
        t("assess.cli.resolved", item=item, asset=asset, result=t(f"assess.cli.result.{result}")),
    )


@issue_app.command("rate", help=t("assess.cli.issue.rate.help"))
def issue_rate(
    inspection: InspectionOpt,
    item: ItemOpt,
    asset: AssetOpt,
    risk: Annotated[str, typer.Option("--risk", help=t("assess.cli.opt.risk"))],
    compensation: Annotated[str, typer.Option("--compensation", help=t("assess.cli.opt.compensation"))] = "",
    reason: Annotated[str, typer.Option("--reason", help=t("assess.cli.opt.rating_reason"))] = "",
    major: Annotated[bool, typer.Option("--major", help=t("assess.cli.opt.major"))] = False,
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.views import issue_json

    with _writer(key) as ctx:
        issue = uc.rate_issue(
            ctx, inspection, item, asset, risk, compensation=compensation, reason=reason, major=major
        )
    common.emit(
        issue_json(issue), t("assess.cli.rated", item=item, asset=asset, risk=t(f"assess.cli.risk.{risk}"))
    )


@issue_app.command("list", help=t("assess.cli.issue.list.help"))
def issue_list(inspection: InspectionOpt) -> None:
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.views import issue_json

    with _reader() as ctx:
        view = uc.load_inspection(ctx, inspection)
    common.emit(
        [issue_json(i) for i in view.issues],
        lambda: common.table(
            [
                t("assess.cli.col.item"),
                t("assess.cli.col.asset"),
                t("assess.cli.col.result"),
                t("assess.cli.col.risk"),
            ],
            [
                [i.item_id, i.asset_id, t(f"assess.cli.result.{i.result}"), _risk_label(i.effective, i.risk)]
                for i in view.issues
            ],
        ),
    )


# Scores


def score_cmd(
    inspection: InspectionOpt,
    policy: Annotated[
        list[str] | None, typer.Option("--policy", help=t("assess.cli.opt.score_policy"))
    ] = None,
) -> None:
    from gradesec.usecases import inspections as uc

    with _reader() as ctx:
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
