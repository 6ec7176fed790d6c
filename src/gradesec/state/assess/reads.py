"""Read functions of the inspection state: rows of ``tables`` turned into ``gradesec.assess.model`` objects.

They take a connection; ``reader`` opens a read-only one of its own, so the TUI's workers can read while another
thread writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from gradesec.assess.model import (
    Asset,
    Disagreement,
    EvidenceRef,
    Finding,
    Inspection,
    PolicySnapshot,
    SnapshotItem,
    System,
    Unit,
)

T = TypeVar("T")


@contextmanager
def reader(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection of its own (safe beside writes from another thread or process)."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30.0)
    try:
        yield db
    finally:
        db.close()


@dataclass(frozen=True)
class _Rows(Generic[T]):
    """How to read one kind of inventory row: its table and columns, the column naming its parent (the unit
    of a system, the system of an asset), the order of a listing, and the model a row becomes."""

    table: str
    cols: str
    parent: str
    order: str
    make: Callable[[tuple[Any, ...]], T]

    def get(self, db: sqlite3.Connection, row_id: str) -> T | None:
        r = db.execute(f"SELECT {self.cols} FROM {self.table} WHERE id = ?", (row_id,)).fetchone()
        return None if r is None else self.make(r)

    def listing(self, db: sqlite3.Connection, parent_id: str | None = None) -> list[T]:
        """Every row, or those of one parent."""
        where, args = ("", ()) if parent_id is None else (f" WHERE {self.parent} = ?", (parent_id,))
        rows = db.execute(f"SELECT {self.cols} FROM {self.table}{where} ORDER BY {self.order}", args)
        return [self.make(r) for r in rows]


_UNITS = _Rows(
    "unit",
    "id, name, code, region, contact, author, at",
    "",
    "name, id",
    lambda r: Unit(r[0], r[1], r[2], r[3], r[4], r[5], r[6]),
)
_SYSTEMS = _Rows(
    "system",
    "id, unit_id, name, level, extensions, filing_no, description, grading, author, at,"
    " COALESCE((SELECT c.conditions FROM system_condition c WHERE c.system_id = system.id), '[]')",
    "unit_id",
    "name, id",
    lambda r: System(
        r[0],
        r[1],
        r[2],
        int(r[3]),
        tuple(json.loads(r[4])),
        r[5],
        r[6],
        json.loads(r[7]),
        r[8],
        r[9],
        tuple(json.loads(r[10])),
    ),
)
_ASSETS = _Rows(
    "asset",
    "id, system_id, kind, name, address, role, importance, notes, author, at, version",
    "system_id",
    "system_id, kind, name, id",  # within one system: by kind, then name
    lambda r: Asset(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10]),
)


def get_unit(db: sqlite3.Connection, unit_id: str) -> Unit | None:
    return _UNITS.get(db, unit_id)


def list_units(db: sqlite3.Connection) -> list[Unit]:
    return _UNITS.listing(db)


def get_system(db: sqlite3.Connection, system_id: str) -> System | None:
    return _SYSTEMS.get(db, system_id)


def list_systems(db: sqlite3.Connection, unit_id: str | None = None) -> list[System]:
    return _SYSTEMS.listing(db, unit_id)


def get_asset(db: sqlite3.Connection, asset_id: str) -> Asset | None:
    return _ASSETS.get(db, asset_id)


def list_assets(db: sqlite3.Connection, system_id: str | None = None) -> list[Asset]:
    return _ASSETS.listing(db, system_id)


_INSPECTION_COLS = (
    "id, system_id, profile_id, policy_id, level, title, snapshot, opened_by, opened_at, status, closed_at,"
    " closed_by, reopen_reason"
)


def _inspection(db: sqlite3.Connection, r: tuple[Any, ...]) -> Inspection:
    snap = json.loads(r[6])
    assets = tuple(
        str(a[0])
        for a in db.execute(
            "SELECT asset_id FROM inspection_asset WHERE inspection_id = ? ORDER BY at, asset_id", (r[0],)
        )
    )
    items = tuple(
        SnapshotItem(
            i["id"],
            i["category"],
            i["class"],
            i["control"],
            float(i["weight"]),
            tuple(i["objects"]),
            int(i.get("order", n)),
            str(i.get("extension") or ""),
        )
        for n, i in enumerate(snap.get("items", []))
    )
    policies = {
        p["id"]: PolicySnapshot(
            p["id"], p["method"], dict(p.get("params", {})), p.get("sha256", ""), p.get("title", {})
        )
        for p in snap.get("policies", [])
    }
    return Inspection(
        id=r[0],
        system_id=r[1],
        profile_id=r[2],
        policy_id=r[3],
        level=int(r[4]),
        asset_ids=assets,
        items=items,
        policies=policies,
        pins=dict(snap.get("pins", {})),
        catalog_sha256=snap.get("catalog_sha256", ""),
        high_risk_id=snap.get("high_risk"),
        title=r[5],
        status="closed" if r[9] == "closed" else "open",
        opened_by=r[7],
        opened_at=r[8],
        closed_at=r[10] if r[9] == "closed" else None,
        closed_by=r[11] if r[9] == "closed" else None,
        reopen_reason=r[12],
    )


def get_inspection(db: sqlite3.Connection, inspection_id: str) -> Inspection | None:
    r = db.execute(
        f"SELECT {_INSPECTION_COLS} FROM inspection WHERE id = ? AND event_hash != ''", (inspection_id,)
    ).fetchone()
    return None if r is None else _inspection(db, r)


def inspection_cases(db: sqlite3.Connection, inspection_id: str) -> list[dict[str, Any]]:
    """The high-risk case rules pinned with the inspection (JSON form of ``assess.risk.CaseRule``)."""
    r = db.execute("SELECT snapshot FROM inspection WHERE id = ?", (inspection_id,)).fetchone()
    return [] if r is None else list(json.loads(r[0]).get("cases", []))


def list_inspections(db: sqlite3.Connection, system_id: str | None = None) -> list[Inspection]:
    where = "WHERE event_hash != ''" + (" AND system_id = ?" if system_id else "")
    args: tuple[str, ...] = (system_id,) if system_id else ()
    rows = db.execute(
        f"SELECT {_INSPECTION_COLS} FROM inspection {where} ORDER BY opened_at, id", args
    ).fetchall()
    return [_inspection(db, r) for r in rows]


def current_results(db: sqlite3.Connection, inspection_id: str) -> list[tuple[str, str, str]]:
    """``(item, asset, result)`` of the current revision of every pair: what scoring reads."""
    return [
        (str(a), str(b), str(c))
        for a, b, c in db.execute(
            "SELECT item_id, asset_id, result FROM finding_current WHERE inspection_id = ?", (inspection_id,)
        )
    ]


_REVISION_COLS = (
    "r.inspection_id, r.item_id, r.asset_id, r.result, r.revision, r.author, r.at, r.event_hash, r.note,"
    " r.method, r.na_reason, r.evidence, r.resolution, r.resolves, r.scope_extension"
)


def _finding(r: tuple[Any, ...]) -> Finding:
    return Finding(
        inspection_id=r[0],
        item_id=r[1],
        asset_id=r[2],
        result=r[3],
        revision=int(r[4]),
        author=r[5],
        at=r[6],
        event_hash=r[7],
        note=r[8],
        method=r[9],
        na_reason=r[10],
        evidence=tuple(
            EvidenceRef(
                e["sha256"], e["name"], int(e["size"]), e.get("media_type", "application/octet-stream")
            )
            for e in json.loads(r[11])
        ),
        resolution=bool(r[12]),
        resolves=tuple(json.loads(r[13])),
        scope_extension=None if r[14] is None else bool(r[14]),
    )


def current_findings(db: sqlite3.Connection, inspection_id: str) -> list[Finding]:
    rows = db.execute(
        f"SELECT {_REVISION_COLS} FROM finding_current c JOIN finding_revision r ON r.event_hash = c.event_hash"
        " WHERE c.inspection_id = ? ORDER BY r.item_id, r.asset_id",
        (inspection_id,),
    )
    return [_finding(r) for r in rows]


def finding_history(db: sqlite3.Connection, inspection_id: str, item_id: str, asset_id: str) -> list[Finding]:
    rows = db.execute(
        f"SELECT {_REVISION_COLS} FROM finding_revision r"
        " WHERE r.inspection_id = ? AND r.item_id = ? AND r.asset_id = ? ORDER BY r.revision",
        (inspection_id, item_id, asset_id),
    )
    return [_finding(r) for r in rows]


def revisions_by_hash(db: sqlite3.Connection, hashes: list[str]) -> list[Finding]:
    out: list[Finding] = []
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT {_REVISION_COLS} FROM finding_revision r WHERE r.event_hash IN ({marks})", chunk
        )
        out += [_finding(r) for r in rows]
    return out


def disagreements(db: sqlite3.Connection, inspection_id: str) -> list[Disagreement]:
    out: list[Disagreement] = []
    for item_id, asset_id, dispute in db.execute(
        "SELECT item_id, asset_id, dispute FROM finding_current WHERE inspection_id = ? AND disputed"
        " ORDER BY item_id, asset_id",
        (inspection_id,),
    ).fetchall():
        results = json.loads(dispute)
        hashes = tuple(head_hashes(db, inspection_id, item_id, asset_id))
        out.append(Disagreement(inspection_id, item_id, asset_id, results, hashes))
    return out


def head_hashes(db: sqlite3.Connection, inspection_id: str, item_id: str, asset_id: str) -> list[str]:
    """The pair's current revisions (one, or several recorded concurrently): what a new revision supersedes."""
    return [
        str(h[0])
        for h in db.execute(
            "SELECT event_hash FROM finding_revision WHERE inspection_id = ? AND item_id = ? AND asset_id = ?"
            " AND head ORDER BY revision",
            (inspection_id, item_id, asset_id),
        )
    ]


def issue_ratings(db: sqlite3.Connection, inspection_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for item_id, asset_id, risk, compensation, reason, major, mitigations, author, at in db.execute(
        "SELECT item_id, asset_id, risk, compensation, reason, major, mitigations, author, at FROM issue_rating"
        " WHERE inspection_id = ?",
        (inspection_id,),
    ):
        out[(str(item_id), str(asset_id))] = {
            "risk": risk,
            "compensation": compensation,
            "reason": reason,
            "major": bool(major),
            "mitigations": tuple((str(m["case"]), str(m["id"])) for m in json.loads(mitigations or "[]")),
            "author": author,
            "at": at,
        }
    return out
