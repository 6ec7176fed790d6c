"""Opening an item draws the tree's cursor, the item's text and its asset grid in one frame; recording a result
draws the row, the tree's mark and the score in one frame.

Each frame Textual writes is counted (a spy on the app's ``_display``), and a spy on the widgets' ``render_line``
notes in which frame each widget's lines were rendered. Before the tree posted ``ItemChosen`` straight to the
screen, the cursor's lines came in one frame and the item in the next (``widgets/repaint.py``).
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

from gradesec.tui.widgets.asset_grid import AssetGrid
from gradesec.tui.widgets.item_detail import ItemDetail
from gradesec.tui.widgets.item_tree import ItemTree
from gradesec.tui.widgets.score_panel import ScorePanel
from tests.tui.conftest import demo_app, open_workspace, settle, wait_for


def count_frames(app: Any) -> list[int]:
    """The number of frames written from now on (one element, updated in place)."""
    frames = [0]
    display = app._display

    def counted(screen: Any, update: Any) -> None:
        frames[0] += 1
        display(screen, update)

    app._display = counted
    return frames


def frames_drawn(widget: Any, frames: list[int]) -> set[int]:
    """The frames (by number) in which ``widget`` rendered lines from now on."""
    drawn: set[int] = set()
    real = widget.render_line

    def render_line(y: int) -> Any:
        drawn.add(frames[0] + 1)  # counted when the frame is written, after its lines are rendered
        return real(y)

    widget.render_line = render_line
    return drawn


async def test_the_cursor_the_item_and_its_grid_come_in_one_frame(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        model = ws.model
        tree = ws.query_one(ItemTree)
        order = list(tree.item_nodes)
        # Two items next to each other under one control, so the arrow goes from one to the other.
        first, second = next(
            (a, b)
            for a, b in pairwise(order)
            if model.item_by_id[a].control == model.item_by_id[b].control and model.applies.get(b)
        )
        tree.focus()
        tree.select_item(first)
        await wait_for(pilot, lambda: ws.item_id == first)
        await pilot.pause(0.2)
        frames = count_frames(app)
        drawn = {
            "tree": frames_drawn(tree, frames),
            "detail": frames_drawn(ws.query_one(ItemDetail), frames),
            "grid": frames_drawn(ws.query_one(AssetGrid), frames),
        }
        await pilot.press("down")
        await wait_for(pilot, lambda: ws.item_id == second and all(drawn.values()))
        await pilot.pause(0.2)
        first_frames = {name: min(seen) for name, seen in drawn.items()}
        assert len(set(first_frames.values())) == 1, first_frames
        assert tree.current_item() == second


async def test_a_recorded_result_comes_in_one_frame(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        model = ws.model
        item = next(
            i.id for i in model.items if len(model.applies[i.id]) >= 3 and model.status(i.id).done == 0
        )
        tree = ws.query_one(ItemTree)
        tree.select_item(item)
        await wait_for(pilot, lambda: ws.item_id == item)
        grid = ws.query_one(AssetGrid)
        grid.focus()
        await pilot.pause(0.2)
        recorded = model.score().progress.recorded
        frames = count_frames(app)
        put_at: list[int] = []
        put_finding = model.put_finding

        def put(finding: Any) -> None:
            put_at.append(frames[0])
            put_finding(finding)

        model.put_finding = put
        drawn = {
            "tree": frames_drawn(tree, frames),
            "grid": frames_drawn(grid, frames),
            "score": frames_drawn(ws.query_one("#ws-score", ScorePanel), frames),
        }
        await pilot.press("1")
        await settle(pilot)
        await wait_for(pilot, lambda: bool(put_at) and any(f > put_at[0] for f in drawn["score"]))
        await pilot.pause(0.2)
        assert model.score().progress.recorded == recorded + 1
        # The first frame after the result reached the model has the tree's mark, the grid's row and the score.
        after = {name: min(f for f in seen if f > put_at[0]) for name, seen in drawn.items()}
        assert len(set(after.values())) == 1, after
