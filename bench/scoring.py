"""Scoring benchmarks: print figures and ratios against a plain SQL aggregate measured in the same run.

    .venv/bin/python bench/scoring.py            # everything (under a minute)
    .venv/bin/python bench/scoring.py --quick    # skip the 1,000,000-result and store runs

Not a test: nothing here asserts timings. Record the figures in docs/performance.md (section "Scoring").

What is measured, on the shipped level-3 profile (211 items):
- full scoring of 211 items × 100 assets (21,100 results): building the tally, then scoring it;
- rescoring after one new result (the TUI's live score): one ``Tally.set`` and one ``score``;
- 1,000,000 results (211 items × 4,740 assets);
- the same 2019-template score computed by SQLite in memory over the same rows (the primitive);
- ``usecases.inspections.score`` on a real store holding a level-3 inspection (read + score).
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gradesec.assess.model import PolicySnapshot, SnapshotItem
from gradesec.assess.scoring import Tally, score
from gradesec.catalog.loader import load_catalog

VALUES = ("compliant", "compliant", "compliant", "partial", "noncompliant", "na")
NUMERIC = {"compliant": 1.0, "partial": 0.5, "noncompliant": 0.0, "na": None}
POLICIES = {m: PolicySnapshot(m, m, {}) for m in ("mlps-2019", "mlps-2021", "mlps-2025", "share-met")}

SQL_2019 = """
WITH im AS (SELECT item, AVG(value) AS s FROM results WHERE value IS NOT NULL GROUP BY item),
     cat AS (SELECT i.category, SUM(i.weight * (1 - im.s)) / SUM(i.weight) AS r
             FROM im JOIN items i ON i.id = im.item GROUP BY i.category)
