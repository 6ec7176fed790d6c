"""Projectors of the inspection event kinds into the tables of ``tables``.

Projected from ``unit.created``, ``system.created``, ``system.conditions_set``, ``asset.added``, ``inspection.opened``,
``inspection.assets_added``, ``inspection.closed``, ``inspection.reopened``, ``finding.recorded``,
``finding.resolved`` and ``issue.rated``. Every projector is order-insensitive across authors:

- creation events insert once (``INSERT OR IGNORE``: an id is created by one event);
- an inspection's status follows the latest event by ``(at, author, seq)``, an issue's rating by ``(at, hash)``;
- a finding event adds a revision, then the item×asset pair is recomputed from *all* its revisions by
  ``assess.revisions.order`` (revision numbers, the heads, the current result, whether people disagree): what
  a revision supersedes is what its writer saw, never what its clock said, so merges in any order and with any
  clocks reach the same rows.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from gradesec.assess import revisions
from gradesec.state.assess import tables as _tables  # noqa: F401  (the tables these projectors write)
from gradesec.state.registry import projector, register_kind

if TYPE_CHECKING:
    from gradesec.journal.events import Event


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
