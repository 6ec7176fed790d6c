"""Output paths: one rule for every file gradesec writes for a person (reports, plans, workbooks, bundles,
exported keys, drill reports).

- never inside a store (a folder holding ``gradesec.db``) or a key folder: ``bundle export -o
  <store>/gradesec.db`` or ``key export -o <the private key>`` would destroy what they were made from;
- an existing file is replaced only with ``--force``; a folder is never replaced;
- the file appears complete or not at all: the writer writes a temporary file beside the target, which is
  renamed into place (without ``--force``, linked into place, so a file created meanwhile is not clobbered
  either).

``with writing(path, force=…) as tmp: build(tmp)`` is the whole API for a writer.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gradesec.errors import StorageError, UsageError
from gradesec.i18n import t

STORE_MARKER = "gradesec.db"
_KEY_FILE = re.compile(r"^[0-9a-f]{32}\.(key|pem)$")


def _is_key_folder(folder: Path) -> bool:
    try:
        return any(_KEY_FILE.match(entry.name) for entry in os.scandir(folder))
    except OSError:
        return False


def protected_folder(path: Path) -> Path | None:
    """The store or key folder ``path`` would land in, if any (checked on the resolved path)."""
    from gradesec import paths

    resolved = path.resolve()
    key_dir = (paths.config_dir() / "keys").resolve()
    for folder in resolved.parents:
        if folder == key_dir or (folder / STORE_MARKER).exists() or _is_key_folder(folder):
            return folder
    return None


def check_output(path: Path, *, force: bool) -> None:
    """Refuse an output path before any work is done (a folder, a store, a key folder, an existing file)."""
    try:
        if path.is_dir():
            raise UsageError(t("output.is_folder", path=str(path)), t("output.is_folder.hint"))
        folder = protected_folder(path)
        if folder is not None:
            raise UsageError(
                t("output.protected", path=str(path), folder=str(folder)), t("output.protected.hint")
            )
        parent = path.parent.resolve()
        if parent.exists() and not parent.is_dir():
            raise UsageError(t("output.parent_is_file", path=str(path.parent)), t("output.no_folder.hint"))
        if not parent.is_dir():
            raise UsageError(t("output.no_folder", path=str(path.parent)), t("output.no_folder.hint"))
        if (path.exists() or path.is_symlink()) and not force:
            raise UsageError(t("output.exists", path=str(path)), t("output.exists.hint"))
    except OSError as exc:
        raise UsageError(
            t("output.cannot_write", path=str(path), detail=exc.strerror or str(exc)),
            t("output.no_folder.hint"),
        ) from None


@contextmanager
def writing(path: Path | str, *, force: bool = False) -> Iterator[Path]:
    """A temporary path to write to; on success it becomes ``path`` (see the module notes)."""
    target = Path(path)
    check_output(target, force=force)
    tmp = target.with_name(f".{target.stem}.{secrets.token_hex(4)}.tmp{target.suffix}")
    try:
        yield tmp
        if not tmp.exists():
            return  # the writer failed without raising; nothing to place
        try:
            if force:
                os.replace(tmp, target)
            else:
                _place_new(tmp, target)
        except OSError as exc:
            if exc.errno == errno.EEXIST:
                raise UsageError(t("output.exists", path=str(target)), t("output.exists.hint")) from None
            raise StorageError(
                t("output.cannot_write", path=str(target), detail=exc.strerror or str(exc)),
                t("output.no_folder.hint"),
            ) from None
    finally:
        tmp.unlink(missing_ok=True)


def _place_new(tmp: Path, target: Path) -> None:
    try:
        os.link(tmp, target)  # fails with EEXIST if a file appeared meanwhile: never clobbered
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # A file system without hard links (FAT on a USB stick): check, then rename.
        if target.exists():
            raise FileExistsError(errno.EEXIST, "exists") from None
        os.replace(tmp, target)
