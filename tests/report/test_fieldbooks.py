"""Real-layout record workbooks (level 3 and level 2) import onto the right items; bad workbooks are one
sentence; notes that look like formulas come back unchanged."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from gradesec import report
from gradesec.catalog.loader import load_catalog
from gradesec.report.xlsx import WorkbookError
from gradesec.usecases import inspections as uc
from tests.report.conftest import make_signer, open_ctx
from tests.report.fieldbooks import build


@pytest.mark.parametrize("level", [3, 2])
def test_field_workbook_imports_onto_the_right_items(tmp_path: Path, level: int) -> None:
    catalog = load_catalog()
    path = tmp_path / f"l{level}.xlsx"
    expected = build(catalog, level, path)
    ctx = open_ctx(tmp_path / "store", catalog, make_signer("张测评"), create=True)
    unit = uc.add_unit(ctx, "某单位")
    system = uc.add_system(ctx, unit.id, "某系统", level=level)
    insp = uc.new_inspection(ctx, system.id, f"mlps-l{level}", category_objects=True)
    before = ctx.store.count()
    checked = report.import_workbook(ctx, insp.id, path, check=True)
    assert ctx.store.count() == before  # --check writes nothing
    assert {s.name for s in checked.summary if s.guessed_kind} == {
        "Web服务器01",
        "核心数据库",
        "防火墙01",
        "业务终端1",
    }
    done = report.import_workbook(ctx, insp.id, path, create_assets=True)
    assert done.extensions["cloud"] == 12  # 3 rows on each of 4 object sheets, one summary line
    view = uc.load_inspection(ctx, insp.id)
    sheet_of = {s.asset_id: s.name for s in done.summary}
    got = {(sheet_of.get(a), i): f.result for (i, a), f in view.findings.items()}
    right = sum(1 for sheet, item, result in expected if got.get((sheet, item)) == result)
    assert right / len(expected) >= 0.95, (right, len(expected))
    assert done.rules["letter"] > 0 and done.rules["letter+text"] > 0  # both rules were needed
    kinds = {a.name: a.kind for a in view.assets}
    assert kinds["核心数据库"] == "database" and kinds["防火墙01"] == "security_device"
    assert view.progress.complete or view.progress.ratio > 0.5
    again = report.import_workbook(ctx, insp.id, path)
    assert again.recorded == 0 and again.aliases == 0
    # The platform ids were remembered: a second inspection maps the same rows by alias.
    assert done.aliases == len(expected)
    second = uc.new_inspection(ctx, system.id, f"mlps-l{level}", category_objects=True)
    by_alias = report.import_workbook(ctx, second.id, path, check=True)
    assert by_alias.rules["alias"] == len(expected)
    if level == 2:
        # Level-2 letters are the level's own (GB/T 22239 §7): 岗位设置 a) is the security department, b) the
        # administrator posts; 应急预案管理 a) the plans for important events; 恶意代码防范管理 c) the library
        # updates; 自行软件开发 b) the security testing before installation. The result in that row must be
        # the result recorded for that item.
        words = {"符合": "compliant", "部分符合": "partial", "不符合": "noncompliant", "不适用": "na"}
        asset_of = {name: a for a, name in sheet_of.items() if a is not None}
        for sheet, item_id, word in _l2_rows(path):
            assert view.findings[(item_id, asset_of[sheet])].result == words[word], (sheet, item_id)


L2_LETTERS = {
    ("岗位设置", "a"): "ORS-01-b",
    ("岗位设置", "b"): "ORS-01-c",
    ("应急预案管理", "a"): "MMS-13-b",
    ("恶意代码防范管理", "b"): "MMS-07-c",
    ("恶意代码防范管理", "c"): "MMS-07-b",
    ("自行软件开发", "b"): "CMS-04-e",
}


def _l2_rows(path: Path) -> list[tuple[str, str, str]]:
    """(sheet, expected item id, result word) of the rows with a level-2 letter, read back with openpyxl."""
    from openpyxl import load_workbook

    out = []
    wb = load_workbook(path, read_only=True)
    for ws in wb.worksheets:
        control = ""
        for row in ws.iter_rows(values_only=True):
            if len(row) < 5 or not row[2] or row[4] in ("符合情况", "符合程度"):
                continue
            control = str(row[1]) if row[1] else control
            key = (control, str(row[2])[0])
            if key in L2_LETTERS:
                out.append((ws.title.strip(), L2_LETTERS[key], str(row[4])))
    wb.close()
    assert len(out) == len(L2_LETTERS)
    return out


def test_export_round_trip_is_exact_and_formula_notes_stay_text(tmp_path: Path) -> None:
    catalog = load_catalog()
    ctx = open_ctx(tmp_path / "store", catalog, make_signer("张测评"), create=True)
    unit = uc.add_unit(ctx, "某单位")
    system = uc.add_system(ctx, unit.id, "某系统", level=3)
    srv = uc.add_asset(ctx, system.id, "server", "Web服务器01", address="10.1.1.1")
    insp = uc.new_inspection(ctx, system.id, "mlps-l3", category_objects=True)
    first = next(i for i in insp.items if "server" in i.objects)
    uc.record_finding(
        ctx, insp.id, first.id, srv.id, "partial", note="=SUM(A1:A2) 不是公式", method="examine"
    )
    out = tmp_path / "w.xlsx"
    report.export(ctx, "inspection", insp.id, "xlsx", "zh", out)
    second = uc.new_inspection(ctx, system.id, "mlps-l3", category_objects=True)
    done = report.import_workbook(ctx, second.id, out)
    assert done.recorded == 1
    f = uc.load_inspection(ctx, second.id).findings[(first.id, srv.id)]
    assert (f.result, f.note, f.method) == ("partial", "=SUM(A1:A2) 不是公式", "examine")
    assert report.import_workbook(ctx, second.id, out).recorded == 0


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    '<c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize("kind", ["not", "encrypted", "bomb", "empty", "level"])
def test_bad_workbooks_are_one_sentence_and_change_nothing(tmp_path: Path, kind: str) -> None:
    from openpyxl import Workbook

    catalog = load_catalog()
    ctx = open_ctx(tmp_path / "store", catalog, make_signer("张测评"), create=True)
    unit = uc.add_unit(ctx, "某单位")
    system = uc.add_system(ctx, unit.id, "某系统", level=3)
    insp = uc.new_inspection(ctx, system.id, "mlps-l3", category_objects=True)
    path = tmp_path / "bad.xlsx"
    if kind == "not":
        path.write_text("hello")
    elif kind == "encrypted":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    elif kind == "bomb":
        good = tmp_path / "good.xlsx"
        Workbook().save(good)
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
            for info in src.infolist():
                data = (
                    BOMB.encode() if info.filename == "xl/worksheets/sheet1.xml" else src.read(info.filename)
                )
                dst.writestr(info.filename, data)
    elif kind == "empty":
        Workbook().save(path)
    else:
        build(catalog, 2, tmp_path / "l2.xlsx")
        path = tmp_path / "l2.xlsx"
        ctx2 = ctx
        # a level-2 workbook against objects that do not exist yet: every sheet is reported, nothing written
        before = ctx2.store.count()
        with pytest.raises(WorkbookError):
            report.import_workbook(ctx2, insp.id, path)
        assert ctx2.store.count() == before
        return
    before = ctx.store.count()
    with pytest.raises(WorkbookError) as err:
        report.import_workbook(ctx, insp.id, path)
    assert err.value.message.count("。") + err.value.message.count(".") >= 1 and "\n" not in err.value.message
    wanted = {
        "not": "is not an Excel workbook",
        "encrypted": "password-protected",
        "bomb": "contains unsafe XML (entities or external references) and was refused",
        "empty": "holds no record rows",
    }[kind]
    assert wanted in err.value.message, err.value.message
    assert ctx.store.count() == before
