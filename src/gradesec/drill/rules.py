"""When an inject may be released and when an expectation may be marked.

An inject is *due* once its planned offset has passed and every inject it follows has been released; a
dependent inject is due no earlier than the latest release of what it follows. The facilitator may release
an inject early by hand, but never before the injects it follows. A team may leave the room only while nothing
is recorded about it.
"""

from __future__ import annotations

from dataclasses import dataclass

from gradesec.catalog.scenario import Expectation, Inject, Scenario
from gradesec.drill.model import DrillRecord, Team
from gradesec.errors import GradesecError, NotFoundError
from gradesec.i18n import t


class DrillError(GradesecError):
    """A drill action that the rules do not allow (release out of order, mark on a closed drill …)."""


@dataclass(frozen=True)
class Due:
    inject: Inject
    due_ms: int


def planned_ms(inject: Inject) -> int:
    return round(inject.at * 60_000)


def deadline_ms(release_ms: int, expectation: Expectation) -> int:
    """Drill time by which the expectation should be met."""
    return release_ms + round(expectation.deadline * 60_000)


def due_time(
    scenario: Scenario, record: DrillRecord, inject: Inject, extra: dict[str, int] | None = None
) -> int | None:
    """When ``inject`` becomes due, or None while something it follows is unreleased."""
    released = {k: r.elapsed_ms for k, r in record.releases.items()}
    if extra:
        released.update(extra)
    due = planned_ms(inject)
    for dep in inject.after:
        if dep not in released:
            return None
        due = max(due, released[dep])
    return due


def due_injects(scenario: Scenario, record: DrillRecord, now_ms: int) -> list[Due]:
    """Unreleased injects due by ``now_ms``, in release order (a chain of dependencies resolves in one call)."""
    pending: dict[str, int] = {}
    out: list[Due] = []
    changed = True
    while changed:
        changed = False
        for inject in scenario.injects:
            if inject.id in record.releases or inject.id in pending:
                continue
            due = due_time(scenario, record, inject, pending)
            if due is not None and due <= now_ms:
                pending[inject.id] = due
                out.append(Due(inject, due))
                changed = True
    order = {inj.id: i for i, inj in enumerate(scenario.injects)}
    out.sort(key=lambda d: (d.due_ms, order[d.inject.id]))
    return out


def next_due(scenario: Scenario, record: DrillRecord) -> Due | None:
    """The next inject that will become due on schedule (None when none can without a manual release)."""
    best: Due | None = None
    for inject in scenario.injects:
        if inject.id in record.releases:
            continue
        due = due_time(scenario, record, inject)
        if due is not None and (best is None or due < best.due_ms):
            best = Due(inject, due)
    return best


def require_open(record: DrillRecord) -> None:
    if record.status == "closed":
        raise DrillError(t("drill.error.closed", id=record.id), t("drill.error.closed.hint"))


def find_inject(scenario: Scenario, inject_id: str) -> Inject:
    try:
        return scenario.inject(inject_id)
    except KeyError:
        raise NotFoundError(
            t("drill.error.no_inject", id=inject_id),
            t("drill.error.ids_hint", ids=", ".join(i.id for i in scenario.injects)),
        ) from None


def check_release(scenario: Scenario, record: DrillRecord, inject_id: str) -> Inject:
    """The inject, if it may be released now; else a ``DrillError`` saying why."""
    require_open(record)
    inject = find_inject(scenario, inject_id)
    if inject_id in record.releases:
        raise DrillError(
            t("drill.error.already_released", id=inject_id), t("drill.error.already_released.hint")
        )
    missing = [d for d in inject.after if d not in record.releases]
    if missing:
        raise DrillError(
            t("drill.error.dependency", id=inject_id, deps=", ".join(missing)),
            t("drill.error.dependency.hint"),
        )
    return inject


def check_mark(
    scenario: Scenario, record: DrillRecord, expectation_id: str, elapsed_ms: int | None = None
) -> tuple[Inject, Expectation]:
    """The inject and expectation, if the expectation may be marked (at ``elapsed_ms``) now."""
    require_open(record)
    try:
        inject, expectation = scenario.expectation(expectation_id)
    except KeyError:
        ids = ", ".join(e.id for _i, e in scenario.expectations())
        raise NotFoundError(
            t("drill.error.no_expectation", id=expectation_id), t("drill.error.ids_hint", ids=ids)
        ) from None
    if inject.id not in record.releases:
        raise DrillError(
            t("drill.error.not_released", id=expectation_id, inject=inject.id),
            t("drill.error.not_released.hint"),
        )
    if elapsed_ms is not None and elapsed_ms < record.releases[inject.id].elapsed_ms:
        raise DrillError(
            t("drill.error.before_release", id=expectation_id), t("drill.error.before_release.hint")
        )
    return inject, expectation


def team_records(scenario: Scenario, record: DrillRecord, team: Team) -> tuple[int, int]:
    """What is recorded about ``team``: (judged expectations of the roles it plays, observations naming it)."""
    roles = set(team.roles)
    marks = sum(1 for _inj, exp in scenario.expectations() if exp.role in roles and exp.id in record.marks)
    observations = sum(1 for obs in record.observations if obs.team == team.id)
    return marks, observations


def check_team_removal(scenario: Scenario, record: DrillRecord, team_id: str) -> Team:
    """The team, if it may be deleted from the drill now: the drill is open, and nothing recorded (a judged
    expectation of a role it plays, an observation naming it) would lose its team."""
    require_open(record)
    team = next((tm for tm in record.teams if tm.id == team_id), None)
    if team is None:
        ids = ", ".join(tm.id for tm in record.teams) or "-"
        raise NotFoundError(t("drill.error.no_team", id=team_id), t("drill.error.ids_hint", ids=ids))
    marks, observations = team_records(scenario, record, team)
    if marks or observations:
        raise DrillError(
            t("drill.error.team_in_use", name=team.name, marks=marks, observations=observations),
            t("drill.error.team_in_use.hint"),
        )
    return team
