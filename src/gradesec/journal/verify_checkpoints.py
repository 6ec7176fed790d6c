"""Checkpoints in ``verify``: every ``checkpoint.recorded`` event and stored checkpoint names chain heads that
must still be here; a witness (a checkpoint hash someone else saw) must be found in the owner's chain; and
``--since-checkpoint`` verifies only what follows the owner's latest checkpoint, found through the signed chain.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import TYPE_CHECKING

from gradesec.i18n import t
from gradesec.journal.events import EVENT_DOMAIN, Checkpoint, checkpoint_hash
from gradesec.journal.strict import EventRejected, check_envelope
from gradesec.journal.verify_events import Verifier, _verify_sig

if TYPE_CHECKING:
    from gradesec.journal.store import Store


def check_checkpoint(v: Verifier, cp_id: int, hash_col: bytes, sig: bytes, raw: bytes) -> Checkpoint | None:
    order = (1 << 62, cp_id)
    digest = checkpoint_hash(raw)
    try:
        cp = Checkpoint.decode(raw, sig)
    except (ValueError, KeyError, TypeError, AttributeError):
        v.add(order, "checkpoint_malformed", t("verify.checkpoint_malformed", id=cp_id))
        return None
    where = {"author": cp.author, "seq": cp.seq}
    label = t("verify.checkpoint_label", at=cp.at)
    if digest != hash_col:
        v.add(order, "checkpoint_hash", t("verify.checkpoint_hash", cp=label), **where)
    key = v.pubkeys.get(cp.author)
    if key is None or not _verify_sig(key, sig, digest):
        v.add(order, "checkpoint_signature", t("verify.checkpoint_signature", cp=label), **where)
        return None
    if cp.author not in v.trusted:
        v.add(order, "checkpoint_untrusted", t("verify.checkpoint_untrusted", cp=label), **where)
    local = cp.store == v.store.store_id
    if cp.heads.get(cp.author) != (cp.seq, cp.head) or (
        local and cp.count != sum(s for s, _ in cp.heads.values())
    ):
        v.add(order, "checkpoint_malformed", t("verify.checkpoint_inconsistent", cp=label), **where)
    for author, (seq, head) in sorted(cp.heads.items()):
        _check_head(v, order, label, local, author, seq, head)
    return cp


def check_checkpoint_events(v: Verifier) -> None:
    """Every ``checkpoint.recorded`` names chain heads that must still be here: all of them for this
    store's own checkpoints, those of the chains present for checkpoints other stores wrote."""
    for order, event in v.cp_events:
        local = event.body.get("store") == v.store.store_id
        heads = event.body.get("heads")
        label = t("verify.checkpoint_event_label", at=event.at)
        for author, value in sorted(heads.items()) if isinstance(heads, dict) else []:
            if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
                v.add(
                    order,
                    "checkpoint_malformed",
                    t("verify.checkpoint_inconsistent", cp=label),
                    author=event.author,
                    seq=event.seq,
                )
                break
            seq, head = value
            _check_head(v, order, label, local, str(author), seq, str(head))
        v.report.checkpoints += 1
    cp = v.owner_cp
    if cp is not None:
        v.report.latest_checkpoint = {"author": cp.author, "seq": cp.seq, "hash": cp.hash, "at": cp.at}
    v.report.after_checkpoint = v.owner_after_cp


def _check_head(
    v: Verifier, order: tuple[int, int], label: str, local: bool, author: str, seq: int, head: str
) -> None:
    at_head = {"author": author, "seq": seq}
    row = v.db.execute(
        "SELECT raw FROM events WHERE author = ? AND seq = ? AND id > 0", (author, seq)
    ).fetchone()
    if row is None:
        last = v.db.execute("SELECT MAX(seq) FROM events WHERE author = ? AND id > 0", (author,)).fetchone()[
            0
        ]
        if last is None and not local:
            return  # a chain another store held that never came here
        code = "checkpoint_chain_missing" if last is None else "checkpoint_cut_off"
        v.add(order, code, t("verify.checkpoint_cut_off", cp=label, last=last or 0, seq=seq), **at_head)
    elif hashlib.sha256(EVENT_DOMAIN + bytes(row[0])).hexdigest() != head:
        v.add(order, "checkpoint_mismatch", t("verify.checkpoint_mismatch", cp=label), **at_head)


def check_witness(v: Verifier, witness: str) -> None:
    """A checkpoint someone else saw (its event hash) must be here, in the owner's chain, with its heads."""
    v.report.witness = witness
    order = (1 << 62, 0)
    found = [e for _o, e in v.cp_events if e.hash == witness]
    if not found:
        row = v.db.execute("SELECT raw FROM checkpoints WHERE hash = ?", (bytes.fromhex(witness),)).fetchone()
        if row is None:
            v.add(order, "witness_missing", t("verify.witness_missing", hash=witness[:16]))
        return
    # Its heads were checked with every checkpoint event; a witnessed checkpoint older than the owner's
    # chain head is fine, one that is not in the chain at all is a rollback or a lost tail.


# State


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


def incremental(v: Verifier, store: Store) -> bool:
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
