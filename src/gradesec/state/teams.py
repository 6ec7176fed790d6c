"""Inspection teams: who may write an inspection's results, declared by ``inspection.team_set``.

Written by the inspection's creator (``inspection.opened``'s author) or a lead; the creator stays on the team
whatever the event lists. An inspection without a declared team keeps the role rule alone (any inspector,
reviewer or lead the store trusts), so single-inspector flows need no team; once a team is declared, only its
members write the inspection's results (``journal.authority.TEAM_KINDS``), on append, import and verify alike.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlmodel import Field, SQLModel

from gradesec.journal.strict import declare_body
from gradesec.state.registry import projector, register_kind

if TYPE_CHECKING:
    from gradesec.journal.events import Event


class InspectionTeamMember(SQLModel, table=True):
    """One member of an inspection's declared team (the creator included)."""

    __tablename__ = "inspection_team"

    inspection: str = Field(primary_key=True)
    key_id: str = Field(primary_key=True)
    event_hash: str


register_kind(
    "inspection.team_set", summary="the inspection's creator or a lead declares who writes its results"
)
declare_body("inspection.team_set", {"inspection": "str", "members": "list"})


@projector("inspection.team_set")
def _team_set(db: sqlite3.Connection, event: Event) -> None:
    inspection = event.body["inspection"]
    row = db.execute("SELECT opened_by FROM inspection WHERE id = ?", (inspection,)).fetchone()
    members = {str(m) for m in event.body["members"] if isinstance(m, str)}
    if row is not None:
        members.add(str(row[0]))
    db.execute("DELETE FROM inspection_team WHERE inspection = ?", (inspection,))
    db.executemany(
        "INSERT INTO inspection_team (inspection, key_id, event_hash) VALUES (?, ?, ?)",
        [(inspection, m, event.hash) for m in sorted(members)],
    )


def team_of(db: sqlite3.Connection, inspection: str) -> set[str]:
    """The declared team of ``inspection`` (empty: none declared)."""
    return {
        str(r[0])
        for r in db.execute("SELECT key_id FROM inspection_team WHERE inspection = ?", (inspection,))
    }


def creator_of(db: sqlite3.Connection, inspection: str) -> str | None:
    row = db.execute("SELECT opened_by FROM inspection WHERE id = ?", (inspection,)).fetchone()
    return None if row is None else str(row[0])


def team_lookup(db: sqlite3.Connection) -> Callable[[str], tuple[str | None, frozenset[str]]]:
    """``journal.authority.TeamLookup`` over a store's state: (creator, declared team) of an inspection."""
    return lambda inspection: (creator_of(db, inspection), frozenset(team_of(db, inspection)))
