"""The bundle format (version 1): a plain tar stream whose first member is a signed manifest.

Members, in this order::

    gradesec-bundle.json   the manifest: canonical JSON (RFC 8785) naming every later member with its size
                           and SHA-256, the chain range carried per author, the scope and the exporter
    gradesec-bundle.sig    hex Ed25519 signature by the exporter over SHA-256("gradesec/bundle/v1\\0" + manifest)
    checkpoints.bin        the checkpoints, framed: [u32 big-endian length][64-byte signature][canonical bytes] …
    events.bin             the events, framed the same way, each author's chain in ascending order
    evidence/<sha256>      one member per evidence blob, named by the SHA-256 of its bytes

Putting the manifest first lets an importer check every member while it streams past (sizes are known before
a byte is read, hashes are compared at the member's end), so nothing needs to sit in memory or be read twice.
The checkpoints (small) come before the events, so the importer knows which chain heads to look out for.
Only regular files with exactly these names are allowed; anything else (links, directories, devices, other
paths) refuses the bundle. A gzip-compressed bundle is read too, with a bound on how far it may expand.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from gradesec.errors import IntegrityError
from gradesec.journal.events import canonical

FORMAT = "gradesec-bundle"
VERSION = 1
MANIFEST_NAME = "gradesec-bundle.json"
SIGNATURE_NAME = "gradesec-bundle.sig"
EVENTS_NAME = "events.bin"
CHECKPOINTS_NAME = "checkpoints.bin"
EVIDENCE_PREFIX = "evidence/"
BUNDLE_DOMAIN = b"gradesec/bundle/v1\x00"
SUFFIX = ".gsb"

MAX_MANIFEST = 64 << 20  # a manifest lists every blob: 64 MiB is ~500,000 blobs
MAX_SIGNATURE = 256
MAX_FRAME = 16 << 20  # one event's canonical bytes
MAX_EVIDENCE = 64 << 30  # one blob: 64 GiB, far above any photo or capture a unit hands over
# A gzip-compressed bundle may expand to at most this many times the compressed bytes read so far (plus a
# fixed allowance): far above what real archives reach, far below a decompression bomb.
MAX_EXPANSION = 200
EXPANSION_ALLOWANCE = 8 << 20

FRAME_HEAD = struct.Struct(">I64s")
_EVIDENCE_NAME = re.compile(r"^evidence/[0-9a-f]{64}$")


class BundleRefused(IntegrityError):
    """A bundle failed a check. ``code`` names the check, ``problems`` lists the details (one per line)."""

    def __init__(self, code: str, message: str, hint: str, problems: list[str] | None = None) -> None:
        super().__init__(message, hint)
        self.code = code
        self.problems: list[str] = problems or []


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True)
class ChainRange:
    """Events ``first``..``last`` of one author's chain; ``head`` is the hash of ``last``."""

    first: int
    last: int
    head: str

    def as_json(self) -> list[Any]:
        return [self.first, self.last, self.head]


@dataclass(frozen=True)
class Manifest:
    exporter: str
    exporter_public_key: str
    exporter_identity: dict[str, str]
    store: str
    created_at: str
    inspection: str | None
    inspections: tuple[str, ...]
    since: str | None
    chains: dict[str, ChainRange]
    events: int
    checkpoints: int
    members: tuple[Member, ...]
    note: str = ""
    # The exporter's checkpoint event written for this export ({"author", "seq", "hash", "at"}): what the
    # receiving side keeps as a witness that the sending store held it.
    checkpoint: dict[str, Any] | None = None
    raw: bytes = field(default=b"", repr=False)

    def payload(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "exporter": self.exporter,
            "exporter_public_key": self.exporter_public_key,
            "exporter_identity": dict(self.exporter_identity),
            "store": self.store,
            "created_at": self.created_at,
            "scope": {
                "inspection": self.inspection,
                "inspections": list(self.inspections),
                "since": self.since,
            },
            "chains": {a: r.as_json() for a, r in sorted(self.chains.items())},
            "events": self.events,
            "checkpoints": self.checkpoints,
            "members": [m.as_json() for m in self.members],
            "note": self.note,
            **({"checkpoint": dict(self.checkpoint)} if self.checkpoint else {}),
        }

    def encode(self) -> bytes:
        return canonical(self.payload())

    @property
    def evidence(self) -> list[Member]:
        return [m for m in self.members if m.name.startswith(EVIDENCE_PREFIX)]

    @property
    def evidence_bytes(self) -> int:
        return sum(m.size for m in self.evidence)

    def summary(self) -> dict[str, Any]:
        return {
            "exporter": self.exporter,
            "exporter_identity": dict(self.exporter_identity),
            "store": self.store,
            "created_at": self.created_at,
            "inspection": self.inspection,
            "inspections": list(self.inspections),
            "since": self.since,
            "events": self.events,
            "checkpoints": self.checkpoints,
            "blobs": len(self.evidence),
            "evidence_bytes": self.evidence_bytes,
            "authors": {a: r.as_json() for a, r in sorted(self.chains.items())},
            "checkpoint": self.checkpoint,
        }


