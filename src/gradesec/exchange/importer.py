"""Reading a bundle: verify everything while it streams past, then write it in one go (or not at all).

``read_bundle`` reads the file once, front to back. The manifest (first) and its signature are checked before
anything else is read; then every member is checked against the manifest as it streams: its name and type
(regular files with the expected names only), its size (known from the tar header before a byte is read), its
hash (at the member's end). Events are checked one by one — signature, chain, author trust, kind, scope, the
author's role for remediation changes — and kept (they are small); evidence blobs are hashed while they are
copied into temporary files inside the store's evidence folder, so a 2 GB video never sits in memory.

``import_bundle`` then places the blobs (content-addressed files, harmless on their own), and hands the new
events to the journal in one transaction together with the owner's ``key.trusted`` events for the keys the
user chose to trust. A bundle whose events are all known already is a no-op.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import secrets
import stat
import tarfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gradesec.errors import GradesecError, KeyError_, NotFoundError, UsageError
from gradesec.exchange.format import (
    EXPANSION_ALLOWANCE,
    MANIFEST_NAME,
    MAX_EVIDENCE,
    MAX_EXPANSION,
    MAX_MANIFEST,
    MAX_SIGNATURE,
    SIGNATURE_NAME,
    BundleRefused,
    FrameError,
    Manifest,
    ManifestError,
    manifest_digest,
    parse_manifest,
    read_frames,
    write_frame,
)
from gradesec.exchange.scope import ScopeTracker
from gradesec.i18n import t
from gradesec.journal.clock import format_at
from gradesec.journal.events import Checkpoint, Event, StoredCheckpoint, StoredEvent, envelope, event_hash
from gradesec.journal.evidence import CHUNK, TEMP_PREFIX
from gradesec.journal.keys import Identity, format_key_id, key_id_of, normalise_key_id
from gradesec.journal.schema import KEY_KINDS
from gradesec.remedy.lifecycle import may
from gradesec.state import registry

if TYPE_CHECKING:
    from gradesec.journal.keys import Signer
    from gradesec.journal.store import Store

HINT = "bundle.refused.hint"
IMPORT_BATCH = 15_000


def _refuse(code: str, problems: list[str] | None = None, /, **fields: Any) -> BundleRefused:
    return BundleRefused(code, t(f"bundle.refused.{code}", **fields), t(HINT), problems)


class _Source:
    """The raw file as tar reads it: counts bytes for the progress bar and bounds gzip expansion."""

    def __init__(self, raw: IO[bytes], advance: Callable[[int], None]) -> None:
        self.raw = raw
        self.advance = advance
        self.compressed: IO[bytes] | None = None
        self.plain = 0
        head = raw.read(2)
        raw.seek(0)
        if head == b"\x1f\x8b":
            self.compressed = cast(
                IO[bytes], gzip.GzipFile(fileobj=cast(IO[bytes], _Tally(raw, advance)), mode="rb")
            )

    def read(self, n: int = -1) -> bytes:
        if self.compressed is None:
            data = self.raw.read(n)
            self.advance(len(data))
            return data
        data = self.compressed.read(n)
        self.plain += len(data)
        packed = self.raw.tell()
        if self.plain > packed * MAX_EXPANSION + EXPANSION_ALLOWANCE:
            raise _refuse("bomb", ratio=MAX_EXPANSION)
        return data

    def readable(self) -> bool:
        return True


class _Tally:
    def __init__(self, raw: IO[bytes], advance: Callable[[int], None]) -> None:
        self.raw = raw
        self.advance = advance

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.advance(len(data))
        return data


class _HashingReader:
    """Reads a member, hashing and counting as it goes, and refuses to read past ``limit`` bytes."""

    def __init__(self, src: IO[bytes], limit: int) -> None:
        self.src = src
        self.limit = limit
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n: int) -> bytes:
        data = self.src.read(n)
        self.size += len(data)
        if self.size > self.limit:
            raise _refuse("oversized", name="?")
        self.digest.update(data)
        return data


@dataclass
class VerifiedBundle:
    """What ``read_bundle`` found: all checks passed. ``staged`` blobs wait in temporary files."""

    manifest: Manifest
    spool: Path | None = None  # the new events, framed, in a temporary file (import mode only)
    known_events: int = 0
    new_count: int = 0
    checkpoints: list[StoredCheckpoint] = field(default_factory=list)
    skipped_checkpoints: list[str] = field(default_factory=list)
    staged: dict[str, Path] = field(default_factory=dict)
    present_blobs: int = 0
    trust: dict[str, tuple[bytes, Identity]] = field(default_factory=dict)
    authors: dict[str, Identity] = field(default_factory=dict)

    def discard(self) -> None:
        if self.spool is not None:
            self.spool.unlink(missing_ok=True)
            self.spool = None
        for tmp in self.staged.values():
            tmp.unlink(missing_ok=True)
        self.staged.clear()


@dataclass(frozen=True)
class ImportResult:
    manifest: Manifest
    imported: int
    already: int
    blobs: int
    checkpoints: int
    trusted: tuple[str, ...]
    skipped_checkpoints: tuple[str, ...] = ()

    @property
    def noop(self) -> bool:
        return self.imported == 0 and self.blobs == 0 and self.checkpoints == 0 and not self.trusted

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "already_present": self.already,
            "blobs": self.blobs,
            "checkpoints": self.checkpoints,
            "trusted": list(self.trusted),
            "noop": self.noop,
            "skipped_checkpoints": list(self.skipped_checkpoints),
            "bundle": self.manifest.summary(),
        }


def _verify_sig(public: bytes, sig: bytes, digest: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(sig, digest)
    except (InvalidSignature, ValueError):
        return False
    return True


def _safe_member(member: tarfile.TarInfo) -> None:
    name = member.name
    if member.issym() or member.islnk():
        raise _refuse("link", name=name)
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise _refuse("absolute", name=name)
    if ".." in name.replace("\\", "/").split("/"):
        raise _refuse("traversal", name=name)
    if not member.isreg() or member.sparse is not None:
        raise _refuse("not_file", name=name)


class _Reader:
    def __init__(
        self,
        store: Store,
        trust: Iterable[str],
        expect_inspection: str | None,
        stage: bool,
        advance: Callable[[int], None],
    ) -> None:
        self.store = store
        self.trust_wanted = {normalise_key_id(k) for k in trust}
        self.expect = expect_inspection
        self.stage = stage
        self.advance = advance
        self.db_keys: dict[str, bytes] = {}
        trusted = store.trusted_keys()
        self.trusted = {k.key_id for k in trusted}
        self.roles = {k.key_id: k.role for k in trusted}
        self.identities = store.known_identities()
        self.keys: dict[str, bytes] = {k.key_id: k.public_key for k in trusted}
        self.bundle_identity: dict[str, Identity] = {}
        self.result: VerifiedBundle | None = None

    # Keys, trust, roles

    def public_key(self, author: str) -> bytes | None:
        if author not in self.keys:
            found = self.store.public_key_of(author)
            if found is not None:
                self.keys[author] = found
        return self.keys.get(author)

    def learn(self, event: Event) -> None:
        if event.kind in KEY_KINDS:
            hex_key = event.body.get("public_key")
            if isinstance(hex_key, str):
                with contextlib.suppress(ValueError):
                    raw = bytes.fromhex(hex_key)
                    if len(raw) == 32:
                        self.keys.setdefault(key_id_of(raw), raw)
        if event.kind == "key.identity" and event.body.get("key") == event.author:
            body = event.body
            self.bundle_identity[event.author] = Identity(
                str(body.get("name", "")), str(body.get("role", "")), str(body.get("org", ""))
            )

    def is_trusted(self, author: str) -> bool:
        return author in self.trusted or author in self.trust_wanted

    def role_of(self, author: str) -> str:
        if self.roles.get(author):
            return self.roles[author]
        ident = self.bundle_identity.get(author) or self.identities.get(author)
        return ident.role if ident else ""

    # The pass

    def run(self, path: Path) -> VerifiedBundle:
        try:
            fh = open(path, "rb")  # noqa: SIM115
        except OSError as exc:
            raise NotFoundError(
                t("bundle.error.unreadable", path=str(path), detail=exc.strerror or str(exc)),
                t("bundle.error.unreadable.hint"),
            ) from None
        done = False
        try:
            with fh:
                source = _Source(fh, self.advance)
                try:
                    with tarfile.open(fileobj=cast(IO[bytes], source), mode="r|") as tar:
                        result = self._members(tar)
                except BundleRefused:
                    raise
                except (tarfile.TarError, EOFError, gzip.BadGzipFile, OSError, FrameError) as exc:
                    # An OSError with an errno is the disk or the file system (full disk, I/O), not the bundle.
                    if (
                        isinstance(exc, OSError)
                        and not isinstance(exc, gzip.BadGzipFile)
                        and exc.errno is not None
                    ):
                        raise
                    raise _refuse("truncated", detail=str(exc) or type(exc).__name__) from None
            done = True
            return result
        finally:
            if not done and self.result is not None:
                self.result.discard()

    def _next(self, tar: tarfile.TarFile) -> tarfile.TarInfo | None:
        member = tar.next()
        if member is not None:
            _safe_member(member)
        return member

    def _members(self, tar: tarfile.TarFile) -> VerifiedBundle:
        first = self._next(tar)
        if first is None:
            raise _refuse("not_bundle")
        if first.name != MANIFEST_NAME:
            raise _refuse("not_bundle")
        if first.size > MAX_MANIFEST:
            raise _refuse("oversized", name=first.name)
        raw = _read_all(tar, first)
        try:
            manifest = parse_manifest(raw)
        except ManifestError as exc:
            if exc.version is not None:
                raise _refuse("version", version=exc.version) from None
            raise _refuse("manifest", detail=str(exc)) from None
        result = VerifiedBundle(manifest)
        self.result = result
        sig_member = self._next(tar)
        if sig_member is None or sig_member.name != SIGNATURE_NAME:
            raise _refuse("truncated", detail=SIGNATURE_NAME)
        if sig_member.size > MAX_SIGNATURE:
            raise _refuse("oversized", name=sig_member.name)
        sig_text = _read_all(tar, sig_member)
        try:
            public = bytes.fromhex(manifest.exporter_public_key)
            sig = bytes.fromhex(sig_text.decode("ascii").strip())
        except (ValueError, UnicodeDecodeError):
            raise _refuse("manifest_signature") from None
        if key_id_of(public) != manifest.exporter or not _verify_sig(public, sig, manifest_digest(raw)):
            raise _refuse("manifest_signature")
        self.keys.setdefault(manifest.exporter, public)
        if self.expect is not None and manifest.inspection != self.expect:
            raise _refuse("other_inspection_scope", expected=self.expect, found=manifest.inspection or "-")
        named = set(manifest.chains) | {manifest.exporter}
        for kid in sorted(self.trust_wanted):
            if kid not in named:
                raise UsageError(
                    t("bundle.error.trust_unknown", key=format_key_id(kid)),
                    t("bundle.error.trust_unknown.hint"),
                )
        if not self.is_trusted(manifest.exporter):
            name = manifest.exporter_identity.get("name", "")
            raise _refuse("untrusted_exporter", key=format_key_id(manifest.exporter), name=name)
        expected = list(manifest.members)
        hashes: dict[tuple[str, int], str] = {}
        checkpoints: list[tuple[bytes, bytes, Checkpoint]] = []
        wanted: set[tuple[str, int]] = set()
        referenced: dict[str, tuple[str, int]] = {}
        for index, want in enumerate(expected):
            member = self._next(tar)
            if member is None:
                raise _refuse("truncated", detail=want.name)
            if member.name != want.name:
                raise _refuse("unexpected_member", name=member.name)
            limit = MAX_EVIDENCE if index >= 2 else want.size
            if member.size > want.size or member.size > limit:
                raise _refuse("oversized", name=member.name)
            if member.size != want.size:
                raise _refuse("member_size", name=member.name)
            src = tar.extractfile(member)
            if src is None:
                raise _refuse("not_file", name=member.name)
            reader = _HashingReader(src, want.size)
            if index == 0:
                checkpoints = self._read_checkpoints(reader)
                wanted = {(a, seq) for _r, _s, cp in checkpoints for a, (seq, _h) in cp.heads.items()}
            elif index == 1:
                self._events(reader, manifest, result, hashes, wanted, referenced)
                self._checkpoints(checkpoints, manifest, result, hashes)
            else:
                self._blob(reader, want.sha256, result)
                continue
            if reader.read(1):
                raise _refuse("member_size", name=member.name)
            if reader.size != want.size or reader.digest.hexdigest() != want.sha256:
                raise _refuse("member_hash", name=member.name)
        extra = self._next(tar)
        if extra is not None:
            raise _refuse("unexpected_member", name=extra.name)
        for sha, (author, seq) in sorted(referenced.items()):
            if sha not in result.staged and not self.store.evidence.has(sha):
                in_bundle = any(m.sha256 == sha for m in manifest.evidence)
                if not in_bundle:
                    raise _refuse("blob_missing", sha=sha[:16], author=format_key_id(author), seq=seq)
        for kid in sorted(self.trust_wanted - self.trusted):
            pub = self.public_key(kid)
            identity = self.bundle_identity.get(kid) or Identity(
                manifest.exporter_identity.get("name", ""),
                manifest.exporter_identity.get("role", ""),
                manifest.exporter_identity.get("org", ""),
            )
            if pub is not None:
                result.trust[kid] = (pub, identity)
        result.authors = dict(self.bundle_identity)
        return result

    def _events(
        self,
        reader: _HashingReader,
        manifest: Manifest,
        result: VerifiedBundle,
        hashes: dict[tuple[str, int], str],
        wanted: set[tuple[str, int]],
        referenced: dict[str, tuple[str, int]],
    ) -> None:
        tracker = ScopeTracker()
        heads: dict[str, int] = {}
        spool: IO[bytes] | None = None
        if self.stage:
            # New events wait on disk, not in memory, until everything has been checked.
            root = self.store.evidence.root
            root.mkdir(parents=True, exist_ok=True)
            result.spool = root / f"{TEMP_PREFIX}bundle-events-{secrets.token_hex(8)}"
            spool = open(result.spool, "xb")  # noqa: SIM115  (closed below, also on failure)
        try:
            self._event_frames(reader, manifest, result, hashes, wanted, referenced, tracker, heads, spool)
        finally:
            if spool is not None:
                spool.close()

    def _event_frames(
        self,
        reader: _HashingReader,
        manifest: Manifest,
        result: VerifiedBundle,
        hashes: dict[tuple[str, int], str],
        wanted: set[tuple[str, int]],
        referenced: dict[str, tuple[str, int]],
        tracker: ScopeTracker,
        heads: dict[str, int],
        spool: IO[bytes] | None,
    ) -> None:
        last: dict[str, tuple[int, str | None]] = {}
        problems: list[str] = []
        for sig, raw in read_frames(reader):
            digest = event_hash(raw)
            try:
                event = Event.decode(raw, digest.hex(), sig)
            except (ValueError, KeyError, TypeError):
                raise _refuse("malformed_event", hash=digest.hex()[:16]) from None
            where: dict[str, Any] = {"author": format_key_id(event.author), "seq": event.seq}
            rng = manifest.chains.get(event.author)
            if rng is None or not rng.first <= event.seq <= rng.last:
                raise _refuse("outside_range", **where)
            prev_seq, prev_hash = last.get(event.author, (rng.first - 1, None))
            if event.seq <= prev_seq:
                raise _refuse("duplicate", **where)
            if event.seq != prev_seq + 1:
                raise _refuse("gap", first=prev_seq + 1, last=event.seq - 1, **where)
            self.learn(event)
            public = self.public_key(event.author)
            if public is None:
                raise _refuse("unknown_key", **where)
            if not _verify_sig(public, sig, digest):
                raise _refuse("signature", **where)
            if not self.is_trusted(event.author):
                ident = self.bundle_identity.get(event.author)
                raise _refuse("untrusted", name=ident.name if ident else "", **where)
            if not registry.is_known(event.kind):
                raise _refuse("unknown_kind", kind=event.kind, **where)
            if prev_hash is None:
                prev_hash = self._store_prev(event, where)
            elif event.prev != prev_hash:
                raise _refuse("chain_link", **where)
            about = tracker.inspection_of(event.kind, event.body)
            if about is not None and about not in manifest.inspections:
                raise _refuse("other_inspection", inspection=about, **where)
            action = _remediation_action(event)
            if action is not None and not may(self.role_of(event.author), action):  # type: ignore[arg-type]
                raise _refuse("role", role=self.role_of(event.author) or "-", action=action, **where)
            last[event.author] = (event.seq, event.hash)
            if (event.author, event.seq) in wanted:
                hashes[(event.author, event.seq)] = event.hash
            if event.author not in heads:
                heads[event.author] = self.store.head(event.author)[0]
            known = self.store_hash(event.author, event.seq) if event.seq <= heads[event.author] else None
            if known is not None:
                if known != event.hash:
                    raise _refuse("fork", **where)
                result.known_events += 1
                continue
            if event.kind == "evidence.attached" and isinstance(event.body.get("sha256"), str):
                referenced.setdefault(event.body["sha256"], (event.author, event.seq))
            result.new_count += 1
            if spool is not None:
                write_frame(spool, sig, raw)
        if sum(seq - manifest.chains[a].first + 1 for a, (seq, _h) in last.items()) != manifest.events:
            problems.append(t("bundle.problem.count", n=manifest.events))
        for author, rng in manifest.chains.items():
            seq, head = last.get(author, (0, None))
            if seq != rng.last or head != rng.head:
                problems.append(
                    t("bundle.problem.chain_short", author=format_key_id(author), seq=seq, last=rng.last)
                )
        if problems:
            raise _refuse("cut_off", problems)

    def store_hash(self, author: str, seq: int) -> str | None:
        return _stored_hash(self.store, author, seq)

    def _store_prev(self, event: Event, where: dict[str, Any]) -> str | None:
        """The first event of an author's range must continue the chain this store holds."""
        if event.seq == 1:
            if event.prev is not None:
                raise _refuse("chain_link", **where)
            return event.prev
        head_seq, _head = self.store.head(event.author)
        below = self.store_hash(event.author, event.seq - 1)
        if below is None:
            raise _refuse("gap_store", have=head_seq, first=event.seq, **where)
        if event.prev != below:
            raise _refuse("chain_link", **where)
        return event.prev

    def _read_checkpoints(self, reader: _HashingReader) -> list[tuple[bytes, bytes, Checkpoint]]:
        out = []
        for sig, raw in read_frames(reader):
            try:
                out.append((raw, sig, Checkpoint.decode(raw, sig)))
            except (ValueError, KeyError, TypeError, AttributeError):
                raise _refuse("checkpoint_malformed") from None
        return out

    def _checkpoints(
        self,
        checkpoints: list[tuple[bytes, bytes, Checkpoint]],
        manifest: Manifest,
        result: VerifiedBundle,
        hashes: dict[tuple[str, int], str],
    ) -> None:
        known = {cp.hash for cp in self.store.checkpoints()}
        for raw, sig, cp in checkpoints:
            public = self.public_key(cp.author)
            where: dict[str, Any] = {"author": format_key_id(cp.author), "seq": cp.seq}
            if public is None or not _verify_sig(public, sig, bytes.fromhex(cp.hash)):
                raise _refuse("checkpoint_signature", **where)
            if not self.is_trusted(cp.author):
                raise _refuse("untrusted_checkpoint", **where)
            applicable = True
            for author, (seq, head) in sorted(cp.heads.items()):
                rng = manifest.chains.get(author)
                if rng is not None:
                    if seq > rng.last:
                        raise _refuse(
                            "cut_off_checkpoint",
                            have=rng.last,
                            want=seq,
                            author=format_key_id(author),
                            seq=seq,
                        )
                    if seq >= rng.first and hashes.get((author, seq)) != head:
                        raise _refuse("checkpoint_mismatch", author=format_key_id(author), seq=seq)
                stored = self.store_hash(author, seq)
                if stored is not None and stored != head:
                    raise _refuse("checkpoint_mismatch", author=format_key_id(author), seq=seq)
                if rng is None and stored is None and self.store.head(author)[0] > 0:
                    # This store holds a shorter chain of an author the bundle does not carry: keeping the
                    # checkpoint would make the store look cut off, so it waits for a bundle with that chain.
                    applicable = False
            if cp.hash in known:
                continue
            if applicable:
                result.checkpoints.append(StoredCheckpoint(raw, sig))
                known.add(cp.hash)
            else:
                result.skipped_checkpoints.append(cp.hash)

    def _blob(self, reader: _HashingReader, sha: str, result: VerifiedBundle) -> None:
        evidence = self.store.evidence
        if not self.stage or evidence.has(sha) or sha in result.staged:
            while reader.read(CHUNK):
                pass
            result.present_blobs += evidence.has(sha)
        else:
            evidence.root.mkdir(parents=True, exist_ok=True)
            tmp = evidence.root / f"{TEMP_PREFIX}bundle-{secrets.token_hex(8)}"
            result.staged[sha] = tmp
            with open(tmp, "xb") as out:
                while chunk := reader.read(CHUNK):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        if reader.digest.hexdigest() != sha:
            raise _refuse("blob_altered", sha=sha[:16])


