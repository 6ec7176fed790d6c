"""The quarterly city report as XLSX: a summary sheet with the chart of district scores, one sheet per table."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill

from gradesec.report.city.content import CityReport
from gradesec.report.xlsx import put_text

HEAD = PatternFill("solid", fgColor="E4E9EF")


def build_xlsx(report: CityReport, out: Path) -> None:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = _sheet_name(report.title, 0)
    put_text(summary.cell(row=1, column=1), report.title)
    summary.cell(row=1, column=1).font = Font(bold=True, size=14)
    row = 3
    for label, value in report.meta:
        put_text(summary.cell(row=row, column=1), label)
        put_text(summary.cell(row=row, column=2), value)
        row += 1
    row += 1
    for line in report.summary:
        put_text(summary.cell(row=row, column=1), line)
        row += 1
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 60

    for index, section in enumerate(report.sections, start=1):
        sheet = book.create_sheet(_sheet_name(section.title, index))
        for col, name in enumerate(section.columns, start=1):
            cell = sheet.cell(row=1, column=col)
            put_text(cell, name)
            cell.font = Font(bold=True)
            cell.fill = HEAD
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions[cell.column_letter].width = 16
        if not section.rows:
            put_text(sheet.cell(row=2, column=1), section.empty)
        for r, values in enumerate(section.rows, start=2):
            for c, item in enumerate(values, start=1):
                if isinstance(item, str):
                    put_text(sheet.cell(row=r, column=c), item)
                else:
                    sheet.cell(row=r, column=c, value=item)
        sheet.freeze_panes = "A2"
        if section.key == "districts" and section.rows:
            # The chart reads the sheet's own score column, so it follows the numbers if someone edits them.
            bars = BarChart()
            bars.type = "bar"
            bars.title = report.chart_title
            bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, 100
            last = len(section.rows) + 1
            score_col = len(section.columns)
            bars.add_data(Reference(sheet, min_col=score_col, min_row=1, max_row=last), titles_from_data=True)
            bars.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
            bars.legend = None
            bars.height, bars.width = 4 + len(section.rows) * 0.8, 18
            summary.add_chart(bars, f"A{row + 2}")
    book.save(out)


def _sheet_name(title: str, index: int) -> str:
    """Sheet names: at most 31 characters, none of []:*?/\\, unique by a number prefix."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)
    return f"{index} {clean}"[:31].rstrip()
