"""The drill screen's teams: one dialog for every change to the teams in the room, and the quick
"add a participant" form.

What to do (add a participant, rename or remove one, add, rename or delete a team), the team, the participant,
the new name. The hint under the form says which fields the chosen change reads. The change itself is a use
case of ``gradesec.usecases.drill_teams`` (a signed ``drill.team_set`` event), run on the app's writer thread.
Deleting a team is asked once more (what leaves, which roles lose their team); a team with records is refused
before the question, with the same message the use case gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gradesec.i18n import get_lang, t
from gradesec.tui.screens.form import Field, FormModal

if TYPE_CHECKING:
    from gradesec.tui.screens.drill import DrillScreen

CHANGES = (
    "add_participant",
    "rename_participant",
    "remove_participant",
    "add_team",
    "rename_team",
    "remove_team",
)
SEP = "\x1f"  # between the team id and the participant's name in the participant choice
# Which fields each change reads (besides "what").
NEEDS = {
    "add_participant": ("team", "name"),
    "rename_participant": ("person", "name"),
    "remove_participant": ("person",),
    "add_team": ("name",),
    "rename_team": ("team", "name"),
    "remove_team": ("team",),
}


class TeamsForm(FormModal):
    def __init__(self, teams: Sequence[Any]) -> None:
        self.teams = list(teams)

        def changes() -> list[tuple[str, str]]:
            return [(t(f"officer.drill.change.{c}"), c) for c in CHANGES]

        def team_options() -> list[tuple[str, str]]:
            return [(tm.name, tm.id) for tm in self.teams]

        def people() -> list[tuple[str, str]]:
            return [
                (f"{tm.name} · {p.name}", f"{tm.id}{SEP}{p.name}")
                for tm in self.teams
                for p in tm.participants
            ]

        super().__init__(
            "officer.drill.teams_title",
            [
                Field(
                    "what",
                    "officer.drill.field.what",
                    "select",
                    options=changes,
                    value=CHANGES[0],
                    required=True,
                ),
                Field("team", "drill.tui.field.team", "select", options=team_options),
                Field("person", "officer.drill.field.person", "select", options=people),
                Field("name", "officer.drill.field.name"),
                Field("org", "drill.tui.field.org"),
            ],
        )

    def changed(self, values: dict[str, str]) -> None:
        what = values.get("what") or CHANGES[0]
        self.set_hint(t(f"officer.drill.hint.{what}"))

    def check(self, values: dict[str, str]) -> str | None:
        problem = super().check(values)
        if problem is not None:
            return problem
        for name in NEEDS.get(values["what"], ()):
            if not values[name].strip():
                return "officer.drill.missing"
        return None


def apply_team_change(ctx: Any, drill_id: str, values: dict[str, str]) -> Any:
    """Run the change the form describes (on the writer thread)."""
    from gradesec.drill.model import Participant
    from gradesec.usecases import drill_teams, drills

    what, name, org = values["what"], values.get("name", ""), values.get("org", "")
    team_id, _, person = values.get("person", "").partition(SEP)
    if what == "add_participant":
        return drills.add_participant(ctx, drill_id, values["team"], Participant(name.strip(), org.strip()))
    if what == "rename_participant":
        return drill_teams.rename_participant(ctx, drill_id, team_id, person, name, org)
    if what == "remove_participant":
        return drill_teams.remove_participant(ctx, drill_id, team_id, person)
    if what == "add_team":
        return drill_teams.add_team(ctx, drill_id, name)
    if what == "remove_team":
        return drill_teams.remove_team(ctx, drill_id, values["team"])
    return drill_teams.rename_team(ctx, drill_id, values["team"], name)


def ask_participant(screen: DrillScreen) -> None:
    """The drill screen's ``a``: one more participant in a team."""
    fields = [
        Field("team", "drill.tui.field.team", kind="select", options=screen.team_options, required=True),
        Field("name", "drill.tui.field.name", required=True),
        Field("org", "drill.tui.field.org"),
    ]

    def entered(values: dict[str, str] | None) -> None:
        if not values:
            return
        from gradesec.drill.model import Participant
        from gradesec.usecases import drills

        ctx, drill_id = screen.ctx, screen.drill_id
        assert drill_id is not None
        who = Participant(values["name"], values.get("org", ""))
        screen.submit(lambda: drills.add_participant(ctx, drill_id, values["team"].strip(), who))

    screen.app.push_screen(FormModal("drill.tui.participant", fields), entered)


def edit_teams(screen: DrillScreen) -> None:
    """The drill screen's ``t``: the team form, then the change it describes (a deletion asked once more)."""
    assert screen.loaded is not None

    def edited(values: dict[str, str] | None) -> None:
        if not values:
            return
        if values["what"] == "remove_team":
            _confirm_removal(screen, values)
        else:
            _apply(screen, values, t("officer.drill.saved"))

    screen.app.push_screen(TeamsForm(screen.loaded.record.teams), edited)


def _apply(screen: DrillScreen, values: dict[str, str], saved: str) -> None:
    ctx, drill_id = screen.ctx, screen.drill_id
    assert drill_id is not None

    def done(_result: Any) -> None:
        screen.reload()
        screen.notify(saved)

    screen.submit(lambda: apply_team_change(ctx, drill_id, values), done)


def _confirm_removal(screen: DrillScreen, values: dict[str, str]) -> None:
    """Say what deleting the team does and ask; a team with records is refused at once (the use case checks
    again on the writer thread, against the store)."""
    from gradesec.drill.rules import check_team_removal
    from gradesec.errors import GradesecError
    from gradesec.tui.screens.confirm import ConfirmModal

    assert screen.loaded is not None
    try:
        team = check_team_removal(screen.loaded.scenario, screen.loaded.record, values["team"])
    except GradesecError as exc:
        screen.app.show_error(exc)  # type: ignore[attr-defined]
        return
    lang = get_lang()
    roles = ", ".join(screen.loaded.scenario.role(r).name.get(lang) for r in team.roles)
    lines = [
        t("officer.drill.remove.what", n=len(team.participants)),
        t("officer.drill.remove.roles", roles=roles) if roles else t("officer.drill.remove.no_roles"),
    ]

    def answered(yes: bool | None) -> None:
        if yes:
            _apply(screen, values, t("officer.drill.removed", name=team.name))

    screen.app.push_screen(
        ConfirmModal(
            "officer.drill.remove.title", lines, "officer.drill.remove.button", warn=True, name=team.name
        ),
        answered,
    )
