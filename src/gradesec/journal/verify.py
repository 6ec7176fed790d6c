"""Verification: is everything in a store unaltered, complete, and signed by keys the store trusts?

One pass over the journal in order checks, for every event: the stored hash against the stored bytes, the
signature, that the indexed columns say what the signed bytes say, the author's chain (seq 1, 2, 3… each
naming its predecessor's hash), the author's trust and the event kind. The same pass replays the events into an
in-memory database, which is then compared with the live state tables. Then every checkpoint (signature, trust,
and that the chains it names still reach its heads) and every evidence blob (content against name, referenced
blobs present).

With ``workers > 1`` the signature checks — nearly all of the cost — run in worker processes over ranges of
rows while this process does the rest.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gradesec.i18n import t
from gradesec.journal.authority import authority_problem
from gradesec.journal.events import EVENT_DOMAIN, Checkpoint, Event, checkpoint_hash
from gradesec.journal.evidence import hash_file
from gradesec.journal.keys import format_key_id
from gradesec.journal.strict import EventRejected, at_limit, check_at, check_envelope, verifying_now
from gradesec.state import registry
from gradesec.state.base import state_schema
from gradesec.state.replay import state_differences

if TYPE_CHECKING:
    from gradesec.journal.store import Store

CHUNK_ROWS = 2_000
PARALLEL_MIN_ROWS = 40_000
FETCH = 2000


@dataclass(frozen=True)
class Problem:
    """One thing wrong, naming the event (author, seq), the checkpoint, the state row or the blob."""

    code: str
    message: str
    author: str | None = None
    seq: int | None = None
    blob: str | None = None

    def where(self) -> str:
        if self.blob is not None:
            return t("verify.where.blob", blob=self.blob)
        if self.author is not None and self.seq is not None:
            return t("verify.where.event", author=format_key_id(self.author), seq=self.seq)
        if self.author is not None:
            return t("verify.where.author", author=format_key_id(self.author))
        return t("verify.where.store")

    def line(self) -> str:
        return f"{self.where()}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "author": self.author,
            "seq": self.seq,
            "blob": self.blob,
            "message": self.message,
        }


@dataclass
class VerifyReport:
    problems: list[Problem] = field(default_factory=list)
    events: int = 0
    authors: int = 0
    checkpoints: int = 0
    blobs: int = 0
    state_checked: bool = False
    partial: bool = False  # incremental: only what follows the latest trusted checkpoint was read
    # The owner's latest checkpoint event (author, seq, hash, at) and how many owner events follow it: what a
    # witness from someone else can vouch for; without one, a rollback or a lost tail cannot be excluded.
    latest_checkpoint: dict[str, Any] | None = None
    after_checkpoint: int = 0
    witness: str | None = None  # the checkpoint hash a witness named (found and consistent when ok)

    @property
    def ok(self) -> bool:
        return not self.problems

    def codes(self) -> set[str]:
        return {p.code for p in self.problems}

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "authors": self.authors,
            "checkpoints": self.checkpoints,
            "blobs": self.blobs,
            "state_checked": self.state_checked,
            "partial": self.partial,
            "latest_checkpoint": self.latest_checkpoint,
            "after_checkpoint": self.after_checkpoint,
            "witness": self.witness,
            "problems": [p.as_dict() for p in self.problems],
        }


def _verify_sig(key: Ed25519PublicKey, sig: bytes, digest: bytes) -> bool:
    try:
        key.verify(sig, digest)
    except InvalidSignature:
        return False
    return True


def _check_signatures(
    db_path: str, lo: int, hi: int, pubkeys: dict[str, bytes]
) -> list[tuple[int, str, int]]:
    """Worker: the rows with ids in [lo, hi) whose signature does not hold, as (id, author, seq)."""
    keys = {kid: Ed25519PublicKey.from_public_bytes(raw) for kid, raw in pubkeys.items()}
    db = sqlite3.connect(db_path)
    bad: list[tuple[int, str, int]] = []
    try:
        cur = db.execute("SELECT id, author, seq, sig, raw FROM events WHERE id >= ? AND id < ?", (lo, hi))
        sha = hashlib.sha256
        while rows := cur.fetchmany(FETCH):
            for rowid, author, seq, sig, raw in rows:
                key = keys.get(author)
                # Unknown authors are reported by the main pass, which knows the signed author, not the column.
                if key is not None and not _verify_sig(key, sig, sha(EVENT_DOMAIN + raw).digest()):
                    bad.append((rowid, author, seq))
    finally:
        db.close()
    return bad


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork is cheap and the workers open their own connections; with other threads alive (the TUI) forking
    # is unsafe, so start fresh interpreters instead.
    if hasattr(os, "fork") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class _Verifier:
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

    def check_checkpoint(self, cp_id: int, hash_col: bytes, sig: bytes, raw: bytes) -> Checkpoint | None:
        order = (1 << 62, cp_id)
        digest = checkpoint_hash(raw)
        try:
            cp = Checkpoint.decode(raw, sig)
        except (ValueError, KeyError, TypeError, AttributeError):
            self.add(order, "checkpoint_malformed", t("verify.checkpoint_malformed", id=cp_id))
            return None
        where = {"author": cp.author, "seq": cp.seq}
        label = t("verify.checkpoint_label", at=cp.at)
        if digest != hash_col:
            self.add(order, "checkpoint_hash", t("verify.checkpoint_hash", cp=label), **where)
        key = self.pubkeys.get(cp.author)
        if key is None or not _verify_sig(key, sig, digest):
            self.add(order, "checkpoint_signature", t("verify.checkpoint_signature", cp=label), **where)
            return None
        if cp.author not in self.trusted:
            self.add(order, "checkpoint_untrusted", t("verify.checkpoint_untrusted", cp=label), **where)
        local = cp.store == self.store.store_id
        if cp.heads.get(cp.author) != (cp.seq, cp.head) or (
            local and cp.count != sum(s for s, _ in cp.heads.values())
        ):
            self.add(order, "checkpoint_malformed", t("verify.checkpoint_inconsistent", cp=label), **where)
        for author, (seq, head) in sorted(cp.heads.items()):
            self._check_head(order, label, local, author, seq, head)
        return cp

    def check_checkpoint_events(self) -> None:
        """Every ``checkpoint.recorded`` names chain heads that must still be here: all of them for this
        store's own checkpoints, those of the chains present for checkpoints other stores wrote."""
        for order, event in self.cp_events:
            local = event.body.get("store") == self.store.store_id
            heads = event.body.get("heads")
            label = t("verify.checkpoint_event_label", at=event.at)
            for author, value in sorted(heads.items()) if isinstance(heads, dict) else []:
                if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
                    self.add(
                        order,
                        "checkpoint_malformed",
                        t("verify.checkpoint_inconsistent", cp=label),
                        author=event.author,
                        seq=event.seq,
                    )
                    break
                seq, head = value
                self._check_head(order, label, local, str(author), seq, str(head))
            self.report.checkpoints += 1
        cp = self.owner_cp
        if cp is not None:
            self.report.latest_checkpoint = {"author": cp.author, "seq": cp.seq, "hash": cp.hash, "at": cp.at}
        self.report.after_checkpoint = self.owner_after_cp

    def _check_head(
        self, order: tuple[int, int], label: str, local: bool, author: str, seq: int, head: str
    ) -> None:
        at_head = {"author": author, "seq": seq}
        row = self.db.execute(
            "SELECT raw FROM events WHERE author = ? AND seq = ? AND id > 0", (author, seq)
        ).fetchone()
        if row is None:
            last = self.db.execute(
                "SELECT MAX(seq) FROM events WHERE author = ? AND id > 0", (author,)
            ).fetchone()[0]
            if last is None and not local:
                return  # a chain another store held that never came here
            code = "checkpoint_chain_missing" if last is None else "checkpoint_cut_off"
            self.add(
                order, code, t("verify.checkpoint_cut_off", cp=label, last=last or 0, seq=seq), **at_head
            )
        elif hashlib.sha256(EVENT_DOMAIN + bytes(row[0])).hexdigest() != head:
            self.add(order, "checkpoint_mismatch", t("verify.checkpoint_mismatch", cp=label), **at_head)

    def check_witness(self, witness: str) -> None:
        """A checkpoint someone else saw (its event hash) must be here, in the owner's chain, with its heads."""
        self.report.witness = witness
        order = (1 << 62, 0)
        found = [e for _o, e in self.cp_events if e.hash == witness]
        if not found:
            row = self.db.execute(
                "SELECT raw FROM checkpoints WHERE hash = ?", (bytes.fromhex(witness),)
            ).fetchone()
            if row is None:
                self.add(order, "witness_missing", t("verify.witness_missing", hash=witness[:16]))
            return
        # Its heads were checked with every checkpoint event; a witnessed checkpoint older than the owner's
        # chain head is fine, one that is not in the chain at all is a rollback or a lost tail.

    # State

    def check_state(self, replay: sqlite3.Connection) -> None:
        schema = state_schema()
        diffs = state_differences(replay, str(self.store.db_path), schema)
        for table, change, key in diffs:
            pk = ", ".join(str(k) for k in key)
            self.add((1 << 63, 0), f"state_{change}", t(f"verify.state_{change}", table=table, key=pk))
        self.report.state_checked = True

    # Evidence

    def check_blobs(self, workers: int, only: set[str] | None = None) -> None:
        evidence = self.store.evidence
        present = dict(evidence.blobs())
        names = sorted(present if only is None else (only & set(present)))
        order = (1 << 63, 1)
        hashes: list[str]
        if workers > 1 and len(names) > 1:
            with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
                hashes = [ref.sha256 for ref in pool.map(hash_file, [present[n] for n in names])]
        else:
            hashes = [hash_file(present[n]).sha256 for n in names]
        for name, actual in zip(names, hashes, strict=True):
            self.progress(1)
            if actual != name or present[name].parent.name != name[:2]:
                self.add(order, "blob_changed", t("verify.blob_changed"), blob=name)
        self.report.blobs = len(names)
        wanted = self.referenced if only is None else {k: v for k, v in self.referenced.items() if k in only}
        for sha, (author, seq) in sorted(wanted.items()):
            if sha not in present:
                self.add(
                    order,
                    "blob_missing",
                    t("verify.blob_missing", author=format_key_id(author), seq=seq),
                    blob=sha,
                )


