"""State tables of inspections: units, systems (and their conditions), assets, inspections and their scope,
finding revisions, current findings, issue ratings.

SQLModel classes on the shared metadata; ``projectors`` fills them, ``reads`` turns rows into
``gradesec.assess.model`` objects.
"""

from __future__ import annotations

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class UnitRow(SQLModel, table=True):
    __tablename__ = "unit"

    id: str = Field(primary_key=True)
    name: str
    code: str
    region: str
    contact: str
    author: str
    at: str
    event_hash: str


class SystemRow(SQLModel, table=True):
    __tablename__ = "system"

    id: str = Field(primary_key=True)
    unit_id: str = Field(index=True)
    name: str
    level: int
    extensions: str  # JSON list
    filing_no: str
    description: str
    grading: str  # JSON object or "null"
    author: str
    at: str
    event_hash: str


class SystemConditionRow(SQLModel, table=True):
    """The current conditions of a system (业务连续性要求高, 关键行业 …): set at creation, changed by
    ``system.conditions_set``; the latest event (by time, then hash) wins."""

    __tablename__ = "system_condition"

    system_id: str = Field(primary_key=True)
    conditions: str  # JSON list, sorted
    author: str
    at: str
    event_hash: str


class AssetRow(SQLModel, table=True):
    __tablename__ = "asset"

    id: str = Field(primary_key=True)
    system_id: str = Field(index=True)
    kind: str
    name: str
    address: str
    role: str
    importance: str
    notes: str
    author: str
    at: str
    event_hash: str
    version: str = ""  # software/firmware version; from asset.added (optional) or asset.updated


class InspectionRow(SQLModel, table=True):
    __tablename__ = "inspection"

    id: str = Field(primary_key=True)
    system_id: str = Field(index=True)
    profile_id: str
    policy_id: str
    level: int
    title: str
    snapshot: str  # JSON: items, policies, cases, pins, catalog hash
    opened_by: str
    opened_at: str
    event_hash: str
    status: str
    status_at: str
    status_hash: str
    status_by: str
    status_seq: int = 0  # with status_at and status_by, which status event is the latest (see _set_status)
    reopen_reason: str | None = None
    closed_at: str | None = None
    closed_by: str | None = None


class InspectionAssetRow(SQLModel, table=True):
    __tablename__ = "inspection_asset"

    inspection_id: str = Field(primary_key=True)
    asset_id: str = Field(primary_key=True)
    at: str
    event_hash: str


class FindingRevisionRow(SQLModel, table=True):
    """Every result ever recorded (and every reviewer's ruling), newest revision numbered highest."""

    __tablename__ = "finding_revision"
    # Every write recomputes its pair from the pair's revisions: without this index that is a scan of the
    # inspection's revisions per event (quadratic in a batch import).
    __table_args__ = (Index("finding_revision_pair", "inspection_id", "item_id", "asset_id"),)

    event_hash: str = Field(primary_key=True)
    inspection_id: str = Field(index=True)
    item_id: str
    asset_id: str
    result: str
    note: str
    method: str | None = None
    na_reason: str
    evidence: str  # JSON list of {sha256, name, size, media_type}
    resolution: bool
    resolves: str  # JSON list of event hashes
    supersedes: str  # JSON list of the event hashes this revision supersedes by name (resolves included)
    author: str
    seq: int
    at: str
    revision: int
    head: bool  # nobody superseded it: a current revision (several when people recorded concurrently)
    # The event's ``scope_extension`` (an object of a kind the catalog did not expect); NULL when the event
    # does not say (recorded before the field existed).
    scope_extension: bool | None = None


class FindingCurrentRow(SQLModel, table=True):
    """The latest revision per inspection, item and asset, and whether it is disputed."""

    __tablename__ = "finding_current"

    inspection_id: str = Field(primary_key=True)
    item_id: str = Field(primary_key=True)
    asset_id: str = Field(primary_key=True)
    result: str
    revision: int
    author: str
    at: str
    event_hash: str
    disputed: bool
    dispute: str  # JSON {author: result} of the people who disagree, "{}" when not disputed


class IssueRatingRow(SQLModel, table=True):
    __tablename__ = "issue_rating"

    inspection_id: str = Field(primary_key=True)
    item_id: str = Field(primary_key=True)
    asset_id: str = Field(primary_key=True)
    risk: str
    suggested: str | None = None
    cases: str  # JSON list of case ids that matched when rated
    compensation: str
    reason: str
    major: bool
    mitigations: str = "[]"  # JSON list of {case, id}: the mitigations named for a downgrade (optional field)
    author: str
    at: str
    event_hash: str
