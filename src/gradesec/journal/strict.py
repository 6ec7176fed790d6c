"""One validator for every event, wherever it comes from: append, import, bundle verify and verify.

``check_envelope`` takes the stored bytes and answers an ``Event`` or raises ``EventRejected`` naming what is
wrong: the envelope shape and version, the bytes not being exactly what RFC 8785 writes for them (which also
refuses duplicated keys: the canonical form of the parsed value would drop one), the author/seq/prev/at types,
and the body against the declared fields of its kind. ``check_at`` bounds the time: not before the author's
previous event (less a tolerance) and not after the verifying machine's clock (plus a margin), so an event
dated 2099 cannot win "latest" for ever.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import rfc8785

from gradesec.journal.events import ABOVE_D7FF, ENVELOPE_KEYS, ENVELOPE_VERSION, Event, plain_json

# How far an event may be dated before its author's previous one (clocks are corrected now and then), and how
# far after the verifying machine's clock (a wrong time zone setting, a slow clock here).
BACKWARD_TOLERANCE = timedelta(minutes=10)
FUTURE_MARGIN = timedelta(days=1)

# Numbers that are not small integers (fractions, exponents, integers beyond what an IEEE double holds exactly)
# interrupt the fast decoder; such bytes take the reference canonicaliser instead of the fast path.
MAX_SAFE_INT = 2**53 - 1


class _OddNumber(Exception):
    pass


def _odd_float(_text: str) -> float:
    raise _OddNumber


def _checked_int(text: str) -> int:
    value = int(text)
    if -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
        return value
    raise _OddNumber


_DECODER = json.JSONDecoder(parse_float=_odd_float, parse_int=_checked_int)
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
_KEY_ID = re.compile(r"^[0-9a-f]{32}$")
_HASH = re.compile(r"^[0-9a-f]{64}$")


class EventRejected(ValueError):
    """An event that is not well formed. ``code`` names the check (``envelope``, ``version``,
    ``not_canonical``, ``bad_time``, ``bad_body``, ``future``, ``time_order``); ``detail`` says more."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


# Field types: "str" (non-empty text), "text" (text, may be empty), "str?" (text or null), "int", "list",
# "dict", "any" (present).
# Every shipped kind declares the fields its projectors need; a kind without an entry must still have an
# object body. Other modules add theirs with ``declare_body``.
BODIES: dict[str, dict[str, str]] = {
    "store.created": {"store": "str", "public_key": "str"},
    "key.identity": {"key": "str", "public_key": "str", "name": "text", "role": "text"},
    "key.trusted": {"key": "str", "public_key": "str"},
    "checkpoint.recorded": {"store": "str", "heads": "dict", "count": "int"},
    "witness.recorded": {"store": "str", "author": "str", "seq": "int", "hash": "str", "at": "text"},
    "evidence.attached": {
        "sha256": "str",
        "name": "text",
        "size": "int",
        "media_type": "text",
        "target": "dict",
    },
    "unit.created": {"id": "str", "name": "text"},
    "system.created": {"id": "str", "unit": "str", "name": "text", "level": "int"},
    "asset.added": {"id": "str", "system": "str", "kind": "str", "name": "text"},
    "inspection.opened": {
        "id": "str",
        "system": "str",
        "profile": "str",
        "policy": "any",
        "level": "int",
        "items": "list",
        "policies": "list",
        "pins": "any",
        "catalog_sha256": "str",
    },
    "inspection.assets_added": {"inspection": "str", "assets": "list"},
    "inspection.closed": {"inspection": "str"},
    "inspection.reopened": {"inspection": "str"},
    "finding.recorded": {"inspection": "str", "item": "str", "asset": "str", "result": "str"},
    "finding.resolved": {"inspection": "str", "item": "str", "asset": "str", "result": "str"},
    "issue.rated": {"inspection": "str", "item": "str", "asset": "str", "risk": "str"},
    "remediation.planned": {"id": "str"},
    "remediation.updated": {"id": "str", "action": "str"},
    "remediation.retested": {"id": "str", "outcome": "str"},
    "remediation.round": {"inspection": "str"},
    "drill.started": {"drill": "str", "scenario": "any", "scenario_doc": "any", "scenario_sha256": "str"},
    "drill.team_set": {"drill": "str", "team": "any"},
    "drill.inject_released": {"drill": "str", "elapsed_ms": "int", "inject": "str"},
    "drill.expectation_marked": {
        "drill": "str",
        "elapsed_ms": "int",
        "expectation": "str",
        "inject": "str",
        "status": "str",
    },
    "drill.observation": {"drill": "str", "elapsed_ms": "int", "kind": "str", "text": "text"},
    "drill.paused": {"drill": "str"},
    "drill.resumed": {"drill": "str"},
    "drill.closed": {"drill": "str", "elapsed_ms": "int"},
    "drill.improvement_raised": {"drill": "str", "id": "str", "risk": "str", "title": "any"},
}

# Fields that, when present, must have a type (the ids that scope an event to an inspection above all).
OPTIONAL: dict[str, str] = {"inspection": "str?", "reason": "text"}


def declare_body(kind: str, fields: dict[str, str]) -> None:
    """Declare (or extend) the required body fields of ``kind``."""
    BODIES.setdefault(kind, {}).update(fields)


def _typed(value: Any, kind: str) -> bool:
    if kind == "any":
        return True
    if kind == "str?":
        return value is None or isinstance(value, str)
    if kind in ("str", "text"):
        return isinstance(value, str) and (kind == "text" or bool(value))
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list)
    if kind == "dict":
        return isinstance(value, dict)
    return False


