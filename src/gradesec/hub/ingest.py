"""Ingesting a bundle: verify it as a store would (``view.read_for_hub``), then write its events, checkpoints
and projections in one PostgreSQL transaction, after checking that every author reports only on what it may.

Authority at the hub (on top of the store's role table): a key the office registered for a unit may write only
about that unit (its inventory, its remediation, its drills); a key registered for an inspection body may write
only about what that body inspected: inspection events of inspections a key of that body opened, and the
inventory (unit, system, asset) of units where that body opened an inspection. Drills are the unit's own.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from gradesec.errors import GradesecError
from gradesec.exchange.format import read_frames
from gradesec.hub.project import project
from gradesec.hub.view import read_for_hub
from gradesec.i18n import t
from gradesec.journal.events import Checkpoint, Event, event_hash
from gradesec.journal.keys import format_key_id

if TYPE_CHECKING:
    from gradesec.journal.keys import Signer
    from gradesec.journal.store import Store

INGEST_LOCK = 4712
INVENTORY = ("unit.created", "system.created", "asset.added")


@dataclass(frozen=True)
class IngestResult:
    bundle: str
    new_events: int
    known_events: int
    checkpoints: int

    @property
    def noop(self) -> bool:
        return self.new_events == 0 and self.checkpoints == 0


@dataclass(frozen=True)
class Registration:
    unit: str | None
    body: str | None


def registrations(conn: Any) -> dict[str, Registration]:
    rows = conn.execute("SELECT key_id, unit_id, body FROM trust").fetchall()
    return {k: Registration(u, b) for k, u, b in rows}


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


class _Scratch:
    """Where a sealed bundle is decrypted: an owner-only temporary folder of this ingest."""

    def __init__(self, root: Path) -> None:
        self.evidence = self
        self.root = root


def ingest(conn: Any, path: Path | str, opener: Signer | None = None) -> IngestResult:
    """Verify and ingest one bundle; a refused bundle raises and leaves the hub as it was.

    A bundle sealed to the hub's key is decrypted with ``opener`` (the hub's signer) into a temporary file and
    then verified exactly as a plain one.
    """
    from gradesec.exchange import sealed

    spool_dir = Path(tempfile.mkdtemp(prefix="gradesec-hub-"))
    try:
        with (
            sealed.opened(cast("Store", _Scratch(spool_dir)), Path(path), opener) as plain,
            conn.transaction(),
        ):
            # One ingest at a time: what was verified is still what the hub holds when it is written.
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (INGEST_LOCK,))
            verified = read_for_hub(conn, plain, spool_dir)
            try:
                digest = _digest(plain)
                regs = registrations(conn)
                new: list[Event] = []
                if verified.spool is not None:
                    # Pipeline mode: the inserts and projection updates go out without a round trip each.
                    with open(verified.spool, "rb") as spooled, conn.pipeline():
                        for sig, raw in read_frames(spooled):
                            event = Event.decode(raw, event_hash(raw).hex(), sig)
                            conn.execute(
                                "INSERT INTO events (author, seq, hash, kind, at, raw, sig, bundle)"
                                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                                (event.author, event.seq, event.hash, event.kind, event.at, raw, sig, digest),
                            )
                            reg = regs.get(event.author)
                            project(conn, event, reg.unit if reg else None)
                            new.append(event)
                check_authority(conn, new, regs)
                for cp in verified.checkpoints:
                    conn.execute(
                        "INSERT INTO checkpoints (hash, raw, sig, bundle) VALUES (%s, %s, %s, %s)"
                        " ON CONFLICT (hash) DO NOTHING",
                        (Checkpoint.decode(cp.raw, cp.sig).hash, cp.raw, cp.sig, digest),
                    )
                for blob in verified.manifest.evidence:
                    conn.execute(
                        "INSERT INTO blobs (sha256) VALUES (%s) ON CONFLICT DO NOTHING", (blob.sha256,)
                    )
                if verified.new_count or verified.checkpoints:
                    conn.execute(
                        "INSERT INTO bundles (digest, exporter, events, new_events) VALUES (%s, %s, %s, %s)"
                        " ON CONFLICT (digest) DO NOTHING",
                        (digest, verified.manifest.exporter, verified.manifest.events, verified.new_count),
                    )
            finally:
                verified.discard()
    finally:
        shutil.rmtree(spool_dir, ignore_errors=True)
    return IngestResult(digest, verified.new_count, verified.known_events, len(verified.checkpoints))


def _refuse(event: Event, reason: str, **fields: Any) -> GradesecError:
    return GradesecError(
        t(
            "hub.refused.authority",
            author=format_key_id(event.author),
            seq=event.seq,
            kind=event.kind,
            reason=t(f"hub.authority.{reason}", **fields),
        ),
        t("hub.refused.authority.hint"),
    )


def unit_of(conn: Any, event: Event, reg: Registration) -> str | None:
    """The unit ``event`` is about (None: about no unit, such as key events); raises when it names nothing known."""
    b = event.body
    kind = event.kind
    found: Any = None
    if kind == "unit.created":
        return str(b["id"])
    if kind == "system.created":
        return str(b["unit"])
    if kind == "asset.added":
        found = conn.execute("SELECT unit_id FROM systems WHERE id = %s", (b["system"],)).fetchone()
    elif kind.startswith(("inspection.", "finding.", "issue.")) or kind == "remediation.round":
        ref = b.get("inspection") or b.get("id")
        found = conn.execute("SELECT unit_id FROM inspections WHERE id = %s", (ref,)).fetchone()
    elif kind.startswith("remediation."):
        found = conn.execute("SELECT unit_id FROM remediation WHERE id = %s", (b["id"],)).fetchone()
    elif kind == "drill.started":
        return reg.unit
    elif kind.startswith("drill."):
        found = conn.execute("SELECT unit_id FROM drills WHERE id = %s", (b["drill"],)).fetchone()
    else:
        return None
    if found is None:
        raise _refuse(event, "unknown_subject")
    return str(found[0])


def _inspection_body(conn: Any, event: Event, memo: dict[tuple[bool, str], str | None]) -> str | None:
    """The inspection body whose key opened the inspection ``event`` is about (memoised per bundle)."""
    b = event.body
    remedy = event.kind.startswith("remediation.")
    ref = str(b["id"] if remedy else (b.get("inspection") or b.get("id")))
    if (remedy, ref) not in memo:
        memo[(remedy, ref)] = _lookup_body(conn, event)
    return memo[(remedy, ref)]


def _lookup_body(conn: Any, event: Event) -> str | None:
    b = event.body
    if event.kind.startswith("remediation."):
        row = conn.execute(
            "SELECT t.body FROM remediation r JOIN inspections i ON i.id = r.inspection_id"
            " JOIN trust t ON t.key_id = i.opened_by WHERE r.id = %s",
            (b["id"],),
        ).fetchone()
    else:
        row = conn.execute(
            "SELECT t.body FROM inspections i JOIN trust t ON t.key_id = i.opened_by WHERE i.id = %s",
            (b.get("inspection") or b.get("id"),),
        ).fetchone()
    return None if row is None else row[0]


def check_authority(conn: Any, events: list[Event], regs: dict[str, Registration]) -> None:
    """Every new event's author reports only on its own unit, or on what its inspection body inspected."""
    memo: dict[tuple[bool, str], str | None] = {}
    for event in events:
        reg = regs[event.author]  # the reader refused every author the office has not registered
        unit = unit_of(conn, event, reg)
        if unit is None:
            continue
        if reg.unit is not None:
            if unit != reg.unit:
                raise _refuse(event, "other_unit", unit=unit, own=reg.unit)
            continue
        if event.kind.startswith("drill."):
            raise _refuse(event, "body_drill")
        if event.kind in INVENTORY:
            inspected = conn.execute(
                "SELECT 1 FROM inspections i JOIN trust t ON t.key_id = i.opened_by"
                " WHERE i.unit_id = %s AND t.body = %s LIMIT 1",
                (unit, reg.body),
            ).fetchone()
            if inspected is None:
                raise _refuse(event, "not_inspected", unit=unit, body=reg.body)
        elif _inspection_body(conn, event, memo) != reg.body:
            raise _refuse(event, "other_body", body=reg.body)
