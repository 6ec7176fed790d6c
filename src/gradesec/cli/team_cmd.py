"""``gradesec inspection team …``: show an inspection's team, set it, add or remove members.

Every command calls ``gradesec.usecases.inspection_team``; this module only parses options and prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from gradesec.cli import common
from gradesec.cli.assess_common import KeyOpt, reader, writer
from gradesec.i18n import t

if TYPE_CHECKING:
    from gradesec.usecases.inspection_team import TeamView

team_app = typer.Typer(help=t("team.cli.help"), no_args_is_help=True)

InspectionArg = Annotated[str, typer.Argument(help=t("assess.cli.opt.inspection"))]
MembersOpt = Annotated[list[str] | None, typer.Option("--member", "-m", help=t("team.cli.opt.member"))]


def register(inspection_app: typer.Typer) -> None:
    """Add ``team`` under ``gradesec inspection``."""
    inspection_app.add_typer(team_app, name="team")


def _print(view: TeamView, changed: bool | None = None) -> None:
    from gradesec.journal.keys import format_key_id
    from gradesec.usecases.inspection_team import role_label

    def human() -> None:
        if changed is not None:
            common.echo(t("team.cli.saved", n=len(view.members)) if changed else t("team.cli.unchanged"))
        common.echo(t("team.cli.title", id=view.inspection))
        if not view.declared:
            common.echo(t("team.cli.undeclared"))
        common.table(
            [t("team.cli.col.name"), t("team.cli.col.role"), t("team.cli.col.org"), t("team.cli.col.key")],
            [
                [
                    (m.name or "-") + (t("team.cli.creator") if m.creator else ""),
                    role_label(m.role),
                    m.org or "-",
                    format_key_id(m.key_id),
                ]
                for m in view.members
            ],
        )
        if view.candidates:
            names = ", ".join(f"{c.name or '-'} ({format_key_id(c.key_id)[:9]})" for c in view.candidates)
            common.echo(t("team.cli.candidates", names=names))

    data = view.as_json()
    if changed is not None:
        data["changed"] = changed
    common.emit(data, human)


@team_app.command("show", help=t("team.cli.show.help"))
def team_show(inspection: InspectionArg) -> None:
    from gradesec.usecases.inspection_team import team_view

    with reader() as ctx:
        view = team_view(ctx, inspection)
    _print(view)


def _change(inspection: str, key: str | None, **change: list[str] | None) -> None:
    from gradesec.errors import UsageError
    from gradesec.usecases.inspection_team import change_team, team_view

    if any(v == [] for k, v in change.items() if k != "members"):
        raise UsageError(t("team.error.no_member"), t("team.error.no_member.hint"))
    with writer(key) as ctx:
        before = team_view(ctx, inspection)
        view = change_team(ctx, inspection, **change)  # type: ignore[arg-type]
    _print(view, changed=view != before)


@team_app.command("set", help=t("team.cli.set.help"))
def team_set(inspection: InspectionArg, member: MembersOpt = None, key: KeyOpt = None) -> None:
    _change(inspection, key, members=member or [])


@team_app.command("add", help=t("team.cli.add.help"))
def team_add(inspection: InspectionArg, member: MembersOpt = None, key: KeyOpt = None) -> None:
    _change(inspection, key, add=list(member or []))


@team_app.command("remove", help=t("team.cli.remove.help"))
def team_remove(inspection: InspectionArg, member: MembersOpt = None, key: KeyOpt = None) -> None:
    _change(inspection, key, remove=list(member or []))
