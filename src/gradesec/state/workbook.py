"""What record-workbook imports learn: a platform's row numbers (the unlabelled id column of real workbooks)
remembered as aliases of gradesec items, per level, once a row has been matched by its control point, letter
and text. ``item.aliases_learned`` carries them; the latest event per (level, platform id) wins by (at, hash),
so any merge order gives the same rows."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from sqlmodel import Field, SQLModel

from gradesec.state.registry import projector, register_kind

if TYPE_CHECKING:
    from gradesec.journal.events import Event


class ItemAliasRow(SQLModel, table=True):
    __tablename__ = "item_alias"

    level: int = Field(primary_key=True)
    alias: str = Field(primary_key=True)
    item_id: str
    author: str
    at: str
    event_hash: str


register_kind(
    "item.aliases_learned", summary="platform row ids of a record workbook mapped to items, per level"
)


@projector("item.aliases_learned")
def _aliases_learned(db: sqlite3.Connection, event: Event) -> None:
    level = int(event.body["level"])
    # One statement for the whole event (an import learns hundreds): an alias is replaced only by a later
    # event, by (at, hash).
    db.executemany(
        "INSERT INTO item_alias (level, alias, item_id, author, at, event_hash) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (level, alias) DO UPDATE SET item_id = excluded.item_id, author = excluded.author,"
        " at = excluded.at, event_hash = excluded.event_hash"
        " WHERE (excluded.at, excluded.event_hash) > (item_alias.at, item_alias.event_hash)",
        [
            (level, alias, item_id, event.author, event.at, event.hash)
            for alias, item_id in sorted(event.body["aliases"].items())
        ],
    )


def aliases(db: sqlite3.Connection, level: int) -> dict[str, str]:
    """Platform id → item id at ``level``."""
    try:
        rows = db.execute("SELECT alias, item_id FROM item_alias WHERE level = ?", (level,)).fetchall()
    except sqlite3.OperationalError:  # a store opened before this table existed and not yet rebuilt
        return {}
    return {str(a): str(i) for a, i in rows}
