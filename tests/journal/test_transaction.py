"""``Store.transaction()``: several writes made one — all committed at the end or nothing (journal, state,
evidence), nested writes as savepoints, reads through the writing connection inside it."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from gradesec.errors import GradesecError, KeyError_
from gradesec.journal import Signer, Store
from gradesec.journal.evidence import TEMP_PREFIX
from tests.journal.conftest import make_signer


def _fingerprint(store: Store) -> tuple[int, str, list[str]]:
    """Event count, a digest of every table's rows, and every file under evidence/ (temporary ones too)."""
    import hashlib

    db = sqlite3.connect(store.db_path)
    digest = hashlib.sha256()
    try:
        count = int(db.execute("SELECT COUNT(*) FROM events").fetchone()[0])
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for table in tables:
            for row in sorted(db.execute(f'SELECT * FROM "{table}"'), key=repr):
                digest.update(repr(row).encode())
    finally:
        db.close()
    files = sorted(str(p.relative_to(store.evidence.root)) for p in store.evidence.root.rglob("*"))
    return count, digest.hexdigest(), files


def _note(store: Store, note_id: str, *, conn: sqlite3.Connection | None = None) -> str | None:
    db = conn or store.connection
    row = db.execute("SELECT text FROM test_note WHERE note_id = ?", (note_id,)).fetchone()
    return None if row is None else str(row[0])


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_everything_inside_commits_together(store: Store, owner: Signer, tmp_path: Path) -> None:
    before = store.count()
    with store.transaction():
        assert store.in_transaction
        store.append(owner, "test.note.set", {"id": "a", "text": "one"})
        store.append_many(owner, [("test.note.set", {"id": "b", "text": "two"})])
        store.attach_evidence(owner, _file(tmp_path, "shot.png", b"png" * 50), "finding", "f1")
        # Inside, the writing connection sees what was written; another connection does not yet.
        assert _note(store, "a") == "one"
        other = sqlite3.connect(f"file:{store.db_path}?mode=ro", uri=True)
        assert _note(store, "a", conn=other) is None
        other.close()
        # The blob is staged (a temporary file) until the commit.
        assert not store.evidence.blobs()
        store.checkpoint(owner)
    assert not store.in_transaction
    assert store.count() == before + 4  # two notes, evidence.attached, checkpoint.recorded
    assert _note(store, "b") == "two"
    assert len(store.evidence.blobs()) == 1
    assert not list(store.evidence.root.glob(f"{TEMP_PREFIX}*"))
    assert store.verify().ok


def test_an_exception_leaves_nothing(store: Store, owner: Signer, tmp_path: Path) -> None:
    store.append(owner, "test.note.set", {"id": "kept", "text": "before"})
    before = _fingerprint(store)
    with pytest.raises(RuntimeError, match="midway"), store.transaction():
        store.append(owner, "test.note.set", {"id": "kept", "text": "changed"})
        store.attach_evidence(owner, _file(tmp_path, "a.bin", b"a" * 5000), "finding", "f1")
        store.checkpoint(owner)
        raise RuntimeError("midway")
    assert _fingerprint(store) == before
    assert _note(store, "kept") == "before"
    # The store goes on as usual afterwards, and its checkpoint cache was not left ahead of the journal.
    store.append(owner, "test.note.set", {"id": "after", "text": "x"})
    assert store.verify().ok


def test_a_refusal_on_the_last_event_undoes_the_rest(store: Store, owner: Signer, tmp_path: Path) -> None:
    """An authority refusal on the last write rolls back the earlier events and the evidence copied."""
    before = _fingerprint(store)
    with pytest.raises(KeyError_, match=r"may not write drill\.paused"), store.transaction():
        store.append(owner, "test.note.set", {"id": "n", "text": "x"})
        store.attach_evidence(owner, _file(tmp_path, "b.bin", b"b" * 3000), "finding", "f1")
        # The owner declared itself an officer: drills are the lead's.
        store.append(owner, "drill.paused", {"drill": "D-1", "elapsed_ms": 5})
    assert _fingerprint(store) == before


