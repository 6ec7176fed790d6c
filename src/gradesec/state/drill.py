"""Drills in the state: runs, teams, released injects, marks, observations, pauses and improvements.

Projected from the ``drill.*`` events. Every projector is a function of the event alone plus what the tables
hold, and merges reach one state whatever the order: a mark's latest (at, hash) wins, an inject's earliest
release wins, a drill's first close wins, and pause/resume rows are kept as a log from which the status is
derived.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from sqlmodel import Field, SQLModel

from gradesec.state.registry import projector, register_kind

if TYPE_CHECKING:
    from gradesec.journal.events import Event


class DrillRow(SQLModel, table=True):
    """One run of a scenario."""

    __tablename__ = "drill"

    id: str = Field(primary_key=True)
    scenario: str = Field(index=True)
    scenario_sha256: str
    scenario_doc: str  # the scenario as started (JSON), so the drill scores the same after the file changes
    title_zh: str
    title_en: str
    status: str  # running | paused | closed
    speed: float
    lead: str
    started_at: str
    started_by: str
    closed_at: str | None = None
    closed_elapsed_ms: int | None = None
    event_hash: str


class DrillTeamRow(SQLModel, table=True):
    """A team of a drill; the latest (at, hash) definition of a team wins."""

    __tablename__ = "drill_team"

    drill: str = Field(primary_key=True)
    team: str = Field(primary_key=True)
    name: str
    roles: str  # JSON list of role ids
    participants: str  # JSON list of {name, org, role}
    position: int
    removed: bool = False  # deleted from the drill (a team_set with ``removed``); kept so a later set wins
    at: str
    event_hash: str


class DrillReleaseRow(SQLModel, table=True):
    """An inject handed to the teams, at a drill time."""

    __tablename__ = "drill_release"

    drill: str = Field(primary_key=True)
    inject: str = Field(primary_key=True)
    elapsed_ms: int
    manual: bool
    author: str
    at: str
    event_hash: str


class DrillMarkRow(SQLModel, table=True):
    """The evaluator's current judgement of one expectation."""

    __tablename__ = "drill_mark"

    drill: str = Field(primary_key=True)
    expectation: str = Field(primary_key=True)
    inject: str
    status: str  # met | partial | missed
    elapsed_ms: int
    note: str
    evaluator: str
    at: str
    event_hash: str


class DrillObservationRow(SQLModel, table=True):
    """A free observation: a team's action, a strength, an area for improvement, or a note."""

    __tablename__ = "drill_observation"

    event_hash: str = Field(primary_key=True)
    drill: str = Field(index=True)
    elapsed_ms: int
    kind: str
    team: str | None = None
    inject: str | None = None
    text: str
    author: str
    at: str


class DrillPauseRow(SQLModel, table=True):
    __tablename__ = "drill_pause"

    event_hash: str = Field(primary_key=True)
    drill: str = Field(index=True)
    kind: str  # paused | resumed
    elapsed_ms: int
    at: str


class DrillImprovementRow(SQLModel, table=True):
    """A gap the drill found, to be tracked to closure on the remediation board."""

    __tablename__ = "drill_improvement"

    id: str = Field(primary_key=True)
    drill: str = Field(index=True)
    title_zh: str
    title_en: str
    risk: str
    links: str  # JSON list of checklist item or control ids
    owner: str | None = None
    detail_zh: str | None = None
    detail_en: str | None = None
    source: str  # JSON object: {expectation, inject, outcome} or {observation}
    author: str
    at: str
    event_hash: str


register_kind("drill.started", summary="a drill of a scenario begins: teams, participants, scenario hash")
register_kind("drill.team_set", summary="a team of a drill is added, changed or deleted")
register_kind("drill.inject_released", summary="an inject is handed to the teams")
register_kind("drill.expectation_marked", summary="an expected action is judged met, partial or missed")
register_kind("drill.observation", summary="an evaluator's observation during a drill")
register_kind("drill.paused", summary="the drill clock stops")
register_kind("drill.resumed", summary="the drill clock runs again")
register_kind("drill.closed", summary="a drill ends")
register_kind("drill.improvement_raised", summary="a gap found in a drill becomes a tracked improvement")


def _later(db: sqlite3.Connection, sql: str, key: tuple[object, ...], at: str, event_hash: str) -> bool:
    row = db.execute(sql, key).fetchone()
    return row is None or (at, event_hash) > (row[0], row[1])


def _put_team(
    db: sqlite3.Connection, drill: str, team: dict[str, object], position: int, event: Event
) -> None:
    team_id = str(team["id"])
    if not _later(
        db,
        "SELECT at, event_hash FROM drill_team WHERE drill = ? AND team = ?",
        (drill, team_id),
        event.at,
        event.hash,
    ):
        return
    db.execute(
        "INSERT OR REPLACE INTO drill_team (drill, team, name, roles, participants, position, removed, at,"
        " event_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            drill,
            team_id,
            str(team["name"]),
            json.dumps(team.get("roles", []), ensure_ascii=False),
            json.dumps(team.get("participants", []), ensure_ascii=False),
            position,
            bool(team.get("removed", False)),
            event.at,
            event.hash,
        ),
    )


