"""Drill use cases: start a drill, set up teams, release injects, mark expectations, observe, pause, close,
score, and gather what the after-action report needs.

Each write validates against the drill as the state holds it (through the pure rules in ``gradesec.drill``)
and then appends one signed event, or several in one transaction, so bad input changes nothing. The
scenario a drill runs is copied into ``drill.started``: a drill scores the same after the file changes.
Times are drill times in milliseconds, given by the caller (the TUI's drill clock, or a script).

This module writes; reading lives in ``drill_records``, scripted runs and the report's data in
``drill_scripts``, team and participant edits in ``drill_teams``. Every name is importable from here, as before
the split.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gradesec.catalog.scenario import Scenario
from gradesec.drill import rules
from gradesec.drill.improvements import derive, improvement_id
from gradesec.drill.model import (
    MARK_STATUSES,
    OBSERVATION_KINDS,
    DrillRecord,
    Improvement,
    Participant,
    Team,
)
from gradesec.drill.scoring import score
from gradesec.errors import NotFoundError, UsageError
from gradesec.i18n import get_lang, t

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog
    from gradesec.drill.review import ReviewData
    from gradesec.drill.script import Script
    from gradesec.journal.store import Store

from gradesec.usecases.drill_records import (
    MAX_TEXT,
    RISKS,
    DrillContext,
    DrillSummary,
    LoadedDrill,
    _drill_exists,
    drill_score,
    find_scenario,
    list_drills,
    load_drill,
    scenarios,
)

__all__ = [
    "MAX_TEXT",
    "RISKS",
    "DrillContext",
    "DrillSummary",
    "LoadedDrill",
    "add_participant",
    "check_teams",
    "close_drill",
    "default_teams",
    "drill_score",
    "find_scenario",
    "list_drills",
    "load_drill",
    "mark_expectation",
    "new_drill_id",
    "observe",
    "pause",
    "raise_improvement",
    "release_due",
    "release_inject",
    "report_data",
    "resume",
    "run_script",
    "scenarios",
    "set_team",
    "start_drill",
]


# Writing


def _text(value: str, what: str) -> str:
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise UsageError(t("drill.error.too_long", what=what, n=MAX_TEXT), t("drill.error.too_long.hint"))
    return value


def _elapsed(value: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise UsageError(t("drill.error.bad_time"), t("drill.error.bad_time.hint"))
    return value


def default_teams(scenario: Scenario, lang: str | None = None) -> list[Team]:
    """One team per role, named after the role."""
    lang = lang or get_lang()
    return [Team(role.id, role.name.get(lang), (role.id,)) for role in scenario.roles]


def check_teams(scenario: Scenario, teams: Sequence[Team]) -> None:
    role_ids = {r.id for r in scenario.roles}
    seen_teams: set[str] = set()
    seen_roles: dict[str, str] = {}
    for team in teams:
        if team.id in seen_teams:
            raise UsageError(t("drill.error.team_twice", id=team.id), t("drill.error.team_twice.hint"))
        seen_teams.add(team.id)
        if not team.name.strip():
            raise UsageError(t("drill.error.team_name", id=team.id), t("drill.error.team_name.hint"))
        for role in team.roles:
            if role not in role_ids:
                raise UsageError(
                    t("drill.error.no_role", role=role, team=team.id),
                    t("drill.error.ids_hint", ids=", ".join(sorted(role_ids))),
                )
            if role in seen_roles and seen_roles[role] != team.id:
                raise UsageError(
                    t("drill.error.role_twice", role=role, a=seen_roles[role], b=team.id),
                    t("drill.error.role_twice.hint"),
                )
            seen_roles[role] = team.id


def new_drill_id(scenario_id: str, at: str, author: str) -> str:
    """A short id that is stable for the same scenario, moment and author (so tests can name it)."""
    digest = hashlib.sha256(f"{scenario_id}\0{at}\0{author}".encode()).hexdigest()[:6]
    return f"D{at[:10].replace('-', '')}-{digest}"


def start_drill(
    ctx: DrillContext,
    scenario_id: str,
    teams: Sequence[Team] | None = None,
    *,
    lead: str = "",
    speed: float = 1.0,
    drill_id: str | None = None,
) -> str:
    """Start a drill of a scenario; returns its id."""
    from gradesec.journal.clock import format_at

    scenario = find_scenario(ctx.catalog, scenario_id)
    team_list = list(teams) if teams else default_teams(scenario)
    check_teams(scenario, team_list)
    if not 0 < speed <= 100:
        raise UsageError(t("drill.error.bad_speed"), t("drill.error.bad_speed.hint"))
    if drill_id is None:
        drill_id = new_drill_id(scenario.id, format_at(ctx.store.clock()), ctx.signer.key_id)
    if _drill_exists(ctx.store, drill_id):
        raise UsageError(t("drill.error.drill_exists", id=drill_id), t("drill.error.drill_exists.hint"))
    body = {
        "drill": drill_id,
        "scenario": scenario.id,
        "scenario_sha256": ctx.catalog.hash_of("scenario", scenario.id),
        "scenario_doc": scenario.model_dump(mode="json", by_alias=True, exclude_none=True),
        "title": scenario.title.as_dict(),
        "lead": _text(lead, "lead"),
        "speed": speed,
        "teams": [team.as_json() for team in team_list],
    }
    ctx.store.append(ctx.signer, "drill.started", body)
    return drill_id


def _open(ctx: DrillContext, drill_id: str) -> LoadedDrill:
    loaded = load_drill(ctx.store, drill_id)
    rules.require_open(loaded.record)
    return loaded


def set_team(ctx: DrillContext, drill_id: str, team: Team) -> None:
    """Add a team to a drill, or change one (name, roles, participants)."""
    loaded = _open(ctx, drill_id)
    others = [tm for tm in loaded.record.teams if tm.id != team.id]
    check_teams(loaded.scenario, [*others, team])
    ctx.store.append(ctx.signer, "drill.team_set", {"drill": drill_id, "team": team.as_json()})


def add_participant(ctx: DrillContext, drill_id: str, team_id: str, participant: Participant) -> None:
    loaded = _open(ctx, drill_id)
    team = next((tm for tm in loaded.record.teams if tm.id == team_id), None)
    if team is None:
        ids = ", ".join(tm.id for tm in loaded.record.teams) or "-"
        raise NotFoundError(t("drill.error.no_team", id=team_id), t("drill.error.ids_hint", ids=ids))
    if not participant.name.strip():
        raise UsageError(t("drill.error.participant_name"), t("drill.error.team_name.hint"))
    updated = Team(team.id, team.name, team.roles, (*team.participants, participant))
    ctx.store.append(ctx.signer, "drill.team_set", {"drill": drill_id, "team": updated.as_json()})


def release_inject(
    ctx: DrillContext, drill_id: str, inject_id: str, elapsed_ms: int, *, manual: bool = True
) -> None:
    """Hand an inject to the teams now (by hand) or at its scheduled time."""
    loaded = _open(ctx, drill_id)
    rules.check_release(loaded.scenario, loaded.record, inject_id)
    body = {"drill": drill_id, "inject": inject_id, "elapsed_ms": _elapsed(elapsed_ms), "manual": manual}
    ctx.store.append(ctx.signer, "drill.inject_released", body)


def release_due(ctx: DrillContext, drill_id: str, now_ms: int) -> list[str]:
    """Release every inject due by ``now_ms``, each at its due time, in one transaction; returns their ids."""
    loaded = _open(ctx, drill_id)
    due = rules.due_injects(loaded.scenario, loaded.record, _elapsed(now_ms))
    if not due:
        return []
    items = [
        (
            "drill.inject_released",
            {"drill": drill_id, "inject": d.inject.id, "elapsed_ms": d.due_ms, "manual": False},
        )
        for d in due
    ]
    ctx.store.append_many(ctx.signer, items)
    return [d.inject.id for d in due]


def mark_expectation(
    ctx: DrillContext, drill_id: str, expectation_id: str, status: str, elapsed_ms: int, note: str = ""
) -> None:
    """Judge an expected action met, partial or missed (a later mark replaces an earlier one)."""
    if status not in MARK_STATUSES:
        raise UsageError(t("drill.error.bad_status", status=status), t("drill.error.bad_status.hint"))
    loaded = _open(ctx, drill_id)
    inject, _exp = rules.check_mark(loaded.scenario, loaded.record, expectation_id, _elapsed(elapsed_ms))
    body = {
        "drill": drill_id,
        "expectation": expectation_id,
        "inject": inject.id,
        "status": status,
        "elapsed_ms": elapsed_ms,
        "note": _text(note, "note"),
    }
    ctx.store.append(ctx.signer, "drill.expectation_marked", body)


def observe(
    ctx: DrillContext,
    drill_id: str,
    kind: str,
    text: str,
    elapsed_ms: int,
    *,
    team: str | None = None,
    inject: str | None = None,
) -> None:
    """Record an observation: a team's action, a strength, an area for improvement, or a note."""
    if kind not in OBSERVATION_KINDS:
        raise UsageError(t("drill.error.bad_kind", kind=kind), t("drill.error.bad_kind.hint"))
    text = _text(text, "text")
    if not text:
        raise UsageError(t("drill.error.empty_text"), t("drill.error.empty_text.hint"))
    loaded = _open(ctx, drill_id)
    if team is not None and team not in {tm.id for tm in loaded.record.teams}:
        ids = ", ".join(tm.id for tm in loaded.record.teams) or "-"
        raise NotFoundError(t("drill.error.no_team", id=team), t("drill.error.ids_hint", ids=ids))
    if inject is not None:
        rules.find_inject(loaded.scenario, inject)
    body: dict[str, Any] = {"drill": drill_id, "kind": kind, "text": text, "elapsed_ms": _elapsed(elapsed_ms)}
    if team is not None:
        body["team"] = team
    if inject is not None:
        body["inject"] = inject
    ctx.store.append(ctx.signer, "drill.observation", body)


