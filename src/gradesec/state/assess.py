"""State of inspections: units, systems, assets, inspections, finding revisions, current findings, issue ratings.

Projected from ``unit.created``, ``system.created``, ``system.conditions_set``, ``asset.added``, ``inspection.opened``,
``inspection.assets_added``, ``inspection.closed``, ``inspection.reopened``, ``finding.recorded``,
``finding.resolved`` and ``issue.rated``. Every projector is order-insensitive across authors:

- creation events insert once (``INSERT OR IGNORE``: an id is created by one event);
- an inspection's status follows the latest event by ``(at, author, seq)``, an issue's rating by ``(at, hash)``;
- a finding event adds a revision, then the item×asset pair is recomputed from *all* its revisions by
  ``assess.revisions.order`` (revision numbers, the heads, the current result, whether people disagree): what
  a revision supersedes is what its writer saw, never what its clock said, so merges in any order and with any
  clocks reach the same rows.

The read functions at the bottom turn rows into ``gradesec.assess.model`` objects; they use their own
read-only connection, so the TUI's workers can read while another thread writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from gradesec.assess import revisions
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
from gradesec.state.registry import projector, register_kind

if TYPE_CHECKING:
    from gradesec.journal.events import Event

T = TypeVar("T")


class UnitRow(SQLModel, table=True):
    __tablename__ = "unit"

    id: str = Field(primary_key=True)
    name: str
    code: str
    region: str
    contact: str
    author: str
    at: str
    event_hash: str


class SystemRow(SQLModel, table=True):
    __tablename__ = "system"

    id: str = Field(primary_key=True)
    unit_id: str = Field(index=True)
    name: str
    level: int
    extensions: str  # JSON list
    filing_no: str
    description: str
    grading: str  # JSON object or "null"
    author: str
    at: str
    event_hash: str


class SystemConditionRow(SQLModel, table=True):
    """The current conditions of a system (业务连续性要求高, 关键行业 …): set at creation, changed by
    ``system.conditions_set``; the latest event (by time, then hash) wins."""

    __tablename__ = "system_condition"

    system_id: str = Field(primary_key=True)
    conditions: str  # JSON list, sorted
    author: str
    at: str
    event_hash: str


class AssetRow(SQLModel, table=True):
    __tablename__ = "asset"

    id: str = Field(primary_key=True)
    system_id: str = Field(index=True)
    kind: str
    name: str
    address: str
    role: str
    importance: str
    notes: str
    author: str
    at: str
    event_hash: str
    version: str = ""  # software/firmware version; from asset.added (optional) or asset.updated


class InspectionRow(SQLModel, table=True):
    __tablename__ = "inspection"

    id: str = Field(primary_key=True)
    system_id: str = Field(index=True)
    profile_id: str
    policy_id: str
    level: int
    title: str
    snapshot: str  # JSON: items, policies, cases, pins, catalog hash
    opened_by: str
    opened_at: str
    event_hash: str
    status: str
    status_at: str
    status_hash: str
    status_by: str
    status_seq: int = 0  # with status_at and status_by, which status event is the latest (see _set_status)
    reopen_reason: str | None = None
    closed_at: str | None = None
    closed_by: str | None = None


class InspectionAssetRow(SQLModel, table=True):
    __tablename__ = "inspection_asset"

    inspection_id: str = Field(primary_key=True)
    asset_id: str = Field(primary_key=True)
    at: str
    event_hash: str


class FindingRevisionRow(SQLModel, table=True):
    """Every result ever recorded (and every reviewer's ruling), newest revision numbered highest."""

    __tablename__ = "finding_revision"
    # Every write recomputes its pair from the pair's revisions: without this index that is a scan of the
    # inspection's revisions per event (quadratic in a batch import).
    __table_args__ = (Index("finding_revision_pair", "inspection_id", "item_id", "asset_id"),)

    event_hash: str = Field(primary_key=True)
    inspection_id: str = Field(index=True)
    item_id: str
    asset_id: str
    result: str
    note: str
    method: str | None = None
    na_reason: str
    evidence: str  # JSON list of {sha256, name, size, media_type}
    resolution: bool
    resolves: str  # JSON list of event hashes
    supersedes: str  # JSON list of the event hashes this revision supersedes by name (resolves included)
    author: str
    seq: int
    at: str
    revision: int
    head: bool  # nobody superseded it: a current revision (several when people recorded concurrently)
    # The event's ``scope_extension`` (an object of a kind the catalog did not expect); NULL when the event
    # does not say (recorded before the field existed).
    scope_extension: bool | None = None


class FindingCurrentRow(SQLModel, table=True):
    """The latest revision per inspection, item and asset, and whether it is disputed."""

    __tablename__ = "finding_current"

    inspection_id: str = Field(primary_key=True)
    item_id: str = Field(primary_key=True)
    asset_id: str = Field(primary_key=True)
    result: str
    revision: int
    author: str
    at: str
    event_hash: str
    disputed: bool
    dispute: str  # JSON {author: result} of the people who disagree, "{}" when not disputed


class IssueRatingRow(SQLModel, table=True):
    __tablename__ = "issue_rating"

    inspection_id: str = Field(primary_key=True)
    item_id: str = Field(primary_key=True)
    asset_id: str = Field(primary_key=True)
    risk: str
    suggested: str | None = None
    cases: str  # JSON list of case ids that matched when rated
    compensation: str
    reason: str
    major: bool
    mitigations: str = "[]"  # JSON list of {case, id}: the mitigations named for a downgrade (optional field)
    author: str
    at: str
    event_hash: str


register_kind("unit.created", summary="a unit (organisation) under inspection")
register_kind("system.created", summary="a graded system of a unit, with its level")
register_kind("system.conditions_set", summary="the conditions of a system that gate high-risk cases")
register_kind("asset.added", summary="an asset of a system, of one catalog object kind")
register_kind("inspection.opened", summary="an inspection, pinning the catalog hashes and applicable items")
register_kind("inspection.assets_added", summary="assets brought into an inspection's scope")
register_kind("inspection.closed", summary="an inspection is closed (a checkpoint follows)")
register_kind("inspection.reopened", summary="a closed inspection is reopened, with a reason")
register_kind("finding.recorded", summary="one result for one item on one asset (a new revision)")
register_kind("finding.resolved", summary="a reviewer rules on a disagreement about one item and asset")
register_kind(
    "issue.rated",
    summary="the risk of an issue, with the mitigations named and compensating measures for a downgrade",
)


def _dumps(value: Any) -> str:
    if isinstance(value, list) and not value:
        return "[]"  # most revisions name no evidence, resolve nothing, supersede nothing
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _insert_stamped(
    db: sqlite3.Connection,
    table: str,
    columns: str,
    values: tuple[Any, ...],
    event: Event,
    *,
    replace: bool = False,
) -> None:
    """Insert a row of ``table``: ``values`` for ``columns``, then the event's author, time and hash.

    By default an existing row is kept (``INSERT OR IGNORE``: the id was created by one event, so a replay or
    a merge brings nothing new); ``replace`` overwrites it instead.
    """
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
    marks = ", ".join("?" * (len(values) + 3))
    db.execute(
        f"{verb} INTO {table} ({columns}, author, at, event_hash) VALUES ({marks})",
        (*values, event.author, event.at, event.hash),
    )


@projector("unit.created")
def _unit_created(db: sqlite3.Connection, event: Event) -> None:
    b = event.body
    values = (b["id"], b["name"], b.get("code", ""), b.get("region", ""), b.get("contact", ""))
    _insert_stamped(db, "unit", "id, name, code, region, contact", values, event)


@projector("system.created")
def _system_created(db: sqlite3.Connection, event: Event) -> None:
    b = event.body
    values = (
        b["id"],
        b["unit"],
        b["name"],
        int(b["level"]),
        _dumps(b.get("extensions", [])),
        b.get("filing_no", ""),
        b.get("description", ""),
        _dumps(b.get("grading")),
    )
    columns = "id, unit_id, name, level, extensions, filing_no, description, grading"
    _insert_stamped(db, "system", columns, values, event)
    _set_conditions(db, b["id"], b.get("conditions", []), event)


def _set_conditions(db: sqlite3.Connection, system_id: str, conditions: Any, event: Event) -> None:
    row = db.execute(
        "SELECT at, event_hash FROM system_condition WHERE system_id = ?", (system_id,)
    ).fetchone()
    if row is not None and (event.at, event.hash) <= (row[0], row[1]):
        return
    values = (system_id, _dumps(sorted({str(c) for c in conditions or []})))
    _insert_stamped(db, "system_condition", "system_id, conditions", values, event, replace=True)


@projector("system.conditions_set")
def _system_conditions_set(db: sqlite3.Connection, event: Event) -> None:
    b = event.body
    _set_conditions(db, b["system"], b.get("conditions", []), event)


@projector("asset.added")
def _asset_added(db: sqlite3.Connection, event: Event) -> None:
    b = event.body
    values = (
        b["id"],
        b["system"],
        b["kind"],
        b["name"],
        b.get("address", ""),
        b.get("role", ""),
        b.get("importance", ""),
        b.get("notes", ""),
        b.get("version", ""),
    )
    columns = "id, system_id, kind, name, address, role, importance, notes, version"
    _insert_stamped(db, "asset", columns, values, event)


@projector("inspection.opened")
def _inspection_opened(db: sqlite3.Connection, event: Event) -> None:
    b = event.body
    snapshot = {
        "items": b["items"],
        "policies": b["policies"],
        "cases": b.get("cases", []),
        "pins": b["pins"],
        "catalog_sha256": b["catalog_sha256"],
        "high_risk": b.get("high_risk"),
    }
    # system_id, profile_id, policy_id, level, title, snapshot, opened_by, opened_at, event_hash
    opened = (
        b["system"],
        b["profile"],
        b["policy"],
        int(b["level"]),
        b.get("title", ""),
        _dumps(snapshot),
        event.author,
        event.at,
        event.hash,
    )
    cur = db.execute(
        "INSERT OR IGNORE INTO inspection (id, system_id, profile_id, policy_id, level, title, snapshot,"
        " opened_by, opened_at, event_hash, status, status_at, status_hash, status_by, status_seq)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)",
        (b["id"], *opened, event.at, event.hash, event.author, event.seq),
    )
    if cur.rowcount == 0:
        # A close or reopen may have arrived first (merged bundles): keep its status, fill in the rest.
        db.execute(
            "UPDATE inspection SET system_id = ?, profile_id = ?, policy_id = ?, level = ?, title = ?,"
            " snapshot = ?, opened_by = ?, opened_at = ?, event_hash = ? WHERE id = ? AND event_hash = ''",
            (*opened, b["id"]),
        )
    _add_scope(db, b["id"], b.get("assets", []), event)


def _add_scope(db: sqlite3.Connection, inspection_id: str, assets: list[str], event: Event) -> None:
    db.executemany(
        "INSERT OR IGNORE INTO inspection_asset (inspection_id, asset_id, at, event_hash) VALUES (?, ?, ?, ?)",
        [(inspection_id, a, event.at, event.hash) for a in assets],
    )


@projector("inspection.assets_added")
def _inspection_assets_added(db: sqlite3.Connection, event: Event) -> None:
    _add_scope(db, event.body["inspection"], event.body["assets"], event)


def _set_status(db: sqlite3.Connection, event: Event, status: str) -> None:
    """The latest status event wins, ordered by (time, author, sequence number): one author's events keep their
    chain order even when they carry the same time (a re-test round's reopening and closing), and the order is
    total, so every store and the hub reach the same status whatever order bundles arrive in."""
    inspection_id = event.body["inspection"]
    row = db.execute(
        "SELECT status_at, status_by, status_seq FROM inspection WHERE id = ?", (inspection_id,)
    ).fetchone()
    if row is None:
        # The opening event has not arrived yet: hold the status in a placeholder row it will fill.
        db.execute(
            "INSERT INTO inspection (id, system_id, profile_id, policy_id, level, title, snapshot, opened_by,"
            " opened_at, event_hash, status, status_at, status_hash, status_by, status_seq)"
            " VALUES (?, '', '', '', 0, '', '{}', '', '', '', 'open', '', '', '', 0)",
            (inspection_id,),
        )
        row = ("", "", 0)
    if (event.at, event.author, event.seq) <= (row[0], row[1], row[2]):
        return
    if status == "closed":
        db.execute(
            "UPDATE inspection SET status = 'closed', status_at = ?, status_hash = ?, status_by = ?,"
            " status_seq = ?, closed_at = ?, closed_by = ?, reopen_reason = NULL WHERE id = ?",
            (event.at, event.hash, event.author, event.seq, event.at, event.author, inspection_id),
        )
    else:
        db.execute(
            "UPDATE inspection SET status = 'open', status_at = ?, status_hash = ?, status_by = ?,"
            " status_seq = ?, reopen_reason = ? WHERE id = ?",
            (event.at, event.hash, event.author, event.seq, event.body.get("reason", ""), inspection_id),
        )


@projector("inspection.closed")
def _inspection_closed(db: sqlite3.Connection, event: Event) -> None:
    _set_status(db, event, "closed")


@projector("inspection.reopened")
def _inspection_reopened(db: sqlite3.Connection, event: Event) -> None:
    _set_status(db, event, "open")


def _insert_revision(db: sqlite3.Connection, event: Event, resolution: bool) -> None:
    b = event.body
    named = b.get("resolves", []) if resolution else b.get("supersedes", [])
    db.execute(
        "INSERT OR IGNORE INTO finding_revision (event_hash, inspection_id, item_id, asset_id, result, note,"
        " method, na_reason, evidence, resolution, resolves, supersedes, author, seq, at, scope_extension,"
        " revision, head) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)",  # right for a first revision; else
        # recompute_pair renumbers them all
        (
            event.hash,
            b["inspection"],
            b["item"],
            b["asset"],
            b["result"],
            b.get("note", ""),
            b.get("method"),
            b.get("na_reason", ""),
            _dumps(b.get("evidence", [])),
            resolution,
            _dumps(b.get("resolves", [])),
            _dumps([h for h in named if isinstance(h, str)] if isinstance(named, list) else []),
            event.author,
            event.seq,
            event.at,
            b["scope_extension"] if isinstance(b.get("scope_extension"), bool) else None,
        ),
    )
    recompute_pair(db, b["inspection"], b["item"], b["asset"], fresh=True)


def recompute_pair(
    db: sqlite3.Connection, inspection_id: str, item_id: str, asset_id: str, *, fresh: bool = False
) -> None:
    """Number the pair's revisions causally, mark its heads, pick the current one, decide if it is disputed."""
    rows = db.execute(
        "SELECT event_hash, author, seq, at, result, supersedes FROM finding_revision"
        " WHERE inspection_id = ? AND item_id = ? AND asset_id = ?",
        (inspection_id, item_id, asset_id),
    ).fetchall()
    if len(rows) == 1:
        _only_revision(db, inspection_id, item_id, asset_id, rows[0], fresh)
        return
    ordering = revisions.order(
        revisions.Revision(r[0], r[1], int(r[2]), r[3], r[4], tuple(json.loads(r[5]))) for r in rows
    )
    heads = {h.hash for h in ordering.heads}
    db.executemany(
        "UPDATE finding_revision SET revision = ?, head = ? WHERE event_hash = ?",
        [(n, h in heads, h) for h, n in ordering.numbers.items()],
    )
    current = ordering.current
    if current is None:  # every head is a retraction (state/corrections.py): the pair is untested again
        db.execute(
            "DELETE FROM finding_current WHERE inspection_id = ? AND item_id = ? AND asset_id = ?",
            (inspection_id, item_id, asset_id),
        )
        return
    db.execute(
        "INSERT OR REPLACE INTO finding_current (inspection_id, item_id, asset_id, result, revision, author, at,"
        " event_hash, disputed, dispute) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            inspection_id,
            item_id,
            asset_id,
            current.result,
            ordering.numbers[current.hash],
            current.author,
            current.at,
            current.hash,
            ordering.disputed,
            _dumps(ordering.dispute),
        ),
    )


