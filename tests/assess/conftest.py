"""Fixtures for the assess tests: a small catalog of our own, deterministic keys and ids, real stores."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.journal import FrozenClock, Signer
from gradesec.usecases.context import Context, open_context

FIXTURE = Path(__file__).parent / "fixtures" / "cat"


def make_signer(name: str, role: str = "inspector") -> Signer:
    return Signer.from_seed(hashlib.sha256(name.encode()).digest(), name, role, "Test Org")


def counting_ids() -> Callable[[str], str]:
    counters: dict[str, itertools.count[int]] = {}

    def new_id(prefix: str) -> str:
        return f"{prefix}-{next(counters.setdefault(prefix, itertools.count(1))):04d}"

    return new_id


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(layers=[[FIXTURE]])


@pytest.fixture
def inspector() -> Signer:
    return make_signer("Inspector Ivan")


@pytest.fixture
def ctx(tmp_path: Path, catalog: Catalog, inspector: Signer) -> Iterator[Context]:
    context = open_context(
        tmp_path / "store",
        signer=inspector,
        create=True,
        catalog=catalog,
        clock=FrozenClock("2026-11-24T09:30:00.000Z"),
        new_id=counting_ids(),
    )
    yield context
    context.close()
