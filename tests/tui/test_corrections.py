"""Corrections in the TUI: retract a result (asks first), undo the last result, edit a system; all signed."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from textual.widgets import Input

from gradesec.usecases import inspections as uc
from gradesec.usecases.context import open_context
from tests.tui.conftest import DEMO_INSPECTION, demo_app, on_screen, open_workspace, settle, wait_for


def history(store: Path, item: str, asset: str) -> list[str]:
    with open_context(store) as ctx:
        return [f.result for f in uc.finding_history(ctx, DEMO_INSPECTION, item, asset)]


async def test_retract_asks_then_makes_the_pair_untested(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        await pilot.press("u", "3")
        await settle(pilot)
        item, asset = ws.sticky[0], ws.sticky[1]
        recorded = ws.model.score().progress.recorded
        await pilot.press("delete")  # the pair just recorded, though the cursor moved on
        modal = await on_screen(pilot, "ConfirmModal")
        assert ws.model.asset_by_id[asset].name in str(modal.query_one("#confirm-body").render())
        await pilot.press("escape")
        await on_screen(pilot, "WorkspaceScreen")
        assert (item, asset) in ws.model.findings
        ws.query_one("#ws-grid").select_asset(asset)
        await pilot.press("delete")
        await on_screen(pilot, "ConfirmModal")
        await pilot.press("y")
        await settle(pilot)
        assert (item, asset) not in ws.model.findings
        assert ws.model.score().progress.recorded == recorded - 1
    assert history(demo_store, item, asset) == ["noncompliant", "untested"]


async def test_undo_takes_back_the_last_results_in_order(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        await pilot.press("u")
        item, asset = ws.current()
        await pilot.press("2")
        await settle(pilot)
        ws.query_one("#ws-grid").select_asset(asset)
        await pilot.press("3")  # a second revision of the same pair
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert ws.model.findings[(item, asset)].result == "partial"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert (item, asset) not in ws.model.findings
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert any("Nothing recorded here to undo" in n.message for n in app._notifications)
    # Nothing rewritten: every step is a revision.
    assert history(demo_store, item, asset) == ["partial", "noncompliant", "partial", "untested"]


async def test_editing_a_system_from_home_is_a_signed_update(demo_store: Path) -> None:
    app = demo_app(demo_store, open_inspection=False)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await on_screen(pilot, "HomeScreen")
        await wait_for(pilot, lambda: app.session.ready and cast(Any, home).selected is not None)
        await pilot.press("up")
        await wait_for(pilot, lambda: cast(Any, home).selected[0] == "system")
        system_id = cast(Any, home).selected[1]
        await pilot.press("e")
        form = await on_screen(pilot, "FormModal")
        name = form.query_one("#field-name", Input)
        assert name.value
        name.value = "City portal (renamed)"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with open_context(demo_store) as ctx:
        assert uc.get_system(ctx, system_id).name == "City portal (renamed)"
        kinds = [e.kind for e in ctx.store.events()]
    assert kinds[-1] == "system.updated"
