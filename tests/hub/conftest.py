"""One throwaway PostgreSQL cluster per test process (each xdist worker starts its own), one database per test."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.hub.devcluster import Cluster
from tests.hub.city import City, build_city
from tests.hub.dash_city import Dora, build_dora, fill_hub

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """Started once per process; fails (never skips) with the reason when PostgreSQL is missing or won't start."""
    root = Path(tempfile.mkdtemp(prefix="gradesec-pg-"))
    cluster = Cluster(root)
    try:
        cluster.start()
    except Exception as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"could not start a throwaway PostgreSQL for the hub tests: {exc}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def hub_url(pg_cluster: Cluster) -> str:
    """The URL of a fresh, empty database for this test."""
    name = f"t{next(_numbers)}"
    proc = pg_cluster.create_database(name)
    assert proc.returncode == 0, proc.stderr
    return pg_cluster.url(name)


@pytest.fixture(scope="session")
def hub_catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def city(tmp_path_factory: pytest.TempPathFactory, hub_catalog: Catalog) -> City:
    """Built once per process (fixed keys, frozen clocks, numbered ids); the tests only read its files."""
    return build_city(tmp_path_factory.mktemp("city"), hub_catalog)


@pytest.fixture(scope="session")
def dora(tmp_path_factory: pytest.TempPathFactory, hub_catalog: Catalog) -> Dora:
    return build_dora(tmp_path_factory.mktemp("dora"), hub_catalog)


@pytest.fixture(scope="session")
def city_hub(pg_cluster: Cluster, city: City, dora: Dora) -> str:
    """One database per process holding the whole small city (tests only read it)."""
    proc = pg_cluster.create_database("city")
    assert proc.returncode == 0, proc.stderr
    url = pg_cluster.url("city")
    fill_hub(url, city, dora)
    return url
