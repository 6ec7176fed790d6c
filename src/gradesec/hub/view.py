"""The hub seen through the bundle reader's eyes: the store-shaped reads ``exchange.reader`` needs, on PostgreSQL.

``read_bundle``'s checks (manifest signature, member hashes, signatures, chains, checkpoints, kinds, scope,
roles, trust) run unchanged; only where it looks things up differs: keys and identities, chain heads, stored
hashes and checkpoints come from the hub's tables, and the keys it trusts are the ones the office registered.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from gradesec.exchange.reader import BundleReader, VerifiedBundle
from gradesec.journal.authority import TeamLookup
from gradesec.journal.events import Checkpoint
from gradesec.journal.keys import Identity
from gradesec.journal.reads import TrustedKeyInfo

if TYPE_CHECKING:
    from gradesec.journal.store import Store


class HubEvidence:
    """Blob hashes the hub has verified (the files themselves stay with the units); a spool folder for the reader."""

    def __init__(self, conn: Any, root: Path) -> None:
        self.conn = conn
        self.root = root

    def has(self, sha: str) -> bool:
        return self.conn.execute("SELECT 1 FROM blobs WHERE sha256 = %s", (sha,)).fetchone() is not None


class HubView:
    def __init__(self, conn: Any, spool_dir: Path) -> None:
        from gradesec.journal.clock import default_clock

        self.conn = conn
        self.evidence = HubEvidence(conn, spool_dir)
        self.clock = default_clock()  # the bundle reader bounds event times by "now", as a store does

    def trusted_keys(self) -> list[TrustedKeyInfo]:
        rows = self.conn.execute("SELECT key_id, public_key, name, role, org FROM trust ORDER BY key_id")
        return [TrustedKeyInfo(k, bytes(p), n, r, o, False) for k, p, n, r, o in rows.fetchall()]

    def known_identities(self) -> dict[str, Identity]:
        rows = self.conn.execute("SELECT key_id, name, role, org FROM identities").fetchall()
        return {k: Identity(n, r, o) for k, n, r, o in rows}

    def public_key_of(self, key_id: str) -> bytes | None:
        row = self.conn.execute(
            "SELECT public_key FROM trust WHERE key_id = %s UNION ALL"
            " SELECT public_key FROM identities WHERE key_id = %s LIMIT 1",
            (key_id, key_id),
        ).fetchone()
        return None if row is None else bytes(row[0])

    def head_at(self, author: str, seq: int) -> str | None:
        """The time of ``author``'s event ``seq`` on the hub (None if absent)."""
        row = self.conn.execute(
            "SELECT at FROM events WHERE author = %s AND seq = %s", (author, seq)
        ).fetchone()
        return None if row is None else str(row[0])

    def head(self, author: str) -> tuple[int, str | None]:
        row = self.conn.execute(
            "SELECT seq, hash FROM events WHERE author = %s ORDER BY seq DESC LIMIT 1", (author,)
        ).fetchone()
        return (0, None) if row is None else (int(row[0]), str(row[1]))

    def checkpoints(self) -> list[Checkpoint]:
        rows = self.conn.execute("SELECT raw, sig FROM checkpoints ORDER BY hash").fetchall()
        return [Checkpoint.decode(bytes(raw), bytes(sig)) for raw, sig in rows]


WINDOW = 5000  # stored hashes read at once when a bundle repeats events the hub holds


class HubReader(BundleReader):
    """The store's reader; stored hashes are looked up a window of ``WINDOW`` events of a chain at a time, so
    re-ingesting a bundle costs one query per window instead of one per event."""

    window: tuple[str, int, dict[int, str]] = ("", 0, {})

    def team_lookup(self) -> TeamLookup:
        from gradesec.hub.ingest import team_lookup

        return team_lookup(cast(HubView, self.store).conn)

    def store_hash(self, author: str, seq: int) -> str | None:
        who, first, hashes = self.window
        if who != author or not first <= seq < first + WINDOW:
            view = cast(HubView, self.store)
            rows = view.conn.execute(
                "SELECT seq, hash FROM events WHERE author = %s AND seq >= %s AND seq < %s",
                (author, seq, seq + WINDOW),
            ).fetchall()
            self.window = (author, seq, {int(n): str(h) for n, h in rows})
            hashes = self.window[2]
        return hashes.get(seq)


def read_for_hub(
    conn: Any, path: Path, spool_dir: Path | None = None, trust: Iterable[str] = ()
) -> VerifiedBundle:
    """Verify the bundle at ``path`` against the hub (nothing written); new events wait in a spool file."""
    from gradesec.state.registry import load_all

    load_all()  # the event kinds a store knows, which the reader checks every event against
    folder = spool_dir or Path(tempfile.mkdtemp(prefix="gradesec-hub-"))
    view = HubView(conn, folder)
    reader = HubReader(cast("Store", view), trust, None, True, lambda n: None)
    return reader.run(path)
