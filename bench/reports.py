"""Report build benchmark: a level-3 inspection of 30 assets (about 6,000 results, about 150 pages).

Prints, for the inspection report PDF, the time of gradesec's build next to a bare reportlab build of the same
tables (per-asset record tables and the issue list, same font and cell types, one ``SimpleDocTemplate.build``)
measured in the same run, and their ratio (target ≤ 1.5); the peak traced memory of each; the XLSX record
workbook export time (target ≤ 5 s); and the remediation plan PDF.

The data is the shipped level-3 checklist (real item texts and weights) with deterministic results and short
result records, as inspectors write them; no store is needed, so only the report layer is measured.

    .venv/bin/python bench/reports.py [--assets 30] [--repeat 2]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from gradesec.catalog.loader import load_catalog
from gradesec.catalog.template import ReportTemplate
from gradesec.report.data import (
    AssetInfo,
    CategoryInfo,
    ControlInfo,
    Integrity,
    IssueRow,
    ItemInfo,
    ReportData,
    ResultRow,
    SignerInfo,
)

NOTES = [
    "已配置口令复杂度策略，90天强制更换。",
    "查看配置，已启用登录失败处理，5次锁定30分钟。",
    "访谈管理员，远程管理采用SSH。",
    "未启用双因素认证，仅使用口令登录。",
    "审计日志保存180天，已外发至日志服务器。",
    "现场核查，机房门禁记录完整。",
    "制度已发布，但未见评审记录。",
    "测试验证，默认账户已禁用或改名。",
]
KINDS = ["server", "server", "database", "network_device", "security_device", "application", "terminal"]


def level3_data(n_assets: int, seed: int = 3) -> ReportData:
    catalog = load_catalog()
    resolved = catalog.items_for("mlps-l3")
    rng = random.Random(seed)
    assets = [
        AssetInfo(f"a{i:02d}", f"资产{i:02d}", KINDS[i % len(KINDS)], KINDS[i % len(KINDS)])
        for i in range(n_assets)
    ]
    items = [
        ItemInfo(
            r.id, r.category.code, r.control.id, r.control.name.zh, r.text.zh, r.weight, tuple(r.item.objects)
        )
        for r in resolved
    ]
    results: list[ResultRow] = []
    issues: list[IssueRow] = []
    for item in items:
        for asset in assets:
            if rng.random() > 0.95:
                continue
            result = rng.choices(("compliant", "partial", "noncompliant", "na"), (7, 2, 1, 1))[0]
            note = rng.choice(NOTES)
            results.append(ResultRow(item.id, asset.id, result, note, "张测评", "2026-11-24 09:30"))
            if result in ("partial", "noncompliant") and len(issues) < 400:
                risk = rng.choices(("high", "medium", "low"), (1, 3, 4))[0]
                issues.append(
                    IssueRow(
                        len(issues) + 1,
                        item.id,
                        asset.id,
                        risk,
                        result,
                        item.control_name,
                        item.text,
                        asset.name,
                        note,
                        "按该测评项的要求整改。",
                    )
                )
    issues.sort(key=lambda i: ("high", "medium", "low").index(i.risk or "low"))
    controls = {i.control: (i.category, i.control_name) for i in items}
    categories = {r.category.code: r.category for r in resolved}
    return ReportData(
        lang="zh",
        inspection_id="i-bench",
        title="基准测评",
        status="closed",
        unit_name="某单位",
        system_name="某系统",
        system_description="用于基准测试的系统。",
        level=3,
        organisation="某测评中心",
        inspectors=("张测评",),
        started="2026-11-24",
        closed="2026-11-28",
        generated=date(2026, 11, 30),
        profile_id="mlps-l3",
        profile_title="第三级",
        policy_id="mlps-2021",
        policy_title="2021版",
        catalog_sha256="0" * 64,
        pins={"profile:mlps-l3": "0" * 64},
        score=81.5,
        conclusion_code="good",
        conclusion="良",
        compliance_rate=0.8,
        provisional=False,
        score_note="",
        result_counts={
            r: sum(1 for x in results if x.result == r)
            for r in ("compliant", "partial", "noncompliant", "na")
        },
        issue_counts={"high": 0, "medium": 0, "low": 0},
        recorded=len(results),
        applicable=len(results),
        assets=assets,
        items=items,
        categories=[
            CategoryInfo(c.code, c.name.zh, c.cls, rng.uniform(60, 95), 10) for c in categories.values()
        ],
        controls=[
            ControlInfo(cid, name, cat, rng.uniform(5, 10), 3) for cid, (cat, name) in controls.items()
        ],
        results=results,
        issues=issues,
        evidence=[],
        integrity=Integrity(
            (SignerInfo("张测评", "inspector", "某测评中心", "0" * 32),), (), (), len(results), "/store"
        ),
    )


def bare_build(data: ReportData, out: Path, font: str) -> int:
    """The same tables with nothing around them: one SimpleDocTemplate.build, no contents, no header."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    cell = ParagraphStyle("c", fontName=font, fontSize=8.5, leading=11.5, wordWrap="CJK")
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), font, 8.5, 11.5),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    width = A4[0] - 40 * mm
    items = {i.id: i for i in data.items}
    story = []
    for rows in data.results_by_asset().values():
        body: list[list[object]] = [["序号", "控制点", "测评项", "结果记录", "符合情况"]]
        for n, row in enumerate(rows, 1):
            item = items[row.item_id]
            record = f"{row.note}<br/>— {row.by} {row.at}"
            body.append(
                [
                    str(n),
                    Paragraph(escape(item.control_name), cell),
                    Paragraph(escape(f"{item.id} {item.text}"), cell),
                    Paragraph(record, cell),
                    row.result or "",
                ]
            )
        story.append(
            Table(
                body,
                colWidths=[10 * mm, 24 * mm, 62 * mm, width - 114 * mm, 18 * mm],
                repeatRows=1,
                style=style,
            )
        )
    body = [["序号", "风险", "测评项", "资产", "问题描述", "整改措施"]]
    for issue in data.issues:
        body.append(
            [
                str(issue.no),
                issue.risk or "",
                Paragraph(escape(f"{issue.item_id} {issue.item_text}"), cell),
                Paragraph(escape(issue.asset_name), cell),
                Paragraph(escape(issue.finding), cell),
                Paragraph(escape(issue.measure), cell),
            ]
        )
    story.append(
        Table(
            body,
            colWidths=[10 * mm, 16 * mm, 45 * mm, 25 * mm, 36 * mm, width - 132 * mm],
            repeatRows=1,
            style=style,
        )
    )
    doc = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        invariant=1,
    )
    doc.build(story)
    return int(doc.page)


