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


def import_witnessed_forever(
    root: Path, fd: int, bundles: list[Path], recorder_name: str | None, ready: Any = None
) -> None:
    """Import each bundle in turn (idempotent, so later rounds are no-ops); report each one done. With
    ``recorder_name``, the receiving owner records each sender's checkpoint as a witness, as the CLI does."""
    from gradesec.exchange import import_bundle
    from gradesec.journal import Store
    from tests.journal.conftest import make_signer

    store = Store.open(root)
    recorder = make_signer(recorder_name, "officer") if recorder_name else None
    if ready is not None:
        ready.set()
    for i, bundle in enumerate(bundles):
        import_bundle(store, bundle, recorder=recorder)
        os.write(fd, f"{i}\n".encode())


RETEST_NOTE = "round "  # every re-test entry's note is "round <token>", the token the child reports


def retest_forever(root: Path, fd: int, seed_name: str, ready: Any = None) -> None:
    """Re-test rounds on every item of the store's one inspection (each round: reopen, findings with a new
    evidence file, transitions, the round, close and checkpoint, in one transaction); report each token."""
    from datetime import timedelta

    from gradesec.catalog.loader import load_catalog
    from gradesec.journal import FrozenClock, Store
    from gradesec.usecases import remediation
    from gradesec.usecases.context import open_context
    from gradesec.usecases.remediation import RetestInput
    from tests.remedy.conftest import make_signer

    signer = make_signer(seed_name, "inspector")
    with Store.open(root) as store:
        last = store.head_at(signer.key_id, store.head(signer.key_id)[0]) or "2026-11-24T09:00:00.000Z"
    # Each child's times follow the last round's: an inspection's status is the latest event by (at, hash), so
    # a round whose reopening and closing carried one clamped time would read as open. (A clock started anew in
    # every forked child would otherwise go back to where the parent's stood.)
    clock = FrozenClock(last, step=timedelta(milliseconds=1))
    clock.now += timedelta(seconds=1)
    ctx = open_context(root, signer=signer, catalog=load_catalog(), clock=clock)
    inspection = ctx.store.connection.execute("SELECT id FROM inspection").fetchone()[0]
    shots = root.parent / "shots"
    shots.mkdir(exist_ok=True)
    if ready is not None:
        ready.set()
    token = int.from_bytes(os.urandom(4), "big")
    while True:
        token += 1
        shot = shots / f"{token}.png"
        shot.write_bytes(b"\x89PNG " + os.urandom(20_000))
        entries = []
        for n, item in enumerate(remediation.list_items(ctx, remediation.Filters(inspection=inspection))):
            outcome = "not_fixed" if item.status == "verified" else "verified"
            evidence = (shot,) if n == 0 else ()
            entries.append(RetestInput(item.id, outcome, f"{RETEST_NOTE}{token}", evidence))
        remediation.retest(ctx, inspection, entries)
        os.write(fd, f"{token}\n".encode())


BATCH_NOTE = "batch "  # every result of a record-many batch carries "batch <token>"
BATCH = 12  # results per batch, the first three with a new evidence file each


def record_forever(root: Path, fd: int, seed_name: str, ready: Any = None) -> None:
    """``record_findings`` batches (what ``finding record-many`` runs) on the store's open inspection, each
    one transaction with its evidence; report each batch's token."""
    from gradesec.catalog.loader import load_catalog
    from gradesec.usecases import inspections
    from gradesec.usecases.context import open_context
    from tests.remedy.conftest import make_signer, server_items

    catalog = load_catalog()
    ctx = open_context(root, signer=make_signer(seed_name, "inspector"), catalog=catalog)
    inspection, asset = ctx.store.connection.execute(
        "SELECT i.id, a.id FROM inspection i JOIN asset a ON a.system_id = i.system_id WHERE a.kind = 'server'"
    ).fetchone()
    items = server_items(catalog, BATCH)
    shots = root.parent / "shots"
    shots.mkdir(exist_ok=True)
    if ready is not None:
        ready.set()
    token = int.from_bytes(os.urandom(4), "big")
    while True:
        token += 1
        entries = []
        for n, item in enumerate(items):
            files: tuple[Path, ...] = ()
            if n < 3:
                shot = shots / f"{token}-{n}.png"
                shot.write_bytes(b"\x89PNG " + os.urandom(8_000))
                files = (shot,)
            result = ("compliant", "partial", "noncompliant")[(token + n) % 3]
            entries.append(
                inspections.FindingInput(item, asset, result, note=f"{BATCH_NOTE}{token}", evidence=files)
            )
        inspections.record_findings(ctx, inspection, entries, read_back=False)
        os.write(fd, f"{token}\n".encode())
