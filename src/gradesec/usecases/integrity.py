"""Integrity use cases: checkpoints on demand (leaving the TUI, every hand-over) and the witness a store
offers others (its latest checkpoint), for bundles, reports and exports to carry."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gradesec.journal.events import Checkpoint
    from gradesec.journal.store import CheckpointRef
    from gradesec.usecases.context import Context


def checkpoint_now(ctx: Context, *, only_if_new: bool = False) -> Checkpoint | None:
    """Write a checkpoint signed by the context's signer. With ``only_if_new``, skip it when the signer's
    chain already ends with a checkpoint (nothing happened since). None when skipped or there is no signer."""
    if not ctx.has_signer:
        return None
    signer = ctx.signer
    if only_if_new:
        seq, _head = ctx.store.head(signer.key_id)
        latest = ctx.store.latest_checkpoint()
        if seq > 0 and latest is not None and latest.author == signer.key_id and latest.seq == seq:
            return None
    return ctx.store.checkpoint(signer)


def witness(ctx: Context) -> CheckpointRef | None:
    """The store's latest checkpoint (author, seq, hash, time), for a report or export to print."""
    return ctx.store.latest_checkpoint()


def checkpoint_on_leave(ctx: Context) -> None:
    """What the TUI calls when the user leaves: a checkpoint, unless nothing happened since the last one."""
    checkpoint_now(ctx, only_if_new=True)


def set_team(ctx: Context, inspection_id: str, members: list[str]) -> list[str]:
    """Declare who writes ``inspection_id``'s results (an ``inspection.team_set`` event; the creator stays on
    the team). Only the inspection's creator or a lead may; the authority table refuses anyone else. Returns
    the team as stored."""
    from gradesec.errors import UsageError
    from gradesec.i18n import t
    from gradesec.journal.keys import normalise_key_id
    from gradesec.state.teams import team_of

    keys = [normalise_key_id(m) for m in members]
    for member, key in zip(members, keys, strict=True):
        if len(key) != 32 or key.strip("0123456789abcdef"):
            raise UsageError(t("integrity.error.team_key", key=member), t("integrity.error.team_key.hint"))
    ctx.store.append(
        ctx.signer, "inspection.team_set", {"inspection": inspection_id, "members": sorted(set(keys))}
    )
    return sorted(team_of(ctx.store.connection, inspection_id))
