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

from gradesec.journal.bodies import BODIES, body_fits, body_problem, declare_body
from gradesec.journal.events import ENVELOPE_KEYS, ENVELOPE_VERSION, Event

# How far an event may be dated before its author's previous one (clocks are corrected now and then), and how
# far after the verifying machine's clock (a wrong time zone setting, a slow clock here).
BACKWARD_TOLERANCE = timedelta(minutes=10)
FUTURE_MARGIN = timedelta(days=1)

# Numbers other than small integers and plain fractions (exponents, integers beyond what an IEEE double holds
# exactly, fractions not in their shortest form) interrupt the fast decoder; such bytes take the reference
# canonicaliser instead of the fast path.
MAX_SAFE_INT = 2**53 - 1


class _OddNumber(Exception):
    pass


def _plain_float(text: str) -> float:
    # A fraction written as Python's repr writes it, without an exponent, is already RFC 8785's form: both are
    # the shortest digits that round-trip, in fixed notation for 1e-4 <= |x| < 1e16 (RFC 8785 switches to
    # exponents only below 1e-6 or from 1e21). Whole numbers ("1.0", RFC 8785: "1") are not this form, and
    # anything else interrupts the fast decoder for the reference canonicaliser.
    value = float(text)
    if "e" in text or "E" in text or value.is_integer() or repr(value) != text:
        raise _OddNumber
    return value


def _checked_int(text: str) -> int:
    value = int(text)
    if -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
        return value
    raise _OddNumber


def _odd_constant(_text: str) -> float:
    raise _OddNumber  # NaN and Infinity: not JSON that RFC 8785 can write


_DECODER = json.JSONDecoder(parse_float=_plain_float, parse_int=_checked_int, parse_constant=_odd_constant)
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_KEY_ID = re.compile(r"^[0-9a-f]{32}$")
_HASH = re.compile(r"^[0-9a-f]{64}$")


class EventRejected(ValueError):
    """An event that is not well formed. ``code`` names the check (``envelope``, ``version``,
    ``not_canonical``, ``bad_time``, ``bad_body``, ``future``, ``time_order``); ``detail`` says more."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def check_body(kind: str, body: Any) -> None:
    """Raise ``EventRejected("bad_body")`` unless ``body`` is an object with every declared field typed."""
    problem = body_problem(kind, body)
    if problem is not None:
        raise EventRejected("bad_body", problem)


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


def _encode_fast() -> Any:
    """The C encoder of the standard library, made once (``json.JSONEncoder.encode`` builds one per call):
    sorted keys, compact separators, no ASCII escaping, no circular-reference bookkeeping (decoded JSON has
    none). ``None`` where the C accelerator is missing."""
    from json import encoder

    make = getattr(encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has it
        return None
    return make(None, None, encoder.encode_basestring, None, ":", ",", True, False, True)


_C_ENCODE = _encode_fast()
# Integers by the C scanner, unhooked (the digit check in _decode routes long ones to _DECODER).
_FAST_DECODER = json.JSONDecoder(parse_float=_plain_float, parse_constant=_odd_constant)
_FAST_SCAN = _FAST_DECODER.scan_once  # type: ignore[attr-defined]  # set by JSONDecoder.__init__
# Sixteen ASCII digits in a row: an integer that might exceed MAX_SAFE_INT (or digits inside a string). Found
# by mapping every digit to "0" and everything else to " " (one C pass; a regular expression costs 5x more).
_DIGITS_ONLY = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_SIXTEEN_DIGITS = b"0" * 16
_VALID_AUTHORS: set[str] = set()  # key ids already matched against _KEY_ID (a handful per store)


def _canonical_text(data: Any) -> str:
    if _C_ENCODE is None:  # pragma: no cover
        return _ENCODER.encode(data)
    return "".join(_C_ENCODE(data, 0))


def _is_canonical(raw: bytes, text: str, data: Any, has_float: bool) -> bool:
    # Fast path: for JSON without numbers other than integers, Python's sorted compact form is RFC 8785's
    # except for key order when characters beyond U+FFFF are present (UTF-16 puts their surrogates before
    # U+E000-U+FFFF, code point order after); those, and floats, take the reference implementation. One
    # compare of the whole text against the re-encoding.
    if not has_float and (text.isascii() or not _ASTRAL.search(text)):
        return _canonical_text(data) == text
    try:
        return bytes(rfc8785.dumps(data)) == raw
    except (rfc8785.CanonicalizationError, TypeError, ValueError):
        return False


def _decode(raw: bytes) -> tuple[str, Any, bool]:
    """``(text, value, odd)``: the bytes decoded once. ``odd`` when a number is not a small integer (the
    reference canonicaliser then decides). Raises ``EventRejected("envelope")`` for what is not JSON."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EventRejected("envelope", "not JSON") from None
    if _SIXTEEN_DIGITS not in raw.translate(_DIGITS_ONLY):
        # Canonical bytes have no surrounding white space, so one scan from offset 0 to the end is the usual
        # case; anything else (white space, trailing bytes, a scanner error) takes the full decoder below,
        # which classifies it exactly as before.
        try:
            data, end = _FAST_SCAN(text, 0)
        except (ValueError, StopIteration, RecursionError, _OddNumber):
            pass
        else:
            if end == len(text):
                return text, data, False
    try:
        return text, _DECODER.decode(text), False
    except _OddNumber:
        try:
            return text, json.loads(text), True
        except (ValueError, RecursionError):
            raise EventRejected("envelope", "not JSON") from None
    except (ValueError, RecursionError):
        raise EventRejected("envelope", "not JSON") from None


