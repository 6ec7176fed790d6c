"""What the quarterly city report says, in the current language, whatever the format.

Built from a ``hub.city.CitySnapshot`` taken on the quarter's last day: the summary figures, the district and
unit tables, systems by level and conclusion, the three lists the office acts on (overdue inspections,
filings expired or expiring, overdue remediation) and the chart of district scores. The PDF, XLSX and DOCX
writers lay this out; none of them computes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gradesec.hub.city import CitySnapshot, conclusion_label, district_label
from gradesec.i18n import get_lang, t


@dataclass(frozen=True)
class Section:
    key: str  # a stable name (the XLSX sheet is chosen by it)
    title: str
    columns: list[str]
    rows: list[list[str | int | float]]
    empty: str  # what to say when there are no rows


@dataclass(frozen=True)
class CityReport:
    lang: str
    title: str
    meta: list[tuple[str, str]]
    summary: list[str]
    chart_title: str
    chart: list[tuple[str, float]]  # (district, mean score)
    sections: list[Section]


def _cols(*keys: str) -> list[str]:
    return [t(f"hubdash.col.{k}") for k in keys]


def build_content(snap: CitySnapshot, year: int, quarter: int) -> CityReport:
    units = snap.units
    names = {u.id: u.name for u in units}
    systems = {s.id: s.name for s in snap.systems}
    expired = sum(u.figures.filings_expired for u in units)
    summary = [
        t("hubdash.panel.units", units=len(units), systems=len(snap.systems)),
        t("hubdash.fig.graded", n=len(snap.due)),
        t("hubdash.fig.overdue", n=len(snap.overdue_inspections())),
        t("hubdash.fig.held", n=sum(u.inspections_held for u in units)),
        t("hubdash.fig.expired", n=expired),
        t("hubdash.fig.expiring", n=len(snap.filings) - expired),
        t("hubdash.fig.high_risk", n=sum(u.figures.high_risk for u in units)),
        t("hubdash.fig.overdue_rem", n=snap.overdue_remediation()),
        t("hubdash.fig.drills", n=sum(u.figures.drills for u in units)),
    ]
    districts = snap.district_rows()
    district_rows: list[list[str | int | float]] = [
        [
            district_label(d.district),
            d.units,
            d.systems,
            d.inspections_held,
            d.overdue_inspections,
            f"{d.compliant_share:.0%}",
            d.high_risk,
            d.overdue_remediation,
            d.drills,
            d.score,
        ]
        for d in districts
    ]
    unit_rows: list[list[str | int | float]] = []
    for u in sorted(units, key=lambda r: (r.score, r.id)):
        f = u.figures
        inspected = [c for c in f.conclusions if c != "none"]
        full = sum(1 for c in inspected if snap.policy.conclusions.get(c, 0.0) >= 1.0)
        unit_rows.append(
            [
                u.name,
                u.id,
                district_label(u.district),
                u.systems,
                u.inspections_held,
                f.overdue_inspections,
                f"{full}/{len(inspected)}",
                f.high_risk,
                f.overdue_remediation,
                f.drills,
                u.score,
            ]
        )
    levels: list[list[str | int | float]] = [
        [t("hubdash.panel.level", level=level), conclusion_label(code), n]
        for (level, code), n in snap.by_level_and_conclusion().items()
    ]
    overdue: list[list[str | int | float]] = [
        [
            names.get(d.unit_id, d.unit_id),
            systems.get(d.system_id, d.system_id),
            d.level,
            d.last or "—",
            d.due,
        ]
        for d in sorted(snap.overdue_inspections(), key=lambda d: (d.due, d.unit_id, d.system_id))
    ]
    filings: list[list[str | int | float]] = [
        [
            names.get(unit, unit),
            systems.get(system, system),
            number,
            expires,
            t("hubdash.report.expired") if expires < snap.today.isoformat() else t("hubdash.report.expiring"),
        ]
        for unit, system, number, expires in snap.filings
    ]
    late: list[list[str | int | float]] = [
        [
            names.get(r.unit_id, r.unit_id),
            r.id,
            t(f"remedy.risk.{r.risk}"),
            t(f"remedy.status.{r.status}"),
            r.deadline,
            r.inspection_id or r.drill_id or "—",
        ]
        for r in snap.overdue_items
    ]
    none = t("hubdash.none")
    sections = [
        Section(
            "districts",
            t("hubdash.report.districts"),
            _cols("district", "units", "systems", "held", "overdue", "compliant", "high_risk")
            + _cols("overdue_rem", "drills", "score"),
            district_rows,
            none,
        ),
        Section(
            "units",
            t("hubdash.report.units"),
            _cols("unit", "id", "district", "systems", "held", "overdue", "conclusions", "high_risk")
            + _cols("overdue_rem", "drills", "score"),
            unit_rows,
            none,
        ),
        Section("levels", t("hubdash.panel.levels"), _cols("level", "conclusion", "systems"), levels, none),
        Section(
            "overdue",
            t("hubdash.report.overdue"),
            _cols("unit", "system", "level", "last", "due"),
            overdue,
            t("hubdash.report.none_overdue"),
        ),
        Section(
            "filings",
            t("hubdash.report.filings", days=snap.policy.expiring_days),
            _cols("unit", "system", "filing", "expires", "status"),
            filings,
            t("hubdash.report.none_filings"),
        ),
        Section(
            "late",
            t("hubdash.report.late")
            if len(late) >= snap.overdue_remediation()
            else t("hubdash.report.late_oldest", shown=len(late), total=snap.overdue_remediation()),
            _cols("unit", "item", "risk", "status", "deadline", "source"),
            late,
            t("hubdash.report.none_late"),
        ),
    ]
    return CityReport(
        lang=get_lang(),
        title=t("hubdash.report.title", year=year, quarter=quarter),
        meta=[
            (t("hubdash.report.day"), snap.today.isoformat()),
            (t("hubdash.report.policy"), Path(snap.policy.source).name),
            (
                t("hubdash.report.weights"),
                " · ".join(f"{t('hubdash.part.' + p)} {w:g}" for p, w in snap.policy.weights.items()),
            ),
        ],
        summary=summary,
        chart_title=t("hubdash.report.chart"),
        chart=[(district_label(d.district), d.score) for d in districts],
        sections=sections,
    )
