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
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gradesec.errors import GradesecError, IntegrityError, KeyError_, NotFoundError, StorageError
from gradesec.i18n import t
from gradesec.journal.clock import Clock, format_at, system_clock
from gradesec.journal.events import (
    Checkpoint,
    Event,
    StoredCheckpoint,
    StoredEvent,
    checkpoint_hash,
    envelope,
    event_hash,
)
from gradesec.journal.evidence import DISK_FULL_ERRNOS, BlobRef, EvidenceStore, disk_full_error
from gradesec.journal.keys import Identity, Signer, format_key_id, key_id_of
from gradesec.journal.schema import JOURNAL_DDL, KEY_KINDS, MIGRATIONS, SCHEMA_VERSION
from gradesec.state import registry
from gradesec.state.base import StateSchema, create_state_tables, state_schema
from gradesec.state.replay import rebuild

if TYPE_CHECKING:
    from sqlmodel import Session

    from gradesec.journal.verify import VerifyReport

DB_NAME = "gradesec.db"
EVIDENCE_DIR = "evidence"
BUSY_TIMEOUT_S = 30.0
SQLITE_FULL = 13
SQLITE_BUSY = 5
SQLITE_LOCKED = 6


class ImportRefused(IntegrityError):
    """Foreign events failed a check; ``problems`` has one line per event and what is wrong with it."""

    def __init__(self, message: str, hint: str, problems: list[str]) -> None:
        super().__init__(message, hint)
        self.problems = problems


@dataclass(frozen=True)
class TrustedKeyInfo:
    key_id: str
    public_key: bytes
    name: str
    role: str
    org: str
    owner: bool


def _map_db_error(exc: sqlite3.Error) -> GradesecError:
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == SQLITE_FULL:
        return disk_full_error()
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return StorageError(t("journal.store.locked"), t("journal.store.locked.hint"))
    return StorageError(t("journal.store.db_error", detail=str(exc)), t("journal.store.db_error.hint"))


@contextmanager
def _db_errors() -> Iterator[None]:
    """Turn SQLite and OS failures into clear ``StorageError``s (full disk, locked, damaged)."""
    try:
        yield
    except sqlite3.Error as exc:
        raise _map_db_error(exc) from None
    except OSError as exc:
        if exc.errno in DISK_FULL_ERRNOS:
            raise disk_full_error() from None
        raise StorageError(
            t("journal.store.db_error", detail=str(exc)), t("journal.store.db_error.hint")
        ) from None


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)


