"""Reports of an inspection with an extension set: the PDF has its own extension tables and the workbook round-trips."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from gradesec import report
from gradesec.catalog.loader import load_catalog
from gradesec.usecases import inspections as uc
from tests.report.conftest import make_signer, open_ctx, pdf_text


def _squash(text: str) -> str:
    return "".join(text.split())


def test_cloud_customer_inspection_report_and_workbook(tmp_path: Path) -> None:
    catalog = load_catalog()
    ctx = open_ctx(tmp_path / "store", catalog, make_signer("张测评"), create=True)
    try:
        unit = uc.add_unit(ctx, "某市政务云租户")
        system = uc.add_system(ctx, unit.id, "网上办事系统", level=3, extensions=["cloud"])
        data = uc.add_asset(ctx, system.id, "data", "业务数据")
        docs = uc.add_asset(ctx, system.id, "docs", "云服务合同")
        insp = uc.new_inspection(ctx, system.id, "mlps-l3+cloud-customer", title="2026 云上测评")
        assert insp.profile_id == "mlps-l3+cloud-customer"
        assert {i.extension for i in insp.items} == {"", "cloud"}
        record = uc.record_finding
        record(ctx, insp.id, "CLD-CES-06-a", data.id, "noncompliant", note="备份只保存在同一可用区。")
        record(ctx, insp.id, "CLD-CMS-01-a", docs.id, "compliant", note="平台已通过第三级测评。")
        record(ctx, insp.id, "CLD-CMS-01-b", docs.id, "partial", note="SLA 未写明恢复时间指标。")
        record(ctx, insp.id, "CES-09-a", data.id, "compliant", note="每日全量备份。")

        out = tmp_path / "r.pdf"
        report.export(ctx, "inspection", insp.id, "pdf", "zh", out, invariant=True)
        flat = _squash(pdf_text(out))
        assert "安全扩展要求测评结果" in flat
        assert "云计算安全扩展要求" in flat
        assert _squash("CES 数据备份恢复") in flat and _squash("CMS 云服务商选择") in flat
        assert "备份只保存在同一可用区" in flat  # the record itself is in the records appendix

        wb_path = tmp_path / "w.xlsx"
        report.export(ctx, "inspection", insp.id, "xlsx", "zh", wb_path)
        ids = {
            cell
            for ws in load_workbook(wb_path).worksheets
            for row in ws.iter_rows(values_only=True)
            for cell in row
        }
        assert {"CLD-CES-06-a", "CLD-CMS-01-a", "CLD-CMS-01-b", "CES-09-a"} <= ids
        second = uc.new_inspection(ctx, system.id, "mlps-l3+cloud-customer", title="复测")
        done = report.import_workbook(ctx, second.id, wb_path)
        assert done.recorded == 4 and not done.problems
        again = uc.load_inspection(ctx, second.id)
        assert {(f.item_id, f.result) for f in again.findings.values()} == {
            ("CLD-CES-06-a", "noncompliant"),
            ("CLD-CMS-01-a", "compliant"),
            ("CLD-CMS-01-b", "partial"),
            ("CES-09-a", "compliant"),
        }
    finally:
        ctx.close()
