"""Bundle benchmarks: export and import of a large bundle, against the raw primitives in the same run.

    .venv/bin/python bench/bundles.py                       # 100,000 events, 500 MB of evidence
    .venv/bin/python bench/bundles.py --events 10000 --evidence-mb 50     # a quick run

Each phase (export, verify-only, import) runs in a fresh interpreter so its peak memory (ru_maxrss) is its
own. The raw primitives are what verification cannot avoid: reading the file, SHA-256 over every byte, and
SHA-256 + Ed25519 verify per event. Not a test: nothing here asserts timings. Record the figures in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gradesec.journal import FrozenClock, Signer, Store

OWNER = Signer.from_seed(
    hashlib.sha256(b"bench bundle owner").digest(), "Bench Inspector", "inspector", "Bench"
)
RECEIVER = Signer.from_seed(
    hashlib.sha256(b"bench bundle receiver").digest(), "Bench Officer", "officer", "Unit"
)
BLOB_MB = 10
CHUNK = 1 << 20


def body(i: int) -> dict[str, object]:
    return {
        "id": f"R-{i:07d}",
        "inspection": "I-bench",
        "source": {"kind": "manual"},
        "problem": {
            "zh": f"问题 {i}：弱口令策略未落实",
            "en": f"problem {i}: weak password policy not enforced",
        },
        "risk": ("high", "medium", "low")[i % 3],
        "measure": "enforce length and complexity; lock after five failures",
        "deadline": "2026-12-31",
    }


def build(root: Path, events: int, evidence_mb: int) -> Store:
    store = Store.create(root / "source", OWNER, clock=FrozenClock("2026-11-24T09:00:00.000Z"))
    blobs = max(1, evidence_mb // BLOB_MB) if evidence_mb else 0
    size = (evidence_mb << 20) // blobs if blobs else 0
    for b in range(blobs):
        path = root / f"blob{b}.bin"
        with open(path, "wb") as fh:
            left = size
            while left:
                n = min(CHUNK, left)
                fh.write(os.urandom(n))
                left -= n
        store.attach_evidence(OWNER, path, "inspection", "I-bench")
        path.unlink()
    for start in range(0, events, 1000):
        store.append_many(
            OWNER, [("remediation.planned", body(i)) for i in range(start, min(events, start + 1000))]
        )
    return store


def child(phase: str, store_dir: str, bundle: str) -> None:
    """One phase in this fresh process; print its figures as JSON."""
    from gradesec.exchange import export_bundle, import_bundle, read_bundle

    store = Store.open(store_dir)
    t0 = time.perf_counter()
    if phase == "export":
        result = export_bundle(store, OWNER, bundle, inspection="I-bench")
        n = result.manifest.events
    elif phase == "verify":
        n = read_bundle(store, bundle).new_count
    else:
        n = import_bundle(store, bundle).imported
    seconds = time.perf_counter() - t0
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"phase": phase, "seconds": seconds, "events": n, "peak_bytes": peak}))


def run_child(phase: str, store_dir: Path, bundle: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", phase, str(store_dir), str(bundle)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def baseline_memory() -> int:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource, sys; sys.path.insert(0, {!r}); import gradesec.exchange, "
            "gradesec.journal.store; from gradesec.state import registry; registry.load_all(); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)".format(
                str(Path(__file__).parents[1] / "src")
            ),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


def raw_primitives(bundle: Path, store: Store) -> float:
    """Seconds for: read the bundle, SHA-256 over every byte, SHA-256 + Ed25519 verify per event."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from gradesec.journal.events import EVENT_DOMAIN

    events = [(e.sig, e.raw) for e in store.events()]
    key = Ed25519PublicKey.from_public_bytes(OWNER.public_bytes)
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        digest = hashlib.sha256()
        with open(bundle, "rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        sha = hashlib.sha256
        for sig, raw in events:
            key.verify(sig, sha(EVENT_DOMAIN + raw).digest())
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--evidence-mb", type=int, default=500)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        source = build(root, args.events, args.evidence_mb)
        print(
            f"built source store: {args.events} events + {args.evidence_mb} MB evidence in {time.perf_counter() - t0:.1f} s"
        )
        source.close()
        bundle = root / "bench.gsb"
        base = baseline_memory()
        exp = run_child("export", root / "source", bundle)
        size = bundle.stat().st_size
        receiver = Store.create(root / "receiver", RECEIVER, clock=FrozenClock("2026-11-25T09:00:00.000Z"))
        receiver.trust(RECEIVER, OWNER.public_bytes, OWNER.identity)
        receiver.close()
        ver = run_child("verify", root / "receiver", bundle)
        with Store.open(root / "source") as src:
            raw = raw_primitives(bundle, src)
        imp = run_child("import", root / "receiver", bundle)
        with Store.open(root / "receiver") as rec:
            ok = rec.verify().ok
        mb = size / (1 << 20)
        print(f"bundle: {mb:.0f} MB, {exp['events']:.0f} events")
        print(f"interpreter + modules baseline: {base / (1 << 20):.0f} MB")
        print(
            f"export:  {exp['seconds']:.2f} s  {mb / exp['seconds']:.0f} MB/s  peak {exp['peak_bytes'] / (1 << 20):.0f} MB"
        )
        print(
            f"raw primitives (read + SHA-256 all bytes + Ed25519 per event): {raw:.2f} s  {mb / raw:.0f} MB/s"
        )
        print(
            f"verify:  {ver['seconds']:.2f} s  {mb / ver['seconds']:.0f} MB/s  peak {ver['peak_bytes'] / (1 << 20):.0f} MB"
            f"  ratio to raw {raw / ver['seconds']:.2f}x"
        )
        print(
            f"import:  {imp['seconds']:.2f} s  {mb / imp['seconds']:.0f} MB/s  peak {imp['peak_bytes'] / (1 << 20):.0f} MB"
            f"  ({imp['events']:.0f} events; verified, staged, committed with projections)"
        )
        print(f"receiver verifies after import: {ok}")


if __name__ == "__main__":
    main()
