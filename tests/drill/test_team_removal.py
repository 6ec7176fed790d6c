"""Deleting a drill team: allowed while nothing recorded names it, refused with a clear message otherwise; a
signed ``drill.team_set`` marked ``removed`` (only the lead writes it), kept by replay and verify; in the TUI
through the team dialog and a confirmation (Pilot, keystrokes)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from gradesec.drill.clock import ManualTime
from gradesec.drill.model import Participant
from gradesec.drill.rules import DrillError
from gradesec.errors import GradesecError, NotFoundError
from gradesec.journal import FrozenClock
from gradesec.usecases import drill_teams, drills
from tests.drill.conftest import DrillCtx, make_signer


def _team_events(ctx: DrillCtx) -> int:
    (count,) = ctx.store.connection.execute(
        "SELECT COUNT(*) FROM events WHERE kind = 'drill.team_set'"
    ).fetchone()
    return int(count)


def test_an_unused_team_is_deleted_and_its_id_is_not_reused(ctx: DrillCtx) -> None:
    drill_id = drills.start_drill(ctx, "portal-defacement")
    desk = drill_teams.add_team(ctx, drill_id, "Press Desk")
    drills.add_participant(ctx, drill_id, desk.id, Participant("Wu Fang"))
    removed = drill_teams.remove_team(ctx, drill_id, desk.id)
    assert removed.id == desk.id and [p.name for p in removed.participants] == ["Wu Fang"]
    record = drills.load_drill(ctx.store, drill_id).record
    assert desk.id not in {tm.id for tm in record.teams} and record.removed_teams == [desk.id]
    summary = next(s for s in drills.list_drills(ctx.store) if s.id == drill_id)
    assert summary.teams == len(record.teams)
    # A new team of the same name gets a new id; the deleted one stays deleted.
    again = drill_teams.add_team(ctx, drill_id, "Press Desk")
    assert again.id != desk.id
    record = drills.load_drill(ctx.store, drill_id).record
    assert [tm.name for tm in record.teams].count("Press Desk") == 1
    # The deletion is in the signed journal: replay gives the same state, and verify passes.
    assert ctx.store.verify().ok


def test_a_team_playing_a_role_without_records_is_deleted(ctx: DrillCtx) -> None:
    drill_id = drills.start_drill(ctx, "portal-defacement")
    drill_teams.remove_team(ctx, drill_id, "comms")
    loaded = drills.load_drill(ctx.store, drill_id)
    assert loaded.record.team_for_role("comms") is None
    score = drills.drill_score(ctx.store, drill_id)
    assert all(e.team is None for e in score.expectations if e.role == "comms")


def test_a_team_with_records_is_refused_and_nothing_is_written(ctx: DrillCtx) -> None:
    drill_id = drills.start_drill(ctx, "portal-defacement")
    drills.observe(ctx, drill_id, "action", "Took the portal offline", 60_000, team="tech")
    drills.release_inject(ctx, drill_id, "I1", 0)
    loaded = drills.load_drill(ctx.store, drill_id)
    _inj, exp = next((i, e) for i, e in loaded.scenario.expectations() if i.id == "I1")
    drills.mark_expectation(ctx, drill_id, exp.id, "met", 120_000)
    lead_team = loaded.record.team_for_role(exp.role)
    assert lead_team is not None
    before = _team_events(ctx)
    with pytest.raises(DrillError) as observed:
        drill_teams.remove_team(ctx, drill_id, "tech")
    assert "cannot be deleted" in observed.value.message and "1 observations" in observed.value.message
    assert observed.value.hint
    with pytest.raises(DrillError) as marked:
        drill_teams.remove_team(ctx, drill_id, lead_team.id)
    assert "1 expected actions judged" in marked.value.message
    with pytest.raises(NotFoundError):
        drill_teams.remove_team(ctx, drill_id, "no-such-team")
    assert _team_events(ctx) == before


def test_no_team_is_deleted_from_a_closed_drill(ctx: DrillCtx) -> None:
    drill_id = drills.start_drill(ctx, "portal-defacement")
    drills.close_drill(ctx, drill_id, 1_000)
    with pytest.raises(GradesecError):
        drill_teams.remove_team(ctx, drill_id, "comms")


def test_only_the_lead_deletes_a_team() -> None:
    """The deletion is a ``drill.team_set``, which the authority table gives to the lead alone."""
    from gradesec.journal.authority import AUTHORITY

    assert AUTHORITY["drill.team_set"] == frozenset({"lead"})


async def _settle(pilot, app) -> None:  # type: ignore[no-untyped-def]
    for _ in range(300):
        await pilot.pause(0.02)
        if app.writer.idle:
            break
    await pilot.pause()


async def _wait_for(pilot, app, name: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        if type(app.screen).__name__ == name:
            return
        await pilot.pause(0.02)
    raise AssertionError(f"{name} did not open (on {type(app.screen).__name__})")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_team_is_deleted_in_the_drill_screen_after_a_confirmation(tmp_path: Path, lang: str) -> None:
    from textual.widgets import Select

    from gradesec.i18n import set_lang, t
    from gradesec.tui.app import GradesecApp
    from gradesec.tui.screens.drill import DrillScreen
    from gradesec.tui.session import Launch, Nav

    set_lang(lang)
    launch = Launch(
        tmp_path / "store",
        config_dir=tmp_path / "config",
        signer=make_signer("Lead Lin"),
        clock=FrozenClock("2026-11-24T09:30:00.000Z"),
    )
    app = GradesecApp(launch)
    seen: dict[str, object] = {}

    async def choose(pilot, field: str, label: str) -> None:  # type: ignore[no-untyped-def]
        """Pick an option of a select by keys: Tab to it, Enter opens it, Down to ``label``, Enter."""
        from textual.widgets._select import SelectOverlay

        select = app.screen.query_one(f"#field-{field}", Select)
        for _ in range(10):
            if app.focused is select:
                break
            await pilot.press("tab")
        assert app.focused is select
        await pilot.press("enter")
        await pilot.pause()
        overlay = select.query_one(SelectOverlay)
        for _ in range(overlay.option_count + 1):
            index = overlay.highlighted
            prompt = overlay.get_option_at_index(index).prompt if index is not None else ""
            if getattr(prompt, "plain", str(prompt)) == label:
                break
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()

    async def open_delete(pilot, team_name: str) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("t")
        await _wait_for(pilot, app, "TeamsForm")
        await choose(pilot, "what", t("officer.drill.change.remove_team"))
        await choose(pilot, "team", team_name)
        assert t("officer.drill.hint.remove_team") in str(app.screen.query_one("#form-hint").render())
        await pilot.press("ctrl+s")
        await pilot.pause()

    async def drive() -> None:
        async with app.run_test(size=(140, 45)) as pilot:
            for _ in range(300):
                await pilot.pause(0.02)
                if app.session.ready:
                    break
            screen = DrillScreen(Nav(app.session), scenario_id="portal-defacement", time_source=ManualTime())
            await app.push_screen(screen)
            await _settle(pilot, app)
            assert screen.loaded is not None
            ctx = app.session.ctx
            drill_id = screen.loaded.record.id
            seen["drill"] = drill_id
            drills.observe(ctx, drill_id, "action", "Took the portal offline", 60_000, team="tech")
            screen.reload()
            tech = next(tm.name for tm in screen.loaded.record.teams if tm.id == "tech")
            comms = next(tm.name for tm in screen.loaded.record.teams if tm.id == "comms")

            # A team with an observation: refused at once, with the reason; no question, nothing written.
            await open_delete(pilot, tech)
            await pilot.pause()
            assert type(app.screen).__name__ == "DrillScreen"
            messages = [(n.title, n.message) for n in app._notifications]
            refusal = t("drill.error.team_in_use", name=tech, marks=0, observations=1)
            assert any(title == refusal for title, _m in messages), messages

            # A team without records: the question says what leaves; Cancel (the focus starts there) keeps it.
            await open_delete(pilot, comms)
            await _wait_for(pilot, app, "ConfirmModal")
            body = str(app.screen.query_one("#confirm-body").render())
            assert t("officer.drill.remove.what", n=0) in body
            seen["body"] = body
            await pilot.press("enter")
            await pilot.pause()
            assert any(tm.id == "comms" for tm in screen.loaded.record.teams)

            # Asked again and confirmed with y: the team is gone from the screen.
            await open_delete(pilot, comms)
            await _wait_for(pilot, app, "ConfirmModal")
            await pilot.press("y")
            await _settle(pilot, app)
            assert all(tm.id != "comms" for tm in screen.loaded.record.teams)
            shown = str(screen.query_one("#drill-teams").render())
            assert f"{comms}:" not in shown and f"{tech}:" in shown

    asyncio.run(drive())
    ctx = app.session.ctx
    record = drills.load_drill(ctx.store, str(seen["drill"])).record
    assert record.removed_teams == ["comms"]
    body = str(seen["body"])
    assert ("队伍" in body) if lang == "zh" else ("team" in body)
    assert ctx.store.verify().ok


def test_the_hub_record_leaves_the_deleted_team_out_and_scores_alike(ctx: DrillCtx) -> None:
    """The hub folds the same events (hub/drills.py): the deleted team is marked, and the score agrees."""
    from gradesec.hub import drills as hub_drills

    drill_id = drills.start_drill(ctx, "portal-defacement")
    drill_teams.remove_team(ctx, drill_id, "comms")
    drills.release_inject(ctx, drill_id, "I1", 0)
    drills.close_drill(ctx, drill_id, 600_000)
    events = list(ctx.store.events())
    started = next(e for e in events if e.kind == "drill.started")
    record = hub_drills.new_record(started)
    for event in events:
        if event.kind in hub_drills.RECORD_KINDS:
            hub_drills.apply(record, event)
    assert record["teams"]["comms"]["team"].get("removed") is True
    row = {"id": drill_id, "scenario": "portal-defacement", "started_at": started.at}
    percent, _passed = hub_drills.score(record, row, 600_000, started.at)
    assert percent == drills.drill_score(ctx.store, drill_id).weighted_percent
