"""Content-addressed evidence blobs: ``evidence/ab/abcdef…`` named by the SHA-256 of their bytes.

A blob is streamed (1 MiB at a time, so a 2 GB video never sits in memory) into a temporary file beside its
final place while it is hashed, fsynced, made read-only, and renamed into place; the directory is fsynced too.
A crash leaves at most a stray temporary file named after the process that wrote it, which opening the store
sweeps once that process is gone. Identical content is stored once.

Inside a store transaction (``Store.transaction()``) a new blob is *staged*: it stays a temporary file until
the transaction is about to commit (``place_staged``), and a rollback removes it (``discard_staged``), so a
failed multi-step action leaves no file behind. Before placing, the hashes are listed in a marker file named
after the process (``PLACING``); the marker goes once the commit is done. A process killed between placing and
committing leaves the marker, and opening the store removes the listed blobs no event names
(``journal.safety.recover_placing``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import stat
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from gradesec.errors import NotFoundError, StorageError
from gradesec.i18n import t

CHUNK = 1 << 20
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
TEMP_PREFIX = ".tmp-"
PLACING = "placing"  # the marker of blobs being placed by a transaction: ``.tmp-p<pid>-placing-…``


@dataclass(frozen=True)
class BlobRef:
    sha256: str
    size: int


@dataclass
class _Staging:
    """Blobs of an open transaction: staged (temporary files by hash) and, once placed, what was made."""

    thread: int
    files: list[tuple[str, Path]] = field(default_factory=list)
    placed: list[Path] = field(default_factory=list)
    made: list[Path] = field(default_factory=list)
    marker: Path | None = None


def _temp_name(label: str = "blob") -> str:
    # Named after this process (``journal.safety`` sweeps it on open once the process is gone).
    return f"{TEMP_PREFIX}p{os.getpid()}-{label}-{secrets.token_hex(8)}"


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        path.unlink()


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
        self._staging: _Staging | None = None

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
        tmp = self.root / _temp_name()
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
            staging = self._staging
            if staging is not None and staging.thread != threading.get_ident():
                staging = None  # another thread's transaction: this put is not part of it
            if (final.is_file() and final.stat().st_size == size) or (
                staging is not None and any(sha == ref.sha256 for sha, _ in staging.files)
            ):
                tmp.unlink()
                return ref
            os.chmod(tmp, stat.S_IRUSR)
            if staging is not None:
                staging.files.append((ref.sha256, tmp))
                return ref
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

    # Staging (driven by ``StoreCore.transaction``)

    def begin_staging(self) -> None:
        self._staging = _Staging(threading.get_ident())

    def end_staging(self) -> None:
        """After the commit (or the rollback): the placing marker, if any, is no longer needed."""
        if self._staging is not None and self._staging.marker is not None:
            self._staging.marker.unlink(missing_ok=True)
        self._staging = None

    def staged_count(self) -> int:
        return 0 if self._staging is None else len(self._staging.files)

    def place_staged(self) -> None:
        """Move the staged blobs into place (fsynced), remembering what was placed in case the commit fails."""
        staging = self._staging
        if staging is None or not staging.files:
            return
        try:
            marker = self.root / _temp_name(PLACING)
            with open(marker, "x", encoding="ascii") as out:  # a kill -9 keeps it: no fsync needed
                out.write("".join(f"{sha}\n" for sha, _tmp in staging.files))
            staging.marker = marker
            self.place(staging.files, staging.placed, staging.made)
        except OSError as exc:
            if exc.errno in DISK_FULL_ERRNOS:
                raise disk_full_error() from None
            raise StorageError(
                t("journal.evidence.write_failed", detail=exc.strerror or str(exc)),
                t("journal.evidence.write_failed.hint"),
            ) from None
        finally:
            staging.files = [(sha, tmp) for sha, tmp in staging.files if tmp.exists()]

    def place(self, files: Iterable[tuple[str, Path]], placed: list[Path], made: list[Path]) -> None:
        """Move temporary blobs ``(sha256, file)`` to their content address, read-only (a blob already there
        drops its file), appending what was placed to ``placed`` and the folders made to ``made``; the folders
        are fsynced. ``unplace`` undoes it."""
        for sha, tmp in files:
            final = self.path(sha)
            if final.is_file():
                tmp.unlink(missing_ok=True)
                continue
            os.chmod(tmp, stat.S_IRUSR)
            if not final.parent.is_dir():
                final.parent.mkdir(mode=0o700)
                made.append(final.parent)
            os.replace(tmp, final)
            placed.append(final)
        for folder in {p.parent for p in placed}:
            _fsync_dir(folder)

    @staticmethod
    def unplace(placed: list[Path], made: list[Path]) -> None:
        """Remove blobs ``place`` put in place and the folders it made (a folder only if empty)."""
        for final in placed:
            _unlink(final)
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()

    def discard_staged(self, keep: int) -> None:
        """Remove the blobs staged after the first ``keep``; with ``keep == 0`` also those already placed by
        this transaction (its commit failed) and the folders it made."""
        staging = self._staging
        if staging is None:
            return
        for _sha, tmp in staging.files[keep:]:
            _unlink(tmp)
        del staging.files[keep:]
        if keep == 0:
            self.unplace(staging.placed, staging.made)
            staging.placed.clear()
            staging.made.clear()

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
