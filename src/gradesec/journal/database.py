"""The store's SQLite side: file names, connection settings, failures mapped to ``StorageError``, and the
write transaction every change goes through (``StoreCore``).
"""

from __future__ import annotations

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

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; the SQLite write lock serialises writers across processes."""
        with self._lock, db_errors():
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                self._cp_seq.clear()
                raise

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
