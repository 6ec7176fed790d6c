"""Every parser the command line reaches, fed hostile inputs (a bounded number each, derandomized): each input
succeeds or is refused with a clear error (exit 1/2) and the store unchanged — never a crash.

The targets and their strategies are in ``targets``; ``bench/fuzz.py`` runs them for long campaigns."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import FUZZ
from tests.fuzz.direct import DIRECT, Direct, run_one
from tests.fuzz.targets import TARGETS
from tests.fuzz.world import World, import_bundle


def test_the_valid_inputs_are_accepted(world: World) -> None:
    """The starting points of the mutations are inputs the stores accept (so refusals are the mutations')."""
    import_bundle(world, world.bundle)
    import_bundle(world, world.sealed)


@pytest.mark.parametrize("name", sorted(TARGETS))
@FUZZ
@given(data=st.data())
def test_target(world: World, name: str, data: st.DataObject) -> None:
    strategy, run = TARGETS[name]
    run(world, data.draw(strategy(world)))


DIRECT_INPUTS = 40


@pytest.mark.parametrize("name", sorted(DIRECT))
def test_direct_target(world: World, name: str) -> None:
    """The in-process parser targets (bench/fuzz.py --direct): a seeded run of each, no crash, store intact."""
    d = Direct.build(world)
    try:
        rng = random.Random(name)
        crashes = [c for c in (run_one(d, name, rng) for _ in range(DIRECT_INPUTS)) if c is not None]
        assert crashes == []
        assert not d.store_changed()
    finally:
        d.close()


def test_direct_crash_is_reported(world: World) -> None:
    """An exception that is not a named refusal counts as a crash (the property can fail)."""
    d = Direct.build(world)
    try:

        def broken(_d: Direct, _rng: random.Random) -> None:
            raise KeyError("body")

        DIRECT["broken"] = (broken, False)
        assert run_one(d, "broken", random.Random(0)) == "KeyError: 'body'"
    finally:
        DIRECT.pop("broken", None)
        d.close()
