"""Recording in the workspace: keys 1–4, n/a with a reason, notes, method, evidence, risk, history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, TextArea

from gradesec.tui.widgets.score_panel import ScorePanel
from gradesec.usecases.context import open_context
from gradesec.usecases.inspections import finding_history, load_inspection
from tests.tui.conftest import DEMO_INSPECTION, demo_app, on_screen, open_workspace, settle, wait_for


def stored(store: Path) -> Any:
    with open_context(store) as ctx:
        return load_inspection(ctx, DEMO_INSPECTION)


async def test_keys_record_results_for_the_focused_asset_and_move_on(demo_store: Path) -> None:
    """1 and 3 store compliant and non-compliant on the focused asset; the cursor moves to the next asset."""
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        model = ws.model
        item = next(
            i.id for i in model.items if len(model.applies[i.id]) >= 2 and model.status(i.id).done == 0
        )
        first, second = model.applies[item][:2]
        ws.query_one("#ws-tree").select_item(item)
        await wait_for(pilot, lambda: ws.current() == (item, first))
        await pilot.press("1")
        assert ws.current() == (item, second)
        await pilot.press("3")
        await settle(pilot)
        assert model.findings[(item, first)].result == "compliant"
        assert model.status(item).done == 2
    view = stored(demo_store)
    assert view.findings[(item, first)].result == "compliant"
    assert view.findings[(item, second)].result == "noncompliant"


async def test_recording_updates_mark_counts_and_score_in_place(demo_store: Path) -> None:
    """After a result is stored, the progress in the score panel counts it."""
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        before = ws.model.score().progress.recorded
        await pilot.press("u", "2")
        await settle(pilot)
        panel = app.screen.query_one("#ws-score", ScorePanel)
        assert panel.result is not None and panel.result.progress is not None
        assert panel.result.progress.recorded == before + 1
        item, _ = ws.current()
        assert ws.model.status(item).done >= 1


async def test_na_asks_for_a_reason_and_stores_it(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        await pilot.press("u")
        item, asset = ws.current()
        await pilot.press("4")
        await on_screen(pilot, "FormModal")
        await pilot.press("enter")  # empty reason: refused, the form stays
        assert type(app.screen).__name__ == "FormModal"
        await pilot.press("n", "o", "enter")
        await settle(pilot)
    finding = stored(demo_store).findings[(item, asset)]
    assert finding.result == "na"
    assert finding.na_reason == "no"


async def test_note_is_kept_when_the_result_changes_and_history_lists_revisions(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        await pilot.press("u")
        item, asset = ws.current()
        await pilot.press("1")
        await settle(pilot)
        ws.query_one("#ws-grid").select_asset(asset)
        await pilot.press("n")
        await on_screen(pilot, "FormModal")
        app.screen.query_one(TextArea).text = "patched last week"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        ws.query_one("#ws-grid").select_asset(asset)
        await pilot.press("h")
        await on_screen(pilot, "HistoryScreen")
        table = app.screen.query_one("#history-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == 3)
    with open_context(demo_store) as ctx:
        revisions = finding_history(ctx, DEMO_INSPECTION, item, asset)
    assert [r.result for r in revisions] == ["compliant", "compliant", "partial"]
    assert revisions[-1].note == "patched last week"


async def test_method_is_recorded(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        await pilot.press("u")
        item, asset = ws.current()
        await pilot.press("m")  # no result yet: refused with a notice
        assert type(app.screen).__name__ == "WorkspaceScreen"
        await pilot.press("1")
        await settle(pilot)
        ws.query_one("#ws-grid").select_asset(asset)
        await pilot.press("m")
        await on_screen(pilot, "FormModal")
        from textual.widgets import Select

        select = app.screen.query_one(Select)
        select.value = ws._methods(item)[-1]
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert stored(demo_store).findings[(item, asset)].method is not None


async def test_evidence_is_attached_by_path(demo_store: Path, tmp_path: Path) -> None:
    evidence = tmp_path / "photo-of-rack.txt"
    evidence.write_text("rack 3, door unlocked\n", encoding="utf-8")
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        await pilot.press("u", "2")
        await settle(pilot)
        item, _ = ws.current()
        asset = next(
            a for (i, a) in ws.model.findings if i == item and ws.model.findings[(i, a)].result == "partial"
        )
        ws.query_one("#ws-grid").select_asset(asset)
        await pilot.press("e")
        await on_screen(pilot, "FormModal")
        from textual.widgets import Input

        field = app.screen.query_one(Input)
        field.value = str(evidence)[:-6]
        await wait_for(pilot, lambda: field._suggestion == str(evidence))  # the completion is offered …
        await pilot.press("right")  # … and taken
        assert field.value == str(evidence)
        await pilot.press("enter")
        await settle(pilot)
    finding = stored(demo_store).findings[(item, asset)]
    assert finding.result == "partial"
    assert [e.name for e in finding.evidence] == ["photo-of-rack.txt"]
    sha = finding.evidence[0].sha256
    assert (demo_store / "evidence" / sha[:2] / sha).read_bytes() == evidence.read_bytes()


async def test_missing_evidence_file_is_a_notification_and_changes_nothing(
    demo_store: Path, tmp_path: Path
) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        await pilot.press("u", "1")
        await settle(pilot)
        item, _ = ws.current()
        asset = next(a for (i, a) in ws.model.findings if i == item)
        ws.query_one("#ws-grid").select_asset(asset)
        before = len(stored(demo_store).findings)
        await pilot.press("e")
        await on_screen(pilot, "FormModal")
        app.screen.query_one(Input).value = str(tmp_path / "nope.txt")
        await pilot.press("enter")
        await settle(pilot)
        assert any(n.severity == "error" for n in app._notifications)
    assert len(stored(demo_store).findings) == before


async def test_downgrading_a_suggested_high_needs_an_allowed_mitigation_and_reason(demo_store: Path) -> None:
    """The WAF's monitor-only finding matches a high-risk case; low is refused without reasons, then stored."""
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        key = next(
            k for k, issue in ws.model.issues.items() if issue.suggested == "high" and issue.risk is None
        )
        item, asset = key
        ws.query_one("#ws-tree").select_item(item)
        await wait_for(pilot, lambda: ws.item_id == item)
        ws.query_one("#ws-grid").select_asset(asset)
        await pilot.press("r")
        await on_screen(pilot, "RiskForm")
        from textual.widgets import Input, Label, Select

        form = app.screen
        form.query_one("#field-risk", Select).value = "low"
        await pilot.press("ctrl+s")
        assert type(app.screen).__name__ == "RiskForm"
        assert str(form.query_one("#form-error", Label).content)
        form.query_one("#field-compensation", Input).value = "IPS in front of the WAF"
        form.query_one("#field-reason", Input).value = "IPS logs examined"
        await pilot.press("ctrl+s")
        assert type(app.screen).__name__ == "RiskForm"  # still no mitigation the case allows
        allowed = [m.id for c in issue_cases(ws, key) for m in ws.model.catalog.cases[c].mitigations]
        form.query_one("#field-mitigation", Select).value = allowed[0]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ws.model.issues[key].risk == "low"
    issue = next(i for i in stored(demo_store).issues if (i.item_id, i.asset_id) == key)
    assert (issue.risk, issue.compensation) == ("low", "IPS in front of the WAF")
    assert issue.mitigations == ((issue.cases[0], allowed[0]),)


def issue_cases(ws: Any, key: tuple[str, str]) -> tuple[str, ...]:
    return tuple(ws.model.issues[key].cases)


async def test_next_unanswered_jumps_to_a_pair_without_result(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        for _ in range(3):
            await pilot.press("u")
            assert ws.current() not in ws.model.findings
            await pilot.press("1")
        await settle(pilot)


async def test_policy_switch_rescores(demo_store: Path) -> None:
    app = demo_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = await open_workspace(pilot)
        first = ws.model.policy_id
        await pilot.press("p")
        panel = ws.query_one("#ws-score", ScorePanel)
        assert panel.result.policy_id != first
        assert panel.result.policy_id == ws.model.policy_id
