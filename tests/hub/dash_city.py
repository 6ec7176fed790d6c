"""The small fixed city on a hub, for the dashboard, evaluation and city report tests.

tests/hub/city.py's units A and B (no district) plus unit D, recorded by its own officer Dora in the district
"East": a level-3 portal (filing recorded 2026-03-01) and a level-4 registry, neither ever inspected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from gradesec.catalog.loader import Catalog
from gradesec.hub.db import register
from gradesec.hub.ingest import ingest
from gradesec.hub.schema import migrate
from gradesec.journal.keys import Signer, read_public
from gradesec.usecases import bundles, inspections
from tests.hub.city import City, write_key
from tests.remedy.conftest import make_signer, open_party


@dataclass(frozen=True)
class Dora:
    signer: Signer
    unit: str
    portal: str
    registry: str
    bundle: Path
    key: Path


def build_dora(root: Path, catalog: Catalog) -> Dora:
    root.mkdir(parents=True, exist_ok=True)
    signer = make_signer("Officer Dora", "officer")
    ctx = open_party(root / "dora", signer, catalog, "2026-03-01T09:00:00.000Z", "D")
    try:
        unit = inspections.add_unit(ctx, "East Health Bureau", code="EHB-01", region="East")
        portal = inspections.add_system(ctx, unit.id, "Clinic portal", level=3, filing_no="11010099001-00002")
        registry = inspections.add_system(ctx, unit.id, "Patient registry", level=4)
        bundle = bundles.export(ctx, root / "dora.gsb").path
    finally:
        ctx.close()
    return Dora(signer, unit.id, portal.id, registry.id, bundle, write_key(signer, root / "dora.key.json"))


def fill_hub(url: str, city: City, dora: Dora) -> None:
    """Register the keys and ingest every good bundle of the city (as test_queries does, plus Dora's)."""
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
        for name, unit, body in (
            ("ivan", None, "Lab A"),
            ("ina", None, "Lab B"),
            ("olga", city.unit_a, None),
            ("lena", city.unit_a, None),
        ):
            register(conn, read_public(city.keys[name].read_bytes()), unit=unit, body=body)
        register(conn, read_public(dora.key.read_bytes()), unit=dora.unit, body=None)
        for path in (city.ivan_a, city.olga_a, city.ina_b, city.lena_a, dora.bundle):
            ingest(conn, path)


def connect(url: str) -> Any:
    return psycopg.connect(url, autocommit=True)
