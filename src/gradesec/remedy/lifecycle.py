"""The lifecycle rules: which action leads where, who may take it, deadlines, overdue and expiry, figures.

open → in_progress → fixed (the unit claims it) → verified (by re-test) or reopened; accepted (with a
justification, an approver and an expiry date) counts as open again from the day after it expires. An item's
state is ``fold(entries)``: the entries sorted by (at, event hash) and applied one by one, so the same log gives
the same item whatever order its events arrived in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from gradesec.remedy.model import (
    DEFAULT_DAYS,
    PENDING,
    PLAN_FIELDS,
    RISKS,
    STATUSES,
    Action,
    Item,
    LogEntry,
    Risk,
    Status,
)

# action -> (statuses it may start from, status it leads to; None keeps the status)
_ANY: frozenset[Status] = frozenset(STATUSES)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status | None]] = {
    "plan": (_ANY, None),
    "assign": (_ANY - {"verified"}, None),
    "note": (_ANY, None),
    "start": (frozenset({"open", "reopened", "fixed", "accepted"}), "in_progress"),
    "fix": (frozenset({"open", "in_progress", "reopened", "accepted"}), "fixed"),
    "accept": (frozenset({"open", "in_progress", "reopened", "fixed"}), "accepted"),
    "verify": (_ANY - {"verified"}, "verified"),
    "reopen": (_ANY, "reopened"),
}

# Who may take which action. The unit owns the work and its risk decisions; the inspector (or a reviewer, or
# the training lead for drill gaps) plans and re-tests, so nobody marks their own claim as verified.
PERMISSIONS: dict[Action, frozenset[str]] = {
    "plan": frozenset({"inspector", "lead", "reviewer"}),
    "assign": frozenset({"officer", "lead", "reviewer"}),
    "note": frozenset({"inspector", "officer", "lead", "reviewer"}),
    "start": frozenset({"officer", "lead"}),
    "fix": frozenset({"officer", "lead"}),
    "accept": frozenset({"officer", "reviewer"}),
    "verify": frozenset({"inspector", "lead", "reviewer"}),
    "reopen": frozenset({"inspector", "lead", "reviewer"}),
}


def may(role: str, action: Action) -> bool:
    """Whether someone of ``role`` may take ``action`` on an item."""
    return role in PERMISSIONS.get(action, frozenset())


def allowed(status: Status, action: Action) -> bool:
    """Whether ``action`` fits an item in ``status``."""
    starts, _ = TRANSITIONS[action]
    return status in starts


def next_statuses(status: Status) -> list[Status]:
    """The statuses an item in ``status`` can move to next."""
    out: list[Status] = []
    for starts, to in TRANSITIONS.values():
        if to is not None and status in starts and to != status and to not in out:
            out.append(to)
    return out


def day_of(at: str) -> str:
    """The ISO date of a journal time (``2026-11-24T09:30:00.123Z`` → ``2026-11-24``)."""
    return at[:10]


def default_deadline(planned_at: str, risk: str, days: Mapping[str, int] | None = None) -> str:
    """The deadline an item gets by default: the planning day plus the profile's days for its risk."""
    table = dict(DEFAULT_DAYS)
    table.update(days or {})
    start = date.fromisoformat(day_of(planned_at))
    return (start + timedelta(days=int(table.get(risk, DEFAULT_DAYS["low"])))).isoformat()


def acceptance_expired(item: Item, today: str) -> bool:
    return item.status == "accepted" and item.acceptance is not None and item.acceptance.expires < today


def effective_status(item: Item, today: str) -> Status:
    """The status as of ``today``: an accepted risk past its expiry date is open again."""
    if acceptance_expired(item, today):
        return "open"
    return item.status


def is_overdue(item: Item, today: str) -> bool:
    """Past its deadline while the unit still owes work (an expired acceptance owes work again)."""
    return bool(item.deadline) and item.deadline < today and effective_status(item, today) in PENDING


def days_left(item: Item, today: str) -> int | None:
    if not item.deadline:
        return None
    return (date.fromisoformat(item.deadline) - date.fromisoformat(today)).days


def _sort_key(entry: LogEntry) -> tuple[str, str]:
    return (entry.at, entry.event_hash)


def causal_order(entries: Iterable[LogEntry]) -> list[LogEntry]:
    """Entries in an order that respects what each writer had seen, then time, then hash.

    Clocks on two laptops disagree; an inspector's re-test must still fold after the unit's fix it re-tested.
    Every change names the latest entry its writer had seen (``seen``); an entry comes after the one it saw,
    and among entries whose predecessors are placed, the earliest (at, hash) goes first. The order depends
    only on the set of entries, never on the order they arrived in.
    """
    import heapq

    pool = {e.event_hash: e for e in entries}
    waiting: dict[str, list[LogEntry]] = {}
    ready: list[tuple[tuple[str, str], LogEntry]] = []
    for entry in pool.values():
        if entry.seen is not None and entry.seen in pool and entry.seen != entry.event_hash:
            waiting.setdefault(entry.seen, []).append(entry)
        else:
            heapq.heappush(ready, (_sort_key(entry), entry))
    out: list[LogEntry] = []
    while ready:
        _key, entry = heapq.heappop(ready)
        out.append(entry)
        for child in waiting.pop(entry.event_hash, []):
            heapq.heappush(ready, (_sort_key(child), child))
    # A cycle cannot be signed into existence (hashes), but stay total: place anything left by time.
    left = sorted((e for group in waiting.values() for e in group), key=_sort_key)
    return out + left