def check_envelope(raw: bytes, hash_hex: str, sig: bytes, rowid: int | None = None) -> Event:
    """Decode ``raw`` strictly (see the module doc); raise ``EventRejected`` naming the first problem."""
    event = _usual(raw, hash_hex, sig, rowid)
    return event if event is not None else _strict(raw, hash_hex, sig, rowid)


def _strict(raw: bytes, hash_hex: str, sig: bytes, rowid: int | None = None) -> Event:
    """Every check in order, naming the first problem (``_usual`` is the same answer for the usual event)."""
    text, data, odd = _decode(raw)
    if not isinstance(data, dict) or data.keys() != ENVELOPE_KEYS:
        raise EventRejected("envelope", "not an event envelope")
    if data["v"] != ENVELOPE_VERSION or isinstance(data["v"], bool):
        raise EventRejected("version", f"envelope version {data['v']!r} is not {ENVELOPE_VERSION}")
    if not _is_canonical(raw, text, data, odd):
        raise EventRejected("not_canonical", "the bytes are not in RFC 8785 canonical form")
    kind, author, seq, prev = data["kind"], data["author"], data["seq"], data["prev"]
    if not isinstance(kind, str) or not kind:
        raise EventRejected("envelope", "kind is not text")
    if not isinstance(author, str):
        raise EventRejected("envelope", "author is not a key id")
    if author not in _VALID_AUTHORS:
        if not _KEY_ID.match(author):
            raise EventRejected("envelope", "author is not a key id")
        if len(_VALID_AUTHORS) > 4096:
            _VALID_AUTHORS.clear()
        _VALID_AUTHORS.add(author)
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise EventRejected("envelope", "seq is not a positive integer")
    if not (prev is None or (isinstance(prev, str) and _HASH.match(prev))) or (prev is None) != (seq == 1):
        raise EventRejected("envelope", "prev does not fit seq")
    at = data["at"]
    if not isinstance(at, str) or not _AT.match(at) or not _real_moment(at):
        parse_at(at)  # names what is wrong
    check_body(kind, data["body"])
    return _event(kind, author, seq, prev, at, data["body"], hash_hex, sig, raw, rowid)


