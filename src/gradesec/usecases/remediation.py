"""Remediation use cases: plan items from an inspection's issues, assign, progress, accept risk, re-test.

Every change is one signed event with a note and optional evidence (stored as ``evidence.attached`` in the
same transaction), checked first against the lifecycle and the signer's role (``gradesec.remedy``), so bad
input changes nothing. Reading folds each item's log; ``today`` decides what is overdue or expired.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gradesec.errors import GradesecError, NotFoundError, UsageError
from gradesec.i18n import get_lang, t
from gradesec.permissions import check_regular, is_missing
from gradesec.remedy.lifecycle import (
    Figures,
    allowed,
    default_deadline,
    effective_status,
    figures,
    is_overdue,
    may,
)
from gradesec.remedy.model import RETEST_OUTCOMES, RISK_RANK, RISKS, STATUSES, Action, Item

if TYPE_CHECKING:
    from gradesec.usecases.context import Context

MAX_TEXT = 4000
RETEST_RESULT = {"verified": "compliant", "partial": "partial", "not_fixed": "noncompliant"}


def today_of(ctx: Context) -> str:
    return ctx.clock().date().isoformat()


def item_id_for(inspection_id: str, item_id: str, asset_id: str) -> str:
    """A stable id for the item planned from one issue: two planners of the same issue name one item."""
    digest = hashlib.sha256(f"{inspection_id}/{item_id}/{asset_id}".encode()).hexdigest()
    return f"R-{digest[:8]}"


def _text(value: str | None, name: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise UsageError(t("remedy.error.required", field=name), t("remedy.error.required.hint"))
    if len(text) > MAX_TEXT:
        raise UsageError(t("remedy.error.too_long", field=name, n=MAX_TEXT), t("remedy.error.required.hint"))
    return text


def _date(value: str, name: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise UsageError(
            t("remedy.error.bad_date", field=name, value=value), t("remedy.error.bad_date.hint")
        ) from None


def _risk(value: str) -> str:
    if value not in RISKS:
        raise UsageError(t("remedy.error.bad_risk", risk=value), t("remedy.error.bad_risk.hint"))
    return value


# Reading


def _rows(ctx: Context, inspection_id: str | None = None) -> list[Item]:
    from sqlmodel import select

    from gradesec.state.remedy import RemediationItemRow, item_from_row

    with ctx.store.session() as session:
        query = select(RemediationItemRow)
        if inspection_id is not None:
            query = query.where(RemediationItemRow.inspection == inspection_id)
        return [item_from_row(r) for r in session.exec(query).all()]


def get_item(ctx: Context, item_id: str) -> Item:
    """One item with its whole log (a unique prefix of its id is enough)."""
    from gradesec.state.remedy import load_item

    ids = [i.id for i in _rows(ctx)]
    matches = [i for i in ids if i == item_id] or [i for i in ids if i.startswith(item_id)]
    if len(matches) != 1:
        raise NotFoundError(t("remedy.error.no_item", id=item_id), t("remedy.error.no_item.hint"))
    item = load_item(ctx.store.connection, matches[0])
    if item is None:
        raise NotFoundError(t("remedy.error.no_item", id=item_id), t("remedy.error.no_item.hint"))
    return item


@dataclass(frozen=True)
class Filters:
    inspection: str | None = None
    status: str | None = None
    risk: str | None = None
    overdue: bool = False
    mine: str | None = None  # a person's name
    high: bool = False


def list_items(ctx: Context, filters: Filters | None = None, today: str | None = None) -> list[Item]:
    """Items, most urgent first: overdue, then by risk, deadline and id."""
    f = filters or Filters()
    day = today or today_of(ctx)
    out = []
    for item in _rows(ctx, f.inspection):
        if f.status and effective_status(item, day) != f.status:
            continue
        if f.risk and item.risk != f.risk:
            continue
        if f.high and item.risk != "high":
            continue
        if f.overdue and not is_overdue(item, day):
            continue
        if f.mine is not None and item.owner_person.strip().casefold() != f.mine.strip().casefold():
            continue
        out.append(item)
    out.sort(key=lambda i: (not is_overdue(i, day), -RISK_RANK[i.risk], i.deadline or "9999", i.id))
    return out


def progress(ctx: Context, inspection_id: str | None = None, today: str | None = None) -> Figures:
    return figures(_rows(ctx, inspection_id), today or today_of(ctx))


# Writing


def _check_role(ctx: Context, action: Action) -> None:
    role = ctx.signer.role
    if not may(role, action):
        raise GradesecError(
            t("remedy.error.role", role=role, action=t(f"remedy.action.{action}")),
            t("remedy.error.role.hint"),
        )


def _evidence_items(
    ctx: Context, item_id: str, paths: Sequence[Path | str]
) -> tuple[list[dict[str, Any]], list[tuple[str, dict[str, Any]]]]:
    refs: list[dict[str, Any]] = []
    events: list[tuple[str, dict[str, Any]]] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if is_missing(path):
            raise NotFoundError(
                t("remedy.error.no_evidence", path=str(raw)), t("remedy.error.no_evidence.hint")
            )
        check_regular(path)
    for raw in paths:
        path = Path(raw).expanduser()
        ref = ctx.store.evidence.put(path)
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        body = {
            "sha256": ref.sha256,
            "name": path.name,
            "size": ref.size,
            "media_type": media,
            "target": {"kind": "remediation", "id": item_id},
        }
        refs.append({"sha256": ref.sha256, "name": path.name, "size": ref.size})
        events.append(("evidence.attached", body))
    return refs, events


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


# Re-test


@dataclass(frozen=True)
class RetestInput:
    item: str
    outcome: str  # verified | partial | not_fixed
    note: str = ""
    evidence: tuple[Path | str, ...] = ()


@dataclass(frozen=True)
class RetestRound:
    inspection: str
    items: tuple[Item, ...]
    before: dict[str, Any]
    after: dict[str, Any]

    def as_json(self, today: str | None = None) -> dict[str, Any]:
        return {
            "inspection": self.inspection,
            "before": self.before,
            "after": self.after,
            "items": [i.as_json(today) for i in self.items],
        }


def _brief(score: Any) -> dict[str, Any]:
    data = score.as_json()
    return {
        "score": data["score"],
        "conclusion": data["conclusion"],
        "compliance_rate": data["compliance_rate"],
        "issues": data["counts"]["issues"],
        "policy": data["policy"]["id"],
    }


def retest(ctx: Context, inspection_id: str, entries: Sequence[RetestInput]) -> RetestRound:
    """Re-test items of an inspection: re-record each issue's finding, mark each item verified or reopened,
    and record the score and conclusion before and after (``remediation.round``)."""
    from gradesec.usecases import inspections

    _check_role(ctx, "verify")
    if not entries:
        raise UsageError(t("remedy.error.nothing_to_retest"), t("remedy.error.nothing_to_retest.hint"))
    items: list[tuple[Item, RetestInput]] = []
    for entry in entries:
        if entry.outcome not in RETEST_OUTCOMES:
            raise UsageError(
                t("remedy.error.bad_outcome", outcome=entry.outcome), t("remedy.error.bad_outcome.hint")
            )
        item = get_item(ctx, entry.item)
        if item.inspection_id != inspection_id:
            raise UsageError(
                t("remedy.error.other_inspection", id=item.id, inspection=inspection_id),
                t("remedy.error.other_inspection.hint"),
            )
        action: Action = "verify" if entry.outcome == "verified" else "reopen"
        if not allowed(item.status, action):
            raise GradesecError(
                t(
                    "remedy.error.transition",
                    id=item.id,
                    status=t(f"remedy.status.{item.status}"),
                    action=t(f"remedy.action.{action}"),
                ),
                t("remedy.error.transition.hint"),
            )
        _text(entry.note, "note")
        items.append((item, entry))
    for _item, entry in items:
        for raw in entry.evidence:
            path = Path(raw).expanduser()
            if is_missing(path):
                raise NotFoundError(
                    t("remedy.error.no_evidence", path=str(raw)), t("remedy.error.no_evidence.hint")
                )
            check_regular(path)
    insp = inspections.get_inspection(ctx, inspection_id)
    before = _brief(inspections.score(ctx, inspection_id))
    if not insp.is_open:
        inspections.reopen_inspection(
            ctx,
            inspection_id,
            t("remedy.retest.reason", lang="zh") + " / " + t("remedy.retest.reason", lang="en"),
        )
    findings: dict[str, list[str]] = {}
    inputs = []
    for item, entry in items:
        if item.source.get("kind") == "issue":
            inputs.append(
                inspections.FindingInput(
                    item.source["item"],
                    item.source["asset"],
                    RETEST_RESULT[entry.outcome],
                    note=_text(entry.note, "note") or t("remedy.retest.note", outcome=entry.outcome),
                    evidence=tuple(entry.evidence),
                )
            )
    if inputs:
        recorded = inspections.record_findings(ctx, inspection_id, inputs)
        for f in recorded:
            findings.setdefault(f"{f.item_id}/{f.asset_id}", []).append(f.event_hash)
    events: list[tuple[str, dict[str, Any]]] = []
    for item, entry in items:
        refs, ev = _evidence_items(ctx, item.id, () if item.source.get("kind") == "issue" else entry.evidence)
        events += ev
        key = f"{item.source.get('item')}/{item.source.get('asset')}"
        body: dict[str, Any] = {
            "id": item.id,
            "inspection": inspection_id,
            "outcome": entry.outcome,
            "note": _text(entry.note, "note"),
            "findings": findings.get(key, []),
            "seen": item.log[-1].event_hash if item.log else None,
        }
        if refs:
            body["evidence"] = refs
        events.append(("remediation.retested", body))
    after_score = inspections.score(ctx, inspection_id)
    after = _brief(after_score)
    events.append(
        (
            "remediation.round",
            {
                "inspection": inspection_id,
                "items": [i.id for i, _ in items],
                "before": before,
                "after": after,
            },
        )
    )
    # The round and the closing (with its checkpoint) are one transaction.
    inspections.close_inspection(ctx, inspection_id, before=events)
    return RetestRound(inspection_id, tuple(get_item(ctx, i.id) for i, _ in items), before, after)


def rounds(ctx: Context, inspection_id: str) -> list[dict[str, Any]]:
    """The inspection's re-test rounds, oldest first: when, by whom, which items, score before and after."""
    from gradesec.state.remedy import retest_rounds

    return retest_rounds(ctx.store.connection, inspection_id)


