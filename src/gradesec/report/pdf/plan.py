"""The remediation plan (整改计划): its own sections and its builder."""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path
from typing import Unpack

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from gradesec.catalog.template import ReportTemplate
from gradesec.report.data import RISKS, ReportData
from gradesec.report.pdf.common import (
    BuildOptions,
    Section,
    build,
    issue_extra,
    open_section,
    risk_header,
    risk_word,
    section_title,
    signatures,
)
from gradesec.report.pdf.kit import FRAME_W, RISK_COLOURS, Story


def _timeline_chart(s: Story, data: ReportData) -> Drawing | None:
    """Issues due per week from the report date, stacked by risk."""
    due = [(i.risk, data.deadline(i)) for i in data.issues]
    dated = [(r, d) for r, d in due if d is not None]
    if not dated:
        return None
    start = data.generated - timedelta(days=data.generated.weekday())
    last = max(d for _, d in dated)
    weeks = max(1, min(26, (last - start).days // 7 + 1))
    series: dict[str | None, list[int]] = {r: [0] * weeks for r in (*RISKS, None)}
    for risk, when in dated:
        week = min(max((when - start).days // 7, 0), weeks - 1)
        series[risk][week] += 1
    used = [r for r in (*RISKS, None) if any(series[r])]
    drawing = Drawing(FRAME_W, 70 * mm, initialFontName=s.font)
    chart = VerticalBarChart()
    chart.x = 30
    chart.y = 45
    chart.width = FRAME_W - 140
    chart.height = 70 * mm - 70
    chart.data = [series[r] for r in used]
    chart.categoryAxis.style = "stacked"
    step = max(1, math.ceil(weeks / 13))
    names = []
    for w in range(weeks):
        names.append((start + timedelta(days=7 * w)).strftime("%m-%d") if w % step == 0 else "")
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = s.font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    top = max(sum(series[r][w] for r in used) for w in range(weeks))
    chart.valueAxis.valueMax = max(2, top)
    chart.valueAxis.valueStep = max(1, math.ceil(top / 5))
    chart.valueAxis.labels.fontName = s.font
    chart.valueAxis.labels.fontSize = 7
    chart.bars.strokeColor = None
    for i, risk in enumerate(used):
        chart.bars[i].fillColor = RISK_COLOURS[risk]
    drawing.add(chart)
    legend = Legend()
    legend.x = FRAME_W - 95
    legend.y = 70 * mm - 30
    legend.fontName = s.font
    legend.fontSize = 8
    legend.alignment = "right"
    legend.colorNamePairs = [(RISK_COLOURS[r], risk_word(s, r)) for r in used]
    drawing.add(legend)
    caption = s.label("report.chart.timeline")
    drawing.add(String(FRAME_W / 2, 4, caption, fontName=s.font, fontSize=9, textAnchor="middle"))
    return drawing


def _plan_summary(s: Story, data: ReportData, template: ReportTemplate) -> None:
    open_section(s, template, "summary")
    header = risk_header(s)
    counts = [str(sum(1 for i in data.issues if i.risk == r)) for r in (*RISKS, None)]
    counts.append(str(sum(1 for i in data.issues if i.major)))
    s.add(s.table(header, [counts], [FRAME_W / 5] * 5), Spacer(1, 3 * mm))
    days = ", ".join(
        s.label("report.plan.days", risk=risk_word(s, r), days=data.remediation_days[r])
        for r in RISKS
        if r in data.remediation_days
    )
    s.add(s.para(s.label("report.plan.defaults", days=days, base=data.generated.isoformat())))
    chart = _timeline_chart(s, data)
    if chart is not None:
        s.add(s.heading(s.label("report.plan.timeline"), 1), chart)
    s.add(PageBreak())


def _plan_table(s: Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(section_title(s, template, "plan")))
    if not data.issues:
        s.add(s.para(s.label("report.issues.none")))
    header = [
        s.label(k)
        for k in (
            "report.col.no",
            "report.col.problem",
            "report.col.risk",
            "report.col.measure",
            "report.col.owner",
            "report.col.deadline",
            "report.col.status",
        )
    ]
    widths = [9 * mm, 48 * mm, 13 * mm, FRAME_W - 124 * mm, 20 * mm, 19 * mm, 15 * mm]
    for risk, group in data.issues_by_risk():
        s.add(s.heading(risk_word(s, risk), 1))
        rows = []
        for issue in group:
            problem = f"{issue.item_id} {issue.control_name} — {issue.asset_name}\n{issue.finding}"
            risk_text = risk_word(s, issue.risk)
            if issue.major:
                risk_text += "\n" + s.label("report.major")
            deadline = data.deadline(issue)
            rows.append(
                [
                    str(issue.no),
                    s.cell_text(problem),
                    s.cell_text(risk_text),
                    s.cell_text(issue.measure),
                    s.cell_text(issue.owner or s.label("report.plan.owner_unset")),
                    deadline.isoformat() if deadline else "—",
                    s.cell_text(issue.status or s.label("report.plan.status_open")),
                ]
            )
        s.add(s.table(header, rows, widths, extra=issue_extra(group)))
    signatures(s, template)
    s.add(PageBreak())


SECTIONS: dict[str, Section] = {
    "summary": _plan_summary,
    "plan": _plan_table,
}


def build_plan_pdf(
    data: ReportData,
    template: ReportTemplate,
    out_path: Path,
    **options: Unpack[BuildOptions],
) -> int:
    """Write the remediation plan (整改计划) to ``out_path``; return the page count."""
    return build(data, template, out_path, sections=SECTIONS, **options)
