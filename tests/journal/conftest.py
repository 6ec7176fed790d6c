"""Fixtures for the journal tests: deterministic keys, a frozen clock, real stores in tmp_path."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from gradesec.journal import FrozenClock, Signer, Store
from gradesec.state import STATE_MODULES

# The test state module is registered like any other state module, before any store is opened.
if "tests.journal.notes_state" not in STATE_MODULES:
    STATE_MODULES.append("tests.journal.notes_state")
import tests.journal.notes_state  # noqa: F401


def seed(name: str) -> bytes:
    return hashlib.sha256(name.encode()).digest()


def make_signer(name: str, role: str = "inspector", org: str = "Test Org") -> Signer:
    return Signer.from_seed(seed(name), name, role, org)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock("2026-11-24T09:30:00.000Z")


@pytest.fixture
def owner() -> Signer:
    return make_signer("Owner Olga", "officer")


@pytest.fixture
def inspector() -> Signer:
    return make_signer("Inspector Ivan", "inspector")


@pytest.fixture
def stranger() -> Signer:
    return make_signer("Stranger Sam", "reviewer")


@pytest.fixture
def store(tmp_path: Path, owner: Signer, clock: FrozenClock) -> Iterator[Store]:
    s = Store.create(tmp_path / "store", owner, clock=clock)
    yield s
    s.close()


def build_rich_store(
    root: Path, owner: Signer, inspector: Signer, clock: FrozenClock, notes: int = 10
) -> Store:
    """A store with two trusted authors, notes, counters, two evidence blobs and an owner checkpoint."""
    store = Store.create(root, owner, clock=clock)
    store.trust(owner, inspector.public_bytes, inspector.identity)
    for i in range(notes):
        store.append(inspector, "test.note.set", {"id": f"n{i}", "text": f"hello {i}"})
        store.append(owner, "test.count", {"n": i})
    store.append_many(
        owner, [("test.note.set", {"id": "shared", "text": "owner"}), ("test.note.cleared", {"id": "n0"})]
    )
    for i, content in enumerate((b"photo bytes", b"config dump")):
        src = root.parent / f"evidence-{i}.bin"
        src.write_bytes(content)
        store.attach_evidence(inspector, src, "finding", f"f{i}")
    store.checkpoint(owner)
    return store
