"""Two inspectors disagree: the workspace marks the pair, lists who said what, and a reviewer rules with `d`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from gradesec.demo import demo_signer
from gradesec.journal.keys import Signer
from gradesec.tui.app import GradesecApp
from gradesec.tui.session import Launch
from gradesec.tui.widgets.asset_grid import AssetGrid
from gradesec.tui.widgets.item_detail import ItemDetail
from gradesec.tui.widgets.item_tree import ItemTree
from gradesec.usecases.context import open_context
from gradesec.usecases.inspections import disagreements, load_inspection, record_finding
from tests.handover import hand_over, second_store
from tests.tui.conftest import DEMO_INSPECTION, demo_app, on_screen, open_workspace, settle, wait_for


def signer(name: str, role: str) -> Signer:
    return Signer.from_seed(hashlib.sha256(name.encode()).digest(), name, role, "Test Org")


REVIEWER = signer("Reviewer Zhao", "reviewer")


def make_dispute(store: Path) -> tuple[str, str]:
    """The demo inspector and a second inspector, on his own laptop, record different results on one open
    pair; his bundle brings the disagreement into the demo store."""
    second = signer("Inspector Wang", "inspector")
    demo = demo_signer("en")
    with open_context(store, signer=demo) as ctx:
        ctx.store.trust(demo, REVIEWER.public_bytes, REVIEWER.identity)
        view = load_inspection(ctx, DEMO_INSPECTION)
        item, asset = next(
            (i.id, a.id)
            for i in view.items
            for a in view.applicable_assets(i)
            if (i.id, a.id) not in view.findings
        )
        with second_store(ctx, store.parent / "wang", second, store.parent) as wang:
            record_finding(ctx, DEMO_INSPECTION, item, asset, "compliant")
            record_finding(wang, DEMO_INSPECTION, item, asset, "noncompliant")
            hand_over(wang, ctx, store.parent)
        assert len(disagreements(ctx, DEMO_INSPECTION)) == 1
    return item, asset


def app_as(store: Path, key: Signer) -> GradesecApp:
    """The app as ``key``, on the test's clock (which reads a day after the demo's results)."""
    return GradesecApp(
        Launch(store_dir=store, signer=key, open_inspection=DEMO_INSPECTION, steady_cursor=True)
    )


async def test_a_reviewer_sees_the_disagreement_and_rules_on_it(demo_store: Path) -> None:
    item, asset = make_dispute(demo_store)
    app = app_as(demo_store, REVIEWER)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        assert ws.model.status(item).disputed
        tree = ws.query_one(ItemTree)
        tree.select_item(item)
        await wait_for(pilot, lambda: ws.item_id == item)
        assert "≠" in tree.item_nodes[item].label.plain
        ws.query_one(AssetGrid).select_asset(asset)
        await wait_for(pilot, lambda: ws.current() == (item, asset))
        assert "disputed" in ws.query_one(AssetGrid).cell(asset, "result")
        detail = ws.query_one(ItemDetail)._render_item().plain
        assert "Inspector Wang: Non-compl." in detail
        await pilot.press("d")
        form = await on_screen(pilot, "RulingForm")
        form.query_one("#field-result").value = "partial"
        form.query_one("#field-reason").value = "expiry set, complexity not"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_for(pilot, lambda: not ws.model.disputes)
        assert "≠" not in tree.item_nodes[item].label.plain
        assert "Partial" in ws.query_one(AssetGrid).cell(asset, "result")
    with open_context(demo_store) as ctx:
        assert disagreements(ctx, DEMO_INSPECTION) == []
        assert load_inspection(ctx, DEMO_INSPECTION).findings[(item, asset)].result == "partial"


async def test_an_inspector_may_not_rule_and_is_told_so(demo_store: Path) -> None:
    item, asset = make_dispute(demo_store)
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        ws.query_one(ItemTree).select_item(item)
        await wait_for(pilot, lambda: ws.item_id == item)
        ws.query_one(AssetGrid).select_asset(asset)
        await wait_for(pilot, lambda: ws.current() == (item, asset))
        await pilot.press("d")
        form = await on_screen(pilot, "RulingForm")
        form.query_one("#field-reason").value = "mine"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_for(pilot, lambda: any("reviewer" in str(n.title) for n in app._notifications))
        assert type(app.screen).__name__ == "WorkspaceScreen"
        assert ws.model.disputes
    with open_context(demo_store) as ctx:
        assert len(disagreements(ctx, DEMO_INSPECTION)) == 1


async def test_d_without_a_disagreement_only_tells_so(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_workspace(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "WorkspaceScreen"
        assert any("no disagreement" in n.message for n in app._notifications)
