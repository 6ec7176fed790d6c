"""Editing a drill's teams and participants while it runs: add a team, rename or delete one, add, rename or
remove a participant. Each change is one signed ``drill.team_set`` event carrying the whole team as it now
stands (the event kind ``set_team`` already writes; only the lead writes it), so the record folds to the latest
team and the history keeps every earlier version. A deletion is the same event with ``removed: true`` (the team
as it was, marked): the state keeps the mark so that an earlier version of the team arriving later (from a
bundle) does not bring it back, and a deleted team's id is not given to a new team. A team is deleted only while
nothing recorded names it (``gradesec.drill.rules.check_team_removal``).
"""

from __future__ import annotations

import re

from gradesec.drill import rules
from gradesec.drill.model import Participant, Team
from gradesec.errors import NotFoundError, UsageError
from gradesec.i18n import t
from gradesec.usecases.drills import DrillContext, _open, set_team


def _team(ctx: DrillContext, drill_id: str, team_id: str) -> Team:
    loaded = _open(ctx, drill_id)
    team = next((tm for tm in loaded.record.teams if tm.id == team_id), None)
    if team is None:
        ids = ", ".join(tm.id for tm in loaded.record.teams) or "-"
        raise NotFoundError(t("drill.error.no_team", id=team_id), t("drill.error.ids_hint", ids=ids))
    return team


def _name(value: str) -> str:
    name = value.strip()
    if not name:
        raise UsageError(t("drill.error.participant_name"), t("drill.error.team_name.hint"))
    return name


def _index(team: Team, name: str) -> int:
    for n, person in enumerate(team.participants):
        if person.name == name.strip():
            return n
    names = ", ".join(p.name for p in team.participants) or "-"
    raise NotFoundError(
        t("officer.drill.no_participant", name=name, team=team.name),
        t("officer.drill.names_hint", names=names),
    )


def add_team(ctx: DrillContext, drill_id: str, name: str) -> Team:
    """A new team (playing no scenario role yet) named ``name``; its id is made from the name."""
    loaded = _open(ctx, drill_id)
    clean = name.strip()
    if not clean:
        raise UsageError(t("drill.error.team_name", id="-"), t("drill.error.team_name.hint"))
    base = re.sub(r"[^a-z0-9]+", "-", clean.lower()).strip("-") or "team"
    taken = {tm.id for tm in loaded.record.teams} | set(loaded.record.removed_teams)
    team_id, n = base, 2
    while team_id in taken:
        team_id, n = f"{base}-{n}", n + 1
    team = Team(team_id, clean, ())
    set_team(ctx, drill_id, team)
    return team


def rename_team(ctx: DrillContext, drill_id: str, team_id: str, name: str) -> Team:
    team = _team(ctx, drill_id, team_id)
    renamed = Team(team.id, name.strip(), team.roles, team.participants)
    set_team(ctx, drill_id, renamed)  # an empty name is refused there
    return renamed


def rename_participant(
    ctx: DrillContext, drill_id: str, team_id: str, old: str, new: str, org: str = ""
) -> Team:
    """Correct a participant's name (and organisation, when given)."""
    team = _team(ctx, drill_id, team_id)
    n = _index(team, old)
    person = team.participants[n]
    fixed = Participant(_name(new), org.strip() or person.org, person.role)
    people = (*team.participants[:n], fixed, *team.participants[n + 1 :])
    updated = Team(team.id, team.name, team.roles, people)
    set_team(ctx, drill_id, updated)
    return updated


def remove_participant(ctx: DrillContext, drill_id: str, team_id: str, name: str) -> Team:
    team = _team(ctx, drill_id, team_id)
    n = _index(team, name)
    updated = Team(team.id, team.name, team.roles, (*team.participants[:n], *team.participants[n + 1 :]))
    set_team(ctx, drill_id, updated)
    return updated


def remove_team(ctx: DrillContext, drill_id: str, team_id: str) -> Team:
    """Delete a team from the drill (refused once a judged expectation of its roles or an observation names
    it); returns the team as it was."""
    loaded = _open(ctx, drill_id)
    team = rules.check_team_removal(loaded.scenario, loaded.record, team_id)
    body = {"drill": drill_id, "team": {**team.as_json(), "removed": True}}
    ctx.store.append(ctx.signer, "drill.team_set", body)
    return team
