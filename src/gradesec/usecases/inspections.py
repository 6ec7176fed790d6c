"""The inspector's workflow: units, systems, assets, inspections, findings, issues, scores.

This module is the one façade the CLI, the TUI, reports, remediation and demos call. Every write validates
against the current state first (unknown ids, an asset of the wrong kind or system, a closed inspection, ``na``
without a reason, a missing evidence file …) and raises a ``GradesecError`` with nothing written; then it
appends its signed events in one transaction. Reads use their own read-only connection.

An inspection pins what it runs with when it opens: the hashes of the catalog files, the applicable items
with their weights and object kinds, the scoring policies with their parameters and the high-risk case rules,
so an old inspection scores the same after the catalog files change.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gradesec.assess import scoring
from gradesec.assess.model import (
    ISSUE_RESULTS,
    RESULT_VALUES,
    Asset,
    Disagreement,
    Finding,
    Inspection,
    Issue,
    PolicySnapshot,
    Progress,
    SnapshotItem,
    System,
    Unit,
    progress_of,
)
from gradesec.assess.risk import CaseRule, Suggestion, check_rating, index_cases, suggest
from gradesec.assess.scoring import IssueRisk, ScoreResult, Tally
from gradesec.catalog.models import METHODS
from gradesec.errors import GradesecError, NotFoundError, UsageError
from gradesec.i18n import t
from gradesec.state import assess as db_assess
from gradesec.usecases.views import InspectionView

if TYPE_CHECKING:
    import sqlite3

    from gradesec.catalog.loader import Catalog, ResolvedItem
    from gradesec.usecases.context import Context

MAX_TEXT = 4000
MAX_NAME = 200
EXTENSIONS: tuple[str, ...] = ("cloud", "mobile", "iot", "ics", "bigdata")
REVIEWER_ROLES: frozenset[str] = frozenset({"reviewer", "lead"})


# Reading helpers


@contextmanager
def _read(ctx: Context) -> Iterator[sqlite3.Connection]:
    with db_assess.reader(ctx.store.db_path) as db:
        yield db


def _text(value: str | None, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if required and not text:
        raise UsageError(t("assess.error.empty", field=field), t("assess.error.empty.hint", field=field))
    if len(text) > limit:
        raise UsageError(
            t("assess.error.too_long", field=field, limit=limit), t("assess.error.too_long.hint")
        )
    return text


def _fresh_id(ctx: Context, prefix: str, table: str) -> str:
    with _read(ctx) as db:
        for _ in range(20):
            candidate = ctx.new_id(prefix)
            if db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (candidate,)).fetchone() is None:
                return candidate
    raise GradesecError(t("assess.error.no_id"), t("assess.error.unexpected.hint"))


def _need_unit(db: sqlite3.Connection, unit_id: str) -> Unit:
    unit = db_assess.get_unit(db, unit_id)
    if unit is None:
        raise NotFoundError(t("assess.error.no_unit", id=unit_id), t("assess.error.no_unit.hint"))
    return unit


def _need_system(db: sqlite3.Connection, system_id: str) -> System:
    system = db_assess.get_system(db, system_id)
    if system is None:
        raise NotFoundError(t("assess.error.no_system", id=system_id), t("assess.error.no_system.hint"))
    return system


def _need_asset(db: sqlite3.Connection, asset_id: str) -> Asset:
    asset = db_assess.get_asset(db, asset_id)
    if asset is None:
        raise NotFoundError(t("assess.error.no_asset", id=asset_id), t("assess.error.no_asset.hint"))
    return asset


def _need_inspection(db: sqlite3.Connection, inspection_id: str) -> Inspection:
    insp = db_assess.get_inspection(db, inspection_id)
    if insp is None:
        raise NotFoundError(
            t("assess.error.no_inspection", id=inspection_id), t("assess.error.no_inspection.hint")
        )
    return insp


def _need_open(insp: Inspection) -> None:
    if not insp.is_open:
        raise GradesecError(t("assess.error.closed", id=insp.id), t("assess.error.closed.hint", id=insp.id))


def _need_item(insp: Inspection, item_id: str) -> SnapshotItem:
    for item in insp.items:
        if item.id == item_id:
            return item
    raise NotFoundError(
        t("assess.error.no_item", item=item_id, inspection=insp.id, profile=insp.profile_id),
        t("assess.error.no_item.hint", profile=insp.profile_id, level=insp.level),
    )


def _need_asset_in(db: sqlite3.Connection, insp: Inspection, asset_id: str) -> Asset:
    asset = _need_asset(db, asset_id)
    if asset.system_id != insp.system_id:
        raise GradesecError(
            t("assess.error.wrong_system", asset=asset_id, system=asset.system_id, inspection=insp.id),
            t("assess.error.wrong_system.hint", system=insp.system_id),
        )
    if asset_id not in insp.asset_ids:
        raise GradesecError(
            t("assess.error.not_in_scope", asset=asset_id, inspection=insp.id),
            t("assess.error.not_in_scope.hint", inspection=insp.id, asset=asset_id),
        )
    return asset


def _need_applies(item: SnapshotItem, asset: Asset) -> None:
    if not item.applies_to(asset.kind):
        raise GradesecError(
            t("assess.error.kind_not_applicable", item=item.id, asset=asset.id, kind=asset.kind),
            t("assess.error.kind_not_applicable.hint", kinds=", ".join(item.objects)),
        )


# Units, systems, assets


def add_unit(ctx: Context, name: str, *, code: str = "", region: str = "", contact: str = "") -> Unit:
    """Record a unit (被测单位) and return it."""
    body = {
        "name": _text(name, "name", required=True, limit=MAX_NAME),
        "code": _text(code, "code", limit=MAX_NAME),
        "region": _text(region, "region", limit=MAX_NAME),
        "contact": _text(contact, "contact", limit=MAX_NAME),
    }
    signer = ctx.signer
    body = {"id": _fresh_id(ctx, "u", "unit"), **body}
    ctx.store.append(signer, "unit.created", body)
    return get_unit(ctx, body["id"])


def add_system(
    ctx: Context,
    unit_id: str,
    name: str,
    *,
    level: int | None = None,
    business: str | None = None,
    service: str | None = None,
    extensions: Sequence[str] = (),
    filing_no: str = "",
    description: str = "",
) -> System:
    """Record a system of a unit. Give ``level``, or ``business`` and ``service`` harms (``society:serious``)
    for the level-determination helper; given both, they must agree."""
    grading: dict[str, Any] | None = None
    if business is not None or service is not None:
        if business is None or service is None:
            raise UsageError(t("assess.error.grading_pair"), t("assess.error.level_needed.hint"))
        from gradesec.catalog.grading import grade

        result = grade(business, service)
        grading = {
            "business": f"{result.business.object}:{result.business.degree}",
            "service": f"{result.service.object}:{result.service.degree}",
            "level": result.level,
        }
        if level is not None and level != result.level:
            raise UsageError(
                t("assess.error.level_disagrees", level=level, graded=result.level),
                t("assess.error.level_needed.hint"),
            )
        level = result.level
    if level is None:
        raise UsageError(t("assess.error.level_needed"), t("assess.error.level_needed.hint"))
    if not 1 <= level <= 5:
        raise UsageError(t("assess.error.bad_level", level=level), t("assess.error.level_needed.hint"))
    exts = sorted({e.strip().lower() for e in extensions if e.strip()})
    unknown = [e for e in exts if e not in EXTENSIONS]
    if unknown:
        raise UsageError(
            t("assess.error.bad_extension", ext=", ".join(unknown)),
            t("assess.error.bad_extension.hint", known=", ".join(EXTENSIONS)),
        )
    body: dict[str, Any] = {
        "unit": unit_id,
        "name": _text(name, "name", required=True, limit=MAX_NAME),
        "level": level,
        "extensions": exts,
        "filing_no": _text(filing_no, "filing_no", limit=MAX_NAME),
        "description": _text(description, "description"),
        "grading": grading,
    }
    with _read(ctx) as db:
        _need_unit(db, unit_id)
    signer = ctx.signer
    body = {"id": _fresh_id(ctx, "s", "system"), **body}
    ctx.store.append(signer, "system.created", body)
    return get_system(ctx, body["id"])


def add_asset(
    ctx: Context,
    system_id: str,
    kind: str,
    name: str,
    *,
    address: str = "",
    role: str = "",
    importance: str = "",
    notes: str = "",
) -> Asset:
    """Record an asset of a system; ``kind`` is one of the catalog's object kinds."""
    kinds = ctx.catalog.object_kinds
    if kind not in kinds:
        raise UsageError(
            t("assess.error.bad_kind", kind=kind), t("assess.error.bad_kind.hint", kinds=", ".join(kinds))
        )
    body = {
        "system": system_id,
        "kind": kind,
        "name": _text(name, "name", required=True, limit=MAX_NAME),
        "address": _text(address, "address", limit=MAX_NAME),
        "role": _text(role, "role", limit=MAX_NAME),
        "importance": _text(importance, "importance", limit=MAX_NAME),
        "notes": _text(notes, "notes"),
    }
    with _read(ctx) as db:
        _need_system(db, system_id)
    signer = ctx.signer
    body = {"id": _fresh_id(ctx, "a", "asset"), **body}
    ctx.store.append(signer, "asset.added", body)
    return get_asset(ctx, body["id"])


