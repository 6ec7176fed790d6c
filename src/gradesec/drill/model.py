"""What happened in one drill, as plain data: built from the journal by the use cases, read by scoring."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

MarkStatus = Literal["met", "partial", "missed"]
MARK_STATUSES: tuple[MarkStatus, ...] = ("met", "partial", "missed")
ObservationKind = Literal["action", "strength", "improvement", "note"]
OBSERVATION_KINDS: tuple[ObservationKind, ...] = ("action", "strength", "improvement", "note")
DrillStatus = Literal["running", "paused", "closed"]
Risk = Literal["high", "medium", "low"]


@dataclass(frozen=True)
class Participant:
    name: str
    org: str = ""
    role: str = ""  # free text: 组长, 网络管理员 …

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "org": self.org, "role": self.role}


@dataclass(frozen=True)
class Team:
    """A team in the room; it plays one or more of the scenario's roles."""

    id: str
    name: str
    roles: tuple[str, ...]
    participants: tuple[Participant, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "roles": list(self.roles),
            "participants": [p.as_json() for p in self.participants],
        }


@dataclass(frozen=True)
class Release:
    inject: str
    elapsed_ms: int
    manual: bool = False
    at: str = ""


@dataclass(frozen=True)
class Mark:
    """The evaluator's judgement of one expectation; the latest mark of an expectation counts."""

    expectation: str
    status: MarkStatus
    elapsed_ms: int
    note: str = ""
    evaluator: str = ""
    at: str = ""


@dataclass(frozen=True)
class Observation:
    kind: ObservationKind
    text: str
    elapsed_ms: int
    team: str | None = None
    inject: str | None = None
    author: str = ""
    at: str = ""
    key: str = ""  # the hash of the event that recorded it


@dataclass(frozen=True)
class Improvement:
    """A gap found by the drill, to be tracked to closure like an inspection issue."""

    id: str
    title: dict[str, str]
    risk: Risk
    links: tuple[str, ...] = ()
    owner: str | None = None
    detail: dict[str, str] | None = None
    source: dict[str, str] = field(default_factory=dict)
    at: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": dict(self.title),
            "risk": self.risk,
            "links": list(self.links),
            "owner": self.owner,
            "detail": dict(self.detail) if self.detail else None,
            "source": dict(self.source),
        }


@dataclass(frozen=True)
class Pause:
    kind: Literal["paused", "resumed"]
    elapsed_ms: int
    at: str = ""


@dataclass
class DrillRecord:
    """Everything recorded for one drill, in drill time (milliseconds since the start)."""

    id: str
    scenario: str
    scenario_sha256: str
    started_at: str
    status: DrillStatus = "running"
    teams: list[Team] = field(default_factory=list)
    releases: dict[str, Release] = field(default_factory=dict)
    marks: dict[str, Mark] = field(default_factory=dict)
    observations: list[Observation] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)
    improvements: list[Improvement] = field(default_factory=list)
    closed_elapsed_ms: int | None = None
    closed_at: str | None = None
    speed: float = 1.0
    lead: str = ""
    started_by: str = ""  # key id of whoever started the drill
    removed_teams: list[str] = field(default_factory=list)  # ids of teams deleted from the room (not reused)

    def team_for_role(self, role: str) -> Team | None:
        for team in self.teams:
            if role in team.roles:
                return team
        return None

    def last_elapsed_ms(self) -> int:
        """The latest drill time anything was recorded at (where a resumed clock carries on)."""
        times = [0]
        times += [r.elapsed_ms for r in self.releases.values()]
        times += [m.elapsed_ms for m in self.marks.values()]
        times += [o.elapsed_ms for o in self.observations]
        times += [p.elapsed_ms for p in self.pauses]
        if self.closed_elapsed_ms is not None:
            times.append(self.closed_elapsed_ms)
        return max(times)

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].kind == "paused"