@dataclass(frozen=True)
class ProgressData:
    """What the remediation progress report shows."""

    inspection: str
    title: str
    today: str
    items: tuple[Item, ...]
    figures: Figures
    rounds: tuple[dict[str, Any], ...]
    names: dict[str, str]
    unit: str = ""
    system: str = ""
    number: str = (
        ""  # the official report's number when its fields give one (备案证明编号-年份-机构代码-序号)
    )
    measures: dict[str, str] = field(
        default_factory=dict
    )  # item id -> what to do (planned, else the catalog's)


def _progress_front(ctx: Context, inspection_id: str, items: Sequence[Item], lang: str) -> dict[str, Any]:
    """Unit, system, report number and per-item measures for the progress report's front."""
    from gradesec.assess.report_fields import official_number
    from gradesec.catalog.remediation import advice_for
    from gradesec.state import report as db_report
    from gradesec.usecases import inspections
    from gradesec.usecases.assess_checks import read_db

    view = inspections.load_inspection(ctx, inspection_id)
    with read_db(ctx) as db:
        fields = db_report.report_fields(db, inspection_id)

    def field_text(path: str) -> str:
        stored = fields.get(path)
        return str(stored.value) if stored is not None and isinstance(stored.value, str) else ""

    filing = field_text("system.filing_no") or view.system.filing_no
    code = field_text("org.code")
    year = int((field_text("report.date") or today_of(ctx))[:4])
    number = official_number(filing, code, field_text("report.serial"), year) if filing and code else ""
    cases = {(i.item_id, i.asset_id): i.cases for i in view.issues}
    measures: dict[str, str] = {}
    for item in items:
        src = item.source
        key = (str(src.get("item", "")), str(src.get("asset", "")))
        measures[item.id] = item.measure or advice_for(ctx.catalog, key[0], tuple(cases.get(key, ())), lang)
    return {
        "unit": view.unit.name if view.unit is not None else "",
        "system": view.system.name,
        "number": number,
        "measures": measures,
    }


def progress_report_data(
    ctx: Context, inspection_id: str, today: str | None = None, lang: str = "zh"
) -> ProgressData:
    from gradesec.usecases import inspections

    insp = inspections.get_inspection(ctx, inspection_id)
    day = today or today_of(ctx)
    items = tuple(list_items(ctx, Filters(inspection=inspection_id), day))
    names = {k: v.name for k, v in ctx.store.known_identities().items()}
    return ProgressData(
        inspection_id,
        insp.title or insp.id,
        day,
        items,
        figures(list(items), day),
        tuple(rounds(ctx, inspection_id)),
        names,
        **_progress_front(ctx, inspection_id, items, lang),
    )


def statuses() -> tuple[str, ...]:
    return STATUSES


def as_json_list(items: Sequence[Item], today: str) -> list[dict[str, Any]]:
    return [i.as_json(today) for i in items]


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
