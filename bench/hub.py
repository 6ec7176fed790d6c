"""Hub benchmark: ingest throughput against the raw verify rate measured in the same run, memory against the number
of events ingested, hub verify, and every dashboard query of gradesec.hub.queries timed at the size reached.

    .venv/bin/python bench/hub.py                                   # 20 units × 5 systems
    nice -n 10 .venv/bin/python bench/hub.py --units 1000 --findings 180 --workers 2   # the scale run

    nice -n 10 .venv/bin/python bench/hub.py --units 1000 --systems 5 --synthetic-projections

With ``--synthetic-projections`` nothing is built or ingested: building 1,000 units × 5 systems through stores
and bundles takes hours on a shared 2-core machine, so the *projection tables* are filled directly with
generate_series in the proportions the simulated city has (per system 1.2 inspections; per inspection 180
results, 70 remediation items, 2 rated problems; 0.9 drills per unit), then every dashboard query is timed and
schema v4's and v5's forms of the two slowest queries timed alternately (``--rounds``, with the load average),
and the plans of the slowest printed. The dashboard reads projections only.

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
from hub_compare import (  # bench/ is on sys.path as a script
    TODAY,
    before_after,
    explained,
    summary_write_cost,
)

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
    # The dashboard's own queries (the hubdash branch), timed when this tree has them.
    unit = conn.execute("SELECT min(id) FROM units").fetchone()[0]
    for name, args in (
        ("units", ()),
        ("systems", ()),
        ("inspections_held_by_unit", (TODAY.year,)),
        ("overdue_remediation", (TODAY,)),
        ("unit_inspections", (unit,)),
        ("unit_remediation", (unit,)),
        ("unit_drills", (unit,)),
    ):
        if hasattr(queries, name):
            calls.append((name, lambda f=getattr(queries, name), a=args: f(conn, *a)))
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


TS = "to_char(timestamp '2025-11-05 09:00' + (({n}) % 380) * interval '1 day', 'YYYY-MM-DD\"T\"HH24:MI:SS.000\"Z\"')"

FILL = """
INSERT INTO units SELECT 'u' || g, 'Unit ' || g, 'U' || g, 'District ' || (g % 8), '', 'k', 'h'
  FROM generate_series(1, {units}) g;
INSERT INTO systems (id, unit_id, name, level, filing_no, created_by, event_hash, extensions, created_at,
                     filing_expires)
  SELECT 's' || g, 'u' || ((g - 1) / {systems} + 1), 'System ' || g, (ARRAY[2,2,2,2,2,3,3,3,3,4])[1 + g % 10],
         'F' || g, 'k', 'h', '', '2025-11-03T09:00:00.000Z', date '2027-11-03' + (g % 900)
  FROM generate_series(1, {units} * {systems}) g;
INSERT INTO inspections (id, system_id, unit_id, profile, policy, level, opened_by, opened_at, status, closed_at,
                         opened_hash, score, conclusion, first_closed_at)
  SELECT 'i' || g, 's' || sys, 'u' || ((sys - 1) / {systems} + 1), 'mlps-l3', 'p', 3, 'k', ts, 'closed', ts, 'h',
         70 + g % 30, (ARRAY['compliant','basically_compliant','noncompliant'])[1 + g % 3], ts
  FROM (SELECT g, 1 + (g - 1) % ({units} * {systems}) AS sys, {ts} AS ts
        FROM generate_series(1, {units} * {systems} * 6 / 5) g) x;
INSERT INTO findings
  SELECT i.id, 'item-' || k, 'a-' || i.id, (ARRAY['compliant','compliant','compliant','partial','noncompliant'])[1 + k % 5],
         i.opened_at, 'h'
  FROM inspections i, generate_series(1, 180) k;
INSERT INTO problems
  SELECT i.id, 'item-' || k, 'a-' || i.id, i.unit_id, (ARRAY['high','medium'])[k], i.opened_at, 'h', k = 1
  FROM inspections i, generate_series(1, 2) k;
INSERT INTO remediation
  SELECT 'r-' || i.id || '-' || k, i.unit_id, i.id, NULL, (ARRAY['high','medium','medium','low','low'])[1 + k % 5],
         (ARRAY['open','open','open','open','open','verified','verified','verified','reopened','fixed'])[1 + (k * 7 + length(i.id)) % 10],
         to_char(date(left(i.opened_at, 10)) + (ARRAY[14, 60, 60, 180, 180])[1 + k % 5], 'YYYY-MM-DD'),
         left(i.opened_at, 10), i.opened_at
  FROM inspections i, generate_series(1, 70) k;
INSERT INTO drills (id, unit_id, scenario, lead, started_at, closed_at, improvements, score, passed)
  SELECT 'd' || g, 'u' || (1 + g % {units}), 'scenario', '', {ts_g}, {ts_g}, 5, 60 + g % 40, g % 3 <> 0
  FROM generate_series(1, {units} * 9 / 10) g;
"""


def synthetic(args: argparse.Namespace) -> None:
    """The dashboard queries at ``--units`` × ``--systems`` with the projection tables filled directly."""
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="gradesec-bench-pgq-", dir="/dev/shm")))
    url = cluster.start()
    try:
        with connect(url) as conn:
            migrate(conn)
            t0 = time.perf_counter()
            conn.execute(
                FILL.format(
                    units=args.units,
                    systems=args.systems,
                    ts=TS.format(n="g"),
                    ts_g=TS.format(n="g * 7"),
                )
            )
            conn.execute("VACUUM ANALYZE")  # steady state: autovacuum has set the visibility map
            sizes = conn.execute(
                "SELECT (SELECT count(*) FROM systems), (SELECT count(*) FROM inspections),"
                " (SELECT count(*) FROM findings), (SELECT count(*) FROM remediation), (SELECT count(*) FROM drills)"
            ).fetchone()
            print(f"projections filled in {time.perf_counter() - t0:.0f} s: {sizes[0]:,} systems, "
                  f"{sizes[1]:,} inspections, {sizes[2]:,} findings, {sizes[3]:,} remediation items, "
                  f"{sizes[4]:,} drills", flush=True)  # fmt: skip
            for name, ms, rows in time_queries(conn):
                print(f"query {name}: {ms:,.1f} ms ({rows:,} rows)", flush=True)
            before_after(conn, args.rounds)
            summary_write_cost(conn, args.rounds)
            for label, sql, params in explained():
                plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params).fetchall()
                print(f"-- {label}")
                for (line,) in plan:
                    print("   " + line)
    finally:
        cluster.remove()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--systems", type=int, default=5)
    parser.add_argument("--findings", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--synthetic-projections", action="store_true")
    parser.add_argument("--rounds", type=int, default=5, help="v4/v5 rounds with --synthetic-projections")
    args = parser.parse_args()
    if args.synthetic_projections:
        synthetic(args)
        return
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
