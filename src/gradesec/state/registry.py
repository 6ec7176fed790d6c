"""Event kinds and the projectors that turn events into state rows.

A projector is a plain function ``fn(db, event) -> None`` where ``db`` is the ``sqlite3.Connection`` of the
append transaction (plain SQL: fastest, and the transaction is already open; never commit or roll back in a
projector). ``event`` is a ``gradesec.journal.events.Event``::

    from gradesec.state.registry import projector

    @projector("unit.created")
    def _unit_created(db: sqlite3.Connection, event: Event) -> None:
        db.execute(
            "INSERT INTO unit (id, name, created_at, event_hash) VALUES (?, ?, ?, ?)",
            (event.body["id"], event.body["name"], event.at, event.hash),
        )

Rules for projectors (replay must reach exactly the state that appends reached):
- a deterministic function of the event and the current state: use ``event.at``, never the wall clock; no
  randomness; no reading of files;
- where possible order-insensitive across authors ("latest by (at, hash) wins"), so that merging bundles from
  several people in any order reaches the same state;
- raise ``gradesec.errors.GradesecError`` to refuse an event (the whole append is rolled back).
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from gradesec.journal.events import Event

Projector: TypeAlias = "Callable[[sqlite3.Connection, Event], None]"


@dataclass(frozen=True)
class EventKind:
    """A known event kind. ``version`` counts revisions of the body schema that stay compatible."""

    name: str
    version: int = 1
    summary: str = ""


_KINDS: dict[str, EventKind] = {}
_PROJECTORS: dict[str, list[Projector]] = {}
_loaded = False


def register_kind(name: str, version: int = 1, summary: str = "") -> EventKind:
    """Declare an event kind (idempotent for the same name and version)."""
    existing = _KINDS.get(name)
    if existing is not None and existing.version > version:
        return existing
    kind = EventKind(name, version, summary or (existing.summary if existing else ""))
    _KINDS[name] = kind
    return kind


def projector(kind: str, *, version: int = 1) -> Callable[[Projector], Projector]:
    """Register ``fn`` as a projector of ``kind`` (several projectors per kind run in registration order)."""

    def decorate(fn: Projector) -> Projector:
        register_kind(kind, version)
        handlers = _PROJECTORS.setdefault(kind, [])
        if fn not in handlers:
            handlers.append(fn)
        return fn

    return decorate


def is_known(kind: str) -> bool:
    return kind in _KINDS


def known_kinds() -> Mapping[str, EventKind]:
    """The known kinds by name, as the registry holds them (not a copy: for look-ups in a loop)."""
    return _KINDS


def projectors_by_kind() -> Mapping[str, list[Projector]]:
    """Every kind's projectors, as the registry holds them (not a copy: ``apply`` without a call per event)."""
    return _PROJECTORS


def kinds() -> dict[str, EventKind]:
    """All known kinds by name (after ``load_all``)."""
    return dict(_KINDS)


def projectors_for(kind: str) -> list[Projector]:
    return _PROJECTORS.get(kind, [])


def load_all() -> None:
    """Import every module in ``gradesec.state.STATE_MODULES`` (registers tables, kinds and projectors)."""
    global _loaded
    if _loaded:
        return
    from gradesec.state import STATE_MODULES

    for name in STATE_MODULES:
        importlib.import_module(name)
    _loaded = True


def apply(db: sqlite3.Connection, event: Event) -> None:
    """Run every projector of ``event.kind`` (a kind without projectors is a no-op)."""
    for fn in _PROJECTORS.get(event.kind, ()):
        fn(db, event)
