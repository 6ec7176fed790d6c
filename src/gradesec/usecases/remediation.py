"""Remediation use cases: plan items from an inspection's issues, assign, progress, accept risk, re-test.

Every change is one signed event with a note and optional evidence (stored as ``evidence.attached`` in the
same transaction), checked first against the lifecycle and the signer's role (``gradesec.remedy``), so bad
input changes nothing. Reading folds each item's log; ``today`` decides what is overdue or expired.

This module plans and changes items; reading and the shared checks live in ``remedy_items``, re-tests and the
progress report's data in ``remedy_retest``, deadline checks in ``remedy_deadlines``. Every name is importable
from here, as before the split.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gradesec.errors import GradesecError, UsageError
from gradesec.i18n import get_lang, t
from gradesec.remedy.lifecycle import (
    allowed,
    default_deadline,
    effective_status,
)
from gradesec.remedy.model import Action, Item
from gradesec.usecases.context import one_transaction

if TYPE_CHECKING:
    from gradesec.usecases.context import Context

from gradesec.usecases.remedy_items import (
    MAX_TEXT,
    RETEST_RESULT,
    Filters,
    _check_role,
    _date,
    _evidence_items,
    _risk,
    _rows,
    _text,
    as_json_list,
    dumps,
    get_item,
    item_id_for,
    list_items,
    progress,
    statuses,
    today_of,
)
from gradesec.usecases.remedy_retest import (
    ProgressData,
    RetestInput,
    RetestRound,
    progress_report_data,
    retest,
    rounds,
)

__all__ = [
    "MAX_TEXT",
    "RETEST_RESULT",
    "Change",
    "Filters",
    "ProgressData",
    "RetestInput",
    "RetestRound",
    "_date",
    "as_json_list",
    "close_and_plan",
    "deadline_warning",
    "dumps",
    "get_item",
    "item_id_for",
    "list_items",
    "plan_from_inspection",
    "plan_item",
    "progress",
    "progress_report_data",
    "retest",
    "rounds",
    "statuses",
    "today_of",
    "update_item",
]


def plan_item(
    ctx: Context,
    *,
    problem: str,
    risk: str,
    inspection: str | None = None,
    measure: str = "",
    owner_dept: str = "",
    owner_person: str = "",
    deadline: str | None = None,
    note: str = "",
    source: dict[str, str] | None = None,
    item_id: str | None = None,
    days: dict[str, int] | None = None,
) -> Item:
    """Plan one item by hand (on demand); the deadline defaults from the risk."""
    _check_role(ctx, "plan")
    body = _plan_body(
        ctx,
        item_id or ctx.new_id("R"),
        problem={
            "zh": _text(problem, "problem", required=True),
            "en": _text(problem, "problem", required=True),
        },
        risk=_risk(risk),
        inspection=inspection,
        measure=_text(measure, "measure"),
        owner_dept=_text(owner_dept, "owner_dept"),
        owner_person=_text(owner_person, "owner_person"),
        deadline=_planned_deadline(ctx, deadline, risk, inspection) if deadline else None,
        note=_text(note, "note"),
        source=source or {"kind": "manual"},
        days=days,
    )
    ctx.store.append(ctx.signer, "remediation.planned", body)
    return get_item(ctx, body["id"])


def _planned_deadline(ctx: Context, deadline: str, risk: str, inspection: str | None) -> str:
    from gradesec.usecases.remedy_deadlines import check_deadline

    today = today_of(ctx)
    return check_deadline(
        ctx, deadline, risk=risk, planned_at=today, inspection_id=inspection, today=today
    ).deadline


def deadline_warning(ctx: Context, item_id: str, deadline: str, risk: str | None = None) -> str | None:
    """The warning for a deadline later than the item's profile allows for its risk (None: within it)."""
    from gradesec.usecases.remedy_deadlines import check_deadline

    item = get_item(ctx, item_id)
    today = today_of(ctx)
    checked = check_deadline(
        ctx,
        deadline,
        risk=risk or item.risk,
        planned_at=item.planned_at,
        inspection_id=item.inspection_id,
        today=today,
    )
    return checked.warning()


def _plan_body(
    ctx: Context,
    item_id: str,
    *,
    problem: dict[str, str],
    risk: str,
    inspection: str | None,
    measure: str,
    owner_dept: str,
    owner_person: str,
    deadline: str | None,
    note: str,
    source: dict[str, str],
    days: dict[str, int] | None,
) -> dict[str, Any]:
    from gradesec.journal.clock import format_at

    planned_at = format_at(ctx.clock())
    body: dict[str, Any] = {
        "id": item_id,
        "inspection": inspection,
        "source": source,
        "problem": problem,
        "risk": risk,
        "measure": measure,
        "owner_dept": owner_dept,
        "owner_person": owner_person,
        "deadline": deadline or default_deadline(planned_at, risk, days),
        "note": note,
    }
    return body


@one_transaction
def plan_from_inspection(ctx: Context, inspection_id: str) -> list[Item]:
    """One item per issue of the inspection not yet planned (its problem, risk and default deadline)."""
    bodies = _plan_bodies(ctx, inspection_id)
    if bodies:
        ctx.store.append_many(ctx.signer, [("remediation.planned", b) for b in bodies])
    return [get_item(ctx, b["id"]) for b in bodies]


