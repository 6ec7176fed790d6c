"""Every class of tampering is caught by verify and named: event (author, seq), checkpoint, state row or blob."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from gradesec.journal import FrozenClock, Signer, Store
from gradesec.journal.verify import VerifyReport
from tests.journal.conftest import build_rich_store, make_signer

OWNER = make_signer("Owner Olga", "officer")
INSPECTOR = make_signer("Inspector Ivan", "inspector")


def _db(root: Path) -> sqlite3.Connection:
    return sqlite3.connect(root / "gradesec.db", isolation_level=None)


def _row(db: sqlite3.Connection, author: str, seq: int) -> tuple[int, bytes, bytes, bytes]:
    rowid, h, sig, raw = db.execute(
        "SELECT id, hash, sig, raw FROM events WHERE author = ? AND seq = ?", (author, seq)
    ).fetchone()
    return rowid, bytes(h), bytes(sig), bytes(raw)


def _blob(root: Path, content: bytes) -> Path:
    sha = hashlib.sha256(content).hexdigest()
    return root / "evidence" / sha[:2] / sha


# Each tamper edits the closed store's files and returns the (code, author, seq | None) it must produce.
Tamper = Callable[[Path], list[tuple[str, str | None, int | None]]]


def changed_body(root: Path) -> list[tuple[str, str | None, int | None]]:
    db = _db(root)
    rowid, _, _, raw = _row(db, INSPECTOR.key_id, 3)
    db.execute("UPDATE events SET raw = ? WHERE id = ?", (raw.replace(b"hello 1", b"HELLO 1"), rowid))
    return [("hash_mismatch", INSPECTOR.key_id, 3), ("bad_signature", INSPECTOR.key_id, 3)]


def changed_hash(root: Path) -> list[tuple[str, str | None, int | None]]:
    db = _db(root)
    rowid, _h, _, _ = _row(db, OWNER.key_id, 5)
    db.execute("UPDATE events SET hash = ? WHERE id = ?", (bytes(32), rowid))
    return [("hash_mismatch", OWNER.key_id, 5)]


def bad_signature(root: Path) -> list[tuple[str, str | None, int | None]]:
    db = _db(root)
    rowid, _, sig, _ = _row(db, OWNER.key_id, 4)
    db.execute("UPDATE events SET sig = ? WHERE id = ?", (bytes([sig[0] ^ 1]) + sig[1:], rowid))
    return [("bad_signature", OWNER.key_id, 4)]


def swapped_signatures(root: Path) -> list[tuple[str, str | None, int | None]]:
    db = _db(root)
    a, _, sig_a, _ = _row(db, INSPECTOR.key_id, 2)
    b, _, sig_b, _ = _row(db, INSPECTOR.key_id, 4)
    db.execute("UPDATE events SET sig = ? WHERE id = ?", (sig_b, a))
    db.execute("UPDATE events SET sig = ? WHERE id = ?", (sig_a, b))
    return [("bad_signature", INSPECTOR.key_id, 2), ("bad_signature", INSPECTOR.key_id, 4)]


def untrusted_key(root: Path) -> list[tuple[str, str | None, int | None]]:
    """A validly signed chain by a key the owner never trusted, copied into the journal."""
    stranger = make_signer("Mallory", "inspector")
    other = root.parent / "mallory"
    with Store.create(other, stranger, clock=FrozenClock("2026-11-25T00:00:00.000Z")) as s:
        s.append(stranger, "test.note.set", {"id": "n1", "text": "forged"})
        rows = s.connection.execute(
            "SELECT author, seq, kind, hash, sig, raw FROM events ORDER BY id"
        ).fetchall()
    db = _db(root)
    db.executemany("INSERT INTO events (author, seq, kind, hash, sig, raw) VALUES (?, ?, ?, ?, ?, ?)", rows)
    return [("untrusted", stranger.key_id, 1)]


def missing_event(root: Path) -> list[tuple[str, str | None, int | None]]:
    db = _db(root)
    db.execute("DELETE FROM events WHERE author = ? AND seq = 6", (INSPECTOR.key_id,))
    return [("gap", INSPECTOR.key_id, 7)]


def duplicated_seq(root: Path) -> list[tuple[str, str | None, int | None]]:
    db = _db(root)
    db.execute("DROP INDEX events_chain")
    db.execute(
        "INSERT INTO events (author, seq, kind, hash, sig, raw)"
        " SELECT author, seq, kind, hash, sig, raw FROM events WHERE author = ? AND seq = 3",
        (OWNER.key_id,),
    )
    return [("seq_order", OWNER.key_id, 3)]


def reordered_seq(root: Path) -> list[tuple[str, str | None, int | None]]:
    db = _db(root)
    a, *_ = _row(db, OWNER.key_id, 5)
    b, *_ = _row(db, OWNER.key_id, 6)
    db.execute("UPDATE events SET id = -1 WHERE id = ?", (a,))
    db.execute("UPDATE events SET id = ? WHERE id = ?", (a, b))
    db.execute("UPDATE events SET id = ? WHERE id = -1", (b,))
    return [("gap", OWNER.key_id, 6), ("seq_order", OWNER.key_id, 5)]


def chain_cut_off(root: Path) -> list[tuple[str, str | None, int | None]]:
    """The tail of the inspector's chain disappears; only the checkpoint remembers it."""
    db = _db(root)
    last = db.execute("SELECT MAX(seq) FROM events WHERE author = ?", (INSPECTOR.key_id,)).fetchone()[0]
    db.execute("DELETE FROM events WHERE author = ? AND seq >= ?", (INSPECTOR.key_id, last - 1))
    return [("checkpoint_cut_off", INSPECTOR.key_id, last)]


