"""Use cases of asset edits, corrections and major-risk judgements on real stores: the remediated count, and
projections that reach the same state whatever order the events arrive in."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from gradesec import paths
from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.errors import UsageError
from gradesec.journal import FrozenClock
from gradesec.state.base import create_state_tables
from gradesec.state.replay import apply_all, iter_events
from gradesec.usecases import inspections as uc
from gradesec.usecases import remediation
from gradesec.usecases.context import Context, open_context
from tests.assess.conftest import FIXTURE, counting_ids, make_signer
from tests.assess.test_usecases import record_golden, setup_inspection


@pytest.fixture(scope="module")
def catalog_with_triggers() -> Catalog:
    triggers = paths.shipped_data_dir("checklists") / "major-risk-triggers.yaml"
    return load_catalog(layers=[[FIXTURE, triggers]])


@pytest.fixture
def jctx(tmp_path: Path, catalog_with_triggers: Catalog) -> Iterator[Context]:
    context = open_context(
        tmp_path / "store",
        signer=make_signer("Inspector Ivan"),
        create=True,
        catalog=catalog_with_triggers,
        clock=FrozenClock("2026-11-24T09:30:00.000Z"),
        new_id=counting_ids(),
    )
    yield context
    context.close()


def test_a_group_counts_as_remediated_once_every_issue_is_verified(jctx: Context) -> None:
    """TCE-01-a on srv2 (non-compliant) and on sw1 (partial) judged together as one major risk (MR-12), and
    TCE-02-a on srv1 (partial) as another (MR-08): "2（0个已整改）". Re-testing srv2 and sw1 as verified
    remediates the first group only: "2（1个已整改）" (the count stays the count before remediation)."""
    ids = setup_inspection(jctx)
    record_golden(jctx, ids)
    i = ids["insp"]
    first = uc.judge_major_risk(
        jctx,
        i,
        [("TCE-01-a", ids["srv2"]), ("TCE-01-a", ids["sw1"])],
        major=True,
        reason="chain",
        trigger="MR-12",
    )
    uc.judge_major_risk(jctx, i, [("TCE-02-a", ids["srv1"])], major=True, reason="no logs", trigger="MR-08")
    r = uc.score(jctx, i, "p2025")
    assert (r.major_count, r.major_remediated) == (2, 0)
    assert r.major_text("zh") == "2（0个已整改）"
    items = remediation.plan_from_inspection(jctx, i)
    by_pair = {(it.source.get("item"), it.source.get("asset")): it.id for it in items}
    wanted = [by_pair[("TCE-01-a", ids["srv2"])], by_pair[("TCE-01-a", ids["sw1"])]]
    remediation.retest(jctx, i, [remediation.RetestInput(w, "verified", "fixed") for w in wanted])
    r = uc.score(jctx, i, "p2025")
    assert r.major_text("zh") == "2（1个已整改）" and r.major_text("en") == "2 (1 remediated)"
    assert next(j for j in uc.judgements(jctx, i) if j.id == first.id).remediated


def test_a_major_finding_needs_a_known_trigger_and_a_reason(jctx: Context) -> None:
    ids = setup_inspection(jctx)
    record_golden(jctx, ids)
    before = jctx.store.count()
    pair = [("TCE-01-a", ids["srv2"])]
    with pytest.raises(UsageError):
        uc.judge_major_risk(jctx, ids["insp"], pair, major=True, reason="x")
    with pytest.raises(UsageError):
        uc.judge_major_risk(jctx, ids["insp"], pair, major=True, reason=" ", trigger="MR-01")
    with pytest.raises(UsageError):
        uc.judge_major_risk(jctx, ids["insp"], [], major=False, reason="x")
    assert jctx.store.count() == before
    # Judged not major: no trigger needed, and the issue stays a plain high-risk issue.
    j = uc.judge_major_risk(jctx, ids["insp"], pair, major=False, reason="internal only")
    assert not j.major and uc.score(jctx, ids["insp"], "p2025").major_count == 0


def test_importance_is_validated_and_updates_change_only_what_differs(jctx: Context) -> None:
    ids = setup_inspection(jctx)
    with pytest.raises(UsageError):
        uc.add_asset(jctx, ids["system"], "server", "x", importance="very")
    a = uc.update_asset(jctx, ids["srv1"], importance="重要", address="10.0.0.9")
    assert (a.importance, a.address) == ("important", "10.0.0.9")
    before = jctx.store.count()
    with pytest.raises(UsageError):
        uc.update_asset(jctx, ids["srv1"], importance="important")
    with pytest.raises(UsageError):
        uc.update_asset(jctx, ids["srv1"], kind="toaster")
    assert jctx.store.count() == before


STATE = ("asset", "asset_field", "finding_correction", "major_risk")


def _rows(db: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    return sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr)


def test_projections_do_not_depend_on_event_order(jctx: Context) -> None:
    """The same events applied in journal order and in reverse give the same rows (merged bundles arrive in
    any order): asset edits by field, the latest correction and judgement per key."""
    ids = setup_inspection(jctx)
    record_golden(jctx, ids)
    i = ids["insp"]
    uc.update_asset(jctx, ids["srv1"], importance="key", version="1.0")
    uc.update_asset(jctx, ids["srv1"], version="2.0", name="web-1")
    uc.correct_finding(jctx, i, "TCE-01-a", "partial", reason="first look", asset_id=ids["srv2"])
    uc.correct_finding(jctx, i, "TCE-01-a", "compliant", reason="WAF", asset_id=ids["srv2"])
    pair = [("TCE-01-a", ids["srv2"])]
    uc.judge_major_risk(jctx, i, pair, major=True, reason="exposed", trigger="MR-02")
    uc.judge_major_risk(jctx, i, pair, major=False, reason="not exposed after all")

    journal = sqlite3.connect(jctx.store.db_path)
    try:
        events = list(iter_events(journal))
        results = []
        for ordered in (events, list(reversed(events))):
            mem = sqlite3.connect(":memory:", isolation_level=None)
            create_state_tables(mem)
            apply_all(mem, ordered)
            results.append({t: _rows(mem, t) for t in STATE})
            mem.close()
        live = {t: _rows(journal, t) for t in STATE}
    finally:
        journal.close()
    assert results[0] == results[1] == live
    asset = uc.get_asset(jctx, ids["srv1"])
    assert (asset.importance, asset.version, asset.name) == ("key", "2.0", "web-1")
    assert [c.result for c in uc.list_corrections(jctx, i)] == ["compliant"]
    assert [j.major for j in uc.judgements(jctx, i)] == [False]