def pause(ctx: DrillContext, drill_id: str, elapsed_ms: int) -> None:
    loaded = _open(ctx, drill_id)
    if loaded.record.paused:
        raise UsageError(t("drill.error.already_paused"), t("drill.error.already_paused.hint"))
    ctx.store.append(ctx.signer, "drill.paused", {"drill": drill_id, "elapsed_ms": _elapsed(elapsed_ms)})


def resume(ctx: DrillContext, drill_id: str, elapsed_ms: int) -> None:
    loaded = _open(ctx, drill_id)
    if not loaded.record.paused:
        raise UsageError(t("drill.error.not_paused"), t("drill.error.not_paused.hint"))
    ctx.store.append(ctx.signer, "drill.resumed", {"drill": drill_id, "elapsed_ms": _elapsed(elapsed_ms)})


def _improvement_body(drill_id: str, imp: Improvement) -> dict[str, Any]:
    body: dict[str, Any] = {
        "drill": drill_id,
        "id": imp.id,
        "title": dict(imp.title),
        "risk": imp.risk,
        "links": list(imp.links),
        "source": dict(imp.source),
    }
    if imp.owner:
        body["owner"] = imp.owner
    if imp.detail:
        body["detail"] = dict(imp.detail)
    return body


def _check_links(catalog: Catalog, links: Sequence[str]) -> None:
    for link in links:
        if link not in catalog.items and link not in catalog.controls:
            raise NotFoundError(t("drill.error.no_link", id=link), t("drill.error.no_link.hint"))


