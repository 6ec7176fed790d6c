"""Creating an inspection in the TUI with extension sets: the composed profile (``mlps-l3+cloud-customer+iot``)
is stored and the workspace's tree holds the extension items."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Label, Select

from gradesec.tui.screens.home import HomeTree
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import open_context
from tests.tui.conftest import DEMO_INSPECTION, demo_app, on_screen, open_workspace, settle, wait_for


def _ext_items(catalog: Any, ext: str, level: int) -> set[str]:
    return {
        item.id
        for checklist in catalog.extension_checklists(ext, level)
        for control in checklist.controls
        for item in control.items
        if level in item.levels
    }


async def test_inspection_form_composes_extension_sets(demo_store: Path) -> None:
    app = demo_app(demo_store, open_inspection=False)
    async with app.run_test(size=(120, 40)) as pilot:
        home = await on_screen(pilot, "HomeScreen")
        await wait_for(pilot, lambda: bool(home.data.units) and app.session.catalog is not None)
        system = next(s for group in home.data.systems.values() for s in group if s.level == 3)
        tree = home.query_one(HomeTree)
        stack = list(tree.root.children)
        node = None
        while stack:
            node = stack.pop(0)
            if node.data == ("system", system.id):
                break
            stack += list(node.children)
        assert node is not None and node.data == ("system", system.id)
        tree.move_cursor(node)
        await wait_for(pilot, lambda: home.selected == ("system", system.id))
        await pilot.press("i")
        form = await on_screen(pilot, "InspectionForm")
        # Every extension set shipped at level 3 is offered (none chosen at first), the cloud one with its sides.
        for ext in ("cloud", "mobile", "iot", "ics", "bigdata"):
            assert form.query_one(f"#field-ext_{ext}", Select).value == ""  # "no"
        form.query_one("#field-profile", Select).value = "mlps-l3"
        form.query_one("#field-ext_cloud", Select).value = "cloud-customer"
        form.query_one("#field-ext_iot", Select).value = "yes"
        hint = form.query_one("#form-hint", Label)
        await wait_for(pilot, lambda: "(mlps-l3+cloud-customer+iot)" in str(hint.content))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_for(
            pilot,
            lambda: (
                home.selected is not None
                and home.selected[0] == "inspection"
                and home.selected[1] != DEMO_INSPECTION
            ),
        )
        await pilot.press("enter")
        ws = await open_workspace(pilot)
        assert ws.model.inspection.profile_id == "mlps-l3+cloud-customer+iot"
        shown = set(ws.query_one("#ws-tree").item_nodes)
        catalog = app.session.catalog
        cloud, iot, mobile = (_ext_items(catalog, ext, 3) for ext in ("cloud", "iot", "mobile"))
        assert shown & cloud and shown & iot
        assert not shown & mobile  # not chosen
        customer = {ri.item.id for ri in catalog.items_for("mlps-l3+cloud-customer")} & cloud
        assert shown & cloud == customer and customer < cloud  # the provider-only items are left out
    with open_context(demo_store) as ctx:
        profiles = {i.profile_id for i in uc.list_inspections(ctx)}
    assert "mlps-l3+cloud-customer+iot" in profiles
