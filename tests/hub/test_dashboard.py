"""The office's dashboard driven with Pilot keystrokes against the real PostgreSQL holding the small fixed city."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static

from gradesec.hub.city import LiveCity
from gradesec.hub.evaluation import load_policy
from gradesec.i18n import set_lang
from gradesec.tui.hub.dashboard import HubDashboardApp
from gradesec.tui.hub.unit import UnitScreen
from tests.hub.city import City
from tests.hub.dash_city import Dora, connect

DAY = date(2026, 12, 20)


def rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def wait_for(pilot: Pilot[Any], ready: Callable[[], bool]) -> None:
    for _ in range(500):
        if ready():
            return
        await pilot.pause(0.02)
    raise AssertionError("the dashboard never reached the expected state")


def run_dashboard(url: str, lang: str, script: Callable[[Pilot[Any], HubDashboardApp], Any]) -> None:
    set_lang(lang)
    try:
        with connect(url) as conn:
            app = HubDashboardApp(LiveCity(conn, DAY, load_policy()))

            async def go() -> None:
                async with app.run_test(size=(140, 45)) as pilot:
                    await pilot.pause()
                    await script(pilot, app)

            asyncio.run(go())
    finally:
        set_lang(None)


def test_the_city_at_a_glance_with_filters_and_a_unit_page(city_hub: str, city: City, dora: Dora) -> None:
    async def script(pilot: Pilot[Any], app: HubDashboardApp) -> None:
        units = app.query_one("#hd-units", DataTable)
        # Worst score first: Dora's unit D (45.0), unit A (50.0), unit B (62.0).
        assert rows(units) == [
            ["East Health Bureau", "East", "2", "0", "2", "0/0", "0", "0", "0", "0", "45.0"],
            ["Test Unit", "(no district)", "2", "1", "1", "0/1", "1", "0", "0", "1", "50.0"],
            ["Test Unit", "(no district)", "1", "1", "0", "0/1", "1", "1", "0", "0", "62.0"],
        ]
        assert text(app, "#hd-levels").splitlines() == [
            "Level 2: Non-compliant 2",
            "Level 3: Not inspected 2",
            "Level 4: Not inspected 1",
        ]
        work = text(app, "#hd-work")
        for line in (
            "3 units, 5 systems",
            "Level 3+ systems: 3",
            "Inspections overdue: 3",
            "Inspections held this year: 2",
            "Open high-risk problems: 2",
            "Overdue remediation: 1",
            "Drills this year: 1",
        ):
            assert line in work.splitlines()
        assert "2026-12-20" in str(app.sub_title)

        # The department filter, typed: only units whose name or code holds "ehb".
        await pilot.press("f", "e", "h", "b")
        await wait_for(pilot, lambda: units.row_count == 1)
        assert rows(units)[0][0] == "East Health Bureau"
        assert "1 unit, 2 systems" in text(app, "#hd-work")
        await pilot.press("backspace", "backspace", "backspace")
        await wait_for(pilot, lambda: units.row_count == 3)

        # The district filter: "(no district)" keeps units A and B.
        app.query_one("#hd-district", Select).value = "d:"
        await wait_for(pilot, lambda: units.row_count == 2)
        assert [r[-1] for r in rows(units)] == ["50.0", "62.0"]
        assert "Level 3: Not inspected 1" in text(app, "#hd-levels")

        # Drill down to unit B (the second row): its system, inspection, open high-risk item; Escape goes back.
        units.focus()
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, UnitScreen))
        page = app.screen
        assert isinstance(page, UnitScreen) and page.page.unit.id == city.unit_b
        assert "score 62.0" in text(app, "#hu-head")
        assert "High-risk problems: 0.75 × 20" in text(app, "#hu-parts")
        systems = rows(page.query_one("#hu-systems", DataTable))
        assert systems == [["Office system", "2", "—", "—", "Non-compliant", systems[0][5]]]
        inspections = rows(page.query_one("#hu-inspections", DataTable))
        assert len(inspections) == 1 and inspections[0][3] == "closed"
        problems = rows(page.query_one("#hu-problems", DataTable))
        high = [p for p in problems if p[1] == "high"]
        assert len(high) == 1 and high[0][2:4] == ["open", "2026-12-08"]
        assert rows(page.query_one("#hu-drills", DataTable)) == []
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, UnitScreen))

    run_dashboard(city_hub, "en", script)


def test_unit_page_lists_drills_and_the_dashboard_speaks_chinese(city_hub: str, city: City) -> None:
    async def script(pilot: Pilot[Any], app: HubDashboardApp) -> None:
        units = app.query_one("#hd-units", DataTable)
        assert [c.label.plain for c in units.columns.values()][:3] == ["单位", "区县", "系统"]
        assert "三级及以上系统：3" in text(app, "#hd-work")
        assert "2 级：不符合 2" in text(app, "#hd-levels")
        assert rows(units)[1][1] == "（未填区县）"
        await pilot.press("down", "enter")  # unit A (50.0)
        await wait_for(pilot, lambda: isinstance(app.screen, UnitScreen))
        page = app.screen
        assert isinstance(page, UnitScreen) and page.page.unit.id == city.unit_a
        drills = rows(page.query_one("#hu-drills", DataTable))
        assert city.drill_score == 43.8 and city.drill_passed is False
        assert drills == [
            [
                city.drill,
                "portal-defacement",
                "2026-12-01",
                "2026-12-01",
                str(city.improvements),
                "43.8 未通过",
            ]
        ]
        assert "应急演练：1.00 × 10" in text(app, "#hu-parts")

    run_dashboard(city_hub, "zh", script)