def get_unit(ctx: Context, unit_id: str) -> Unit:
    with _read(ctx) as db:
        return _need_unit(db, unit_id)


def get_system(ctx: Context, system_id: str) -> System:
    with _read(ctx) as db:
        return _need_system(db, system_id)


def get_asset(ctx: Context, asset_id: str) -> Asset:
    with _read(ctx) as db:
        return _need_asset(db, asset_id)


def get_inspection(ctx: Context, inspection_id: str) -> Inspection:
    with _read(ctx) as db:
        return _need_inspection(db, inspection_id)


def list_units(ctx: Context) -> list[Unit]:
    with _read(ctx) as db:
        return db_assess.list_units(db)


def list_systems(ctx: Context, unit_id: str | None = None) -> list[System]:
    with _read(ctx) as db:
        return db_assess.list_systems(db, unit_id)


def list_assets(ctx: Context, system_id: str | None = None) -> list[Asset]:
    with _read(ctx) as db:
        return db_assess.list_assets(db, system_id)


def list_inspections(ctx: Context, system_id: str | None = None) -> list[Inspection]:
    with _read(ctx) as db:
        return db_assess.list_inspections(db, system_id)


# Inspections


def _level_bound(catalog: Catalog, profile_id: str, level: int) -> bool:
    """Whether the profile's items depend on the level (MLPS profiles do; the policy-clause list does not)."""
    own = [i.id for i in catalog.items_for(profile_id)]
    try:
        other = [i.id for i in catalog.items_for(profile_id, level)]
    except (KeyError, ValueError):
        return True
    return own != other


