"""Which inspection an event is about, so a bundle can say what it carries and an importer can check it.

Event bodies name their inspection in the ``inspection`` field (findings, issues, remediation plans) or, for
the ``inspection.*`` kinds, in ``id``; remediation updates name only their item, whose plan names the
inspection. Everything else (keys, units, systems, assets, evidence, drills) belongs to no inspection.
"""

from __future__ import annotations

from typing import Any


class ScopeTracker:
    """Follows a stream of events and tells the inspection each one is about (or None)."""

    def __init__(self, known_items: dict[str, str] | None = None) -> None:
        # remediation item id -> inspection id, learnt from plans (and from the receiving store)
        self.items: dict[str, str] = dict(known_items or {})

    def inspection_of(self, kind: str, body: dict[str, Any]) -> str | None:
        value = body.get("inspection")
        if kind.startswith("inspection.") and value is None:
            value = body.get("id")
        if kind == "remediation.planned" and isinstance(value, str) and isinstance(body.get("id"), str):
            self.items[body["id"]] = value
        if kind in ("remediation.updated", "remediation.retested") and value is None:
            value = self.items.get(str(body.get("id")))
        return value if isinstance(value, str) and value else None
