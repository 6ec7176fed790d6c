"""Central projections: what each ingested event changes in the hub's tables (applied in ingest order).

The same functions build the live tables during ingest and a throw-away copy during ``hub verify`` (``s`` is a
schema prefix), so a replay is the projection by construction. Events are applied in the order the hub
ingested them; within that order a later finding, rating or status replaces an earlier one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gradesec.hub.scores import inspection_score
from gradesec.journal.events import Event
from gradesec.remedy.lifecycle import TRANSITIONS

FILING_YEARS = 3
FILING_RULES_FROM = date(2025, 1, 1)


def _date(at: str) -> str:
    return at[:10]


def project(conn: Any, event: Event, unit_of_author: str | None, s: str = "") -> None:
    """Apply ``event`` to the projection tables (``s``: schema prefix such as ``"replay."``)."""
    b = event.body
    kind = event.kind
    if kind == "key.identity" and b.get("key") == event.author and isinstance(b.get("public_key"), str):
        conn.execute(
            f"INSERT INTO {s}identities (key_id, public_key, name, role, org, event_hash)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (key_id) DO UPDATE SET name = excluded.name,"
            " role = excluded.role, org = excluded.org, event_hash = excluded.event_hash",
            (
                event.author,
                bytes.fromhex(b["public_key"]),
                str(b.get("name", "")),
                str(b.get("role", "")),
                str(b.get("org", "")),
                event.hash,
            ),
        )
    elif kind == "unit.created":
        conn.execute(
            f"INSERT INTO {s}units (id, name, code, region, contact, created_by, event_hash)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            (
                b["id"],
                b["name"],
                b.get("code", ""),
                b.get("region", ""),
                b.get("contact", ""),
                event.author,
                event.hash,
            ),
        )
    elif kind == "system.created":
        conn.execute(
            f"INSERT INTO {s}systems (id, unit_id, name, level, filing_no, created_by, event_hash, extensions,"
            " created_at, filing_expires) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (id) DO NOTHING",
            (
                b["id"],
                b["unit"],
                b["name"],
                int(b["level"]),
                b.get("filing_no", ""),
                event.author,
                event.hash,
                ",".join(str(x) for x in b.get("extensions", [])),
                event.at,
                filing_expiry(event.at) if b.get("filing_no") else None,
            ),
        )
    elif kind == "asset.added":
        conn.execute(
            f"INSERT INTO {s}assets (id, system_id, unit_id, kind)"
            f" SELECT %s, id, unit_id, %s FROM {s}systems WHERE id = %s ON CONFLICT (id) DO NOTHING",
            (b["id"], b["kind"], b["system"]),
        )
    elif kind == "inspection.opened":
        conn.execute(
            f"INSERT INTO {s}inspections (id, system_id, unit_id, profile, policy, level, opened_by, opened_at,"
            f" status, opened_hash) SELECT %s, id, unit_id, %s, %s, %s, %s, %s, 'open', %s FROM {s}systems"
            " WHERE id = %s ON CONFLICT (id) DO NOTHING",
            (
                b["id"],
                b["profile"],
                b["policy"],
                int(b["level"]),
                event.author,
                event.at,
                event.hash,
                b["system"],
            ),
        )
    elif kind == "inspection.closed":
        _close(conn, s, str(b.get("id", b.get("inspection"))), event)
    elif kind == "inspection.reopened":
        conn.execute(
            f"UPDATE {s}inspections SET status = 'open', closed_at = NULL WHERE id = %s",
            (b.get("id", b.get("inspection")),),
        )
    elif kind in ("finding.recorded", "finding.resolved") and "result" in b:
        conn.execute(
            f"INSERT INTO {s}findings (inspection_id, item_id, asset_id, result, at, event_hash)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (inspection_id, item_id, asset_id) DO UPDATE"
            " SET result = excluded.result, at = excluded.at, event_hash = excluded.event_hash",
            (b["inspection"], b["item"], b["asset"], str(b["result"]), event.at, event.hash),
        )
    elif kind == "issue.rated":
        conn.execute(
            f"INSERT INTO {s}problems (inspection_id, item_id, asset_id, unit_id, risk, at, event_hash, major)"
            f" SELECT %s, %s, %s, unit_id, %s, %s, %s, %s FROM {s}inspections WHERE id = %s"
            " ON CONFLICT (inspection_id, item_id, asset_id) DO UPDATE"
            " SET risk = excluded.risk, at = excluded.at, event_hash = excluded.event_hash, major = excluded.major",
            (
                b["inspection"],
                b["item"],
                b["asset"],
                b["risk"],
                event.at,
                event.hash,
                bool(b.get("major", False)),
                b["inspection"],
            ),
        )
    elif kind == "remediation.planned":
        _plan(conn, s, str(b["id"]), b.get("inspection"), None, str(b.get("risk", "medium")), b, event)
    elif kind == "drill.improvement_raised":
        _plan(conn, s, str(b["id"]), None, str(b["drill"]), str(b.get("risk", "medium")), b, event)
    elif kind == "remediation.updated":
        action = str(b.get("action", "note"))
        fields = b.get("fields") or {}
        deadline = fields.get("deadline") if isinstance(fields, dict) else None
        _move(conn, s, str(b["id"]), action, event, deadline if isinstance(deadline, str) else None)
    elif kind == "remediation.retested":
        _move(conn, s, str(b["id"]), "verify" if b.get("outcome") == "verified" else "reopen", event, None)
    elif kind == "drill.started" and unit_of_author is not None:
        conn.execute(
            f"INSERT INTO {s}drills (id, unit_id, scenario, lead, started_at, improvements)"
            " VALUES (%s, %s, %s, %s, %s, 0) ON CONFLICT (id) DO NOTHING",
            (b["drill"], unit_of_author, b["scenario"], str(b.get("lead", "")), event.at),
        )
    elif kind == "drill.closed":
        conn.execute(f"UPDATE {s}drills SET closed_at = %s WHERE id = %s", (event.at, b["drill"]))


def filing_expiry(at: str) -> date:
    """A 备案证明 is valid 3 years (2025 rules; a filing before 2025-01-01 counts from 2025-01-01).

    The hub knows a filing from the system's record: it counts from the day the system was recorded."""
    start = max(date.fromisoformat(_date(at)), FILING_RULES_FROM)
    return _plus_years(start, FILING_YEARS)


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _close(conn: Any, s: str, inspection: str, event: Event) -> None:
    """Closed: the score and conclusion under its pinned policy; the first close of an inspection extends the
    system's filing by a year (each 等级测评 extends the 备案证明 by one year)."""
    row = conn.execute(
        f"UPDATE {s}inspections SET status = 'closed', closed_at = %s,"
        " first_closed_at = COALESCE(first_closed_at, %s) WHERE id = %s"
        " RETURNING system_id, first_closed_at = %s",
        (event.at, event.at, inspection, event.at),
    ).fetchone()
    if row is None:
        return
    score, conclusion = inspection_score(conn, s, inspection)
    conn.execute(
        f"UPDATE {s}inspections SET score = %s, conclusion = %s WHERE id = %s",
        (score, conclusion, inspection),
    )
    if row[1]:
        found = conn.execute(f"SELECT filing_expires FROM {s}systems WHERE id = %s", (row[0],)).fetchone()
        if found is not None and found[0] is not None:
            conn.execute(
                f"UPDATE {s}systems SET filing_expires = %s WHERE id = %s", (_plus_years(found[0], 1), row[0])
            )


