"""The office's questions as SQL over the indexed projection tables (the dashboard and city reports read these).

``today`` is always passed in (the caller's clock), never read here. Inspection frequency follows
../shared/domain/mlps.md: level 3 yearly, level 4 twice a year, level 5 yearly (2025 rules); levels 1-2 have no
mandated frequency and are not listed as due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from gradesec.remedy.model import PENDING

# level -> months between inspections
FREQUENCY_MONTHS = {3: 12, 4: 6, 5: 12}
FILING_WARNING_DAYS = 90  # apply for extension within 3 months before expiry


@dataclass(frozen=True)
class Due:
    unit_id: str
    system_id: str
    level: int
    last: str | None  # date of the last closed inspection
    due: str  # when the next is due
    overdue: bool


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)


def systems_by_level_and_conclusion(conn: Any) -> dict[tuple[int, str], int]:
    """Systems counted by level and the conclusion of their latest closed inspection ('none' if never)."""
    rows = conn.execute(
        "SELECT s.level, COALESCE(last.conclusion, 'none'), count(*) FROM systems s LEFT JOIN"
        " (SELECT DISTINCT ON (system_id) system_id, conclusion FROM inspections WHERE status = 'closed'"
        "  ORDER BY system_id, closed_at DESC) last ON last.system_id = s.id GROUP BY 1, 2"
    ).fetchall()
    return {(int(level), str(c)): int(n) for level, c, n in rows}


# One row per level 3+ system, its last first close looked up per system (schema v5's systems_due and
# inspections_last_close indexes: an ordered index scan plus one index probe per system).
INSPECTIONS_DUE_SQL = (
    "SELECT s.unit_id, s.id, s.level, s.created_at,"
    " (SELECT max(i.first_closed_at) FROM inspections i WHERE i.system_id = s.id)"
    " FROM systems s WHERE s.level >= 3 ORDER BY s.unit_id, s.id"
)

# The pending items with a deadline, counted per unit and deadline day (schema v5's remediation_due, which the
# triggers on remediation keep equal to that count): a few rows per unit to add up instead of every item.
OVERDUE_BY_UNIT_SQL = "SELECT unit_id, sum(n) FROM remediation_due WHERE deadline < %s GROUP BY unit_id"


def inspections_due(conn: Any, today: date) -> list[Due]:
    """Systems of level 3+ with the date their next inspection is due; overdue when that is before today."""
    rows = conn.execute(INSPECTIONS_DUE_SQL).fetchall()
    # The due date depends on the day and the interval only: computed once per distinct pair (a city's systems
    # share a few hundred days), which is most of this function's time at city scale.
    dues: dict[tuple[str, int], tuple[str, bool]] = {}
    out = []
    for unit, system, level, created, last in rows:
        months = FREQUENCY_MONTHS.get(int(level), 12) if last else 0  # never inspected: due since recorded
        day = (last or created)[:10]
        known = dues.get((day, months))
        if known is None:
            base = date.fromisoformat(day)
            due = _add_months(base, months) if months else base
            known = dues[day, months] = (due.isoformat(), due < today)
        out.append(Due(unit, system, int(level), day if last else None, known[0], known[1]))
    return out


def filings_expiring(
    conn: Any, today: date, days: int = FILING_WARNING_DAYS
) -> list[tuple[str, str, str, str]]:
    """(unit, system, filing number, expiry) of filings expired or expiring within ``days``."""
    rows = conn.execute(
        "SELECT unit_id, id, filing_no, filing_expires::text FROM systems"
        " WHERE filing_expires IS NOT NULL AND filing_expires <= %s ORDER BY filing_expires, id",
        (today + timedelta(days=days),),
    ).fetchall()
    return [(str(a), str(b), str(c), str(d)) for a, b, c, d in rows]


def open_high_risk_by_unit(conn: Any) -> dict[str, int]:
    """High-risk problems still owed work (remediation open, in progress or reopened), per unit."""
    rows = conn.execute(
        "SELECT unit_id, count(*) FROM remediation WHERE risk = 'high' AND status = ANY(%s) GROUP BY 1",
        (sorted(PENDING),),
    ).fetchall()
    return {str(u): int(n) for u, n in rows}


def overdue_remediation_by_unit(conn: Any, today: date) -> dict[str, int]:
    """Remediation items past their deadline while still owed work, per unit."""
    rows = conn.execute(OVERDUE_BY_UNIT_SQL, (today.isoformat(),)).fetchall()
    return {str(u): int(n) for u, n in rows}


def drills_by_unit(conn: Any, year: int) -> dict[str, int]:
    """Drills started in ``year``, per unit."""
    rows = conn.execute(
        "SELECT unit_id, count(*) FROM drills WHERE started_at >= %s AND started_at < %s GROUP BY 1",
        (f"{year}-01-01", f"{year + 1}-01-01"),
    ).fetchall()
    return {str(u): int(n) for u, n in rows}


# --- the evaluation and the unit's page (dashboard, city reports) ---


@dataclass(frozen=True)
class UnitInfo:
    id: str
    name: str
    code: str
    region: str


@dataclass(frozen=True)
class SystemRow:
    unit_id: str
    id: str
    name: str
    level: int
    filing_no: str
    filing_expires: str | None
    conclusion: str  # of the latest closed inspection, "none" if never
    score: float | None


def units(conn: Any) -> list[UnitInfo]:
    rows = conn.execute("SELECT id, name, code, region FROM units ORDER BY id").fetchall()
    return [UnitInfo(str(i), str(n), str(c), str(r)) for i, n, c, r in rows]


def systems(conn: Any, unit: str | None = None) -> list[SystemRow]:
    """Every system (or one unit's) with its filing and the conclusion and score of its latest closed inspection."""
    where, args = ("WHERE s.unit_id = %s", (unit,)) if unit is not None else ("", ())
    rows = conn.execute(
        "SELECT s.unit_id, s.id, s.name, s.level, s.filing_no, s.filing_expires::text,"
        " COALESCE(last.conclusion, 'none'), last.score FROM systems s LEFT JOIN"
        " (SELECT DISTINCT ON (system_id) system_id, conclusion, score FROM inspections WHERE status = 'closed'"
        f"  ORDER BY system_id, closed_at DESC) last ON last.system_id = s.id {where} ORDER BY s.unit_id, s.id",
        args,
    ).fetchall()
    return [
        SystemRow(str(u), str(i), str(n), int(lv), str(f), e, str(c), None if sc is None else float(sc))
        for u, i, n, lv, f, e, c, sc in rows
    ]


def inspections_held_by_unit(conn: Any, year: int) -> dict[str, int]:
    """Inspections first closed in ``year``, per unit."""
    rows = conn.execute(
        "SELECT unit_id, count(*) FROM inspections WHERE first_closed_at >= %s AND first_closed_at < %s GROUP BY 1",
        (f"{year}-01-01", f"{year + 1}-01-01"),
    ).fetchall()
    return {str(u): int(n) for u, n in rows}


@dataclass(frozen=True)
class RemediationRow:
    unit_id: str
    id: str
    risk: str
    status: str
    deadline: str
    inspection_id: str | None
    drill_id: str | None


def overdue_remediation(conn: Any, today: date, limit: int = 500) -> list[RemediationRow]:
    """The ``limit`` remediation items longest past their deadline and still owed work, oldest deadline first
    (at city scale there are hundreds of thousands; the counts per unit are ``overdue_remediation_by_unit``)."""
    rows = conn.execute(
        "SELECT unit_id, id, risk, status, deadline, inspection_id, drill_id FROM remediation"
        " WHERE deadline <> '' AND deadline < %s AND status = ANY(%s) ORDER BY deadline, id LIMIT %s",
        (today.isoformat(), sorted(PENDING), limit),
    ).fetchall()
    return [RemediationRow(*(str(x) if x is not None else None for x in r)) for r in rows]  # type: ignore[arg-type]


@dataclass(frozen=True)
class InspectionRow:
    id: str
    system_id: str
    policy: str
    status: str
    opened_at: str
    closed_at: str | None
    score: float | None
    conclusion: str | None


def unit_inspections(conn: Any, unit: str) -> list[InspectionRow]:
    rows = conn.execute(
        "SELECT id, system_id, policy, status, opened_at, closed_at, score, conclusion FROM inspections"
        " WHERE unit_id = %s ORDER BY opened_at, id",
        (unit,),
    ).fetchall()
    return [
        InspectionRow(str(i), str(s), str(p), str(st), str(o), c, None if sc is None else float(sc), cl)
        for i, s, p, st, o, c, sc, cl in rows
    ]


def unit_remediation(conn: Any, unit: str) -> list[RemediationRow]:
    """The unit's problems under remediation (every item, any status), by deadline."""
    rows = conn.execute(
        "SELECT unit_id, id, risk, status, deadline, inspection_id, drill_id FROM remediation"
        " WHERE unit_id = %s ORDER BY deadline, id",
        (unit,),
    ).fetchall()
    return [RemediationRow(*(str(x) if x is not None else None for x in r)) for r in rows]  # type: ignore[arg-type]


@dataclass(frozen=True)
class DrillRow:
    id: str
    scenario: str
    started_at: str
    closed_at: str | None
    improvements: int
    score: float | None  # the drill's weighted score once closed
    passed: bool | None


def unit_drills(conn: Any, unit: str) -> list[DrillRow]:
    rows = conn.execute(
        "SELECT id, scenario, started_at, closed_at, improvements, score, passed FROM drills WHERE unit_id = %s"
        " ORDER BY started_at, id",
        (unit,),
    ).fetchall()
    return [
        DrillRow(str(i), str(s), str(a), c, int(n), None if sc is None else float(sc), p)
        for i, s, a, c, n, sc, p in rows
    ]
