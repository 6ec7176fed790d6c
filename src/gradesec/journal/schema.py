"""The journal's own tables (not state: these are the source of truth) and their migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

SCHEMA_VERSION = 1

JOURNAL_DDL = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # id is the journal order. author/seq/kind/hash are copies of what raw says, for indexes; verification
    # always re-derives them from raw and reports any difference.
    "CREATE TABLE events ("
    " id INTEGER PRIMARY KEY,"
    " author TEXT NOT NULL,"
    " seq INTEGER NOT NULL,"
    " kind TEXT NOT NULL,"
    " hash BLOB NOT NULL,"
    " sig BLOB NOT NULL,"
    " raw BLOB NOT NULL)",
    "CREATE UNIQUE INDEX events_chain ON events (author, seq)",
    # Only the few key events are indexed by kind: verification reads them first to learn public keys and trust.
    "CREATE INDEX events_keys ON events (kind) WHERE kind IN ('store.created', 'key.identity', 'key.trusted')",
    "CREATE TABLE checkpoints ("
    " id INTEGER PRIMARY KEY,"
    " author TEXT NOT NULL,"
    " seq INTEGER NOT NULL,"
    " hash BLOB NOT NULL UNIQUE,"
    " sig BLOB NOT NULL,"
    " raw BLOB NOT NULL,"
    # The journal position when a local checkpoint was written (0 for imported ones); only a shortcut for
    # incremental verification, which still checks the signed heads.
    " local_mark INTEGER NOT NULL DEFAULT 0)",
)

# MIGRATIONS[n] upgrades a store from schema version n to n + 1, inside the open transaction.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}

KEY_KINDS = ("store.created", "key.identity", "key.trusted")
