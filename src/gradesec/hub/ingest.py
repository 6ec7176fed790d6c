"""Ingesting a bundle: verify it as a store would (``view.read_for_hub``), then write its events, checkpoints
and projections in one PostgreSQL transaction, after checking that every author reports only on what it may.

Authority at the hub (on top of the store's role table): a key the office registered for a unit may write only
about that unit (its inventory, its remediation, its drills); a key registered for an inspection body may write
only about what that body inspected: inspection events of inspections a key of that body opened, and the
inventory (unit, system, asset) of units where that body opened an inspection. Drills are the unit's own.
An inspection's declared team (``inspection.team_set``) is checked by the bundle reader with the store's own
rule (``journal.authority.TeamLedger``), its teams looked up here (``team_lookup``): a result written by a key
off the team refuses the whole bundle, as a store's import does.
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
from gradesec.hub.project import Projector
from gradesec.hub.view import read_for_hub
from gradesec.i18n import t
from gradesec.journal.authority import TeamLookup
from gradesec.journal.events import Checkpoint, Event, event_hash
from gradesec.journal.keys import format_key_id

if TYPE_CHECKING:
    from gradesec.journal.keys import Signer
    from gradesec.journal.store import Store

INGEST_LOCK = 4712
INVENTORY = ("unit.created", "system.created", "asset.added")
BATCH = 5000  # events per COPY and projection batch: memory stays flat in the size of the bundle
EVENTS_COPY = "COPY events (author, seq, hash, kind, at, raw, sig, bundle) FROM STDIN (FORMAT BINARY)"
EVENTS_TYPES = ["text", "int4", "text", "text", "text", "bytea", "bytea", "text"]


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


def team_lookup(conn: Any) -> TeamLookup:
    """``journal.authority.TeamLookup`` over what the hub holds: an inspection's creator (``inspections``) and
    the members of its latest ``inspection.team_set`` (the creator added, as a store's projection does)."""

    def lookup(inspection: str) -> tuple[str | None, frozenset[str]]:
        row = conn.execute("SELECT opened_by FROM inspections WHERE id = %s", (inspection,)).fetchone()
        creator = str(row[0]) if row is not None and row[0] else None
        latest = conn.execute(
            "SELECT convert_from(raw, 'UTF8')::jsonb #> '{body,members}' FROM events"
            " WHERE kind = 'inspection.team_set'"
            " AND convert_from(raw, 'UTF8')::jsonb #>> '{body,inspection}' = %s ORDER BY n DESC LIMIT 1",
            (inspection,),
        ).fetchone()
        if latest is None:
            return creator, frozenset()
        members = {str(m) for m in latest[0] or () if isinstance(m, str)}
        return creator, frozenset(members | ({creator} if creator else set()))

    return lookup


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
    then verified exactly as a plain one. The verified new events are then read back from the reader's spool
    file in batches of ``BATCH``: each batch is copied into ``events`` (COPY), projected set-wise
    (``Projector``) and checked for authority, all in the bundle's one transaction.
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
                if verified.spool is not None:
                    _write_events(conn, verified.spool, digest, regs)
                for cp in verified.checkpoints:
                    conn.execute(
                        "INSERT INTO checkpoints (hash, raw, sig, bundle) VALUES (%s, %s, %s, %s)"
                        " ON CONFLICT (hash) DO NOTHING",
                        (Checkpoint.decode(cp.raw, cp.sig).hash, cp.raw, cp.sig, digest),
                    )
                blobs = sorted({blob.sha256 for blob in verified.manifest.evidence})
                if blobs:
                    conn.execute(
                        "INSERT INTO blobs (sha256) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                        (blobs,),
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


def _write_events(conn: Any, spool: Path, digest: str, regs: dict[str, Registration]) -> None:
    def unit_of_author(author: str) -> str | None:
        reg = regs.get(author)
        return reg.unit if reg else None

    projector = Projector(conn, unit_of_author)
    authority = Authority(conn, regs)
    batch: list[tuple[Event, bytes, bytes]] = []

    def write() -> None:
        with conn.cursor() as cur, cur.copy(EVENTS_COPY) as copy:
            copy.set_types(EVENTS_TYPES)
            for event, raw, sig in batch:
                copy.write_row((event.author, event.seq, event.hash, event.kind, event.at, raw, sig, digest))
        events = [e for e, _raw, _sig in batch]
        projector.run(events)
        authority.check(events)
        batch.clear()

    with open(spool, "rb") as spooled:
        for sig, raw in read_frames(spooled):
            batch.append((Event.decode(raw, event_hash(raw).hex(), sig), raw, sig))
            if len(batch) >= BATCH:
                write()
    if batch:
        write()
    authority.finish()


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


class Authority:
    """Every new event's author reports only on its own unit, or on what its inspection body inspected.

    Checked batch by batch after the batch is projected, with one look-up per table; an event naming what a
    later batch of the same bundle creates waits for the end of the bundle (``finish``), as does the rule that
    a body writes inventory only of units it inspected (the inventory comes before the inspection).
    """

    def __init__(self, conn: Any, regs: dict[str, Registration]) -> None:
        self.conn = conn
        self.regs = regs
        self.later: list[Event] = []
        self.inventory: dict[tuple[str, str], Event] = {}  # (unit, body) -> the first inventory event

    def check(self, events: list[Event], *, final: bool = False) -> None:
        refs: dict[str, set[str]] = {
            "systems": set(),
            "inspections": set(),
            "remediation": set(),
            "drills": set(),
        }
        for event in events:
            table, ref = _subject(event)
            if table:
                refs[table].add(ref)
        units = {t: self._units(t, ids) for t, ids in refs.items()}
        for event in events:
            reg = self.regs[event.author]  # the reader refused every author the office has not registered
            table, ref = _subject(event)
            if table:
                found = units[table].get(ref)
                if found is None:
                    if final:
                        raise _refuse(event, "unknown_subject")
                    self.later.append(event)
                    continue
                unit: str | None = found[0]
            else:
                found = None
                unit = ref or (reg.unit if event.kind == "drill.started" else None)
            if unit is None:
                continue
            if reg.unit is not None:
                if unit != reg.unit:
                    raise _refuse(event, "other_unit", unit=unit, own=reg.unit)
                continue
            if event.kind.startswith("drill."):
                raise _refuse(event, "body_drill")
            if event.kind in INVENTORY:
                self.inventory.setdefault((unit, str(reg.body)), event)
                continue
            opened_by = None if found is None else found[1] if table == "inspections" else found[2]
            owner = self.regs.get(opened_by) if opened_by else None
            if owner is None or owner.body != reg.body:
                raise _refuse(event, "other_body", body=reg.body)

    def finish(self) -> None:
        if self.later:
            self.check(self.later, final=True)
        if not self.inventory:
            return
        rows = self.conn.execute(
            "SELECT DISTINCT i.unit_id, t.body FROM inspections i JOIN trust t ON t.key_id = i.opened_by"
            " WHERE i.unit_id = ANY(%s) AND t.body IS NOT NULL",
            (sorted({u for u, _b in self.inventory}),),
        ).fetchall()
        inspected = {(str(u), str(b)) for u, b in rows}
        for (unit, body), event in self.inventory.items():
            if (unit, body) not in inspected:
                raise _refuse(event, "not_inspected", unit=unit, body=body)

    def _units(self, table: str, ids: set[str]) -> dict[str, tuple[str, str | None, str | None]]:
        """id -> (unit, key that opened the inspection it is about, the same for remediation)."""
        if not ids:
            return {}
        wanted = (sorted(ids),)
        if table == "inspections":
            rows = self.conn.execute(
                "SELECT id, unit_id, opened_by, NULL FROM inspections WHERE id = ANY(%s)", wanted
            )
        elif table == "remediation":
            rows = self.conn.execute(
                "SELECT r.id, r.unit_id, NULL, i.opened_by FROM remediation r"
                " LEFT JOIN inspections i ON i.id = r.inspection_id WHERE r.id = ANY(%s)",
                wanted,
            )
        else:
            rows = self.conn.execute(
                f"SELECT id, unit_id, NULL, NULL FROM {table} WHERE id = ANY(%s)", wanted
            )
        return {str(i): (str(u), o, r) for i, u, o, r in rows.fetchall()}


def _subject(event: Event) -> tuple[str, Any]:
    """(table, id) of what ``event`` is about, or ("", unit) when the event names its unit itself."""
    b = event.body
    kind = event.kind
    if kind == "unit.created":
        return "", str(b["id"])
    if kind == "system.created":
        return "", str(b["unit"])
    if kind == "asset.added":
        return "systems", str(b["system"])
    if kind.startswith(("inspection.", "finding.", "issue.")) or kind == "remediation.round":
        return "inspections", str(b.get("inspection") or b.get("id"))
    if kind.startswith("remediation."):
        return "remediation", str(b["id"])
    if kind.startswith("drill.") and kind != "drill.started":
        return "drills", str(b["drill"])
    return "", None