def test_a_failed_step_caught_inside_undoes_only_itself(store: Store, owner: Signer, tmp_path: Path) -> None:
    stranger = make_signer("Stranger Sun", "inspector")
    with store.transaction():
        store.append(owner, "test.note.set", {"id": "one", "text": "1"})
        # nested: a savepoint of the outer transaction
        with pytest.raises(GradesecError), store.transaction():
            store.attach_evidence(owner, _file(tmp_path, "c.bin", b"c" * 100), "finding", "f2")
            store.append(owner, "test.note.set", {"id": "two", "text": "2"})
            store.append(stranger, "test.note.set", {"id": "three", "text": "3"})  # untrusted signer
        store.append(owner, "test.note.set", {"id": "four", "text": "4"})
    assert [_note(store, n) for n in ("one", "two", "three", "four")] == ["1", None, None, "4"]
    assert not store.evidence.blobs()  # the blob of the undone step was never placed
    assert not list(store.evidence.root.glob(f"{TEMP_PREFIX}*"))
    assert store.verify().ok


def test_other_threads_wait_and_do_not_join(store: Store, owner: Signer) -> None:
    """Another thread is not inside this thread's transaction: its write waits for the end."""
    done: list[str] = []
    started = threading.Event()
    inside: list[bool] = []

    def other() -> None:
        inside.append(store.in_transaction)
        started.set()
        store.append(owner, "test.note.set", {"id": "t", "text": "thread"})
        done.append("t")

    with store.transaction():
        store.append(owner, "test.note.set", {"id": "main", "text": "m"})
        worker = threading.Thread(target=other)
        worker.start()
        started.wait()
        worker.join(0.2)
        assert not done  # blocked on the store's lock until the transaction ends
    assert inside == [False]
    worker.join()
    assert done == ["t"] and _note(store, "t") == "thread" and _note(store, "main") == "m"
    assert store.verify().ok


def test_evidence_already_present_is_never_removed_by_a_rollback(
    store: Store, owner: Signer, tmp_path: Path
) -> None:
    shot = _file(tmp_path, "same.png", b"same" * 100)
    store.attach_evidence(owner, shot, "finding", "f1")
    before = _fingerprint(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.attach_evidence(owner, shot, "finding", "f2")
        raise RuntimeError("no")
    assert _fingerprint(store) == before
    assert store.verify().ok


def test_opening_removes_blobs_a_killed_commit_had_placed(tmp_path: Path, owner: Signer) -> None:
    """A process killed after placing its blobs and before its commit leaves them and its placing marker:
    opening the store removes the blobs no event names (and only those) and the marker."""
    import os
    import subprocess
    import sys

    from gradesec.journal.evidence import PLACING

    root = tmp_path / "store"
    with Store.create(root, owner) as store:
        kept = store.attach_evidence(owner, _file(tmp_path, "kept.png", b"kept" * 10), "finding", "f1")
        orphan = store.evidence.put(_file(tmp_path, "orphan.png", b"orphan" * 10))  # placed, never named
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    marker = root / "evidence" / f"{TEMP_PREFIX}p{int(dead.stdout)}-{PLACING}-0123"
    marker.write_text(f"{kept.body['sha256']}\n{orphan.sha256}\n")
    assert os.path.exists(root / "evidence" / orphan.sha256[:2] / orphan.sha256)
    with Store.open(root) as store:
        assert [name for name, _ in store.evidence.blobs()] == [kept.body["sha256"]]
        assert not list(store.evidence.root.glob(f"{TEMP_PREFIX}*"))
        assert store.verify().ok


def test_a_session_inside_sees_the_transaction_and_leaves_it_open(store: Store, owner: Signer) -> None:
    from sqlmodel import select

    from tests.journal.notes_state import TestNote

    with store.transaction():
        store.append(owner, "test.note.set", {"id": "s", "text": "seen"})
        with store.session() as session:
            assert [n.text for n in session.exec(select(TestNote))] == ["seen"]
        store.append(owner, "test.note.set", {"id": "s2", "text": "after"})  # still the same transaction
        assert store.connection.in_transaction
    with store.session() as session:
        assert sorted(n.note_id for n in session.exec(select(TestNote))) == ["s", "s2"]
    assert store.verify().ok
