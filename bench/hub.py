"""Hub benchmark: ingest throughput against the raw verify rate measured in the same run, memory against the number
of events ingested, hub verify, and every dashboard query of gradesec.hub.queries timed at the size reached.

    .venv/bin/python bench/hub.py                                   # 20 units × 5 systems
    nice -n 10 .venv/bin/python bench/hub.py --units 1000 --findings 180 --workers 2   # the scale run

The city is the one ``gradesec hub demo`` builds (gradesec.hub.simulate: inspection bodies' and units' stores
through the use cases, real keys, signed bundles), built in worker processes so this process holds only what
ingest needs. It is ingested into a throwaway PostgreSQL (gradesec.hub.devcluster). The raw rate is what
verification cannot avoid: SHA-256 + Ed25519 verify of every event of the same bundles. Not a test: nothing
here asserts timings. Record the figures in docs/performance.md.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tarfile
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gradesec.exchange.authors import verify_sig
from gradesec.exchange.format import EVENTS_NAME, read_frames
from gradesec.hub import queries
from gradesec.hub.db import connect, register
from gradesec.hub.devcluster import Cluster
from gradesec.hub.ingest import ingest
from gradesec.hub.schema import migrate
from gradesec.hub.simulate import build_city
from gradesec.hub.verify import verify_hub
from gradesec.journal.events import Event, event_hash

TODAY = date(2026, 12, 2)
CHUNK = 10_000


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def raw_seconds(bundles: list[Path], keys: dict[str, bytes]) -> tuple[int, float]:
    """Events in ``bundles`` and the seconds SHA-256 + Ed25519 verify takes over them (frames read in chunks,
    only the verify loop timed)."""
    n, spent = 0, 0.0
    for bundle in bundles:
        with tarfile.open(bundle, "r|*") as tar:
            for member in tar:
                if member.name != EVENTS_NAME:
                    continue
                src = tar.extractfile(member)
                assert src is not None
                chunk: list[tuple[bytes, bytes]] = []
                frames = read_frames(src)
                while True:
                    chunk.clear()
                    for frame in frames:
                        chunk.append(frame)
                        if len(chunk) >= CHUNK:
                            break
                    if not chunk:
                        break
                    authors = [Event.decode(raw, "", sig).author for sig, raw in chunk]
                    start = time.perf_counter()
                    for (sig, raw), author in zip(chunk, authors, strict=True):
                        assert verify_sig(keys[author], sig, event_hash(raw))
                    spent += time.perf_counter() - start
                    n += len(chunk)
                break
    return n, spent


def time_queries(conn: Any) -> list[tuple[str, float, int]]:
    """Each dashboard query: (name, best of three in ms, rows or groups returned)."""
    calls: list[tuple[str, Any]] = [
        ("systems_by_level_and_conclusion", lambda: queries.systems_by_level_and_conclusion(conn)),
        ("inspections_due", lambda: queries.inspections_due(conn, TODAY)),
        ("filings_expiring", lambda: queries.filings_expiring(conn, TODAY)),
        ("open_high_risk_by_unit", lambda: queries.open_high_risk_by_unit(conn)),
        ("overdue_remediation_by_unit", lambda: queries.overdue_remediation_by_unit(conn, TODAY)),
        ("drills_by_unit", lambda: queries.drills_by_unit(conn, TODAY.year)),
    ]
    out = []
    for name, call in calls:
        best, size = float("inf"), 0
        for _ in range(3):
            start = time.perf_counter()
            got = call()
            best = min(best, time.perf_counter() - start)
            size = len(got)
        out.append((name, best * 1000, size))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--systems", type=int, default=5)
    parser.add_argument("--findings", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gradesec-bench-hub-", dir="/dev/shm") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        city = build_city(
            root / "city", None, seed=args.seed, units=args.units, systems=args.systems,
            findings=args.findings, workers=args.workers, progress=lambda line: print(line, flush=True),
        )  # fmt: skip
        built = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in city.bundles)
        print(f"city built: {built:.0f} s; {len(city.bundles)} bundles, {city.events:,} events, {size:,} bytes; "
              f"{city.inspections} inspections, {city.retests} re-tests, {city.drills} drills", flush=True)  # fmt: skip
        keys = {reg.key.key_id: reg.key.public_bytes for reg in city.trust}
        n, raw = raw_seconds(city.bundles, keys)
        print(f"raw SHA-256 + Ed25519 verify: {n:,} events, {n / raw:,.0f} events/s", flush=True)
        cluster = Cluster(Path(tempfile.mkdtemp(prefix="gradesec-bench-pg-", dir="/dev/shm")))
        url = cluster.start()
        try:
            with connect(url) as conn:
                migrate(conn)
                for reg in city.trust:
                    register(conn, reg.key, unit=reg.unit, body=reg.body)
                from gradesec.state.registry import load_all

                load_all()  # the event kinds (a one-time import of the state modules, not per-event work)
                rss_before = rss_mib()
                print(f"peak RSS before ingest: {rss_before:.0f} MiB", flush=True)
                ingested, took = 0, 0.0
                for path in city.bundles:
                    t0 = time.perf_counter()
                    got = ingest(conn, path)
                    took += time.perf_counter() - t0
                    ingested += got.new_events
                    if got.new_events > 10_000:
                        print(f"  bundle of {got.new_events:,} events: {got.new_events / (time.perf_counter() - t0):,.0f}"
                              f" events/s; peak RSS {rss_mib():.0f} MiB after {ingested:,} events", flush=True)  # fmt: skip
                rate = ingested / took
                print(f"hub ingest (verify + COPY + project, one transaction per bundle): {ingested:,} events in "
                      f"{took:.0f} s = {rate:,.0f} events/s = {rate / (n / raw):.2f}x raw", flush=True)  # fmt: skip
                print(
                    f"peak RSS after ingest: {rss_mib():.0f} MiB ({rss_mib() - rss_before:+.0f} MiB over the ingest)"
                )
                biggest = max(city.bundles, key=lambda p: p.stat().st_size)
                t0 = time.perf_counter()
                again = ingest(conn, biggest)
                print(f"re-ingest of the largest bundle (no-op, {again.known_events:,} known): "
                      f"{time.perf_counter() - t0:.1f} s", flush=True)  # fmt: skip
                conn.execute("ANALYZE")
                for name, ms, rows in time_queries(conn):
                    print(f"query {name}: {ms:,.1f} ms ({rows:,} rows)", flush=True)
                counts = conn.execute(
                    "SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM systems),"
                    " (SELECT count(*) FROM inspections), (SELECT count(*) FROM findings),"
                    " (SELECT count(*) FROM remediation), (SELECT pg_size_pretty(pg_database_size(current_database())))"
                ).fetchone()
                print(f"hub holds: {counts[0]:,} units, {counts[1]:,} systems, {counts[2]:,} inspections, "
                      f"{counts[3]:,} findings, {counts[4]:,} remediation items; database {counts[5]}")  # fmt: skip
                t0 = time.perf_counter()
                checked = verify_hub(conn)
                verified = time.perf_counter() - t0
                print(f"hub verify ({checked.events:,} events, ok={checked.ok}): "
                      f"{checked.events / verified:,.0f} events/s", flush=True)  # fmt: skip
        finally:
            cluster.remove()
    print(f"peak RSS of this process: {rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
