"""The assessor's later word: editing an asset, correcting results after 整体测评, judging 重大风险隐患.

Each write is one signed event (``asset.updated``, ``finding.corrected``, ``issue.major_risk_judged``); the
projections are in ``gradesec.state.judgements``. Reading a judgement fills in whether its issues'
remediation was verified, for the front-page count "N（M个已整改）".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from gradesec.assess.judgements import WHOLE_ITEM, Correction, MajorRiskJudgement, judgement_id
from gradesec.assess.model import IMPORTANCE, ISSUE_RESULTS, RESULT_VALUES, Asset, importance_code
from gradesec.errors import GradesecError, NotFoundError, UsageError
from gradesec.i18n import t
from gradesec.state import assess as db_assess
from gradesec.state import judgements as db_judge
from gradesec.usecases.assess_checks import (
    MAX_NAME,
    clean_text,
    need_asset,
    need_asset_in,
    need_inspection,
    need_item,
    need_open,
    read_db,
)

if TYPE_CHECKING:
    import sqlite3

    from gradesec.usecases.context import Context


def check_importance(value: str) -> str:
    """The importance code of ``value`` (key / important / general, or 关键 / 重要 / 一般); empty is general."""
    code = importance_code(value)
    if code is None:
        raise UsageError(
            t("scoring.error.bad_importance", value=value),
            t("scoring.error.bad_importance.hint", known=", ".join(IMPORTANCE)),
        )
    return code


# Assets


def update_asset(
    ctx: Context,
    asset_id: str,
    *,
    name: str | None = None,
    kind: str | None = None,
    address: str | None = None,
    version: str | None = None,
    role: str | None = None,
    importance: str | None = None,
    notes: str | None = None,
) -> Asset:
    """Change some fields of an asset (the ones given and different from now); one ``asset.updated`` event."""
    signer = ctx.signer
    wanted: dict[str, str] = {}
    if name is not None:
        wanted["name"] = clean_text(name, "name", required=True, limit=MAX_NAME)
    if kind is not None:
        kinds = ctx.catalog.object_kinds
        if kind not in kinds:
            raise UsageError(
                t("assess.error.bad_kind", kind=kind), t("assess.error.bad_kind.hint", kinds=", ".join(kinds))
            )
        wanted["kind"] = kind
    for field, value in (("address", address), ("version", version), ("role", role)):
        if value is not None:
            wanted[field] = clean_text(value, field, limit=MAX_NAME)
    if notes is not None:
        wanted["notes"] = clean_text(notes, "notes")
    if importance is not None:
        wanted["importance"] = check_importance(importance)
    with read_db(ctx) as db:
        asset = need_asset(db, asset_id)
    now = {
        "name": asset.name,
        "kind": asset.kind,
        "address": asset.address,
        "version": asset.version,
        "role": asset.role,
        "notes": asset.notes,
        "importance": importance_code(asset.importance) or asset.importance,
    }
    changes = {k: v for k, v in wanted.items() if now[k] != v}
    if not changes:
        raise UsageError(t("scoring.error.no_change", id=asset_id), t("scoring.error.no_change.hint"))
    ctx.store.append(signer, "asset.updated", {"asset": asset_id, "changes": changes})
    with read_db(ctx) as db:
        return need_asset(db, asset_id)


# 整体测评 corrections


def correct_finding(
    ctx: Context,
    inspection_id: str,
    item_id: str,
    result: str,
    *,
    reason: str,
    asset_id: str = WHOLE_ITEM,
) -> Correction:
    """Record the result an item (``asset_id`` empty: the item as a whole) or an item on one asset has after
    整体测评, with the reason. The finding itself stays as recorded; the 2021 and 2025 policies score this."""
    if result not in RESULT_VALUES:
        raise UsageError(t("assess.error.bad_result", result=result), t("assess.error.bad_result.hint"))
    why = clean_text(reason, "reason", required=True)
    signer = ctx.signer
    with read_db(ctx) as db:
        insp = need_inspection(db, inspection_id)
        need_open(insp)
        need_item(insp, item_id)
        current = {a: r for i, a, r in db_assess.current_results(db, inspection_id) if i == item_id}
        if asset_id != WHOLE_ITEM:
            need_asset_in(db, insp, asset_id)
            original: str | None = current.get(asset_id)
            if original is None:
                raise NotFoundError(
                    t("scoring.error.nothing_to_correct", item=item_id, asset=asset_id),
                    t("scoring.error.nothing_to_correct.hint"),
                )
        else:
            original = None
            if not current:
                raise NotFoundError(
                    t("scoring.error.nothing_to_correct", item=item_id, asset="*"),
                    t("scoring.error.nothing_to_correct.hint"),
                )
    body: dict[str, Any] = {
        "inspection": inspection_id,
        "item": item_id,
        "asset": asset_id,
        "result": result,
        "original": original,
        "reason": why,
    }
    ctx.store.append(signer, "finding.corrected", body)
    return next(c for c in list_corrections(ctx, inspection_id) if c.key == (item_id, asset_id))


def list_corrections(ctx: Context, inspection_id: str) -> list[Correction]:
    with read_db(ctx) as db:
        need_inspection(db, inspection_id)
        return db_judge.corrections(db, inspection_id)


# 重大风险隐患


def _trigger_ids(ctx: Context) -> dict[str, Any]:
    from gradesec.catalog.major_risk import trigger_ids

    return dict(trigger_ids(ctx.catalog))


def judge_major_risk(
    ctx: Context,
    inspection_id: str,
    issues: Sequence[tuple[str, str]],
    *,
    major: bool,
    reason: str,
    trigger: str = "",
) -> MajorRiskJudgement:
    """Judge whether one issue, or several together, is a 重大风险隐患. A finding of a major risk names the
    trigger of the reference list it rests on; either way the reason is required. Judging the same group
    again replaces the earlier judgement."""
    pairs = sorted({(str(i), str(a)) for i, a in issues})
    if not pairs:
        raise UsageError(t("scoring.error.no_issues"), t("scoring.error.no_issues.hint"))
    why = clean_text(reason, "reason", required=True)
    trig = trigger.strip()
    known = _trigger_ids(ctx)
    if major and not trig:
        raise UsageError(
            t("scoring.error.trigger_needed"), t("scoring.error.trigger.hint", known=", ".join(known))
        )
    if trig and trig not in known:
        raise UsageError(
            t("scoring.error.bad_trigger", trigger=trig),
            t("scoring.error.trigger.hint", known=", ".join(known)),
        )
    signer = ctx.signer
    with read_db(ctx) as db:
        insp = need_inspection(db, inspection_id)
        need_open(insp)
        current = {(i, a): r for i, a, r in db_assess.current_results(db, inspection_id)}
        for item_id, asset_id in pairs:
            need_item(insp, item_id)
            need_asset_in(db, insp, asset_id)
            if current.get((item_id, asset_id)) not in ISSUE_RESULTS:
                raise GradesecError(
                    t(
                        "assess.error.not_an_issue",
                        item=item_id,
                        asset=asset_id,
                        result=current.get((item_id, asset_id)) or "-",
                    ),
                    t("assess.error.not_an_issue.hint"),
                )
    jid = judgement_id(inspection_id, pairs)
    body: dict[str, Any] = {
        "inspection": inspection_id,
        "id": jid,
        "issues": [{"item": i, "asset": a} for i, a in pairs],
        "major": bool(major),
        "reason": why,
        "trigger": trig,
    }
    ctx.store.append(signer, "issue.major_risk_judged", body)
    return next(j for j in judgements(ctx, inspection_id) if j.id == jid)


def _remediated(db: sqlite3.Connection, inspection_id: str, pairs: Sequence[tuple[str, str]]) -> bool:
    """Whether every issue of the group has a remediation item whose re-test verified it."""
    from gradesec.usecases.remediation import item_id_for

    if not pairs:
        return False
    for item_id, asset_id in pairs:
        row = db.execute(
            "SELECT status FROM remediation_item WHERE id = ?",
            (item_id_for(inspection_id, item_id, asset_id),),
        ).fetchone()
        if row is None or row[0] != "verified":
            return False
    return True


def judgements_in(db: sqlite3.Connection, inspection_id: str) -> list[MajorRiskJudgement]:
    """Every judgement of the inspection (major or not), with ``remediated`` filled in.

    An issue flagged ``major`` by an older ``issue.rated`` event, and covered by no judgement, counts as a
    judgement of its own (no trigger), so stores written before judgements existed keep their count.
    """
    found = [
        replace(j, remediated=_remediated(db, inspection_id, j.issues))
        for j in db_judge.major_risks(db, inspection_id)
    ]
    covered = {pair for j in found for pair in j.issues}
    for (item_id, asset_id), rating in sorted(db_assess.issue_ratings(db, inspection_id).items()):
        if rating["major"] and (item_id, asset_id) not in covered:
            pairs = ((item_id, asset_id),)
            found.append(
                MajorRiskJudgement(
                    judgement_id(inspection_id, pairs),
                    inspection_id,
                    pairs,
                    True,
                    rating["reason"],
                    "",
                    rating["author"],
                    rating["at"],
                    remediated=_remediated(db, inspection_id, pairs),
                )
            )
    return found


def judgements(ctx: Context, inspection_id: str) -> list[MajorRiskJudgement]:
    with read_db(ctx) as db:
        need_inspection(db, inspection_id)
        return judgements_in(db, inspection_id)
