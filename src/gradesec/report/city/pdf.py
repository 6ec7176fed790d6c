"""The quarterly city report as PDF: title and summary, the chart of district scores, then every table."""

from __future__ import annotations

from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak

from gradesec.report.city.content import CityReport
from gradesec.report.fonts import find_font
from gradesec.report.simpledoc import WIDTH, SimpleStory, write_simple_pdf

BAR = colors.HexColor("#3e7cb1")
PADDING = (("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3))
WIDTHS = {
    "districts": (0.16, *[0.84 / 9] * 9),
    "units": (0.14, 0.08, 0.08, 0.08, 0.09, 0.08, 0.11, 0.09, 0.08, 0.07, 0.1),
    "levels": (0.3, 0.4, 0.3),
    "overdue": (0.3, 0.3, 0.1, 0.15, 0.15),
    "filings": (0.25, 0.25, 0.2, 0.15, 0.15),
    "late": (0.22, 0.22, 0.1, 0.16, 0.14, 0.16),
}


def chart(report: CityReport, font: str, texts: list[str]) -> Drawing:
    """A horizontal bar per district (mean score, 0-100), labelled with the district and its score."""
    rows = report.chart or [("—", 0.0)]
    height = 14 * mm + 9 * mm * len(rows)
    drawing = Drawing(WIDTH, height)
    drawing.add(String(0, height - 5 * mm, report.chart_title, fontName=font, fontSize=11))
    texts.append(report.chart_title)
    bars = HorizontalBarChart()
    bars.x, bars.y = 45 * mm, 8 * mm
    bars.width, bars.height = WIDTH - 60 * mm, height - 16 * mm
    # Top to bottom in report order: the chart draws its first category at the bottom.
    bars.data = [[score for _, score in reversed(rows)]]
    bars.categoryAxis.categoryNames = [name for name, _ in reversed(rows)]
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = 8
    bars.valueAxis.valueMin, bars.valueAxis.valueMax, bars.valueAxis.valueStep = 0, 100, 20
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.labels.fontSize = 8
    bars.bars[0].fillColor = BAR
    bars.barLabelFormat = "%.1f"
    bars.barLabels.fontName = font
    bars.barLabels.fontSize = 8
    bars.barLabels.boxAnchor = "w"
    bars.barLabels.dx = 3
    texts.extend(name for name, _ in rows)
    drawing.add(bars)
    return drawing


def build_pdf(report: CityReport, out: Path) -> int:
    """Write the report to ``out``; returns the page count."""
    font = find_font()
    story = SimpleStory(font, report.lang)
    # Eleven columns on A4: a smaller cell font keeps the English headers whole.
    story.cell_style = ParagraphStyle("city-cell", parent=story.cell_style, fontSize=7, leading=9)
    story.flow.append(story.para(report.title, story.title))
    for label, value in report.meta:
        story.flow.append(story.para(f"{label}: {value}" if report.lang == "en" else f"{label}：{value}"))
    story.flow.append(story.para(story.label("hubdash.report.summary"), story.h1))
    for line in report.summary:
        story.flow.append(story.para(line))
    story.flow.append(chart(report, font.name, story.texts))
    # A heading kept with a table longer than a page leaves a blank page in reportlab; instead a heading starts
    # a new page when less than a few rows' room is left.
    heading = ParagraphStyle("city-h1", parent=story.h1, keepWithNext=0)
    for section in report.sections:
        story.flow.append(CondPageBreak(35 * mm))
        story.flow.append(story.para(section.title, heading))
        if not section.rows:
            story.flow.append(story.para(section.empty))
            continue
        rows = [[_text(c) for c in row] for row in section.rows]
        story.table(section.columns, rows, WIDTHS[section.key], PADDING)
    return write_simple_pdf(story, out, font, title=report.title, invariant=True, footer=report.title)


def _text(value: str | int | float) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)
