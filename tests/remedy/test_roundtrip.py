"""The whole hand-over: inspector → unit → inspector, re-test, team merge; every store verifies."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gradesec.catalog.loader import Catalog
from gradesec.exchange import export_bundle, import_bundle
from gradesec.usecases import bundles, inspections, remediation
from gradesec.usecases.context import Context
from gradesec.usecases.remediation import Change, Filters, RetestInput
from tests.remedy.conftest import inspect


def test_round_trip_inspector_unit_inspector(
    parties: dict[str, Context], catalog: Catalog, tmp_path: Path
) -> None:
    """Export, import, assign, update, return, re-test, verify, report — three stores, three keys."""
    ivan, olga = parties["ivan"], parties["olga"]
    field = inspect(ivan, catalog, tmp_path)
    planned = remediation.list_items(ivan, Filters(inspection=field.inspection))
    assert len(planned) == 3
    assert {i.risk for i in planned} == {"high", "medium", "low"}
    high = next(i for i in planned if i.risk == "high")
    assert high.deadline == "2026-12-08"  # planned 2026-11-24 + 14 days (profile remediation_days)

    out = bundles.export(ivan, tmp_path / "to-unit.gsb", inspection=field.inspection)
    assert out.manifest.inspection == field.inspection
    result = bundles.import_(olga, out.path, trust=[ivan.signer.key_id])
    assert result.imported > 0 and result.blobs == 1 and result.trusted == (ivan.signer.key_id,)
    assert olga.store.verify().ok

    # The unit works through the items.
    items = remediation.list_items(olga, Filters(inspection=field.inspection))
    assert [i.status for i in items] == ["open", "open", "open"]
    fix_proof = tmp_path / "new-policy.pdf"
    fix_proof.write_bytes(b"%PDF password policy")
    remediation.update_item(
        olga, high.id, Change("assign", owner_dept="IT", owner_person="Wang", deadline="2026-12-05")
    )
    remediation.update_item(olga, high.id, Change("start", note="rolling out"))
    remediation.update_item(olga, high.id, Change("fix", note="policy enforced", evidence=(fix_proof,)))
    medium = next(i for i in items if i.risk == "medium")
    remediation.update_item(
        olga,
        medium.id,
        Change(
            "accept", justification="legacy box retires in March", approver="CIO Li", expires="2027-03-31"
        ),
    )
    low = next(i for i in items if i.risk == "low")
    remediation.update_item(olga, low.id, Change("fix", note="backups scheduled"))
    back = bundles.export(olga, tmp_path / "to-inspector.gsb", inspection=field.inspection)

    # Back at the inspector: the unit's updates arrive and are re-tested.
    got = bundles.import_(ivan, back.path, trust=[olga.signer.key_id])
    assert got.imported > 0
    assert remediation.get_item(ivan, high.id).status == "fixed"
    assert remediation.get_item(ivan, medium.id).status == "accepted"
    round_ = remediation.retest(
        ivan,
        field.inspection,
        [RetestInput(high.id, "verified", "checked"), RetestInput(low.id, "not_fixed", "no restore test")],
    )
    assert remediation.get_item(ivan, high.id).status == "verified"
    assert remediation.get_item(ivan, low.id).status == "reopened"
    assert round_.after["score"] > round_.before["score"]
    assert round_.before["issues"]["high"] == 1 and round_.after["issues"]["high"] == 0
    assert inspections.get_inspection(ivan, field.inspection).status == "closed"
    assert remediation.rounds(ivan, field.inspection)[0]["after"] == round_.after

    # The re-test goes back to the unit; both stores verify and agree on every item.
    again = bundles.export(ivan, tmp_path / "retest.gsb", inspection=field.inspection)
    bundles.import_(olga, again.path)
    for ctx in (ivan, olga):
        assert ctx.store.verify().ok
    mine = {i.id: i.status for i in remediation.list_items(ivan, Filters(inspection=field.inspection))}
    theirs = {i.id: i.status for i in remediation.list_items(olga, Filters(inspection=field.inspection))}
    assert mine == theirs

    # The progress report carries the before/after comparison.
    from gradesec.report.progress import build_progress_pdf

    pdf = tmp_path / "progress.pdf"
    build_progress_pdf(remediation.progress_report_data(ivan, field.inspection), pdf, lang="en")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Before and after the re-test" in text and "verified" in text
    assert str(round_.before["score"]) in text and str(round_.after["score"]) in text


def test_reimport_is_a_noop(parties: dict[str, Context], catalog: Catalog, tmp_path: Path) -> None:
    """Importing the same bundle twice changes nothing the second time and is not an error."""
    ivan, olga = parties["ivan"], parties["olga"]
    field = inspect(ivan, catalog, tmp_path)
    out = export_bundle(ivan.store, ivan.signer, tmp_path / "b.gsb", inspection=field.inspection)
    import_bundle(olga.store, out.path, trust=[ivan.signer.key_id], owner=olga.signer)
    second = import_bundle(olga.store, out.path)
    assert second.noop and second.imported == 0


def test_team_merge_keeps_chains_and_flags_disagreement(
    parties: dict[str, Context], catalog: Catalog, tmp_path: Path
) -> None:
    """A second inspector's bundle merges into the lead's store; a result that differs from one recorded
    meanwhile (neither saw the other) is flagged, one recorded with the other in view is a revision."""
    ivan, ina = parties["ivan"], parties["ina"]
    field = inspect(ivan, catalog, tmp_path, close=False)
    out = bundles.export(ivan, tmp_path / "team.gsb", inspection=field.inspection)
    bundles.import_(ina, out.path, trust=[ivan.signer.key_id])
    inspections.record_finding(
        ina, field.inspection, field.items[3], field.asset, "noncompliant", note="saw it fail"
    )
    inspections.record_finding(
        ina, field.inspection, field.items[2], field.asset, "partial", note="some backup"
    )
    inspections.record_finding(
        ivan, field.inspection, field.items[3], field.asset, "compliant", note="re-checked"
    )
    back = bundles.export(ina, tmp_path / "from-ina.gsb", inspection=field.inspection)
    bundles.import_(ivan, back.path, trust=[ina.signer.key_id])
    assert ivan.store.head(ina.signer.key_id)[0] > 0 and ivan.store.head(ivan.signer.key_id)[0] > 0
    disputes = inspections.disagreements(ivan, field.inspection)
    assert [(d.item_id, d.asset_id) for d in disputes] == [(field.items[3], field.asset)]
    assert disputes[0].results == {ivan.signer.key_id: "compliant", ina.signer.key_id: "noncompliant"}
    current = inspections.load_inspection(ivan, field.inspection).findings
    assert current[(field.items[2], field.asset)].result == "partial"
    assert ivan.store.verify().ok


def test_large_imports_go_in_batches(
    parties: dict[str, Context], catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond the batch size an import is written in chain-ordered batches; the result is the same."""
    from gradesec.exchange import importer

    ivan, olga = parties["ivan"], parties["olga"]
    field = inspect(ivan, catalog, tmp_path)
    out = export_bundle(ivan.store, ivan.signer, tmp_path / "b.gsb", inspection=field.inspection)
    monkeypatch.setattr(importer, "IMPORT_BATCH", 3)
    result = import_bundle(olga.store, out.path, trust=[ivan.signer.key_id], owner=olga.signer)
    assert result.imported == out.manifest.events
    assert olga.store.verify().ok
    assert len(remediation.list_items(olga, Filters(inspection=field.inspection))) == 3
    assert not any(p.name.startswith(".tmp-") for p in olga.store.evidence.root.iterdir())
