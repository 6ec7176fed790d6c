"""kill -9 during multi-step actions: a closing (events + checkpoint), a bundle import and a re-test round
(reopen, findings with evidence, transitions, round, close, checkpoint) leave all or nothing, a store that
verifies, and no temporary files once the store is opened again. A modest number of trials here;
``bench/kill_actions.py`` runs more."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gradesec.exchange import export_bundle
from gradesec.journal import FrozenClock, Store
from gradesec.journal.evidence import TEMP_PREFIX
from tests.journal.action_child import (
    BATCH,
    BATCH_NOTE,
    PARTS,
    RETEST_NOTE,
    close_forever,
    import_witnessed_forever,
    record_forever,
    retest_forever,
)
from tests.journal.conftest import make_signer

WRITER = "Writer Wu"
SENDER = "Sender Sun"


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def kill_child(target: Callable[..., None], args: tuple[Any, ...], delay: float) -> list[str]:
    """Run ``target(*args[:1], fd, *args[1:])`` in a forked child, SIGKILL it after ``delay``; return the
    whole lines it reported."""
    ctx = multiprocessing.get_context("fork")
    r, w = os.pipe()
    ready = ctx.Event()
    child = ctx.Process(target=target, args=(args[0], w, *args[1:], ready), daemon=True)
    child.start()
    os.close(w)
    ready.wait(60)  # kills land in the action, not in the process start-up
    time.sleep(delay)
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    data = _read_all(r)
    os.close(r)
    return data.decode().split("\n")[:-1]


def check_closings(root: Path, reported: list[str]) -> None:
    with Store.open(root) as store:
        assert not list((root / "evidence").glob(f"{TEMP_PREFIX}*"))
        report = store.verify(workers=1)
        assert report.ok, [p.line() for p in report.problems]
        groups: Counter[str] = Counter()
        kinds = []
        for event in store.events(author=make_signer(WRITER, "officer").key_id):
            kinds.append(event.kind)
            if event.kind == "test.note.set":
                groups[event.body["text"].split(":")[0]] += 1
    # All or nothing: every closing present has all its parts, each followed by its checkpoint.
    assert all(n == PARTS for n in groups.values()), groups
    assert kinds.count("checkpoint.recorded") >= len(groups)
    assert set(reported) <= set(groups)


def run_close_trials(base: Path, trials: int, rng: random.Random) -> int:
    root = base / "close"
    if not root.exists():
        Store.create(root, make_signer(WRITER, "officer"), clock=FrozenClock()).close()
    done = 0
    for _ in range(trials):
        reported = kill_child(close_forever, (root, WRITER), rng.uniform(0.0, 0.3))
        check_closings(root, reported)
        done += len(reported)
    return done


def make_bundles(base: Path, n: int) -> tuple[Path, list[Path]]:
    """A sender's store exporting ``n`` growing bundles with evidence, and a receiving store trusting it."""
    sender = make_signer(SENDER, "inspector")
    receiver = make_signer(WRITER, "officer")
    clock = FrozenClock()
    src = base / "sender"
    bundles = []
    with Store.create(src, sender, clock=clock) as store:
        for i in range(n):
            for j in range(30):
                store.append(sender, "test.note.set", {"id": f"b{i}-{j}", "text": "x" * 200})
            blob = base / f"blob{i}.bin"
            blob.write_bytes(os.urandom(200_000))
            store.attach_evidence(sender, blob, "finding", f"f{i}")
            out = base / f"b{i}.gsb"
            export_bundle(store, sender, out)
            bundles.append(out)
    dst = base / "receiver"
    with Store.create(dst, receiver, clock=clock) as store:
        store.trust(receiver, sender.public_bytes, sender.identity)
    return dst, bundles


