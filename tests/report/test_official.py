"""The official inspection report (2025 / 2021 templates): DOCX read back with python-docx and converted by
LibreOffice, the PDF read back with poppler, Chinese line breaking, the user-template sandbox, and --strict."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from gradesec import paths, report
from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.errors import GradesecError
from gradesec.report.official import IncompleteReport
from gradesec.report.official.kinsoku import NO_START, bad_starts, break_lines
from gradesec.usecases import report_fields as rf
from tests.report.conftest import FIXTURE, Sample, build_sample, pdf_fonts, pdf_text


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _docx_text(path: Path) -> str:
    doc = open_docx(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


# The 2025 template's parts, in order (domain/report-template.md): what the DOCX must hold.
PARTS_2025 = [
    "【2025版】",
    "网络安全等级测评基本信息表",
    "声明",
    "等级测评结论",
    "目录",
    "1 测评项目概述",
    "1.1 测评目的",
    "1.2 测评依据",
    "1.3 测评过程",
    "1.4 报告分发范围",
    "2 被测对象描述",
    "2.1 被测对象概述",
    "定级结果",
    "承载的业务",
    "采用的技术",
    "网络结构",
    "2.2 测评指标",
    "不适用安全要求",
    "2.3 测评对象",
    "3 单项测评结果分析",
    "已有安全控制措施汇总分析",
    "主要安全问题汇总分析",
    "其他安全要求指标",
    "验证测试",
    "单项测评小结",
    "控制点符合情况汇总",
    "安全问题汇总",
    "4 整体测评",
    "控制点间安全测评",
    "区域和层面间安全测评",
    "整体测评结果汇总",
    "5 安全问题风险分析",
    "表5-1 安全问题风险分析",
    "表5-2 重大风险隐患",
    "6 总体评价",
    "表6-1 要求项符合率统计",
    "7 等级测评结论",
    "表7-1 等级测评结论",
    "8 安全问题整改建议",
    "表8-1 安全问题整改建议",
    "表8-2 重大风险隐患整改建议",
    "附录A 被测对象资产",
    *(
        f"表A-{n} {name}"
        for n, name in enumerate(
            [
                "物理机房",
                "网络设备",
                "安全设备",
                "服务器/存储设备",
                "终端",
                "其他系统或设备",
                "系统管理软件/平台",
                "业务应用系统/平台",
                "数据资源",
                "密码产品",
                "安全相关人员",
                "安全管理文档",
            ],
            1,
        )
    ),
    "附录B 上次测评问题整改情况",
    "附录C 单项测评结果汇总",
    "附录D 单项测评结果记录",
    "附录E 漏洞扫描结果记录",
    "附录F 渗透测试结果记录",
    "附录G 重大风险隐患触发项参照表",
    "附录I 威胁列表",
    "附录J 证据索引",
    "附录K 完整性说明",
]

FILLED: dict[str, object] = {
    "unit.address": "某市某区政务路1号",
    "unit.contact": "王主任",
    "unit.phone": "010-12345678",
    "unit.email": "sec@example.gov.cn",
    "org.name": "某测评中心",
    "org.code": "0421",
    "org.contact": "李工",
    "system.filing_no": "11010099999-20001",
    "report.serial": "3",
    "report.date": "2026-11-30",
    "sign.prepared": "张测评",
    "sign.reviewed": "赵审核",
    "sign.approved": "钱批准",
    "process.preparation": "2026-11-01 – 2026-11-05",
    "process.planning": "2026-11-06 – 2026-11-10",
    "process.reporting": "2026-11-25 – 2026-11-30",
    "system.grading": "S3A2G3",
    "object.technology": "采用 Nginx、Java 与 PostgreSQL，部署于政务云，使用 IPv4 双栈网络。",
    "object.network": "互联网区、DMZ 区、核心业务区与运维管理区四个安全区域，边界部署防火墙。",
    "verify.scan_tools": "漏洞扫描器 v9，范围：DMZ 区全部主机",
    "verify.scan": "发现中危漏洞 2 个（OpenSSH 版本过旧），未发现高危漏洞。",
    "verify.pentest_tools": "人工渗透，范围：门户网站",
    "verify.pentest": "发现后台存在弱口令，可登录管理界面；未能进一步提权。",
}


def _fill(sample: Sample) -> None:
    """Everything the 2025 template needs: written fields, then every remaining draft accepted."""
    rf.set_report_fields(sample.ctx, sample.inspection, FILLED)
    rf.accept_drafts(sample.ctx, sample.inspection, lang="zh")


@pytest.fixture(scope="module")
def official_catalog() -> Catalog:
    """The report tests' catalog plus the shipped 2021 and 2025 scoring policies the templates use."""
    policies = paths.shipped_data_dir("profiles") / "policies"
    kinds = paths.shipped_data_dir("checklists") / "object-kinds.yaml"
    return load_catalog(
        layers=[
            [
                FIXTURE,
                kinds,
                paths.shipped_data_dir("reports"),
                policies / "mlps-2021.yaml",
                policies / "mlps-2025.yaml",
            ]
        ]
    )


