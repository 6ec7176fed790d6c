"""Recording repaints what changed and nothing else: the recorded row, the cursor's new row, the tree line, the
score panel. The grid's other rows are not rendered again (Textual asks the grid for exactly the lines it
repaints, so a spy on ``render_line`` counts them)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from gradesec.tui.widgets.asset_grid import AssetGrid
from gradesec.tui.widgets.score_panel import ScorePanel
from tests.tui.conftest import demo_app, open_workspace, settle, wait_for


def spy_rows(grid: AssetGrid) -> Counter[int]:
    """Count the grid rows Textual renders from now on (row numbers, not screen lines; the header is -1)."""
    rendered: Counter[int] = Counter()
    real = grid.render_line

    def render_line(y: int) -> Any:
        rendered[int(grid.scroll_offset.y) + y - 1 if y else -1] += 1
        return real(y)

    grid.render_line = render_line  # type: ignore[method-assign]
    return rendered


def drawn_row(grid: AssetGrid, row: int) -> str:
    """The text of a row's line as the grid draws it (the row must be on screen)."""
    return grid.render_line(row - int(grid.scroll_offset.y) + 1).text


async def test_recording_repaints_only_the_changed_row_and_shows_the_new_state(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        model = ws.model
        item = next(
            i.id for i in model.items if len(model.applies[i.id]) >= 3 and model.status(i.id).done == 0
        )
        first, second = model.applies[item][:2]
        tree = ws.query_one("#ws-tree")
        grid = ws.query_one(AssetGrid)
        panel = ws.query_one("#ws-score", ScorePanel)
        tree.select_item(item)
        await wait_for(pilot, lambda: ws.current() == (item, first))
        await pilot.pause(0.1)
        assert "Compliant" not in drawn_row(grid, 0)
        assert str(tree.item_nodes[item].label).startswith("○")
        recorded = model.score().progress.recorded
        rendered = spy_rows(grid)

        await pilot.press("1")
        await settle(pilot)
        await wait_for(pilot, lambda: rendered[0] > 0)  # the frame with the new row was drawn
        await pilot.pause(0.1)

        # The new state is on screen: the row, the tree mark, the score panel.
        assert "Compliant" in drawn_row(grid, 0)
        assert str(tree.item_nodes[item].label).startswith("◐")
        assert panel.result is not None and panel.result.progress is not None
        assert panel.result.progress.recorded == recorded + 1
        drawn = "\n".join(panel.render_line(y).text for y in range(panel.size.height))
        assert f"{recorded + 1}/{panel.result.progress.applicable}" in drawn
        # Only the recorded row and the row the cursor moved to were rendered again.
        assert ws.current() == (item, second)
        assert set(rendered) <= {0, 1}, rendered
        assert len(model.applies[item]) >= 3 and 2 not in rendered


async def test_a_cursor_move_repaints_two_rows(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        model = ws.model
        item = next(i.id for i in model.items if len(model.applies[i.id]) >= 4)
        ws.query_one("#ws-tree").select_item(item)
        grid = ws.query_one(AssetGrid)
        await wait_for(pilot, lambda: ws.item_id == item)
        await pilot.pause(0.1)
        rendered = spy_rows(grid)
        grid.focus()
        await pilot.pause(0.1)
        rendered.clear()  # the focus change repaints the whole grid (its tint and cursor colour change)
        await pilot.press("down")
        await wait_for(pilot, lambda: rendered[1] > 0)
        await pilot.pause(0.1)
        assert ws.current() == (item, model.applies[item][1])
        assert set(rendered) == {0, 1}, rendered
