"""One batch of the hub's projection held in memory: the rows it touches, loaded up front, written set-wise.

``Batch.prefetch(events)`` loads every keyed row the batch names with one query per table (and, for the
inspections it closes, their current results, ratings and opening snapshot); ``get`` finds a row the batch
did not name up front; ``_put``/``_touch`` mark rows changed; ``flush`` merges the changed rows into the tables
(``hub/tables.py``: COPY into a temporary table, then one ``INSERT … ON CONFLICT`` per table) and forgets the
batch. ``project.Projector`` extends it with what each event changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from gradesec.hub import tables
from gradesec.hub.tables import Row, Table
from gradesec.journal.events import Event

KEYED = (tables.SYSTEMS, tables.INSPECTIONS, tables.REMEDIATION, tables.DRILLS)  # loaded, then replaced


def _ref(b: dict[str, Any]) -> str:
    return str(b.get("inspection") or b.get("id"))


class Batch:
    """The rows of one batch of events (``s``: schema prefix such as ``"hub_replay."``)."""

    def __init__(self, conn: Any, s: str = "") -> None:
        self.conn = conn
        self.s = s
        self._clear()

    def _clear(self) -> None:
        # Keyed rows of the batch: table -> key -> row (None: known to be absent).
        self.rows: dict[str, dict[Any, Row | None]] = {t.name: {} for t in KEYED}
        self.dirty: dict[str, dict[Any, Row]] = {t.name: {} for t in tables.ALL}
        # Current results and ratings of the inspections closed in this batch: inspection -> (item, asset) -> row.
        self.results: dict[str, dict[tuple[str, str], Row]] = {}
        self.ratings: dict[str, dict[tuple[str, str], Row]] = {}
        self.opened: dict[str, dict[str, Any]] = {}  # opened_hash -> body of inspection.opened

    # Reading

    def get(self, table: Table, key: str) -> Row | None:
        rows = self.rows[table.name]
        if key not in rows:  # not loaded up front: look it up now
            found = tables.load(self.conn, self.s, table, "id", [key])
            rows[key] = found[0] if found else None
        return rows[key]

    def _load(self, table: Table, keys: Iterable[str]) -> None:
        rows = self.rows[table.name]
        wanted = {k for k in keys if k not in rows}
        for row in tables.load(self.conn, self.s, table, "id", wanted):
            rows[row["id"]] = row
        for k in wanted:
            rows.setdefault(k, None)

    def prefetch(self, events: Sequence[Event]) -> None:
        """Load every keyed row the batch names, and the results, ratings and snapshots of what it closes."""
        systems: set[str] = set()
        inspections: set[str] = set()
        remediation: set[str] = set()
        drills: set[str] = set()
        closing: set[str] = set()
        for e in events:
            b, kind = e.body, e.kind
            if kind == "system.created":
                systems.add(str(b["id"]))
            elif kind in ("asset.added", "inspection.opened"):
                systems.add(str(b["system"]))
                if kind == "inspection.opened":
                    inspections.add(str(b["id"]))
            elif kind.startswith(("inspection.", "finding.", "issue.")) or kind == "remediation.round":
                inspections.add(_ref(b))
                if kind == "inspection.closed":
                    closing.add(str(b.get("id", b.get("inspection"))))
            elif kind.startswith("remediation."):
                remediation.add(str(b["id"]))
                if kind == "remediation.planned" and b.get("inspection") is not None:
                    inspections.add(str(b["inspection"]))
            elif kind.startswith("drill."):
                drills.add(str(b["drill"]))
                if kind == "drill.improvement_raised":
                    remediation.add(str(b["id"]))
        self._load(tables.REMEDIATION, remediation)
        for row in self.rows["remediation"].values():
            if row is not None and row["inspection_id"] is not None:
                inspections.add(row["inspection_id"])
        self._load(tables.INSPECTIONS, inspections | closing)
        for i in closing:
            row = self.rows["inspections"].get(i)
            if row is not None:
                systems.add(row["system_id"])
        self._load(tables.SYSTEMS, systems)
        self._load(tables.DRILLS, drills)
        for i in closing:
            self.results.setdefault(i, {})
            self.ratings.setdefault(i, {})
        for r in tables.load(self.conn, self.s, tables.FINDINGS, "inspection_id", closing):
            self.results[r["inspection_id"]].setdefault((r["item_id"], r["asset_id"]), r)
        for r in tables.load(self.conn, self.s, tables.PROBLEMS, "inspection_id", closing):
            self.ratings[r["inspection_id"]].setdefault((r["item_id"], r["asset_id"]), r)
        hashes = {row["opened_hash"] for i in closing if (row := self.rows["inspections"].get(i)) is not None}
        if hashes:
            for h, raw in self.conn.execute(
                "SELECT hash, raw FROM events WHERE hash = ANY(%s)", (sorted(hashes),)
            ).fetchall():
                self.opened.setdefault(str(h), json.loads(bytes(raw))["body"])

    # Writing

    def flush(self) -> None:
        for table in tables.ALL:
            rows = list(self.dirty[table.name].values())
            tables.merge(self.conn, self.s, table, rows, replace=table not in (tables.UNITS, tables.ASSETS))
        self._clear()

    def _put(self, table: Table, key: Any, row: Row) -> None:
        if table in KEYED:
            self.rows[table.name][key] = row
        self.dirty[table.name][key] = row

    def _touch(self, table: Table, row: Row) -> None:
        self.dirty[table.name][row["id"]] = row