def check_body(kind: str, body: Any) -> None:
    """Raise ``EventRejected("bad_body")`` unless ``body`` is an object with every declared field typed."""
    if not isinstance(body, dict):
        raise EventRejected("bad_body", "the body is not an object")
    for name, want in BODIES.get(kind, {}).items():
        if name not in body:
            raise EventRejected("bad_body", f"{kind}: field {name!r} is missing")
        if not _typed(body[name], want):
            raise EventRejected("bad_body", f"{kind}: field {name!r} is not {want}")
    for name, want in OPTIONAL.items():
        if name in body and name not in BODIES.get(kind, {}) and not _typed(body[name], want):
            raise EventRejected("bad_body", f"{kind}: field {name!r} is not {want}")


def parse_at(at: str) -> datetime:
    """The moment an ``at`` value names (raises ``EventRejected("bad_time")``)."""
    if not isinstance(at, str) or not _AT.match(at):
        raise EventRejected("bad_time", f"{at!r} is not a UTC time like 2026-11-24T09:30:00.000Z")
    try:
        return datetime.fromisoformat(at[:-1]).replace(tzinfo=UTC)
    except ValueError:
        raise EventRejected("bad_time", f"{at!r} is not a valid date and time") from None


def _real_moment(at: str) -> bool:
    try:
        datetime.fromisoformat(at[:-1])
    except ValueError:
        return False
    return True


def _is_canonical(raw: bytes, data: Any, has_float: bool) -> bool:
    # Fast path: for JSON without numbers other than integers, Python's sorted compact form is RFC 8785's
    # except for key order among keys holding characters above U+D7FF (UTF-16 vs code point order); those,
    # and floats, take the reference implementation (``events.plain_json`` says which; text without any such
    # character needs no walk: the decoder has already refused floats and unsafe integers).
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if not has_float and (not ABOVE_D7FF.search(text) or plain_json(data)):
        return bool(_ENCODER.encode(data) == text)
    try:
        return bytes(rfc8785.dumps(data)) == raw
    except (rfc8785.CanonicalizationError, TypeError, ValueError):
        return False


def check_envelope(raw: bytes, hash_hex: str, sig: bytes, rowid: int | None = None) -> Event:
    """Decode ``raw`` strictly (see the module doc); raise ``EventRejected`` naming the first problem."""
    odd = False
    try:
        data = _DECODER.decode(raw.decode("utf-8"))
    except _OddNumber:
        odd = True
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise EventRejected("envelope", "not JSON") from None
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise EventRejected("envelope", "not JSON") from None
    if not isinstance(data, dict) or set(data) != ENVELOPE_KEYS:
        raise EventRejected("envelope", "not an event envelope")
    if data["v"] != ENVELOPE_VERSION or isinstance(data["v"], bool):
        raise EventRejected("version", f"envelope version {data['v']!r} is not {ENVELOPE_VERSION}")
    if not _is_canonical(raw, data, odd):
        raise EventRejected("not_canonical", "the bytes are not in RFC 8785 canonical form")
    kind, author, seq, prev = data["kind"], data["author"], data["seq"], data["prev"]
    if not isinstance(kind, str) or not kind:
        raise EventRejected("envelope", "kind is not text")
    if not isinstance(author, str) or not _KEY_ID.match(author):
        raise EventRejected("envelope", "author is not a key id")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise EventRejected("envelope", "seq is not a positive integer")
    if not (prev is None or (isinstance(prev, str) and _HASH.match(prev))) or (prev is None) != (seq == 1):
        raise EventRejected("envelope", "prev does not fit seq")
    at = data["at"]
    if not isinstance(at, str) or not _AT.match(at) or not _real_moment(at):
        parse_at(at)  # names what is wrong
    check_body(kind, data["body"])
    return Event(
        kind=kind,
        author=author,
        seq=seq,
        prev=prev,
        at=data["at"],
        body=data["body"],
        hash=hash_hex,
        sig=sig,
        raw=raw,
        v=ENVELOPE_VERSION,
        rowid=rowid,
    )


def check_at(at: str, previous_at: str | None, now: datetime) -> None:
    """Raise ``EventRejected`` when ``at`` is after ``now`` plus the margin, or before the author's previous
    event's time less the tolerance. (Times of the one fixed-width form compare as text: no parsing on the
    usual path.)"""
    if at > _limit(now):
        raise EventRejected("future", f"dated {at}, after this machine's clock")
    if (
        previous_at is not None
        and at < previous_at
        and parse_at(at) < parse_at(previous_at) - BACKWARD_TOLERANCE
    ):
        raise EventRejected("time_order", f"dated {at}, before its author's previous event ({previous_at})")


@functools.lru_cache(maxsize=8)
def _limit(now: datetime) -> str:
    from gradesec.journal.clock import format_at

    return format_at(now + FUTURE_MARGIN)


def verifying_now(clock: Any) -> datetime:
    """The verifying machine's time: the later of the real clock and the store's (injectable) clock, read
    without advancing a test clock."""
    real = datetime.now(UTC)
    frozen = getattr(clock, "now", None)
    if isinstance(frozen, datetime):
        return max(real, frozen if frozen.tzinfo else frozen.replace(tzinfo=UTC))
    return real


__all__ = [
    "BODIES",
    "EventRejected",
    "check_at",
    "check_body",
    "check_envelope",
    "declare_body",
    "parse_at",
    "verifying_now",
]
