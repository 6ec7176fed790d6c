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
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from gradesec.errors import GradesecError, IntegrityError, KeyError_, NotFoundError, StorageError
from gradesec.i18n import t
from gradesec.journal.authority import authority_problem
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
from gradesec.journal.safety import JOURNAL_TABLES, check_meta, check_schema, sweep_temp_files
from gradesec.journal.schema import JOURNAL_DDL, MIGRATIONS, SCHEMA_VERSION
from gradesec.journal.strict import EventRejected, check_body, check_envelope
from gradesec.state import registry
from gradesec.state.base import StateSchema, create_state_tables, state_schema
from gradesec.state.replay import rebuild

if TYPE_CHECKING:
    from gradesec.journal.verify import VerifyReport


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


def _identity_body(signer: Signer) -> dict[str, Any]:
    return {"key": signer.key_id, "public_key": signer.public_bytes.hex(), **signer.identity.as_dict()}


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
