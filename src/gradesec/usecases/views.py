"""Read models the use cases return: everything a screen or a report shows about one inspection."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gradesec.assess.model import (
    Asset,
    Disagreement,
    Finding,
    Inspection,
    Issue,
    Progress,
    SnapshotItem,
    System,
    Unit,
)

if TYPE_CHECKING:
    from gradesec.catalog.loader import ResolvedItem


@dataclass(frozen=True)
class InspectionView:
    """One inspection with what it is about and everything recorded so far.

    ``items`` is the pinned snapshot (what scoring uses); ``resolved`` maps item ids to the catalog's current
    wording at the inspection's level (an id missing there was removed from the catalog since). ``findings``
    holds the current revision per (item, asset). ``catalog_changed`` lists the pinned files whose content has
    changed since the inspection opened.
    """

    inspection: Inspection
    system: System
    unit: Unit | None
    assets: tuple[Asset, ...]
    items: tuple[SnapshotItem, ...]
    resolved: dict[str, ResolvedItem]
    findings: dict[tuple[str, str], Finding]
    issues: tuple[Issue, ...]
    progress: Progress
    disagreements: tuple[Disagreement, ...]
    catalog_changed: tuple[str, ...] = ()
    asset_by_id: dict[str, Asset] = field(default_factory=dict)

    def applicable_assets(self, item: SnapshotItem) -> list[Asset]:
        """The inspection's assets this item applies to (by object kind)."""
        return [a for a in self.assets if a.kind in item.objects]

    def as_json(self) -> dict[str, Any]:
        insp = self.inspection
        return {
            "id": insp.id,
            "title": insp.title,
            "status": insp.status,
            "system": {"id": self.system.id, "name": self.system.name, "level": self.system.level},
            "unit": None if self.unit is None else {"id": self.unit.id, "name": self.unit.name},
            "profile": insp.profile_id,
            "policy": insp.policy_id,
            "policies": sorted(insp.policies),
            "level": insp.level,
            "opened_by": insp.opened_by,
            "opened_at": insp.opened_at,
            "closed_at": insp.closed_at,
            "reopen_reason": insp.reopen_reason,
            "pins": insp.pins,
            "catalog_sha256": insp.catalog_sha256,
            "catalog_changed": list(self.catalog_changed),
            "assets": [
                {"id": a.id, "kind": a.kind, "name": a.name, "address": a.address} for a in self.assets
            ],
            "items": len(self.items),
            "progress": self.progress.as_json(),
            "findings": len(self.findings),
            "issues": [issue_json(i) for i in self.issues],
            "disagreements": [
                {"item": d.item_id, "asset": d.asset_id, "results": d.results} for d in self.disagreements
            ],
        }


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "inspection": f.inspection_id,
        "item": f.item_id,
        "asset": f.asset_id,
        "result": f.result,
        "revision": f.revision,
        "author": f.author,
        "at": f.at,
        "event": f.event_hash,
        "note": f.note,
        "method": f.method,
        "na_reason": f.na_reason,
        "evidence": [
            {"sha256": e.sha256, "name": e.name, "size": e.size, "media_type": e.media_type}
            for e in f.evidence
        ],
        "resolution": f.resolution,
    }


def issue_json(i: Issue) -> dict[str, Any]:
    return {
        "item": i.item_id,
        "asset": i.asset_id,
        "result": i.result,
        "risk": i.risk,
        "suggested": i.suggested,
        "effective": i.effective,
        "cases": list(i.cases),
        "compensation": i.compensation,
        "reason": i.reason,
        "major": i.major,
        "mitigations": [{"case": c, "id": m} for c, m in i.mitigations],
        "rated_by": i.rated_by,
        "rated_at": i.rated_at,
    }
