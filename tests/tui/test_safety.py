"""Final and destructive actions ask first, with what is still open; the palette reaches them."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from gradesec.tui.screens.confirm import ConfirmModal
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import open_context
from gradesec.usecases.remediation import list_items
from tests.tui.conftest import DEMO_INSPECTION, demo_app, on_screen, settle, wait_for


async def _home_on_demo(pilot: Any) -> Any:
    app = pilot.app
    home = await on_screen(pilot, "HomeScreen")
    await wait_for(pilot, lambda: app.session.ready and getattr(home, "selected", None) is not None)
    await wait_for(pilot, lambda: cast(Any, home).selected == ("inspection", DEMO_INSPECTION))
    return home


async def test_closing_an_inspection_shows_what_is_open_and_asks(demo_store: Path) -> None:
    with open_context(demo_store) as ctx:
        view = uc.load_inspection(ctx, DEMO_INSPECTION)
    open_pairs = view.progress.applicable - view.progress.recorded
    unrated = sum(1 for issue in view.issues if issue.risk is None)
    assert open_pairs and unrated
    app = demo_app(demo_store, open_inspection=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _home_on_demo(pilot)
        await pilot.press("c")
        await on_screen(pilot, "ConfirmModal")
        body = str(app.screen.query_one("#confirm-body").render())
        assert f"{open_pairs} of {view.progress.applicable} item×asset pairs still have no result" in body
        assert f"{unrated} of {len(view.issues)} issues have no risk rating yet" in body
        # A stray Enter lands on Cancel; Escape cancels too: nothing is closed.
        await pilot.press("enter")
        await on_screen(pilot, "HomeScreen")
        await pilot.press("c")
        await on_screen(pilot, "ConfirmModal")
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")
        await settle(pilot)
        with open_context(demo_store) as ctx:
            assert uc.get_inspection(ctx, DEMO_INSPECTION).is_open
        # Confirmed: closed, and the issues are planned for remediation.
        await pilot.press("c")
        await on_screen(pilot, "ConfirmModal")
        await pilot.press("tab", "enter")
        await settle(pilot)
    with open_context(demo_store) as ctx:
        assert not uc.get_inspection(ctx, DEMO_INSPECTION).is_open
        assert list_items(ctx)


async def test_the_palette_offers_closing_and_still_asks(demo_store: Path) -> None:
    app = demo_app(demo_store, open_inspection=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _home_on_demo(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Close inspection")
        await pilot.pause(0.5)
        await pilot.press("enter")
        modal = await on_screen(pilot, "ConfirmModal")
        assert isinstance(modal, ConfirmModal)
        await pilot.press("escape")
        await settle(pilot)
    with open_context(demo_store) as ctx:
        assert uc.get_inspection(ctx, DEMO_INSPECTION).is_open


async def test_a_too_small_terminal_shows_a_notice_until_it_grows(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_screen(pilot, "WorkspaceScreen")
        await pilot.resize_terminal(70, 20)
        notice = await on_screen(pilot, "TooSmallScreen")
        assert "70×20" in str(notice.query_one("#too-small").render())
        await pilot.resize_terminal(100, 22)
        await pilot.pause()
        assert "100×22" in str(notice.query_one("#too-small").render())
        await pilot.resize_terminal(100, 30)
        await on_screen(pilot, "WorkspaceScreen")