def fold(item_id: str, entries: Iterable[LogEntry], base: Mapping[str, Any] | None = None) -> Item | None:
    """The item that ``entries`` (its whole log, any order) describe, or None while it has not been planned.

    ``base`` gives the planning fields of the first ``plan`` entry's event (source, inspection, drill, problem,
    risk …) in the entry's ``fields``; later ``plan`` and ``assign`` entries revise them field by field.
    """
    ordered = causal_order(entries)
    planned = [e for e in ordered if e.action == "plan"]
    if not planned:
        return None
    first = planned[0]
    seed = {**(base or {}), **first.fields}
    risk = str(seed.get("risk", "medium"))
    item = Item(
        id=item_id,
        source={str(k): str(v) for k, v in dict(seed.get("source") or {"kind": "manual"}).items()},
        problem=_text(seed.get("problem")),
        risk=risk if risk in RISKS else "medium",  # type: ignore[arg-type]
        inspection_id=_opt(seed.get("inspection")),
        drill_id=_opt(seed.get("drill")),
        planned_by=first.author,
        planned_at=first.at,
    )
    status: Status = "open"
    log: list[LogEntry] = []
    conflicts = 0
    values: dict[str, Any] = {}
    for entry in ordered:
        starts, to = TRANSITIONS[entry.action]
        if status not in starts:
            conflicts += 1
            log.append(
                replace(entry, applied=False, reason=f"{entry.action} from {status}", status_after=status)
            )
            continue
        for key in PLAN_FIELDS:
            if key in entry.fields and entry.action in ("plan", "assign"):
                values[key] = entry.fields[key]
        if entry.action == "accept":
            item = replace(item, acceptance=entry.acceptance)
        elif to is not None and to != "accepted":
            item = replace(item, acceptance=None)
        if entry.action in ("verify", "reopen"):
            item = replace(
                item, retest=entry.outcome or ("verified" if entry.action == "verify" else "not_fixed")
            )
        if to is not None:
            status = to
        log.append(replace(entry, applied=True, reason="", status_after=status))
    risk_value = str(values.get("risk", item.risk))
    return replace(
        item,
        problem=_text(values["problem"]) if "problem" in values else item.problem,
        risk=risk_value if risk_value in RISKS else item.risk,  # type: ignore[arg-type]
        measure=str(values.get("measure", "")),
        owner_dept=str(values.get("owner_dept", "")),
        owner_person=str(values.get("owner_person", "")),
        deadline=str(values.get("deadline", "")),
        status=status,
        updated_at=max(e.at for e in ordered),
        log=tuple(log),
        conflicts=conflicts,
    )


def _text(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    text = "" if value is None else str(value)
    return {"zh": text, "en": text}


def _opt(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


@dataclass(frozen=True)
class Figures:
    """Progress at a glance: counts by (effective) status and risk, overdue, and the share closed."""

    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_risk: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    high_open: int = 0
    expired_acceptances: int = 0
    conflicts: int = 0

    @property
    def closed(self) -> int:
        return self.by_status.get("verified", 0) + self.by_status.get("accepted", 0)

    @property
    def closed_ratio(self) -> float:
        return self.closed / self.total if self.total else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_status": dict(self.by_status),
            "by_risk": dict(self.by_risk),
            "overdue": self.overdue,
            "high_open": self.high_open,
            "expired_acceptances": self.expired_acceptances,
            "conflicts": self.conflicts,
            "closed": self.closed,
            "closed_ratio": round(self.closed_ratio, 4),
        }


def figures(items: Sequence[Item], today: str) -> Figures:
    by_status: dict[str, int] = {s: 0 for s in STATUSES}
    by_risk: dict[str, int] = {r: 0 for r in RISKS}
    overdue = high_open = expired = conflicts = 0
    for item in items:
        status = effective_status(item, today)
        by_status[status] += 1
        by_risk[item.risk] += 1
        overdue += is_overdue(item, today)
        high_open += item.risk == "high" and status not in ("verified", "accepted")
        expired += acceptance_expired(item, today)
        conflicts += item.conflicts > 0
    return Figures(len(items), by_status, by_risk, overdue, high_open, expired, conflicts)


def risk_of(value: str) -> Risk:
    if value not in RISKS:
        raise ValueError(value)
    return value  # type: ignore[return-value]
