"""Everything a report needs, as plain data in one language.

``ReportData`` is what the PDF and XLSX builders read; they never touch the store, so they can be tested on
data built by hand and the TUI can build a report in a worker from a snapshot. ``report.collect`` fills it from
the use-case façade (``build_report_data``): texts are already picked in the report's language, times are
formatted for people, and every list is in the order the report prints it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

RESULTS: tuple[str, ...] = ("compliant", "partial", "noncompliant", "na")
RISKS: tuple[str, ...] = ("high", "medium", "low")


@dataclass(frozen=True)
class AssetInfo:
    id: str
    name: str
    kind: str  # object-kind id
    kind_name: str
    address: str = ""
    role: str = ""
    importance: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ItemInfo:
    """An applicable item as the report shows it (catalog order)."""

    id: str
    category: str
    control: str
    control_name: str
    text: str
    weight: float
    objects: tuple[str, ...]
    unit_id: str = ""
    guidance: str = ""
    letter: str = ""  # a, b … within the control point at the inspection's level
    extension: str = ""  # extension set (cloud, mobile, iot, ics, bigdata); empty for general requirements


@dataclass(frozen=True)
class ResultRow:
    """The current result of one item on one asset (``result`` None: not recorded yet)."""

    item_id: str
    asset_id: str
    result: str | None
    note: str = ""
    by: str = ""
    at: str = ""
    evidence: int = 0
    record: str = ""  # the result record alone (``note`` adds the n/a reason for the PDF)
    na_reason: str = ""
    method: str = ""
    evidence_refs: tuple[str, ...] = ()  # "name sha256" of each evidence file
    extends_scope: bool = False  # recorded on an object whose kind the catalog did not expect


@dataclass(frozen=True)
class CategoryInfo:
    code: str
    name: str
    cls: str
    score: float | None
    items: int = 0


@dataclass(frozen=True)
class ControlInfo:
    id: str
    name: str
    category: str
    score: float | None
    items: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class IssueRow:
    """A problem (partial or non-compliant result) with its risk and what to do about it."""

    no: int
    item_id: str
    asset_id: str
    risk: str | None  # high | medium | low | None (not rated)
    result: str
    control_name: str
    item_text: str
    asset_name: str
    finding: str
    measure: str
    cases: tuple[str, ...] = ()
    major: bool = False
    owner: str = ""
    deadline: date | None = None
    status: str = ""


@dataclass(frozen=True)
class EvidenceRow:
    name: str
    size: int
    sha256: str
    by: str
    at: str
    item_id: str = ""
    asset_name: str = ""


@dataclass(frozen=True)
class SignerInfo:
    name: str
    role: str
    org: str
    key_id: str


@dataclass(frozen=True)
class HeadInfo:
    """The last event of one author's chain that the report rests on."""

    name: str
    key_id: str
    seq: int
    hash: str


@dataclass(frozen=True)
class CheckpointInfo:
    name: str
    key_id: str
    seq: int
    head: str
    count: int
    at: str


@dataclass(frozen=True)
class WitnessInfo:
    """The store's latest checkpoint when the report was made: what a reader keeps to prove later, with
    ``gradesec verify --witness HASH``, that the store was not rolled back or cut short before it."""

    key_id: str
    seq: int
    hash: str
    at: str

    @property
    def id(self) -> str:
        """The checkpoint's place: its author's key id and the event's number in that author's chain."""
        from gradesec.journal.keys import format_key_id

        return f"{format_key_id(self.key_id)} #{self.seq}"


@dataclass(frozen=True)
class Integrity:
    signers: tuple[SignerInfo, ...] = ()
    heads: tuple[HeadInfo, ...] = ()
    checkpoints: tuple[CheckpointInfo, ...] = ()
    events: int = 0
    store: str = ""
    witness: WitnessInfo | None = None


@dataclass
class ReportData:
    """One inspection, ready to print, in ``lang``."""

    lang: str
    inspection_id: str
    title: str
    status: str
    unit_name: str
    system_name: str
    system_description: str
    level: int
    organisation: str
    inspectors: tuple[str, ...]
    started: str
    closed: str
    generated: date
    profile_id: str
    profile_title: str
    policy_id: str
    policy_title: str
    catalog_sha256: str
    pins: dict[str, str]
    score: float | None
    conclusion_code: str
    conclusion: str
    compliance_rate: float | None  # a percentage, 0–100 (ScoreResult.compliance_rate)
    provisional: bool
    score_note: str
    result_counts: dict[str, int]
    issue_counts: dict[str, int]
    recorded: int
    applicable: int
    assets: list[AssetInfo]
    items: list[ItemInfo]
    categories: list[CategoryInfo]
    controls: list[ControlInfo]
    results: list[ResultRow]
    issues: list[IssueRow]
    evidence: list[EvidenceRow]
    integrity: Integrity
    remediation_days: dict[str, int] = field(default_factory=lambda: {"high": 14, "medium": 30, "low": 90})
    system_id: str = ""
    filing_no: str = ""
    wording: str = ""  # which wording the item texts are in (gradesec's own, or the user's official layer)
    scope_extensions: int = 0  # results recorded beyond the object kinds the catalog expects

    def asset(self, asset_id: str) -> AssetInfo | None:
        for asset in self.assets:
            if asset.id == asset_id:
                return asset
        return None

    def results_by_asset(self) -> dict[str, list[ResultRow]]:
        """Each asset's rows in catalog order of the items."""
        order = {item.id: i for i, item in enumerate(self.items)}
        out: dict[str, list[ResultRow]] = {a.id: [] for a in self.assets}
        for row in self.results:
            out.setdefault(row.asset_id, []).append(row)
        for rows in out.values():
            rows.sort(key=lambda r: order.get(r.item_id, len(order)))
        return out

    def deadline(self, issue: IssueRow) -> date | None:
        """The issue's deadline: the one set in remediation, else the report date plus the default for its risk."""
        if issue.deadline is not None:
            return issue.deadline
        days = self.remediation_days.get(issue.risk or "")
        return self.generated + timedelta(days=days) if days else None

    def issues_by_risk(self) -> Iterator[tuple[str | None, list[IssueRow]]]:
        """Issues grouped high → medium → low → not rated, each group in report order."""
        for risk in (*RISKS, None):
            group = [i for i in self.issues if i.risk == risk]
            if group:
                yield risk, group
