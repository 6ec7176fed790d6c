"""Who is who in a store: identities, trusted keys, and evidence attachments.

Projected from ``store.created``, ``key.identity``, ``key.trusted`` and ``evidence.attached``.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from sqlmodel import Field, SQLModel

from gradesec.state.registry import projector, register_kind

if TYPE_CHECKING:
    from gradesec.journal.events import Event


class StoreInfo(SQLModel, table=True):
    """Stores known from their genesis events; ``home`` marks this store (the first event of its journal)."""

    __tablename__ = "store_info"

    store_id: str = Field(primary_key=True)
    owner: str
    home: bool
    created_at: str
    event_hash: str


class KeyIdentity(SQLModel, table=True):
    """A key's self-declared identity (name, role, organisation). Latest by (at, hash) wins."""

    __tablename__ = "key_identity"

    key_id: str = Field(primary_key=True)
    public_key: str
    name: str
    role: str
    org: str
    at: str
    event_hash: str


class TrustedKey(SQLModel, table=True):
    """A key this store trusts, with the identity the trusting owner vouched for."""

    __tablename__ = "trusted_key"

    key_id: str = Field(primary_key=True)
    public_key: str
    name: str
    role: str
    org: str
    trusted_by: str
    at: str
    event_hash: str


class EvidenceAttachment(SQLModel, table=True):
    """A blob attached to something (a finding, a remediation item, a drill…), by whom and when."""

    __tablename__ = "evidence_attachment"

    event_hash: str = Field(primary_key=True)
    sha256: str = Field(index=True)
    name: str
    size: int
    media_type: str
    target_kind: str = Field(index=True)
    target_id: str = Field(index=True)
    author: str
    at: str


register_kind("store.created", summary="genesis: binds the store id to its owner's key")
register_kind("key.identity", summary="a key declares its holder's name, role and organisation")
register_kind("key.trusted", summary="the owner trusts another key")
register_kind("evidence.attached", summary="a content-addressed blob is attached to a target")
register_kind("checkpoint.recorded", summary="the heads of every chain the store held, in the author's chain")
register_kind("witness.recorded", summary="another store's checkpoint, seen in a bundle this store imported")


@projector("store.created")
def _store_created(db: sqlite3.Connection, event: Event) -> None:
    # The genesis event is the first event of every journal, so the first store.created seen is this store;
    # later ones arrive with other people's chains (bundles) and name the stores those chains began in.
    home = db.execute("SELECT 1 FROM store_info WHERE home").fetchone() is None
    db.execute(
        "INSERT OR IGNORE INTO store_info (store_id, owner, home, created_at, event_hash) VALUES (?, ?, ?, ?, ?)",
        (event.body["store"], event.author, home, event.at, event.hash),
    )


def home_owner(db: sqlite3.Connection) -> str | None:
    """The key id of this store's owner (None before the genesis event)."""
    row = db.execute("SELECT owner FROM store_info WHERE home").fetchone()
    return None if row is None else str(row[0])


def _later(db: sqlite3.Connection, table: str, key_id: str, at: str, event_hash: str) -> bool:
    """True when (at, hash) is later than the row we hold, or there is none (order-insensitive upsert)."""
    row = db.execute(f"SELECT at, event_hash FROM {table} WHERE key_id = ?", (key_id,)).fetchone()
    return row is None or (at, event_hash) > (row[0], row[1])


@projector("key.identity")
def _key_identity(db: sqlite3.Connection, event: Event) -> None:
    body = event.body
    # A key speaks only for itself: an identity event names its author's key.
    if body["key"] != event.author or not _later(db, "key_identity", event.author, event.at, event.hash):
        return
    db.execute(
        "INSERT OR REPLACE INTO key_identity (key_id, public_key, name, role, org, at, event_hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            body["key"],
            body["public_key"],
            body["name"],
            body["role"],
            body.get("org", ""),
            event.at,
            event.hash,
        ),
    )


@projector("key.trusted")
def _key_trusted(db: sqlite3.Connection, event: Event) -> None:
    body = event.body
    # Only the owner's word makes a key trusted here; key.trusted events that travel in with other people's
    # chains speak for their own stores.
    if event.author != home_owner(db):
        return
    if not _later(db, "trusted_key", body["key"], event.at, event.hash):
        return
    db.execute(
        "INSERT OR REPLACE INTO trusted_key (key_id, public_key, name, role, org, trusted_by, at, event_hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            body["key"],
            body["public_key"],
            body.get("name", ""),
            body.get("role", ""),
            body.get("org", ""),
            event.author,
            event.at,
            event.hash,
        ),
    )


@projector("evidence.attached")
def _evidence_attached(db: sqlite3.Connection, event: Event) -> None:
    body = event.body
    target = body["target"]
    db.execute(
        "INSERT INTO evidence_attachment"
        " (event_hash, sha256, name, size, media_type, target_kind, target_id, author, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            event.hash,
            body["sha256"],
            body["name"],
            body["size"],
            body["media_type"],
            target["kind"],
            target["id"],
            event.author,
            event.at,
        ),
    )
