"""Remediation use cases: bad input changes nothing; incremental bundles; the report in Chinese."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gradesec.catalog.loader import Catalog
from gradesec.errors import GradesecError
from gradesec.exchange import BundleRefused, export_bundle, import_bundle
from gradesec.usecases import bundles, remediation
from gradesec.usecases.context import Context
from gradesec.usecases.remediation import Change, Filters
from tests.remedy.conftest import inspect, state_hash


@pytest.fixture
def unit(parties: dict[str, Context], catalog: Catalog, tmp_path: Path) -> tuple[Context, str, list[str]]:
    ivan, olga = parties["ivan"], parties["olga"]
    field = inspect(ivan, catalog, tmp_path)
    out = bundles.export(ivan, tmp_path / "b.gsb", inspection=field.inspection)
    bundles.import_(olga, out.path, trust=[ivan.signer.key_id])
    ids = [i.id for i in remediation.list_items(olga, Filters(inspection=field.inspection))]
    return olga, field.inspection, ids


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (Change("assign", deadline="31/12/2026"), "not a valid date"),
        (Change("assign"), "changes nothing"),
        (Change("fix"), "must not be empty"),
        (Change("start", owner_person="Wang"), "Only an assignment"),
        (Change("accept", justification="x", approver="y", expires="2026-01-01"), "already passed"),
        (Change("accept", justification="", approver="y", expires="2027-01-01"), "must not be empty"),
        (Change("assign", risk="severe"), "not a risk level"),
        (Change("note", note="see file", evidence=("/no/such/file.png",)), "does not exist"),
        (Change("verify"), "cannot 'verify'"),
    ],
)
def test_bad_updates_change_nothing(
    unit: tuple[Context, str, list[str]], change: Change, message: str
) -> None:
    olga, _insp, ids = unit
    before = state_hash(olga)
    with pytest.raises(GradesecError) as err:
        remediation.update_item(olga, ids[0], change)
    assert message in err.value.message
    assert state_hash(olga) == before


def test_roles_and_transitions_are_enforced(
    unit: tuple[Context, str, list[str]], parties: dict[str, Context]
) -> None:
    olga, insp, ids = unit
    remediation.update_item(olga, ids[0], Change("fix", note="done"))
    with pytest.raises(GradesecError, match="cannot"):
        remediation.update_item(olga, ids[0], Change("fix", note="again"))
    with pytest.raises(GradesecError, match="may not"):
        remediation.retest(olga, insp, [remediation.RetestInput(ids[0], "verified")])
    with pytest.raises(GradesecError, match="may not"):
        remediation.update_item(parties["ivan"], ids[0], Change("fix", note="inspector fixing"))


def test_unknown_item(unit: tuple[Context, str, list[str]]) -> None:
    olga, _insp, _ids = unit
    with pytest.raises(GradesecError, match="no remediation item"):
        remediation.get_item(olga, "R-nothing")


def test_incremental_bundle_since_a_checkpoint(
    parties: dict[str, Context], catalog: Catalog, tmp_path: Path
) -> None:
    """`--since` carries only what follows a checkpoint; a store without the earlier part refuses it."""
    ivan, olga, ina = parties["ivan"], parties["olga"], parties["ina"]
    field = inspect(ivan, catalog, tmp_path)
    first = export_bundle(ivan.store, ivan.signer, tmp_path / "1.gsb", inspection=field.inspection)
    import_bundle(olga.store, first.path, trust=[ivan.signer.key_id], owner=olga.signer)
    items = remediation.list_items(ivan, Filters(inspection=field.inspection))
    remediation.plan_item(ivan, problem="no screen lock", risk="low", inspection=field.inspection)
    second = export_bundle(
        ivan.store,
        ivan.signer,
        tmp_path / "2.gsb",
        inspection=field.inspection,
        since=first.checkpoint.hash[:12],
    )
    assert second.manifest.events < first.manifest.events
    assert import_bundle(olga.store, second.path).imported == second.manifest.events
    assert len(remediation.list_items(olga, Filters(inspection=field.inspection))) == len(items) + 1
    ina.store.trust(ina.signer, ivan.signer.public_bytes, ivan.signer.identity)
    before = state_hash(ina)
    with pytest.raises(BundleRefused) as err:
        import_bundle(ina.store, second.path)
    assert err.value.code == "gap_store" and state_hash(ina) == before


def test_progress_report_in_chinese(unit: tuple[Context, str, list[str]], tmp_path: Path) -> None:
    from gradesec.report.progress import build_progress_pdf

    olga, insp, ids = unit
    remediation.update_item(olga, ids[0], Change("assign", owner_dept="信息中心", owner_person="王工"))
    pdf = tmp_path / "zh.pdf"
    build_progress_pdf(remediation.progress_report_data(olga, insp, "2027-06-01"), pdf, lang="zh")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())  # table cells wrap Chinese words across lines
    assert "整改进度报告" in flat and "信息中心" in flat and "已逾期" in flat and "尚未复测" in flat
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "yes" in fonts.splitlines()[-1]
