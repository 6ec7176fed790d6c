"""Fixtures for the drill tests: the shipped catalog, deterministic keys, a frozen clock, real stores."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.journal import FrozenClock, Signer, Store


def make_signer(name: str, role: str = "lead", org: str = "Training Office") -> Signer:
    return Signer.from_seed(hashlib.sha256(name.encode()).digest(), name, role, org)


@dataclass
class DrillCtx:
    """What the drill use cases need: the store, the catalog and the signer."""

    store: Store
    catalog: Catalog
    signer: Signer


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(extra_dirs=())


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADESEC_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("GRADESEC_STORE", str(tmp_path / "store"))
    monkeypatch.delenv("GRADESEC_CATALOG", raising=False)


@pytest.fixture
def lead() -> Signer:
    return make_signer("Lead Lin")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock("2026-11-24T09:30:00.000Z")


@pytest.fixture
def store(tmp_path: Path, lead: Signer, clock: FrozenClock) -> Iterator[Store]:
    s = Store.create(tmp_path / "store", lead, clock=clock)
    yield s
    s.close()


@pytest.fixture
def ctx(store: Store, catalog: Catalog, lead: Signer) -> DrillCtx:
    return DrillCtx(store, catalog, lead)
