"""The test suite's one-clock rule: the frozen clock is everyone's default, and a real-time read is caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradesec.journal import clock as clocks
from gradesec.journal.clock import FrozenClock, system_clock
from gradesec.usecases.context import open_context
from tests.journal.conftest import make_signer


def test_stores_given_no_clock_use_the_tests_clock(clock: FrozenClock, tmp_path: Path) -> None:
    expected = clock.now
    with open_context(tmp_path / "s", signer=make_signer("Owner", "inspector"), create=True) as ctx:
        first = next(ctx.store.events())
    assert first.at[:19] == clocks.format_at(expected)[:19]  # the frozen clock steps 1 ms per read
    assert clocks.default_clock() is clock


def test_reading_the_real_time_while_frozen_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []
    monkeypatch.setattr(clocks, "_real_time_observer", lambda: reads.append(1))
    system_clock()
    assert reads == [1]
    monkeypatch.setattr(clocks, "_default", None)
    system_clock()  # no frozen clock installed: reading the machine's clock is what production does
    assert reads == [1]
