"""The store: a directory holding ``gradesec.db`` (journal + state, SQLite WAL) and ``evidence/``.

Writes go through ``append``/``append_many``/``import_events``: each opens one ``BEGIN IMMEDIATE``
transaction (SQLite's write lock, so two processes writing one store take turns; the busy timeout makes the
second wait instead of failing), reads the author's chain head inside it, inserts the signed canonical bytes
and runs the projectors on the same connection, then commits with ``synchronous=FULL``: once ``append``
returns, the event survives a crash or a power cut.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from gradesec.errors import GradesecError, KeyError_, NotFoundError, StorageError
from gradesec.i18n import t
from gradesec.journal.clock import Clock, default_clock, format_at
from gradesec.journal.database import (
    BUSY_TIMEOUT_S,
    DB_NAME,
    EVIDENCE_DIR,
    configure,
    connect,
    db_errors,
    is_busy,
)
from gradesec.journal.events import Checkpoint, Event, checkpoint_hash, envelope, event_hash
from gradesec.journal.evidence import BlobRef
from gradesec.journal.importing import ImportRefused, StoreImports
from gradesec.journal.keys import Identity, Signer, format_key_id, key_id_of
from gradesec.journal.reads import TrustedKeyInfo
from gradesec.journal.schema import JOURNAL_DDL, MIGRATIONS, SCHEMA_VERSION
from gradesec.state import registry
from gradesec.state.base import StateSchema, create_state_tables, state_schema
from gradesec.state.replay import rebuild

if TYPE_CHECKING:
    from gradesec.journal.verify import VerifyReport


class Store(StoreImports):
    """A journal of signed events, its state projection, and its evidence blobs.

    Opening, creating and writing live here; reading is ``StoreReads`` (``journal.reads``), importing
    ``StoreImports`` (``journal.importing``), the connection and write transaction ``StoreCore``
    (``journal.database``)."""

    @classmethod
    def create(cls, directory: Path | str, owner: Signer, clock: Clock | None = None) -> Store:
        """Make a new store owned by ``owner``: genesis (``store.created``) and ``key.identity`` events."""
        root = Path(directory)
        db_path = root / DB_NAME
        if db_path.exists():
            raise StorageError(t("journal.store.exists", path=str(root)), t("journal.store.exists.hint"))
        clock = clock or default_clock()
        with db_errors():
            # Owner-only from the start: findings are clients' vulnerabilities (issue 16).
            root.mkdir(parents=True, exist_ok=True, mode=0o700)
            (root / EVIDENCE_DIR).mkdir(exist_ok=True, mode=0o700)
            db_path.touch(mode=0o600, exist_ok=False)
            db = connect(db_path)
            store_id = uuid.uuid4().hex
            meta = {
                "schema_version": str(SCHEMA_VERSION),
                "store_id": store_id,
                "owner": owner.key_id,
                "owner_public_key": owner.public_bytes.hex(),
                "created_at": format_at(clock()),
            }
            try:
                db.execute("BEGIN IMMEDIATE")
                for statement in JOURNAL_DDL:
                    db.execute(statement)
                schema = create_state_tables(db)
                meta.update(_schema_meta(schema))
                db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sorted(meta.items()))
                store = cls(root, db, meta, clock)
                genesis = {"store": store_id, "public_key": owner.public_bytes.hex()}
                store._append_locked(owner, [("store.created", genesis)])
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                db.close()
                db_path.unlink(missing_ok=True)
                raise
        return store

    @classmethod
    def open(cls, directory: Path | str, clock: Clock | None = None) -> Store:
        """Open an existing store. Work is constant in the store's size (no scan of the journal)."""
        root = Path(directory)
        db_path = root / DB_NAME
        if not db_path.is_file():
            raise NotFoundError(t("journal.store.missing", path=str(root)), t("journal.store.missing.hint"))
        with db_errors():
            db = sqlite3.connect(
                db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            try:
                meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            except sqlite3.DatabaseError as exc:
                db.close()
                if is_busy(exc):
                    raise
                raise StorageError(
                    t("journal.store.not_a_store", path=str(root)), t("journal.store.missing.hint")
                ) from None
            configure(db)
            if "store_id" not in meta or "owner" not in meta:
                db.close()
                raise StorageError(
                    t("journal.store.not_a_store", path=str(root)), t("journal.store.missing.hint")
                )
            version = int(meta.get("schema_version", "0"))
            if version > SCHEMA_VERSION:
                db.close()
                raise StorageError(
                    t("journal.store.newer", path=str(root), version=version), t("journal.store.newer.hint")
                )
            store = cls(root, db, meta, clock or default_clock())
            store._migrate(version)
        return store

    def _migrate(self, version: int) -> None:
        """Bring the journal schema up to date, and rebuild the state if its tables changed."""
        schema = state_schema()
        if version == SCHEMA_VERSION and self.meta.get("state_fingerprint") == schema.fingerprint:
            return
        with self._write() as db:
            current = int(db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
            while current < SCHEMA_VERSION:
                MIGRATIONS[current](db)
                current += 1
            stored = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if stored.get("state_fingerprint") != schema.fingerprint:
                rebuild(db, json.loads(stored.get("state_tables", "[]")))
            updates = {"schema_version": str(SCHEMA_VERSION), **_schema_meta(schema)}
            db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", sorted(updates.items()))
            self.meta.update(updates)

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

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

    def _append_locked(self, signer: Signer, items: Sequence[tuple[str, dict[str, Any]]]) -> list[Event]:
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
        for kind, body in todo:
            seq += 1
            raw = envelope(kind, author, seq, prev, format_at(self.clock()), body)
            digest = event_hash(raw)
            sig = signer.sign(digest)
            cur = db.execute(insert, (author, seq, kind, digest, sig, raw))
            # Project the decoded stored bytes, exactly what a replay will see.
            event = Event.decode(raw, digest.hex(), sig, cur.lastrowid)
            registry.apply(db, event)
            out.append(event)
            prev = event.hash
        return out[len(out) - len(items) :]

    def checkpoint(self, signer: Signer) -> Checkpoint:
        """Sign a statement of every chain head this store holds now (written on close and on export)."""
        with self._write() as db:
            self._check_may_write(db, signer)
            heads = self._all_heads(db)
            if signer.key_id not in heads:
                self._append_locked(signer, [])
                heads = self._all_heads(db)
            seq, head = heads[signer.key_id]
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
            mark = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0])
            db.execute(
                "INSERT INTO checkpoints (author, seq, hash, sig, raw, local_mark) VALUES (?, ?, ?, ?, ?, ?)",
                (signer.key_id, seq, digest, sig, payload, mark),
            )
            return Checkpoint.decode(payload, sig)

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

    def trust(self, signer: Signer, public_key_bytes: bytes, identity: Identity) -> Event:
        """The owner (``signer``) declares that this store trusts another key."""
        if signer.key_id != self.owner:
            raise KeyError_(t("journal.error.not_owner"), t("journal.error.not_owner.hint"))
        body = {
            "key": key_id_of(public_key_bytes),
            "public_key": public_key_bytes.hex(),
            **identity.as_dict(),
        }
        return self.append(signer, "key.trusted", body)

    def attach_evidence(
        self,
        signer: Signer,
        path: Path | str,
        target_kind: str,
        target_id: str,
        *,
        name: str | None = None,
        media_type: str | None = None,
    ) -> Event:
        """Store a file as evidence and record an ``evidence.attached`` event pointing at ``target``."""
        import mimetypes

        path = Path(path)
        ref = self.evidence.put(path)
        media = media_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        body = {
            "sha256": ref.sha256,
            "name": name or path.name,
            "size": ref.size,
            "media_type": media,
            "target": {"kind": target_kind, "id": target_id},
        }
        return self.append(signer, "evidence.attached", body)

    def rebuild_state(self, progress: Callable[[int], None] | None = None) -> None:
        """Drop the state tables and rebuild them from the journal."""
        with self._write() as db:
            rebuild(db, json.loads(self.meta.get("state_tables", "[]")), progress)

    def verify(
        self,
        progress: Callable[[int], None] | None = None,
        workers: int | None = None,
        *,
        since_checkpoint: bool = False,
    ) -> VerifyReport:
        """Check everything (see ``gradesec.journal.verify``); never raises for what it finds."""
        from gradesec.journal.verify import verify_store

        return verify_store(self, progress=progress, workers=workers, since_checkpoint=since_checkpoint)


def _schema_meta(schema: StateSchema) -> dict[str, str]:
    return {"state_fingerprint": schema.fingerprint, "state_tables": json.dumps(list(schema.tables))}


def _identity_body(signer: Signer) -> dict[str, Any]:
    return {"key": signer.key_id, "public_key": signer.public_bytes.hex(), **signer.identity.as_dict()}


__all__ = [
    "BUSY_TIMEOUT_S",
    "DB_NAME",
    "EVIDENCE_DIR",
    "BlobRef",
    "ImportRefused",
    "Store",
    "TrustedKeyInfo",
]
