"""The store: a directory holding ``gradesec.db`` (journal + state, SQLite WAL) and ``evidence/``.

Creating, opening (with its checks and migrations), trust, evidence attachment, state rebuild and verify live
here; the parts are ``StoreCore`` (``journal.database``: the connection, the write transaction and
``transaction()``), ``StoreReads`` (``journal.reads``), ``StoreImports`` (``journal.importing``) and
``StoreWrites`` (``journal.writing``: append and checkpoints).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from gradesec.errors import IntegrityError, KeyError_, NotFoundError, StorageError
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
from gradesec.journal.events import Event
from gradesec.journal.evidence import BlobRef
from gradesec.journal.importing import ImportRefused
from gradesec.journal.keys import Identity, Signer, key_id_of
from gradesec.journal.reads import TrustedKeyInfo
from gradesec.journal.safety import (
    JOURNAL_TABLES,
    check_meta,
    check_schema,
    recover_placing,
    sweep_temp_files,
)
from gradesec.journal.schema import JOURNAL_DDL, MIGRATIONS, SCHEMA_VERSION
from gradesec.journal.writing import CHECKPOINT_EVERY, CheckpointRef, StoreWrites
from gradesec.state.base import StateSchema, create_state_tables, state_schema
from gradesec.state.replay import rebuild

if TYPE_CHECKING:
    from gradesec.journal.verify import VerifyReport


class Store(StoreWrites):
    """A journal of signed events, its state projection, and its evidence blobs.

    Opening and creating live here; appending and checkpoints are ``StoreWrites`` (``journal.writing``),
    reading ``StoreReads`` (``journal.reads``), importing ``StoreImports`` (``journal.importing``), the
    connection, the write transaction and ``transaction()`` ``StoreCore`` (``journal.database``)."""

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
            try:
                configure(db)
                version = check_meta(db, root, meta)
                if version > SCHEMA_VERSION:
                    raise StorageError(
                        t("journal.store.newer", path=str(root), version=version),
                        t("journal.store.newer.hint"),
                    )
                check_schema(db, root)
            except BaseException:
                db.close()
                raise
            store = cls(root, db, meta, clock or default_clock())
            store._migrate(version)
            recover_placing(root / EVIDENCE_DIR, store._names_blob)
            sweep_temp_files(root / EVIDENCE_DIR)
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
                rebuild(db, _state_tables(stored, self.root))
            updates = {"schema_version": str(SCHEMA_VERSION), **_schema_meta(schema)}
            db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", sorted(updates.items()))
            self.meta.update(updates)

    def _names_blob(self, sha256: str) -> bool:
        """Whether an event attaches this blob (``evidence.attached``, projected into ``evidence_attachment``)."""
        row = self._db.execute("SELECT 1 FROM evidence_attachment WHERE sha256 = ? LIMIT 1", (sha256,))
        return row.fetchone() is not None

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
            rebuild(db, _state_tables(self.meta, self.root), progress)

    def verify(
        self,
        progress: Callable[[int], None] | None = None,
        workers: int | None = None,
        *,
        since_checkpoint: bool = False,
        witness: str | None = None,
    ) -> VerifyReport:
        """Check everything (see ``gradesec.journal.verify``); never raises for what it finds."""
        from gradesec.journal.verify import verify_store

        return verify_store(
            self, progress=progress, workers=workers, since_checkpoint=since_checkpoint, witness=witness
        )


def _state_tables(meta: dict[str, str], root: Path) -> list[str]:
    """The state tables ``meta`` lists (unsigned: only names of tables to drop, never the journal's own)."""
    try:
        names = json.loads(meta.get("state_tables", "[]"))
    except ValueError:
        names = None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise IntegrityError(
            t("journal.store.bad_meta", key="state_tables", path=str(root)), t("journal.store.bad_meta.hint")
        )
    return [n for n in names if n not in JOURNAL_TABLES]


def _schema_meta(schema: StateSchema) -> dict[str, str]:
    return {"state_fingerprint": schema.fingerprint, "state_tables": json.dumps(list(schema.tables))}


__all__ = [
    "BUSY_TIMEOUT_S",
    "CHECKPOINT_EVERY",
    "DB_NAME",
    "EVIDENCE_DIR",
    "BlobRef",
    "CheckpointRef",
    "ImportRefused",
    "Store",
    "TrustedKeyInfo",
]
