"""The workspace's responsive layout and its assets branch: names never ambiguous, the keys that matter in
the footer at 80 columns, the breakpoints, and choosing an asset in the tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets._footer import FooterKey

from gradesec.tui.widgets.asset_grid import AssetGrid
from gradesec.tui.widgets.item_tree import ItemTree
from tests.tui.conftest import demo_app, on_screen, open_workspace, wait_for


def _tree_names(tree: ItemTree, model: Any) -> dict[str, str]:
    """Each asset line of the tree, cut back to the part that names the asset."""
    out = {}
    for asset_id, node in tree.asset_nodes.items():
        plain = str(node.label)
        out[asset_id] = plain.split("  ")[0].rstrip()
    return out


def _pairs_that_read_alike(shown: dict[str, str], model: Any) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    alike = []
    for asset_id, text in shown.items():
        other = seen.get(text)
        if other is not None and model.asset_by_id[other].name != model.asset_by_id[asset_id].name:
            alike.append((other, asset_id))
        seen[text] = asset_id
    return alike


async def test_no_asset_reads_like_another_at_120_columns(demo_store: Path) -> None:
    """Two servers "Portal web server web-01/-02" are told apart in the tree and in the grid at 120×40."""
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        model = ws.model
        tree = ws.query_one(ItemTree)
        assert tree.assets_node is not None and len(tree.asset_nodes) == len(model.assets) == 22
        shown = _tree_names(tree, model)
        assert _pairs_that_read_alike(shown, model) == []
        web = [a.id for a in model.assets if a.name.startswith("Portal web server")]
        assert len(web) == 2 and shown[web[0]] != shown[web[1]]
        # The grid, on the item that applies to the most assets (both servers among them).
        item = max(model.items, key=lambda i: len(model.applies[i.id])).id
        assert set(web) <= set(model.applies[item])
        tree.select_item(item)
        await wait_for(pilot, lambda: ws.item_id == item)
        await pilot.pause()
        grid = ws.query_one(AssetGrid)
        cells = {asset_id: grid.cell(asset_id, "asset") for asset_id in model.applies[item]}
        assert grid.widths["asset"] < len("Portal web server web-01")  # cut: the test means something
        assert _pairs_that_read_alike(cells, model) == []
        assert all(cells[a].endswith(("web-01", "web-02")) for a in web)


async def test_breakpoints_and_footer_at_80_columns(demo_store: Path) -> None:
    """80: the score folds, the footer shows help, quit, the four results, u and r; 120: the default;
    200: the wide layout, the centre keeps at least 90 columns."""
    app = demo_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        ws = await open_workspace(pilot)
        assert ws.has_class("-narrow") and not ws.has_class("-wide")
        await pilot.pause()
        keys = [k for k in app.screen.query(FooterKey) if "-command-palette" not in k.classes]
        visible = {k.action for k in keys if k.region.right <= 80 - len(" ^p Commands ") and k.region.width}
        wanted = {"help", "quit", "next_unanswered", "risk"} | {
            f"record('{r}')" for r in ("compliant", "partial", "noncompliant", "na")
        }
        assert wanted <= visible, wanted - visible
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not ws.has_class("-narrow") and not ws.has_class("-wide")
        tree_width = ws.query_one(ItemTree).size.width
        assert tree_width >= 32
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        await pilot.pause()
        assert ws.has_class("-wide")
        assert ws.query_one("#ws-center").size.width >= 90
        assert ws.query_one(ItemTree).size.width > tree_width


async def test_choosing_an_asset_in_the_tree_puts_the_grid_on_it(demo_store: Path) -> None:
    """Enter on an asset of the tree's assets branch: the grid's cursor goes to that asset's row (on the
    item shown when it applies there, else on an item that applies to it), and the grid has the focus."""
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        model = ws.model
        tree = ws.query_one(ItemTree)
        grid = ws.query_one(AssetGrid)
        item = ws.item_id
        here = model.applies[item]
        # An asset the item shown applies to, not the row the cursor is on.
        same = next(a for a in here if a != grid.current_asset()) if len(here) > 1 else here[0]
        tree.focus()
        assert tree.select_asset(same)
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: grid.current_asset() == same and grid.has_focus)
        assert ws.item_id == item
        # An asset the item shown does not apply to: the workspace moves to an item that does.
        other = next(a.id for a in model.assets if a.id not in here)
        tree.focus()
        assert tree.select_asset(other)
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: grid.current_asset() == other and grid.has_focus)
        assert ws.item_id != item and other in model.applies[ws.item_id]
        assert tree.current_item() == ws.item_id
        # It went to a pair without a result; recording there counts on the asset's line in the tree.
        target = (ws.item_id, other)
        assert target not in model.findings
        done, total = model.asset_progress(other)
        await pilot.press("1")
        await wait_for(pilot, lambda: target in model.findings)
        await pilot.pause()
        assert model.asset_progress(other) == (done + 1, total)
        assert str(tree.asset_nodes[other].label).endswith(f"{done + 1}/{total}")


async def test_switching_the_theme_redraws_the_labels_in_its_colours(demo_store: Path) -> None:
    """F3: the tree's and the grid's labels (Rich text with the theme's colours in it) are drawn again."""
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        tree = ws.query_one(ItemTree)

        def id_style() -> str:
            label = tree.item_nodes[ws.item_id].label
            assert not isinstance(label, str)
            return str(label.spans[1].style)

        dark = id_style()
        assert dark == str(tree.get_component_rich_style("item-tree--id", partial=True))
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.theme == "gradesec-light" and id_style() != dark)
        assert id_style() == str(tree.get_component_rich_style("item-tree--id", partial=True))


async def test_the_too_small_notice_gives_back_the_right_breakpoint(demo_store: Path) -> None:
    """Below 80×24 the notice covers the workspace; when the terminal grows again the workspace takes the
    breakpoint of its new size (narrow at 100, wide at 200)."""
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        await pilot.resize_terminal(70, 20)
        await on_screen(pilot, "TooSmallScreen")
        await pilot.resize_terminal(100, 30)
        await on_screen(pilot, "WorkspaceScreen")
        await wait_for(pilot, lambda: ws.has_class("-narrow"))
        assert not ws.query_one("#ws-score").display
        await pilot.resize_terminal(200, 60)
        await wait_for(pilot, lambda: ws.has_class("-wide") and not ws.has_class("-narrow"))


async def test_home_says_loading_not_empty_before_the_store_is_open(tmp_path: Path) -> None:
    """On the first run the onboarding covers home; below it home says it is opening, not "no units yet"."""
    from textual.widgets import Static

    from gradesec.i18n import t
    from gradesec.tui.app import GradesecApp
    from gradesec.tui.session import Launch

    app = GradesecApp(Launch(tmp_path / "store", config_dir=tmp_path / "config", steady_cursor=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "OnboardingScreen")
        home: Any = next(s for s in app.screen_stack if type(s).__name__ == "HomeScreen")
        shown = str(home.query_one("#home-info", Static).render())
        assert not home.loaded
        assert shown in (t("tui.boot.opening"), t("tui.home.loading"))
        assert t("tui.home.welcome").splitlines()[0] not in shown
