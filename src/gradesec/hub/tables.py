"""Set-wise reads and writes of the projection tables: batched look-ups by key, and merges through COPY.

The projector (``hub/project.py``) works on rows held in memory for one batch of events; this module loads the
rows a batch will touch with one query per table (``load``) and writes the changed ones back with one COPY into
a temporary table and one ``INSERT … SELECT … ON CONFLICT`` per table (``merge``). ``s`` is a schema prefix
(``""`` for the live tables, ``"hub_replay."`` for ``hub verify``'s replay).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from psycopg.types.json import Jsonb

Row = dict[str, Any]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    types: tuple[str, ...]  # PostgreSQL types for binary COPY, one per column


def _spec(name: str, key: tuple[str, ...], cols: str) -> Table:
    pairs = [c.split(":") for c in cols.split()]
    return Table(name, tuple(p[0] for p in pairs), key, tuple(p[1] for p in pairs))


IDENTITIES = _spec(
    "identities", ("key_id",), "key_id:text public_key:bytea name:text role:text org:text event_hash:text"
)
UNITS = _spec(
    "units", ("id",), "id:text name:text code:text region:text contact:text created_by:text event_hash:text"
)
SYSTEMS = _spec(
    "systems",
    ("id",),
    "id:text unit_id:text name:text level:int4 filing_no:text created_by:text event_hash:text extensions:text"
    " created_at:text filing_expires:date",
)
ASSETS = _spec("assets", ("id",), "id:text system_id:text unit_id:text kind:text")
INSPECTIONS = _spec(
    "inspections",
    ("id",),
    "id:text system_id:text unit_id:text profile:text policy:text level:int4 opened_by:text opened_at:text"
    " status:text closed_at:text opened_hash:text score:float8 conclusion:text first_closed_at:text",
)
FINDINGS = _spec(
    "findings",
    ("inspection_id", "item_id", "asset_id"),
    "inspection_id:text item_id:text asset_id:text result:text at:text event_hash:text",
)
PROBLEMS = _spec(
    "problems",
    ("inspection_id", "item_id", "asset_id"),
    "inspection_id:text item_id:text asset_id:text unit_id:text risk:text at:text event_hash:text major:bool",
)
REMEDIATION = _spec(
    "remediation",
    ("id",),
    "id:text unit_id:text inspection_id:text drill_id:text risk:text status:text deadline:text planned_at:text"
    " updated_at:text",
)
DRILLS = _spec(
    "drills",
    ("id",),
    "id:text unit_id:text scenario:text lead:text started_at:text closed_at:text improvements:int4"
    " score:float8 passed:bool record:jsonb",
)

ALL = (IDENTITIES, UNITS, SYSTEMS, ASSETS, INSPECTIONS, FINDINGS, PROBLEMS, REMEDIATION, DRILLS)


def load(conn: Any, s: str, table: Table, column: str, values: Iterable[Any]) -> list[Row]:
    """Every row of ``table`` whose ``column`` is one of ``values`` (one query)."""
    wanted = sorted(set(values))
    if not wanted:
        return []
    cols = ", ".join(table.columns)
    rows = conn.execute(f"SELECT {cols} FROM {s}{table.name} WHERE {column} = ANY(%s)", (wanted,)).fetchall()
    return [dict(zip(table.columns, r, strict=True)) for r in rows]


def merge(conn: Any, s: str, table: Table, rows: Sequence[Row], *, replace: bool) -> None:
    """Write ``rows``: new keys are inserted; existing ones replaced (``replace``) or left as they are."""
    if not rows:
        return
    temp = f"hub_merge_{table.name}"
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {temp} (LIKE {s}{table.name}) ON COMMIT DROP")
    conn.execute(f"TRUNCATE {temp}")
    cols = ", ".join(table.columns)
    with conn.cursor() as cur, cur.copy(f"COPY {temp} ({cols}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(list(table.types))
        json_cols = {c for c, kind in zip(table.columns, table.types, strict=True) if kind == "jsonb"}
        for row in rows:
            copy.write_row(
                tuple(
                    Jsonb(row[c]) if c in json_cols and row[c] is not None else row[c] for c in table.columns
                )
            )
    keys = ", ".join(table.key)
    if replace:
        sets = ", ".join(f"{c} = excluded.{c}" for c in table.columns if c not in table.key)
        action = f"DO UPDATE SET {sets}"
    else:
        action = "DO NOTHING"
    conn.execute(
        f"INSERT INTO {s}{table.name} ({cols}) SELECT {cols} FROM {temp} ON CONFLICT ({keys}) {action}"
    )