def _policy_snapshot(catalog: Catalog, policy_id: str) -> PolicySnapshot:
    policy = catalog.policy(policy_id)
    snap = PolicySnapshot(
        policy.id,
        policy.method,
        dict(policy.params),
        catalog.hash_of("policy", policy.id),
        policy.title.as_dict(),
    )
    scoring.effective_params(snap)  # refuse a policy whose parameters scoring cannot use, before pinning it
    return snap


def _policy_json(p: PolicySnapshot) -> dict[str, Any]:
    return {"id": p.id, "method": p.method, "params": p.params, "sha256": p.sha256, "title": p.title}


def _item_json(item: ResolvedItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "category": item.category.code,
        "class": item.category.cls,
        "control": item.control.id,
        "weight": item.weight,
        "objects": list(item.item.objects),
        "order": item.order,
    }


def new_inspection(
    ctx: Context,
    system_id: str,
    profile_id: str,
    *,
    policy_id: str | None = None,
    asset_ids: Sequence[str] | None = None,
    title: str = "",
) -> Inspection:
    """Open an inspection of a system with a profile, pinning the catalog; ``asset_ids`` default to all the
    system's assets."""
    catalog = ctx.catalog
    profile = catalog.profile(profile_id)
    with _read(ctx) as db:
        system = _need_system(db, system_id)
        if asset_ids is None:
            scope = [a.id for a in db_assess.list_assets(db, system_id)]
        else:
            scope = []
            for asset_id in dict.fromkeys(asset_ids):
                asset = _need_asset(db, asset_id)
                if asset.system_id != system_id:
                    raise GradesecError(
                        t("assess.error.asset_other_system", asset=asset_id, system=system_id),
                        t("assess.error.wrong_system.hint", system=system_id),
                    )
                scope.append(asset_id)
    if system.level != profile.level and _level_bound(catalog, profile.id, system.level):
        raise GradesecError(
            t("assess.error.level_mismatch", profile=profile.id, plevel=profile.level, level=system.level),
            t("assess.error.level_mismatch.hint", level=system.level),
        )
    chosen = policy_id or profile.policy
    policy_ids = list(dict.fromkeys([profile.policy, *profile.policies, chosen]))
    policies = [_policy_snapshot(catalog, p) for p in policy_ids]
    items = catalog.items_for(profile.id)
    item_ids = {i.id for i in items}
    cases: list[dict[str, Any]] = []
    if profile.high_risk and profile.high_risk in catalog.high_risk:
        for case in catalog.high_risk[profile.high_risk].cases:
            if profile.level in case.levels and item_ids & set(case.items):
                rule = CaseRule(
                    case.id, tuple(case.levels), tuple(case.items), tuple(case.results), case.downgradable
                )
                cases.append(rule.as_json())
    signer = ctx.signer
    body: dict[str, Any] = {
        "id": _fresh_id(ctx, "i", "inspection"),
        "system": system_id,
        "profile": profile.id,
        "policy": chosen,
        "level": profile.level,
        "title": _text(title, "title", limit=MAX_NAME),
        "catalog_sha256": catalog.sha256,
        "pins": catalog.pinned_hashes(profile.id),
        "high_risk": profile.high_risk,
        "policies": [_policy_json(p) for p in policies],
        "items": [_item_json(i) for i in items],
        "cases": cases,
        "assets": scope,
    }
    ctx.store.append(signer, "inspection.opened", body)
    return get_inspection(ctx, body["id"])