def _event(
    kind: str,
    author: str,
    seq: int,
    prev: str | None,
    at: str,
    body: Any,
    hash_hex: str,
    sig: bytes,
    raw: bytes,
    rowid: int | None,
) -> Event:
    # The frozen dataclass's __init__ sets each field through object.__setattr__ (a tenth of the cost of a
    # whole check); filling the instance's __dict__ makes the same object.
    event: Event = _new_object(Event)
    event.__dict__.update(
        kind=kind,
        author=author,
        seq=seq,
        prev=prev,
        at=at,
        body=body,
        hash=hash_hex,
        sig=sig,
        raw=raw,
        v=ENVELOPE_VERSION,
        rowid=rowid,
    )
    return event


_new_object = object.__new__
_VALID_DAYS: set[str] = set()  # "YYYY-MM-DD" prefixes of ``at`` already found to be real dates


def _usual(raw: bytes, hash_hex: str, sig: bytes, rowid: int | None) -> Event | None:
    """The usual event — canonical JSON with small integers, a known author, a time of a day met before — as
    ``check_envelope`` answers it, in one function with checks on exact types (decoded JSON has no
    subclasses). ``None`` at the first doubt: ``check_envelope`` then decides, and names the problem."""
    if _C_ENCODE is None or _SIXTEEN_DIGITS in raw.translate(_DIGITS_ONLY):
        return None
    try:
        text = raw.decode("utf-8")
        data, end = _FAST_SCAN(text, 0)
    except (ValueError, StopIteration, RecursionError, _OddNumber):  # UnicodeDecodeError is a ValueError
        return None
    if end != len(text) or type(data) is not dict or data.keys() != ENVELOPE_KEYS:
        return None
    v = data["v"]
    if type(v) is not int or v != ENVELOPE_VERSION:
        return None
    if not text.isascii() and _ASTRAL.search(text):
        return None
    if "".join(_C_ENCODE(data, 0)) != text:
        return None
    kind, author, seq, prev, at, body = (
        data["kind"],
        data["author"],
        data["seq"],
        data["prev"],
        data["at"],
        data["body"],
    )
    if type(kind) is not str or not kind or type(author) is not str or author not in _VALID_AUTHORS:
        return None
    if type(seq) is not int or seq < 1:
        return None
    if seq == 1:
        if prev is not None:
            return None
    elif type(prev) is not str or not _HASH.match(prev):
        return None
    # A real moment: a date met before and hours, minutes and seconds in range (what fromisoformat checks).
    if type(at) is not str or not _AT.match(at) or at[11:13] > "23" or at[14] > "5" or at[17] > "5":
        return None
    if at[:10] not in _VALID_DAYS:
        if not _real_moment(at):
            return None
        if len(_VALID_DAYS) > 4096:
            _VALID_DAYS.clear()
        _VALID_DAYS.add(at[:10])
    if not body_fits(kind, body):
        return None
    return _event(kind, author, seq, prev, at, body, hash_hex, sig, raw, rowid)


def check_at(at: str, previous_at: str | None, now: datetime) -> None:
    """Raise ``EventRejected`` when ``at`` is after ``now`` plus the margin, or before the author's previous
    event's time less the tolerance. (Times of the one fixed-width form compare as text: no parsing on the
    usual path.)"""
    if at > at_limit(now):
        raise EventRejected("future", f"dated {at}, after this machine's clock")
    if (
        previous_at is not None
        and at < previous_at
        and parse_at(at) < parse_at(previous_at) - BACKWARD_TOLERANCE
    ):
        raise EventRejected("time_order", f"dated {at}, before its author's previous event ({previous_at})")


@functools.lru_cache(maxsize=8)
def at_limit(now: datetime) -> str:
    """The latest ``at`` (as text) accepted when the verifying machine's clock says ``now``."""
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
    "at_limit",
    "check_at",
    "check_body",
    "check_envelope",
    "declare_body",
    "parse_at",
    "verifying_now",
]
