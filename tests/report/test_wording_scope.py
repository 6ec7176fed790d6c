"""The user's official wording layer (import, use in the import and the PDF), category objects and progress,
and results recorded beyond the expected object kinds."""

from __future__ import annotations

from pathlib import Path

from gradesec import report
from gradesec.catalog.loader import load_catalog
from gradesec.report.workbook.wording import import_wording
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import Context
from tests.report.conftest import make_signer, open_ctx, pdf_text
from tests.report.fieldbooks import build

OWN = "应当满足标准第身份鉴别条的要求（原文示意）"


def test_wording_import_is_used_by_import_and_reports(tmp_path: Path) -> None:
    shipped = load_catalog()
    book = tmp_path / "l3.xlsx"
    build(shipped, 3, book)
    layer = tmp_path / "mine"
    done = import_wording(shipped, book, 3, layer)
    assert done.items == 211 and done.path == layer / "wording-l3.yaml"
    catalog = load_catalog(extra_dirs=[layer])
    ctx = open_ctx(tmp_path / "store", catalog, make_signer("张测评"), create=True)
    unit = uc.add_unit(ctx, "某单位")
    system = uc.add_system(ctx, unit.id, "某系统", level=3)
    insp = uc.new_inspection(ctx, system.id, "mlps-l3", category_objects=True)
    checked = report.import_workbook(ctx, insp.id, book, check=True)
    # every row of a known object is now confirmed by the official text
    assert checked.rules["letter"] == 0 and checked.rules["letter+text"] > 150
    report.import_workbook(ctx, insp.id, book, create_assets=True)
    out = tmp_path / "r.pdf"
    report.export(ctx, "inspection", insp.id, "pdf", "zh", out, invariant=True)
    text = pdf_text(out).replace(" ", "")
    assert "标准原文（用户导入：l3.xlsx）" in text
    assert OWN.replace("（原文示意）", "") in text
    xlsx = tmp_path / "r.xlsx"
    report.export(ctx, "inspection", insp.id, "xlsx", "zh", xlsx)
    from openpyxl import load_workbook

    wb = load_workbook(xlsx, read_only=True)
    summary = {r[0]: r[1] for r in wb["汇总"].iter_rows(values_only=True) if r and r[0]}
    assert summary["测评项文字"] == "标准原文（用户导入：l3.xlsx）"
    wb.close()


def test_category_objects_get_their_category_and_a_complete_assessment_is_100(tmp_path: Path) -> None:
    catalog = load_catalog()
    ctx = open_ctx(tmp_path / "store", catalog, make_signer("张测评"), create=True)
    unit = uc.add_unit(ctx, "某单位")
    system = uc.add_system(ctx, unit.id, "某系统", level=2)
    srv = uc.add_asset(ctx, system.id, "server", "主机1")
    insp = uc.new_inspection(ctx, system.id, "mlps-l2", category_objects=True)
    view = uc.load_inspection(ctx, insp.id)
    kinds = {a.kind for a in view.assets}
    assert kinds == {
        "server",
        "machine_room",
        "comm_network",
        "area_boundary",
        "mgmt_centre",
        "mgmt_policy",
        "mgmt_org",
        "mgmt_staff",
        "mgmt_build",
        "mgmt_ops",
    }
    category_kind = catalog.category_kinds()
    for asset in view.assets:
        if asset.kind == "server":
            continue
        got = {i.category for i in view.items if asset.kind in i.objects}
        assert got == {next(c for c, k in category_kind.items() if k == asset.kind)}
    entries = [
        uc.FindingInput(i.id, a.id, "compliant", note="ok")
        for i in view.items
        for a in view.assets
        if a.kind in i.objects
    ]
    uc.record_findings(ctx, insp.id, entries)
    progress = uc.load_inspection(ctx, insp.id).progress
    assert progress.complete and progress.ratio == 1.0
    # a second inspection reuses the category objects the first one made
    again = uc.new_inspection(ctx, system.id, "mlps-l2", category_objects=True)
    assert len(again.asset_ids) == len(view.assets) and srv.id in again.asset_ids


