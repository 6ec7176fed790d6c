"""The store's SQLite side: file names, connection settings, failures mapped to ``StorageError``, and the
write transaction every change goes through (``StoreCore``).

``Store.transaction()`` makes several writes one: it opens one ``BEGIN IMMEDIATE`` and every append, checkpoint
or import inside it joins that transaction (each inside a savepoint, so a step that fails undoes only itself
when the caller catches it); the use cases' reads inside it go through the same connection (``in_transaction``)
and see what was written so far; evidence copied inside it is staged and only put in place just before the
commit. An exception leaves the journal, the state and ``evidence/`` as they were.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gradesec.errors import GradesecError, StorageError
from gradesec.i18n import t
from gradesec.journal.clock import Clock
from gradesec.journal.evidence import DISK_FULL_ERRNOS, EvidenceStore, disk_full_error

DB_NAME = "gradesec.db"
EVIDENCE_DIR = "evidence"
BUSY_TIMEOUT_S = 30.0
SQLITE_FULL = 13
SQLITE_BUSY = 5
SQLITE_LOCKED = 6


def map_db_error(exc: sqlite3.Error) -> GradesecError:
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == SQLITE_FULL:
        return disk_full_error()
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return StorageError(t("journal.store.locked"), t("journal.store.locked.hint"))
    return StorageError(t("journal.store.db_error", detail=str(exc)), t("journal.store.db_error.hint"))


@contextmanager
def db_errors() -> Iterator[None]:
    """Turn SQLite and OS failures into clear ``StorageError``s (full disk, locked, damaged)."""
    try:
        yield
    except sqlite3.Error as exc:
        raise map_db_error(exc) from None
    except OSError as exc:
        if exc.errno in DISK_FULL_ERRNOS:
            raise disk_full_error() from None
        raise StorageError(
            t("journal.store.db_error", detail=str(exc)), t("journal.store.db_error.hint")
        ) from None


def is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)


def connect(db_path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    configure(db)
    return db


def configure(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA journal_mode=WAL")
    # FULL: the WAL is fsynced at every commit, so a committed event survives a power cut, not just a crash.
    db.execute("PRAGMA synchronous=FULL")


class StoreCore:
    """What every part of a store shares: its paths, its one write connection and lock, and the write
    transaction. ``Store`` builds on it through ``StoreReads`` and ``StoreImports``."""

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
        self._cp_seq: dict[str, int] = {}  # author -> seq of their latest checkpoint event (a cache)
        self._depth = 0  # > 0 while ``transaction()`` is open (on the thread holding ``_lock``)
        self._owner_thread: int | None = None

    @property
    def in_transaction(self) -> bool:
        """Whether the calling thread has a ``transaction()`` open on this store (its reads should then go
        through ``connection``, which sees what the transaction wrote so far)."""
        return self._depth > 0 and self._owner_thread == threading.get_ident()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; the SQLite write lock serialises writers across processes. Inside an open
        ``transaction()`` it is a savepoint of that transaction instead."""
        with self._lock, db_errors():
            db = self._db
            if self._depth:
                with self._savepoint(db):
                    yield db
                return
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                self._cp_seq.clear()
                raise

    @contextmanager
    def _savepoint(self, db: sqlite3.Connection) -> Iterator[None]:
        name = f"gradesec_{self._depth}"
        db.execute(f"SAVEPOINT {name}")
        mark = self.evidence.staged_count()
        self._depth += 1
        try:
            yield
            db.execute(f"RELEASE {name}")
        except BaseException:
            self._cp_seq.clear()
            self.evidence.discard_staged(mark)
            if db.in_transaction:  # a failed statement may have ended the whole transaction already
                with contextlib.suppress(sqlite3.Error):
                    db.execute(f"ROLLBACK TO {name}")
                    db.execute(f"RELEASE {name}")
            raise
        finally:
            self._depth -= 1

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Make everything written inside one transaction: all of it is committed at the end, or nothing
        (journal, state projection and evidence blobs) if an exception leaves the block. Nested uses join the
        outer transaction (as a savepoint). Other threads' writes wait until it ends; other processes' wait
        on SQLite's lock (the busy timeout)."""
        with self._lock, db_errors():
            db = self._db
            if self._depth:
                with self._savepoint(db):
                    yield
                return
            db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            self._owner_thread = threading.get_ident()
            self.evidence.begin_staging()
            try:
                yield
                # Blobs go in place just before the commit: killed before, they are temporary files named
                # after this process (swept on the next open); killed between, the placing marker names them
                # and the next open removes those no event names (``journal.safety.recover_placing``).
                self.evidence.place_staged()
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):  # keep the exception that got us here
                        db.execute("ROLLBACK")
                self._cp_seq.clear()
                self.evidence.discard_staged(0)
                raise
            finally:
                self._depth = 0
                self._owner_thread = None
                self.evidence.end_staging()

    def _head(self, db: sqlite3.Connection, author: str) -> tuple[int, str | None]:
        row = db.execute(
            "SELECT seq, hash FROM events WHERE author = ? ORDER BY seq DESC LIMIT 1", (author,)
        ).fetchone()
        return (0, None) if row is None else (int(row[0]), bytes(row[1]).hex())

    def _head_at(self, db: sqlite3.Connection, author: str, seq: int) -> str | None:
        if seq == 0:
            return None
        row = db.execute("SELECT raw FROM events WHERE author = ? AND seq = ?", (author, seq)).fetchone()
        try:
            at = json.loads(row[0])["at"] if row else None
        except (ValueError, KeyError, TypeError):
            return None
        return at if isinstance(at, str) else None

    @property
    def connection(self) -> sqlite3.Connection:
        """The write connection (for gradesec.journal and gradesec.state only)."""
        return self._db
