"""Events and checkpoints: canonical bytes, hashes and signatures.

An event is the RFC 8785 canonical form of
``{"v":1,"kind":…,"author":<key id>,"seq":n,"prev":<hash hex or null>,"at":…,"body":{…}}``.
``hash = SHA-256(b"gradesec/event/v1\\0" + canonical bytes)`` and ``sig = Ed25519(hash)``. The canonical
bytes are stored verbatim and are what every check reads; nothing is re-serialised for verification.
A checkpoint is a signed statement over the heads of the chains a store held, with its own domain tag so that
neither can be passed off as the other.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

import rfc8785

from gradesec.errors import GradesecError
from gradesec.i18n import t

EVENT_DOMAIN = b"gradesec/event/v1\x00"
CHECKPOINT_DOMAIN = b"gradesec/checkpoint/v1\x00"
ENVELOPE_VERSION = 1
ENVELOPE_KEYS = frozenset({"v", "kind", "author", "seq", "prev", "at", "body"})


# Above this, an integer is not exactly an IEEE double: RFC 8785 refuses it.
MAX_SAFE_INT = 2**53 - 1
# Python's sorted compact JSON is RFC 8785's for text, integers, booleans and null, except that RFC 8785 orders
# keys by UTF-16 code units: the two orders differ only for keys holding characters from U+E000 up.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
ABOVE_D7FF = re.compile("[\ue000-\uffff\U00010000-\U0010ffff]")


def plain_json(obj: Any) -> bool:
    """Whether ``obj`` is JSON for which Python's sorted compact form *is* the RFC 8785 form: objects with text
    keys that sort the same in code points and in UTF-16, arrays, text, safe integers, booleans and null (no
    floats, nothing else)."""
    try:
        return _plain(obj)
    except RecursionError:
        return False  # the reference implementation decides (and refuses) such depth


def _plain(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        try:
            keys = "".join(value)  # TypeError unless every key is text
        except TypeError:
            return False
        if not keys.isascii() and ABOVE_D7FF.search(keys):
            return False
        items: Any = value.values()
    elif kind is list:
        items = value
    else:
        return _plain_scalar(value)
    for item in items:
        sub = type(item)
        if sub is str or sub is bool or item is None:
            continue
        if sub is dict or sub is list:
            if not _plain(item):
                return False
        elif not _plain_scalar(item):
            return False
    return True


def _plain_scalar(value: Any) -> bool:
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    return kind is int and bool(-MAX_SAFE_INT <= value <= MAX_SAFE_INT)


def canonical(obj: Any) -> bytes:
    """RFC 8785 canonical JSON bytes of ``obj`` (a clear error for values JSON cannot carry exactly)."""
    if plain_json(obj):
        return _ENCODER.encode(obj).encode("utf-8")
    try:
        return bytes(rfc8785.dumps(obj))
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise GradesecError(
            t("journal.error.not_canonical", detail=str(exc)), t("journal.error.not_canonical.hint")
        ) from None


def event_hash(raw: bytes) -> bytes:
    return hashlib.sha256(EVENT_DOMAIN + raw).digest()


def checkpoint_hash(raw: bytes) -> bytes:
    return hashlib.sha256(CHECKPOINT_DOMAIN + raw).digest()


@dataclass(frozen=True)
class StoredEvent:
    """An event as it travels between stores: its canonical bytes, its hash (hex) and its signature."""

    raw: bytes
    hash: str
    sig: bytes

    def decode(self) -> Event:
        return Event.decode(self.raw, self.hash, self.sig)


@dataclass(frozen=True)
class Event:
    """A decoded event. ``raw`` is the exact signed bytes; ``rowid`` its position in this store's journal."""

    kind: str
    author: str
    seq: int
    prev: str | None
    at: str
    body: dict[str, Any]
    hash: str
    sig: bytes
    raw: bytes = field(repr=False)
    v: int = ENVELOPE_VERSION
    rowid: int | None = None

    @staticmethod
    def decode(raw: bytes, hash_hex: str, sig: bytes, rowid: int | None = None) -> Event:
        """Parse canonical bytes (raises ``ValueError``/``KeyError``/``TypeError`` on a malformed envelope)."""
        data = json.loads(raw)
        if not isinstance(data, dict) or set(data) != ENVELOPE_KEYS or not isinstance(data["body"], dict):
            raise ValueError("not an event envelope")
        seq = data["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            raise ValueError("bad seq")
        return Event(
            kind=str(data["kind"]),
            author=str(data["author"]),
            seq=seq,
            prev=data["prev"],
            at=str(data["at"]),
            body=data["body"],
            hash=hash_hex,
            sig=sig,
            raw=raw,
            v=int(data["v"]),
            rowid=rowid,
        )

    def stored(self) -> StoredEvent:
        return StoredEvent(self.raw, self.hash, self.sig)


def envelope(kind: str, author: str, seq: int, prev: str | None, at: str, body: dict[str, Any]) -> bytes:
    return canonical(
        {
            "v": ENVELOPE_VERSION,
            "kind": kind,
            "author": author,
            "seq": seq,
            "prev": prev,
            "at": at,
            "body": body,
        }
    )


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement: at ``at``, ``author``'s chain ended at ``seq`` with hash ``head``, and the store
    (``store``) held ``count`` events whose chain heads are ``heads`` (``{author: [seq, head]}``)."""

    store: str
    author: str
    seq: int
    head: str
    count: int
    at: str
    heads: dict[str, tuple[int, str]]
    raw: bytes = field(repr=False)
    hash: str = ""
    sig: bytes = b""

    @staticmethod
    def payload(
        store: str, author: str, seq: int, head: str, count: int, at: str, heads: dict[str, tuple[int, str]]
    ) -> bytes:
        return canonical(
            {
                "v": 1,
                "type": "checkpoint",
                "store": store,
                "author": author,
                "seq": seq,
                "head": head,
                "count": count,
                "at": at,
                "heads": {a: [s, h] for a, (s, h) in heads.items()},
            }
        )

    @staticmethod
    def decode(raw: bytes, sig: bytes) -> Checkpoint:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("type") != "checkpoint":
            raise ValueError("not a checkpoint")
        heads = {str(a): (int(v[0]), str(v[1])) for a, v in data["heads"].items()}
        return Checkpoint(
            store=str(data["store"]),
            author=str(data["author"]),
            seq=int(data["seq"]),
            head=str(data["head"]),
            count=int(data["count"]),
            at=str(data["at"]),
            heads=heads,
            raw=raw,
            hash=checkpoint_hash(raw).hex(),
            sig=sig,
        )

    @property
    def stored(self) -> StoredCheckpoint:
        return StoredCheckpoint(self.raw, self.sig)


@dataclass(frozen=True)
class StoredCheckpoint:
    """A checkpoint as it travels: canonical bytes and signature."""

    raw: bytes
    sig: bytes
