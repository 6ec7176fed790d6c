"""``gradesec hub demo`` on a small city (5 units × 2 systems, seed 1) against the test set-up's PostgreSQL.

The city is built through real stores, keys and bundles, so the figures below are what the simulation, the
use cases, the bundle reader and the hub's projections give together. Event hashes are not compared: each store
gets a random store id when it is created (its first event), so the chains differ from run to run while the
city they describe does not.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import psycopg

from gradesec.hub import queries

Cli = Callable[..., tuple[int, str, str]]


def test_demo_fills_a_hub_with_a_small_city_that_verifies(hub_url: str, cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli(
        "hub", "demo", "--units", "5", "--systems-per-unit", "2", "--seed", "1", "--db", hub_url,
        "--work", tmp_path / "city",
    )  # fmt: skip
    assert code == 0, out + err
    assert "Building the simulated city: 5 units, 2 systems each" in out
    assert "Ingested 4/4 bundles (659 new events)" in out
    assert "The simulated city is in the hub: 5 units, 10 systems, 659 events" in out
    assert sorted(p.name for p in (tmp_path / "city").glob("*.gsb")) == [
        "body-1.gsb", "unit-1.gsb", "unit-3.gsb", "unit-5.gsb",
    ]  # fmt: skip
    with psycopg.connect(hub_url) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM systems), (SELECT count(*) FROM inspections),"
            " (SELECT count(*) FROM findings), (SELECT count(*) FROM problems), (SELECT count(*) FROM drills),"
            " (SELECT count(*) FROM remediation), (SELECT count(*) FROM trust)"
        ).fetchone()
        assert counts == (5, 10, 9, 216, 18, 4, 96, 4)
        statuses: dict[str, int] = dict(
            conn.execute("SELECT status, count(*) FROM remediation GROUP BY 1").fetchall()
        )
        assert statuses == {"open": 59, "reopened": 8, "verified": 29}
        regions = conn.execute("SELECT DISTINCT region FROM units ORDER BY 1").fetchall()
        assert [r[0] for r in regions] == sorted(["东湖区", "西山区", "南江区", "北岭区", "中心区"])
        assert conn.execute("SELECT count(*) FROM drills WHERE score IS NULL").fetchone() == (0,)
        today = date(2026, 12, 2)
        assert queries.systems_by_level_and_conclusion(conn) == {
            (2, "basically_compliant"): 3,
            (2, "noncompliant"): 1,
            (2, "none"): 1,
            (3, "basically_compliant"): 2,
            (3, "noncompliant"): 2,
            (4, "basically_compliant"): 1,
        }
        due = queries.inspections_due(conn, today)
        assert (len(due), sum(d.overdue for d in due)) == (5, 1)
        assert queries.filings_expiring(conn, today) == []
        assert len(queries.filings_expiring(conn, date(2028, 12, 1))) == 1
        assert sum(queries.open_high_risk_by_unit(conn).values()) == 10
        assert sum(queries.overdue_remediation_by_unit(conn, today).values()) == 40
        assert sorted(queries.drills_by_unit(conn, 2026).values()) == [1, 1, 2]
    code, out, _ = cli("--json", "hub", "verify", "--db", hub_url)
    assert code == 0 and json.loads(out)["events"] == 659
