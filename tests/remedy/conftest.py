"""Fixtures for the remediation and bundle tests: three parties with their own keys and stores, real files."""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.journal import FrozenClock, Signer
from gradesec.usecases import inspections, remediation
from gradesec.usecases.context import Context, open_context

PROFILE = "mlps-l2"


def make_signer(name: str, role: str) -> Signer:
    return Signer.from_seed(hashlib.sha256(name.encode()).digest(), name, role, "Test Org")


def counting_ids(tag: str) -> Callable[[str], str]:
    counters: dict[str, itertools.count[int]] = {}

    def new_id(prefix: str) -> str:
        return f"{prefix}-{tag}{next(counters.setdefault(prefix, itertools.count(1))):03d}"

    return new_id


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


def open_party(root: Path, signer: Signer, catalog: Catalog, start: str, tag: str) -> Context:
    return open_context(
        root, signer=signer, create=True, catalog=catalog, clock=FrozenClock(start), new_id=counting_ids(tag)
    )


def state_hash(ctx: Context) -> str:
    """A digest of every row of every table (journal and state) and of the evidence folder's names."""
    db = sqlite3.connect(ctx.store.db_path)
    digest = hashlib.sha256()
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for table in tables:
            for row in sorted(db.execute(f'SELECT * FROM "{table}"'), key=repr):
                digest.update(repr(row).encode())
    finally:
        db.close()
    for path in sorted(ctx.store.evidence.root.rglob("*")):
        digest.update(str(path.relative_to(ctx.store.evidence.root)).encode())
    return digest.hexdigest()


def server_items(catalog: Catalog, n: int) -> list[str]:
    out = []
    for item in catalog.items_for(PROFILE):
        if "server" in item.item.objects:
            out.append(item.id)
        if len(out) == n:
            break
    return out


@dataclass
class Field:
    """An inspection with three issues and one compliant result, as the inspector leaves it."""

    ctx: Context
    inspection: str
    asset: str
    items: list[str]


def inspect(ctx: Context, catalog: Catalog, tmp: Path, *, close: bool = True) -> Field:
    unit = inspections.add_unit(ctx, "Test Unit")
    system = inspections.add_system(ctx, unit.id, "Office system", level=2)
    asset = inspections.add_asset(ctx, system.id, "server", "srv-01")
    insp = inspections.new_inspection(ctx, system.id, PROFILE)
    items = server_items(catalog, 4)
    shot = tmp / "screenshot.png"
    shot.write_bytes(b"\x89PNG evidence " * 100)
    inspections.record_finding(
        ctx, insp.id, items[0], asset.id, "noncompliant", note="weak passwords", evidence=[shot]
    )
    inspections.record_finding(ctx, insp.id, items[1], asset.id, "partial", note="no audit log")
    inspections.record_finding(ctx, insp.id, items[2], asset.id, "noncompliant", note="no backup")
    inspections.record_finding(ctx, insp.id, items[3], asset.id, "compliant")
    inspections.rate_issue(ctx, insp.id, items[0], asset.id, "high")
    inspections.rate_issue(
        ctx, insp.id, items[1], asset.id, "medium", compensation="segmented network", reason="internal only"
    )
    # the matching high-risk case (if any) is lowered only with a mitigation it allows: name the first one
    allowed = inspections.suggest_risk(ctx, insp.id, items[2], "noncompliant").allowed()
    inspections.rate_issue(
        ctx,
        insp.id,
        items[2],
        asset.id,
        "low",
        compensation="segmented network",
        reason="internal only",
        mitigations=[ids[0] for ids in allowed.values() if ids],
    )
    if close:
        remediation.close_and_plan(ctx, insp.id)
    return Field(ctx, insp.id, asset.id, items)


@pytest.fixture
def parties(tmp_path: Path, catalog: Catalog) -> Iterator[dict[str, Context]]:
    out = {
        "ivan": open_party(
            tmp_path / "ivan",
            make_signer("Inspector Ivan", "inspector"),
            catalog,
            "2026-11-24T09:00:00.000Z",
            "I",
        ),
        "olga": open_party(
            tmp_path / "olga",
            make_signer("Officer Olga", "officer"),
            catalog,
            "2026-11-26T09:00:00.000Z",
            "O",
        ),
        "ina": open_party(
            tmp_path / "ina",
            make_signer("Inspector Ina", "inspector"),
            catalog,
            "2026-11-24T10:00:00.000Z",
            "N",
        ),
    }
    yield out
    for ctx in out.values():
        ctx.close()
