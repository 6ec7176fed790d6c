"""The signed journal: keys, events, the store, evidence blobs and verification.

Only ``gradesec.journal`` and ``gradesec.state`` import SQLite/SQLModel; everything else goes through
``Store``. See docs/journal.md for the design and the contracts other parts build on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gradesec.journal.clock import Clock, FrozenClock, format_at, system_clock
    from gradesec.journal.events import Checkpoint, Event, StoredCheckpoint, StoredEvent
    from gradesec.journal.evidence import BlobRef, EvidenceStore
    from gradesec.journal.keys import Identity, Signer, format_key_id, list_keys, load_signer, new_key
    from gradesec.journal.store import ImportRefused, Store
    from gradesec.journal.verify import Problem, VerifyReport

# The names are imported on first use: ``gradesec.journal.store`` pulls in SQLModel (~0.2 s), which a command
# that only needs ``Signer`` or ``format_key_id`` should not pay for.
_LAZY = {
    "Clock": "clock",
    "FrozenClock": "clock",
    "format_at": "clock",
    "system_clock": "clock",
    "Checkpoint": "events",
    "Event": "events",
    "StoredCheckpoint": "events",
    "StoredEvent": "events",
    "BlobRef": "evidence",
    "EvidenceStore": "evidence",
    "Identity": "keys",
    "Signer": "keys",
    "format_key_id": "keys",
    "list_keys": "keys",
    "load_signer": "keys",
    "new_key": "keys",
    "ImportRefused": "store",
    "Store": "store",
    "Problem": "verify",
    "VerifyReport": "verify",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gradesec.journal' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"gradesec.journal.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "BlobRef",
    "Checkpoint",
    "Clock",
    "Event",
    "EvidenceStore",
    "FrozenClock",
    "Identity",
    "ImportRefused",
    "Problem",
    "Signer",
    "Store",
    "StoredCheckpoint",
    "StoredEvent",
    "VerifyReport",
    "format_at",
    "format_key_id",
    "list_keys",
    "load_signer",
    "new_key",
    "system_clock",
]
