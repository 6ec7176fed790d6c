"""The inspector's workflow: opening, widening, closing and reopening inspections; and the one façade for
the whole assessment workflow.

The CLI, the TUI, reports, remediation and demos call this module (``uc.add_unit``, ``uc.record_finding``,
``uc.score`` …); the other use cases live beside it and are re-exported here:

- ``inventory``: units, systems, assets;
- ``findings``: findings and evidence, disagreements, issue risks;
- ``inspection_view``: ``load_inspection``, one inspection read back whole;
- ``scores``: ``score`` and ``LiveScore``;
- ``assess_checks``: the checks every write makes first.

Every write validates against the current state first and raises a ``GradesecError`` with nothing
written; then it appends its signed events in one transaction. Reads use their own read-only connection.

An inspection pins what it runs with when it opens: the hashes of the catalog files, the applicable items
with their weights and object kinds, the scoring policies with their parameters and the high-risk case
rules, so an old inspection scores the same after the catalog files change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gradesec.assess.model import Inspection, PolicySnapshot
from gradesec.assess.risk import CaseRule, MitigationRule
from gradesec.errors import GradesecError
from gradesec.i18n import get_lang, t
from gradesec.state import assess as db_assess
from gradesec.usecases.assess_checks import (
    MAX_NAME,
    MAX_TEXT,
    clean_text,
    fresh_id,
    need_asset,
    need_inspection,
    need_open,
    need_system,
    read_db,
)
from gradesec.usecases.context import one_transaction
from gradesec.usecases.findings import (
    REVIEWER_ROLES,
    FindingInput,
    disagreements,
    finding_history,
    rate_issue,
    record_finding,
    record_findings,
    resolve_disagreement,
    suggest_risk,
)
from gradesec.usecases.inspection_view import load_inspection
from gradesec.usecases.inventory import (
    EXTENSIONS,
    add_asset,
    add_assets,
    add_system,
    add_unit,
    get_asset,
    get_system,
    get_unit,
    list_assets,
    list_systems,
    list_units,
    set_system_conditions,
)
from gradesec.usecases.judgements import (
    correct_finding,
    judge_major_risk,
    judgements,
    list_corrections,
    update_asset,
)
from gradesec.usecases.scores import LiveScore, live_score, policy_snapshot, score

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog, ResolvedItem
    from gradesec.usecases.context import Context


__all__ = [
    "EXTENSIONS",
    "MAX_NAME",
    "MAX_TEXT",
    "REVIEWER_ROLES",
    "FindingInput",
    "LiveScore",
    "add_asset",
    "add_assets",
    "add_inspection_assets",
    "add_system",
    "add_unit",
    "close_inspection",
    "correct_finding",
    "disagreements",
    "finding_history",
    "get_asset",
    "get_inspection",
    "get_system",
    "get_unit",
    "judge_major_risk",
    "judgements",
    "list_assets",
    "list_corrections",
    "list_inspections",
    "list_systems",
    "list_units",
    "live_score",
    "load_inspection",
    "new_inspection",
    "rate_issue",
    "record_finding",
    "record_findings",
    "reopen_inspection",
    "resolve_disagreement",
    "score",
    "set_system_conditions",
    "suggest_risk",
    "update_asset",
]


def _level_bound(catalog: Catalog, profile_id: str, level: int) -> bool:
    """Whether the profile's items depend on the level (MLPS profiles do; the policy-clause list does not)."""
    own = [i.id for i in catalog.items_for(profile_id)]
    try:
        other = [i.id for i in catalog.items_for(profile_id, level)]
    except (KeyError, ValueError):
        return True
    return own != other


def _policy_json(p: PolicySnapshot) -> dict[str, Any]:
    return {"id": p.id, "method": p.method, "params": p.params, "sha256": p.sha256, "title": p.title}


def _item_json(item: ResolvedItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "category": item.category.code,
        "class": item.category.cls,
        "control": item.control.id,
        "weight": item.weight,
        "objects": list(item.objects or item.item.objects),
        "order": item.order,
        **({"extension": item.extension} if item.extension else {}),
    }


