"""Times as people read them: the machine's local time, with its offset from UTC.

The journal stores every moment in UTC (``2026-12-02T02:05:00.000Z``); what a person reads on the command line,
in the terminal UI or in a PDF is the same moment in the local time zone, with the offset so that it is never
ambiguous: ``2026-12-02 10:05 (UTC+08:00)``. One helper for all of them, so they never disagree.

The zone is the machine's (``TZ`` and the system setting, as ``time.localtime`` sees them), or ``tz`` when a
caller passes one (tests pass a fixed zone instead of changing the process's).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo


def to_datetime(at: str | datetime) -> datetime | None:
    """A journal time (``…Z`` or with an offset) or a datetime as an aware datetime; None if unreadable."""
    if isinstance(at, datetime):
        moment = at
    else:
        text = at.strip()
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def offset_label(offset: timedelta | None) -> str:
    """``UTC+08:00``, ``UTC-03:30``, ``UTC+00:00``."""
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def local_time(at: str | datetime, tz: tzinfo | None = None, *, seconds: bool = False) -> str:
    """``at`` in local time with its offset: ``2026-12-02 10:05 (UTC+08:00)``.

    A text that is not a time (an empty field, a date alone) is returned as it is: a date has no zone.
    """
    moment = to_datetime(at)
    if moment is None or (isinstance(at, str) and "T" not in at and " " not in at.strip()):
        return at if isinstance(at, str) else str(at)
    local = moment.astimezone(tz) if tz is not None else moment.astimezone()
    shown = local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    return f"{shown} ({offset_label(local.utcoffset())})"


def local_date(at: str | datetime, tz: tzinfo | None = None) -> str:
    """The local calendar day of ``at`` (``2026-12-01T20:00Z`` is ``2026-12-02`` in Shanghai)."""
    moment = to_datetime(at)
    if moment is None:
        return at if isinstance(at, str) else str(at)
    local = moment.astimezone(tz) if tz is not None else moment.astimezone()
    return local.strftime("%Y-%m-%d")


def now_local(tz: tzinfo | None = None) -> str:
    return local_time(datetime.now(UTC), tz)