def _only_revision(
    db: sqlite3.Connection, inspection_id: str, item_id: str, asset_id: str, row: Any, fresh: bool
) -> None:
    """``recompute_pair`` for a pair with one revision (the common case): what ``revisions.order`` answers for
    it, without building the graph: revision 1, a head, current unless it is a retraction, never disputed.
    ``fresh``: the revision was just inserted as revision 1 and a head."""
    event_hash, author, _seq, at, result, _supersedes = row
    if not fresh:
        db.execute("UPDATE finding_revision SET revision = 1, head = 1 WHERE event_hash = ?", (event_hash,))
    if result == revisions.RETRACTED:
        db.execute(
            "DELETE FROM finding_current WHERE inspection_id = ? AND item_id = ? AND asset_id = ?",
            (inspection_id, item_id, asset_id),
        )
        return
    db.execute(
        "INSERT OR REPLACE INTO finding_current (inspection_id, item_id, asset_id, result, revision, author, at,"
        " event_hash, disputed, dispute) VALUES (?, ?, ?, ?, 1, ?, ?, ?, 0, '{}')",
        (inspection_id, item_id, asset_id, result, author, at, event_hash),
    )


@projector("finding.recorded")
def _finding_recorded(db: sqlite3.Connection, event: Event) -> None:
    _insert_revision(db, event, resolution=False)


@projector("finding.resolved")
def _finding_resolved(db: sqlite3.Connection, event: Event) -> None:
    _insert_revision(db, event, resolution=True)


@projector("issue.rated")
def _issue_rated(db: sqlite3.Connection, event: Event) -> None:
    b = event.body
    key = (b["inspection"], b["item"], b["asset"])
    row = db.execute(
        "SELECT at, event_hash FROM issue_rating WHERE inspection_id = ? AND item_id = ? AND asset_id = ?",
        key,
    ).fetchone()
    if row is not None and (event.at, event.hash) <= (row[0], row[1]):
        return
    values = (
        *key,
        b["risk"],
        b.get("suggested"),
        _dumps(b.get("cases", [])),
        b.get("compensation", ""),
        b.get("reason", ""),
        bool(b.get("major", False)),
        _dumps(b.get("mitigations", [])),
    )
    columns = (
        "inspection_id, item_id, asset_id, risk, suggested, cases, compensation, reason, major, mitigations"
    )
    _insert_stamped(db, "issue_rating", columns, values, event, replace=True)


# Reading


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
