"""The officer imports a bundle in the TUI: pick the file, see the verified signer, accept or refuse (Pilot).

Two real stores: the inspector's (who exports) and the officer's, new and empty (who imports).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, Static

from gradesec.catalog.loader import Catalog
from gradesec.journal import FrozenClock, Signer
from gradesec.journal.keys import format_key_id
from gradesec.tui.app import GradesecApp
from gradesec.tui.session import Launch
from gradesec.usecases import bundles
from gradesec.usecases.context import Context, open_context
from tests.remedy.conftest import inspect, state_hash


async def _until(pilot: Any, ready: Any, rounds: int = 600) -> None:
    for _ in range(rounds):
        if ready():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never reached the expected state")


def _name(app: Any) -> str:
    return type(app.screen).__name__


def _officer_app(olga: Context) -> tuple[GradesecApp, Path, Signer]:
    store_dir, signer = olga.store.root, olga.signer
    olga.close()
    launch = Launch(
        store_dir=store_dir, signer=signer, clock=FrozenClock("2026-12-20T02:00:00.000Z"), steady_cursor=True
    )
    return GradesecApp(launch), store_dir, signer


def _hash(root: Path, signer: Signer, catalog: Catalog) -> str:
    ctx = open_context(root, signer=signer, catalog=catalog)
    try:
        return state_hash(ctx)
    finally:
        ctx.close()


async def _to_prompt(pilot: Any, app: GradesecApp, bundle: Path) -> Any:
    await _until(pilot, lambda: app.session.ready and _name(app) == "HomeScreen")
    await pilot.press("B")  # the home screen's key for the import screen (also in the palette)
    await _until(pilot, lambda: _name(app) == "BundlePathForm")
    app.screen.query_one("#field-path", Input).value = str(bundle)
    await pilot.press("enter")
    await _until(pilot, lambda: _name(app) == "ConfirmModal")
    return app.screen


def test_officer_imports_after_accepting_the_verified_signer(
    parties: dict[str, Context], catalog: Catalog, tmp_path: Path
) -> None:
    ivan, olga = parties["ivan"], parties["olga"]
    field = inspect(ivan, catalog, tmp_path)
    bundle = bundles.export(ivan, tmp_path / "from-ivan.gsb", inspection=field.inspection).path
    kid = ivan.signer.key_id
    app, _root, _signer = _officer_app(olga)

    async def drive() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            prompt = await _to_prompt(pilot, app, bundle)
            body = str(prompt.query_one("#confirm-body", Static).render())
            # The verified key id, and the identity the key's own chain declares.
            assert format_key_id(kid) in body
            assert "Inspector Ivan" in body and "Role: Inspector" in body and "Test Org" in body
            assert "Trust 1 new signer?" in str(prompt.query_one(".dialog-title").render())
            await pilot.press("y")
            await _until(pilot, lambda: getattr(app.screen, "outcome", "") == "imported")
            screen = app.screen
            summary = str(screen.query_one("#import-summary", Static).render())
            assert "Now trusting key" in summary and "Imported" in summary
            assert kid in {k.key_id for k in app.session.ctx.store.trusted_keys()}
            # The board of the imported inspection works straight away.
            await pilot.press("r")
            await _until(pilot, lambda: _name(app) == "RemedyScreen" and app.screen.is_mounted)
            assert app.screen.query_one("#remedy-items", DataTable).row_count == 3

    asyncio.run(drive())


def test_refusing_the_signer_changes_nothing(
    parties: dict[str, Context], catalog: Catalog, tmp_path: Path
) -> None:
    ivan, olga = parties["ivan"], parties["olga"]
    field = inspect(ivan, catalog, tmp_path)
    bundle = bundles.export(ivan, tmp_path / "from-ivan.gsb", inspection=field.inspection).path
    app, root, signer = _officer_app(olga)
    before = _hash(root, signer, catalog)

    async def drive() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await _to_prompt(pilot, app, bundle)
            await pilot.press("n")
            await _until(pilot, lambda: getattr(app.screen, "outcome", "") == "refused")
            status = str(app.screen.query_one("#import-status", Static).render())
            assert "nothing was imported" in status
            assert not app.screen.check_action("board", ())

    asyncio.run(drive())
    assert _hash(root, signer, catalog) == before


def test_a_damaged_bundle_is_refused_before_any_prompt(
    parties: dict[str, Context], catalog: Catalog, tmp_path: Path
) -> None:
    ivan, olga = parties["ivan"], parties["olga"]
    field = inspect(ivan, catalog, tmp_path)
    bundle = bundles.export(ivan, tmp_path / "from-ivan.gsb", inspection=field.inspection).path
    damaged = tmp_path / "damaged.gsb"
    raw = bytearray(bundle.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    app, root, signer = _officer_app(olga)
    before = _hash(root, signer, catalog)

    async def drive() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await _until(pilot, lambda: app.session.ready and _name(app) == "HomeScreen")
            await pilot.press("B")
            await _until(pilot, lambda: _name(app) == "BundlePathForm")
            app.screen.query_one("#field-path", Input).value = str(damaged)
            await pilot.press("enter")
            await _until(pilot, lambda: getattr(app.screen, "outcome", "") == "failed")
            assert _name(app) == "ImportScreen"
            assert "nothing was imported" in str(app.screen.query_one("#import-status", Static).render())

    asyncio.run(drive())
    assert _hash(root, signer, catalog) == before


def test_review_names_only_the_signers_not_yet_trusted(
    parties: dict[str, Context], catalog: Catalog, tmp_path: Path
) -> None:
    ivan, olga = parties["ivan"], parties["olga"]
    field = inspect(ivan, catalog, tmp_path)
    bundle = bundles.export(ivan, tmp_path / "b.gsb", inspection=field.inspection).path
    first = bundles.review(olga, bundle)
    assert list(first.untrusted) == [ivan.signer.key_id]
    assert first.untrusted[ivan.signer.key_id].name == "Inspector Ivan"
    assert first.new_events > 0
    bundles.import_(olga, bundle, trust=list(first.untrusted))
    again = bundles.review(olga, bundle)
    assert again.untrusted == {} and again.new_events == 0
