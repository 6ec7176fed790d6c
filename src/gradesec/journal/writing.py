"""The write path of a store: signing and appending events (``append``/``append_many``), checkpoints, and
the automatic checkpoint every ``CHECKPOINT_EVERY`` events.

Each call opens one ``BEGIN IMMEDIATE`` transaction (SQLite's write lock, so two processes writing one store
take turns; the busy timeout makes the second wait instead of failing), reads the author's chain head inside
it, inserts the signed canonical bytes and runs the projectors on the same connection, then commits with
``synchronous=FULL``: once ``append`` returns, the event survives a crash or a power cut. Inside
``Store.transaction()`` (``journal.database``) the calls join the open transaction instead.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gradesec.errors import GradesecError, KeyError_
from gradesec.i18n import t
from gradesec.journal.authority import authority_problem
from gradesec.journal.clock import format_at
from gradesec.journal.database import db_errors
from gradesec.journal.events import Checkpoint, Event, checkpoint_hash, envelope, event_hash
from gradesec.journal.importing import StoreImports
from gradesec.journal.keys import Signer, format_key_id
from gradesec.journal.strict import EventRejected, check_body, check_envelope
from gradesec.state import registry

if TYPE_CHECKING:
    from sqlmodel import Session

CHECKPOINT_EVERY = 1000
"""A chain gets a checkpoint event at least every this many events (besides close, export, import, leaving
the TUI)."""


@dataclass(frozen=True)
class CheckpointRef:
    """Where a store's latest checkpoint is: enough for someone else to keep as a witness."""

    store: str
    author: str
    seq: int
    hash: str
    at: str

    @property
    def label(self) -> str:
        return f"{self.hash} ({format_key_id(self.author)} #{self.seq}, {self.at})"

    def as_dict(self) -> dict[str, Any]:
        return {"store": self.store, "author": self.author, "seq": self.seq, "hash": self.hash, "at": self.at}


