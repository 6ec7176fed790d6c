"""Sheets that match no object: their rows are mapped and checked before any asset is made; the person may
choose each new asset's kind instead of the guess."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from gradesec import report
from gradesec.catalog.loader import load_catalog
from gradesec.report.xlsx import WorkbookError
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import Context
from gradesec.usecases.inventory import list_assets
from tests.report.conftest import make_signer, open_ctx
from tests.report.fieldbooks import build


def _setup(tmp_path: Path) -> tuple[Context, str, str, Path]:
    catalog = load_catalog()
    path = tmp_path / "l3.xlsx"
    build(catalog, 3, path)
    ctx = open_ctx(tmp_path / "store", catalog, make_signer("张测评"), create=True)
    unit = uc.add_unit(ctx, "某单位")
    system = uc.add_system(ctx, unit.id, "某系统", level=3)
    insp = uc.new_inspection(ctx, system.id, "mlps-l3", category_objects=True)
    return ctx, system.id, insp.id, path


def test_chosen_kinds_replace_the_guess(tmp_path: Path) -> None:
    ctx, _system, insp, path = _setup(tmp_path)
    done = report.import_workbook(
        ctx,
        insp,
        path,
        create_assets=True,
        kinds={"业务终端1": "server"},
    )
    view = uc.load_inspection(ctx, insp)
    kinds = {a.name: a.kind for a in view.assets}
    assert kinds["业务终端1"] == "server"  # chosen, where the name suggests a terminal
    assert kinds["核心数据库"] == "database"  # guessed
    made = {c["sheet"]: c["kind"] for c in done.created}
    assert made == {
        "Web服务器01": "server",
        "核心数据库": "database",
        "防火墙01": "security_device",
        "业务终端1": "server",
    }
    terminal = next(a.id for a in view.assets if a.name == "业务终端1")
    assert any(a == terminal for (_i, a) in view.findings)
    assert all(not s.asset_id or not s.asset_id.startswith("\0") for s in done.summary)


def test_a_bad_row_on_a_new_sheet_makes_no_asset(tmp_path: Path) -> None:
    ctx, system, insp, path = _setup(tmp_path)
    wb = load_workbook(path)
    ws = wb["防火墙01"]
    header = next(r for r in range(1, 4) if ws.cell(r, 5).value in ("符合情况", "符合程度"))
    ws.cell(header + 1, 5).value = "也许"
    wb.save(path)
    before = ctx.store.count()
    with pytest.raises(WorkbookError) as err:
        report.import_workbook(ctx, insp, path, create_assets=True)
    assert any("防火墙01" in p and "也许" in p for p in err.value.problems)
    assert ctx.store.count() == before
    assert {a.name for a in list_assets(ctx, system)} == {
        a.name for a in uc.load_inspection(ctx, insp).assets
    }
    assert "防火墙01" not in {a.name for a in list_assets(ctx, system)}
