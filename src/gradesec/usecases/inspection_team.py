"""An inspection's team, as people see and change it: who is on it (with the identity this store verified for each
key), who could be, and one signed ``inspection.team_set`` per change.

The rule itself lives in ``journal.authority`` (``team_verdict``): once a team is declared, only its members write
the inspection's results; only the inspection's creator or a lead sets it; the creator is always on it. This
module resolves what people type (a key id, with or without spaces, or a name the store verified), refuses a
change before signing anything when it cannot succeed, and writes it through the journal, which checks again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gradesec.errors import KeyError_, UsageError
from gradesec.i18n import t
from gradesec.journal.keys import format_key_id, normalise_key_id

if TYPE_CHECKING:
    from gradesec.usecases.context import Context

WRITERS = frozenset({"inspector", "reviewer", "lead"})  # roles that may write an inspection's results
ROLES = WRITERS | {"officer"}


@dataclass(frozen=True)
class TeamMember:
    """A key as this store knows it: the identity the owner accepted (or the owner's own)."""

    key_id: str
    name: str
    role: str
    org: str
    creator: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "name": self.name,
            "role": self.role,
            "org": self.org,
            "creator": self.creator,
        }


@dataclass(frozen=True)
class TeamView:
    inspection: str
    creator: str
    declared: bool  # False: no team declared, every inspector, reviewer and lead the store trusts may write
    members: tuple[TeamMember, ...]
    candidates: tuple[TeamMember, ...]  # trusted keys of a writing role not on the team

    def as_json(self) -> dict[str, Any]:
        return {
            "inspection": self.inspection,
            "creator": self.creator,
            "declared": self.declared,
            "members": [m.as_json() for m in self.members],
            "candidates": [m.as_json() for m in self.candidates],
        }

    @property
    def key_ids(self) -> set[str]:
        return {m.key_id for m in self.members}


def role_label(role: str) -> str:
    """A role as people read it, in their language."""
    return t(f"team.role.{role}") if role in ROLES else t("team.role.unknown")


def _known(ctx: Context) -> dict[str, TeamMember]:
    """Every key this store trusts (the owner first), with the identity the owner accepted for it."""
    return {k.key_id: TeamMember(k.key_id, k.name, k.role, k.org) for k in ctx.store.trusted_keys()}


def _member(known: dict[str, TeamMember], key_id: str, creator: str) -> TeamMember:
    found = known.get(key_id) or TeamMember(key_id, "", "", "")
    return TeamMember(found.key_id, found.name, found.role, found.org, key_id == creator)


def team_view(ctx: Context, inspection_id: str) -> TeamView:
    """The team of ``inspection_id``: its members (the creator marked) and the trusted keys that could join."""
    from gradesec.state.teams import team_of
    from gradesec.usecases.assess_checks import read_db
    from gradesec.usecases.inspections import get_inspection

    creator = get_inspection(ctx, inspection_id).opened_by
    with read_db(ctx) as db:
        team = team_of(db, inspection_id)
    known = _known(ctx)
    keys = team or {creator}
    members = sorted(
        (_member(known, k, creator) for k in keys), key=lambda m: (not m.creator, m.name, m.key_id)
    )
    candidates = sorted(
        (m for k, m in known.items() if k not in keys and m.role in WRITERS), key=lambda m: (m.name, m.key_id)
    )
    return TeamView(inspection_id, creator, bool(team), tuple(members), tuple(candidates))


def resolve_member(ctx: Context, ref: str, known: dict[str, TeamMember] | None = None) -> str:
    """The key id ``ref`` names: a key id (spaces allowed, a unique prefix of 8 or more hex digits will do) or
    the verified name of a trusted key. Refused (exit 2): unknown, or a name several keys carry."""
    known = _known(ctx) if known is None else known
    wanted = normalise_key_id(ref)
    if len(wanted) >= 8 and not wanted.strip("0123456789abcdef"):
        by_id = [k for k in known if k.startswith(wanted)]
        if len(by_id) == 1:
            return by_id[0]
    by_name = [k for k, m in known.items() if m.name and m.name.strip().casefold() == ref.strip().casefold()]
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        keys = ", ".join(format_key_id(k)[:19] for k in sorted(by_name))
        raise UsageError(
            t("team.error.ambiguous", name=ref.strip(), keys=keys), t("team.error.ambiguous.hint")
        )
    raise UsageError(t("team.error.unknown", ref=ref.strip()), t("team.error.unknown.hint"))


def change_team(
    ctx: Context,
    inspection_id: str,
    *,
    members: Iterable[str] | None = None,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
) -> TeamView:
    """Declare the team of ``inspection_id``: ``members`` replaces it (the creator always stays), ``add`` and
    ``remove`` change the current one. Every name is resolved and every rule checked before anything is
    signed; nothing is written when the team would not change."""
    from gradesec.journal.authority import role_of
    from gradesec.usecases.assess_checks import read_db

    view = team_view(ctx, inspection_id)
    me = ctx.signer.key_id
    with read_db(ctx) as db:
        my_role = role_of(db, me)
    if me != view.creator and my_role != "lead":
        raise KeyError_(t("team.error.not_allowed"), t("team.error.not_allowed.hint"))
    known = _known(ctx)
    keys = {resolve_member(ctx, m, known) for m in members} if members is not None else set(view.key_ids)
    adding = {resolve_member(ctx, m, known) for m in add}
    removing = {resolve_member(ctx, m, known) for m in remove}
    if view.creator in removing:
        raise UsageError(t("team.error.creator"), t("team.error.creator.hint"))
    for key in sorted(adding | (keys - view.key_ids)):
        if known[key].role not in WRITERS:
            raise UsageError(
                t(
                    "team.error.role",
                    name=known[key].name or format_key_id(key),
                    role=role_label(known[key].role),
                ),
                t("team.error.role.hint"),
            )
    wanted = ((keys | adding) - removing) | {view.creator}
    if view.declared and wanted == view.key_ids:
        return view
    ctx.store.append(
        ctx.signer, "inspection.team_set", {"inspection": inspection_id, "members": sorted(wanted)}
    )
    return team_view(ctx, inspection_id)


__all__ = ["TeamMember", "TeamView", "change_team", "resolve_member", "role_label", "team_view"]
