"""Reports of an inspection with an extension set: the PDF has its own extension tables and the workbook round-trips."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from gradesec import report
from gradesec.catalog.loader import load_catalog
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import Context
from tests.report.conftest import make_signer, open_ctx, pdf_text


def _squash(text: str) -> str:
    return "".join(text.split())


@contextmanager
def cloud_inspection(tmp_path: Path) -> Iterator[tuple[Context, Any, Any, Any, Any]]:
    """A level-3 cloud-customer inspection: ``(ctx, system, inspection, data asset, docs asset)``."""
    ctx = open_ctx(tmp_path / "store", load_catalog(), make_signer("张测评"), create=True)
    try:
        unit = uc.add_unit(ctx, "某市政务云租户")
        system = uc.add_system(ctx, unit.id, "网上办事系统", level=3, extensions=["cloud"])
        data = uc.add_asset(ctx, system.id, "data", "业务数据")
        docs = uc.add_asset(ctx, system.id, "docs", "云服务合同")
        insp = uc.new_inspection(ctx, system.id, "mlps-l3+cloud-customer", title="2026 云上测评")
        yield ctx, system, insp, data, docs
    finally:
        ctx.close()


def test_cloud_customer_inspection_report_and_workbook(tmp_path: Path) -> None:
    with cloud_inspection(tmp_path) as (ctx, system, insp, data, docs):
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


def _docx_text(path: Path) -> str:
    from docx import Document as open_docx

    doc = open_docx(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_the_official_report_has_the_cloud_conclusion_table_and_the_extension_indicators(
    tmp_path: Path,
) -> None:
    import pytest

    from gradesec.errors import UsageError
    from gradesec.usecases import report_fields as rf

    with cloud_inspection(tmp_path) as (ctx, _, insp, data, _):
        uc.record_finding(ctx, insp.id, "CLD-CES-06-a", data.id, "noncompliant", note="同一可用区。")
        model = rf.report_model(ctx, insp.id, "zh", "2025")
        cloud = {p for p in model.fields if p.startswith("ext.cloud.")}
        assert cloud == {
            "ext.cloud.form",
            "ext.cloud.ops_location",
            "ext.cloud.service_model",
            "ext.cloud.services",
        }
        assert not any(p.startswith("ext.bigdata.") for p in model.fields)
        assert {f.path for f in model.missing()} >= cloud  # the table is mandatory where the set applies
        rf.set_report_fields(
            ctx,
            insp.id,
            {
                "ext.cloud.form": "public",
                "ext.cloud.ops_location": "某市",
                "ext.cloud.service_model": "iaas",
                "ext.cloud.services": "云主机 | 第三级，符合\n对象存储 | 第三级，基本符合",
            },
        )
        with pytest.raises(UsageError):  # a big-data field on an inspection without that set
            rf.set_report_fields(ctx, insp.id, {"ext.bigdata.deployment": "本地"})

        out = tmp_path / "r.docx"
        report.export(ctx, "inspection", insp.id, "docx", "zh", out, template_id="2025", invariant=True)
        text = _docx_text(out)
        assert "等级测评结论扩展表（云计算安全）" in text
        assert "云计算形态 | 公有云" in text and "运维所在地 | 某市" in text
        assert "云服务模式 | IaaS（基础设施即服务）" in text
        assert "云主机 | 第三级，符合" in text and "对象存储 | 第三级，基本符合" in text
        assert "不符合1" in _squash(text)  # the extension items' results, counted from the records
        assert "安全扩展要求指标" in text
        # 2.2: cloud control points are listed under the extension set, not among the general requirements
        lines = text.splitlines()
        general = lines.index(next(x for x in lines if x.startswith("表2-1")))
        extension = lines.index(next(x for x in lines if "安全扩展要求指标" in x and x.startswith("表")))
        assert not any("云计算安全扩展要求" in x for x in lines[general:extension])
        assert any(x.startswith("云计算安全扩展要求 | ") for x in lines[extension:])

        en = tmp_path / "r-en.pdf"
        report.export(ctx, "inspection", insp.id, "pdf", "en", en, template_id="2025", invariant=True)
        flat = " ".join(pdf_text(en).split())
        assert "Conclusion extension table (cloud computing security)" in flat
        assert "public cloud" in flat


def test_a_report_without_extension_sets_has_no_extension_table(tmp_path: Path) -> None:
    catalog = load_catalog()
    ctx = open_ctx(tmp_path / "store", catalog, make_signer("张测评"), create=True)
    try:
        unit = uc.add_unit(ctx, "某局")
        system = uc.add_system(ctx, unit.id, "办公系统", level=2)
        insp = uc.new_inspection(ctx, system.id, "mlps-l2", title="2026 测评")
        out = tmp_path / "r.docx"
        report.export(ctx, "inspection", insp.id, "docx", "zh", out, template_id="2025", invariant=True)
        text = _docx_text(out)
        assert "等级测评结论扩展表" not in text and "安全扩展要求指标" not in text
    finally:
        ctx.close()
