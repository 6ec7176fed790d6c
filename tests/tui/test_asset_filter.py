"""The workspace's asset filter drop-down shows whole asset names: its menu is as wide as the longest name (in
terminal columns, CJK counted two), moved left to stay on screen, and when even the screen is too narrow the
names are cut so that no two read alike (issue 14's leftover). Opened with the ``a`` key (Pilot)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from gradesec.textwidth import width
from tests.tui.conftest import DEMO_INSPECTION, demo_app, open_workspace

LONG = {
    "en": (
        "Municipal e-government portal primary database cluster, production environment node 01",
        "Municipal e-government portal primary database cluster, production environment node 02",
    ),
    "zh": (
        "市政务服务门户网站核心业务数据库集群生产环境（同城双活数据中心甲区）主节点一号",
        "市政务服务门户网站核心业务数据库集群生产环境（同城双活数据中心甲区）主节点二号",
    ),
}


def _add_long_assets(store: Path) -> None:
    from gradesec.demo import demo_signer
    from gradesec.usecases import inspections, inventory
    from gradesec.usecases.context import open_context

    with open_context(store, signer=demo_signer("en")) as ctx:
        view = inspections.load_inspection(ctx, DEMO_INSPECTION)
        specs = [("server", name) for names in LONG.values() for name in names]
        made = inventory.add_assets(ctx, view.system.id, specs)
        inspections.add_inspection_assets(ctx, DEMO_INSPECTION, [a.id for a in made])


def _menu_lines(app: Any) -> list[str]:
    """The screen as drawn, one string per row (what a person sees over the workspace)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def _prompts(overlay: SelectOverlay) -> list[str]:
    out = []
    for index in range(overlay.option_count):
        prompt = overlay.get_option_at_index(index).prompt
        out.append(getattr(prompt, "plain", str(prompt)))
    return out


@pytest.mark.parametrize("size", [(140, 40), (200, 50)])
async def test_the_asset_menu_shows_whole_long_names(demo_store: Path, size: tuple[int, int]) -> None:
    _add_long_assets(demo_store)
    app = demo_app(demo_store)
    async with app.run_test(size=size) as pilot:
        ws = await open_workspace(pilot)
        select = ws.query_one("#ws-asset", Select)
        await pilot.press("a")
        await pilot.pause()
        overlay = select.query_one(SelectOverlay)
        assert select.expanded and overlay.has_focus
        prompts = _prompts(overlay)
        for name in (*LONG["en"], *LONG["zh"]):
            assert name in prompts, prompts  # whole, not cut
        # The menu is wider than the select and fits the longest name (CJK at two columns each) …
        longest = max(width(name) for name in (*LONG["en"], *LONG["zh"]))
        region = overlay.region
        assert region.width > select.region.width
        assert overlay.scrollable_content_region.width >= longest + 2  # option padding 0 1
        # … and stays on screen (the select is at the right edge of the filter row).
        assert region.x >= 0 and region.right <= size[0]
        # What is drawn: scroll to each long name and read it on screen, whole.
        rows = _menu_lines(app)
        for name in (*LONG["en"], *LONG["zh"]):
            index = prompts.index(name)
            overlay.highlighted = index
            await pilot.pause()
            rows = _menu_lines(app)
            assert any(name in row for row in rows), (name, rows[region.y : region.bottom])
        # Choosing by keys still filters on the asset.
        overlay.highlighted = prompts.index(LONG["zh"][1])
        await pilot.press("enter")
        await pilot.pause()
        assert not select.expanded and ws.query_state.asset_id is not None
        assert ws.model.asset_by_id[ws.query_state.asset_id].name == LONG["zh"][1]


async def test_on_a_narrow_screen_the_names_are_cut_distinctly(demo_store: Path) -> None:
    _add_long_assets(demo_store)
    app = demo_app(demo_store)
    async with app.run_test(size=(80, 30)) as pilot:  # the smallest layout: 80 columns
        ws = await open_workspace(pilot)
        select = ws.query_one("#ws-asset", Select)
        await pilot.press("a")
        await pilot.pause()
        overlay = select.query_one(SelectOverlay)
        prompts = _prompts(overlay)
        room = overlay.scrollable_content_region.width - 2
        assert overlay.region.x >= 0 and overlay.region.right <= 80
        assert all(width(p) <= room for p in prompts), (
            room,
            overlay.region,
            [(p, width(p)) for p in prompts],
        )
        en = [p for p in prompts if p.startswith("Municipal")]
        zh = [p for p in prompts if p.startswith("市政务")]
        assert len(set(en)) == 2 and len(set(zh)) == 2, prompts  # cut, yet each reads differently
        assert all("…" in p for p in (*en, *zh))
        assert any(p.endswith("01") for p in en) and any(p.endswith("02") for p in en)
        assert any(p.endswith("一号") for p in zh) and any(p.endswith("二号") for p in zh)
        # Drawn as listed: the cut names are on screen.
        for name in (*en, *zh):
            overlay.highlighted = prompts.index(name)
            await pilot.pause()
            assert any(name in row for row in _menu_lines(app)), name
