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
    "remediation_due",
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

# remedy.model.PENDING spelled out for the SQL below: when PENDING changes, a migration must rebuild what uses
# it (a test compares them).
PENDING_SQL = "('in_progress', 'open', 'reopened')"

# remediation_due: the pending items that have a deadline, counted per unit and deadline day, so that the
# overdue count per unit adds up a few rows per unit (one per deadline day) instead of counting every item
# (at 1,000 units: ~18,000 rows instead of ~190,000 items). Kept by statement-level triggers on remediation with
# transition tables: each write statement of the projector (an INSERT … ON CONFLICT DO UPDATE per batch) adds
# its inserted and updated rows' counts and takes away the replaced ones', set-wise; a count that falls to zero
# is deleted, so the table always equals the GROUP BY over remediation whatever the history. A projection like
# the others: hub verify's replay builds it through the same triggers and compares it with the live one. The
# migration locks remediation against writes first, so no write falls between the filling and the triggers.
PROJECTIONS_V4 = f"""
LOCK TABLE {{s}}remediation IN SHARE ROW EXCLUSIVE MODE;
CREATE TABLE {{s}}remediation_due (
    unit_id text NOT NULL, deadline text NOT NULL, n integer NOT NULL, PRIMARY KEY (unit_id, deadline)
);
INSERT INTO {{s}}remediation_due
    SELECT unit_id, deadline, count(*) FROM {{s}}remediation
    WHERE status IN {PENDING_SQL} AND deadline <> '' GROUP BY unit_id, deadline;
CREATE FUNCTION {{s}}remediation_due_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {{s}}remediation_due AS d (unit_id, deadline, n)
        SELECT unit_id, deadline, count(*) FROM new_rows
        WHERE status IN {PENDING_SQL} AND deadline <> '' GROUP BY unit_id, deadline
        ON CONFLICT (unit_id, deadline) DO UPDATE SET n = d.n + excluded.n;
    RETURN NULL;
END $$;
CREATE FUNCTION {{s}}remediation_due_take() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {{s}}remediation_due AS d (unit_id, deadline, n)
        SELECT unit_id, deadline, -count(*) FROM old_rows
        WHERE status IN {PENDING_SQL} AND deadline <> '' GROUP BY unit_id, deadline
        ON CONFLICT (unit_id, deadline) DO UPDATE SET n = d.n + excluded.n;
    DELETE FROM {{s}}remediation_due d USING (SELECT DISTINCT unit_id, deadline FROM old_rows) o
        WHERE d.unit_id = o.unit_id AND d.deadline = o.deadline AND d.n = 0;
    RETURN NULL;
END $$;
CREATE FUNCTION {{s}}remediation_due_replace() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {{s}}remediation_due AS d (unit_id, deadline, n)
        SELECT unit_id, deadline, sum(k) FROM (
            SELECT unit_id, deadline, 1 AS k FROM new_rows WHERE status IN {PENDING_SQL} AND deadline <> ''
            UNION ALL
            SELECT unit_id, deadline, -1 FROM old_rows WHERE status IN {PENDING_SQL} AND deadline <> ''
        ) changes GROUP BY unit_id, deadline HAVING sum(k) <> 0
        ON CONFLICT (unit_id, deadline) DO UPDATE SET n = d.n + excluded.n;
    DELETE FROM {{s}}remediation_due d USING (SELECT DISTINCT unit_id, deadline FROM old_rows) o
        WHERE d.unit_id = o.unit_id AND d.deadline = o.deadline AND d.n = 0;
    RETURN NULL;
END $$;
CREATE FUNCTION {{s}}remediation_due_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE {{s}}remediation_due;
    RETURN NULL;
END $$;
CREATE TRIGGER remediation_due_insert AFTER INSERT ON {{s}}remediation REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {{s}}remediation_due_add();
CREATE TRIGGER remediation_due_update AFTER UPDATE ON {{s}}remediation
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {{s}}remediation_due_replace();
CREATE TRIGGER remediation_due_delete AFTER DELETE ON {{s}}remediation REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {{s}}remediation_due_take();
CREATE TRIGGER remediation_due_truncate AFTER TRUNCATE ON {{s}}remediation
    FOR EACH STATEMENT EXECUTE FUNCTION {{s}}remediation_due_clear();
"""

# Every projection migration, in order: the live tables got them one by one, a replay gets them all.
PROJECTION_MIGRATIONS = (PROJECTIONS_V1, PROJECTIONS_V2, PROJECTIONS_V3, PROJECTIONS_V4)

# inspections_due at city scale (bench/hub.py --synthetic-projections): the level 3+ systems walked in (unit, id)
# order and each one's last first close looked up (the max of an index range: one probe per system) instead of
# every inspection joined, grouped and sorted. The (system_id, first_closed_at) index makes v1's (system_id)
# one redundant. Live tables only: a replay needs no indexes.
DASHBOARD_V5 = """
CREATE INDEX systems_due ON systems (unit_id, id) INCLUDE (level, created_at) WHERE level >= 3;
CREATE INDEX inspections_last_close ON inspections (system_id, first_closed_at);
DROP INDEX IF EXISTS inspections_system_id_idx;
"""

MIGRATIONS: list[str] = [
    JOURNAL_V1 + PROJECTIONS_V1.format(s=""),
    PROJECTIONS_V2.format(s=""),
    PROJECTIONS_V3.format(s=""),
    DASHBOARD_V4,
    PROJECTIONS_V4.format(s="") + DASHBOARD_V5,
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
