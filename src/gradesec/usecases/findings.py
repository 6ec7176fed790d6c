"""Recording results: findings with their evidence, reviewers' rulings on disagreements, and issue risks.

Every write checks everything first (unknown ids, an asset of the wrong kind or system, a closed
inspection, ``na`` without a reason, a missing evidence file …) and appends its signed events in one
transaction.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gradesec.assess.model import ISSUE_RESULTS, RESULT_VALUES, Asset, Disagreement, Finding, Issue
from gradesec.assess.risk import Suggestion, check_rating, suggest
from gradesec.catalog.models import METHODS
from gradesec.errors import GradesecError, NotFoundError, UsageError
from gradesec.i18n import t
from gradesec.permissions import check_regular, is_missing
from gradesec.state import assess as db_assess
from gradesec.usecases.assess_checks import (
    clean_text,
    extends_scope,
    need_asset_in,
    need_inspection,
    need_item,
    need_open,
    read_db,
)
from gradesec.usecases.context import one_transaction
from gradesec.usecases.inspection_view import cases_of, load_inspection

if TYPE_CHECKING:
    from gradesec.usecases.context import Context


REVIEWER_ROLES: frozenset[str] = frozenset({"reviewer", "lead"})


def _evidence_files(paths: Iterable[Path | str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if is_missing(path):
            raise NotFoundError(
                t("assess.error.no_evidence", path=str(raw)), t("assess.error.no_evidence.hint")
            )
        check_regular(path)  # a folder, a symlink, a device, an unreadable file: each named as such
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
        note_text = clean_text(entry.note, "note")
        why = clean_text(entry.reason, "reason")
        if entry.result == "na" and not why:
            raise UsageError(t("assess.error.na_reason", item=entry.item), t("assess.error.na_reason.hint"))
        return note_text, why, _evidence_files(entry.evidence)
    except GradesecError as err:
        if where:
            err.message = f"{where}{err.message}"
        raise


def _ref(e: Any) -> dict[str, Any]:
    return {"sha256": e.sha256, "name": e.name, "size": e.size, "media_type": e.media_type}


def _merge_refs(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen = {r["sha256"] for r in new}
    return [r for r in old if r["sha256"] not in seen] + new


@one_transaction
def record_findings(
    ctx: Context,
    inspection_id: str,
    entries: Sequence[FindingInput],
    *,
    read_back: bool = True,
    extra: Sequence[tuple[str, dict[str, Any]]] = (),
) -> list[Finding]:
    """Record several results in one transaction: every entry is checked first, and one bad entry (named by
    its position, from 1) stops them all with nothing written. Without ``read_back`` the recorded revisions are
    not read back (a bulk import that does not show them): the answer is then empty. ``extra`` events (what an
    import learned alongside) are appended after the results in the same transaction."""
    batch = len(entries) > 1
    checked = [_check_input(e, n if batch else None) for n, e in enumerate(entries, start=1)]
    with read_db(ctx) as db:
        insp = need_inspection(db, inspection_id)
        need_open(insp)
        items = {i.id: i for i in insp.items}
        assets: dict[str, Asset] = {}
        # A new revision names the current revisions it replaces (what its writer saw: that, not a clock, orders
        # revisions) and keeps their evidence: the blobs are already stored and attached, and a re-recorded
        # result should not look as if it had lost its proof.
        kept: dict[tuple[str, str], list[dict[str, Any]]] = {}
        seen: dict[tuple[str, str], list[str]] = {}
        beyond: set[tuple[str, str]] = set()
        for n, entry in enumerate(entries, start=1):
            try:
                item = items.get(entry.item) or need_item(insp, entry.item)
                asset = assets.get(entry.asset) or need_asset_in(db, insp, entry.asset)
                assets[asset.id] = asset
                if extends_scope(item, asset):
                    beyond.add((entry.item, entry.asset))
                pair = (entry.item, entry.asset)
                if pair not in seen:
                    heads = db_assess.head_hashes(db, inspection_id, entry.item, entry.asset)
                    seen[pair] = heads
                    carried: list[dict[str, Any]] = []
                    for head in db_assess.revisions_by_hash(db, heads) if heads else ():
                        carried = _merge_refs(carried, [_ref(e) for e in head.evidence])
                    kept[pair] = carried
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
            "evidence": _merge_refs(kept.get((entry.item, entry.asset), []), refs),
            "supersedes": seen.get((entry.item, entry.asset), []),
        }
        # Whether the object's kind is one the catalog did not expect for the item: decided now and kept (the
        # record, the export and the report read it from here, so a later catalog cannot change it).
        body["scope_extension"] = (entry.item, entry.asset) in beyond
        firsts.append(len(events))
        events.append(("finding.recorded", body))
        target = {"kind": "finding", "id": _pair_id(inspection_id, entry.item, entry.asset)}
        events += [("evidence.attached", {**ref, "target": target}) for ref in refs]
    if not events:
        return []
    appended = ctx.store.append_many(signer, [*events, *extra])
    if not read_back:
        return []
    wanted = {appended[i].hash for i in firsts}
    with read_db(ctx) as db:
        found = {f.event_hash: f for f in db_assess.revisions_by_hash(db, sorted(wanted))}
    return [found[appended[i].hash] for i in firsts]


def _revision(ctx: Context, event_hash: str, inspection_id: str, item_id: str, asset_id: str) -> Finding:
    for finding in finding_history(ctx, inspection_id, item_id, asset_id):
        if finding.event_hash == event_hash:
            return finding
    raise GradesecError(t("assess.error.no_id"), t("assess.error.unexpected.hint"))


def finding_history(ctx: Context, inspection_id: str, item_id: str, asset_id: str) -> list[Finding]:
    """Every revision of the result for one item and asset, oldest first (rulings included)."""
    with read_db(ctx) as db:
        need_inspection(db, inspection_id)
        return db_assess.finding_history(db, inspection_id, item_id, asset_id)


def disagreements(ctx: Context, inspection_id: str) -> list[Disagreement]:
    with read_db(ctx) as db:
        need_inspection(db, inspection_id)
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
    """A reviewer rules on a disagreement: ``result`` becomes the current revision, with the reason.

    The ruling names the concurrent revisions it settles (``resolves``) and supersedes exactly those: a result
    recorded elsewhere that did not see the ruling re-opens the disagreement when it arrives."""
    if result not in RESULT_VALUES:
        raise UsageError(t("assess.error.bad_result", result=result), t("assess.error.bad_result.hint"))
    why = clean_text(reason, "reason", required=True)
    note_text = clean_text(note, "note")
    signer = ctx.signer
    if signer.role not in REVIEWER_ROLES:
        raise GradesecError(
            t("assess.error.not_reviewer", role=signer.role), t("assess.error.not_reviewer.hint")
        )
    with read_db(ctx) as db:
        insp = need_inspection(db, inspection_id)
        need_open(insp)
        need_item(insp, item_id)
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


def suggest_risk(ctx: Context, inspection_id: str, item_id: str, result: str) -> Suggestion:
    """What gradesec suggests for a result of this item in this inspection (before it is recorded)."""
    with read_db(ctx) as db:
        insp = need_inspection(db, inspection_id)
        return suggest(cases_of(db, inspection_id), insp.level, item_id, result)


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
    mitigations: Sequence[str] = (),
) -> Issue:
    """Set the risk of the issue on one item and asset. Lowering a suggested *high* needs, for every matching
    case, one of the mitigations it allows (``mitigations``: their ids) and a reason; it is refused, with nothing
    written, otherwise. ``major`` marks a 重大风险隐患 (2025 template)."""
    comp = clean_text(compensation, "compensation")
    why = clean_text(reason, "reason")
    with read_db(ctx) as db:
        insp = need_inspection(db, inspection_id)
        need_open(insp)
        need_item(insp, item_id)
        need_asset_in(db, insp, asset_id)
        current = {(i, a): r for i, a, r in db_assess.current_results(db, inspection_id) if i == item_id}
        result = current.get((item_id, asset_id))
        if result not in ISSUE_RESULTS:
            raise GradesecError(
                t("assess.error.not_an_issue", item=item_id, asset=asset_id, result=result or "-"),
                t("assess.error.not_an_issue.hint"),
            )
        suggestion = suggest(cases_of(db, inspection_id), insp.level, item_id, str(result))
    chosen, comp, why, uses = check_rating(suggestion, risk, comp, why, mitigations)
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
    if uses:  # optional field of issue.rated: present only when mitigations were named
        body["mitigations"] = [u.as_json() for u in uses]
    ctx.store.append(ctx.signer, "issue.rated", body)
    view = load_inspection(ctx, inspection_id)
    return next(i for i in view.issues if i.item_id == item_id and i.asset_id == asset_id)
