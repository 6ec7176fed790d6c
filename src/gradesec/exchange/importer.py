"""Importing a bundle: verify it completely (``reader``), then write it in one go (or not at all).

``import_bundle`` then places the blobs (content-addressed files, harmless on their own), and hands the new
events to the journal in one transaction together with the owner's ``key.trusted`` events for the keys the
user chose to trust, the sender's checkpoints, and the witness and checkpoint this store records of the import.
A bundle whose events are all known already is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gradesec.errors import GradesecError, KeyError_
from gradesec.exchange.format import Manifest, read_frames
from gradesec.exchange.reader import VerifiedBundle, read_bundle
from gradesec.exchange.streams import refuse
from gradesec.i18n import t
from gradesec.journal.clock import format_at
from gradesec.journal.events import StoredEvent, envelope, event_hash
from gradesec.journal.keys import Identity, normalise_key_id

if TYPE_CHECKING:
    from gradesec.journal.keys import Signer
    from gradesec.journal.store import Store


IMPORT_BATCH = 15_000


@dataclass(frozen=True)
class ImportResult:
    manifest: Manifest
    imported: int
    already: int
    blobs: int
    checkpoints: int
    trusted: tuple[str, ...]
    skipped_checkpoints: tuple[str, ...] = ()
    # The sender's checkpoint (from the manifest), kept here as a witness; recorded: a signed
    # ``witness.recorded`` event and a checkpoint of this store were written too (needs the owner's key).
    witness: dict[str, Any] | None = None
    witness_recorded: bool = False
    # key id -> the identity now trusted (name, role, org), as the key's chain opens with it
    trusted_identities: dict[str, dict[str, str]] = field(default_factory=dict)
    # key id -> the role it had before this import re-trusted it with the role its chain now declares
    role_changes: dict[str, str] = field(default_factory=dict)

    @property
    def noop(self) -> bool:
        return self.imported == 0 and self.blobs == 0 and self.checkpoints == 0 and not self.trusted

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "already_present": self.already,
            "blobs": self.blobs,
            "checkpoints": self.checkpoints,
            "trusted": list(self.trusted),
            "noop": self.noop,
            "skipped_checkpoints": list(self.skipped_checkpoints),
            "witness": self.witness,
            "witness_recorded": self.witness_recorded,
            "trusted_identities": self.trusted_identities,
            "role_changes": self.role_changes,
            "bundle": self.manifest.summary(),
        }


def _trust_events(store: Store, owner: Signer, trust: dict[str, tuple[bytes, Identity]]) -> list[StoredEvent]:
    """The owner's ``key.trusted`` events for ``trust``, continuing the owner's chain (imported with the rest)."""
    seq, prev = store.head(owner.key_id)
    out: list[StoredEvent] = []
    for kid, (public, identity) in sorted(trust.items()):
        seq += 1
        body = {"key": kid, "public_key": public.hex(), **identity.as_dict()}
        raw = envelope("key.trusted", owner.key_id, seq, prev, format_at(store.clock()), body)
        digest = event_hash(raw)
        out.append(StoredEvent(raw, digest.hex(), owner.sign(digest)))
        prev = digest.hex()
    return out


def import_bundle(
    store: Store,
    path: Path | str,
    *,
    trust: Iterable[str] = (),
    owner: Signer | None = None,
    expect_inspection: str | None = None,
    progress: Callable[[int], None] | None = None,
    recorder: Signer | None = None,
) -> ImportResult:
    """Verify the bundle at ``path`` completely, then import it atomically (a no-op if nothing is new).

    ``trust`` names key ids (authors of this bundle) the user trusts now; that needs the store owner's
    ``owner`` signer, which signs the ``key.trusted`` events written in the same transaction as the import.
    ``recorder`` (the owner's signer, when at hand) then records the sender's checkpoint as a witness and
    writes a checkpoint of this store.
    """
    trust = [normalise_key_id(k) for k in trust]
    if trust and (owner is None or owner.key_id != store.owner):
        raise KeyError_(t("bundle.error.trust_needs_owner"), t("bundle.error.trust_needs_owner.hint"))
    bundle = read_bundle(
        store, path, trust=trust, expect_inspection=expect_inspection, stage=True, progress=progress
    )
    placed: list[Path] = []
    made: list[Path] = []  # evidence folders this import created (removed again if it is refused)
    committed = False
    try:
        store.evidence.place(sorted(bundle.staged.items()), placed, made)
        bundle.staged.clear()
        extra = _trust_events(store, owner, bundle.trust) if bundle.trust and owner is not None else []
        # One transaction up to IMPORT_BATCH events (every real hand-over): the events, the owner's trust, the
        # sender's checkpoints and, when the owner's key is at hand, the sender's checkpoint recorded as a witness
        # with a checkpoint of this store, all commit together or not at all. Beyond IMPORT_BATCH, the earlier
        # batches commit first, in chain order, each a valid continuation of what the store holds, so memory
        # stays bounded; an interruption then leaves a store that verifies, and importing the same bundle again
        # completes it.
        batch: list[StoredEvent] = list(extra)
        if bundle.spool is not None:
            with open(bundle.spool, "rb") as spooled:
                for sig, raw in read_frames(spooled):
                    batch.append(StoredEvent(raw, event_hash(raw).hex(), sig))
                    if len(batch) >= IMPORT_BATCH:
                        _import_events(store, batch)
                        committed = True
                        batch = []
        witness = bundle.manifest.checkpoint
        recorded = False
        with store.transaction():
            if batch:
                _import_events(store, batch)
            n_cps = store.import_checkpoints(bundle.checkpoints) if bundle.checkpoints else 0
            if recorder is not None and recorder.key_id == store.owner and not _noop(bundle, placed, n_cps):
                seen: list[tuple[str, dict[str, Any]]] = (
                    [("witness.recorded", {"store": bundle.manifest.store, **witness})] if witness else []
                )
                store.checkpoint(recorder, extra=seen)
                recorded = bool(witness)
        committed = True
        bundle.discard()
    except BaseException:
        bundle.discard()
        # Blobs stay once events naming them are committed; before that they go (nothing refers to them), and
        # so do the folders made for them: a refused import leaves no empty evidence/xx/ behind.
        if not committed:
            store.evidence.unplace(placed, made)
        raise
    return ImportResult(
        bundle.manifest,
        imported=bundle.new_count,
        already=bundle.known_events,
        blobs=len(placed),
        checkpoints=n_cps,
        trusted=tuple(sorted(bundle.trust)),
        skipped_checkpoints=tuple(bundle.skipped_checkpoints),
        witness=witness,
        witness_recorded=recorded,
        trusted_identities={kid: ident.as_dict() for kid, (_pub, ident) in sorted(bundle.trust.items())},
        role_changes=dict(bundle.role_changes),
    )


def _noop(bundle: VerifiedBundle, placed: list[Path], n_cps: int) -> bool:
    return bundle.new_count == 0 and not placed and n_cps == 0 and not bundle.trust


def _import_events(store: Store, batch: list[StoredEvent]) -> None:
    """``store.import_events``, with a body the projectors cannot read refused like any other bad bundle.

    Bodies are checked field by field by the journal's validator where it knows the kind; a signed body that
    still lacks a field a projector needs (a ``KeyError`` deep in a projection) must not surface as a crash.
    The transaction has rolled back by then, so nothing was written.
    """
    try:
        store.import_events(batch)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        detail = f"{type(exc).__name__}: {exc}"[:200]
        raise refuse("malformed_body", detail=detail) from None


__all__ = ["GradesecError", "ImportResult", "VerifiedBundle", "import_bundle", "read_bundle"]
