"""Content-addressed evidence blobs: ``evidence/ab/abcdef…`` named by the SHA-256 of their bytes.

A blob is streamed (1 MiB at a time, so a 2 GB video never sits in memory) into a temporary file beside its
final place while it is hashed, fsynced, made read-only, and renamed into place; the directory is fsynced too.
A crash leaves at most a stray temporary file, which the next ``put`` of the same content replaces and
``sweep_temp`` removes. Identical content is stored once.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from gradesec.errors import NotFoundError, StorageError
from gradesec.i18n import t

CHUNK = 1 << 20
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
TEMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class BlobRef:
    sha256: str
    size: int


def disk_full_error() -> StorageError:
    return StorageError(t("error.disk_full"), t("error.disk_full.hint"))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def hash_file(path: Path, on_bytes: Callable[[int], None] | None = None) -> BlobRef:
    """The SHA-256 and size of a file, streamed."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if on_bytes is not None:
                on_bytes(len(chunk))
    return BlobRef(digest.hexdigest(), size)


class EvidenceStore:
    """The ``evidence/`` folder of a store."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        sha256 = sha256.lower()
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise NotFoundError(
                t("journal.evidence.bad_hash", sha256=sha256), t("journal.evidence.bad_hash.hint")
            )
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        """The blob for reading (``NotFoundError`` if this store does not hold it)."""
        try:
            return open(self.path(sha256), "rb")
        except FileNotFoundError:
            raise NotFoundError(
                t("journal.evidence.missing", sha256=sha256), t("journal.evidence.missing.hint")
            ) from None

    def put(self, source: Path | str) -> BlobRef:
        """Copy a file into the store (deduplicated) and return its reference."""
        from gradesec.permissions import open_regular

        # Not through a symlink, and a regular file: ``ln -s /etc/shadow x.png`` must not pull a file in.
        fd = open_regular(Path(source))
        with os.fdopen(fd, "rb") as src:
            return self.put_stream(src)

    def put_stream(self, src: BinaryIO) -> BlobRef:
        """Store everything ``src`` yields (deduplicated) and return its reference."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.root / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
        digest = hashlib.sha256()
        size = 0
        try:
            with open(tmp, "xb") as out:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    self._write(out, chunk)
                out.flush()
                os.fsync(out.fileno())
            ref = BlobRef(digest.hexdigest(), size)
            final = self.path(ref.sha256)
            if final.is_file() and final.stat().st_size == size:
                tmp.unlink()
                return ref
            os.chmod(tmp, stat.S_IRUSR)
            final.parent.mkdir(exist_ok=True, mode=0o700)
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            return ref
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if exc.errno in DISK_FULL_ERRNOS:
                raise disk_full_error() from None
            raise StorageError(
                t("journal.evidence.write_failed", detail=exc.strerror or str(exc)),
                t("journal.evidence.write_failed.hint"),
            ) from None

    # A seam for tests that inject write failures (a full disk) without mocking the store itself.
    def _write(self, out: BinaryIO, chunk: bytes) -> None:
        out.write(chunk)

    def sweep_temp(self) -> int:
        """Remove temporary files left by interrupted writes; return how many."""
        if not self.root.is_dir():
            return 0
        removed = 0
        for tmp in self.root.glob(f"{TEMP_PREFIX}*"):
            tmp.unlink(missing_ok=True)
            removed += 1
        return removed

    def blobs(self) -> list[tuple[str, Path]]:
        """Every blob file present as ``(name, path)``."""
        if not self.root.is_dir():
            return []
        return [(p.name, p) for p in sorted(self.root.glob("??/*")) if p.is_file()]