def timed(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    best = float("inf")
    value = 0
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def peak(fn: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    import yaml

    from gradesec import paths
    from gradesec.report.fonts import find_font
    from gradesec.report.pdf import build_inspection_pdf, build_plan_pdf
    from gradesec.report.xlsx import build_workbook

    reports = paths.shipped_data_dir("reports")
    inspection = ReportTemplate.model_validate(
        yaml.safe_load((reports / "inspection.yaml").read_text("utf-8"))
    )
    plan = ReportTemplate.model_validate(yaml.safe_load((reports / "plan.yaml").read_text("utf-8")))
    data = level3_data(args.assets)
    font = find_font()
    print(
        f"data: {len(data.items)} items × {len(data.assets)} assets = {len(data.results)} results, "
        f"{len(data.issues)} issues; font {font.family}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        bare_t, bare_pages = timed(lambda: bare_build(data, out / "bare.pdf", font.name), args.repeat)
        ours_t, ours_pages = timed(
            lambda: build_inspection_pdf(
                data, inspection, out / "ours.pdf", lang="zh", invariant=True, font=font
            ),
            args.repeat,
        )
        plan_t, plan_pages = timed(
            lambda: build_plan_pdf(data, plan, out / "plan.pdf", lang="zh", invariant=True, font=font),
            args.repeat,
        )
        xlsx_t, _sheets = timed(lambda: build_workbook(data, out / "w.xlsx", lang="zh"), args.repeat)
        bare_mem = peak(lambda: bare_build(data, out / "bare.pdf", font.name))
        ours_mem = peak(
            lambda: build_inspection_pdf(
                data, inspection, out / "ours.pdf", lang="zh", invariant=True, font=font
            )
        )
        xlsx_mem = peak(lambda: build_workbook(data, out / "w.xlsx", lang="zh"))
        size = (out / "ours.pdf").stat().st_size / 2**20
    ratio = ours_t / bare_t
    print(f"bare reportlab, same tables : {bare_t:6.2f} s  {bare_pages:4d} pages  peak {bare_mem:6.1f} MiB")
    print(
        f"inspection report PDF       : {ours_t:6.2f} s  {ours_pages:4d} pages  peak {ours_mem:6.1f} MiB"
        f"  {size:.1f} MiB on disk"
    )
    print(f"  ratio to bare             : {ratio:6.2f}×  (target ≤ 1.5×) {'OK' if ratio <= 1.5 else 'OVER'}")
    print(f"remediation plan PDF        : {plan_t:6.2f} s  {plan_pages:4d} pages")
    print(
        f"XLSX record workbook        : {xlsx_t:6.2f} s  peak {xlsx_mem:6.1f} MiB  (target ≤ 5 s) "
        f"{'OK' if xlsx_t <= 5 else 'OVER'}"
    )
    print(f"per result (report)         : {ours_t / len(data.results) * 1e3:6.3f} ms")
    return 0 if ratio <= 1.5 and xlsx_t <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
