"""Importing valid bundles in any order reaches the same state (hypothesis over the orders)."""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradesec.catalog.loader import Catalog
from gradesec.exchange import import_bundle
from gradesec.journal import FrozenClock, Store
from gradesec.usecases import bundles, remediation
from gradesec.usecases.context import Context
from gradesec.usecases.remediation import Change
from tests.remedy.conftest import inspect, make_signer

TABLES = (
    "remediation_item",
    "remediation_log",
    "remediation_round",
    "finding_current",
    "finding_revision",
    "issue_rating",
    "inspection",
    "evidence_attachment",
)


def _digest(store: Store) -> str:
    db = sqlite3.connect(store.db_path)
    digest = hashlib.sha256()
    try:
        for table in TABLES:
            for row in sorted(db.execute(f'SELECT * FROM "{table}"'), key=repr):
                digest.update(repr((table, row)).encode())
    finally:
        db.close()
    return digest.hexdigest()


@pytest.fixture
def three_bundles(parties: dict[str, Context], catalog: Catalog, tmp_path: Path) -> list[Path]:
    ivan, olga, ina = parties["ivan"], parties["olga"], parties["ina"]
    field = inspect(ivan, catalog, tmp_path)
    first = bundles.export(ivan, tmp_path / "1.gsb", inspection=field.inspection).path
    bundles.import_(olga, first, trust=[ivan.signer.key_id])
    bundles.import_(ina, first, trust=[ivan.signer.key_id])
    items = remediation.list_items(olga, remediation.Filters(inspection=field.inspection))
    remediation.update_item(olga, items[0].id, Change("fix", note="done"))
    remediation.update_item(olga, items[1].id, Change("start"))
    second = bundles.export(olga, tmp_path / "2.gsb", inspection=field.inspection).path
    # A second inspector notes something on the same items, concurrently with the unit.
    remediation.update_item(ina, items[0].id, Change("note", note="seen on site"))
    third = bundles.export(ina, tmp_path / "3.gsb", inspection=field.inspection).path
    return [first, second, third]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_import_order_reaches_the_same_state(three_bundles: list[Path], data: st.DataObject) -> None:
    lead = make_signer("Lead Lu", "reviewer")
    keys = [
        make_signer(n, r)
        for n, r in (
            ("Inspector Ivan", "inspector"),
            ("Officer Olga", "officer"),
            ("Inspector Ina", "inspector"),
        )
    ]
    digests = set()
    for order in (list(range(3)), data.draw(st.permutations(range(3)))):
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.create(Path(tmp) / "s", lead, clock=FrozenClock("2026-12-01T08:00:00.000Z"))
            with store:
                for k in keys:
                    store.trust(lead, k.public_bytes, k.identity)
                for i in order:
                    # Every bundle carries whole chains, so any order is complete.
                    import_bundle(store, three_bundles[i])
                assert store.verify().ok
                digests.add(_digest(store))
    assert len(digests) == 1