def _plan_bodies(ctx: Context, inspection_id: str) -> list[dict[str, Any]]:
    from gradesec.usecases import inspections

    _check_role(ctx, "plan")
    view = inspections.load_inspection(ctx, inspection_id)
    existing = {i.id for i in _rows(ctx, inspection_id)}
    profile = ctx.catalog.find_profile(view.inspection.profile_id)
    days = {str(k): int(v) for k, v in profile.remediation_days.items()} if profile is not None else None
    bodies = []
    for issue in view.issues:
        rid = item_id_for(inspection_id, issue.item_id, issue.asset_id)
        if rid in existing:
            continue
        risk = issue.effective or "medium"
        resolved = view.resolved.get(issue.item_id)
        asset = view.asset_by_id.get(issue.asset_id)
        asset_name = asset.name if asset is not None else issue.asset_id
        finding = view.findings.get((issue.item_id, issue.asset_id))
        problem = {}
        for lang in ("zh", "en"):
            text = resolved.text.get(lang) if resolved is not None else issue.item_id
            result = t(f"remedy.result.{issue.result}", lang=lang)
            problem[lang] = t("remedy.problem", lang=lang, asset=asset_name, result=result, text=text)
            if finding is not None and finding.note:
                problem[lang] += f" — {finding.note}"
        measure = resolved.item.guidance.get(get_lang()) if resolved is not None else ""
        bodies.append(
            _plan_body(
                ctx,
                rid,
                problem=problem,
                risk=risk,
                inspection=inspection_id,
                measure=measure[:MAX_TEXT],
                owner_dept="",
                owner_person="",
                deadline=None,
                note="",
                source={
                    "kind": "issue",
                    "inspection": inspection_id,
                    "item": issue.item_id,
                    "asset": issue.asset_id,
                },
                days=days,
            )
        )
    return bodies


@one_transaction
def close_and_plan(ctx: Context, inspection_id: str) -> list[Item]:
    """Close the inspection and plan an item for each of its issues: the closing, the plan and the checkpoint
    are one transaction (an interruption leaves the inspection open and unplanned, never closed unplanned)."""
    from gradesec.usecases import inspections

    bodies = _plan_bodies(ctx, inspection_id)
    inspections.close_inspection(ctx, inspection_id, after=[("remediation.planned", b) for b in bodies])
    return [get_item(ctx, b["id"]) for b in bodies]


@dataclass(frozen=True)
class Change:
    """What an update does: an action plus the fields it sets."""

    action: Action
    note: str = ""
    evidence: tuple[Path | str, ...] = ()
    owner_dept: str | None = None
    owner_person: str | None = None
    deadline: str | None = None
    measure: str | None = None
    risk: str | None = None
    justification: str = ""
    approver: str = ""
    expires: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


@one_transaction
def update_item(ctx: Context, item_id: str, change: Change) -> Item:
    """Apply one change (assign, start, fix, note, accept) as a signed ``remediation.updated`` event."""
    if change.action in ("plan", "verify", "reopen"):
        raise UsageError(
            t("remedy.error.bad_action", action=change.action), t("remedy.error.bad_action.hint")
        )
    _check_role(ctx, change.action)
    item = get_item(ctx, item_id)
    today = today_of(ctx)
    status = effective_status(item, today)
    if not allowed(status, change.action):
        raise GradesecError(
            t(
                "remedy.error.transition",
                id=item.id,
                status=t(f"remedy.status.{status}"),
                action=t(f"remedy.action.{change.action}"),
            ),
            t("remedy.error.transition.hint"),
        )
    fields: dict[str, str] = {}
    if change.owner_dept is not None:
        fields["owner_dept"] = _text(change.owner_dept, "owner_dept")
    if change.owner_person is not None:
        fields["owner_person"] = _text(change.owner_person, "owner_person")
    if change.deadline is not None:
        from gradesec.usecases.remedy_deadlines import check_deadline

        fields["deadline"] = check_deadline(
            ctx,
            change.deadline,
            risk=change.risk or item.risk,
            planned_at=item.planned_at,
            inspection_id=item.inspection_id,
            today=today,
        ).deadline
    if change.measure is not None:
        fields["measure"] = _text(change.measure, "measure")
    if change.risk is not None:
        fields["risk"] = _risk(change.risk)
    if fields and change.action != "assign":
        raise UsageError(t("remedy.error.fields_need_assign"), t("remedy.error.fields_need_assign.hint"))
    if change.action == "assign" and not fields:
        raise UsageError(t("remedy.error.assign_empty"), t("remedy.error.assign_empty.hint"))
    note = _text(change.note, "note", required=change.action in ("fix", "note"))
    body: dict[str, Any] = {
        "id": item.id,
        "inspection": item.inspection_id,
        "action": change.action,
        "note": note,
        "seen": item.log[-1].event_hash if item.log else None,
    }
    if fields:
        body["fields"] = fields
    if change.action == "accept":
        expires = _date(change.expires or "", "expires")
        if expires < today:
            raise UsageError(t("remedy.error.expired_already", date=expires), t("remedy.error.bad_date.hint"))
        body["acceptance"] = {
            "justification": _text(change.justification, "justification", required=True),
            "approver": _text(change.approver, "approver", required=True),
            "expires": expires,
        }
    refs, evidence_events = _evidence_items(ctx, item.id, change.evidence)
    if refs:
        body["evidence"] = refs
    ctx.store.append_many(ctx.signer, [*evidence_events, ("remediation.updated", body)])
    return get_item(ctx, item.id)
