"""The report editor: chapters of report fields with their drafts, accepting and editing through the keys."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Label, Static, TextArea

from gradesec.demo import demo_signer
from gradesec.usecases.context import open_context
from gradesec.usecases.report_fields import report_model
from tests.tui.conftest import DEMO_INSPECTION, demo_app, on_screen, open_workspace, settle, wait_for


async def test_a_draft_is_accepted_and_a_field_edited_with_keys(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_workspace(pilot)
        await pilot.press("W")
        screen = await on_screen(pilot, "ReportEditorScreen")
        await wait_for(pilot, lambda: screen.model is not None)
        assert "missing" in str(screen.query_one("#report-completeness", Label).render())
        # Chapter 2 (project): the purpose has a generated draft shown beside the (empty) text.
        await pilot.press("right_square_bracket")
        await pilot.pause()
        table = screen.query_one("#report-fields", DataTable)
        assert screen.rows[0] == "project.purpose"
        table.move_cursor(row=0)
        await pilot.pause()
        assert "graded-protection" in str(screen.query_one("#report-draft", Static).render())
        await pilot.press("a")
        await settle(pilot)
        await wait_for(pilot, lambda: screen.model.get("project.purpose").status == "accepted")
        # Edit the basis by hand.
        table.move_cursor(row=1)
        await pilot.pause()
        assert screen.rows[1] == "project.basis"
        await pilot.press("e")
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        area.text = "GB/T 22239-2019 and GB/T 28448-2019."
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_for(pilot, lambda: screen.model.get("project.basis").status == "set")
    with open_context(demo_store, signer=demo_signer("en")) as ctx:
        model = report_model(ctx, DEMO_INSPECTION, "en")
    assert model.get("project.purpose").status == "accepted"  # type: ignore[union-attr]
    assert model.text("project.basis") == "GB/T 22239-2019 and GB/T 28448-2019."