@one_transaction
def new_inspection(
    ctx: Context,
    system_id: str,
    profile_id: str,
    *,
    policy_id: str | None = None,
    asset_ids: Sequence[str] | None = None,
    title: str = "",
    category_objects: bool = False,
) -> Inspection:
    """Open an inspection of a system with a profile, pinning the catalog; ``asset_ids`` default to all the
    system's assets.

    With ``category_objects`` the inspection also covers one object per category that has a category kind
    (the machine room, the communication network, the area boundary, the management centre, each management
    category), made in the same transaction where the system has none yet, as inspectors keep them."""
    catalog = ctx.catalog
    profile = catalog.profile(profile_id)
    with read_db(ctx) as db:
        system = need_system(db, system_id)
        if asset_ids is None:
            scope = [a.id for a in db_assess.list_assets(db, system_id)]
        else:
            scope = []
            for asset_id in dict.fromkeys(asset_ids):
                asset = need_asset(db, asset_id)
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
    policies = [policy_snapshot(catalog, p) for p in policy_ids]
    items = catalog.items_for(profile.id)
    item_ids = {i.id for i in items}
    cases: list[dict[str, Any]] = []
    for hr_id in catalog.high_risk_ids(profile):
        if hr_id not in catalog.high_risk:
            continue
        for case in catalog.high_risk[hr_id].cases:
            if profile.level in case.levels and item_ids & set(case.items):
                rule = CaseRule(
                    case.id,
                    tuple(case.levels),
                    tuple(case.items),
                    tuple(case.results),
                    case.downgradable,
                    tuple(case.conditions),
                    tuple(
                        MitigationRule(m.id, tuple(m.situations), tuple(m.requires), m.down_to)
                        for m in case.mitigations
                    ),
                )
                cases.append(rule.as_json())
    signer = ctx.signer
    events: list[tuple[str, dict[str, Any]]] = []
    if category_objects:
        wanted = catalog.category_kinds()
        with read_db(ctx) as db:
            have = {a.kind: a.id for a in db_assess.list_assets(db, system_id)}
        taken: set[str] = set()
        for code in dict.fromkeys(i.category.code for i in items):
            kind = wanted.get(code)
            if kind is None:
                continue
            if kind in have:
                if have[kind] not in scope:
                    scope.append(have[kind])
                continue
            new_id = fresh_id(ctx, "a", "asset")
            while new_id in taken:
                new_id = fresh_id(ctx, "a", "asset")
            taken.add(new_id)
            name = catalog.object_kinds[kind].name.get(get_lang())  # the user's language: it is their data
            asset_body = {
                "id": new_id,
                "system": system_id,
                "kind": kind,
                "name": name,
                "address": "",
                "role": "",
                "importance": "",
                "notes": "",
            }
            events.append(("asset.added", asset_body))
            scope.append(new_id)
    body: dict[str, Any] = {
        "id": fresh_id(ctx, "i", "inspection"),
        "system": system_id,
        "profile": profile.id,
        "policy": chosen,
        "level": profile.level,
        "title": clean_text(title, "title", limit=MAX_NAME),
        "catalog_sha256": catalog.sha256,
        "pins": catalog.pinned_hashes(profile.id),
        "high_risk": profile.high_risk,
        "policies": [_policy_json(p) for p in policies],
        "items": [_item_json(i) for i in items],
        "cases": cases,
        "assets": scope,
    }
    events.append(("inspection.opened", body))
    ctx.store.append_many(signer, events)
    return get_inspection(ctx, body["id"])


def add_inspection_assets(ctx: Context, inspection_id: str, asset_ids: Sequence[str]) -> Inspection:
    """Bring more of the system's assets into an open inspection."""
    with read_db(ctx) as db:
        insp = need_inspection(db, inspection_id)
        need_open(insp)
        new: list[str] = []
        for asset_id in dict.fromkeys(asset_ids):
            asset = need_asset(db, asset_id)
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


def close_inspection(
    ctx: Context,
    inspection_id: str,
    *,
    before: Sequence[tuple[str, dict[str, Any]]] = (),
    after: Sequence[tuple[str, dict[str, Any]]] = (),
) -> Inspection:
    """Close an open inspection (no unresolved disagreement may remain) and write a checkpoint.

    ``before`` and ``after`` are events written around the closing one (a re-test round, the remediation
    plan): all of them and the checkpoint are one transaction, so an interruption leaves all or nothing."""
    with read_db(ctx) as db:
        insp = need_inspection(db, inspection_id)
        need_open(insp)
        disputes = db_assess.disagreements(db, inspection_id)
    if disputes:
        raise GradesecError(
            t("assess.error.unresolved", id=inspection_id, n=len(disputes)),
            t("assess.error.unresolved.hint", id=inspection_id),
        )
    closed = ("inspection.closed", {"inspection": inspection_id})
    ctx.store.checkpoint(ctx.signer, extra=[*before, closed, *after])
    return get_inspection(ctx, inspection_id)


def reopen_inspection(ctx: Context, inspection_id: str, reason: str) -> Inspection:
    """Reopen a closed inspection; the reason is part of the signed record."""
    why = clean_text(reason, "reason", required=True)
    with read_db(ctx) as db:
        insp = need_inspection(db, inspection_id)
    if insp.is_open:
        raise GradesecError(t("assess.error.not_closed", id=inspection_id), t("assess.error.not_closed.hint"))
    ctx.store.append(ctx.signer, "inspection.reopened", {"inspection": inspection_id, "reason": why})
    return get_inspection(ctx, inspection_id)


def get_inspection(ctx: Context, inspection_id: str) -> Inspection:
    with read_db(ctx) as db:
        return need_inspection(db, inspection_id)


def list_inspections(ctx: Context, system_id: str | None = None) -> list[Inspection]:
    with read_db(ctx) as db:
        return db_assess.list_inspections(db, system_id)
