"""One world per session for the fuzz targets (real keys, stores, a bundle and a workbook)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from gradesec.journal import keyfile
from tests.fuzz.world import World, build_world

# Bounded so the suite stays fast; bench/fuzz.py runs long campaigns. Derandomized: the same inputs each run.
EXAMPLES = int(os.environ.get("GRADESEC_FUZZ_EXAMPLES", "8"))
settings.register_profile(
    "fuzz",
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
FUZZ = settings.get_profile("fuzz")


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    saved = dict(os.environ)
    with keyfile.use_test_kdf():
        yield build_world(tmp_path_factory.mktemp("fuzz-world"))
    os.environ.clear()
    os.environ.update(saved)
