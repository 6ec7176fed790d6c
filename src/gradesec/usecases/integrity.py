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
    """Declare who writes ``inspection_id``'s results: ``usecases.inspection_team.change_team`` with the whole
    member list (key ids or verified names; the creator stays on the team). Returns the team's key ids."""
    from gradesec.usecases.inspection_team import change_team

    return sorted(change_team(ctx, inspection_id, members=members).key_ids)
