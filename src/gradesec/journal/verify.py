"""Verification: is everything in a store unaltered, complete, and signed by keys the store trusts?

One pass over the journal in order checks, for every event: the stored hash against the stored bytes, the
signature, that the indexed columns say what the signed bytes say, the author's chain (seq 1, 2, 3… each
naming its predecessor's hash), the author's trust and the event kind. The same pass replays the events into an
in-memory database, which is then compared with the live state tables. Then every checkpoint (signature, trust,
and that the chains it names still reach its heads) and every evidence blob (content against name, referenced
blobs present).

The pass over the events is ``verify_events``, the checkpoints and witnesses ``verify_checkpoints``, the
report ``verify_report``; this module runs them in order and checks the replayed state and the evidence.

With ``workers > 1`` the signature checks — nearly all of the cost — run in worker processes over ranges of
rows while this process does the rest.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gradesec.i18n import t
from gradesec.journal.events import EVENT_DOMAIN
from gradesec.journal.evidence import hash_file
from gradesec.journal.keys import format_key_id
from gradesec.journal.verify_checkpoints import (
    EVENT_QUERY,
    check_checkpoint,
    check_checkpoint_events,
    check_witness,
    incremental,
)
from gradesec.journal.verify_events import FETCH, Verifier, _verify_sig
from gradesec.journal.verify_report import Problem, VerifyReport, report_json
from gradesec.state.base import state_schema
from gradesec.state.replay import state_differences

if TYPE_CHECKING:
    from gradesec.journal.store import Store

CHUNK_ROWS = 2_000
PARALLEL_MIN_ROWS = 40_000


def _check_signatures(
    db_path: str, lo: int, hi: int, pubkeys: dict[str, bytes]
) -> list[tuple[int, str, int]]:
    """Worker: the rows with ids in [lo, hi) whose signature does not hold, as (id, author, seq)."""
    keys = {kid: Ed25519PublicKey.from_public_bytes(raw) for kid, raw in pubkeys.items()}
    db = sqlite3.connect(db_path)
    bad: list[tuple[int, str, int]] = []
    try:
        cur = db.execute("SELECT id, author, seq, sig, raw FROM events WHERE id >= ? AND id < ?", (lo, hi))
        sha = hashlib.sha256
        while rows := cur.fetchmany(FETCH):
            for rowid, author, seq, sig, raw in rows:
                key = keys.get(author)
                # Unknown authors are reported by the main pass, which knows the signed author, not the column.
                if key is not None and not _verify_sig(key, sig, sha(EVENT_DOMAIN + raw).digest()):
                    bad.append((rowid, author, seq))
    finally:
        db.close()
    return bad


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork is cheap and the workers open their own connections; with other threads alive (the TUI) forking
    # is unsafe, so start fresh interpreters instead.
    if hasattr(os, "fork") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def check_state(v: Verifier, replay: sqlite3.Connection) -> None:
    schema = state_schema()
    diffs = state_differences(replay, str(v.store.db_path), schema)
    for table, change, key in diffs:
        pk = ", ".join(str(k) for k in key)
        v.add((1 << 63, 0), f"state_{change}", t(f"verify.state_{change}", table=table, key=pk))
    v.report.state_checked = True


# Evidence


def check_blobs(v: Verifier, workers: int, only: set[str] | None = None) -> None:
    evidence = v.store.evidence
    present = dict(evidence.blobs())
    names = sorted(present if only is None else (only & set(present)))
    order = (1 << 63, 1)
    hashes: list[str]
    if workers > 1 and len(names) > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
            hashes = [ref.sha256 for ref in pool.map(hash_file, [present[n] for n in names])]
    else:
        hashes = [hash_file(present[n]).sha256 for n in names]
    for name, actual in zip(names, hashes, strict=True):
        v.progress(1)
        if actual != name or present[name].parent.name != name[:2]:
            v.add(order, "blob_changed", t("verify.blob_changed"), blob=name)
    v.report.blobs = len(names)
    wanted = v.referenced if only is None else {sha: at for sha, at in v.referenced.items() if sha in only}
    for sha, (author, seq) in sorted(wanted.items()):
        if sha not in present:
            v.add(
                order,
                "blob_missing",
                t("verify.blob_missing", author=format_key_id(author), seq=seq),
                blob=sha,
            )


def verify_store(
    store: Store,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    *,
    since_checkpoint: bool = False,
    witness: str | None = None,
) -> VerifyReport:
    """Verify ``store``. ``workers``: processes for signature checks (None: all cores for large stores).

    ``witness``: the hash of a checkpoint someone else saw in this store; it must still be here."""
    v = Verifier(store, progress)
    v.learn_keys()
    v.check_row_ids()
    if since_checkpoint and incremental(v, store):
        check_checkpoint_events(v)
        if witness:
            check_witness(v, witness)
        check_blobs(v, 1, only=set(v.referenced))
        return v.finish()
    max_id = int(store.connection.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0])
    if workers is None:
        workers = (os.cpu_count() or 1) if max_id >= PARALLEL_MIN_ROWS else 1
    replay = sqlite3.connect(":memory:", isolation_level=None)
    try:
        replay.execute("BEGIN")
        from gradesec.state.base import create_state_tables

        create_state_tables(replay)
        if workers > 1:
            pubs = dict(v.pub_raw)
            with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
                # A few chunks per worker keeps them all busy to the end without much per-chunk overhead.
                chunk = max(CHUNK_ROWS, -(-max_id // (workers * 4)))
                futures: list[Future[list[tuple[int, str, int]]]] = [
                    pool.submit(_check_signatures, str(store.db_path), lo, lo + chunk, pubs)
                    for lo in range(1, max_id + 1, chunk)
                ]
                v.check_events(EVENT_QUERY, (0,), check_sigs=False, replay=replay)
                for future in futures:
                    v.add_worker_results(future.result())
        else:
            v.check_events(EVENT_QUERY, (0,), check_sigs=True, replay=replay)
        replay.execute("COMMIT")
        check_checkpoint_events(v)
        for cp_id, hash_col, sig, raw in store.connection.execute(
            "SELECT id, hash, sig, raw FROM checkpoints ORDER BY id"
        ).fetchall():
            check_checkpoint(v, cp_id, bytes(hash_col), bytes(sig), bytes(raw))
        if witness:
            check_witness(v, witness)
        check_state(v, replay)
    finally:
        replay.close()
    check_blobs(v, workers)
    return v.finish()


def blob_count(store: Store) -> int:
    return len(store.evidence.blobs())


__all__ = ["Problem", "VerifyReport", "report_json", "verify_store"]