SELECT 100 - AVG(r) * 100 FROM cat
"""


def best(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def median(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def snapshot_items() -> list[SnapshotItem]:
    catalog = load_catalog()
    return [
        SnapshotItem(
            r.id, r.category.code, r.category.cls, r.control.id, r.weight, tuple(r.item.objects), r.order
        )
        for r in catalog.items_for("mlps-l3")
    ]


def results_for(items: list[SnapshotItem], assets: int, seed: int = 7) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    return [(i.id, f"a{a:05d}", rng.choice(VALUES)) for a in range(assets) for i in items]


def sql_db(items: list[SnapshotItem], results: list[tuple[str, str, str]]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE items (id TEXT PRIMARY KEY, category TEXT, weight REAL)")
    db.execute("CREATE TABLE results (item TEXT, asset TEXT, value REAL)")
    db.executemany("INSERT INTO items VALUES (?, ?, ?)", [(i.id, i.category, i.weight) for i in items])
    db.executemany("INSERT INTO results VALUES (?, ?, ?)", [(i, a, NUMERIC[v]) for i, a, v in results])
    db.execute("CREATE INDEX results_item ON results (item)")
    return db


def _scorer(tally: Tally, policy: PolicySnapshot) -> Callable[[], object]:
    return lambda: score(tally, policy)


def run_size(items: list[SnapshotItem], assets: int, repeats: int) -> dict[str, float]:
    results = results_for(items, assets)
    n = len(results)
    policy = POLICIES["mlps-2019"]
    t_build = best(lambda: Tally.from_results(items, results), repeats)
    tally = Tally.from_results(items, results)
    t_score = best(lambda: score(tally, policy), repeats * 10)
    t_full = best(lambda: score(Tally.from_results(items, results), policy), repeats)
    ours = score(tally, policy).score
    db = sql_db(items, results)
    t_sql = best(lambda: db.execute(SQL_2019).fetchone(), repeats)
    theirs = db.execute(SQL_2019).fetchone()[0]
    assert ours is not None and abs(ours - theirs) < 1e-6, (ours, theirs)
    print(f"\n{n:,} results ({len(items)} items × {assets:,} assets)")
    print(f"  full scoring (tally + score)      {t_full * 1000:9.2f} ms")
    print(f"    build tally                     {t_build * 1000:9.2f} ms   ({n / t_build:,.0f} results/s)")
    print(f"    score the tally (2019)          {t_score * 1000:9.3f} ms")
    for method, pol in POLICIES.items():
        if method != "mlps-2019":
            t_other = best(_scorer(tally, pol), repeats * 10)
            print(f"    score the tally ({method:9s})   {t_other * 1000:9.3f} ms")
    print(
        f"  SQLite aggregate (same rows)      {t_sql * 1000:9.2f} ms   ratio ours/SQL {t_full / t_sql:5.2f}"
    )
    print(f"  same 2019 score: ours {ours:.6f}, SQL {theirs:.6f}")
    return {"n": n, "full": t_full, "sql": t_sql}


def run_incremental(items: list[SnapshotItem], repeats: int) -> None:
    results = results_for(items, 100)
    tally = Tally.from_results(items, results)
    policy = POLICIES["mlps-2019"]
    rng = random.Random(3)

    def one() -> None:
        item = rng.choice(items)
        tally.set(item.id, f"a{rng.randrange(100):05d}", rng.choice(VALUES))
        score(tally, policy)

    t_one = median(one, repeats * 200)
    db = sql_db(items, results)

    def sql_one() -> None:
        item = rng.choice(items)
        db.execute(
            "UPDATE results SET value = ? WHERE item = ? AND asset = ?",
            (NUMERIC[rng.choice(VALUES)], item.id, f"a{rng.randrange(100):05d}"),
        )
        db.execute(SQL_2019).fetchone()

    t_sql = median(sql_one, repeats * 20)
    print("\nrescoring after one new result (21,100 results held)")
    print(f"  Tally.set + score                 {t_one * 1000:9.3f} ms (median)")
    print(f"  SQLite update + aggregate         {t_sql * 1000:9.3f} ms   ratio ours/SQL {t_one / t_sql:5.3f}")


def run_store(items: list[SnapshotItem]) -> None:
    from gradesec.journal import Signer
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.context import open_context
    from gradesec.usecases.inspections import FindingInput

    signer = Signer.from_seed(hashlib.sha256(b"bench scorer").digest(), "Bench", "inspector", "Bench")
    catalog = load_catalog()
    kinds = sorted(catalog.object_kinds)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(Path(tmp) / "store", signer=signer, create=True, catalog=catalog)
        unit = uc.add_unit(ctx, "Bench unit")
        system = uc.add_system(ctx, unit.id, "Bench system", level=3)
        assets = [uc.add_asset(ctx, system.id, kinds[n % len(kinds)], f"asset {n}") for n in range(100)]
        insp = uc.new_inspection(ctx, system.id, "mlps-l3")
        rng = random.Random(11)
        entries = [
            FindingInput(i.id, a.id, v, reason="not used" if v == "na" else "")
            for i in items
            for a in assets
            if a.kind in i.objects
            for v in [rng.choice(VALUES)]
        ]
        start = time.perf_counter()
        for at in range(0, len(entries), 2000):
            uc.record_findings(ctx, insp.id, entries[at : at + 2000])
        t_write = time.perf_counter() - start
        t_score = best(lambda: uc.score(ctx, insp.id), 5)
        t_load = best(lambda: uc.load_inspection(ctx, insp.id), 3)
        live = uc.live_score(ctx, insp.id)
        e = entries[0]

        def live_one() -> None:
            live.record(e.item, e.asset, rng.choice(VALUES[:5]))
            live.result()

        t_live = median(live_one, 200)
        ctx.close()
    print(f"\nreal store: level-3 inspection, 100 assets, {len(entries):,} applicable results recorded")
    print(f"  record_findings (signed, 2,000 per transaction) {len(entries) / t_write:,.0f} results/s")
    print(f"  usecases.score (read state + score)             {t_score * 1000:9.2f} ms")
    print(f"  usecases.load_inspection                        {t_load * 1000:9.2f} ms")
    print(f"  LiveScore.record + result                       {t_live * 1000:9.3f} ms (median)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, SQLite {sqlite3.sqlite_version}")
    items = snapshot_items()
    run_size(items, 100, 5)
    run_incremental(items, 5)
    if not args.quick:
        run_size(items, 4740, 2)
        run_store(items)


if __name__ == "__main__":
    main()
