"""Central projections: what each ingested event changes in the hub's tables, applied in ingest order.

``Projector.run(events)`` takes one batch of events: it loads the rows the batch touches with one query per
table, applies every event in order to those rows in memory, then writes the changed rows set-wise (the
batch's rows, their loading and their writing are ``hub/batch.py``'s ``Batch``, which ``Projector`` extends).
The result is the one a row-at-a-time application would give, whatever the batch size; ``hub verify`` replays
with the same class into a throw-away schema (``s``), so a replay is the projection by construction. Within the
ingest order a later finding, rating or status replaces an earlier one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from gradesec.hub import drills as drill_record
from gradesec.hub import tables
from gradesec.hub.batch import Batch
from gradesec.hub.scores import Pinned, inspection_score, pinned
from gradesec.hub.tables import Row
from gradesec.journal.events import Event
from gradesec.remedy.lifecycle import TRANSITIONS

FILING_YEARS = 3
FILING_RULES_FROM = date(2025, 1, 1)


def _date(at: str) -> str:
    return at[:10]


class Projector(Batch):
    """Applies batches of events to the projection tables (``s``: schema prefix such as ``"hub_replay."``)."""

    def __init__(self, conn: Any, unit_of_author: Callable[[str], str | None], s: str = "") -> None:
        self.unit_of_author = unit_of_author
        super().__init__(conn, s)

    def run(self, events: Sequence[Event]) -> None:
        """Project one batch: load, apply in order, write."""
        self.prefetch(events)
        for event in events:
            self.apply(event)
        self.flush()

    # Events

    def apply(self, event: Event) -> None:
        b = event.body
        kind = event.kind
        if kind == "key.identity" and b.get("key") == event.author and isinstance(b.get("public_key"), str):
            self._put(
                tables.IDENTITIES,
                event.author,
                {
                    "key_id": event.author,
                    "public_key": bytes.fromhex(b["public_key"]),
                    "name": str(b.get("name", "")),
                    "role": str(b.get("role", "")),
                    "org": str(b.get("org", "")),
                    "event_hash": event.hash,
                },
            )
        elif kind == "unit.created":
            self.dirty["units"].setdefault(
                str(b["id"]),
                {
                    "id": b["id"],
                    "name": b["name"],
                    "code": b.get("code", ""),
                    "region": b.get("region", ""),
                    "contact": b.get("contact", ""),
                    "created_by": event.author,
                    "event_hash": event.hash,
                },
            )
        elif kind == "system.created":
            self._system(event)
        elif kind == "asset.added":
            system = self.get(tables.SYSTEMS, str(b["system"]))
            if system is not None:
                self.dirty["assets"].setdefault(
                    str(b["id"]),
                    {
                        "id": b["id"],
                        "system_id": system["id"],
                        "unit_id": system["unit_id"],
                        "kind": b["kind"],
                    },
                )
        elif kind == "inspection.opened":
            self._open(event)
        elif kind == "inspection.closed":
            self._close(str(b.get("id", b.get("inspection"))), event)
        elif kind == "inspection.reopened":
            row = self.get(tables.INSPECTIONS, str(b.get("id", b.get("inspection"))))
            if row is not None:
                row.update(status="open", closed_at=None)
                self._touch(tables.INSPECTIONS, row)
        elif kind in ("finding.recorded", "finding.resolved") and "result" in b:
            key = (str(b["inspection"]), str(b["item"]), str(b["asset"]))
            found: Row = dict(zip(tables.FINDINGS.key, key, strict=True))
            found.update(result=str(b["result"]), at=event.at, event_hash=event.hash)
            self.dirty["findings"][key] = found
            if key[0] in self.results:
                self.results[key[0]][key[1:]] = found
        elif kind == "issue.rated":
            self._rate(event)
        elif kind == "remediation.planned":
            self._plan(str(b["id"]), b.get("inspection"), None, str(b.get("risk", "medium")), b, event)
        elif kind == "drill.improvement_raised":
            self._plan(str(b["id"]), None, str(b["drill"]), str(b.get("risk", "medium")), b, event)
        elif kind == "remediation.updated":
            action = str(b.get("action", "note"))
            fields = b.get("fields") or {}
            deadline = fields.get("deadline") if isinstance(fields, dict) else None
            self._move(str(b["id"]), action, event, deadline if isinstance(deadline, str) else None)
        elif kind == "remediation.retested":
            self._move(str(b["id"]), "verify" if b.get("outcome") == "verified" else "reopen", event, None)
        elif kind == "drill.started":
            self._drill_started(event)
        elif kind in drill_record.RECORD_KINDS:
            row = self.get(tables.DRILLS, str(b["drill"]))
            if row is not None and row["record"] is not None:
                drill_record.apply(row["record"], event)
                self._touch(tables.DRILLS, row)
        elif kind == "drill.closed":
            self._drill_closed(event)

    def _system(self, event: Event) -> None:
        b = event.body
        if self.get(tables.SYSTEMS, str(b["id"])) is not None:
            return
        self._put(
            tables.SYSTEMS,
            str(b["id"]),
            {
                "id": b["id"],
                "unit_id": b["unit"],
                "name": b["name"],
                "level": int(b["level"]),
                "filing_no": b.get("filing_no", ""),
                "created_by": event.author,
                "event_hash": event.hash,
                "extensions": ",".join(str(x) for x in b.get("extensions", [])),
                "created_at": event.at,
                "filing_expires": filing_expiry(event.at) if b.get("filing_no") else None,
            },
        )

    def _open(self, event: Event) -> None:
        b = event.body
        system = self.get(tables.SYSTEMS, str(b["system"]))
        if system is None or self.get(tables.INSPECTIONS, str(b["id"])) is not None:
            return
        self.opened.setdefault(event.hash, b)
        self._put(
            tables.INSPECTIONS,
            str(b["id"]),
            {
                "id": b["id"],
                "system_id": system["id"],
                "unit_id": system["unit_id"],
                "profile": b["profile"],
                "policy": b["policy"],
                "level": int(b["level"]),
                "opened_by": event.author,
                "opened_at": event.at,
                "status": "open",
                "closed_at": None,
                "opened_hash": event.hash,
                "score": None,
                "conclusion": None,
                "first_closed_at": None,
            },
        )

    def _rate(self, event: Event) -> None:
        b = event.body
        inspection = self.get(tables.INSPECTIONS, str(b["inspection"]))
        if inspection is None:
            return
        key = (str(b["inspection"]), str(b["item"]), str(b["asset"]))
        row: Row = dict(zip(tables.PROBLEMS.key, key, strict=True))
        row.update(
            unit_id=inspection["unit_id"],
            risk=b["risk"],
            at=event.at,
            event_hash=event.hash,
            major=bool(b.get("major", False)),
        )
        self.dirty["problems"][key] = row
        if key[0] in self.ratings:
            self.ratings[key[0]][key[1:]] = row

    def _close(self, inspection: str, event: Event) -> None:
        """Closed: the score and conclusion under its pinned policy; the first close of an inspection extends the
        system's filing by a year (each 等级测评 extends the 备案证明 by one year)."""
        row = self.get(tables.INSPECTIONS, inspection)
        if row is None:
            return
        row.update(status="closed", closed_at=event.at, first_closed_at=row["first_closed_at"] or event.at)
        body = self.opened.get(row["opened_hash"])
        snapshot: Pinned | None = None if body is None else pinned(body)
        results = self.results.get(inspection)
        ratings = self.ratings.get(inspection)
        if results is None or ratings is None:  # not named up front: read them now
            results = {
                (r["item_id"], r["asset_id"]): r
                for r in tables.load(self.conn, self.s, tables.FINDINGS, "inspection_id", [inspection])
            }
            ratings = {
                (r["item_id"], r["asset_id"]): r
                for r in tables.load(self.conn, self.s, tables.PROBLEMS, "inspection_id", [inspection])
            }
            for key, r in self.dirty["findings"].items():
                if key[0] == inspection:
                    results[key[1:]] = r
            for key, r in self.dirty["problems"].items():
                if key[0] == inspection:
                    ratings[key[1:]] = r
        score, conclusion = inspection_score(
            snapshot,
            int(row["level"]),
            str(row["policy"]),
            [(k[0], k[1], str(r["result"])) for k, r in results.items()],
            {k: (str(r["risk"]), bool(r["major"])) for k, r in ratings.items()},
        )
        row.update(score=score, conclusion=conclusion)
        self._touch(tables.INSPECTIONS, row)
        if row["first_closed_at"] == event.at:
            system = self.get(tables.SYSTEMS, row["system_id"])
            if system is not None and system["filing_expires"] is not None:
                system["filing_expires"] = _plus_years(system["filing_expires"], 1)
                self._touch(tables.SYSTEMS, system)

    def _plan(
        self, item: str, inspection: Any, drill: str | None, risk: str, b: dict[str, Any], event: Event
    ) -> None:
        if inspection is not None:
            source = self.get(tables.INSPECTIONS, str(inspection))
        else:
            source = self.get(tables.DRILLS, str(drill))
            if source is not None:
                source["improvements"] += 1
                self._touch(tables.DRILLS, source)
        if source is None or self.get(tables.REMEDIATION, item) is not None:
            return
        self._put(
            tables.REMEDIATION,
            item,
            {
                "id": item,
                "unit_id": source["unit_id"],
                "inspection_id": inspection,
                "drill_id": drill,
                "risk": risk,
                "status": "open",
                "deadline": str(b.get("deadline") or ""),
                "planned_at": _date(event.at),
                "updated_at": event.at,
            },
        )

    def _move(self, item: str, action: str, event: Event, deadline: str | None) -> None:
        row = self.get(tables.REMEDIATION, item)
        if row is None:
            return
        _starts, to = TRANSITIONS.get(action, (frozenset(), None))  # type: ignore[call-overload]
        if to is not None:
            row.update(status=to, updated_at=event.at)
        if deadline:
            row["deadline"] = deadline
        self._touch(tables.REMEDIATION, row)

    def _drill_started(self, event: Event) -> None:
        b = event.body
        unit = self.unit_of_author(event.author)
        if unit is None or self.get(tables.DRILLS, str(b["drill"])) is not None:
            return
        self._put(
            tables.DRILLS,
            str(b["drill"]),
            {
                "id": b["drill"],
                "unit_id": unit,
                "scenario": b["scenario"],
                "lead": str(b.get("lead", "")),
                "started_at": event.at,
                "closed_at": None,
                "improvements": 0,
                "score": None,
                "passed": None,
                "record": drill_record.new_record(event),
            },
        )

    def _drill_closed(self, event: Event) -> None:
        b = event.body
        row = self.get(tables.DRILLS, str(b["drill"]))
        if row is None:
            return
        score, passed = drill_record.score(row["record"], row, int(b.get("elapsed_ms", 0)), event.at)
        row.update(closed_at=event.at, score=score, passed=passed)
        self._touch(tables.DRILLS, row)


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