def test_a_result_beyond_the_expected_kinds_is_recorded_and_marked(tmp_path: Path) -> None:
    catalog = load_catalog()
    ctx = open_ctx(tmp_path / "store", catalog, make_signer("张测评"), create=True)
    unit = uc.add_unit(ctx, "某单位")
    system = uc.add_system(ctx, unit.id, "某系统", level=3)
    fw = uc.add_asset(ctx, system.id, "security_device", "防火墙01")
    insp = uc.new_inspection(ctx, system.id, "mlps-l3", category_objects=True)
    backup = next(i for i in insp.items if i.control == "CES-09" and "security_device" not in i.objects)
    before = uc.load_inspection(ctx, insp.id).progress
    uc.record_finding(ctx, insp.id, backup.id, fw.id, "compliant", note="配置已定期备份")
    view = uc.load_inspection(ctx, insp.id)
    assert view.findings[(backup.id, fw.id)].result == "compliant"
    assert (
        view.progress.applicable == before.applicable
    )  # advice: the denominator is what the catalog expects
    events = [e for e in ctx.store.events() if e.kind == "finding.recorded"]
    assert events[-1].body["scope_extension"] is True
    out = tmp_path / "r.pdf"
    report.export(ctx, "inspection", insp.id, "pdf", "zh", out, invariant=True)
    text = pdf_text(out).replace(" ", "")
    assert "测评范围扩展" in text and "1条结果记录在目录未预期类型的对象上" in text
    xlsx = tmp_path / "r.xlsx"
    report.export(ctx, "inspection", insp.id, "xlsx", "zh", xlsx)
    second = uc.new_inspection(ctx, system.id, "mlps-l3", category_objects=True)
    done = report.import_workbook(ctx, second.id, xlsx)
    assert done.recorded == 1 and done.extends_scope == 1


def test_the_tui_item_detail_shows_the_official_wording_and_its_source(tmp_path: Path) -> None:
    from types import SimpleNamespace
    from typing import cast

    from gradesec.tui.widgets.item_detail import ItemDetail
    from gradesec.tui.workspace_model import WorkspaceModel

    layer = tmp_path / "mine"
    layer.mkdir()
    (layer / "w.yaml").write_text(
        "kind: wording\nid: official-l3\nlevel: 3\nsource: 记录表.xlsx\nitems:\n  CES-01-a: 标准原文示意句。\n",
        encoding="utf-8",
    )
    catalog = load_catalog(extra_dirs=[layer])
    model = cast(WorkspaceModel, SimpleNamespace(catalog=catalog, inspection=SimpleNamespace(level=3)))
    assert ItemDetail._official(model, "CES-01-a", "zh") == ("标准原文示意句。", "记录表.xlsx")
    assert ItemDetail._official(model, "CES-01-b", "zh") == ("", None)
    assert ItemDetail._official(model, "CES-01-a", "en") == ("", None)  # the layer is Chinese only


