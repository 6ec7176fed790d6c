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
from gradesec.journal.authority import authority_problem
from gradesec.journal.events import EVENT_DOMAIN, Event
from gradesec.journal.keys import format_key_id
from gradesec.journal.strict import EventRejected, at_limit, check_at, check_envelope, verifying_now
from gradesec.journal.verify_report import Problem, VerifyReport
from gradesec.state import registry

if TYPE_CHECKING:
    from gradesec.journal.store import Store

FETCH = 2000


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
        owner, store_id = self.store.owner, self.store.store_id
        owner_public_key = self.store.meta.get("owner_public_key")
        chains = self.chains
        pubkeys = self.pubkeys
        trusted, untrusted, unknown_key = self.trusted, self.untrusted, self.unknown_key
        last_at = self.last_at
        add = self.add
        sha = hashlib.sha256
        is_known = registry.is_known
        apply = registry.apply
        roles = self.roles
        now = self.now
        limit = at_limit(now)
        cur = self.db.execute(query, args)
        n = 0
        while rows := cur.fetchmany(FETCH):
            for rowid, author_col, seq_col, kind_col, hash_col, sig, raw in rows:
                n += 1
                order = (rowid, 0)
                try:
                    if type(raw) is not bytes or type(sig) is not bytes:
                        raise EventRejected("envelope", "the stored event or signature is not bytes")
                    digest = sha(EVENT_DOMAIN + raw).digest()
                    event = check_envelope(raw, digest.hex(), sig, rowid)
                except EventRejected as exc:
                    add(
                        order,
                        exc.code,
                        t("verify.malformed_detail", detail=exc.detail),
                        author=str(author_col),
                        seq=seq_col,
                    )
                    continue
                author, seq, kind, at = event.author, event.seq, event.kind, event.at
                if hash_col != digest:
                    add(order, "hash_mismatch", t("verify.hash_mismatch"), author=author, seq=seq)
                if author_col != author or seq_col != seq or kind_col != kind:
                    add(
                        order,
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
                elif check_sigs and not _verify_sig(key, sig, digest):
                    add(order, "bad_signature", t("verify.bad_signature"), author=author, seq=seq)
                if author not in trusted:
                    untrusted.setdefault(author, []).append(seq)
                # The chain: seq 1, 2, 3… each naming the hash of its predecessor.
                last = chains.get(author)
                expected, prev = (1, None) if last is None else (last[0] + 1, last[1])
                placed = False
                if seq == expected:
                    if event.prev != prev:
                        add(order, "broken_link", t("verify.broken_link"), author=author, seq=seq)
                    else:
                        placed = True
                    chains[author] = (seq, event.hash)
                elif seq > expected:
                    gap = t("verify.gap_one", first=expected) if expected == seq - 1 else None
                    add(
                        order,
                        "gap",
                        gap or t("verify.gap", first=expected, last=seq - 1),
                        author=author,
                        seq=seq,
                    )
                    chains[author] = (seq, event.hash)
                else:
                    add(order, "seq_order", t("verify.seq_order", last=expected - 1), author=author, seq=seq)
                if (
                    seq == 1
                    and author == owner
                    and (
                        kind != "store.created"
                        or event.body.get("store") != store_id
                        or event.body.get("public_key") != owner_public_key
                    )
                ):
                    add(order, "foreign_genesis", t("verify.foreign_genesis"), author=author, seq=seq)
                previous_at = last_at.get(author)
                # check_at's comparisons as text first: it is called only when one of them might fail.
                if at > limit or (previous_at is not None and at < previous_at):
                    try:
                        check_at(at, previous_at, now)
                    except EventRejected as exc:
                        add(order, exc.code, t("verify.bad_time", detail=exc.detail), author=author, seq=seq)
                last_at[author] = at
                if not is_known(kind):
                    add(order, "unknown_kind", t("verify.unknown_kind", kind=kind), author=author, seq=seq)
                if author == owner:
                    if placed and kind == "key.trusted":
                        trusted.add(str(event.body.get("key")))
                    self.owner_after_cp += 1
                if kind == "checkpoint.recorded":
                    self.cp_events.append((order, event))
                    if author == owner and placed:
                        self.owner_cp = event
                        self.owner_after_cp = 0
                elif kind == "evidence.attached":
                    sha_ref = event.body.get("sha256")
                    if isinstance(sha_ref, str):
                        self.referenced.setdefault(sha_ref, (author, seq))
                if replay is not None:
                    refused = authority_problem(replay, event, roles)
                    if refused is not None:
                        code, role = refused
                        message = t(f"verify.authority_{code}", kind=kind, role=role or "-")
                        add(order, "authority" if code == "role" else code, message, author=author, seq=seq)
                        continue
                    try:
                        apply(replay, event)
                    except Exception as exc:  # a projector refusing a stored event is a finding, not a crash
                        add(
                            order,
                            "replay_failed",
                            t("verify.replay_failed", detail=str(exc)),
                            author=author,
                            seq=seq,
                        )
            self.progress(len(rows))
        self.report.events += n

    def add_worker_results(self, bad: list[tuple[int, str, int]]) -> None:
        for rowid, author, seq in bad:
            self.add((rowid, 0), "bad_signature", t("verify.bad_signature"), author=author, seq=seq)

    # Checkpoints