def raise_improvement(
    ctx: DrillContext,
    drill_id: str,
    title: dict[str, str],
    risk: str,
    links: Sequence[str] = (),
    owner: str | None = None,
) -> str:
    """Raise an improvement by hand (any time, also after the drill is closed); returns its id."""
    loaded = load_drill(ctx.store, drill_id)
    if risk not in RISKS:
        raise UsageError(t("drill.error.bad_risk", risk=risk), t("drill.error.bad_risk.hint"))
    clean = {lang: _text(title.get(lang, ""), "title") for lang in ("zh", "en")}
    if not clean["zh"] and not clean["en"]:
        raise UsageError(t("drill.error.empty_text"), t("drill.error.empty_text.hint"))
    clean = {"zh": clean["zh"] or clean["en"], "en": clean["en"] or clean["zh"]}
    _check_links(ctx.catalog, links)
    imp = Improvement(
        improvement_id(drill_id, len(loaded.record.improvements) + 1),
        clean,
        risk,  # type: ignore[arg-type]
        tuple(links),
        owner or None,
        None,
        {"origin": "manual"},
    )
    ctx.store.append(ctx.signer, "drill.improvement_raised", _improvement_body(drill_id, imp))
    return imp.id


def close_drill(
    ctx: DrillContext, drill_id: str, elapsed_ms: int, *, raise_improvements: bool = True
) -> list[Improvement]:
    """End the drill; its gaps become improvements (``drill.improvement_raised``) in the same transaction."""
    loaded = _open(ctx, drill_id)
    record = loaded.record
    elapsed = _elapsed(elapsed_ms)
    if elapsed < record.last_elapsed_ms():
        raise UsageError(t("drill.error.close_early"), t("drill.error.bad_time.hint"))
    items: list[tuple[str, dict[str, Any]]] = [("drill.closed", {"drill": drill_id, "elapsed_ms": elapsed})]
    new: list[Improvement] = []
    if raise_improvements:
        closed = DrillRecord(**{**record.__dict__, "status": "closed", "closed_elapsed_ms": elapsed})
        result = score(loaded.scenario, closed)
        new = derive(loaded.scenario, closed, result, start=len(record.improvements) + 1)
        items += [("drill.improvement_raised", _improvement_body(drill_id, imp)) for imp in new]
    ctx.store.append_many(ctx.signer, items)
    return new


# Scripted runs and the after-action report's data (``drill_scripts``; imported when called, as it uses the
# writes above)


def run_script(ctx: DrillContext, script: Script, progress: Callable[[int], None] | None = None) -> str:
    """Run a drill from a script (see ``gradesec.drill.script``); returns the drill id."""
    from gradesec.usecases.drill_scripts import run_script as run

    return run(ctx, script, progress)


def report_data(store: Store, catalog: Catalog, drill_id: str) -> ReviewData:
    """What the after-action report of a drill shows (the drill need not be closed)."""
    from gradesec.usecases.drill_scripts import report_data as data

    return data(store, catalog, drill_id)
