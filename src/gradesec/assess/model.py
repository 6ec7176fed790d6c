"""Domain objects of an inspection, as the use cases hand them to the TUI, reports and remediation.

They are plain frozen dataclasses built from state rows at the store boundary; nothing here knows about SQL.
Times are the journal's wire form (``2026-11-24T09:30:00.123Z``); authors are key ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

ResultValue: TypeAlias = Literal["compliant", "partial", "noncompliant", "na"]
Risk: TypeAlias = Literal["high", "medium", "low"]
InspectionStatus: TypeAlias = Literal["open", "closed"]

RESULT_VALUES: tuple[ResultValue, ...] = ("compliant", "partial", "noncompliant", "na")
RISK_LEVELS: tuple[Risk, ...] = ("high", "medium", "low")
ISSUE_RESULTS: frozenset[str] = frozenset({"partial", "noncompliant"})
# Item result values (domain/mlps.md §3): not applicable is excluded from every mean.
RESULT_SCORE: dict[str, float] = {"compliant": 1.0, "partial": 0.5, "noncompliant": 0.0}
RISK_RANK: dict[str, int] = {"low": 1, "medium": 2, "high": 3}
# An asset's importance (重要程度 in the report template's asset tables): 关键 / 重要 / 一般. Empty means 一般.
IMPORTANCE: tuple[str, ...] = ("key", "important", "general")
_IMPORTANCE_WORDS: dict[str, str] = {
    "key": "key",
    "关键": "key",
    "important": "important",
    "重要": "important",
    "general": "general",
    "一般": "general",
    "": "general",
}


def importance_code(value: str) -> str | None:
    """The importance code of ``value`` (a code or its Chinese word, any case); None when it is neither."""
    return _IMPORTANCE_WORDS.get(value.strip().lower())


def importance_of(value: str) -> str:
    """The importance code an asset scores with: unknown or empty text (older stores) counts as general."""
    return importance_code(value) or "general"


@dataclass(frozen=True)
class Unit:
    """The organisation that runs systems (被测单位)."""

    id: str
    name: str
    code: str = ""
    region: str = ""
    contact: str = ""
    author: str = ""
    at: str = ""


@dataclass(frozen=True)
class System:
    """A graded object (定级对象) of a unit, with its protection level."""

    id: str
    unit_id: str
    name: str
    level: int
    extensions: tuple[str, ...] = ()
    filing_no: str = ""
    description: str = ""
    grading: dict[str, Any] | None = None
    author: str = ""
    at: str = ""
    conditions: tuple[str, ...] = ()  # 业务连续性要求高, 关键行业 … (catalog.models.SYSTEM_CONDITIONS)


@dataclass(frozen=True)
class Asset:
    """One thing an item is assessed on; ``kind`` is one of the catalog's object kinds."""

    id: str
    system_id: str
    kind: str
    name: str
    address: str = ""
    role: str = ""
    importance: str = ""  # key / important / general (关键 / 重要 / 一般); empty in older stores: general
    notes: str = ""
    author: str = ""
    at: str = ""
    version: str = ""


@dataclass(frozen=True)
class SnapshotItem:
    """An applicable item as pinned when the inspection opened: enough to score it without the catalog."""

    id: str
    category: str
    category_class: Literal["technical", "management"]
    control: str
    weight: float
    objects: tuple[str, ...]
    order: int = 0
    extension: str = ""  # extension set (cloud, mobile, iot, ics, bigdata); empty for general requirements

    def applies_to(self, kind: str) -> bool:
        return kind in self.objects


@dataclass(frozen=True)
class PolicySnapshot:
    """A scoring policy as pinned when the inspection opened."""

    id: str
    method: str
    params: dict[str, Any]
    sha256: str = ""
    title: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Inspection:
    id: str
    system_id: str
    profile_id: str
    policy_id: str
    level: int
    asset_ids: tuple[str, ...]
    items: tuple[SnapshotItem, ...]
    policies: dict[str, PolicySnapshot]
    pins: dict[str, str]
    catalog_sha256: str
    high_risk_id: str | None = None
    title: str = ""
    status: InspectionStatus = "open"
    opened_by: str = ""
    opened_at: str = ""
    closed_at: str | None = None
    closed_by: str | None = None
    reopen_reason: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class EvidenceRef:
    """A blob in the store's evidence folder, named as it was attached."""

    sha256: str
    name: str
    size: int
    media_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Finding:
    """One revision of the result for one item on one asset."""

    inspection_id: str
    item_id: str
    asset_id: str
    result: ResultValue
    revision: int
    author: str
    at: str
    event_hash: str
    note: str = ""
    method: str | None = None
    na_reason: str = ""
    evidence: tuple[EvidenceRef, ...] = ()
    resolution: bool = False
    resolves: tuple[str, ...] = ()
    # Recorded on an object of a kind the catalog did not expect for the item (decided when recorded and kept
    # in the event); None for revisions recorded before gradesec kept it (readers derive it then).
    scope_extension: bool | None = None


