"""What the drill screen shows, from the drill as stored: the clock and score lines, the inject and
expectation tables, the teams and the observations, and the lines of the closing dialog.

Each function reads a ``LoadedDrill`` (and the drill time it is shown at) and returns text or fills a table;
none writes. The screen (``drill.py``) calls them after every reload.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import DataTable

from gradesec.drill.clock import format_elapsed
from gradesec.drill.rules import next_due
from gradesec.drill.scoring import score
from gradesec.i18n import get_lang, t

if TYPE_CHECKING:
    from gradesec.catalog.scenario import Scenario
    from gradesec.drill.model import DrillRecord
    from gradesec.usecases.drills import LoadedDrill


def teams_line(record: DrillRecord) -> str:
    """Each team once, with its participants."""
    parts = []
    for tm in record.teams:
        people = ", ".join(p.name + (f" ({p.org})" if p.org else "") for p in tm.participants)
        parts.append(f"{tm.name}: {people or '-'}")
    return t("officer.drill.teams_line", teams=" · ".join(parts))


def observations_text(record: DrillRecord) -> str:
    """Every observation written so far, newest first, with its drill time, kind and team."""
    teams = {tm.id: tm.name for tm in record.teams}
    lines = []
    for obs in sorted(record.observations, key=lambda o: o.elapsed_ms, reverse=True):
        team = f" · {teams.get(obs.team, obs.team)}" if obs.team else ""
        kind = t(f"drill.obs.{obs.kind}")
        lines.append(f"{format_elapsed(obs.elapsed_ms)}  [{kind}{team}]  {obs.text}")
    return "\n".join(lines) if lines else t("drill.tui.no_observations")


def clock_line(loaded: LoadedDrill, now_ms: int, speed: float) -> str:
    """The drill's id, time, status, clock speed and next due inject."""
    rec = loaded.record
    due = next_due(loaded.scenario, rec)
    upcoming = t("drill.tui.next", id=due.inject.id, at=format_elapsed(due.due_ms)) if due else ""
    return t(
        "drill.tui.clock",
        id=rec.id,
        time=format_elapsed(now_ms),
        status=t(f"drill.status.{rec.status}"),
        speed=f"{speed:g}",
        next=upcoming,
    )


def score_line(loaded: LoadedDrill, now_ms: int) -> str:
    o = score(loaded.scenario, loaded.record, now_ms).overall
    pct = "-" if o.percent is None else f"{o.percent:.1f}%"
    return t("drill.tui.score", earned=f"{o.earned:g}", possible=f"{o.possible:g}", pct=pct)


def fill_injects(table: DataTable[str], loaded: LoadedDrill) -> str:
    """Every inject with its planned and actual release; returns the text of the latest one released."""
    lang = get_lang()
    table.clear(columns=True)
    table.add_columns(
        t("drill.head.id"), t("drill.tui.col.plan"), t("drill.tui.col.released"), t("drill.head.title")
    )
    rec = loaded.record
    last = None
    for inject in loaded.scenario.injects:
        rel = rec.releases.get(inject.id)
        released = format_elapsed(rel.elapsed_ms) if rel else ""
        table.add_row(inject.id, f"+{inject.at:g}′", released, inject.title.get(lang))
        if rel is not None:
            last = inject
    return f"{last.id} {last.title.get(lang)}\n{last.text.get(lang)}" if last else t("drill.tui.no_inject")


def fill_expectations(table: DataTable[str], loaded: LoadedDrill, now_ms: int) -> list[str]:
    """The expectations of released injects with their status; returns their ids in row order (the cursor
    stays on the row it was on)."""
    lang = get_lang()
    keep = table.cursor_row
    table.clear(columns=True)
    table.add_columns(
        t("drill.head.id"),
        t("drill.tui.col.role"),
        t("drill.tui.col.due"),
        t("drill.head.status"),
        t("drill.aar.action"),
    )
    result = score(loaded.scenario, loaded.record, now_ms)
    scen: Scenario = loaded.scenario
    rows: list[str] = []
    for e in result.expectations:
        if e.status == "not_released":
            continue
        _inj, exp = scen.expectation(e.id)
        status = t(f"drill.exp.{e.status}") + (t("drill.aar.late") if e.late else "")
        table.add_row(
            e.id,
            scen.role(e.role).name.get(lang),
            format_elapsed(e.deadline_ms),
            status,
            exp.action.get(lang),
        )
        rows.append(e.id)
    if rows:
        table.move_cursor(row=min(max(keep, 0), len(rows) - 1))
    return rows


def close_lines(loaded: LoadedDrill) -> list[str]:
    """What the closing dialog says: closing is final, and what is still unreleased or unmarked."""
    rec, scenario = loaded.record, loaded.scenario
    expected = [exp.id for _inj, exp in scenario.expectations()]
    return [
        t("drill.tui.confirm.final"),
        t("drill.tui.confirm.unreleased", n=sum(1 for i in scenario.injects if i.id not in rec.releases)),
        t(
            "drill.tui.confirm.unmarked",
            n=sum(1 for e in expected if e not in rec.marks),
            total=len(expected),
        ),
    ]


def observation_kinds() -> list[tuple[str, str]]:
    return [(t(f"drill.obs.{k}"), k) for k in ("action", "strength", "improvement", "note")]
