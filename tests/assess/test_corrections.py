"""Corrections as signed events: unit and system edits, retracting a result, undo; replay reaches the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradesec.errors import GradesecError, UsageError
from gradesec.usecases import corrections as fix
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import Context
from tests.assess.conftest import make_signer
from tests.assess.test_usecases import setup_inspection
from tests.handover import hand_over, second_store


def test_unit_and_system_edits_are_events_and_survive_replay(ctx: Context) -> None:
    ids = setup_inspection(ctx)
    before = ctx.store.count()
    unit = fix.update_unit(ctx, ids["unit"], name="Example Bureau of Water", region=None)
    assert (unit.name, unit.region) == ("Example Bureau of Water", "Zhengzhou")
    system = fix.update_system(ctx, ids["system"], name="Office portal (new)", filing_no="41-002")
    assert (system.name, system.filing_no, system.level) == ("Office portal (new)", "41-002", 3)
    assert ctx.store.count() == before + 2
    with pytest.raises(UsageError, match="Nothing to change"):
        fix.update_unit(ctx, ids["unit"], name="Example Bureau of Water")
    with pytest.raises(UsageError):
        fix.update_unit(ctx, ids["unit"], name="  ")
    assert ctx.store.count() == before + 2
    ctx.store.rebuild_state()
    assert uc.get_unit(ctx, ids["unit"]).name == "Example Bureau of Water"
    assert uc.get_system(ctx, ids["system"]).filing_no == "41-002"
    assert ctx.store.verify().ok


def test_a_retracted_result_is_untested_again_with_history(ctx: Context) -> None:
    ids = setup_inspection(ctx)
    i, srv = ids["insp"], ids["srv1"]
    uc.record_finding(ctx, i, "TCE-01-a", srv, "noncompliant", note="weak")
    assert uc.load_inspection(ctx, i).issues
    fix.retract_finding(ctx, i, "TCE-01-a", srv, reason="wrong server")
    view = uc.load_inspection(ctx, i)
    assert ("TCE-01-a", srv) not in view.findings
    assert not view.issues
    history = uc.finding_history(ctx, i, "TCE-01-a", srv)
    assert [(f.revision, f.result) for f in history] == [(1, "noncompliant"), (2, "untested")]
    with pytest.raises(GradesecError, match="no result"):
        fix.retract_finding(ctx, i, "TCE-01-a", srv)
    again = uc.record_finding(ctx, i, "TCE-01-a", srv, "compliant")
    assert again.revision == 3
    ctx.store.rebuild_state()
    assert uc.load_inspection(ctx, i).findings[("TCE-01-a", srv)].result == "compliant"
    assert ctx.store.verify().ok


def test_undo_restores_the_previous_revision_or_retracts(ctx: Context) -> None:
    ids = setup_inspection(ctx)
    i, srv = ids["insp"], ids["srv1"]
    first = uc.record_finding(ctx, i, "TCE-01-a", srv, "partial", note="no expiry", method="examine")
    uc.record_finding(ctx, i, "TCE-01-a", srv, "compliant", note="no expiry", method="examine")
    back = fix.undo_result(ctx, i, "TCE-01-a", srv, first)
    assert back is not None and (back.result, back.note, back.revision) == ("partial", "no expiry", 3)
    uc.record_finding(ctx, i, "TCE-01-b", srv, "compliant")
    assert fix.undo_result(ctx, i, "TCE-01-b", srv, None) is None
    assert ("TCE-01-b", srv) not in uc.load_inspection(ctx, i).findings


def test_a_retraction_ends_that_authors_part_in_a_disagreement(ctx: Context, tmp_path: Path) -> None:
    ids = setup_inspection(ctx)
    i, srv = ids["insp"], ids["srv1"]
    wang = second_store(ctx, tmp_path / "wang", make_signer("Inspector Wang"), tmp_path)
    try:
        uc.record_finding(ctx, i, "TCE-01-a", srv, "compliant")
        uc.record_finding(wang, i, "TCE-01-a", srv, "noncompliant")
        hand_over(wang, ctx, tmp_path)
        assert len(uc.disagreements(ctx, i)) == 1
        # Wang takes his result back on his laptop: it replaces what he saw (his own), not Ivan's result.
        fix.retract_finding(wang, i, "TCE-01-a", srv)
        hand_over(wang, ctx, tmp_path)
    finally:
        wang.close()
    assert uc.disagreements(ctx, i) == []
    assert uc.load_inspection(ctx, i).findings[("TCE-01-a", srv)].result == "compliant"
    # A retraction with the current result in view leaves the pair untested.
    fix.retract_finding(ctx, i, "TCE-01-a", srv)
    assert ("TCE-01-a", srv) not in uc.load_inspection(ctx, i).findings


def test_closed_inspections_refuse_retraction(ctx: Context) -> None:
    ids = setup_inspection(ctx)
    i = ids["insp"]
    uc.record_finding(ctx, i, "TCE-01-a", ids["srv1"], "compliant")
    uc.close_inspection(ctx, i)
    with pytest.raises(GradesecError):
        fix.retract_finding(ctx, i, "TCE-01-a", ids["srv1"])
