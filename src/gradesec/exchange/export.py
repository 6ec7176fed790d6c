"""Writing a bundle: the chains that carry an inspection (or the whole store), their checkpoints and evidence.

A chain is indivisible (each event names its predecessor), so a bundle carries, for every author who wrote
something about the inspection, that author's whole chain from ``since`` on. The export first writes a fresh
checkpoint, so the receiver can tell if a tail goes missing later. Events are written in this store's journal
order (the receiver then judges order-dependent rules, such as an inspection's team, as this store did) and
spooled to a temporary file while hashed (the manifest, which comes first, names every member's hash), then
everything is streamed into the tar; evidence is copied straight from the store. Memory stays flat whatever the size.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from gradesec.errors import GradesecError, NotFoundError, StorageError, UsageError
from gradesec.exchange.format import (
    CHECKPOINTS_NAME,
    EVENTS_NAME,
    EVIDENCE_PREFIX,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    ChainRange,
    Manifest,
    Member,
    manifest_digest,
    write_frame,
)
from gradesec.exchange.scope import ScopeTracker
from gradesec.i18n import t
from gradesec.journal.clock import format_at
from gradesec.journal.evidence import CHUNK

if TYPE_CHECKING:
    from gradesec.journal.events import Checkpoint
    from gradesec.journal.keys import Signer
    from gradesec.journal.store import Store


@dataclass(frozen=True)
class ExportResult:
    path: Path
    manifest: Manifest
    checkpoint: Checkpoint
    size: int

    def as_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "size": self.size,
            "checkpoint": self.checkpoint.hash,
            "bundle": self.manifest.summary(),
        }


@dataclass
class _Plan:
    start: dict[str, int]
    ranges: dict[str, ChainRange]
    blobs: dict[str, int]
    inspections: set[str]


def find_checkpoint(store: Store, ref: str) -> Checkpoint:
    """A checkpoint of this store named by (a prefix of) its hash."""
    wanted = "".join(ref.split()).lower()
    found = [cp for cp in store.checkpoints() if wanted and cp.hash.startswith(wanted)]
    if len({cp.hash for cp in found}) != 1:
        raise NotFoundError(t("bundle.error.no_checkpoint", ref=ref), t("bundle.error.no_checkpoint.hint"))
    return found[0]


def _plan(store: Store, inspection: str | None, since: Checkpoint | None) -> _Plan:
    start = {a: s + 1 for a, (s, _h) in (since.heads.items() if since else [])}
    tracker = ScopeTracker()
    in_scope: set[str] = set()
    inspections: set[str] = set()
    last: dict[str, tuple[int, int, str]] = {}  # author -> (first seq in range, last seq, head)
    blob_events: dict[str, list[tuple[int, str, int]]] = {}
    for event in store.events():
        about = tracker.inspection_of(event.kind, event.body)
        if inspection is None or about == inspection:
            in_scope.add(event.author)
        if event.seq < start.get(event.author, 1):
            continue
        if about is not None:
            inspections.add(about)
        first = last[event.author][0] if event.author in last else event.seq
        last[event.author] = (first, event.seq, event.hash)
        if event.kind == "evidence.attached":
            sha, size = event.body.get("sha256"), event.body.get("size")
            if isinstance(sha, str):
                blob_events.setdefault(event.author, []).append((event.seq, sha, int(size or 0)))
    if inspection is not None and not in_scope:
        raise NotFoundError(
            t("bundle.error.no_inspection", id=inspection), t("bundle.error.no_inspection.hint")
        )
    ranges = {a: ChainRange(f, s, h) for a, (f, s, h) in last.items() if a in in_scope}
    blobs: dict[str, int] = {}
    for author in ranges:
        for _seq, sha, _size in blob_events.get(author, []):
            if not store.evidence.has(sha):
                raise StorageError(
                    t("bundle.error.export_blob_missing", sha=sha[:16]),
                    t("bundle.error.export_blob_missing.hint"),
                )
            blobs[sha] = store.evidence.path(sha).stat().st_size
    return _Plan(start, ranges, blobs, inspections)


class _HashingWriter:
    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.out.write(data)


def export_bundle(
    store: Store,
    signer: Signer,
    output: Path | str,
    *,
    inspection: str | None = None,
    since: str | None = None,
    note: str = "",
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write a signed bundle to ``output`` (atomically: a temporary file renamed into place)."""
    output = Path(output)
    if output.is_dir():
        raise UsageError(t("bundle.error.output_dir", path=str(output)), t("bundle.error.output_dir.hint"))
    since_cp = find_checkpoint(store, since) if since else None
    plan = _plan(store, inspection, since_cp)
    before = store.head(signer.key_id)
    checkpoint = store.checkpoint(signer)
    # The fresh checkpoint opens the signer's chain if it had none: plan again only then.
    if store.head(signer.key_id) != before:
        plan = _plan(store, inspection, since_cp)
    advance = progress or (lambda n: None)
    tmp_dir = output.parent if str(output.parent) else Path(".")
    token = secrets.token_hex(6)
    events_tmp = tmp_dir / f".{output.name}.{token}.events"
    final_tmp = tmp_dir / f".{output.name}.{token}.part"
    try:
        with open(events_tmp, "w+b") as spool:
            writer = _HashingWriter(spool)
            count = 0
            # Journal order: the order this store took the events in (each chain still ascending), so every
            # receiver judges order-dependent rules (an inspection's team) as this store did.
            for event in store.events():
                rng = plan.ranges.get(event.author)
                if rng is not None and rng.first <= event.seq <= rng.last:
                    write_frame(writer, event.sig, event.raw)  # type: ignore[arg-type]
                    count += 1
            events_member = Member(EVENTS_NAME, writer.size, writer.digest.hexdigest())
            cp_buf = io.BytesIO()
            n_cps = 0
            keep = set(plan.ranges) | {signer.key_id}
            for cp in store.checkpoints():
                if cp.author in keep:
                    write_frame(cp_buf, cp.sig, cp.raw)
                    n_cps += 1
            cp_bytes = cp_buf.getvalue()
            members = [
                Member(CHECKPOINTS_NAME, len(cp_bytes), hashlib.sha256(cp_bytes).hexdigest()),
                events_member,
                *(Member(EVIDENCE_PREFIX + sha, size, sha) for sha, size in sorted(plan.blobs.items())),
            ]
            manifest = Manifest(
                exporter=signer.key_id,
                exporter_public_key=signer.public_bytes.hex(),
                exporter_identity=signer.identity.as_dict(),
                store=store.store_id,
                created_at=format_at(store.clock()),
                inspection=inspection,
                inspections=tuple(sorted(plan.inspections)),
                since=since_cp.hash if since_cp else None,
                chains=dict(sorted(plan.ranges.items())),
                events=count,
                checkpoints=n_cps,
                members=tuple(members),
                note=note,
                checkpoint=_witness(store, signer),
            )
            raw_manifest = manifest.encode()
            sig = signer.sign(manifest_digest(raw_manifest)).hex().encode()
            with (
                open(final_tmp, "xb") as out,
                tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT) as tar,
            ):
                _add(tar, MANIFEST_NAME, len(raw_manifest), io.BytesIO(raw_manifest), advance)
                _add(tar, SIGNATURE_NAME, len(sig), io.BytesIO(sig), advance)
                _add(tar, CHECKPOINTS_NAME, len(cp_bytes), io.BytesIO(cp_bytes), advance)
                spool.seek(0)
                _add(tar, EVENTS_NAME, events_member.size, spool, advance)
                for member in members[2:]:
                    with store.evidence.open(member.sha256) as blob:
                        _add(tar, member.name, member.size, blob, advance)
            with open(final_tmp, "rb+") as done:
                os.fsync(done.fileno())
        os.replace(final_tmp, output)
    except OSError as exc:
        raise StorageError(
            t("bundle.error.write", path=str(output), detail=exc.strerror or str(exc)),
            t("bundle.error.write.hint"),
        ) from None
    except GradesecError:
        raise
    finally:
        events_tmp.unlink(missing_ok=True)
        final_tmp.unlink(missing_ok=True)
    return ExportResult(output, replace(manifest, raw=raw_manifest), checkpoint, output.stat().st_size)


class _Counting(io.RawIOBase):
    """Reads from ``src`` and reports the bytes read (tarfile copies members through it)."""

    def __init__(self, src: IO[bytes], advance: Callable[[int], None]) -> None:
        self.src = src
        self.advance = advance

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self.src.read(CHUNK if n is None or n < 0 else min(n, CHUNK))
        self.advance(len(data))
        return data


def _add(tar: tarfile.TarFile, name: str, size: int, src: IO[bytes], advance: Callable[[int], None]) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    info.mtime = 0
    info.type = tarfile.REGTYPE
    tar.addfile(info, _Counting(src, advance))  # type: ignore[arg-type]


def _witness(store: Store, signer: Signer) -> dict[str, Any] | None:
    """The signer's checkpoint event just written for this export (the receiving side keeps it)."""
    row = store.connection.execute(
        "SELECT seq, hash, raw FROM events WHERE author = ? AND kind = 'checkpoint.recorded' AND id > 0"
        " ORDER BY seq DESC LIMIT 1",
        (signer.key_id,),
    ).fetchone()
    if row is None:
        return None
    at = json.loads(bytes(row[2]))["at"]
    return {"author": signer.key_id, "seq": int(row[0]), "hash": bytes(row[1]).hex(), "at": str(at)}
