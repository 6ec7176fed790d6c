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
from gradesec.journal.events import EVENT_DOMAIN, Checkpoint, Event, checkpoint_hash
from gradesec.journal.evidence import hash_file
from gradesec.journal.keys import format_key_id
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

    def add(self, order: tuple[int, int], code: str, message: str, **where: Any) -> None:
        self._problems.append((order, Problem(code, message, **where)))

    def ok_so_far(self) -> bool:
        return not self._problems

    def finish(self) -> VerifyReport:
        for author, seqs in self.untrusted.items():
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
        owner = self.store.owner
        self.trusted = {owner}
        trusting: list[tuple[Event, bytes]] = []
        for raw, sig in self.db.execute(
            "SELECT raw, sig FROM events WHERE kind IN ('store.created', 'key.identity', 'key.trusted')"
        ):
            raw = bytes(raw)
            digest = hashlib.sha256(EVENT_DOMAIN + raw).digest()
            try:
                event = Event.decode(raw, digest.hex(), bytes(sig))
            except (ValueError, KeyError, TypeError):
                continue
            learn(event.body.get("public_key"))
            if event.kind == "key.trusted" and event.author == owner:
                trusting.append((event, digest))
        owner_key = self.pubkeys.get(owner)
        for event, digest in trusting:
            if owner_key is not None and _verify_sig(owner_key, event.sig, digest):
                self.trusted.add(str(event.body.get("key")))

    # Events

    def check_events(
        self,
        query: str,
        args: tuple[Any, ...],
        *,
        check_sigs: bool,
        replay: sqlite3.Connection | None,
        covered: dict[str, tuple[int, str]] | None = None,
    ) -> None:
        owner, store_id = self.store.owner, self.store.store_id
        chains = self.chains
        pubkeys = self.pubkeys
        sha = hashlib.sha256
        cur = self.db.execute(query, args)
        n = 0
        while rows := cur.fetchmany(FETCH):
            for rowid, author_col, seq_col, kind_col, hash_col, sig, raw in rows:
                n += 1
                raw = bytes(raw)
                digest = sha(EVENT_DOMAIN + raw).digest()
                order = (rowid, 0)
                try:
                    event = Event.decode(raw, digest.hex(), bytes(sig), rowid)
                except (ValueError, KeyError, TypeError):
                    self.add(order, "malformed", t("verify.malformed"), author=author_col, seq=seq_col)
                    continue
                author, seq = event.author, event.seq
                where = {"author": author, "seq": seq}
                if covered is not None and seq <= covered.get(author, (0, ""))[0]:
                    continue  # behind the trusted checkpoint: checked when it was written
                if bytes(hash_col) != digest:
                    self.add(order, "hash_mismatch", t("verify.hash_mismatch"), **where)
                if (author_col, seq_col, kind_col) != (author, seq, event.kind):
                    self.add(
                        order,
                        "columns_mismatch",
                        t(
                            "verify.columns_mismatch",
                            author=format_key_id(str(author_col)),
                            seq=seq_col,
                            kind=kind_col,
                        ),
                        **where,
                    )
                key = pubkeys.get(author)
                if key is None:
                    self.unknown_key.setdefault(author, []).append(seq)
                elif check_sigs and not _verify_sig(key, event.sig, digest):
                    self.add(order, "bad_signature", t("verify.bad_signature"), **where)
                if author not in self.trusted:
                    self.untrusted.setdefault(author, []).append(seq)
                # The chain: seq 1, 2, 3… each naming the hash of its predecessor.
                last = chains.get(author)
                expected, prev = (1, None) if last is None else (last[0] + 1, last[1])
                if seq == expected:
                    if event.prev != prev:
                        self.add(order, "broken_link", t("verify.broken_link"), **where)
                    chains[author] = (seq, event.hash)
                elif seq > expected:
                    gap = t("verify.gap_one", first=expected) if expected == seq - 1 else None
                    self.add(order, "gap", gap or t("verify.gap", first=expected, last=seq - 1), **where)
                    chains[author] = (seq, event.hash)
                else:
                    self.add(order, "seq_order", t("verify.seq_order", last=expected - 1), **where)
                if (
                    author == owner
                    and seq == 1
                    and (event.kind != "store.created" or event.body.get("store") != store_id)
                ):
                    self.add(order, "foreign_genesis", t("verify.foreign_genesis"), **where)
                if not registry.is_known(event.kind):
                    self.add(order, "unknown_kind", t("verify.unknown_kind", kind=event.kind), **where)
                if event.kind == "evidence.attached":
                    sha_ref = event.body.get("sha256")
                    if isinstance(sha_ref, str):
                        self.referenced.setdefault(sha_ref, (author, seq))
                if replay is not None:
                    try:
                        registry.apply(replay, event)
                    except Exception as exc:  # a projector refusing a stored event is a finding, not a crash
                        self.add(order, "replay_failed", t("verify.replay_failed", detail=str(exc)), **where)
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
            at_head = {"author": author, "seq": seq}
            row = self.db.execute(
                "SELECT raw FROM events WHERE author = ? AND seq = ?", (author, seq)
            ).fetchone()
            if row is None:
                last = self.db.execute("SELECT MAX(seq) FROM events WHERE author = ?", (author,)).fetchone()[
                    0
                ]
                if last is None and not local:
                    continue  # a chain the bundle did not carry
                self.add(
                    order,
                    "checkpoint_cut_off",
                    t("verify.checkpoint_cut_off", cp=label, last=last or 0, seq=seq),
                    **at_head,
                )
            elif hashlib.sha256(EVENT_DOMAIN + bytes(row[0])).hexdigest() != head:
                self.add(order, "checkpoint_mismatch", t("verify.checkpoint_mismatch", cp=label), **at_head)
        self.report.checkpoints += 1
        return cp

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


def verify_store(
    store: Store,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    *,
    since_checkpoint: bool = False,
) -> VerifyReport:
    """Verify ``store``. ``workers``: processes for signature checks (None: all cores for large stores)."""
    v = _Verifier(store, progress)
    v.learn_keys()
    if since_checkpoint:
        latest = store.connection.execute(
            "SELECT id, hash, sig, raw, local_mark FROM checkpoints WHERE author = ? AND local_mark > 0"
            " ORDER BY id DESC LIMIT 1",
            (store.owner,),
        ).fetchone()
        if latest is not None:
            cp_id, hash_col, sig, raw, mark = latest
            cp = v.check_checkpoint(cp_id, bytes(hash_col), bytes(sig), bytes(raw))
            if cp is not None and cp.store == store.store_id and v.ok_so_far():
                v.report.partial = True
                v.chains.update(cp.heads)
                v.check_events(
                    EVENT_QUERY, (int(mark),), check_sigs=True, replay=None, covered=dict(cp.heads)
                )
                v.check_blobs(1, only=set(v.referenced))
                return v.finish()
            v._problems.clear()
            v.report.checkpoints = 0
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
        for cp_id, hash_col, sig, raw in store.connection.execute(
            "SELECT id, hash, sig, raw FROM checkpoints ORDER BY id"
        ).fetchall():
            v.check_checkpoint(cp_id, bytes(hash_col), bytes(sig), bytes(raw))
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