EVENT_QUERY = "SELECT id, author, seq, kind, hash, sig, raw FROM events WHERE id > ? ORDER BY id"
AUTHOR_QUERY = "SELECT id, author, seq, kind, hash, sig, raw FROM events WHERE author = ? AND seq > ? AND id > 0 ORDER BY seq"


def _authors(db: sqlite3.Connection) -> list[str]:
    # A skip-scan over the (author, seq) index: cost grows with the number of authors, not of events.
    out: list[str] = []
    row = db.execute("SELECT author FROM events ORDER BY author LIMIT 1").fetchone()
    while row is not None:
        out.append(str(row[0]))
        row = db.execute(
            "SELECT author FROM events WHERE author > ? ORDER BY author LIMIT 1", (row[0],)
        ).fetchone()
    return out


def _incremental(v: _Verifier, store: Store) -> bool:
    """Verify only what follows the owner's latest checkpoint event, found through the signed chain (by
    author and seq, never by row id or an unsigned mark). False when there is no usable checkpoint."""
    db = store.connection
    row = db.execute(
        "SELECT id, author, seq, kind, hash, sig, raw FROM events WHERE author = ? AND kind = 'checkpoint.recorded'"
        " AND id > 0 ORDER BY seq DESC LIMIT 1",
        (store.owner,),
    ).fetchone()
    if row is None:
        return False
    raw = bytes(row[6])
    digest = hashlib.sha256(EVENT_DOMAIN + raw).digest()
    owner_key = v.pubkeys.get(store.owner)
    try:
        cp = check_envelope(raw, digest.hex(), bytes(row[5]), int(row[0]))
    except EventRejected:
        return False
    heads = cp.body["heads"]
    if (
        cp.author != store.owner
        or cp.body.get("store") != store.store_id
        or bytes(row[4]) != digest
        or owner_key is None
        or not _verify_sig(owner_key, cp.sig, digest)
        or not isinstance(heads, dict)
    ):
        return False
    covered: dict[str, tuple[int, str]] = {}
    for author, value in heads.items():
        if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
            return False
        covered[str(author)] = (int(value[0]), str(value[1]))
    covered[cp.author] = (cp.seq, cp.hash)
    # Trust granted before the checkpoint: the owner's key.trusted events inside the covered chain, each the
    # only row at its place and validly signed.
    for rowid, seq, sig, raw_t in db.execute(
        "SELECT id, seq, sig, raw FROM events WHERE kind = 'key.trusted' AND author = ? AND seq <= ?",
        (store.owner, cp.seq),
    ).fetchall():
        digest_t = hashlib.sha256(EVENT_DOMAIN + bytes(raw_t)).digest()
        single = db.execute(
            "SELECT COUNT(*) FROM events WHERE author = ? AND seq = ?", (store.owner, seq)
        ).fetchone()
        if rowid > 0 and single[0] == 1 and _verify_sig(owner_key, bytes(sig), digest_t):
            try:
                v.trusted.add(str(json.loads(bytes(raw_t))["body"]["key"]))
            except (ValueError, KeyError, TypeError):
                continue
    v.report.partial = True
    v.chains.update(covered)
    order = (int(row[0]), 0)
    v.cp_events.append((order, cp))
    v.owner_cp = cp
    for author in _authors(db):
        start = covered.get(author, (0, ""))[0]
        v.check_events(AUTHOR_QUERY, (author, start), check_sigs=True, replay=None)
    return True


