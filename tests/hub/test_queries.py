"""The office's queries with golden figures on the small fixed city (tests/hub/city.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import psycopg
import pytest

from gradesec.hub import queries
from tests.hub.city import City

Cli = Callable[..., tuple[int, str, str]]


def test_dashboard_queries_on_the_small_city(hub_url: str, cli: Cli, city: City) -> None:
    assert cli("hub", "init", "--db", hub_url)[0] == 0
    for name, flag, value in (
        ("ivan", "--body", "Lab A"),
        ("ina", "--body", "Lab B"),
        ("olga", "--unit", city.unit_a),
        ("lena", "--unit", city.unit_a),
    ):
        assert cli("hub", "trust", city.keys[name], flag, value, "--db", hub_url)[0] == 0
    code, out, err = cli("hub", "ingest", city.ivan_a, city.olga_a, city.ina_b, city.lena_a, "--db", hub_url)
    assert code == 0, out + err
    with psycopg.connect(hub_url) as conn:
        run(conn, city)


def run(conn: Any, city: City) -> None:
    a, b = city.unit_a, city.unit_b
    # Two level-2 office systems (one per unit), both inspected and non-compliant; unit A's level-3 portal
    # was never inspected.
    assert queries.systems_by_level_and_conclusion(conn) == {(2, city.conclusion_a): 2, (3, "none"): 1}
    due = queries.inspections_due(conn, date(2026, 12, 20))
    assert [(d.unit_id, d.level, d.last, d.due, d.overdue) for d in due] == [(a, 3, None, "2026-11-24", True)]
    assert queries.filings_expiring(conn, date(2026, 12, 20)) == []
    portal = due[0].system_id
    assert queries.filings_expiring(conn, date(2029, 9, 1)) == [
        (a, portal, "11010099001-00001", "2029-11-24")
    ]
    # Olga fixed unit A's high-risk item; unit B's is still open; unit A's drill raised high-risk gaps.
    assert city.drill_high > 0
    assert queries.open_high_risk_by_unit(conn) == {a: city.drill_high, b: 1}
    # Planned 2026-11-24: the high-risk deadline (14 days) has passed by 2026-12-20, the others not yet.
    assert queries.overdue_remediation_by_unit(conn, date(2026, 12, 20)) == {b: 1}
    assert queries.overdue_remediation_by_unit(conn, date(2028, 1, 1)) == {a: 2, b: 3}
    assert queries.drills_by_unit(conn, 2026) == {a: 1}
    assert queries.drills_by_unit(conn, 2025) == {}
    drill = conn.execute("SELECT unit_id, closed_at IS NOT NULL, improvements FROM drills").fetchall()
    assert drill == [(a, True, city.improvements)]
    # The drill's score at the hub is the one Lena's own store gives it (one expectation met, then closed).
    assert city.drill_score is not None and city.drill_score > 0
    assert conn.execute("SELECT score, passed FROM drills").fetchone() == (
        pytest.approx(city.drill_score),
        city.drill_passed,
    )
    items = conn.execute(
        "SELECT count(*) FROM remediation WHERE drill_id = %s AND unit_id = %s", (city.drill, a)
    )
    assert items.fetchone() == (city.improvements,)
