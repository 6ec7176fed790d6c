"""Inspection teams (``inspection.team_set``): once declared, only the team writes an inspection's results —
on append, on import and in verify; the creator is always on it, and only the creator or a lead sets it.

(Here rather than in tests/journal: the scenario needs a real inspection, which the report fixtures build.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from gradesec.catalog.loader import Catalog
from gradesec.errors import KeyError_
from gradesec.exchange import export_bundle, import_bundle
from gradesec.journal import FrozenClock, Store
from gradesec.journal.importing import ImportRefused
from gradesec.usecases import inspections as uc
from gradesec.usecases.integrity import set_team
from tests.journal.test_integrity import codes, forge
from tests.report.conftest import Sample, build_sample, make_signer, open_ctx

CREATOR = make_signer("张测评")
OTHER = make_signer("李测评")
LEAD = make_signer("王组长", "lead")


@pytest.fixture
def open_sample(tmp_path: Path, catalog: Catalog) -> Sample:
    s = build_sample(tmp_path / "store", catalog, close=False, signer=CREATOR)
    for key in (OTHER, LEAD):
        s.ctx.store.trust(CREATOR, key.public_bytes, key.identity)
    return s


def test_a_declared_team_decides_who_writes_results(open_sample: Sample, catalog: Catalog) -> None:
    s = open_sample
    web = s.assets["web"]
    other = open_ctx(s.store_dir, catalog, OTHER)
    try:
        # No team declared: the role rule alone (a second inspector may record, as before).
        uc.record_finding(other, s.inspection, "TCE-01-b", web, "compliant", note="第二位测评师")
        assert set_team(s.ctx, s.inspection, []) == [CREATOR.key_id]  # the creator stays on it
        with pytest.raises(KeyError_, match="team"):
            uc.record_finding(other, s.inspection, "TCE-01-b", web, "noncompliant", note="不在测评组")
        with pytest.raises(KeyError_, match="team"):
            set_team(other, s.inspection, [OTHER.key_id])  # neither the creator nor a lead
        lead = open_ctx(s.store_dir, catalog, LEAD)
        try:
            team = set_team(lead, s.inspection, [OTHER.key_id])
        finally:
            lead.close()
        assert team == sorted([CREATOR.key_id, OTHER.key_id])
        uc.record_finding(other, s.inspection, "TCE-01-b", web, "noncompliant", note="已加入测评组")
    finally:
        other.close()
    assert s.ctx.store.verify(workers=1).ok


def test_results_from_outside_the_team_are_named_by_verify_and_refused_at_import(
    open_sample: Sample, tmp_path: Path
) -> None:
    s = open_sample
    set_team(s.ctx, s.inspection, [])
    body = {"inspection": s.inspection, "item": "TCE-01-b", "asset": s.assets["web"], "result": "compliant"}
    s.ctx.close()
    seq = forge(s.store_dir, OTHER, "finding.recorded", body)  # bypassing gradesec
    with Store.open(s.store_dir) as store:
        report = store.verify(workers=1)
        assert ("team", OTHER.key_id, seq) in codes(report)
        bundle = tmp_path / "out.gsb"
        export_bundle(store, CREATOR, bundle)
    third = tmp_path / "third"
    with Store.create(third, LEAD, clock=FrozenClock("2026-11-24T12:00:00.000Z")) as store:
        for key in (CREATOR, OTHER):
            store.trust(LEAD, key.public_bytes, key.identity)
        before = store.count()
        with pytest.raises(ImportRefused) as err:
            import_bundle(store, bundle)
        assert [p for p in err.value.problems if "team" in p and f"seq {seq}" in p]
        assert store.count() == before
