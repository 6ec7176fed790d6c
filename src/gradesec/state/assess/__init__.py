"""State of inspections: units, systems, assets, inspections, finding revisions, current findings, issue ratings.

Three modules, one responsibility each, re-exported here under the names callers use
(``from gradesec.state import assess as db_assess``; ``db_assess.list_units(db)`` …):

- ``tables``: the SQLModel tables;
- ``projectors``: the event kinds and their projectors (order-insensitive across authors; ``recompute_pair``
  renumbers an item×asset pair from all its revisions);
- ``reads``: read functions turning rows into ``gradesec.assess.model`` objects, and ``reader``, a read-only
  connection of its own.

``gradesec.state.STATE_MODULES`` lists ``tables`` and ``projectors``; importing this package imports both too.
"""

from __future__ import annotations

from gradesec.state.assess.projectors import recompute_pair
from gradesec.state.assess.reads import (
    current_findings,
    current_results,
    disagreements,
    finding_history,
    get_asset,
    get_inspection,
    get_system,
    get_unit,
    head_hashes,
    inspection_cases,
    issue_ratings,
    list_assets,
    list_inspections,
    list_systems,
    list_units,
    reader,
    revisions_by_hash,
)
from gradesec.state.assess.tables import (
    AssetRow,
    FindingCurrentRow,
    FindingRevisionRow,
    InspectionAssetRow,
    InspectionRow,
    IssueRatingRow,
    SystemConditionRow,
    SystemRow,
    UnitRow,
)

__all__ = [
    "AssetRow",
    "FindingCurrentRow",
    "FindingRevisionRow",
    "InspectionAssetRow",
    "InspectionRow",
    "IssueRatingRow",
    "SystemConditionRow",
    "SystemRow",
    "UnitRow",
    "current_findings",
    "current_results",
    "disagreements",
    "finding_history",
    "get_asset",
    "get_inspection",
    "get_system",
    "get_unit",
    "head_hashes",
    "inspection_cases",
    "issue_ratings",
    "list_assets",
    "list_inspections",
    "list_systems",
    "list_units",
    "reader",
    "recompute_pair",
    "revisions_by_hash",
]
