"""The drill screen's teams: one dialog for every change to the teams in the room, and the quick
"add a participant" form.

What to do (add a participant, rename or remove one, add or rename a team), the team, the participant, the
new name. The hint under the form says which fields the chosen change reads. The change itself is a use case
of ``gradesec.usecases.drill_teams`` (a signed ``drill.team_set`` event), run on the app's writer thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gradesec.i18n import t
from gradesec.tui.screens.form import Field, FormModal

if TYPE_CHECKING:
    from gradesec.tui.screens.drill import DrillScreen

CHANGES = ("add_participant", "rename_participant", "remove_participant", "add_team", "rename_team")
SEP = "\x1f"  # between the team id and the participant's name in the participant choice
# Which fields each change reads (besides "what").
NEEDS = {
    "add_participant": ("team", "name"),
    "rename_participant": ("person", "name"),
    "remove_participant": ("person",),
    "add_team": ("name",),
    "rename_team": ("team", "name"),
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
    """The drill screen's ``t``: the team form, then the change it describes."""
    assert screen.loaded is not None

    def edited(values: dict[str, str] | None) -> None:
        if not values:
            return
        ctx, drill_id = screen.ctx, screen.drill_id
        assert drill_id is not None

        def done(_result: Any) -> None:
            screen.reload()
            screen.notify(t("officer.drill.saved"))

        screen.submit(lambda: apply_team_change(ctx, drill_id, values), done)

    screen.app.push_screen(TeamsForm(screen.loaded.record.teams), edited)