@dataclass(frozen=True)
class Disagreement:
    """Two or more people's latest results for one item and asset differ, and no reviewer has ruled."""

    inspection_id: str
    item_id: str
    asset_id: str
    results: dict[str, str]  # author key id -> their latest result
    hashes: tuple[str, ...]  # the events in conflict, for finding.resolved


@dataclass(frozen=True)
class Issue:
    """A partial or non-compliant result: a problem with a risk level.

    ``suggested`` is *high* when a high-risk case of the catalog matches the level, item and result;
    ``risk`` is what the inspector set (None until rated). ``effective`` is what scoring uses.
    """

    inspection_id: str
    item_id: str
    asset_id: str
    result: ResultValue
    suggested: Risk | None
    cases: tuple[str, ...]
    risk: Risk | None = None
    compensation: str = ""
    reason: str = ""
    major: bool = False
    rated_by: str | None = None
    rated_at: str | None = None
    mitigations: tuple[tuple[str, str], ...] = ()  # (case, mitigation id) named for a downgrade

    @property
    def effective(self) -> Risk | None:
        return self.risk if self.risk is not None else self.suggested

    @property
    def downgraded(self) -> bool:
        return (
            self.risk is not None
            and self.suggested is not None
            and RISK_RANK[self.risk] < RISK_RANK[self.suggested]
        )


@dataclass(frozen=True)
class Progress:
    """Item×asset pairs with a result, out of the pairs that apply."""

    recorded: int
    applicable: int
    by_category: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.recorded / self.applicable if self.applicable else 0.0

    @property
    def complete(self) -> bool:
        return self.applicable > 0 and self.recorded >= self.applicable

    def as_json(self) -> dict[str, Any]:
        return {
            "recorded": self.recorded,
            "applicable": self.applicable,
            "ratio": round(self.ratio, 4),
            "by_category": {k: {"recorded": r, "applicable": a} for k, (r, a) in self.by_category.items()},
        }


def applicable_pairs(items: tuple[SnapshotItem, ...] | list[SnapshotItem], assets: list[Asset]) -> int:
    """How many item×asset pairs apply (an item applies to an asset when the asset's kind is in its objects)."""
    by_kind: dict[str, int] = {}
    for asset in assets:
        by_kind[asset.kind] = by_kind.get(asset.kind, 0) + 1
    return sum(by_kind.get(kind, 0) for item in items for kind in item.objects)


def progress_of(
    items: tuple[SnapshotItem, ...] | list[SnapshotItem],
    assets: list[Asset],
    recorded: set[tuple[str, str]] | dict[tuple[str, str], Any],
) -> Progress:
    """Progress of an inspection: ``recorded`` holds the (item, asset) pairs that have a current result."""
    kind_of = {a.id: a.kind for a in assets}
    by_kind: dict[str, int] = {}
    for asset in assets:
        by_kind[asset.kind] = by_kind.get(asset.kind, 0) + 1
    item_by_id = {i.id: i for i in items}
    per_cat: dict[str, list[int]] = {}
    for item in items:
        entry = per_cat.setdefault(item.category, [0, 0])
        entry[1] += sum(by_kind.get(kind, 0) for kind in item.objects)
    done = 0
    for item_id, asset_id in recorded:
        snap = item_by_id.get(item_id)
        kind = kind_of.get(asset_id)
        if snap is None or kind is None or kind not in snap.objects:
            continue
        done += 1
        per_cat[snap.category][0] += 1
    total = sum(a for _r, a in per_cat.values())
    return Progress(done, total, {k: (r, a) for k, (r, a) in per_cat.items()})
