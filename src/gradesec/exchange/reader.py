"""Reading a bundle: verify everything while it streams past, writing nothing to the store.

``read_bundle`` reads the file once, front to back. The manifest (first) and its signature are checked before
anything else is read; then every member is checked against the manifest as it streams: its name and type
(regular files with the expected names only), its size (known from the tar header before a byte is read), its
hash (at the member's end). The two journal members, events and checkpoints, are checked by ``chains``
(``ChainChecks``, which ``BundleReader`` extends); evidence blobs are hashed while they are copied into temporary
files inside the store's evidence folder, so a 2 GB video never sits in memory.

``import_bundle`` (in ``importer``) writes what this module verified.
"""

from __future__ import annotations

import gzip
import os
import tarfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from gradesec.errors import NotFoundError, UsageError
from gradesec.exchange.authors import verify_sig
from gradesec.exchange.chains import ChainChecks
from gradesec.exchange.format import (
    MANIFEST_NAME,
    MAX_EVIDENCE,
    MAX_MANIFEST,
    MAX_SIGNATURE,
    SIGNATURE_NAME,
    BundleRefused,
    FrameError,
    Manifest,
    ManifestError,
    manifest_digest,
    parse_manifest,
)
from gradesec.exchange.streams import BundleSource, HashingReader, read_all, refuse, safe_member
from gradesec.i18n import t
from gradesec.journal.authority import TeamLedger, TeamLookup
from gradesec.journal.events import Checkpoint, StoredCheckpoint
from gradesec.journal.evidence import CHUNK
from gradesec.journal.keys import Identity, format_key_id, key_id_of
from gradesec.journal.safety import temp_name

if TYPE_CHECKING:
    from gradesec.journal.store import Store


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
    role_changes: dict[str, str] = field(default_factory=dict)  # key id -> the role it was trusted with

    def discard(self) -> None:
        if self.spool is not None:
            self.spool.unlink(missing_ok=True)
            self.spool = None
        for tmp in self.staged.values():
            tmp.unlink(missing_ok=True)
        self.staged.clear()


