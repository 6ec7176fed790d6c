"""Importing foreign events and checkpoints into a store, verified first and written in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gradesec.errors import IntegrityError
from gradesec.i18n import t
from gradesec.journal.authority import authority_problem
from gradesec.journal.events import Checkpoint, Event, StoredCheckpoint, StoredEvent, event_hash
from gradesec.journal.keys import format_key_id
from gradesec.journal.reads import StoreReads, learn_key
from gradesec.journal.schema import KEY_KINDS
from gradesec.journal.strict import EventRejected, check_at, check_envelope, verifying_now
from gradesec.state import registry


class ImportRefused(IntegrityError):
    """Foreign events failed a check; ``problems`` has one line per event and what is wrong with it."""

    def __init__(self, message: str, hint: str, problems: list[str]) -> None:
        super().__init__(message, hint)
        self.problems = problems


class StoreImports(StoreReads):
    """Taking in foreign events and checkpoints (bundles): all checked before anything is written."""

    def import_events(self, stored: Sequence[StoredEvent]) -> list[Event]:
        """Verify foreign events, then insert the new ones verbatim in one transaction (idempotent).

        Everything is checked before anything is written: hashes, signatures, trust of every author, known
        kinds, and that each author's events continue the chain this store holds without a gap or a fork.
        Raises ``IntegrityError`` (with one line per problem in ``problems``) and changes nothing if any fails.
        """
        problems: list[str] = []
        decoded: list[Event] = []
        now = verifying_now(self.clock)
        for item in stored:
            try:
                event = check_envelope(bytes(item.raw), event_hash(item.raw).hex(), bytes(item.sig))
            except EventRejected as exc:
                problems.append(t("journal.import.malformed_detail", hash=item.hash[:16], detail=exc.detail))
                continue
            if event.hash != item.hash:
                problems.append(t("journal.import.hash", author=format_key_id(event.author), seq=event.seq))
            decoded.append(event)
        with self._write() as db:
            pubkeys = self._public_keys(db)
            for event in decoded:
                if event.kind in KEY_KINDS:
                    learn_key(pubkeys, event.body.get("public_key"))
            trusted = self._trusted_ids(db)
            for event in decoded:
                if event.author == self.owner and event.kind == "key.trusted" and _sig_ok(pubkeys, event):
                    trusted.add(str(event.body.get("key")))
            seen: dict[tuple[str, int], Event] = {}
            for event in decoded:  # in the order given (a bundle's: the sender's journal order)
                where: dict[str, Any] = {"author": format_key_id(event.author), "seq": event.seq}
                if not _sig_ok(pubkeys, event):
                    problems.append(t("journal.import.signature", **where))
                if event.author not in trusted:
                    problems.append(t("journal.import.untrusted", **where))
                if not registry.is_known(event.kind):
                    problems.append(t("journal.import.unknown_kind", kind=event.kind, **where))
                seen[(event.author, event.seq)] = event
            new: list[Event] = []
            heads: dict[str, tuple[int, str | None]] = {}
            last_at: dict[str, str | None] = {}
            for (author, seq), event in seen.items():
                where = {"author": format_key_id(author), "seq": seq}
                row = db.execute(
                    "SELECT hash FROM events WHERE author = ? AND seq = ?", (author, seq)
                ).fetchone()
                if row is not None:
                    if bytes(row[0]).hex() != event.hash:
                        problems.append(t("journal.import.fork", **where))
                    continue
                head_seq, head_hash = heads.get(author) or self._head(db, author)
                if seq != head_seq + 1:
                    problems.append(t("journal.import.gap", first=head_seq + 1, last=seq - 1, **where))
                elif event.prev != head_hash:
                    problems.append(t("journal.import.link", **where))
                previous_at = (
                    last_at.get(author) if author in last_at else self._head_at(db, author, head_seq)
                )
                try:
                    check_at(event.at, previous_at, now)
                except EventRejected as exc:
                    problems.append(t("journal.import.time", detail=exc.detail, **where))
                last_at[author] = event.at
                heads[author] = (seq, event.hash)
                new.append(event)
            if problems:
                raise ImportRefused(
                    t("journal.import.refused", n=len(problems)), t("journal.import.refused.hint"), problems
                )
            insert = "INSERT INTO events (author, seq, kind, hash, sig, raw) VALUES (?, ?, ?, ?, ?, ?)"
            out: list[Event] = []
            # Inserted in the order given: every author's chain ascends (checked above), and rules that depend on
            # order (an inspection's team) are judged as the sender's store judged them.
            for event in new:
                cur = db.execute(
                    insert,
                    (event.author, event.seq, event.kind, bytes.fromhex(event.hash), event.sig, event.raw),
                )
                placed = Event.decode(event.raw, event.hash, event.sig, cur.lastrowid)
                # Authority is judged on the state as it stands before each event (trust granted earlier in
                # the same import included); one refusal rolls the whole import back.
                refused = authority_problem(db, placed)
                if refused is not None:
                    where = {"author": format_key_id(placed.author), "seq": placed.seq}
                    line = t(
                        f"journal.import.authority_{refused[0]}",
                        kind=placed.kind,
                        role=refused[1] or "-",
                        **where,
                    )
                    raise ImportRefused(
                        t("journal.import.refused", n=1), t("journal.import.refused.hint"), [line]
                    )
                registry.apply(db, placed)
                out.append(placed)
            return out

    def import_checkpoints(self, stored: Sequence[StoredCheckpoint]) -> int:
        """Keep checkpoints signed by trusted keys (idempotent); return how many were new."""
        added = 0
        with self._write() as db:
            pubkeys = self._public_keys(db)
            trusted = self._trusted_ids(db)
            rows = []
            for item in stored:
                try:
                    cp = Checkpoint.decode(bytes(item.raw), bytes(item.sig))
                except (ValueError, KeyError, TypeError):
                    raise IntegrityError(
                        t("journal.import.checkpoint_bad"), t("journal.import.refused.hint")
                    ) from None
                key = pubkeys.get(cp.author)
                if (
                    cp.author not in trusted
                    or key is None
                    or not _verify(key, cp.sig, bytes.fromhex(cp.hash))
                ):
                    raise IntegrityError(
                        t("journal.import.checkpoint_untrusted", author=format_key_id(cp.author), seq=cp.seq),
                        t("journal.import.refused.hint"),
                    )
                rows.append((cp.author, cp.seq, bytes.fromhex(cp.hash), cp.sig, cp.raw))
            for row in rows:
                cur = db.execute(
                    "INSERT OR IGNORE INTO checkpoints (author, seq, hash, sig, raw) VALUES (?, ?, ?, ?, ?)",
                    row,
                )
                added += cur.rowcount
        return added


def _verify(key: Ed25519PublicKey, sig: bytes, digest: bytes) -> bool:
    try:
        key.verify(sig, digest)
    except InvalidSignature:
        return False
    return True


def _sig_ok(keys: dict[str, Ed25519PublicKey], event: Event) -> bool:
    key = keys.get(event.author)
    return key is not None and _verify(key, event.sig, bytes.fromhex(event.hash))
