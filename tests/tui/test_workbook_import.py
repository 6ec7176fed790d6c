"""Importing a record workbook from the workspace with real keys: w, the file picker, the sheets that match no
object listed with their guessed kind (one changed with the keyboard), then the assets made and the rows
recorded; Escape on the list changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from gradesec.catalog.loader import load_catalog
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import open_context
from gradesec.usecases.inventory import list_assets
from tests.report.fieldbooks import build
from tests.tui.conftest import DEMO_INSPECTION, demo_app, on_screen, open_workspace, settle, wait_for

NEW_SHEETS = ["Web服务器01", "核心数据库", "防火墙01", "业务终端1"]


def _workbook(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "record.xlsx"
    build(load_catalog(), 3, path)
    return path


async def _to_the_list(pilot: Pilot[Any]) -> Any:
    await open_workspace(pilot)
    await pilot.press("w")
    picker = await on_screen(pilot, "FilePicker")
    from textual.widgets import DirectoryTree

    tree = picker.query_one(DirectoryTree)
    await wait_for(pilot, lambda: len(tree.root.children) > 0)
    await pilot.press("down", "enter")
    return await on_screen(pilot, "NewSheetsModal")


async def test_unmatched_sheets_are_confirmed_with_their_kinds_then_imported(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _workbook(tmp_path / "books")
    monkeypatch.chdir(tmp_path / "books")
    kinds = list(load_catalog().object_kinds)
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        modal = await _to_the_list(pilot)
        guessed = {s.name: s.guessed_kind for s in modal.sheets}
        assert list(guessed) == NEW_SHEETS
        assert guessed["核心数据库"] == "database" and guessed["防火墙01"] == "security_device"
        first = modal.query_one("#wb-kind-0", Select)
        assert first.has_focus and first.value == "server"
        # Choose the kind after "server" in the list for the first sheet, with the keyboard.
        wanted = kinds[kinds.index("server") + 1]
        await pilot.press("enter", "down", "enter")
        await wait_for(pilot, lambda: first.value == wanted)
        await pilot.press("ctrl+s")
        await settle(pilot)
        ws = await open_workspace(pilot)
        await wait_for(pilot, lambda: any(a.name == "防火墙01" for a in ws.model.view.assets))
    with open_context(demo_store) as ctx:
        view = uc.load_inspection(ctx, DEMO_INSPECTION)
        made = {a.name: a for a in view.assets if a.name in NEW_SHEETS}
        assert {n: a.kind for n, a in made.items()} == {
            "Web服务器01": wanted,
            "核心数据库": "database",
            "防火墙01": "security_device",
            "业务终端1": "terminal",
        }
        recorded = [pair for pair in view.findings if pair[1] == made["核心数据库"].id]
        assert len(recorded) > 20  # the database sheet's rows are results now


async def test_escape_on_the_list_changes_nothing(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _workbook(tmp_path / "books")
    monkeypatch.chdir(tmp_path / "books")
    with open_context(demo_store) as ctx:
        before = ctx.store.count()
        system = uc.load_inspection(ctx, DEMO_INSPECTION).system.id
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_the_list(pilot)
        await pilot.press("escape")
        await on_screen(pilot, "WorkspaceScreen")
        await settle(pilot)
    with open_context(demo_store) as ctx:
        assert ctx.store.count() == before
        assert not {a.name for a in list_assets(ctx, system)} & set(NEW_SHEETS)
