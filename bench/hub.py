"""Hub benchmark: ingest throughput against the raw verify rate measured in the same run, hub verify, memory.

    .venv/bin/python bench/hub.py                 # 20 units × 2 systems, one inspection each
    .venv/bin/python bench/hub.py --units 100     # larger

An inspection body's store is built through the use cases (fixed key, frozen clock, numbered ids): units,
systems, an asset and an inspection per system with findings, ratings, close and remediation plans. It is
exported as one signed bundle and ingested into a throwaway PostgreSQL (gradesec.hub.devcluster). The raw
rate is what verification cannot avoid: SHA-256 + Ed25519 verify of every event of that bundle. Not a test:
nothing here asserts timings. Record the figures in docs/performance.md.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gradesec.catalog.loader import load_catalog
from gradesec.exchange.authors import verify_sig
from gradesec.exchange.format import EVENTS_NAME, read_frames
from gradesec.hub.db import connect, register
from gradesec.hub.devcluster import Cluster
from gradesec.hub.ingest import ingest
from gradesec.hub.schema import migrate
from gradesec.hub.verify import verify_hub
from gradesec.journal import FrozenClock, Signer
from gradesec.journal.events import event_hash
from gradesec.journal.keys import PublicKey
from gradesec.usecases import bundles, inspections, remediation
from gradesec.usecases.context import open_context

BODY = Signer.from_seed(
    hashlib.sha256(b"bench hub body").digest(), "Bench Inspector", "inspector", "Bench Lab"
)
PROFILE = "mlps-l2"
RESULTS = ("compliant", "compliant", "partial", "noncompliant", "compliant")


def build(root: Path, units: int, systems: int, findings: int) -> Path:
    catalog = load_catalog()
    counters: dict[str, itertools.count[int]] = {}

    def new_id(prefix: str) -> str:
        return f"{prefix}-b{next(counters.setdefault(prefix, itertools.count(1))):05d}"

    ctx = open_context(
        root / "body", signer=BODY, create=True, catalog=catalog, clock=FrozenClock("2026-03-01T08:00:00.000Z"),
        new_id=new_id,
    )  # fmt: skip
    items = [i.id for i in catalog.items_for(PROFILE) if "server" in i.item.objects][:findings]
    try:
        for u in range(units):
            unit = inspections.add_unit(ctx, f"Unit {u:04d}", region=f"District {u % 7}")
            for s in range(systems):
                system = inspections.add_system(
                    ctx, unit.id, f"System {u:04d}-{s}", level=2, filing_no=f"F{u:04d}{s}"
                )
                asset = inspections.add_asset(ctx, system.id, "server", f"srv-{u}-{s}")
                insp = inspections.new_inspection(ctx, system.id, PROFILE)
                for n, item in enumerate(items):
                    result = RESULTS[(u + s + n) % len(RESULTS)]
                    inspections.record_finding(ctx, insp.id, item, asset.id, result)
                    if result != "compliant":
                        inspections.rate_issue(ctx, insp.id, item, asset.id, "high")
                remediation.close_and_plan(ctx, insp.id)
        return bundles.export(ctx, root / "city.gsb").path
    finally:
        ctx.close()


def raw_rate(bundle: Path) -> tuple[int, float]:
    """Events of the bundle and seconds for SHA-256 + Ed25519 verify over all of them."""
    import tarfile

    with tarfile.open(bundle, "r|*") as tar:
        for member in tar:
            if member.name == EVENTS_NAME:
                src = tar.extractfile(member)
                assert src is not None
                frames = list(read_frames(src))
                break
        else:
            raise SystemExit("no events member")
    public = BODY.public_bytes
    start = time.perf_counter()
    for sig, raw in frames:
        assert verify_sig(public, sig, event_hash(raw))
    return len(frames), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--systems", type=int, default=2)
    parser.add_argument("--findings", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gradesec-bench-hub-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        bundle = build(root, args.units, args.systems, args.findings)
        built = time.perf_counter() - t0
        n, raw = raw_rate(bundle)
        size = bundle.stat().st_size
        cluster = Cluster(Path(tempfile.mkdtemp(prefix="gradesec-bench-pg-")))
        url = cluster.start()
        try:
            with connect(url) as conn:
                migrate(conn)
                register(
                    conn,
                    PublicKey(BODY.key_id, BODY.public_bytes, BODY.identity),
                    unit=None,
                    body="Bench Lab",
                )
                t0 = time.perf_counter()
                if os.environ.get("BENCH_PROFILE"):
                    import cProfile

                    prof = cProfile.Profile()
                    got = prof.runcall(ingest, conn, bundle)
                    prof.print_stats("cumulative")
                else:
                    got = ingest(conn, bundle)
                took = time.perf_counter() - t0
                t0 = time.perf_counter()
                again = ingest(conn, bundle)
                noop = time.perf_counter() - t0
                t0 = time.perf_counter()
                checked = verify_hub(conn)
                verified = time.perf_counter() - t0
        finally:
            cluster.remove()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"store built through the use cases: {built:.1f} s; bundle {n} events, {size:,} bytes")
    print(f"raw SHA-256 + Ed25519 verify: {n / raw:,.0f} events/s")
    print(f"hub ingest (verify + write + project, one transaction): {got.new_events / took:,.0f} events/s "
          f"= {got.new_events / took / (n / raw):.2f}x raw")  # fmt: skip
    print(f"re-ingest (no-op, {again.known_events} known): {noop:.2f} s")
    print(f"hub verify ({checked.events} events, ok={checked.ok}): {checked.events / verified:,.0f} events/s")
    print(f"peak RSS of this process: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
