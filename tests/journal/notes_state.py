"""A small state module used only by the journal tests: notes, set and cleared, latest by (at, hash) wins."""

from __future__ import annotations

import sqlite3

from sqlmodel import Field, SQLModel

from gradesec.journal.events import Event
from gradesec.state.registry import projector


class TestNote(SQLModel, table=True):
    __tablename__ = "test_note"
    __test__ = False

    note_id: str = Field(primary_key=True)
    text: str | None
    author: str
    at: str
    event_hash: str


class TestCounter(SQLModel, table=True):
    """Order-sensitive on purpose (a running total per author), to show replay follows journal order."""

    __tablename__ = "test_counter"
    __test__ = False

    author: str = Field(primary_key=True)
    total: int
    events: int


def _upsert(db: sqlite3.Connection, event: Event, text: str | None) -> None:
    row = db.execute("SELECT at, event_hash FROM test_note WHERE note_id = ?", (event.body["id"],)).fetchone()
    if row is not None and (event.at, event.hash) <= (row[0], row[1]):
        return
    db.execute(
        "INSERT OR REPLACE INTO test_note (note_id, text, author, at, event_hash) VALUES (?, ?, ?, ?, ?)",
        (event.body["id"], text, event.author, event.at, event.hash),
    )


@projector("test.note.set")
def _note_set(db: sqlite3.Connection, event: Event) -> None:
    _upsert(db, event, str(event.body["text"]))


@projector("test.note.cleared")
def _note_cleared(db: sqlite3.Connection, event: Event) -> None:
    _upsert(db, event, None)


@projector("test.count")
def _count(db: sqlite3.Connection, event: Event) -> None:
    db.execute(
        "INSERT INTO test_counter (author, total, events) VALUES (?, ?, 1)"
        " ON CONFLICT(author) DO UPDATE SET total = total + excluded.total, events = events + 1",
        (event.author, int(event.body["n"])),
    )


@projector("test.fail")
def _fail(db: sqlite3.Connection, event: Event) -> None:
    db.execute("INSERT INTO test_counter (author, total, events) VALUES ('x', 0, 0)")
    raise ValueError("refused by the test projector")
