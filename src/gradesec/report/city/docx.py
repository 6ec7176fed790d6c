"""The quarterly city report as DOCX: headings, the summary, a bar chart drawn as a table, every table.

The chart is a table (district, a bar of full blocks, the score), so it stays readable and editable in Word
and WPS without an image renderer. Chinese is set in 宋体 / 黑体 through the East Asian font slot, as the
official report does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Pt

from gradesec.report.city.content import CityReport
from gradesec.report.official.docx_out import _fonts

BODY = ("Times New Roman", "宋体")
HEADING = ("Arial", "黑体")
BAR_CELLS = 40  # a full bar (score 100) is this many blocks


def bar(score: float) -> str:
    return "█" * round(score / 100 * BAR_CELLS)


def build_docx(report: CityReport, out: Path) -> None:
    doc = Document()
    _fonts(doc.styles["Normal"], *BODY)
    doc.styles["Normal"].font.size = Pt(10)
    for name in ("Title", "Heading 1", "Heading 2"):
        _fonts(doc.styles[name], *HEADING)
    doc.core_properties.title = report.title
    doc.core_properties.author = "gradesec"
    doc.add_heading(report.title, level=0)
    sep = ": " if report.lang == "en" else "："
    for label, value in report.meta:
        doc.add_paragraph(f"{label}{sep}{value}")
    doc.add_heading(_summary_title(report), level=1)
    for line in report.summary:
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading(report.chart_title, level=1)
    _table(doc, None, [[name, bar(score), f"{score:.1f}"] for name, score in report.chart])
    for section in report.sections:
        doc.add_heading(section.title, level=1)
        if not section.rows:
            doc.add_paragraph(section.empty)
            continue
        _table(doc, section.columns, [[_text(c) for c in row] for row in section.rows])
    doc.save(str(out))


def _summary_title(report: CityReport) -> str:
    from gradesec.i18n import t

    return t("hubdash.report.summary", lang=report.lang)


def _table(doc: Any, header: list[str] | None, rows: list[list[str]]) -> None:
    width = len(header) if header else len(rows[0]) if rows else 1
    table = doc.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for r, values in enumerate(([header] if header else []) + rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(8)
                    run.bold = header is not None and r == 0


def _text(value: str | int | float) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)
