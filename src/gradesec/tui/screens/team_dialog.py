"""The inspection team dialog (``t`` in the workspace): who may write this inspection's results.

One check box per person: the members (the creator checked and fixed: always on the team) and the other keys this
store trusts with a role that writes results. Saving signs one ``inspection.team_set`` through
``gradesec.usecases.inspection_team.change_team`` on the app's writer thread — the same use case as ``gradesec
inspection team set`` — so a refusal (not the creator or a lead) arrives as the usual error notification and
nothing is written. The store reads and the write both run off the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox

from gradesec.i18n import t
from gradesec.tui.widgets.text import TButton, TLabel, TStatic

if TYPE_CHECKING:
    from gradesec.usecases.inspection_team import TeamMember, TeamView


def member_label(member: TeamMember) -> Text:
    """How a person is named in the list: the verified name, role, organisation and the start of the key id."""
    from gradesec.journal.keys import format_key_id
    from gradesec.usecases.inspection_team import role_label

    text = t(
        "team.tui.member",
        name=member.name or "-",
        creator=t("team.cli.creator") if member.creator else "",
        role=role_label(member.role),
        org=member.org or "-",
        key=format_key_id(member.key_id)[:9],
    )
    return Text(text)  # names are data: never read as markup


class TeamDialog(ModalScreen["list[str] | None"]):
    """Check who is on the team; Save (ctrl+s) returns the checked key ids, Escape returns None."""

    DEFAULT_CSS = """
    TeamDialog #team-list { height: auto; max-height: 16; margin: 1 0; }
    TeamDialog #team-list Checkbox { width: 100%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel", id="team.cancel"),
        Binding("ctrl+s", "save", "team.tui.key.save", id="team.save"),
    ]

    def __init__(self, view: TeamView) -> None:
        super().__init__()
        self.view = view
        self.people: list[tuple[TeamMember, bool]] = [(m, True) for m in view.members] + [
            (c, False) for c in view.candidates
        ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog team-dialog", id="team-box"):
            yield TLabel("team.tui.title", classes="dialog-title", inspection=self.view.inspection)
            yield TStatic("team.tui.intro" if self.view.declared else "team.tui.undeclared", id="team-intro")
            with VerticalScroll(id="team-list"):
                for n, (member, on_team) in enumerate(self.people):
                    yield Checkbox(
                        member_label(member),
                        value=on_team,
                        id=f"team-member-{n}",
                        disabled=member.creator,
                        compact=True,
                    )
            with Horizontal(classes="buttons"):
                yield TButton("tui.button.cancel", id="team-cancel", compact=True)
                yield TButton("team.tui.save", id="team-save", variant="primary", compact=True)

    def on_mount(self) -> None:
        boxes = [b for b in self.query(Checkbox) if not b.disabled]
        (boxes[0] if boxes else self.query_one("#team-save", Button)).focus()

    def checked(self) -> list[str]:
        """The key ids checked now (the creator included)."""
        return sorted(
            member.key_id
            for n, (member, _was) in enumerate(self.people)
            if self.query_one(f"#team-member-{n}", Checkbox).value
        )

    @on(Button.Pressed, "#team-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#team-save")
    def action_save(self) -> None:
        self.dismiss(self.checked())


def open_team_dialog(screen: Any) -> None:
    """What the workspace's ``t`` does: read the team (writer thread), show the dialog, save what is checked."""
    from gradesec.usecases.inspection_team import change_team, team_view

    inspection_id = screen.nav().inspection_id
    if inspection_id is None:
        screen.notify(t("tui.nav.need_inspection"), severity="warning")
        return
    ctx = screen.ctx

    def saved(view: TeamView) -> None:
        screen.notify(t("team.tui.saved", n=len(view.members)))

    def chosen(members: list[str] | None) -> None:
        if members is not None:
            screen.submit(lambda: change_team(ctx, inspection_id, members=members), saved)

    def loaded(view: TeamView) -> None:
        screen.app.push_screen(TeamDialog(view), chosen)

    screen.submit(lambda: team_view(ctx, inspection_id), loaded)
