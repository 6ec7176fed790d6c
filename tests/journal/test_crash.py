"""Crash safety: a writer killed with SIGKILL at random moments loses nothing it reported committed, and a
full disk gives a clear error and leaves a valid store."""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import signal
import time
from pathlib import Path

import pytest

from gradesec.errors import StorageError
from gradesec.i18n import t
from gradesec.journal import FrozenClock, Store
from tests.journal.conftest import make_signer
from tests.journal.writer_child import run as writer

WRITER = "Writer Wu"
GROUPS = 10
TRIALS_PER_GROUP = 10  # 100 trials in all


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def kill_trial(root: Path, scratch: Path, rng: random.Random) -> list[int]:
    """Start a writer, SIGKILL it after a random delay, return the seqs it reported committed."""
    ctx = multiprocessing.get_context("fork")
    r, w = os.pipe()
    ready = ctx.Event()
    child = ctx.Process(target=writer, args=(root, w, WRITER, scratch, ready), daemon=True)
    child.start()
    os.close(w)
    ready.wait(60)  # the store is open (a loaded machine can take long to start a process)
    time.sleep(rng.uniform(0.0, 0.08))
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    data = _read_all(r)
    os.close(r)
    # A line cut by the kill was never fully reported; only whole lines count.
    return [int(line) for line in data.decode().split("\n")[:-1]]


def check_after_kill(root: Path, reported: list[int]) -> None:
    author = make_signer(WRITER, "officer").key_id
    with Store.open(root) as store:
        report = store.verify(workers=1)
        assert report.ok, [p.line() for p in report.problems]
        held = {e.seq for e in store.events(author=author)}
    missing = set(reported) - held
    assert not missing, f"committed events lost: {sorted(missing)}"


@pytest.mark.parametrize("group", range(GROUPS))
def test_kill_harness(tmp_path: Path, group: int) -> None:
    """Each group reuses one store across its trials, so recovery after a kill is exercised too."""
    rng = random.Random(group)
    root = tmp_path / "store"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    Store.create(root, make_signer(WRITER, "officer"), clock=FrozenClock()).close()
    total = 0
    for _ in range(TRIALS_PER_GROUP):
        reported = kill_trial(root, scratch, rng)
        check_after_kill(root, reported)
        total += len(reported)
    assert total > 0  # the writer did get to commit in some trials


def test_full_database_gives_clear_error_and_valid_store(store: Store, owner) -> None:  # type: ignore[no-untyped-def]
    """SQLite reports the disk full (here: a page limit); nothing is half-written."""
    pages = store.connection.execute("PRAGMA page_count").fetchone()[0]
    store.connection.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(StorageError) as err:
        for i in range(200):
            store.append(owner, "test.note.set", {"id": f"n{i}", "text": "x" * 4000})
    assert err.value.message == t("error.disk_full")
    assert store.verify().ok
    store.connection.execute("PRAGMA max_page_count = 1073741823")
    store.append(owner, "test.count", {"n": 1})
    assert store.verify().ok


def _put_with_file_size_limit(root: Path, src: Path, limit: int, fd: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        with Store.open(root) as store:
            store.evidence.put(src)
        os.write(fd, b"stored")
    except StorageError as err:
        os.write(fd, err.message.encode())


def test_full_disk_while_storing_evidence(store: Store, tmp_path: Path) -> None:
    """A file-size limit in a child process stands in for a full disk: clear error, no partial blob."""
    src = tmp_path / "video.bin"
    src.write_bytes(os.urandom(1 << 20) * 3)
    store.close()
    r, w = os.pipe()
    child = multiprocessing.get_context("fork").Process(
        target=_put_with_file_size_limit, args=(store.root, src, 1 << 20, w)
    )
    child.start()
    os.close(w)
    child.join()
    message = _read_all(r).decode()
    os.close(r)
    assert message == t("error.disk_full")
    evidence = store.root / "evidence"
    assert [p for p in evidence.rglob("*") if p.is_file()] == []
    with Store.open(store.root) as again:
        assert again.verify().ok
        ref = again.evidence.put(src)  # with room again, the same file goes in
        assert again.evidence.path(ref.sha256).stat().st_size == 3 << 20