class _Joined:
    """The writing connection as a SQLModel session inside ``transaction()`` sees it: committing and rolling
    back belong to the transaction, closing to the store."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)


class StoreWrites(StoreImports):
    """Appending signed events and checkpoints (``Store`` adds opening, creating, trust and evidence)."""

    def session(self) -> Session:
        """A SQLModel session on the state tables; inside this thread's ``transaction()`` it reads through the
        writing connection, so it sees what the transaction wrote so far (for reading only)."""
        if not self.in_transaction:
            return super().session()
        from sqlalchemy import create_engine
        from sqlalchemy.pool import StaticPool
        from sqlmodel import Session

        joined = _Joined(self._db)
        engine = create_engine(
            "sqlite://", creator=lambda: joined, poolclass=StaticPool, pool_reset_on_return=None
        )
        return Session(engine)

    def append(self, signer: Signer, kind: str, body: dict[str, Any]) -> Event:
        """Sign and store one event; its projection is written in the same transaction."""
        return self.append_many(signer, [(kind, body)])[-1]

    def append_many(self, signer: Signer, items: Sequence[tuple[str, dict[str, Any]]]) -> list[Event]:
        """Sign and store several events by one author in one transaction (all or nothing)."""
        for kind, body in items:
            if not registry.is_known(kind):
                raise GradesecError(
                    t("journal.error.unknown_kind", kind=kind), t("journal.error.unknown_kind.hint")
                )
            if not isinstance(body, dict):
                raise GradesecError(
                    t("journal.error.body_not_object", kind=kind), t("journal.error.not_canonical.hint")
                )
            try:
                check_body(kind, body)
            except EventRejected as exc:
                raise GradesecError(
                    t("journal.error.bad_body", kind=kind, detail=exc.detail),
                    t("journal.error.bad_body.hint"),
                ) from None
        with self._write() as db:
            self._check_may_write(db, signer)
            return self._append_locked(signer, items)

    def _check_may_write(self, db: sqlite3.Connection, signer: Signer) -> None:
        if signer.key_id == self.owner:
            return
        if db.execute("SELECT 1 FROM trusted_key WHERE key_id = ?", (signer.key_id,)).fetchone() is None:
            raise KeyError_(
                t("journal.error.untrusted_signer", key=format_key_id(signer.key_id), name=signer.name),
                t("journal.error.untrusted_signer.hint"),
            )

    def _append_locked(
        self, signer: Signer, items: Sequence[tuple[str, dict[str, Any]]], *, auto_checkpoint: bool = True
    ) -> list[Event]:
        db = self._db
        author = signer.key_id
        seq, prev = self._head(db, author)
        todo = list(items)
        if seq == 0 and todo and todo[0][0] == "store.created":
            todo.insert(1, ("key.identity", _identity_body(signer)))
        elif seq == 0:
            # Every chain opens by saying whose it is.
            todo.insert(0, ("key.identity", _identity_body(signer)))
        out: list[Event] = []
        insert = "INSERT INTO events (author, seq, kind, hash, sig, raw) VALUES (?, ?, ?, ?, ?, ?)"
        # An author's chain never goes back in time: a clock set back dates events at the previous one.
        last_at = self._head_at(db, author, seq)
        roles: dict[str, str] = {}  # the author's role, looked up once per batch (cleared by role events)
        for kind, body in todo:
            seq += 1
            at = format_at(self.clock())
            if last_at is not None and at < last_at:
                at = last_at
            raw = envelope(kind, author, seq, prev, at, body)
            digest = event_hash(raw)
            sig = signer.sign(digest)
            # Decode the stored bytes with the one validator, and project exactly what a replay will see.
            try:
                event = check_envelope(raw, digest.hex(), sig)
            except EventRejected as exc:
                raise GradesecError(
                    t("journal.error.bad_body", kind=kind, detail=exc.detail),
                    t("journal.error.bad_body.hint"),
                ) from None
            refused = authority_problem(db, event, roles)
            if refused is not None:
                raise KeyError_(
                    t(f"journal.error.authority_{refused[0]}", kind=kind, role=refused[1] or "-"),
                    t("journal.error.authority.hint"),
                )
            cur = db.execute(insert, (author, seq, kind, digest, sig, raw))
            event = Event(  # the validated event, now with its place in the journal
                event.kind,
                event.author,
                event.seq,
                event.prev,
                event.at,
                event.body,
                event.hash,
                event.sig,
                event.raw,
                event.v,
                cur.lastrowid,
            )
            registry.apply(db, event)
            out.append(event)
            prev = event.hash
            last_at = at
        if auto_checkpoint and seq - self._last_checkpoint_seq(db, author) >= CHECKPOINT_EVERY:
            self._checkpoint_locked(db, signer)
        return out[len(out) - len(items) :]

    def checkpoint(self, signer: Signer, *, extra: Sequence[tuple[str, dict[str, Any]]] = ()) -> Checkpoint:
        """Record the heads of every chain this store holds now: a ``checkpoint.recorded`` event in the
        signer's chain (so removing it breaks the chain), and the same heads as a signed checkpoint row that
        bundles carry. ``extra`` events are appended first, in the same transaction (all or nothing)."""
        for kind, _body in extra:
            if not registry.is_known(kind):
                raise GradesecError(
                    t("journal.error.unknown_kind", kind=kind), t("journal.error.unknown_kind.hint")
                )
        with self._write() as db:
            self._check_may_write(db, signer)
            if extra:
                self._append_locked(signer, list(extra))
            return self._checkpoint_locked(db, signer)

    def _checkpoint_locked(self, db: sqlite3.Connection, signer: Signer) -> Checkpoint:
        heads = self._all_heads(db)
        body = {
            "store": self.store_id,
            "heads": {a: [s, h] for a, (s, h) in sorted(heads.items())},
            "count": sum(s for s, _ in heads.values()),
        }
        self._append_locked(signer, [("checkpoint.recorded", body)], auto_checkpoint=False)
        heads = self._all_heads(db)
        seq, head = heads[signer.key_id]
        self._cp_seq[signer.key_id] = seq
        payload = Checkpoint.payload(
            self.store_id,
            signer.key_id,
            seq,
            head,
            sum(s for s, _ in heads.values()),
            format_at(self.clock()),
            heads,
        )
        digest = checkpoint_hash(payload)
        sig = signer.sign(digest)
        db.execute(
            "INSERT INTO checkpoints (author, seq, hash, sig, raw) VALUES (?, ?, ?, ?, ?)",
            (signer.key_id, seq, digest, sig, payload),
        )
        return Checkpoint.decode(payload, sig)

    def _last_checkpoint_seq(self, db: sqlite3.Connection, author: str) -> int:
        """The seq of ``author``'s latest checkpoint event (0 if none): a backward walk of the chain, short
        because checkpoints come at least every ``CHECKPOINT_EVERY`` events; cached per open store."""
        cached = self._cp_seq.get(author)
        if cached is None:
            row = db.execute(
                "SELECT seq FROM events WHERE author = ? AND kind = 'checkpoint.recorded' ORDER BY seq DESC LIMIT 1",
                (author,),
            ).fetchone()
            cached = 0 if row is None else int(row[0])
            self._cp_seq[author] = cached
        return cached

    def latest_checkpoint(self) -> CheckpointRef | None:
        """The owner's latest checkpoint event (author, seq, hash, time): what bundles, reports and exports
        carry so that someone else can later prove this store was not rolled back before it."""
        with self._lock, db_errors():
            row = self._db.execute(
                "SELECT seq, hash, raw FROM events WHERE author = ? AND kind = 'checkpoint.recorded' AND id > 0"
                " ORDER BY seq DESC LIMIT 1",
                (self.owner,),
            ).fetchone()
        if row is None:
            return None
        try:
            at = str(json.loads(bytes(row[2]))["at"])
        except (ValueError, KeyError, TypeError):
            at = ""
        return CheckpointRef(self.store_id, self.owner, int(row[0]), bytes(row[1]).hex(), at)

    def _all_heads(self, db: sqlite3.Connection) -> dict[str, tuple[int, str]]:
        # A skip-scan over the (author, seq) index: cost grows with the number of authors, not of events.
        heads: dict[str, tuple[int, str]] = {}
        row = db.execute("SELECT author FROM events ORDER BY author LIMIT 1").fetchone()
        while row is not None:
            author = str(row[0])
            seq, head = self._head(db, author)
            heads[author] = (seq, head or "")
            row = db.execute(
                "SELECT author FROM events WHERE author > ? ORDER BY author LIMIT 1", (author,)
            ).fetchone()
        return heads


def _identity_body(signer: Signer) -> dict[str, Any]:
    return {"key": signer.key_id, "public_key": signer.public_bytes.hex(), **signer.identity.as_dict()}
