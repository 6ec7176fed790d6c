"""The record workbook as XLSX. Kept as the stable import path; the code lives in ``report.workbook``."""

from __future__ import annotations

from gradesec.report.workbook.reader import WorkbookError
from gradesec.report.workbook.writer import build_plan_workbook, build_workbook, put_text, sheet_titles

__all__ = ["WorkbookError", "build_plan_workbook", "build_workbook", "put_text", "sheet_titles"]
