"""Injectable clocks. Event times are UTC with millisecond precision: ``2026-11-24T09:30:00.123Z``.

Event times are shown to people; they never decide which of two revisions wins (see ``state.assess``).

Code that needs "now" and was given no clock asks :func:`default_clock`. That is the machine's clock, unless a
test installed a frozen one with :func:`install_default`, so one fixture gives every store, context and app in
a test the same clock. Reading the real time while a frozen clock is in use is reported to an observer that the
test suite installs (``watch_real_time``): mixing the two is how time bombs get into tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeAlias

Clock: TypeAlias = Callable[[], datetime]

_default: Clock | None = None
_real_time_observer: Callable[[], None] | None = None


def system_clock() -> datetime:
    """The machine's clock."""
    if _default is not None and _real_time_observer is not None:
        _real_time_observer()
    return datetime.now(UTC)


def default_clock() -> Clock:
    """The clock to use when none was given: an installed one (tests), else the machine's."""
    return _default if _default is not None else system_clock


def install_default(clock: Clock | None) -> None:
    """Make ``clock`` the default for everything that was given none (``None`` restores the machine's)."""
    global _default
    _default = clock


def watch_real_time(observer: Callable[[], None] | None) -> None:
    """Call ``observer`` whenever the real time is read while a default clock is installed."""
    global _real_time_observer
    _real_time_observer = observer


def format_at(moment: datetime) -> str:
    """The wire form of a moment (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class FrozenClock:
    """A test clock: returns ``start``, then moves forward by ``step`` on every call (so events stay ordered)."""

    def __init__(
        self, start: datetime | str = "2026-11-24T09:30:00.000Z", step: timedelta | None = None
    ) -> None:
        if isinstance(start, str):
            start = datetime.fromisoformat(start.replace("Z", "+00:00"))
        self.now = start if start.tzinfo else start.replace(tzinfo=UTC)
        self.step = timedelta(milliseconds=1) if step is None else step
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            current = self.now
            self.now = current + self.step
            return current
