"""Corrections: edits of units and systems, and results taken back to "untested".

Projected from ``unit.updated``, ``system.updated`` and ``finding.retracted``. An edit names the fields it
changes; each field follows the latest edit by ``(at, hash)`` (kept in ``record_update``, so a merge in any
order, or an edit that arrives before its creation event, ends in the same row). A retraction is a revision of
the item×asset like any other (it shows in the history) whose result is ``untested``: when it is the latest,
the pair has no current result, and its author no longer takes part in a disagreement.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from sqlmodel import Field, SQLModel

from gradesec.state.assess.projectors import recompute_pair
from gradesec.state.registry import projector, register_kind

if TYPE_CHECKING:
    from gradesec.journal.events import Event

RETRACTED = "untested"

# What an edit may change, per kind of record (the state table and its columns).
EDITABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "unit": ("unit", ("name", "code", "region", "contact")),
    "system": ("system", ("name", "filing_no", "description")),
}


class RecordUpdateRow(SQLModel, table=True):
    __tablename__ = "record_update"

    kind: str = Field(primary_key=True)
    record_id: str = Field(primary_key=True)
    field: str = Field(primary_key=True)
    value: str
    author: str
    at: str
    event_hash: str


register_kind("unit.updated", summary="fields of a unit corrected (name, code, region, contact)")
register_kind("system.updated", summary="fields of a system corrected (name, filing number, description)")
register_kind("finding.retracted", summary="a result taken back: the item×asset is untested again")


def _apply(db: sqlite3.Connection, kind: str, record_id: str) -> None:
    """Write the latest edit of every field into the record's row (if the row exists yet)."""
    table, columns = EDITABLE[kind]
    for field, value in db.execute(
        "SELECT field, value FROM record_update WHERE kind = ? AND record_id = ?", (kind, record_id)
    ).fetchall():
        if field in columns:
            db.execute(f"UPDATE {table} SET {field} = ? WHERE id = ?", (json.loads(value), record_id))


def _updated(db: sqlite3.Connection, event: Event, kind: str) -> None:
    body = event.body
    record_id = body["id"]
    _table, columns = EDITABLE[kind]
    for field, value in sorted(body.get("changes", {}).items()):
        if field not in columns:
            continue
        row = db.execute(
            "SELECT at, event_hash FROM record_update WHERE kind = ? AND record_id = ? AND field = ?",
            (kind, record_id, field),
        ).fetchone()
        if row is not None and (event.at, event.hash) <= (row[0], row[1]):
            continue
        db.execute(
            "INSERT OR REPLACE INTO record_update (kind, record_id, field, value, author, at, event_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                record_id,
                field,
                json.dumps(value, ensure_ascii=False),
                event.author,
                event.at,
                event.hash,
            ),
        )
    _apply(db, kind, record_id)


@projector("unit.updated")
def _unit_updated(db: sqlite3.Connection, event: Event) -> None:
    _updated(db, event, "unit")


@projector("system.updated")
def _system_updated(db: sqlite3.Connection, event: Event) -> None:
    _updated(db, event, "system")


# An edit merged in before the record it edits: re-apply it once the record is created.
@projector("unit.created")
def _unit_created_again(db: sqlite3.Connection, event: Event) -> None:
    _apply(db, "unit", event.body["id"])


@projector("system.created")
def _system_created_again(db: sqlite3.Connection, event: Event) -> None:
    _apply(db, "system", event.body["id"])


@projector("finding.retracted")
def _finding_retracted(db: sqlite3.Connection, event: Event) -> None:
    b = event.body
    named = b.get("supersedes", [])  # the current revisions the retraction takes back (what its writer saw)
    db.execute(
        "INSERT OR IGNORE INTO finding_revision (event_hash, inspection_id, item_id, asset_id, result, note,"
        " method, na_reason, evidence, resolution, resolves, supersedes, author, seq, at, revision, head)"
        " VALUES (?, ?, ?, ?, ?, ?, NULL, '', '[]', 0, '[]', ?, ?, ?, ?, 0, 0)",
        (
            event.hash,
            b["inspection"],
            b["item"],
            b["asset"],
            RETRACTED,
            b.get("reason", ""),
            json.dumps([h for h in named if isinstance(h, str)] if isinstance(named, list) else []),
            event.author,
            event.seq,
            event.at,
        ),
    )
    recompute_pair(db, b["inspection"], b["item"], b["asset"])
