"""The hub's schema: numbered migrations, each applied once in its own transaction, recorded in schema_version.

Journal tables (what was ingested, verbatim): ``events``, ``checkpoints``, ``blobs`` (hashes of evidence the
hub has verified; the files stay with the units), ``bundles``, and the office's registrations ``trust``.
Projection tables (rebuilt by replay, compared by ``hub verify``): see ``PROJECTION_TABLES``.
"""

from __future__ import annotations

from typing import Any

PROJECTIONS_V1 = """
CREATE TABLE {s}identities (
    key_id text PRIMARY KEY, public_key bytea NOT NULL, name text NOT NULL, role text NOT NULL,
    org text NOT NULL, event_hash text NOT NULL
);
CREATE TABLE {s}units (
    id text PRIMARY KEY, name text NOT NULL, code text NOT NULL, region text NOT NULL, contact text NOT NULL,
    created_by text NOT NULL, event_hash text NOT NULL
);
CREATE TABLE {s}systems (
    id text PRIMARY KEY, unit_id text NOT NULL, name text NOT NULL, level integer NOT NULL,
    filing_no text NOT NULL, created_by text NOT NULL, event_hash text NOT NULL
);
CREATE INDEX ON {s}systems (unit_id);
CREATE INDEX ON {s}systems (level);
CREATE TABLE {s}assets (id text PRIMARY KEY, system_id text NOT NULL, unit_id text NOT NULL, kind text NOT NULL);
CREATE TABLE {s}inspections (
    id text PRIMARY KEY, system_id text NOT NULL, unit_id text NOT NULL, profile text NOT NULL,
    policy text NOT NULL, level integer NOT NULL, opened_by text NOT NULL, opened_at text NOT NULL,
    status text NOT NULL, closed_at text
);
CREATE INDEX ON {s}inspections (unit_id);
CREATE INDEX ON {s}inspections (system_id);
CREATE TABLE {s}findings (
    inspection_id text NOT NULL, item_id text NOT NULL, asset_id text NOT NULL, result text NOT NULL,
    at text NOT NULL, event_hash text NOT NULL, PRIMARY KEY (inspection_id, item_id, asset_id)
);
CREATE TABLE {s}problems (
    inspection_id text NOT NULL, item_id text NOT NULL, asset_id text NOT NULL, unit_id text NOT NULL,
    risk text NOT NULL, at text NOT NULL, event_hash text NOT NULL,
    PRIMARY KEY (inspection_id, item_id, asset_id)
);
CREATE INDEX ON {s}problems (unit_id, risk);
CREATE TABLE {s}remediation (
    id text PRIMARY KEY, unit_id text NOT NULL, inspection_id text, drill_id text, risk text NOT NULL,
    status text NOT NULL, deadline text NOT NULL, planned_at text NOT NULL, updated_at text NOT NULL
);
CREATE INDEX ON {s}remediation (unit_id, status);
CREATE INDEX ON {s}remediation (deadline);
CREATE TABLE {s}drills (
    id text PRIMARY KEY, unit_id text NOT NULL, scenario text NOT NULL, lead text NOT NULL,
    started_at text NOT NULL, closed_at text, improvements integer NOT NULL
);
CREATE INDEX ON {s}drills (unit_id);
"""

PROJECTIONS_V2 = """
ALTER TABLE {s}systems ADD COLUMN extensions text NOT NULL DEFAULT '';
ALTER TABLE {s}systems ADD COLUMN created_at text NOT NULL DEFAULT '';
ALTER TABLE {s}systems ADD COLUMN filing_expires date;
CREATE INDEX ON {s}systems (filing_expires);
ALTER TABLE {s}inspections ADD COLUMN opened_hash text NOT NULL DEFAULT '';
ALTER TABLE {s}inspections ADD COLUMN score double precision;
ALTER TABLE {s}inspections ADD COLUMN conclusion text;
ALTER TABLE {s}problems ADD COLUMN major boolean NOT NULL DEFAULT false;
ALTER TABLE {s}inspections ADD COLUMN first_closed_at text;
"""