@pytest.fixture
def filled(tmp_path: Path, official_catalog: Catalog) -> Iterator[Sample]:
    s = build_sample(tmp_path / "store", official_catalog)
    _fill(s)
    yield s
    s.ctx.close()


def _export(
    sample: Sample,
    path: Path,
    fmt: str,
    edition: str = "2025",
    lang: str = "zh",
    *,
    strict: bool = False,
    docx_template: Path | None = None,
) -> Path:
    report.export(
        sample.ctx,
        "inspection",
        sample.inspection,
        fmt,
        lang,
        path,
        template_id=edition,
        invariant=True,
        strict=strict,
        docx_template=docx_template,
    )
    return path


def test_the_filled_report_has_every_part_of_the_2025_template_in_order(
    filled: Sample, tmp_path: Path
) -> None:
    assert rf.report_model(filled.ctx, filled.inspection, "zh", "2025").complete
    text = _docx_text(_export(filled, tmp_path / "r.docx", "docx"))
    pos = 0
    for part in PARTS_2025:
        found = text.find(part, pos)
        assert found >= 0, f"missing or out of order: {part}"
        pos = found
    assert "【待填写" not in text and "【草稿】" not in text
    # The report number of the template: 备案证明编号-年份-机构代码-序号.
    assert "11010099999-20001-26-0421-03" in text


def test_docx_structure_styles_and_conclusion_cells(filled: Sample, tmp_path: Path) -> None:
    path = _export(filled, tmp_path / "r.docx", "docx")
    doc = open_docx(str(path))
    h1 = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    chapters = [h for h in h1 if re.match(r"^\d ", h)]
    assert chapters == [
        "1 测评项目概述",
        "2 被测对象描述",
        "3 单项测评结果分析",
        "4 整体测评",
        "5 安全问题风险分析",
        "6 总体评价",
        "7 等级测评结论",
        "8 安全问题整改建议",
    ]
    captions = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Caption"]
    assert "表5-1 安全问题风险分析" in captions
    # Every table with a header row marks it to repeat on each page.
    headed = [
        t
        for t in doc.tables
        if t.rows
        and t.rows[0]._tr.trPr is not None
        and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    ]
    assert len(headed) >= 30
    risk = next(
        t
        for t in doc.tables
        if t.rows[0].cells[0].text == "编号" and "关联威胁" in [c.text for c in t.rows[0].cells]
    )
    assert [c.text for c in risk.rows[0].cells] == [
        "编号",
        "安全问题",
        "关联资产",
        "关联威胁",
        "危害分析结果",
        "风险等级",
    ]
    conclusion = next(
        t
        for t in doc.tables
        if "重大风险隐患" in [c.text for c in t.rows[0].cells]
        and "符合率" in [c.text for c in t.rows[0].cells]
    )
    cells = [c.text for c in conclusion.rows[1].cells]
    assert cells[0] == "政务服务平台" and cells[4] == "0（0个已整改）" and cells[3] == "2 / 1 / 0"
    assert cells[2].endswith("%") and cells[5] in ("符合", "基本符合", "不符合")
    # The East Asian font is named on the styles, so Word and WPS pick it.
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    assert doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    assert "TOC" in path.read_bytes().decode("latin-1") or any(
        "TOC" in (i.text or "") for i in doc.element.body.iter(qn("w:instrText"))
    )


def test_2021_and_2025_conclusion_tables_differ_as_their_templates_do(filled: Sample, tmp_path: Path) -> None:
    doc25 = open_docx(str(_export(filled, tmp_path / "25.docx", "docx", "2025")))
    doc21 = open_docx(str(_export(filled, tmp_path / "21.docx", "docx", "2021")))

    def header(doc: object, word: str) -> list[str]:
        for table in doc.tables:  # type: ignore[attr-defined]
            cells = [c.text for c in table.rows[0].cells]
            if word in cells:
                return cells
        return []

    assert "重大风险隐患" in header(doc25, "符合率") and "综合得分" not in header(doc25, "符合率")
    head21 = header(doc21, "综合得分")
    assert head21 and "符合率" not in head21
    text21 = _docx_text(tmp_path / "21.docx")
    assert "【2025版】" not in text21 and "6 等级测评结论" in text21 and "7 安全问题整改建议" in text21
    conclusion = [c.text for t in doc21.tables for c in t.rows[1].cells if c.text in ("优", "良", "中", "差")]
    assert conclusion