class BundleReader(ChainChecks):
    """One pass over a bundle file, checking every member against the manifest as it streams."""

    def __init__(
        self,
        store: Store,
        trust: Iterable[str],
        expect_inspection: str | None,
        stage: bool,
        advance: Callable[[int], None],
    ) -> None:
        super().__init__(store, trust)
        self.teams = TeamLedger(self.team_lookup())
        self.expect = expect_inspection
        self.stage = stage
        self.advance = advance
        self.result: VerifiedBundle | None = None

    def team_lookup(self) -> TeamLookup:
        """Where the teams the bundle's events meet are known: the store's state (the hub overrides this)."""
        from gradesec.state.teams import team_lookup

        return team_lookup(self.store.connection)

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
                source = BundleSource(fh, self.advance)
                try:
                    with tarfile.open(fileobj=cast(IO[bytes], source), mode="r|") as tar:
                        result = self._members(tar)
                except BundleRefused:
                    raise
                except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error, OSError, FrameError) as exc:
                    # An OSError with an errno is the disk or the file system (full disk, I/O), not the bundle.
                    if (
                        isinstance(exc, OSError)
                        and not isinstance(exc, gzip.BadGzipFile)
                        and exc.errno is not None
                    ):
                        raise
                    if self.result is None and isinstance(exc, (gzip.BadGzipFile, tarfile.ReadError)):
                        raise refuse("not_bundle") from None
                    raise refuse("truncated", detail=str(exc) or type(exc).__name__) from None
            done = True
            return result
        finally:
            if not done and self.result is not None:
                self.result.discard()

    def _next(self, tar: tarfile.TarFile) -> tarfile.TarInfo | None:
        member = tar.next()
        if member is not None:
            safe_member(member)
        return member

    def _members(self, tar: tarfile.TarFile) -> VerifiedBundle:
        first = self._next(tar)
        if first is None:
            raise refuse("not_bundle")
        if first.name != MANIFEST_NAME:
            raise refuse("not_bundle")
        if first.size > MAX_MANIFEST:
            raise refuse("oversized", name=first.name)
        raw = read_all(tar, first)
        try:
            manifest = parse_manifest(raw)
        except ManifestError as exc:
            if exc.version is not None:
                raise refuse("version", version=exc.version) from None
            raise refuse("manifest", detail=str(exc)) from None
        result = VerifiedBundle(manifest)
        self.result = result
        sig_member = self._next(tar)
        if sig_member is None or sig_member.name != SIGNATURE_NAME:
            raise refuse("truncated", detail=SIGNATURE_NAME)
        if sig_member.size > MAX_SIGNATURE:
            raise refuse("oversized", name=sig_member.name)
        sig_text = read_all(tar, sig_member)
        try:
            public = bytes.fromhex(manifest.exporter_public_key)
            sig = bytes.fromhex(sig_text.decode("ascii").strip())
        except (ValueError, UnicodeDecodeError):
            raise refuse("manifest_signature") from None
        if key_id_of(public) != manifest.exporter or not verify_sig(public, sig, manifest_digest(raw)):
            raise refuse("manifest_signature")
        self.keys.setdefault(manifest.exporter, public)
        if self.expect is not None and manifest.inspection != self.expect:
            raise refuse("other_inspection_scope", expected=self.expect, found=manifest.inspection or "-")
        named = set(manifest.chains) | {manifest.exporter}
        for kid in sorted(self.trust_wanted):
            if kid not in named:
                raise UsageError(
                    t("bundle.error.trust_unknown", key=format_key_id(kid)),
                    t("bundle.error.trust_unknown.hint"),
                )
        if not self.is_trusted(manifest.exporter):
            # Only the key is verified: the name in the manifest is what the key says of itself.
            name = manifest.exporter_identity.get("name", "")
            raise refuse("untrusted_exporter", key=format_key_id(manifest.exporter), name=name)
        expected = list(manifest.members)
        hashes: dict[tuple[str, int], str] = {}
        checkpoints: list[tuple[bytes, bytes, Checkpoint]] = []
        wanted: set[tuple[str, int]] = set()
        referenced: dict[str, tuple[str, int]] = {}
        for index, want in enumerate(expected):
            member = self._next(tar)
            if member is None:
                raise refuse("truncated", detail=want.name)
            if member.name != want.name:
                raise refuse("unexpected_member", name=member.name)
            limit = MAX_EVIDENCE if index >= 2 else want.size
            if member.size > want.size or member.size > limit:
                raise refuse("oversized", name=member.name)
            if member.size != want.size:
                raise refuse("member_size", name=member.name)
            src = tar.extractfile(member)
            if src is None:
                raise refuse("not_file", name=member.name)
            reader = HashingReader(src, want.size)
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
                raise refuse("member_size", name=member.name)
            if reader.size != want.size or reader.digest.hexdigest() != want.sha256:
                raise refuse("member_hash", name=member.name)
        extra = self._next(tar)
        if extra is not None:
            raise refuse("unexpected_member", name=extra.name)
        _check_end(tar)
        for sha, (author, seq) in sorted(referenced.items()):
            if sha not in result.staged and not self.store.evidence.has(sha):
                in_bundle = any(m.sha256 == sha for m in manifest.evidence)
                if not in_bundle:
                    raise refuse("blob_missing", sha=sha[:16], author=format_key_id(author), seq=seq)
        for kid in sorted(self.trust_wanted & self.trusted):
            latest = self.latest_identity.get(kid)
            pub = self.public_key(kid)
            if latest is not None and latest.role != self.roles.get(kid) and pub is not None:
                result.trust[kid] = (pub, latest)  # re-trust: the owner signs the new role
                result.role_changes[kid] = self.roles.get(kid, "")
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

    def _blob(self, reader: HashingReader, sha: str, result: VerifiedBundle) -> None:
        evidence = self.store.evidence
        if not self.stage or evidence.has(sha) or sha in result.staged:
            while reader.read(CHUNK):
                pass
            result.present_blobs += evidence.has(sha)
        else:
            evidence.root.mkdir(parents=True, exist_ok=True)
            tmp = evidence.root / temp_name("bundle")
            result.staged[sha] = tmp
            with open(tmp, "xb") as out:
                while chunk := reader.read(CHUNK):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        if reader.digest.hexdigest() != sha:
            raise refuse("blob_altered", sha=sha[:16])


def _check_end(tar: tarfile.TarFile) -> None:
    """After the last member only the tar end may follow: zero blocks up to a whole record, then nothing.
    Anything else is refused: bytes after the end are not part of what was signed and checked."""
    stream = cast(Any, tar.fileobj)
    zeros = 0
    while True:
        try:
            chunk = stream.read(1 << 16)
        except (OSError, EOFError, gzip.BadGzipFile):
            raise refuse("trailing") from None
        if not chunk:
            break
        if chunk.count(0) != len(chunk) or zeros > tarfile.RECORDSIZE * 4:
            raise refuse("trailing")
        zeros += len(chunk)
    end = tar.offset + tarfile.BLOCKSIZE + zeros
    if zeros < tarfile.BLOCKSIZE or end % tarfile.RECORDSIZE:
        if zeros > tarfile.RECORDSIZE:
            raise refuse("trailing")
        raise refuse("truncated", detail="end of archive")


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
    reader = BundleReader(store, trust, expect_inspection, stage, progress or (lambda n: None))
    return reader.run(Path(path))