PROJECTIONS_V3 = """
ALTER TABLE {s}drills ADD COLUMN score double precision;
ALTER TABLE {s}drills ADD COLUMN passed boolean;
ALTER TABLE {s}drills ADD COLUMN record jsonb;
"""

# Every projection migration, in order: the live tables got them one by one, a replay gets them all.
PROJECTION_MIGRATIONS = (PROJECTIONS_V1, PROJECTIONS_V2, PROJECTIONS_V3)

PROJECTION_TABLES = (
    "identities",
    "units",
    "systems",
    "assets",
    "inspections",
    "findings",
    "problems",
    "remediation",
    "drills",
)

JOURNAL_V1 = """
CREATE TABLE trust (
    key_id text PRIMARY KEY, public_key bytea NOT NULL, name text NOT NULL, role text NOT NULL,
    org text NOT NULL, unit_id text, body text,
    CHECK ((unit_id IS NULL) <> (body IS NULL))
);
CREATE TABLE events (
    n bigserial PRIMARY KEY, author text NOT NULL, seq integer NOT NULL, hash text NOT NULL UNIQUE,
    kind text NOT NULL, at text NOT NULL, raw bytea NOT NULL, sig bytea NOT NULL, bundle text NOT NULL,
    UNIQUE (author, seq)
);
CREATE INDEX ON events (kind);
CREATE TABLE checkpoints (hash text PRIMARY KEY, raw bytea NOT NULL, sig bytea NOT NULL, bundle text NOT NULL);
CREATE TABLE blobs (sha256 text PRIMARY KEY);
CREATE TABLE bundles (
    digest text PRIMARY KEY, exporter text NOT NULL, events integer NOT NULL, new_events integer NOT NULL
);
"""

# Covering indexes for the dashboard's per-unit counts over the largest projection (remediation): index-only
# scans of the pending rows instead of a scan of the table (bench/hub.py --synthetic-projections). The live
# tables only: a replay for hub verify needs no indexes.
DASHBOARD_V4 = """
CREATE INDEX remediation_pending_risk ON remediation (risk, status, unit_id);
CREATE INDEX remediation_pending_deadline ON remediation (status, deadline, unit_id);
"""

# The two slowest dashboard queries at city scale (bench/hub.py --synthetic-projections), live tables only:
# - inspections_due walks the level 3+ systems in (unit, id) order and looks up each one's last first close
#   (max of an index range: one probe per system) instead of joining every inspection, grouping and sorting;
# - overdue_remediation_by_unit counts one unit after another in a partial index of the pending items that have
#   a deadline (a third of the rows of remediation_pending_deadline; no hashing). Its predicate is
#   remedy.model.PENDING spelled out: when PENDING changes, a migration must rebuild it (a test compares them).
# The new (system_id, first_closed_at) index makes v1's (system_id) one redundant.
PENDING_SQL = "('in_progress', 'open', 'reopened')"
DASHBOARD_V5 = f"""
CREATE INDEX systems_due ON systems (unit_id, id) INCLUDE (level, created_at) WHERE level >= 3;
CREATE INDEX inspections_last_close ON inspections (system_id, first_closed_at);
DROP INDEX IF EXISTS inspections_system_id_idx;
CREATE INDEX remediation_overdue ON remediation (unit_id, deadline)
    WHERE status IN {PENDING_SQL} AND deadline <> '';
"""

MIGRATIONS: list[str] = [
    JOURNAL_V1 + PROJECTIONS_V1.format(s=""),
    PROJECTIONS_V2.format(s=""),
    PROJECTIONS_V3.format(s=""),
    DASHBOARD_V4,
    DASHBOARD_V5,
]

LATEST = len(MIGRATIONS)


def current_version(conn: Any) -> int:
    row = conn.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()"
        " AND table_name = 'schema_version'"
    ).fetchone()
    if row is None:
        return 0
    got = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()
    return int(got[0])


def migrate(conn: Any) -> tuple[int, int]:
    """Apply the migrations this database lacks, each in one transaction; returns (before, after)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(4711)")
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY)")
        before = current_version(conn)
    for number in range(before + 1, LATEST + 1):
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(4711)")
            if current_version(conn) >= number:
                continue
            conn.execute(MIGRATIONS[number - 1])
            conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))
    return before, current_version(conn)
