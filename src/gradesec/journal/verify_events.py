"""The one pass over the journal that ``verify`` makes: for every event, in order, the stored hash, the
signature, the strict envelope, the indexed columns against the signed bytes, the author's chain (seq 1, 2,
3… each naming its predecessor's hash), the time bounds, the author's trust and the event kind; the same pass
replays the events, through the authority table, into an in-memory database. Keys are learnt from key events
(a key id is the hash of its key); trust only from the owner's ``key.trusted`` met at its place in the chain.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gradesec.i18n import t
from gradesec.journal.authority import AUTHORITY, ROLE_KINDS, authority_problem
from gradesec.journal.events import EVENT_DOMAIN, Event
from gradesec.journal.keys import format_key_id
from gradesec.journal.strict import EventRejected, at_limit, check_at, check_envelope, verifying_now
from gradesec.journal.verify_report import Problem, VerifyReport
from gradesec.state import registry

if TYPE_CHECKING:
    from gradesec.journal.store import Store

FETCH = 2000

# The kinds ``authority_problem`` looks at (with every ``remediation.*`` kind): for the others it answers None
# without reading the state, so the replay does not call it for them.
_AUTHORITY_KINDS = frozenset(AUTHORITY) | ROLE_KINDS


def _verify_sig(key: Ed25519PublicKey, sig: bytes, digest: bytes) -> bool:
    try:
        key.verify(sig, digest)
    except InvalidSignature:
        return False
    return True


class Verifier:
    def __init__(self, store: Store, progress: Callable[[int], None] | None) -> None:
        self.store = store
        self.db = store.connection
        self.progress = progress or (lambda n: None)
        self.report = VerifyReport()
        self._problems: list[tuple[tuple[int, int], Problem]] = []
        self.pubkeys: dict[str, Ed25519PublicKey] = {}
        self.pub_raw: dict[str, bytes] = {}
        self.trusted: set[str] = set()
        self.chains: dict[str, tuple[int, str]] = {}
        self.referenced: dict[str, tuple[str, int]] = {}
        self.untrusted: dict[str, list[int]] = {}
        self.unknown_key: dict[str, list[int]] = {}
        self.last_at: dict[str, str] = {}
        self.now = verifying_now(store.clock)
        # checkpoint.recorded events seen at their place in a chain: (order, event)
        self.cp_events: list[tuple[tuple[int, int], Event]] = []
        self.owner_cp: Event | None = None
        self.owner_after_cp = 0
        self.roles: dict[str, str] = {}  # author -> role in the replayed state (see authority_problem)

    def add(self, order: tuple[int, int], code: str, message: str, **where: Any) -> None:
        self._problems.append((order, Problem(code, message, **where)))

    def ok_so_far(self) -> bool:
        return not self._problems

    def finish(self) -> VerifyReport:
        for author, seqs in self.untrusted.items():
            if author in self.trusted:
                continue
            self.add(
                (0, min(seqs)), "untrusted", t("verify.untrusted", n=len(seqs)), author=author, seq=min(seqs)
            )
        for author, seqs in self.unknown_key.items():
            self.add(
                (0, min(seqs)),
                "unknown_key",
                t("verify.unknown_key", n=len(seqs)),
                author=author,
                seq=min(seqs),
            )
        self._problems.sort(key=lambda item: item[0])
        self.report.problems = [p for _, p in self._problems]
        self.report.authors = len(self.chains)
        return self.report

    # Keys and trust

    def learn_keys(self) -> None:
        """Public keys from the key events; trust from the owner's valid ``key.trusted`` events."""
        from gradesec.journal.keys import key_id_of

        def learn(hex_key: object) -> None:
            if isinstance(hex_key, str):
                try:
                    raw = bytes.fromhex(hex_key)
                    key = Ed25519PublicKey.from_public_bytes(raw)
                except ValueError:
                    return
                kid = key_id_of(raw)
                self.pubkeys.setdefault(kid, key)
                self.pub_raw.setdefault(kid, raw)

        learn(self.store.meta.get("owner_public_key"))
        self.trusted = {self.store.owner}
        # A key id is the hash of its public key, so learning keys from any key event is safe. Trust is not
        # learnt here: only an owner's ``key.trusted`` met at its verified place in the owner's chain grants it.
        for (raw,) in self.db.execute(
            "SELECT raw FROM events WHERE kind IN ('store.created', 'key.identity', 'key.trusted')"
        ):
            try:
                body = json.loads(bytes(raw))["body"]
            except (ValueError, KeyError, TypeError):
                continue
            if isinstance(body, dict):
                learn(body.get("public_key"))

    def check_row_ids(self) -> None:
        """Rows at ids the journal never uses (0 and below) are outside every walk: each is named."""
        for rowid, author, seq in self.db.execute(
            "SELECT id, author, seq FROM events WHERE id <= 0 ORDER BY id"
        ):
            self.add((int(rowid), 0), "row_id", t("verify.row_id", id=rowid), author=str(author), seq=seq)

    # Events

    def check_events(
        self,
        query: str,
        args: tuple[Any, ...],
        *,
        check_sigs: bool,
        replay: sqlite3.Connection | None,
    ) -> None:
        """Check the rows ``query`` selects, in order; ``replay``: the database to project them into.

        Each batch of rows is checked in three tight passes (decoding with the chain, trust and time checks;
        then the replay; then the signatures) rather than row by row: the Ed25519 code, the JSON codec and
        SQLite each keep their working set in the CPU caches, which interleaving them per row evicts (each
        signature check then costs about a tenth more). Problems carry their row's order, so the report is the
        same."""
        owner, store_id = self.store.owner, self.store.store_id
        owner_public_key = self.store.meta.get("owner_public_key")
        chains = self.chains
        pubkeys = self.pubkeys
        trusted, untrusted, unknown_key = self.trusted, self.untrusted, self.unknown_key
        last_at = self.last_at
        add = self.add
        problems = self._problems
        sha = hashlib.sha256
        known = registry.known_kinds()
        now = self.now
        limit = at_limit(now)
        cur = self.db.execute(query, args)
        n = 0
        while rows := cur.fetchmany(FETCH):
            n += len(rows)
            # (key, sig, digest, row, author, seq, where its problem goes in the list, kept in row order)
            pending: list[tuple[Ed25519PublicKey, bytes, bytes, int, str, int, int]] = []
            placed_events: list[Event] = []
            for rowid, author_col, seq_col, kind_col, hash_col, sig, raw in rows:
                try:
                    if type(raw) is not bytes or type(sig) is not bytes:
                        raise EventRejected("envelope", "the stored event or signature is not bytes")
                    digest = sha(EVENT_DOMAIN + raw).digest()
                    event = check_envelope(raw, digest.hex(), sig, rowid)
                except EventRejected as exc:
                    add(
                        (rowid, 0),
                        exc.code,
                        t("verify.malformed_detail", detail=exc.detail),
                        author=str(author_col),
                        seq=seq_col,
                    )
                    continue
                author, seq, kind, at = event.author, event.seq, event.kind, event.at
                if hash_col != digest:
                    add((rowid, 0), "hash_mismatch", t("verify.hash_mismatch"), author=author, seq=seq)
                if author_col != author or seq_col != seq or kind_col != kind:
                    add(
                        (rowid, 0),
                        "columns_mismatch",
                        t(
                            "verify.columns_mismatch",
                            author=format_key_id(str(author_col)),
                            seq=seq_col,
                            kind=kind_col,
                        ),
                        author=author,
                        seq=seq,
                    )
                key = pubkeys.get(author)
                if key is None:
                    unknown_key.setdefault(author, []).append(seq)
                elif check_sigs:
                    pending.append((key, sig, digest, rowid, author, seq, len(problems)))
                if author not in trusted:
                    untrusted.setdefault(author, []).append(seq)
                # The chain: seq 1, 2, 3… each naming the hash of its predecessor.
                last = chains.get(author)
                placed = False
                if last is None:
                    expected, prev = 1, None
                else:
                    expected, prev = last[0] + 1, last[1]
                if seq == expected:
                    if event.prev != prev:
                        add((rowid, 0), "broken_link", t("verify.broken_link"), author=author, seq=seq)
                    else:
                        placed = True
                    chains[author] = (seq, event.hash)
                elif seq > expected:
                    gap = t("verify.gap_one", first=expected) if expected == seq - 1 else None
                    add(
                        (rowid, 0),
                        "gap",
                        gap or t("verify.gap", first=expected, last=seq - 1),
                        author=author,
                        seq=seq,
                    )
                    chains[author] = (seq, event.hash)
                else:
                    add(
                        (rowid, 0),
                        "seq_order",
                        t("verify.seq_order", last=expected - 1),
                        author=author,
                        seq=seq,
                    )
                if (
                    seq == 1
                    and author == owner
                    and (
                        kind != "store.created"
                        or event.body.get("store") != store_id
                        or event.body.get("public_key") != owner_public_key
                    )
                ):
                    add((rowid, 0), "foreign_genesis", t("verify.foreign_genesis"), author=author, seq=seq)
                previous_at = last_at.get(author)
                # check_at's comparisons as text first: it is called only when one of them might fail.
                if at > limit or (previous_at is not None and at < previous_at):
                    try:
                        check_at(at, previous_at, now)
                    except EventRejected as exc:
                        add(
                            (rowid, 0),
                            exc.code,
                            t("verify.bad_time", detail=exc.detail),
                            author=author,
                            seq=seq,
                        )
                last_at[author] = at
                if kind not in known:
                    add(
                        (rowid, 0),
                        "unknown_kind",
                        t("verify.unknown_kind", kind=kind),
                        author=author,
                        seq=seq,
                    )
                if author == owner:
                    if placed and kind == "key.trusted":
                        trusted.add(str(event.body.get("key")))
                    self.owner_after_cp += 1
                if kind == "checkpoint.recorded":
                    self.cp_events.append(((rowid, 0), event))
                    if author == owner and placed:
                        self.owner_cp = event
                        self.owner_after_cp = 0
                elif kind == "evidence.attached":
                    sha_ref = event.body.get("sha256")
                    if isinstance(sha_ref, str):
                        self.referenced.setdefault(sha_ref, (author, seq))
                placed_events.append(event)
            if replay is not None:
                self._replay(replay, placed_events)
            bad: list[tuple[int, tuple[tuple[int, int], Problem]]] = []
            for key, sig, digest, rowid, author, seq, place in pending:
                try:
                    key.verify(sig, digest)
                except InvalidSignature:
                    problem = Problem("bad_signature", t("verify.bad_signature"), author=author, seq=seq)
                    bad.append((place, ((rowid, 0), problem)))
            for place, item in reversed(bad):  # where a check in row order would have put it
                problems.insert(place, item)
            self.progress(len(rows))
        self.report.events += n

    def _replay(self, replay: sqlite3.Connection, events: list[Event]) -> None:
        """Project ``events`` (in order) into ``replay``, through the authority table."""
        roles = self.roles
        add = self.add
        projectors = registry.projectors_by_kind()
        checked = _AUTHORITY_KINDS
        for event in events:
            kind = event.kind
            if kind in checked or kind.startswith("remediation."):
                refused = authority_problem(replay, event, roles)
                if refused is not None:
                    code, role = refused
                    add(
                        (event.rowid or 0, 0),
                        "authority" if code == "role" else code,
                        t(f"verify.authority_{code}", kind=kind, role=role or "-"),
                        author=event.author,
                        seq=event.seq,
                    )
                    continue
            try:
                for fn in projectors.get(kind, ()):
                    fn(replay, event)
            except Exception as exc:  # a projector refusing a stored event is a finding, not a crash
                add(
                    (event.rowid or 0, 0),
                    "replay_failed",
                    t("verify.replay_failed", detail=str(exc)),
                    author=event.author,
                    seq=event.seq,
                )

    def add_worker_results(self, bad: list[tuple[int, str, int]]) -> None:
        for rowid, author, seq in bad:
            self.add((rowid, 0), "bad_signature", t("verify.bad_signature"), author=author, seq=seq)

    # Checkpoints
