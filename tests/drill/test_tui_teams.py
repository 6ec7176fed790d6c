"""Teams and participants edited in the drill screen (Pilot), each change a signed event; the after-action
report names each team once above its expectations."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

from textual.widgets import Input, Select

from gradesec.drill.clock import ManualTime
from gradesec.journal import FrozenClock
from gradesec.usecases import drills
from tests.drill.conftest import make_signer


async def _settle(pilot, app) -> None:  # type: ignore[no-untyped-def]
    for _ in range(300):
        await pilot.pause(0.02)
        if app.writer.idle:
            break
    await pilot.pause()


def test_teams_and_participants_are_edited_in_the_screen(tmp_path: Path) -> None:
    from gradesec.tui.app import GradesecApp
    from gradesec.tui.screens.drill import DrillScreen
    from gradesec.tui.session import Launch, Nav

    launch = Launch(
        tmp_path / "store",
        config_dir=tmp_path / "config",
        signer=make_signer("Lead Lin"),
        clock=FrozenClock("2026-11-24T09:30:00.000Z"),
    )
    app = GradesecApp(launch)
    seen: dict[str, str] = {}

    async def change(pilot, what: str, **fields: str) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("t")
        for _ in range(200):
            if type(app.screen).__name__ == "TeamsForm":
                break
            await pilot.pause(0.02)
        form = app.screen
        form.query_one("#field-what", Select).value = what
        for name, value in fields.items():
            widget = form.query_one(f"#field-{name}")
            if isinstance(widget, Select):
                widget.value = value
            else:
                assert isinstance(widget, Input)
                widget.value = value
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _settle(pilot, app)

    async def drive() -> None:
        async with app.run_test(size=(140, 45)) as pilot:
            for _ in range(300):
                await pilot.pause(0.02)
                if app.session.ready:
                    break
            screen = DrillScreen(Nav(app.session), scenario_id="portal-defacement", time_source=ManualTime())
            await app.push_screen(screen)
            await _settle(pilot, app)
            assert screen.loaded is not None
            first = screen.loaded.record.teams[0].id
            seen["drill"] = screen.loaded.record.id
            await change(pilot, "add_participant", team=first, name="Alice Wu", org="Ops")
            await change(pilot, "add_participant", team=first, name="Bob Li")
            await change(pilot, "rename_participant", person=f"{first}\x1fAlice Wu", name="Alicia Wu")
            await change(pilot, "remove_participant", person=f"{first}\x1fBob Li")
            await change(pilot, "rename_team", team=first, name="Blue Cell")
            await change(pilot, "add_team", name="Press Desk")
            shown = str(screen.query_one("#drill-teams").render())
            assert (
                "Blue Cell: Alicia Wu (Ops)" in shown and "Press Desk: -" in shown and "Bob Li" not in shown
            )
            seen["first"] = first

    asyncio.run(drive())
    ctx = app.session.ctx
    record = drills.load_drill(ctx.store, seen["drill"]).record
    team = next(tm for tm in record.teams if tm.id == seen["first"])
    assert team.name == "Blue Cell" and [p.name for p in team.participants] == ["Alicia Wu"]
    assert any(tm.name == "Press Desk" and tm.roles == () for tm in record.teams)
    # Six changes, six signed team events (the history keeps every version).
    (count,) = ctx.store.connection.execute(
        "SELECT COUNT(*) FROM events WHERE kind = 'drill.team_set'"
    ).fetchone()
    assert count == 6


def test_the_report_names_each_team_once_above_its_expectations(tmp_path: Path) -> None:
    from gradesec.catalog.loader import load_catalog
    from gradesec.journal import Store
    from gradesec.report.aar import build_aar
    from tests.drill.conftest import DrillCtx

    lead = make_signer("Lead Lin")
    store = Store.create(tmp_path / "store", lead, clock=FrozenClock("2026-11-24T09:30:00.000Z"))
    try:
        ctx = DrillCtx(store, load_catalog(extra_dirs=()), lead)
        drill_id = drills.start_drill(ctx, "portal-defacement")
        data = drills.report_data(store, ctx.catalog, drill_id)
        per_team: dict[str, int] = {}
        for e in data.score.expectations:
            per_team[e.team or ""] = per_team.get(e.team or "", 0) + 1
        busiest = max(per_team, key=lambda k: per_team[k])
        assert per_team[busiest] >= 2
        name = next(tm.name for tm in data.record.teams if tm.id == busiest)
        pdf = tmp_path / "aar.pdf"
        build_aar(data, pdf, "en", invariant=True)
    finally:
        store.close()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    start = text.index("Expected actions")
    section = text[start : text.index("Timeline", start)]
    assert section.count(name) == 1
