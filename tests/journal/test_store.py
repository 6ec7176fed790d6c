"""The store: create/open, appends, chains, trust, checkpoints, imports, replay."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from gradesec.errors import GradesecError, KeyError_, NotFoundError, StorageError
from gradesec.journal import FrozenClock, ImportRefused, Signer, Store
from gradesec.journal.events import EVENT_DOMAIN
from gradesec.state.identity import EvidenceAttachment, KeyIdentity, StoreInfo, TrustedKey
from tests.journal.conftest import build_rich_store, make_signer
from tests.journal.notes_state import TestNote


def test_create_writes_genesis_and_identity(store: Store, owner: Signer) -> None:
    genesis, identity = list(store.events())
    assert (genesis.kind, genesis.seq, genesis.prev) == ("store.created", 1, None)
    assert genesis.body["store"] == store.store_id
    assert (identity.kind, identity.seq, identity.prev) == ("key.identity", 2, genesis.hash)
    assert identity.body["name"] == owner.name
    assert genesis.at == "2026-11-24T09:30:00.001Z"  # the frozen clock (its first tick went to created_at)
    assert store.verify().ok


def test_event_bytes_hash_and_signature(store: Store, owner: Signer) -> None:
    """Canonical bytes are stored verbatim; hash = SHA-256(domain + bytes); sig = Ed25519(hash)."""
    import hashlib

    event = store.append(owner, "test.note.set", {"text": "ü 测试", "id": "a"})
    assert event.raw.startswith(b'{"at":"2026-11-24T09:30:00.')
    assert event.raw == event.raw.strip() and b" " not in event.raw.replace(b"\xc3\xbc \xe6", b"")
    digest = hashlib.sha256(EVENT_DOMAIN + event.raw).digest()
    assert event.hash == digest.hex()
    owner.public_key().verify(event.sig, digest)
    row = store.connection.execute("SELECT raw FROM events WHERE id = ?", (event.rowid,)).fetchone()
    assert bytes(row[0]) == event.raw


def test_chain_per_author(store: Store, owner: Signer, inspector: Signer) -> None:
    store.trust(owner, inspector.public_bytes, inspector.identity)
    a = store.append(inspector, "test.count", {"n": 1})
    b = store.append(inspector, "test.count", {"n": 2})
    # An author's first event in a store is its identity.
    assert (a.seq, b.seq, b.prev) == (2, 3, a.hash)
    assert [e.kind for e in store.events(author=inspector.key_id)] == [
        "key.identity",
        "test.count",
        "test.count",
    ]
    assert store.head(inspector.key_id) == (3, b.hash)


def test_open_existing_missing_and_not_a_store(tmp_path: Path, store: Store) -> None:
    reopened = Store.open(store.root)
    assert reopened.store_id == store.store_id
    reopened.close()
    with pytest.raises(NotFoundError, match="no gradesec store"):
        Store.open(tmp_path / "nowhere")
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "gradesec.db").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(StorageError, match="not a gradesec store"):
        Store.open(junk)
    with pytest.raises(StorageError, match="already a gradesec store"):
        Store.create(store.root, make_signer("x"))


def test_newer_schema_refused(store: Store) -> None:
    store.connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StorageError, match="newer gradesec"):
        Store.open(store.root)


def test_untrusted_signer_and_unknown_kind_refused(store: Store, stranger: Signer, owner: Signer) -> None:
    with pytest.raises(KeyError_, match="does not trust"):
        store.append(stranger, "test.count", {"n": 1})
    with pytest.raises(GradesecError, match="Unknown event kind"):
        store.append(owner, "no.such.kind", {})
    with pytest.raises(GradesecError, match="exactly as JSON"):
        store.append(owner, "test.count", {"n": 2**60})
    with pytest.raises(KeyError_, match="owner"):
        store.trust(stranger, stranger.public_bytes, stranger.identity)
    assert store.count() == 2


def test_append_many_is_one_transaction(store: Store, owner: Signer) -> None:
    """A projector refusing the third event rolls back the first two as well."""
    with pytest.raises(ValueError):
        store.append_many(owner, [("test.count", {"n": 1}), ("test.count", {"n": 2}), ("test.fail", {})])
    assert store.count() == 2
    assert store.connection.execute("SELECT COUNT(*) FROM test_counter").fetchone()[0] == 0
    events = store.append_many(owner, [("test.count", {"n": i}) for i in range(5)])
    assert [e.seq for e in events] == [3, 4, 5, 6, 7]
    assert store.verify().ok


def test_session_reads_state_and_is_read_only(store: Store, owner: Signer, inspector: Signer) -> None:
    store.trust(owner, inspector.public_bytes, inspector.identity)
    store.append(inspector, "test.note.set", {"id": "a", "text": "x"})
    with store.session() as session:
        assert session.exec(select(TestNote)).one().text == "x"
        trusted = session.exec(select(TrustedKey)).one()
        assert trusted.key_id == inspector.key_id and trusted.trusted_by == owner.key_id
        assert {k.name for k in session.exec(select(KeyIdentity))} == {owner.name, inspector.name}
        assert session.exec(select(StoreInfo)).one().home
        session.add(TestNote(note_id="b", text="y", author="z", at="t", event_hash="h"))
        with pytest.raises(Exception, match="readonly"):
            session.commit()


def test_trusted_keys_lists_owner_and_trusted(store: Store, owner: Signer, inspector: Signer) -> None:
    store.trust(owner, inspector.public_bytes, inspector.identity)
    listed = store.trusted_keys()
    assert [(k.key_id, k.owner) for k in listed] == [(owner.key_id, True), (inspector.key_id, False)]


def test_evidence_attachment_projection(
    tmp_path: Path, owner: Signer, inspector: Signer, clock: FrozenClock
) -> None:
    store = build_rich_store(tmp_path / "s", owner, inspector, clock)
    with store.session() as session:
        rows = session.exec(select(EvidenceAttachment).where(EvidenceAttachment.target_id == "f1")).all()
    assert len(rows) == 1 and rows[0].size == len(b"config dump") and rows[0].author == inspector.key_id
    with store.evidence.open(rows[0].sha256) as fh:
        assert fh.read() == b"config dump"
    store.close()


def test_checkpoint_records_heads(store: Store, owner: Signer, inspector: Signer) -> None:
    store.trust(owner, inspector.public_bytes, inspector.identity)
    store.append(inspector, "test.count", {"n": 1})
    cp = store.checkpoint(owner)
    # The checkpoint is an event in the owner's chain (seq 4, after genesis, identity and trust) and the
    # signed row bundles carry names it as the owner's head.
    assert (cp.author, cp.seq) == (owner.key_id, 4)
    assert cp.heads[owner.key_id] == (4, cp.head)
    assert cp.heads[inspector.key_id][0] == 2
    assert cp.count == 6 == store.count()
    event = list(store.events(author=owner.key_id))[-1]
    assert event.kind == "checkpoint.recorded" and event.hash == cp.head
    assert event.body["heads"][inspector.key_id][0] == 2 and event.body["count"] == 5
    assert store.checkpoints() == [cp]


def test_state_rebuilt_when_state_schema_changes(store: Store, owner: Signer) -> None:
    """A store whose state tables were made by another version rebuilds them by replay on open."""
    store.append(owner, "test.note.set", {"id": "a", "text": "x"})
    store.connection.execute("UPDATE meta SET value = 'old' WHERE key = 'state_fingerprint'")
    store.connection.execute("DROP TABLE test_note")
    store.close()
    with Store.open(store.root) as again:
        assert again.connection.execute("SELECT text FROM test_note").fetchall() == [("x",)]
        assert again.verify().ok


def test_import_events_verbatim_idempotent(
    tmp_path: Path, owner: Signer, inspector: Signer, clock: FrozenClock
) -> None:
    """The inspector's chain moves into the unit's store byte for byte; importing twice adds nothing."""
    theirs = Store.create(tmp_path / "inspector", inspector, clock=clock)
    for i in range(5):
        theirs.append(inspector, "test.note.set", {"id": f"n{i}", "text": "t"})
    chain = [e.stored() for e in theirs.events()]
    ours = Store.create(tmp_path / "unit", owner, clock=clock)
    ours.trust(owner, inspector.public_bytes, inspector.identity)
    added = ours.import_events(chain)
    assert [e.raw for e in added] == [s.raw for s in chain]
    assert ours.import_events(chain) == []
    assert ours.verify().ok
    ours.checkpoint(owner)
    assert ours.verify().ok
    theirs.close()
    ours.close()


def test_import_refuses_and_changes_nothing(
    tmp_path: Path, owner: Signer, inspector: Signer, stranger: Signer, clock: FrozenClock
) -> None:
    theirs = Store.create(tmp_path / "inspector", inspector, clock=clock)
    for i in range(5):
        theirs.append(inspector, "test.note.set", {"id": f"n{i}", "text": "t"})
    chain = [e.stored() for e in theirs.events()]
    ours = Store.create(tmp_path / "unit", owner, clock=clock)
    before = ours.count()
    with pytest.raises(ImportRefused) as err:
        ours.import_events(chain)  # not trusted yet
    assert any("not trusted" in line for line in err.value.problems)
    ours.trust(owner, inspector.public_bytes, inspector.identity)
    before = ours.count()
    with pytest.raises(ImportRefused) as err:
        ours.import_events(chain[:2] + chain[3:])  # a gap
    assert any("missing" in line for line in err.value.problems)
    tampered = chain[4].__class__(chain[4].raw.replace(b'"t"', b'"T"'), chain[4].hash, chain[4].sig)
    with pytest.raises(ImportRefused) as err:
        ours.import_events([*chain[:4], tampered])
    assert any("hash does not match" in line for line in err.value.problems)
    assert ours.count() == before
    assert ours.verify().ok
    theirs.close()
    ours.close()


def test_import_checkpoints(tmp_path: Path, owner: Signer, inspector: Signer, clock: FrozenClock) -> None:
    theirs = Store.create(tmp_path / "inspector", inspector, clock=clock)
    theirs.append(inspector, "test.count", {"n": 1})
    cp = theirs.checkpoint(inspector)
    ours = Store.create(tmp_path / "unit", owner, clock=clock)
    ours.trust(owner, inspector.public_bytes, inspector.identity)
    ours.import_events([e.stored() for e in theirs.events()])
    assert ours.import_checkpoints([cp.stored]) == 1
    assert ours.import_checkpoints([cp.stored]) == 0
    assert ours.verify().ok
    theirs.close()
    ours.close()


def test_clock_is_injectable(tmp_path: Path, owner: Signer) -> None:
    clock = FrozenClock("2030-01-02T03:04:05.678Z")
    with Store.create(tmp_path / "s", owner, clock=clock) as store:
        assert store.append(owner, "test.count", {"n": 1}).at == "2030-01-02T03:04:05.681Z"


def test_busy_store_reports_locked(store: Store, owner: Signer) -> None:
    other = sqlite3.connect(store.db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store.connection.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(StorageError, match="writing to the store"):
            store.append(owner, "test.count", {"n": 1})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.append(owner, "test.count", {"n": 1}).seq == 3
