"""Two processes writing one store take turns; every chain stays whole."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from gradesec.journal import FrozenClock, Store
from tests.journal.conftest import make_signer


def _write(root: Path, name: str, n: int) -> None:
    signer = make_signer(name, "officer" if name == "Owner Olga" else "inspector")
    with Store.open(root) as store:
        for i in range(n):
            if i % 10 == 0:
                store.append_many(signer, [("test.count", {"n": i}), ("test.count", {"n": -i})])
            else:
                store.append(signer, "test.note.set", {"id": f"{name}-{i % 5}", "text": str(i)})


def test_concurrent_writers_same_and_different_authors(tmp_path: Path) -> None:
    owner = make_signer("Owner Olga", "officer")
    inspector = make_signer("Inspector Ivan", "inspector")
    root = tmp_path / "store"
    with Store.create(root, owner, clock=FrozenClock()) as store:
        store.trust(owner, inspector.public_bytes, inspector.identity)
    ctx = multiprocessing.get_context("fork")
    # Two processes write as the same author (the chain head is read under the write lock), one as another.
    procs = [
        ctx.Process(target=_write, args=(root, name, 60))
        for name in ("Owner Olga", "Owner Olga", "Inspector Ivan")
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with Store.open(root) as store:
        report = store.verify(workers=1)
        assert report.ok, [p.line() for p in report.problems]
        # genesis + identity + trust + 2 writers x (60 + 6 batches of one extra) for the owner
        assert store.head(owner.key_id)[0] == 3 + 2 * 66
        assert store.head(inspector.key_id)[0] == 1 + 66