def changed_state_row(root: Path) -> list[tuple[str, str | None, int | None]]:
    _db(root).execute("UPDATE test_note SET text = 'edited' WHERE note_id = 'n3'")
    return [("state_changed", None, None)]


def deleted_state_row(root: Path) -> list[tuple[str, str | None, int | None]]:
    _db(root).execute("DELETE FROM trusted_key")
    return [("state_deleted", None, None)]


def added_state_row(root: Path) -> list[tuple[str, str | None, int | None]]:
    _db(root).execute("INSERT INTO test_note VALUES ('n99', 'invented', 'x', 'y', 'z')")
    return [("state_added", None, None)]


def changed_blob(root: Path) -> list[tuple[str, str | None, int | None]]:
    path = _blob(root, b"photo bytes")
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    path.write_bytes(b"photo bytez")
    return [("blob_changed", None, None)]


def missing_blob(root: Path) -> list[tuple[str, str | None, int | None]]:
    _blob(root, b"config dump").unlink()
    return [("blob_missing", None, None)]


def substituted_blob(root: Path) -> list[tuple[str, str | None, int | None]]:
    """Another file put in place under the same name (e.g. a doctored photo)."""
    path = _blob(root, b"photo bytes")
    fake = path.with_name("fake")
    fake.write_bytes(b"a different photo")
    os.replace(fake, path)
    return [("blob_changed", None, None)]


def copied_from_other_store_same_key(root: Path) -> list[tuple[str, str | None, int | None]]:
    """The owner's key also owns another store; one of its events there is copied in as the next link."""
    db = _db(root)
    head = db.execute("SELECT MAX(seq) FROM events WHERE author = ?", (OWNER.key_id,)).fetchone()[0]
    other = root.parent / "other"
    with Store.create(other, OWNER, clock=FrozenClock("2026-11-26T00:00:00.000Z")) as s:
        s.append_many(OWNER, [("test.count", {"n": 7})] * (head - 1))
        row = s.connection.execute(
            "SELECT author, seq, kind, hash, sig, raw FROM events WHERE seq = ?", (head + 1,)
        ).fetchone()
    db.execute("INSERT INTO events (author, seq, kind, hash, sig, raw) VALUES (?, ?, ?, ?, ?, ?)", row)
    return [("broken_link", OWNER.key_id, head + 1)]


def copied_genesis_from_other_store(root: Path) -> list[tuple[str, str | None, int | None]]:
    """The owner's chain is replaced by the chain the same key started in another store."""
    other = root.parent / "other"
    with Store.create(other, OWNER, clock=FrozenClock("2026-11-26T00:00:00.000Z")) as s:
        rows = s.connection.execute("SELECT id, author, seq, kind, hash, sig, raw FROM events").fetchall()
    db = _db(root)
    for _rowid, author, seq, _kind, h, sig, raw in rows:
        db.execute(
            "UPDATE events SET hash = ?, sig = ?, raw = ? WHERE author = ? AND seq = ?",
            (h, sig, raw, author, seq),
        )
    return [("foreign_genesis", OWNER.key_id, 1), ("broken_link", OWNER.key_id, 3)]


