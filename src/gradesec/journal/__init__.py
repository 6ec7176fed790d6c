"""The signed journal: keys, events, the store, evidence blobs and verification.

Only ``gradesec.journal`` and ``gradesec.state`` import SQLite/SQLModel; everything else goes through
``Store``. See docs/journal.md for the design and the contracts other parts build on.
"""

from __future__ import annotations

from gradesec.journal.clock import Clock, FrozenClock, format_at, system_clock
from gradesec.journal.events import Checkpoint, Event, StoredCheckpoint, StoredEvent
from gradesec.journal.evidence import BlobRef, EvidenceStore
from gradesec.journal.keys import Identity, Signer, format_key_id, list_keys, load_signer, new_key
from gradesec.journal.store import ImportRefused, Store
from gradesec.journal.verify import Problem, VerifyReport

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
