"""``hub verify``: every stored event re-verified (hash, signature, chain link, registered author, the inspection
team rule of ``journal.authority``, as ingest applies it) and every
projection table compared with a replay of the events into a throw-away schema, in one transaction that is
rolled back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gradesec.exchange.authors import verify_sig
from gradesec.hub.ingest import registrations
from gradesec.hub.project import Projector
from gradesec.hub.schema import PROJECTION_MIGRATIONS, PROJECTION_TABLES
from gradesec.i18n import t
from gradesec.journal.authority import TeamLedger
from gradesec.journal.events import Event, event_hash
from gradesec.journal.keys import format_key_id

REPLAY = "hub_replay"
BATCH = 5000


@dataclass
class HubVerifyResult:
    events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _keys(conn: Any) -> dict[str, bytes]:
    keys = {k: bytes(p) for k, p in conn.execute("SELECT key_id, public_key FROM identities").fetchall()}
    keys.update({k: bytes(p) for k, p in conn.execute("SELECT key_id, public_key FROM trust").fetchall()})
    return keys


def verify_hub(conn: Any) -> HubVerifyResult:
    result = HubVerifyResult()
    regs = registrations(conn)
    keys = _keys(conn)
    last: dict[str, tuple[int, str]] = {}
    roles = {str(k): str(r) for k, r in conn.execute("SELECT key_id, role FROM trust").fetchall()}
    teams = TeamLedger(lambda inspection: (None, frozenset()))  # followed from the first event on

    def unit_of_author(author: str) -> str | None:
        reg = regs.get(author)
        return reg.unit if reg else None

    projector = Projector(conn, unit_of_author, f"{REPLAY}.")
    batch: list[Event] = []
    with conn.transaction(force_rollback=True):
        conn.execute(f"CREATE SCHEMA {REPLAY}")
        for migration in PROJECTION_MIGRATIONS:
            conn.execute(migration.format(s=f"{REPLAY}."))
        with conn.cursor(name="hub_events") as cur:
            cur.itersize = BATCH
            cur.execute("SELECT author, seq, hash, raw, sig FROM events ORDER BY n")
            for author, seq, stored_hash, raw, sig in cur:
                result.events += 1
                raw, sig = bytes(raw), bytes(sig)
                where = {"author": format_key_id(author), "seq": seq}
                digest = event_hash(raw)
                if digest.hex() != stored_hash:
                    result.problems.append(t("hub.verify.hash", **where))
                    continue
                try:
                    event = Event.decode(raw, stored_hash, sig)
                except (ValueError, KeyError, TypeError):
                    result.problems.append(t("hub.verify.malformed", **where))
                    continue
                if event.author != author or event.seq != seq:
                    result.problems.append(t("hub.verify.envelope", **where))
                public = keys.get(author)
                if public is None or not verify_sig(public, sig, digest):
                    result.problems.append(t("hub.verify.signature", **where))
                prev_seq, prev_hash = last.get(author, (0, ""))
                if seq != prev_seq + 1 or (event.prev or "") != prev_hash:
                    result.problems.append(t("hub.verify.chain", **where))
                if author not in regs:
                    result.problems.append(t("hub.verify.untrusted", **where))
                if teams.problem(event, roles.get(author, "")) is not None:
                    result.problems.append(t("hub.verify.team", kind=event.kind, **where))
                teams.learn(event)
                last[author] = (seq, stored_hash)
                batch.append(event)
                if len(batch) >= BATCH:
                    projector.run(batch)
                    batch.clear()
        projector.run(batch)
        for table in PROJECTION_TABLES:
            for side, a, b in (
                ("extra", table, f"{REPLAY}.{table}"),
                ("missing", f"{REPLAY}.{table}", table),
            ):
                rows = conn.execute(f"SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b}").fetchall()
                for row in rows[:20]:
                    result.problems.append(t(f"hub.verify.{side}", table=table, row=_short(row)))
    return result


def _short(row: tuple[Any, ...]) -> str:
    return ", ".join(str(v)[:24] for v in row[:4])
