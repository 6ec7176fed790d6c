"""bench/hub.py's schema comparison at city scale: schema v4's forms of the two queries v5 reshaped against
v5's, alternately in rounds (wall time and the backend's CPU per call), the cost of v5's remediation_due
triggers on the projector's write, and the SQL the benchmark EXPLAINs. Run through bench/hub.py
--synthetic-projections; not a test: nothing here asserts timings."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import Any

from gradesec.hub import queries

TODAY = date(2026, 12, 2)  # the day every hub benchmark evaluates on


def explained() -> list[tuple[str, str, tuple[object, ...]]]:
    """The SQL of the slowest queries at this size, for EXPLAIN (the two v5 shapes exactly as queries.py runs them)."""
    from gradesec.remedy.model import PENDING

    return [
        (
            "open_high_risk_by_unit",
            "SELECT unit_id, count(*) FROM remediation WHERE risk = 'high' AND status = ANY(%s) GROUP BY 1",
            (sorted(PENDING),),
        ),
        ("inspections_due", queries.INSPECTIONS_DUE_SQL, ()),
        ("overdue_remediation_by_unit", queries.OVERDUE_BY_UNIT_SQL, (TODAY.isoformat(),)),
    ]


# Schema v4's forms of the two queries v5 reshaped (and the plain forms tests/hub/test_query_shapes.py checks
# the new ones against), and what v5 changed in the indexes: dropped in a rolled-back transaction to time them.
V4_SQL = {
    "inspections_due": (
        "SELECT s.unit_id, s.id, s.level, s.created_at, max(i.first_closed_at)"
        " FROM systems s LEFT JOIN inspections i ON i.system_id = s.id WHERE s.level >= 3"
        " GROUP BY s.unit_id, s.id, s.level, s.created_at ORDER BY s.unit_id, s.id",
        (),
    ),
    "overdue_remediation_by_unit": (
        "SELECT unit_id, count(*) FROM remediation WHERE deadline <> '' AND deadline < %s AND status = ANY(%s)"
        " GROUP BY 1",
        (TODAY.isoformat(), ["in_progress", "open", "reopened"]),
    ),
}
BACK_TO_V4 = (
    "DROP INDEX systems_due; DROP INDEX inspections_last_close;"
    " CREATE INDEX inspections_system_id_idx ON inspections (system_id)"
)
V5_SQL = {
    "inspections_due": (queries.INSPECTIONS_DUE_SQL, ()),
    "overdue_remediation_by_unit": (queries.OVERDUE_BY_UNIT_SQL, (TODAY.isoformat(),)),
}


def _best_ms(conn: Any, sql: str, params: tuple[object, ...], times: int = 3) -> tuple[float, list[Any]]:
    best, rows = float("inf"), []
    for _ in range(times):
        start = time.perf_counter()
        rows = conn.execute(sql, params).fetchall()
        best = min(best, time.perf_counter() - start)
    return best * 1000, rows


def _server_cpu_ms(conn: Any, sql: str, params: tuple[object, ...], calls: int = 40) -> float:
    """CPU the server process spends per call (user + system, from /proc; parallel workers off so that it is all
    in this backend): unlike wall time it hardly depends on the other processes sharing the machine."""
    stat = Path(f"/proc/{conn.info.backend_pid}/stat")

    def ticks() -> int:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))

    conn.execute("SET max_parallel_workers_per_gather = 0")
    try:
        before = ticks()
        for _ in range(calls):
            conn.execute(sql, params).fetchall()
        return (ticks() - before) * 1000 / os.sysconf("SC_CLK_TCK") / calls
    finally:
        conn.execute("RESET max_parallel_workers_per_gather")


def summary_write_cost(conn: Any, rounds: int, size: int = 5000) -> None:
    """What remediation_due's triggers add to the projector's write of remediation: one merge of ``size`` items
    (half replaced with another status, half new), as ingest does per batch, with the triggers and without them
    (disabled), each in a transaction rolled back afterwards."""
    from gradesec.hub import tables

    cols = tables.REMEDIATION.columns
    old = conn.execute(
        f"SELECT {', '.join(cols)} FROM remediation ORDER BY id LIMIT %s", (size // 2,)
    ).fetchall()
    batch = [dict(zip(cols, r, strict=True)) | {"status": "fixed" if r[5] == "open" else "open"} for r in old]
    batch += [dict(zip(cols, r, strict=True)) | {"id": f"new-{r[0]}"} for r in old]
    for n in range(1, rounds + 1):
        took = {}
        for label, setup in (
            ("with triggers", ""),
            ("without", "ALTER TABLE remediation DISABLE TRIGGER USER"),
        ):
            with conn.transaction(force_rollback=True):
                if setup:
                    conn.execute(setup)
                start = time.perf_counter()
                tables.merge(conn, "", tables.REMEDIATION, batch, replace=True)
                took[label] = (time.perf_counter() - start) * 1000
        print(f"merge of {len(batch):,} remediation items, round {n}: "
              + ", ".join(f"{k} {v:,.1f} ms" for k, v in took.items()), flush=True)  # fmt: skip


def v4_due_python(rows: list[Any]) -> list[queries.Due]:
    """What inspections_due did with v4's rows (a due date worked out per row), to time the whole v4 call."""
    out = []
    for unit, system, level, created, last in rows:
        base = date.fromisoformat((last or created)[:10])
        due = queries._add_months(base, queries.FREQUENCY_MONTHS.get(int(level), 12)) if last else base
        out.append(
            queries.Due(unit, system, int(level), last[:10] if last else None, due.isoformat(), due < TODAY)
        )
    return out


def before_after(conn: Any, rounds: int) -> None:
    """v4 (old SQL, v5's indexes dropped in a transaction rolled back afterwards) against v5, alternately, in
    ``rounds`` rounds of best-of-three each; the load average is printed with every round. "SQL" is the query
    and fetch; "call" adds what the function does with the rows (inspections_due's due dates)."""
    for n in range(1, rounds + 1):
        figures = []
        with conn.transaction(force_rollback=True):
            conn.execute(BACK_TO_V4)
            old = {name: _best_ms(conn, sql, params) for name, (sql, params) in V4_SQL.items()}
            old_cpu = {name: _server_cpu_ms(conn, sql, params) for name, (sql, params) in V4_SQL.items()}
        new = {name: _best_ms(conn, sql, params) for name, (sql, params) in V5_SQL.items()}
        new_cpu = {name: _server_cpu_ms(conn, sql, params) for name, (sql, params) in V5_SQL.items()}
        for name in V4_SQL:
            (a, rows_a), (b, rows_b) = old[name], new[name]
            same = sorted(map(tuple, rows_a)) == sorted(map(tuple, rows_b))
            figures.append(
                f"{name} SQL v4 {a:,.1f} ms / v5 {b:,.1f} ms, server CPU v4 {old_cpu[name]:,.1f} ms"
                f" / v5 {new_cpu[name]:,.1f} ms ({len(rows_b):,} rows, same: {same})"
            )
        due_rows = old["inspections_due"][1]
        python = min(_timed(lambda r=due_rows: v4_due_python(r)) for _ in range(3))
        call = min(_timed(lambda: queries.inspections_due(conn, TODAY)) for _ in range(3))
        same = v4_due_python(due_rows) == queries.inspections_due(conn, TODAY)
        figures.append(
            f"inspections_due call v4 {old['inspections_due'][0] + python:,.1f} ms / v5 {call:,.1f} ms (same: {same})"
        )
        load = Path("/proc/loadavg").read_text().split()[0]
        print(f"round {n} (load {load}): " + "; ".join(figures), flush=True)


def _timed(call: Any) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000
