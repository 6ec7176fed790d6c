"""A drill's record at the hub (teams, releases, marks, observations, kept as JSON on its ``drills`` row) and its
score at close, with the drill module's own scoring (``gradesec.drill.scoring``).

The record follows the store's rules (``state/drill.py``): the latest mark of an expectation wins (by time, then
event hash), the earliest release of an inject wins, a team's latest definition wins (one marked ``removed`` is
left out), observations are kept once each. A drill is scored when its ``drill.closed`` event is projected, on
what the hub holds then.
"""

from __future__ import annotations

from typing import Any

from gradesec.journal.events import Event

RECORD_KINDS = (
    "drill.team_set",
    "drill.inject_released",
    "drill.expectation_marked",
    "drill.observation",
)


def new_record(event: Event) -> dict[str, Any]:
    b = event.body
    record: dict[str, Any] = {
        "scenario_sha256": str(b.get("scenario_sha256", "")),
        "doc": b.get("scenario_doc", {}),
        "speed": float(b.get("speed", 1)),
        "teams": {},
        "releases": {},
        "marks": {},
        "observations": {},
    }
    for position, team in enumerate(b.get("teams", [])):
        _put_team(record, team, position, event)
    return record


def _later(old: dict[str, Any] | None, event: Event) -> bool:
    return old is None or (event.at, event.hash) > (old["at"], old["hash"])


def _put_team(record: dict[str, Any], team: Any, position: int | None, event: Event) -> None:
    teams = record["teams"]
    old = teams.get(str(team["id"]))
    if not _later(old, event):
        return
    if position is None:
        position = old["position"] if old else len(teams)
    teams[str(team["id"])] = {"team": team, "position": position, "at": event.at, "hash": event.hash}


def apply(record: dict[str, Any], event: Event) -> None:
    """Apply one drill event of ``RECORD_KINDS`` to ``record`` (in place)."""
    b = event.body
    if event.kind == "drill.team_set":
        _put_team(record, b["team"], None, event)
    elif event.kind == "drill.inject_released":
        old = record["releases"].get(str(b["inject"]))
        mine = [int(b["elapsed_ms"]), event.at, event.hash]
        if old is None or mine < [old["elapsed_ms"], old["at"], old["hash"]]:
            record["releases"][str(b["inject"])] = {
                "elapsed_ms": mine[0],
                "manual": bool(b.get("manual", False)),
                "at": event.at,
                "hash": event.hash,
            }
    elif event.kind == "drill.expectation_marked":
        key = str(b["expectation"])
        if _later(record["marks"].get(key), event):
            record["marks"][key] = {
                "status": b["status"],
                "elapsed_ms": int(b["elapsed_ms"]),
                "note": str(b.get("note", "")),
                "evaluator": event.author,
                "at": event.at,
                "hash": event.hash,
            }
    elif event.kind == "drill.observation":
        record["observations"].setdefault(
            event.hash,
            {
                "kind": b["kind"],
                "text": b["text"],
                "elapsed_ms": int(b["elapsed_ms"]),
                "team": b.get("team"),
                "inject": b.get("inject"),
                "author": event.author,
                "at": event.at,
            },
        )


def score(
    record: dict[str, Any], row: dict[str, Any], closed_elapsed_ms: int, closed_at: str
) -> tuple[float | None, bool | None]:
    """(weighted percent, passed) of the drill closed at ``closed_elapsed_ms``; (None, None) if unscorable."""
    from pydantic import ValidationError

    if not record:
        return None, None

    from gradesec.catalog.scenario import Scenario
    from gradesec.drill.model import DrillRecord, Mark, Observation, Participant, Release, Team
    from gradesec.drill.scoring import score as drill_score

    try:
        scenario = Scenario.model_validate(record["doc"])
    except ValidationError:
        return None, None
    drill = DrillRecord(
        id=str(row["id"]),
        scenario=str(row["scenario"]),
        scenario_sha256=record["scenario_sha256"],
        started_at=str(row["started_at"]),
        status="closed",
        speed=record["speed"],
        closed_elapsed_ms=closed_elapsed_ms,
        closed_at=closed_at,
    )
    for entry in sorted(record["teams"].values(), key=lambda e: e["position"]):
        tm = entry["team"]
        if tm.get("removed"):
            continue  # deleted from the drill (a team_set marked ``removed``)
        people = tuple(
            Participant(p["name"], p.get("org", ""), p.get("role", "")) for p in tm.get("participants", [])
        )
        drill.teams.append(Team(str(tm["id"]), str(tm["name"]), tuple(tm.get("roles", [])), people))
    for inject, rel in sorted(record["releases"].items(), key=lambda kv: kv[1]["elapsed_ms"]):
        drill.releases[inject] = Release(inject, rel["elapsed_ms"], rel["manual"], rel["at"])
    for exp, mk in sorted(record["marks"].items(), key=lambda kv: (kv[1]["elapsed_ms"], kv[1]["at"])):
        drill.marks[exp] = Mark(exp, mk["status"], mk["elapsed_ms"], mk["note"], mk["evaluator"], mk["at"])
    for key, ob in sorted(
        record["observations"].items(), key=lambda kv: (kv[1]["elapsed_ms"], kv[1]["at"], kv[0])
    ):
        drill.observations.append(
            Observation(
                ob["kind"],
                ob["text"],
                ob["elapsed_ms"],
                ob["team"],
                ob["inject"],
                ob["author"],
                ob["at"],
                key,
            )
        )
    got = drill_score(scenario, drill)
    return got.weighted_percent, got.passed
