"""The inspector's overview: every open problem on one page, the next unrated one, and a jump back to it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from tests.tui.conftest import demo_app, on_screen, open_workspace


async def test_problems_page_lists_issues_and_jumps_to_the_next_unrated(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(140, 45)) as pilot:
        ws = await open_workspace(pilot)
        issues = ws.model.issues
        unrated = {k for k, i in issues.items() if i.risk is None}
        assert unrated
        await pilot.press("i")
        page = await on_screen(pilot, "ProblemsScreen")
        table = page.query_one(DataTable)
        assert table.row_count == len(issues)
        assert f"{len(issues)} problems, {len(unrated)} of them" in str(
            page.query_one("#problems-summary").render()
        )
        # High risks come first.
        assert issues[page.rows[0]].effective == "high"
        await pilot.press("U")
        chosen = page.rows[table.cursor_row]
        assert chosen in unrated
        await pilot.press("enter")
        await on_screen(pilot, "WorkspaceScreen")
        assert ws.current() == chosen
        # From the workspace, U goes on to the next unrated issue.
        await pilot.press("U")
        assert (ws.current() in unrated and ws.current() != chosen) or len(unrated) == 1
