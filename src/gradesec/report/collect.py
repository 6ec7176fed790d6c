"""Filling ``ReportData`` from the use-case façade: one inspection read, scored and laid out in one language.

The model itself lives in ``report.data`` (plain dataclasses the writers read); this module is the one place that
reads a store for it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from gradesec.report.data import (
    AssetInfo,
    CategoryInfo,
    CheckpointInfo,
    ControlInfo,
    EvidenceRow,
    HeadInfo,
    Integrity,
    IssueRow,
    ItemInfo,
    ReportData,
    ResultRow,
    SignerInfo,
    WitnessInfo,
)

if TYPE_CHECKING:
    from gradesec.usecases.context import Context

RISK_ORDER: dict[str | None, int] = {"high": 0, "medium": 1, "low": 2, None: 3}


def local_time(at: str) -> str:
    """A journal time (UTC wire form) as people read it: ``2026-11-24 17:30 (UTC+08:00)`` (see
    ``gradesec.localtime``, the one helper every output uses)."""
    from gradesec.localtime import local_time as shown

    return shown(at) if at else ""


def local_day(at: str | None) -> str:
    from gradesec.localtime import local_date

    return local_date(at) if at else ""


def build_report_data(
    ctx: Context, inspection_id: str, lang: str, policy_id: str | None = None
) -> ReportData:
    """Everything the reports print about one inspection, read through the façade, in ``lang``."""
    from gradesec.config import load_config
    from gradesec.i18n import t
    from gradesec.usecases import inspections as uc

    view = uc.load_inspection(ctx, inspection_id)
    result = uc.score(ctx, inspection_id, policy_id)
    catalog = ctx.catalog
    insp = view.inspection
    store = ctx.store
    people = store.known_identities()

    def who(key_id: str | None) -> str:
        if not key_id:
            return ""
        ident = people.get(key_id)
        return ident.name if ident is not None and ident.name else key_id[:8]

    assets = []
    for a in view.assets:
        kind = catalog.object_kinds.get(a.kind)
        assets.append(
            AssetInfo(
                a.id,
                a.name,
                a.kind,
                kind.name.get(lang) if kind is not None else a.kind,
                a.address,
                a.role,
                a.importance,
                a.notes,
            )
        )
    from gradesec.catalog.wording import load_wording, wording_source

    # The user's sentences in the output's language (zh from the standard; en where their file had an English
    # column), else gradesec's own wording in that language; the label says which.
    official = load_wording(catalog, insp.level, lang)
    source = wording_source(catalog, insp.level, lang) if official else None
    wording_label = (
        t("workbook.wording.user", source=source, lang=lang)
        if source
        else t("workbook.wording.own", lang=lang)
    )
    items: list[ItemInfo] = []
    for snap in view.items:
        resolved = view.resolved.get(snap.id)
        if resolved is not None:
            items.append(
                ItemInfo(
                    snap.id,
                    snap.category,
                    snap.control,
                    resolved.control.name.get(lang),
                    official.get(snap.id) or resolved.text.get(lang),
                    snap.weight,
                    snap.objects,
                    resolved.unit_id or "",
                    resolved.item.guidance.get(lang),
                    resolved.letter,
                    snap.extension,
                )
            )
        else:  # the item left the catalog after the inspection opened: keep its pinned facts
            items.append(
                ItemInfo(
                    snap.id,
                    snap.category,
                    snap.control,
                    snap.control,
                    snap.id,
                    snap.weight,
                    snap.objects,
                    extension=snap.extension,
                )
            )
    item_by_id = {i.id: i for i in items}

    results: list[ResultRow] = []
    evidence: list[EvidenceRow] = []
    authors: dict[str, None] = {insp.opened_by: None} if insp.opened_by else {}
    scope_of = {snap.id: view.applicable_assets(snap) for snap in view.items}
    for item_id, asset_id in view.findings:
        # A result on an object the catalog did not expect is kept, marked as an extension of scope.
        asset_obj = view.asset_by_id.get(asset_id)
        if asset_obj is not None and item_id in scope_of and asset_obj not in scope_of[item_id]:
            scope_of[item_id].append(asset_obj)
    for snap in view.items:
        for asset in scope_of[snap.id]:
            finding = view.findings.get((snap.id, asset.id))
            if finding is None:
                results.append(ResultRow(snap.id, asset.id, None))
                continue
            authors.setdefault(finding.author, None)
            note = finding.note
            if finding.result == "na" and finding.na_reason and finding.na_reason not in note:
                note = f"{note}\n{finding.na_reason}" if note else finding.na_reason
            results.append(
                ResultRow(
                    snap.id,
                    asset.id,
                    finding.result,
                    note,
                    who(finding.author),
                    local_time(finding.at),
                    len(finding.evidence),
                    finding.note,
                    finding.na_reason,
                    finding.method or "",
                    tuple(f"{ref.name} sha256:{ref.sha256}" for ref in finding.evidence),
                    # As kept when recorded; derived only for revisions from before it was kept.
                    finding.scope_extension
                    if finding.scope_extension is not None
                    else not snap.applies_to(asset.kind),
                )
            )
            for ref in finding.evidence:
                evidence.append(
                    EvidenceRow(
                        ref.name,
                        ref.size,
                        ref.sha256,
                        who(finding.author),
                        local_time(finding.at),
                        snap.id,
                        asset.name,
                    )
                )

    counts_by_control: dict[str, dict[str, int]] = {}
    for row in results:
        if row.result is None:
            continue
        control_counts = counts_by_control.setdefault(item_by_id[row.item_id].control, {})
        control_counts[row.result] = control_counts.get(row.result, 0) + 1
    control_names = {i.control: i.control_name for i in items}
    controls = [
        ControlInfo(
            c.id, control_names.get(c.id, c.id), c.category, c.score, c.items, counts_by_control.get(c.id, {})
        )
        for c in result.controls
    ]
    categories = []
    for c in result.categories:
        cat = catalog.categories.get(c.code)
        categories.append(
            CategoryInfo(c.code, cat.name.get(lang) if cat else c.code, c.cls, c.score, c.items)
        )

    from gradesec.catalog.remediation import advice_for

    def advice(item_id: str, cases: tuple[str, ...]) -> str:
        return advice_for(catalog, item_id, cases, lang)

    issues = _with_plans(ctx, inspection_id, _issues(view, item_by_id, lang, t, advice), lang)
    for issue in view.issues:
        if issue.rated_by:
            authors.setdefault(issue.rated_by, None)
    if insp.closed_by:
        authors.setdefault(insp.closed_by, None)

    integrity = _integrity(store, authors, people)
    profile = catalog.find_profile(insp.profile_id)
    policy = insp.policies.get(result.policy_id)
    policy_title = ""
    if policy is not None and policy.title:
        policy_title = policy.title.get(lang) or policy.title.get("en", "")
    elif result.policy_id in catalog.policies:
        policy_title = catalog.policies[result.policy_id].title.get(lang)
    organisation = load_config().organisation or ""
    if not organisation and insp.opened_by in people:
        organisation = people[insp.opened_by].org
    unit = view.unit
    note = result.note.get(lang, "") if result.note else ""
    return ReportData(
        lang=lang,
        inspection_id=insp.id,
        title=insp.title,
        status=insp.status,
        unit_name=unit.name if unit is not None else "",
        system_name=view.system.name,
        system_description=view.system.description,
        level=insp.level,
        organisation=organisation,
        inspectors=tuple(who(a) for a in authors),
        started=local_day(insp.opened_at),
        closed=local_day(insp.closed_at),
        generated=ctx.clock().astimezone().date(),
        profile_id=insp.profile_id,
        profile_title=profile.title.get(lang) if profile is not None else insp.profile_id,
        policy_id=result.policy_id,
        policy_title=policy_title or result.policy_id,
        catalog_sha256=insp.catalog_sha256,
        pins=dict(insp.pins),
        score=result.score,
        conclusion_code=result.conclusion.code,
        conclusion=result.conclusion.label.get(lang, result.conclusion.code),
        compliance_rate=result.compliance_rate,
        provisional=result.provisional or insp.is_open,
        score_note=note,
        result_counts=dict(result.results),
        issue_counts=dict(result.issues),
        recorded=view.progress.recorded,
        applicable=view.progress.applicable,
        assets=assets,
        items=items,
        categories=categories,
        controls=controls,
        results=results,
        issues=issues,
        evidence=evidence,
        integrity=integrity,
        remediation_days={str(k): v for k, v in profile.remediation_days.items()}
        if profile is not None
        else {"high": 14, "medium": 30, "low": 90},
        system_id=view.system.id,
        filing_no=view.system.filing_no,
        wording=wording_label,
        scope_extensions=sum(1 for r in results if r.extends_scope),
    )


def _issues(
    view: Any, item_by_id: dict[str, ItemInfo], lang: str, t: Any, advice: Any = None
) -> list[IssueRow]:
    item_order = {item.id: n for n, item in enumerate(view.items)}
    asset_order = {a.id: n for n, a in enumerate(view.assets)}
    ranked = sorted(
        view.issues,
        key=lambda i: (
            RISK_ORDER.get(i.effective, 3),
            item_order.get(i.item_id, 0),
            asset_order.get(i.asset_id, 0),
        ),
    )
    out: list[IssueRow] = []
    for n, issue in enumerate(ranked, 1):
        item = item_by_id.get(issue.item_id)
        asset = view.asset_by_id.get(issue.asset_id)
        finding = view.findings.get((issue.item_id, issue.asset_id))
        word = t(f"report.result.{issue.result}", lang=lang)
        found = (
            finding.note
            if finding is not None and finding.note
            else t("report.finding.default", lang=lang, result=word)
        )
        text = item.text if item else issue.item_id
        out.append(
            IssueRow(
                no=n,
                item_id=issue.item_id,
                asset_id=issue.asset_id,
                risk=issue.effective,
                result=issue.result,
                control_name=item.control_name if item else "",
                item_text=text,
                asset_name=asset.name if asset is not None else issue.asset_id,
                finding=found,
                # The catalog's remediation measure (a matched case's advice first), else the generic line.
                measure=(advice(issue.item_id, tuple(issue.cases)) if advice is not None else "")
                or t(
                    "report.measure.default_high" if issue.effective == "high" else "report.measure.default",
                    lang=lang,
                ),
                cases=tuple(issue.cases),
                major=issue.major,
            )
        )
    return out


def _with_plans(ctx: Context, inspection_id: str, issues: list[IssueRow], lang: str) -> list[IssueRow]:
    """Fill owner, deadline, status and measure from the remediation items planned for the issues."""
    from dataclasses import replace

    from gradesec.i18n import t
    from gradesec.remedy.lifecycle import effective_status
    from gradesec.usecases import remediation

    today = remediation.today_of(ctx)
    planned = {}
    for entry in remediation.list_items(ctx, remediation.Filters(inspection=inspection_id), today):
        if entry.source.get("kind") == "issue":
            planned[(entry.source.get("item"), entry.source.get("asset"))] = entry
    out = []
    for issue in issues:
        item = planned.get((issue.item_id, issue.asset_id))
        if item is None:
            out.append(issue)
            continue
        owner = " / ".join(x for x in (item.owner_dept, item.owner_person) if x)
        try:
            deadline = date.fromisoformat(item.deadline) if item.deadline else None
        except ValueError:
            deadline = None
        status = t(f"remedy.status.{effective_status(item, today)}", lang=lang)
        out.append(
            replace(
                issue,
                owner=owner,
                deadline=deadline,
                status=status,
                measure=item.measure or issue.measure,
            )
        )
    return out


def _integrity(store: Any, authors: dict[str, None], people: dict[str, Any]) -> Integrity:
    def person(key_id: str) -> tuple[str, str, str]:
        ident = people.get(key_id)
        return (ident.name, ident.role, ident.org) if ident is not None else (key_id[:8], "", "")

    signers = tuple(SignerInfo(*person(k), key_id=k) for k in authors)
    heads = []
    for key_id in sorted(people, key=lambda k: person(k)[0]):
        seq, head = store.head(key_id)
        if seq and head:
            heads.append(HeadInfo(person(key_id)[0], key_id, seq, head))
    checkpoints = tuple(
        CheckpointInfo(person(c.author)[0], c.author, c.seq, c.head, c.count, local_time(c.at))
        for c in sorted(store.checkpoints(), key=lambda c: c.at)[-10:]
    )
    latest = store.latest_checkpoint()
    witness = (
        None if latest is None else WitnessInfo(latest.author, latest.seq, latest.hash, local_time(latest.at))
    )
    return Integrity(signers, tuple(heads), checkpoints, store.count(), str(store.root), witness)