def _plan(
    conn: Any,
    s: str,
    item: str,
    inspection: Any,
    drill: str | None,
    risk: str,
    b: dict[str, Any],
    event: Event,
) -> None:
    deadline = str(b.get("deadline") or "")
    if inspection is not None:
        source = f"SELECT unit_id FROM {s}inspections WHERE id = %s"
        ref = str(inspection)
    else:
        source = f"SELECT unit_id FROM {s}drills WHERE id = %s"
        ref = str(drill)
        conn.execute(f"UPDATE {s}drills SET improvements = improvements + 1 WHERE id = %s", (ref,))
    conn.execute(
        f"INSERT INTO {s}remediation (id, unit_id, inspection_id, drill_id, risk, status, deadline, planned_at,"
        f" updated_at) SELECT %s, unit_id, %s, %s, %s, 'open', %s, %s, %s FROM ({source}) AS src"
        " ON CONFLICT (id) DO NOTHING",
        (item, inspection, drill, risk, deadline, _date(event.at), event.at, ref),
    )


def _move(conn: Any, s: str, item: str, action: str, event: Event, deadline: str | None) -> None:
    _starts, to = TRANSITIONS.get(action, (frozenset(), None))  # type: ignore[call-overload]
    if to is not None:
        conn.execute(
            f"UPDATE {s}remediation SET status = %s, updated_at = %s WHERE id = %s", (to, event.at, item)
        )
    if deadline:
        conn.execute(f"UPDATE {s}remediation SET deadline = %s WHERE id = %s", (deadline, item))