def add_inspection_assets(ctx: Context, inspection_id: str, asset_ids: Sequence[str]) -> Inspection:
    """Bring more of the system's assets into an open inspection."""
    with _read(ctx) as db:
        insp = _need_inspection(db, inspection_id)
        _need_open(insp)
        new: list[str] = []
        for asset_id in dict.fromkeys(asset_ids):
            asset = _need_asset(db, asset_id)
            if asset.system_id != insp.system_id:
                raise GradesecError(
                    t("assess.error.asset_other_system", asset=asset_id, system=insp.system_id),
                    t("assess.error.wrong_system.hint", system=insp.system_id),
                )
            if asset_id not in insp.asset_ids:
                new.append(asset_id)
    if new:
        ctx.store.append(ctx.signer, "inspection.assets_added", {"inspection": inspection_id, "assets": new})
    return get_inspection(ctx, inspection_id)


def close_inspection(ctx: Context, inspection_id: str) -> Inspection:
    """Close an open inspection (no unresolved disagreement may remain) and write a signed checkpoint."""
    with _read(ctx) as db:
        insp = _need_inspection(db, inspection_id)
        _need_open(insp)
        disputes = db_assess.disagreements(db, inspection_id)
    if disputes:
        raise GradesecError(
            t("assess.error.unresolved", id=inspection_id, n=len(disputes)),
            t("assess.error.unresolved.hint", id=inspection_id),
        )
    signer = ctx.signer
    ctx.store.append(signer, "inspection.closed", {"inspection": inspection_id})
    ctx.store.checkpoint(signer)
    return get_inspection(ctx, inspection_id)


def reopen_inspection(ctx: Context, inspection_id: str, reason: str) -> Inspection:
    """Reopen a closed inspection; the reason is part of the signed record."""
    why = _text(reason, "reason", required=True)
    with _read(ctx) as db:
        insp = _need_inspection(db, inspection_id)
    if insp.is_open:
        raise GradesecError(t("assess.error.not_closed", id=inspection_id), t("assess.error.not_closed.hint"))
    ctx.store.append(ctx.signer, "inspection.reopened", {"inspection": inspection_id, "reason": why})
    return get_inspection(ctx, inspection_id)


# Findings


