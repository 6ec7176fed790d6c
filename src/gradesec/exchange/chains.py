"""The journal members of a bundle: its events and its checkpoints, checked as they stream past.

Events are checked one by one — signature, chain, author trust, kind, time, scope, the author's role
(``journal.authority``) and, for what is new, the inspection team rule (``TeamLedger``) — and the new ones are
spooled to a temporary file (import mode); checkpoints are checked against the chains the bundle carries and
the store holds. ``ChainChecks`` is the part of ``reader.BundleReader`` that does this; the reader walks the
archive and calls it for the two journal members.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from gradesec.exchange.authors import KnownAuthors, verify_sig
from gradesec.exchange.format import Manifest, read_frames, write_frame
from gradesec.exchange.scope import ScopeTracker
from gradesec.exchange.streams import HashingReader, refuse
from gradesec.i18n import t
from gradesec.journal.authority import TeamLedger
from gradesec.journal.events import Checkpoint, Event, StoredCheckpoint, event_hash
from gradesec.journal.keys import format_key_id
from gradesec.journal.safety import temp_name
from gradesec.journal.strict import EventRejected, check_at, check_envelope, verifying_now
from gradesec.state import registry

if TYPE_CHECKING:
    from gradesec.exchange.reader import VerifiedBundle
    from gradesec.journal.store import Store


class ChainChecks(KnownAuthors):
    """The checks of a bundle's events and checkpoints (set by the reader: ``teams``, ``stage``)."""

    teams: TeamLedger
    stage: bool  # keep the new events in a spool file

    def _events(
        self,
        reader: HashingReader,
        manifest: Manifest,
        result: VerifiedBundle,
        hashes: dict[tuple[str, int], str],
        wanted: set[tuple[str, int]],
        referenced: dict[str, tuple[str, int]],
    ) -> None:
        tracker = ScopeTracker()
        heads: dict[str, int] = {}
        spool: IO[bytes] | None = None
        if self.stage:
            # New events wait on disk, not in memory, until everything has been checked.
            root = self.store.evidence.root
            root.mkdir(parents=True, exist_ok=True)
            result.spool = root / temp_name("bundle-events")
            spool = open(result.spool, "xb")  # noqa: SIM115  (closed below, also on failure)
        try:
            self._event_frames(reader, manifest, result, hashes, wanted, referenced, tracker, heads, spool)
        finally:
            if spool is not None:
                spool.close()

    def _event_frames(
        self,
        reader: HashingReader,
        manifest: Manifest,
        result: VerifiedBundle,
        hashes: dict[tuple[str, int], str],
        wanted: set[tuple[str, int]],
        referenced: dict[str, tuple[str, int]],
        tracker: ScopeTracker,
        heads: dict[str, int],
        spool: IO[bytes] | None,
    ) -> None:
        last: dict[str, tuple[int, str | None]] = {}
        last_at: dict[str, str] = {}
        now = verifying_now(self.store.clock)
        problems: list[str] = []
        for sig, raw in read_frames(reader):
            digest = event_hash(raw)
            try:
                event = check_envelope(raw, digest.hex(), sig)
            except EventRejected as exc:
                raise refuse("malformed_event_detail", hash=digest.hex()[:16], detail=exc.detail) from None
            where: dict[str, Any] = {"author": format_key_id(event.author), "seq": event.seq}
            rng = manifest.chains.get(event.author)
            if rng is None or not rng.first <= event.seq <= rng.last:
                raise refuse("outside_range", **where)
            prev_seq, prev_hash = last.get(event.author, (rng.first - 1, None))
            if event.seq <= prev_seq:
                raise refuse("duplicate", **where)
            if event.seq != prev_seq + 1:
                raise refuse("gap", first=prev_seq + 1, last=event.seq - 1, **where)
            self.learn(event)
            public = self.public_key(event.author)
            if public is None:
                raise refuse("unknown_key", **where)
            if not verify_sig(public, sig, digest):
                raise refuse("signature", **where)
            if not self.is_trusted(event.author):
                ident = self.bundle_identity.get(event.author)
                raise refuse("untrusted", name=ident.name if ident else "-", **where)
            if not registry.is_known(event.kind):
                raise refuse("unknown_kind", kind=event.kind, **where)
            if prev_hash is None:
                prev_hash = self._store_prev(event, where)
                previous_at = self.store.head_at(event.author, event.seq - 1)
            elif event.prev != prev_hash:
                raise refuse("chain_link", **where)
            else:
                previous_at = last_at.get(event.author)
            try:
                check_at(event.at, previous_at, now)
            except EventRejected as exc:
                raise refuse("bad_time", detail=exc.detail, **where) from None
            last_at[event.author] = event.at
            refused = self.authority(event)
            if refused is not None:
                code, role = refused
                raise refuse(f"authority_{code}", kind=event.kind, role=role or "-", **where)
            about = tracker.inspection_of(event.kind, event.body)
            if about is not None and about not in manifest.inspections:
                raise refuse("other_inspection", inspection=about, **where)
            last[event.author] = (event.seq, event.hash)
            if (event.author, event.seq) in wanted:
                hashes[(event.author, event.seq)] = event.hash
            if event.author not in heads:
                heads[event.author] = self.store.head(event.author)[0]
            known = self.store_hash(event.author, event.seq) if event.seq <= heads[event.author] else None
            if known is not None:
                if known != event.hash:
                    raise refuse("fork", **where)
                result.known_events += 1
                continue
            # The team rule on what is new (known events were judged when they entered the store).
            off_team = self.teams.problem(event, self.role_of(event.author))
            if off_team is not None:
                raise refuse("authority_team", kind=event.kind, role=off_team[1] or "-", **where)
            self.teams.learn(event)
            if event.kind == "evidence.attached" and isinstance(event.body.get("sha256"), str):
                referenced.setdefault(event.body["sha256"], (event.author, event.seq))
            result.new_count += 1
            if spool is not None:
                write_frame(spool, sig, raw)
        if sum(seq - manifest.chains[a].first + 1 for a, (seq, _h) in last.items()) != manifest.events:
            problems.append(t("bundle.problem.count", n=manifest.events))
        for author, rng in manifest.chains.items():
            seq, head = last.get(author, (0, None))
            if seq != rng.last or head != rng.head:
                problems.append(
                    t("bundle.problem.chain_short", author=format_key_id(author), seq=seq, last=rng.last)
                )
        if problems:
            raise refuse("cut_off", problems)

    def store_hash(self, author: str, seq: int) -> str | None:
        return _stored_hash(self.store, author, seq)

    def _store_prev(self, event: Event, where: dict[str, Any]) -> str | None:
        """The first event of an author's range must continue the chain this store holds."""
        if event.seq == 1:
            if event.prev is not None:
                raise refuse("chain_link", **where)
            return event.prev
        head_seq, _head = self.store.head(event.author)
        below = self.store_hash(event.author, event.seq - 1)
        if below is None:
            raise refuse("gap_store", have=head_seq, first=event.seq, **where)
        if event.prev != below:
            raise refuse("chain_link", **where)
        return event.prev

    def _read_checkpoints(self, reader: HashingReader) -> list[tuple[bytes, bytes, Checkpoint]]:
        out = []
        for sig, raw in read_frames(reader):
            try:
                out.append((raw, sig, Checkpoint.decode(raw, sig)))
            except (ValueError, KeyError, TypeError, AttributeError):
                raise refuse("checkpoint_malformed") from None
        return out

    def _checkpoints(
        self,
        checkpoints: list[tuple[bytes, bytes, Checkpoint]],
        manifest: Manifest,
        result: VerifiedBundle,
        hashes: dict[tuple[str, int], str],
    ) -> None:
        known = {cp.hash for cp in self.store.checkpoints()}
        for raw, sig, cp in checkpoints:
            public = self.public_key(cp.author)
            where: dict[str, Any] = {"author": format_key_id(cp.author), "seq": cp.seq}
            if public is None or not verify_sig(public, sig, bytes.fromhex(cp.hash)):
                raise refuse("checkpoint_signature", **where)
            if not self.is_trusted(cp.author):
                raise refuse("untrusted_checkpoint", **where)
            applicable = True
            for author, (seq, head) in sorted(cp.heads.items()):
                rng = manifest.chains.get(author)
                if rng is not None:
                    if seq > rng.last:
                        raise refuse(
                            "cut_off_checkpoint",
                            have=rng.last,
                            want=seq,
                            author=format_key_id(author),
                            seq=seq,
                        )
                    if seq >= rng.first and hashes.get((author, seq)) != head:
                        raise refuse("checkpoint_mismatch", author=format_key_id(author), seq=seq)
                stored = self.store_hash(author, seq)
                if stored is not None and stored != head:
                    raise refuse("checkpoint_mismatch", author=format_key_id(author), seq=seq)
                if rng is None and stored is None and self.store.head(author)[0] > 0:
                    # This store holds a shorter chain of an author the bundle does not carry: keeping the
                    # checkpoint would make the store look cut off, so it waits for a bundle with that chain.
                    applicable = False
            if cp.hash in known:
                continue
            if applicable:
                result.checkpoints.append(StoredCheckpoint(raw, sig))
                known.add(cp.hash)
            else:
                result.skipped_checkpoints.append(cp.hash)


def _stored_hash(store: Store, author: str, seq: int) -> str | None:
    row = store.connection.execute(
        "SELECT hash FROM events WHERE author = ? AND seq = ?", (author, seq)
    ).fetchone()
    return None if row is None else bytes(row[0]).hex()