TAMPERS: list[Tamper] = [
    changed_body,
    changed_hash,
    bad_signature,
    swapped_signatures,
    untrusted_key,
    missing_event,
    duplicated_seq,
    reordered_seq,
    chain_cut_off,
    changed_state_row,
    deleted_state_row,
    added_state_row,
    changed_blob,
    missing_blob,
    substituted_blob,
    copied_from_other_store_same_key,
    copied_genesis_from_other_store,
]


def _tampered(
    tmp_path: Path, tamper: Tamper, clock: FrozenClock
) -> tuple[Path, list[tuple[str, str | None, int | None]]]:
    root = tmp_path / "store"
    build_rich_store(root, OWNER, INSPECTOR, clock).close()
    expected = tamper(root)
    return root, expected


def _assert_caught(report: VerifyReport, expected: list[tuple[str, str | None, int | None]]) -> None:
    assert not report.ok
    found = {(p.code, p.author, p.seq) for p in report.problems}
    codes = {p.code for p in report.problems}
    for code, author, seq in expected:
        if author is None:
            assert code in codes, report.problems
        else:
            assert (code, author, seq) in found, report.problems
    for problem in report.problems:
        assert problem.message and problem.line()


@pytest.mark.parametrize("tamper", TAMPERS, ids=[t.__name__ for t in TAMPERS])
def test_tamper_is_caught(tmp_path: Path, tamper: Tamper, clock: FrozenClock) -> None:
    root, expected = _tampered(tmp_path, tamper, clock)
    with Store.open(root) as store:
        _assert_caught(store.verify(workers=1), expected)


@pytest.mark.parametrize(
    "tamper", [changed_body, swapped_signatures, untrusted_key, changed_blob], ids=lambda t: t.__name__
)
def test_tamper_is_caught_with_worker_processes(tmp_path: Path, tamper: Tamper, clock: FrozenClock) -> None:
    """The parallel path finds the same problems as one process."""
    root, expected = _tampered(tmp_path, tamper, clock)
    with Store.open(root) as store:
        one = store.verify(workers=1)
        two = store.verify(workers=2)
    _assert_caught(two, expected)
    assert [p.as_dict() for p in one.problems] == [p.as_dict() for p in two.problems]


def test_untouched_rich_store_verifies(tmp_path: Path, clock: FrozenClock) -> None:
    build_rich_store(tmp_path / "store", OWNER, INSPECTOR, clock).close()
    with Store.open(tmp_path / "store") as store:
        report = store.verify()
    assert report.ok, report.problems
    assert (report.authors, report.checkpoints, report.blobs, report.state_checked) == (2, 1, 2, True)


def test_incremental_verify_after_checkpoint(tmp_path: Path, clock: FrozenClock) -> None:
    """Since the checkpoint only new events are read; tampering with a new one is still caught."""
    store = build_rich_store(tmp_path / "store", OWNER, INSPECTOR, clock)
    for i in range(5):
        store.append(INSPECTOR, "test.count", {"n": i})
    report = store.verify(since_checkpoint=True)
    assert report.ok and report.partial and report.events == 5
    db = _db(store.root)
    rowid, _, _sig, _ = _row(db, INSPECTOR.key_id, 15)
    db.execute("UPDATE events SET sig = ? WHERE id = ?", (bytes(64), rowid))
    report = store.verify(since_checkpoint=True)
    assert ("bad_signature", INSPECTOR.key_id, 15) in {(p.code, p.author, p.seq) for p in report.problems}
    store.close()


def test_incremental_verify_notices_cut_off_checkpointed_chain(tmp_path: Path, clock: FrozenClock) -> None:
    store = build_rich_store(tmp_path / "store", OWNER, INSPECTOR, clock)
    store.close()
    expected = chain_cut_off(store.root)
    with Store.open(store.root) as again:
        _assert_caught(again.verify(since_checkpoint=True), expected)


def test_signer_fixture_matches(owner: Signer, inspector: Signer) -> None:
    """The module-level keys are the fixture keys (the tampers name them)."""
    assert (owner.key_id, inspector.key_id) == (OWNER.key_id, INSPECTOR.key_id)