def _evidence_files(paths: Iterable[Path | str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.is_file():
            raise NotFoundError(
                t("assess.error.no_evidence", path=str(raw)), t("assess.error.no_evidence.hint")
            )
        out.append(path)
    return out


def _need_trusted(ctx: Context) -> None:
    """Refuse an untrusted key before evidence is copied in, so a refused write leaves no blob behind."""
    from gradesec.errors import KeyError_
    from gradesec.journal.keys import format_key_id

    signer = ctx.signer
    if signer.key_id not in {k.key_id for k in ctx.store.trusted_keys()}:
        raise KeyError_(
            t("journal.error.untrusted_signer", key=format_key_id(signer.key_id), name=signer.name),
            t("journal.error.untrusted_signer.hint"),
        )


def _pair_id(inspection_id: str, item_id: str, asset_id: str) -> str:
    return f"{inspection_id}/{item_id}/{asset_id}"


@dataclass(frozen=True)
class FindingInput:
    """One result to record (see ``record_finding`` for the meaning of the fields)."""

    item: str
    asset: str
    result: str
    note: str = ""
    method: str | None = None
    reason: str = ""
    evidence: tuple[Path | str, ...] = ()


def record_finding(
    ctx: Context,
    inspection_id: str,
    item_id: str,
    asset_id: str,
    result: str,
    *,
    note: str = "",
    method: str | None = None,
    reason: str = "",
    evidence: Sequence[Path | str] = (),
) -> Finding:
    """Record one result for one item on one asset (a new revision if there is one already).

    ``reason`` is required for ``na`` (why the item does not apply). Each ``evidence`` file is stored in the
    store's evidence folder and attached to the item×asset with an ``evidence.attached`` event; the finding
    names the blobs it rests on.
    """
    entry = FindingInput(item_id, asset_id, result, note, method, reason, tuple(evidence))
    return record_findings(ctx, inspection_id, [entry])[0]


def _check_input(entry: FindingInput, row: int | None) -> tuple[str, str, list[Path]]:
    where = "" if row is None else t("assess.error.at_row", row=row)
    try:
        if entry.result not in RESULT_VALUES:
            raise UsageError(
                t("assess.error.bad_result", result=entry.result), t("assess.error.bad_result.hint")
            )
        if entry.method is not None and entry.method not in METHODS:
            raise UsageError(
                t("assess.error.bad_method", method=entry.method),
                t("assess.error.bad_method.hint", methods=", ".join(METHODS)),
            )
        note_text = _text(entry.note, "note")
        why = _text(entry.reason, "reason")
        if entry.result == "na" and not why:
            raise UsageError(t("assess.error.na_reason", item=entry.item), t("assess.error.na_reason.hint"))
        return note_text, why, _evidence_files(entry.evidence)
    except GradesecError as err:
        if where:
            err.message = f"{where}{err.message}"
        raise


def record_findings(ctx: Context, inspection_id: str, entries: Sequence[FindingInput]) -> list[Finding]:
    """Record several results in one transaction: every entry is checked first, and one bad entry (named by
    its position, from 1) stops them all with nothing written."""
    batch = len(entries) > 1
    checked = [_check_input(e, n if batch else None) for n, e in enumerate(entries, start=1)]
    with _read(ctx) as db:
        insp = _need_inspection(db, inspection_id)
        _need_open(insp)
        items = {i.id: i for i in insp.items}
        assets: dict[str, Asset] = {}
        for n, entry in enumerate(entries, start=1):
            try:
                item = items.get(entry.item) or _need_item(insp, entry.item)
                asset = assets.get(entry.asset) or _need_asset_in(db, insp, entry.asset)
                assets[asset.id] = asset
                _need_applies(item, asset)
            except GradesecError as err:
                if batch:
                    err.message = t("assess.error.at_row", row=n) + err.message
                raise
    signer = ctx.signer
    if any(files for _note, _why, files in checked):
        _need_trusted(ctx)
    events: list[tuple[str, dict[str, Any]]] = []
    firsts: list[int] = []
    for entry, (note_text, why, files) in zip(entries, checked, strict=True):
        refs: list[dict[str, Any]] = []
        for path in files:
            blob = ctx.store.evidence.put(path)
            media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            refs.append({"sha256": blob.sha256, "name": path.name, "size": blob.size, "media_type": media})
        body: dict[str, Any] = {
            "inspection": inspection_id,
            "item": entry.item,
            "asset": entry.asset,
            "result": entry.result,
            "note": note_text,
            "method": entry.method,
            "na_reason": why if entry.result == "na" else "",
            "evidence": refs,
        }
        firsts.append(len(events))
        events.append(("finding.recorded", body))
        target = {"kind": "finding", "id": _pair_id(inspection_id, entry.item, entry.asset)}
        events += [("evidence.attached", {**ref, "target": target}) for ref in refs]
    if not events:
        return []
    appended = ctx.store.append_many(signer, events)
    wanted = {appended[i].hash for i in firsts}
    with _read(ctx) as db:
        found = {f.event_hash: f for f in db_assess.revisions_by_hash(db, sorted(wanted))}
    return [found[appended[i].hash] for i in firsts]


def _revision(ctx: Context, event_hash: str, inspection_id: str, item_id: str, asset_id: str) -> Finding:
    for finding in finding_history(ctx, inspection_id, item_id, asset_id):
        if finding.event_hash == event_hash:
            return finding
    raise GradesecError(t("assess.error.no_id"), t("assess.error.unexpected.hint"))


def finding_history(ctx: Context, inspection_id: str, item_id: str, asset_id: str) -> list[Finding]:
    """Every revision of the result for one item and asset, oldest first (rulings included)."""
    with _read(ctx) as db:
        _need_inspection(db, inspection_id)
        return db_assess.finding_history(db, inspection_id, item_id, asset_id)


def disagreements(ctx: Context, inspection_id: str) -> list[Disagreement]:
    with _read(ctx) as db:
        _need_inspection(db, inspection_id)
        return db_assess.disagreements(db, inspection_id)


def resolve_disagreement(
    ctx: Context,
    inspection_id: str,
    item_id: str,
    asset_id: str,
    result: str,
    *,
    reason: str,
    note: str = "",
) -> Finding:
    """A reviewer rules on a disagreement: ``result`` becomes the current revision, with the reason."""
    if result not in RESULT_VALUES:
        raise UsageError(t("assess.error.bad_result", result=result), t("assess.error.bad_result.hint"))
    why = _text(reason, "reason", required=True)
    note_text = _text(note, "note")
    signer = ctx.signer
    if signer.role not in REVIEWER_ROLES:
        raise GradesecError(
            t("assess.error.not_reviewer", role=signer.role), t("assess.error.not_reviewer.hint")
        )
    with _read(ctx) as db:
        insp = _need_inspection(db, inspection_id)
        _need_open(insp)
        _need_item(insp, item_id)
        dispute = next(
            (
                d
                for d in db_assess.disagreements(db, inspection_id)
                if d.item_id == item_id and d.asset_id == asset_id
            ),
            None,
        )
    if dispute is None:
        raise GradesecError(
            t("assess.error.no_disagreement", item=item_id, asset=asset_id),
            t("assess.error.no_disagreement.hint"),
        )
    body: dict[str, Any] = {
        "inspection": inspection_id,
        "item": item_id,
        "asset": asset_id,
        "result": result,
        "note": note_text,
        "reason": why,
        "na_reason": why if result == "na" else "",
        "resolves": list(dispute.hashes),
    }
    event = ctx.store.append(signer, "finding.resolved", body)
    return _revision(ctx, event.hash, inspection_id, item_id, asset_id)


# Issues


def _cases_of(db: sqlite3.Connection, inspection_id: str) -> dict[str, list[CaseRule]]:
    return index_cases(CaseRule.from_json(c) for c in db_assess.inspection_cases(db, inspection_id))


def _issues(
    insp: Inspection,
    results: Iterable[tuple[str, str, str]],
    ratings: dict[tuple[str, str], dict[str, Any]],
    cases: dict[str, list[CaseRule]],
) -> list[Issue]:
    out: list[Issue] = []
    for item_id, asset_id, result in results:
        if result not in ISSUE_RESULTS:
            continue
        s = suggest(cases, insp.level, item_id, result)
        rating = ratings.get((item_id, asset_id))
        out.append(
            Issue(
                inspection_id=insp.id,
                item_id=item_id,
                asset_id=asset_id,
                result=result,  # type: ignore[arg-type]
                suggested=s.risk,
                cases=s.cases,
                risk=rating["risk"] if rating else None,
                compensation=rating["compensation"] if rating else "",
                reason=rating["reason"] if rating else "",
                major=bool(rating["major"]) if rating else False,
                rated_by=rating["author"] if rating else None,
                rated_at=rating["at"] if rating else None,
            )
        )
    return out


def suggest_risk(ctx: Context, inspection_id: str, item_id: str, result: str) -> Suggestion:
    """What gradesec suggests for a result of this item in this inspection (before it is recorded)."""
    with _read(ctx) as db:
        insp = _need_inspection(db, inspection_id)
        return suggest(_cases_of(db, inspection_id), insp.level, item_id, result)


def rate_issue(
    ctx: Context,
    inspection_id: str,
    item_id: str,
    asset_id: str,
    risk: str,
    *,
    compensation: str = "",
    reason: str = "",
    major: bool = False,
) -> Issue:
    """Set the risk of the issue on one item and asset. Downgrading a suggested *high* needs the compensating
    measures and a reason, and is refused when a matching case does not allow it. ``major`` marks a 重大风险隐患
    (2025 template)."""
    comp = _text(compensation, "compensation")
    why = _text(reason, "reason")
    with _read(ctx) as db:
        insp = _need_inspection(db, inspection_id)
        _need_open(insp)
        _need_item(insp, item_id)
        _need_asset_in(db, insp, asset_id)
        current = {(i, a): r for i, a, r in db_assess.current_results(db, inspection_id) if i == item_id}
        result = current.get((item_id, asset_id))
        if result not in ISSUE_RESULTS:
            raise GradesecError(
                t("assess.error.not_an_issue", item=item_id, asset=asset_id, result=result or "-"),
                t("assess.error.not_an_issue.hint"),
            )
        suggestion = suggest(_cases_of(db, inspection_id), insp.level, item_id, str(result))
    chosen, comp, why = check_rating(suggestion, risk, comp, why)
    body: dict[str, Any] = {
        "inspection": inspection_id,
        "item": item_id,
        "asset": asset_id,
        "risk": chosen,
        "suggested": suggestion.risk,
        "cases": list(suggestion.cases),
        "compensation": comp,
        "reason": why,
        "major": bool(major),
    }
    ctx.store.append(ctx.signer, "issue.rated", body)
    view = load_inspection(ctx, inspection_id)
    return next(i for i in view.issues if i.item_id == item_id and i.asset_id == asset_id)


# Whole inspections and scores


def _changed_pins(ctx: Context, insp: Inspection) -> tuple[str, ...]:
    catalog = ctx.catalog
    changed: list[str] = []
    for key, digest in sorted(insp.pins.items()):
        kind, _, doc_id = key.partition(":")
        origin = catalog.origins.get((kind, doc_id))
        if origin is None or origin.source.sha256 != digest:
            changed.append(key)
    return tuple(changed)


def load_inspection(ctx: Context, inspection_id: str) -> InspectionView:
    """Everything about one inspection: system, unit, assets, items, current findings, issues, progress."""
    with _read(ctx) as db:
        insp = _need_inspection(db, inspection_id)
        system = _need_system(db, insp.system_id)
        unit = db_assess.get_unit(db, system.unit_id)
        assets = [a for a in (db_assess.get_asset(db, aid) for aid in insp.asset_ids) if a is not None]
        findings = db_assess.current_findings(db, inspection_id)
        ratings = db_assess.issue_ratings(db, inspection_id)
        cases = _cases_of(db, inspection_id)
        disputes = db_assess.disagreements(db, inspection_id)
    by_pair = {(f.item_id, f.asset_id): f for f in findings}
    issues = _issues(insp, ((f.item_id, f.asset_id, f.result) for f in findings), ratings, cases)
    catalog = ctx.catalog
    resolved: dict[str, ResolvedItem] = {}
    if insp.profile_id in catalog.profiles:
        wanted = {i.id for i in insp.items}
        resolved = {r.id: r for r in catalog.items_for(insp.profile_id, insp.level) if r.id in wanted}
    return InspectionView(
        inspection=insp,
        system=system,
        unit=unit,
        assets=tuple(assets),
        items=insp.items,
        resolved=resolved,
        findings=by_pair,
        issues=tuple(issues),
        progress=progress_of(insp.items, assets, by_pair),
        disagreements=tuple(disputes),
        catalog_changed=_changed_pins(ctx, insp),
        asset_by_id={a.id: a for a in assets},
    )


def _policy_for(ctx: Context, insp: Inspection, policy_id: str | None) -> PolicySnapshot:
    wanted = policy_id or insp.policy_id
    pinned = insp.policies.get(wanted)
    if pinned is not None:
        return pinned
    return _policy_snapshot(ctx.catalog, wanted)


@dataclass
class _Loaded:
    insp: Inspection
    results: list[tuple[str, str, str]]
    issues: list[Issue]
    progress: Progress
    unresolved: int


def _load_for_scoring(ctx: Context, inspection_id: str) -> _Loaded:
    with _read(ctx) as db:
        insp = _need_inspection(db, inspection_id)
        results = db_assess.current_results(db, inspection_id)
        ratings = db_assess.issue_ratings(db, inspection_id)
        cases = _cases_of(db, inspection_id)
        assets = [a for a in (db_assess.get_asset(db, aid) for aid in insp.asset_ids) if a is not None]
        unresolved = int(
            db.execute(
                "SELECT COUNT(*) FROM finding_current WHERE inspection_id = ? AND disputed", (inspection_id,)
            ).fetchone()[0]
        )
    issues = _issues(insp, results, ratings, cases)
    progress = progress_of(insp.items, assets, {(i, a): None for i, a, _r in results})
    return _Loaded(insp, results, issues, progress, unresolved)


def _pins(insp: Inspection) -> dict[str, str]:
    return {**insp.pins, "catalog": insp.catalog_sha256}


def score(ctx: Context, inspection_id: str, policy_id: str | None = None) -> ScoreResult:
    """The inspection's score and conclusion under ``policy_id`` (default: the inspection's policy).

    Policies pinned at opening score with their pinned parameters; any other catalog policy may be named too,
    and is used as the catalog holds it now (its hash is in the result).
    """
    loaded = _load_for_scoring(ctx, inspection_id)
    policy = _policy_for(ctx, loaded.insp, policy_id)
    tally = Tally.from_results(loaded.insp.items, loaded.results)
    return scoring.score(
        tally,
        policy,
        [IssueRisk.of(i) for i in loaded.issues],
        progress=loaded.progress,
        pins=_pins(loaded.insp),
        unresolved=loaded.unresolved,
    )


class LiveScore:
    """A score kept up to date as results come in (the TUI's live view): O(1) per result, O(items) per read.

    Feed it what the user records (``record``, ``rate``) after the use case succeeded; ``result()`` rescores.
    """

    def __init__(
        self,
        insp: Inspection,
        policy: PolicySnapshot,
        tally: Tally,
        issues: dict[tuple[str, str], Issue],
        cases: dict[str, list[CaseRule]],
        assets: list[Asset],
        unresolved: int,
    ) -> None:
        self.inspection = insp
        self.policy = policy
        self.tally = tally
        self.issues = issues
        self._cases = cases
        self._kind_of = {a.id: a.kind for a in assets}
        self._category = {i.id: i.category for i in insp.items}
        base = progress_of(insp.items, assets, tally.current)
        self._applicable = base.applicable
        self._by_category = {k: list(v) for k, v in base.by_category.items()}
        self._recorded = base.recorded
        self.unresolved = unresolved

    def record(self, item_id: str, asset_id: str, result: str) -> None:
        key = (item_id, asset_id)
        category = self._category.get(item_id)
        if key not in self.tally.current and category is not None and asset_id in self._kind_of:
            self._recorded += 1
            self._by_category[category][0] += 1
        self.tally.set(item_id, asset_id, result)
        if result in ISSUE_RESULTS:
            s = suggest(self._cases, self.inspection.level, item_id, result)
            old = self.issues.get(key)
            self.issues[key] = Issue(
                self.inspection.id,
                item_id,
                asset_id,
                result,  # type: ignore[arg-type]
                s.risk,
                s.cases,
                old.risk if old else None,
                old.compensation if old else "",
                old.reason if old else "",
                old.major if old else False,
                old.rated_by if old else None,
                old.rated_at if old else None,
            )
        else:
            self.issues.pop(key, None)

    def rate(self, item_id: str, asset_id: str, risk: str, *, major: bool = False) -> None:
        old = self.issues.get((item_id, asset_id))
        if old is not None:
            self.issues[(item_id, asset_id)] = Issue(
                old.inspection_id,
                old.item_id,
                old.asset_id,
                old.result,
                old.suggested,
                old.cases,
                risk,  # type: ignore[arg-type]
                old.compensation,
                old.reason,
                major,
                old.rated_by,
                old.rated_at,
            )

    def result(self) -> ScoreResult:
        progress = Progress(
            self._recorded, self._applicable, {k: (r, a) for k, (r, a) in self._by_category.items()}
        )
        return scoring.score(
            self.tally,
            self.policy,
            [IssueRisk.of(i) for i in self.issues.values()],
            progress=progress,
            pins=_pins(self.inspection),
            unresolved=self.unresolved,
        )


def live_score(ctx: Context, inspection_id: str, policy_id: str | None = None) -> LiveScore:
    """A ``LiveScore`` loaded with the inspection's current results."""
    loaded = _load_for_scoring(ctx, inspection_id)
    with _read(ctx) as db:
        cases = _cases_of(db, inspection_id)
        assets = [a for a in (db_assess.get_asset(db, aid) for aid in loaded.insp.asset_ids) if a is not None]
    return LiveScore(
        loaded.insp,
        _policy_for(ctx, loaded.insp, policy_id),
        Tally.from_results(loaded.insp.items, loaded.results),
        {(i.item_id, i.asset_id): i for i in loaded.issues},
        cases,
        assets,
        loaded.unresolved,
    )
