"""``gradesec finding|issue …``: recording results (one or many), their history, rulings on disagreements,
and issue risks. Every command calls ``gradesec.usecases.inspections``; this module only parses options
and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gradesec.cli import common
from gradesec.cli.assess_common import AssetOpt, InspectionOpt, ItemOpt, KeyOpt, reader, risk_label, writer
from gradesec.i18n import t
from gradesec.localtime import local_time

if TYPE_CHECKING:
    pass


finding_app = typer.Typer(help=t("assess.cli.finding.help"), no_args_is_help=True)
issue_app = typer.Typer(help=t("assess.cli.issue.help"), no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``app``."""
    app.add_typer(finding_app, name="finding")
    app.add_typer(issue_app, name="issue")


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

    with writer(key) as ctx:
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
        beyond = bool(finding.scope_extension)  # as kept with the record
    data = finding_json(finding)
    data["suggested_risk"] = suggestion.risk
    data["cases"] = list(suggestion.cases)
    data["scope_extension"] = beyond
    text = t(
        "assess.cli.recorded",
        item=item,
        asset=asset,
        result=t(f"assess.cli.result.{result}"),
        revision=finding.revision,
    )
    if beyond:
        text += "\n" + t("workbook.cli.scope", n=1)
    if suggestion.risk == "high":
        text += "\n" + t("assess.cli.high_suggested", cases=", ".join(suggestion.cases))
    common.emit(data, text)


@finding_app.command("record-many", help=t("assess.cli.finding.import.help"))
def finding_import(
    inspection: InspectionOpt,
    source: Annotated[Path, typer.Argument(help=t("assess.cli.opt.import_file"))],
    evidence_dir: Annotated[
        Path | None, typer.Option("--evidence-dir", help=t("assess.cli.opt.evidence_dir"))
    ] = None,
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc

    entries = _read_entries(source, evidence_dir)
    with writer(key) as ctx:
        findings = uc.record_findings(ctx, inspection, entries)
    common.emit(
        {"inspection": inspection, "recorded": len(findings)},
        t("assess.cli.imported", n=len(findings), inspection=inspection),
    )


def _read_entries(source: Path, evidence_dir: Path | None = None) -> list[Any]:
    """Rows of a CSV (header item,asset,result[,note,method,reason,evidence]) or a JSON list of objects.

    Evidence paths (``;``-separated in CSV) are relative to the file's folder (or ``evidence_dir``) and must
    stay inside it: a file received from someone else cannot pull ``/etc/passwd`` or ``../../.ssh`` in.
    """
    import csv
    import json

    from gradesec.errors import UsageError
    from gradesec.usecases.inspections import FindingInput

    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(
            t("assess.cli.import.unreadable", path=str(source), detail=detail), t("assess.cli.import.hint")
        ) from None
    rows: list[dict[str, Any]]
    if source.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise UsageError(
                t("assess.cli.import.unreadable", path=str(source), detail=str(exc)),
                t("assess.cli.import.hint"),
            ) from None
        rows = data if isinstance(data, list) and all(isinstance(r, dict) for r in data) else []
        if not rows and data:
            raise UsageError(t("assess.cli.import.shape", path=str(source)), t("assess.cli.import.hint"))
    else:
        try:
            rows = list(csv.DictReader(text.splitlines()))
        except csv.Error as exc:
            raise UsageError(
                t("assess.cli.import.unreadable", path=str(source), detail=str(exc)),
                t("assess.cli.import.hint"),
            ) from None
    base = evidence_dir if evidence_dir is not None else source.parent
    out: list[FindingInput] = []
    for n, row in enumerate(rows, start=1):
        missing = [k for k in ("item", "asset", "result") if not str(row.get(k) or "").strip()]
        if missing:
            raise UsageError(
                t("assess.cli.import.missing", row=n, keys=", ".join(missing)), t("assess.cli.import.hint")
            )
        evidence = _evidence_of(row.get("evidence"), base, n)
        out.append(
            FindingInput(
                item=str(row["item"]).strip(),
                asset=str(row["asset"]).strip(),
                result=str(row["result"]).strip(),
                note=str(row.get("note") or ""),
                method=str(row["method"]).strip() if row.get("method") else None,
                reason=str(row.get("reason") or ""),
                evidence=tuple(evidence),
            )
        )
    return out


def _evidence_of(value: Any, base: Path, row: int) -> list[Path]:
    from gradesec.errors import UsageError
    from gradesec.permissions import inside

    if value is None or value == "":
        return []
    if isinstance(value, str):
        names = [e for e in (p.strip() for p in value.split(";")) if e]
    elif isinstance(value, list) and all(isinstance(e, str) for e in value):
        names = [e.strip() for e in value if e.strip()]
    else:
        raise UsageError(t("assess.cli.import.evidence_type", row=row), t("assess.cli.import.hint"))
    out: list[Path] = []
    for name in names:
        path = inside(base, name)
        if path is None:
            raise UsageError(
                t("assess.cli.import.evidence_outside", row=row, path=name[:120], base=str(base)),
                t("assess.cli.import.evidence_outside.hint"),
            )
        out.append(path)
    return out


@finding_app.command("list", help=t("assess.cli.finding.list.help"))
def finding_list(inspection: InspectionOpt) -> None:
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.views import finding_json

    with reader() as ctx:
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

    with reader() as ctx:
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
                    local_time(f.at),
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

    with writer(key) as ctx:
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
    mitigation: Annotated[
        list[str] | None, typer.Option("--mitigation", help=t("risk.cli.opt.mitigation"))
    ] = None,
    key: KeyOpt = None,
) -> None:
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.views import issue_json

    with writer(key) as ctx:
        issue = uc.rate_issue(
            ctx,
            inspection,
            item,
            asset,
            risk,
            compensation=compensation,
            reason=reason,
            major=major,
            mitigations=mitigation or [],
        )
    common.emit(
        issue_json(issue), t("assess.cli.rated", item=item, asset=asset, risk=t(f"assess.cli.risk.{risk}"))
    )


@issue_app.command("list", help=t("assess.cli.issue.list.help"))
def issue_list(inspection: InspectionOpt) -> None:
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.views import issue_json

    with reader() as ctx:
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
                [i.item_id, i.asset_id, t(f"assess.cli.result.{i.result}"), risk_label(i.effective, i.risk)]
                for i in view.issues
            ],
        ),
    )
