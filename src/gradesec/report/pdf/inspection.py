"""The inspection report (测评报告): its own sections and its builder."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Unpack

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, PageBreak, Spacer

from gradesec.catalog.template import ReportTemplate
from gradesec.report.data import RESULTS, RISKS, IssueRow, ReportData
from gradesec.report.pdf.common import (
    BuildOptions,
    Section,
    build,
    issue_extra,
    level_name,
    open_section,
    result_word,
    risk_header,
    risk_word,
    section_title,
    signatures,
)
from gradesec.report.pdf.extensions import extension_results
from gradesec.report.pdf.kit import FRAME_W, RISK_COLOURS, Story, fmt_score, fmt_size, tidy


def _category_chart(s: Story, data: ReportData) -> Drawing | None:
    cats = [c for c in data.categories]
    if not cats:
        return None
    bar_h = 16
    height = bar_h * len(cats) + 46
    drawing = Drawing(FRAME_W, height, initialFontName=s.font)
    chart = HorizontalBarChart()
    chart.x = 110
    chart.y = 28
    chart.width = FRAME_W - 150
    chart.height = bar_h * len(cats)
    # HorizontalBarChart draws the first category at the bottom; reverse so the report order reads down.
    ordered = list(reversed(cats))
    chart.data = [[c.score if c.score is not None else 0.0 for c in ordered]]
    chart.categoryAxis.categoryNames = [s.note(c.name) for c in ordered]
    chart.categoryAxis.labels.fontName = s.font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labels.fontName = s.font
    chart.valueAxis.labels.fontSize = 8
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = s.font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.bars.strokeColor = None
    for i, cat in enumerate(ordered):
        value = cat.score or 0.0
        colour = "#3b8b5a" if value >= 90 else "#c9a227" if value >= 70 else "#b3261e"
        chart.bars[(0, i)].fillColor = colors.HexColor(colour)
    drawing.add(chart)
    caption = s.label("report.chart.categories")
    drawing.add(String(FRAME_W / 2, 6, caption, fontName=s.font, fontSize=9, textAnchor="middle"))
    return drawing


def _statement(s: Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(section_title(s, template, "statement")))
    for part in tidy(template.text("statement", s.lang)).split("\n\n"):
        s.add(s.para(part))
    signatures(s, template)
    s.add(PageBreak())


def _summary(s: Story, data: ReportData, template: ReportTemplate) -> None:
    open_section(s, template, "summary")
    rows = [
        (s.label("report.field.score"), fmt_score(data.score)),
        (s.label("report.field.conclusion"), data.conclusion),
        (
            s.label("report.field.policy"),
            s.label("report.paren", text=data.policy_title, inner=data.policy_id),
        ),
        (
            s.label("report.field.progress"),
            s.label("report.progress", done=data.recorded, total=data.applicable),
        ),
    ]
    if data.compliance_rate is not None:
        # compliance_rate is already a percentage (0–100), as ScoreResult gives it
        rows.insert(2, (s.label("report.field.rate"), f"{data.compliance_rate:.1f}%"))
    witness = data.integrity.witness
    if witness is not None:
        rows.append(
            (s.label("report.witness.id"), s.label("report.paren", text=witness.id, inner=witness.at))
        )
        rows.append((s.label("report.witness.hash"), witness.hash))
    else:
        rows.append((s.label("report.witness.id"), s.label("report.witness.none")))
    s.add(s.pairs(rows))
    if data.score_note:
        s.add(Spacer(1, 2 * mm), s.para(data.score_note, s.small))
    if data.provisional:
        s.add(Spacer(1, 2 * mm), s.para(s.label("report.provisional"), s.small))
    s.add(s.heading(s.label("report.summary.counts"), 1))
    not_recorded = max(data.applicable - data.recorded, 0)
    header = [*(s.label(f"report.result.{r}") for r in RESULTS), s.label("report.result.none")]
    counts = [str(data.result_counts.get(r, 0)) for r in RESULTS] + [str(not_recorded)]
    s.add(s.table(header, [counts], [FRAME_W / 5] * 5))
    s.add(Spacer(1, 3 * mm))
    header = risk_header(s)
    counts = [str(data.issue_counts.get(k, 0)) for k in (*RISKS, "unrated", "major")]
    s.add(s.table(header, [counts], [FRAME_W / 5] * 5))
    s.add(s.heading(s.label("report.summary.categories"), 1))
    chart = _category_chart(s, data)
    if chart is not None:
        s.add(chart, Spacer(1, 3 * mm))
    header = [
        s.label(k)
        for k in ("report.col.category", "report.col.class", "report.col.items", "report.col.score")
    ]
    table_rows = [
        [s.cell_text(c.name), s.label(f"report.class.{c.cls}"), str(c.items), fmt_score(c.score)]
        for c in data.categories
    ]
    s.add(s.table(header, table_rows, [FRAME_W - 90 * mm, 30 * mm, 30 * mm, 30 * mm]))
    s.add(PageBreak())


def _scope(s: Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(section_title(s, template, "scope")))
    rows = [
        (s.label("report.field.unit"), data.unit_name),
        (s.label("report.field.system"), data.system_name),
        (s.label("report.field.level"), level_name(s, data.level)),
    ]
    if data.filing_no:
        rows.append((s.label("report.field.filing"), data.filing_no))
    s.add(s.pairs(rows), Spacer(1, 3 * mm))
    if data.system_description:
        s.add(s.para(data.system_description))
    s.add(s.heading(s.label("report.scope.assets"), 1))
    header = [
        s.label(k)
        for k in (
            "report.col.no",
            "report.col.asset",
            "report.col.kind",
            "report.col.address",
            "report.col.role",
        )
    ]
    asset_rows = [
        [str(i), s.cell_text(a.name), s.cell_text(a.kind_name), s.cell_text(a.address), s.cell_text(a.role)]
        for i, a in enumerate(data.assets, 1)
    ]
    s.add(s.table(header, asset_rows, [12 * mm, 45 * mm, 30 * mm, 40 * mm, FRAME_W - 127 * mm]))


def _method(s: Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(section_title(s, template, "method")))
    rows = [
        (
            s.label("report.field.profile"),
            s.label("report.paren", text=data.profile_title, inner=data.profile_id),
        ),
        (s.label("report.field.level"), level_name(s, data.level)),
        (
            s.label("report.field.policy"),
            s.label("report.paren", text=data.policy_title, inner=data.policy_id),
        ),
        (s.label("report.field.inspectors"), ", ".join(data.inspectors) or "—"),
        (s.label("report.field.items"), str(len(data.items))),
        (s.label("workbook.wording.label"), data.wording or s.label("workbook.wording.own")),
    ]
    if data.scope_extensions:
        rows.append(
            (s.label("workbook.scope_extension"), s.label("workbook.scope.count", n=data.scope_extensions))
        )
    s.add(s.pairs(rows), Spacer(1, 3 * mm))
    s.add(s.para(s.label("report.method.text")))
    s.add(s.heading(s.label("report.method.hashes"), 1))
    rows2 = [[s.cell_text(k), s.cell_text(v, s.tiny)] for k, v in sorted(data.pins.items())]
    rows2.append(
        [s.cell_text(s.label("report.integrity.catalog_all")), s.cell_text(data.catalog_sha256, s.tiny)]
    )
    s.add(s.table([s.label("report.col.document"), "SHA-256"], rows2, [60 * mm, FRAME_W - 60 * mm]))
    s.add(PageBreak())


def _results(s: Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(section_title(s, template, "results")))
    s.add(s.para(s.label("report.results.intro")))
    by_cat: dict[str, list[Any]] = {}
    ext_controls = {i.control for i in data.items if i.extension}
    for control in data.controls:
        if control.id not in ext_controls:  # extension sets have their own tables below
            by_cat.setdefault(control.category, []).append(control)
    header = [
        s.label("report.col.control"),
        s.label("report.col.items"),
        *(s.label(f"report.result.{r}") for r in RESULTS),
        s.label("report.col.score10"),
    ]
    widths = [FRAME_W - 121 * mm, 15 * mm, 22 * mm, 22 * mm, 22 * mm, 22 * mm, 18 * mm]
    for cat in data.categories:
        s.add(s.heading(s.label("report.results.category", name=cat.name, score=fmt_score(cat.score)), 1))
        rows = [
            [
                s.cell_text(c.name),
                str(c.items),
                *(str(c.counts.get(r, 0)) for r in RESULTS),
                fmt_score(c.score),
            ]
            for c in by_cat.get(cat.code, [])
        ]
        s.add(s.table(header, rows, widths))
    extension_results(s, data)
    s.add(PageBreak())


def _issues(s: Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(section_title(s, template, "issues")))
    if not data.issues:
        s.add(s.para(s.label("report.issues.none")))
        return
    s.add(s.para(s.label("report.issues.intro")))
    header = [
        s.label(k)
        for k in (
            "report.col.no",
            "report.col.risk",
            "report.col.item",
            "report.col.asset",
            "report.col.finding",
            "report.col.measure",
        )
    ]
    rows = []
    for issue in data.issues:
        risk = risk_word(s, issue.risk)
        if issue.risk == "high":
            risk = "■ " + risk
        if issue.major:
            risk += "\n" + s.label("report.major")
        item = f"{issue.item_id} {issue.control_name}\n{issue.item_text}"
        finding = issue.finding
        if issue.cases:
            finding += "\n" + s.label("report.issues.cases", cases=", ".join(issue.cases))
        rows.append(
            [
                str(issue.no),
                s.cell_text(risk),
                s.cell_text(item),
                s.cell_text(issue.asset_name),
                s.cell_text(finding),
                s.cell_text(issue.measure),
            ]
        )
    widths = [10 * mm, 16 * mm, 45 * mm, 25 * mm, 36 * mm, FRAME_W - 132 * mm]
    s.add(s.table(header, rows, widths, extra=issue_extra(data.issues)))


def _remediation(s: Story, data: ReportData, template: ReportTemplate) -> None:
    open_section(s, template, "remediation")
    if not data.issues:
        s.add(s.para(s.label("report.issues.none")))
        return
    for risk, group in data.issues_by_risk():
        days = data.remediation_days.get(risk or "", 0)
        title = risk_word(s, risk)
        if days:
            title = s.label("report.remediation.group", risk=title, days=days)
        s.add(s.heading(title, 1))
        # One suggestion per item, naming every asset it concerns.
        by_item: dict[str, list[IssueRow]] = {}
        for issue in group:
            by_item.setdefault(issue.item_id, []).append(issue)
        for item_id, issues in by_item.items():
            first = issues[0]
            assets = ", ".join(dict.fromkeys(i.asset_name for i in issues))
            text = s.label(
                "report.remediation.line",
                item=item_id,
                control=first.control_name,
                text=first.item_text,
                measure=first.measure,
                assets=assets,
            )
            s.add(s.para(text))
    s.add(PageBreak())


def _records(s: Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(section_title(s, template, "records")))
    items = {i.id: i for i in data.items}
    header = [
        s.label(k)
        for k in (
            "report.col.no",
            "report.col.control",
            "report.col.item",
            "report.col.record",
            "report.col.result",
        )
    ]
    widths = [10 * mm, 24 * mm, 62 * mm, FRAME_W - 114 * mm, 18 * mm]
    words = {r: result_word(s, r) for r in (*RESULTS, None)}
    colour = {
        "compliant": colors.HexColor("#2e7d4f"),
        "partial": colors.HexColor("#a86b00"),
        "noncompliant": RISK_COLOURS["high"],
    }
    for n, (asset_id, rows) in enumerate(data.results_by_asset().items(), 1):
        asset = data.asset(asset_id)
        name = asset.name if asset else asset_id
        title = s.label("report.paren", text=name, inner=asset.kind_name) if asset else name
        s.add(CondPageBreak(60 * mm), s.heading(f"A.{n} {title}", 1))
        body = []
        extra: list[tuple[Any, ...]] = []
        for i, row in enumerate(rows, 1):
            item = items.get(row.item_id)
            text = f"{row.item_id} {item.text}" if item else row.item_id
            if row.extends_scope:
                text += f" [{s.label('workbook.scope_extension')}]"
            record = row.note
            if row.by:
                record += ("\n" if record else "") + f"— {row.by} {row.at}"
            body.append(
                [
                    str(i),
                    s.cell_text(item.control_name if item else ""),
                    s.cell_text(text),
                    s.cell_text(record),
                    words[row.result],
                ]
            )
            if row.result in colour:
                extra.append(("TEXTCOLOR", (4, i), (4, i), colour[row.result]))
        if body:
            s.add(s.table(header, body, widths, extra=extra))
        else:
            s.add(s.para(s.label("report.records.none")))
    s.add(PageBreak())


def _evidence(s: Story, data: ReportData, template: ReportTemplate) -> None:
    s.add(s.heading(section_title(s, template, "evidence")))
    if not data.evidence:
        s.add(s.para(s.label("report.evidence.none")))
        s.add(PageBreak())
        return
    s.add(s.para(s.label("report.evidence.intro")))
    header = [
        s.label(k)
        for k in (
            "report.col.no",
            "report.col.file",
            "report.col.size",
            "report.col.sha256",
            "report.col.by",
            "report.col.where",
        )
    ]
    rows = []
    for i, e in enumerate(data.evidence, 1):
        where = " / ".join(x for x in (e.item_id, e.asset_name) if x)
        rows.append(
            [
                str(i),
                s.cell_text(e.name),
                fmt_size(e.size),
                s.cell_text(f"{e.sha256[:32]}\n{e.sha256[32:]}", s.tiny),
                s.cell_text(f"{e.by}\n{e.at}"),
                s.cell_text(where),
            ]
        )
    widths = [10 * mm, 36 * mm, 17 * mm, 46 * mm, 32 * mm, FRAME_W - 141 * mm]
    s.add(s.table(header, rows, widths))
    s.add(PageBreak())


SECTIONS: dict[str, Section] = {
    "statement": _statement,
    "summary": _summary,
    "scope": _scope,
    "method": _method,
    "results": _results,
    "issues": _issues,
    "remediation": _remediation,
    "records": _records,
    "evidence": _evidence,
}


def build_inspection_pdf(
    data: ReportData,
    template: ReportTemplate,
    out_path: Path,
    **options: Unpack[BuildOptions],
) -> int:
    """Write the inspection report (测评报告) to ``out_path``; return the page count."""
    return build(data, template, out_path, sections=SECTIONS, **options)