def test_the_scope_extension_is_kept_with_the_record_and_survives_a_rebuild(tmp_path: Path) -> None:
    """Kept, not derived: the revision carries the flag from its event; a state rebuild gives the same; the
    exported workbook has its own column for it; an in-kind result says False, not nothing."""
    from openpyxl import load_workbook

    from gradesec.usecases.findings import finding_history

    catalog = load_catalog()
    ctx = open_ctx(tmp_path / "store", catalog, make_signer("张测评"), create=True)
    unit = uc.add_unit(ctx, "某单位")
    system = uc.add_system(ctx, unit.id, "某系统", level=3)
    fw = uc.add_asset(ctx, system.id, "security_device", "防火墙01")
    insp = uc.new_inspection(ctx, system.id, "mlps-l3", category_objects=True)
    backup = next(i for i in insp.items if i.control == "CES-09" and "security_device" not in i.objects)
    usual = next(i for i in insp.items if "security_device" in i.objects and i.category == "CES")
    uc.record_finding(ctx, insp.id, backup.id, fw.id, "compliant", note="配置已定期备份")
    uc.record_finding(ctx, insp.id, usual.id, fw.id, "partial", note="部分满足")

    def flags() -> dict[str, bool | None]:
        view = uc.load_inspection(ctx, insp.id)
        return {i: f.scope_extension for (i, _a), f in view.findings.items()}

    assert flags() == {backup.id: True, usual.id: False}
    assert finding_history(ctx, insp.id, backup.id, fw.id)[-1].scope_extension is True
    ctx.store.rebuild_state()
    assert flags() == {backup.id: True, usual.id: False}
    xlsx = tmp_path / "r.xlsx"
    report.export(ctx, "inspection", insp.id, "xlsx", "zh", xlsx)
    ws = load_workbook(xlsx)["防火墙01"]
    header = [c.value for c in ws[2]]
    col = header.index("测评范围扩展") + 1
    marked = {str(ws.cell(r, 7).value): ws.cell(r, col).value for r in range(3, ws.max_row + 1)}
    assert marked[backup.id] == "测评范围扩展"
    assert marked[usual.id] is None


def _layered(tmp_path: Path, csv_text: str) -> tuple[Context, str]:
    shipped = load_catalog()
    source = tmp_path / "mine.csv"
    source.write_text(csv_text, encoding="utf-8")
    layer = tmp_path / "layer"
    import_wording(shipped, source, 3, layer)
    catalog = load_catalog(extra_dirs=[layer])
    ctx = open_ctx(tmp_path / "store", catalog, make_signer("张测评"), create=True)
    unit = uc.add_unit(ctx, "某单位")
    system = uc.add_system(ctx, unit.id, "某系统", level=3)
    room = uc.new_inspection(ctx, system.id, "mlps-l3", category_objects=True)
    item = next(i for i in room.items if i.id == "PES-01-a")
    view = uc.load_inspection(ctx, room.id)
    asset = next(a for a in view.assets if a.kind in item.objects)
    uc.record_finding(ctx, room.id, item.id, asset.id, "compliant", note="ok")
    return ctx, room.id


def test_english_output_uses_the_users_english_column_and_says_so(tmp_path: Path) -> None:
    ctx, insp = _layered(
        tmp_path,
        "id,text,en\nPES-01-a,机房场地应当选在示意大楼内（用户表述）,The site sits in a sample building (user wording)\n",
    )
    for lang, sentence, label in (
        ("zh", "机房场地应当选在示意大楼内", "标准原文（用户导入：mine.csv）"),
        ("en", "Thesitesitsinasamplebuilding", "Thestandard'swording(importedbytheuser:mine.csv)"),
    ):
        out = tmp_path / f"r-{lang}.pdf"
        report.export(ctx, "inspection", insp, "pdf", lang, out, invariant=True)
        text = pdf_text(out).replace(" ", "").replace("\n", "")
        assert sentence in text and label in text, lang


def test_english_output_without_an_english_column_uses_our_own_and_says_so(tmp_path: Path) -> None:
    ctx, insp = _layered(tmp_path, "id,text\nPES-01-a,机房场地应当选在示意大楼内（用户表述）\n")
    own_en = load_catalog().items["PES-01-a"][2].text.en
    out = tmp_path / "r-en.pdf"
    report.export(ctx, "inspection", insp, "pdf", "en", out, invariant=True)
    text = pdf_text(out).replace(" ", "").replace("\n", "")
    assert "gradesec'sownwording(notthestandard'stext)" in text
    assert "PES-01-a" + own_en.replace(" ", "")[:24] in text  # the cell wraps after that
    assert "示意大楼" not in text
    zh = tmp_path / "r-zh.pdf"
    report.export(ctx, "inspection", insp, "pdf", "zh", zh, invariant=True)
    assert "标准原文（用户导入：mine.csv）" in pdf_text(zh).replace(" ", "")
