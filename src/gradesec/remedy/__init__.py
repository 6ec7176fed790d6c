"""Remediation tracking as pure domain logic: the item lifecycle, who may do what, deadlines and overdue rules.

An item's current state is a fold over its log (the ``remediation.*`` events about it, ordered by time and
hash), so two parties' logs merged in any order give the same item. Nothing here touches SQL or a UI.
"""

from __future__ import annotations

from gradesec.remedy.lifecycle import (
    Figures,
    allowed,
    default_deadline,
    effective_status,
    figures,
    fold,
    is_overdue,
    may,
    next_statuses,
)
from gradesec.remedy.model import (
    ACTIONS,
    RETEST_OUTCOMES,
    RISKS,
    STATUSES,
    Acceptance,
    Action,
    Item,
    LogEntry,
    RetestOutcome,
    Risk,
    Status,
)

__all__ = [
    "ACTIONS",
    "RETEST_OUTCOMES",
    "RISKS",
    "STATUSES",
    "Acceptance",
    "Action",
    "Figures",
    "Item",
    "LogEntry",
    "RetestOutcome",
    "Risk",
    "Status",
    "allowed",
    "default_deadline",
    "effective_status",
    "figures",
    "fold",
    "is_overdue",
    "may",
    "next_statuses",
]
