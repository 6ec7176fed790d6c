"""Keys a screen keeps out of the footer's usual places (``FOOTER_ALSO``) show only where they fit whole:
``B`` (import a bundle) on the home screen after the keys that create and open, from 120 columns; at 80 it is
left out. No key is shown cut: what does not fit whole is left out. The workspace names ``t`` (its team) the same way; an action the
screen does not bind is skipped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets._footer import FooterKey

from gradesec.tui.widgets.footer import LocalFooter
from tests.tui.conftest import demo_app, open_workspace, wait_for

IMPORT = "open_feature('import')"


def shown(app: Any) -> list[FooterKey]:
    """The footer's keys that are displayed, left to right (not the palette key, docked right)."""
    keys = [k for k in app.screen.query(FooterKey) if "-command-palette" not in k.classes and k.display]
    keys = [k for k in keys if k.region]
    return sorted(keys, key=lambda k: k.region.x)


def whole(app: Any, key: FooterKey) -> bool:
    palette = [k for k in app.screen.query(FooterKey) if "-command-palette" in k.classes]
    right = min([app.size.width, *(k.region.x for k in palette if k.region)])
    return bool(key.region) and key.region.right <= right


def laid_out(app: Any, action: str) -> bool:
    return any(k.action == action and k.region for k in shown(app))


async def test_the_import_key_shows_on_home_where_it_fits_whole(demo_store: Path) -> None:
    app = demo_app(demo_store, open_inspection=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen" and laid_out(app, IMPORT))
        await pilot.pause(0.2)
        await wait_for(pilot, lambda: laid_out(app, "help") and laid_out(app, IMPORT))
        actions = [k.action for k in shown(app)]
        assert actions[:2] == ["help", "quit"], actions
        assert IMPORT in actions and actions.index(IMPORT) == actions.index("open") + 1, actions
        key = next(k for k in shown(app) if k.action == IMPORT)
        assert whole(app, key) and key.key == "B" and key.description == "Import a bundle"

        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: IMPORT not in [k.action for k in shown(app)])
        await pilot.pause(0.1)
        # It would be cut there, and so would the keys after "a": each key is whole or left out.
        assert all(whole(app, k) for k in shown(app))
        assert [k.action for k in shown(app)][:2] == ["help", "quit"]

        await pilot.resize_terminal(120, 40)  # room again: it comes back
        await wait_for(pilot, lambda: laid_out(app, IMPORT))
        await pilot.press("f2")  # and follows the language
        await wait_for(pilot, lambda: any(k.description == "导入交接包" for k in shown(app)))


async def test_the_workspace_footer_at_80_columns_keeps_its_keys_and_skips_unbound_ones(
    demo_store: Path,
) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        ws = await open_workspace(pilot)
        await pilot.pause(0.1)
        footer = ws.query_one(LocalFooter)
        assert "team" in type(ws).FOOTER_ALSO
        bound = {b.action for _n, b, _e, _t in ws.active_bindings.values()}
        also = [k for k in footer.query(FooterKey) if k.has_class("-also")]
        # A FOOTER_ALSO key is there only for an action the screen binds, and then only if it is whole.
        assert {k.action for k in also} <= bound
        assert all(whole(app, k) for k in shown(app))  # no key is cut
        visible = {k.action for k in shown(app)}
        wanted = {"help", "quit", "next_unanswered", "risk"} | {
            f"record('{r}')" for r in ("compliant", "partial", "noncompliant", "na")
        }
        assert wanted <= visible, wanted - visible


async def test_the_team_key_shows_in_the_workspace_once_the_team_action_is_bound(demo_store: Path) -> None:
    """``t`` (the team dialog) is bound on another branch; bound here at run time on the real screen, the
    footer shows it last where it fits whole (160 columns) and leaves it out at 80."""
    for size, expected in (((160, 50), True), ((80, 24), False)):
        app = demo_app(demo_store)
        async with app.run_test(size=size) as pilot:
            ws = await open_workspace(pilot)
            if "team" not in {b.action for _n, b, _e, _t in ws.active_bindings.values()}:
                ws._bindings.bind("t", "team", "tui.key.note", show=False)
                ws.refresh_bindings()
            await wait_for(pilot, lambda: laid_out(pilot.app, "help"))
            await pilot.pause(0.3)
            keys = shown(app)
            assert ("team" in [k.action for k in keys]) is expected, [k.action for k in keys]
            assert all(whole(app, k) for k in keys)
            if expected:
                assert keys[-1].action == "team" and keys[-1].key == "t"
