"""Fair scores for a drill: per expectation, per team, per objective and overall, with response times.

Rules, in the order they apply to each expectation:
- an expectation of an inject that was never released is left out (it was not asked of anyone);
- unmarked: *pending* while the drill runs and its deadline has not passed (left out), otherwise *missed*;
- met earns its points, partial earns ``scoring.partial`` of them, missed earns nothing;
- a mark made after the deadline is *late* and earns ``scoring.late`` of what it would have earned.

Response times are measured in drill time from the inject's release: to the first action (the earliest
``action`` observation or met/partial mark for that inject) and to each expectation being met. The overall
score is the share of possible points earned; the weighted score averages the objectives' shares weighted by
their priority (high 3, medium 2, low 1), so a drill cannot pass by collecting only easy points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean
from typing import Any, Literal

from gradesec.catalog.scenario import PRIORITY_WEIGHT, Scenario
from gradesec.drill.model import DrillRecord
from gradesec.drill.rules import deadline_ms

ExpStatus = Literal["met", "partial", "missed", "pending", "not_released"]


def _pct(earned: float, possible: float) -> float | None:
    return round(100.0 * earned / possible, 1) if possible > 0 else None


@dataclass
class ExpectationScore:
    id: str
    inject: str
    role: str
    team: str | None
    objectives: list[str]
    points: int
    earned: float
    status: ExpStatus
    late: bool
    counted: bool
    deadline_ms: int | None
    marked_ms: int | None
    response_ms: int | None  # release → mark, for met and partial
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "inject": self.inject,
            "role": self.role,
            "team": self.team,
            "objectives": self.objectives,
            "points": self.points,
            "earned": round(self.earned, 2),
            "status": self.status,
            "late": self.late,
            "counted": self.counted,
            "deadline_ms": self.deadline_ms,
            "marked_ms": self.marked_ms,
            "response_ms": self.response_ms,
            "note": self.note,
        }


@dataclass
class Tally:
    """Earned and possible points, and response times, for a team, an objective or the whole drill."""

    id: str
    earned: float = 0.0
    possible: float = 0.0
    counts: dict[str, int] = field(default_factory=lambda: {"met": 0, "partial": 0, "missed": 0, "late": 0})
    first_action_ms: list[int] = field(default_factory=list)
    to_met_ms: list[int] = field(default_factory=list)

    def add(self, exp: ExpectationScore) -> None:
        if not exp.counted:
            return
        self.earned += exp.earned
        self.possible += exp.points
        if exp.status in ("met", "partial", "missed"):
            self.counts[exp.status] += 1
        if exp.late:
            self.counts["late"] += 1
        if exp.status == "met" and exp.response_ms is not None:
            self.to_met_ms.append(exp.response_ms)

    @property
    def percent(self) -> float | None:
        return _pct(self.earned, self.possible)

    def as_json(self) -> dict[str, Any]:
        return {
            "earned": round(self.earned, 2),
            "possible": round(self.possible, 2),
            "percent": self.percent,
            "counts": dict(self.counts),
            "mean_first_action_ms": _mean(self.first_action_ms),
            "mean_to_met_ms": _mean(self.to_met_ms),
        }


def _mean(values: list[int]) -> int | None:
    return round(mean(values)) if values else None


@dataclass
class InjectTiming:
    inject: str
    released_ms: int | None
    manual: bool
    first_action_ms: int | None  # release → first action

    def as_json(self) -> dict[str, Any]:
        return {
            "inject": self.inject,
            "released_ms": self.released_ms,
            "manual": self.manual,
            "first_action_ms": self.first_action_ms,
        }


@dataclass
class DrillScore:
    drill: str
    scenario: str
    final: bool
    now_ms: int
    expectations: list[ExpectationScore]
    injects: list[InjectTiming]
    teams: dict[str, Tally]
    objectives: dict[str, Tally]
    overall: Tally
    weighted_percent: float | None
    pass_mark: float
    objective_priority: dict[str, str]

    @property
    def passed(self) -> bool | None:
        if self.weighted_percent is None:
            return None
        return self.weighted_percent >= self.pass_mark

    def objective_achieved(self, objective_id: str) -> bool | None:
        pct = self.objectives[objective_id].percent
        return None if pct is None else pct >= self.pass_mark

    def as_json(self) -> dict[str, Any]:
        return {
            "drill": self.drill,
            "scenario": self.scenario,
            "final": self.final,
            "now_ms": self.now_ms,
            "overall": {
                **self.overall.as_json(),
                "weighted_percent": self.weighted_percent,
                "pass_mark": self.pass_mark,
                "passed": self.passed,
            },
            "teams": {k: v.as_json() for k, v in self.teams.items()},
            "objectives": {
                k: {
                    **v.as_json(),
                    "priority": self.objective_priority[k],
                    "achieved": self.objective_achieved(k),
                }
                for k, v in self.objectives.items()
            },
            "injects": [i.as_json() for i in self.injects],
            "expectations": [e.as_json() for e in self.expectations],
        }


def score(scenario: Scenario, record: DrillRecord, now_ms: int | None = None) -> DrillScore:
    """Score ``record`` against ``scenario``. A closed drill is scored at its close; a running one at ``now_ms``."""
    final = record.status == "closed"
    if final and record.closed_elapsed_ms is not None:
        now = record.closed_elapsed_ms
    else:
        now = now_ms if now_ms is not None else record.last_elapsed_ms()
    cfg = scenario.scoring
    exps: list[ExpectationScore] = []
    for inject, exp in scenario.expectations():
        team = record.team_for_role(exp.role)
        release = record.releases.get(inject.id)
        mark = record.marks.get(exp.id)
        base = ExpectationScore(
            id=exp.id,
            inject=inject.id,
            role=exp.role,
            team=team.id if team else None,
            objectives=list(exp.objectives),
            points=exp.points,
            earned=0.0,
            status="not_released",
            late=False,
            counted=False,
            deadline_ms=None,
            marked_ms=None,
            response_ms=None,
        )
        if release is None:
            exps.append(base)
            continue
        due = deadline_ms(release.elapsed_ms, exp)
        base.deadline_ms = due
        if mark is None:
            if final or now > due:
                base.status, base.counted = "missed", True
            else:
                base.status = "pending"
            exps.append(base)
            continue
        base.status, base.counted, base.note = mark.status, True, mark.note
        base.marked_ms = mark.elapsed_ms
        share = {"met": 1.0, "partial": cfg.partial, "missed": 0.0}[mark.status]
        if mark.status != "missed":
            base.response_ms = mark.elapsed_ms - release.elapsed_ms
            if mark.elapsed_ms > due:
                base.late = True
                share *= cfg.late
        base.earned = exp.points * share
        exps.append(base)

    timings = _inject_timings(scenario, record, exps)
    teams = {team.id: Tally(team.id) for team in record.teams}
    objectives = {obj.id: Tally(obj.id) for obj in scenario.objectives}
    overall = Tally("overall")
    for e in exps:
        overall.add(e)
        if e.team is not None:
            teams[e.team].add(e)
        for obj in e.objectives:
            objectives[obj].add(e)
    for team in record.teams:
        teams[team.id].first_action_ms = _team_first_actions(scenario, record, team.id, exps)
    overall.first_action_ms = [t.first_action_ms for t in timings if t.first_action_ms is not None]

    weighted: float | None = None
    counted = [
        (PRIORITY_WEIGHT[o.priority], objectives[o.id].earned / objectives[o.id].possible)
        for o in scenario.objectives
        if objectives[o.id].possible > 0
    ]
    if counted:
        weighted = round(100.0 * sum(w * p for w, p in counted) / sum(w for w, _p in counted), 1)
    return DrillScore(
        drill=record.id,
        scenario=scenario.id,
        final=final,
        now_ms=now,
        expectations=exps,
        injects=timings,
        teams=teams,
        objectives=objectives,
        overall=overall,
        weighted_percent=weighted,
        pass_mark=cfg.pass_mark,
        objective_priority={o.id: o.priority for o in scenario.objectives},
    )


def _action_times(
    record: DrillRecord, exps: list[ExpectationScore], inject: str, team: str | None
) -> list[int]:
    """Drill times of the actions taken on ``inject`` (by ``team``, or by anyone when None)."""
    times = [
        o.elapsed_ms
        for o in record.observations
        if o.kind == "action" and o.inject == inject and (team is None or o.team == team)
    ]
    times += [
        e.marked_ms
        for e in exps
        if e.inject == inject
        and e.status in ("met", "partial")
        and e.marked_ms is not None
        and (team is None or e.team == team)
    ]
    return times


def _inject_timings(
    scenario: Scenario, record: DrillRecord, exps: list[ExpectationScore]
) -> list[InjectTiming]:
    out: list[InjectTiming] = []
    for inject in scenario.injects:
        release = record.releases.get(inject.id)
        if release is None:
            out.append(InjectTiming(inject.id, None, False, None))
            continue
        times = [x for x in _action_times(record, exps, inject.id, None) if x >= release.elapsed_ms]
        first = min(times) - release.elapsed_ms if times else None
        out.append(InjectTiming(inject.id, release.elapsed_ms, release.manual, first))
    return out


def _team_first_actions(
    scenario: Scenario, record: DrillRecord, team: str, exps: list[ExpectationScore]
) -> list[int]:
    out: list[int] = []
    for inject in scenario.injects:
        release = record.releases.get(inject.id)
        if release is None:
            continue
        times = [x for x in _action_times(record, exps, inject.id, team) if x >= release.elapsed_ms]
        if times:
            out.append(min(times) - release.elapsed_ms)
    return out
