"""Children for the kill -9 harness of multi-step actions: a closing (several events + a checkpoint in one
transaction, like ``inspection close`` with its remediation plan) and a bundle import, each repeated until
the parent kills the process. After each commit the child reports what it made durable on ``fd``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PARTS = 4  # events per closing, besides its checkpoint


def close_forever(root: Path, fd: int, seed_name: str, ready: Any = None) -> None:
    """Write closings: PARTS events of one group and a checkpoint, all in one transaction."""
    from gradesec.journal import Store
    from tests.journal.conftest import make_signer

    signer = make_signer(seed_name, "officer")
    store = Store.open(root)
    if ready is not None:
        ready.set()
    group = int.from_bytes(os.urandom(4), "big")
    while True:
        group += 1
        parts = [
            ("test.note.set", {"id": f"g{group}-{j}", "text": f"{group}:{j}/{PARTS}"}) for j in range(PARTS)
        ]
        store.checkpoint(signer, extra=parts)
        os.write(fd, f"{group}\n".encode())


def import_forever(root: Path, fd: int, bundles: list[Path], ready: Any = None) -> None:
    """Import each bundle in turn (idempotent, so later rounds are no-ops); report each one done."""
    from gradesec.exchange import import_bundle
    from gradesec.journal import Store

    store = Store.open(root)
    if ready is not None:
        ready.set()
    for i, bundle in enumerate(bundles):
        import_bundle(store, bundle)
        os.write(fd, f"{i}\n".encode())
