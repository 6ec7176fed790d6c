"""The writer the kill harness runs in a child process: appends forever, reporting each committed seq."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any


def run(root: Path, fd: int, seed_name: str, evidence_dir: Path, ready: Any = None) -> None:
    """Append events (single, batches, evidence, checkpoints); write ``seq\\n`` to ``fd`` after each commit."""
    from gradesec.journal import Store
    from tests.journal.conftest import make_signer

    signer = make_signer(seed_name, "officer")
    store = Store.open(root)
    if ready is not None:
        ready.set()  # the parent's random delay starts now: kills land among the writes, not in start-up
    i = 0
    while True:
        i += 1
        if i % 7 == 0:
            events = store.append_many(signer, [("test.count", {"n": i, "k": k}) for k in range(5)])
        elif i % 11 == 0:
            src = evidence_dir / f"e{os.getpid()}-{i}.bin"
            src.write_bytes(os.urandom(4096) * (1 + i % 5))
            events = [store.attach_evidence(signer, src, "finding", str(i))]
        elif i % 13 == 0:
            store.checkpoint(signer)
            continue
        else:
            events = [store.append(signer, "test.note.set", {"id": f"n{i % 17}", "text": str(i)})]
        # Only now is the commit done: report every seq it made durable.
        os.write(fd, "".join(f"{e.seq}\n" for e in events).encode())


if __name__ == "__main__":
    run(Path(sys.argv[1]), 1, sys.argv[2], Path(sys.argv[3]))
