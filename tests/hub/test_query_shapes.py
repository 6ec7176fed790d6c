"""Schema v5's shapes of the two slowest dashboard queries give exactly what the plain forms give, and the
summary table behind the overdue count (remediation_due) stays equal to a recount through every kind of write.

A small city is generated straight into the projection tables (seeded, with the awkward cases: systems never
inspected, inspections never closed, items without a deadline, deadlines on the evaluation day, items of units
the units table does not know), then ``inspections_due`` and ``overdue_remediation_by_unit`` are compared with
the answer computed in Python from the generated rows and with the plain SQL (a join and a group by, the status
list as a parameter) that schema v4 ran. Timings are in bench/hub.py, not here.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import psycopg
import pytest

from gradesec.hub import queries, tables
from gradesec.hub.schema import LATEST, MIGRATIONS, PENDING_SQL, migrate
from gradesec.remedy.model import PENDING, STATUSES

TODAY = date(2026, 12, 2)

PLAIN_DUE = (
    "SELECT s.unit_id, s.id, s.level, s.created_at, max(i.first_closed_at)"
    " FROM systems s LEFT JOIN inspections i ON i.system_id = s.id WHERE s.level >= 3"
    " GROUP BY s.unit_id, s.id, s.level, s.created_at ORDER BY s.unit_id, s.id"
)
PLAIN_OVERDUE = (
    "SELECT unit_id, count(*) FROM remediation WHERE deadline <> '' AND deadline < %s AND status = ANY(%s)"
    " GROUP BY 1"
)


def _stamp(rng: random.Random) -> str:
    day = date(2025, 6, 1) + timedelta(days=rng.randrange(600))
    return f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00.000Z"


def generate(conn: Any, seed: int = 7) -> dict[str, list[tuple[Any, ...]]]:
    """Fill the projection tables with a seeded small city; returns the rows written, per table."""
    rng = random.Random(seed)
    units = [f"u{n:02d}" for n in range(1, 13)]
    systems, inspections, remediation = [], [], []
    for unit in units:
        for k in range(rng.randrange(0, 6)):
            sid = f"s-{unit}-{k}"
            systems.append((sid, unit, f"System {sid}", rng.randrange(1, 6), "", "k", "h", "", _stamp(rng)))
            for m in range(rng.choice((0, 0, 1, 1, 2, 3))):
                iid = f"i-{sid}-{m}"
                opened = _stamp(rng)
                closed = rng.choice((None, _stamp(rng), _stamp(rng)))
                inspections.append(
                    (iid, sid, unit, "p", "p", 3, "k", opened, "closed" if closed else "open", closed, closed)
                )
    # Remediation items, some of units not in the units table (the projections keep what the events say).
    for n in range(900):
        unit = rng.choice([*units, "u99", "u98"])
        deadline = rng.choice(
            ("", (TODAY - timedelta(days=rng.randrange(-40, 200))).isoformat(), TODAY.isoformat())
        )
        status = rng.choice(STATUSES)
        remediation.append(
            (
                f"r{n:04d}",
                unit,
                None,
                None,
                rng.choice(("high", "medium", "low")),
                status,
                deadline,
                "2026-01-01",
                "t",
            )
        )
    conn.execute("DELETE FROM remediation")
    conn.execute("DELETE FROM inspections")
    conn.execute("DELETE FROM systems")
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO systems (id, unit_id, name, level, filing_no, created_by, event_hash, extensions, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            systems,
        )
        cur.executemany(
            "INSERT INTO inspections (id, system_id, unit_id, profile, policy, level, opened_by, opened_at, status,"
            " closed_at, first_closed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            inspections,
        )
        cur.executemany(
            "INSERT INTO remediation (id, unit_id, inspection_id, drill_id, risk, status, deadline, planned_at,"
            " updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            remediation,
        )
    conn.execute("ANALYZE")
    return {"systems": systems, "inspections": inspections, "remediation": remediation}


def expected_due(rows: dict[str, list[tuple[Any, ...]]]) -> list[tuple[str, str, int, str, str | None]]:
    """(unit, system, level, created, last first close) of every level 3+ system, by unit then system."""
    last: dict[str, str] = {}
    for i in rows["inspections"]:
        if i[10] is not None and (i[1] not in last or i[10] > last[i[1]]):
            last[i[1]] = i[10]
    return sorted((s[1], s[0], s[3], s[8], last.get(s[0])) for s in rows["systems"] if s[3] >= 3)


def plain_due(rows: dict[str, list[tuple[Any, ...]]], today: date) -> list[queries.Due]:
    """inspections_due worked out row by row, as before schema v5 (no shared due dates)."""
    out = []
    for unit, system, level, created, last in expected_due(rows):
        base = date.fromisoformat((last or created)[:10])
        due = queries._add_months(base, queries.FREQUENCY_MONTHS[level]) if last else base
        out.append(
            queries.Due(unit, system, level, last[:10] if last else None, due.isoformat(), due < today)
        )
    return out


def expected_overdue(rows: dict[str, list[tuple[Any, ...]]], today: date) -> dict[str, int]:
    return dict(
        Counter(r[1] for r in rows["remediation"] if r[5] in PENDING and r[6] and r[6] < today.isoformat())
    )


@pytest.fixture
def hub(hub_url: str) -> Iterator[Any]:
    with psycopg.connect(hub_url, autocommit=True) as conn:
        migrate(conn)
        yield conn


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_new_shapes_give_what_the_plain_forms_give(hub: Any, seed: int) -> None:
    rows = generate(hub, seed)
    due = queries.inspections_due(hub, TODAY)
    assert [(d.unit_id, d.system_id, d.level) for d in due] == [e[:3] for e in expected_due(rows)]
    assert [d.last for d in due] == [e[4][:10] if e[4] else None for e in expected_due(rows)]
    assert hub.execute(queries.INSPECTIONS_DUE_SQL).fetchall() == hub.execute(PLAIN_DUE).fetchall()
    assert any(d.last is None for d in due) and any(d.last is not None for d in due)
    for today in (TODAY, date(2026, 3, 1), date(2027, 6, 30)):
        assert queries.inspections_due(hub, today) == plain_due(rows, today)
    assert {d.overdue for d in queries.inspections_due(hub, date(2026, 3, 1))} == {True, False}
    for today in (TODAY, TODAY - timedelta(days=30), TODAY + timedelta(days=90), date(2020, 1, 1)):
        got = queries.overdue_remediation_by_unit(hub, today)
        assert got == expected_overdue(rows, today)
        plain = hub.execute(PLAIN_OVERDUE, (today.isoformat(), sorted(PENDING))).fetchall()
        assert got == {u: n for u, n in plain}
    assert {"u98", "u99"} & set(queries.overdue_remediation_by_unit(hub, TODAY))


def _plan(conn: Any, sql: str, params: tuple[object, ...]) -> str:
    return "\n".join(r[0] for r in conn.execute("EXPLAIN " + sql, params).fetchall())


def test_inspections_due_can_use_the_v5_indexes(hub: Any) -> None:
    """On a small table the planner rightly prefers a scan; with scans priced out it must be able to take the
    partial index of level 3+ systems and the per-system range of first closes."""
    generate(hub)
    with hub.transaction(force_rollback=True):
        hub.execute("DROP INDEX systems_level_idx")  # a level range plus a sort is cheaper at this size
        hub.execute("SET LOCAL enable_seqscan = off")
        hub.execute("SET LOCAL enable_bitmapscan = off")
        due = _plan(hub, queries.INSPECTIONS_DUE_SQL, ())
        assert "systems_due" in due and "inspections_last_close" in due


RECOUNT = (
    "SELECT unit_id, deadline, count(*) FROM remediation WHERE status = ANY(%s) AND deadline <> ''"
    " GROUP BY 1, 2 ORDER BY 1, 2"
)


def _summary_is_a_recount(conn: Any) -> None:
    kept = conn.execute("SELECT unit_id, deadline, n FROM remediation_due ORDER BY 1, 2").fetchall()
    assert kept == conn.execute(RECOUNT, (sorted(PENDING),)).fetchall()


def test_the_summary_follows_inserts_merges_deletes_and_truncates(hub: Any) -> None:
    rows = generate(hub)
    _summary_is_a_recount(hub)
    rng = random.Random(3)
    columns = tables.REMEDIATION.columns
    for round_ in range(4):
        # The projector's own write: a batch of new and replaced items in one INSERT … ON CONFLICT DO UPDATE.
        batch = []
        for row in rng.sample(rows["remediation"], 150):
            item = dict(zip(columns, row, strict=True))
            item["status"] = rng.choice(STATUSES)
            item["deadline"] = rng.choice(("", item["deadline"], "2026-11-30", "2026-12-24"))
            if rng.random() < 0.2:
                item["unit_id"] = rng.choice(("u01", "u02", "u97"))
            batch.append(item)
        batch += [
            dict(
                zip(
                    columns,
                    (f"new{round_}-{k}", "u03", None, None, "high", "open", "2026-11-01", "p", "t"),
                    strict=True,
                )
            )
            for k in range(5)
        ]
        with hub.transaction():
            tables.merge(hub, "", tables.REMEDIATION, batch, replace=True)
        _summary_is_a_recount(hub)
        with hub.transaction():
            tables.merge(hub, "", tables.REMEDIATION, batch, replace=False)  # known keys: nothing changes
        _summary_is_a_recount(hub)
        rows["remediation"] = [tuple(r) for r in hub.execute(f"SELECT {', '.join(columns)} FROM remediation")]
    assert hub.execute("SELECT count(*) FROM remediation_due WHERE n <= 0").fetchone() == (0,)
    hub.execute(
        "DELETE FROM remediation WHERE unit_id IN ('u01', 'u05') OR status = 'open' AND deadline < '2026-06-01'"
    )
    _summary_is_a_recount(hub)
    for today in (TODAY, date(2026, 6, 1)):
        assert queries.overdue_remediation_by_unit(hub, today) == {
            u: n for u, n in hub.execute(PLAIN_OVERDUE, (today.isoformat(), sorted(PENDING))).fetchall()
        }
    hub.execute("TRUNCATE remediation")
    assert hub.execute("SELECT count(*) FROM remediation_due").fetchone() == (0,)
    assert queries.overdue_remediation_by_unit(hub, TODAY) == {}


def test_the_summary_counts_the_pending_statuses() -> None:
    # When PENDING changes, remediation_due counts the wrong items: a new migration must rebuild it.
    spelled = "(" + ", ".join(f"'{s}'" for s in sorted(PENDING)) + ")"
    assert spelled == PENDING_SQL


def test_a_v4_hub_migrates_to_v5_and_answers_the_same(hub_url: str) -> None:
    with psycopg.connect(hub_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE schema_version (version integer PRIMARY KEY)")
        for number, migration in enumerate(MIGRATIONS[:4], start=1):
            conn.execute(migration)
            conn.execute("INSERT INTO schema_version VALUES (%s)", (number,))
        rows = generate(conn)
        assert migrate(conn) == (4, LATEST)
        indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")}
        assert {"systems_due", "inspections_last_close"} <= indexes
        assert "inspections_system_id_idx" not in indexes
        _summary_is_a_recount(conn)  # filled from the items the hub already held
        assert queries.overdue_remediation_by_unit(conn, TODAY) == expected_overdue(rows, TODAY)
        assert [d.system_id for d in queries.inspections_due(conn, TODAY)] == [
            e[1] for e in expected_due(rows)
        ]
