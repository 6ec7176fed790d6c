"""A whole drill run by keys in the TUI (Pilot): start, release, mark, pause, observe, close; then the store."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path
from typing import Any

from gradesec.drill.clock import ManualTime
from gradesec.journal import FrozenClock, Signer
from gradesec.usecases import drills
from tests.drill.conftest import make_signer


async def _settle(pilot, app) -> None:  # type: ignore[no-untyped-def]
    """Wait until the writer thread has stored everything asked of it and the screen has redrawn."""
    for _ in range(200):
        await pilot.pause(0.02)
        if app.writer.idle:
            break
    await pilot.pause()


def test_a_drill_run_by_keys(tmp_path: Path) -> None:
    """Start portal-defacement, mark two expectations, pause, release by hand, observe, close."""
    asyncio.run(_run(tmp_path))


async def _run(tmp_path: Path) -> None:
    from gradesec.tui.app import GradesecApp
    from gradesec.tui.screens.drill import DrillScreen
    from gradesec.tui.session import Launch, Nav

    lead: Signer = make_signer("Lead Lin")
    launch = Launch(
        tmp_path / "store",
        config_dir=tmp_path / "config",
        signer=lead,
        clock=FrozenClock("2026-11-24T09:30:00.000Z"),
    )
    app = GradesecApp(launch)
    source = ManualTime()
    async with app.run_test(size=(140, 45)) as pilot:
        for _ in range(200):
            await pilot.pause(0.02)
            if app.session.ready:
                break
        assert app.session.ready
        screen = DrillScreen(Nav(app.session), time_source=source)
        await app.push_screen(screen)
        await pilot.pause()
        # The picker lists the scenarios; choose portal-defacement and start a drill with Enter.
        table = screen.query_one("#drill-pick-table")
        row = [ident for _kind, ident in screen.picker].index("portal-defacement")
        table.move_cursor(row=row)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await _settle(pilot, app)
        assert screen.loaded is not None and screen.drill_id is not None
        drill_id = screen.drill_id

        # Six minutes pass: the tick releases I1 on schedule; mark I1-E1 met.
        source.advance(6 * 60)
        await pilot.pause(0.6)
        await _settle(pilot, app)
        assert "I1" in screen.loaded.record.releases
        assert screen.exp_rows[0] == "I1-E1"
        await pilot.press("m")
        await _settle(pilot, app)
        # I1-E2 partial, then pause and resume the clock.
        await pilot.press("down", "p")
        await _settle(pilot, app)
        await pilot.press("space")
        await _settle(pilot, app)
        assert screen.loaded.record.paused
        source.advance(600)  # paused: drill time stands still
        await pilot.press("space")
        await _settle(pilot, app)
        # Release I2 early by hand, then record an observation through the form.
        await pilot.press("n")
        await _settle(pilot, app)
        assert screen.loaded.record.releases["I2"].manual
        await pilot.press("o")
        await pilot.pause()
        await pilot.click("#field-text")
        await pilot.press(*"Quick screenshots")
        await pilot.press("ctrl+s")
        await _settle(pilot, app)
        # The observation is listed on the drill screen at once.
        assert "Quick screenshots" in str(screen.query_one("#drill-observations").render())
        # Ending asks first (Escape keeps the drill running); then the rest is missed and the gaps become
        # improvements.
        await pilot.press("c")
        await pilot.pause()
        from gradesec.tui.screens.confirm import ConfirmModal

        modal: Any = app.screen
        assert isinstance(modal, ConfirmModal)
        body = str(modal.query_one("#confirm-body").render())
        assert "not yet marked: 12 of 14" in body and "not yet released: 5" in body
        await pilot.press("enter")  # the focus starts on Cancel
        await _settle(pilot, app)
        top: Any = app.screen
        assert top is screen
        assert status_of(screen) == "running"
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await _settle(pilot, app)
        assert status_of(screen) == "closed"
        # A finished drill stays listed, and opens for review (its observations and scores).
        review = DrillScreen(Nav(app.session), time_source=source)
        await app.push_screen(review)
        await pilot.pause()
        assert ("drill", drill_id) in review.picker
        review.query_one("#drill-pick-table").move_cursor(row=review.picker.index(("drill", drill_id)))  # type: ignore[attr-defined]
        await pilot.press("enter")
        await _settle(pilot, app)
        assert status_of(review) == "closed"
        assert "Quick screenshots" in str(review.query_one("#drill-observations").render())
        # r exports the after-action report from the screen (a dialog: language and file, in the home folder).
        home = tmp_path / "home"
        home.mkdir()
        old_home = os.environ.get("HOME")
        os.environ["HOME"] = str(home)
        try:
            await pilot.press("r")
            for _ in range(200):
                if type(app.screen).__name__ == "DocExportForm":
                    break
                await pilot.pause(0.02)
            await pilot.press("ctrl+s")
            for _ in range(600):
                if any("Wrote the after-action report" in n.message for n in app._notifications):
                    break
                await pilot.pause(0.05)
        finally:
            if old_home is not None:
                os.environ["HOME"] = old_home
        (pdf,) = home.glob("gradesec-*-aar.pdf")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Quick screenshots" in text

    ctx = app.session.ctx
    loaded = drills.load_drill(ctx.store, drill_id)
    assert loaded.record.marks["I1-E1"].status == "met"
    assert loaded.record.marks["I1-E2"].status == "partial"
    assert loaded.record.marks["I1-E1"].elapsed_ms == 6 * 60_000
    assert loaded.record.releases["I2"].elapsed_ms == 6 * 60_000
    assert [o.text for o in loaded.record.observations] == ["Quick screenshots"]
    assert [p.kind for p in loaded.record.pauses] == ["paused", "resumed"]
    result = drills.drill_score(ctx.store, drill_id)
    assert result.overall.earned == 15 and result.overall.possible == 45  # I1: 10 + 5; I2: 0 of 25
    assert len(loaded.record.improvements) == 3
    assert ctx.store.verify().ok


def status_of(screen: Any) -> str:
    return str(screen.loaded.record.status)