def _connect(db_path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    _configure(db)
    return db


def _configure(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA journal_mode=WAL")
    # FULL: the WAL is fsynced at every commit, so a committed event survives a power cut, not just a crash.
    db.execute("PRAGMA synchronous=FULL")


class Store:
    """A journal of signed events, its state projection, and its evidence blobs."""

    def __init__(self, root: Path, db: sqlite3.Connection, meta: dict[str, str], clock: Clock) -> None:
        self.root = root
        self.db_path = root / DB_NAME
        self._db = db
        self.meta = meta
        self.clock = clock
        self.store_id = meta["store_id"]
        self.owner = meta["owner"]
        self.evidence = EvidenceStore(root / EVIDENCE_DIR)
        self._lock = threading.RLock()
        self._engine: Any = None

    # Opening and creating

    @classmethod
    def create(cls, directory: Path | str, owner: Signer, clock: Clock | None = None) -> Store:
        """Make a new store owned by ``owner``: genesis (``store.created``) and ``key.identity`` events."""
        root = Path(directory)
        db_path = root / DB_NAME
        if db_path.exists():
            raise StorageError(t("journal.store.exists", path=str(root)), t("journal.store.exists.hint"))
        clock = clock or system_clock
        with _db_errors():
            root.mkdir(parents=True, exist_ok=True)
            (root / EVIDENCE_DIR).mkdir(exist_ok=True)
            db = _connect(db_path)
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
        with _db_errors():
            db = sqlite3.connect(
                db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            try:
                meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            except sqlite3.DatabaseError as exc:
                db.close()
                if _is_busy(exc):
                    raise
                raise StorageError(
                    t("journal.store.not_a_store", path=str(root)), t("journal.store.missing.hint")
                ) from None
            _configure(db)
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
            store = cls(root, db, meta, clock or system_clock)
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

    # Writing

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; the SQLite write lock serialises writers across processes."""
        with self._lock, _db_errors():
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

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

    def _head(self, db: sqlite3.Connection, author: str) -> tuple[int, str | None]:
        row = db.execute(
            "SELECT seq, hash FROM events WHERE author = ? ORDER BY seq DESC LIMIT 1", (author,)
        ).fetchone()
        return (0, None) if row is None else (int(row[0]), bytes(row[1]).hex())

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

    # Importing (bundles)

    def import_events(self, stored: Sequence[StoredEvent]) -> list[Event]:
        """Verify foreign events, then insert the new ones verbatim in one transaction (idempotent).

        Everything is checked before anything is written: hashes, signatures, trust of every author, known
        kinds, and that each author's events continue the chain this store holds without a gap or a fork.
        Raises ``IntegrityError`` (with one line per problem in ``problems``) and changes nothing if any fails.
        """
        problems: list[str] = []
        decoded: list[Event] = []
        for item in stored:
            try:
                event = Event.decode(bytes(item.raw), event_hash(item.raw).hex(), bytes(item.sig))
            except (ValueError, KeyError, TypeError):
                problems.append(t("journal.import.malformed", hash=item.hash[:16]))
                continue
            if event.hash != item.hash:
                problems.append(t("journal.import.hash", author=format_key_id(event.author), seq=event.seq))
            decoded.append(event)
        with self._write() as db:
            pubkeys = self._public_keys(db)
            for event in decoded:
                if event.kind in KEY_KINDS:
                    _learn_key(pubkeys, event.body.get("public_key"))
            trusted = self._trusted_ids(db)
            for event in decoded:
                if event.author == self.owner and event.kind == "key.trusted" and _sig_ok(pubkeys, event):
                    trusted.add(str(event.body.get("key")))
            seen: dict[tuple[str, int], Event] = {}
            for event in sorted(decoded, key=lambda e: (e.author, e.seq)):
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
            for (author, seq), event in sorted(seen.items()):
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
                heads[author] = (seq, event.hash)
                new.append(event)
            if problems:
                raise ImportRefused(
                    t("journal.import.refused", n=len(problems)), t("journal.import.refused.hint"), problems
                )
            insert = "INSERT INTO events (author, seq, kind, hash, sig, raw) VALUES (?, ?, ?, ?, ?, ?)"
            out: list[Event] = []
            # Journal order keeps every author's chain ascending; authors are taken in sorted order.
            for event in new:
                cur = db.execute(
                    insert,
                    (event.author, event.seq, event.kind, bytes.fromhex(event.hash), event.sig, event.raw),
                )
                placed = Event.decode(event.raw, event.hash, event.sig, cur.lastrowid)
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

    # Reading

    def _public_keys(self, db: sqlite3.Connection) -> dict[str, Ed25519PublicKey]:
        """Public keys by key id, from the key events (self-certifying: a key id is the hash of its key)."""
        keys: dict[str, Ed25519PublicKey] = {}
        _learn_key(keys, self.meta.get("owner_public_key"))
        for (raw,) in db.execute(
            "SELECT raw FROM events WHERE kind IN ('store.created', 'key.identity', 'key.trusted')"
        ):
            try:
                body = json.loads(raw)["body"]
            except (ValueError, KeyError, TypeError):
                continue
            _learn_key(keys, body.get("public_key") if isinstance(body, dict) else None)
        return keys

    def _trusted_ids(self, db: sqlite3.Connection) -> set[str]:
        return {self.owner} | {str(r[0]) for r in db.execute("SELECT key_id FROM trusted_key")}

    def trusted_keys(self) -> list[TrustedKeyInfo]:
        """The owner and the keys the owner trusts, as the state holds them."""
        with self._lock, _db_errors():
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
        with self._lock, _db_errors():
            return {
                str(kid): Identity(name, role, org)
                for kid, name, role, org in self._db.execute(
                    "SELECT key_id, name, role, org FROM key_identity"
                )
            }

    def public_key_of(self, key_id: str) -> bytes | None:
        with self._lock, _db_errors():
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
        with self._lock, _db_errors():
            rows = self._db.execute("SELECT raw, sig FROM checkpoints ORDER BY id").fetchall()
        return [Checkpoint.decode(bytes(raw), bytes(sig)) for raw, sig in rows]

    def count(self) -> int:
        """Number of events (a full count: O(n), not for hot paths)."""
        with self._lock, _db_errors():
            return int(self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def head(self, author: str) -> tuple[int, str | None]:
        """``(seq, hash)`` of ``author``'s latest event here, ``(0, None)`` if none."""
        with self._lock, _db_errors():
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

    def rebuild_state(self, progress: Callable[[int], None] | None = None) -> None:
        """Drop the state tables and rebuild them from the journal."""
        with self._write() as db:
            rebuild(db, json.loads(self.meta.get("state_tables", "[]")), progress)

    @property
    def connection(self) -> sqlite3.Connection:
        """The write connection (for gradesec.journal and gradesec.state only)."""
        return self._db


def _schema_meta(schema: StateSchema) -> dict[str, str]:
    return {"state_fingerprint": schema.fingerprint, "state_tables": json.dumps(list(schema.tables))}


def _identity_body(signer: Signer) -> dict[str, Any]:
    return {"key": signer.key_id, "public_key": signer.public_bytes.hex(), **signer.identity.as_dict()}


def _learn_key(keys: dict[str, Ed25519PublicKey], hex_key: object) -> None:
    if not isinstance(hex_key, str):
        return
    try:
        raw = bytes.fromhex(hex_key)
        keys.setdefault(key_id_of(raw), Ed25519PublicKey.from_public_bytes(raw))
    except ValueError:
        return


def _verify(key: Ed25519PublicKey, sig: bytes, digest: bytes) -> bool:
    try:
        key.verify(sig, digest)
    except InvalidSignature:
        return False
    return True


def _sig_ok(keys: dict[str, Ed25519PublicKey], event: Event) -> bool:
    key = keys.get(event.author)
    return key is not None and _verify(key, event.sig, bytes.fromhex(event.hash))


__all__ = ["BlobRef", "ImportRefused", "Store", "TrustedKeyInfo"]
