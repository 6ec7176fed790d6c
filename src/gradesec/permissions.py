"""Owner-only folders and files, and reading a file without following a link.

Stores, evidence and key folders are created 0700 and their files 0600 (``make_private_dir``); on open they
are checked (``too_open``): a key folder or key file others can reach is refused, a store others can read
gets a warning with the command that fixes it. Input files (evidence, key files) are opened with
``O_NOFOLLOW`` and must be regular files (``open_regular``): a symlink planted as ``x.png`` cannot pull
``/etc/shadow`` into a store. Only the last component is checked; folders on the way are the user's choice.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from gradesec.errors import KeyError_, NotFoundError, UsageError
from gradesec.i18n import t

POSIX = os.name == "posix"


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) with the last folder owner-only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)


def too_open(path: Path) -> bool:
    """True when group or others have any permission on ``path`` (never on systems without POSIX modes)."""
    if not POSIX:
        return False
    try:
        return bool(os.stat(path).st_mode & 0o077)
    except OSError:
        return False


def check_key_dir(folder: Path) -> None:
    """Refuse a key folder others can reach; the key file inside is checked when read."""
    if too_open(folder):
        raise KeyError_(
            t("perm.key_folder_open", path=str(folder)), t("perm.key_folder_open.hint", path=str(folder))
        )


def store_warnings(store_dir: Path) -> list[str]:
    """Lines to show when a store, its database or its evidence folder is readable by other users."""
    paths = [store_dir, store_dir / "gradesec.db", store_dir / "evidence"]
    if any(too_open(p) for p in paths if p.exists()):
        return [t("perm.store_open", path=str(store_dir)), t("perm.store_open.hint", path=str(store_dir))]
    return []


def open_regular(path: Path, what: str = "file") -> int:
    """An fd for reading ``path``: not through a symlink, a regular file, readable. Errors name the cause."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno == errno.EMLINK and path.is_symlink()):
            raise UsageError(t("perm.symlink", path=str(path)), t("perm.symlink.hint")) from None
        if exc.errno == errno.ENOENT:
            raise NotFoundError(t("perm.missing", path=str(path)), t("perm.missing.hint")) from None
        if exc.errno == errno.EACCES:
            raise UsageError(t("perm.unreadable", path=str(path)), t("perm.unreadable.hint")) from None
        if exc.errno == errno.ENAMETOOLONG:
            raise UsageError(
                t("perm.name_too_long", path=str(path)[:80] + "…"), t("perm.missing.hint")
            ) from None
        raise UsageError(
            t("perm.cannot_read", path=str(path), detail=exc.strerror or str(exc)), t("perm.missing.hint")
        ) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UsageError(t("perm.is_folder", path=str(path)), t("perm.is_folder.hint"))
        if not stat.S_ISREG(mode):
            raise UsageError(t("perm.not_regular", path=str(path)), t("perm.not_regular.hint"))
        if POSIX:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_private(path: Path, limit: int) -> bytes:
    """Read a key file: no symlink, regular, owner-only (refused otherwise), at most ``limit`` bytes."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if POSIX and st.st_mode & 0o077:
            raise KeyError_(
                t("perm.key_file_open", path=str(path)), t("perm.key_file_open.hint", path=str(path))
            )
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read(limit + 1)
    finally:
        os.close(fd)


def is_missing(path: Path) -> bool:
    """True only when nothing (not even a dangling link) is at ``path``; other errors are left to the open."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def inside(base: Path, raw: str) -> Path | None:
    """``raw`` (relative) resolved under ``base``, or None when it is absolute or leads out of ``base``."""
    if not raw or Path(raw).is_absolute() or raw.startswith("~"):
        return None
    try:
        root = base.resolve()
        target = (root / raw).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return base / raw if target.is_relative_to(root) and target != root else None


def check_regular(path: Path) -> None:
    """Refuse, with the cause named, a path ``open_regular`` would refuse (checked before anything is written)."""
    os.close(open_regular(path))
