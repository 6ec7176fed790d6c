"""Exporting from the TUI: `x` opens the options, the worker writes the file, errors are notifications."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from gradesec.tui.screens.export import ExportRequest
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import open_context
from tests.tui.conftest import DEMO_INSPECTION, demo_app, on_screen, open_workspace, screen_name, wait_for


def demo_names(store: Path) -> tuple[str, list[str]]:
    """The demo inspection's system name and its asset names, read from the store."""
    with open_context(store) as ctx:
        view = uc.load_inspection(ctx, DEMO_INSPECTION)
        return view.system.name, [a.name for a in view.assets]


async def fill(pilot: Pilot[Any], path: Path, fmt: str, kind: str = "inspection", lang: str = "en") -> Any:
    """Fill the open export dialog (the format first: changing it adjusts the path's extension)."""
    dialog = await on_screen(pilot, "ExportScreen")
    dialog.query_one("#export-kind", Select).value = kind
    dialog.query_one("#export-format", Select).value = fmt
    dialog.query_one("#export-lang", Select).value = lang
    await pilot.pause()
    dialog.query_one("#export-path", Input).value = str(path)
    await pilot.pause()
    return dialog


def notices(app: Any) -> list[Any]:
    return list(app._notifications)


async def finished(pilot: Pilot[Any], app: Any, count: int) -> Any:
    """Wait until the export has ended: ``count`` notifications and the progress window gone."""
    await wait_for(pilot, lambda: len(notices(app)) >= count and screen_name(app) != "ExportProgress")
    return notices(app)[count - 1]


async def test_workspace_exports_the_inspection_report_as_pdf(demo_store: Path, tmp_path: Path) -> None:
    """x in the workspace, a path in a folder that does not exist yet, PDF: the report is written there."""
    system, _assets = demo_names(demo_store)
    target = tmp_path / "out" / "report.pdf"  # a folder that does not exist yet
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_workspace(pilot)
        await pilot.press("x")
        await fill(pilot, target, "pdf")
        await pilot.click("#submit")
        notice = await finished(pilot, app, 1)
        assert screen_name(app) == "WorkspaceScreen"
        assert notice.severity == "information" and notice.title == "Report exported"
        assert str(target) in notice.message and "pages" in notice.message
    number = notice.message.rsplit("report number ", 1)[1].rstrip(").")
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert number in text and system in text
    assert "Graded Protection Inspection Report" in text
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.pdf"]  # no .part left behind


async def test_home_exports_the_record_workbook_for_the_selected_inspection(
    demo_store: Path, tmp_path: Path
) -> None:
    """On home, x exports the selected inspection; the workbook has a summary and one sheet per asset."""
    from openpyxl import load_workbook

    system, assets = demo_names(demo_store)
    target = tmp_path / "records.xlsx"
    app = demo_app(demo_store, open_inspection=False)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await on_screen(pilot, "HomeScreen")
        await wait_for(pilot, lambda: home.selected == ("inspection", DEMO_INSPECTION))
        await pilot.press("x")
        dialog = await fill(pilot, target, "xlsx")
        assert dialog.inspection_id == DEMO_INSPECTION
        await pilot.press("enter")  # in the path input
        notice = await finished(pilot, app, 1)
    # The count is of the asset sheets (report.xlsx.build_workbook), besides the summary.
    assert f"({len(assets) + 1} sheets)" in notice.message  # summary + assets
    book = load_workbook(target, read_only=True)
    assert book.sheetnames[0] == "Summary"
    assert len(book.sheetnames) == len(assets) + 1
    assert all(any(asset.startswith(name) for asset in assets) for name in book.sheetnames[1:])
    summary = [str(cell) for row in book["Summary"].iter_rows(values_only=True) for cell in row if cell]
    assert system in summary
    book.close()


async def test_bad_path_is_refused_and_writes_nothing(demo_store: Path, tmp_path: Path) -> None:
    """A folder under a regular file: the dialog says so and stays; the same path given straight to the
    worker ends in an error notification, not a crash; nothing is written either way."""
    out = tmp_path / "out"
    out.mkdir()
    blocker = out / "notes.txt"
    blocker.write_text("a file, not a folder\n", encoding="utf-8")
    target = blocker / "sub" / "report.pdf"
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        await pilot.press("x")
        dialog = await fill(pilot, target, "pdf")
        await pilot.click("#submit")
        error = dialog.query_one("#form-error", Static)
        await wait_for(pilot, lambda: "not a folder" in str(error.content))
        assert screen_name(app) == "ExportScreen"
        dialog.query_one("#export-path", Input).value = str(out / "report.xlsx")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "must end in .pdf" in str(error.content))
        await pilot.press("escape")
        await on_screen(pilot, "WorkspaceScreen")
        ws.start_export(ExportRequest(DEMO_INSPECTION, "plan", "pdf", "en", target))
        notice = await finished(pilot, app, 1)
        assert notice.severity == "error" and str(target) in notice.title
        assert screen_name(app) == "WorkspaceScreen"
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder\n"
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


async def test_escape_cancels_and_the_palette_offers_export(demo_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "never.pdf"
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        await pilot.press("ctrl+p")
        await on_screen(pilot, "CommandPalette")
        await pilot.press(*"export")
        from textual.command import CommandList

        await wait_for(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        dialog = await fill(pilot, target, "pdf")
        path = dialog.query_one("#export-path", Input)
        dialog.query_one("#export-format", Select).value = "xlsx"  # the user's name keeps up with the format
        await wait_for(pilot, lambda: path.value == str(out / "never.xlsx"))
        await pilot.press("escape")
        await on_screen(pilot, "WorkspaceScreen")
        assert not [w for w in ws.workers if w.group == "export"]
        assert not notices(app)
    assert list(out.iterdir()) == []