def check_import(root: Path, sender_head: int, witnesses: list[tuple[int, str]] | None = None) -> None:
    """The store verifies and holds no temporary file; with ``witnesses`` ((sender head, checkpoint hash) of each
    bundle, in order), the sender's events arrived whole per bundle, each with its witness in the same commit."""
    with Store.open(root) as store:
        assert not list((root / "evidence").glob(f"{TEMP_PREFIX}*"))
        report = store.verify(workers=1)
        assert report.ok, [p.line() for p in report.problems]
        seq, _ = store.head(make_signer(SENDER, "inspector").key_id)
        assert seq <= sender_head
        if witnesses is None:
            return
        assert seq in {0, *(head for head, _ in witnesses)}, seq  # never part of a bundle
        rows = store.connection.execute("SELECT raw FROM events WHERE kind = 'witness.recorded'").fetchall()
        seen = {json.loads(raw)["body"]["hash"] for (raw,) in rows}
        assert seen == {cp for head, cp in witnesses if head <= seq}


def run_import_trials(base: Path, trials: int, rng: random.Random) -> int:
    dst, bundles = make_bundles(base, 3)
    manifests = [json.loads(_manifest(b)) for b in bundles]
    head = max(r[1] for r in manifests[-1]["chains"].values())
    witnesses = [(m["checkpoint"]["seq"], m["checkpoint"]["hash"]) for m in manifests]
    completed = 0
    for _ in range(trials):
        reported = kill_child(import_witnessed_forever, (dst, bundles, WRITER), rng.uniform(0.0, 0.5))
        check_import(dst, head, witnesses)
        completed += len(reported)
    return completed


def _manifest(bundle: Path) -> bytes:
    import tarfile

    with tarfile.open(bundle) as tar:
        member = tar.extractfile("gradesec-bundle.json")
        assert member is not None
        return member.read()


INSPECTOR = "Inspector Ivan"


def make_retest_store(base: Path) -> Path:
    """An inspector's store: one closed inspection with three issues, each planned as a remediation item."""
    from gradesec.catalog.loader import load_catalog
    from gradesec.journal import FrozenClock
    from tests.remedy.conftest import inspect, make_signer, open_party

    root = base / "retest"
    (base / "files").mkdir(exist_ok=True)
    catalog = load_catalog()
    ctx = open_party(root, make_signer(INSPECTOR, "inspector"), catalog, "2026-11-24T09:00:00.000Z", "K")
    ctx.clock = FrozenClock("2026-11-24T09:00:00.000Z")
    inspect(ctx, catalog, base / "files")
    ctx.close()
    return root


def check_retests(root: Path, reported: list[str]) -> tuple[int, int, int]:
    """All or nothing: the inspection is closed, every round in the journal is whole (its reopening, one
    re-test per item, the round, the closing and a checkpoint), every reported round is there, no temporary
    file. Returns (rounds in the store, blobs no event names: at most the last one, killed after placing its
    blob and before its commit, and staged blobs the kill left, which opening the store swept)."""
    from tests.remedy.conftest import make_signer

    staged = len(list((root / "evidence").glob(f"{TEMP_PREFIX}*")))
    with Store.open(root) as store:
        assert not list((root / "evidence").glob(f"{TEMP_PREFIX}*"))
        report = store.verify(workers=1)
        assert report.ok, [p.line() for p in report.problems]
        kinds: Counter[str] = Counter()
        tokens: Counter[str] = Counter()
        named: set[str] = set()
        for event in store.events(author=make_signer(INSPECTOR, "inspector").key_id):
            kinds[event.kind] += 1
            if event.kind == "remediation.retested":
                tokens[str(event.body["note"]).removeprefix(RETEST_NOTE)] += 1
            if event.kind == "evidence.attached":
                named.add(str(event.body["sha256"]))
            for ref in event.body.get("evidence", []) if event.kind == "finding.recorded" else []:
                named.add(str(ref["sha256"]))
        status = store.connection.execute("SELECT status FROM inspection").fetchone()[0]
        items = int(store.connection.execute("SELECT COUNT(*) FROM remediation_item").fetchone()[0])
        orphans = sum(1 for name, _path in store.evidence.blobs() if name not in named)
    rounds = kinds["remediation.round"]
    assert status == "closed"
    assert kinds["inspection.reopened"] == rounds and kinds["inspection.closed"] == rounds + 1
    assert all(n == items for n in tokens.values()) and len(tokens) == rounds, tokens
    assert kinds["checkpoint.recorded"] >= rounds + 1
    assert set(reported) <= set(tokens)
    return rounds, orphans, staged


