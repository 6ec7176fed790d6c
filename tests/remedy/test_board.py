"""The TUI remediation board: filters, figures, and an edit that becomes a signed event (Pilot)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Select, TextArea

from gradesec.catalog.loader import Catalog
from gradesec.journal import FrozenClock
from gradesec.tui.app import GradesecApp
from gradesec.tui.session import Launch, Nav
from gradesec.usecases import bundles, remediation
from gradesec.usecases.context import Context
from tests.remedy.conftest import inspect


async def _until(pilot: Any, ready: Any, rounds: int = 400) -> None:
    for _ in range(rounds):
        if ready():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never reached the expected state")


def test_board_filters_and_edit(parties: dict[str, Context], catalog: Catalog, tmp_path: Path) -> None:
    ivan, olga = parties["ivan"], parties["olga"]
    field = inspect(ivan, catalog, tmp_path)
    out = bundles.export(ivan, tmp_path / "b.gsb", inspection=field.inspection)
    bundles.import_(olga, out.path, trust=[ivan.signer.key_id])
    store_dir, signer = olga.store.root, olga.signer
    olga.close()
    launch = Launch(
        store_dir=store_dir, signer=signer, clock=FrozenClock("2026-12-20T02:00:00.000Z"), steady_cursor=True
    )
    app = GradesecApp(launch)

    async def drive() -> None:
        from gradesec.tui.screens.remedy import RemedyScreen

        async with app.run_test(size=(140, 40)) as pilot:
            await _until(pilot, lambda: app.session.ctx is not None)
            app.push_screen(RemedyScreen(Nav(app.session, inspection_id=field.inspection)))
            await _until(pilot, lambda: type(app.screen).__name__ == "RemedyScreen" and app.screen.is_mounted)
            board = app.screen
            assert isinstance(board, RemedyScreen)
            table = board.query_one("#remedy-items", DataTable)
            assert table.row_count == 3
            assert "overdue" in str(board.query_one("#remedy-figures").render())
            await pilot.press("h")
            assert table.row_count == 1
            high = board.rows[0]
            await pilot.press("e")
            await _until(pilot, lambda: type(app.screen).__name__ == "FormModal")
            app.screen.query_one("#field-action", Select).value = "fix"
            app.screen.query_one("#field-note", TextArea).text = "patched and enforced"
            await pilot.press("ctrl+s")
            await _until(pilot, lambda: type(app.screen).__name__ == "RemedyScreen")
            await _until(pilot, lambda: app.writer.idle)
            await pilot.pause()
            item = remediation.get_item(app.session.ctx, high)
            assert item.status == "fixed" and item.log[-1].note == "patched and enforced"

    asyncio.run(drive())
