"""Remediation items in the state: every ``remediation.*`` event is a log row, and the item row is the fold of
its log (``gradesec.remedy.fold``), recomputed whenever an event about it arrives. Because the fold sorts by
(at, hash), any merge order of the same events gives the same rows.

Gaps found in drills (``drill.improvement_raised``) become items too: the event counts as the item's plan.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from sqlmodel import Field, SQLModel

from gradesec.remedy.lifecycle import default_deadline, fold
from gradesec.remedy.model import ACTIONS, RETEST_OUTCOMES, Acceptance, Item, LogEntry
from gradesec.state.registry import projector, register_kind

if TYPE_CHECKING:
    from gradesec.journal.events import Event


class RemediationLogRow(SQLModel, table=True):
    """One signed change to a remediation item (its history)."""

    __tablename__ = "remediation_log"

    event_hash: str = Field(primary_key=True)
    item: str = Field(index=True)
    kind: str
    action: str
    author: str
    at: str
    body: str  # the event body, canonical JSON


class RemediationItemRow(SQLModel, table=True):
    """A remediation item as its log folds to."""

    __tablename__ = "remediation_item"

    id: str = Field(primary_key=True)
    inspection: str | None = Field(default=None, index=True)
    drill: str | None = Field(default=None, index=True)
    source: str  # JSON object
    problem_zh: str
    problem_en: str
    risk: str
    measure: str
    owner_dept: str
    owner_person: str
    deadline: str
    status: str = Field(index=True)
    acceptance: str | None = None  # JSON object
    retest: str | None = None
    planned_by: str
    planned_at: str
    updated_at: str
    conflicts: int
    entries: int


register_kind(
    "remediation.planned", summary="a remediation item is planned (problem, risk, measure, owner, deadline)"
)
register_kind(
    "remediation.updated", summary="a remediation item is assigned, progressed, noted or its risk accepted"
)
register_kind("remediation.retested", summary="a re-test verifies a remediation item or reopens it")


def entry_from(kind: str, author: str, at: str, event_hash: str, body: dict[str, Any]) -> LogEntry:
    """The log entry an event body describes (bodies are validated by the use cases before signing)."""
    evidence = tuple(
        str(e["sha256"]) for e in body.get("evidence", []) if isinstance(e, dict) and "sha256" in e
    )
    note = str(body.get("note", "") or "")
    if kind == "drill.improvement_raised":
        fields: dict[str, Any] = {
            "source": {"kind": "drill", "drill": str(body["drill"]), "improvement": str(body["id"])},
            "drill": body["drill"],
            "problem": body.get("title", ""),
            "risk": body.get("risk", "medium"),
            "measure": _pick_any(body.get("detail")),
            "owner_person": str(body.get("owner") or ""),
            "deadline": default_deadline(at, str(body.get("risk", "medium"))),
        }
        return LogEntry(at, author, event_hash, "plan", note, evidence, fields)
    if kind == "remediation.planned":
        fields = {
            k: body[k]
            for k in (
                "source",
                "inspection",
                "drill",
                "problem",
                "risk",
                "measure",
                "owner_dept",
                "owner_person",
                "deadline",
            )
            if k in body
        }
        return LogEntry(at, author, event_hash, "plan", note, evidence, fields)
    if kind == "remediation.retested":
        outcome = str(body["outcome"])
        return LogEntry(
            at,
            author,
            event_hash,
            "verify" if outcome == "verified" else "reopen",
            note,
            evidence,
            outcome=outcome if outcome in RETEST_OUTCOMES else None,  # type: ignore[arg-type]
            findings=tuple(str(f) for f in body.get("findings", [])),
            seen=_seen(body),
        )
    action = str(body["action"])
    if action not in ACTIONS:
        action = "note"
    return LogEntry(
        at,
        author,
        event_hash,
        action,  # type: ignore[arg-type]
        note,
        evidence,
        dict(body.get("fields") or {}),
        acceptance=Acceptance.from_json(body.get("acceptance")),
        seen=_seen(body),
    )


def _seen(body: dict[str, Any]) -> str | None:
    value = body.get("seen")
    return value if isinstance(value, str) else None


def _pick_any(text: Any) -> str:
    if isinstance(text, dict):
        return str(text.get("zh") or text.get("en") or "")
    return "" if text is None else str(text)


def item_id_of(kind: str, body: dict[str, Any]) -> str:
    return str(body["id"])


def log_entries(db: sqlite3.Connection, item_id: str) -> list[LogEntry]:
    rows = db.execute(
        "SELECT kind, author, at, event_hash, body FROM remediation_log WHERE item = ?", (item_id,)
    ).fetchall()
    return [entry_from(kind, author, at, h, json.loads(body)) for kind, author, at, h, body in rows]


def _refold(db: sqlite3.Connection, item_id: str) -> None:
    item = fold(item_id, log_entries(db, item_id))
    if item is None:
        return
    db.execute(
        "INSERT OR REPLACE INTO remediation_item (id, inspection, drill, source, problem_zh, problem_en, risk,"
        " measure, owner_dept, owner_person, deadline, status, acceptance, retest, planned_by, planned_at,"
        " updated_at, conflicts, entries) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            item.id,
            item.inspection_id,
            item.drill_id,
            json.dumps(item.source, sort_keys=True, ensure_ascii=False),
            item.problem.get("zh", ""),
            item.problem.get("en", ""),
            item.risk,
            item.measure,
            item.owner_dept,
            item.owner_person,
            item.deadline,
            item.status,
            json.dumps(item.acceptance.as_json(), sort_keys=True, ensure_ascii=False)
            if item.acceptance
            else None,
            item.retest,
            item.planned_by,
            item.planned_at,
            item.updated_at,
            item.conflicts,
            len(item.log),
        ),
    )


def _log(db: sqlite3.Connection, event: Event, item_id: str, action: str) -> None:
    cur = db.execute(
        "INSERT OR IGNORE INTO remediation_log (event_hash, item, kind, action, author, at, body)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            event.hash,
            item_id,
            event.kind,
            action,
            event.author,
            event.at,
            json.dumps(event.body, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
        ),
    )
    if cur.rowcount:
        _refold(db, item_id)


@projector("remediation.planned")
def _planned(db: sqlite3.Connection, event: Event) -> None:
    _log(db, event, str(event.body["id"]), "plan")


@projector("remediation.updated")
def _updated(db: sqlite3.Connection, event: Event) -> None:
    _log(db, event, str(event.body["id"]), str(event.body.get("action", "note")))


@projector("remediation.retested")
def _retested(db: sqlite3.Connection, event: Event) -> None:
    outcome = str(event.body.get("outcome", ""))
    _log(db, event, str(event.body["id"]), "verify" if outcome == "verified" else "reopen")


@projector("drill.improvement_raised")
def _drill_gap(db: sqlite3.Connection, event: Event) -> None:
    _log(db, event, str(event.body["id"]), "plan")


# Reading (used by gradesec.usecases.remediation; rows become domain objects here, at the store boundary).


def load_item(db: sqlite3.Connection, item_id: str) -> Item | None:
    return fold(item_id, log_entries(db, item_id))


def item_from_row(row: RemediationItemRow) -> Item:
    acceptance = Acceptance.from_json(json.loads(row.acceptance)) if row.acceptance else None
    return Item(
        id=row.id,
        source=json.loads(row.source),
        problem={"zh": row.problem_zh, "en": row.problem_en},
        risk=row.risk,  # type: ignore[arg-type]
        measure=row.measure,
        owner_dept=row.owner_dept,
        owner_person=row.owner_person,
        deadline=row.deadline,
        status=row.status,  # type: ignore[arg-type]
        acceptance=acceptance,
        inspection_id=row.inspection,
        drill_id=row.drill,
        planned_by=row.planned_by,
        planned_at=row.planned_at,
        updated_at=row.updated_at,
        retest=row.retest,  # type: ignore[arg-type]
        conflicts=row.conflicts,
    )


class RemediationRoundRow(SQLModel, table=True):
    """A re-test round: the items re-tested and the score and conclusion before and after."""

    __tablename__ = "remediation_round"

    event_hash: str = Field(primary_key=True)
    inspection: str = Field(index=True)
    items: str  # JSON list of item ids
    before: str  # JSON object
    after: str  # JSON object
    author: str
    at: str


register_kind("remediation.round", summary="a re-test round ends: the score and conclusion before and after")


@projector("remediation.round")
def _round(db: sqlite3.Connection, event: Event) -> None:
    body = event.body
    db.execute(
        "INSERT OR IGNORE INTO remediation_round (event_hash, inspection, items, before, after, author, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            event.hash,
            str(body["inspection"]),
            json.dumps(body.get("items", []), ensure_ascii=False),
            json.dumps(body.get("before", {}), sort_keys=True, ensure_ascii=False),
            json.dumps(body.get("after", {}), sort_keys=True, ensure_ascii=False),
            event.author,
            event.at,
        ),
    )


def retest_rounds(db: sqlite3.Connection, inspection_id: str) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT at, author, items, before, after, event_hash FROM remediation_round WHERE inspection = ?"
        " ORDER BY at, event_hash",
        (inspection_id,),
    ).fetchall()
    return [
        {
            "at": at,
            "author": author,
            "items": json.loads(items),
            "before": json.loads(before),
            "after": json.loads(after),
            "event": h,
        }
        for at, author, items, before, after, h in rows
    ]


def item_inspections(db: sqlite3.Connection) -> dict[str, str]:
    """Remediation item id → inspection id, for items that belong to an inspection."""
    return {
        str(i): str(x)
        for i, x in db.execute("SELECT id, inspection FROM remediation_item WHERE inspection IS NOT NULL")
    }
