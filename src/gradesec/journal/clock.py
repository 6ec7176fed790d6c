"""Injectable clocks. Event times are UTC with millisecond precision: ``2026-11-24T09:30:00.123Z``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeAlias

Clock: TypeAlias = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


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
