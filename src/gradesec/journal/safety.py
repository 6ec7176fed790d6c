"""What a store must be before anything reads or writes it: its unsigned ``meta`` values checked against the
signed genesis, no SQL objects of anyone else's (triggers, views, unknown tables), no temporary files left by
interrupted writes.

A trigger could delete each new checkpoint or rewrite each new event after gradesec wrote it; a view could
stand in for a table. gradesec creates neither, so a store holding one is refused (named), not used.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from gradesec.errors import IntegrityError, StorageError
from gradesec.i18n import t
from gradesec.journal.evidence import PLACING, TEMP_PREFIX
from gradesec.journal.keys import key_id_of

JOURNAL_TABLES = frozenset({"meta", "events", "checkpoints"})
# Temporary files without a process id in their name are swept once they are this old.
STALE_TEMP_S = 600
_PID_TEMP = re.compile(rf"^{re.escape(TEMP_PREFIX)}p(\d+)-")
_PLACING = re.compile(rf"^{re.escape(TEMP_PREFIX)}p(\d+)-{PLACING}-")
_HEX = re.compile(r"^[0-9a-f]+$")


def _bad_meta(root: Path, key: str) -> IntegrityError:
    return IntegrityError(
        t("journal.store.bad_meta", key=key, path=str(root)), t("journal.store.bad_meta.hint")
    )


def check_meta(db: sqlite3.Connection, root: Path, meta: dict[str, str]) -> int:
    """Check the form of ``meta`` (unsigned) and that its owner is the hash of its owner key; return the schema
    version. That both match the owner's signed genesis is verify's to say (``foreign_genesis``)."""
    if "store_id" not in meta or "owner" not in meta:
        raise StorageError(t("journal.store.not_a_store", path=str(root)), t("journal.store.missing.hint"))
    version_text = meta.get("schema_version", "")
    if not version_text.isdigit() or int(version_text) < 1:
        raise _bad_meta(root, "schema_version")
    owner, public_hex = meta["owner"], meta.get("owner_public_key", "")
    if len(public_hex) != 64 or not _HEX.match(public_hex):
        raise _bad_meta(root, "owner_public_key")
    if key_id_of(bytes.fromhex(public_hex)) != owner:
        raise _bad_meta(root, "owner")
    return int(version_text)


def foreign_objects(db: sqlite3.Connection, meta: dict[str, str]) -> list[tuple[str, str]]:
    """``(type, name)`` of every trigger, view or table gradesec did not create."""
    from gradesec.state.base import state_schema

    allowed = set(JOURNAL_TABLES) | set(state_schema().tables)
    try:
        listed = json.loads(meta.get("state_tables", "[]"))
    except ValueError:
        listed = []
    if isinstance(listed, list):  # state tables of an older schema, dropped by the rebuild that follows
        allowed |= {n for n in listed if isinstance(n, str)}
    out: list[tuple[str, str]] = []
    for kind, name in db.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') ORDER BY name"
    ):
        if kind == "table" and (name in allowed or str(name).startswith("sqlite_")):
            continue
        out.append((str(kind), str(name)))
    return out


def check_schema(db: sqlite3.Connection, root: Path) -> None:
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    found = foreign_objects(db, meta)
    if found:
        names = ", ".join(f"{kind} {name}" for kind, name in found)
        raise IntegrityError(
            t("journal.store.foreign_schema", path=str(root), names=names),
            t("journal.store.foreign_schema.hint"),
        )


def temp_name(label: str) -> str:
    """A temporary file name that says which process made it (swept once that process is gone)."""
    import secrets

    return f"{TEMP_PREFIX}p{os.getpid()}-{label}-{secrets.token_hex(8)}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_placing(evidence_root: Path, named: Callable[[str], bool]) -> int:
    """Finish what a transaction killed between placing its blobs and committing left: each blob its marker
    lists that no event names (``named``) is removed, then the marker. Return how many blobs went."""
    import contextlib
    import stat

    if not evidence_root.is_dir():
        return 0
    removed = 0
    try:
        markers = list(evidence_root.glob(f"{TEMP_PREFIX}p*-{PLACING}-*"))
    except OSError:
        return 0
    for marker in markers:
        match = _PLACING.match(marker.name)
        if match is None or _alive(int(match.group(1))):
            continue
        try:
            listed = marker.read_text(encoding="ascii").split()
        except (OSError, UnicodeDecodeError):
            listed = []
        for sha in listed:
            if len(sha) != 64 or not _HEX.match(sha) or named(sha):
                continue
            blob = evidence_root / sha[:2] / sha
            with contextlib.suppress(OSError):
                os.chmod(blob, stat.S_IRUSR | stat.S_IWUSR)
                blob.unlink()
                removed += 1
            with contextlib.suppress(OSError):
                blob.parent.rmdir()  # only if empty
        marker.unlink(missing_ok=True)
    return removed


def sweep_temp_files(evidence_root: Path) -> int:
    """Remove temporary files left in ``evidence/`` by interrupted writes: those of processes no longer
    running, and unnamed ones older than ``STALE_TEMP_S``. Return how many went."""
    if not evidence_root.is_dir():
        return 0
    removed = 0
    now = time.time()
    try:
        entries = list(evidence_root.glob(f"{TEMP_PREFIX}*"))
    except OSError:
        return 0
    for tmp in entries:
        match = _PID_TEMP.match(tmp.name)
        try:
            if match is not None:
                stale = not _alive(int(match.group(1)))
            else:
                stale = now - tmp.lstat().st_mtime > STALE_TEMP_S
            if stale:
                tmp.unlink()
                removed += 1
        except OSError:
            continue
    return removed
