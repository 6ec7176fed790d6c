"""State of the assessor's later word: asset edits, 整体测评 corrections and 重大风险隐患 judgements.

Projected from ``asset.updated``, ``finding.corrected`` and ``issue.major_risk_judged``. Order-insensitive:

- ``asset.updated`` sets each changed field to the value of the latest event by ``(at, hash)`` that changed
  it (kept per field in ``asset_field``); when the ``asset.added`` event arrives after an update (merged
  bundles), the second projector of ``asset.added`` here lays the newer fields over the row again;
- a correction and a judgement follow the latest event for their key by ``(at, hash)``.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from sqlmodel import Field, SQLModel

from gradesec.assess.judgements import Correction, MajorRiskJudgement
from gradesec.state.registry import projector, register_kind

if TYPE_CHECKING:
    from gradesec.journal.events import Event

# Asset fields an ``asset.updated`` event may change (the event's ``changes`` keys), and their columns.
ASSET_FIELDS: dict[str, str] = {
    "name": "name",
    "kind": "kind",
    "address": "address",
    "version": "version",
    "role": "role",
    "importance": "importance",
    "notes": "notes",
}


class AssetFieldRow(SQLModel, table=True):
    """The latest value of one asset field set by an ``asset.updated`` event."""

    __tablename__ = "asset_field"

    asset_id: str = Field(primary_key=True)
    field: str = Field(primary_key=True)
    value: str
    author: str
    at: str
    event_hash: str


class FindingCorrectionRow(SQLModel, table=True):
    """The result an item (asset empty) or an item on one asset has after 整体测评."""

    __tablename__ = "finding_correction"

    inspection_id: str = Field(primary_key=True)
    item_id: str = Field(primary_key=True)
    asset_id: str = Field(primary_key=True)
    result: str
    original: str | None = None
    reason: str
    author: str
    at: str
    event_hash: str


class MajorRiskRow(SQLModel, table=True):
    """The assessor's judgement whether a group of issues is a 重大风险隐患."""

    __tablename__ = "major_risk"

    id: str = Field(primary_key=True)
    inspection_id: str = Field(index=True)
    issues: str  # JSON list of [item, asset]
    major: bool
    reason: str
    trigger: str
    author: str
    at: str
    event_hash: str


register_kind(
    "asset.updated", summary="fields of an asset change (importance, name, kind, address, version …)"
)
register_kind(
    "finding.corrected", summary="the result of an item (or item on an asset) after 整体测评, with why"
)
register_kind(
    "issue.major_risk_judged",
    summary="whether issues are a 重大风险隐患 (major risk), with the reason and trigger",
)


def _newer(row: Any, event: Event) -> bool:
    return row is None or (event.at, event.hash) > (row[0], row[1])


def _lay_fields(db: sqlite3.Connection, asset_id: str) -> None:
    """Copy the latest edited fields onto the asset row (a no-op while the asset is not there yet)."""
    for field, value in db.execute("SELECT field, value FROM asset_field WHERE asset_id = ?", (asset_id,)):
        column = ASSET_FIELDS.get(str(field))
        if column is not None:
            db.execute(f"UPDATE asset SET {column} = ? WHERE id = ?", (value, asset_id))


@projector("asset.updated")
def _asset_updated(db: sqlite3.Connection, event: Event) -> None:
    b = event.body
    asset_id = b["asset"]
    for field, value in dict(b.get("changes", {})).items():
        if field not in ASSET_FIELDS:
            continue
        row = db.execute(
            "SELECT at, event_hash FROM asset_field WHERE asset_id = ? AND field = ?", (asset_id, field)
        ).fetchone()
        if _newer(row, event):
            db.execute(
                "INSERT OR REPLACE INTO asset_field (asset_id, field, value, author, at, event_hash)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (asset_id, field, str(value), event.author, event.at, event.hash),
            )
    _lay_fields(db, asset_id)


@projector("asset.added")
def _asset_added_after_updates(db: sqlite3.Connection, event: Event) -> None:
    _lay_fields(db, event.body["id"])


@projector("finding.corrected")
def _finding_corrected(db: sqlite3.Connection, event: Event) -> None:
    b = event.body
    key = (b["inspection"], b["item"], b.get("asset", ""))
    row = db.execute(
        "SELECT at, event_hash FROM finding_correction WHERE inspection_id = ? AND item_id = ? AND asset_id = ?",
        key,
    ).fetchone()
    if not _newer(row, event):
        return
    db.execute(
        "INSERT OR REPLACE INTO finding_correction (inspection_id, item_id, asset_id, result, original, reason,"
        " author, at, event_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*key, b["result"], b.get("original"), b.get("reason", ""), event.author, event.at, event.hash),
    )


@projector("issue.major_risk_judged")
def _major_risk_judged(db: sqlite3.Connection, event: Event) -> None:
    b = event.body
    row = db.execute("SELECT at, event_hash FROM major_risk WHERE id = ?", (b["id"],)).fetchone()
    if not _newer(row, event):
        return
    issues = sorted([str(p["item"]), str(p["asset"])] for p in b["issues"])
    db.execute(
        "INSERT OR REPLACE INTO major_risk (id, inspection_id, issues, major, reason, trigger, author, at,"
        " event_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            b["id"],
            b["inspection"],
            json.dumps(issues, ensure_ascii=False, separators=(",", ":")),
            bool(b["major"]),
            b.get("reason", ""),
            b.get("trigger", ""),
            event.author,
            event.at,
            event.hash,
        ),
    )


# Reading


def corrections(db: sqlite3.Connection, inspection_id: str) -> list[Correction]:
    rows = db.execute(
        "SELECT item_id, asset_id, result, reason, original, author, at, event_hash FROM finding_correction"
        " WHERE inspection_id = ? ORDER BY item_id, asset_id",
        (inspection_id,),
    )
    return [Correction(inspection_id, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows]


def major_risks(db: sqlite3.Connection, inspection_id: str) -> list[MajorRiskJudgement]:
    rows = db.execute(
        "SELECT id, issues, major, reason, trigger, author, at, event_hash FROM major_risk"
        " WHERE inspection_id = ? ORDER BY at, id",
        (inspection_id,),
    )
    return [
        MajorRiskJudgement(
            r[0],
            inspection_id,
            tuple((str(i), str(a)) for i, a in json.loads(r[1])),
            bool(r[2]),
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
        )
        for r in rows
    ]
