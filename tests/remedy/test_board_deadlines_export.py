"""The board's deadlines (never in the past; past the profile's limit: kept, with a warning) and its export of
exactly the rows shown (PDF read back with pdftotext, XLSX with openpyxl), zh and en."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from textual.widgets import Input, Select

from gradesec.catalog.loader import Catalog
from gradesec.errors import UsageError
from gradesec.journal import FrozenClock
from gradesec.tui.app import GradesecApp
from gradesec.tui.session import Launch, Nav
from gradesec.usecases import bundles, remediation
from gradesec.usecases.context import Context
from gradesec.usecases.remediation import Change
from tests.remedy.conftest import inspect


async def _until(pilot: Any, ready: Any, rounds: int = 600) -> None:
    for _ in range(rounds):
        if ready():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never reached the expected state")


def _officer(parties: dict[str, Context], catalog: Catalog, tmp_path: Path) -> tuple[Context, str]:
    ivan, olga = parties["ivan"], parties["olga"]
    field = inspect(ivan, catalog, tmp_path)
    out = bundles.export(ivan, tmp_path / "b.gsb", inspection=field.inspection)
    bundles.import_(olga, out.path, trust=[ivan.signer.key_id])
    return olga, field.inspection


def test_a_deadline_in_the_past_is_refused_and_a_late_one_warned(
    parties: dict[str, Context], catalog: Catalog, tmp_path: Path
) -> None:
    olga, inspection = _officer(parties, catalog, tmp_path)
    items = remediation.list_items(olga, remediation.Filters(inspection=inspection))
    high = next(i for i in items if i.risk == "high")
    today = remediation.today_of(olga)
    with pytest.raises(UsageError, match="already past"):
        remediation.update_item(olga, high.id, Change("assign", deadline="2026-11-01"))
    assert remediation.get_item(olga, high.id).deadline == high.deadline  # nothing changed
    # Within the profile's days for a high risk: no warning.
    assert remediation.deadline_warning(olga, high.id, today) is None
    # Far beyond it: allowed, with a sentence that names the limit.
    item = remediation.update_item(olga, high.id, Change("assign", deadline="2030-01-01"))
    assert item.deadline == "2030-01-01"
    warning = remediation.deadline_warning(olga, high.id, item.deadline)
    assert warning is not None and high.deadline in warning and "high-risk" in warning
    with pytest.raises(UsageError, match="already past"):
        remediation.plan_item(parties["ivan"], problem="Manual", risk="low", deadline="2020-01-01")


def _app(olga: Context) -> GradesecApp:
    store_dir, signer = olga.store.root, olga.signer
    olga.close()
    launch = Launch(
        store_dir=store_dir, signer=signer, clock=FrozenClock("2026-12-20T02:00:00.000Z"), steady_cursor=True
    )
    return GradesecApp(launch)


def test_board_edit_warns_about_a_late_deadline_and_refuses_a_past_one(
    parties: dict[str, Context], catalog: Catalog, tmp_path: Path
) -> None:
    olga, inspection = _officer(parties, catalog, tmp_path)
    app = _app(olga)

    async def edit(pilot: Any, board: Any, deadline: str) -> None:
        await pilot.press("e")
        await _until(pilot, lambda: type(app.screen).__name__ == "FormModal")
        app.screen.query_one("#field-action", Select).value = "assign"
        app.screen.query_one("#field-deadline", Input).value = deadline
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: type(app.screen).__name__ == "RemedyScreen")
        await _until(pilot, lambda: app.writer.idle)
        await pilot.pause()

    async def drive() -> None:
        from gradesec.tui.screens.remedy import RemedyScreen

        async with app.run_test(size=(140, 40)) as pilot:
            await _until(pilot, lambda: app.session.ctx is not None)
            app.push_screen(RemedyScreen(Nav(app.session, inspection_id=inspection)))
            await _until(pilot, lambda: type(app.screen).__name__ == "RemedyScreen" and app.screen.is_mounted)
            board = app.screen
            assert isinstance(board, RemedyScreen)
            await pilot.press("h")
            chosen = board.rows[0]
            await edit(pilot, board, "2031-06-30")
            assert remediation.get_item(app.session.ctx, chosen).deadline == "2031-06-30"
            assert (
                "2031-06-30" in board.last_warning and "later than the profile allows" in board.last_warning
            )
            await edit(pilot, board, "2026-12-01")  # before the app's today (2026-12-20)
            assert remediation.get_item(app.session.ctx, chosen).deadline == "2031-06-30"
            shown = [str(n.message) + str(n.title) for n in app._notifications]
            assert any("already past" in text for text in shown)

    asyncio.run(drive())


@pytest.mark.parametrize(("lang", "fmt"), [("en", "pdf"), ("zh", "xlsx"), ("zh", "pdf")])
def test_board_exports_its_filtered_sorted_view(
    parties: dict[str, Context], catalog: Catalog, tmp_path: Path, lang: str, fmt: str
) -> None:
    olga, inspection = _officer(parties, catalog, tmp_path)
    app = _app(olga)
    target = tmp_path / "out" / f"board.{fmt}"
    seen: dict[str, Any] = {}

    async def drive() -> None:
        from gradesec.tui.screens.remedy import RemedyScreen

        async with app.run_test(size=(140, 40)) as pilot:
            await _until(pilot, lambda: app.session.ctx is not None)
            app.push_screen(RemedyScreen(Nav(app.session, inspection_id=inspection)))
            await _until(pilot, lambda: type(app.screen).__name__ == "RemedyScreen" and app.screen.is_mounted)
            board = app.screen
            assert isinstance(board, RemedyScreen)
            await pilot.press("s")  # sorted by risk: high, medium, low
            seen["all"] = list(board.rows)
            await pilot.press("x")
            await _until(pilot, lambda: type(app.screen).__name__ == "DocExportForm")
            form = app.screen
            form.query_one("#field-fmt", Select).value = fmt
            form.query_one("#field-lang", Select).value = lang
            await pilot.pause()
            form.query_one("#field-path", Input).value = str(target)
            await pilot.press("ctrl+s")
            await _until(pilot, lambda: board.exported == str(target))
            seen["items"] = {i.id: i for i in board.items}

    asyncio.run(drive())
    order = seen["all"]
    assert len(order) == 3
    if fmt == "pdf":
        text = subprocess.run(
            ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
        ).stdout
        flat = " ".join(text.split())
        assert all(item_id in flat for item_id in order), flat
        positions = [flat.index(item_id) for item_id in order]
        assert positions == sorted(positions)  # the board's order
        title, sort_word = ("整改看板", "风险") if lang == "zh" else ("Remediation board", "risk")
        assert title in flat and sort_word in flat
        assert "UTC+" in flat or "UTC-" in flat  # the export time is local, with its offset
    else:
        ws = openpyxl.load_workbook(target).active
        assert ws is not None
        values = [[c.value for c in row] for row in ws.iter_rows()]
        head = next(n for n, row in enumerate(values) if row[0] == "编号")
        ids = [row[0] for row in values[head + 1 :] if row[0]]
        assert ids == order
        assert values[head][3] == "负责部门"
        risks = [row[1] for row in values[head + 1 :] if row[0]]
        assert risks == ["高", "中", "低"]
