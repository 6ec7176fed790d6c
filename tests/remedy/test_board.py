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


def test_board_keeps_its_cursor_and_sorts_and_searches(
    parties: dict[str, Context], catalog: Catalog, tmp_path: Path
) -> None:
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
            items = {i.id: i for i in remediation.list_items(app.session.ctx)}
            # Sorted by deadline first; s cycles to risk (high first), then status.
            deadlines = [items[i].deadline or "9999" for i in board.rows]
            assert deadlines == sorted(deadlines)
            await pilot.press("s")
            order = {"high": 0, "medium": 1, "low": 2}
            risks = [order[items[i].risk] for i in board.rows]
            assert risks == sorted(risks) and "risk" in str(board.query_one("#remedy-figures").render())
            # The cursor stays on its item when the board reloads after a change.
            table.move_cursor(row=2, animate=False)
            await pilot.pause()
            chosen = board.rows[2]
            await pilot.press("e")
            await _until(pilot, lambda: type(app.screen).__name__ == "FormModal")
            app.screen.query_one("#field-action", Select).value = "note"
            app.screen.query_one("#field-note", TextArea).text = "called the vendor"
            await pilot.press("ctrl+s")
            await _until(pilot, lambda: type(app.screen).__name__ == "RemedyScreen")
            await _until(pilot, lambda: app.writer.idle)
            await pilot.pause()
            assert board.rows[table.cursor_row] == chosen
            # Search narrows the rows to the matching ones.
            await pilot.press("slash", *chosen)
            await pilot.pause()
            assert board.rows == [chosen]

    asyncio.run(drive())
