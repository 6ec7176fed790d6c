"""Remediation items and their log, as plain frozen dataclasses (no SQL, no UI).

An item has the five elements of an MLPS remediation entry (domain/mlps.md §7): the problem, its risk, the
measure, the owner (department and person) and the deadline; plus a status and an append-only log. Times are
the journal's wire form (``2026-11-24T09:30:00.123Z``); dates are ISO days (``2026-12-08``); authors are key ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

Status: TypeAlias = Literal["open", "in_progress", "fixed", "verified", "reopened", "accepted"]
Action: TypeAlias = Literal["plan", "assign", "start", "fix", "note", "accept", "verify", "reopen"]
Risk: TypeAlias = Literal["high", "medium", "low"]
RetestOutcome: TypeAlias = Literal["verified", "partial", "not_fixed"]
Role: TypeAlias = Literal["inspector", "officer", "lead", "reviewer"]

STATUSES: tuple[Status, ...] = ("open", "in_progress", "fixed", "reopened", "accepted", "verified")
ACTIONS: tuple[Action, ...] = ("plan", "assign", "start", "fix", "note", "accept", "verify", "reopen")
RISKS: tuple[Risk, ...] = ("high", "medium", "low")
RETEST_OUTCOMES: tuple[RetestOutcome, ...] = ("verified", "partial", "not_fixed")
RISK_RANK: dict[str, int] = {"low": 1, "medium": 2, "high": 3}
# Statuses in which the unit still owes work: these count against the deadline.
PENDING: frozenset[str] = frozenset({"open", "in_progress", "reopened"})
# Fields an ``assign`` (or a later ``plan``) may change.
PLAN_FIELDS: tuple[str, ...] = ("problem", "risk", "measure", "owner_dept", "owner_person", "deadline")
DEFAULT_DAYS: dict[str, int] = {"high": 14, "medium": 30, "low": 90}


@dataclass(frozen=True)
class Acceptance:
    """A risk the unit accepts for a while: why, who approved it, and until when (inclusive)."""

    justification: str
    approver: str
    expires: str  # ISO date

    def as_json(self) -> dict[str, str]:
        return {"justification": self.justification, "approver": self.approver, "expires": self.expires}

    @staticmethod
    def from_json(data: Any) -> Acceptance | None:
        if not isinstance(data, dict):
            return None
        return Acceptance(
            str(data.get("justification", "")), str(data.get("approver", "")), str(data["expires"])
        )


@dataclass(frozen=True)
class LogEntry:
    """One signed change to an item. ``applied`` is False when the change did not fit the lifecycle at the
    point where it falls in the merged log (two parties acted on the item at once); ``reason`` says why."""

    at: str
    author: str
    event_hash: str
    action: Action
    note: str = ""
    evidence: tuple[str, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)
    acceptance: Acceptance | None = None
    outcome: RetestOutcome | None = None
    findings: tuple[str, ...] = ()
    seen: str | None = None  # the latest entry of the item's log its writer had seen (causal order)
    applied: bool = True
    reason: str = ""
    status_after: Status | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "at": self.at,
            "author": self.author,
            "event": self.event_hash,
            "action": self.action,
            "note": self.note,
            "evidence": list(self.evidence),
            "applied": self.applied,
            "status_after": self.status_after,
        }
        if self.fields:
            out["fields"] = dict(self.fields)
        if self.acceptance is not None:
            out["acceptance"] = self.acceptance.as_json()
        if self.outcome is not None:
            out["outcome"] = self.outcome
        if self.findings:
            out["findings"] = list(self.findings)
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class Item:
    """A remediation item as its log folds to."""

    id: str
    source: dict[str, str]
    problem: dict[str, str]
    risk: Risk
    measure: str = ""
    owner_dept: str = ""
    owner_person: str = ""
    deadline: str = ""
    status: Status = "open"
    acceptance: Acceptance | None = None
    inspection_id: str | None = None
    drill_id: str | None = None
    planned_by: str = ""
    planned_at: str = ""
    updated_at: str = ""
    retest: RetestOutcome | None = None
    log: tuple[LogEntry, ...] = ()
    conflicts: int = 0

    @property
    def source_kind(self) -> str:
        return self.source.get("kind", "manual")

    @property
    def evidence(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for entry in self.log:
            for sha in entry.evidence:
                seen.setdefault(sha, None)
        return tuple(seen)

    def title(self, lang: str) -> str:
        return self.problem.get(lang) or self.problem.get("en") or self.problem.get("zh") or self.id

    def as_json(self, today: str | None = None, *, with_log: bool = False) -> dict[str, Any]:
        from gradesec.remedy.lifecycle import effective_status, is_overdue

        out: dict[str, Any] = {
            "id": self.id,
            "source": dict(self.source),
            "inspection": self.inspection_id,
            "drill": self.drill_id,
            "problem": dict(self.problem),
            "risk": self.risk,
            "measure": self.measure,
            "owner_dept": self.owner_dept,
            "owner_person": self.owner_person,
            "deadline": self.deadline,
            "status": self.status,
            "acceptance": self.acceptance.as_json() if self.acceptance else None,
            "retest": self.retest,
            "planned_by": self.planned_by,
            "planned_at": self.planned_at,
            "updated_at": self.updated_at,
            "conflicts": self.conflicts,
            "evidence": list(self.evidence),
        }
        if today is not None:
            out["effective_status"] = effective_status(self, today)
            out["overdue"] = is_overdue(self, today)
        if with_log:
            out["log"] = [e.as_json() for e in self.log]
        return out
