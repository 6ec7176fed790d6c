"""Every parser the command line reaches, fed hostile inputs (a bounded number each, derandomized): each input
succeeds or is refused with a clear error (exit 1/2) and the store unchanged — never a crash.

The targets and their strategies are in ``targets``; ``bench/fuzz.py`` runs them for long campaigns."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import FUZZ
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