@projector("drill.started")
def _started(db: sqlite3.Connection, event: Event) -> None:
    body = event.body
    title = body.get("title", {})
    db.execute(
        "INSERT OR IGNORE INTO drill (id, scenario, scenario_sha256, scenario_doc, title_zh, title_en, status, speed,"
        " lead, started_at, started_by, event_hash) VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)",
        (
            body["drill"],
            body["scenario"],
            body["scenario_sha256"],
            json.dumps(body["scenario_doc"], ensure_ascii=False, sort_keys=True),
            title.get("zh", ""),
            title.get("en", ""),
            float(body.get("speed", 1)),
            body.get("lead", ""),
            event.at,
            event.author,
            event.hash,
        ),
    )
    for position, team in enumerate(body.get("teams", [])):
        _put_team(db, body["drill"], team, position, event)


@projector("drill.team_set")
def _team_set(db: sqlite3.Connection, event: Event) -> None:
    body = event.body
    row = db.execute("SELECT MAX(position) FROM drill_team WHERE drill = ?", (body["drill"],)).fetchone()
    existing = db.execute(
        "SELECT position FROM drill_team WHERE drill = ? AND team = ?", (body["drill"], body["team"]["id"])
    ).fetchone()
    position = int(existing[0]) if existing else (0 if row[0] is None else int(row[0]) + 1)
    _put_team(db, body["drill"], body["team"], position, event)


@projector("drill.inject_released")
def _released(db: sqlite3.Connection, event: Event) -> None:
    body = event.body
    row = db.execute(
        "SELECT elapsed_ms, at, event_hash FROM drill_release WHERE drill = ? AND inject = ?",
        (body["drill"], body["inject"]),
    ).fetchone()
    mine = (int(body["elapsed_ms"]), event.at, event.hash)
    if row is not None and (int(row[0]), row[1], row[2]) <= mine:
        return
    db.execute(
        "INSERT OR REPLACE INTO drill_release (drill, inject, elapsed_ms, manual, author, at, event_hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            body["drill"],
            body["inject"],
            mine[0],
            bool(body.get("manual", False)),
            event.author,
            event.at,
            event.hash,
        ),
    )


@projector("drill.expectation_marked")
def _marked(db: sqlite3.Connection, event: Event) -> None:
    body = event.body
    key = (body["drill"], body["expectation"])
    sql = "SELECT at, event_hash FROM drill_mark WHERE drill = ? AND expectation = ?"
    if not _later(db, sql, key, event.at, event.hash):
        return
    db.execute(
        "INSERT OR REPLACE INTO drill_mark (drill, expectation, inject, status, elapsed_ms, note, evaluator, at,"
        " event_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            *key,
            body["inject"],
            body["status"],
            int(body["elapsed_ms"]),
            body.get("note", ""),
            event.author,
            event.at,
            event.hash,
        ),
    )


@projector("drill.observation")
def _observation(db: sqlite3.Connection, event: Event) -> None:
    body = event.body
    db.execute(
        "INSERT OR IGNORE INTO drill_observation (event_hash, drill, elapsed_ms, kind, team, inject, text, author, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            event.hash,
            body["drill"],
            int(body["elapsed_ms"]),
            body["kind"],
            body.get("team"),
            body.get("inject"),
            body["text"],
            event.author,
            event.at,
        ),
    )


def _pause_log(db: sqlite3.Connection, event: Event, kind: str) -> None:
    body = event.body
    db.execute(
        "INSERT OR IGNORE INTO drill_pause (event_hash, drill, kind, elapsed_ms, at) VALUES (?, ?, ?, ?, ?)",
        (event.hash, body["drill"], kind, int(body["elapsed_ms"]), event.at),
    )
    latest = db.execute(
        "SELECT kind FROM drill_pause WHERE drill = ? ORDER BY elapsed_ms DESC, at DESC, event_hash DESC LIMIT 1",
        (body["drill"],),
    ).fetchone()
    status = "paused" if latest and latest[0] == "paused" else "running"
    db.execute("UPDATE drill SET status = ? WHERE id = ? AND status != 'closed'", (status, body["drill"]))


@projector("drill.paused")
def _paused(db: sqlite3.Connection, event: Event) -> None:
    _pause_log(db, event, "paused")


@projector("drill.resumed")
def _resumed(db: sqlite3.Connection, event: Event) -> None:
    _pause_log(db, event, "resumed")


@projector("drill.closed")
def _closed(db: sqlite3.Connection, event: Event) -> None:
    body = event.body
    db.execute(
        "UPDATE drill SET status = 'closed', closed_at = ?, closed_elapsed_ms = ?"
        " WHERE id = ? AND (closed_at IS NULL OR closed_at > ?)",
        (event.at, int(body["elapsed_ms"]), body["drill"], event.at),
    )


@projector("drill.improvement_raised")
def _improvement(db: sqlite3.Connection, event: Event) -> None:
    body = event.body
    sql = "SELECT at, event_hash FROM drill_improvement WHERE id = ?"
    if not _later(db, sql, (body["id"],), event.at, event.hash):
        return
    title = body["title"]
    detail = body.get("detail") or {}
    db.execute(
        "INSERT OR REPLACE INTO drill_improvement (id, drill, title_zh, title_en, risk, links, owner, detail_zh,"
        " detail_en, source, author, at, event_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            body["id"],
            body["drill"],
            title["zh"],
            title["en"],
            body["risk"],
            json.dumps(body.get("links", []), ensure_ascii=False),
            body.get("owner"),
            detail.get("zh"),
            detail.get("en"),
            json.dumps(body.get("source", {}), ensure_ascii=False, sort_keys=True),
            event.author,
            event.at,
            event.hash,
        ),
    )
