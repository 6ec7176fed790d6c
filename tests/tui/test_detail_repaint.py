"""Opening another item repaints the item's text in its own pane, without a layout of the whole screen.

The detail pane is a Line API widget of a fixed size that draws its own scrollbar: a new item's text is
wrapped into it and its region repainted, whether the text is longer than the pane or not. A spy on the screen's layout and on the widgets' ``render_line`` tells what a cursor move redrew."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from gradesec.tui.widgets.item_detail import ItemDetail
from gradesec.tui.widgets.score_panel import ScorePanel
from tests.tui.conftest import demo_app, open_workspace, wait_for


def spy_lines(widget: Any, counter: Counter[int]) -> None:
    real = widget.render_line

    def render_line(y: int) -> Any:
        counter[y] += 1
        return real(y)

    widget.render_line = render_line


def drawn(detail: ItemDetail) -> str:
    return "\n".join(detail.render_line(y).text for y in range(detail.scrollable_content_region.height))


async def test_moving_the_cursor_to_another_item_repaints_the_detail_without_a_layout(
    demo_store: Path,
) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        tree = ws.query_one("#ws-tree")
        detail = ws.query_one(ItemDetail)
        tree.focus()
        await pilot.pause(0.1)
        layouts: list[
            bool
        ] = []  # one entry per layout of the screen (False: all of it, True: after a scroll)
        real_layout = ws._refresh_layout

        def refresh_layout(size: Any = None, scroll: bool = False) -> None:
            layouts.append(scroll)
            real_layout(size, scroll)

        ws._refresh_layout = refresh_layout  # type: ignore[method-assign]
        detail_lines: Counter[int] = Counter()
        panel_lines: Counter[int] = Counter()
        spy_lines(detail, detail_lines)
        spy_lines(ws.query_one("#ws-score", ScorePanel), panel_lines)

        opened = 0
        for _ in range(12):
            before = ws.item_id
            layouts.clear()
            detail_lines.clear()
            await pilot.press("down")
            await pilot.pause(0.1)
            if ws.item_id == before:
                continue  # the cursor is on a line of the tree that is not an item
            assert ws.item_id is not None
            opened += 1
            # The new item is on screen, its pane was repainted, and nothing was laid out again.
            assert drawn(detail).startswith(ws.item_id), drawn(detail)
            assert detail_lines, "the detail pane was not repainted"
            assert False not in layouts, (before, ws.item_id, layouts)
            assert not panel_lines, "the score panel was repainted though the score did not change"
        assert opened >= 5


async def test_a_long_item_scrolls_in_its_pane_with_the_scrollbar_drawn_in_its_last_column(
    demo_store: Path,
) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 30)) as pilot:
        ws = await open_workspace(pilot)
        detail = ws.query_one(ItemDetail)
        model = ws.model
        tree = ws.query_one("#ws-tree")
        for item in model.items:  # the first item whose text is longer than the pane
            tree.select_item(item.id)
            await pilot.pause(0.05)
            if detail.max_scroll_y > 0:
                break
        assert detail.max_scroll_y > 0
        await pilot.pause(0.1)
        width = detail.content_region.width
        top = detail.render_line(0)
        assert top.cell_length == width and top.text.startswith(ws.item_id or "?")
        bar_at_top = [list(detail.render_line(y))[-1] for y in range(detail.content_region.height)]
        detail.focus()
        await pilot.press("pagedown")
        await pilot.pause(0.1)
        assert detail.scroll_y > 0
        assert not detail.render_line(0).text.startswith(ws.item_id or "?")
        bar_below = [list(detail.render_line(y))[-1] for y in range(detail.content_region.height)]
        assert bar_below != bar_at_top  # the thumb moved
        # Another item starts at its top again.
        other = next(i.id for i in model.items if i.id != ws.item_id)
        tree.select_item(other)
        await wait_for(pilot, lambda: ws.item_id == other)
        await pilot.pause(0.1)
        assert detail.scroll_y == 0 and detail.render_line(0).text.startswith(other)
