"""The shell: filters, language switch, help and palette, errors, layout, home, first run, unlock, verify."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, cast

from textual.widgets import Button, DataTable, Input, Label, Select

from gradesec import i18n
from gradesec.errors import GradesecError
from gradesec.journal.clock import FrozenClock
from gradesec.journal.keys import Signer, list_keys, new_key
from gradesec.tui.app import GradesecApp
from gradesec.tui.session import Launch
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import open_context
from tests.tui.conftest import demo_app, on_screen, open_workspace, screen_name, settle, wait_for

SEED = bytes(range(32))


async def test_filters_narrow_the_tree(demo_store: Path) -> None:
    """High risk shows only the items with a high issue; search text and one asset narrow it further."""
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        tree = ws.query_one("#ws-tree")
        everything = len(tree.item_nodes)
        ws.query_one("#ws-mode", Select).value = "high"
        await pilot.pause()
        high = set(tree.item_nodes)
        assert high == {i for (i, _a), issue in ws.model.issues.items() if issue.effective == "high"}
        assert 0 < len(high) < everything
        ws.query_one("#ws-mode", Select).value = "unanswered"
        await pilot.pause()
        assert all(not ws.model.status(i).complete for i in tree.item_nodes)
        ws.query_one("#ws-mode", Select).value = "all"
        await pilot.press("slash", "C", "E", "S", "-", "0", "1", "enter")
        assert set(tree.item_nodes) and all(i.startswith("CES-01") for i in tree.item_nodes)
        ws.query_one("#ws-search", Input).value = ""
        asset = ws.model.assets[0].id
        ws.query_one("#ws-asset", Select).value = asset
        await pilot.pause()
        assert all(asset in ws.model.applies[i] for i in tree.item_nodes)
        assert ws.query_one("#ws-grid").current_asset() == asset


async def test_language_switch_relabels_every_screen(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        grid = ws.query_one("#ws-grid")
        assert grid.render_line(0).text.split()[0] == "Asset"
        await pilot.press("f2")
        assert i18n.get_lang() == "zh"
        assert grid.render_line(0).text.split()[0] == "资产"
        assert "第3级" in str(ws.sub_title)
        category = next(iter(ws.query_one("#ws-tree").category_nodes.values()))
        assert "安全物理环境" in str(category.label)
        await pilot.press("escape")
        await on_screen(pilot, "HomeScreen")
        assert "存储" in str(app.screen.sub_title)
        await pilot.press("f2")
        assert i18n.get_lang() == "en"
        assert "Store" in str(app.screen.sub_title)


async def test_help_lists_bindings_with_ids_and_palette_runs_actions(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        await pilot.press("f1")
        await on_screen(pilot, "HelpScreen")
        table = app.screen.query_one(DataTable)
        ids = {table.get_row_at(r)[2] for r in range(table.row_count)}
        assert {"ws.record.compliant", "ws.note", "app.lang", "app.help", "screen.verify"} <= ids
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await on_screen(pilot, "CommandPalette")
        await pilot.press(*"policy")
        from textual.command import CommandList

        await wait_for(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        first = ws.model.policy_id
        await pilot.press("enter")
        await wait_for(pilot, lambda: ws.model.policy_id != first)


async def test_user_errors_are_notifications_and_bugs_a_modal(demo_store: Path) -> None:
    app = demo_app(demo_store, open_inspection=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_screen(pilot, "HomeScreen")
        app.show_error(GradesecError("Nothing to see.", "Look elsewhere."))
        await pilot.pause()
        assert [n.title for n in app._notifications] == ["Nothing to see."]
        app.show_error(RuntimeError("boom"))
        await on_screen(pilot, "ErrorScreen")
        await pilot.press("escape")
        assert screen_name(app) == "HomeScreen"


async def test_narrow_terminal_folds_the_score_panel(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        ws = await open_workspace(pilot)
        assert ws.has_class("-narrow")
        assert not ws.query_one("#ws-score").display
        assert ws.query_one("#ws-score-line").display
        await pilot.press("s")
        assert ws.query_one("#ws-score").display


def selected_kind(app: Any) -> str | None:
    """The kind of what the home screen has selected (unit, system, inspection), if anything."""
    selected = getattr(app.screen, "selected", None)
    return cast(Any, selected)[0] if selected is not None else None


async def test_home_creates_unit_system_asset_and_inspection(tmp_path: Path) -> None:
    """On an empty store: u, s (graded by the helper), a and i create what the store then holds."""
    store = tmp_path / "store"
    signer = Signer.from_seed(SEED, "Li Lei", "inspector", "Test Lab")
    app = GradesecApp(Launch(store, signer=signer, clock=FrozenClock(), steady_cursor=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await on_screen(pilot, "HomeScreen")
        await wait_for(pilot, lambda: app.session.ready)
        await pilot.press("u")
        await on_screen(pilot, "FormModal")
        app.screen.query_one("#field-name", Input).value = "Harbour Authority"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_for(pilot, lambda: selected_kind(app) == "unit")
        await pilot.press("s")
        await on_screen(pilot, "SystemForm")
        form = app.screen
        form.query_one("#field-name", Input).value = "Port portal"
        form.query_one("#field-business", Select).value = "society:serious"
        form.query_one("#field-service", Select).value = "citizen:serious"
        await wait_for(pilot, lambda: "Level 3" in str(form.query_one("#form-hint", Label).content))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_for(pilot, lambda: selected_kind(app) == "system")
        await pilot.press("a")
        await on_screen(pilot, "FormModal")
        app.screen.query_one("#field-kind", Select).value = "server"
        app.screen.query_one("#field-name", Input).value = "web-1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("i")
        await on_screen(pilot, "InspectionForm")
        assert app.screen.query_one("#field-profile", Select).value == "mlps-l3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_for(pilot, lambda: selected_kind(app) == "inspection")
        await pilot.press("enter")
        ws = await open_workspace(pilot)
        await pilot.press("u", "1")
        await settle(pilot)
        assert len(ws.model.findings) == 1
    with open_context(store) as ctx:
        (unit,) = uc.list_units(ctx)
        (system,) = uc.list_systems(ctx)
        (insp,) = uc.list_inspections(ctx)
        view = uc.load_inspection(ctx, insp.id)
    assert (unit.name, system.name, system.level) == ("Harbour Authority", "Port portal", 3)
    # the inspection also covers one object per category (machine room, network, management …), as on the CLI
    assert [a.name for a in view.assets if a.kind == "server"] == ["web-1"]
    assert len(view.assets) > 1
    assert [f.result for f in view.findings.values()] == ["compliant"]


async def test_first_run_creates_identity_and_store(tmp_path: Path) -> None:
    config, store = tmp_path / "config", tmp_path / "store"
    app = GradesecApp(Launch(store, config_dir=config, steady_cursor=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "OnboardingScreen")
        screen = app.screen
        screen.query_one("#name", Input).value = "Han Meimei"
        screen.query_one("#org", Input).value = "City Lab"
        screen.query_one("#pass1", Input).value = "correct horse"
        screen.query_one("#pass2", Input).value = "correct hose"
        await pilot.press("ctrl+s")
        assert "differ" in str(screen.query_one("#form-error", Label).content)
        screen.query_one("#pass2", Input).value = "correct horse"
        await pilot.press("ctrl+s")
        await on_screen(pilot, "HomeScreen")
        await wait_for(pilot, lambda: app.session.ready)
    (key,) = list_keys(config)
    assert (key.name, key.role, key.org) == ("Han Meimei", "inspector", "City Lab")
    with open_context(store) as ctx:
        assert ctx.store.owner == key.key_id


async def test_unlock_refuses_a_wrong_passphrase(tmp_path: Path) -> None:
    config, store = tmp_path / "config", tmp_path / "store"
    new_key("Wei", "reviewer", "", "s3cret passphrase", config_dir=config)
    app = GradesecApp(Launch(store, config_dir=config, steady_cursor=True))
    async with app.run_test(size=(80, 24)) as pilot:
        # A longer ceiling: the first start in a busy test worker loads the whole catalog before this screen.
        await on_screen(pilot, "UnlockScreen", rounds=6000)
        screen = app.screen
        screen.query_one("#passphrase", Input).value = "guess"
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: (
                bool(str(screen.query_one("#form-error", Label).content).strip("… "))
                and not screen.query_one("#unlock", Button).disabled
            ),
            rounds=6000,
        )
        assert screen_name(app) == "UnlockScreen"
        screen.query_one("#passphrase", Input).value = "s3cret passphrase"
        await pilot.press("enter")
        await on_screen(pilot, "HomeScreen", rounds=6000)
        await wait_for(pilot, lambda: app.session.ready)
        assert app.session.signer is not None and app.session.signer.name == "Wei"


async def test_verify_reports_a_good_store_and_a_tampered_one(demo_store: Path) -> None:
    app = demo_app(demo_store, open_inspection=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_screen(pilot, "HomeScreen")
        await wait_for(pilot, lambda: app.session.ready)
        await pilot.press("V")
        await wait_for(
            pilot,
            lambda: screen_name(app) == "VerifyScreen" and getattr(app.screen, "report", None) is not None,
        )
        screen: Any = app.screen
        assert screen.report.ok
        assert screen.query_one("#verify-authors", DataTable).row_count == 1
        # Change one stored event's bytes behind gradesec's back.
        db = sqlite3.connect(demo_store / "gradesec.db")
        with db:
            rowid, raw = db.execute(
                "SELECT id, raw FROM events WHERE kind = 'finding.recorded' LIMIT 1"
            ).fetchone()
            forged = bytes(raw).replace(b'"compliant"', b'"partial"')
            assert forged != bytes(raw)
            db.execute("UPDATE events SET raw = ? WHERE id = ?", (forged, rowid))
        db.close()
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.report is not None and not screen.report.ok)
        problems = screen.query_one("#verify-problems", DataTable)
        assert problems.row_count >= 1
        assert "seq" in str(problems.get_row_at(0)[0])


async def test_quitting_writes_a_checkpoint_once(demo_store: Path) -> None:
    """Ctrl+Q signs a checkpoint of the session (after the writes still queued); quitting again with nothing
    new writes no second one."""

    def checkpoints() -> list[int]:
        db = sqlite3.connect(demo_store / "gradesec.db")
        try:
            return [r[0] for r in db.execute("SELECT seq FROM events WHERE kind = 'checkpoint.recorded'")]
        finally:
            db.close()

    before = checkpoints()
    app = demo_app(demo_store)
    async with app.run_test() as pilot:
        await open_workspace(pilot)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app._exit)
    assert checkpoints() == before  # the demo's build ended with a checkpoint: nothing new to witness
    app = demo_app(demo_store)
    async with app.run_test() as pilot:
        await open_workspace(pilot)
        await pilot.press("1")  # a result: a session with something new, quit right after it is queued
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app._exit)
    after_first = checkpoints()
    assert len(after_first) == len(before) + 1
    app = demo_app(demo_store)
    async with app.run_test() as pilot:
        await open_workspace(pilot)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app._exit)
    assert checkpoints() == after_first
    from gradesec.journal import Store

    store = Store.open(demo_store)
    try:
        assert store.verify().ok
    finally:
        store.close()
