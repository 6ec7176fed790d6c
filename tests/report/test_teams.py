"""Inspection teams (``inspection.team_set``): once declared, only the team writes an inspection's results —
on append, on import and in verify; the creator is always on it, and only the creator or a lead sets it.

(Here rather than in tests/journal: the scenario needs a real inspection, which the report fixtures build.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gradesec.catalog.loader import Catalog
from gradesec.errors import KeyError_
from gradesec.exchange import export_bundle, import_bundle
from gradesec.exchange.format import BundleRefused
from gradesec.journal import FrozenClock, Signer, Store
from gradesec.journal.keys import format_key_id
from gradesec.usecases import inspections as uc
from gradesec.usecases.integrity import set_team
from tests.journal.test_integrity import codes, forge
from tests.report.conftest import Sample, build_sample, make_signer, open_ctx

CREATOR = make_signer("张测评")
OTHER = make_signer("李测评")
LEAD = make_signer("王组长", "lead")
OFFICER = make_signer("赵管理员", "officer")


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
        # The bundle reader (shared by bundle verify, import and the hub) applies the team rule itself.
        with pytest.raises(BundleRefused) as err:
            import_bundle(store, bundle)
        assert err.value.code == "authority_team" and f"Event {seq} of" in err.value.message
        assert store.count() == before


def _handover(tmp_path: Path, catalog: Catalog, writer: Signer) -> tuple[Path, Path, Path, int]:
    """The creator declares a team without ``writer``; ``writer`` imports the inspection, is refused at its own
    store, writes a finding anyway (by SQL, with its real key) and exports. Returns (creator's store, the
    creator's bundle, the writer's bundle, the forged event's seq)."""
    s = build_sample(tmp_path / "creator", catalog, close=False, signer=CREATOR)
    s.ctx.store.trust(CREATOR, writer.public_bytes, writer.identity)
    set_team(s.ctx, s.inspection, [])
    first = export_bundle(s.ctx.store, CREATOR, tmp_path / "creator.gsb").path
    web, insp = s.assets["web"], s.inspection
    s.ctx.close()
    other = open_ctx(tmp_path / "writer", catalog, writer, create=True)
    try:
        import_bundle(other.store, first, trust=[CREATOR.key_id], owner=writer)
        with pytest.raises(KeyError_):  # refused at the writer's own store
            uc.record_finding(other, insp, "TCE-01-b", web, "compliant", note="由被测单位改写")
    finally:
        other.close()
    body = {"inspection": insp, "item": "TCE-01-b", "asset": web, "result": "compliant"}
    seq = forge(tmp_path / "writer", writer, "finding.recorded", body, at="2026-11-24T01:30:00.000Z")
    with Store.open(tmp_path / "writer") as store:
        second = export_bundle(store, writer, tmp_path / "writer.gsb").path
    return tmp_path / "creator", first, second, seq


@pytest.mark.parametrize(
    ("writer", "code", "words"),
    [
        (OTHER, "authority_team", "not on the inspection's team"),
        (OFFICER, "authority_role", '"officer" may not'),
    ],
)
def test_a_result_from_off_the_team_is_named_by_bundle_verify_and_refused_by_import(
    tmp_path: Path, catalog: Catalog, cli: Any, writer: Signer, code: str, words: str
) -> None:
    creator, _first, bundle, seq = _handover(tmp_path, catalog, writer)
    where = f"Event {seq} of {format_key_id(writer.key_id)}"
    rc, out, err = cli("--store", creator, "bundle", "verify", bundle)
    assert rc == 1 and where in err and words in err, out + err
    with Store.open(creator) as store:
        before = store.count()
        with pytest.raises(BundleRefused) as refused:
            import_bundle(store, bundle)
        assert refused.value.code == code and where in refused.value.message
        assert store.count() == before
        assert store.verify(workers=1).ok


def test_a_member_removed_later_keeps_the_results_written_while_on_the_team(
    open_sample: Sample, catalog: Catalog, tmp_path: Path, cli: Any
) -> None:
    """Bundles carry events in the order the sender's store took them in, and every receiver judges the team rule
    in that order: results written while their author was on the team stay valid after it leaves, wherever the
    bundle goes (a fresh store here, whatever the order of the two key ids)."""
    s = open_sample
    set_team(s.ctx, s.inspection, [OTHER.key_id])
    other = open_ctx(s.store_dir, catalog, OTHER)
    try:
        uc.record_finding(other, s.inspection, "TCE-01-b", s.assets["web"], "noncompliant", note="组内时记录")
    finally:
        other.close()
    assert set_team(s.ctx, s.inspection, []) == [CREATOR.key_id]  # OTHER leaves the team
    bundle = export_bundle(s.ctx.store, CREATOR, tmp_path / "whole.gsb").path
    s.ctx.close()
    third = tmp_path / "third"
    with Store.create(third, LEAD, clock=FrozenClock("2026-11-24T12:00:00.000Z")) as store:
        for key in (CREATOR, OTHER):
            store.trust(LEAD, key.public_bytes, key.identity)
    rc, out, err = cli("--store", third, "bundle", "verify", bundle)
    assert rc == 0, out + err
    with Store.open(third) as store:
        import_bundle(store, bundle)
        assert store.verify(workers=1).ok