def test_libreoffice_opens_and_converts_the_docx(filled: Sample, tmp_path: Path) -> None:
    path = _export(filled, tmp_path / "r.docx", "docx")
    profile = tmp_path / "lo-profile"
    out = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    text = _squash(pdf_text(out / "r.pdf"))
    for part in (
        "网络安全等级测评报告",
        "5安全问题风险分析",
        "附录A被测对象资产",
        "附录K完整性说明",
        "安全问题风险分析",
    ):
        assert part in text
    # The contents are listed in the TOC field's result, so a reader that does not update fields shows them.
    toc = text.index("目录")
    assert text.index("1测评项目概述", toc) < text.index("8安全问题整改建议", toc)
    # Numbered captions are SEQ fields restarting per chapter; LibreOffice shows the numbers gradesec gave them.
    doc = open_docx(str(path))
    captions = [p for p in doc.paragraphs if p.style is not None and p.style.name == "Caption"]
    numbered = [
        p for p in captions if "SEQ 表" in "".join(x.text or "" for x in p._p.iter(qn("w:instrText")))
    ]
    assert len(numbered) >= 20
    shown = [_squash(p.text) for p in numbered]
    assert "表5-1" in "".join(shown) and "表A-1" in "".join(shown)
    pos = 0
    for caption in shown:
        found = text.find(caption, pos)
        assert found >= 0, f"LibreOffice shows a different caption than {caption}"
        pos = found


def test_the_pdf_has_the_same_content_and_order_as_the_docx(filled: Sample, tmp_path: Path) -> None:
    pdf = _export(filled, tmp_path / "r.pdf", "pdf")
    text = _squash(pdf_text(pdf))
    pos = 0
    for part in PARTS_2025:
        found = text.find(_squash(part), pos)
        assert found >= 0, f"missing or out of order in the PDF: {part}"
        pos = found
    assert "WenQuanYi" in pdf_fonts(pdf) or "emb" in pdf_fonts(pdf)
    # No local file paths: neither the store's folder nor the temp folder appear.
    raw = pdf_text(pdf)
    assert str(filled.store_dir) not in raw and str(tmp_path) not in raw


def test_no_line_of_the_zh_pdf_starts_with_closing_punctuation(filled: Sample, tmp_path: Path) -> None:
    raw = pdf_text(_export(filled, tmp_path / "r.pdf", "pdf"))
    lines = raw.splitlines()
    assert len(lines) > 200
    assert bad_starts(lines) == []


def test_kinsoku_and_unbroken_tokens() -> None:
    def measure(s: str) -> float:
        return sum(2.0 if ord(c) > 0x2E80 else 1.0 for c in s)

    text = "资产TCE-01-a存在弱口令，应立即修改；资产10.1.1.10未开启审计。"
    for width in range(8, 40):
        lines = break_lines(text, float(width), measure)
        assert "".join(lines) == text
        assert all(line[0] not in NO_START for line in lines if line)
        joined = "\n".join(lines)
        for token in ("TCE-01-a", "10.1.1.10"):
            if measure(token) <= width:  # never cut inside a token that fits a line
                assert token in joined
    # A token wider than the line is the only one cut.
    assert break_lines("ABCDEFGHIJ", 4.0, measure) == ["ABCD", "EFGH", "IJ"]


def test_missing_parts_are_shown_in_the_report_or_refused_under_strict(
    sample: Sample, tmp_path: Path
) -> None:
    text = _docx_text(_export(sample, tmp_path / "r.docx", "docx"))
    assert "【待填写：被测单位联系人】" in text and "【草稿】" in text
    target = tmp_path / "strict.docx"
    with pytest.raises(IncompleteReport) as caught:
        _export(sample, target, "docx", strict=True)
    problems = caught.value.problems
    assert any(line.startswith("unit.contact:") for line in problems)
    assert any(line.startswith("org.code:") for line in problems)
    assert not target.exists()


def _user_template(path: Path, text: str) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


def test_a_user_template_renders_in_the_sandbox(filled: Sample, tmp_path: Path) -> None:
    tpl = _user_template(
        tmp_path / "mine.docx",
        "{{ report.system }} / {{ fields['unit.contact'] }} / {% for p in problems %}{{ p.no }} {% endfor %}",
    )
    out = _export(filled, tmp_path / "out.docx", "docx", docx_template=tpl)
    assert _docx_text(out).strip().startswith("政务服务平台 / 王主任 / T001")


def test_a_hostile_template_expression_is_refused(filled: Sample, tmp_path: Path) -> None:
    tpl = _user_template(tmp_path / "evil.docx", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    out = tmp_path / "out.docx"
    with pytest.raises(GradesecError) as caught:
        _export(filled, out, "docx", docx_template=tpl)
    assert "unsafe" in str(caught.value) or "不安全" in str(caught.value)
    assert not out.exists()


def test_kinsoku_over_every_line_of_the_demo_report_in_zh(tmp_path: Path) -> None:
    """The demo inspection (level 3, hundreds of real result records) as the zh official PDF: no line of it
    starts with closing punctuation."""
    from gradesec.demo import build_demo
    from gradesec.journal import FrozenClock
    from gradesec.usecases.context import open_context

    demo = build_demo(tmp_path / "demo", lang="zh", clock=FrozenClock("2026-11-24T01:30:00.000Z"))
    with open_context(demo.store_dir, signer=demo.signer) as ctx:
        out = tmp_path / "demo.pdf"
        report.export(
            ctx, "inspection", demo.inspection_id, "pdf", "zh", out, template_id="2025", invariant=True
        )
    lines = pdf_text(out).splitlines()
    assert len(lines) > 1000
    assert bad_starts(lines) == []
