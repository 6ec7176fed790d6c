"""Reading a store: who is trusted and who said what, events in journal order, checkpoints and heads."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gradesec.journal.database import BUSY_TIMEOUT_S, StoreCore, db_errors
from gradesec.journal.events import Checkpoint, Event
from gradesec.journal.keys import Identity, key_id_of

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class TrustedKeyInfo:
    key_id: str
    public_key: bytes
    name: str
    role: str
    org: str
    owner: bool


class StoreReads(StoreCore):
    """The read side of a store: keys and identities, events and checkpoints, chain heads, a SQLModel
    session on the state."""

    def _public_keys(self, db: sqlite3.Connection) -> dict[str, Ed25519PublicKey]:
        """Public keys by key id, from the key events (self-certifying: a key id is the hash of its key)."""
        keys: dict[str, Ed25519PublicKey] = {}
        learn_key(keys, self.meta.get("owner_public_key"))
        for (raw,) in db.execute(
            "SELECT raw FROM events WHERE kind IN ('store.created', 'key.identity', 'key.trusted')"
        ):
            try:
                body = json.loads(raw)["body"]
            except (ValueError, KeyError, TypeError):
                continue
            learn_key(keys, body.get("public_key") if isinstance(body, dict) else None)
        return keys

    def _trusted_ids(self, db: sqlite3.Connection) -> set[str]:
        return {self.owner} | {str(r[0]) for r in db.execute("SELECT key_id FROM trusted_key")}

    def trusted_keys(self) -> list[TrustedKeyInfo]:
        """The owner and the keys the owner trusts, as the state holds them."""
        with self._lock, db_errors():
            owner_row = self._db.execute(
                "SELECT name, role, org FROM key_identity WHERE key_id = ?", (self.owner,)
            ).fetchone()
            name, role, org = owner_row if owner_row else ("", "", "")
            out = [
                TrustedKeyInfo(
                    self.owner, bytes.fromhex(self.meta["owner_public_key"]), name, role, org, True
                )
            ]
            for kid, pub, name, role, org in self._db.execute(
                "SELECT key_id, public_key, name, role, org FROM trusted_key ORDER BY name, key_id"
            ):
                if kid != self.owner:
                    out.append(TrustedKeyInfo(kid, bytes.fromhex(pub), name, role, org, False))
        return out

    def known_identities(self) -> dict[str, Identity]:
        """Identities declared by every key whose events this store holds."""
        with self._lock, db_errors():
            return {
                str(kid): Identity(name, role, org)
                for kid, name, role, org in self._db.execute(
                    "SELECT key_id, name, role, org FROM key_identity"
                )
            }

    def public_key_of(self, key_id: str) -> bytes | None:
        with self._lock, db_errors():
            key = self._public_keys(self._db).get(key_id)
        if key is None:
            return None
        from cryptography.hazmat.primitives import serialization

        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def events(self, author: str | None = None, since_rowid: int = 0) -> Iterator[Event]:
        """Events in journal order (optionally one author's), read in batches from a separate connection."""
        db = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT_S)
        try:
            if author is None:
                cur = db.execute(
                    "SELECT id, hash, sig, raw FROM events WHERE id > ? ORDER BY id", (since_rowid,)
                )
            else:
                cur = db.execute(
                    "SELECT id, hash, sig, raw FROM events WHERE author = ? AND id > ? ORDER BY seq",
                    (author, since_rowid),
                )
            while rows := cur.fetchmany(1000):
                for rowid, h, sig, raw in rows:
                    yield Event.decode(bytes(raw), bytes(h).hex(), bytes(sig), rowid)
        finally:
            db.close()

    def checkpoints(self) -> list[Checkpoint]:
        with self._lock, db_errors():
            rows = self._db.execute("SELECT raw, sig FROM checkpoints ORDER BY id").fetchall()
        return [Checkpoint.decode(bytes(raw), bytes(sig)) for raw, sig in rows]

    def count(self) -> int:
        """Number of events (a full count: O(n), not for hot paths)."""
        with self._lock, db_errors():
            return int(self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def head_at(self, author: str, seq: int) -> str | None:
        """The time of ``author``'s event ``seq`` here (None if absent)."""
        with self._lock, db_errors():
            return self._head_at(self._db, author, seq)

    def head(self, author: str) -> tuple[int, str | None]:
        """``(seq, hash)`` of ``author``'s latest event here, ``(0, None)`` if none."""
        with self._lock, db_errors():
            return self._head(self._db, author)

    def session(self) -> Session:
        """A read-only SQLModel session on the state tables."""
        from sqlalchemy import create_engine, event
        from sqlmodel import Session

        with self._lock:
            if self._engine is None:
                engine = create_engine(f"sqlite:///{self.db_path}", connect_args={"timeout": BUSY_TIMEOUT_S})

                @event.listens_for(engine, "connect")
                def _read_only(dbapi_conn: Any, _record: Any) -> None:
                    # The state is written only by projectors inside appends; a session is a read side.
                    dbapi_conn.execute("PRAGMA query_only = ON")

                self._engine = engine
        return Session(self._engine)


def learn_key(keys: dict[str, Ed25519PublicKey], hex_key: object) -> None:
    if not isinstance(hex_key, str):
        return
    try:
        raw = bytes.fromhex(hex_key)
        keys.setdefault(key_id_of(raw), Ed25519PublicKey.from_public_bytes(raw))
    except ValueError:
        return