def _stored_hash(store: Store, author: str, seq: int) -> str | None:
    row = store.connection.execute(
        "SELECT hash FROM events WHERE author = ? AND seq = ?", (author, seq)
    ).fetchone()
    return None if row is None else bytes(row[0]).hex()


def _read_all(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    src = tar.extractfile(member)
    if src is None:
        raise _refuse("not_file", name=member.name)
    data = src.read(member.size + 1)
    if len(data) != member.size:
        raise _refuse("truncated", detail=member.name)
    return data


def _remediation_action(event: Event) -> str | None:
    if event.kind == "remediation.planned" or event.kind == "drill.improvement_raised":
        return "plan"
    if event.kind == "remediation.updated":
        return str(event.body.get("action", "note"))
    if event.kind == "remediation.retested":
        return "verify" if event.body.get("outcome") == "verified" else "reopen"
    return None


def read_bundle(
    store: Store,
    path: Path | str,
    *,
    trust: Iterable[str] = (),
    expect_inspection: str | None = None,
    stage: bool = False,
    progress: Callable[[int], None] | None = None,
) -> VerifiedBundle:
    """Check a bundle against ``store`` without writing to it (``stage`` keeps the new blobs in temp files)."""
    reader = _Reader(store, trust, expect_inspection, stage, progress or (lambda n: None))
    return reader.run(Path(path))


def _trust_events(store: Store, owner: Signer, trust: dict[str, tuple[bytes, Identity]]) -> list[StoredEvent]:
    """The owner's ``key.trusted`` events for ``trust``, continuing the owner's chain (imported with the rest)."""
    seq, prev = store.head(owner.key_id)
    out: list[StoredEvent] = []
    for kid, (public, identity) in sorted(trust.items()):
        seq += 1
        body = {"key": kid, "public_key": public.hex(), **identity.as_dict()}
        raw = envelope("key.trusted", owner.key_id, seq, prev, format_at(store.clock()), body)
        digest = event_hash(raw)
        out.append(StoredEvent(raw, digest.hex(), owner.sign(digest)))
        prev = digest.hex()
    return out


def import_bundle(
    store: Store,
    path: Path | str,
    *,
    trust: Iterable[str] = (),
    owner: Signer | None = None,
    expect_inspection: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Verify the bundle at ``path`` completely, then import it atomically (a no-op if nothing is new).

    ``trust`` names key ids (authors of this bundle) the user trusts now; that needs the store owner's
    ``owner`` signer, which signs the ``key.trusted`` events written in the same transaction as the import.
    """
    trust = [normalise_key_id(k) for k in trust]
    if trust and (owner is None or owner.key_id != store.owner):
        raise KeyError_(t("bundle.error.trust_needs_owner"), t("bundle.error.trust_needs_owner.hint"))
    bundle = read_bundle(
        store, path, trust=trust, expect_inspection=expect_inspection, stage=True, progress=progress
    )
    placed: list[Path] = []
    committed = False
    try:
        for sha, tmp in sorted(bundle.staged.items()):
            final = store.evidence.path(sha)
            if final.is_file():
                tmp.unlink(missing_ok=True)
                continue
            os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            final.parent.mkdir(exist_ok=True)
            os.replace(tmp, final)
            placed.append(final)
        for folder in {p.parent for p in placed}:
            _fsync_dir(folder)
        bundle.staged.clear()
        extra = _trust_events(store, owner, bundle.trust) if bundle.trust and owner is not None else []
        # One transaction up to IMPORT_BATCH events (every real hand-over); beyond that, batches in chain order,
        # each a valid continuation of what the store holds, so memory stays bounded. Everything was verified
        # before the first write; an interruption leaves a store that verifies, and importing the same bundle
        # again completes it.
        batch: list[StoredEvent] = list(extra)
        if bundle.spool is not None:
            with open(bundle.spool, "rb") as spooled:
                for sig, raw in read_frames(spooled):
                    batch.append(StoredEvent(raw, event_hash(raw).hex(), sig))
                    if len(batch) >= IMPORT_BATCH:
                        store.import_events(batch)
                        committed = True
                        batch = []
        if batch:
            store.import_events(batch)
            committed = True
        bundle.discard()
        n_cps = store.import_checkpoints(bundle.checkpoints) if bundle.checkpoints else 0
    except BaseException:
        bundle.discard()
        # Blobs stay once events naming them are committed; before that they go (nothing refers to them).
        for final in [] if committed else placed:
            with contextlib.suppress(OSError):
                os.chmod(final, stat.S_IRUSR | stat.S_IWUSR)
                final.unlink()
        raise
    return ImportResult(
        bundle.manifest,
        imported=bundle.new_count,
        already=bundle.known_events,
        blobs=len(placed),
        checkpoints=n_cps,
        trusted=tuple(sorted(bundle.trust)),
        skipped_checkpoints=tuple(bundle.skipped_checkpoints),
    )


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["GradesecError", "ImportResult", "VerifiedBundle", "import_bundle", "read_bundle"]
