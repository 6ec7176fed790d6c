"""The workspace model without a screen: statuses, filters, navigation, incremental score."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradesec.tui.workspace_model import Query, WorkspaceModel
from gradesec.usecases.context import open_context
from gradesec.usecases.inspections import score
from tests.tui.conftest import DEMO_INSPECTION


@pytest.fixture
def model(demo_store: Path) -> WorkspaceModel:
    from gradesec.tui.screens.workspace import load_workspace

    with open_context(demo_store) as ctx:
        return load_workspace(ctx, DEMO_INSPECTION)


def test_status_shows_the_worst_result_and_counts(model: WorkspaceModel) -> None:
    for item in model.items:
        results = [
            model.findings[(item.id, a)].result
            for a in model.applies[item.id]
            if (item.id, a) in model.findings
        ]
        st = model.status(item.id)
        assert (st.done, st.total) == (len(results), len(model.applies[item.id]))
        if "noncompliant" in results:
            assert st.worst == "noncompliant"


@pytest.mark.parametrize("mode", ["unanswered", "issues", "high"])
def test_filters_keep_only_matching_items(model: WorkspaceModel, mode: str) -> None:
    shown = model.visible(Query(mode=mode), "en")  # type: ignore[arg-type]
    assert shown
    for item in shown:
        st = model.status(item.id)
        assert {"unanswered": not st.complete, "issues": st.issue, "high": st.high}[mode]


def test_search_matches_ids_and_wording_in_both_languages(model: WorkspaceModel) -> None:
    assert {i.id for i in model.visible(Query(text="ces-01"), "en")} == {
        i.id for i in model.items if i.id.startswith("CES-01")
    }
    assert model.visible(Query(text="机房"), "en")


def test_next_unanswered_wraps_and_skips_answered_pairs(model: WorkspaceModel) -> None:
    order = [i.id for i in model.items]
    found = model.next_unanswered(order[-1], None, order)
    assert found is not None and found not in model.findings
    following = model.next_unanswered(found[0], found[1], order)
    assert following is not None and following != found and following not in model.findings


def test_live_score_after_a_new_result_equals_a_fresh_score(model: WorkspaceModel, demo_store: Path) -> None:
    from gradesec.usecases.inspections import record_finding

    item_id, asset_id = model.next_unanswered(None, None, [i.id for i in model.items]) or ("", "")
    with open_context(demo_store, signer=_demo()) as ctx:
        finding = record_finding(ctx, DEMO_INSPECTION, item_id, asset_id, "noncompliant")
        model.put_finding(finding)
        fresh = score(ctx, DEMO_INSPECTION)
    live = model.score()
    assert live.score == pytest.approx(fresh.score)
    assert live.conclusion.code == fresh.conclusion.code
    assert model.status(item_id).worst == "noncompliant"
    assert model.status(item_id).done >= 1


def _demo():  # type: ignore[no-untyped-def]
    from gradesec.demo import demo_signer

    return demo_signer("en")


def test_next_unrated_walks_the_issues_without_a_rating(model: WorkspaceModel) -> None:
    order = [i.id for i in model.items]
    unrated = {k for k, issue in model.issues.items() if issue.risk is None}
    assert unrated
    seen = []
    here: tuple[str | None, str | None] = (None, None)
    for _ in range(len(unrated)):
        found = model.next_unrated(here[0], here[1], order)
        assert found is not None and found in unrated
        seen.append(found)
        here = found
    assert set(seen) == unrated  # each once, in order, before wrapping around
    assert model.next_unrated(here[0], here[1], order) == seen[0]
