"""The inspector's report fields in the state: ``report.field_set`` events folded to one current value per
inspection and field path ("latest by (at, hash) wins", so any merge order of the same events gives the same
row). The history of a field is the journal itself.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import Field, SQLModel

from gradesec.state.registry import projector, register_kind

if TYPE_CHECKING:
    from gradesec.journal.events import Event


class ReportFieldRow(SQLModel, table=True):
    """The current value of one report field of one inspection."""

    __tablename__ = "report_field"

    inspection_id: str = Field(primary_key=True)
    path: str = Field(primary_key=True)
    value: str  # JSON: a string or a list of strings; "" clears the field
    origin: str  # inspector (written by hand) | draft (a generated draft the inspector accepted)
    author: str
    at: str
    event_hash: str


register_kind(
    "report.field_set", summary="one field of the inspection report, written or accepted by a person"
)


@projector("report.field_set")
def _field_set(db: sqlite3.Connection, event: Event) -> None:
    b = event.body
    key = (b["inspection"], b["path"])
    row = db.execute(
        "SELECT at, event_hash FROM report_field WHERE inspection_id = ? AND path = ?", key
    ).fetchone()
    if row is not None and (event.at, event.hash) <= (row[0], row[1]):
        return
    value = json.dumps(b.get("value", ""), ensure_ascii=False, separators=(",", ":"))
    db.execute(
        "INSERT OR REPLACE INTO report_field (inspection_id, path, value, origin, author, at, event_hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (*key, value, b.get("origin", "inspector"), event.author, event.at, event.hash),
    )


@dataclass(frozen=True)
class StoredField:
    path: str
    value: Any  # str | list[str]
    origin: str
    author: str
    at: str


def report_fields(db: sqlite3.Connection, inspection_id: str) -> dict[str, StoredField]:
    """Every field set for ``inspection_id`` (cleared fields included, with an empty value)."""
    out: dict[str, StoredField] = {}
    for path, value, origin, author, at in db.execute(
        "SELECT path, value, origin, author, at FROM report_field WHERE inspection_id = ? ORDER BY path",
        (inspection_id,),
    ):
        out[str(path)] = StoredField(str(path), json.loads(value), str(origin), str(author), str(at))
    return out