def verify_store(
    store: Store,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    *,
    since_checkpoint: bool = False,
    witness: str | None = None,
) -> VerifyReport:
    """Verify ``store``. ``workers``: processes for signature checks (None: all cores for large stores).

    ``witness``: the hash of a checkpoint someone else saw in this store; it must still be here."""
    v = _Verifier(store, progress)
    v.learn_keys()
    v.check_row_ids()
    if since_checkpoint and _incremental(v, store):
        v.check_checkpoint_events()
        if witness:
            v.check_witness(witness)
        v.check_blobs(1, only=set(v.referenced))
        return v.finish()
    max_id = int(store.connection.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0])
    if workers is None:
        workers = (os.cpu_count() or 1) if max_id >= PARALLEL_MIN_ROWS else 1
    replay = sqlite3.connect(":memory:", isolation_level=None)
    try:
        replay.execute("BEGIN")
        from gradesec.state.base import create_state_tables

        create_state_tables(replay)
        if workers > 1:
            pubs = dict(v.pub_raw)
            with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
                # A few chunks per worker keeps them all busy to the end without much per-chunk overhead.
                chunk = max(CHUNK_ROWS, -(-max_id // (workers * 4)))
                futures: list[Future[list[tuple[int, str, int]]]] = [
                    pool.submit(_check_signatures, str(store.db_path), lo, lo + chunk, pubs)
                    for lo in range(1, max_id + 1, chunk)
                ]
                v.check_events(EVENT_QUERY, (0,), check_sigs=False, replay=replay)
                for future in futures:
                    v.add_worker_results(future.result())
        else:
            v.check_events(EVENT_QUERY, (0,), check_sigs=True, replay=replay)
        replay.execute("COMMIT")
        v.check_checkpoint_events()
        for cp_id, hash_col, sig, raw in store.connection.execute(
            "SELECT id, hash, sig, raw FROM checkpoints ORDER BY id"
        ).fetchall():
            v.check_checkpoint(cp_id, bytes(hash_col), bytes(sig), bytes(raw))
        if witness:
            v.check_witness(witness)
        v.check_state(replay)
    finally:
        replay.close()
    v.check_blobs(workers)
    return v.finish()


def blob_count(store: Store) -> int:
    return len(store.evidence.blobs())


def report_json(report: VerifyReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)


__all__ = ["Problem", "VerifyReport", "verify_store"]
