"""Reading drills: the scenarios, one drill folded from its events (with its scenario as started), the list
of drills, and a drill's score. The context protocol the drill use cases share lives here too.

Part of the drill use cases; ``gradesec.usecases.drills`` is the façade that re-exports it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, cast

from gradesec.catalog.scenario import Scenario
from gradesec.drill.model import (
    DrillRecord,
    Improvement,
    Mark,
    MarkStatus,
    Observation,
    ObservationKind,
    Participant,
    Pause,
    Release,
    Risk,
    Team,
)
from gradesec.drill.scoring import DrillScore, score
from gradesec.errors import NotFoundError
from gradesec.i18n import t

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog
    from gradesec.journal.keys import Signer
    from gradesec.journal.store import Store

MAX_TEXT = 4000
RISKS: tuple[Risk, ...] = ("high", "medium", "low")


class DrillContext(Protocol):
    """What the drill use cases need (``gradesec.usecases.context.Context`` provides it)."""

    @property
    def store(self) -> Store: ...

    @property
    def catalog(self) -> Catalog: ...

    @property
    def signer(self) -> Signer: ...


# Reading


def scenarios(catalog: Catalog) -> list[Scenario]:
    docs = catalog.extras.get("scenario", {})
    return sorted((d for d in docs.values() if isinstance(d, Scenario)), key=lambda s: s.id)


def find_scenario(catalog: Catalog, scenario_id: str) -> Scenario:
    doc = catalog.extras.get("scenario", {}).get(scenario_id)
    if not isinstance(doc, Scenario):
        ids = ", ".join(s.id for s in scenarios(catalog)) or "-"
        raise NotFoundError(t("drill.error.no_scenario", id=scenario_id), t("drill.error.ids_hint", ids=ids))
    return doc


@dataclass(frozen=True)
class LoadedDrill:
    """A drill as the state holds it: the scenario it runs (as started) and its record."""

    scenario: Scenario
    record: DrillRecord
    title: dict[str, str]


def load_drill(store: Store, drill_id: str) -> LoadedDrill:
    """Read one drill from the state tables."""
    from sqlmodel import col, select

    from gradesec.state.drill import (
        DrillImprovementRow,
        DrillMarkRow,
        DrillObservationRow,
        DrillPauseRow,
        DrillReleaseRow,
        DrillRow,
        DrillTeamRow,
    )

    with store.session() as session:
        head = session.get(DrillRow, drill_id)
        if head is None:
            recent = session.exec(
                select(DrillRow.id).order_by(col(DrillRow.started_at).desc()).limit(10)
            ).all()
            raise NotFoundError(
                t("drill.error.no_drill", id=drill_id),
                t("drill.error.ids_hint", ids=", ".join(recent) or "-"),
            )
        scenario = Scenario.model_validate(json.loads(head.scenario_doc))
        record = DrillRecord(
            id=head.id,
            scenario=head.scenario,
            scenario_sha256=head.scenario_sha256,
            started_at=head.started_at,
            status=head.status,  # type: ignore[arg-type]
            speed=head.speed,
            lead=head.lead,
            started_by=head.started_by,
            closed_at=head.closed_at,
            closed_elapsed_ms=head.closed_elapsed_ms,
        )
        for tm in session.exec(
            select(DrillTeamRow).where(DrillTeamRow.drill == drill_id).order_by(col(DrillTeamRow.position))
        ):
            if tm.removed:
                record.removed_teams.append(tm.team)
                continue
            people = tuple(
                Participant(p["name"], p.get("org", ""), p.get("role", ""))
                for p in json.loads(tm.participants)
            )
            record.teams.append(Team(tm.team, tm.name, tuple(json.loads(tm.roles)), people))
        for rel in session.exec(
            select(DrillReleaseRow)
            .where(DrillReleaseRow.drill == drill_id)
            .order_by(col(DrillReleaseRow.elapsed_ms))
        ):
            record.releases[rel.inject] = Release(rel.inject, rel.elapsed_ms, rel.manual, rel.at)
        for mk in session.exec(
            select(DrillMarkRow)
            .where(DrillMarkRow.drill == drill_id)
            .order_by(col(DrillMarkRow.elapsed_ms), col(DrillMarkRow.at))
        ):
            status = cast("MarkStatus", mk.status)
            record.marks[mk.expectation] = Mark(
                mk.expectation, status, mk.elapsed_ms, mk.note, mk.evaluator, mk.at
            )
        for ob in session.exec(
            select(DrillObservationRow)
            .where(DrillObservationRow.drill == drill_id)
            .order_by(
                col(DrillObservationRow.elapsed_ms),
                col(DrillObservationRow.at),
                col(DrillObservationRow.event_hash),
            )
        ):
            kind = cast("ObservationKind", ob.kind)
            record.observations.append(
                Observation(kind, ob.text, ob.elapsed_ms, ob.team, ob.inject, ob.author, ob.at, ob.event_hash)
            )
        for pz in session.exec(
            select(DrillPauseRow)
            .where(DrillPauseRow.drill == drill_id)
            .order_by(col(DrillPauseRow.elapsed_ms), col(DrillPauseRow.at), col(DrillPauseRow.event_hash))
        ):
            record.pauses.append(Pause(pz.kind, pz.elapsed_ms, pz.at))  # type: ignore[arg-type]
        for im in session.exec(
            select(DrillImprovementRow)
            .where(DrillImprovementRow.drill == drill_id)
            .order_by(col(DrillImprovementRow.id))
        ):
            detail = {"zh": im.detail_zh, "en": im.detail_en} if im.detail_zh and im.detail_en else None
            record.improvements.append(
                Improvement(
                    im.id,
                    {"zh": im.title_zh, "en": im.title_en},
                    im.risk,  # type: ignore[arg-type]
                    tuple(json.loads(im.links)),
                    im.owner,
                    detail,
                    json.loads(im.source),
                    im.at,
                )
            )
        title = {"zh": head.title_zh, "en": head.title_en}
    return LoadedDrill(scenario, record, title)


def _drill_exists(store: Store, drill_id: str) -> bool:
    from gradesec.state.drill import DrillRow

    with store.session() as session:
        return session.get(DrillRow, drill_id) is not None


@dataclass(frozen=True)
class DrillSummary:
    id: str
    scenario: str
    title: dict[str, str]
    status: str
    started_at: str
    closed_at: str | None
    teams: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "scenario": self.scenario,
            "title": self.title,
            "status": self.status,
            "started_at": self.started_at,
            "closed_at": self.closed_at,
            "teams": self.teams,
        }


def list_drills(store: Store) -> list[DrillSummary]:
    from sqlmodel import col, select

    from gradesec.state.drill import DrillRow, DrillTeamRow

    with store.session() as session:
        counts: dict[str, int] = {}
        for tm in session.exec(select(DrillTeamRow.drill).where(col(DrillTeamRow.removed).is_(False))):
            counts[tm] = counts.get(tm, 0) + 1
        rows = session.exec(select(DrillRow).order_by(col(DrillRow.started_at), col(DrillRow.id))).all()
        return [
            DrillSummary(
                r.id,
                r.scenario,
                {"zh": r.title_zh, "en": r.title_en},
                r.status,
                r.started_at,
                r.closed_at,
                counts.get(r.id, 0),
            )
            for r in rows
        ]


def drill_score(store: Store, drill_id: str, now_ms: int | None = None) -> DrillScore:
    loaded = load_drill(store, drill_id)
    return score(loaded.scenario, loaded.record, now_ms)