def run_retest_trials(base: Path, trials: int, rng: random.Random) -> tuple[int, int, int, int]:
    """Returns (rounds the children reported done, rounds in the store, unreferenced blobs at the end, kills
    that left a staged blob behind)."""
    root = base / "retest"
    if not root.exists():
        make_retest_store(base)
    done = rounds = orphans = swept = 0
    for _ in range(trials):
        reported = kill_child(retest_forever, (root, INSPECTOR), rng.uniform(0.0, 0.6))
        rounds, orphans, staged = check_retests(root, reported)
        done += len(reported)
        swept += staged > 0
    return done, rounds, orphans, swept


def make_record_store(base: Path) -> Path:
    """An inspector's store with one open inspection of a server."""
    from gradesec.catalog.loader import load_catalog
    from tests.remedy.conftest import inspect, make_signer, open_party

    root = base / "record"
    (base / "files").mkdir(exist_ok=True)
    catalog = load_catalog()
    ctx = open_party(root, make_signer(INSPECTOR, "inspector"), catalog, "2026-11-24T09:00:00.000Z", "M")
    inspect(ctx, catalog, base / "files", close=False)
    ctx.close()
    return root


def check_batches(root: Path, reported: list[str]) -> tuple[int, int]:
    """All or nothing: every batch in the journal has all its results and the evidence of its first three,
    every reported batch is there, every named blob is present, no temporary file. Returns (batches in the
    store, kills that left a staged blob)."""
    from tests.remedy.conftest import make_signer

    staged = len(list((root / "evidence").glob(f"{TEMP_PREFIX}*")))
    with Store.open(root) as store:
        assert not list((root / "evidence").glob(f"{TEMP_PREFIX}*"))
        report = store.verify(workers=1)
        assert report.ok, [p.line() for p in report.problems]
        results: Counter[str] = Counter()
        with_evidence: Counter[str] = Counter()
        for event in store.events(author=make_signer(INSPECTOR, "inspector").key_id):
            note = str(event.body.get("note", "")) if event.kind == "finding.recorded" else ""
            if note.startswith(BATCH_NOTE):
                token = note.removeprefix(BATCH_NOTE)
                results[token] += 1
                with_evidence[token] += any(
                    ref["name"].startswith(f"{token}-") for ref in event.body.get("evidence", [])
                )
        present = {name for name, _ in store.evidence.blobs()}
        named = {str(r[0]) for r in store.connection.execute("SELECT sha256 FROM evidence_attachment")}
    assert present == named  # nothing lost, and no blob left that no event names
    assert all(n == BATCH for n in results.values()), results
    assert all(n == 3 for n in with_evidence.values()), with_evidence
    assert set(reported) <= set(results)
    return len(results), staged


def run_record_trials(base: Path, trials: int, rng: random.Random) -> tuple[int, int, int]:
    """Returns (batches the children reported done, batches in the store, kills that left a staged blob)."""
    root = base / "record"
    if not root.exists():
        make_record_store(base)
    done = batches = swept = 0
    for _ in range(trials):
        reported = kill_child(record_forever, (root, INSPECTOR), rng.uniform(0.0, 0.6))
        batches, staged = check_batches(root, reported)
        done += len(reported)
        swept += staged > 0
    return done, batches, swept


@pytest.mark.parametrize("group", range(2))
def test_kill_during_closing(tmp_path: Path, group: int) -> None:
    run_close_trials(tmp_path, 5, random.Random(group))


def test_kill_during_import(tmp_path: Path) -> None:
    run_import_trials(tmp_path, 6, random.Random(7))


def test_kill_during_retest(tmp_path: Path) -> None:
    run_retest_trials(tmp_path, 5, random.Random(16))


def test_kill_during_record_many(tmp_path: Path) -> None:
    run_record_trials(tmp_path, 5, random.Random(3))
