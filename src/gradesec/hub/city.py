"""The city on one day: every unit's figures and evaluation, the districts, and the lists the office acts on.

One read of the projections (``hub/queries.py``) gives a ``CitySnapshot`` of plain values; the dashboard
(``tui/hub``) and the city reports (``report/city``) only read snapshots, so neither touches SQL. A district is
a unit's ``region``; the department filter matches a unit's name or code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from gradesec.hub import queries
from gradesec.hub.evaluation import Evaluation, Policy, UnitFigures, evaluate

LATE_LIST = 500  # overdue remediation items listed (oldest first); every one is counted


@dataclass(frozen=True)
class UnitRow:
    id: str
    name: str
    code: str
    district: str
    systems: int
    figures: UnitFigures
    inspections_held: int  # inspections first closed this year
    evaluation: Evaluation

    @property
    def score(self) -> float:
        return self.evaluation.score


@dataclass(frozen=True)
class DistrictRow:
    district: str
    units: int
    systems: int
    inspections_held: int
    overdue_inspections: int
    compliant_share: float  # of inspected systems, the share whose latest conclusion scores full marks
    high_risk: int
    overdue_remediation: int
    drills: int
    score: float  # mean of its units' scores


@dataclass(frozen=True)
class CitySnapshot:
    today: date
    policy: Policy
    units: Sequence[UnitRow]
    systems: Sequence[queries.SystemRow]
    due: Sequence[queries.Due]  # level 3+ systems, with the due date of their next inspection
    filings: Sequence[tuple[str, str, str, str]]  # (unit, system, filing no, expiry) expired or expiring
    overdue_items: Sequence[queries.RemediationRow]  # the LATE_LIST longest overdue (the counts are per unit)
    names: dict[str, str] = field(default_factory=dict)  # unit id -> name

    @property
    def year(self) -> int:
        return self.today.year

    def districts(self) -> list[str]:
        return sorted({u.district for u in self.units})

    def filtered(self, district: str | None = None, department: str | None = None) -> CitySnapshot:
        """The same day restricted to one district and/or units whose name or code contains ``department``."""
        text = (department or "").strip().casefold()
        keep = {
            u.id
            for u in self.units
            if (district is None or u.district == district)
            and (not text or text in u.name.casefold() or text in u.code.casefold())
        }
        return replace(
            self,
            units=[u for u in self.units if u.id in keep],
            systems=[s for s in self.systems if s.unit_id in keep],
            due=[d for d in self.due if d.unit_id in keep],
            filings=[f for f in self.filings if f[0] in keep],
            overdue_items=[r for r in self.overdue_items if r.unit_id in keep],
        )

    def by_level_and_conclusion(self) -> dict[tuple[int, str], int]:
        return dict(sorted(Counter((s.level, s.conclusion) for s in self.systems).items()))

    def overdue_remediation(self) -> int:
        """Every overdue remediation item of the units shown (the list holds at most ``LATE_LIST``)."""
        return sum(u.figures.overdue_remediation for u in self.units)

    def overdue_inspections(self) -> list[queries.Due]:
        return [d for d in self.due if d.overdue]

    def due_within(self, days: int) -> list[queries.Due]:
        """Not overdue, but due within ``days``."""
        limit = (self.today + timedelta(days=days)).isoformat()
        return [d for d in self.due if not d.overdue and d.due <= limit]

    def district_rows(self) -> list[DistrictRow]:
        out = []
        for name in self.districts():
            rows = [u for u in self.units if u.district == name]
            inspected = [c for u in rows for c in u.figures.conclusions if c != "none"]
            full = sum(1 for c in inspected if self.policy.conclusions.get(c, 0.0) >= 1.0)
            out.append(
                DistrictRow(
                    name,
                    len(rows),
                    sum(u.systems for u in rows),
                    sum(u.inspections_held for u in rows),
                    sum(u.figures.overdue_inspections for u in rows),
                    round(full / len(inspected), 4) if inspected else 0.0,
                    sum(u.figures.high_risk for u in rows),
                    sum(u.figures.overdue_remediation for u in rows),
                    sum(u.figures.drills for u in rows),
                    round(sum(u.score for u in rows) / len(rows) + 1e-9, 1),
                )
            )
        return out


def snapshot(conn: Any, today: date, policy: Policy) -> CitySnapshot:
    """Read the city as it stands on ``today`` and evaluate every unit with ``policy``."""
    units = queries.units(conn)
    systems = queries.systems(conn)
    due = queries.inspections_due(conn, today)
    filings = queries.filings_expiring(conn, today, policy.expiring_days)
    overdue_items = queries.overdue_remediation(conn, today, LATE_LIST)
    late = queries.overdue_remediation_by_unit(conn, today)
    high = queries.open_high_risk_by_unit(conn)
    drills = queries.drills_by_unit(conn, today.year)
    held = queries.inspections_held_by_unit(conn, today.year)

    per_unit: dict[str, list[queries.SystemRow]] = {}
    for s in systems:
        per_unit.setdefault(s.unit_id, []).append(s)
    overdue_due = Counter(d.unit_id for d in due if d.overdue)
    graded = Counter(d.unit_id for d in due)
    expired = Counter(f[0] for f in filings if f[3] < today.isoformat())
    expiring = Counter(f[0] for f in filings if f[3] >= today.isoformat())

    rows = []
    for u in units:
        mine = per_unit.get(u.id, [])
        figures = UnitFigures(
            graded=graded[u.id],
            overdue_inspections=overdue_due[u.id],
            conclusions=tuple(s.conclusion for s in mine),
            high_risk=high.get(u.id, 0),
            overdue_remediation=late.get(u.id, 0),
            filings=sum(1 for s in mine if s.filing_expires),
            filings_expired=expired[u.id],
            filings_expiring=expiring[u.id],
            drills=drills.get(u.id, 0),
        )
        rows.append(
            UnitRow(
                u.id,
                u.name,
                u.code,
                u.region,
                len(mine),
                figures,
                held.get(u.id, 0),
                evaluate(figures, policy),
            )
        )
    return CitySnapshot(
        today, policy, rows, systems, due, filings, overdue_items, {u.id: u.name for u in units}
    )


@dataclass(frozen=True)
class UnitPage:
    """One unit for the drill-down: its row of the snapshot and everything recorded about it."""

    unit: UnitRow
    systems: Sequence[queries.SystemRow]
    inspections: Sequence[queries.InspectionRow]
    remediation: Sequence[queries.RemediationRow]
    drills: Sequence[queries.DrillRow]
    policy: Policy


def unit_page(conn: Any, snap: CitySnapshot, unit_id: str) -> UnitPage:
    row = next(u for u in snap.units if u.id == unit_id)
    return UnitPage(
        row,
        [s for s in snap.systems if s.unit_id == unit_id],
        queries.unit_inspections(conn, unit_id),
        queries.unit_remediation(conn, unit_id),
        queries.unit_drills(conn, unit_id),
        snap.policy,
    )


def conclusion_label(code: str | None) -> str:
    """A conclusion code as a person reads it ("none": never inspected)."""
    from gradesec.i18n import t

    if not code or code == "none":
        return t("hubdash.conclusion.none")
    return t(f"assess.conclusion.{code}")


def district_label(name: str) -> str:
    from gradesec.i18n import t

    return name or t("hubdash.district.none")


class LiveCity:
    """The dashboard's source: the hub's connection, the evaluation day and the policy."""

    def __init__(self, conn: Any, today: date, policy: Policy) -> None:
        self.conn = conn
        self.today = today
        self.policy = policy

    def snapshot(self) -> CitySnapshot:
        return snapshot(self.conn, self.today, self.policy)

    def unit_page(self, snap: CitySnapshot, unit_id: str) -> UnitPage:
        return unit_page(self.conn, snap, unit_id)


def quarter_end(text: str) -> tuple[int, int, date]:
    """``2026Q4`` -> (2026, 4, 2026-12-31); raises ValueError for anything else."""
    value = text.strip().upper()
    if len(value) != 6 or value[4] != "Q" or not value[:4].isdigit() or value[5] not in "1234":
        raise ValueError(text)
    year, q = int(value[:4]), int(value[5])
    if year < 2000:
        raise ValueError(text)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return year, q, end - timedelta(days=1)


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"