def manifest_digest(raw: bytes) -> bytes:
    return hashlib.sha256(BUNDLE_DOMAIN + raw).digest()


class ManifestError(ValueError):
    """The manifest does not parse; ``version`` is set when only the version is unknown."""

    def __init__(self, detail: str, version: object = None) -> None:
        super().__init__(detail)
        self.version = version


def parse_manifest(raw: bytes) -> Manifest:
    """Parse and strictly check a manifest (raises ``ManifestError``)."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ManifestError("not JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ManifestError("not a gradesec bundle manifest")
    if data.get("version") != VERSION:
        raise ManifestError("unknown version", data.get("version"))
    try:
        if canonical(data) != raw:
            raise ManifestError("manifest is not in canonical form")
        scope = data["scope"]
        chains: dict[str, ChainRange] = {}
        for author, value in data["chains"].items():
            first, last, head = value
            if not (_hex(author, 32) and _hex(head, 64) and _count(first) and _count(last) and first <= last):
                raise ManifestError(f"bad chain range for {author}")
            chains[author] = ChainRange(first, last, head)
        members = []
        for m in data["members"]:
            name, size, sha = m["name"], m["size"], m["sha256"]
            if not (isinstance(name, str) and _count(size, zero=True) and _hex(sha, 64)):
                raise ManifestError("bad member entry")
            members.append(Member(name, size, sha))
        identity = data["exporter_identity"]
        manifest = Manifest(
            exporter=_str(data["exporter"]),
            exporter_public_key=_str(data["exporter_public_key"]),
            exporter_identity={str(k): str(v) for k, v in identity.items()},
            store=_str(data["store"]),
            created_at=_str(data["created_at"]),
            inspection=_opt(scope["inspection"]),
            inspections=tuple(_str(i) for i in scope["inspections"]),
            since=_opt(scope["since"]),
            chains=chains,
            events=int(data["events"]),
            checkpoints=int(data["checkpoints"]),
            members=tuple(members),
            note=_str(data.get("note", "")),
            checkpoint=_checkpoint_ref(data.get("checkpoint")),
            raw=raw,
        )
    except ManifestError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ManifestError(f"missing or malformed field: {exc}") from None
    names = [m.name for m in manifest.members]
    if names[:2] != [CHECKPOINTS_NAME, EVENTS_NAME] or len(set(names)) != len(names):
        raise ManifestError("members out of order or repeated")
    for m in manifest.members[2:]:
        if not _EVIDENCE_NAME.match(m.name) or m.name[len(EVIDENCE_PREFIX) :] != m.sha256:
            raise ManifestError(f"bad evidence member {m.name!r}")
    return manifest


def _checkpoint_ref(value: object) -> dict[str, Any] | None:
    if value is None:
        return None
    if not (
        isinstance(value, dict)
        and _hex(value.get("author"), 32)
        and _hex(value.get("hash"), 64)
        and _count(value.get("seq"))
        and isinstance(value.get("at"), str)
    ):
        raise ManifestError("bad checkpoint reference")
    return {"author": value["author"], "seq": value["seq"], "hash": value["hash"], "at": value["at"]}


def _hex(value: object, n: int) -> bool:
    return isinstance(value, str) and len(value) == n and all(c in "0123456789abcdef" for c in value)


def _count(value: object, zero: bool = False) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= (0 if zero else 1)


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise ManifestError("expected text")
    return value


def _opt(value: object) -> str | None:
    return None if value is None else _str(value)


def is_evidence_name(name: str) -> bool:
    return bool(_EVIDENCE_NAME.match(name))


# Framing


def write_frame(out: IO[bytes], sig: bytes, raw: bytes) -> int:
    """Write one framed record; return the number of bytes written."""
    if len(sig) != 64:
        raise ValueError("an Ed25519 signature is 64 bytes")
    head = FRAME_HEAD.pack(len(raw), sig)
    out.write(head)
    out.write(raw)
    return len(head) + len(raw)


class FrameError(ValueError):
    pass


def read_frames(src: Any, chunk: int = 1 << 20) -> Iterator[tuple[bytes, bytes]]:
    """``(sig, raw)`` for every framed record of ``src``; ``FrameError`` on a truncated or oversized frame.

    Reads ``src`` in large chunks and cuts the frames out of a buffer: one read per frame through tar's
    layered file objects would cost more than the hashing.
    """
    size = FRAME_HEAD.size
    unpack = FRAME_HEAD.unpack_from
    buf = b""
    pos = 0
    need = size
    while True:
        if len(buf) - pos < need:
            more = src.read(max(chunk, need))
            if not more:
                if pos == len(buf):
                    return
                raise FrameError("truncated frame")
            buf = buf[pos:] + more
            pos = 0
            continue
        length, sig = unpack(buf, pos)
        if length > MAX_FRAME:
            raise FrameError("oversized frame")
        end = pos + size + length
        if end > len(buf):
            need = size + length
            continue
        yield sig, buf[pos + size : end]
        pos = end
        need = size
