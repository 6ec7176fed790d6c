"""The drill clock: scenario time that runs in real time, can be paused, and can run faster than real time.

Drill time is what the scenario's offsets and deadlines are measured in. It advances with the time source
(monotonic seconds) multiplied by the speed, and stands still while paused. The time source is injectable so
that a test, or a scripted rehearsal, can move time by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable

TimeSource = Callable[[], float]


class ManualTime:
    """A time source moved by hand (tests, scripted runs)."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class DrillClock:
    """Elapsed drill time in milliseconds. Starts paused at ``elapsed_ms`` until ``resume`` is called."""

    def __init__(self, source: TimeSource = time.monotonic, speed: float = 1.0, elapsed_ms: int = 0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._source = source
        self._speed = speed
        self._base_ms = elapsed_ms
        self._since: float | None = None  # source reading when the clock last started running

    @property
    def running(self) -> bool:
        return self._since is not None

    @property
    def speed(self) -> float:
        return self._speed

    def elapsed_ms(self) -> int:
        if self._since is None:
            return self._base_ms
        return self._base_ms + round((self._source() - self._since) * 1000 * self._speed)

    def resume(self) -> None:
        if self._since is None:
            self._since = self._source()

    def pause(self) -> None:
        if self._since is not None:
            self._base_ms = self.elapsed_ms()
            self._since = None

    def set_speed(self, speed: float) -> None:
        """Change the speed from now on (time already elapsed keeps its value)."""
        if speed <= 0:
            raise ValueError("speed must be positive")
        was_running = self.running
        self.pause()
        self._speed = speed
        if was_running:
            self.resume()

    def jump_to(self, elapsed_ms: int) -> None:
        """Set drill time (forward only: drill time never runs backwards)."""
        if elapsed_ms < self.elapsed_ms():
            raise ValueError("drill time cannot go back")
        was_running = self.running
        self.pause()
        self._base_ms = elapsed_ms
        if was_running:
            self.resume()


def format_elapsed(ms: int | None) -> str:
    """``h:mm:ss`` (or ``mm:ss`` under an hour) for a drill time or duration; ``-`` for none."""
    if ms is None:
        return "-"
    sign = "-" if ms < 0 else ""
    total = abs(ms) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"
    return f"{sign}{minutes:02d}:{seconds:02d}"


def parse_elapsed(value: str | int | float) -> int:
    """Drill time from a script: a number of minutes, or ``mm:ss`` / ``h:mm:ss``. Returns milliseconds."""
    if isinstance(value, bool):
        raise ValueError("not a time")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError("negative time")
        return round(value * 60_000)
    parts = value.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(p.strip().replace(".", "", 1).isdigit() for p in parts):
        raise ValueError(f"not a time: {value!r}")
    if len(parts) == 1:
        return round(float(parts[0]) * 60_000)
    numbers = [float(p) for p in parts]
    seconds = 0.0
    for n in numbers:
        seconds = seconds * 60 + n
    return round(seconds * 1000)
